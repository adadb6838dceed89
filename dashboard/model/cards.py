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
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from dashboard.model import origins
from dashboard.model.analysis import record_figure
from dashboard.model.data import row_dicts
from dashboard.model.formatting import format_change, format_date, is_missing
from dashboard.model.kinds import KIND_FIELDS, Kind, kind_label, kind_value

TREND_POINTS = 24
KIND_KEYS = KIND_FIELDS[1:]  # the indicator is grouped first


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
    changes = np.empty(len(dates), dtype=bool)
    changes[0] = True
    np.not_equal(dates[1:], dates[:-1], out=changes[1:])
    starts = np.flatnonzero(changes)[-count:]
    # All the dates at once (a card's trend has up to `count` of them, a date thousands of figures):
    # the values sorted within each date, then the middle one, or the mean of the two middle ones, as pandas.
    day = np.repeat(np.arange(len(starts)), np.diff(starts, append=len(dates)))
    latest = values[starts[0] :].astype(float)
    present = ~np.isnan(latest)
    day, latest = day[present], latest[present]
    order = np.lexsort((latest, day))
    latest = latest[order]
    sizes = np.bincount(day, minlength=len(starts))
    begins = np.cumsum(sizes) - sizes
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


@dataclass(frozen=True)
class CardCodes:
    """What the cards read of every record of a frame, as arrays and integer codes (-1: missing).

    Made once per store state (dashboard.ui.cards_ui): a view's cards then take a few integer arrays
    at its rows, rather than its text columns, and group them without hashing text."""

    dated: np.ndarray  # per record: has a date
    date: np.ndarray
    value: np.ndarray
    indicator: np.ndarray
    indicators: list[str]
    location: np.ndarray
    locations: list[str]
    kind: np.ndarray  # one code per (outcome, measure, status, scope)
    kinds: list[tuple[str | None, ...]]
    counter: np.ndarray  # who counted it: one code per series label (origins.series_label_codes)


def card_codes(records: pd.DataFrame) -> CardCodes:
    """The CardCodes of `records`: their date, indicator, location_label, value, originator and source, and the kind's
    columns (a missing one counts as unstated)."""
    indicator, indicators = _codes(records["indicator"])
    location, locations = _codes(records["location_label"])
    counter, _ = origins.series_label_codes(records)
    kind, kinds = _kind_codes(records)
    return CardCodes(
        dated=records["date"].notna().to_numpy(),
        date=records["date"].to_numpy(),
        value=records["value"].to_numpy(),
        indicator=indicator,
        indicators=indicators,
        location=location,
        locations=locations,
        kind=_small(kind),
        kinds=kinds,
        counter=_small(counter),
    )


def _codes(column: pd.Series) -> tuple[np.ndarray, list[str]]:
    """The column as integer codes (-1: missing) and their texts; a categorical by its codes, Arrow text in Arrow."""
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    return _small(codes), [str(value) for value in uniques]


def _small(codes: np.ndarray) -> np.ndarray:
    """Codes in the smallest signed integer type that holds them: a million records' codes in 1-4 MB, not 8."""
    # The type of -(largest + 1) holds the largest too: that of -largest would be int8 for 128, which int8 cannot hold.
    return codes.astype(np.min_scalar_type(-int(codes.max(initial=0)) - 1))


def _kind_codes(records: pd.DataFrame) -> tuple[np.ndarray, list[tuple[str | None, ...]]]:
    """One integer per record for its (outcome, measure, status, scope), and each integer's values.

    Built column by column from each column's own codes, never turning the text columns into Python
    strings and grouping on them (slow on a big store)."""
    combined = np.zeros(len(records), dtype=np.int64)
    keys: list[list[Any]] = []
    for name in KIND_KEYS:
        if name in records:
            codes, uniques = pd.factorize(records[name], use_na_sentinel=False)
            values = uniques.tolist()
        else:
            codes, values = np.zeros(len(records), dtype=np.intp), [None]
        keys.append(values)
        combined = combined * (len(values) + 1) + codes
    kind, uniques = pd.factorize(combined)
    kinds = []
    for unique in uniques.tolist():
        parts = []
        for values in reversed(keys):
            unique, code = divmod(unique, len(values) + 1)
            parts.append(kind_value(values[code]))
        kinds.append(tuple(reversed(parts)))
    return kind, kinds


def _renumbered(codes: np.ndarray, names: list[str]) -> tuple[np.ndarray, list[str]]:
    """Codes renumbered in order of first appearance (missing stays -1), and their names."""
    local, uniques = pd.factorize(codes)
    missing = np.flatnonzero(uniques < 0)
    if len(missing):
        local = np.where(local == missing[0], -1, local - (local > missing[0]))
        uniques = np.delete(uniques, missing[0])
    return local, [names[unique] for unique in uniques.tolist()]


def _groups(codes: np.ndarray) -> list[np.ndarray]:
    """The positions of each code, codes in order of first appearance, positions ascending."""
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(codes.max() + 2 if len(codes) else 1))
    return [order[bounds[code] : bounds[code + 1]] for code in range(len(bounds) - 1)]


def headline_cards(records: pd.DataFrame, max_locations: int = 8, max_kinds: int | None = None) -> dict[str, list[Card]]:
    """Per indicator, the cards of its `max_locations` most reported locations: each location's
    kinds, totals before parts and reported figures before projections, the most reported first.
    With `max_kinds`, a location gets that many cards at most; its last card names the kinds left
    out (other_kinds), so that a page of cards stays readable and none is dropped unsaid.

    Records must be sorted by date (Dataset.records is); undated records are left out."""
    return cards_at(card_codes(records), None, records, max_locations, max_kinds)


def cards_at(
    codes: CardCodes, rows: np.ndarray | None, full: pd.DataFrame, max_locations: int = 8, max_kinds: int | None = None
) -> dict[str, list[Card]]:
    """headline_cards of the records of `full` at positions `rows` (None: all of them), `codes` being card_codes(full).

    Only the latest figures' rows of `full` are taken whole, for what their cards show."""
    dated = np.flatnonzero(codes.dated) if rows is None else rows[codes.dated[rows]]
    columns = {"counter": codes.counter[dated], "date": codes.date[dated], "value": codes.value[dated]}
    kind_codes = codes.kind[dated]
    groups: list[tuple[str, str, Kind, np.ndarray, int]] = []
    left_out: dict[tuple[str, str], tuple[str, ...]] = {}
    # In order of first appearance, as groupby(sort=False); between equal counts, the location seen first.
    indicator_codes, indicators = _renumbered(codes.indicator[dated], codes.indicators)
    location_codes, location_names = _renumbered(codes.location[dated], codes.locations)
    for indicator, rows_of in zip(indicators, _groups(indicator_codes), strict=False):
        located = location_codes[rows_of]
        counts = np.bincount(located[located >= 0], minlength=len(location_names))
        seen = pd.unique(located[located >= 0])
        ranked = sorted(seen.tolist(), key=lambda code: -counts[code])[:max_locations]
        for code in ranked:
            location, count = location_names[code], int(counts[code])
            at = rows_of[located == code]
            kinds = [
                (Kind(str(indicator), *codes.kinds[kind_codes[at[kind_rows[0]]]]), at[kind_rows])
                for kind_rows in _groups(pd.factorize(kind_codes[at])[0])
            ]
            kinds.sort(key=lambda item: (item[0].rank, -len(item[1])))  # as the cards are ordered below
            kept = kinds[:max_kinds] if max_kinds else kinds
            groups.extend((str(indicator), str(location), kind, kind_rows, int(count)) for kind, kind_rows in kept)
            if len(kept) < len(kinds):
                left_out[(str(indicator), str(location))] = tuple(
                    f"{kind_label(kind)} ({len(kind_rows):,})" for kind, kind_rows in kinds[len(kept) :]
                )
    latest_rows = row_dicts(full.take([int(dated[rows[-1]]) for *_, rows, _ in groups])) if groups else []
    cards: dict[str, list[tuple[tuple, Card]]] = {}
    for (indicator, location, kind, rows_of_kind, location_records), latest in zip(groups, latest_rows, strict=True):
        of_kind = {name: columns[name][rows_of_kind] for name in ("counter", "date", "value")}
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
    indicator, indicators = _codes(records["indicator"])
    location, locations = _codes(records["location_label"])  # missing: -1, not counted (as nunique)
    return _location_counts(indicator, indicators, location, len(locations))


def location_counts_at(codes: CardCodes, rows: np.ndarray | None) -> dict[str, int]:
    """location_counts of the records at positions `rows` (None: all of them), from their card codes."""
    indicator = codes.indicator if rows is None else codes.indicator[rows]
    location = codes.location if rows is None else codes.location[rows]
    return _location_counts(indicator, codes.indicators, location, len(codes.locations))


def _location_counts(indicator: np.ndarray, indicators: list[str], location: np.ndarray, locations: int) -> dict[str, int]:
    # A table of (indicator, location) pairs seen, counted by bins rather than sorted: its size is the codes', not the records'.
    present = (location >= 0) & (indicator >= 0)
    pairs = indicator[present].astype(np.int64) * locations + location[present]
    seen = np.bincount(pairs, minlength=len(indicators) * locations).reshape(len(indicators), locations) > 0
    shown = np.zeros(len(indicators), dtype=bool)
    shown[indicator[indicator >= 0]] = True
    return {name: int(count) for name, count, present in zip(indicators, seen.sum(axis=1), shown, strict=True) if present}
