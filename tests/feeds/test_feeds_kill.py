"""A watcher killed mid-run (kill -9, after storing a document and before marking its item seen):
the next run finishes the work, and nothing is stored twice."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from feed_helpers import GAZA_JULY, GAZA_OCTOBER, SUDAN_MARCH, html_page, rss
from testkit import killed_after_pause

from store.feeds import read_feeds, run_feeds
from store.feeds.watch import PAUSE_AFTER_ITEMS, PAUSE_FILE


def _counts(engine) -> tuple[int, int, int, int]:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        return tuple(
            connection.execute(sa.text(query)).scalar()
            for query in (
                "SELECT COUNT(*) FROM documents",
                "SELECT COUNT(DISTINCT origin) FROM documents",
                "SELECT COUNT(*) FROM feed_items",
                "SELECT COUNT(*) FROM document_sightings",
            )
        )


def test_killed_watcher_leaves_no_half_work_and_the_next_run_completes_it(engine, store_url: str, server, tmp_path: Path) -> None:
    items = []
    for n, text in enumerate((SUDAN_MARCH, GAZA_JULY, GAZA_OCTOBER)):
        server.add(f"/news/{n}.html", html_page(text))
        items.append({"title": f"report {n}", "link": server.url(f"/news/{n}.html"), "date": f"Fri, 0{n + 1} Aug 2025 08:00:00 GMT"})
    server.add("/rss.xml", rss(items))
    feeds_file = tmp_path / "feeds.toml"
    feeds_file.write_text(f'pause_seconds = 0\n\n[[rss]]\nname = "news"\nurl = "{server.url("/rss.xml")}"\n', encoding="utf-8")

    paused = tmp_path / "paused"
    args = ["watch", str(feeds_file), "--once", "--db", store_url]
    with killed_after_pause(args, {PAUSE_AFTER_ITEMS: "2", PAUSE_FILE: str(paused)}, paused, "the watcher"):
        # Two documents stored, the second one's item not yet marked seen.
        assert _counts(engine) == (2, 2, 1, 0)

    report = run_feeds(engine, read_feeds(feeds_file), say=lambda line: None)
    [feed] = report.feeds
    assert (feed.new, feed.unchanged, feed.seen, feed.error) == (1, 1, 1, None)  # the killed item is found stored
    assert _counts(engine) == (3, 3, 3, 0)  # three documents, each once, every item seen
    assert server.fetched("/news/0.html") == 1  # the item marked seen before the kill is not fetched again
