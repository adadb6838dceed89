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

from dashboard.exports.embed import embed_url, iframe_snippet
from dashboard.model.filters import Filters

WAIT_MS = 60_000
VISIBLE_CHART = ".js-plotly-plot:visible"  # the page holds one chart per layout width; the CSS shows one


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
    chart = frame.locator(VISIBLE_CHART)
    chart.wait_for(state="visible", timeout=WAIT_MS)
    chart.locator(".scatterlayer .trace .points path").first.wait_for(state="attached", timeout=WAIT_MS)
    assert "Deaths — Palestine" in (chart.locator(".gtitle").text_content() or "")
    notes = "".join(chart.locator(".annotation-text").all_text_contents()).replace(" ", "")  # lines are separate tspans
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
    frame.locator(VISIBLE_CHART).wait_for(state="visible", timeout=WAIT_MS)  # the most reported chart instead
    captions = " ".join(frame.locator('[data-testid="stCaptionContainer"]').all_text_contents())
    assert "Ignored unknown indicator" in captions and "<img src=x onerror=alert(1)>" in captions
    assert frame.locator('[data-testid="stException"]').count() == 0
    assert frame.locator('[data-testid="stCaptionContainer"] img').count() == 0


# Every text of the shown chart (title, legend, notes, source line, ticks) within the frame's width,
# and nothing that makes the page scroll sideways.
OVERFLOW = """() => {
    const charts = [...document.querySelectorAll('.js-plotly-plot')].filter(chart => chart.offsetParent !== null);
    const texts = charts.flatMap(chart => [...chart.querySelectorAll('text')]).filter(text => text.textContent.trim());
    const right = Math.max(...texts.map(text => text.getBoundingClientRect().right));
    const area = charts[0].querySelector('.nsewdrag').getBoundingClientRect();
    return {shown: charts.length, width: window.innerWidth, right: right, chart: charts[0].getBoundingClientRect().width,
            top: charts[0].getBoundingClientRect().top,
            plot: area.width, sideways: document.documentElement.scrollWidth - document.documentElement.clientWidth};
}"""


@pytest.mark.parametrize("width", [360, 800])
def test_an_embedded_chart_fits_its_iframe(page, server, host_site, width):
    """Texts laid out for 700 px ran off the right edge of a 360-px iframe: the chart laid out for the frame shows."""
    src = embed_url(server + "/", Filters(indicators=("deaths",), locations=("PSE",)), "trend")
    page.set_viewport_size({"width": max(width + 100, 900), "height": 800})
    page.goto(host_page(host_site, f"fit-{width}.html", iframe_snippet(src, title="Deaths", width=width, height=600)))
    frame = page.frame_locator("iframe")
    frame.locator(VISIBLE_CHART + " .annotation-text").first.wait_for(state="visible", timeout=WAIT_MS)
    page.wait_for_timeout(500)  # Plotly lays the chart out again once it has its width
    inside = next(child for child in page.frames if child != page.main_frame)
    sizes = inside.evaluate(OVERFLOW)
    assert sizes["shown"] == 1, sizes
    assert sizes["right"] <= sizes["width"], sizes  # no text cut off at the right
    assert sizes["sideways"] <= 0, sizes
    assert sizes["top"] <= 20, sizes  # the hidden layouts take no room above it
    assert sizes["chart"] >= sizes["width"] - 60, sizes  # the chart fills its frame
    assert sizes["plot"] >= (200 if width < 400 else 550), sizes
    page.screenshot(path=str(host_site[1] / f"embed-{width}.png"))
