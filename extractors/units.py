"""The project's one pint registry, and conversions of counted units to persons.

Households and families become persons through the `household_size`
context with the country's size from household_sizes.toml; rates become
persons per day. Conversion factors are cached: pint is exact but not fast.
"""

from __future__ import annotations

import functools

import pint

from .vocabulary import DATA_DIR, vocabulary

PERSON = "person"
PERSON_PER_DAY = "person / day"


@functools.cache
def registry() -> pint.UnitRegistry:
    """The unit registry, defined by data/units.txt alone."""
    units = pint.UnitRegistry(filename=None)
    units.load_definitions(str(DATA_DIR / "units.txt"))
    return units


def household_size(iso3: str | None) -> float:
    """Persons per household for a country, or the documented default."""
    vocab = vocabulary()
    return vocab.household_sizes.get(iso3 or "", vocab.default_household_size)


@functools.cache
def persons_per(unit: str, iso3: str | None = None) -> float:
    """How many persons one `unit` (person, household, family) stands for in a country."""
    units = registry()
    quantity = units.Quantity(1, unit)
    if quantity.check("[person]"):
        return 1.0
    return float(quantity.to(PERSON, "household_size", size=household_size(iso3)).magnitude)


@functools.cache
def per_day(time_unit: str) -> float:
    """Factor from persons per `time_unit` (week, month, hour) to persons per day."""
    return float(registry().Quantity(1, f"{PERSON} / {time_unit}").to(PERSON_PER_DAY).magnitude)
