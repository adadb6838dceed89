"""The default view's headline figures (filters.headline_figures), parts=1, and the status filter, in the URL and applied."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.model.filters import FilterChoices, Filters, apply_filters, filtered_positions, from_query_params, headline_figures

CHOICES = FilterChoices(indicators=("deaths",), locations=("Palestine",), sources=("A",), measures=("cumulative", "snapshot"))


@pytest.mark.parametrize(
    ("params", "expected", "notes"),
    [
        pytest.param({}, Filters(), 0, id="default-headlines"),
        pytest.param({"parts": "1"}, Filters(parts=True), 0, id="parts-1"),
        pytest.param({"parts": ["0", "yes"]}, Filters(parts=True), 0, id="last-value-wins"),
        pytest.param({"parts": "off"}, Filters(), 0, id="parts-off"),
        pytest.param({"parts": "<b>x</b>"}, Filters(), 1, id="parts-malformed"),
        pytest.param({"status": "projected"}, Filters(statuses=("projected",)), 0, id="status"),
        pytest.param({"status": ["Reported", "projected"]}, Filters(statuses=("reported", "projected")), 0, id="statuses-any-case"),
        pytest.param({"status": "guessed"}, Filters(), 1, id="status-unknown"),
    ],
)
def test_from_query_params(params, expected, notes):
    filters, got = from_query_params(params, CHOICES)
    assert filters == expected
    assert len(got) == notes


@pytest.mark.parametrize(
    "filters",
    [
        pytest.param(Filters(parts=True), id="parts"),
        pytest.param(Filters(statuses=("projected",), parts=True, indicators=("deaths",)), id="status-and-parts"),
    ],
)
def test_a_shared_link_keeps_the_choice(filters):
    assert from_query_params(filters.to_query_params(), CHOICES) == (filters, [])


@pytest.mark.parametrize(
    ("filters", "described"),
    [
        pytest.param(Filters(), "headline figures", id="default"),
        pytest.param(Filters(parts=True), "parts included", id="parts"),
        pytest.param(Filters(statuses=("projected",)), "projected · headline figures", id="status"),
    ],
)
def test_describe(filters, described):
    assert filters.describe() == described


def _frame(rows: list[dict]) -> pd.DataFrame:
    base = {"indicator": "deaths", "outcome": "killed", "location_label": "Palestine", "measure": "cumulative", "status": "reported"}
    frame = pd.DataFrame([{**base, **row} for row in rows])
    frame["headline"] = frame["headline"].astype("boolean")
    return frame


H, P, T = {"headline": True, "scope": "total"}, {"headline": False, "scope": "part"}, {"headline": False, "scope": "total"}


@pytest.mark.parametrize(
    ("rows", "shown"),
    [
        pytest.param([{"doc_id": "a", **H}, {"doc_id": "a", **P}], [True, False], id="headline-and-its-part"),
        pytest.param([{"doc_id": "a", **P}, {"doc_id": "a", **P}], [False, False], id="only-parts-are-hidden"),
        pytest.param([{"doc_id": "a", **H}, {"doc_id": "a", **T}], [True, False], id="second-total-of-the-headline-kind"),
        pytest.param(
            [{"doc_id": "a", **H}, {"doc_id": "a", **T, "status": "projected"}], [True, True], id="projection-beside-a-count"
        ),
        pytest.param([{"doc_id": "a", **H}, {"doc_id": "a", **T, "measure": "rate"}], [True, True], id="rate-beside-a-toll"),
        pytest.param([{"doc_id": "a", **T}, {"doc_id": "b", **H}], [True, True], id="headline-of-another-document"),
        pytest.param(
            [{"doc_id": "a", **H}, {"doc_id": "a", **T, "outcome": "injured"}], [True, True], id="another-outcome-has-no-headline"
        ),
        pytest.param(
            [{"doc_id": "a", **H}, {"doc_id": "a", **T, "location_label": "Israel"}], [True, True], id="total-at-another-place"
        ),
        pytest.param(
            [{"doc_id": "a", "headline": None, "scope": None}, {"doc_id": "a", "headline": None, "scope": None}],
            [True, True],
            id="stored-before-identity-shown",
        ),
        pytest.param([{"doc_id": "a", **H, "outcome": None}, {"doc_id": "a", **T, "outcome": None}], [True, False], id="no-outcome"),
    ],
)
def test_headline_figures(rows, shown):
    assert headline_figures(_frame(rows)).tolist() == shown


def test_headline_figures_of_nothing():
    assert headline_figures(_frame([{"doc_id": "a", **H}]).head(0)).tolist() == []


def test_default_keeps_headlines_and_parts_show_the_rest(corpus_dataset):
    records = corpus_dataset.records
    default = apply_filters(records, Filters())
    everything = apply_filters(records, Filters(parts=True))
    assert len(everything) == len(records)
    assert 0 < len(default) < len(records)
    assert not (default["scope"] == "part").any() and (everything["scope"] == "part").any()
    assert default["headline"].fillna(True).astype(bool).sum() >= len(default) - (default["status"] == "projected").sum()


def test_given_headlines_are_used_as_given(corpus_dataset):
    records = corpus_dataset.records
    computed = filtered_positions(records, Filters(indicators=("deaths",)))
    given = filtered_positions(records, Filters(indicators=("deaths",)), headline_figures(records))
    assert np.array_equal(computed, given)
    none_shown = filtered_positions(records, Filters(), np.zeros(len(records), dtype=bool))
    assert none_shown is not None and len(none_shown) == 0


@pytest.mark.parametrize("status", ["reported", "projected"])
def test_status_filter(corpus_dataset, status):
    kept = apply_filters(corpus_dataset.records, Filters(statuses=(status,), parts=True))
    assert len(kept) > 0 and set(kept["status"]) == {status}


IDENTITY = ("headline", "scope", "originator", "status", "outcome", "measure")


def test_identity_reaches_the_dashboard_and_its_snapshot(test_store, tmp_path, monkeypatch):
    from dashboard.model import data, snapshots
    from store import current_records

    engine = data.open_engine(test_store)
    try:
        stored = current_records(engine).set_index("record_id")
        first = snapshots.read_dataset(engine, tmp_path)
        monkeypatch.setattr(data, "read_reviewed_records", lambda engine: pytest.fail("the store was read in full"))
        again = snapshots.read_dataset(engine, tmp_path)  # from the snapshot
    finally:
        engine.dispose()
    for dataset in (first, again):
        records = dataset.records.set_index("record_id")
        assert set(IDENTITY) <= set(data.CONTRACT_COLUMNS) and set(IDENTITY) <= set(records.columns)
        for name in IDENTITY:
            assert records[name].astype(object).where(records[name].notna(), None).to_dict() == (
                stored.loc[records.index, name].astype(object).where(stored.loc[records.index, name].notna(), None).to_dict()
            ), name
        assert records["headline"].dtype == "boolean"
    assert np.array_equal(headline_figures(first.records), headline_figures(again.records))
