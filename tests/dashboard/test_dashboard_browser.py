"""The dashboard in headless Chromium: a real server on the test store, started as `make run`
starts it (`python -m dashboard.serve`: `streamlit run dashboard/app.py` after a warm-up thread).

Uses Debian's Chromium (/usr/bin/chromium) through Playwright; never downloads a browser.
Without Playwright or Chromium the suite fails when CI=true and is skipped otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from dashboard_testkit import APP, HOSTILE_QUOTE_PART, hover_until, streamlit_server
from testkit import expect

if TYPE_CHECKING:
    from playwright.sync_api import Page

WAIT_MS = 30_000


@pytest.fixture(scope="module")
def server_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the server writes what it prints."""
    return tmp_path_factory.mktemp("server") / "streamlit.log"


@pytest.fixture(scope="module")
def server(test_store: str, server_log: Path) -> Iterator[str]:
    """Base URL of `python -m dashboard.serve` on the test store (stopped after the module)."""
    with streamlit_server(APP, test_store, server_log, launcher=["-m", "dashboard.serve"]) as base:
        yield base


def open_page(page: Page, url: str, title: str) -> None:
    page.goto(url)
    expect(page.locator("h1").first).to_have_text(title, timeout=WAIT_MS)
    page.wait_for_selector('[data-testid="stSidebar"] [data-testid="stMultiSelect"]')


@pytest.mark.parametrize(
    ("path", "title"), [("", "Overview"), ("trends", "Trends"), ("sources", "Sources"), ("records", "Records")]
)
def test_each_page_loads(page, server, path, title):
    open_page(page, f"{server}/{path}", title)
    assert page.locator('[data-testid="stException"]').count() == 0
    if path == "trends":
        expect(page.locator(".js-plotly-plot").first).to_be_visible()
    if path == "records":
        expect(page.locator('[data-testid="stDataFrame"]')).to_be_visible()


def test_hovering_a_point_shows_its_quote(page, server):
    open_page(page, f"{server}/trends?indicator=deaths&location=Palestine", "Trends")
    label = hover_until(page, "38,011")
    assert "Palestinians had been killed in the Gaza Strip" in label
    assert "Source: UN OCHA" in label and "summary of a UN OCHA" in label
    hostile = hover_until(page, "57,575")
    assert HOSTILE_QUOTE_PART in hostile  # shown as text...
    assert page.locator(".hoverlayer img").count() == 0  # ...never as an element


def test_clicking_a_point_opens_its_document(page, server):
    open_page(page, f"{server}/trends?indicator=injured", "Trends")
    point = page.locator(".js-plotly-plot .scatterlayer .trace .points path").first
    point.click(force=True)
    page.wait_for_url(re.compile(r"/records\?.*doc=[0-9a-f]{64}.*record="), timeout=WAIT_MS)
    expect(page.locator(".doc-text mark.selected")).to_have_text("87,445")
    assert "indicator=injured" in page.url


def test_selecting_a_record_opens_its_document(page, server):
    open_page(page, f"{server}/records?indicator=injured", "Records")
    grid = page.locator('[data-testid="stDataFrame"]')
    expect(grid).to_be_visible()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)  # the first row's selection box (the grid is a canvas)
    page.wait_for_url(re.compile(r"doc=[0-9a-f]{64}.*record="))
    expect(page.locator(".doc-text mark.selected")).to_have_text("87,445")
    expect(page.locator(".doc-text mark")).to_have_count(2)


def test_filters_go_to_the_url_and_come_back_on_reload(page, server):
    open_page(page, f"{server}/", "Overview")
    search = page.get_by_label("Search quotes, sources, places")
    search.fill("ministry")
    search.press("Enter")
    page.wait_for_url(re.compile(r"[?&]q=ministry"))
    page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.click()
    page.get_by_role("option", name="Injured").click()
    page.wait_for_url(re.compile(r"indicator=injured"))
    page.keyboard.press("Escape")
    caption = page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]').first
    expect(caption).to_contain_text("matching")
    expect(caption).to_contain_text("injured")  # the run with both filters has drawn the caption
    filtered = caption.text_content()

    page.reload()
    expect(page.locator("h1").first).to_have_text("Overview")
    expect(page.get_by_label("Search quotes, sources, places")).to_have_value("ministry")
    expect(page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first).to_contain_text("Injured")
    expect(page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]').first).to_have_text(filtered)
    assert "q=ministry" in page.url and "indicator=injured" in page.url


def test_invalid_query_values_show_a_note(page, server):
    open_page(page, f"{server}/?indicator=bogus&from=2024-13-45&location=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E", "Overview")
    alerts = page.locator('[data-testid="stAlert"]')
    expect(alerts.first).to_be_visible()
    assert alerts.count() == 3
    texts = [alerts.nth(index).text_content() or "" for index in range(3)]
    assert any("<img src=x onerror=alert(1)>" in text for text in texts), texts
    assert page.locator('[data-testid="stAlert"] img').count() == 0


def test_the_server_reads_the_store_at_start(page, server, server_log):
    """dashboard.serve's warm-up thread: the store's records were read into the pages' cache at start."""
    for _ in range(100):
        lines = [line for line in server_log.read_text().splitlines() if line.startswith("warm-up:")]
        if lines:
            break
        page.wait_for_timeout(300)
    assert lines and re.fullmatch(r"warm-up: \d[\d,]* records ready in [\d.]+ s", lines[0]), server_log.read_text()[-2000:]
    assert "missing ScriptRunContext" not in server_log.read_text()
    open_page(page, server + "/", "Overview")


def test_overview_tiles_show_whole_figures_in_a_narrow_window(page, server):
    """st.metric cuts a long value with an ellipsis: at 900 pixels a tile showed "at lea…" and no number."""
    page.set_viewport_size({"width": 900, "height": 700})
    open_page(page, server + "/", "Overview")
    values = page.locator('[data-testid="stMetricValue"]')
    expect(values.first).to_be_visible()
    clipped = page.evaluate(
        """() => [...document.querySelectorAll(
                '[data-testid="stMetricValue"] *, [data-testid="stMetricDeltaDescription"] *')]
            .filter(element => element.scrollWidth > element.clientWidth + 1)
            .map(element => element.textContent)"""
    )
    assert values.count() >= 3 and clipped == [], clipped


# The plot areas of the page's charts, their legends, and how far the page scrolls sideways.
CHART_BOXES = """() => ({
    charts: [...document.querySelectorAll('.js-plotly-plot')].map(chart => {
        const area = chart.querySelector('.nsewdrag').getBoundingClientRect();
        const legend = chart.querySelector('.legend').getBoundingClientRect();
        return {width: chart.getBoundingClientRect().width, plot: area.width, plot_bottom: area.bottom,
                legend_top: legend.top, legend_left: legend.left, legend_right: legend.right};
    }),
    page: window.innerWidth,
    sideways: document.documentElement.scrollWidth - document.documentElement.clientWidth,
})"""


@pytest.fixture
def phone(browser, server) -> Iterator[Page]:
    """A page 390 pixels wide, as a phone's."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    yield page
    context.close()


def _open_charts(page: Page, url: str, title: str) -> dict:
    page.goto(url)
    expect(page.locator("h1").first).to_have_text(title, timeout=WAIT_MS)
    page.locator(".js-plotly-plot .legend").first.wait_for(state="attached", timeout=WAIT_MS)
    page.wait_for_timeout(500)  # Plotly lays a chart out again once it has its width
    return page.evaluate(CHART_BOXES)


@pytest.mark.parametrize(("path", "title"), [("trends?trend=deaths", "Trends"), ("sources", "Sources")])
def test_on_a_phone_charts_are_full_width_with_the_legend_below(phone, server, path, title):
    """At 390 px a legend on the right left the plot 64 px wide (Trends and Sources)."""
    boxes = _open_charts(phone, f"{server}/{path}", title)
    assert boxes["charts"] and boxes["sideways"] <= 0, boxes
    for chart in boxes["charts"]:
        assert chart["width"] >= boxes["page"] - 40, boxes  # the chart spans the column
        assert chart["plot"] >= 250, boxes
        assert chart["legend_top"] >= chart["plot_bottom"], boxes  # under the plot, below its date labels
        assert chart["legend_right"] <= boxes["page"], boxes


def test_on_a_wide_screen_the_legend_below_leaves_the_plot_the_width(page, server):
    page.set_viewport_size({"width": 1400, "height": 1100})
    boxes = _open_charts(page, f"{server}/trends?trend=deaths", "Trends")
    for chart in boxes["charts"]:
        assert chart["plot"] >= chart["width"] - 120 and chart["legend_top"] >= chart["plot_bottom"], boxes


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_theme_follows_the_visitors_preference(browser, server, scheme):
    """config.toml set base = "light": a visitor who prefers dark got a light page."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, color_scheme=scheme)
    page = context.new_page()
    try:
        _open_charts(page, f"{server}/trends?trend=deaths", "Trends")
        colours = page.evaluate(
            """() => ({
                app: getComputedStyle(document.querySelector('[data-testid="stApp"]')).backgroundColor,
                text: getComputedStyle(document.querySelector('h1')).color,
                ticks: getComputedStyle(document.querySelector('.js-plotly-plot .ytick text')).fill,
                points: [...document.querySelectorAll('.js-plotly-plot .scatterlayer .points path')]
                    .map(point => getComputedStyle(point).fill),
            })"""
        )
    finally:
        context.close()

    def lightness(colour: str) -> float:
        red, green, blue = (int(part) for part in re.findall(r"\d+", colour)[:3])
        return (0.299 * red + 0.587 * green + 0.114 * blue) / 255

    app, text, ticks = (lightness(colours[name]) for name in ("app", "text", "ticks"))
    assert (app < 0.3) if scheme == "dark" else (app > 0.9), colours
    assert abs(text - app) > 0.6 and abs(ticks - app) > 0.3, colours  # text and the charts' axes readable on it
    assert colours["points"] and (scheme == "light" or "rgb(0, 0, 0)" not in colours["points"]), colours  # see OKABE_ITO_DARK


def test_a_charts_data_table_is_reached_with_the_keyboard(page, server):
    """A Plotly chart says nothing to a screen reader: the table of its points is under it, in the tab order."""
    open_page(page, f"{server}/trends?trend=deaths&location=Palestine", "Trends")
    summary = page.locator('[data-testid="stExpander"] summary', has_text="Data table: Deaths in Palestine")
    expect(summary).to_be_visible()
    page.locator(".js-plotly-plot").first.wait_for()
    page.locator("h1").first.click()
    for _ in range(60):
        page.keyboard.press("Tab")
        if summary.evaluate("element => element === document.activeElement"):
            break
    else:
        raise AssertionError("the data table's heading is not in the tab order")
    page.keyboard.press("Enter")
    table = page.locator('[data-testid="stExpander"]', has_text="Data table: Deaths in Palestine")
    expect(table.locator("table")).to_be_visible()
    expect(table.locator('[data-testid="stCaptionContainer"]')).to_contain_text("newest first")
    aria = table.aria_snapshot()  # what a screen reader is given: a table, its column headers, its cells
    assert "Data table: Deaths in Palestine" in aria and "- table" in aria, aria
    assert re.search(r'columnheader "Figure"', aria) and re.search(r'columnheader "Source"', aria), aria
    assert re.search(r'cell "[^"]*\d{1,3}(,\d{3})+', aria), aria  # figures as the reports gave them


def test_a_charts_download_panel_is_filled_when_it_is_opened(page, server):
    """The panel under a chart is made on the click that opens it (a rerun), and shows its buttons at once."""
    open_page(page, f"{server}/trends?trend=deaths&location=Palestine", "Trends")
    page.locator(".js-plotly-plot").first.wait_for()
    page.get_by_text("Download or embed").first.click()
    expect(page.get_by_role("button", name="PNG for a slide (1600×900)")).to_be_visible()
    expect(page.get_by_role("button", name="Data (HXL CSV)")).to_be_visible()
    expect(page.locator("code", has_text="<iframe").first).to_be_visible()
