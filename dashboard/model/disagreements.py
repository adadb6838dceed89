"""Disagreements between those who counted. Pure: no Streamlit.

A disagreement is two originators (origins.series_label) whose figures of one kind (indicator,
outcome, measure, status, scope) for the same date, give or take `window_days`, differ by more
than the threshold; or one originator stating two such figures for the same day. One
originator's cumulative toll rising from week to week is not a disagreement: the ministry's
3,785 on 19 October 2023 and 7,028 a week later are one series. A figure relayed by several
outlets counts once (origins.relay_groups).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from dashboard.model import origins
from dashboard.model.analysis import FLAG_COLUMNS, NOT_CREDIBLE, bounds_overlap, record_figure
from dashboard.model.data import row_dicts
from dashboard.model.formatting import format_date

MAX_FLAGS = 50


@dataclass(frozen=True)
class Disagreement:
    """Two figures of one kind that cannot both be the count for their date."""

    kind: str  # origins.kind_keys
    low: dict[str, Any]  # the lower figure's record
    high: dict[str, Any]
    low_by: str  # who counted it (origins.series_label)
    high_by: str
    ratio: float  # (high - low) / low
    days_apart: int
    same_originator: bool  # one originator, two figures for one day
    compatible: bool = False  # the stated bounds overlap: "at least 1,000" and "1,200" can both be right
    low_relays: tuple[str, ...] = ()  # the outlets that reported each figure
    high_relays: tuple[str, ...] = ()

    @property
    def when(self) -> str:
        first, last = sorted((self.low["date"], self.high["date"]))
        return format_date(first) if first == last else f"{format_date(first)} – {format_date(last)}"


@dataclass(frozen=True)
class Disagreements:
    flags: list[Disagreement] = field(default_factory=list)  # the largest first, at most max_flags
    count: int = 0  # all of them


@dataclass(frozen=True)
class _Figures:
    """The distinct figures (relays merged), sorted by kind then day, as plain columns."""

    kind: list[str]
    series: list[str]
    day: list[int]
    value: list[float]
    position: list[int]  # the row standing for the figure, in the records given
    relays: list[tuple[str, ...]]


def _figures(records: pd.DataFrame) -> _Figures:
    dated = records.loc[records["date"].notna()]
    credible = ~dated["qualifier"].astype(str).isin(NOT_CREDIBLE).to_numpy() & dated["value"].notna().to_numpy()
    positions = np.flatnonzero(records["date"].notna().to_numpy())[credible]
    frame = dated.loc[credible]
    series, kinds = origins.series_labels(frame), origins.kind_keys(frame)
    days = frame["date"].to_numpy(dtype="datetime64[D]").astype(np.int64)
    value = frame["value"].to_numpy(dtype=float)
    groups = origins.relay_groups(
        series, kinds, days.tolist(), value, frame["low"].to_numpy(dtype=float), frame["high"].to_numpy(dtype=float)
    )
    sources = frame["source"].astype(str).tolist()
    order = sorted(range(len(groups.first)), key=lambda g: (kinds[groups.first[g]], days[groups.first[g]], groups.first[g]))
    firsts = [int(groups.first[g]) for g in order]
    return _Figures(
        kind=[kinds[row] for row in firsts],
        series=[series[row] for row in firsts],
        day=[int(days[row]) for row in firsts],
        value=[float(value[row]) for row in firsts],
        position=[int(positions[row]) for row in firsts],
        relays=[tuple(dict.fromkeys(sources[row] for row in groups.members[g])) for g in order],
    )


def _pairs(figures: _Figures, window_days: int) -> list[tuple[int, int, bool]]:
    """(figure, figure, same originator) pairs to compare: per kind, each figure against every other originator's
    latest figure up to `window_days` before it, and against its own originator's other figures of the same day."""
    pairs: list[tuple[int, int, bool]] = []
    latest: dict[str, int] = {}
    same_day: dict[str, list[int]] = {}
    for index, (kind, name, day) in enumerate(zip(figures.kind, figures.series, figures.day, strict=True)):
        if index and kind != figures.kind[index - 1]:
            latest, same_day = {}, {}
        for other, earlier in latest.items():
            if other != name and day - figures.day[earlier] <= window_days:
                pairs.append((earlier, index, False))
        own = same_day.setdefault(name, [])
        if own and figures.day[own[0]] != day:
            own.clear()
        pairs.extend((earlier, index, True) for earlier in own)
        own.append(index)
        latest[name] = index
    return pairs


def find_disagreements(
    records: pd.DataFrame, window_days: int = 7, threshold: float = 0.05, max_flags: int = MAX_FLAGS
) -> Disagreements:
    """The disagreements among `records` (dated, credible figures: vague ones are not counts), largest first."""
    if records.empty or "date" not in records:
        return Disagreements()
    figures = _figures(records)
    found: list[tuple[float, int, int, bool]] = []
    for first, second, same in _pairs(figures, window_days):
        low, high = sorted((first, second), key=lambda index: (figures.value[index], index))
        low_value, high_value = figures.value[low], figures.value[high]
        ratio = (high_value - low_value) / low_value if low_value > 0 else (1.0 if high_value > 0 else 0.0)
        if ratio > threshold:
            found.append((ratio, low, high, same))
    found.sort(key=lambda item: (-item[0], figures.day[item[2]]))
    shown = found[:max_flags]
    narrow = records[[name for name in (*FLAG_COLUMNS, "originator", "url") if name in records.columns]]
    lows = row_dicts(narrow.iloc[[figures.position[low] for _, low, _, _ in shown]])
    highs = row_dicts(narrow.iloc[[figures.position[high] for _, _, high, _ in shown]])
    flags = [
        Disagreement(
            kind=figures.kind[low],
            low=low_row,
            high=high_row,
            low_by=figures.series[low],
            high_by=figures.series[high],
            ratio=float(ratio),
            days_apart=abs(figures.day[high] - figures.day[low]),
            same_originator=same,
            compatible=bounds_overlap(low_row, high_row),
            low_relays=figures.relays[low],
            high_relays=figures.relays[high],
        )
        for (ratio, low, high, same), low_row, high_row in zip(shown, lows, highs, strict=True)
    ]
    return Disagreements(flags, len(found))


def by_originator(records: pd.DataFrame) -> pd.DataFrame:
    """The records with `source` naming who counted each figure (origins.series_label), the outlet kept as `outlet`:
    what analysis.compare_sources groups by, so that the Sources page's columns are originators."""
    return records.assign(outlet=records["source"], source=origins.series_labels(records))


def kinds_of(records: pd.DataFrame) -> list[tuple[str, int]]:
    """The kinds of the dated records with how many figures each, the most first (then by name)."""
    dated = records.loc[records["date"].notna()]
    names, counts = np.unique(origins.kind_keys(dated).astype(str), return_counts=True)
    return sorted(zip(names.tolist(), counts.tolist(), strict=True), key=lambda item: (-item[1], item[0]))


def of_kind(records: pd.DataFrame, kind: str) -> pd.DataFrame:
    return records.loc[origins.kind_keys(records) == kind]


def relays_of(records: pd.DataFrame, series: str, figure: str) -> tuple[str, ...]:
    """The outlets that reported `series`' figure reading `figure` ("at least 67,194"), the latest report first."""
    mine = records.loc[(origins.series_labels(records) == series) & records["date"].notna()]
    rows = row_dicts(
        mine[[name for name in ("value", "qualifier", "low", "high", "raw_value", "unit", "source") if name in mine]]
    )
    return tuple(dict.fromkeys(str(row["source"]) for row in reversed(rows) if record_figure(row) == figure))
