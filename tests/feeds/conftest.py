"""Fixtures of the feed watcher's tests: a loopback HTTP server playing ReliefWeb, RSS and Atom
feeds, news pages and PDFs, and a SQLite store. Everything is offline.

The server's 127.0.0.1 is an internal address the guard refuses unless an operator allows the
host by name; these tests allow `127.0.0.1` as an operator would (and only it: `localhost`
stays refused, which the refused-address test uses).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from testkit import Server, load_module

from extractors.loaders.guard import ALLOW_HOSTS_ENV
from store import open_store

load_module(Path(__file__).with_name("feed_helpers.py"))  # for `from feed_helpers import ...`


@pytest.fixture
def server() -> Iterator[Server]:
    """Routes by path (a paged API's answer is a function of the query); HTML unless a route says otherwise."""
    with Server(with_query=False, content_type="text/html; charset=utf-8") as running:
        yield running


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "RELIEFWEB_APPNAME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(ALLOW_HOSTS_ENV, "127.0.0.1")


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.sqlite'}"


@pytest.fixture
def engine(store_url: str) -> Iterator[object]:
    engine = open_store(store_url)
    try:
        yield engine
    finally:
        engine.dispose()
