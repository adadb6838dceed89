"""Add documents: paste a report's text, upload a file (txt, md, HTML, PDF) or give a URL; the figures found are shown at once.

Only for a signed-in reviewer: the page checks the sign-in again before it stores anything. A
pasted text or an uploaded file may be given its address (where it was published): checked
(http/https only), stored and shown as a link, never fetched. The same article added again, in
another format, is recognised as the document already stored (store.same_document):
its figures are not counted twice, and the metadata it brings fills in what the stored one lacks.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.model import data, pages, provenance, review
from dashboard.model.analysis import record_figure
from dashboard.model.data import safe_link
from dashboard.model.formatting import escape_markdown, format_date, indicator_label
from dashboard.ui import review_ui, ui
from store import intake
from store.reviews import document_records
from store.sources import LoadedSource

REVIEW_PAGE = pages.PAGE["review"]
ADDED_KEY = "_dashboard_added_doc"
KINDS = ("Paste text", "Upload a file", "From a URL")
UPLOAD_TYPES = [suffix.lstrip(".") for suffix in intake.UPLOAD_SUFFIXES]
MAX_UPLOAD_MB = intake.MAX_UPLOAD_BYTES // (1024 * 1024)


def read_source_ui(kind: str, values: dict) -> LoadedSource:
    """The document the form describes; IntakeRefused with a message when it cannot be read."""
    address = values.get("address") if kind != "From a URL" else None  # a URL's own address is the URL
    meta = intake.document_meta(
        "pasted text", title=values["title"], publisher=values["publisher"], published=values["published"], url=address
    )
    meta.pop("doc", None)
    if kind == "Paste text":
        return intake.pasted_source(values["text"] or "", {"doc": "pasted text", **meta})
    if kind == "Upload a file":
        upload = values["upload"]
        if upload is None:
            raise intake.IntakeRefused("Choose a file to upload (txt, md, HTML or PDF).")
        if upload.size > intake.MAX_UPLOAD_BYTES:
            raise intake.IntakeRefused(
                f"{intake.safe_file_name(upload.name)} is {upload.size / 1e6:,.1f} MB, more than the {MAX_UPLOAD_MB} MB "
                "limit; split the report, or paste the part with the figures."
            )
        return intake.uploaded_source(upload.getvalue(), upload.name, meta)
    return intake.url_source(values["url"] or "", meta)


def form_ui() -> None:
    kind = st.segmented_control("Add", KINDS, default=KINDS[0], key="add-kind", required=True) or KINDS[0]
    with st.form("add-document", clear_on_submit=False, border=True):
        values: dict = {"text": None, "upload": None, "url": None}
        if kind == "Paste text":
            values["text"] = st.text_area(
                "Report text", key="add-text", height=220, max_chars=intake.MAX_PASTE_CHARS, placeholder="Paste the report here"
            )
        elif kind == "Upload a file":
            values["upload"] = st.file_uploader(
                f"Report file (txt, md, HTML or PDF; at most {MAX_UPLOAD_MB} MB)",
                type=UPLOAD_TYPES,
                key="add-upload",
                max_upload_size=MAX_UPLOAD_MB,
            )
        else:
            values["url"] = st.text_input("Report URL", key="add-url", placeholder="https://…", max_chars=2000)
        left, middle, right = st.columns(3)
        values["title"] = left.text_input("Title (optional)", key="add-title", max_chars=300)
        values["publisher"] = middle.text_input("Publisher (optional)", key="add-publisher", max_chars=200)
        values["published"] = right.date_input("Published (optional)", value=None, key="add-published", format="YYYY-MM-DD")
        if kind != "From a URL":
            values["address"] = st.text_input(
                "Address (optional)",
                key="add-address",
                max_chars=2000,
                placeholder="https://… where the report was published",
                help="Stored and shown as a link to the original; the dashboard does not open it.",
            )
        submitted = st.form_submit_button("Extract figures", type="primary", icon=":material/manage_search:")
    if not submitted:
        return
    reviewer = review_ui.require_reviewer_ui()  # checked again at the moment of writing
    view = ui.view_ui()
    try:
        with st.spinner("Reading the document and extracting its figures…"):
            loaded = read_source_ui(kind, values)
            result = intake.ingest_loaded(ui.engine_cached(view.url), loaded, f"{kind.lower()} by {reviewer.name}")
    except intake.IntakeRefused as error:
        review_ui.refused_ui(error)
        return
    st.session_state[ADDED_KEY] = (result.doc_id, result.status, result.similarity, result.filled)
    ui.refresh_store_ui()


def figures_table(records: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "figure": [record_figure(row) for _, row in records.iterrows()],
            "indicator": [indicator_label(str(value)) for value in records["indicator"]],
            "location": records["location"].fillna("").astype(str),
            "as of": [format_date(value) for value in records["reference_date"]],
            "quote": records["quote"].astype(str),
        }
    )


def added_ui() -> None:
    """The last document this reviewer added: its figures, highlighted in its text, and the way to review them."""
    added = st.session_state.get(ADDED_KEY)
    if not added:
        return
    doc_id, status, similarity, filled = added
    view = ui.view_ui()
    engine = ui.engine_cached(view.url)
    document = data.read_document(engine, doc_id)
    if document is None:
        return
    records = document_records(engine, doc_id)
    title = document.get("title") or document.get("doc") or doc_id
    st.success(
        f"{len(records)} figure(s) found in “{escape_markdown(title)}”.{review.again_text(status, similarity, filled)}",
        icon=":material/check_circle:",
    )
    st.caption(
        f"{escape_markdown(document.get('source') or '')} · published {format_date(document.get('published'))} · "
        f"file {escape_markdown(document.get('doc') or '')}"
    )
    link = safe_link(document.get("url"))
    if link:
        st.link_button(f"Original: {link[:80]}", link, icon=":material/open_in_new:")
    if st.button("Review these figures", type="primary", icon=":material/fact_check:", key="go-review"):
        st.switch_page(REVIEW_PAGE.script_path, query_params={"doc": doc_id})
    if not records.empty:
        st.dataframe(figures_table(records), hide_index=True, width="stretch")
    spans = provenance.spans_from_records(records)
    st.html(provenance.DOCUMENT_CSS + provenance.document_html(document.get("text") or "", spans))


def add_ui() -> None:
    review_ui.require_reviewer_ui()
    st.title(pages.PAGE["add"].title)
    review_ui.show_flash_ui()
    st.caption(
        "Paste a report's text, upload a file or give a URL. The figures found are shown at once, highlighted in the text; "
        "then review them. Nothing appears as reviewed until a person has checked it."
    )
    form_ui()
    added_ui()


add_ui()
