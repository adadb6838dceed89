"""Helpers of the export tests (imported by name: tests/exports is on sys.path while they run).
What they share with the dashboard tests is in tests/testkit.py."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import testkit
from testkit import APP, CHROMIUM, CHROMIUM_ARGS, CORPUS, HOSTILE_QUOTE_PART, REPO, free_port, streamlit_server, unavailable

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


def hover_until(root, text: str) -> str:
    """Hover the chart's points (in `root`: a page or a frame) until a hover label containing `text` shows; its text.

    The mouse leaves the chart between two points, so that a label is never the previous point's.
    """
    points = root.locator(".js-plotly-plot .scatterlayer .trace .points path")
    label = root.locator(".hoverlayer .hovertext")
    seen: list[str] = []
    for index in range(points.count()):
        point = points.nth(index)
        if point.evaluate("p => getComputedStyle(p).opacity") == "0":
            continue  # an open-bound stub, not a figure
        point.page.mouse.move(1, 1)
        try:
            label.first.wait_for(state="detached", timeout=2000)
            point.hover(force=True)
            label.first.wait_for(state="attached", timeout=2000)
        except Exception:
            continue
        content = label.first.text_content() or ""
        seen.append(content[:60])
        if text in content:
            return content
    raise AssertionError(f"no hover label with {text!r}; saw {seen}")
