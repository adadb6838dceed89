"""Units: the project's own pint registry, household sizes, and rates per day."""

from __future__ import annotations

import functools
import math
import tomllib
from pathlib import Path

import pint
import pytest

from extractors import extract
from extractors.units import PERSON, PERSON_PER_DAY, household_size, per_day, persons_per, registry

DATA_DIR = Path(__file__).resolve().parents[1] / "extractors" / "data"


@functools.cache
def _default_pint_registry() -> pint.UnitRegistry:
    return pint.UnitRegistry()


def _household_sizes() -> dict:
    with (DATA_DIR / "household_sizes.toml").open("rb") as handle:
        return tomllib.load(handle)


def test_registry_defines_the_project_units() -> None:
    units = registry()
    assert units is registry(), "the registry is built once"
    for name in ("person", "persons", "people", "household", "households", "family", "families", "day", "week"):
        assert name in units, name
    assert units.Quantity(1, "people").check("[person]")
    assert not units.Quantity(1, "household").check("[person]"), "households are not persons without a size"


@pytest.mark.parametrize("foreign", ["meter", "gram", "inch", "mile", "kelvin", "byte"])
def test_registry_is_loaded_from_units_txt_only(foreign: str) -> None:
    """pint's default definitions are not loaded: only data/units.txt."""
    assert foreign not in registry()
    assert foreign in _default_pint_registry(), "sanity: the default registry does know it"


def test_every_unit_the_registry_knows_is_written_in_units_txt() -> None:
    text = (DATA_DIR / "units.txt").read_text(encoding="utf-8")
    defined = {line.split("=")[0].strip() for line in text.splitlines() if "=" in line and not line.startswith(("#", "@"))}
    assert {"person", "household", "family", "day", "week", "month"} <= defined
    for name in defined:
        assert name in registry(), name


def test_household_sizes_come_from_the_data_file() -> None:
    sizes = _household_sizes()
    assert sizes["default"] == 5.0
    assert sizes["countries"]["PSE"]["size"] == 5.6
    assert household_size("PSE") == 5.6
    assert household_size("SDN") == 5.0
    assert household_size(None) == 5.0
    assert household_size("XXX") == sizes["default"]


@pytest.mark.parametrize(
    ("unit", "iso3", "persons"),
    [
        ("household", "PSE", 5.6),
        ("households", "PSE", 5.6),
        ("family", "PSE", 5.6),
        ("household", "SDN", 5.0),
        ("families", "COD", 5.0),
        ("family", None, 5.0),
        ("person", "PSE", 1.0),
        ("people", None, 1.0),
    ],
)
def test_persons_per_unit(unit: str, iso3: str | None, persons: float) -> None:
    assert math.isclose(persons_per(unit, iso3), persons)


@pytest.mark.parametrize(
    ("time_unit", "factor"),
    [("day", 1.0), ("week", 1 / 7), ("hour", 24.0), ("month", 1 / 30.4375)],
)
def test_rates_become_persons_per_day(time_unit: str, factor: float) -> None:
    assert math.isclose(per_day(time_unit), factor)


def test_unit_names_are_the_contracts() -> None:
    assert (PERSON, PERSON_PER_DAY) == ("person", "person / day")


def test_500_families_fled_in_sudan(one_record) -> None:
    record = one_record("500 families fled El Fasher.")
    assert record.raw_unit == "families"
    assert record.unit_factor == 5.0
    assert record.value == 2500.0
    assert (record.low, record.high) == (2500.0, 2500.0)
    assert record.unit == "person"
    assert record.raw_value == "500"
    assert record.location_iso3 == "SDN"


def test_500_families_fled_in_gaza_use_the_palestinian_household_size(one_record) -> None:
    record = one_record("500 families fled Khan Younis.")
    assert (record.raw_unit, record.unit_factor, record.value) == ("families", 5.6, 2800.0)


def test_households_where_no_country_is_named_use_the_default_size(one_record) -> None:
    record = one_record("Fighting displaced at least 1,200 households in the north.")
    assert (record.raw_unit, record.unit_factor, record.value, record.low) == ("households", 5.0, 6000.0, 6000.0)


def test_the_document_country_sets_the_household_size() -> None:
    text = "Gaza update\n\nShelling continued in Gaza. Officials said 100 families fled overnight."
    record = extract(text)[-1]
    assert (record.raw_unit, record.unit_factor, record.value, record.location_iso3) == ("families", 5.6, 560.0, "PSE")


def test_a_weekly_rate_is_converted_to_persons_per_day(one_record) -> None:
    record = one_record("The fighting displaced 700 people a week.")
    assert (record.value, record.unit, record.measure, record.raw_value) == (100.0, "person / day", "rate", "700")
    assert math.isclose(record.unit_factor, 1 / 7, rel_tol=1e-5)


def test_a_weekly_rate_of_families_in_gaza_combines_both_factors(one_record) -> None:
    record = one_record("About 200 families fled each week in Rafah.")
    assert record.unit == "person / day"
    assert math.isclose(record.value, 200 * 5.6 / 7)
    assert math.isclose(record.unit_factor, 5.6 / 7, rel_tol=1e-5)
    assert (record.low, record.high, record.qualifier) == (None, None, "approx")
