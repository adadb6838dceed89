"""The store's tables as of the latest migration (see migrations.py), for queries.

The same SQLAlchemy Core definitions serve SQLite and PostgreSQL. Dates and
timestamps are ISO 8601 strings ("2025-05-03", "2025-05-03T10:00:00.123456+00:00"),
so they compare and sort the same way on both backends and in pandas.
"""

from __future__ import annotations

import sqlalchemy as sa

from extractors.contract import STORE_FIELDS

metadata = sa.MetaData()

schema_version = sa.Table(
    "schema_version",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("applied_at", sa.String(40), nullable=False),
)

documents = sa.Table(
    "documents",
    metadata,
    sa.Column("doc_id", sa.String(64), primary_key=True),  # sha256 of the text
    sa.Column("origin", sa.Text, nullable=False),  # absolute path or URL
    sa.Column("doc", sa.Text, nullable=False),  # file name
    sa.Column("title", sa.Text),
    sa.Column("publisher", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("published", sa.String(10)),
    sa.Column("kind", sa.Text),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("content_type", sa.Text, nullable=False),
    sa.Column("page_map", sa.JSON, nullable=False),  # list of page start offsets, [] when unpaged
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("ingested_at", sa.String(40), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),  # 1, 2, ... per origin
    sa.Column("superseded_at", sa.String(40)),  # NULL while current
    sa.UniqueConstraint("origin", "version", name="uq_documents_origin_version"),
)

records = sa.Table(
    "records",
    metadata,
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
    sa.Column("page", sa.Integer),  # 1-based page of char_start, NULL when the document has no pages
    sa.Column("review_status", sa.String(20), nullable=False, server_default="unreviewed"),
    sa.Column("superseded", sa.Boolean, nullable=False, server_default=sa.false()),
    # Added by migration 5, so after the store's own columns; NULL on records stored before it.
    sa.Column("headline", sa.Boolean),
    sa.Column("scope", sa.String(10)),
    sa.Column("originator", sa.Text),
    sa.Column("status", sa.String(20)),
    # Added by migration 7: the areas below the country (extractors/gazetteer.py); NULL before it.
    sa.Column("admin1", sa.Text),
    sa.Column("admin1_code", sa.String(10)),
    sa.Column("admin2", sa.Text),
    sa.Column("admin2_code", sa.String(10)),
    sa.Column("lang", sa.String(8)),  # added by migration 8; NULL on records stored before it
    # Added by migration 10: ISO 3166-2 codes, the *_code columns holding OCHA p-codes since.
    sa.Column("admin1_iso", sa.String(10)),
    sa.Column("admin2_iso", sa.String(10)),
)

sa.Index("ix_records_indicator_iso3_refdate", records.c.indicator, records.c.location_iso3, records.c.reference_date)
sa.Index("ix_records_source", records.c.source)
sa.Index("ix_records_doc_id", records.c.doc_id)
# At most one current version per origin.
sa.Index(
    "uq_documents_current_origin",
    documents.c.origin,
    unique=True,
    sqlite_where=documents.c.superseded_at.is_(None),
    postgresql_where=documents.c.superseded_at.is_(None),
)

# Ranking the current documents in (origin, version) order reads this index alone (migration 3).
sa.Index(
    "ix_documents_current_rank",
    documents.c.superseded_at,
    documents.c.origin,
    documents.c.version,
    documents.c.doc_id,
    documents.c.publisher,
)

reviews = sa.Table(
    "reviews",
    metadata,
    sa.Column("review_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("record_id", sa.String(40), sa.ForeignKey("records.record_id"), nullable=False),
    sa.Column("doc_id", sa.String(64), sa.ForeignKey("documents.doc_id"), nullable=False),
    sa.Column("action", sa.String(20), nullable=False),  # accept, reject, correct, add
    sa.Column("status", sa.String(20), nullable=False),  # the record's review_status after this action
    sa.Column("reviewer", sa.Text, nullable=False),
    sa.Column("reviewed_at", sa.String(40), nullable=False),
    sa.Column("old_values", sa.JSON, nullable=False),  # field -> value before the action ({} for add)
    sa.Column("new_values", sa.JSON, nullable=False),  # field -> value after it
    sa.Column("note", sa.Text),
)
sa.Index("ix_reviews_record_id", reviews.c.record_id)
sa.Index("ix_reviews_doc_id", reviews.c.doc_id)

# The store's id and, on SQLite, a revision that triggers move with every change to
# documents, records or reviews (migration 4; NULL on PostgreSQL: not tracked).
store_state = sa.Table(
    "store_state",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("store_id", sa.String(32), nullable=False),
    sa.Column("revision", sa.Integer),
)

# Migration 6: the same document in several formats (near_duplicates.py), metadata corrections.
document_bands = sa.Table(
    "document_bands",
    metadata,
    sa.Column("doc_id", sa.String(64), sa.ForeignKey("documents.doc_id"), primary_key=True),
    sa.Column("band", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("hash", sa.BigInteger, nullable=False),  # 63-bit hash of one MinHash band
)
sa.Index("ix_document_bands_hash", document_bands.c.hash)

document_sightings = sa.Table(
    "document_sightings",
    metadata,
    sa.Column("sighting_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("doc_id", sa.String(64), sa.ForeignKey("documents.doc_id"), nullable=False),  # the stored document
    sa.Column("origin", sa.Text, nullable=False),  # where the other copy came from
    sa.Column("doc", sa.Text, nullable=False),
    sa.Column("content_type", sa.Text, nullable=False),
    sa.Column("title", sa.Text),
    sa.Column("publisher", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("published", sa.String(10)),
    sa.Column("similarity", sa.Float, nullable=False),  # 1.0 for identical text
    sa.Column("filled", sa.JSON, nullable=False),  # the fields it filled in on the stored document
    sa.Column("seen_at", sa.String(40), nullable=False),
)
sa.Index("ix_document_sightings_doc_id", document_sightings.c.doc_id)

document_reviews = sa.Table(
    "document_reviews",
    metadata,
    sa.Column("review_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("doc_id", sa.String(64), sa.ForeignKey("documents.doc_id"), nullable=False),
    sa.Column("action", sa.String(20), nullable=False),  # correct, note
    sa.Column("reviewer", sa.Text, nullable=False),
    sa.Column("reviewed_at", sa.String(40), nullable=False),
    sa.Column("old_values", sa.JSON, nullable=False),
    sa.Column("new_values", sa.JSON, nullable=False),
    sa.Column("note", sa.Text),
)
sa.Index("ix_document_reviews_doc_id", document_reviews.c.doc_id)

# Migration 9: the feed watcher (store/feeds).
feed_items = sa.Table(
    "feed_items",
    metadata,
    sa.Column("feed", sa.Text, primary_key=True),  # the feed's name in the feeds file
    sa.Column("item_key", sa.Text, primary_key=True),  # ReliefWeb id, RSS guid or link, a plain URL
    sa.Column("url", sa.Text),
    sa.Column("doc_id", sa.String(64)),  # the stored document (NULL: skipped, e.g. no text)
    sa.Column("status", sa.String(20), nullable=False),  # new, new version, unchanged, copy, skipped
    sa.Column("lang", sa.String(20)),  # the language the feed states
    sa.Column("seen_at", sa.String(40), nullable=False),
)

feed_runs = sa.Table(
    "feed_runs",
    metadata,
    sa.Column("run_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("started_at", sa.String(40), nullable=False),
    sa.Column("finished_at", sa.String(40)),  # NULL: the run did not finish (killed)
    sa.Column("summary", sa.JSON, nullable=False),  # per feed: counts and the error that stopped it
    sa.Column("digest", sa.JSON),  # the alerts (store/feeds/alerts.py)
)

feed_calls = sa.Table(
    "feed_calls",
    metadata,
    sa.Column("feed", sa.Text, primary_key=True),
    sa.Column("day", sa.String(10), primary_key=True),  # UTC
    sa.Column("calls", sa.Integer, nullable=False),
)

RECORD_EXTRA = (*STORE_FIELDS, "superseded")
"""Columns of `records` besides the record contract (extractors.record.FIELDS), in table order: the
contract table's store fields, then the store's own bookkeeping."""
RECORD_FIELDS_ADDED = (
    *("headline", "scope", "originator", "status", "admin1", "admin1_code", "admin2", "admin2_code", "lang"),
    *("admin1_iso", "admin2_iso"),
)
"""Record fields added to the table after RECORD_EXTRA (migration 5): the table holds the other
FIELDS in contract order, then RECORD_EXTRA, then these (migrations 5, 7, 8 and 10)."""

DOCUMENT_FIELDS = tuple(column.name for column in documents.columns)
