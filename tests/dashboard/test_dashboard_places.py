"""dashboard.model.places: a place below the country, found by any of its names; a country includes its areas."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.model.data import prepare_records
from dashboard.model.filters import FilterChoices, Filters, apply_filters, from_query_params
from dashboard.model.places import searchable_label

ROWS = [  # (record_id, location, place, admin1, admin2)
    ("g1", "Palestine", "Gaza", "Gaza Strip", None),
    ("g2", "Palestine", "Jabalia", "Gaza Strip", "North Gaza"),
    ("w1", "Palestine", "Jenin", "West Bank", "Jenin"),
    ("p1", "Palestine", "Palestine", None, None),
    ("s1", "Sudan", "El Fasher", "North Darfur", "El Fasher"),
    ("s2", "Sudan", "Nyala", "South Darfur", None),
    ("s3", "Sudan", "Darfur", None, None),
    ("s4", "Sudan", "Khartoum", "Khartoum", None),
    ("u1", "Ukraine", "Kharkiv", "Kharkiv Oblast", None),
]


@pytest.fixture(scope="module")
def dataset():
    frame = pd.DataFrame(
        [
            {
                "record_id": rid,
                "doc": rid,
                "indicator": "deaths",
                "value": 1.0,
                "measure": "cumulative",
                "quote": "q",
                "source": "s",
                "location": loc,
                "place": place,
                "admin1": a1,
                "admin2": a2,
                "reference_date": "2025-01-01",
            }
            for rid, loc, place, a1, a2 in ROWS
        ]
    )
    return prepare_records(frame)


def test_the_choices_are_the_countries_then_their_areas_and_regions(dataset) -> None:
    assert dataset.locations == (
        "Palestine",
        "Palestine › Gaza Strip",
        "Palestine › Gaza Strip › North Gaza",
        "Palestine › West Bank",
        "Palestine › West Bank › Jenin",
        "Sudan",
        "Sudan › Darfur",
        "Sudan › Khartoum",
        "Sudan › North Darfur",
        "Sudan › North Darfur › El Fasher",
        "Sudan › South Darfur",
        "Ukraine",
        "Ukraine › Kharkiv Oblast",
    )


@pytest.mark.parametrize(
    ("asked", "chosen", "found"),
    [
        pytest.param("Gaza", "Palestine › Gaza Strip", {"g1", "g2"}, id="gaza"),
        pytest.param("gaza strip", "Palestine › Gaza Strip", {"g1", "g2"}, id="gaza-strip-any-case"),
        pytest.param("قطاع غزة", "Palestine › Gaza Strip", {"g1", "g2"}, id="gaza-in-arabic"),
        pytest.param("Cisjordanie", "Palestine › West Bank", {"w1"}, id="west-bank-in-french"),
        pytest.param("North Gaza", "Palestine › Gaza Strip › North Gaza", {"g2"}, id="governorate"),
        pytest.param("Jabalia", "Palestine › Gaza Strip › North Gaza", {"g2"}, id="town-finds-its-governorate"),
        pytest.param("Darfur", "Sudan › Darfur", {"s1", "s2", "s3"}, id="region-with-its-states"),
        pytest.param("El Fasher", "Sudan › North Darfur › El Fasher", {"s1"}, id="el-fasher"),
        pytest.param("North Darfur", "Sudan › North Darfur", {"s1"}, id="state-with-its-locality"),
        pytest.param("Sudan", "Sudan", {"s1", "s2", "s3", "s4"}, id="country-with-its-areas"),
        pytest.param("Kharkiv", "Ukraine › Kharkiv Oblast", {"u1"}, id="oblast-by-its-city"),
    ],
)
def test_a_place_is_found_by_any_of_its_names(dataset, asked: str, chosen: str, found: set[str]) -> None:
    filters, notes = from_query_params({"location": asked, "parts": "1"}, FilterChoices.of(dataset))
    assert (filters.locations, notes) == ((chosen,), [])
    assert set(apply_filters(dataset.records, filters)["record_id"]) == found


def test_an_unknown_place_is_ignored_with_a_note(dataset) -> None:
    filters, notes = from_query_params({"location": "Atlantis"}, FilterChoices.of(dataset))
    assert filters == Filters() and notes == ["Ignored unknown location “Atlantis”."]


def test_the_sidebar_shows_other_names_so_that_typing_one_finds_the_place() -> None:
    assert searchable_label("Palestine › Gaza Strip").startswith("Palestine › Gaza Strip (Gaza, قطاع غزة")
    assert searchable_label("Sudan") == "Sudan"


@pytest.mark.parametrize(
    "labels",
    [
        pytest.param(pd.Categorical(["Sudan", "Chad"], categories=["Chad", "Mali", "Sudan"]), id="unused-category-left-out"),
        pytest.param(pd.Categorical(["Sudan", None], categories=["Chad", "Sudan"]), id="missing-label"),
        pytest.param(pd.Series(["Sudan", "Chad", "Sudan"], dtype="str"), id="text"),
    ],
)
def test_the_countries_offered_are_the_labels_present(labels) -> None:
    from dashboard.model.places import location_choices

    records = pd.DataFrame({"location_label": labels})
    assert location_choices(records) == tuple(sorted(map(str, pd.unique(records["location_label"].astype(str)))))
