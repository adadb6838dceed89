"""Helpers of the export tests (imported by name: tests/exports is on sys.path while they run)."""

from __future__ import annotations

import io
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "data" / "corpus"
APP = REPO / "dashboard" / "app.py"
CHROMIUM = Path(os.environ.get("BROWSER_PATH") or os.environ.get("DASHBOARD_CHROMIUM") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
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
HOSTILE_QUOTE_PART = "<img src=x onerror=alert(1)>"
HOSTILE_TEXT = (
    "Hostile <script>alert('title')</script> brief\n\n"
    "This brief summarizes a report published by Reuters on 26 May 2025. At least 57,575 people had been "
    "killed in the Gaza Strip as of 25 May 2025, according to the health ministry "
    f"{HOSTILE_QUOTE_PART} [link](javascript:alert(2)).\n"
)
HOSTILE_META = {
    "title": '=HYPERLINK("http://evil.example","click") <img src=x onerror=alert(3)>',
    "publisher": "Reuters <b>wire</b>",
    "url": "javascript:alert(4)",
    "published": "2025-05-26",
    "kind": "summary",
    "summary_of": "Reuters",
}


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def unavailable(reason: str) -> None:
    """Fail in CI (the browser must be there), skip elsewhere."""
    if in_ci():
        pytest.fail(f"cannot run in CI: {reason}")
    pytest.skip(reason)


def write_hostile_brief(folder: Path) -> Path:
    path = folder / "hostile-brief.txt"
    path.write_text(HOSTILE_TEXT, encoding="utf-8")
    path.with_suffix(".meta.json").write_text(json.dumps(HOSTILE_META), encoding="utf-8")
    return path


def build_store(folder: Path) -> str:
    """A small SQLite store in `folder`: STORE_BRIEFS and the hostile brief; its URL."""
    from extractors.store import create_store_engine, ingest_paths, migrate

    briefs = folder / "briefs"
    briefs.mkdir(parents=True, exist_ok=True)
    for name in STORE_BRIEFS:
        for suffix in (".txt", ".meta.json"):
            shutil.copy(CORPUS / f"{name}{suffix}", briefs / f"{name}{suffix}")
    write_hostile_brief(briefs)
    url = f"sqlite:///{folder / 'exports-test.sqlite'}"
    engine = create_store_engine(url)
    try:
        migrate(engine)
        summary = ingest_paths(engine, [briefs], briefs_only=True)
        failed = [result for result in summary.results if result.status == "failed"]
        assert not failed, failed
    finally:
        engine.dispose()
    return url


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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_health(base: str, process: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"streamlit did not start: {log.read_text()[-2000:]}")
        time.sleep(0.3)


EMBED_WRAPPER = '''"""dashboard/app.py with the embed mode wired in front of it (what app.py needs), for the tests."""
import runpy
import sys
from pathlib import Path

REPO = Path({repo!r})
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import streamlit as st

from dashboard import exports_ui, ui

if exports_ui.embed_requested_ui():
    st.set_page_config(page_title="Humanitarian indicators", layout="wide")
    url, fingerprint, dataset = ui.store_ui()
    if not dataset.empty:
        exports_ui.embed_page_ui(url, fingerprint, dataset)
else:
    runpy.run_path(str(REPO / "dashboard" / "app.py"), run_name="__main__")
'''


def app_with_embed(folder: Path) -> Path:
    """dashboard/app.py itself when it already wires the embed mode, else a wrapper in `folder` that does."""
    if "embed_page_ui" in APP.read_text(encoding="utf-8"):
        return APP
    wrapper = folder / "app_embed.py"
    wrapper.write_text(EMBED_WRAPPER.format(repo=str(REPO)), encoding="utf-8")
    return wrapper


def python() -> str:
    return sys.executable


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
