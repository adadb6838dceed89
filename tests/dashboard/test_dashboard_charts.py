"""dashboard.charts.charts: trend figures, their panels, intervals, colours and provenance tooltips."""

from __future__ import annotations

import html
import json

import dashboard_reference
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.charts import charts, figure_types, tables
from dashboard.model import formatting, origins, tooltips
from dashboard.model.data import prepare_records

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


def test_lines_join_only_cumulative_series_of_one_originator(aid_workers, gaza_deaths):
    for frame in (aid_workers, gaza_deaths):
        by_id = frame.set_index(frame["record_id"].astype(str))
        for trace in _points(charts.trend_figure(frame)):
            if "lines" in trace.mode:
                rows = by_id.loc[list(trace.customdata)]
                assert len(trace.customdata) > 1
                assert set(rows["measure"].astype(str)) == {"cumulative"}
                assert set(origins.series_labels(rows)) == {html.unescape(trace.name)}
                assert len(set(origins.kind_keys(rows))) == 1  # a line never joins a part to a total
                assert "part" not in set(rows["scope"].astype(str)) and "projected" not in set(rows["status"].astype(str))
    assert any("lines" in trace.mode for trace in _points(charts.trend_figure(gaza_deaths)))


def test_one_colour_per_originator_and_none_is_other(gaza_deaths, aid_workers):
    """Was: past 8 sources the rest went grey as "Other sources". Every series now has its own named legend entry."""
    for frame in (gaza_deaths, aid_workers):
        figure = charts.trend_figure(frame)
        legend = [trace.name for trace in figure.data if trace.showlegend is not False]
        assert len(legend) == len(set(legend)) == len(set(origins.series_labels(frame)))
        assert "Other sources" not in {trace.name for trace in figure.data}
        styles = {(trace.marker.color, trace.marker.symbol[0].endswith("-open")) for trace in _points(figure)}
        assert len(styles) == len(legend)  # a colour (or a hollow cycle of it) each


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
    # Without an originator the series is the outlet's (the hostile brief credits the ministry: blanked here).
    frame = prepare_records(hostile_frame.assign(originator=None)).records
    figure = charts.trend_figure(frame, title=charts.trend_title("deaths", "<i>x</i>"))
    assert {trace.name for trace in figure.data} == {
        "Reuters &lt;b&gt;wire&lt;/b&gt; (source; originator not stated)",
        "Reuters &lt;b&gt;wire&lt;/b&gt; (source; originator not stated) (open bound)",
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


def test_to_dict_is_plotlys_own(gaza_deaths, aid_workers, hostile_frame):
    """TrendFigure's quick copy gives the dict (and so the JSON, key order included) Plotly's to_dict gives."""
    for frame in (gaza_deaths, aid_workers, prepare_records(hostile_frame).records):
        figure = charts.trend_figure(frame, title="t")
        expected = go.Figure.to_dict(figure)
        assert figure.to_dict() == expected
        assert json.dumps(figure.to_dict()) == json.dumps(expected)
        assert figure.to_dict() is figure.to_dict()  # built once


def test_the_display_figure_sends_what_the_full_figure_sends(gaza_deaths, aid_workers, hostile_frame):
    """st.plotly_chart serialises to_dict(): the display figure's JSON is the full figure's (template included)."""
    import plotly.io as pio

    for frame in (gaza_deaths, aid_workers, prepare_records(hostile_frame).records, gaza_deaths.iloc[0:0]):
        full, shown = charts.trend_figure(frame, title="t"), charts.trend_display(frame, title="t")
        assert json.loads(pio.to_json(shown.to_dict(), validate=False)) == json.loads(pio.to_json(full.to_dict(), validate=False))
        assert "template" in shown.to_dict()["layout"]


def test_to_dict_of_arrays_is_left_to_plotly():
    """Plotly encodes NumPy arrays (base64 typed arrays): those figures go through its own to_dict."""
    figure = charts.TrendFigure(data=[{"type": "scatter", "x": np.arange(3), "y": np.array([1.0, 2.0, 3.0])}])
    expected = go.Figure.to_dict(figure)
    assert (
        figure.to_dict()["data"][0]["y"]
        == expected["data"][0]["y"]
        == {"dtype": "f8", "bdata": expected["data"][0]["y"]["bdata"]}
    )


@pytest.mark.parametrize(
    ("value", "plain"),
    [
        pytest.param({"a": [1, 2.5, "x", None, True], "b": {"c": []}}, True, id="json-like"),
        pytest.param({"a": (1, 2)}, False, id="tuple"),
        pytest.param({"a": np.array([1.0])}, False, id="array"),
        pytest.param([np.float64(1.0)], False, id="numpy-scalar"),
    ],
)
def test_plain_copy(value, plain):
    if not plain:
        with pytest.raises(figure_types.NotPlain):
            figure_types.plain_copy(value)
        return
    copied = figure_types.plain_copy(value)
    assert copied == value
    copied["a"].append("more")
    copied["b"]["c"].append(1)
    assert value == {"a": [1, 2.5, "x", None, True], "b": {"c": []}}  # a deep copy


TOOLTIP_RECORD = {
    "value": 57575.0, "qualifier": "at_least", "low": 57575.0, "high": None, "raw_value": "57,575", "unit": "person",
    "quote": "At least 57,575 people were killed.", "quote_start": 0, "char_start": 9, "char_end": 15, "indicator": "deaths",
    "location": "Palestine", "reference_date": "2025-05-20", "source": "Reuters", "publisher": "Reuters", "published": "2025-05-21",
    "attribution": "the ministry", "measure": "cumulative", "title": "Gaza toll", "doc": "gaza.txt", "doc_kind": "summary",
    "extractor_version": "0.9.0", "lang": "en",
}  # fmt: skip


@pytest.mark.parametrize(
    ("field", "other", "shown"),
    [
        pytest.param("source", "AP", "Source: AP", id="source"),
        pytest.param("publisher", "Al <b>Jazeera</b>", "Publisher: Al &lt;b&gt;Jazeera&lt;/b&gt;", id="publisher"),
        pytest.param("published", "2025-05-22", "Published: 22 May 2025", id="published"),
        pytest.param("attribution", None, "Attribution: none stated", id="attribution"),
        pytest.param("qualifier", "approx", "Qualifier: approximate", id="qualifier"),
        pytest.param("measure", "period", "Measure: total for a period", id="measure"),
        pytest.param("title", None, "Document: gaza.txt", id="title"),
        pytest.param("doc_kind", "report", "<i>report by Reuters</i>", id="doc-kind"),
        # Issue 14: a figure a person added is marked wherever it is shown, its chart point too.
        pytest.param(
            "extractor_version", "manual:amina", "<i>Added by hand by amina, not read by the extractor</i>", id="added-by-hand"
        ),
        pytest.param("lang", "fr", "as of 20 May 2025 · in French<br>", id="language"),  # issue 17: the quote's language
    ],
)
def test_tooltip_lines_shared_by_records_keep_each_records_values(field, other, shown):
    """The provenance lines are remembered between records: two records differing in one field still differ."""
    changed = {**TOOLTIP_RECORD, field: other}
    first, second = tooltips.tooltips_html({name: [TOOLTIP_RECORD[name], changed[name]] for name in tooltips.TOOLTIP_FIELDS})
    assert shown in second and shown not in first
    assert [first, second] == [tooltips.tooltip_html(TOOLTIP_RECORD), tooltips.tooltip_html(changed)]


def test_tooltip_with_an_unhashable_value():
    text = tooltips.tooltip_html({**TOOLTIP_RECORD, "attribution": ["the <ministry>"]})
    assert "Attribution: [&#x27;the &lt;ministry&gt;&#x27;]" in text


@pytest.mark.parametrize(
    ("start", "end", "width", "expected"),
    [
        pytest.param(10, 16, 9, "aaaa bbbb<br><b>12 345</b><br>cccc dddd", id="figure-alone-on-a-middle-line"),
        pytest.param(13, 21, 9, "aaaa bbbb<br>12 <b>345</b><br><b>cccc</b> dddd", id="figure-across-two-lines"),
        pytest.param(0, 4, 9, "<b>aaaa</b> bbbb<br>12 345<br>cccc dddd", id="figure-on-the-first-line"),
        pytest.param(22, 26, 9, "aaaa bbbb<br>12 345<br>cccc <b>dddd</b>", id="figure-on-the-last-line"),
        pytest.param(10, 16, 0, "aaaa bbbb <b>12 345</b> cccc dddd", id="unwrapped"),
        pytest.param(30, 40, 9, "aaaa bbbb<br>12 345<br>cccc dddd", id="span-outside-the-quote"),
    ],
)
def test_emphasized_quote_lines(start, end, width, expected):
    assert formatting.emphasized_quote_html("aaaa bbbb 12 345 cccc dddd", 0, start, end, width) == expected


def test_emphasized_quote_escapes_every_line():
    quote = 'a<b> "x" & c 5 <script>'
    assert (
        formatting.emphasized_quote_html(quote, 0, 13, 14, 6) == "a&lt;b&gt;<br>&#34;x&#34; &amp;<br>c <b>5</b><br>&lt;script&gt;"
    )


TOOLTIP_CASES = [
    pytest.param({}, id="plain"),
    pytest.param(
        {"quote": f"At least 57,575 {HOSTILE} & \"others\" were 'killed'.", "char_start": 9, "char_end": 15}, id="hostile-quote"
    ),
    pytest.param({"raw_value": HOSTILE, "qualifier": "vague", "high": 99.0}, id="hostile-vague-words"),
    pytest.param({"location": HOSTILE, "indicator": "x_<b>"}, id="hostile-heading"),
    pytest.param({"source": None, "publisher": None, "doc_kind": "report"}, id="no-source"),
    pytest.param({"reference_date": None, "published": None}, id="undated"),
    pytest.param({"reference_date": "2025-02-30", "published": "not a date"}, id="malformed-dates"),
    pytest.param({"location": 1.0}, id="number-location-float"),
    pytest.param({"location": 1}, id="number-location-int"),
    pytest.param({"value": float("nan"), "low": float("nan"), "high": float("nan")}, id="nan-values"),
    pytest.param({"quote": None, "quote_start": None, "char_start": None, "char_end": None}, id="no-quote"),
    pytest.param({"attribution": ["the <ministry>"]}, id="unhashable"),
    pytest.param({"location": ["<Gaza>"], "reference_date": ["2025"]}, id="unhashable-heading"),
    pytest.param({"unit": "person / day", "qualifier": "range", "low": 10.0, "high": 20.0}, id="rate-range"),
    pytest.param({"quote": "word " * 40, "char_start": 100, "char_end": 104}, id="long-wrapped-quote"),
]


@pytest.mark.parametrize("changes", TOOLTIP_CASES)
def test_tooltips_match_the_line_by_line_reference(changes):
    """tooltips_html (one loop, shared lines remembered) and tooltip_html give the reference's text, record by record;
    records made one after another in a batch, with and without each change, keep their own values."""
    records = [TOOLTIP_RECORD, {**TOOLTIP_RECORD, **changes}, TOOLTIP_RECORD, {**TOOLTIP_RECORD, **changes}]
    expected = [dashboard_reference.tooltip_html(record) for record in records]
    assert (
        tooltips.tooltips_html({name: [record.get(name) for record in records] for name in tooltips.TOOLTIP_FIELDS})
        == expected
    )
    assert [tooltips.tooltip_html(record) for record in records] == expected


@pytest.mark.parametrize("memo", [False, True], ids=["no-memo", "memo"])
def test_chart_tooltips_are_the_references(corpus_dataset, hostile_frame, memo):
    """Every point's hover text is its record's reference tooltip; a memo of tooltips changes nothing, even when
    it already holds some of them (the second drawing takes them from it)."""
    remembered: dict[str, str] | None = {} if memo else None
    for frame in (corpus_dataset.records, prepare_records(hostile_frame).records):
        expected = {row["record_id"]: dashboard_reference.tooltip_html(row) for row in frame.to_dict("records")}
        for location, records in frame.groupby("location_label", observed=True):
            for drawing in range(2 if memo else 1):
                figure = charts.trend_display(records, title=str(location), tooltips=remembered)
                shown = {
                    record_id: text
                    for trace in figure.to_dict()["data"]
                    if trace.get("hoverinfo") != "skip"
                    for record_id, text in zip(trace["customdata"], trace["hovertext"], strict=True)
                }
                # The record's tooltip, then who counted and who relayed it (origins.relay_html, tested apart).
                assert {record_id: text.split("<br>Counted by: ")[0] for record_id, text in shown.items()} == {
                    record_id: expected[record_id] for record_id in shown
                }, (location, drawing)
    if memo:
        assert remembered and all(text == expected.get(key, text) for key, text in remembered.items())


def _labelled(labels: list, codes: list) -> pd.DataFrame:
    return pd.DataFrame({"location_label": pd.Series(labels, dtype="category"), "location_iso3": pd.Series(codes, dtype="str")})


@pytest.mark.parametrize(
    "frame",
    [
        pytest.param(_labelled([], []), id="empty"),
        pytest.param(_labelled(["Sudan"] * 3, ["SDN", "SDN", "SSD"]), id="most-frequent-code"),
        pytest.param(_labelled(["Sudan", "Sudan"], ["SSD", "SDN"]), id="tie-first-code"),
        pytest.param(_labelled(["B", "A", "B", "A"], ["X", "X", "Y", "Y"]), id="labels-sharing-codes"),
        pytest.param(_labelled(["A", None, "B", "C"], [None, "X", "Y", None]), id="missing-values"),
        pytest.param(_labelled([None, None], [None, None]), id="all-missing"),
        pytest.param(pd.DataFrame({"location": ["Gaza", "Gaza"], "location_iso3": ["PSE", None]}), id="location-column"),
        pytest.param(pd.DataFrame({"location_label": ["Gaza"]}), id="no-codes"),
    ]
    + [
        pytest.param(_labelled(*np.random.default_rng(seed).choice(["A", "B", "C", None], (2, 40)).tolist()), id=f"random-{seed}")
        for seed in range(6)
    ],
)
def test_location_codes_match_the_group_by(frame):
    from dashboard.exports import file_names

    codes = file_names.location_codes(frame)
    assert list(codes.items()) == list(dashboard_reference.location_codes(frame).items())  # same codes, same order


def test_the_legend_sits_under_the_plot_in_rows(gaza_deaths, aid_workers):
    """A legend on the right took most of a phone's width (the plot was 64 px wide at 390 px): it goes below, horizontal."""
    for frame in (gaza_deaths, aid_workers):
        for figure in (charts.trend_figure(frame), charts.trend_display(frame)):
            layout = figure.to_dict()["layout"]
            legend = layout["legend"]
            assert legend["orientation"] == "h" and legend["yanchor"] == "top" and legend["y"] < 0
            assert legend["x"] == 0 and legend["xanchor"] == "left"
            plot_height = layout["height"] - layout["margin"]["t"] - layout["margin"]["b"]
            assert 50 <= -legend["y"] * plot_height <= 60  # under the date labels, not on them
            assert layout["margin"]["r"] <= 20  # no room kept on the right for a legend


def test_the_chart_table_lists_every_point_figure_first(gaza_deaths):
    table = tables.chart_table(gaza_deaths)
    figure = charts.trend_figure(gaza_deaths)
    assert list(table.columns) == ["Figure", "Date", "Source", "Who counted", "Qualifier", "Measure"]
    assert set(table["Who counted"]) == {"Gaza Ministry of Health"}  # the chart's series, for those who cannot see it
    assert len(table) == sum(len(trace.customdata) for trace in _points(figure))
    assert "at least 57,575" in set(table["Figure"]) or table["Figure"].str.contains(r"\d").all()
    latest = gaza_deaths.loc[gaza_deaths["date"].idxmax()]
    assert table.iloc[0]["Date"] == formatting.format_date(latest["date"])
    assert set(table["Qualifier"]) <= set(formatting.QUALIFIER_LABELS.values())


def test_the_chart_table_keeps_the_charts_points_only(gaza_deaths):
    undated = gaza_deaths.assign(date=pd.NaT)
    assert tables.chart_table(undated).empty
    assert len(tables.chart_table(gaza_deaths, max_points=3)) == 3


def test_on_a_dark_page_white_takes_blacks_place(corpus_dataset):
    """Okabe-Ito's black (the 7th busiest source) vanished on a dark page: its line, markers and bars."""
    records = corpus_dataset.records
    frame = records[records["indicator"] == "deaths"]
    frame = frame[frame["location_label"] == frame["location_label"].value_counts().index[0]]
    frame = frame.assign(originator=None)  # each outlet its own series: enough of them for the 7th colour
    assert len(charts.chart_series_rank(frame)) >= 7
    colours = {
        dark: {trace.get("marker", {}).get("color") for trace in charts.trend_display(frame, dark=dark).to_dict()["data"]}
        for dark in (False, True)
    }
    assert "#000000" in colours[False] and "#000000" not in colours[True] and "#FFFFFF" in colours[True]
    assert colours[True] - {"#FFFFFF"} == colours[False] - {"#000000"}


@pytest.mark.parametrize(
    "cells",
    [
        pytest.param({"Source": ["*AFP*", "*AFP*", "[x](javascript:1)"], "Date": ["3 May", "3 May", None]}, id="repeats-and-missing"),
        pytest.param({"Figure": ["www.example.org", "a_b", float("nan")]}, id="links-and-nan"),
        pytest.param({"Figure": []}, id="empty"),
    ],
)
def test_escaped_cells_are_every_cell_escaped(cells):
    from dashboard.model.formatting import escape_markdown
    from dashboard.ui.screens_ui import escaped_cells

    table = pd.DataFrame(cells, dtype=object)
    assert escaped_cells(table).equals(table.map(escape_markdown).astype(object))
