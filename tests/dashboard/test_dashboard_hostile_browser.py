"""Hostile input in headless Chromium (issue 12): a real server, started as `make run` starts it, on a
store whose document has web addresses in its title, publisher and quote.

Uses Debian's Chromium through Playwright; without them the suite fails when CI=true and is skipped otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from dashboard_testkit import APP, streamlit_server
from hostile_testkit import EVIL_TITLE, build_link_store
from testkit import expect

WAIT_MS = 30_000


@pytest.fixture(scope="module")
def link_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    return build_link_store(tmp_path_factory.mktemp("links"))


@pytest.fixture(scope="module")
def server_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("server") / "streamlit.log"


@pytest.fixture(scope="module")
def server(link_store: str, server_log: Path) -> Iterator[str]:
    with streamlit_server(APP, link_store, server_log, launcher=["-m", "dashboard.serve"]) as base:
        yield base


def doc_id(link_store: str) -> str:
    from dashboard.model import data

    return str(data.load_dataset(link_store).records["doc_id"].iloc[0])


def test_an_address_in_a_document_title_is_not_a_link(page, server, link_store):
    page.goto(f"{server}/records?doc={doc_id(link_store)}")
    heading = page.locator("h3", has_text="Document:")
    expect(heading).to_be_visible()
    assert heading.inner_text().replace("\u2060", "").strip() == f"Document: {EVIL_TITLE}"
    expect(page.locator('[data-testid="stCaptionContainer"]', has_text="Evil").first).to_be_visible()
    hosts = page.eval_on_selector_all("a[href]", "links => links.map(link => link.hostname + ' ' + link.protocol)")
    assert not [host for host in hosts if "evil" in host or "mailto" in host], hosts  # the heading's own #anchor is fine


def test_the_records_table_offers_no_download_of_its_own(page, server):
    page.goto(f"{server}/records")
    grid = page.locator('[data-testid="stDataFrame"]')
    expect(grid).to_be_visible()
    grid.hover()
    toolbar = page.locator('[data-testid="stElementToolbar"]').first
    expect(toolbar).to_be_visible()
    buttons = toolbar.locator('[data-testid="stElementToolbarButton"]')
    expect(buttons.first).to_be_visible()
    labels = [buttons.nth(index).inner_html() for index in range(buttons.count())]
    assert labels and not [label for label in labels if "Download" in label], labels  # search and fullscreen stay


def test_an_infinite_embed_height_shows_the_chart_not_a_traceback(page, server):
    page.goto(f"{server}/?embed=true&view=trend&height=inf")
    expect(page.locator(".js-plotly-plot:visible")).to_be_visible()  # one of the chart's layouts (embed.layout_css)
    expect(page.get_by_text(re.compile("Ignored height"))).to_be_visible()
    assert page.locator('[data-testid="stException"]').count() == 0
    body = page.locator("body").inner_text()
    assert "Traceback" not in body and "OverflowError" not in body and "/dashboard/" not in body
