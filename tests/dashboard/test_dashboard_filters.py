"""dashboard.model.filters: the Filters dataclass, its query string, and applying it."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from dashboard.model.filters import (
    FilterChoices,
    Filters,
    apply_filters,
    clean_search,
    from_query_params,
    parse_bounded_number,
    restrict,
    same_query,
)

CHOICES = FilterChoices(
    indicators=("deaths", "injured", "displaced"),
    locations=("Palestine", "Sudan", "Democratic Republic of the Congo"),
    sources=("Al Jazeera", "UN OCHA (occupied Palestinian territory)"),
    measures=("cumulative", "period", "snapshot"),
)


@pytest.mark.parametrize(
    ("params", "expected", "notes"),
    [
        pytest.param({}, Filters(), 0, id="empty"),
        pytest.param({"indicator": "deaths"}, Filters(indicators=("deaths",)), 0, id="one-indicator"),
        pytest.param(
            {"indicator": ["deaths", "injured", "deaths"]},
            Filters(indicators=("deaths", "injured")),
            0,
            id="repeated-deduplicated",
        ),
        pytest.param({"location": "palestine"}, Filters(locations=("Palestine",)), 0, id="case-insensitive"),
        pytest.param(
            {"source": "Al Jazeera", "measure": "cumulative"},
            Filters(sources=("Al Jazeera",), measures=("cumulative",)),
            0,
            id="source-measure",
        ),
        pytest.param(
            {"from": "2024-01-01", "to": "2024-12-31"},
            Filters(date_from=date(2024, 1, 1), date_to=date(2024, 12, 31)),
            0,
            id="dates",
        ),
        pytest.param({"q": "  health   ministry "}, Filters(search="health ministry"), 0, id="search-normalised"),
        pytest.param({"indicator": "nope"}, Filters(), 1, id="unknown-indicator"),
        pytest.param(
            {"indicator": ["deaths", "<script>alert(1)</script>"]}, Filters(indicators=("deaths",)), 1, id="hostile-indicator"
        ),
        pytest.param({"location": "<img src=x onerror=alert(1)>"}, Filters(), 1, id="hostile-location"),
        pytest.param({"from": "2024-13-01"}, Filters(), 1, id="bad-month"),
        pytest.param({"from": "2024-02-30"}, Filters(), 1, id="impossible-day"),
        pytest.param({"to": "yesterday"}, Filters(), 1, id="not-a-date"),
        pytest.param({"from": "2024-1-1"}, Filters(), 1, id="not-zero-padded"),
        pytest.param(
            {"from": "2025-01-01", "to": "2024-01-01"},
            Filters(date_from=date(2024, 1, 1), date_to=date(2025, 1, 1)),
            1,
            id="dates-swapped",
        ),
        pytest.param(
            {"q": "<script>alert(1)</script>"}, Filters(search="<script>alert(1)</script>"), 0, id="hostile-search-kept-as-text"
        ),
        pytest.param({"q": "a\x00b\nc"}, Filters(search="a b c"), 0, id="control-characters"),
        pytest.param({"q": "x" * 500}, Filters(search="x" * 200), 1, id="search-too-long"),
        pytest.param({"utm_source": "mail"}, Filters(), 1, id="unknown-parameter"),
        pytest.param({"doc": "abc", "record": "r1", "window": "30"}, Filters(), 0, id="page-parameters-allowed"),
    ],
)
def test_from_query_params(params, expected, notes):
    filters, found = from_query_params(params, CHOICES)
    assert filters == expected
    assert len(found) == notes, found


def test_notes_never_carry_raw_markup():
    _, notes = from_query_params({"indicator": "[click](javascript:alert(1))", "from": "<b>x</b>"}, CHOICES)
    assert len(notes) == 2
    assert all("](" not in note and "<b>" not in note for note in notes)


@pytest.mark.parametrize(
    "filters",
    [
        pytest.param(Filters(), id="empty"),
        pytest.param(Filters(indicators=("deaths", "injured")), id="indicators"),
        pytest.param(
            Filters(
                ("displaced",),
                ("Democratic Republic of the Congo",),
                ("Al Jazeera",),
                ("snapshot",),
                date(2023, 1, 1),
                date(2025, 6, 30),
                "ministry",
            ),
            id="everything",
        ),
    ],
)
def test_query_string_round_trip(filters):
    params = filters.to_query_params()
    assert from_query_params(params, CHOICES) == (filters, [])


def test_filters_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Filters().search = "x"  # type: ignore[misc]


def test_same_query_tolerates_str_and_list():
    assert same_query({"indicator": "deaths"}, {"indicator": ["deaths"]})
    assert not same_query({"indicator": "deaths"}, {"indicator": ["injured"]})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(None, (7, None), id="absent"),
        pytest.param("30", (30, None), id="integer"),
        pytest.param("2.5", (7, "note"), id="not-an-integer"),
        pytest.param("abc", (7, "note"), id="malformed"),
        pytest.param("-1", (7, "note"), id="below"),
        pytest.param("9999", (7, "note"), id="above"),
        pytest.param("nan", (7, "note"), id="nan"),
    ],
)
def test_parse_bounded_number(value, expected):
    number, note = parse_bounded_number(value, 7, 0, 365, "window", integer=True)
    assert number == expected[0]
    assert (note is not None) == (expected[1] is not None)


def test_clean_search():
    assert clean_search("  a\tb  ") == "a b"


@pytest.mark.parametrize(
    ("filters", "check"),
    [
        pytest.param(Filters(indicators=("injured",)), lambda r: set(r["indicator"].astype(str)) == {"injured"}, id="indicator"),
        pytest.param(Filters(locations=("Sudan",)), lambda r: set(r["location_label"].astype(str)) == {"Sudan"}, id="location"),
        pytest.param(Filters(sources=("Al Jazeera",)), lambda r: set(r["source"].astype(str)) == {"Al Jazeera"}, id="source"),
        pytest.param(Filters(measures=("period",)), lambda r: set(r["measure"].astype(str)) == {"period"}, id="measure"),
        pytest.param(
            Filters(date_from=date(2025, 1, 1)),
            lambda r: r["date"].min() >= __import__("pandas").Timestamp("2025-01-01"),
            id="from",
        ),
        pytest.param(
            Filters(date_to=date(2023, 12, 31)),
            lambda r: r["date"].max() <= __import__("pandas").Timestamp("2023-12-31"),
            id="to",
        ),
        pytest.param(
            Filters(search="Ministry of HEALTH"),
            lambda r: r["quote"].str.lower().str.contains("ministry of health").all(),
            id="search-case-insensitive",
        ),
        pytest.param(
            Filters(search="killed Gaza"),
            lambda r: r["search_text"].str.contains("killed").all() and r["search_text"].str.contains("gaza").all(),
            id="search-all-words",
        ),
    ],
)
def test_apply_filters(corpus_dataset, filters, check):
    result = apply_filters(corpus_dataset.records, filters)
    assert 0 < len(result) < len(corpus_dataset.records)
    assert check(result)


def test_apply_filters_combines_with_and(corpus_dataset):
    records = corpus_dataset.records
    both = apply_filters(records, Filters(indicators=("deaths",), locations=("Sudan",)))
    assert len(both) == ((records["indicator"] == "deaths") & (records["location_label"] == "Sudan")).sum() > 0


def test_apply_filters_regex_characters_are_literal(corpus_dataset):
    assert apply_filters(corpus_dataset.records, Filters(search="(.*")).empty


def test_parts_and_no_other_filter_return_everything(corpus_dataset):
    # Filters() itself keeps the headline figures only (test_dashboard_filters_parts.py).
    assert len(apply_filters(corpus_dataset.records, Filters(parts=True))) == len(corpus_dataset.records)


@pytest.mark.parametrize("dtype", ["str", "string[pyarrow]", "object", "category"])
def test_reviewed_mask_of_every_text_dtype(dtype):
    """Accepted and corrected figures are reviewed, whatever the column's dtype (Arrow text is compared by Arrow)."""
    import pandas as pd

    from dashboard.model.review import reviewed_mask

    statuses = ["accepted", None, "corrected", "unreviewed", "rejected", "Accepted"]
    frame = pd.DataFrame({"review_status": pd.Series(statuses, dtype=dtype, index=[5, 4, 3, 2, 1, 0])})
    expected = pd.Series([True, False, True, False, False, False], index=frame.index, name="review_status")
    pd.testing.assert_series_equal(reviewed_mask(frame), expected)


VIEW_FILTERS = [
    pytest.param(Filters(), id="nothing-filtered"),
    pytest.param(Filters(indicators=("deaths",)), id="one-indicator"),
    pytest.param(Filters(locations=("Palestine",), measures=("cumulative",)), id="location-and-measure"),
    pytest.param(Filters(search="ministry"), id="search"),
    pytest.param(Filters(indicators=("deaths",), search="no such words anywhere"), id="nothing-left"),
]


@pytest.mark.parametrize("filters", VIEW_FILTERS)
def test_a_view_takes_only_what_it_is_asked_for_and_gives_what_apply_filters_gives(corpus_dataset, filters) -> None:
    import pandas as pd

    from dashboard.exports import briefing_text
    from dashboard.ui import ui

    view = ui.View("sqlite:///x", "f", corpus_dataset, filters, ui.filtered_positions(corpus_dataset.records, filters))
    expected = apply_filters(corpus_dataset.records, filters)
    pd.testing.assert_frame_equal(view.columns("indicator", "review_status"), expected[["indicator", "review_status"]])
    pd.testing.assert_series_equal(view.column("location_label"), expected["location_label"])
    assert view.count == len(expected)
    assert "records" not in view.__dict__  # none of the above took every column
    assert view.rows is None or view.column("indicator") is view.column("indicator")  # taken once per view
    charts = {(str(i), str(loc)) for i, loc in zip(expected["indicator"], expected["location_label"], strict=True)}
    for indicator, location in sorted(charts)[:6] or [("deaths", "Palestine")]:
        pd.testing.assert_frame_equal(
            view.take_chart_records(indicator, location), briefing_text.select_chart_records(expected, indicator, location)
        )
    pd.testing.assert_frame_equal(view.records, expected)
    pd.testing.assert_frame_equal(view.columns("source"), expected[["source"]])  # after records were taken
    view.forget_copies()
    assert not {"records", "_taken", "_positions"} & set(vars(view))
    pd.testing.assert_frame_equal(view.columns("source", "indicator"), expected[["source", "indicator"]])  # taken again


@pytest.mark.parametrize("filters", VIEW_FILTERS)
def test_a_views_positions_are_found_once_per_store_state_and_filters_and_shared_read_only(corpus_dataset, filters) -> None:
    from dashboard.ui import ui

    first = ui.make_view("sqlite:///positions", "state-1", corpus_dataset, filters)
    again = ui.make_view("sqlite:///positions", "state-1", corpus_dataset, filters)
    assert again.rows is first.rows  # every rerun with these filters: no new filtering of the store's records
    # Another filter keeping the same records has the same digest (the Overview's cards are keyed by it).
    same_rows = ui.make_view("sqlite:///positions", "state-1", corpus_dataset, restrict(filters, search=filters.search + " "))
    assert (
        ui.rows_key(same_rows)
        == ui.rows_key(first)
        != ui.rows_key(ui.make_view("sqlite:///positions", "state-2", corpus_dataset, filters))
    )
    expected = ui.filtered_positions(
        corpus_dataset.records, filters, None if filters.parts else ui.headline_figures(corpus_dataset.records)
    )
    assert (first.rows is None) == (expected is None) and (expected is None or (first.rows == expected).all())
    if first.rows is not None:
        assert not first.rows.flags.writeable  # shared by sessions: none may change it
    other = ui.make_view("sqlite:///positions", "state-2", corpus_dataset, filters)
    assert other.rows is not first.rows or first.rows is None  # another store state: found again


@pytest.mark.parametrize(
    "values", [("deaths",), ("deaths", "no such indicator"), ("no such indicator",)], ids=["one", "one-unknown", "unknown"]
)
@pytest.mark.parametrize("kind", ["category", "str"])
def test_a_categorical_column_is_filtered_by_its_codes_as_isin_would(values, kind) -> None:
    import pandas as pd

    from dashboard.model.filters import values_mask

    column = pd.Series(["deaths", None, "injured", "deaths", None, "displaced"], dtype=kind)
    assert values_mask(column, values).tolist() == column.isin(values).tolist()


@pytest.mark.parametrize("shuffled", [False, True], ids=["dataset-order", "shuffled-rows"])
@pytest.mark.parametrize("filters", VIEW_FILTERS)
def test_a_trend_drawn_from_its_narrow_take_is_the_trend_of_all_its_chart_records(corpus_dataset, filters, shuffled) -> None:
    """Trends takes only the rows and columns a chart draws (View.take_trend_records); the chart must not change."""
    import dataclasses

    from dashboard.charts import charts
    from dashboard.exports import file_names
    from dashboard.ui import ui

    dataset = corpus_dataset
    if shuffled:  # dates out of order within a chart: the take must sort them as the chart does
        records = corpus_dataset.records.sample(frac=1.0, random_state=7)
        dataset = dataclasses.replace(corpus_dataset, records=records.reset_index(drop=True))
    view = ui.View("sqlite:///x", "f", dataset, filters, ui.filtered_positions(dataset.records, filters))
    keys = view.columns("indicator", "location_label")
    charted = sorted({(str(i), str(loc)) for i, loc in zip(keys["indicator"], keys["location_label"], strict=True)})
    for indicator, location in charted[:5] or [("deaths", "Palestine")]:
        everything = view.take_chart_records(indicator, location)
        for count in (charts.MAX_POINTS, 3, 1):
            narrow = view.take_trend_records(indicator, location, count)
            assert set(narrow.columns) <= set(charts.TREND_COLUMNS)
            drawn = charts.trend_figure(narrow, title="t", max_points=count).to_dict()
            assert drawn == charts.trend_figure(everything, title="t", max_points=count).to_dict(), (indicator, location, count)
        assert view.chart_naming(indicator, location) == file_names.chart_naming(everything, location)
        assert view.chart_positions(indicator, location) is view.chart_positions(indicator, location)  # found once a run
    assert "records" not in view.__dict__
