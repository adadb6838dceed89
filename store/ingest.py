"""Ingestion: documents in, records stored, each document in one transaction.

For each source: load it, hash its text (doc_id), extract its records outside
any transaction, then in ONE write transaction:

- doc_id already stored and current: nothing changes ("unchanged");
- the origin (path or URL) has a current version with other text: that version
  and its records are marked superseded (never deleted) and the new text is
  stored as version N+1 ("new version");
- the text is an older, superseded version of the same origin (a file changed
  back): that version becomes current again as version N+1 ("new version");
- otherwise the document is stored as version 1 ("new").

A crash or kill before COMMIT leaves nothing of the document. Concurrent
ingestion is safe: SQLite writers queue on BEGIN IMMEDIATE; PostgreSQL writers
take advisory locks on the origin and the doc_id, and the unique constraints
catch anything else; lock and serialization errors are retried.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import fcntl
import os
import random
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from extractors.console import extraction_notes
from extractors.document import content_hash
from extractors.engine import extract
from extractors.record import IndicatorRecord

from . import near_duplicates
from .connect import DEFAULT_CORPUS, StoreError, create_store_engine, default_store_url, sqlite_path, write_transaction
from .migrations import migrate
from .same_document import band_rows, find_same, seen_again
from .schema import document_bands, documents, records
from .sources import LoadedSource, discover, load_source

NEW, UNCHANGED, NEW_VERSION, FAILED = "new", "unchanged", "new version", "failed"
INSERT_BATCH = 1000
RETRIES = 8
TRANSIENT_SQLSTATES = {"40001", "40P01", "55P03", "23505"}  # serialization, deadlock, lock timeout, unique race

# Test hook (tests/store): after writing this many record rows of a document, write our pid to
# PAUSE_FILE and sleep PAUSE_SECONDS inside the open transaction, so a test can kill us there;
# only the first process to create PAUSE_FILE stops (several Dask workers share the setting).
PAUSE_AFTER_ROWS = "EXTRACTORS_STORE_TEST_PAUSE_AFTER_ROWS"
PAUSE_FILE = "EXTRACTORS_STORE_TEST_PAUSE_FILE"
PAUSE_SECONDS = "EXTRACTORS_STORE_TEST_PAUSE_SECONDS"

T = TypeVar("T")
Progress = Callable[[int, int, str], None]
"""progress(done, total, item): called after each document."""


@dataclass(frozen=True)
class IngestResult:
    """What happened to one source."""

    source: str
    status: str  # NEW, UNCHANGED, NEW_VERSION or FAILED
    doc_id: str | None = None
    version: int | None = None
    records_added: int = 0
    error: str | None = None  # why it failed
    warnings: tuple[str, ...] = ()  # e.g. undecodable bytes, a malformed date
    similarity: float | None = None  # a copy of stored document doc_id (same_document.py): how alike, 1.0 identical
    filled: tuple[str, ...] = ()  # the stored document's empty metadata fields this copy filled in


@dataclass
class IngestSummary:
    """Counts over a run, and every result in input order."""

    results: list[IngestResult] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for result in self.results if result.status == status)

    @property
    def records_added(self) -> int:
        return sum(result.records_added for result in self.results)

    @property
    def failures(self) -> list[IngestResult]:
        return [result for result in self.results if result.status == FAILED]

    @property
    def all_failed(self) -> bool:
        return len(self.failures) == len(self.results)

    def line(self) -> str:
        """documents: N new, N unchanged, N new versions, N failed; records added: N"""
        return (
            f"documents: {self.count(NEW)} new, {self.count(UNCHANGED)} unchanged, {self.count(NEW_VERSION)} new versions, "
            f"{self.count(FAILED)} failed; records added: {self.records_added}"
        )


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def _is_transient(error: sa.exc.DBAPIError) -> bool:
    sqlstate = getattr(error.orig, "sqlstate", None)
    if sqlstate is not None:
        return sqlstate in TRANSIENT_SQLSTATES
    message = str(error.orig).lower()
    return "database is locked" in message or "database is busy" in message or "unique constraint failed" in message


def _retrying(action: Callable[[], T]) -> T:
    for attempt in range(RETRIES):
        try:
            return action()
        except (sa.exc.OperationalError, sa.exc.IntegrityError) as error:
            if attempt == RETRIES - 1 or not _is_transient(error):
                raise
            time.sleep(min(2.0, 0.05 * 2**attempt) * random.uniform(0.5, 1.5))
    raise AssertionError("unreachable")


def _test_pause(rows_written: int) -> None:
    after = os.environ.get(PAUSE_AFTER_ROWS)
    if after is None or rows_written < int(after):
        return
    signal_file = os.environ.get(PAUSE_FILE)
    if signal_file:  # one pause per signal file, so that of several worker processes only one stops
        written = Path(f"{signal_file}.{os.getpid()}")
        written.write_text(str(os.getpid()))
        try:
            os.link(written, signal_file)  # atomic: the file appears with its content, or exists already
        except FileExistsError:
            return
        finally:
            written.unlink()
    time.sleep(float(os.environ.get(PAUSE_SECONDS, "60")))


def _record_rows(loaded: LoadedSource, doc_id: str, found: Sequence[IndicatorRecord]) -> list[dict]:
    rows: dict[str, dict] = {}
    for record in found:
        row = record.to_dict()
        row.update(doc_id=doc_id, page=loaded.page_of(record.char_start), superseded=False)
        rows.setdefault(row["record_id"], row)  # a span and indicator is stored once
    return list(rows.values())


# Statements built once (SQLAlchemy caches their compiled form per dialect).
_RELATED = sa.select(documents.c.doc_id, documents.c.origin, documents.c.version, documents.c.superseded_at).where(
    sa.or_(documents.c.doc_id == sa.bindparam("doc_id"), documents.c.origin == sa.bindparam("origin"))
)
_SUPERSEDE_RECORDS = sa.update(records).where(records.c.doc_id == sa.bindparam("old_doc_id")).values(superseded=True)
_SUPERSEDE_DOCUMENT = (
    sa.update(documents).where(documents.c.doc_id == sa.bindparam("old_doc_id")).values(superseded_at=sa.bindparam("now"))
)
_REINSTATE_RECORDS = sa.update(records).where(records.c.doc_id == sa.bindparam("old_doc_id")).values(superseded=False)
_REINSTATE_DOCUMENT = (
    sa.update(documents)
    .where(documents.c.doc_id == sa.bindparam("old_doc_id"))
    .values(superseded_at=None, version=sa.bindparam("new_version"), ingested_at=sa.bindparam("now"))
)
_INSERT_DOCUMENT = documents.insert()
_INSERT_RECORDS = records.insert()
_CURRENT_VERSION = sa.select(documents.c.version, documents.c.origin).where(
    documents.c.doc_id == sa.bindparam("doc_id"), documents.c.superseded_at.is_(None)
)


def _store(
    engine: Engine,
    source: str,
    loaded: LoadedSource,
    doc_id: str,
    found: Sequence[IndicatorRecord],
    fingerprint: near_duplicates.Fingerprint,
) -> IngestResult:
    """The write transaction for one document."""
    origin = loaded.origin
    with write_transaction(engine, f"origin:{origin}", f"doc:{doc_id}") as connection:
        now = _now()
        related = connection.execute(_RELATED, {"doc_id": doc_id, "origin": origin}).all()
        existing = next((row for row in related if row.doc_id == doc_id), None)
        versions = [row for row in related if row.origin == origin]
        current = next((row for row in versions if row.superseded_at is None), None)
        version = max((row.version for row in versions), default=0) + 1
        if existing is not None and (existing.superseded_at is None or existing.origin != origin):
            return IngestResult(source, UNCHANGED, doc_id, existing.version)
        if current is not None:  # the origin's text changed: its current version steps down
            connection.execute(_SUPERSEDE_RECORDS, {"old_doc_id": current.doc_id})
            connection.execute(_SUPERSEDE_DOCUMENT, {"old_doc_id": current.doc_id, "now": now})
        if existing is not None:  # changed back to an older text of the same origin: that version returns
            connection.execute(_REINSTATE_DOCUMENT, {"old_doc_id": doc_id, "new_version": version, "now": now})
            connection.execute(_REINSTATE_RECORDS, {"old_doc_id": doc_id})
            return IngestResult(source, NEW_VERSION, doc_id, version)
        meta = loaded.meta
        connection.execute(
            _INSERT_DOCUMENT,
            {
                "doc_id": doc_id,
                "origin": origin,
                "doc": meta.doc,
                "title": meta.title,
                "publisher": meta.publisher,
                "url": meta.url,
                "published": meta.published,
                "kind": meta.kind,
                "source": meta.source,
                "content_type": loaded.content_type,
                "page_map": list(loaded.pages),
                "text": loaded.text,
                "ingested_at": now,
                "version": version,
                "superseded_at": None,
            },
        )
        bands = band_rows(doc_id, fingerprint)
        if bands:
            connection.execute(document_bands.insert(), bands)
        rows = _record_rows(loaded, doc_id, found)
        if connection.dialect.name == "postgresql":
            _copy_records(connection, rows)
            _test_pause(len(rows))
            return IngestResult(source, NEW if version == 1 else NEW_VERSION, doc_id, version, records_added=len(rows))
        batch = INSERT_BATCH
        if os.environ.get(PAUSE_AFTER_ROWS):
            batch = max(1, int(os.environ[PAUSE_AFTER_ROWS]))
        for start in range(0, len(rows), batch):
            connection.execute(_INSERT_RECORDS, rows[start : start + batch])
            _test_pause(start + len(rows[start : start + batch]))
        return IngestResult(source, NEW if version == 1 else NEW_VERSION, doc_id, version, records_added=len(rows))


_RECORD_COLUMNS = tuple(column.name for column in records.columns)


def _copy_records(connection: sa.Connection, rows: list[dict]) -> None:
    """Insert record rows with PostgreSQL's COPY (one round trip), inside the open transaction."""
    if not rows:
        return
    columns = [name for name in _RECORD_COLUMNS if name in rows[0]]
    quoted = ", ".join(connection.dialect.identifier_preparer.quote(name) for name in columns)
    cursor = connection.connection.driver_connection.cursor()  # psycopg's, in the transaction SQLAlchemy opened
    try:
        with cursor.copy(f"COPY records ({quoted}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[name] for name in columns])
    finally:
        cursor.close()


def _current(engine: Engine, doc_id: str) -> tuple[int, str] | None:
    with engine.connect() as connection:
        row = connection.execute(_CURRENT_VERSION, {"doc_id": doc_id}).first()
    return (row.version, row.origin) if row is not None else None


def current_version(engine: Engine, doc_id: str) -> tuple[int, str] | None:
    """(version, origin) of the current document with this text, None when the store has none."""
    return _current(engine, doc_id)


def _copy_of(engine: Engine, label: str, loaded: LoadedSource, doc_id: str, similarity: float) -> IngestResult | None:
    """Record `loaded` as a copy of stored document `doc_id`; None when that is no longer current."""

    def write() -> tuple[str, ...] | None:
        with write_transaction(engine, f"doc:{doc_id}") as connection:
            return seen_again(connection, doc_id, loaded, similarity)

    filled = _retrying(write)
    if filled is None:
        return None
    current = _current(engine, doc_id)
    return IngestResult(label, UNCHANGED, doc_id, current[0] if current else None, similarity=similarity, filled=filled)


def store_loaded(
    engine: Engine,
    loaded: LoadedSource,
    label: str,
    *,
    fingerprint: near_duplicates.Fingerprint | None = None,
    found: Sequence[IndicatorRecord] | None = None,
) -> IngestResult:
    """Extract and store one loaded document, under `label` (its path, URL or a name); raises on a store error.

    `fingerprint` and `found` (its near_duplicates fingerprint and extracted records) are computed
    here unless given: a worker process computes them ahead (see distributed.py).

    Text already current in the store is neither re-extracted nor written again (UNCHANGED). The
    same text from another origin, or the same article in another format (same_document.py), is
    not stored again either (UNCHANGED, with `similarity`): it only fills in the stored
    document's empty title, publisher, date or address (`filled`), and is kept as a sighting.
    """
    doc_id = content_hash(loaded.text)
    current = _current(engine, doc_id)
    if current is not None:  # the common re-run case: no extraction
        if current[1] == loaded.origin:
            return IngestResult(label, UNCHANGED, doc_id, current[0])
        copy = _copy_of(engine, label, loaded, doc_id, 1.0)
        if copy is not None:
            return copy
    if fingerprint is None:
        fingerprint = near_duplicates.fingerprint(loaded.text)
    with engine.connect() as connection:
        same = find_same(connection, loaded, fingerprint)
    if same is not None:
        copy = _copy_of(engine, label, loaded, *same)
        if copy is not None:
            return copy
    if found is None:
        found = extract(loaded.text, meta=loaded.meta)
    return _retrying(lambda: _store(engine, label, loaded, doc_id, found, fingerprint))


def ingest_source(engine: Engine, source: str | Path) -> IngestResult:
    """Ingest one document (path or URL). Never raises for a bad document: the result says why it failed."""
    source = str(source)
    try:
        with extraction_notes() as caught:
            result = store_loaded(engine, load_source(source), source)
        notes = tuple(caught)
        return dataclasses.replace(result, warnings=notes) if notes else result
    except Exception as error:  # one bad document must not stop the run (KeyboardInterrupt still does)
        return failed(source, error)


def failed(source: str, error: Exception) -> IngestResult:
    """The result of a document that could not be ingested, with the reason in one line's words."""
    reason = str(error) if str(error) else type(error).__name__
    if isinstance(error, sa.exc.SQLAlchemyError):
        reason = f"store error: {type(error).__name__}: {getattr(error, 'orig', None) or error}"
    return IngestResult(source, FAILED, error=reason)


def ingest_sources(
    engine: Engine,
    sources: Iterable[str | Path],
    *,
    progress: Progress | None = None,
    on_result: Callable[[IngestResult], None] | None = None,
) -> IngestSummary:
    """Ingest documents one after another; a failure is recorded and the rest go on."""
    items = [str(source) for source in sources]
    summary = IngestSummary()
    for done, source in enumerate(items, start=1):
        result = ingest_source(engine, source)
        summary.results.append(result)
        if on_result is not None:
            on_result(result)
        if progress is not None:
            progress(done, len(items), source)
    return summary


def ingest_paths(
    engine: Engine,
    inputs: Iterable[str | Path],
    *,
    briefs_only: bool = False,
    progress: Progress | None = None,
    on_result: Callable[[IngestResult], None] | None = None,
) -> IngestSummary:
    """Ingest files, folders (walked, see sources.discover) and URLs."""
    return ingest_sources(engine, discover(inputs, briefs_only=briefs_only), progress=progress, on_result=on_result)


def ensure_default_store(progress: Progress | None = None, *, corpus: str | Path | None = None) -> str:
    """The default store's URL, building it from data/corpus/ first when it does not exist.

    SQLite (the default): when data/store.sqlite is missing, the corpus briefs (files
    with a .meta.json sidecar) are ingested into a temporary file that is renamed into
    place at the end, so a crash never leaves a half-built store. Another backend
    (DATABASE_URL): the corpus is ingested when the store holds no document.
    `progress(done, total, item)` is called after each document.
    """
    url = default_store_url()
    corpus = Path(corpus) if corpus is not None else DEFAULT_CORPUS
    path = sqlite_path(url)
    if path is not None and path.exists():
        return url
    if not corpus.is_dir():
        raise StoreError(f"{corpus}: no corpus folder to build the store from")
    if path is None:
        engine = create_store_engine(url)
        try:
            migrate(engine)
            with engine.connect() as connection:
                empty = connection.execute(sa.select(sa.func.count()).select_from(documents)).scalar() == 0
            if empty:
                ingest_paths(engine, [corpus], briefs_only=True, progress=progress)
        finally:
            engine.dispose()
        return url
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one builder at a time; the others wait, then find the store built
        if not path.exists():
            _build_sqlite_store(path, corpus, progress)
    return url


def _build_sqlite_store(path: Path, corpus: Path, progress: Progress | None) -> None:
    building = path.with_name(f"{path.name}.build-{os.getpid()}")
    for leftover in (building, building.with_name(building.name + "-wal"), building.with_name(building.name + "-shm")):
        leftover.unlink(missing_ok=True)
    engine = create_store_engine(f"sqlite:///{building}")
    try:
        migrate(engine)
        ingest_paths(engine, [corpus], briefs_only=True, progress=progress)
        engine.dispose()
        raw = sqlite3.connect(building)  # fold the WAL into the file, so that the rename moves everything
        try:
            raw.execute("PRAGMA journal_mode = DELETE")
        finally:
            raw.close()
        os.replace(building, path)
    finally:
        engine.dispose()
        for leftover in (building, building.with_name(building.name + "-wal"), building.with_name(building.name + "-shm")):
            leftover.unlink(missing_ok=True)
