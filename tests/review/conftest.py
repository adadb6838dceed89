"""Fixtures of the review tests: a small store per module, test-only reviewer credentials, and both store backends.

The reviewer's password is made up for each test session and hashed here (with a low scrypt cost,
so that the tests stay fast); no credential is in the repository. The store backends are real
SQLite files and a real PostgreSQL server (scripts/postgres_test_server.py, skipped without its
binaries, failed when CI=true).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # review_testkit, as tests/dashboard does

import testkit
from review_testkit import STORE_BRIEFS, reviewers_value

from store import open_store

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(params=("sqlite", "postgresql"))
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[object]:
    """An empty, migrated store on each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    else:
        url = request.getfixturevalue("postgres").reset_database("review_test")
    engine = open_store(url)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def review_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """URL of a small SQLite store for one module (its tests write reviews into it)."""
    return testkit.build_store(
        tmp_path_factory.mktemp("review-store"), STORE_BRIEFS, {"title": "Hostile", "published": "2025-05-26"}
    )


@pytest.fixture
def app_env(review_store: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """For AppTest: the module's store, no --db argument, the test reviewer configured in the environment."""
    monkeypatch.setenv("DATABASE_URL", review_store)
    monkeypatch.setenv("DASHBOARD_REVIEWERS", reviewers_value())
    monkeypatch.delenv("DASHBOARD_OIDC_REVIEWERS", raising=False)
    monkeypatch.setattr("sys.argv", ["app.py"])
    from dashboard.ui import review_ui

    review_ui.limiter_cached.clear()  # every test starts with no failed sign-ins
    return review_store
