"""One article added twice, as a person does it in headless Chromium against a real server: pasted with
its address (the text states its date), then uploaded as the HTML page. The store keeps one document,
with the address and the date, and its figures once; the page says what happened and links the address.

One server for the module, on its own store, with a test-only reviewer made up for the session.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from dashboard_testkit import build_store
from testkit import APP, expect, load_module, streamlit_server

from dashboard.auth import hash_password
from store import count_documents, current_records, get_document, open_store

if TYPE_CHECKING:
    from playwright.sync_api import Page

WAIT_MS = 30_000
REVIEWER = "amina"
PASSWORD = "test-only-" + secrets.token_urlsafe(12)
ADDRESS = "https://example.org/sudan-displacement-update"


article = load_module(Path(__file__).parents[1] / "store" / "same_article.py")


@pytest.fixture(scope="module")
def own_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    return build_store(tmp_path_factory.mktemp("documents-store"))


@pytest.fixture(scope="module")
def server(own_store: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DASHBOARD_REVIEWERS", f"{REVIEWER}:{hash_password(PASSWORD, cost=2**10)}")
        log = tmp_path_factory.mktemp("documents-server") / "streamlit.log"
        with streamlit_server(APP, own_store, log) as base:
            patch.delenv("DASHBOARD_REVIEWERS")
            yield base


def sign_in(page: Page, server: str) -> None:
    page.goto(f"{server}/signin")
    expect(page.locator("h1").first).to_have_text("Reviewer sign-in")
    page.get_by_label("Reviewer name").fill(REVIEWER)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_text("(with a password)")).to_be_visible()


def open_add_page(page: Page) -> None:
    """Through the navigation: a new address would start a new session, signed out."""
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Add documents").click()
    expect(page.locator("h1").first).to_have_text("Add documents")


def test_pasted_then_uploaded_as_html_is_one_document_with_its_address_and_date(page, server, own_store, tmp_path) -> None:
    engine = open_store(own_store)
    try:
        documents, figures = count_documents(engine), len(current_records(engine))
    finally:
        engine.dispose()
    sign_in(page, server)
    open_add_page(page)
    page.get_by_label("Report text").fill(article.pasted())
    page.get_by_role("textbox", name="Address (optional)").fill(ADDRESS)
    page.get_by_role("button", name="Extract figures").click()
    expect(page.get_by_text("figure(s) found in")).to_be_visible()
    expect(page.get_by_text("published 27 March 2025")).to_be_visible()  # the date the text states
    expect(page.get_by_role("link", name=f"Original: {ADDRESS}")).to_have_attribute("href", ADDRESS)

    html = tmp_path / "sudan-displacement.html"
    html.write_bytes(article.html_page())
    open_add_page(page)
    page.get_by_role("radio", name="Upload a file", exact=True).click()
    expect(page.get_by_text("Report file (txt, md, HTML or PDF")).to_be_visible()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(html))
    expect(page.get_by_role("button", name="Remove sudan-displacement.html")).to_be_visible()
    page.get_by_role("button", name="Extract figures").click()
    expect(page.get_by_text("same document as one in the store")).to_be_visible()
    expect(page.get_by_text("Its title was filled in from this copy.", exact=False)).to_be_visible()
    expect(page.get_by_role("link", name=f"Original: {ADDRESS}")).to_be_visible()

    engine = open_store(own_store)
    try:
        assert count_documents(engine) == documents + 1
        records = current_records(engine)
        mine = records[records["url"] == ADDRESS]
        assert len(records) == figures + len(mine) and len(mine) > 0  # its figures once
        document = get_document(engine, str(mine["doc_id"].iloc[0]))
        assert (document["url"], document["published"], document["title"]) == (ADDRESS, article.PUBLISHED, article.TITLE)
    finally:
        engine.dispose()
