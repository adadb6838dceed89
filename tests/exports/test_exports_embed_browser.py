"""Embed mode for real: a page of another site embeds the running dashboard in an iframe, in headless Chromium.

The dashboard runs as `streamlit run dashboard/app.py` on a free port of 127.0.0.1 on the test
store. The host page is served from another port, so the iframe is cross-origin as on a
partner's site.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from exports_testkit import APP, HOSTILE_QUOTE_PART, hover_until, streamlit_server

from dashboard.embed import embed_url, iframe_snippet
from dashboard.filters import Filters

WAIT_MS = 60_000


@pytest.fixture(scope="module")
def server(test_store: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of `streamlit run dashboard/app.py` on the test store."""
    with streamlit_server(APP, test_store, tmp_path_factory.mktemp("embed-app") / "streamlit.log") as base:
        yield base


@pytest.fixture(scope="module")
def host_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A static site on another port of 127.0.0.1 (the partner's site): (base URL, its folder)."""
    folder = tmp_path_factory.mktemp("host-site")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", folder
    finally:
        httpd.shutdown()
        httpd.server_close()


def host_page(host_site: tuple[str, Path], name: str, snippet: str) -> str:
    base, folder = host_site
    (folder / name).write_text(
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Partner</title></head>'
        f"<body><h1>A partner's article</h1><p>Text before the chart.</p>{snippet}<p>Text after.</p></body></html>",
        encoding="utf-8",
    )
    return f"{base}/{name}"


def test_an_embedded_chart_shows_with_its_source_line_and_tooltips(page, server, host_site):
    src = embed_url(server + "/", Filters(indicators=("deaths",), locations=("PSE",)), "trend")
    assert src.endswith("/?embed=true&view=trend&indicator=deaths&location=PSE")
    page.goto(host_page(host_site, "deaths.html", iframe_snippet(src, title="Deaths in Palestine", width=760, height=600)))
    iframe = page.locator("iframe")
    assert iframe.get_attribute("sandbox") and iframe.get_attribute("title") == "Deaths in Palestine"
    frame = page.frame_locator("iframe")
    chart = frame.locator(".js-plotly-plot").first
    chart.wait_for(state="visible", timeout=WAIT_MS)
    frame.locator(".js-plotly-plot .scatterlayer .trace .points path").first.wait_for(state="attached", timeout=WAIT_MS)
    assert "Deaths — Palestine" in (frame.locator(".gtitle").first.text_content() or "")
    notes = "".join(frame.locator(".annotation-text").all_text_contents()).replace(" ", "")  # lines are separate tspans
    assert "Sources:" in notes and "AlJazeera" in notes and "extractedon" in notes
    assert frame.locator('[data-testid="stSidebar"]').count() == 0  # only the chart
    assert frame.locator("h1").count() == 0
    label = hover_until(frame, "Source:")
    assert "Deaths · Palestine" in label
    hostile = hover_until(frame, "57,575")
    assert HOSTILE_QUOTE_PART in hostile  # shown as text...
    assert frame.locator(".hoverlayer img").count() == 0  # ...never as an element
    page.screenshot(path=str(host_site[1] / "embed.png"))


def test_a_bad_embed_url_shows_a_note_not_an_error(page, server, host_site):
    src = f"{server}/?embed=true&view=trend&indicator=bogus&location=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"
    page.goto(host_page(host_site, "bogus.html", iframe_snippet(src, title="Bogus", height=600)))
    frame = page.frame_locator("iframe")
    frame.locator(".js-plotly-plot").first.wait_for(state="visible", timeout=WAIT_MS)  # the most reported chart instead
    captions = " ".join(frame.locator('[data-testid="stCaptionContainer"]').all_text_contents())
    assert "Ignored unknown indicator" in captions and "<img src=x onerror=alert(1)>" in captions
    assert frame.locator('[data-testid="stException"]').count() == 0
    assert frame.locator('[data-testid="stCaptionContainer"] img').count() == 0
