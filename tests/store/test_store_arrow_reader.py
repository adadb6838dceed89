"""arrow_reader: a worker process reads SQLite stores into Arrow (ADBC); its frame is exactly the in-process one,
and anything it cannot promise sends the reading back in process."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from typing import NamedTuple

import pyarrow as pa
import pytest
import sqlalchemy as sa
from records_scenarios import SCENARIOS, _store, assert_same_frame, plain_reading

from extractors.store import arrow_reader, current_records, open_store, queries


def _wait_for_worker(timeout: float = 90.0) -> None:
    arrow_reader.start_worker()
    deadline = time.monotonic() + timeout
    while not arrow_reader.worker_ready():
        assert time.monotonic() < deadline, "the reading worker did not start"
        time.sleep(0.05)


@pytest.fixture
def worker() -> Iterator[None]:
    _wait_for_worker()
    yield


def _worker_frame(engine, document_columns: tuple[str, ...] = (), *, ordered: bool = True):
    table = arrow_reader.current_table(engine, document_columns)
    return None if table is None else queries._frame_of(table, engine.dialect, ordered=ordered)


@pytest.mark.parametrize("scenario", SCENARIOS)
@pytest.mark.parametrize("document_columns", [(), ("publisher",)], ids=["records", "with-publisher"])
def test_the_worker_gives_the_plain_frame(engine, worker, scenario, document_columns) -> None:
    _store(engine, *scenario())
    frame = _worker_frame(engine, document_columns)
    if engine.dialect.name != "sqlite":
        assert frame is None  # PostgreSQL is read in process
        return
    assert frame is not None
    assert_same_frame(frame, plain_reading(engine, document_columns))
    assert_same_frame(current_records(engine, document_columns=document_columns, worker=True), frame)


CURRENT_ROW = (
    "(SELECT r.rowid FROM records r JOIN documents d ON d.doc_id = r.doc_id"
    " WHERE NOT r.superseded AND d.superseded_at IS NULL ORDER BY r.record_id LIMIT 1)"
)  # a record the readings return


class Surprise(NamedTuple):
    name: str
    sql: str  # run on a store of the versions-and-superseded scenario


SURPRISES = [
    # (A number written to a text column is stored as text: SQLite's column affinity converts it.)
    Surprise("text-in-an-integer-column", f"UPDATE records SET page = 'p1' WHERE rowid = {CURRENT_ROW}"),
    Surprise("a-fraction-in-an-integer-column", f"UPDATE records SET char_end = 12.5 WHERE rowid = {CURRENT_ROW}"),
    Surprise("a-fraction-in-a-nullable-integer-column", f"UPDATE records SET page = 2.5 WHERE rowid = {CURRENT_ROW}"),
    Surprise("text-in-a-number-column", f"UPDATE records SET value = 'many' WHERE rowid = {CURRENT_ROW}"),
    Surprise("bytes-in-a-text-column", f"UPDATE records SET quote = X'C328' WHERE rowid = {CURRENT_ROW}"),
]


@pytest.mark.parametrize("inference_rows", [arrow_reader.INFERENCE_ROWS, 1], ids=["types-from-all-rows", "from-the-first-row"])
@pytest.mark.parametrize("surprise", SURPRISES, ids=[surprise.name for surprise in SURPRISES])
def test_values_of_another_type_send_the_reading_back_in_process(
    sqlite_engine, worker, surprise: Surprise, inference_rows: int, monkeypatch
) -> None:
    # ADBC types a column from the rows of a batch: with one row, it meets the odd value after typing.
    monkeypatch.setattr(arrow_reader, "INFERENCE_ROWS", inference_rows)
    _store(sqlite_engine, *SCENARIOS[0].values[0]())
    with sqlite_engine.begin() as connection:
        connection.execute(sa.text(surprise.sql))
    assert arrow_reader.current_table(sqlite_engine, ()) is None
    try:
        expected = plain_reading(sqlite_engine)
    except Exception as error:  # the plain reading refuses it too: so must the reading with a worker
        with pytest.raises(type(error)):
            current_records(sqlite_engine, worker=True)
        return
    assert_same_frame(current_records(sqlite_engine, worker=True), expected)


@pytest.fixture
def sqlite_engine(tmp_path) -> Iterator[object]:
    engine = open_store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    try:
        yield engine
    finally:
        engine.dispose()


def test_an_empty_store_is_read_in_process(sqlite_engine, worker) -> None:
    assert arrow_reader.current_table(sqlite_engine, ()) is None


def test_the_worker_sees_what_this_process_just_committed(sqlite_engine, worker) -> None:
    _store(sqlite_engine, *SCENARIOS[0].values[0]())
    before = _worker_frame(sqlite_engine)
    with sqlite_engine.begin() as connection:
        connection.execute(sa.text(f"UPDATE records SET value = value + 1 WHERE rowid = {CURRENT_ROW}"))
    after = _worker_frame(sqlite_engine)
    assert before is not None and after is not None and not before.equals(after)
    assert_same_frame(after, plain_reading(sqlite_engine))


def test_no_read_waits_for_the_worker_to_start(sqlite_engine, monkeypatch) -> None:
    _store(sqlite_engine, *SCENARIOS[0].values[0]())
    arrow_reader._drop_worker()
    assert arrow_reader.current_table(sqlite_engine, ()) is None  # not ready: read in process, worker starting
    _wait_for_worker()
    assert arrow_reader.current_table(sqlite_engine, ()) is not None


def test_a_dead_worker_is_replaced(sqlite_engine, worker) -> None:
    _store(sqlite_engine, *SCENARIOS[0].values[0]())
    process = arrow_reader._ready_worker().process
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    assert arrow_reader.current_table(sqlite_engine, ()) is None  # in process this time
    _wait_for_worker()
    assert arrow_reader.current_table(sqlite_engine, ()) is not None


def test_turned_off_by_the_environment(sqlite_engine, worker, monkeypatch) -> None:
    _store(sqlite_engine, *SCENARIOS[0].values[0]())
    monkeypatch.setenv(arrow_reader.ENV, "off")
    assert arrow_reader.current_table(sqlite_engine, ()) is None


TEXT = pa.large_string()


class Conforming(NamedTuple):
    name: str
    given: pa.Table
    wanted: tuple[tuple[str, pa.DataType], ...]
    expected: pa.Table | None


CONFORMING = [
    Conforming("same-types", pa.table({"a": pa.array(["x"], TEXT)}), (("a", TEXT),), pa.table({"a": pa.array(["x"], TEXT)})),
    Conforming("string-widened", pa.table({"a": pa.array(["x"])}), (("a", TEXT),), pa.table({"a": pa.array(["x"], TEXT)})),
    Conforming(
        "all-null-of-another-type", pa.table({"a": pa.nulls(2, pa.int64())}), (("a", TEXT),), pa.table({"a": pa.nulls(2, TEXT)})
    ),
    Conforming("numbers-for-text", pa.table({"a": pa.array([1])}), (("a", TEXT),), None),
    Conforming("integers-for-floats", pa.table({"a": pa.array([1])}), (("a", pa.float64()),), None),
    Conforming("another-column", pa.table({"b": pa.array(["x"])}), (("a", TEXT),), None),
    Conforming("invalid-utf8", pa.table({"a": pa.array([b"\xc3("], pa.binary()).view(pa.string())}), (("a", TEXT),), None),
]


@pytest.mark.parametrize("case", CONFORMING, ids=[case.name for case in CONFORMING])
def test_conform(case: Conforming) -> None:
    result = arrow_reader.conform(case.given, case.wanted)
    assert (result is None) == (case.expected is None)
    if result is not None:
        assert result.equals(case.expected) and result.schema == case.expected.schema


def test_the_worker_ends_when_its_parent_lets_go() -> None:
    """Its stdin closing (its parent ended, or stopped it) ends it: no process outlives the dashboard."""
    worker = arrow_reader._Worker()
    assert worker.ready.wait(90)
    worker.process.stdin.close()
    assert worker.process.wait(timeout=30) == 0


def test_a_worker_that_cannot_start_leaves_reads_in_process(sqlite_engine, monkeypatch) -> None:
    _store(sqlite_engine, *SCENARIOS[0].values[0]())
    arrow_reader._drop_worker()

    def cannot_start(*args, **kwargs):
        raise OSError("no interpreter")

    monkeypatch.setattr(arrow_reader.subprocess, "Popen", cannot_start)
    arrow_reader.start_worker()  # never raises
    assert arrow_reader.current_table(sqlite_engine, ()) is None
    assert_same_frame(current_records(sqlite_engine, worker=True), plain_reading(sqlite_engine))
