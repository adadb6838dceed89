"""extractors.gazetteer: the areas below the country that a place name is in."""

from __future__ import annotations

import pytest

from extractors import extract
from extractors.errors import VocabularyError
from extractors.gazetteer import Admin, gazetteer, parse_gazetteer


@pytest.mark.parametrize(
    ("iso3", "place", "expected"),
    [
        pytest.param("PSE", "Gaza", Admin("Gaza Strip", "PS02"), id="gaza-is-the-strip"),
        pytest.param(
            "PSE", "Jabalia", Admin("Gaza Strip", "PS02", "North Gaza", "PS0255", None, "PS-NGZ"), id="town-in-governorate"
        ),
        pytest.param(
            "PSE", "Gaza City", Admin("Gaza Strip", "PS02", "Gaza Governorate", "PS0260", None, "PS-GZA"), id="gaza-city"
        ),
        pytest.param("PSE", "Jenin", Admin("West Bank", "PS01", "Jenin", "PS0101", None, "PS-JEN"), id="west-bank"),
        pytest.param("SDN", "El Fasher", Admin("North Darfur", "SD02", "El Fasher", "SD02114", "SD-DN"), id="el-fasher-locality"),
        pytest.param("SDN", "Zamzam", Admin("North Darfur", "SD02", admin1_iso="SD-DN"), id="camp-in-state"),
        pytest.param("SDN", "Wad Madani", Admin("Gezira", "SD15", admin1_iso="SD-GZ"), id="ocha-spells-it-aj-jazirah"),
        pytest.param("UKR", "Kharkiv", Admin("Kharkiv Oblast", "UA63", admin1_iso="UA-63"), id="city-in-oblast"),
        pytest.param("UKR", "Luhansk", Admin("Luhansk Oblast", "UA44", admin1_iso="UA-09"), id="p-code-is-not-iso"),
        pytest.param("UKR", "Kyiv", Admin("Kyiv", "UA80", admin1_iso="UA-30"), id="kyiv-city"),
        pytest.param("UKR", "Kyivska oblast", Admin("Kyiv Oblast", "UA32", admin1_iso="UA-32"), id="kyiv-oblast"),
        pytest.param("COD", "Goma", Admin("North Kivu", "CD61", admin1_iso="CD-NK"), id="goma-north-kivu"),
        pytest.param("COD", "Sake", Admin("North Kivu", "CD61", "Masisi", "CD6103", "CD-NK"), id="town-in-territory"),
        pytest.param("SDN", "Darfur", Admin(), id="region-is-no-area"),
        pytest.param("PSE", "Palestine", Admin(), id="country-has-no-area"),
        pytest.param("UKR", "Gaza", Admin(), id="name-of-another-country"),
        pytest.param(None, None, Admin(), id="no-place"),
    ],
)
def test_admin_of_a_place_name(iso3: str | None, place: str | None, expected: Admin) -> None:
    assert gazetteer().admin_of(iso3, place) == expected


@pytest.mark.parametrize(
    ("tables", "message"),
    [
        pytest.param(
            {"area": [{"iso3": "X", "level": 1, "name": "A", "names": ["B"]}, {"iso3": "X", "level": 1, "name": "B"}]},
            "names both",
            id="name-twice",
        ),
        pytest.param({"area": [{"iso3": "X", "level": 2, "name": "A"}]}, "level must be 1, or 2 with a parent", id="no-parent"),
        pytest.param(
            {"area": [{"iso3": "X", "level": 2, "name": "A", "parent": "P"}]}, "is not a level-1 area", id="unknown-parent"
        ),
        pytest.param({"region": [{"iso3": "X", "name": "R", "areas": ["A"]}]}, "unknown areas", id="region-of-nothing"),
        pytest.param({"area": [{"iso3": "X", "level": 1, "name": "A", "pcode": 12}]}, "must be text", id="pcode-not-text"),
        pytest.param({"area": [{"iso3": "X", "level": 1, "name": "A", "names": "B"}]}, "list of names", id="names-not-a-list"),
    ],
)
def test_a_malformed_gazetteer_is_refused(tables: dict, message: str) -> None:
    with pytest.raises(VocabularyError, match=message):
        parse_gazetteer(tables)


def test_records_carry_the_area_of_the_place_they_name() -> None:
    text = "At least 62 people were killed in El Fasher, North Darfur, on Friday, the state health ministry said."
    (record,) = extract(text)
    assert (record.location_iso3, record.admin1, record.admin1_code, record.admin2, record.admin2_code, record.admin1_iso) == (
        "SDN",
        "North Darfur",
        "SD02",
        "El Fasher",
        "SD02114",
        "SD-DN",
    )


def test_every_area_has_an_ocha_p_code_under_its_parents() -> None:
    areas = gazetteer().areas
    assert all(area.pcode for area in areas)
    assert len({(area.iso3, area.pcode) for area in areas}) == len(areas)
    for area in areas:
        parent = gazetteer().by_name[(area.iso3, area.parent)] if area.parent else None
        alpha2 = {"PSE": "PS", "SDN": "SD", "UKR": "UA", "COD": "CD"}[area.iso3]  # OCHA p-codes start with it
        assert area.pcode.startswith(parent.pcode if parent else alpha2), area
