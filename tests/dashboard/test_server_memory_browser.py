"""bench/server_memory.py on the test store: a real `python -m dashboard.serve`, its pages opened in headless Chromium.

Uses Debian's Chromium (/usr/bin/chromium) through Playwright; never downloads a browser.
Without Playwright or Chromium the suite fails when CI=true and is skipped otherwise.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from dashboard_testkit import REPO, unavailable
from testkit import CHROMIUM, load_module

from dashboard.model.pages import PAGES

server_memory = load_module(REPO / "bench" / "server_memory.py")
CHECKOUT_PARTS = ("store", "extractors", ".streamlit")
"""What a checkout's server needs besides dashboard/ (linked into a copy that has a broken page)."""


@pytest.fixture(scope="module", autouse=True)
def chromium() -> None:
    try:
        import playwright  # noqa: F401
    except ImportError:  # pragma: no cover - depends on the machine
        unavailable("playwright is not installed (pip install -r requirements.txt)")
    if not CHROMIUM.is_file():
        unavailable(f"{CHROMIUM} not found (apt-get install chromium)")


def store_copy(test_store: str, folder: Path) -> tuple[str, Path]:
    """The session's test store copied (the measurement accepts a figure in the store it measures)."""
    path = folder / "store.sqlite"
    shutil.copy(test_store.removeprefix("sqlite:///"), path)
    return f"sqlite:///{path}", path


def test_a_real_servers_memory_after_the_read_every_page_and_a_review(test_store, tmp_path):
    url, path = store_copy(test_store, tmp_path)
    rows = server_memory.measure(url, REPO, indicator="deaths", search="ministry", log=tmp_path / "server.log")

    memory = [rows[row] for row in server_memory.MEMORY_ROWS]
    assert all(value > 0 for value in memory), rows
    assert rows[server_memory.PEAK_ROW] >= max(memory), rows
    visited = [row.removeprefix(server_memory.PAGE_ROW) for row in rows if row.startswith(server_memory.PAGE_ROW)]
    expected = [page.title for page in PAGES if page.audience != "reviewer"]
    assert visited == [*expected, "Trends, indicator deaths", "Records, search 'ministry'", "Overview, after a review"]
    assert all(rows[server_memory.PAGE_ROW + label] > 0 for label in visited), rows
    with sqlite3.connect(path) as connection:
        reviewers = connection.execute("SELECT reviewer, action FROM reviews").fetchall()
    assert reviewers == [(server_memory.REVIEWER, "accept")]


def test_a_page_that_fails_fails_the_measurement(test_store, tmp_path):
    """A checkout (--code) whose Overview raises: the app's 'Something went wrong' in the browser stops the measurement."""
    checkout = tmp_path / "checkout"
    shutil.copytree(REPO / "dashboard", checkout / "dashboard", ignore=shutil.ignore_patterns("__pycache__"))
    for part in CHECKOUT_PARTS:
        (checkout / part).symlink_to(REPO / part)
    (checkout / "dashboard" / "views" / "overview.py").write_text("raise RuntimeError('a broken page')\n")
    url, _ = store_copy(test_store, tmp_path)

    with pytest.raises(server_memory.ServerMemoryError, match=r"Overview \(/\): 'Something went wrong' is shown"):
        server_memory.measure(url, checkout, log=tmp_path / "server.log")
    assert "a broken page" in (tmp_path / "server.log").read_text()  # the server's log has the traceback
