"""A stored document's metadata (title, publisher, date, address), and how a change of it reaches its records.

Each record keeps a copy of its document's `title`, `url`, `published` and `source` (the record
contract is self-contained: an export row needs no join). When a document's metadata changes (a
reviewer's correction, or a field filled in from another format of the same document) the
document row and the copies in its records change together, in the caller's transaction; the
old values are kept by the caller (document_reviews, document_sightings). The text, and every
figure read from it, never change.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from extractors.document import DocumentMeta

from .schema import documents, records

METADATA_FIELDS = ("title", "publisher", "published", "url")
"""What a reviewer may correct and another format may fill in."""


def metadata_row(connection: Connection, doc_id: str) -> dict[str, Any] | None:
    columns = (documents.c.doc_id, documents.c.doc, documents.c.kind, documents.c.source, documents.c.superseded_at)
    row = connection.execute(
        sa.select(*columns, *(documents.c[name] for name in METADATA_FIELDS)).where(documents.c.doc_id == str(doc_id))
    ).mappings().first()
    return dict(row) if row is not None else None


def apply_metadata(connection: Connection, stored: Mapping[str, Any], changes: Mapping[str, Any]) -> None:
    """Write `changes` (some METADATA_FIELDS) on the document and on its records' copies."""
    values = {**{name: stored.get(name) for name in METADATA_FIELDS}, **changes}
    source = DocumentMeta(stored["doc"], values["title"], values["publisher"], values["url"], values["published"]).source
    doc_id = stored["doc_id"]
    connection.execute(
        sa.update(documents).where(documents.c.doc_id == doc_id).values(**{name: values[name] for name in METADATA_FIELDS}, source=source)
    )
    connection.execute(
        sa.update(records)
        .where(records.c.doc_id == doc_id)
        .values(title=values["title"], url=values["url"], published=values["published"], source=source)
    )
