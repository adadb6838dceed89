"""dashboard.provenance (highlighted documents) and dashboard.analysis (tiles, source comparison)."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import analysis, provenance
from dashboard.data import prepare_records
from dashboard.provenance import Span, document_html

TEXT = "At least 57,575 people <b>died</b>; 1,200 were injured."


@pytest.mark.parametrize(
    ("spans", "selected", "expected"),
    [
        pytest.param([], None, "At least 57,575 people &lt;b&gt;died&lt;/b&gt;; 1,200 were injured.", id="no-spans-escaped"),
        pytest.param(
            [Span(9, 15, "r1", "Deaths: at least 57,575")],
            None,
            'At least <mark id="fig-r1" class="fig" title="Deaths: at least 57,575">57,575</mark> people &lt;b&gt;',
            id="one-span",
        ),
        pytest.param([Span(9, 15, "r1"), Span(36, 41, "r2")], "r2", 'class="fig selected" title="">1,200</mark>', id="selected"),
        pytest.param([Span(9, 15, "r1"), Span(12, 20, "r2")], None, '<mark id="fig-r1"', id="overlap-keeps-first"),
        pytest.param([Span(40, 999, "r9")], None, "1,200 were injured.", id="out-of-range-dropped"),
        pytest.param([Span(9, 15, 'r"><script>')], None, 'id="fig-rscript"', id="hostile-id"),
        pytest.param([Span(9, 15, "r1", '"><img src=x>')], None, 'title="&#34;&gt;&lt;img src=x&gt;"', id="hostile-label"),
    ],
)
def test_document_html(spans, selected, expected):
    html = document_html(TEXT, spans, selected=selected)
    assert expected in html
    assert html.startswith('<div class="doc-text">') and html.endswith("</div>")
    assert "<b>" not in html and "<script" not in html and "<img" not in html
    assert html.count("<mark") <= len(spans)


def test_overlapping_spans_do_not_duplicate_text():
    html = document_html(TEXT, [Span(9, 15, "r1"), Span(12, 20, "r2")])
    assert html.count("57,575") == 1 and "fig-r2" not in html


def test_document_view_of_a_stored_document(store_dataset):
    records = store_dataset.records
    doc_id = str(records.loc[records["doc"].str.contains("un-ocha-opt-2024|2024-07-05-un-ocha"), "doc_id"].iloc[0])
    spans = provenance.spans_from_records(store_dataset.documents_of(doc_id))
    assert len(spans) == 2
    assert {span.label for span in spans} == {"Deaths: at least 38,011", "Injured: at least 87,445"}


@pytest.mark.parametrize(
    ("offset", "expected"), [(0, 1), (99, 1), (100, 2), (500, 3)], ids=["start", "end-of-1", "page-2", "last"]
)
def test_page_of(offset, expected):
    assert provenance.page_of(offset, [0, 100, 200]) == expected


def test_page_of_unpaged():
    assert provenance.page_of(10, []) is None


def _records(rows: list[dict]) -> pd.DataFrame:
    base = {"indicator": "deaths", "location": "Palestine", "measure": "cumulative", "qualifier": "exact", "unit": "person", "quote": "q",
            "char_start": 0, "char_end": 1, "quote_start": 0, "doc": "d.txt", "published": None}  # fmt: skip
    frame = pd.DataFrame([{**base, **row} for row in rows])
    frame["record_id"] = [f"r{i}" for i in range(len(frame))]
    frame["raw_value"] = frame["value"].map(lambda v: f"{v:,.0f}")
    for column in ("low", "high"):
        if column not in frame:
            frame[column] = frame["value"]
    return prepare_records(frame).records


def test_headline_tile_latest_and_change_from_the_same_source():
    records = _records(
        [
            {"source": "A", "value": 100.0, "reference_date": "2024-01-01"},
            {"source": "B", "value": 130.0, "reference_date": "2024-01-15"},
            {"source": "A", "value": 150.0, "reference_date": "2024-02-01", "qualifier": "at_least", "high": None},
        ]
    )
    (tile,) = analysis.headline_tiles(records)["deaths"]
    assert (tile.location, tile.figure, tile.source, tile.date_text) == ("Palestine", "at least 150", "A", "1 February 2024")
    assert tile.delta == 50.0 and tile.previous_date == "1 January 2024"
    assert tile.change == "+50 since 1 January 2024"
    assert tile.trend == (100.0, 130.0, 150.0)


def test_headline_tile_without_previous_figure():
    records = _records(
        [
            {"source": "A", "value": 100.0, "reference_date": "2024-01-01"},
            {"source": "B", "value": 90.0, "reference_date": "2024-02-01"},
        ]
    )
    (tile,) = analysis.headline_tiles(records)["deaths"]
    assert tile.source == "B" and tile.delta is None and tile.change is None


def test_headline_tiles_limit_locations(corpus_dataset):
    tiles = analysis.headline_tiles(corpus_dataset.records, max_locations=2)
    assert all(len(group) <= 2 for group in tiles.values())
    assert set(tiles) == set(corpus_dataset.indicators)


def test_assign_windows():
    dates = pd.Series(pd.to_datetime(["2024-01-01", "2024-01-05", "2024-01-09", "2024-03-01"]))
    starts = analysis.assign_windows(dates, 7)
    assert list(starts.dt.strftime("%m-%d")) == ["01-01", "01-01", "01-09", "03-01"]


@pytest.mark.parametrize(
    ("threshold", "window", "flags"),
    [
        pytest.param(0.05, 7, 1, id="flagged-above-5pc"),
        pytest.param(0.50, 7, 0, id="not-above-50pc"),
        pytest.param(0.05, 0, 0, id="window-too-short"),
    ],
)
def test_compare_sources_flags_disagreements(threshold, window, flags):
    records = _records(
        [
            {"source": "A", "value": 1000.0, "reference_date": "2024-05-01"},
            {"source": "B", "value": 1200.0, "reference_date": "2024-05-04"},
            {"source": "C", "value": 20.0, "reference_date": "2024-05-03", "qualifier": "vague", "raw_value": "dozens"},
        ]
    )
    comparison = analysis.compare_sources(records, window_days=window, threshold=threshold)
    real = [flag for flag in comparison.disagreements if "C" not in (flag.low["source"], flag.high["source"])]
    assert len(real) == flags
    if flags:
        assert (real[0].low["source"], real[0].high["source"], round(real[0].ratio, 2), real[0].days_apart) == ("A", "B", 0.2, 3)


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        pytest.param(
            {"value": 1000.0, "low": 1000.0, "high": None, "qualifier": "at_least"},
            {"value": 1200.0, "low": 1200.0, "high": 1200.0, "qualifier": "exact"},
            True,
            id="at-least-below-exact",
        ),
        pytest.param(
            {"value": 1000.0, "low": 1000.0, "high": 1000.0, "qualifier": "exact"},
            {"value": 1200.0, "low": 1200.0, "high": 1200.0, "qualifier": "exact"},
            False,
            id="two-exact",
        ),
        pytest.param(
            {"value": 1000.0, "low": None, "high": 1000.0, "qualifier": "at_most"},
            {"value": 1200.0, "low": 1200.0, "high": None, "qualifier": "more_than"},
            False,
            id="at-most-vs-more-than",
        ),
        pytest.param(
            {"value": 1000.0, "low": None, "high": None, "qualifier": "approx"},
            {"value": 1200.0, "low": 1200.0, "high": 1200.0, "qualifier": "exact"},
            True,
            id="approx-open",
        ),
    ],
)
def test_bounds_overlap(first, second, expected):
    as_series = [pd.Series(record).replace({None: float("nan")}) for record in (first, second)]
    assert analysis.bounds_overlap(*as_series) is expected


def test_conservative_figure_is_the_lowest_credible():
    records = _records(
        [
            {"source": "A", "value": 1000.0, "reference_date": "2024-05-01", "qualifier": "at_least", "high": None},
            {"source": "B", "value": 1200.0, "reference_date": "2024-05-04"},
            {"source": "C", "value": 20.0, "reference_date": "2024-05-03", "qualifier": "vague", "raw_value": "dozens"},
        ]
    )
    window = analysis.compare_sources(records, window_days=7).windows.iloc[0]
    assert (window["conservative"], window["conservative source"]) == ("at least 1,000", "A")
    assert window["range"] == "1,000 – 1,200"  # the vague "dozens" is left out
    assert window["sources"] == 3


def test_compare_sources_side_by_side_columns(corpus_dataset):
    records = corpus_dataset.records
    famine = records[(records["indicator"] == "famine_exposure") & (records["location_label"] == "Palestine")]
    comparison = analysis.compare_sources(famine, window_days=30, threshold=0.05)
    assert {"window", "measure", "Daily Sabah", "TASS"} <= set(comparison.table.columns)
    assert any({flag.low["source"], flag.high["source"]} == {"Daily Sabah", "TASS"} for flag in comparison.disagreements)


def test_compare_sources_without_dated_records():
    assert analysis.compare_sources(_records([{"source": "A", "value": 1.0, "reference_date": None}])).empty
