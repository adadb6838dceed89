"""The worker process of arrow_reader.py: `python -m extractors.store.arrow_worker`.

One request per line on stdin, as JSON {"path", "sql", "batch_rows"}; one answer per line on
stdout, as JSON: {"table": FILE} (an Arrow IPC file the caller reads, then deletes) or
{"error": "..."}. It prints {"ready": PID} once its imports are done, and ends when stdin
closes (its parent ended). It never opens a store with the sqlite3 module: ADBC's SQLite and
the sqlite3 module's, in one process, break each other's POSIX locks.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile

HANDOVER_MIN_FREE = 1 << 30
"""Free bytes /dev/shm needs for the worker to leave its table there (containers often give it 64 MB)."""


def handover_dir() -> str | None:
    """Where the table is left: memory (/dev/shm) when it has room, else the temporary folder."""
    try:
        stats = os.statvfs("/dev/shm")
    except OSError:
        return None
    roomy = stats.f_bavail * stats.f_frsize >= HANDOVER_MIN_FREE
    return "/dev/shm" if roomy and os.access("/dev/shm", os.W_OK) else None


def read_query(path: str, sql: str, batch_rows: int) -> str:
    """The query's rows on the SQLite file at `path`, written as an Arrow IPC file; the file's path.

    A file rather than the pipe: sending 58 MB (100,000 records) through a pipe took as long as reading them.
    """
    import adbc_driver_sqlite.dbapi
    import pyarrow

    with adbc_driver_sqlite.dbapi.connect(path) as connection:
        cursor = connection.cursor()
        cursor.adbc_statement.set_options(**{"adbc.sqlite.query.batch_rows": str(batch_rows)})
        cursor.execute(sql)
        table = cursor.fetch_arrow_table()
        cursor.close()
    handle, handover = tempfile.mkstemp(prefix="store-records-", suffix=".arrow", dir=handover_dir())
    try:
        with os.fdopen(handle, "wb") as sink, pyarrow.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
    except BaseException:
        os.unlink(handover)
        raise
    return handover


def main() -> None:
    import adbc_driver_sqlite.dbapi  # noqa: F401 - imported before saying ready
    import pyarrow  # noqa: F401

    out = sys.stdout
    out.write(json.dumps({"ready": os.getpid()}) + "\n")
    out.flush()
    for line in sys.stdin:
        try:
            request = json.loads(line)
            answer = {"table": read_query(request["path"], request["sql"], int(request["batch_rows"]))}
        except Exception as error:  # the caller reads in its own process; the worker goes on
            answer = {"error": f"{type(error).__name__}: {error}"[:500]}
        out.write(json.dumps(answer) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
