"""Reading a SQLite store's current records straight into Arrow, in a worker process (ADBC).

Nearly all of an in-process read is the sqlite3 module making a Python object per value.
The ADBC SQLite driver fills Arrow columns in C: with the hand-over, a read at 100,000
records took 0.63-0.91 s instead of 1.29-1.35 s. But ADBC links its own copy of SQLite, and
two copies in one process break each other's POSIX locks (a test on a WAL store got a stale
read, then a disk I/O error). So ADBC runs only in a worker process (arrow_worker.py, a
plain `python -m` child talking JSON lines over its stdin and stdout) that never opens a
store otherwise, and this process never loads ADBC. Between processes SQLite's locking is the
usual one.

The worker is started once per process, in the background: by start_worker() (the
dashboard's launcher calls it first thing), or by a read that could have used it, for the
next one; no read waits for it to start. Its table is used only when every column has
exactly the type the in-process reader gives it (or is all NULL) and its text is valid
UTF-8; anything else (PostgreSQL, no worker yet, a failing worker, a surprise) gives None,
and the caller reads in process. Env STORE_ARROW_WORKER=off turns it off.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import select
import subprocess
import sys
import threading
from typing import TYPE_CHECKING

from sqlalchemy.engine import Engine

if TYPE_CHECKING:
    import pyarrow

ENV = "STORE_ARROW_WORKER"
TIMEOUT_S = 120.0
INFERENCE_ROWS = 1 << 30
"""Rows per ADBC batch, from which it types each column: all of them, so that one odd value anywhere (a fraction
in an integer column, bytes in a text one) types its column otherwise, and conform() refuses the table."""


def enabled() -> bool:
    return os.environ.get(ENV, "").strip().lower() != "off"


class _Worker:
    """The child process and its pipes; one request at a time."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "extractors.store.arrow_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),  # where `extractors` is
        )
        self.ready = threading.Event()
        self.lock = threading.Lock()
        threading.Thread(target=self._await_ready, name="arrow-worker-start", daemon=True).start()

    def _await_ready(self) -> None:
        line = self.process.stdout.readline() if self.process.stdout else ""
        if line.startswith('{"ready"'):
            self.ready.set()

    def alive(self) -> bool:
        return self.process.poll() is None

    def ask(self, request: dict) -> dict:
        """The worker's answer; raises on a dead, stuck or garbled worker."""
        with self.lock:
            assert self.process.stdin is not None and self.process.stdout is not None
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
            readable, _, _ = select.select([self.process.stdout], [], [], TIMEOUT_S)
            if not readable:
                raise TimeoutError("the reading worker did not answer")
            line = self.process.stdout.readline()
        if not line:
            raise EOFError("the reading worker ended")
        return json.loads(line)

    def stop(self) -> None:
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()


_lock = threading.Lock()
_worker: _Worker | None = None


def start_worker() -> None:
    """Start the worker process in the background, once per process; returns at once, never raises."""
    global _worker
    if not enabled():
        return
    with _lock:
        if _worker is None or not _worker.alive():
            try:
                _worker = _Worker()
            except Exception:  # no interpreter to start, no resources: reads stay in process
                _worker = None


def worker_ready() -> bool:
    return _ready_worker() is not None


def _ready_worker() -> _Worker | None:
    with _lock:
        worker = _worker
    return worker if worker is not None and worker.ready.is_set() and worker.alive() else None


def _drop_worker() -> None:
    """Stop and forget a worker that failed; a later read starts another in the background."""
    global _worker
    with _lock:
        worker, _worker = _worker, None
    if worker is not None:
        worker.process.kill()
        worker.stop()


@atexit.register
def _stop_worker() -> None:
    with _lock:
        worker = _worker
    if worker is not None:
        worker.stop()


def conform(table: pyarrow.Table, columns: tuple[tuple[str, pyarrow.DataType], ...]) -> pyarrow.Table | None:
    """The table with exactly `columns` (names, order, types), or None when a column holds values of another type.

    A column NULL in every row may come typed as anything: it becomes NULLs of the wanted type.
    Text is only widened (string to large_string), never made from numbers.
    """
    import pyarrow

    if table.column_names != [name for name, _ in columns]:
        return None
    arrays = []
    for (_, wanted), column in zip(columns, table.columns, strict=True):
        if column.null_count == len(column):
            arrays.append(pyarrow.nulls(len(column), type=wanted))
        elif column.type == wanted:
            arrays.append(column)
        elif column.type == pyarrow.string() and wanted == pyarrow.large_string():
            arrays.append(column.cast(wanted))
        else:
            return None
    result = pyarrow.table(arrays, names=[name for name, _ in columns])
    try:
        result.validate(full=True)  # text that is not UTF-8 the in-process reader would refuse
    except pyarrow.ArrowInvalid:
        return None
    return result


def current_table(engine: Engine, document_columns: tuple[str, ...]) -> pyarrow.Table | None:
    """queries._fast_table()'s table of the store's current records, read by the worker; None when it cannot be."""
    if not enabled() or engine.dialect.name != "sqlite":
        return None
    from .connect import sqlite_path
    from .queries import _fast_columns, _ranked_current_query

    path = sqlite_path(engine.url.render_as_string(hide_password=False))
    if path is None or not path.is_file():  # an in-memory or missing database: nothing another process can open
        return None
    worker = _ready_worker()
    if worker is None:
        start_worker()  # for the next read
        return None
    import pyarrow

    columns = _fast_columns(document_columns)
    compiled = _ranked_current_query(document_columns).compile(dialect=engine.dialect)
    if compiled.params:  # the worker takes plain SQL
        return None
    try:
        answer = worker.ask({"path": str(path), "sql": str(compiled), "batch_rows": INFERENCE_ROWS})
    except Exception:  # dead, stuck or garbled
        _drop_worker()
        return None
    handover = answer.get("table")
    if not isinstance(handover, str):  # the driver refused the query or a value: the caller reads in process
        return None
    try:
        with pyarrow.OSFile(handover) as source:  # read into this process's memory, not mapped: the file goes now
            table = pyarrow.ipc.open_file(source).read_all()
    except (OSError, pyarrow.ArrowInvalid):
        return None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(handover)
    if table.num_rows == 0:  # the in-process reading gives an empty store its own column types
        return None
    return conform(table, columns)


__all__ = ["ENV", "conform", "current_table", "enabled", "start_worker", "worker_ready"]
