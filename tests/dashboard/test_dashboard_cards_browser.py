"""The Overview's cards in headless Chromium: each card says its kind, whole, at a desktop's and a phone's width,
and the parts checkbox shows the parts (Debian's Chromium through Playwright; skipped without it unless CI=true)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from dashboard_testkit import APP, streamlit_server

WAIT_MS = 30_000
LABEL = '[data-testid="stMetricLabel"]'
PROJECTION = "Palestine · facing famine, projected to Sep 2025"
PART = "Worldwide · killed, over a period, a part (subgroup, sub-area or single incident)"


@pytest.fixture(scope="module")
def server(test_store: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with streamlit_server(APP, test_store, tmp_path_factory.mktemp("server") / "streamlit.log") as base:
        yield base


def labels(page) -> list[str]:  # type: ignore[no-untyped-def]
    page.wait_for_selector(LABEL, timeout=WAIT_MS)
    return [" ".join(text.split()) for text in page.locator(LABEL).all_inner_texts()]


@pytest.mark.parametrize("width", [1400, 390])
def test_each_card_says_its_kind_whole(browser, server, width):
    context = browser.new_context(viewport={"width": width, "height": 1100})
    page = context.new_page()
    try:
        page.goto(server)
        shown = labels(page)
        assert "Palestine · killed" in shown and PROJECTION in shown and PART not in shown
        card = page.locator(LABEL, has_text="projected to Sep 2025").first
        card.scroll_into_view_if_needed()
        # The label wraps rather than ending in an ellipsis: all of it inside the card.
        assert card.evaluate("e => [e, ...e.querySelectorAll('*')].every(x => x.scrollWidth <= x.clientWidth + 1)")
        assert "Sep 2025" in card.inner_text()
    finally:
        context.close()


def test_the_parts_checkbox_shows_the_parts_and_keeps_them_in_the_url(context, server):
    page = context.new_page()
    try:
        page.goto(server)
        assert PART not in labels(page)
        page.get_by_text("Include parts (subgroups, sub-areas, single incidents)").click()
        page.wait_for_function(f"() => document.body.innerText.includes({PART.split(' · ')[1]!r})", timeout=WAIT_MS)
        assert PART in labels(page)
        page.wait_for_url("**parts=1**", timeout=WAIT_MS)
    finally:
        page.close()
