"""A reviewer corrects a document's title, publisher, publication date and address (the Review page).

Each correction is audited like a figure's (store.document_reviews: who, when, old and
new values, a note) and reaches every record of the document, so tables, charts and exports show
it; the text and the figures read from it stay as they were. The copies of the document seen
later (another file or format of the same article) are listed with the metadata they came with.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from dashboard.model import review
from dashboard.model.data import safe_link
from dashboard.model.formatting import escape_markdown, format_date, parse_iso_date
from dashboard.ui import review_ui, ui
from store import document_reviews
from store.review_rules import ReviewRefused


def sightings_table(sightings: list[dict[str, Any]]) -> pd.DataFrame:
    """The copies seen after the document was stored, newest first."""
    rows = [
        {
            "seen (UTC)": str(row.get("seen_at") or "")[:19].replace("T", " "),
            "file": str(row.get("doc") or ""),
            "type": str(row.get("content_type") or ""),
            "same words": f"{float(row.get('similarity') or 0):.0%}",
            "title": str(row.get("title") or ""),
            "date": format_date(row.get("published")) if row.get("published") else "",
            "address": str(row.get("url") or ""),
            "filled in": ", ".join(review.FIELD_LABELS.get(name, name) for name in row.get("filled") or []),
        }
        for row in sightings
    ]
    columns = ["seen (UTC)", "file", "type", "same words", "title", "date", "address", "filled in"]
    return pd.DataFrame(rows[::-1], columns=columns)


def correct_document_ui(doc_id: str, changes: dict[str, Any], note: str) -> None:
    """Write the correction (the sign-in checked again first); a refusal is shown, success reruns the page."""
    reviewer = review_ui.require_reviewer_ui()
    engine = ui.engine_cached(ui.view_ui().url)
    try:
        written = document_reviews.correct_document(engine, doc_id, reviewer.name, changes=changes, note=note)
    except ReviewRefused as error:
        review_ui.refused_ui(error)
        return
    st.session_state.pop(f"dm-note-{doc_id[:16]}", None)  # the note went with this correction
    review_ui.saved_ui(f"Document details corrected: {review.change_text(written['old_values'], written['new_values'])}.")


def document_details_ui(doc_id: str, document: dict[str, Any]) -> None:
    """The document's metadata, a form to correct it, its audit trail and the copies seen."""
    key = doc_id[:16]
    link = safe_link(document.get("url"))
    with st.expander("Document details: title, publisher, date, address", expanded=False, icon=":material/description:"):
        st.caption(
            f"{escape_markdown(document.get('source') or '')} · published {format_date(document.get('published'))} · "
            f"file {escape_markdown(document.get('doc') or '')}"
        )
        if link:
            st.link_button(f"Original: {link[:80]}", link, icon=":material/open_in_new:")
        with st.form(f"doc-meta-{key}", border=False):
            left, right = st.columns(2)  # a row each, so that a phone stacks them in reading order
            title = left.text_input("Title", document.get("title") or "", key=f"dm-title-{key}", max_chars=300)
            publisher = right.text_input("Publisher", document.get("publisher") or "", key=f"dm-publisher-{key}", max_chars=200)
            left, right = st.columns(2)
            published = left.date_input(
                "Published", parse_iso_date(document.get("published")), key=f"dm-published-{key}", format="YYYY-MM-DD"
            )
            address = right.text_input(
                "Address", document.get("url") or "", key=f"dm-url-{key}", max_chars=2000, placeholder="https://…"
            )
            note = st.text_input("Note (why)", key=f"dm-note-{key}", max_chars=1000)
            submitted = st.form_submit_button("Save document details", icon=":material/edit:")
        if submitted:
            changes = {"title": title, "publisher": publisher, "published": published, "url": address}
            correct_document_ui(doc_id, changes, note)
        engine = ui.engine_cached(ui.view_ui().url)
        trail = document_reviews.document_audit(engine, doc_id)
        if trail:
            st.markdown("**Corrections** (the values as first stored are the oldest “before”)")
            st.dataframe(review.history_table(trail), hide_index=True, width="stretch")
        seen = document_reviews.document_sightings(engine, doc_id)
        if seen:
            st.markdown("**Copies seen later** (not stored again: the same article in another file or format)")
            st.dataframe(sightings_table(seen), hide_index=True, width="stretch")
