"""Explicit, numbered schema migrations, recorded in the `schema_version` table.

`migrate(engine)` applies every step newer than the store's version, each in
its own transaction under a write lock, so two processes migrating at once do
it once. A step is frozen once released: to change the schema, add step N+1
(ALTER TABLE ..., CREATE INDEX ...) and update schema.py to match; the test
suite checks that a migrated store and schema.py agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from .connect import StoreError, display_url, write_transaction

MIGRATION_LOCK = "schema"


def _step_001(connection: Connection) -> None:
    """The first schema, frozen: tables `documents` and `records` with the dashboard's indexes."""
    m = sa.MetaData()
    documents = sa.Table(
        "documents",
        m,
        sa.Column("doc_id", sa.String(64), primary_key=True),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("doc", sa.Text, nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("publisher", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("published", sa.String(10)),
        sa.Column("kind", sa.Text),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("content_type", sa.Text, nullable=False),
        sa.Column("page_map", sa.JSON, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("ingested_at", sa.String(40), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("superseded_at", sa.String(40)),
        sa.UniqueConstraint("origin", "version", name="uq_documents_origin_version"),
    )
    sa.Index(
        "uq_documents_current_origin",
        documents.c.origin,
        unique=True,
        sqlite_where=documents.c.superseded_at.is_(None),
        postgresql_where=documents.c.superseded_at.is_(None),
    )
    records = sa.Table(
        "records",
        m,
        sa.Column("record_id", sa.String(40), primary_key=True),
        sa.Column("doc", sa.Text, nullable=False),
        sa.Column("indicator", sa.String(40), nullable=False),
        sa.Column("outcome", sa.Text),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("low", sa.Float),
        sa.Column("high", sa.Float),
        sa.Column("qualifier", sa.String(20), nullable=False),
        sa.Column("unit", sa.String(40), nullable=False),
        sa.Column("raw_value", sa.Text, nullable=False),
        sa.Column("raw_unit", sa.Text, nullable=False),
        sa.Column("measure", sa.String(20), nullable=False),
        sa.Column("population", sa.Text),
        sa.Column("location", sa.Text),
        sa.Column("attribution", sa.Text),
        sa.Column("quote", sa.Text, nullable=False),
        sa.Column("char_start", sa.Integer, nullable=False),
        sa.Column("char_end", sa.Integer, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("published", sa.String(10)),
        sa.Column("reference_date", sa.String(10)),
        sa.Column("extractor_version", sa.String(40), nullable=False),
        sa.Column("location_iso3", sa.String(3)),
        sa.Column("place", sa.Text),
        sa.Column("raw_qualifier", sa.Text, nullable=False),
        sa.Column("unit_factor", sa.Float, nullable=False),
        sa.Column("quote_start", sa.Integer, nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("doc_kind", sa.Text),
        sa.Column("doc_id", sa.String(64), sa.ForeignKey("documents.doc_id"), nullable=False),
        sa.Column("page", sa.Integer),
        sa.Column("review_status", sa.String(20), nullable=False, server_default="unreviewed"),
        sa.Column("superseded", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    sa.Index("ix_records_indicator_iso3_refdate", records.c.indicator, records.c.location_iso3, records.c.reference_date)
    sa.Index("ix_records_source", records.c.source)
    sa.Index("ix_records_doc_id", records.c.doc_id)
    m.create_all(connection)


def _step_002(connection: Connection) -> None:
    """The reviewers' audit trail: table `reviews`, one row per accept, reject, correction or added figure.

    A correction never changes the extracted row in `records`: its old and new values are
    kept here, and records.review_status follows the latest action.
    """
    m = sa.MetaData()
    # Stand-ins for the existing tables, so that the foreign keys resolve; only `reviews` is created.
    sa.Table("documents", m, sa.Column("doc_id", sa.String(64), primary_key=True))
    sa.Table("records", m, sa.Column("record_id", sa.String(40), primary_key=True))
    reviews = sa.Table(
        "reviews",
        m,
        sa.Column("review_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("record_id", sa.String(40), sa.ForeignKey("records.record_id"), nullable=False),
        sa.Column("doc_id", sa.String(64), sa.ForeignKey("documents.doc_id"), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reviewer", sa.Text, nullable=False),
        sa.Column("reviewed_at", sa.String(40), nullable=False),
        sa.Column("old_values", sa.JSON, nullable=False),
        sa.Column("new_values", sa.JSON, nullable=False),
        sa.Column("note", sa.Text),
    )
    sa.Index("ix_reviews_record_id", reviews.c.record_id)
    sa.Index("ix_reviews_doc_id", reviews.c.doc_id)
    reviews.create(connection)


def _step_003(connection: Connection) -> None:
    """A covering index for ranking the current documents, which reading the records starts with.

    current_records() numbers the current documents in (origin, version) order. `version`
    comes after `text` in a documents row, so without this index each document's text (its
    overflow pages, in SQLite) was read to get to it. Leading with superseded_at, the index is
    searched for the current versions (`IS NULL`) and holds every column the ranking reads:
    SQLite's planner preferred the unique index on origin to a partial index on the same columns.
    """
    m = sa.MetaData()
    documents = sa.Table(  # a stand-in for the existing table: only the index is created
        "documents",
        m,
        sa.Column("doc_id", sa.String(64), primary_key=True),
        sa.Column("origin", sa.Text),
        sa.Column("publisher", sa.Text),
        sa.Column("version", sa.Integer),
        sa.Column("superseded_at", sa.String(40)),
    )
    sa.Index(
        "ix_documents_current_rank",
        documents.c.superseded_at,
        documents.c.origin,
        documents.c.version,
        documents.c.doc_id,
        documents.c.publisher,
    ).create(connection)


REVISED_TABLES = ("documents", "records", "reviews")
"""The tables whose every change moves store_state.revision on SQLite (migration 4)."""


def _step_004(connection: Connection) -> None:
    """Table `store_state`: the store's random id and, on SQLite, a revision that every change moves.

    Readers that keep what they read (the dashboard's snapshots) need to know for certain
    that a store is unchanged: counts and latest timestamps miss an UPDATE made with plain
    SQL. On SQLite, triggers move `revision` in the same transaction as any INSERT, UPDATE or
    DELETE on documents, records or reviews, whoever makes it; SQLite has one writer at a
    time, so the counter row costs no concurrency. On PostgreSQL that row would serialise
    writers that otherwise run in parallel, so `revision` stays NULL there: not tracked.
    `store_id` tells two stores apart even at the same revision (a store rebuilt from scratch).
    """
    import uuid

    m = sa.MetaData()
    state = sa.Table(
        "store_state",
        m,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),  # always 1: one row
        sa.Column("store_id", sa.String(32), nullable=False),
        sa.Column("revision", sa.Integer),
    )
    state.create(connection)
    tracked = connection.dialect.name == "sqlite"
    connection.execute(state.insert().values(id=1, store_id=uuid.uuid4().hex, revision=0 if tracked else None))
    if not tracked:
        return
    for table in REVISED_TABLES:
        for event in ("INSERT", "UPDATE", "DELETE"):
            connection.execute(
                sa.text(
                    f"CREATE TRIGGER store_revision_{table}_{event.lower()} AFTER {event} ON {table} "
                    "BEGIN UPDATE store_state SET revision = revision + 1 WHERE id = 1; END"
                )
            )


def _add_record_columns(connection: Connection, columns: tuple[tuple[str, sa.types.TypeEngine], ...]) -> None:
    """ALTER TABLE records ADD COLUMN for each (name, type): nullable, no default, after the others."""
    preparer = connection.dialect.identifier_preparer
    for name, column_type in columns:
        connection.execute(
            sa.text(f"ALTER TABLE records ADD COLUMN {preparer.quote(name)} {column_type.compile(dialect=connection.dialect)}")
        )


IDENTITY_COLUMNS = (
    ("headline", sa.Boolean()),
    ("scope", sa.String(10)),
    ("originator", sa.Text()),
    ("status", sa.String(20)),
)


def _step_005(connection: Connection) -> None:
    """A figure's identity (extractors/identity.py): records.headline, scope, originator and status.

    Appended to `records` (ALTER TABLE adds columns at the end, after the store's own), nullable
    and without a default: a record stored before this version was not judged, and NULL says so
    where a default (headline false, status reported) would pass a guess off as the extractor's.
    Re-ingesting the documents (a newer extractor version) fills them.
    """
    _add_record_columns(connection, IDENTITY_COLUMNS)


def _document_tables(m: sa.MetaData) -> tuple[sa.Table, ...]:
    """The tables of migration 6, frozen (schema.py repeats them for queries)."""
    sa.Table("documents", m, sa.Column("doc_id", sa.String(64), primary_key=True))  # a stand-in for the foreign keys
    bands = sa.Table(
        "document_bands",
        m,
        sa.Column("doc_id", sa.String(64), sa.ForeignKey("documents.doc_id"), primary_key=True),
        sa.Column("band", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("hash", sa.BigInteger, nullable=False),
    )
    sa.Index("ix_document_bands_hash", bands.c.hash)
    sightings = sa.Table(
        "document_sightings",
        m,
        sa.Column("sighting_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("doc_id", sa.String(64), sa.ForeignKey("documents.doc_id"), nullable=False),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("doc", sa.Text, nullable=False),
        sa.Column("content_type", sa.Text, nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("publisher", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("published", sa.String(10)),
        sa.Column("similarity", sa.Float, nullable=False),
        sa.Column("filled", sa.JSON, nullable=False),
        sa.Column("seen_at", sa.String(40), nullable=False),
    )
    sa.Index("ix_document_sightings_doc_id", sightings.c.doc_id)
    document_reviews = sa.Table(
        "document_reviews",
        m,
        sa.Column("review_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("doc_id", sa.String(64), sa.ForeignKey("documents.doc_id"), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("reviewer", sa.Text, nullable=False),
        sa.Column("reviewed_at", sa.String(40), nullable=False),
        sa.Column("old_values", sa.JSON, nullable=False),
        sa.Column("new_values", sa.JSON, nullable=False),
        sa.Column("note", sa.Text),
    )
    sa.Index("ix_document_reviews_doc_id", document_reviews.c.doc_id)
    return bands, sightings, document_reviews


def _step_006(connection: Connection) -> None:
    """One document in several formats, and reviewers' corrections of a document's metadata.

    `document_bands`: the MinHash band hashes of a document's text (near_duplicates.py), so
    that the same article in another format is found by one indexed lookup. Documents stored
    before this version have none: they are found again only by identical text.
    `document_sightings`: each time the same document came in again (another file, format or
    origin), with the metadata it came with and the fields it filled in.
    `document_reviews`: a reviewer's correction of a document's title, publisher, date or
    address: who, when, old and new values, a note.
    """
    for table in _document_tables(sa.MetaData()):
        table.create(connection)


ADMIN_COLUMNS = (
    ("admin1", sa.Text()),
    ("admin1_code", sa.String(10)),
    ("admin2", sa.Text()),
    ("admin2_code", sa.String(10)),
)


def _step_007(connection: Connection) -> None:
    """The areas below the country (extractors/gazetteer.py): records.admin1, admin1_code, admin2, admin2_code.

    Appended to `records`, nullable, no default, as in migration 5: a record stored before this
    version was not placed below its country, and NULL says so. Re-ingesting fills them.
    """
    _add_record_columns(connection, ADMIN_COLUMNS)


def _step_008(connection: Connection) -> None:
    """records.lang: the ISO 639-1 code of the document's language (extractors/language.py).

    NULL on records stored before it, as migration 5's columns are: they were read as English
    text without asking, and re-ingesting the documents fills it.
    """
    _add_record_columns(connection, (("lang", sa.String(8)),))


def _feed_tables(m: sa.MetaData) -> tuple[sa.Table, ...]:
    """The tables of migration 9, frozen (schema.py repeats them for queries)."""
    items = sa.Table(
        "feed_items",
        m,
        sa.Column("feed", sa.Text, primary_key=True),
        sa.Column("item_key", sa.Text, primary_key=True),
        sa.Column("url", sa.Text),
        sa.Column("doc_id", sa.String(64)),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("lang", sa.String(20)),
        sa.Column("seen_at", sa.String(40), nullable=False),
    )
    runs = sa.Table(
        "feed_runs",
        m,
        sa.Column("run_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("started_at", sa.String(40), nullable=False),
        sa.Column("finished_at", sa.String(40)),
        sa.Column("summary", sa.JSON, nullable=False),
        sa.Column("digest", sa.JSON),
    )
    calls = sa.Table(
        "feed_calls",
        m,
        sa.Column("feed", sa.Text, primary_key=True),
        sa.Column("day", sa.String(10), primary_key=True),
        sa.Column("calls", sa.Integer, nullable=False),
    )
    return items, runs, calls


def _step_009(connection: Connection) -> None:
    """What the feed watcher (store/feeds) has seen, its runs with their digests, its calls per day.

    `feed_items`: one row per item of a feed once it is stored (or recognised as a copy), so a
    re-run fetches nothing twice. `feed_runs`: each run, what it did per feed and its alert
    digest (what the dashboard's What's new page shows). `feed_calls`: HTTP calls per feed and
    UTC day, for the daily cap.
    """
    for table in _feed_tables(sa.MetaData()):
        table.create(connection)


def _step_010(connection: Connection) -> None:
    """records.admin1_iso, admin2_iso; admin1_code and admin2_code become OCHA p-codes.

    The ISO 3166-2 codes that migration 7's *_code columns held move to the new columns, and the
    *_code columns are refilled with the p-codes of OCHA's common operational datasets
    (#adm1+code in HXL, admin1_code on HDX), looked up by country and area name in the gazetteer
    shipped when the step runs; an area it does not know keeps NULL, as re-ingesting would give.
    """
    from extractors.gazetteer import gazetteer  # the store's only use of it: a one-off data move

    preparer = connection.dialect.identifier_preparer
    for name in ("admin1_iso", "admin2_iso"):
        connection.execute(
            sa.text(f"ALTER TABLE records ADD COLUMN {preparer.quote(name)} {sa.String(10).compile(dialect=connection.dialect)}")
        )
    connection.execute(  # only rows that hold a code, so a store without any keeps its revision (state.py)
        sa.text(
            "UPDATE records SET admin1_iso = admin1_code, admin2_iso = admin2_code, admin1_code = NULL, admin2_code = NULL"
            " WHERE admin1_code IS NOT NULL OR admin2_code IS NOT NULL"
        )
    )
    placed = connection.execute(sa.text("SELECT 1 FROM records WHERE admin1 IS NOT NULL LIMIT 1")).first()
    for area in gazetteer().areas if placed else ():  # a store without placed records (a new one) has nothing to fill
        if area.pcode:
            level = f"admin{area.level}"
            connection.execute(
                sa.text(f"UPDATE records SET {level}_code = :pcode WHERE location_iso3 = :iso3 AND {level} = :name"),
                {"pcode": area.pcode, "iso3": area.iso3, "name": area.name},
            )


@dataclass(frozen=True)
class Step:
    number: int
    description: str
    apply: Callable[[Connection], None]


STEPS: tuple[Step, ...] = (
    Step(1, "documents and records tables with the dashboard's indexes", _step_001),
    Step(2, "reviews table: the reviewers' audit trail (accept, reject, correct, add)", _step_002),
    Step(3, "covering index on documents for ranking the current versions", _step_003),
    Step(4, "store_state table: the store's id and (SQLite) a revision moved by every change", _step_004),
    Step(5, "records.headline, scope, originator, status: a figure's identity", _step_005),
    Step(6, "document_bands, document_sightings, document_reviews: one document in several formats, metadata corrections", _step_006),
    Step(7, "records.admin1, admin1_code, admin2, admin2_code: the areas below the country", _step_007),
    Step(8, "records.lang: the language of the record's document", _step_008),
    Step(9, "feed_items, feed_runs, feed_calls: what the feed watcher has seen, its runs and digests, its calls per day", _step_009),
    Step(10, "records.admin1_iso, admin2_iso; admin1_code, admin2_code now hold OCHA p-codes", _step_010),
)
LATEST_VERSION = STEPS[-1].number

_version_table = sa.Table(
    "schema_version",
    sa.MetaData(),
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("applied_at", sa.String(40), nullable=False),
)


def current_version(connection: Connection) -> int:
    """The store's schema version: 0 for an empty database."""
    if not sa.inspect(connection).has_table("schema_version"):
        return 0
    return connection.execute(sa.select(sa.func.max(_version_table.c.version))).scalar() or 0


def _applied(connection: Connection) -> set[int]:
    if not sa.inspect(connection).has_table("schema_version"):
        return set()
    return set(connection.execute(sa.select(_version_table.c.version)).scalars())


def migrate(engine: Engine) -> int:
    """Bring the store's schema up to LATEST_VERSION; returns the version. Safe to run concurrently.

    A step is applied when its number is not in `schema_version`, not only when it is above the
    highest there: steps are numbered by the work that added them, so a store may have met step 9
    before steps 7 and 8 were merged.
    """
    numbers = {step.number for step in STEPS}
    with engine.connect() as connection:
        version = current_version(connection)
        applied = _applied(connection)
        connection.rollback()
    if version > LATEST_VERSION:
        raise StoreError(
            f"{display_url(engine)} has schema version {version}, newer than this code knows ({LATEST_VERSION}); update the code"
        )
    if numbers <= applied:
        return LATEST_VERSION
    for step in STEPS:
        with write_transaction(engine, MIGRATION_LOCK) as connection:
            _version_table.create(connection, checkfirst=True)
            if step.number in _applied(connection):
                continue  # applied before, or by another process while we waited for the lock
            step.apply(connection)
            connection.execute(
                _version_table.insert().values(
                    version=step.number,
                    description=step.description,
                    applied_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                )
            )
    return LATEST_VERSION
