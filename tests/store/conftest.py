"""Fixtures of the store tests: real SQLite files and a real PostgreSQL server.

The PostgreSQL server is Debian's `postgresql` package, started once per test
session (the `postgres` fixture of tests/conftest.py, shared with the review tests) by
scripts/postgres_test_server.py in a temporary folder (a free port on
127.0.0.1, its unix socket in that folder) and stopped at the end; each test gets
an empty database (the schema of one database
is dropped and recreated between tests). Without the binaries the PostgreSQL cases are skipped, or
fail when CI=true (CI must install them: apt-get install -y postgresql).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from testkit import load_module

from store import open_store

for _helpers in ("store_helpers", "records_scenarios", "same_article"):  # for `from store_helpers import ...`
    load_module(Path(__file__).with_name(f"{_helpers}.py"))

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL of a new, empty store on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}"
    server = request.getfixturevalue("postgres")
    return server.reset_database("store_test")


@pytest.fixture
def engine(store_url: str) -> Iterator[object]:
    engine = open_store(store_url)
    try:
        yield engine
    finally:
        engine.dispose()
