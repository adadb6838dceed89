"""Places below the country for the location filter: choices, any name of a place, and who matches. Pure.

A location choice is a country ("Sudan"), one of its first- or second-level areas ("Sudan ›
North Darfur", "Sudan › North Darfur › El Fasher") or a region grouping first-level areas
("Sudan › Darfur"), as the records' admin1 and admin2 columns give them
(extractors/gazetteer.py). A country includes its areas; an area is found by any of its
names and spellings ("Gaza", "Gaza Strip", "قطاع غزة" all find "Palestine › Gaza Strip").
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from extractors.datafiles import word_lists
from extractors.gazetteer import Gazetteer, gazetteer

SEPARATOR = " › "
MAX_SHOWN_NAMES = 4  # other names shown beside a choice, so that typing one finds it


def area_label(country: str, *areas: str) -> str:
    """The choice for an area: area_label("Sudan", "North Darfur") == "Sudan › North Darfur"."""
    return SEPARATOR.join((country, *areas))


def split_label(label: str) -> list[str]:
    return label.split(SEPARATOR)


@functools.cache
def country_codes() -> dict[str, str]:
    """Country name as records store it -> ISO 3166-1 alpha-3 (extractors/data/en/places.toml)."""
    return {spec["name"]: str(spec.get("iso3", key)) for key, spec in word_lists("places").items()}


def _text(values: pd.Series) -> np.ndarray:
    return values.astype(object).where(values.notna(), "").to_numpy(dtype=object)


def _present(labels: pd.Series) -> Any:
    """pd.unique(labels.astype(str)): for a categorical without missing values, the categories its codes use
    (not a text per record)."""
    if isinstance(labels.dtype, pd.CategoricalDtype):
        codes = labels.cat.codes.to_numpy()
        if len(codes) and codes.min() >= 0:
            return labels.cat.categories[np.bincount(codes, minlength=len(labels.cat.categories)) > 0]
    return pd.unique(labels.astype(str))


def location_choices(records: pd.DataFrame, gaz: Gazetteer | None = None) -> tuple[str, ...]:
    """The countries there are, each followed by its areas and regions that the records name."""
    gaz = gaz or gazetteer()
    countries = sorted(map(str, _present(records["location_label"]))) if not records.empty else []
    if "admin1" not in records or records.empty:
        return tuple(countries)
    placed = records.loc[records["admin1"].notna(), ["location_label", "admin1", "admin2"]]
    pairs = placed.drop_duplicates()
    labels = set(countries)
    for country, admin1, admin2 in zip(
        _text(pairs["location_label"]), _text(pairs["admin1"]), _text(pairs["admin2"]), strict=True
    ):
        labels.add(area_label(country, admin1))
        if admin2:
            labels.add(area_label(country, admin1, admin2))
        iso3 = country_codes().get(country, "")
        labels.update(
            area_label(country, region.name) for region in gaz.regions if region.iso3 == iso3 and admin1 in region.areas
        )
    region_names = {name for region in gaz.regions for name in region.names}
    named = records.loc[records["place"].isin(region_names), ["location_label", "place"]].drop_duplicates()
    for country, place in zip(_text(named["location_label"]), _text(named["place"]), strict=True):
        iso3 = country_codes().get(country, "")
        labels.update(area_label(country, region.name) for region in gaz.regions if region.iso3 == iso3 and place in region.names)
    return tuple(sorted(labels))


def _names_of(label: str, gaz: Gazetteer) -> tuple[str, ...]:
    """Every name of the area or region a choice stands for (its own first); () for a country."""
    parts = split_label(label)
    if len(parts) < 2:
        return ()
    iso3 = country_codes().get(parts[0], "")
    region = next((r for r in gaz.regions if r.iso3 == iso3 and r.name == parts[-1]), None)
    if region is not None and len(parts) == 2:
        return region.names
    area = gaz.by_name.get((iso3, parts[-1]))
    return area.names if area is not None and area.name == parts[-1] else (parts[-1],)


def location_aliases(choices: Iterable[str], gaz: Gazetteer | None = None) -> dict[str, str]:
    """Any name of a chosen-from place, case-folded -> its choice: {"قطاع غزة": "Palestine › Gaza Strip", ...}.

    A name that two choices share (a region and one of its areas) goes to the larger place."""
    gaz = gaz or gazetteer()
    aliases: dict[str, str] = {}
    for label in sorted(choices, key=lambda label: -len(split_label(label))):  # the larger place last, so it wins
        for name in _names_of(label, gaz):
            aliases[name.casefold()] = label
        aliases[label.casefold()] = label
    return aliases


def searchable_label(label: str, gaz: Gazetteer | None = None) -> str:
    """A choice as the sidebar shows it: with a few other names, so that typing "قطاع غزة" finds it."""
    others = _names_of(label, gaz or gazetteer())[1:]
    shown = [name for name in others if name[:1].isupper() or not name[:1].isascii()][:MAX_SHOWN_NAMES]
    return f"{label} ({', '.join(shown)})" if shown else label


def location_mask(records: pd.DataFrame, choices: Iterable[str], gaz: Gazetteer | None = None) -> np.ndarray:
    """The records at any of the chosen places, as a boolean array: a country with all its areas,
    an area with the areas below it, a region with its areas and the records that name it."""
    gaz = gaz or gazetteer()
    chosen = tuple(choices)
    countries = [label for label in chosen if len(split_label(label)) == 1]
    mask = np.array(records["location_label"].isin(countries).to_numpy(dtype=bool))  # a copy: it is written to
    for label in chosen:
        parts = split_label(label)
        if len(parts) == 1 or "admin1" not in records:
            continue
        in_country = (records["location_label"] == parts[0]).to_numpy(dtype=bool)
        iso3 = country_codes().get(parts[0], "")
        region = next((r for r in gaz.regions if r.iso3 == iso3 and r.name == parts[1]), None)
        if len(parts) == 2 and region is not None:
            here = records["admin1"].isin(region.areas) | records["place"].isin(region.names)
        elif len(parts) == 2:
            here = records["admin1"] == parts[1]
        else:
            here = (records["admin1"] == parts[1]) & (records["admin2"] == parts[2])
        mask |= in_country & here.to_numpy(dtype=bool, na_value=False)
    return mask
