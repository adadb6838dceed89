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
        # Steps are numbered by the work that added them, so a branch may hold 9 before 7 and 8 are merged.
        assert rows == [step.number for step in STEPS] == sorted({step.number for step in STEPS})
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


def test_a_version_9_store_gets_ocha_p_codes_and_keeps_its_iso_codes(tmp_path, monkeypatch) -> None:
    """Migration 10 moves the ISO 3166-2 codes of *_code to *_iso and fills *_code with OCHA p-codes: a store
    written at version 9 then reads what a fresh one does."""
    from store_helpers import as_of_version

    from store import current_records, ingest_source

    path = tmp_path / "brief.txt"
    path.write_text(
        "Published: 2025-11-02\n\nAt least 460 people were killed in El Fasher, North Darfur, the health ministry said. "
        "In Gaza, 1,200 people were displaced from Jabalia in one week, UN OCHA said.\n",
        encoding="utf-8",
    )
    columns = ["admin1", "admin1_code", "admin2", "admin2_code", "admin1_iso", "admin2_iso"]
    engines = {}
    for name in ("old", "fresh"):
        engine = create_store_engine(f"sqlite:///{tmp_path / name}.sqlite")
        engines[name] = engine
        with monkeypatch.context() as patched:
            if name == "old":
                assert as_of_version(patched, engine, 9) == 9
            else:
                migrate(engine)
            assert ingest_source(engine, path).status == "new"
    try:
        old_codes = _column_values(engines["old"], "admin1_code")
        assert migrate(engines["old"]) == LATEST_VERSION
        migrated, fresh = (current_records(engines[name])[columns].sort_values(columns) for name in ("old", "fresh"))
    finally:
        for engine in engines.values():
            engine.dispose()
    assert "SD-DN" in old_codes
    assert ("North Darfur", "SD02", "El Fasher", "SD02114", "SD-DN", None) in set(migrated.itertuples(index=False, name=None))
    assert migrated.reset_index(drop=True).equals(fresh.reset_index(drop=True))


def _column_values(engine, column: str) -> set:
    with engine.connect() as connection:
        return set(connection.execute(sa.text(f"SELECT {column} FROM records")).scalars())


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


def test_a_step_numbered_below_the_store_version_is_still_applied(tmp_path, monkeypatch) -> None:
    """Steps are numbered by the work that added them: a store migrated by code that lacked a step
    (9 merged before 7 and 8) gets that step when the code has it."""
    from store import migrations

    everything = migrations.STEPS
    missing = everything[-2]
    engine = create_store_engine(f"sqlite:///{tmp_path / 'store.sqlite'}")
    try:
        monkeypatch.setattr(migrations, "STEPS", tuple(step for step in everything if step is not missing))
        migrate(engine)
        monkeypatch.setattr(migrations, "STEPS", everything)
        migrate(engine)
        migrate(engine)  # once only
        with engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT version FROM schema_version ORDER BY version")).scalars().all()
        assert rows == [step.number for step in everything]
    finally:
        engine.dispose()
