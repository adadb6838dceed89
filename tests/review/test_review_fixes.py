"""Review fixes of issue 14: the document picker, the filters after "Review these figures", confirmations that
name the figure, a note alone, and a figure added by hand (unreviewed until another reviewer accepts it)."""

from __future__ import annotations

from datetime import date

import pytest
from review_testkit import PASTED_REPORT
from streamlit.testing.v1 import AppTest
from test_review_app import assert_clean, paste, sign_in
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
