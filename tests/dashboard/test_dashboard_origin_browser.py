"""Trends and Sources by who counted, as a person sees them in headless Chromium (`python -m dashboard.serve`
on the test store): the legend names the originator, a point's tooltip says who reported it, derived changes
show on demand, and on a phone the kind control and the legend fit the screen.

Uses Debian's Chromium through Playwright; without either the tests fail when CI=true and are skipped otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from dashboard_testkit import APP, hover_until, streamlit_server
from testkit import expect

if TYPE_CHECKING:
    from playwright.sync_api import Page

WAIT_MS = 30_000
MOH = "Gaza Ministry of Health"


@pytest.fixture(scope="module")
def server(test_store: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log: Path = tmp_path_factory.mktemp("server") / "streamlit.log"
    with streamlit_server(APP, test_store, log, launcher=["-m", "dashboard.serve"]) as base:
        yield base


def open_page(page: Page, url: str, title: str) -> None:
    page.goto(url)
    expect(page.locator("h1").first).to_have_text(title)
    page.locator(".js-plotly-plot .legend").first.wait_for(state="attached")


def legend_names(page: Page) -> list[str]:
    return [text.strip() for text in page.locator(".js-plotly-plot .legend .legendtext").all_text_contents()]


def test_the_trends_legend_names_who_counted_and_the_tooltip_who_reported(page, server):
    open_page(page, f"{server}/trends?indicator=deaths&location=Palestine", "Trends")
    assert legend_names(page) == [MOH]
    assert page.locator(".js-plotly-plot .legend .legendtitletext").first.text_content() == "Who counted"
    assert "Other sources" not in page.locator(".js-plotly-plot").first.text_content()
    label = hover_until(page, "38,011")
    assert f"Counted by: {MOH}" in label and "Reported by UN OCHA (occupied Palestinian territory)" in label
    # Plotly draws the link as an SVG <a>, its address in xlink:href.
    href = page.locator(".hoverlayer .hovertext a").first.evaluate(
        "a => a.getAttributeNS('http://www.w3.org/1999/xlink', 'href') || a.getAttribute('href')"
    )
    assert (href or "").startswith("https://")  # a link to the report


def test_derived_weekly_changes_show_on_demand(page, server):
    open_page(page, f"{server}/trends?indicator=deaths&location=Palestine", "Trends")
    page.get_by_text("Weekly change", exact=True).first.click()
    title = page.locator(".js-plotly-plot .gtitle", has_text="derived from cumulative figures")
    expect(title).to_be_visible()
    expect(page.get_by_text("Derived, not reported").first).to_be_visible()
    bars = page.locator(".js-plotly-plot .barlayer .point")
    expect(bars.first).to_be_attached()
    assert bars.count() == 5  # six of the ministry's tolls in the test store, in six weeks


def test_sources_compares_originators_and_flags_none_for_a_rising_toll(page, server):
    open_page(page, f"{server}/sources?compare_indicator=deaths&compare_location=Palestine", "Sources")
    kind = page.get_by_role("combobox", name="Compare figures of one kind")
    expect(kind).to_have_value("killed")  # its count is in the caption above: a count in the label lagged in the browser
    expect(page.get_by_text("killed: 6 figures")).to_be_visible()
    expect(page.get_by_text("No disagreement above the threshold.")).to_be_visible()
    assert MOH in legend_names(page)


def test_on_a_phone_the_legend_and_controls_fit(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 1200}, device_scale_factor=1, is_mobile=True)
    phone = context.new_page()
    phone.set_default_timeout(WAIT_MS)
    try:
        open_page(phone, f"{server}/sources?compare_indicator=famine_exposure&compare_location=Palestine&window=30", "Sources")
        expect(phone.get_by_text("states two figures for the same day").first).to_be_visible()
        sideways = phone.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert sideways <= 0
        legend = phone.locator(".js-plotly-plot .legend").first.bounding_box()
        assert legend is not None and legend["x"] + legend["width"] <= 390
    finally:
        context.close()
