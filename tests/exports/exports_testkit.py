"""Helpers of the export tests (imported by name: tests/exports is on sys.path while they run).
What they share with the dashboard tests is in tests/testkit.py."""

from __future__ import annotations

import functools
import io
import struct

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
# A title that is also a spreadsheet formula, for the CSV exports.
HOSTILE_META = {**testkit.HOSTILE_META, "title": '=HYPERLINK("http://evil.example","click") <img src=x onerror=alert(3)>'}
# write_hostile_brief(folder) and build_store(folder): a small SQLite store of STORE_BRIEFS and the hostile brief.
write_hostile_brief = functools.partial(testkit.write_hostile_brief, meta=HOSTILE_META)
build_store = functools.partial(testkit.build_store, briefs=STORE_BRIEFS, hostile_meta=HOSTILE_META)


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
