"""Documents through AppTest: an address given with a pasted text or an upload (checked, shown as a link),
the date a pasted text states, the same article uploaded again in another format (one document, its
metadata filled in), and a reviewer's correction of a document's details with its audit trail."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_review_app import assert_clean, plain, sign_in, submit
from testkit import load_module, new_app

from store import current_records, document_audit, get_document, open_store

article = load_module(Path(__file__).parents[1] / "store" / "same_article.py")


def paste_with(at: AppTest, text: str, address: str = "") -> AppTest:
    at.switch_page("views/add.py").run()
    at.text_area(key="add-text").set_value(text)
    at.text_input(key="add-address").set_value(address)
    return submit(at, "Extract figures")


def upload(at: AppTest, name: str, content: bytes) -> AppTest:
    at.switch_page("views/add.py").run()
    at.segmented_control(key="add-kind").set_value("Upload a file").run()
    at.file_uploader(key="add-upload").set_value((name, content, "application/octet-stream"))
    return submit(at, "Extract figures")


def messages(at: AppTest) -> list[str]:
    return [plain(message.value) for message in (*at.success, *at.error)]


def links(at: AppTest) -> list[str]:
    return [button.proto.url for button in at.get("link_button")]


@pytest.fixture
def store_url(app_env: str) -> str:
    return app_env


def test_pasted_then_uploaded_as_html_is_one_document_with_the_address_and_date(store_url) -> None:
    at = paste_with(sign_in(new_app()), article.pasted(), "https://example.org/sudan-dtm")
    assert_clean(at)
    doc_id = at.session_state["_dashboard_added_doc"][0]
    assert links(at) == ["https://example.org/sudan-dtm"]
    assert any("27 March 2025" in caption.value for caption in at.caption)  # the date the text states
    engine = open_store(store_url)
    try:
        figures = len(current_records(engine))
        at = upload(at, "article.html", article.html_page())
        assert_clean(at)
        assert at.session_state["_dashboard_added_doc"][0] == doc_id
        assert any("same document as one in the store" in m and "title was filled in" in m for m in messages(at)), messages(at)
        document = get_document(engine, doc_id)
        assert (document["url"], document["published"], document["title"]) == (
            "https://example.org/sudan-dtm",  # the stored address stays; the page's is kept as a sighting
            article.PUBLISHED,
            article.TITLE,
        )
        assert len(current_records(engine)) == figures
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("address", "says"),
    [
        ("javascript:alert(1)", "is not a web address"),
        ("https://example.org/\"><img src=x onerror=alert(1)>", "not a valid web address"),
        ("https://user:secret@example.org/", "without a user name or password"),
    ],
    ids=["javascript", "markup", "credentials"],
)
def test_a_hostile_address_is_refused_and_nothing_is_stored(store_url, address, says) -> None:
    at = paste_with(sign_in(new_app()), "Test-only note. Officials said 12 people were injured in Goma.\n", address)
    assert_clean(at)
    assert any(says in m for m in messages(at)), messages(at)
    assert "_dashboard_added_doc" not in at.session_state


def review_document(at: AppTest, doc_id: str) -> AppTest:
    at.query_params["doc"] = doc_id
    return at.switch_page("views/review.py").run()


def test_a_reviewer_corrects_the_details_and_the_records_follow(store_url) -> None:
    text = article.next_edition().split(" – ", 1)[1]  # another report, and no dateline: undated
    at = paste_with(sign_in(new_app()), text)
    doc_id = at.session_state["_dashboard_added_doc"][0]
    assert "undated" in " ".join(caption.value for caption in at.caption)
    at = review_document(at, doc_id)
    key = doc_id[:16]
    at.text_input(key=f"dm-publisher-{key}").set_value(article.NEXT_PUBLISHER)
    at.date_input(key=f"dm-published-{key}").set_value(article.NEXT_PUBLISHED)
    at.text_input(key=f"dm-url-{key}").set_value(article.NEXT_URL)
    at.text_input(key=f"dm-note-{key}").set_value("from the page it was copied from")
    at = submit(at, "Save document details")
    assert_clean(at)
    assert any("Document details corrected" in m and "publisher: none → allAfrica" in m for m in messages(at)), messages(at)
    assert article.NEXT_URL in links(at)
    (chosen,) = [option for option in at.selectbox(key="r_doc").options if article.NEXT_PUBLISHER in option]
    assert chosen.startswith("pasted text · allAfrica")  # the document picker shows the corrected source
    engine = open_store(store_url)
    try:
        (row,) = document_audit(engine, doc_id)
        assert (row["reviewer"], row["old_values"]["published"], row["new_values"]["published"]) == (
            "amina",
            None,
            article.NEXT_PUBLISHED,
        )
    finally:
        engine.dispose()
    at.switch_page("views/records.py").run()
    (table,) = [frame.value for frame in at.dataframe if "source" in frame.value.columns][:1]
    mine = table[table["url"] == article.NEXT_URL]
    assert not mine.empty and set(mine["source"]) == {article.NEXT_PUBLISHER}


def test_a_bad_correction_is_refused_with_a_message(store_url) -> None:
    at = paste_with(sign_in(new_app()), article.pasted().replace("Aid workers", "Relief workers"))
    doc_id = at.session_state["_dashboard_added_doc"][0]
    at = review_document(at, doc_id)
    at.text_input(key=f"dm-url-{doc_id[:16]}").set_value("data:text/html,hello")
    at = submit(at, "Save document details")
    assert_clean(at)
    assert any("is not a web address" in m for m in messages(at)), messages(at)


def test_a_correction_after_the_sign_in_ended_is_refused(store_url, monkeypatch) -> None:
    """The sign-in is checked again when the form is sent: a reviewer removed meanwhile writes nothing."""
    at = paste_with(sign_in(new_app()), article.pasted())
    doc_id = at.session_state["_dashboard_added_doc"][0]
    at = review_document(at, doc_id)
    engine = open_store(store_url)
    try:
        before = len(document_audit(engine, doc_id))
        monkeypatch.setenv("DASHBOARD_REVIEWERS", "")
        at.text_input(key=f"dm-title-{doc_id[:16]}").set_value("Another title")
        at = submit(at, "Save document details")
        assert_clean(at)
        assert len(document_audit(engine, doc_id)) == before
        assert not [button for button in at.get("form_submit_button") if button.label == "Save document details"]
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("status", "similarity", "filled", "expected"),
    [
        ("new", None, (), ""),
        ("unchanged", None, (), " It was in the store already: its figures are not counted again."),
        ("unchanged", 1.0, ("url",), " It was in the store already: its figures are not counted again. Its address was filled in from this copy."),
        (
            "unchanged",
            0.874,
            ("title", "published", "url"),
            " It is the same document as one in the store (87% the same words, another copy or format): its figures are "
            "not counted again. Its title, publication date and address were filled in from this copy.",
        ),
    ],
    ids=["new", "identical", "identical-filled-address", "other-format-filled-three"],
)
def test_what_the_add_page_says_about_a_document_stored_already(status, similarity, filled, expected) -> None:
    from dashboard.model.review import again_text

    assert again_text(status, similarity, filled) == expected


def test_the_records_document_panel_links_a_reviewer_to_its_details(store_url) -> None:
    at = paste_with(sign_in(new_app()), article.pasted())
    doc_id = at.session_state["_dashboard_added_doc"][0]
    at.query_params["doc"] = doc_id
    at = at.switch_page("views/records.py").run()
    assert_clean(at)
    (link,) = [link for link in at.get("page_link") if "details" in link.proto.label]
    assert "review" in link.proto.page and link.proto.query_string == f"doc={doc_id}"
    viewer = new_app({"doc": doc_id}, "views/records.py")
    assert_clean(viewer)
    assert not [link for link in viewer.get("page_link") if "details" in link.proto.label]
