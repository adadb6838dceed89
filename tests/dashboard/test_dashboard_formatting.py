"""dashboard.model.formatting: numbers, qualifiers, dates, escaping and provenance tooltips."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from dashboard.model.formatting import (
    WORD_JOINER,
    article,
    document_label,
    emphasized_quote_html,
    escape_html,
    escape_markdown,
    format_change,
    format_date,
    format_figure,
    format_number,
    format_signed,
    split_quote,
)
from dashboard.model.tooltips import tooltip_html

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(57575, "57,575", id="thousands"),
        pytest.param(57575.0, "57,575", id="float-integral"),
        pytest.param(1_900_000, "1,900,000", id="millions"),
        pytest.param(28.5, "28.5", id="rate-fraction"),
        pytest.param(0, "0", id="zero"),
        pytest.param(None, "—", id="none"),
        pytest.param(float("nan"), "—", id="nan"),
        pytest.param(float("inf"), "—", id="inf"),
    ],
)
def test_format_number(value, expected):
    assert format_number(value) == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param((57575, "at_least"), "at least 57,575", id="at-least"),
        pytest.param((30000, "more_than"), "more than 30,000", id="more-than"),
        pytest.param((1_900_000, "at_most"), "at most 1,900,000", id="at-most"),
        pytest.param((100, "fewer_than"), "fewer than 100", id="fewer-than"),
        pytest.param((6_900_000, "approx"), "about 6,900,000", id="approx"),
        pytest.param((38011, "exact"), "38,011", id="exact"),
        pytest.param((5000, "range", 5000, 7000), "5,000–7,000", id="range"),
        pytest.param((24, "vague", 24, 99, "Dozens"), "dozens (24–99)", id="vague-bounded"),
        pytest.param((100, "vague", 100, None, "hundreds"), "hundreds (at least 100)", id="vague-open"),
        pytest.param((28, "exact", 28, 28, "28", "person / day"), "28 per day", id="rate"),
        pytest.param((5, "unknown-qualifier"), "5", id="unknown-qualifier"),
    ],
)
def test_format_figure(args, expected):
    assert format_figure(*args) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("2025-05-25", "25 May 2025", id="iso"),
        pytest.param("2025-05-05", "5 May 2025", id="no-leading-zero"),
        pytest.param("2025-05-25T10:00:00+00:00", "25 May 2025", id="timestamp-string"),
        pytest.param(date(2023, 10, 7), "7 October 2023", id="date"),
        pytest.param(datetime(2024, 2, 29, 12), "29 February 2024", id="datetime"),
        pytest.param("2025-02-30", "undated", id="impossible-day"),
        pytest.param("25/05/2025", "undated", id="not-iso"),
        pytest.param(None, "undated", id="none"),
        pytest.param("<script>", "undated", id="hostile"),
    ],
)
def test_format_date(value, expected):
    assert format_date(value) == expected


@pytest.mark.parametrize(
    ("current", "previous", "when", "expected"),
    [
        pytest.param(60034, 57575, "2025-05-25", "+2,459 since 25 May 2025", id="increase"),
        pytest.param(500, 700, None, "−200", id="decrease-undated"),
        pytest.param(5, 5, None, "±0", id="unchanged"),
        pytest.param(5, None, None, None, id="no-previous"),
    ],
)
def test_format_change(current, previous, when, expected):
    assert format_change(current, previous, when) == expected


@pytest.mark.parametrize(
    ("delta", "expected"), [(2409, "+2,409"), (-1200, "-1,200"), (0, "0"), (None, "")], ids=["up", "down", "zero", "none"]
)
def test_format_signed(delta, expected):
    assert format_signed(delta) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("[x](javascript:alert(1))", id="link"),
        pytest.param("![img](http://x/y.png)", id="image"),
        pytest.param("**bold** _it_", id="emphasis"),
        pytest.param("$x^2$", id="latex"),
        pytest.param(":red[alert] :material/home:", id="directive"),
        pytest.param("<b>html</b> &amp;", id="html"),
        pytest.param("# heading", id="heading"),
    ],
)
def test_escape_markdown_neutralises_markup(text):
    escaped = escape_markdown(text)
    assert not re.search(r"(?<!\\)[\[\]()*_$:<>#&!]", escaped), escaped
    assert escaped.replace("\\", "").replace(WORD_JOINER, "") == text  # shown as written (the joiner is invisible)


def test_escape_html_escapes_quotes_and_missing():
    assert escape_html('<a href="x">') == "&lt;a href=&#34;x&#34;&gt;"
    assert escape_html(None) == ""


@pytest.mark.parametrize(
    ("kind", "source", "expected"),
    [
        pytest.param("summary", "Reuters", "summary of a Reuters report", id="summary"),
        pytest.param("summary", "Al Jazeera", "summary of an Al Jazeera report", id="summary-an"),
        pytest.param("summary", "UN OCHA", "summary of a UN OCHA report", id="summary-acronym"),
        pytest.param("summary", "The National (UAE)", "summary of a report by The National (UAE)", id="summary-the"),
        pytest.param(None, "OCHA", "report by OCHA", id="original"),
        pytest.param("sitrep", "OCHA", "sitrep by OCHA", id="other-kind"),
    ],
)
def test_document_label(kind, source, expected):
    assert document_label(kind, source) == expected


def test_article():
    assert [article(w) for w in ("Al Jazeera", "IOM", "Reuters", "UN", "")] == ["an", "an", "a", "a", "a"]


@pytest.mark.parametrize(
    ("offsets", "expected"),
    [
        pytest.param((10, 19, 25), ("At least ", "57,575", " died."), id="inside"),
        pytest.param((10, 5, 12), ("At least 57,575 died.", "", ""), id="before-quote"),
        pytest.param((10, 19, 99), ("At least 57,575 died.", "", ""), id="past-end"),
        pytest.param((None, 19, 25), ("At least 57,575 died.", "", ""), id="missing-offset"),
    ],
)
def test_split_quote(offsets, expected):
    assert split_quote("At least 57,575 died.", *offsets) == expected


def test_emphasized_quote_escapes_and_bolds_the_figure():
    quote = f"At least 57,575 people {HOSTILE} died."
    html = emphasized_quote_html(quote, 100, 109, 115, width=0)
    assert html.startswith("At least <b>57,575</b> people &lt;img src=x onerror=alert(1)&gt; died.")
    assert "<img" not in html


def test_emphasized_quote_wraps_lines_without_breaking_the_markup():
    quote = "word " * 30 + "12,345 killed " + "word " * 30
    start = quote.index("12,345")
    html = emphasized_quote_html(quote, 0, start, start + 6, width=40)
    assert html.count("<br>") >= 3
    assert "<b>12,345</b>" in html
    assert all(len(line) <= 60 for line in html.replace("<b>", "").replace("</b>", "").split("<br>"))


def _record(**changes):
    record = {
        "indicator": "deaths",
        "value": 57575.0,
        "low": 57575.0,
        "high": None,
        "qualifier": "at_least",
        "unit": "person",
        "raw_value": "57,575",
        "measure": "cumulative",
        "location": "Palestine",
        "attribution": "the health ministry",
        "quote": "At least 57,575 people were killed, the health ministry said.",
        "quote_start": 100,
        "char_start": 109,
        "char_end": 115,
        "source": "Reuters",
        "publisher": "Reuters",
        "published": "2025-05-26",
        "reference_date": "2025-05-25",
        "title": "Gaza toll",
        "doc": "gaza.txt",
        "doc_kind": "summary",
    }
    record.update(changes)
    return record


def test_tooltip_has_every_provenance_field():
    tip = tooltip_html(_record())
    for part in (
        "<b>at least 57,575</b>",
        "as of 25 May 2025",
        "<b>57,575</b> people",
        "Source: Reuters",
        "Publisher: Reuters",
        "Published: 26 May 2025",
        "Attribution: the health ministry",
        "Qualifier: at least",
        "Measure: cumulative total",
        "Document: Gaza toll",
        "summary of a Reuters report",
    ):
        assert part in tip, part


@pytest.mark.parametrize("field", ["quote", "source", "publisher", "attribution", "title", "location"])
def test_tooltip_escapes_every_document_text(field):
    text = f"At least 57,575 people {HOSTILE} died." if field == "quote" else f"x {HOSTILE} y"
    tip = tooltip_html(_record(**{field: text}))
    assert "<img" not in tip
    assert "&lt;img src=x onerror=alert(1)&gt;" in tip


def test_tooltip_without_reference_date_or_attribution():
    tip = tooltip_html(_record(reference_date=None, attribution=None, doc_kind=None))
    assert "no reference date" in tip
    assert "Attribution: none stated" in tip
    assert "report by Reuters" in tip
