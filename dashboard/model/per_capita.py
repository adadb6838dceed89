"""Figures per person: per 100,000 people and share of the population, from reference/populations.csv. Pure.

A figure is divided only by the population of its own place, from a file that says its source
and year (reference/README.md); a place without one keeps its figure alone and is named, never
given a neighbour's or a guessed population.
"""

from __future__ import annotations

import csv
import functools
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from dashboard.model.places import SEPARATOR

POPULATIONS_FILE = Path(__file__).with_name("reference") / "populations.csv"
PER_PEOPLE = 100_000
VIEWS = {"figures": "As reported", "per100k": "Per 100,000 people", "share": "Share of the population"}


class Population(NamedTuple):
    people: int
    year: int
    source: str


@functools.cache
def populations() -> dict[tuple[str, str], Population]:
    """(iso3, area) -> its population; area "" for the whole country."""
    with POPULATIONS_FILE.open(encoding="utf-8", newline="") as handle:
        return {
            (row["iso3"], row["area"]): Population(int(row["population"]), int(row["year"]), row["source"])
            for row in csv.DictReader(handle)
        }


def population_of(iso3: object, area: object = "") -> Population | None:
    """The population of a country (area "") or of one of its areas, if the file gives it."""
    if not isinstance(iso3, str) or not iso3:
        return None
    return populations().get((iso3, area if isinstance(area, str) else ""))


def counted_place(table: pd.DataFrame) -> list[str]:
    """Where each figure was counted: its country, or its first-level area ("Palestine › Gaza Strip")."""
    areas = table["admin1"].astype(object) if "admin1" in table else pd.Series(None, index=table.index, dtype=object)
    return [
        f"{country}{SEPARATOR}{area}" if isinstance(area, str) and area else str(country)
        for country, area in zip(table["location_label"].astype(object), areas, strict=True)
    ]


def per_person(table: pd.DataFrame) -> pd.DataFrame:
    """The ranking with `population`, `population_note`, `per100k` and `share` (NaN without a population).

    The population is that of the place the figure counts: a country's for a figure of the whole
    country, an area's for a figure of an area (Gaza Strip deaths are not divided by Palestine's
    population, even on the country map)."""
    areas = table["admin1"].astype(object) if "admin1" in table else pd.Series(None, index=table.index, dtype=object)
    found = [
        population_of(iso3, area if isinstance(area, str) else "")
        for iso3, area in zip(table["location_iso3"], areas, strict=True)
    ]
    people = np.array([p.people if p else np.nan for p in found], dtype="float64")
    values = table["value"].to_numpy(dtype="float64")
    return table.assign(
        population=people,
        population_note=[f"{p.source}, {p.year}" if p else "" for p in found],
        per100k=values / people * PER_PEOPLE,
        share=values / people,
    )


def missing_populations(table: pd.DataFrame) -> list[str]:
    """Where the figures of a per_person table without a population figure were counted."""
    return [place for place, people in zip(counted_place(table), table["population"], strict=True) if np.isnan(people)]


def missing_text(places: list[str]) -> str:
    """'No population figure for Sudan › North Darfur: shown as reported.'"""
    if not places:
        return ""
    shown = ", ".join(places[:5]) + (f" and {len(places) - 5:,} more" if len(places) > 5 else "")
    return f"No population figure for {shown}: not divided, left out of the per-person map."
