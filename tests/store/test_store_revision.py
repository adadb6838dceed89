"""store_revision(): the exact change token behind the dashboard's snapshots (schema migration 4)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pytest
import sqlalchemy as sa
from store_helpers import as_of_version, write_brief, write_briefs

from store import (
    current_records,
    ingest_source,
    migrate,
    migrations,
    open_store,
    review_record,
    store_revision,
)
from store.connect import create_store_engine


class Change(NamedTuple):
    name: str
    apply: Callable[[Any, Path], None]  # (engine, tmp_path) -> None: one committed write


def _first_record_id(engine) -> str:
    return str(current_records(engine)["record_id"].iloc[0])


def _sql(statement: str) -> Callable[[Any, Path], None]:
    def apply(engine, _tmp_path: Path) -> None:
        with engine.begin() as connection:
            connection.execute(sa.text(statement))

    return apply


CHANGES = [
    Change("ingest-a-document", lambda engine, tmp: ingest_source(engine, write_brief(tmp / "more", 90))),
    Change("accept-a-figure", lambda engine, _: review_record(engine, _first_record_id(engine), "accept", "tester")),
    Change("reject-a-figure", lambda engine, _: review_record(engine, _first_record_id(engine), "reject", "tester")),
    # Plain SQL, outside this code: what counts and timestamps did not see.
    Change("sql-update-of-a-value", _sql("UPDATE records SET value = value + 1 WHERE rowid = (SELECT MIN(rowid) FROM records)")),
    Change(
        "sql-update-to-the-same-value", _sql("UPDATE records SET value = value WHERE rowid = (SELECT MIN(rowid) FROM records)")
    ),
    Change("sql-delete-of-a-record", _sql("DELETE FROM records WHERE rowid = (SELECT MAX(rowid) FROM records)")),
    Change(
        "sql-document-title", _sql("UPDATE documents SET title = 'Retitled' WHERE rowid = (SELECT MIN(rowid) FROM documents)")
    ),
]


@pytest.fixture
def sqlite_store(tmp_path: Path):
    engine = open_store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    for path in write_briefs(tmp_path / "briefs", 3):
        assert ingest_source(engine, path).status == "new"
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.mark.parametrize("change", CHANGES, ids=[change.name for change in CHANGES])
def test_every_committed_write_moves_the_revision(sqlite_store, tmp_path: Path, change: Change) -> None:
    before = store_revision(sqlite_store)
    assert before is not None
    change.apply(sqlite_store, tmp_path)
    after = store_revision(sqlite_store)
    assert after is not None and after != before
    assert after.split(":")[0] == before.split(":")[0]  # the same store


def test_reading_and_rolled_back_writes_leave_the_revision(sqlite_store) -> None:
    before = store_revision(sqlite_store)
    current_records(sqlite_store)
    with sqlite_store.connect() as connection, connection.begin() as transaction:
        connection.execute(sa.text("DELETE FROM records"))
        transaction.rollback()
    assert store_revision(sqlite_store) == before
    assert len(current_records(sqlite_store)) > 0


def test_two_stores_have_different_ids_at_the_same_revision(tmp_path: Path) -> None:
    first = open_store(f"sqlite:///{tmp_path / 'a.sqlite'}")
    second = open_store(f"sqlite:///{tmp_path / 'b.sqlite'}")
    try:
        a, b = store_revision(first), store_revision(second)
        assert a is not None and b is not None
        assert a.split(":")[1:] == b.split(":")[1:] and a != b
    finally:
        first.dispose()
        second.dispose()


def test_a_version_3_store_with_records_gets_a_revision_when_migrated(tmp_path: Path, monkeypatch) -> None:
    engine = create_store_engine(f"sqlite:///{tmp_path / 'store.sqlite'}")
    try:
        with monkeypatch.context() as patched:  # the code as it was before migration 4
            assert as_of_version(patched, engine, 3) == 3
            assert ingest_source(engine, write_brief(tmp_path / "briefs", 1)).status == "new"
        assert store_revision(engine) is None  # not tracked before the migration
        migrate(engine)
        before = store_revision(engine)
        assert before is not None and before.endswith(f":0:{migrations.LATEST_VERSION}")
        assert ingest_source(engine, write_brief(tmp_path / "briefs", 2)).status == "new"
        assert store_revision(engine) != before
    finally:
        engine.dispose()


def test_postgres_stores_are_not_tracked(postgres) -> None:
    """A counter row would serialise PostgreSQL's parallel writers: revision stays NULL, the token None."""
    engine = open_store(postgres.reset_database("revision_test"))
    try:
        assert store_revision(engine) is None
        with engine.connect() as connection:
            row = connection.execute(sa.text("SELECT store_id, revision FROM store_state")).one()
        assert len(row.store_id) == 32 and row.revision is None
    finally:
        engine.dispose()


def test_an_unreadable_store_has_no_revision(tmp_path: Path) -> None:
    path = tmp_path / "not-a-store.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    engine = create_store_engine(f"sqlite:///{path}")
    try:
        assert store_revision(engine) is None
    finally:
        engine.dispose()
