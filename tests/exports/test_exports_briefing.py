"""Briefing-ready figures: title, filters as subtitle, a source line with the sources and the extraction date."""

from __future__ import annotations

from datetime import date

import pytest
from exports_testkit import HOSTILE_QUOTE_PART

from dashboard.charts import charts
from dashboard.exports import briefing, briefing_text
from dashboard.model.filters import Filters

SIZES = [(1600, 900), (1280, 720), (900, 600), (600, 500), (420, 420)]


def annotation_texts(figure) -> list[str]:
    return [annotation.text or "" for annotation in figure.layout.annotations]


@pytest.mark.parametrize(
    ("text", "limit", "lines"),
    [
        ("", 20, [""]),
        ("short", 20, ["short"]),
        ("one two three four", 9, ["one two", "three", "four"]),
        ("abcdefghijklmnopqrstuvwxyz", 10, ["abcdefghij", "klmnopqrst", "uvwxyz"]),
    ],
)
def test_wrap(text, limit, lines):
    assert briefing_text.wrap(text, limit) == lines


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(), "All sources and dates · "),
        (Filters(sources=("UN OCHA",)), "Source: UN OCHA · "),
        (Filters(date_from=date(2024, 1, 1), date_to=date(2024, 12, 31)), "1 January 2024 – 31 December 2024 · "),
        (Filters(date_from=date(2024, 1, 1)), "From 1 January 2024 · "),
        (Filters(date_to=date(2024, 12, 31)), "Up to 31 December 2024 · "),
        (Filters(measures=("cumulative",), search="ministry"), "Only cumulative total · Matching “ministry” · "),
    ],
)
def test_the_subtitle_states_the_filters(corpus_records, filters, expected):
    subset = briefing_text.select_chart_records(corpus_records, "deaths", "Palestine")
    text = briefing_text.filters_text(filters, subset)
    assert text.startswith(expected)
    assert f"{len(subset)} figures from {subset['doc_id'].nunique()} reports" in text


def test_the_source_line_names_the_sources_and_the_extraction_date(corpus_records):
    subset = briefing_text.select_chart_records(corpus_records, "displaced", "Sudan")
    line = briefing_text.sources_text(subset, date(2025, 11, 25))
    for source in charts.chart_source_rank(subset):
        assert source in line
    assert "extracted on 25 November 2025" in line
    many = briefing_text.select_chart_records(corpus_records, "deaths", "Palestine")
    assert "more" in briefing_text.sources_text(many, None, max_named=3)


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize(
    ("indicator", "location"), [("deaths", "Palestine"), ("displaced", "Sudan"), ("aid_worker_casualties", "Palestine")]
)
def test_briefing_figure_fits_its_size(corpus_records, width, height, indicator, location):
    figure = briefing.briefing_chart(
        corpus_records, Filters(), indicator, location, extracted=date(2025, 11, 25), width=width, height=height
    )
    layout = figure.layout
    assert (layout.width, layout.height) == (width, height)
    assert layout.margin.t + layout.margin.b <= height - 40, "the plot area must keep some height"
    assert layout.margin.l + layout.margin.r <= width - 150
    assert charts.trend_title(indicator, location) in layout.title.text
    assert "All sources and dates" in layout.title.subtitle.text
    texts = annotation_texts(figure)
    assert any("extracted on 25 November 2025" in text.replace("<br>", " ") for text in texts)
    assert bool(layout.showlegend) == (width >= briefing.NARROW_WIDTH)  # narrow charts carry a text legend
    if width < briefing.NARROW_WIDTH:
        assert any("■" in text or "□" in text for text in texts)


def test_texts_from_the_data_are_escaped(hostile_records):
    records = hostile_records.assign(source="Evil <img src=x onerror=alert(1)>")
    figure = briefing.briefing_chart(records, Filters(search="<b>x</b>"), "deaths", "Palestine", width=600, height=500)
    texts = [figure.layout.title.text, figure.layout.title.subtitle.text, *annotation_texts(figure)]
    joined = " ".join(texts)
    assert "<img" not in joined and "&lt;img src=x onerror=alert(1)&gt;" in joined
    assert "<b>x</b>" not in figure.layout.title.subtitle.text
    assert all(HOSTILE_QUOTE_PART not in text for trace in figure.data for text in (trace.hovertext or []))


def test_an_empty_selection_gives_a_figure_with_a_message(corpus_records):
    figure = briefing.briefing_chart(corpus_records.head(0), Filters(), "deaths", "Palestine", width=600, height=500)
    assert "No dated figures" in " ".join(annotation_texts(figure))


def test_the_briefing_keeps_its_legend_on_the_right(corpus_records):
    """The dashboard's charts put their legend in rows below; a wide briefing keeps its own, beside the chart, spaced."""
    figure = briefing.briefing_chart(corpus_records, Filters(), "deaths", "Palestine", width=1600, height=900)
    legend = figure.layout.legend
    assert (legend.orientation, legend.xanchor, legend.yanchor) == ("v", "left", "top") and legend.x > 1
    assert legend.tracegroupgap == 10
