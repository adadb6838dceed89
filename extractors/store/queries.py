"""Reading the store: the dashboard's helper queries and the export."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TextIO

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ..record import FIELDS
from .schema import RECORD_EXTRA, documents, records

if TYPE_CHECKING:
    import pandas

CURRENT_COLUMNS = (*FIELDS, "doc_id", "page", "review_status")
"""Columns of current_records(): the record contract, then doc_id, page, review_status."""
EXPORT_COLUMNS = (*FIELDS, *RECORD_EXTRA)
"""Columns of the export: the record contract, then doc_id, page, review_status, superseded."""


def _records_query(columns: tuple[str, ...], *, include_superseded: bool) -> sa.Select:
    query = sa.select(*(records.c[name] for name in columns)).join(documents, documents.c.doc_id == records.c.doc_id)
    if not include_superseded:
        query = query.where(records.c.superseded.is_(sa.false()), documents.c.superseded_at.is_(None))
    return query.order_by(
        documents.c.origin,
        documents.c.version,
        records.c.char_start,
        records.c.char_end,
        records.c.indicator,
        records.c.record_id,
    )


def current_records(engine: Engine) -> pandas.DataFrame:
    """Non-superseded records of current documents, one row each: the contract fields, doc_id, page, review_status.

    `page` is a nullable integer (pandas Int64); dates are ISO strings.
    """
    import pandas

    with engine.connect() as connection:
        rows = connection.execute(_records_query(CURRENT_COLUMNS, include_superseded=False)).all()
    frame = pandas.DataFrame.from_records([tuple(row) for row in rows], columns=list(CURRENT_COLUMNS))
    frame["page"] = frame["page"].astype("Int64")
    for name in ("value", "unit_factor"):
        frame[name] = frame[name].astype("float64")
    for name in ("low", "high"):
        frame[name] = pandas.to_numeric(frame[name], errors="coerce").astype("float64")
    return frame


def get_document(engine: Engine, doc_id: str) -> dict[str, Any]:
    """One stored document: text, title, url, published, kind, page_map, and its other columns.

    Raises KeyError for an unknown doc_id.
    """
    with engine.connect() as connection:
        row = connection.execute(sa.select(documents).where(documents.c.doc_id == doc_id)).mappings().first()
    if row is None:
        raise KeyError(f"no document {doc_id!r} in the store")
    document = dict(row)
    document["page_map"] = list(document["page_map"] or [])
    return document


def iter_records(engine: Engine, *, include_superseded: bool = False) -> Iterator[dict[str, Any]]:
    """Stored records as dicts (EXPORT_COLUMNS), current ones only unless include_superseded; streamed."""
    query = _records_query(EXPORT_COLUMNS, include_superseded=include_superseded)
    with engine.connect() as connection:
        result = connection.execution_options(stream_results=True, yield_per=1000).execute(query)
        for row in result.mappings():
            record = dict(row)
            record["superseded"] = bool(record["superseded"])
            yield record


def export_records(engine: Engine, out: TextIO, *, output_format: str = "jsonl", include_superseded: bool = False) -> int:
    """Write the stored records to `out` as JSON lines or CSV (header row); returns how many."""
    if output_format not in ("jsonl", "csv"):
        raise ValueError(f"unknown export format {output_format!r}: use jsonl or csv")
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS, lineterminator="\n") if output_format == "csv" else None
    if writer is not None:
        writer.writeheader()
    count = 0
    for record in iter_records(engine, include_superseded=include_superseded):
        if writer is not None:
            writer.writerow(record)
        else:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def count_documents(engine: Engine, *, include_superseded: bool = False) -> int:
    query = sa.select(sa.func.count()).select_from(documents)
    if not include_superseded:
        query = query.where(documents.c.superseded_at.is_(None))
    with engine.connect() as connection:
        return int(connection.execute(query).scalar() or 0)
