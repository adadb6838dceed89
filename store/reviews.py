"""Reviewing records: accept, reject, correct, or add a figure the extractor missed; the audit trail.

A review never changes what the extractor read: the row in `records` keeps its values, and each
action adds a row to `reviews` (who, when, the action, the old and new values, a note).
`records.review_status` follows the latest action, so a plain query still knows what was
checked. Corrections are read back with `corrections()` and laid over the extracted values by
the dashboard. A figure a person adds by selecting its text becomes a record of its own, with a
real span into the document text, its sentence as the quote, and
`extractor_version = "manual:<reviewer>"`, so it is never mistaken for a machine-read one; it is
unreviewed until a reviewer other than its author accepts or corrects it.

    review_record(engine, record_id, "correct", "amina", changes={"value": 57575}, note="typo in the report")
    review_record(engine, record_id, "note", "amina", note="the report gives no date")   # status unchanged
    corrections(engine)            # {record_id: {"value": 57575.0}}
    record_history(engine, record_id)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from .connect import write_transaction
from .review_rules import (
    ACTIONS,
    CORRECTABLE_FIELDS,
    MANUAL_PREFIX,
    MAX_NAME,
    MAX_NOTE,
    MAX_SPAN,
    OUTCOME_OF,
    REVIEWED_STATUSES,
    STATUS_AFTER,
    STATUSES,
    ReviewRefused,
    UnknownRecord,
    check_figure,
    clean_text,
    is_manual,
    manual_record_id,
    normalize_changes,
    page_of,
    resolve_location,
)
from .schema import documents, records, reviews

if TYPE_CHECKING:
    import pandas


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def _reviewer(name: Any) -> str:
    reviewer = clean_text(name, "reviewer name", MAX_NAME)
    if not reviewer:
        raise ReviewRefused("A review needs the name of the reviewer who made it; sign in first.")
    return reviewer


_REVIEW_COLUMNS = (
    reviews.c.review_id,
    reviews.c.record_id,
    reviews.c.doc_id,
    reviews.c.action,
    reviews.c.status,
    reviews.c.reviewer,
    reviews.c.reviewed_at,
    reviews.c.old_values,
    reviews.c.new_values,
    reviews.c.note,
)


def _corrections_of(connection: Connection, record_id: str) -> dict[str, Any]:
    rows = connection.execute(
        sa.select(reviews.c.new_values)
        .where(reviews.c.record_id == record_id, reviews.c.action == "correct")
        .order_by(reviews.c.review_id)
    ).scalars()
    merged: dict[str, Any] = {}
    for values in rows:
        merged.update(values or {})
    return merged


def _record_row(connection: Connection, record_id: str) -> dict[str, Any]:
    row = connection.execute(sa.select(records).where(records.c.record_id == str(record_id))).mappings().first()
    if row is None:
        raise UnknownRecord(f"No record {str(record_id)[:40]!r} in the store; reload the page and pick the figure again.")
    return dict(row)


def effective_values(connection: Connection, record_id: str) -> dict[str, Any]:
    """The record as the dashboard shows it: the extracted row with every correction laid over it."""
    row = _record_row(connection, record_id)
    row.update(_corrections_of(connection, record_id))
    return row


def _author(connection: Connection, record: Mapping[str, Any]) -> str | None:
    """Who added a record by hand (from its "add" row; extractor_version cuts long names); None for an extracted one."""
    if not is_manual(record.get("extractor_version")):
        return None
    added_by = connection.execute(
        sa.select(reviews.c.reviewer).where(reviews.c.record_id == record["record_id"], reviews.c.action == "add").limit(1)
    ).scalar()
    return added_by or str(record["extractor_version"]).removeprefix(MANUAL_PREFIX)


def _write(connection: Connection, row: dict[str, Any], status: str) -> dict[str, Any]:
    review_id = connection.execute(reviews.insert().values(**row).returning(reviews.c.review_id)).scalar_one()
    connection.execute(sa.update(records).where(records.c.record_id == row["record_id"]).values(review_status=status))
    return {"review_id": review_id, **row}


def review_record(
    engine: Engine,
    record_id: str,
    action: str,
    reviewer: str,
    *,
    changes: Mapping[str, Any] | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """Accept, reject, correct or annotate ("note") one record; returns the audit row written.

    `changes` (for "correct") maps CORRECTABLE_FIELDS to new values; fields equal to the current
    values are left out, and a correction that changes nothing is refused unless it has a note:
    it is then stored as a note, which leaves the record's status as it was. A figure added by
    hand stays unreviewed when its own author accepts or corrects it: a second reviewer must.
    """
    if action not in ("accept", "reject", "correct", "note"):
        raise ReviewRefused(f"Unknown review action {str(action)[:20]!r}: use accept, reject, correct or note.")
    who = _reviewer(reviewer)
    note = clean_text(note, "note", MAX_NOTE)
    proposed = normalize_changes(changes or {}) if action == "correct" else {}
    if action == "correct" and not proposed and not note:
        raise ReviewRefused("A correction needs at least one new value (value, bounds, qualifier, indicator, date or location).")
    if action == "note" and not note:
        raise ReviewRefused("A note needs some text; write what you checked or what is wrong.")
    with write_transaction(engine, f"record:{record_id}") as connection:
        current = effective_values(connection, record_id)
        author = _author(connection, current)
        own = author is not None and author.casefold() == who.casefold()
        if action == "accept" and own:
            raise ReviewRefused("You added this figure yourself: another reviewer must accept it.")
        if action == "correct":
            merged = {**current, **proposed}
            check_figure(merged)
            changed = {name: value for name, value in proposed.items() if current.get(name) != value}
            if not changed and not note:
                raise ReviewRefused("The correction changes nothing: every value is already as given.")
            if not changed:
                action = "note"
        status = current["review_status"] if action == "note" or (own and action == "correct") else STATUS_AFTER[action]
        if action == "note":
            old_values, new_values = {}, {}
        elif action == "correct":
            old_values = {name: current.get(name) for name in changed}
            new_values = changed
        else:
            old_values = {"review_status": current["review_status"]}
            new_values = {"review_status": status}
        row = {
            "record_id": current["record_id"],
            "doc_id": current["doc_id"],
            "action": action,
            "status": status,
            "reviewer": who,
            "reviewed_at": _now(),
            "old_values": old_values,
            "new_values": new_values,
            "note": note,
        }
        return _write(connection, row, status)


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the sentence(s) holding text[start:end], for the quote."""
    from extractors.sentences import split_sentences

    sentences = split_sentences(text)
    first = sentences.span(sentences.index_of(start))
    last = sentences.span(sentences.index_of(max(start, end - 1)))
    return min(first[0], start), max(last[1], end)


def add_figure(
    engine: Engine,
    doc_id: str,
    char_start: int,
    char_end: int,
    reviewer: str,
    *,
    indicator: str,
    value: Any,
    low: Any = None,
    high: Any = None,
    qualifier: str = "exact",
    measure: str = "cumulative",
    reference_date: Any = None,
    location: Any = None,
    note: str | None = None,
) -> dict[str, Any]:
    """Store a figure the extractor missed, from a span a person selected; returns the new record.

    The span is trimmed of spaces and must hold a number; the quote is its sentence. The record
    is marked `extractor_version = "manual:<reviewer>"`, unreviewed (another reviewer must accept it),
    and an "add" row goes to the audit trail.
    """
    from extractors.numbers import find_numbers

    who = _reviewer(reviewer)
    note = clean_text(note, "note", MAX_NOTE)
    fields = normalize_changes(
        {
            "indicator": indicator,
            "value": value,
            "low": low,
            "high": high,
            "qualifier": qualifier,
            "measure": measure,
            "reference_date": reference_date,
            "location": location,
        }
    )
    check_figure(fields)
    with write_transaction(engine, f"doc:{doc_id}") as connection:
        document = (
            connection.execute(sa.select(documents).where(documents.c.doc_id == str(doc_id), documents.c.superseded_at.is_(None)))
            .mappings()
            .first()
        )
        if document is None:
            raise UnknownRecord(f"No current document {str(doc_id)[:70]!r} in the store; add the document first.")
        text = document["text"]
        try:
            start, end = int(char_start), int(char_end)
        except (TypeError, ValueError):
            raise ReviewRefused("The selection has no valid position in the document; select the figure again.") from None
        if not 0 <= start < end <= len(text):
            raise ReviewRefused(f"The selection {start}:{end} is outside the document (0:{len(text)}); select the figure again.")
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end - start > MAX_SPAN:
            raise ReviewRefused(f"The selection is {end - start} characters long; select only the figure (e.g. '1,200').")
        if start == end or not any(True for _ in find_numbers(text, start, end)):
            raise ReviewRefused(
                f"The selection {text[start:end][:40]!r} holds no number; select the figure itself, e.g. '1,200'."
            )
        record_id = manual_record_id(str(doc_id), start, end, fields["indicator"])
        clash = connection.execute(
            sa.select(records.c.record_id).where(
                records.c.doc_id == str(doc_id),
                records.c.indicator == fields["indicator"],
                records.c.char_start < end,
                records.c.char_end > start,
                records.c.superseded.is_(sa.false()),
            )
        ).first()
        if clash is not None:
            raise ReviewRefused(
                f"This figure is already a {fields['indicator']} record ({clash.record_id}); correct that record instead."
            )
        quote_start, quote_end = _sentence_around(text, start, end)
        record = {
            "record_id": record_id,
            "doc": document["doc"],
            "indicator": fields["indicator"],
            "outcome": OUTCOME_OF.get(fields["indicator"]),
            "value": fields["value"],
            "low": fields["low"],
            "high": fields["high"],
            "qualifier": fields["qualifier"],
            "unit": "person",
            "raw_value": text[start:end],
            "raw_unit": "",
            "measure": fields["measure"],
            "population": None,
            "location": fields["location"],
            "attribution": None,
            "quote": text[quote_start:quote_end],
            "char_start": start,
            "char_end": end,
            "source": document["source"],
            "url": document["url"],
            "published": document["published"],
            "reference_date": fields["reference_date"],
            "extractor_version": (MANUAL_PREFIX + who)[:40],
            "location_iso3": fields["location_iso3"],
            "place": None,
            "raw_qualifier": "",
            "unit_factor": 1.0,
            "quote_start": quote_start,
            "title": document["title"],
            "doc_kind": document["kind"],
            "doc_id": document["doc_id"],
            "page": page_of(document["page_map"], start),
            "review_status": STATUS_AFTER["add"],
            "superseded": False,
        }
        connection.execute(records.insert().values(**record))
        audit = {
            "record_id": record_id,
            "doc_id": document["doc_id"],
            "action": "add",
            "status": STATUS_AFTER["add"],
            "reviewer": who,
            "reviewed_at": _now(),
            "old_values": {},
            "new_values": {name: record[name] for name in (*CORRECTABLE_FIELDS, "char_start", "char_end", "raw_value")},
            "note": note,
        }
        _write(connection, audit, STATUS_AFTER["add"])
        return record


def _history(engine: Engine, condition: Any) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        rows = connection.execute(sa.select(*_REVIEW_COLUMNS).where(condition).order_by(reviews.c.review_id)).mappings()
        return [dict(row) for row in rows]


def record_history(engine: Engine, record_id: str) -> list[dict[str, Any]]:
    """The audit trail of one record, oldest first: review_id, action, status, reviewer, reviewed_at, old/new values, note."""
    return _history(engine, reviews.c.record_id == str(record_id))


def document_history(engine: Engine, doc_id: str) -> list[dict[str, Any]]:
    """The audit trail of every record of one document version, oldest first."""
    return _history(engine, reviews.c.doc_id == str(doc_id))


DOC_IDS_PER_QUERY = 500


def corrections(engine: Engine, doc_ids: Iterable[str] | None = None) -> dict[str, dict[str, Any]]:
    """record_id -> the corrected fields (every correction of the record merged, the latest winning);
    of the records of `doc_ids` only, when given."""
    merged: dict[str, dict[str, Any]] = {}
    query = sa.select(reviews.c.record_id, reviews.c.new_values).where(reviews.c.action == "correct")
    wanted = None if doc_ids is None else sorted(set(map(str, doc_ids)))
    with engine.connect() as connection:
        chunks = (
            [None] if wanted is None else [wanted[i : i + DOC_IDS_PER_QUERY] for i in range(0, len(wanted), DOC_IDS_PER_QUERY)]
        )
        for chunk in chunks:  # a record's reviews are all in one chunk: their order is kept
            chosen = query if chunk is None else query.where(reviews.c.doc_id.in_(chunk))
            for record_id, values in connection.execute(chosen.order_by(reviews.c.review_id)):
                merged.setdefault(record_id, {}).update(values or {})
    return merged


def document_records(engine: Engine, doc_id: str) -> pandas.DataFrame:
    """Every current record of one document, rejected ones included (for reviewing), in text order."""
    import pandas

    query = (
        sa.select(records)
        .where(records.c.doc_id == str(doc_id), records.c.superseded.is_(sa.false()))
        .order_by(records.c.char_start, records.c.char_end, records.c.indicator, records.c.record_id)
    )
    with engine.connect() as connection:
        result = connection.execute(query)
        frame = pandas.DataFrame([tuple(row) for row in result.all()], columns=list(result.keys()))
    for name in ("value", "low", "high"):
        frame[name] = pandas.to_numeric(frame[name], errors="coerce").astype("float64")
    return frame


def recent_documents(engine: Engine, limit: int = 200) -> list[dict[str, Any]]:
    """Current documents, the latest ingested first, with how many current records each has and how many are reviewed."""
    counts = (
        sa.select(
            records.c.doc_id,
            sa.func.count().label("figures"),
            sa.func.sum(sa.case((records.c.review_status.in_(REVIEWED_STATUSES), 1), else_=0)).label("reviewed"),
        )
        .where(records.c.superseded.is_(sa.false()))
        .group_by(records.c.doc_id)
        .subquery()
    )
    query = (
        sa.select(
            documents.c.doc_id,
            documents.c.doc,
            documents.c.title,
            documents.c.source,
            documents.c.published,
            documents.c.ingested_at,
            sa.func.coalesce(counts.c.figures, 0).label("figures"),
            sa.func.coalesce(counts.c.reviewed, 0).label("reviewed"),
        )
        .select_from(documents.outerjoin(counts, counts.c.doc_id == documents.c.doc_id))
        .where(documents.c.superseded_at.is_(None))
        .order_by(documents.c.ingested_at.desc(), documents.c.doc_id)
        .limit(limit)
    )
    with engine.connect() as connection:
        return [dict(row) for row in connection.execute(query).mappings()]


__all__ = [
    "ACTIONS",
    "CORRECTABLE_FIELDS",
    "REVIEWED_STATUSES",
    "STATUSES",
    "ReviewRefused",
    "UnknownRecord",
    "add_figure",
    "check_figure",
    "corrections",
    "document_history",
    "document_records",
    "effective_values",
    "is_manual",
    "manual_record_id",
    "normalize_changes",
    "recent_documents",
    "record_history",
    "resolve_location",
    "review_record",
]
