"""What the hostile-input tests share (test_dashboard_hostile.py and its browser suite): a store whose one
document has web addresses in its title, its publisher and its quote, and the app's error message."""

from __future__ import annotations

import json
from pathlib import Path

ERROR_MESSAGE = "Something went wrong showing this page. The error was logged; try another filter or reload."
EVIL_TITLE = "See http://evil.example/x"
EVIL_PUBLISHER = "Evil https://evil.example/p"
EVIL_TEXT = (
    "Link brief\n\nAt least 1,234 people had been killed in the Gaza Strip as of 25 May 2025, according to the "
    "health ministry at http://evil.example/quote (mail evil@evil.example, www.evil.example).\n"
)


def build_link_store(folder: Path) -> str:
    """A SQLite store in `folder` holding the one document with addresses; its URL."""
    from store import create_store_engine, ingest_paths, migrate

    briefs = folder / "briefs"
    briefs.mkdir(parents=True, exist_ok=True)
    brief = briefs / "link-brief.txt"
    brief.write_text(EVIL_TEXT, encoding="utf-8")
    meta = {"title": EVIL_TITLE, "publisher": EVIL_PUBLISHER, "published": "2025-05-26", "kind": "summary"}
    brief.with_suffix(".meta.json").write_text(json.dumps(meta), encoding="utf-8")
    url = f"sqlite:///{folder / 'links.sqlite'}"
    engine = create_store_engine(url)
    try:
        migrate(engine)
        summary = ingest_paths(engine, [briefs], briefs_only=True)
        assert not [result for result in summary.results if result.status == "failed"]
    finally:
        engine.dispose()
    return url
