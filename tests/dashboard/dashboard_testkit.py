"""Constants and helpers of the dashboard tests (imported by conftest.py and the test modules).
What they share with the export tests is in tests/testkit.py."""

from __future__ import annotations

import functools

import testkit
from testkit import APP, CHROMIUM, CHROMIUM_ARGS, CORPUS, HOSTILE_QUOTE_PART, REPO, hover_until, streamlit_server, unavailable

__all__ = [
    "APP",
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "CORPUS",
    "HOSTILE_QUOTE_PART",
    "REPO",
    "STORE_BRIEFS",
    "build_store",
    "hover_until",
    "streamlit_server",
    "unavailable",
    "write_hostile_brief",
]

STORE_BRIEFS = (
    "gaza-deaths-2023-11-06-al-jazeera",
    "gaza-deaths-2023-12-22-un-ocha-opt",
    "gaza-deaths-2024-07-05-un-ocha-opt",
    "gaza-deaths-2024-10-08-al-jazeera",
    "gaza-deaths-2025-07-29-wdbo",
    "gaza-famine-2025-05-12-daily-sabah",
    "gaza-famine-2025-08-22-tass",
    "aid-workers-killed-2025-08-19-unog-newsroom",
    "sudan-deaths-2023-09-12-uol-noticias",
)
HOSTILE_META = testkit.HOSTILE_META
# write_hostile_brief(folder) and build_store(folder): a small SQLite store of STORE_BRIEFS and the hostile brief.
write_hostile_brief = functools.partial(testkit.write_hostile_brief, meta=HOSTILE_META)
build_store = functools.partial(testkit.build_store, briefs=STORE_BRIEFS, hostile_meta=HOSTILE_META)
