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
    _document,
    _record,
    _shared_spans,
    _single,
    _store,
    _versions_and_superseded,
    assert_same_frame,
    fast_reading,
    plain_reading,
)

from extractors.store import CURRENT_COLUMNS, current_records, open_store, queries
from extractors.store.schema import records


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


@pytest.mark.parametrize("names", [("title",), ("no_such_column",)], ids=["a-record-column", "unknown"])
def test_document_columns_must_be_extra_document_columns(engine, names) -> None:
    with pytest.raises(ValueError, match="not extra document columns"):
        current_records(engine, document_columns=names)


@pytest.fixture
def paths(monkeypatch) -> list[str]:
    """How the fast reader read its table: "per-document", or "documents-disagree" then "per-row"."""
    taken: list[str] = []
    per_document, per_row = queries._per_document_table, queries._per_row_table

    def spy_per_document(*args):
        table = per_document(*args)
        taken.append("per-document" if table is not None else "documents-disagree")
        return table

    def spy_per_row(*args):
        taken.append("per-row")
        return per_row(*args)

    monkeypatch.setattr(queries, "_per_document_table", spy_per_document)
    monkeypatch.setattr(queries, "_per_row_table", spy_per_row)
    return taken


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
    pytest.param(ONE_RECORD, {"source": "Other wire"}, "per-row", id="one-record-with-another-source"),
    pytest.param(ONE_RECORD, {"extractor_version": "older"}, "per-row", id="one-record-with-another-extractor-version"),
    pytest.param(ONE_RECORD, {"url": None}, "per-row", id="one-record-with-a-null-url"),
    pytest.param(ONE_RECORD, {"title": "Retitled", "doc": "renamed.txt"}, "per-row", id="one-record-with-another-title-and-doc"),
    pytest.param(
        records.c.superseded.is_(sa.true()), {"source": "Other wire"}, "per-document", id="only-a-superseded-record-differs"
    ),
]


@pytest.mark.parametrize(("where", "values", "path"), DISAGREEMENTS)
def test_records_disagreeing_with_their_document_are_read_per_row(engine, paths, where, values, path) -> None:
    """The document-level columns are read once per document only when all its current records agree on them."""
    _store(engine, *_versions_and_superseded())
    _update_records(engine, where, **values)
    fast_reading(engine)
    assert paths == (["documents-disagree", "per-row"] if path == "per-row" else ["per-document"])
    assert_every_reading_is_plain(engine)


WHOLE_DOCUMENT_NULLS = [
    pytest.param(records.c.doc_id.in_([f"{3:064x}", f"{20:064x}"]), id="two-documents"),
    pytest.param(sa.true(), id="every-document"),
]


@pytest.mark.parametrize("where", WHOLE_DOCUMENT_NULLS)
def test_documents_without_title_url_kind_or_date(engine, paths, where) -> None:
    """NULLs shared by a document's records are repeated as NULLs; a column NULL in every row stays None objects."""
    _store(engine, *_versions_and_superseded())
    _update_records(engine, where, title=None, url=None, doc_kind=None, published=None)
    frame = fast_reading(engine)
    assert paths == ["per-document"]
    assert frame["title"].isna().any()
    if where is sa.true():
        assert all(frame[name].dtype == object and set(frame[name]) == {None} for name in ("title", "url", "doc_kind"))
    assert_every_reading_is_plain(engine)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_agreeing_records_take_the_per_document_path(engine, paths, scenario) -> None:
    """As ingest writes them, a document's records agree: the per-row reading of those columns never runs."""
    _store(engine, *scenario())
    unordered = current_records(engine, document_columns=("publisher",), ordered=False)
    assert paths == ["per-document"]
    assert len(unordered) == len(plain_reading(engine))


def test_both_reads_see_one_snapshot(engine, monkeypatch) -> None:
    """A document committed between the documents' query and the records' query is in neither: without one
    snapshot it would take rank 1, shifting every other document's rank (their values would land on the wrong rows)."""
    _store(engine, *_versions_and_superseded())
    before = plain_reading(engine, ("publisher",))
    fetch, fetched = queries._fetch_batches, []

    def fetch_then_commit_a_first_document(*args):
        batches = fetch(*args)
        if not fetched:
            _store(engine, [_document(30, "0 first", publisher="Other")], [_record(30, i, source="Other") for i in range(2)])
        fetched.append(args)
        return batches

    monkeypatch.setattr(queries, "_fetch_batches", fetch_then_commit_a_first_document)
    during = fast_reading(engine, ("publisher",))
    monkeypatch.undo()
    assert len(fetched) == 2
    assert_same_frame(during, before)
    assert len(plain_reading(engine)) == len(before) + 2  # the commit happened, between the two reads


def test_inside_a_transaction_already_begun(engine, paths) -> None:
    """SQLite: the caller's transaction is one snapshot. PostgreSQL: its isolation is unknown (READ COMMITTED
    by default, a snapshot per statement), so every column is read by one query."""
    _store(engine, *_versions_and_superseded())
    with engine.connect() as connection:
        connection.execute(sa.select(1))  # SQLAlchemy begins a transaction
        frame = queries._current_records_fast(connection, ())
    assert paths == (["per-document"] if engine.dialect.name == "sqlite" else ["per-row"])
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
