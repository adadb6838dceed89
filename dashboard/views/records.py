"""Records: the filtered records with every contract field, and a document view with its figures highlighted.

The document view opens from a selected row, a clicked chart point (Trends) or the URL
(`?doc=DOC_ID&record=RECORD_ID`).
"""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from dashboard.model import pages, provenance, review
from dashboard.model.analysis import record_figure
from dashboard.model.data import CONTRACT_COLUMNS, safe_link
from dashboard.model.formatting import document_label, escape_markdown, format_date, indicator_label
from dashboard.model.languages import language_name
from dashboard.ui import exports_ui, review_ui, ui

PAGE = pages.PAGE["records"]
REVIEW_PAGE = pages.PAGE["review"]
TABLE_LIMIT = 5000
TABLE_COLUMNS = [*CONTRACT_COLUMNS, "publisher"]
# The figure first and pinned: a phone shows three columns, and the value was the fourth (out of sight at 390 px).
FIRST_COLUMNS = [
    "value",
    "qualifier",
    "reference_date",
    "indicator",
    "location",
    "low",
    "high",
    "measure",
    "source",
    "url",
    "lang",
    "quote",
]
COLUMN_ORDER = [*FIRST_COLUMNS, *(c for c in TABLE_COLUMNS if c not in FIRST_COLUMNS)]


FIGURE_WIDTH = 110  # pixels: room for "120,000,000"


def column_config() -> dict:
    number = st.column_config.NumberColumn
    return {
        "url": st.column_config.LinkColumn("url", help="The original report", display_text=r"https?://(?:www\.)?([^/]+)"),
        # A fixed width: sized to the short header alone, "9,258,273" lost its first digit.
        "value": number("value", format="localized", help="Persons (per day for rates)", width=FIGURE_WIDTH, pinned=True),
        "low": number("low", format="localized", help="Lowest value the wording allows; None = open", width=FIGURE_WIDTH),
        "high": number("high", format="localized", help="Highest value the wording allows; None = open", width=FIGURE_WIDTH),
        "quote": st.column_config.TextColumn("quote", width="large"),
        "lang": st.column_config.TextColumn(
            "lang", help="The language of the document, and of its quote (ISO 639-1)", width="small"
        ),
    }


def table_frame(records: pd.DataFrame) -> pd.DataFrame:
    """The newest TABLE_LIMIT records, newest first, contract columns (unsafe links dropped)."""
    shown = records.tail(TABLE_LIMIT).iloc[::-1]
    frame = shown[TABLE_COLUMNS].copy()
    for column in ("indicator", "measure", "qualifier", "source"):
        frame[column] = frame[column].astype(str)
    frame["url"] = [safe_link(value) for value in frame["url"]]
    if "manual" in shown.columns:  # a figure a person added says so in the table too, not only in its audit trail
        manual = shown["manual"].to_numpy(dtype=bool)
        statuses = frame["review_status"].astype(str).to_numpy(object)
        frame["review_status"] = [
            f"{status} (added by hand)" if by_hand else status for status, by_hand in zip(statuses, manual, strict=True)
        ]
    return frame.reset_index(drop=True)


def table_ui(view: ui.View) -> tuple[str, str] | None:
    """The records table; the (doc_id, record_id) of a selected row."""
    frame = table_frame(view.newest(TABLE_LIMIT))
    if view.count > TABLE_LIMIT:
        st.caption(
            f"Showing the newest {TABLE_LIMIT:,} of {view.count:,} records; download them all below, or narrow the filters."
        )
    key = "records-" + hashlib.sha1(view.key.encode()).hexdigest()[:12]
    event = st.dataframe(
        frame,
        column_config=column_config(),
        hide_index=True,
        column_order=COLUMN_ORDER,
        on_select="rerun",
        selection_mode="single-row",
        key=key,
        height=380,
    )
    exports_ui.records_downloads_ui(view)
    rows = event.selection.rows if event is not None else []
    if rows and 0 <= rows[0] < len(frame):
        row = frame.iloc[rows[0]]
        return str(row["doc_id"]), str(row["record_id"])
    return None


def from_url_ui(view: ui.View) -> tuple[str, str | None] | None:
    """doc= and record= of the URL, checked against the store; a note for unknown ones."""
    params = ui.page_params_ui(PAGE.params)
    doc_id = params.get("doc")
    if not doc_id:
        return None
    records = view.dataset.documents_of(doc_id)
    if records.empty:
        st.warning(f"Ignored doc “{escape_markdown(doc_id[:60])}”: no such document in the store.", icon=":material/link_off:")
        return None
    record_id = params.get("record")
    if record_id is not None and record_id not in set(records["record_id"].astype(str)):
        st.warning(
            f"Ignored record “{escape_markdown(record_id[:60])}”: not a figure of this document.", icon=":material/link_off:"
        )
        record_id = None
    return doc_id, record_id


def document_ui(view: ui.View, doc_id: str, record_id: str | None) -> None:
    document = ui.document_cached(view.url, view.fingerprint, doc_id)
    records = view.dataset.documents_of(doc_id)
    if document is None:
        st.warning("This document is not in the store any more.")
        return
    first = records.iloc[0] if not records.empty else {}
    title = document.get("title") or document.get("doc") or doc_id
    st.subheader(f"Document: {escape_markdown(title)}")
    publisher = document.get("publisher") or document.get("source") or ""
    kind = document_label(document.get("kind"), publisher)
    if not records.empty and "lang" in records:
        st.badge(language_name(first.get("lang")), icon=":material/translate:", color="gray")  # the language its quotes are in
    st.caption(
        f"{escape_markdown(publisher)} · published {format_date(document.get('published'))} · {escape_markdown(kind)} · "
        f"{len(records)} figure(s) highlighted · file {escape_markdown(document.get('doc') or first.get('doc', ''))}"
    )
    link = safe_link(document.get("url"))
    if link:
        st.link_button("Open the original report", link, icon=":material/open_in_new:")
    if review_ui.reviewer_ui() is not None:  # the Review page exists only for a signed-in reviewer
        st.page_link(
            REVIEW_PAGE.script_path,
            label="Correct this document's details or figures",
            icon=":material/edit:",
            query_params={"doc": doc_id},
        )
    if record_id is not None and not records.empty:
        chosen = records[records["record_id"].astype(str) == record_id]
        if not chosen.empty:
            row = chosen.iloc[0]
            st.markdown(
                f"Selected figure: **{escape_markdown(record_figure(row))}** "
                f"({escape_markdown(indicator_label(str(row['indicator'])))}, {escape_markdown(row['location_label'])}, "
                f"as of {format_date(row['reference_date'])})"
            )
            audit_trail_ui(view, row)
    spans = provenance.spans_from_records(records)
    st.html(provenance.DOCUMENT_CSS + provenance.document_html(document.get("text") or "", spans, selected=record_id))


def audit_trail_ui(view: ui.View, row: pd.Series) -> None:
    """Who reviewed the selected figure, when, and what they changed (the extracted values stay in the store)."""
    status = review.status_label(row.get("review_status"), bool(row.get("corrected")), bool(row.get("manual")))
    history = ui.history_cached(view.url, view.fingerprint, str(row["record_id"]))
    with st.expander(f"Review: {status} · audit trail ({len(history)})", expanded=bool(history)):
        if row.get("manual"):
            st.caption(f"Added by a person ({escape_markdown(row.get('extractor_version'))}), not read by the extractor.")
        if not history:
            st.caption("Not reviewed yet: the figure as the extractor read it.")
            return
        st.dataframe(review.history_table(history), hide_index=True, width="stretch")
        if row.get("corrected"):
            st.caption("Charts, tables and exports show the corrected values; the store keeps the extracted ones.")


def records_ui() -> None:
    view = ui.page_ui(PAGE.title)
    chosen = from_url_ui(view)
    if not view.count:
        ui.no_records_ui()
    else:
        selected = table_ui(view)
        if selected is not None:
            chosen = selected
    extra = {"doc": chosen[0], "record": chosen[1]} if chosen and chosen[1] else ({"doc": chosen[0]} if chosen else {})
    ui.sync_url_ui(view.filters, extra)
    if chosen is None:
        st.info(
            "Select a row (or click a point on a Trends chart) to read its document with every figure highlighted.",
            icon=":material/touch_app:",
        )
        return
    document_ui(view, *chosen)


records_ui()
