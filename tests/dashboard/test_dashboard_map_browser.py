"""The Map page in headless Chromium, every request outside the dashboard's own server refused:
the map draws from the shapes the project ships, by country and by first-level area, its dots carry
the provenance tooltips, a place
is found by a name in another script, and a period preset lands in the URL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from dashboard_testkit import APP, hover_until, streamlit_server
from testkit import expect

if TYPE_CHECKING:
    from playwright.sync_api import Page

WAIT_MS = 30_000


@pytest.fixture(scope="module")
def server(test_store: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log: Path = tmp_path_factory.mktemp("server") / "streamlit.log"
    with streamlit_server(APP, test_store, log) as base:
        yield base


@pytest.fixture
def offline_page(context, server) -> Iterator[tuple[Page, list[str]]]:
    """A page whose requests to anywhere but the dashboard are refused, and the list of them."""
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    refused: list[str] = []

    def route(route) -> None:  # type: ignore[no-untyped-def]
        if route.request.url.startswith(server) or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    yield page, refused
    page.close()


def test_the_map_draws_offline_with_provenance_and_follows_the_sidebar(offline_page, server) -> None:
    page, refused = offline_page
    page.goto(f"{server}/map?map=deaths")
    expect(page.locator("h1").first).to_have_text("Map")
    expect(page.locator(".js-plotly-plot").first).to_be_visible()
    assert page.locator(".js-plotly-plot .scatterlayer .trace .js-fill").count() >= 2  # the land and a country with figures
    expect(page.locator('[data-testid="stDataFrame"]')).to_be_visible()
    label = hover_until(page, "Deaths · Palestine")
    assert "Source:" in label and "Document:" in label
    # First-level areas: filled shapes as well (land, their countries, the areas), each dot naming its area.
    page.goto(f"{server}/map?map=deaths&level=admin1")
    expect(page.locator(".js-plotly-plot .scatterlayer .trace .js-fill").nth(2)).to_be_attached()
    label = hover_until(page, "Palestine › Gaza Strip")
    assert "Deaths · Palestine" in label and "Document:" in label
    # A period preset: the URL keeps it; the store's figures are older than 30 days, so the page says the period is empty.
    page.locator('[data-testid="stSidebar"]').get_by_role("radio", name="30 days").click()
    expect(page).to_have_url(re.compile(r"period=30d"))
    expect(page.get_by_text("No figures between")).to_be_visible()
    # The location filter finds the Gaza Strip by its Arabic name.
    page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').nth(1).click()
    page.keyboard.type("قطاع غزة")
    expect(page.get_by_role("option").first).to_contain_text("Palestine › Gaza Strip")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"location=Palestine.*Gaza"))
    assert not [url for url in refused if "plot.ly" in url or "topojson" in url or "world_" in url], refused
