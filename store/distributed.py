"""Ingestion on a Dask cluster: worker processes read and extract, each document is still written in one transaction.

    with dask_client(workers=4) as client:              # or dask_client(scheduler="tcp://host:8786")
        summary = ingest_distributed(engine, sources, client=client)

Each document is one `prepare` task on a worker: read (sources.load_source), hash, near-duplicate
fingerprint, and on SQLite extraction too; all pure functions of the file. Then it is written by
the same per-document transaction as the sequential loop (ingest.store_loaded): on PostgreSQL by
a `write` task on the worker that holds the prepared document, in its own connection; on SQLite by
this process, the store's one writer, from the prepared document the worker hands back.

The same sources give the same store as the sequential loop, whatever the number of workers. Only
documents of one run that could be copies of each other depend on the order of the writes: the
same text (doc_id), the same origin, or one shared band of near_duplicates' fingerprint. The
client looks at the documents in input order; one that collides with an earlier one is set aside
and written after all others, in input order, one at a time, so that the earlier copy is stored
first as in the sequential loop. The others cannot see each other's writes (no shared band: never
each other's candidate), so their order does not matter. Known limit: two copies in one run of an
already stored document that share no band with each other (rare: they share one with probability
0.89 and more) may fill in the stored document's empty metadata in either order.

A worker killed mid-task loses nothing: the scheduler runs its tasks again elsewhere (a task whose
workers keep dying, such as a PDF that takes a process down, fails after
`distributed.scheduler.allowed-failures` attempts, and that document alone is reported as
failed); a write that died before COMMIT left nothing, one that died after it finds its document
stored (unchanged). A task that raised a store error that may pass (a lost connection) is tried
again `RETRIES` times. At most `in_flight` documents are on the cluster at once, so memory stays
bounded however many sources there are.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from extractors.console import extraction_notes
from extractors.document import content_hash
from extractors.engine import extract
from extractors.record import IndicatorRecord

from . import near_duplicates
from .connect import StoreError, create_store_engine
from .ingest import IngestResult, IngestSummary, Progress, failed, store_loaded
from .sources import LoadedSource, is_url, load_source

RETRIES = 3
IN_FLIGHT_PER_WORKER = 4  # enough to keep a worker busy while the client orders and writes


@dataclass(frozen=True)
class Prepared:
    """One document read on a worker, ready for its write transaction."""

    source: str  # as given: the label of its result
    loaded: LoadedSource
    doc_id: str
    fingerprint: near_duplicates.Fingerprint
    found: tuple[IndicatorRecord, ...] | None  # None: extracted by the write, only when the text is not stored yet
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Key:
    """What the client needs to order the writes of a run: what two copies of one document share."""

    doc_id: str
    origin: str
    bands: tuple[int, ...]


def _location(source: str) -> str:
    """Where a worker reads `source`: a file as an absolute path, since a worker's working folder is its own."""
    return source if is_url(source) else os.path.abspath(source)


def prepare(source: str, *, extract_records: bool) -> Prepared | IngestResult:
    """Read one document (on a worker); a document that cannot be read is a FAILED result, never an exception."""
    try:
        with extraction_notes() as notes:
            loaded = load_source(_location(source))
            found = tuple(extract(loaded.text, meta=loaded.meta)) if extract_records else None
        return Prepared(source, loaded, content_hash(loaded.text), near_duplicates.fingerprint(loaded.text), found, tuple(notes))
    except Exception as error:  # one bad document must not stop the run
        return failed(source, error)


def key_of(prepared: Prepared | IngestResult) -> Key | IngestResult:
    if isinstance(prepared, IngestResult):
        return prepared
    return Key(prepared.doc_id, prepared.loaded.origin, prepared.fingerprint.bands)


def write_prepared(engine: Engine, prepared: Prepared | IngestResult, *, reraise: tuple[type[Exception], ...] = ()) -> IngestResult:
    """The document's write transaction (ingest.store_loaded); any error but `reraise` is a FAILED result."""
    if isinstance(prepared, IngestResult):
        return prepared
    try:
        with extraction_notes() as notes:
            result = store_loaded(engine, prepared.loaded, prepared.source, fingerprint=prepared.fingerprint, found=prepared.found)
    except reraise:
        raise
    except Exception as error:
        return failed(prepared.source, error)
    every = prepared.warnings + tuple(notes)
    return dataclasses.replace(result, warnings=every) if every else result


_ENGINES: dict[str, Engine] = {}  # one per store and worker process, reused by every task


def write(prepared: Prepared | IngestResult, url: str) -> IngestResult:
    """A write task on a worker (PostgreSQL). A lost connection raises, so that Dask tries the task again."""
    engine = _ENGINES.get(url)
    if engine is None:
        engine = _ENGINES[url] = create_store_engine(url)
    return write_prepared(engine, prepared, reraise=(sa.exc.OperationalError, sa.exc.InterfaceError))


def workers_write(engine: Engine) -> bool:
    """Whether workers write themselves (PostgreSQL), or hand the records back to this process (SQLite: one writer)."""
    return engine.dialect.name != "sqlite"


class _Run:
    """One ingestion run on a cluster: bounded submission, ordering by collisions, results in input order."""

    def __init__(self, engine: Engine, items: list[str], client: Any, in_flight: int, progress: Progress | None,
                 on_result: Callable[[IngestResult], None] | None) -> None:  # fmt: skip
        from distributed import as_completed

        self.engine, self.items, self.client, self.in_flight = engine, items, client, in_flight
        self.progress, self.on_result = progress, on_result
        self.remote = workers_write(engine)
        self.url = engine.url.render_as_string(hide_password=False)
        self.token = uuid.uuid4().hex[:12]
        self.results: list[IngestResult | None] = [None] * len(items)
        self.done = 0
        self.writes = as_completed()
        self.writing: dict[str, int] = {}  # write future key -> index
        self.seen_docs: set[str] = set()
        self.seen_origins: set[str] = set()
        self.seen_bands: set[int] = set()
        self.deferred: list[int] = []

    def finish(self, index: int, result: IngestResult) -> None:
        self.results[index] = result
        self.done += 1
        if self.on_result is not None:
            self.on_result(result)
        if self.progress is not None:
            self.progress(self.done, len(self.items), result.source)

    def submit_prepare(self, index: int) -> Any:
        return self.client.submit(
            prepare, self.items[index], extract_records=not self.remote, key=f"prepare-{self.token}-{index}", retries=RETRIES
        )

    def submit_write(self, index: int, prepared: Any, suffix: str = "") -> Any:
        return self.client.submit(write, prepared, self.url, key=f"write-{self.token}-{index}{suffix}", retries=RETRIES)

    def outcome(self, index: int, future: Any) -> Any:
        """The future's result; a task that failed for good (its workers died, retries spent) is a FAILED result."""
        try:
            return future.result()
        except Exception as error:
            return failed(self.items[index], error)

    def collides(self, key: Key) -> bool:
        """Whether an earlier document of the run may be a copy of this one (see the module's docstring)."""
        clash = key.doc_id in self.seen_docs or key.origin in self.seen_origins or not self.seen_bands.isdisjoint(key.bands)
        self.seen_docs.add(key.doc_id)
        self.seen_origins.add(key.origin)
        self.seen_bands.update(key.bands)
        return clash

    def head(self, index: int, prepared: Any, key: Any) -> None:
        """The next document in input order: written now, or set aside when it collides with an earlier one."""
        local = None
        if key is None:  # SQLite: the prepared document comes back whole, its key is read here
            local = self.outcome(index, prepared)
            key = key_of(local)
        else:
            key = self.outcome(index, key)
        if isinstance(key, IngestResult):
            self.finish(index, key)
        elif self.collides(key):
            self.deferred.append(index)
        elif self.remote:
            future = self.submit_write(index, prepared)
            self.writing[future.key] = index
            self.writes.add(future)
        else:
            self.finish(index, write_prepared(self.engine, local))

    def written(self, future: Any) -> None:
        index = self.writing.pop(future.key)
        self.finish(index, self.outcome(index, future))

    def run(self) -> None:
        queue: deque[tuple[int, Any, Any]] = deque()
        following = 0
        while True:
            while following < len(self.items) and len(queue) + len(self.writing) < self.in_flight:
                prepared = self.submit_prepare(following)
                key = self.client.submit(key_of, prepared, key=f"key-{self.token}-{following}") if self.remote else None
                queue.append((following, prepared, key))
                following += 1
            for future in self.writes.next_batch(block=False) if self.writes.has_ready() else ():
                self.written(future)
            if queue:
                self.head(*queue.popleft())
            elif self.writing:
                self.written(next(self.writes))
            else:
                break
        self.run_deferred()

    def run_deferred(self) -> None:
        """The documents set aside, in input order, one write at a time; read again, a few ahead."""
        ahead: deque[tuple[int, Any]] = deque()
        waiting = deque(self.deferred)
        while waiting or ahead:
            while waiting and len(ahead) < self.in_flight:
                index = waiting.popleft()
                ahead.append((index, self.submit_prepare(index)))
            index, prepared = ahead.popleft()
            if self.remote:
                self.finish(index, self.outcome(index, self.submit_write(index, prepared, "-set-aside")))
            else:
                self.finish(index, write_prepared(self.engine, self.outcome(index, prepared)))


def ingest_distributed(
    engine: Engine,
    sources: Iterable[str],
    *,
    client: Any,
    progress: Progress | None = None,
    on_result: Callable[[IngestResult], None] | None = None,
    in_flight: int | None = None,
) -> IngestSummary:
    """Ingest documents on the cluster of a `distributed.Client`: the store ingest_sources would give.

    `engine` is this process's (migrated) store; workers of a PostgreSQL store connect to its URL.
    Results come in input order; `progress(done, total, source)` and `on_result(result)` as documents finish.
    """
    items = [str(source) for source in sources]
    if in_flight is None:
        in_flight = IN_FLIGHT_PER_WORKER * max(1, sum(client.nthreads().values()))
    run = _Run(engine, items, client, max(1, in_flight), progress, on_result)
    run.run()
    return IngestSummary([result for result in run.results if result is not None])


@contextlib.contextmanager
def dask_client(*, workers: int | None = None, scheduler: str | None = None) -> Iterator[Any]:
    """A client on an existing cluster (`scheduler`, e.g. tcp://host:8786), else on a local one of `workers` processes."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as error:  # pragma: no cover - a dependency of the project
        raise StoreError("distributed ingestion needs the dask and distributed packages: pip install 'distributed'") from error
    if scheduler is not None:
        try:
            client = Client(scheduler, timeout="30s")
        except OSError as error:
            raise StoreError(f"no Dask scheduler answered at {scheduler} ({error}); start one with `dask scheduler`") from error
        with client:
            yield client
        return
    cluster = LocalCluster(
        n_workers=max(1, workers or 1),
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",  # any free port: another cluster may hold 8787
        silence_logs=logging.ERROR,
    )
    with cluster, Client(cluster) as client:
        yield client


__all__ = ["Key", "Prepared", "dask_client", "ingest_distributed", "key_of", "prepare", "workers_write", "write", "write_prepared"]
