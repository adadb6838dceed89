"""What's new: the feed watcher's alerts on a page (AppTest), and its Atom file served by the dashboard's own server."""

from __future__ import annotations

import os
import shutil
import urllib.request
from pathlib import Path

import pytest
from testkit import REPO, new_app, streamlit_server

from dashboard.model import whats_new
from store import open_store
from store.connect import sqlite_path
from store.feeds import state
from store.feeds.digest_files import atom

MARCH = {"indicator": "displaced", "outcome": "displaced", "location": "Sudan", "location_iso3": "SDN", "value": 11301340.0, "unit": "people",
         "originator": "IOM DTM", "source": "IOM", "quote": "11,301,340 people were internally displaced", "url": "https://example.org/march", "published": "2025-03-28"}  # fmt: skip
JULY = {**MARCH, "value": 9937444.0, "quote": "9,937,444 people were internally displaced <b>x</b>", "url": "javascript:alert(1)", "published": "2025-07-30"}
DIGEST = {"threshold": 0.1, "documents": [{"doc_id": "d"}], "new": [JULY], "changes": [{"figure": JULY, "previous": MARCH, "change": -0.120727}]}


@pytest.fixture
def watched_store(test_store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A copy of the test store with one finished watcher run and its digest."""
    path = tmp_path / "watched.sqlite"
    shutil.copy(sqlite_path(test_store), path)
    url = f"sqlite:///{path}"
    engine = open_store(url)  # migrates: the feed tables
    try:
        state.finish_run(engine, state.start_run(engine), {}, DIGEST)
    finally:
        engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setattr("sys.argv", ["app.py"])
    return url


def _whats_new():  # type: ignore[no-untyped-def]
    return new_app(page="views/whats_new.py")


def test_whats_new_lists_changes_with_both_quotes_and_only_safe_links(watched_store: str) -> None:
    at = _whats_new()
    assert not at.exception and not at.error
    assert at.title[0].value == "What's new"
    text = "\n".join(block.value for block in at.markdown)
    assert "changed -12%" in text and "11,301,340" in text and "9,937,444" in text
    assert "(https://example.org/march)" in text and "javascript:" not in text and "<b>" not in text
    assert "1 run, the latest on" in at.caption[0].value


def test_whats_new_on_a_store_the_watcher_never_ran_on(app_env: str) -> None:
    at = _whats_new()
    assert not at.exception and not at.error
    assert "has not run on this store yet" in at.caption[0].value
    assert "No alerts yet" in at.info[0].value


def test_the_atom_feed_is_served_at_its_address(test_store: str, tmp_path: Path) -> None:
    served = REPO / "dashboard" / "static" / f"test-{os.getpid()}.xml"
    feed = atom([{"run_id": 1, "finished_at": "2025-07-30T06:00:00+00:00", "digest": DIGEST}], "2025-07-30T06:00:00+00:00")
    served.write_text(feed, encoding="utf-8")
    try:
        with streamlit_server(REPO / "dashboard" / "app.py", test_store, tmp_path / "server.log") as base:
            address = f"{base}/{whats_new.ATOM_PATH.replace(whats_new.ATOM_FILE, served.name)}"
            with urllib.request.urlopen(address, timeout=10) as response:
                assert response.status == 200
                body = response.read().decode("utf-8")
    finally:
        served.unlink()
    assert body == feed and body.count("<entry>") == 2 and "Changed -12%" in body
