"""The Map page's ranking: the latest figure of one kind per place, and its change over the period. Pure.

Like is compared with like (dashboard.model.kinds): one indicator, outcome, measure and status,
totals only, among the figures the filters keep (headline figures by default). A place is a
country (`country`) or a first-level area (`admin1`, "Sudan › North Darfur"); figures without
one (worldwide totals, a country's own total at the admin1 level) are left out and counted.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from dashboard.model.kinds import Kind, kind_label, kind_value
from dashboard.model.places import area_label

LEVELS = {"country": "Country", "admin1": "First-level area (state, province, governorate)"}
CHANGE_MEASURES = frozenset({"cumulative", "snapshot"})
"""Measures whose two figures of one originator subtract to a change (a running total, a stock);
two figures over different periods (a week's deaths, a month's) do not."""
KIND_COLUMNS = ("outcome", "measure", "status")


class MapKind(NamedTuple):
    """One kind of figure to map: an indicator's outcome, measure and status."""

    indicator: str
    outcome: str | None
    measure: str | None
    status: str | None

    @property
    def key(self) -> str:
        """Its URL value: 'killed|cumulative|reported' (the indicator is the map= parameter)."""
        return "|".join(value or "" for value in (self.outcome, self.measure, self.status))

    @property
    def label(self) -> str:
        return kind_label(Kind(self.indicator, self.outcome, self.measure, self.status, "total"))


def _totals_mask(records: pd.DataFrame) -> np.ndarray:
    """Which records are totals, not parts (a record that does not say is a total)."""
    if "scope" not in records:
        return np.ones(len(records), dtype=bool)
    return (records["scope"] != "part").to_numpy(dtype=bool, na_value=True)


def map_kinds(records: pd.DataFrame, indicator: str) -> list[MapKind]:
    """The kinds of an indicator's totals among the records, the most figures first (then by their fields' text)."""
    rows = records[(records["indicator"] == indicator).to_numpy(dtype=bool, na_value=False) & _totals_mask(records)]
    if rows.empty:
        return []
    names = [name for name in KIND_COLUMNS if name in rows]
    counts: dict[tuple[str | None, ...], int] = {}
    # Grouped in the columns' own types (category codes, Arrow text): no text made per row. A missing field and an
    # empty one are the same kind, so their groups are added up.
    groups = rows.groupby(names, observed=True, dropna=False, sort=False).size() if names else pd.Series({(): len(rows)})
    for key, count in groups.items():
        values = dict(zip(names, key if isinstance(key, tuple) else (key,), strict=True))
        kind = tuple(kind_value(values.get(name)) for name in KIND_COLUMNS)
        counts[kind] = counts.get(kind, 0) + int(count)
    ordered = sorted(counts, key=lambda kind: (-counts[kind], tuple(value or "" for value in kind)))
    return [MapKind(indicator, *kind) for kind in ordered]


def kind_of_key(kinds: list[MapKind], key: str | None) -> MapKind | None:
    """The kind a URL value names, if it is among those there are."""
    return next((kind for kind in kinds if kind.key == key), None)


def kind_mask(records: pd.DataFrame, kind: MapKind) -> np.ndarray:
    """Which records are totals of the kind: its indicator, outcome, measure and status, not parts."""
    mask = np.array((records["indicator"] == kind.indicator).to_numpy(dtype=bool, na_value=False))  # a copy: written to
    for name, value in zip(KIND_COLUMNS, kind[1:], strict=True):
        if name not in records:
            mask &= value is None
            continue
        # Compared in the column's own type (Arrow text, categories): no Python string per row.
        column = records[name]
        mask &= column.isna().to_numpy() if value is None else (column == value).to_numpy(dtype=bool, na_value=False)
    return mask & _totals_mask(records)


def _codes(column: pd.Series, *, empty_missing: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Each row's value as a code into the column's distinct values (an object array); -1 where it is missing, or
    empty with `empty_missing`. Made from category codes or an Arrow dictionary: no Python object for each row."""
    codes, uniques = pd.factorize(column)
    uniques = np.asarray(uniques, dtype=object)
    if empty_missing:
        codes = np.where(np.isin(codes, np.flatnonzero(uniques == "")), -1, codes)
    return codes, uniques


def _first_present(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """The first of several columns' values present in each row, as codes (-1: none) into their values together."""
    together = np.concatenate([uniques for _, uniques in parts])
    found = np.full(len(parts[0][0]), -1, dtype=np.int64)
    if not len(together):
        return found, together
    codes, uniques = pd.factorize(together)  # the same text in two columns: one code
    offset = 0
    for part_codes, part_uniques in parts:
        found = np.where((found < 0) & (part_codes >= 0), codes[offset + part_codes], found)
        offset += len(part_uniques)
    return found, np.asarray(uniques, dtype=object)


def _places(rows: pd.DataFrame, level: str) -> tuple[np.ndarray, np.ndarray]:
    """Each row's place at a level as a code (-1: none) into the places' names ("Sudan", "Sudan › North Darfur")."""
    if level == "country":
        codes, names = _codes(rows["location_label"], empty_missing=False)
        iso3 = rows["location_iso3"]
        coded = iso3.notna().to_numpy() & (iso3 != "").to_numpy(dtype=bool, na_value=False)
        return np.where(coded, codes, -1), names
    if "admin1" not in rows:
        return np.full(len(rows), -1), np.array([], dtype=object)
    areas, area_names = _codes(rows["admin1"])
    countries, country_names = pd.factorize(rows["location_label"], use_na_sentinel=False)
    pairs = countries.astype(np.int64) * len(area_names) + areas
    distinct, inverse = np.unique(pairs[areas >= 0], return_inverse=True)
    labels = [
        area_label(str(country_names[pair // len(area_names)]), str(area_names[pair % len(area_names)])) for pair in distinct
    ]
    label_codes, names = pd.factorize(np.array(labels, dtype=object))  # two spellings may give one label
    codes = np.full(len(rows), -1, dtype=np.int64)
    codes[areas >= 0] = label_codes[inverse]
    return codes, np.asarray(names, dtype=object)


def _counted_by(rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Who counted each figure, as codes (-1: no one) into the names: its originator, else who the sentence
    credits, else the source."""
    fallbacks = [_codes(rows[name]) for name in ("originator", "attribution") if name in rows]
    return _first_present([*fallbacks, _codes(rows["source"], empty_missing=False)])


class Ranking(NamedTuple):
    table: pd.DataFrame  # one row per place, largest figure first: the latest record's columns plus place, rank, change
    unplaced: int  # figures of the kind left out: no place at this level


RANK_COLUMNS = ("location_iso3", "location_label", "admin1", "date", "value", "originator", "attribution", "source")
"""The columns the ranking reads of every figure of the kind; the others are taken for the latest figures only."""


def ranking(records: pd.DataFrame, kind: MapKind, level: str = "country", *, full: pd.DataFrame | None = None) -> Ranking:
    """The latest figure of the kind at each place (records sorted by date, as prepare_records leaves them), its
    change since the same originator's first figure of the period where the measure allows, largest first.

    With `full`, the frame whose index labels `records` carry, `records` may hold the kind's columns and
    RANK_COLUMNS only: the ranked rows are taken from `full`, with its columns."""
    positions = np.flatnonzero(kind_mask(records, kind))
    names = [name for name in RANK_COLUMNS if name in records]
    # Taken only when some records are of another kind: the Map passes the kind's figures alone.
    rows = (
        records[names]
        if len(positions) == len(records)
        else pd.DataFrame({name: records[name].take(positions) for name in names})
    )
    # Grouped on integer codes: the kind may have a hundred thousand figures, the places a few dozen.
    place, place_names = _places(rows, level)
    kept = place >= 0
    if level == "country" and "admin1" in rows:
        # A country's own total, where it has one, rather than a later figure of one of its areas.
        in_area = _codes(rows["admin1"])[0] >= 0
        whole = np.zeros(len(place_names), dtype=bool)
        whole[place[kept & ~in_area]] = True
        kept &= ~(in_area & whole[np.maximum(place, 0)])
    unplaced = int(len(rows) - kept.sum())
    if not kept.any():
        empty = (
            (records if full is None else full).iloc[:0].assign(place=pd.Series(dtype=object), counted_by=pd.Series(dtype=object))
        )
        return Ranking(empty.assign(rank=pd.Series(dtype="int64"), change=pd.Series(dtype="float64"), figures=0), unplaced)
    figures = np.bincount(place[kept], minlength=len(place_names))
    dates = rows["date"].to_numpy(dtype="datetime64[ns]")
    if (kept & ~np.isnat(dates)).any():
        kept &= ~np.isnat(dates)
    at = np.flatnonzero(kept)  # in date order
    counted, counted_names = _counted_by(rows)
    # A place's latest figure: its first in reverse order. An originator's first figure at the place: its first.
    places, reversed_at = np.unique(place[at][::-1], return_index=True)
    latest = at[len(at) - 1 - reversed_at]
    pairs = place[at] * (len(counted_names) + 1) + (counted[at] + 1)
    pair_keys, pair_at = np.unique(pairs, return_index=True)
    first = at[pair_at[np.searchsorted(pair_keys, place[latest] * (len(counted_names) + 1) + (counted[latest] + 1))]]
    table = (records.iloc[positions[latest]] if full is None else full.loc[records.index[positions[latest]]]).reset_index(
        drop=True
    )
    by = counted[latest]
    table = table.assign(
        place=pd.Series(place_names[places], dtype=object),
        counted_by=pd.Series(np.where(by >= 0, counted_names[by], None), dtype=object) if len(counted_names) else None,
        date_first=rows["date"].iloc[first].to_numpy(),
        figures=figures[places].astype("int64"),
    )
    change = table["value"].to_numpy(dtype=float) - rows["value"].to_numpy(dtype=float)[first]
    comparable = (dates[first] < dates[latest]) & (by >= 0) & (kind.measure in CHANGE_MEASURES)
    table["change"] = np.where(comparable, change, np.nan)
    table = table.sort_values(["value", "place"], ascending=[False, True], kind="stable").reset_index(drop=True)
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    return Ranking(table, unplaced)


def cited(table: pd.DataFrame) -> pd.Series:
    """Each figure as its report cites it: 'at least 62', '2.1 million people'."""
    parts = [table[name].astype(object).fillna("").astype(str) for name in ("raw_qualifier", "raw_value", "raw_unit")]
    return (parts[0] + " " + parts[1] + " " + parts[2]).str.split().str.join(" ")
