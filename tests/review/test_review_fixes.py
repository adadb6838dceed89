"""Review fixes of issue 14: the document picker, the filters after "Review these figures", confirmations that
name the figure, a note alone, and a figure added by hand (unreviewed until another reviewer accepts it)."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

import pytest
from review_testkit import MISSED_FIGURE, PASTED_REPORT, REVIEWER
from streamlit.testing.v1 import AppTest
from test_review_app import assert_clean, paste, sign_in, submit
from testkit import new_app


def review_page(at: AppTest) -> AppTest:
    return at.switch_page("views/review.py").run()


@pytest.mark.parametrize("choices", [[1], [2, 0], [1, 2, 1]], ids=["first-choice", "two-choices", "back-and-forth"])
def test_the_document_picker_keeps_each_choice(app_env, choices):
    at = review_page(sign_in(new_app()))
    options = at.selectbox(key="r_doc").options
    for index in choices:
        at = at.selectbox(key="r_doc").select_index(index).run()
        assert_clean(at)
        # Before the fix the first choice snapped back: the URL still named the document shown first.
        assert at.selectbox(key="r_doc").index == index, (options[index], at.selectbox(key="r_doc").value)
        assert at.query_params["doc"] == at.selectbox(key="r_doc").value


def test_review_these_figures_keeps_the_filters_and_opens_the_new_document(app_env):
    at = sign_in(new_app({"q": "killed", "from": "2023-01-01"}))
    at = paste(at, PASTED_REPORT.replace("40 people", "34 people"))
    doc_id = at.session_state["_dashboard_added_doc"][0]
    at = at.button(key="go-review").click().run()
    assert_clean(at)
    assert at.title[0].value == "Review figures"
    assert at.selectbox(key="r_doc").value == doc_id
    # st.switch_page dropped every sidebar value: the date came back as the newest date in the data.
    assert (at.session_state["f_from"], at.session_state["f_to"], at.session_state["f_q"]) == (date(2023, 1, 1), None, "killed")
    assert at.query_params["from"] == "2023-01-01" and "to" not in at.query_params and at.query_params["doc"] == doc_id


# ---- in the store: a note alone, and a figure added by hand --------------------------------------


def added_by_hand(engine) -> str:
    """A pasted report's missed figure, added by REVIEWER; its record id."""
    from test_review_store import add_pasted

    from store import get_document, reviews

    doc_id = add_pasted(engine)
    text = get_document(engine, doc_id)["text"]
    start = text.index(MISSED_FIGURE)
    record = reviews.add_figure(engine, doc_id, start, start + len(MISSED_FIGURE), REVIEWER, indicator="displaced", value=812)
    return record["record_id"]


def status_of(engine, record_id: str) -> str:
    from test_review_store import stored_row

    return stored_row(engine, record_id)["review_status"]


class Step(NamedTuple):
    action: str
    reviewer: str
    changes: dict | None = None
    note: str | None = None
    refused: str | None = None  # what the refusal says; None: stored


HAND_CASES = [
    pytest.param([], "unreviewed", id="added-is-unreviewed"),
    pytest.param([Step("accept", REVIEWER, refused="another reviewer must accept")], "unreviewed", id="author-cannot-accept"),
    pytest.param([Step("accept", REVIEWER.upper(), refused="another reviewer")], "unreviewed", id="author-in-capitals-neither"),
    pytest.param([Step("correct", REVIEWER, {"value": 813})], "unreviewed", id="author-correction-stays-unreviewed"),
    pytest.param([Step("accept", "omar")], "accepted", id="second-reviewer-accepts"),
    pytest.param([Step("correct", "omar", {"value": 813})], "corrected", id="second-reviewer-corrects"),
    pytest.param([Step("reject", REVIEWER)], "rejected", id="author-may-withdraw"),
    pytest.param([Step("note", REVIEWER, note="seen in the annex too")], "unreviewed", id="author-note"),
]


@pytest.mark.parametrize(("steps", "status"), HAND_CASES)
def test_a_figure_added_by_hand_needs_a_second_reviewer(engine, steps, status):
    from store import reviews

    record_id = added_by_hand(engine)
    for step in steps:
        if step.refused:
            with pytest.raises(reviews.ReviewRefused, match=step.refused):
                reviews.review_record(engine, record_id, step.action, step.reviewer, changes=step.changes, note=step.note)
        else:
            reviews.review_record(engine, record_id, step.action, step.reviewer, changes=step.changes, note=step.note)
    assert status_of(engine, record_id) == status
    actions = [entry["action"] for entry in reviews.record_history(engine, record_id)]
    assert actions == ["add", *(step.action for step in steps if not step.refused)]


NOTE_CASES = [
    pytest.param("note", None, "unreviewed", id="note-action"),
    pytest.param("correct", {}, "unreviewed", id="correction-with-no-values"),
    pytest.param("correct", {"value": 40, "qualifier": "exact"}, "unreviewed", id="correction-changing-nothing"),
]


@pytest.mark.parametrize(("action", "changes", "status"), NOTE_CASES)
def test_a_note_alone_is_a_review_that_keeps_the_status(engine, action, changes, status):
    from test_review_store import add_pasted

    from store import current_records, reviews

    add_pasted(engine)
    (record,) = current_records(engine).to_dict("records")
    reviews.review_record(engine, record["record_id"], action, REVIEWER, changes=changes, note="checked against the PDF")
    (entry,) = reviews.record_history(engine, record["record_id"])
    assert (entry["action"], entry["note"]) == ("note", "checked against the PDF")
    assert entry["old_values"] == entry["new_values"] == {}
    assert status_of(engine, record["record_id"]) == status
    assert reviews.corrections(engine) == {}  # a note changes no figure


@pytest.mark.parametrize("note", [None, "", "   "], ids=["none", "empty", "spaces"])
def test_an_empty_note_alone_is_still_refused(engine, note):
    from test_review_store import add_pasted

    from store import current_records, reviews

    add_pasted(engine)
    (record,) = current_records(engine).to_dict("records")
    for action, changes in (("note", None), ("correct", {"value": 40})):
        with pytest.raises(reviews.ReviewRefused):
            reviews.review_record(engine, record["record_id"], action, REVIEWER, changes=changes, note=note)
    assert reviews.record_history(engine, record["record_id"]) == []


# ---- on the page: what the reviewer reads ------------------------------------------------------

SECOND = "omar"


@pytest.fixture
def two_reviewers(app_env, monkeypatch):
    """REVIEWER and a second reviewer, both with the test password."""
    from review_testkit import reviewer_hash

    monkeypatch.setenv("DASHBOARD_REVIEWERS", f"{REVIEWER}:{reviewer_hash()},{SECOND}:{reviewer_hash()}")
    return app_env


def pasted_review_page(report: str, publisher: str) -> tuple[AppTest, str]:
    """A pasted report's review page. Each test's own publisher: AppTest picks an option by its label, and
    reports pasted by other tests under the same title and publisher would share it."""
    at = paste(sign_in(new_app()), report, publisher=publisher)
    doc_id = at.session_state["_dashboard_added_doc"][0]
    at.query_params["doc"] = doc_id
    return review_page(at), doc_id


def card_ids(at: AppTest) -> list[str]:
    return [button.key.removeprefix("accept-") for button in at.button if (button.key or "").startswith("accept-")]


def test_a_confirmation_names_the_figure_not_its_record_id(app_env):
    at, _ = pasted_review_page(PASTED_REPORT.replace("40 people", "31 people"), "Wire A")
    (record_id,) = card_ids(at)
    at = at.button(key=f"accept-{record_id}").click().run()
    assert_clean(at)
    message = at.success[0].value
    assert "31 · Deaths · Sudan · as of 3 May 2025" in message.replace("\\", "") and record_id not in message, message


def test_the_pickers_labels_stay_as_they_were_when_a_figure_is_reviewed(app_env):
    at, _ = pasted_review_page(PASTED_REPORT.replace("40 people", "23 people"), "Wire A")
    labels = at.selectbox(key="r_doc").options
    (record_id,) = card_ids(at)
    assert "0 of 1 figures reviewed" in [caption.value for caption in at.caption]
    at = at.button(key=f"accept-{record_id}").click().run()
    assert_clean(at)
    # A browser keeps showing a label as it was when format_func's output changes (streamlit#13788):
    # before the fix the picker said "0 of 1 reviewed" after the review.
    assert at.selectbox(key="r_doc").options == labels
    assert "1 of 1 figures reviewed" in [caption.value for caption in at.caption]


def test_two_documents_of_one_title_and_source_are_told_apart_in_the_picker(app_env):
    at, first = pasted_review_page(PASTED_REPORT.replace("40 people", "21 people"), "Wire T")
    at, second = pasted_review_page(PASTED_REPORT.replace("40 people", "22 people"), "Wire T")
    options = at.selectbox(key="r_doc").options
    assert len(set(options)) == len(options)
    # The browser sends a label back and Streamlit takes the first option that has it: with one label
    # for both, a click on the second document's Reject reran the page on the first document.
    (record_id,) = card_ids(at)
    at = at.button(key=f"reject-{record_id}").click().run()
    assert_clean(at)
    assert at.selectbox(key="r_doc").value == second != first


NOTE_FORMS = [
    # Before the fix: "The correction changes nothing", and the note was lost.
    pytest.param("32", None, ["Note"], id="untouched-figure"),
    # An open bound the qualifier would close: the form sent the implied bound as a change nobody made.
    pytest.param("26", {"low": None}, ["Corrected", "Note"], id="bound-left-open-earlier"),
]


@pytest.mark.parametrize(("figure", "earlier", "actions"), NOTE_FORMS)
def test_a_note_alone_is_saved_from_the_correction_form(app_env, figure, earlier, actions):
    from store import open_store, reviews

    at = paste(sign_in(new_app()), PASTED_REPORT.replace("40 people", f"{figure} people"), publisher=f"Wire B{figure}")
    doc_id = at.session_state["_dashboard_added_doc"][0]
    engine = open_store(app_env)
    try:
        (record_id,) = reviews.document_records(engine, doc_id)["record_id"]
        if earlier:  # by another reviewer, before this one opens the page
            reviews.review_record(engine, record_id, "correct", SECOND, changes=earlier)
    finally:
        engine.dispose()
    at.query_params["doc"] = doc_id
    at = review_page(at)
    at.text_input(key=f"c-n-{record_id}").set_value("Matches the ministry's table")
    at = submit(at, "Save correction")
    assert_clean(at)
    assert not at.error, [e.value for e in at.error]
    assert at.success[0].value.startswith("Note") and "unchanged" in at.success[0].value, at.success[0].value
    trail = at.dataframe[-1].value  # newest first
    assert list(trail["action"]) == actions[::-1] and trail["note"].iloc[0] == "Matches the ministry's table"


def test_a_figure_added_by_hand_is_marked_and_waits_for_a_second_reviewer(two_reviewers):
    at, doc_id = pasted_review_page(PASTED_REPORT.replace("40 people", "29 people"), "Wire C")
    at.text_input(key=f"typed-{doc_id}").set_value(MISSED_FIGURE).run()
    at = submit(at, "Add figure")
    assert_clean(at)
    assert "unreviewed until another reviewer" in at.success[0].value
    added = [key for key in card_ids(at) if at.button(key=f"accept-{key}").disabled]
    assert len(added) == 1, "the author's Accept is disabled on the figure they added"
    (record_id,) = added
    cards = " ".join(markdown.value for markdown in at.markdown)
    assert "Added by hand · Not reviewed" in cards.replace("\\", "")

    records = new_app({"doc": doc_id, "record": record_id}, "views/records.py")
    assert_clean(records)
    assert any("Added by hand · Not reviewed" in expander.label for expander in records.expander)
    table = records.dataframe[0].value
    assert "unreviewed (added by hand)" in set(table["review_status"])
    reviewed = new_app({"doc": doc_id, "reviewed": "only"}, "views/records.py")
    assert record_id not in set(reviewed.session_state["dashboard_view"].records["record_id"].astype(str))

    second = review_page(sign_in(new_app({"doc": doc_id}), SECOND))
    assert not second.button(key=f"accept-{record_id}").disabled
    second = second.button(key=f"accept-{record_id}").click().run()
    assert_clean(second)
    assert "Accepted" in second.success[0].value
    records = new_app({"doc": doc_id, "record": record_id}, "views/records.py")
    assert any("Added by hand · Accepted" in expander.label for expander in records.expander)
