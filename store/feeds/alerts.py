"""A run's digest: the headline figures its new documents brought, and those that moved.

A figure is new when a document stored by this run states it as a headline (records.headline:
the total an analyst would cite for its indicator, outcome and location). It is a change when
the same originator's previous headline of that indicator, outcome and location (the latest
earlier one, by reference date then publication date, of another document, this run's included:
a run that brings three tolls compares each with the one before it) differs from it by
more than `threshold` (0.10: ten per cent of the previous figure); both quotes and both links
are kept. A figure whose originator is not stated is new, never a change: whose previous figure
would it be compared with?
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ..schema import documents, records

FIGURE_FIELDS = (
    "record_id", "doc_id", "indicator", "outcome", "location", "location_iso3", "value", "low", "high", "unit",
    "originator", "source", "quote", "url", "published", "reference_date", "title",
)  # fmt: skip
_COLUMNS = [records.c[name] for name in FIGURE_FIELDS]


def _figure(row: Any) -> dict[str, Any]:
    return {name: row[name] for name in FIGURE_FIELDS}


def _when(figure: dict[str, Any]) -> tuple[str, str]:
    return (figure.get("reference_date") or figure.get("published") or "", figure.get("published") or "")


def _previous(connection: sa.Connection, figure: dict[str, Any]) -> dict[str, Any] | None:
    same = [
        records.c.headline.is_(True),
        records.c.superseded.is_(False),
        records.c.originator == figure["originator"],
        records.c.indicator == figure["indicator"],
        records.c.doc_id != figure["doc_id"],
    ]
    for name in ("outcome", "location_iso3", "location"):
        same.append(records.c[name].is_(None) if figure[name] is None else records.c[name] == figure[name])
    rows = connection.execute(sa.select(*_COLUMNS).where(*same)).mappings().all()
    here = (*_when(figure), figure["record_id"])
    earlier = [other for other in map(_figure, rows) if (*_when(other), other["record_id"]) < here]
    return max(earlier, key=lambda other: (*_when(other), other["record_id"]), default=None)


def relative_change(new: float, old: float) -> float | None:
    """(new - old) / old; None when the old figure is 0 (any change is infinite).

    >>> relative_change(110, 100), relative_change(5, 0)
    (0.1, None)
    """
    return None if old == 0 else round((new - old) / abs(old), 6)


def digest(engine: Engine, doc_ids: Sequence[str], threshold: float) -> dict[str, Any]:
    """{"new": [figure...], "changes": [{"figure", "previous", "change"}...]} for the documents `doc_ids`."""
    doc_ids = list(dict.fromkeys(doc_ids))
    if not doc_ids:
        return {"threshold": threshold, "documents": [], "new": [], "changes": []}
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(*_COLUMNS)
            .where(records.c.doc_id.in_(doc_ids), records.c.headline.is_(True), records.c.superseded.is_(False))
            .order_by(records.c.doc_id, records.c.char_start)
        ).mappings()
        new = [_figure(row) for row in rows]
        changes = []
        for figure in new:
            if not figure["originator"]:
                continue
            previous = _previous(connection, figure)
            if previous is None:
                continue
            change = relative_change(figure["value"], previous["value"])
            if figure["value"] != previous["value"] and (change is None or abs(change) > threshold):
                changes.append({"figure": figure, "previous": previous, "change": change})
        stored = connection.execute(
            sa.select(documents.c.doc_id, documents.c.title, documents.c.publisher, documents.c.url, documents.c.published)
            .where(documents.c.doc_id.in_(doc_ids))
            .order_by(documents.c.published, documents.c.doc_id)
        ).mappings()
        docs = [dict(row) for row in stored]
    return {"threshold": threshold, "documents": docs, "new": new, "changes": changes}
