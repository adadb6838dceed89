"""Helpers of the export tests (imported by name: tests/exports is on sys.path while they run).
What they share with the dashboard tests is in tests/testkit.py."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import testkit
from testkit import (
    APP,
    CHROMIUM,
    CHROMIUM_ARGS,
    CORPUS,
    HOSTILE_QUOTE_PART,
    REPO,
    free_port,
    hover_until,
    streamlit_server,
    unavailable,
)

__all__ = [
    "APP",
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "CORPUS",
    "HOSTILE_QUOTE_PART",
    "REPO",
    "build_store",
    "free_port",
    "hover_until",
    "image_stats",
    "png_dimensions",
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
    "aid-workers-killed-2025-08-19-unog-newsroom",
    "unrwa-staff-killed-2023-10-27-tass",
    "sudan-idps-2024-09-12-allafrica",
    "sudan-idps-2025-08-27-allafrica",
)
HOSTILE_META = {
    "title": '=HYPERLINK("http://evil.example","click") <img src=x onerror=alert(3)>',
    "publisher": "Reuters <b>wire</b>",
    "url": "javascript:alert(4)",
    "published": "2025-05-26",
    "kind": "summary",
    "summary_of": "Reuters",
}


def write_hostile_brief(folder: Path) -> Path:
    return testkit.write_hostile_brief(folder, HOSTILE_META)


def build_store(folder: Path) -> str:
    """A small SQLite store in `folder`: STORE_BRIEFS and the hostile brief; its URL."""
    return testkit.build_store(folder, STORE_BRIEFS, HOSTILE_META)


def png_dimensions(data: bytes) -> tuple[int, int]:
    """(width, height) read from the PNG signature and IHDR chunk, independently of the code under test."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG signature"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13, "the first chunk is not IHDR"
    return struct.unpack(">II", data[16:24])


def image_stats(data: bytes) -> tuple[int, float]:
    """(distinct colours, share of non-white pixels) of a PNG, by Pillow."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        image.load()
        rgb = image.convert("RGB")
        colours = rgb.getcolors(maxcolors=1 << 24) or []
        white = sum(count for count, colour in colours if min(colour) >= 250)
        return len(colours), 1 - white / (rgb.width * rgb.height)
