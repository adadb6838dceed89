"""current_records(): the fast reader (DBAPI cursor, Arrow, in-memory order) returns exactly the
frame of the straightforward query (SQLAlchemy rows, ORDER BY in the database), on SQLite and
PostgreSQL, including a PostgreSQL database whose collation is not byte order."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
import sqlalchemy as sa
from records_scenarios import (
    ORIGINS,
    SCENARIOS,
    _shared_spans,
    _single,
    _store,
    _versions_and_superseded,
    assert_same_frame,
    fast_reading,
    plain_reading,
)

from store import CURRENT_COLUMNS, current_records, open_store, queries
from store.schema import records


@pytest.mark.parametrize("scenario", SCENARIOS)
@pytest.mark.parametrize("document_columns", [(), ("publisher",)], ids=["records", "with-publisher"])
def test_current_records_equals_the_plain_query(engine, scenario, document_columns) -> None:
    _store(engine, *scenario())
    plain = plain_reading(engine, document_columns)
    assert len(plain) > 0
    assert list(plain.columns) == [*CURRENT_COLUMNS, *document_columns]
    assert_same_frame(current_records(engine, document_columns=document_columns), plain)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_fast_reader_needs_no_fallback(engine, scenario) -> None:
    """The fast reader itself gives the plain frame (so the comparison above is not the plain query twice);
    on PostgreSQL, figures sharing a span go to the plain query, since its collation orders them."""
    _store(engine, *scenario())
    shared_span_on_postgres = scenario is _shared_spans and engine.dialect.name != "sqlite"
    if shared_span_on_postgres:
        with pytest.raises(queries._SlowPathNeeded):
            fast_reading(engine)
    else:
        assert_same_frame(fast_reading(engine), plain_reading(engine))


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_unordered_reading_has_the_same_rows(engine, scenario) -> None:
    _store(engine, *scenario())
    plain = plain_reading(engine, ("publisher",))
    unordered = current_records(engine, document_columns=("publisher",), ordered=False)
    by_id = unordered.set_index("record_id").loc[plain["record_id"]].reset_index()[list(plain.columns)]
    assert_same_frame(by_id, plain)


def test_order_follows_documents_then_text_position(engine) -> None:
    _store(engine, *_versions_and_superseded())
    frame = current_records(engine)
    assert f"{0:064x}" not in set(frame["doc_id"])  # the superseded version is left out
    assert f"{3:08x}{7:08x}" not in set(frame["record_id"])  # and so is a superseded record
    first_doc = frame[frame["doc_id"] == frame["doc_id"].iloc[0]]
    assert list(first_doc["char_start"]) == sorted(first_doc["char_start"])


def test_unexpected_value_types_fall_back_to_the_plain_query(tmp_path) -> None:
    """SQLite keeps a text in a REAL column as text; the plain reading coerces it (low: NaN)."""
    engine = open_store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    try:
        _store(engine, *_single())
        with engine.begin() as connection:
            connection.execute(sa.text("UPDATE records SET low = 'n/a'"))
        with pytest.raises(queries._SlowPathNeeded):
            fast_reading(engine)
        frame = current_records(engine)
        assert_same_frame(frame, plain_reading(engine))
        assert frame["low"].isna().all()
    finally:
        engine.dispose()


CURRENT_ROW = (
    "(SELECT r.rowid FROM records r JOIN documents d ON d.doc_id = r.doc_id"
    " WHERE NOT r.superseded AND d.superseded_at IS NULL ORDER BY r.record_id LIMIT 1)"
)  # a record the readings return

SURPRISES = [
    # (A number written to a text column is stored as text: SQLite's column affinity converts it.)
    pytest.param(f"UPDATE records SET page = 'p1' WHERE rowid = {CURRENT_ROW}", id="text-in-an-integer-column"),
    pytest.param(f"UPDATE records SET char_end = 12.5 WHERE rowid = {CURRENT_ROW}", id="a-fraction-in-an-integer-column"),
    pytest.param(f"UPDATE records SET page = 2.5 WHERE rowid = {CURRENT_ROW}", id="a-fraction-in-a-nullable-integer-column"),
    pytest.param(f"UPDATE records SET value = 'many' WHERE rowid = {CURRENT_ROW}", id="text-in-a-number-column"),
    pytest.param(f"UPDATE records SET quote = X'C328' WHERE rowid = {CURRENT_ROW}", id="bytes-in-a-text-column"),
]


@pytest.mark.parametrize("sql", SURPRISES)
def test_values_of_another_type_give_the_plain_reading(tmp_path, sql: str) -> None:
    """A value SQLite stored with another type than its column's: current_records() gives what the plain reading
    gives, or fails as it does."""
    engine = open_store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    try:
        _store(engine, *SCENARIOS[0].values[0]())
        with engine.begin() as connection:
            connection.execute(sa.text(sql))
        try:
            expected = plain_reading(engine)
        except Exception as error:  # the plain reading refuses it too: so must current_records
            with pytest.raises(type(error)):
                current_records(engine)
            return
        assert_same_frame(current_records(engine), expected)
    finally:
        engine.dispose()


@pytest.mark.parametrize("names", [("title",), ("no_such_column",)], ids=["a-record-column", "unknown"])
def test_document_columns_must_be_extra_document_columns(engine, names) -> None:
    with pytest.raises(ValueError, match="not extra document columns"):
        current_records(engine, document_columns=names)


def assert_every_reading_is_plain(engine) -> None:
    """current_records(), ordered or not, with and without a document column, and the fast reader give the plain frame."""
    for document_columns in [(), ("publisher",)]:
        plain = plain_reading(engine, document_columns)
        assert_same_frame(current_records(engine, document_columns=document_columns), plain)
        assert_same_frame(fast_reading(engine, document_columns), plain)
        unordered = current_records(engine, document_columns=document_columns, ordered=False)
        assert_same_frame(unordered.set_index("record_id").loc[plain["record_id"]].reset_index()[list(plain.columns)], plain)


def _update_records(engine, where: sa.ColumnElement, **values: object) -> None:
    with engine.begin() as connection:
        assert connection.execute(records.update().where(where).values(**values)).rowcount > 0


ONE_RECORD = records.c.record_id == f"{3:08x}{1:08x}"  # the second of document 3's three current records

DISAGREEMENTS = [
    pytest.param(ONE_RECORD, {"source": "Other wire"}, id="one-record-with-another-source"),
    pytest.param(ONE_RECORD, {"extractor_version": "older"}, id="one-record-with-another-extractor-version"),
    pytest.param(ONE_RECORD, {"url": None}, id="one-record-with-a-null-url"),
    pytest.param(ONE_RECORD, {"title": "Retitled", "doc": "renamed.txt"}, id="one-record-with-another-title-and-doc"),
    pytest.param(records.c.superseded.is_(sa.true()), {"source": "Other wire"}, id="only-a-superseded-record-differs"),
]


@pytest.mark.parametrize(("where", "values"), DISAGREEMENTS)
def test_records_disagreeing_with_their_document_are_read_as_stored(engine, where, values) -> None:
    """Each record's own copy of its document's columns is read, even where it differs from its siblings'."""
    _store(engine, *_versions_and_superseded())
    _update_records(engine, where, **values)
    assert_every_reading_is_plain(engine)


WHOLE_DOCUMENT_NULLS = [
    pytest.param(records.c.doc_id.in_([f"{3:064x}", f"{20:064x}"]), id="two-documents"),
    pytest.param(sa.true(), id="every-document"),
]


@pytest.mark.parametrize("where", WHOLE_DOCUMENT_NULLS)
def test_documents_without_title_url_kind_or_date(engine, where) -> None:
    """NULLs are read as NULLs; a column NULL in every row stays None objects, as in the plain reading."""
    _store(engine, *_versions_and_superseded())
    _update_records(engine, where, title=None, url=None, doc_kind=None, published=None)
    frame = fast_reading(engine)
    assert frame["title"].isna().any()
    if where is sa.true():
        assert all(frame[name].dtype == object and set(frame[name]) == {None} for name in ("title", "url", "doc_kind"))
    assert_every_reading_is_plain(engine)


def test_inside_a_transaction_already_begun(engine) -> None:
    _store(engine, *_versions_and_superseded())
    with engine.connect() as connection:
        connection.execute(sa.select(1))  # SQLAlchemy begins a transaction
        frame = queries._current_records_fast(connection, ())
    assert_same_frame(frame, plain_reading(engine))


@pytest.fixture
def icu_engine(postgres) -> Iterator[object]:
    """A PostgreSQL database collating text linguistically (ICU, en-US) instead of byte by byte."""
    name = "store_icu_test"
    admin = f"host=127.0.0.1 port={postgres.port} user=postgres dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C'")
    engine = open_store(postgres.url(name))
    try:
        yield engine
    finally:
        engine.dispose()


def test_linguistic_collation_orders_documents_as_the_database_does(icu_engine) -> None:
    _store(icu_engine, *_versions_and_superseded())
    plain = plain_reading(icu_engine)
    origins = {f"{n:064x}": origin for n, origin in enumerate(ORIGINS)} | {f"{20:064x}": ORIGINS[0]}
    in_order = list(dict.fromkeys(plain["doc_id"].map(origins)))
    assert in_order != sorted(in_order)  # not byte order: the test would not tell otherwise
    assert_same_frame(fast_reading(icu_engine), plain)
    assert_same_frame(current_records(icu_engine), plain)


def test_rows_are_fetched_in_batches_from_the_database(engine, monkeypatch) -> None:
    """The fast reader asks the database for FETCH_ROWS rows at a time (on PostgreSQL from a server-side cursor:
    the default cursor held the whole result in memory at once), and the batches give the plain frame."""
    _store(engine, *_versions_and_superseded())
    monkeypatch.setattr(queries, "FETCH_ROWS", 2)
    with engine.connect() as connection:
        cursor = queries._batch_cursor(connection)
        assert (getattr(cursor, "name", None) == "current_records") is (engine.dialect.name == "postgresql")
        cursor.close()
    assert_same_frame(fast_reading(engine), plain_reading(engine))
