"""The live copy (dashboard/model/live.py): after each kind of write, refreshing the copy gives
exactly what a full read of the store gives, without reading the store in full."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from dashboard_testkit import CORPUS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.model import data as data_module
from dashboard.model import live
from dashboard.model.filters import headline_figures
from store import add_figure, correct_document, ingest_source, open_store, review_record
from store.connect import sqlite_path

REVIEWER = "Amina"


def nth_record(copy: live.LiveCopy, n: int) -> dict:
    return copy.dataset.records.iloc[n].to_dict()


def accept(engine, copy, folder):
    review_record(engine, nth_record(copy, 3)["record_id"], "accept", REVIEWER)


def reject(engine, copy, folder):
    review_record(engine, nth_record(copy, 4)["record_id"], "reject", REVIEWER)


def correct_value_and_date(engine, copy, folder):  # the record moves to another place in the date order
    record = nth_record(copy, -2)
    review_record(
        engine,
        record["record_id"],
        "correct",
        REVIEWER,
        changes={"value": 7.0, "low": 7.0, "high": 7.0, "reference_date": "2001-01-02"},
    )


def add_by_hand(engine, copy, folder):
    record = nth_record(copy, 0)
    add_figure(engine, record["doc_id"], record["char_start"], record["char_end"], REVIEWER, indicator="injured", value=5)


def correct_document_details(engine, copy, folder):
    correct_document(engine, nth_record(copy, 1)["doc_id"], REVIEWER, changes={"publisher": "Another publisher"})


def ingest_new(engine, copy, folder):
    result = ingest_source(engine, CORPUS / "sudan-famine-2024-06-27-ipc.txt")
    assert result.status == "new", result


def ingest_new_version(engine, copy, folder):  # the first version is superseded: its records leave
    brief = folder / "brief.txt"
    brief.write_text("KHARTOUM, 3 March 2025 - At least 40 people were killed in shelling, the ministry said.\n")
    ingest_source(engine, brief)
    live_copy = live.read_copy(engine)
    assert len(live_copy.dataset.records) == len(copy.dataset.records) + 1
    brief.write_text("KHARTOUM, 3 March 2025 - At least 52 people were killed in shelling, the ministry said.\n")
    assert ingest_source(engine, brief).status == "new version"


WRITES: dict[str, Callable] = {
    "figure accepted": accept,
    "figure rejected": reject,
    "figure corrected to another date": correct_value_and_date,
    "figure added by hand": add_by_hand,
    "document details corrected": correct_document_details,
    "new document": ingest_new,
    "new version of a document": ingest_new_version,
}


@pytest.fixture
def engine(test_store: str, tmp_path: Path):
    path = tmp_path / "store.sqlite"
    shutil.copy(sqlite_path(test_store), path)
    engine = open_store(f"sqlite:///{path}")
    yield engine
    engine.dispose()


def assert_same(refreshed: live.LiveCopy, full: live.LiveCopy) -> None:
    pd.testing.assert_frame_equal(refreshed.dataset.records, full.dataset.records)
    np.testing.assert_array_equal(refreshed.headlines, full.headlines)
    assert refreshed.current == full.current
    for name in ("indicators", "locations", "sources", "measures", "first_date", "last_date", "source_rank"):
        assert getattr(refreshed.dataset, name) == getattr(full.dataset, name), name


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_refresh_reads_only_what_changed(engine, tmp_path: Path, write: Callable, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(live, "FULL_READ_SHARE", 1.0)  # a small store: never fall back to a full read
    copy = live.read_copy(engine)
    before = copy.dataset.records.copy()
    write(engine, copy, tmp_path)
    refreshed = live.refreshed(copy, engine)
    assert refreshed.full_reads == 1
    assert_same(refreshed, live.read_copy(engine))
    pd.testing.assert_frame_equal(copy.dataset.records, before)  # the old copy, still drawn from, is untouched


def column_buffers(column: pd.Series) -> list[int]:
    """The addresses of a column's data buffers (the codes of a categorical, the Arrow buffers of a text)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        column = pd.Series(column.cat.codes)
    array = column.array
    if hasattr(array, "_pa_array"):
        return [buffer.address for chunk in array._pa_array.chunks for buffer in chunk.buffers() if buffer is not None]
    return [np.asarray(array).__array_interface__["data"][0]]


def test_an_accepted_figure_shares_the_unchanged_columns_with_the_old_copy(engine, tmp_path: Path, monkeypatch) -> None:
    """The old copy lives on while a page still draws from it: the new one holds no second copy of what did not change."""
    monkeypatch.setattr(live, "FULL_READ_SHARE", 1.0)
    copy = live.read_copy(engine)
    accept(engine, copy, tmp_path)
    old, new = copy.dataset.records, live.refreshed(copy, engine).dataset.records
    shared = {name for name in old.columns if column_buffers(old[name]) == column_buffers(new[name])}
    assert set(old.columns) - shared == {"review_status"}


def test_refresh_after_many_writes_stays_exact(engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Refreshes in a row, each from the last copy; every text column ends in one piece (data.single_chunked)."""
    monkeypatch.setattr(live, "FULL_READ_SHARE", 1.0)
    copy = live.read_copy(engine)
    for write in WRITES.values():
        write(engine, copy, tmp_path)
        copy = live.refreshed(copy, engine)
    assert copy.full_reads == 1
    assert_same(copy, live.read_copy(engine))
    records = copy.dataset.records
    assert {records[name].array._pa_array.num_chunks for name in records if str(records[name].dtype) == "str"} == {1}


def test_many_changed_documents_are_read_in_full(engine, tmp_path: Path) -> None:
    copy = live.read_copy(engine)
    for path in sorted(CORPUS.glob("sudan-*.txt"))[:5]:
        ingest_source(engine, path)
    refreshed = live.refreshed(copy, engine)
    assert refreshed.full_reads == 2
    assert_same(refreshed, live.read_copy(engine))


def test_nothing_changed_keeps_the_copy(engine) -> None:
    copy = live.read_copy(engine)
    assert live.refreshed(copy, engine).dataset is copy.dataset


def test_refresh_on_postgresql(postgres, monkeypatch: pytest.MonkeyPatch) -> None:
    """PostgreSQL tracks no revision: the copy follows the same logs and current documents there."""
    monkeypatch.setattr(live, "FULL_READ_SHARE", 1.0)
    engine = open_store(postgres.reset_database("live_test"))
    try:
        for path in sorted(CORPUS.glob("gaza-deaths-*.txt"))[:3]:
            ingest_source(engine, path)
        copy = live.read_copy(engine)
        assert copy.identity is None
        correct_value_and_date(engine, copy, None)
        ingest_new(engine, copy, None)
        refreshed = live.refreshed(copy, engine)
        assert refreshed.full_reads == 1
        assert_same(refreshed, live.read_copy(engine))
    finally:
        engine.dispose()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_documents_spliced_in_or_out_give_the_sorted_frame(corpus_frame: pd.DataFrame, data) -> None:
    """Any documents added to (or dropped from) a prepared frame land where preparing everything puts them."""
    documents = sorted(corpus_frame["doc"].unique())
    chosen = data.draw(st.sets(st.sampled_from(documents), min_size=1, max_size=len(documents) - 1))
    inside = corpus_frame["doc"].isin(chosen)
    prepared = {name: data_module.prepare_records(frame).records for name, frame in (
        ("all", corpus_frame), ("rest", corpus_frame[~inside]), ("chosen", corpus_frame[inside])
    )}  # fmt: skip
    for old, dropped, new, expected in (
        (prepared["rest"], frozenset(), prepared["chosen"], prepared["all"]),  # documents added
        (prepared["all"], frozenset(prepared["chosen"]["doc_id"]), prepared["chosen"].iloc[:0], prepared["rest"]),  # left
    ):
        frame, headlines = live.merge_records(old, headline_figures(old), dropped, new)
        pd.testing.assert_frame_equal(data_module.dataset_of(frame).records, data_module.dataset_of(expected).records)
        np.testing.assert_array_equal(headlines, headline_figures(expected))
