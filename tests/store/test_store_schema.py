"""Schema and migrations, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from extractors.record import FIELDS
from store import LATEST_VERSION, StoreError, current_version, migrate, open_store
from store.connect import create_store_engine, normalize_url
from store.migrations import STEPS
from store.schema import RECORD_EXTRA, RECORD_FIELDS_ADDED, metadata


def test_migrate_creates_the_schema_once(store_url: str) -> None:
    engine = create_store_engine(store_url)
    try:
        with engine.connect() as connection:
            assert current_version(connection) == 0
        assert migrate(engine) == LATEST_VERSION
        assert migrate(engine) == LATEST_VERSION  # a no-op the second time
        with engine.connect() as connection:
            assert current_version(connection) == LATEST_VERSION
            rows = connection.execute(sa.text("SELECT version FROM schema_version ORDER BY version")).scalars().all()
        assert rows == [step.number for step in STEPS]  # numbers are handed out per issue, so one may be missing until merged
    finally:
        engine.dispose()


def test_migrated_store_matches_schema_py(engine) -> None:
    """The numbered migrations and the table definitions used by the queries agree."""
    inspector = sa.inspect(engine)
    for table in metadata.sorted_tables:
        reflected = {column["name"]: column for column in inspector.get_columns(table.name)}
        assert list(reflected) == [column.name for column in table.columns], table.name
        for column in table.columns:
            assert reflected[column.name]["nullable"] == column.nullable, f"{table.name}.{column.name}"
        indexes = [index for index in inspector.get_indexes(table.name) if not index.get("duplicates_constraint")]
        assert {(index["name"], tuple(index["column_names"]), bool(index["unique"])) for index in indexes} == {
            (index.name, tuple(column.name for column in index.columns), index.unique) for index in table.indexes
        }, table.name
        uniques = {tuple(constraint["column_names"]) for constraint in inspector.get_unique_constraints(table.name)}
        assert uniques == {
            tuple(column.name for column in constraint.columns)
            for constraint in table.constraints
            if isinstance(constraint, sa.UniqueConstraint)
        }, table.name
    assert inspector.get_pk_constraint("records")["constrained_columns"] == ["record_id"]
    assert inspector.get_foreign_keys("records")[0]["referred_table"] == "documents"


def test_records_table_holds_the_record_contract() -> None:
    """Every contract field is a column of the same name, in contract order, then the store's own columns,
    then the fields a later migration appended (ALTER TABLE adds columns at the end)."""
    assert FIELDS[-len(RECORD_FIELDS_ADDED) :] == RECORD_FIELDS_ADDED
    first = FIELDS[: -len(RECORD_FIELDS_ADDED)]
    assert [column.name for column in metadata.tables["records"].columns] == [*first, *RECORD_EXTRA, *RECORD_FIELDS_ADDED]


def test_dashboard_indexes_exist(engine) -> None:
    indexes = {tuple(index["column_names"]) for index in sa.inspect(engine).get_indexes("records")}
    assert ("indicator", "location_iso3", "reference_date") in indexes
    assert ("source",) in indexes
    assert ("doc_id",) in indexes


def test_a_newer_schema_is_refused(store_url: str) -> None:
    engine = open_store(store_url)
    try:
        with engine.begin() as connection:
            connection.execute(
                sa.text("INSERT INTO schema_version (version, description, applied_at) VALUES (:v, 'future', 'now')"),
                {"v": LATEST_VERSION + 1},
            )
        with pytest.raises(StoreError, match="newer than this code"):
            migrate(engine)
    finally:
        engine.dispose()


def test_urls() -> None:
    assert normalize_url("postgresql://u:p@h:5/db") == "postgresql+psycopg://u:p@h:5/db"
    with pytest.raises(StoreError, match="unsupported store backend"):
        create_store_engine("mysql://u@h/db")
    with pytest.raises(StoreError, match="not a database URL"):
        create_store_engine("not a url")


def test_a_version_2_store_with_records_migrates_to_the_ranking_index(store_url: str, tmp_path, monkeypatch) -> None:
    """A store written at schema version 2 gets migration 3's index, and reads the records a store built at the
    latest version does, but for the identity fields of migration 5, which it never judged (NULL)."""
    import pandas as pd
    from store_helpers import as_of_version, write_briefs

    from store import current_records, ingest_source

    paths = write_briefs(tmp_path, 3)
    engine = create_store_engine(store_url)
    try:
        with monkeypatch.context() as patched:
            assert as_of_version(patched, engine, 2) == 2
            for path in paths:
                assert ingest_source(engine, path).status == "new"
        assert migrate(engine) == LATEST_VERSION
        assert "ix_documents_current_rank" in {index["name"] for index in sa.inspect(engine).get_indexes("documents")}
        migrated = current_records(engine, document_columns=("publisher",))
    finally:
        engine.dispose()
    fresh_engine = open_store(f"sqlite:///{tmp_path / 'fresh.sqlite'}")
    try:
        for path in paths:
            assert ingest_source(fresh_engine, path).status == "new"
        fresh = current_records(fresh_engine, document_columns=("publisher",))
    finally:
        fresh_engine.dispose()
    assert len(migrated) > 0
    assert migrated[list(RECORD_FIELDS_ADDED)].isna().all().all()
    assert fresh["headline"].notna().all() and fresh["status"].notna().all()
    unchanged = [name for name in migrated.columns if name not in RECORD_FIELDS_ADDED]
    pd.testing.assert_frame_equal(migrated[unchanged], fresh[unchanged], check_exact=True)


def test_sqlite_ranks_documents_from_the_covering_index(tmp_path) -> None:
    """The documents' ranking (current_records' first step) reads the index alone, never a document's text."""
    from sqlalchemy.dialects import sqlite

    from store import queries

    engine = open_store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    try:
        sql = str(queries._ranked_current_query(("publisher",)).compile(dialect=sqlite.dialect()))
        with engine.connect() as connection:
            plan = " | ".join(row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
        assert "COVERING INDEX ix_documents_current_rank" in plan, plan
    finally:
        engine.dispose()
