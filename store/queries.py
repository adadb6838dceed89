"""Reading the store: the dashboard's helper queries and the export."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, TextIO

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from extractors.record import FIELDS

from .schema import RECORD_EXTRA, documents, records

if TYPE_CHECKING:
    import pandas
    import pyarrow

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


FETCH_ROWS = 20_000
"""Rows converted to Arrow at a time: the driver's Python objects of one batch are freed while still in the CPU cache."""
_FLOAT_COLUMNS = frozenset({"value", "low", "high", "unit_factor"})
_INT_COLUMNS = frozenset({"char_start", "char_end", "quote_start", "page", "headline"})
_BOOL_COLUMNS = ("headline",)
"""Read as integers (SQLite's drivers give 0 and 1), made nullable booleans in the frame: NULL on records
stored before migration 5."""
_ORDER_KEYS = ("doc_rank", "char_start", "char_end", "indicator", "record_id")
"""The order of _records_query, with the documents' (origin, version) order replaced by their rank."""


class _SlowPathNeeded(Exception):
    """The fast reader cannot promise the straightforward query's exact frame; read it that way."""


def current_records(engine: Engine, *, document_columns: tuple[str, ...] = (), ordered: bool = True) -> pandas.DataFrame:
    """Non-superseded records of current documents, one row each: the contract fields, doc_id, page, review_status.

    `page` is a nullable integer (pandas Int64); dates are ISO strings. Ordered by document
    (origin, version), then by position in the text (char_start, char_end), indicator and record_id.
    `document_columns` adds columns of each record's document after those (for example
    ("publisher",)); their names must not be record columns. `ordered=False` may leave the rows
    in any order, which saves a pass over them for a caller that sorts them its own way.
    """
    unknown = [name for name in document_columns if name not in documents.c or name in records.c]
    if unknown:
        raise ValueError(f"not extra document columns: {unknown}")
    with engine.connect() as connection:
        try:
            return _current_records_fast(connection, document_columns, ordered=ordered)
        except _SlowPathNeeded:
            return _current_records_plain(connection, document_columns)


def _current_query(document_columns: tuple[str, ...]) -> sa.Select:
    query = _records_query(CURRENT_COLUMNS, include_superseded=False)
    return query.add_columns(*(documents.c[name] for name in document_columns))


def _current_records_plain(connection: sa.Connection, document_columns: tuple[str, ...]) -> pandas.DataFrame:
    """The straightforward reading: SQLAlchemy rows in the database's order, a frame from the row tuples.

    The reference the fast reader must match (tests compare them), and its fallback.
    """

    return _plain_frame(connection.execute(_current_query(document_columns)).all(), document_columns)


def _plain_frame(rows: list, document_columns: tuple[str, ...]) -> pandas.DataFrame:
    import pandas

    frame = pandas.DataFrame.from_records([tuple(row) for row in rows], columns=[*CURRENT_COLUMNS, *document_columns])
    frame["page"] = frame["page"].astype("Int64")
    for name in _BOOL_COLUMNS:
        frame[name] = frame[name].astype("boolean")
    for name in ("value", "unit_factor"):
        frame[name] = frame[name].astype("float64")
    for name in ("low", "high"):
        frame[name] = pandas.to_numeric(frame[name], errors="coerce").astype("float64")
    return frame


DOC_IDS_PER_QUERY = 500
"""Documents asked for per query by current_records_of (SQLite allows 32,766 parameters)."""


def current_records_of(engine: Engine, doc_ids: Iterable[str], *, document_columns: tuple[str, ...] = ()) -> pandas.DataFrame:
    """current_records() of some documents only (those of `doc_ids` that are current), in no particular order.

    For a reader that keeps a copy of the store and reads again only the documents that changed;
    read the plain way (a few documents' rows: the fast reader's setup would cost more than it saves).
    """
    import pandas

    unknown = [name for name in document_columns if name not in documents.c or name in records.c]
    if unknown:
        raise ValueError(f"not extra document columns: {unknown}")
    wanted = sorted(set(map(str, doc_ids)))
    frames = []
    with engine.connect() as connection:
        for first in range(0, max(len(wanted), 1), DOC_IDS_PER_QUERY):
            chunk = wanted[first : first + DOC_IDS_PER_QUERY]
            query = _current_query(document_columns).where(records.c.doc_id.in_(chunk)).order_by(None)
            frames.append(_plain_frame(connection.execute(query).all(), document_columns))
    return frames[0] if len(frames) == 1 else pandas.concat(frames, ignore_index=True)


def _ranked_documents(document_columns: tuple[str, ...]) -> sa.Subquery:
    """The current documents' doc_id and `document_columns`, with their rank in (origin, version) order."""
    return (
        sa.select(
            documents.c.doc_id,
            *(documents.c[name] for name in document_columns),
            sa.func.row_number().over(order_by=(documents.c.origin, documents.c.version)).label("doc_rank"),
        )
        .where(documents.c.superseded_at.is_(None))
        .subquery("ranked")
    )


def _ranked_current_query(document_columns: tuple[str, ...], record_columns: tuple[str, ...] = CURRENT_COLUMNS) -> sa.Select:
    """The current records unordered, with their document's rank in (origin, version) order.

    Only the documents table (a row per document) is sorted by the database, in its own
    collation; the records are ordered in memory by integer keys (see _record_order), because
    sorting the joined records in the database moves every wide row through its sorter (spilled
    to disk by PostgreSQL). The window function also makes SQLite read the documents once into a
    small table instead of looking up each record's document, whose row holds its whole text.
    Timings: bench/README.md.
    """
    ranked = _ranked_documents(document_columns)
    return (
        sa.select(
            *(records.c[name] for name in record_columns), *(ranked.c[name] for name in document_columns), ranked.c.doc_rank
        )
        .join_from(records, ranked, ranked.c.doc_id == records.c.doc_id)
        .where(records.c.superseded.is_(sa.false()))
    )


def _current_records_fast(
    connection: sa.Connection, document_columns: tuple[str, ...], *, ordered: bool = True
) -> pandas.DataFrame:
    """current_records() through the DBAPI cursor and Arrow: the same frame as _current_records_plain, faster.

    SQLAlchemy's row objects and DataFrame.from_records' type inference cost more than the
    query itself; here each batch of driver tuples becomes typed Arrow columns in one C++
    pass, and the rows are ordered in memory (_record_order). Raises _SlowPathNeeded when the
    result could differ from the plain reading. Timings: bench/dashboard_bench.py and the README.
    """
    import pyarrow

    _check_frame_types()
    cursor = _batch_cursor(connection)
    try:
        table = _per_row_table(cursor, connection.dialect, document_columns)
    except (pyarrow.ArrowInvalid, pyarrow.ArrowTypeError) as error:  # a value of an unexpected type
        raise _SlowPathNeeded from error
    finally:
        cursor.close()
    return _frame_of(table, connection.dialect, ordered=ordered)


def _batch_cursor(connection: sa.Connection) -> Any:
    """A DBAPI cursor whose fetchmany reads FETCH_ROWS rows from the database at a time.

    psycopg's default cursor receives the whole result at execute, as libpq text of every value:
    for a million records that held 1.5 GB at once beside the frame being built. A named (server-side)
    cursor fetches each batch when asked, within the transaction SQLAlchemy opened. SQLite's cursor
    steps through the rows already."""
    if connection.dialect.name == "postgresql":
        cursor = connection.connection.driver_connection.cursor(name="current_records")
        cursor.itersize = FETCH_ROWS
        return cursor
    return connection.connection.cursor()


def _check_frame_types() -> None:
    """_SlowPathNeeded unless pandas keeps text in Arrow, as the plain reading's frame does."""
    try:
        import pandas
        import pyarrow  # noqa: F401
    except ImportError as error:
        raise _SlowPathNeeded from error
    string_dtype = pandas.Series(["text"]).dtype  # what from_records infers for text
    if not (isinstance(string_dtype, pandas.StringDtype) and string_dtype.storage == "pyarrow"):
        raise _SlowPathNeeded


def _frame_of(table: pyarrow.Table, dialect: sa.Dialect, *, ordered: bool) -> pandas.DataFrame:
    """current_records()'s frame from _per_row_table's table (CURRENT_COLUMNS, document columns, doc_rank)."""
    import pandas
    import pyarrow

    string_dtype = pandas.Series(["text"]).dtype
    text = pyarrow.large_string()  # the storage of pandas' pyarrow strings: no conversion later
    if ordered:
        table = table.take(_record_order(table, binary_collation=dialect.name == "sqlite"))
    table = table.drop_columns(["doc_rank"])
    frame = table.to_pandas(types_mapper=lambda arrow_type: string_dtype if arrow_type == text else None)
    for name in table.column_names:  # from_records keeps a column that is NULL in every row as None objects
        column = table.column(name)
        if column.type == text and column.null_count == len(column):
            frame[name] = pandas.Series([None] * len(frame), dtype=object)
    frame["page"] = frame["page"].astype("Int64")
    for name in _BOOL_COLUMNS:
        frame[name] = frame[name].astype("boolean")
    return frame


def _arrow_type(name: str) -> pyarrow.DataType:
    import pyarrow

    if name in _FLOAT_COLUMNS:
        return pyarrow.float64()
    return pyarrow.int64() if name in _INT_COLUMNS or name in ("doc_rank", "agrees") else pyarrow.large_string()


def _fetch_batches(cursor: Any, query: sa.Select, dialect: sa.Dialect, names: tuple[str, ...]) -> list[pyarrow.RecordBatch]:
    """The query's rows, FETCH_ROWS at a time, as Arrow batches with the columns `names` (its columns, in order)."""
    import pyarrow

    compiled = query.compile(dialect=dialect)
    if compiled.params:
        raise _SlowPathNeeded
    # Integer columns are converted as doubles, then checked: converting a batch of rows, Arrow
    # turned 12.5 (SQLite lets an INTEGER column hold it) into 12 without a word.
    integers = [name for name in names if _arrow_type(name) == pyarrow.int64()]
    row_type = pyarrow.struct([(name, pyarrow.float64() if name in integers else _arrow_type(name)) for name in names])
    cursor.execute(str(compiled))
    batches = []
    while rows := cursor.fetchmany(FETCH_ROWS):
        batch = pyarrow.RecordBatch.from_struct_array(pyarrow.array(rows, type=row_type))
        batches.append(_integers_exactly(batch, integers))
    if not batches:  # the plain reading's dtypes for an empty frame (object columns) are its own
        raise _SlowPathNeeded
    return batches


def _integers_exactly(batch: pyarrow.RecordBatch, integers: list[str]) -> pyarrow.RecordBatch:
    """The batch with its `integers` columns (read as doubles) cast to int64, refusing (ArrowInvalid) any value
    that is not a whole number; Arrow read a Python int too large for a double exactly as an error already."""
    import pyarrow

    columns = dict(zip(batch.schema.names, batch.columns, strict=True))
    for name in integers:
        columns[name] = columns[name].cast(pyarrow.int64(), safe=True)  # 12.5 -> ArrowInvalid
    return pyarrow.RecordBatch.from_arrays(list(columns.values()), names=list(columns))


def _per_row_table(cursor: Any, dialect: sa.Dialect, document_columns: tuple[str, ...]) -> pyarrow.Table:
    """The current records with every column read from each row, and doc_rank."""
    import pyarrow

    names = (*CURRENT_COLUMNS, *document_columns, "doc_rank")
    # Chunked as fetched: concatenating would copy every value once more.
    return pyarrow.Table.from_batches(_fetch_batches(cursor, _ranked_current_query(document_columns), dialect, names))


def _record_order(table: pyarrow.Table, *, binary_collation: bool) -> pyarrow.Array:
    """Row positions in _records_query's order: by document rank, char_start, char_end, indicator, record_id.

    Arrow compares text byte by byte, as SQLite's BINARY collation does; another database may
    collate text differently, which matters only when two records of a document share a span,
    so there such ties send the reading to the plain query.
    """
    import numpy
    import pyarrow.compute

    order = pyarrow.compute.sort_indices(table, sort_keys=[(name, "ascending") for name in _ORDER_KEYS])
    if not binary_collation and len(order) > 1:
        keys = [table.column(name).take(order).to_numpy() for name in _ORDER_KEYS[:3]]
        tied = numpy.ones(len(order) - 1, dtype=bool)
        for key in keys:
            tied &= key[1:] == key[:-1]
        if tied.any():
            raise _SlowPathNeeded
    return order


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
