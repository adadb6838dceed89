"""Sign in: the reviewers' door. Viewing needs no sign-in; adding documents and reviewing figures do."""

from __future__ import annotations

import streamlit as st

from dashboard.model import pages
from dashboard.model.formatting import escape_markdown
from dashboard.ui import review_ui

ADD, REVIEW = pages.PAGE["add"], pages.PAGE["review"]


def signin_ui() -> None:
    st.title("Reviewer sign-in")
    review_ui.show_flash_ui()
    if review_ui.embedded_ui():  # never reached through the navigation; a guard all the same
        st.info("Embedded views are read-only. Open the dashboard itself to sign in.")
        return
    reviewer = review_ui.reviewer_ui()
    if reviewer is None:
        st.caption(
            "Everyone can view the dashboard. Adding documents and reviewing figures need a reviewer account; "
            "ask the dashboard's administrator for one."
        )
        review_ui.sign_in_form_ui()
        return
    how = "your organisation's sign-in" if reviewer.method == "oidc" else "a password"
    st.markdown(f"Signed in as **{escape_markdown(reviewer.name)}** (with {how}).")
    st.page_link(str(ADD.script_path), label=f"{ADD.title}: paste text, upload a file or give a URL", icon=ADD.icon)
    st.page_link(str(REVIEW.script_path), label=f"{REVIEW.title}: accept, reject, correct, add", icon=REVIEW.icon)
    if st.button("Sign out", icon=":material/logout:", key="sign-out"):
        review_ui.sign_out_ui()
        st.rerun()


signin_ui()
