"""The Map page: ranking (dashboard.model.ranking), per person (per_capita), shapes and the map, and the page itself."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from testkit import new_app

from dashboard.charts.maps import area_map_figure, area_outline, country_outline, has_area_shape, map_figure
from dashboard.charts.shapes import COARSE, DETAILED, SHAPES_DIR, areas, countries
from dashboard.model.data import prepare_records
from dashboard.model.per_capita import missing_populations, missing_text, per_person
from dashboard.model.ranking import CHANGE_MEASURES, KIND_COLUMNS, RANK_COLUMNS, MapKind, map_kinds, ranking
from extractors.gazetteer import gazetteer

KILLED = MapKind("deaths", "killed", "cumulative", "reported")
# (record_id, location, iso3, admin1, value, reference_date, originator, measure)
ROWS = [
    ("p1", "Palestine", "PSE", None, 50_000, "2025-01-10", "Gaza Ministry of Health", "cumulative"),
    ("p2", "Palestine", "PSE", None, 60_000, "2025-07-29", "Gaza Ministry of Health", "cumulative"),
    ("g1", "Palestine", "PSE", "Gaza Strip", 61_000, "2025-08-01", "Gaza Ministry of Health", "cumulative"),
    ("s1", "Sudan", "SDN", None, 40_000, "2025-03-01", "WHO", "cumulative"),
    ("f1", "Sudan", "SDN", "North Darfur", 1_500, "2025-05-01", "local committee", "cumulative"),
    ("u1", "Ukraine", "UKR", None, 12_910, "2025-06-30", "HRMMU", "cumulative"),
    ("u2", "Ukraine", "UKR", None, 200, "2025-06-30", "HRMMU", "period"),
    ("w1", "Worldwide", None, None, 383, "2024-12-31", "OCHA", "cumulative"),
]


def _records(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(
        [
            {"record_id": rid, "doc": rid, "indicator": "deaths", "outcome": "killed", "status": "reported", "scope": "total",
             "value": float(value), "raw_value": f"{value:,}", "measure": measure, "quote": "q", "source": "s",
             "location": loc, "location_iso3": iso3, "admin1": admin1, "reference_date": day, "originator": originator}
            for rid, loc, iso3, admin1, value, day, originator, measure in rows
        ]
    )  # fmt: skip
    return prepare_records(frame).records


@pytest.fixture(scope="module")
def records() -> pd.DataFrame:
    return _records(ROWS)


def test_kinds_are_compared_like_with_like(records) -> None:
    assert [kind.key for kind in map_kinds(records, "deaths")] == ["killed|cumulative|reported", "killed|period|reported"]


def _kinds_counted_row_by_row(frame: pd.DataFrame, indicator: str) -> dict[str, int]:
    """Each kind's number of totals, every row's fields read as text (a missing or empty field as none)."""
    counts: dict[str, int] = {}
    for row in frame.to_dict("records"):
        if row["indicator"] == indicator and row.get("scope") != "part":
            kind = MapKind(
                indicator,
                *(None if pd.isna(row.get(name)) or row.get(name) == "" else str(row.get(name)) for name in KIND_COLUMNS),
            )
            counts[kind.key] = counts.get(kind.key, 0) + 1
    return counts


@pytest.mark.parametrize("dtype", ["str", "category", "object"])
def test_a_missing_and_an_empty_field_are_one_kind_counted_together(dtype) -> None:
    """Two figures with no outcome and two with an empty one are four figures of one kind: more than three killed."""
    outcomes = [None, None, "", "", "killed", "killed", "killed"]
    frame = pd.DataFrame(
        {
            "indicator": pd.Series(["deaths"] * 7, dtype=dtype),
            "outcome": pd.Series(outcomes, dtype=dtype),
            "measure": pd.Series(["cumulative"] * 7, dtype=dtype),
            "status": pd.Series(["reported"] * 7, dtype=dtype),
        }
    )
    assert [kind.key for kind in map_kinds(frame, "deaths")] == ["|cumulative|reported", "killed|cumulative|reported"]


FIELD = st.one_of(st.none(), st.sampled_from(["", "killed", "injured", "cumulative", "period", "reported", "projected"]))


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.sampled_from(["deaths", "injured"]), FIELD, FIELD, FIELD, st.sampled_from(["total", "part", None])),
        max_size=40,
    ),
    dtype=st.sampled_from(["str", "category", "object"]),
)
def test_map_kinds_count_every_kind_once_the_most_figures_first(rows, dtype) -> None:
    """Grouped in the columns' own types, a missing and an empty field are one kind; ties go by the fields' text."""
    columns = ("indicator", *KIND_COLUMNS, "scope")
    frame = pd.DataFrame({name: pd.Series([row[i] for row in rows], dtype=dtype) for i, name in enumerate(columns)})
    expected = _kinds_counted_row_by_row(frame, "deaths")
    found = map_kinds(frame, "deaths")
    assert [kind.key for kind in found] == sorted(expected, key=lambda key: (-expected[key], tuple(key.split("|"))))


@pytest.mark.parametrize(
    ("level", "expected", "unplaced"),
    [
        # A country's own totals before its areas': Palestine's 60,000 (+10,000 since January), not Gaza's 61,000.
        pytest.param("country", [("Palestine", 60_000, 10_000), ("Sudan", 40_000, None), ("Ukraine", 12_910, None)], 3,
                     id="countries"),
        pytest.param("admin1", [("Palestine › Gaza Strip", 61_000, None), ("Sudan › North Darfur", 1_500, None)], 5, id="areas"),
    ],
)  # fmt: skip
def test_the_latest_figure_per_place_largest_first_with_its_change(records, level, expected, unplaced) -> None:
    found = ranking(records, KILLED, level)
    rows = [
        (p, v, None if pd.isna(c) else c)
        for p, v, c in zip(found.table["place"], found.table["value"], found.table["change"], strict=True)
    ]
    assert (rows, found.unplaced) == (expected, unplaced)
    assert found.table["rank"].tolist() == list(range(1, len(expected) + 1))


@pytest.mark.parametrize("level", ["country", "admin1"])
@pytest.mark.parametrize("kind", [KILLED, MapKind("deaths", "killed", "period", "reported"), MapKind("deaths", "injured", None, None)],
                         ids=["cumulative", "period", "none"])  # fmt: skip
def test_ranking_on_a_few_columns_takes_the_same_rows_whole(records, kind, level) -> None:
    """The Map ranks on the kind's and RANK_COLUMNS only, then takes every column of the ranked rows from the whole frame."""
    narrow = records[[name for name in ("indicator", "outcome", "measure", "status", "scope", *RANK_COLUMNS) if name in records]]
    whole, ranked = ranking(records, kind, level), ranking(narrow, kind, level, full=records)
    pd.testing.assert_frame_equal(ranked.table, whole.table)
    assert ranked.unplaced == whole.unplaced


@pytest.mark.parametrize("full", [False, True], ids=["whole-frame", "few-columns"])
def test_no_figure_with_an_area_gives_an_empty_ranking_and_counts_them_all(full) -> None:
    """Seen on the sample store, whose figures name no area: the areas' ranking failed instead of saying so."""
    rows = [row for row in ROWS if row[3] is None]
    records = _records(rows)
    narrow = records[[name for name in ("indicator", "outcome", "measure", "status", "scope", *RANK_COLUMNS) if name in records]]
    found = ranking(narrow, KILLED, "admin1", full=records) if full else ranking(records, KILLED, "admin1")
    assert found.table.empty and found.unplaced == sum(1 for row in rows if row[7] == "cumulative")
    assert {"record_id", "quote", "place", "rank", "change"} <= set(found.table.columns)


def test_per_person_only_where_the_figure_counts_a_place_with_a_population(records) -> None:
    table = per_person(ranking(records, KILLED, "country").table)
    by_place = dict(zip(table["place"], table["per100k"], strict=True))
    assert by_place["Ukraine"] == pytest.approx(12_910 / 44_385_155 * 100_000)  # World Bank 2019
    assert by_place["Sudan"] == pytest.approx(40_000 / 42_813_238 * 100_000)
    areas = per_person(ranking(records, KILLED, "admin1").table)
    assert areas["per100k"].isna().all()  # no population of an area ships: never the country's
    assert missing_populations(areas) == ["Palestine › Gaza Strip", "Sudan › North Darfur"]
    assert missing_text(["Sudan › North Darfur"]).startswith("No population figure for Sudan › North Darfur")


def test_the_shapes_ship_with_iso3_codes_and_the_map_needs_no_geo_base_map(records) -> None:
    assert {"PSE", "SDN", "UKR", "COD"} <= set(countries(DETAILED)) and len(countries(COARSE)) > 170
    figure = map_figure(per_person(ranking(records, KILLED, "country").table), "value", title="t", scale_title="persons")
    spec = json.loads(figure.to_json())
    assert "geo" not in spec["layout"] and {trace["type"] for trace in spec["data"]} == {"scatter"}
    dots = spec["data"][-1]
    assert dots["customdata"] == ["p2", "s1", "u1"]
    assert "Deaths · Palestine" in dots["hovertext"][0] and "Document: p2" in dots["hovertext"][0]  # provenance, as on Trends


@pytest.mark.parametrize(
    ("params", "query", "place"),
    [
        pytest.param({}, {"map": "deaths", "kind": "killed|cumulative|reported"}, "Palestine", id="default"),
        pytest.param({"level": "admin1"}, {"map": "deaths", "kind": "killed|cumulative|reported", "level": "admin1"},
                     "Palestine › Gaza Strip", id="areas"),
        pytest.param({"per": "per100k", "location": "قطاع غزة"},
                     {"map": "deaths", "kind": "killed|cumulative|reported", "per": "per100k", "location": "Palestine › Gaza Strip"},
                     "Palestine", id="per-person-and-place-by-arabic-name"),
    ],
)  # fmt: skip
def test_the_map_page_follows_the_url(app_env, params, query, place) -> None:
    at = new_app(params, "views/map.py")
    assert not at.exception and not at.error, [e.value for e in [*at.exception, *at.error]]
    assert at.title[0].value == "Map" and len(at.get("plotly_chart")) == 1
    assert at.query_params == query
    table = at.dataframe[0].value
    assert table["Place"].iloc[0] == place and table["#"].iloc[0] == 1
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    filled = {trace.get("name") for trace in spec["data"] if trace.get("fill") == "toself"}
    assert (place in filled) is ("per" not in params)  # a country or an area filled; Gaza's figure has no population
    if "per" in params:
        assert "Per 100,000" in table.columns


def test_the_map_embeds_alone(app_env) -> None:
    at = new_app({"embed": "true", "view": "map", "indicator": "deaths", "level": "admin1"}, embedded=True)
    assert not at.exception and not at.error, [e.value for e in [*at.exception, *at.error]]
    assert not at.title and len(at.get("plotly_chart")) == 1  # no page head, no sidebar widgets: the bars and the table
    assert at.dataframe[0].value["Place"].iloc[0] == "Palestine › Gaza Strip"
    assert any("map?indicator=deaths" in caption.value and "level=admin1" in caption.value for caption in at.caption)


def test_hostile_map_parameters_are_ignored_with_notes(app_env) -> None:
    params = {"map": "<img src=x onerror=alert(1)>", "kind": "|||", "level": "planet", "per": "1e309", "period": "x"}
    at = new_app(params, "views/map.py")
    assert not at.exception and not at.error
    warnings = " ".join(warning.value for warning in at.warning)
    assert "Ignored map “\\<img src\\=x" in warnings, warnings  # escaped: Markdown shows it as text
    assert "Ignored level" in warnings and "Ignored per" in warnings and "period" in warnings
    assert "Ignored kind “\\|\\|\\|”" in warnings, warnings
    assert at.query_params == {"map": "deaths", "kind": "killed|cumulative|reported"}


@pytest.mark.parametrize(
    ("params", "note"),
    [
        pytest.param({"map": "deaths", "kind": "killed|cumulative|reported"}, None, id="a-kind-of-the-map"),
        pytest.param({"map": "deaths", "kind": "injured|cumulative|reported"}, "Ignored kind “injured\\|cumulative\\|reported”.", id="another-indicators-kind"),
        pytest.param({"kind": "deaths|killed|cumulative|reported|total"}, "Ignored kind “deaths\\|killed", id="a-sources-page-kind"),
    ],
)  # fmt: skip
def test_a_kind_the_map_does_not_show_is_noted(app_env, params, note) -> None:
    """A kind= not among the mapped indicator's kinds was replaced by the first one without a word."""
    at = new_app(params, "views/map.py")
    assert not at.exception and not at.error
    warnings = [warning.value for warning in at.warning]
    assert any(warning.startswith(note) for warning in warnings) if note else warnings == [], warnings
    assert at.query_params["kind"] == "killed|cumulative|reported"
    at.segmented_control(key="m_indicator").set_value("injured").run()  # the URL's kind= is now the last indicator's
    assert [warning.value for warning in at.warning] == [], "only a URL's own kind is noted, on arrival"
    assert at.query_params["kind"] == "injured|cumulative|reported"


def test_the_embedded_map_notes_what_it_ignored_and_links_to_what_it_shows(app_env) -> None:
    """The embedded map dropped unknown map=, kind=, level= and per= without a note, and its link carried them."""
    params = {"embed": "true", "view": "map", "map": "nope", "kind": "|||", "level": "planet", "per": "1e309"}
    at = new_app(params, embedded=True)
    assert not at.exception and not at.error and len(at.get("plotly_chart")) == 1
    captions = " ".join(caption.value for caption in at.caption)
    for name, value in (("map", "nope"), ("kind", "\\|\\|\\|"), ("level", "planet"), ("per", "1e309")):
        assert f"Ignored {name} “{value}”." in captions, captions
    assert "map?map=deaths&kind=killed%7Ccumulative%7Creported)" in captions, captions  # what is shown, defaults left out
    nothing = new_app({"embed": "true", "view": "map", "from": "2031-06-01", "to": "soon"}, embedded=True)
    assert [info.value for info in nothing.info] == ["No figures match this embedded view's filters."]
    assert "Ignored malformed date to=" in " ".join(caption.value for caption in nothing.caption)


@pytest.mark.parametrize(
    ("iso3", "name", "shipped"),
    [
        pytest.param("PSE", "Gaza Strip", True, id="gaza-strip"),
        pytest.param("PSE", "West Bank", True, id="west-bank"),
        pytest.param("SDN", "North Darfur", True, id="north-darfur"),
        pytest.param("UKR", "Kharkiv Oblast", True, id="kharkiv"),
        pytest.param("UKR", "Crimea", True, id="crimea-as-ukraine"),
        pytest.param("COD", "North Kivu", True, id="north-kivu"),
        pytest.param("COD", "Kongo Central", True, id="unchanged-in-2015"),
        pytest.param("SDN", "West Kordofan", False, id="re-created-2013"),
        pytest.param("SDN", "South Kordofan", False, id="still-with-west-kordofan"),
        pytest.param("COD", "Tshopo", False, id="split-in-2015"),
    ],
)
def test_area_shapes_ship_for_areas_whose_borders_they_have(iso3: str, name: str, shipped: bool) -> None:
    assert ((iso3, name) in areas()) is shipped
    if shipped:  # keyed by the gazetteer's name and p-code, inside its country
        area = gazetteer().by_name[(iso3, name)]
        assert areas()[(iso3, name)]["id"] == area.pcode
        west, east, south, north = country_outline(iso3).bounds
        x, y = area_outline(iso3, name).centre  # within a degree: world-atlas draws Ukraine without Crimea
        assert west - 1 <= x <= east + 1 and south - 1 <= y <= north + 1


def test_the_area_shapes_are_small() -> None:
    assert (SHAPES_DIR / "admin1.geojson").stat().st_size < 300_000 and len(areas()) >= 45


def test_areas_with_a_shape_are_filled_the_others_left_to_bars() -> None:
    rows = [*ROWS, ("t1", "Democratic Republic of the Congo", "COD", "Tshopo", 90, "2025-05-02", "OCHA", "cumulative")]
    table = per_person(ranking(_records(rows), KILLED, "admin1").table)
    assert has_area_shape(table).tolist() == [True, True, False]  # Gaza Strip, North Darfur, Tshopo (no 2015 shape)
    spec = json.loads(area_map_figure(table, "value", title="t", scale_title="persons").to_json())
    filled = [trace["name"] for trace in spec["data"] if trace.get("fill") == "toself" and trace.get("name")]
    assert filled[-2:] == ["Palestine › Gaza Strip", "Sudan › North Darfur"]
    assert spec["data"][-1]["customdata"] == ["g1", "f1"] and "Gaza Strip" in spec["data"][-1]["hovertext"][0]


def test_one_figure_alone_is_shaded_as_a_figure_not_as_the_blank_start_of_the_scale(records) -> None:
    table = per_person(ranking(records, KILLED, "admin1").table).head(1)  # the Gaza Strip's 61,000
    spec = json.loads(area_map_figure(table, "value", title="t", scale_title="persons").to_json())
    assert spec["data"][-1]["marker"]["cmin"] == 0 and spec["data"][-2]["fillcolor"] == "rgb(103, 0, 13)"  # Reds' darkest


def _ranked_row_by_row(frame: pd.DataFrame, kind: MapKind, level: str) -> tuple[list[tuple], int]:
    """ranking's (place, record, counted by, figures, change) rows and unplaced count, every row read as Python values."""

    def text(value) -> str | None:
        return None if pd.isna(value) or value == "" else str(value)

    figures = [
        row for row in frame.to_dict("records")
        if row["indicator"] == kind.indicator and row.get("scope") != "part"
        and all(text(row.get(name)) == value for name, value in zip(KIND_COLUMNS, kind[1:], strict=True))
    ]  # fmt: skip
    for row in figures:
        if level == "country":
            row["place"] = row["location_label"] if text(row["location_iso3"]) and not pd.isna(row["location_label"]) else None
        else:
            row["place"] = f"{row['location_label']} › {row['admin1']}" if text(row["admin1"]) else None
        row["by"] = text(row.get("originator")) or text(row.get("attribution")) or row["source"]
    kept = [row for row in figures if row["place"] is not None]
    if level == "country":
        whole = {row["place"] for row in kept if not text(row["admin1"])}
        kept = [row for row in kept if not (text(row["admin1"]) and row["place"] in whole)]
    dated = [row for row in kept if not pd.isna(row["date"])] or kept
    ranked = []
    for place in dict.fromkeys(row["place"] for row in dated):
        latest = [row for row in dated if row["place"] == place][-1]
        first = next(row for row in dated if row["place"] == place and row["by"] == latest["by"])
        change = latest["value"] - first["value"] if first["date"] < latest["date"] and kind.measure in CHANGE_MEASURES else None
        count = sum(1 for row in kept if row["place"] == place)
        ranked.append((place, latest["record_id"], latest["by"], count, change))
    ranked.sort(key=lambda item: (-next(row["value"] for row in dated if row["record_id"] == item[1]), item[0]))
    return ranked, len(figures) - len(kept)


PLACES = [("Sudan", "SDN", None), ("Sudan", "SDN", "North Darfur"), ("Sudan", "SDN", ""), ("Palestine", "PSE", "Gaza Strip"),
          ("Worldwide", None, None), ("Chad", "", None), ("Chad", "TCD", "Ouaddaï")]  # fmt: skip
SUDAN = PLACES[0]
NAMES = st.sampled_from([None, "", "WHO", "UN OCHA"])


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            # Most rows of the kind ranked, so that places hold several figures.
            st.sampled_from(PLACES), st.sampled_from(["killed", "killed", "injured", None]),
            st.sampled_from(["cumulative", "cumulative", "period"]), st.sampled_from(["total", "total", "part"]), st.integers(0, 5),
            st.one_of(st.none(), st.integers(1, 6)), NAMES, NAMES,
            st.sampled_from(["Reuters", "AP"]),
        ),
        max_size=30,
    ),
    level=st.sampled_from(["country", "admin1"]),
    measure=st.sampled_from(["cumulative", "cumulative", "period"]),
)  # fmt: skip
# Cases rare among random rows: a change since the latest figure's own originator's first, not the place's first;
# a country's figure with an empty area beside one of its areas; figures without a date only.
@example(
    rows=[
        (SUDAN, "killed", "cumulative", "total", 1, 1, "WHO", None, "AP"),
        (SUDAN, "killed", "cumulative", "total", 2, 2, None, "UN OCHA", "AP"),
        (SUDAN, "killed", "cumulative", "total", 3, 3, "UN OCHA", None, "AP"),
    ],
    level="country",
    measure="cumulative",
)
@example(
    rows=[
        (("Sudan", "SDN", ""), "killed", "cumulative", "total", 1, 1, "WHO", None, "AP"),
        (("Sudan", "SDN", None), "killed", "cumulative", "total", 2, 2, "WHO", None, "AP"),
        (("Sudan", "SDN", "North Darfur"), "killed", "cumulative", "total", 5, 3, "WHO", None, "AP"),
    ],
    level="country",
    measure="cumulative",
)
@example(
    rows=[
        (SUDAN, "killed", "cumulative", "total", 1, None, "WHO", None, "AP"),
        (("Chad", "TCD", "Ouaddaï"), "killed", "cumulative", "total", 2, None, "", "", "AP"),
    ],
    level="admin1",
    measure="cumulative",
)
def test_ranking_on_codes_matches_a_row_by_row_reading(rows, level, measure) -> None:
    """The ranking groups category and Arrow codes; read row by row, the same figures, places, counts and changes."""
    frame = pd.DataFrame(
        [
            {"record_id": f"r{i}", "doc": f"d{i}", "indicator": "deaths", "outcome": outcome, "status": "reported",
             "scope": scope, "value": float(value * 1000), "raw_value": f"{value * 1000:,}", "measure": kind_measure,
             "quote": "q", "source": source, "location": place, "location_iso3": iso3, "admin1": admin1,
             "reference_date": None if day is None else f"2025-03-0{day}", "originator": originator, "attribution": attribution}
            for i, ((place, iso3, admin1), outcome, kind_measure, scope, value, day, originator, attribution, source) in enumerate(rows)
        ]
    ) if rows else pd.DataFrame(columns=["record_id", "doc", "indicator", "value", "quote", "source"])  # fmt: skip
    records = prepare_records(frame).records
    if "admin1" not in records:
        return
    kind = MapKind("deaths", "killed", measure, "reported")
    found = ranking(records, kind, level)
    table = found.table
    rows_found = [
        (place, record_id, by, figures, None if pd.isna(change) else change)
        for place, record_id, by, figures, change in zip(
            table["place"], table["record_id"], table["counted_by"], table["figures"], table["change"], strict=True
        )
    ]
    assert (rows_found, found.unplaced) == _ranked_row_by_row(records, kind, level)
