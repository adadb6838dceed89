"""A throw-away PostgreSQL server for tests and benchmarks.

It creates a cluster with `initdb` in a fresh temporary folder, starts it with
`pg_ctl` on a free port bound to 127.0.0.1 (its unix socket in that folder, so
it never touches the system's /run/postgresql), and removes everything on stop.
initdb refuses to run as root: as root the server runs as the `postgres`
system user (through `runuser`), and the folder is handed to that user.

The binaries come from Debian's `postgresql` package (/usr/lib/postgresql/N/bin),
from PG_BINDIR if set, or from PATH.

    python scripts/postgres_test_server.py            # start, print the URL, stop on Ctrl-C
    python scripts/postgres_test_server.py --check    # exit 0 if the binaries are there

From Python (tests/store/conftest.py, bench/ingest_bench.py):

    with PostgresServer() as server:
        url = server.create_database("t1")   # postgresql+psycopg://postgres@127.0.0.1:PORT/t1
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

INSTALL_HINT = "apt-get update && apt-get install -y postgresql"
SYSTEM_USER = "postgres"
SUPERUSER = "postgres"


class PostgresUnavailable(RuntimeError):
    """The PostgreSQL server binaries (initdb, pg_ctl) are not installed."""


def find_bindir() -> Path | None:
    """The folder holding initdb and pg_ctl: PG_BINDIR, the newest Debian version, or PATH."""
    candidates: list[Path] = []
    if os.environ.get("PG_BINDIR"):
        candidates.append(Path(os.environ["PG_BINDIR"]))
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: [int(s) for s in Path(p).parent.name.split(".") if s.isdigit()]
    )
    candidates.extend(Path(p) for p in reversed(versions))
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    """One private PostgreSQL cluster. `fast=True` turns fsync off (tests); benchmarks keep it on."""

    def __init__(self, *, fast: bool = True, bindir: Path | None = None) -> None:
        self.bindir = bindir or find_bindir()
        if self.bindir is None:
            raise PostgresUnavailable(f"PostgreSQL server binaries (initdb, pg_ctl) not found; install them with: {INSTALL_HINT}")
        self.fast = fast
        self.port: int | None = None
        self.root: Path | None = None
        self._as_root = os.geteuid() == 0

    # -- process helpers -------------------------------------------------
    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(a) for a in args]
        if self._as_root:
            command = ["runuser", "-u", SYSTEM_USER, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120)
        if check and result.returncode != 0:
            raise RuntimeError(
                f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}\n{self.log_tail()}"
            )
        return result

    @property
    def datadir(self) -> Path:
        assert self.root is not None
        return self.root / "data"

    @property
    def logfile(self) -> Path:
        assert self.root is not None
        return self.root / "server.log"

    def log_tail(self, lines: int = 30) -> str:
        if self.root is None or not self.logfile.exists():
            return ""
        return "\n".join(self.logfile.read_text(errors="replace").splitlines()[-lines:])

    # -- life cycle --------------------------------------------------------
    def start(self) -> PostgresServer:
        self.root = Path(tempfile.mkdtemp(prefix="pgtest-"))
        if self._as_root:
            user = pwd.getpwnam(SYSTEM_USER)
            os.chown(self.root, user.pw_uid, user.pw_gid)
        self._run(
            self.bindir / "initdb",
            "-D",
            self.datadir,
            "-U",
            SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        )
        settings = [
            "-c listen_addresses=127.0.0.1",
            f"-c unix_socket_directories={self.root}",
            "-c max_connections=40",
            "-c shared_buffers=64MB",
        ]
        if self.fast:
            settings += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        last_error: Exception | None = None
        for _attempt in range(3):  # the free port may be taken between probe and bind
            self.port = _free_port()
            options = " ".join([f"-p {self.port}", *settings])
            result = self._run(
                self.bindir / "pg_ctl",
                "start",
                "-w",
                "-t",
                "60",
                "-D",
                self.datadir,
                "-l",
                self.logfile,
                "-o",
                options,
                check=False,
            )
            if result.returncode == 0:
                return self
            last_error = RuntimeError(f"pg_ctl start failed:\n{result.stdout}\n{result.stderr}\n{self.log_tail()}")
        self.stop()
        raise last_error or RuntimeError("pg_ctl start failed")

    def stop(self) -> None:
        if self.root is None:
            return
        if (self.datadir / "postmaster.pid").exists():
            # The cluster is deleted next: no shutdown checkpoint needed ("immediate"), unless it is durable.
            mode = "immediate" if self.fast else "fast"
            self._run(self.bindir / "pg_ctl", "stop", "-w", "-t", "60", "-m", mode, "-D", self.datadir, check=False)
        shutil.rmtree(self.root, ignore_errors=True)
        self.root = None

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- databases -------------------------------------------------------------
    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def reset_database(self, name: str) -> str:
        """An empty database `name`, created on first use, emptied (schema public recreated) after; returns its URL.

        Much faster than a new database per test. Other sessions on it are ended first.
        """
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user={SUPERUSER} dbname=postgres", autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
                return self.url(name)
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", (name,)
            )
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user={SUPERUSER} dbname={name}", autocommit=True) as conn:
            conn.execute("DROP SCHEMA public CASCADE")
            conn.execute("CREATE SCHEMA public")
        return self.url(name)

    def create_database(self, name: str) -> str:
        """A new empty database; returns its SQLAlchemy URL."""
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user={SUPERUSER} dbname=postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only check that the server binaries are installed")
    parser.add_argument("--durable", action="store_true", help="keep fsync on (default: off, for speed)")
    args = parser.parse_args(argv)
    bindir = find_bindir()
    if args.check:
        print(bindir or f"not found; install with: {INSTALL_HINT}")
        return 0 if bindir else 1
    with PostgresServer(fast=not args.durable) as server:
        print(server.url(), flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)
    return 0


if __name__ == "__main__":
    sys.exit(main())
