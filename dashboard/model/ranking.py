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


def place_keys(records: pd.DataFrame, level: str) -> pd.Series:
    """Each record's place at a level ("Sudan", or "Sudan › North Darfur"); None where it has none."""
    if level == "country":
        placed = records["location_iso3"].notna() & (records["location_iso3"].astype(object) != "")
        return records["location_label"].astype(object).where(placed, None)
    if "admin1" not in records:
        return pd.Series(None, index=records.index, dtype=object)
    labels = [
        area_label(str(country), str(admin1)) if isinstance(admin1, str) and admin1 else None
        for country, admin1 in zip(records["location_label"].astype(object), records["admin1"].astype(object), strict=True)
    ]
    return pd.Series(labels, index=records.index, dtype=object)


class Ranking(NamedTuple):
    table: pd.DataFrame  # one row per place, largest figure first: the latest record's columns plus place, rank, change
    unplaced: int  # figures of the kind left out: no place at this level


def originators(records: pd.DataFrame) -> pd.Series:
    """Who counted each figure: its originator, else who the sentence credits, else the source."""
    names = (
        records["originator"].astype(object) if "originator" in records else pd.Series(None, index=records.index, dtype=object)
    )
    for fallback in ("attribution", "source"):
        names = names.where(names.notna() & (names != ""), records[fallback].astype(object))
    return names


RANK_COLUMNS = ("location_iso3", "location_label", "admin1", "date", "value", "originator", "attribution", "source")
"""The columns the ranking reads of every figure of the kind; the others are taken for the latest figures only."""


def ranking(records: pd.DataFrame, kind: MapKind, level: str = "country", *, full: pd.DataFrame | None = None) -> Ranking:
    """The latest figure of the kind at each place (records sorted by date, as prepare_records leaves them), its
    change since the same originator's first figure of the period where the measure allows, largest first.

    With `full`, the frame whose index labels `records` carry, `records` may hold the kind's columns and
    RANK_COLUMNS only: the ranked rows are taken from `full`, with its columns."""
    positions = np.flatnonzero(kind_mask(records, kind))
    rows = records[[name for name in RANK_COLUMNS if name in records]].iloc[positions].assign(_row=positions)
    places = place_keys(rows, level)
    placed = places.notna().to_numpy()
    # Both taken at the kept rows: a longer Series assigned to a frame left with no row would give it its rows.
    kept = rows[placed].assign(place=places[placed], counted_by=originators(rows)[placed])
    if level == "country" and "admin1" in kept:
        # A country's own total, where it has one, rather than a later figure of one of its areas.
        in_area = kept["admin1"].notna().to_numpy() & (kept["admin1"].astype(object) != "").to_numpy()
        whole = set(kept.loc[~in_area, "place"])
        kept = kept[~(in_area & kept["place"].isin(whole).to_numpy())]
    unplaced = len(rows) - len(kept)
    if kept.empty:
        empty = (
            (records if full is None else full).iloc[:0].assign(place=pd.Series(dtype=object), counted_by=pd.Series(dtype=object))
        )
        return Ranking(empty.assign(rank=pd.Series(dtype="int64"), change=pd.Series(dtype="float64"), figures=0), unplaced)
    dated = kept[kept["date"].notna().to_numpy()] if kept["date"].notna().any() else kept
    latest = dated.groupby("place", sort=False, observed=True).tail(1)[["_row", "place", "counted_by"]]
    first = dated.groupby(["place", "counted_by"], sort=False, observed=True).head(1)[["place", "counted_by", "value", "date"]]
    first = first.rename(columns={"value": "value_first", "date": "date_first"})
    found = latest.merge(first, on=["place", "counted_by"], how="left")
    # Every column of the latest figures only: a place's row, not every figure of the kind.
    ranked = found["_row"].to_numpy()
    table = (records.iloc[ranked] if full is None else full.loc[records.index[ranked]]).reset_index(drop=True)
    table = table.assign(place=found["place"], counted_by=found["counted_by"], date_first=found["date_first"])
    counts = kept["place"].value_counts()
    table["figures"] = table["place"].map(counts).astype("int64")
    change = table["value"] - found["value_first"]
    comparable = (table["date_first"] < table["date"]).to_numpy(dtype=bool, na_value=False) & (kind.measure in CHANGE_MEASURES)
    table["change"] = change.where(comparable, np.nan)
    table = table.sort_values(["value", "place"], ascending=[False, True], kind="stable").reset_index(drop=True)
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    return Ranking(table, unplaced)


def cited(table: pd.DataFrame) -> pd.Series:
    """Each figure as its report cites it: 'at least 62', '2.1 million people'."""
    parts = [table[name].astype(object).fillna("").astype(str) for name in ("raw_qualifier", "raw_value", "raw_unit")]
    return (parts[0] + " " + parts[1] + " " + parts[2]).str.split().str.join(" ")
