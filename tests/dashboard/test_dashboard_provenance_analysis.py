"""dashboard.model.provenance (highlighted documents) and dashboard.model.analysis (source comparison; the Overview's cards: test_dashboard_cards.py)."""

from __future__ import annotations

from typing import NamedTuple

import dashboard_reference
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from dashboard.model import analysis, provenance
from dashboard.model.data import prepare_records
from dashboard.model.provenance import Span, document_html

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
    assert html.startswith('<div class="doc-text" dir="auto">') and html.endswith("</div>")
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


class RangeCase(NamedTuple):
    figures: list[dict]  # one window's figures (source, value, qualifier, low, high)
    expected: str  # its "range" cell
    id: str


def _figure(source: str, value: float, qualifier: str, low: float | None, high: float | None) -> dict:
    return {"source": source, "value": value, "qualifier": qualifier, "low": low, "high": high, "reference_date": "2024-05-01"}


RANGE_CASES = [
    RangeCase([_figure("A", 5000.0, "exact", 5000.0, 5000.0)], "5,000", "exact: both ends stated"),
    RangeCase([_figure("A", 1000.0, "at_least", 1000.0, None)], "1,000+", "at least: open top"),
    # Found in the sample store's Sources page: "about 11,301,340" showed as "11,301,340+", which reads "at least".
    RangeCase([_figure("A", 11301340.0, "approx", None, None)], "~11,301,340+", "about: neither end stated"),
    RangeCase([_figure("A", 100.0, "fewer_than", None, 100.0)], "~100", "fewer than: open bottom"),
    RangeCase([_figure("A", 500.0, "at_most", None, 500.0)], "~500", "up to: open bottom"),
    RangeCase([_figure("A", 300.0, "approx", None, 300.0)], "~300", "nearly: a stated top only"),
    RangeCase(
        [_figure("A", 9000000.0, "at_least", 9000000.0, None), _figure("B", 11301340.0, "approx", None, None)],
        "9,000,000 – 11,301,340+",
        "a stated bottom and an approximate top",
    ),
    RangeCase(
        [_figure("A", 100.0, "approx", None, None), _figure("B", 100.0, "exact", 100.0, 100.0)],
        "100+",
        "a tie at the bottom: the stated bound wins",
    ),
]


@pytest.mark.parametrize("case", RANGE_CASES, ids=lambda case: case.id)
def test_the_range_marks_ends_the_wording_left_open(case: RangeCase) -> None:
    window = analysis.compare_sources(_records(case.figures), window_days=7).windows.iloc[0]
    assert window["range"] == case.expected


def test_compare_sources_side_by_side_columns(corpus_dataset):
    records = corpus_dataset.records
    famine = records[(records["indicator"] == "famine_exposure") & (records["location_label"] == "Palestine")]
    comparison = analysis.compare_sources(famine, window_days=30, threshold=0.05)
    assert {"window", "measure", "Daily Sabah", "TASS"} <= set(comparison.table.columns)
    assert any({flag.low["source"], flag.high["source"]} == {"Daily Sabah", "TASS"} for flag in comparison.disagreements)


def test_compare_sources_without_dated_records():
    assert analysis.compare_sources(_records([{"source": "A", "value": 1.0, "reference_date": None}])).empty


def _generated_records(count: int, seed: int, *, vague_share: float = 0.1) -> pd.DataFrame:
    """Records of one indicator and place from 15 sources over 120 days: ties of dates, values and sources on purpose."""
    rng = np.random.default_rng(seed)
    qualifiers = rng.choice(["exact", "at_least", "more_than", "approx", "at_most", "range", "vague"], count,
                            p=[0.45, 0.15, 0.1, 0.1, 0.05, 0.05 + 0.1 - vague_share, vague_share])  # fmt: skip
    values = rng.choice([10.0, 12.0, 100.0, 250.0, 1000.0, 1200.0, 0.0], count)
    rows = []
    for i in range(count):
        qualifier = str(qualifiers[i])
        value = float(values[i])
        low = None if qualifier in ("approx", "at_most") else value
        high = (
            value * 1.5
            if qualifier in ("range", "vague")
            else (None if qualifier in ("at_least", "more_than", "approx") else value)
        )
        rows.append(
            {"value": value, "low": low, "high": high, "qualifier": qualifier, "source": f"Source {int(rng.integers(0, 15)):02d}",
             "measure": str(rng.choice(["cumulative", "period", "snapshot", "rate"])), "published": "2024-06-01",
             "reference_date": None if i % 37 == 0 else str(np.datetime64("2024-01-01") + int(rng.integers(0, 120))),
             "unit": "person / day" if i % 11 == 0 else "person", "raw_value": "dozens" if qualifier == "vague" else f"{value:,.0f}"}
        )  # fmt: skip
    frame = _records(rows)
    frame["raw_value"] = frame["raw_value"].where(frame["qualifier"].astype(str) != "vague", "dozens")
    return frame


def _corpus_subset(corpus_dataset, indicator: str, location: str | None) -> pd.DataFrame:
    records = corpus_dataset.records
    chosen = records["indicator"] == indicator
    if location is not None:
        chosen &= records["location_label"] == location
    return records[chosen]


COMPARISON_CASES = [
    pytest.param(lambda corpus: _corpus_subset(corpus, "famine_exposure", "Palestine"), id="corpus-famine-palestine"),
    pytest.param(lambda corpus: _corpus_subset(corpus, "deaths", "Palestine"), id="corpus-deaths-palestine"),
    pytest.param(lambda corpus: _corpus_subset(corpus, "aid_worker_casualties", None), id="corpus-aid-workers-all-places"),
    pytest.param(lambda corpus: _generated_records(400, seed=1), id="generated-400"),
    pytest.param(lambda corpus: _generated_records(120, seed=2, vague_share=0.1).assign(qualifier="vague"), id="all-vague"),
]


@pytest.mark.parametrize("case", COMPARISON_CASES)
@pytest.mark.parametrize(
    ("window", "threshold", "max_records", "max_flags"),
    [
        pytest.param(7, 0.05, 5000, 50, id="defaults"),
        pytest.param(0, 0.0, 5000, 50, id="one-day-windows-any-difference"),
        pytest.param(30, 1.0, 60, 2, id="month-windows-latest-60-two-flags"),
        pytest.param(3650, 0.05, 5000, 50, id="one-window"),
    ],
)
def test_compare_sources_matches_the_pandas_reference(corpus_dataset, case, window, threshold, max_records, max_flags):
    records = case(corpus_dataset)
    expected = dashboard_reference.compare_sources(records, window, threshold, max_records, max_flags)
    comparison = analysis.compare_sources(records, window, threshold, max_records, max_flags)
    assert not expected.empty
    pd.testing.assert_frame_equal(comparison.table, expected.table, check_exact=True)
    pd.testing.assert_frame_equal(comparison.windows, expected.windows, check_exact=True)
    assert repr(comparison.disagreements) == repr(expected.disagreements)  # repr: NaN bounds compare equal
    assert comparison.disagreement_count == expected.disagreement_count
    assert_same_table(analysis.side_by_side(comparison), dashboard_reference.side_by_side(expected))


def assert_same_table(table: pa.Table, frame: pd.DataFrame) -> None:
    """The Arrow table is what st.dataframe would have sent for the frame (the same columns, types and values)."""
    expected = pa.Table.from_pandas(frame, preserve_index=False)
    assert table.schema.names == expected.schema.names and table.schema.types == expected.schema.types
    assert table.equals(expected), table.to_pandas().compare(frame)


def test_side_by_side_of_tables_in_another_order_joins_them(corpus_dataset):
    comparison = analysis.compare_sources(_generated_records(200, seed=3))
    reordered = analysis.Comparison(comparison.table.iloc[::-1].reset_index(drop=True), comparison.windows)
    shown = analysis.side_by_side(reordered)
    assert_same_table(shown, dashboard_reference.side_by_side(reordered))
    assert shown["window"].to_pylist() == comparison.windows["window"].tolist()
