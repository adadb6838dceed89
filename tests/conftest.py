"""Shared test set-up: hypothesis profiles and a helper to extract one sentence.

Hypothesis profiles (choose with the HYPOTHESIS_PROFILE environment variable):
  ci   (default) 200 examples per test, derandomized: the same examples on every run
  dev  50 random examples per test, for quick local runs
  fuzz 2,000 random examples per test, for `make fuzz` (scripts/fuzz.py)
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from extractors import IndicatorRecord, extract

# testkit.py (shared by the dashboard and export tests) is imported by name; pytest's
# importlib import mode does not put test folders on sys.path, so this conftest does.
sys.path.insert(0, str(Path(__file__).resolve().parent))

import testkit

settings.register_profile(
    "ci",
    deadline=None,
    max_examples=200,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile("dev", deadline=None, max_examples=50, print_blob=True)
# `make fuzz` (scripts/fuzz.py): fresh random examples, many of them, round after round.
settings.register_profile(
    "fuzz", deadline=None, max_examples=2_000, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session", autouse=True)
def snapshots_in_a_temporary_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The dashboard's store snapshots (dashboard/model/snapshots.py) go to this session's own folder,
    never the user's cache; apps and servers started by the tests inherit it."""
    folder = tmp_path_factory.mktemp("snapshots")
    previous = os.environ.get("DASHBOARD_SNAPSHOTS")
    os.environ["DASHBOARD_SNAPSHOTS"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("DASHBOARD_SNAPSHOTS", None)
    else:
        os.environ["DASHBOARD_SNAPSHOTS"] = previous


def _one_record(text: str, **meta: str) -> IndicatorRecord:
    records = extract(text, meta=meta or None)
    found = [(r.indicator, r.value, r.raw_value) for r in records]
    assert len(records) == 1, f"expected one record from {text!r}, got {found}"
    return records[0]


@pytest.fixture
def one_record() -> Callable[..., IndicatorRecord]:
    """`one_record(sentence, **meta)`: the single record a sentence gives; fails on none or several."""
    return _one_record


@pytest.fixture(scope="session")
def postgres() -> Iterator[object]:
    """One running PostgreSQL server (Debian's binaries, scripts/postgres_test_server.py) for every
    test folder of the session; without the binaries the PostgreSQL cases skip, or fail when CI=true."""
    pg_server = testkit.postgres_server_module()
    if pg_server.find_bindir() is None:
        testkit.unavailable(
            f"PostgreSQL server binaries (initdb, pg_ctl) are not installed; install them with: {pg_server.INSTALL_HINT}"
        )
    server = pg_server.PostgresServer(fast=True)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's headless Chromium through Playwright, one per test module (the sync API allows one
    open instance per thread); skips, or fails when CI=true, without them."""
    with testkit.chromium_browser() as browser:
        yield browser


@pytest.fixture(scope="module")
def context(browser) -> Iterator[object]:
    """One browser context for the module, so that Streamlit's and Plotly's scripts load once. (A
    reviewer's sign-in lives in one page's server-side session: a new page starts signed out.)"""
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    yield context
    context.close()


@pytest.fixture
def page(context, server) -> Iterator[object]:
    """A fresh page of the module's context on the module's `server` fixture (each browser test
    module defines which store that server shows). Fails the test when the page opened a dialog
    (a hostile string ran as script) or threw an uncaught JavaScript error."""
    page = context.new_page()
    page.set_default_timeout(testkit.BROWSER_WAIT_MS)
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"uncaught error: {error}"))
    page.on("dialog", lambda dialog: problems.append(f"dialog: {dialog.message}") or dialog.dismiss())
    yield page
    page.close()
    assert not problems, problems
