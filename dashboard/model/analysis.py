"""What the Sources page computes from records (the Overview's cards are in cards.py). Pure: no Streamlit.

- compare_sources: one indicator and location across sources, figures grouped into date
  windows of N days, disagreements beyond a threshold, the conservative (lowest credible)
  figure and the range.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from dashboard.model.data import row_dicts
from dashboard.model.formatting import format_date, format_figure, format_number

if TYPE_CHECKING:
    import pyarrow

OPEN_UPPER = frozenset({"at_least", "more_than"})
OPEN_LOWER = frozenset({"at_most", "fewer_than"})
NOT_CREDIBLE = frozenset({"vague"})


def record_figure(row: Any) -> str:
    """A record (Series or namedtuple) as 'at least 57,575'."""
    get = row.get if hasattr(row, "get") else lambda name, default=None: getattr(row, name, default)
    return format_figure(get("value"), str(get("qualifier") or "exact"), get("low"), get("high"), get("raw_value"), get("unit"))


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


def _first_extreme(rows: list[int], values: np.ndarray, *, lowest: bool) -> int:
    """The first of `rows` with the smallest (largest) value, missing values skipped: what idxmin (idxmax) picks."""
    present = [row for row in rows if values[row] == values[row]] or rows
    return min(present, key=values.__getitem__) if lowest else max(present, key=values.__getitem__)


def _least(rows: list[int], values: np.ndarray) -> float:
    """The smallest value of `rows`, missing values skipped; NaN when there is none."""
    present = [values[row] for row in rows if values[row] == values[row]]
    return min(present) if present else math.nan


@dataclass(frozen=True)
class _Figures:
    """compare_sources' figures as plain columns, sorted by measure then date (row i is the i-th figure)."""

    value: np.ndarray
    low: np.ndarray
    high: np.ndarray
    qualifier: list[str]
    raw_value: list[Any]
    unit: list[Any]
    source: list[str]
    measure: list[str]
    dates: np.ndarray
    positions: np.ndarray  # each figure's position in the records given

    def figure(self, row: int) -> str:
        return format_figure(
            self.value[row], self.qualifier[row], self.low[row], self.high[row], self.raw_value[row], self.unit[row]
        )


def _sorted_figures(records: pd.DataFrame, positions: np.ndarray) -> _Figures:
    frame = records[COMPARE_COLUMNS].iloc[positions]  # narrow: copying ~40 wide text columns would dominate the cost
    measures = frame["measure"].astype(str).to_numpy(dtype=object)
    codes = np.unique(measures, return_inverse=True)[1]
    dates = frame["date"].to_numpy()
    order = np.lexsort((dates.view(np.int64), codes))  # by measure, then date; stable, as sort_values(kind="stable")

    def strings(name: str) -> list[str]:
        return frame[name].astype(str).to_numpy(dtype=object)[order].tolist()

    return _Figures(
        value=frame["value"].to_numpy(dtype=float)[order],
        low=frame["low"].to_numpy(dtype=float)[order],
        high=frame["high"].to_numpy(dtype=float)[order],
        qualifier=strings("qualifier"),
        raw_value=frame["raw_value"].to_numpy(dtype=object)[order].tolist(),
        unit=frame["unit"].to_numpy(dtype=object)[order].tolist(),
        source=strings("source"),
        measure=measures[order].tolist(),
        dates=dates[order],
        positions=positions[order],
    )


def compare_sources(
    records: pd.DataFrame, window_days: int = 7, threshold: float = 0.05, max_records: int = 5000, max_flags: int = 50
) -> Comparison:
    """Side-by-side figures of the sources, windows of `window_days`, flags beyond `threshold`.

    The latest `max_records` dated figures are walked in plain Python, a few comparisons per
    window: a pandas group-by has a fixed cost whatever its size, and this would need a dozen of
    them for the few hundred figures of a chart.
    """
    positions = np.flatnonzero(records["date"].notna().to_numpy())
    positions = positions[max(len(positions) - max_records, 0) :]
    if not len(positions):
        return Comparison(pd.DataFrame(), pd.DataFrame())
    figures = _sorted_figures(records, positions)
    days = figures.dates.astype("datetime64[D]").astype(np.int64)
    measure_codes = np.unique(np.array(figures.measure, dtype=object), return_inverse=True)[1]
    starts = _window_starts(days, measure_codes, window_days).tolist()
    low_bound = np.where(np.isnan(figures.low), figures.value, figures.low)
    high_bound = np.where(np.isnan(figures.high), figures.value, figures.high)
    credible = [qualifier not in NOT_CREDIBLE for qualifier in figures.qualifier]
    lows = zip(figures.qualifier, figures.low.tolist(), strict=True)
    open_low = [qualifier in OPEN_LOWER or (low != low and qualifier != "exact") for qualifier, low in lows]
    source = figures.source

    members: dict[tuple[int, str], list[int]] = {}  # (start day, measure) -> its figures
    latest: dict[tuple[int, str, str], int] = {}  # (start day, measure, source) -> the source's last figure there
    for row, start in enumerate(starts):
        members.setdefault((start, figures.measure[row]), []).append(row)
        latest[(start, figures.measure[row], source[row])] = row
    keys = sorted(members, key=lambda key: (-key[0], key[1]))  # the latest window first
    labels: dict[tuple[int, str], str] = {}
    shown: dict[str, list] = {name: [] for name in WINDOW_COLUMNS}
    for key in keys:
        rows = members[key]
        of_credible = [row for row in rows if credible[row]]
        pool = of_credible or rows
        best = _first_extreme(pool, figures.value, lowest=True)
        top = _first_extreme(pool, high_bound, lowest=False)
        lowest, bottom_rows = _least(of_credible, low_bound), of_credible
        if lowest != lowest:  # no credible figure: the lowest of all
            lowest, bottom_rows = _least(rows, low_bound), rows
        # "about 11,301,340" states no lower bound: the range must not read as "at least" it.
        open_bottom = all(open_low[row] for row in bottom_rows if low_bound[row] == lowest)
        highest = high_bound[top]
        top_qualifier = figures.qualifier[top]
        open_top = top_qualifier in OPEN_UPPER or (np.isnan(figures.high[top]) and top_qualifier != "exact")
        start, end = pd.Timestamp(np.datetime64(key[0], "D")), pd.Timestamp(figures.dates[rows].max())
        labels[key] = _window_label(start, end)
        bottom = ("~" if open_bottom else "") + format_number(lowest)
        span = bottom if lowest == highest else f"{bottom} – {format_number(highest)}"
        values = (labels[key], key[1], len({source[row] for row in rows}), len(rows), figures.figure(best), source[best])
        for name, value in zip(WINDOW_COLUMNS, (*values, span + ("+" if open_top else "")), strict=True):
            shown[name].append(value)
    windows = _frame(shown, integers=("sources", "records"))

    last_rows = sorted(latest.values())  # in date order, as pivoting the frame's rows did
    # One column per source, in the order of their first figure; a cell per window (None: no figure there).
    column_of = {name: column for column, name in enumerate(dict.fromkeys(source[row] for row in last_rows))}
    line_of = {key: line for line, key in enumerate(keys)}
    cells = np.full((len(keys), len(column_of)), None, dtype=object)
    for (start, measure, name), row in latest.items():
        cells[line_of[(start, measure)], column_of[name]] = figures.figure(row)
    table = _frame(
        {"window": shown["window"], "measure": shown["measure"]}
        | {name: cells[:, column].tolist() for name, column in column_of.items()}
    )
    credible_latest = [row for row in last_rows if credible[row]]
    flags, count = _disagreements(credible_latest, figures, starts, labels, threshold, max_flags, records)
    return Comparison(table=table, windows=windows, disagreements=flags, disagreement_count=count)


def _frame(columns: dict[str, list], integers: tuple[str, ...] = ()) -> pd.DataFrame:
    """Text columns (None for missing), but the `integers`, as a frame: through Arrow, 3x faster than a Series each."""
    import pyarrow as pa

    text = pa.large_string()
    arrays = {name: pa.array(values, type=pa.int64() if name in integers else text) for name, values in columns.items()}
    string_dtype = pd.StringDtype(na_value=np.nan)  # "str", as pandas infers for text
    return pa.table(arrays).to_pandas(types_mapper=lambda kind: string_dtype if kind == text else None)


def side_by_side(comparison: Comparison) -> pyarrow.Table:
    """The Sources page's table: each window (without its record count), then each source's latest figure there ('' for none).

    In Arrow, the form st.dataframe sends: converting a frame of a hundred sources each run cost more than making it.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    windows, table = comparison.windows, comparison.table
    sources = [name for name in table.columns if name not in ("window", "measure")]
    same_rows = windows["window"].equals(table["window"]) and windows["measure"].equals(table["measure"])
    if not same_rows or not sources or set(sources) & set(windows.columns):  # not compare_sources' own pair: join them
        merged = windows.merge(table, on=["window", "measure"], how="left")
        merged = merged.drop(columns=["records"]).rename(columns={"conservative source": "conservative from"}).fillna("")
        return pa.Table.from_pandas(merged, preserve_index=False)
    # compare_sources lists the same windows in the same order in both: no join, and the gaps filled in Arrow.
    shown = windows.drop(columns=["records"]).rename(columns={"conservative source": "conservative from"}).fillna("")
    head, figures = (
        pa.Table.from_pandas(shown, preserve_index=False),
        pa.Table.from_pandas(table, columns=sources, preserve_index=False),
    )
    text, empty = pa.large_string(), pa.scalar("", type=pa.large_string())
    filled = [pc.fill_null(figures[name].cast(text), empty) for name in sources]
    return pa.table([*head.columns, *filled], names=[*head.column_names, *sources])


WINDOW_COLUMNS = ("window", "measure", "sources", "records", "conservative", "conservative source", "range")


def _disagreements(
    latest: list[int],
    figures: _Figures,
    starts: list[int],
    labels: dict[tuple[int, str], str],
    threshold: float,
    max_flags: int,
    records: pd.DataFrame,
) -> tuple[list[Disagreement], int]:
    """Per window, the lowest and the highest credible figure of two sources, when they differ by more than `threshold`.

    `latest`: each source's latest credible figure in each window. The `max_flags` largest
    disagreements (ties: the earlier window first), and how many there are in all.
    """
    by_window: dict[tuple[int, str], list[int]] = {}
    for row in latest:
        by_window.setdefault((starts[row], figures.measure[row]), []).append(row)
    pairs: list[tuple[tuple[int, str], int, int, float]] = []
    for key in sorted(by_window):
        rows = by_window[key]
        if len({figures.source[row] for row in rows}) < 2:
            continue
        low = _first_extreme(rows, figures.value, lowest=True)
        high = _first_extreme(rows, figures.value, lowest=False)
        low_value, high_value = figures.value[low], figures.value[high]
        ratio = float((high_value - low_value) / low_value) if low_value > 0 else 0.0
        if ratio > threshold:
            pairs.append((key, low, high, ratio))
    flagged = sorted(pairs, key=lambda pair: -pair[3])[:max_flags]  # stable: equal ratios keep the window order
    narrow = records[[name for name in FLAG_COLUMNS if name in records.columns]]  # take 20 columns, not every one
    lows = row_dicts(narrow.iloc[[figures.positions[low] for _, low, _, _ in flagged]])
    highs = row_dicts(narrow.iloc[[figures.positions[high] for _, _, high, _ in flagged]])
    flags = [
        Disagreement(
            labels[key], str(key[1]), low, high, ratio, abs(int((high["date"] - low["date"]).days)), bounds_overlap(low, high)
        )
        for (key, _, _, ratio), low, high in zip(flagged, lows, highs, strict=True)
    ]
    return flags, len(pairs)
