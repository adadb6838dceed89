"""Constants and helpers shared by the dashboard tests (imported by conftest.py and the test modules)."""

from __future__ import annotations

import json
import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "data" / "corpus"
APP = REPO / "dashboard" / "app.py"
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
HOSTILE_QUOTE_PART = "<img src=x onerror=alert(1)>"
HOSTILE_TEXT = (
    "Hostile <script>alert('title')</script> brief\n\n"
    "This brief summarizes a report published by Reuters on 26 May 2025. At least 57,575 people had been "
    "killed in the Gaza Strip as of 25 May 2025, according to the health ministry "
    f"{HOSTILE_QUOTE_PART} [link](javascript:alert(2)).\n"
)
HOSTILE_META = {
    "title": "<img src=x onerror=alert(3)> Hostile title",
    "publisher": "Reuters <b>wire</b>",
    "url": "javascript:alert(4)",
    "published": "2025-05-26",
    "kind": "summary",
    "summary_of": "Reuters",
}


def write_hostile_brief(folder: Path) -> Path:
    path = folder / "hostile-brief.txt"
    path.write_text(HOSTILE_TEXT, encoding="utf-8")
    path.with_suffix(".meta.json").write_text(json.dumps(HOSTILE_META), encoding="utf-8")
    return path


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"
