"""Fixtures of the loader tests: the generated documents and a local HTTP server on 127.0.0.1, which fetch is allowed to reach."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from testkit import Server, load_module

from extractors.loaders.guard import ALLOW_HOSTS_ENV

DOCUMENTS = Path(__file__).resolve().parent.parent / "fixtures" / "documents"


GENERATOR = load_module(DOCUMENTS / "generate_documents.py")


@pytest.fixture(scope="session")
def documents() -> Path:
    """The folder of committed fixtures (tests/fixtures/documents)."""
    return DOCUMENTS


@pytest.fixture(scope="session")
def generator() -> ModuleType:
    """tests/fixtures/documents/generate_documents.py, imported."""
    return GENERATOR


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Requests go straight to 127.0.0.1, never through a proxy named in the environment."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture(autouse=True)
def _allow_the_test_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test server's 127.0.0.1 is an internal address, which fetch refuses unless an operator
    allows the host by name; these tests allow it as an operator would. test_loaders_fetch_guard.py
    removes the allowance to check the refusals."""
    monkeypatch.setenv(ALLOW_HOSTS_ENV, "127.0.0.1,localhost")


# ------------------------------------------------------------------ local HTTP server


@pytest.fixture
def server() -> Iterator[Server]:
    """Routes by the whole request target (a redirect may go to `/docs/c?x=1`); no Content-Type unless
    a route names one, as `add(path, body, content_type)` does."""
    with Server(with_query=True, content_type=None) as running:
        yield running
