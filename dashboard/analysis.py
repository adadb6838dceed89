"""What the Overview and Sources pages compute from records. Pure: no Streamlit.

- headline_tiles: per indicator and location the latest figure, the change since the same
  source's previous figure, and a small trend.
- compare_sources: one indicator and location across sources, figures grouped into date
  windows of N days, disagreements beyond a threshold, the conservative (lowest credible)
  figure and the range.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .data import row_dicts
from .formatting import format_change, format_date, format_figure, format_number

OPEN_UPPER = frozenset({"at_least", "more_than"})
NOT_CREDIBLE = frozenset({"vague"})
TREND_POINTS = 24


def record_figure(row: Any) -> str:
    """A record (Series or namedtuple) as 'at least 57,575'."""
    get = row.get if hasattr(row, "get") else lambda name, default=None: getattr(row, name, default)
    return format_figure(get("value"), str(get("qualifier") or "exact"), get("low"), get("high"), get("raw_value"), get("unit"))


@dataclass(frozen=True)
class Tile:
    """One headline: the latest figure for an indicator at a location."""

    indicator: str
    location: str
    latest: dict[str, Any]
    figure: str
    date_text: str
    change: str | None
    delta: float | None
    previous_date: str | None
    trend: tuple[float, ...]
    records: int

    @property
    def source(self) -> str:
        return str(self.latest.get("source", ""))


TILE_COLUMNS = ["indicator", "location_label", "source", "measure", "date", "value"]


def _tile(indicator: str, location: str, group: pd.DataFrame, latest: dict[str, Any]) -> Tile:
    """A tile from the narrow rows (TILE_COLUMNS) of one indicator and location, and its latest full row."""
    source, measure, date, value = (
        group["source"].to_numpy(),
        group["measure"].to_numpy(),
        group["date"].to_numpy(),
        group["value"].to_numpy(),
    )
    last = len(group) - 1
    earlier = np.flatnonzero((source == source[last]) & (measure == measure[last]) & (date < date[last]))
    previous = int(earlier[-1]) if len(earlier) else None
    same_measure = group[measure == measure[last]]
    trend = same_measure.groupby("date")["value"].median().tail(TREND_POINTS)
    previous_date = None if previous is None else pd.Timestamp(date[previous])
    return Tile(
        indicator=indicator,
        location=location,
        latest=latest,
        figure=record_figure(latest),
        date_text=format_date(latest["date"]),
        change=None if previous is None else format_change(value[last], value[previous], previous_date),
        delta=None if previous is None else float(value[last]) - float(value[previous]),
        previous_date=None if previous_date is None else format_date(previous_date),
        trend=tuple(float(v) for v in trend) if len(trend) > 1 else (),
        records=len(group),
    )


def headline_tiles(records: pd.DataFrame, max_locations: int = 8) -> dict[str, list[Tile]]:
    """Per indicator, tiles for its `max_locations` most reported locations (latest date first).

    Records must be sorted by date (Dataset.records is); undated records are left out. The work
    is done on a narrow copy of the columns it needs, so it stays cheap on wide, large frames.
    """
    narrow = records.loc[records["date"].notna(), TILE_COLUMNS]
    narrow = narrow.assign(
        **{column: narrow[column].astype(str) for column in ("indicator", "location_label", "source", "measure")}
    )
    groups: list[tuple[str, str, pd.DataFrame]] = []
    for indicator, of_indicator in narrow.groupby("indicator", sort=False):
        counts = of_indicator["location_label"].value_counts()
        top = [str(name) for name, count in counts.items() if count > 0][:max_locations]
        chosen = of_indicator[of_indicator["location_label"].isin(top)]
        groups.extend((str(indicator), str(location), group) for location, group in chosen.groupby("location_label"))
    latest_rows = row_dicts(records.loc[[group.index[-1] for _, _, group in groups]])
    tiles: dict[str, list[Tile]] = {}
    for (indicator, location, group), latest in zip(groups, latest_rows, strict=True):
        tiles.setdefault(indicator, []).append(_tile(indicator, location, group, latest))
    for made in tiles.values():
        made.sort(key=lambda tile: (-tile.records, tile.location))
    return tiles


def location_count(records: pd.DataFrame, indicator: str) -> int:
    return int(records.loc[records["indicator"] == indicator, "location_label"].nunique())


@dataclass(frozen=True)
class Disagreement:
    """Two sources whose figures for the same window differ by more than the threshold."""

    window: str
    measure: str
    low: dict[str, Any]
    high: dict[str, Any]
    ratio: float  # (high - low) / low
    days_apart: int
    compatible: bool = False  # the stated bounds overlap: "at least 1,000" and "1,200" can both be right


def _bounds(record: Any) -> tuple[float, float]:
    """(lowest, highest) value a record's wording allows; open bounds are infinite."""
    low, high = record["low"], record["high"]
    qualifier = str(record["qualifier"])
    lowest = float(low) if not pd.isna(low) else (-math.inf if qualifier not in ("exact",) else float(record["value"]))
    highest = float(high) if not pd.isna(high) else (math.inf if qualifier not in ("exact",) else float(record["value"]))
    return lowest, highest


def bounds_overlap(first: Any, second: Any) -> bool:
    """Whether two figures' stated intervals overlap (so both may be right)."""
    a_low, a_high = _bounds(first)
    b_low, b_high = _bounds(second)
    return a_low <= b_high and b_low <= a_high


@dataclass(frozen=True)
class Comparison:
    """One indicator and location across sources."""

    table: pd.DataFrame  # window, measure, then one column per source (formatted figures)
    windows: pd.DataFrame  # window, measure, sources, conservative, range, records
    disagreements: list[Disagreement] = field(default_factory=list)  # the largest first, at most max_flags
    disagreement_count: int = 0  # all of them

    @property
    def empty(self) -> bool:
        return self.windows.empty


def assign_windows(dates: pd.Series, window_days: int) -> pd.Series:
    """Cluster sorted dates: a window starts at a date and holds the dates up to N days later."""
    days = dates.to_numpy(dtype="datetime64[D]").astype(np.int64)
    starts = _window_starts(days, np.zeros(len(days), dtype=np.int64), window_days)
    return pd.Series(starts.astype("datetime64[D]").astype("datetime64[ns]"), index=dates.index)


def _window_starts(days: np.ndarray, groups: np.ndarray, window_days: int) -> np.ndarray:
    """Start day of each row's window; rows sorted by (group, day); a new group starts a new window."""
    starts = np.empty(len(days), dtype=np.int64)
    current, current_group = 0, None
    for index, (day, group) in enumerate(zip(days.tolist(), groups.tolist(), strict=True)):
        if group != current_group or day - current > window_days:
            current, current_group = day, group
        starts[index] = current
    return starts


COMPARE_COLUMNS = ["value", "low", "high", "qualifier", "raw_value", "unit", "source", "measure", "date"]
FLAG_COLUMNS = (
    "record_id", "doc_id", "value", "low", "high", "qualifier", "raw_value", "unit", "source", "measure", "date",
    "reference_date", "quote", "quote_start", "char_start", "char_end", "attribution", "doc_kind", "indicator", "location",
)  # fmt: skip


def _window_label(start: pd.Timestamp, end: pd.Timestamp) -> str:
    return format_date(start) if end <= start else f"{format_date(start)} – {format_date(end)}"


def _pick(frame: pd.DataFrame, credible: pd.Series, keys: list[str], column: str, how: str) -> pd.Series:
    """Per window, the row label of the credible row with the min/max `column` (any row when none is credible)."""
    any_row = getattr(frame.groupby(keys, observed=True)[column], how)()
    of_credible = getattr(frame[credible].groupby(keys, observed=True)[column], how)()
    return of_credible.reindex(any_row.index).fillna(any_row).astype(any_row.dtype)


def compare_sources(
    records: pd.DataFrame, window_days: int = 7, threshold: float = 0.05, max_records: int = 5000, max_flags: int = 50
) -> Comparison:
    """Side-by-side figures of the sources, windows of `window_days`, flags beyond `threshold`.

    Vectorised: one groupby pass over the windows, whatever their number.
    """
    dated = records[records["date"].notna()].tail(max_records)
    if dated.empty:
        return Comparison(pd.DataFrame(), pd.DataFrame())
    frame = dated[COMPARE_COLUMNS]  # narrow: copying ~40 wide text columns would dominate the cost
    frame = frame.assign(measure=frame["measure"].astype(str), source=frame["source"].astype(str))
    frame = frame.sort_values(["measure", "date"], kind="stable")
    codes = frame["measure"].map({m: i for i, m in enumerate(sorted(set(frame["measure"])))}).to_numpy()
    days = frame["date"].to_numpy(dtype="datetime64[D]").astype(np.int64)
    frame["start"] = _window_starts(days, codes, window_days).astype("datetime64[D]").astype("datetime64[ns]")
    keys = ["start", "measure"]
    frame["figure"] = [
        format_figure(v, q, lo, hi, raw, unit)
        for v, q, lo, hi, raw, unit in zip(
            frame["value"],
            frame["qualifier"].astype(str),
            frame["low"],
            frame["high"],
            frame["raw_value"],
            frame["unit"],
            strict=True,
        )
    ]
    credible = ~frame["qualifier"].astype(str).isin(NOT_CREDIBLE)
    frame["low_bound"] = frame["low"].fillna(frame["value"])
    frame["high_bound"] = frame["high"].fillna(frame["value"])
    grouped = frame.groupby(keys, observed=True)
    windows = pd.DataFrame({"end": grouped["date"].max(), "sources": grouped["source"].nunique(), "records": grouped.size()})
    best = frame.loc[_pick(frame, credible, keys, "value", "idxmin")]
    top = frame.loc[_pick(frame, credible, keys, "high_bound", "idxmax")]
    lowest = (
        frame[credible].groupby(keys, observed=True)["low_bound"].min().reindex(windows.index).fillna(grouped["low_bound"].min())
    )
    windows["conservative"] = best["figure"].to_numpy()
    windows["conservative source"] = best["source"].to_numpy()
    open_top = (
        top["qualifier"].astype(str).isin(OPEN_UPPER).to_numpy()
        | (top["high"].isna() & (top["qualifier"].astype(str) != "exact")).to_numpy()
    )
    windows["range"] = [
        (format_number(lo) if lo == hi else f"{format_number(lo)} – {format_number(hi)}") + ("+" if is_open else "")
        for lo, hi, is_open in zip(lowest.to_numpy(), top["high_bound"].to_numpy(), open_top, strict=True)
    ]
    windows = windows.reset_index()
    windows["window"] = [_window_label(start, end) for start, end in zip(windows["start"], windows["end"], strict=True)]
    windows = windows.sort_values(["start", "measure"], ascending=[False, True]).reset_index(drop=True)

    latest = frame.groupby([*keys, "source"], observed=True, sort=False).tail(1)
    table = latest.pivot(index=keys, columns="source", values="figure").reset_index()
    table = table.merge(windows[["start", "measure", "window"]], on=keys).sort_values(
        ["start", "measure"], ascending=[False, True]
    )
    table = table[["window", "measure", *dict.fromkeys(latest["source"])]].reset_index(drop=True)
    table.columns.name = None
    credible_latest = latest[~latest["qualifier"].astype(str).isin(NOT_CREDIBLE)]
    flags, count = _disagreements(credible_latest, windows, keys, threshold, max_flags, dated)
    columns = ["window", "measure", "sources", "records", "conservative", "conservative source", "range"]
    return Comparison(table=table, windows=windows[columns], disagreements=flags, disagreement_count=count)


def _disagreements(
    latest: pd.DataFrame, windows: pd.DataFrame, keys: list[str], threshold: float, max_flags: int, records: pd.DataFrame
) -> tuple[list[Disagreement], int]:
    """Per window, the lowest and the highest credible figure of two sources, when they differ by more than `threshold`.

    The `max_flags` largest disagreements, and how many there are in all.
    """
    if latest.empty:
        return [], 0
    grouped = latest.groupby(keys, observed=True)
    pairs = pd.DataFrame(
        {"low": grouped["value"].idxmin(), "high": grouped["value"].idxmax(), "sources": grouped["source"].nunique()}
    )
    pairs = pairs[pairs["sources"] > 1]
    low_values = latest.loc[pairs["low"], "value"].to_numpy()
    high_values = latest.loc[pairs["high"], "value"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = np.where(low_values > 0, (high_values - low_values) / low_values, 0.0)
    flagged = pairs.assign(ratio=ratios)
    flagged = flagged[flagged["ratio"] > threshold].sort_values("ratio", ascending=False, kind="stable").head(max_flags)
    labels = windows.set_index(keys)["window"]
    lows = row_dicts(records.loc[flagged["low"]], FLAG_COLUMNS)
    highs = row_dicts(records.loc[flagged["high"]], FLAG_COLUMNS)
    flags: list[Disagreement] = []
    for key, ratio, low, high in zip(flagged.index, flagged["ratio"], lows, highs, strict=True):
        days = abs(int((high["date"] - low["date"]).days))
        flags.append(Disagreement(labels[key], str(key[1]), low, high, float(ratio), days, bounds_overlap(low, high)))
    return flags, int((pairs.assign(ratio=ratios)["ratio"] > threshold).sum())
