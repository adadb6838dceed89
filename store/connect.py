"""Opening a store: URLs, SQLite settings for concurrent writers, write transactions.

SQLite: WAL journal (readers never wait for the writer), a busy timeout, foreign
keys on, and every write transaction starts with `BEGIN IMMEDIATE`, so two
writers queue up instead of failing half-way. PostgreSQL: write transactions
take transaction-scoped advisory locks on the keys they touch (an origin, a
document id), released by COMMIT, ROLLBACK or the death of the client.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA_ROOT = REPO_ROOT if (REPO_ROOT / "pyproject.toml").is_file() else Path.cwd()
"""Where data/ is: the checkout's; installed (`pip install .`, no checkout around), the working directory's."""
DEFAULT_STORE_PATH = DATA_ROOT / "data" / "store.sqlite"
DEFAULT_CORPUS = DATA_ROOT / "data" / "corpus"
BUSY_TIMEOUT_S = 60.0  # how long a SQLite writer waits for another one


class StoreError(RuntimeError):
    """A store that cannot be opened or used: bad URL, newer schema, missing file."""


def default_store_url() -> str:
    """The store used when no `--db` is given: env DATABASE_URL, else the SQLite file data/store.sqlite."""
    url = os.environ.get("DATABASE_URL", "").strip()
    return normalize_url(url) if url else f"sqlite:///{DEFAULT_STORE_PATH}"


def normalize_url(url: str) -> str:
    """Accept the usual spellings: postgres:// and postgresql:// mean the psycopg 3 driver.

    >>> normalize_url("postgres://u@h/db")
    'postgresql+psycopg://u@h/db'
    >>> normalize_url("sqlite:///data/store.sqlite")
    'sqlite:///data/store.sqlite'
    """
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL; None for other backends and in-memory databases."""
    parsed = sa.make_url(normalize_url(url))
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def display_url(engine_or_url: Engine | str) -> str:
    """The URL with its password hidden, for messages."""
    url = engine_or_url.url if isinstance(engine_or_url, Engine) else sa.make_url(normalize_url(engine_or_url))
    return url.render_as_string(hide_password=True)


def create_store_engine(url: str) -> Engine:
    """A SQLAlchemy engine set up for the store (no schema check; see open_store)."""
    url = normalize_url(url)
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError as error:
        raise StoreError(
            f"not a database URL: {url!r} (try sqlite:///data/store.sqlite or postgresql+psycopg://user@host/db)"
        ) from error
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        path = sqlite_path(url)
        if path is not None and not path.parent.is_dir():
            raise StoreError(f"{path.parent}: no such folder for the SQLite store")
        engine = sa.create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_S})
        _configure_sqlite(engine, wal=path is not None)
        return engine
    if backend == "postgresql":
        return sa.create_engine(parsed, pool_pre_ping=True)
    raise StoreError(f"unsupported store backend {backend!r}: use sqlite:/// or postgresql+psycopg://")


def _use_wal(cursor) -> None:  # type: ignore[no-untyped-def]
    """Switch the file to WAL, once: the mode is stored in the file. Switching needs a moment
    alone with the file and SQLite does not wait for it (busy_timeout does not apply), so two
    processes opening a new store at once retry until the first one's switch is done."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _configure_sqlite(engine: Engine, *, wal: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        # Let SQLAlchemy's "begin" event below emit BEGIN, so that it can be IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        if wal:
            _use_wal(cursor)
            cursor.execute("PRAGMA synchronous = NORMAL")  # durable against process crashes; fast
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def is_sqlite(engine: Engine | Connection) -> bool:
    return engine.dialect.name == "sqlite"


@contextlib.contextmanager
def write_transaction(engine: Engine, *lock_keys: str) -> Iterator[Connection]:
    """One write transaction: committed if the block ends normally, rolled back otherwise.

    SQLite takes the database's write lock at BEGIN (BEGIN IMMEDIATE). PostgreSQL
    takes an advisory lock for each key, in a fixed order so two writers never
    deadlock; writers with disjoint keys run in parallel.
    """
    with engine.connect() as connection:
        if is_sqlite(connection):
            connection.execution_options(sqlite_begin="IMMEDIATE")
        with connection.begin():
            if not is_sqlite(connection):
                # One round trip: wait for another writer as long as SQLite would (then the caller
                # retries), and take the locks in a fixed order.
                keys = sorted(lock_id(key) for key in set(lock_keys))
                locks = "".join(f", pg_advisory_xact_lock(:k{i})" for i in range(len(keys)))
                connection.execute(
                    sa.text(f"SELECT set_config('lock_timeout', :timeout, true){locks}"),
                    {"timeout": f"{int(BUSY_TIMEOUT_S * 1000)}ms", **{f"k{i}": key for i, key in enumerate(keys)}},
                )
            yield connection


def lock_id(key: str) -> int:
    """A signed 64-bit advisory lock id for a key.

    >>> lock_id("schema") == lock_id("schema") and -(2**63) <= lock_id("schema") < 2**63
    True
    """
    digest = hashlib.sha256(f"extractors.store:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)
