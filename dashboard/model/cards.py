"""The Overview's cards: per indicator, one card per location and kind of figure. Pure: no Streamlit.

A card holds the latest figure of one kind (dashboard.model.kinds: indicator, outcome, measure, status,
scope) at one location, the change since the previous figure of that kind by whoever counted it (its
originator; the same outlet's, where no originator is stated), and a
small trend of that kind only. A location that has several kinds (a displaced stock and a flow;
aid workers killed and kidnapped) gets a card for each: a card never subtracts one kind from
another, nor draws them as one line.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from dashboard.model.analysis import record_figure
from dashboard.model.data import row_dicts
from dashboard.model.formatting import format_change, format_date, is_missing
from dashboard.model.kinds import KIND_FIELDS, Kind, kind_label, kind_value
from dashboard.model.origins import series_labels

TREND_POINTS = 24
KIND_KEYS = KIND_FIELDS[1:]  # the indicator is grouped first
CARD_COLUMNS = ("date", "indicator", "location_label", "value", "originator", "source", *KIND_KEYS)
"""The columns headline_cards reads for every record (the latest figures' others come from `full`)."""


@dataclass(frozen=True)
class Card:
    """The latest figure of one kind at one location."""

    indicator: str
    location: str
    kind: Kind
    latest: dict[str, Any]
    figure: str
    date_text: str
    change: str | None
    delta: float | None
    previous_date: str | None
    trend: tuple[float, ...]
    records: int
    other_kinds: tuple[str, ...] = ()  # on a location's last card: the kinds left out there, with their counts

    @property
    def source(self) -> str:
        return str(self.latest.get("source", ""))

    @property
    def originator(self) -> str:
        """Who counted the latest figure; empty where the record does not say."""
        value = self.latest.get("originator")
        return "" if is_missing(value) else str(value).strip()

    @property
    def kind_text(self) -> str:
        """The kind in plain words, a projection with its horizon ('projected to Sep 2025')."""
        return kind_label(self.kind, self.latest.get("reference_date"))


def _latest_medians(dates: np.ndarray, values: np.ndarray, count: int) -> list[float]:
    """The median value on each of the `count` latest dates (missing values skipped), oldest first:
    groupby("date")["value"].median().tail(count), for dates in order."""
    if len(dates) > 1 and (dates[1:] < dates[:-1]).any():
        order = np.argsort(dates, kind="stable")
        dates, values = dates[order], values[order]
    if not len(dates):
        return []
    starts = np.flatnonzero(np.r_[True, dates[1:] != dates[:-1]])[-count:]
    # All the dates at once (a card's trend has up to `count` of them, a date thousands of figures):
    # the values sorted within each date, then the middle one, or the mean of the two middle ones, as pandas.
    day = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(dates)]))
    latest = values[starts[0] :].astype(float)
    present = ~np.isnan(latest)
    day, latest = day[present], latest[present]
    order = np.lexsort((latest, day))
    latest = latest[order]
    sizes = np.bincount(day, minlength=len(starts))
    begins = np.r_[0, np.cumsum(sizes)[:-1]]
    low, high = begins + (sizes - 1) // 2, begins + sizes // 2
    medians = [math.nan] * len(starts)
    for position in np.flatnonzero(sizes).tolist():
        a, b = latest[low[position]], latest[high[position]]
        medians[position] = float(a) if low[position] == high[position] else float((a + b) / 2)
    return medians


def _card(indicator: str, location: str, kind: Kind, columns: dict[str, np.ndarray], latest: dict[str, Any]) -> Card:
    """A card from the columns (counter, date, value) of one kind at one location, and its latest full row."""
    counter, date, value = columns["counter"], columns["date"], columns["value"]
    last = len(value) - 1
    # A change is the same counter's: the ministry's toll relayed by another outlet continues its series.
    earlier = np.flatnonzero((counter == counter[last]) & (date < date[last]))
    previous = int(earlier[-1]) if len(earlier) else None
    trend = _latest_medians(date, value, TREND_POINTS)
    previous_date = None if previous is None else pd.Timestamp(date[previous])
    return Card(
        indicator=indicator,
        location=location,
        kind=kind,
        latest=latest,
        figure=record_figure(latest),
        date_text=format_date(latest["date"]),
        change=None if previous is None else format_change(value[last], value[previous], previous_date),
        delta=None if previous is None else float(value[last]) - float(value[previous]),
        previous_date=None if previous_date is None else format_date(previous_date),
        trend=tuple(trend) if len(trend) > 1 else (),
        records=len(value),
    )


def _kind_codes(records: pd.DataFrame, rows: np.ndarray) -> tuple[np.ndarray, Callable[[int], tuple[str | None, ...]]]:
    """One integer per row (of `rows`) for its (outcome, measure, status, scope), and a row's values of them.

    Built column by column from each column's own codes, never turning the text columns into Python
    strings and grouping on them (slow on a big store)."""
    combined = np.zeros(len(rows), dtype=np.int64)
    keys: list[tuple[np.ndarray, Any]] = []
    for name in KIND_KEYS:
        if name in records:
            codes, values = pd.factorize(records[name], use_na_sentinel=False)
            codes = codes[rows]
        else:
            codes, values = np.zeros(len(rows), dtype=np.intp), [None]
        keys.append((codes, values))
        combined = combined * (len(values) + 1) + codes

    def values_at(row: int) -> tuple[str | None, ...]:
        return tuple(kind_value(values[codes[row]]) for codes, values in keys)

    return pd.factorize(combined)[0], values_at


def _codes(column: pd.Series, rows: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """The column's values at `rows` as integer codes in order of first appearance (-1: missing), and their texts.

    pandas factorizes a categorical by its codes and Arrow text in Arrow: no text made per row."""
    codes, uniques = pd.factorize(column.take(rows), use_na_sentinel=True)
    return codes, [str(value) for value in uniques]


def _groups(codes: np.ndarray) -> list[np.ndarray]:
    """The positions of each code, codes in order of first appearance, positions ascending."""
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(codes.max() + 2 if len(codes) else 1))
    return [order[bounds[code] : bounds[code + 1]] for code in range(len(bounds) - 1)]


def headline_cards(
    records: pd.DataFrame, max_locations: int = 8, max_kinds: int | None = None, *, full: pd.DataFrame | None = None
) -> dict[str, list[Card]]:
    """Per indicator, the cards of its `max_locations` most reported locations: each location's
    kinds, totals before parts and reported figures before projections, the most reported first.
    With `max_kinds`, a location gets that many cards at most; its last card names the kinds left
    out (other_kinds), so that a page of cards stays readable and none is dropped unsaid.

    Records must be sorted by date (Dataset.records is); undated records are left out. The work
    is done on arrays of the few columns it needs (categories turned to text once, not per row),
    so it stays cheap on wide, large frames. `records` may hold those columns only (CARD_COLUMNS)
    when `full` is given: the frame whose index labels they carry, every column of which the
    latest figures' cards show.
    """
    dated = np.flatnonzero(records["date"].notna().to_numpy())
    columns = {"counter": series_labels(records)[dated]}
    kind_codes, kind_at = _kind_codes(records, dated)
    columns["date"] = records["date"].to_numpy()[dated]
    columns["value"] = records["value"].to_numpy()[dated]
    labels = records.index.to_numpy()[dated]
    groups: list[tuple[str, str, Kind, np.ndarray, int]] = []
    left_out: dict[tuple[str, str], tuple[str, ...]] = {}
    indicator_codes, indicators = _codes(records["indicator"], dated)  # in order of first appearance, as groupby(sort=False)
    location_codes, location_names = _codes(records["location_label"], dated)
    for indicator, rows in zip(indicators, _groups(indicator_codes), strict=False):
        codes = location_codes[rows]
        counts = np.bincount(codes[codes >= 0], minlength=len(location_names))
        # The most figures first; between equal counts, the location seen first.
        seen = pd.unique(codes[codes >= 0])
        ranked = sorted(seen.tolist(), key=lambda code: -counts[code])[:max_locations]
        for code in ranked:
            location, count = location_names[code], int(counts[code])
            at = rows[codes == code]
            kinds = [
                (Kind(str(indicator), *kind_at(int(at[kind_rows[0]]))), at[kind_rows])
                for kind_rows in _groups(pd.factorize(kind_codes[at])[0])
            ]
            kinds.sort(key=lambda item: (item[0].rank, -len(item[1])))  # as the cards are ordered below
            kept = kinds[:max_kinds] if max_kinds else kinds
            groups.extend((str(indicator), str(location), kind, kind_rows, int(count)) for kind, kind_rows in kept)
            if len(kept) < len(kinds):
                left_out[(str(indicator), str(location))] = tuple(
                    f"{kind_label(kind)} ({len(kind_rows):,})" for kind, kind_rows in kinds[len(kept) :]
                )
    whole = records if full is None else full
    latest_rows = row_dicts(whole.loc[[labels[rows[-1]] for *_, rows, _ in groups]]) if groups else []
    cards: dict[str, list[tuple[tuple, Card]]] = {}
    for (indicator, location, kind, rows, location_records), latest in zip(groups, latest_rows, strict=True):
        of_kind = {name: columns[name][rows] for name in ("counter", "date", "value")}
        card = _card(indicator, location, kind, of_kind, latest)
        order = (-location_records, location, kind.rank, -card.records, card.kind_text)
        cards.setdefault(indicator, []).append((order, card))
    ordered = {indicator: [card for _, card in sorted(made, key=lambda item: item[0])] for indicator, made in cards.items()}
    for indicator, made in ordered.items():
        last = {card.location: index for index, card in enumerate(made)}
        for location, index in last.items():
            if (indicator, location) in left_out:
                made[index] = dataclasses.replace(made[index], other_kinds=left_out[(indicator, location)])
    return ordered


def location_count(records: pd.DataFrame, indicator: str) -> int:
    return int(records.loc[records["indicator"] == indicator, "location_label"].nunique())


def location_counts(records: pd.DataFrame) -> dict[str, int]:
    """location_count of every indicator at once: one pass over the (indicator, location) pairs' codes."""
    if records.empty:
        return {}
    indicator_codes, indicators = pd.factorize(records["indicator"])
    location_codes, locations = pd.factorize(records["location_label"])  # missing: -1, not counted (as nunique)
    present = (location_codes >= 0) & (indicator_codes >= 0)
    pairs = np.unique(indicator_codes[present].astype(np.int64) * (len(locations) + 1) + location_codes[present])
    counts = np.bincount(pairs // (len(locations) + 1), minlength=len(indicators))
    return {str(indicator): int(count) for indicator, count in zip(indicators, counts, strict=True)}
