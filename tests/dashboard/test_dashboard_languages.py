"""Issue 17 on screen: the language filter (lang= in the URL), the language in tooltips, right-to-left quotes."""

from __future__ import annotations

import pandas as pd
import pytest
from testkit import new_app

from dashboard.model import provenance, tooltips
from dashboard.model.data import dataset_of, prepare_records
from dashboard.model.filters import FilterChoices, Filters, apply_filters, from_query_params
from dashboard.model.languages import isolated_lines

CHOICES = FilterChoices(indicators=("deaths",), languages=("en", "fr", "ar"))


@pytest.mark.parametrize(
    ("params", "expected", "notes"),
    [
        pytest.param({"lang": "fr"}, Filters(languages=("fr",)), 0, id="one-language"),
        pytest.param({"lang": ["AR", "fr"]}, Filters(languages=("ar", "fr")), 0, id="several-any-case"),
        pytest.param({"lang": "xx"}, Filters(), 1, id="unknown-ignored-with-a-note"),
    ],
)
def test_the_language_filter_is_read_from_the_url(params: dict, expected: Filters, notes: int) -> None:
    filters, found = from_query_params(params, CHOICES)
    assert filters == expected and len(found) == notes
    if expected.languages:
        assert filters.to_query_params()["lang"] == list(expected.languages)


def _dataset():
    rows = [
        {"record_id": f"r{n}", "doc_id": f"d{n}", "doc": f"{n}.txt", "indicator": "deaths", "value": 10.0 + n, "qualifier": "exact",
         "unit": "person", "raw_value": str(10 + n), "raw_unit": "", "measure": "period", "quote": quote, "char_start": 0,
         "char_end": 2, "source": "S", "extractor_version": "1", "raw_qualifier": "", "unit_factor": 1.0, "quote_start": 0,
         "headline": True, "scope": "total", "status": "reported", "lang": lang, "location": "Sudan", "published": "2025-01-0" + str(n + 1)}
        for n, (quote, lang) in enumerate([("10 killed.", "en"), ("11 morts.", "fr"), ("١٢ قتيلا", "ar"), ("13 killed.", None)])
    ]  # fmt: skip
    return prepare_records(pd.DataFrame(rows))


def test_the_dataset_offers_its_languages_english_first_and_the_filter_keeps_them() -> None:
    dataset = dataset_of(_dataset().records)
    assert dataset.languages == ("en", "ar", "fr")  # a record stored before languages were recorded offers none
    kept = apply_filters(dataset.records, Filters(languages=("ar", "fr"), parts=True))
    assert sorted(kept["lang"]) == ["ar", "fr"]


def test_an_arabic_quote_is_isolated_line_by_line_in_its_tooltip_and_an_english_one_is_unchanged() -> None:
    quote = "قتل <b>٣٠</b> شخصا"
    assert isolated_lines(quote, "ar") == "\u2068" + quote + "\u2069"
    assert isolated_lines("killed <b>30</b>", "en") == "killed <b>30</b>"
    record = {"value": 30.0, "qualifier": "exact", "quote": "قتل ٣٠ شخصا", "quote_start": 0, "char_start": 4, "char_end": 6,
              "indicator": "deaths", "lang": "ar"}  # fmt: skip
    tooltip = tooltips.tooltip_html(record)
    assert "\u2068قتل <b>٣٠</b> شخصا\u2069" in tooltip and " · in Arabic<br>" in tooltip


def test_a_document_is_shown_in_its_own_direction() -> None:
    html = provenance.document_html("قتل ٣٠ شخصا", [provenance.Span(4, 6, "r1", "deaths: 30")])
    assert html.startswith('<div class="doc-text" dir="auto">') and "unicode-bidi: plaintext" in provenance.DOCUMENT_CSS


def test_the_language_filter_round_trips_through_the_url_in_the_app(app_env) -> None:
    at = new_app({"lang": "en", "indicator": "deaths"})
    assert at.multiselect(key="f_lang").value == ["en"] and not at.exception
    assert at.query_params == {"lang": "en", "indicator": "deaths"}  # the URL keeps the view
    at.multiselect(key="f_lang").set_value([]).run()
    assert at.query_params == {"indicator": "deaths"}
