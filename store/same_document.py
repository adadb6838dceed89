"""The same document again: identical text from another origin, or the same article in another format.

`find_same(connection, loaded, fingerprint)` looks up a current document of another origin whose
text is the same by near_duplicates' rules (one indexed lookup on the band hashes, then at most
MAX_CANDIDATES exact comparisons). `seen_again(...)` records the sighting and fills in the stored
document's empty title, publisher, date or address from the new copy; where both are set, the
stored value stays and the other is kept in the sighting. Nothing of the new copy is extracted
or stored as records: its figures would be counted twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from . import near_duplicates
from .doc_metadata import METADATA_FIELDS, apply_metadata, metadata_row
from .schema import document_bands, document_sightings, documents
from .sources import LoadedSource


def band_rows(doc_id: str, fingerprint: near_duplicates.Fingerprint) -> list[dict[str, Any]]:
    """The rows of `document_bands` for a document; none when its text is too short to judge."""
    return [{"doc_id": doc_id, "band": band, "hash": value} for band, value in enumerate(fingerprint.bands)]


_shared = sa.func.count().label("shared")
_CANDIDATES = (  # built once: SQLAlchemy caches its compiled form
    sa.select(document_bands.c.doc_id, _shared)
    .select_from(document_bands.join(documents, documents.c.doc_id == document_bands.c.doc_id))
    .where(
        document_bands.c.hash.in_(sa.bindparam("hashes", expanding=True)),
        documents.c.superseded_at.is_(None),
        documents.c.origin != sa.bindparam("origin"),  # the same origin's changed text is a new version, not a copy
    )
    .group_by(document_bands.c.doc_id)
    .order_by(_shared.desc(), document_bands.c.doc_id)
    .limit(near_duplicates.MAX_CANDIDATES)
)
_TEXT = sa.select(documents.c.text).where(documents.c.doc_id == sa.bindparam("doc_id"))


def find_same(
    connection: Connection, loaded: LoadedSource, fingerprint: near_duplicates.Fingerprint
) -> tuple[str, float] | None:
    """(doc_id, similarity) of the current document of another origin this text is a copy of, or None."""
    if not fingerprint.comparable:
        return None
    candidates = connection.execute(_CANDIDATES, {"hashes": list(fingerprint.bands), "origin": loaded.origin}).all()
    best: tuple[str, float] | None = None
    for doc_id, _ in candidates:
        text = connection.execute(_TEXT, {"doc_id": doc_id}).scalar()
        score = near_duplicates.similarity(fingerprint, near_duplicates.fingerprint(text or ""))
        if score is not None and (best is None or score > best[1]):
            best = (doc_id, score)
    return best


def seen_again(connection: Connection, doc_id: str, loaded: LoadedSource, similarity: float) -> tuple[str, ...] | None:
    """Record a copy of stored document `doc_id` and fill in its empty metadata; the fields filled.

    None when the document is no longer current (a new version replaced it meanwhile).
    """
    stored = metadata_row(connection, doc_id)
    if stored is None or stored["superseded_at"] is not None:
        return None
    meta = loaded.meta
    offered = {name: getattr(meta, name) for name in METADATA_FIELDS}
    filled = {name: value for name, value in offered.items() if value and not stored.get(name)}
    if not filled and _seen_before(connection, doc_id, loaded.origin):
        return ()  # a re-run over the same copy: nothing new to keep
    if filled:
        apply_metadata(connection, stored, filled)
    connection.execute(
        document_sightings.insert().values(
            doc_id=doc_id,
            origin=loaded.origin,
            doc=meta.doc,
            content_type=loaded.content_type,
            similarity=round(similarity, 4),
            filled=sorted(filled),
            seen_at=dt.datetime.now(dt.UTC).isoformat(timespec="microseconds"),
            **offered,
        )
    )
    return tuple(sorted(filled))


def _seen_before(connection: Connection, doc_id: str, origin: str) -> bool:
    query = sa.select(document_sightings.c.sighting_id).where(
        document_sightings.c.doc_id == doc_id, document_sightings.c.origin == origin
    )
    return connection.execute(query.limit(1)).first() is not None


def sightings(connection: Connection, doc_id: str) -> list[dict[str, Any]]:
    """Every copy of a document seen after it was stored, oldest first."""
    rows = connection.execute(
        sa.select(document_sightings).where(document_sightings.c.doc_id == str(doc_id)).order_by(document_sightings.c.sighting_id)
    ).mappings()
    return [dict(row) for row in rows]
