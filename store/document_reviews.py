"""A reviewer's corrections of a document's metadata: title, publisher, publication date, address.

Audited like figure corrections: each correction adds a row to `document_reviews` (who, when,
the old and new values, a note), so the metadata as first stored is always in the trail. The
corrected values are written on the document and on its records' copies (doc_metadata.py), so
every table, chart and export shows them; the text and the figures read from it never change.

    correct_document(engine, doc_id, "amina", changes={"url": "https://reliefweb.int/..."}, note="from the PDF's footer")
    document_audit(engine, doc_id)   # oldest first
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from .connect import write_transaction
from .doc_metadata import METADATA_FIELDS, apply_metadata, metadata_row
from .review_rules import MAX_NAME, MAX_NOTE, ReviewRefused, UnknownRecord, clean_text, iso_day, web_address
from .schema import document_reviews

MAX_TITLE = 300
MAX_PUBLISHER = 200


def normalize_metadata(changes: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of a metadata correction, checked; an empty value clears the field (None)."""
    unknown = sorted(set(changes) - set(METADATA_FIELDS))
    if unknown:
        raise ReviewRefused(f"Cannot correct {', '.join(map(str, unknown))[:80]}: only {', '.join(METADATA_FIELDS)}.")
    checks = {
        "title": lambda value: clean_text(value, "title", MAX_TITLE),
        "publisher": lambda value: clean_text(value, "publisher", MAX_PUBLISHER),
        "published": iso_day,
        "url": web_address,
    }
    return {name: checks[name](value) for name, value in changes.items()}


def correct_document(
    engine: Engine, doc_id: str, reviewer: str, *, changes: Mapping[str, Any], note: str | None = None
) -> dict[str, Any]:
    """Correct a document's title, publisher, date or address; returns the audit row written.

    Fields equal to the stored values are left out; a correction that changes nothing is refused.
    """
    who = clean_text(reviewer, "reviewer name", MAX_NAME)
    if not who:
        raise ReviewRefused("A correction needs the name of the reviewer who made it; sign in first.")
    note = clean_text(note, "note", MAX_NOTE)
    proposed = normalize_metadata(changes)
    with write_transaction(engine, f"doc:{doc_id}") as connection:
        stored = metadata_row(connection, doc_id)
        if stored is None:
            raise UnknownRecord(f"No document {str(doc_id)[:64]!r} in the store; reload the page and pick it again.")
        changed = {name: value for name, value in proposed.items() if stored.get(name) != value}
        if not changed:
            raise ReviewRefused("The correction changes nothing: the title, publisher, date and address are already as given.")
        row = {
            "doc_id": stored["doc_id"],
            "action": "correct",
            "reviewer": who,
            "reviewed_at": dt.datetime.now(dt.UTC).isoformat(timespec="microseconds"),
            "old_values": {name: stored.get(name) for name in changed},
            "new_values": changed,
            "note": note,
        }
        review_id = connection.execute(document_reviews.insert().values(**row).returning(document_reviews.c.review_id)).scalar_one()
        apply_metadata(connection, stored, changed)
    return {"review_id": review_id, **row}


def document_audit(engine: Engine, doc_id: str) -> list[dict[str, Any]]:
    """The metadata corrections of one document, oldest first."""
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(document_reviews).where(document_reviews.c.doc_id == str(doc_id)).order_by(document_reviews.c.review_id)
        ).mappings()
        return [dict(row) for row in rows]


def document_sightings(engine: Engine, doc_id: str) -> list[dict[str, Any]]:
    """The copies of one document seen after it was stored (same_document.py), oldest first."""
    from .same_document import sightings

    with engine.connect() as connection:
        return sightings(connection, doc_id)


__all__ = ["METADATA_FIELDS", "correct_document", "document_audit", "document_sightings", "normalize_metadata"]
