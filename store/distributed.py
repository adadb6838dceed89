"""Ingestion on a Dask cluster: worker processes read and extract, each document is still written in one transaction.

    with dask_client(workers=4) as client:              # or dask_client(scheduler="tcp://host:8786")
        summary = ingest_distributed(engine, sources, client=client)

Documents go in batches, in input order: a `prepare_batch` task on a worker reads each document
(sources.load_source), hashes it, fingerprints it and extracts its records, all pure functions of
the file (on PostgreSQL, text already current in the store under the same origin is not
extracted). Then each is written by the same per-document transaction as the sequential loop
(ingest.store_loaded): on PostgreSQL by a `write_batch` task on the worker that holds the batch,
in its own connection; on SQLite by this process, the store's one writer, from the prepared
documents the worker hands back. A batch is up to MAX_BATCH documents: one task per document
would cost the scheduler and the client more than reading a short text does.

The same sources give the same store as the sequential loop, whatever the number of workers. Only
documents of one run that could be copies of each other depend on the order of the writes: the
same text (doc_id), the same origin, or one shared band of near_duplicates' fingerprint (a
candidate of find_same). On SQLite the client writes each document before looking at the next,
as the sequential loop does. On PostgreSQL a write task writes its documents in input order, and
before a document that collides with one of a write task still in flight, the client waits for
the writes in flight: the earlier copy is then committed, as in the sequential loop. Documents
that do not collide cannot see each other's writes (no shared band: never each other's
candidate), so their order does not matter. A corpus of near-identical reports (one template,
other figures) collides all the time, and its writes then go one batch at a time. Known limit:
two copies in one run of an already stored document that share no band with each other (rare:
they share one with probability 0.89 and more) may fill in the stored document's empty metadata
in either order.

A worker killed mid-task loses nothing: the scheduler runs its tasks again elsewhere (a task whose
workers keep dying, such as a PDF that takes a process down, fails after
`distributed.scheduler.allowed-failures` attempts, and the documents of that batch alone are
reported as failed); a write that died before COMMIT left nothing, and a document that an attempt
had committed is found stored by the next (reported unchanged). A task that raised a store error
that may pass (a lost connection) is tried again `RETRIES` times. At most `in_flight` batches are
on the cluster at once, so memory stays bounded however many sources there are.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import uuid
from collections import Counter, deque
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
from .ingest import IngestResult, IngestSummary, Progress, current_version, failed, store_loaded
from .sources import LoadedSource, is_url, load_source

RETRIES = 3
IN_FLIGHT_PER_WORKER = 3  # batches: enough to keep a worker busy while the client orders and writes
MAX_BATCH = 16  # documents per task: the scheduler's cost per task (about a millisecond) spread thin


class ClusterError(StoreError):
    """A document's task that the Dask cluster could not run: its workers died, or they cannot read this code."""


@dataclass(frozen=True)
class Prepared:
    """One document read on a worker, ready for its write transaction."""

    source: str  # as given: the label of its result
    loaded: LoadedSource
    doc_id: str
    fingerprint: near_duplicates.Fingerprint
    found: tuple[IndicatorRecord, ...] | None  # None: the text was current in the store; the write extracts it if no longer
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Key:
    """What the client needs to order the writes of a run: what two copies of one document share."""

    doc_id: str
    origin: str
    bands: tuple[int, ...]

    def tokens(self) -> tuple[object, ...]:
        return (("doc", self.doc_id), ("origin", self.origin), *self.bands)


def location(source: str) -> str:
    """Where a worker reads `source` (found here, in the client): a file as an absolute path, since a
    worker's working folder is its own."""
    return source if is_url(source) else os.path.abspath(source)


def prepare(source: str, *, where: str | None = None, url: str | None = None) -> Prepared | IngestResult:
    """Read and extract one document (on a worker) from `where` (default: `source`); a document that cannot
    be read is a FAILED result under the name `source`, never an exception. With the store's `url`
    (PostgreSQL, reachable from the workers), text already current there under the same origin is not
    extracted: its write finds it unchanged."""
    try:
        with extraction_notes() as notes:
            loaded = load_source(where or source)
            doc_id = content_hash(loaded.text)
            current = current_version(_engine(url), doc_id) if url else None
            stored = current is not None and current[1] == loaded.origin
            found = None if stored else tuple(extract(loaded.text, meta=loaded.meta))
        return Prepared(source, loaded, doc_id, near_duplicates.fingerprint(loaded.text), found, tuple(notes))
    except (sa.exc.OperationalError, sa.exc.InterfaceError):
        raise  # the store cannot be reached from this worker: Dask runs the task again
    except Exception as error:  # one bad document must not stop the run
        return failed(source, error)


def key_of(prepared: Prepared | IngestResult) -> Key | IngestResult:
    if isinstance(prepared, IngestResult):
        return prepared
    return Key(prepared.doc_id, prepared.loaded.origin, prepared.fingerprint.bands)


def prepare_batch(sources: list[tuple[str, str]], *, url: str | None = None) -> list[Prepared | IngestResult]:
    """A task: several documents (name, location) read one after another (one task each would cost the
    scheduler more than the reading)."""
    return [prepare(source, where=where, url=url) for source, where in sources]


def keys_of(batch: list[Prepared | IngestResult]) -> list[Key | IngestResult]:
    """A task: what the client needs of a prepared batch that stays on its worker."""
    return [key_of(prepared) for prepared in batch]


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


def _engine(url: str) -> Engine:
    engine = _ENGINES.get(url)
    if engine is None:
        engine = _ENGINES[url] = create_store_engine(url)
    return engine


def write_batch(batch: list[Prepared | IngestResult], url: str, positions: list[int]) -> list[IngestResult]:
    """A task on the worker holding `batch` (PostgreSQL): the documents at `positions`, in order, one transaction each.

    A lost connection raises, so that Dask runs the task again; documents this attempt committed are
    then found stored (unchanged)."""
    engine = _engine(url)
    return [write_prepared(engine, batch[position], reraise=(sa.exc.OperationalError, sa.exc.InterfaceError)) for position in positions]


def workers_write(engine: Engine) -> bool:
    """Whether workers write themselves (PostgreSQL), or hand the records back to this process (SQLite: one writer)."""
    return engine.dialect.name != "sqlite"


class _Run:
    """One ingestion run on a cluster: batches in input order, a bounded number on the cluster, writes ordered by collisions."""

    def __init__(self, engine: Engine, items: list[str], client: Any, batch: int, in_flight: int, progress: Progress | None,
                 on_result: Callable[[IngestResult], None] | None) -> None:  # fmt: skip
        from distributed import as_completed

        self.engine, self.items, self.client, self.batch, self.in_flight = engine, items, client, batch, in_flight
        self.progress, self.on_result = progress, on_result
        self.remote = workers_write(engine)
        self.url = engine.url.render_as_string(hide_password=False)
        self.token = uuid.uuid4().hex[:12]
        self.results: list[IngestResult | None] = [None] * len(items)
        self.done = 0
        self.writes = as_completed()
        self.writing: dict[str, tuple[int, list[int], list[tuple[object, ...]]]] = {}  # future key -> start, positions, tokens
        self.unwritten: Counter[object] = Counter()  # the tokens of the documents in the writes not finished

    def finish(self, index: int, result: IngestResult) -> None:
        if result.source != self.items[index]:  # a worker of another version of this code: its name as given
            result = dataclasses.replace(result, source=self.items[index])
        self.results[index] = result
        self.done += 1
        if self.on_result is not None:
            self.on_result(result)
        if self.progress is not None:
            self.progress(self.done, len(self.items), result.source)

    def submit_prepare(self, start: int, stop: int) -> Any:
        return self.client.submit(
            prepare_batch, [(item, location(item)) for item in self.items[start:stop]], url=self.url if self.remote else None, key=f"prepare-{self.token}-{start}-{stop}",
            retries=RETRIES,
        )  # fmt: skip

    def outcome(self, indexes: Iterable[int], future: Any) -> list[Any]:
        """The task's results; a task that failed for good (its workers died, retries spent, the cluster could
        not read it) fails each of its documents, with the first line of the reason."""
        try:
            return future.result()
        except Exception as error:
            reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            cause = ClusterError(f"the Dask cluster could not run it: {reason}")
            return [failed(self.items[index], cause) for index in indexes]

    def head(self, start: int, stop: int, prepared: Any, keys: Any) -> None:
        """The next batch in input order, written now; before a document that may be a copy of one whose
        write has not finished, the writes in flight are waited for (see the module's docstring)."""
        if not self.remote:  # written here, in input order: every earlier document is written already
            for index, document in enumerate(self.outcome(range(start, stop), prepared), start=start):
                self.finish(index, write_prepared(self.engine, document))
            return
        positions: list[int] = []
        tokens: list[tuple[object, ...]] = []
        for index, key in enumerate(self.outcome(range(start, stop), keys), start=start):
            if isinstance(key, IngestResult):
                self.finish(index, key)
                continue
            mine = key.tokens()
            if any(token in self.unwritten for token in mine):  # an earlier batch's write in flight may hold its copy
                self.submit_write(start, prepared, positions, tokens)
                positions, tokens = [], []
                while self.writing:
                    self.written(next(self.writes))
            positions.append(index - start)  # one write task writes its documents in order: copies within it are safe
            tokens.append(mine)
        self.submit_write(start, prepared, positions, tokens)

    def submit_write(self, start: int, prepared: Any, positions: list[int], tokens: list[tuple[object, ...]]) -> None:
        if not positions:
            return
        future = self.client.submit(
            write_batch, prepared, self.url, positions, key=f"write-{self.token}-{start + positions[0]}", retries=RETRIES, priority=1
        )  # before the reading queued on the worker: the client may be waiting for it
        for each in tokens:
            self.unwritten.update(each)
        self.writing[future.key] = (start, positions, tokens)
        self.writes.add(future)

    def written(self, future: Any) -> None:
        start, positions, tokens = self.writing.pop(future.key)
        for each in tokens:
            self.unwritten.subtract(each)
        self.unwritten += Counter()  # keep only tokens still counted: the counter stays as small as the writes in flight
        for position, result in zip(positions, self.outcome((start + p for p in positions), future), strict=True):
            self.finish(start + position, result)

    def run(self) -> None:
        queue: deque[tuple[int, int, Any, Any]] = deque()
        following = 0
        while True:
            while following < len(self.items) and len(queue) + len(self.writing) < self.in_flight:
                stop = min(len(self.items), following + self.batch)
                prepared = self.submit_prepare(following, stop)
                keys = self.client.submit(keys_of, prepared, key=f"keys-{self.token}-{following}", priority=1) if self.remote else None
                queue.append((following, stop, prepared, keys))
                following = stop
            for future in self.writes.next_batch(block=False) if self.writes.has_ready() else ():
                self.written(future)
            if queue:
                self.head(*queue.popleft())
            elif self.writing:
                self.written(next(self.writes))
            else:
                break


def ingest_distributed(
    engine: Engine,
    sources: Iterable[str],
    *,
    client: Any,
    progress: Progress | None = None,
    on_result: Callable[[IngestResult], None] | None = None,
    batch: int | None = None,
    in_flight: int | None = None,
) -> IngestSummary:
    """Ingest documents on the cluster of a `distributed.Client`: the store ingest_sources would give.

    `engine` is this process's (migrated) store; workers of a PostgreSQL store connect to its URL.
    Results come in input order; `progress(done, total, source)` and `on_result(result)` as documents finish.
    `batch` documents make one task (default: up to MAX_BATCH, fewer for a short run, so that every worker
    gets some); at most `in_flight` batches are on the cluster (default: IN_FLIGHT_PER_WORKER per worker thread).
    """
    items = [str(source) for source in sources]
    threads = max(1, sum(client.nthreads().values()))
    if in_flight is None:
        in_flight = IN_FLIGHT_PER_WORKER * threads
    if batch is None:
        batch = min(MAX_BATCH, -(-len(items) // (in_flight * 2)))
    run = _Run(engine, items, client, max(1, batch), max(1, in_flight), progress, on_result)
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


__all__ = ["ClusterError", "Key", "Prepared", "dask_client", "ingest_distributed", "key_of", "keys_of", "location", "prepare", "prepare_batch", "workers_write", "write_batch", "write_prepared"]
