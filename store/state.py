"""Whether a store changed, and what: for readers that keep what they read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from .migrations import current_version
from .schema import document_reviews, document_sightings, documents, reviews, store_state


def store_revision(engine: Engine) -> str | None:
    """'<store id>:<revision>:<schema version>', which changes with every committed write; None when not tracked.

    Tracked on SQLite stores from schema version 4 (see migrations._step_004); None on
    PostgreSQL, on older stores that were opened without migrating, and when the store cannot
    be read. Equal tokens mean the same documents, records and reviews.
    """
    try:
        with engine.connect() as connection:
            version = current_version(connection)
            row = connection.execute(sa.select(store_state.c.store_id, store_state.c.revision)).first()
    except Exception:  # no store_state table yet, or no store at all: nothing to promise
        return None
    if row is None or row.revision is None:
        return None
    return f"{row.store_id}:{row.revision}:{version}"


_LOGS = {
    "reviews": (reviews, reviews.c.review_id),
    "document_reviews": (document_reviews, document_reviews.c.review_id),
    "document_sightings": (document_sightings, document_sightings.c.sighting_id),
}
"""The append-only tables whose rows change what a document's current records show, with their ids:
a figure reviewed or added by hand, a document's details corrected or filled in by another copy."""


@dataclass(frozen=True)
class StoreChanges:
    """The store's current documents, and which documents the logs touched after `marks`.

    `marks` (log table -> last id read) is what to pass next time. Every write the store makes
    through its own functions moves one of these: an ingest or a re-ingest changes the set of
    current documents (a superseded version leaves it, the new one enters), and every review,
    correction of a document's details and filled-in copy appends to a log.
    """

    current: frozenset[str]
    touched: frozenset[str] = frozenset()
    marks: Mapping[str, int] = field(default_factory=dict)


def store_changes(engine: Engine, since: Mapping[str, int] | None = None) -> StoreChanges:
    """The current documents' ids, the documents logged after `since` (all logs' marks when None: none touched)."""
    touched: set[str] = set()
    marks: dict[str, int] = {}
    with engine.connect() as connection:
        # all(): fetched in one batch, not row by row (a store has tens of thousands of documents).
        current = frozenset(
            connection.execute(sa.select(documents.c.doc_id).where(documents.c.superseded_at.is_(None))).scalars().all()
        )
        for name, (table, key) in _LOGS.items():
            try:
                last = connection.execute(sa.select(sa.func.max(key))).scalar()
            except sa.exc.DBAPIError:  # a store older than that table
                connection.rollback()
                continue
            marks[name] = int(last or 0)
            if since is not None and marks[name] > since.get(name, 0):
                rows = connection.execute(sa.select(table.c.doc_id).where(key > since.get(name, 0), key <= marks[name]))
                touched.update(rows.scalars())
    return StoreChanges(current=current, touched=frozenset(touched), marks=marks)


__all__ = ["StoreChanges", "store_changes", "store_revision"]
