"""dashboard.charts: trend figures, their panels, intervals, colours and provenance tooltips."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import charts
from dashboard.data import prepare_records

HOSTILE = "<img src=x onerror=alert(1)>"


def _points(figure: go.Figure) -> list:
    return [trace for trace in figure.data if trace.hoverinfo != "skip"]


@pytest.fixture(scope="module")
def gaza_deaths(corpus_dataset):
    records = corpus_dataset.records
    return records[(records["indicator"] == "deaths") & (records["location_label"] == "Palestine")]


@pytest.fixture(scope="module")
def aid_workers(corpus_dataset):
    records = corpus_dataset.records
    return records[records["indicator"] == "aid_worker_casualties"]


def test_figure_is_valid_plotly(gaza_deaths, aid_workers):
    for frame in (gaza_deaths, aid_workers):
        figure = charts.trend_figure(frame, title="t")
        go.Figure(figure.to_dict())  # raises on any invalid property
        assert charts.trend_figure(frame, validate=True).to_dict()["data"]


def test_every_record_is_a_point_with_its_id(gaza_deaths):
    figure = charts.trend_figure(gaza_deaths)
    assert sorted(charts.figure_record_ids(figure)) == sorted(gaza_deaths["record_id"].astype(str))
    assert all("markers" in trace.mode for trace in _points(figure))


def test_cumulative_and_period_never_share_an_axis(aid_workers):
    assert {"cumulative", "period"} <= set(aid_workers["measure"].astype(str))
    figure = charts.trend_figure(aid_workers)
    measure_of = dict(zip(aid_workers["record_id"].astype(str), aid_workers["measure"].astype(str), strict=True))
    axes: dict[str, set[str]] = {}
    for trace in _points(figure):
        axes.setdefault(trace.yaxis or "y", set()).update(measure_of[rid] for rid in trace.customdata)
    assert len(axes) >= 2
    assert all(len(measures) == 1 for measures in axes.values()), axes
    layout = figure.to_dict()["layout"]
    assert layout["xaxis2"]["matches"] == "x"  # one shared date axis
    assert [a["text"] for a in layout["annotations"]] == ["Cumulative total", "Total for a period"]


def test_lines_join_only_cumulative_series_of_one_source(aid_workers, gaza_deaths):
    for frame in (aid_workers, gaza_deaths):
        measure_of = dict(zip(frame["record_id"].astype(str), frame["measure"].astype(str), strict=True))
        for trace in _points(charts.trend_figure(frame)):
            if "lines" in trace.mode:
                assert len(trace.customdata) > 1
                assert {measure_of[rid] for rid in trace.customdata} == {"cumulative"}
                sources = set(frame.set_index(frame["record_id"].astype(str)).loc[list(trace.customdata), "source"].astype(str))
                assert sources == {trace.name}
    assert any("lines" in trace.mode for trace in _points(charts.trend_figure(gaza_deaths)))


def test_one_colour_per_source_from_okabe_ito(gaza_deaths):
    figure = charts.trend_figure(gaza_deaths)
    colours = {trace.name: trace.marker.color for trace in _points(figure)}
    named = {name: colour for name, colour in colours.items() if name != charts.OTHER}
    assert len(named) == charts.MAX_SOURCES < gaza_deaths["source"].nunique()
    assert sorted(named.values()) == sorted(charts.OKABE_ITO)  # one distinct colour each
    assert colours[charts.OTHER] == charts.OTHER_STYLE.color
    other = [trace for trace in _points(figure) if trace.name == charts.OTHER]
    assert all(trace.mode == "markers" for trace in other)  # never a line across sources
    hover = [text for trace in other for text in trace.hovertext]
    assert all("Source: " in text for text in hover)  # each grey point still names its source


def test_few_sources_are_all_named(aid_workers):
    figure = charts.trend_figure(aid_workers)
    assert charts.OTHER not in {trace.name for trace in figure.data}


@pytest.mark.parametrize(
    ("rank", "expected"),
    [
        pytest.param(0, charts.SourceStyle("#0072B2", False, "solid"), id="first"),
        pytest.param(7, charts.SourceStyle("#F0E442", False, "solid"), id="eighth"),
        pytest.param(8, charts.SourceStyle("#0072B2", True, "dash"), id="second-cycle-hollow"),
    ],
)
def test_source_styles_cycle(rank, expected):
    assert charts.source_styles({"s": rank})["s"] == expected


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        pytest.param({"value": 10.0, "low": 10.0, "high": 10.0, "qualifier": "exact"}, (0, 0, 0, 0), id="exact"),
        pytest.param({"value": 10.0, "low": 10.0, "high": np.nan, "qualifier": "at_least"}, (0, 0, 5, 0), id="open-upper"),
        pytest.param({"value": 10.0, "low": np.nan, "high": 10.0, "qualifier": "at_most"}, (0, 0, 0, 5), id="open-lower"),
        pytest.param({"value": 5.0, "low": 5.0, "high": 7.0, "qualifier": "range"}, (2, 0, 0, 0), id="range"),
        pytest.param({"value": 24.0, "low": 24.0, "high": 99.0, "qualifier": "vague"}, (75, 0, 0, 0), id="vague"),
        pytest.param({"value": 10.0, "low": np.nan, "high": np.nan, "qualifier": "approx"}, (0, 0, 5, 5), id="approx-open"),
    ],
)
def test_interval_arms(row, expected):
    arms = charts.interval_arms(pd.DataFrame([row]), stub=5.0)
    assert tuple(float(arm[0]) for arm in arms) == expected


def test_intervals_are_drawn_as_error_bars(gaza_deaths):
    figure = charts.trend_figure(gaza_deaths)
    stubs = [trace for trace in figure.data if trace.hoverinfo == "skip"]
    assert stubs, "open bounds (at least ...) must be drawn"
    assert all(trace.error_y.width == 0 and trace.marker.opacity == 0 for trace in stubs)
    assert all(min(trace.error_y.arrayminus) == 0 for trace in stubs)  # "at least": one-sided, upwards


@pytest.mark.parametrize(
    ("qualifier", "symbol"),
    [
        ("exact", "circle"),
        ("at_least", "triangle-up"),
        ("fewer_than", "triangle-down"),
        ("approx", "diamond"),
        ("vague", "square"),
    ],
)
def test_marker_symbols(qualifier, symbol):
    assert charts.marker_symbol(qualifier) == symbol
    assert charts.marker_symbol(qualifier, hollow=True) == f"{symbol}-open"


def test_tooltips_carry_the_emphasised_quote(gaza_deaths):
    figure = charts.trend_figure(gaza_deaths)
    by_id = gaza_deaths.set_index(gaza_deaths["record_id"].astype(str))
    for trace in _points(figure):
        for rid, text in zip(trace.customdata, trace.hovertext, strict=True):
            record = by_id.loc[rid]
            assert f"<b>{record['raw_value']}</b>" in text
            assert "summary of" in text and "Source:" in text and "Attribution:" in text


def test_hostile_quote_is_escaped_in_the_tooltip(hostile_frame):
    frame = prepare_records(hostile_frame).records
    figure = charts.trend_figure(frame)
    spec = figure.to_json()
    text = _points(figure)[0].hovertext[0]
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert HOSTILE not in spec and "<script" not in spec
    assert "<b>57,575</b>" in text


def test_hostile_source_and_location_are_escaped_in_legend_and_title(hostile_frame):
    frame = prepare_records(hostile_frame).records
    figure = charts.trend_figure(frame, title=charts.trend_title("deaths", "<i>x</i>"))
    assert {trace.name for trace in figure.data} == {
        "Reuters &lt;b&gt;wire&lt;/b&gt;",
        "Reuters &lt;b&gt;wire&lt;/b&gt; (open bound)",
    }
    assert figure.layout.title.text == "Deaths — &lt;i&gt;x&lt;/i&gt;"


def test_undated_or_empty_records_give_a_message():
    figure = charts.trend_figure(pd.DataFrame({"date": pd.Series([], dtype="datetime64[ns]")}))
    assert figure.layout.annotations[0].text.startswith("No dated figures")


def test_points_are_capped(gaza_deaths):
    figure = charts.trend_figure(gaza_deaths, max_points=3)
    assert len(charts.figure_record_ids(figure)) == 3


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        pytest.param([], [], id="none"),
        pytest.param([{"customdata": "r1"}, {"customdata": ["r2"]}, {"customdata": "r1"}], ["r1", "r2"], id="deduplicated"),
        pytest.param([{"x": 1}], [], id="no-customdata"),
    ],
)
def test_selected_record_ids(points, expected):
    assert charts.selected_record_ids(points) == expected
