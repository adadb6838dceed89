"""Review figures: accept, reject or correct each record of a document, add a figure the extractor missed
by selecting its text, and read each record's audit trail.

Only for a signed-in reviewer: every action checks the sign-in again before it writes. A
correction never overwrites the extracted record: the store keeps the original and the
correction (store.reviews).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from dashboard.model import data, pages, provenance, review
from dashboard.model.analysis import record_figure
from dashboard.model.formatting import (
    MEASURE_LABELS,
    escape_markdown,
    format_date,
    indicator_label,
    parse_iso_date,
)
from dashboard.ui import document_review_ui, review_ui, textselect_ui, ui
from extractors.record import INDICATORS, MEASURES, QUALIFIERS
from store import reviews

PAGE = pages.PAGE["review"]
SHOWN_DOC_KEY = "r_doc_in_url"
DEFAULT_MEASURE = {"famine_exposure": "snapshot", "food_insecurity": "snapshot"}


def confirmation(row: pd.Series, written: dict[str, Any]) -> str:
    """What the reviewer is told after an action: the figure by its value, indicator, place and date (a
    record id means nothing to a person), and what changed."""
    action = str(written.get("action"))
    changes = review.change_text(written.get("old_values"), written.get("new_values")) if action == "correct" else ""
    note = " (note saved; the figure is unchanged)" if action == "note" else ""
    still = (
        " It counts as unreviewed until another reviewer accepts it."
        if row.get("manual") and written.get("status") == "unreviewed" and action != "note"
        else ""
    )
    return (
        f"{review.ACTION_LABELS.get(action, action)}: {review.figure_name(row)}{f' ({changes})' if changes else ''}{note}.{still}"
    )


def act_ui(row: pd.Series, action: str, **options: Any) -> None:
    """Write one review (the sign-in checked again first); a refusal is shown, success reruns the app."""
    reviewer = review_ui.require_reviewer_ui()
    engine = ui.engine_cached(ui.view_ui().url)
    try:
        if "changes" in options:
            options["changes"] = review.form_changes(row, options["changes"])
        written = reviews.review_record(engine, str(row["record_id"]), action, reviewer.name, **options)
    except reviews.ReviewRefused as error:
        review_ui.refused_ui(error)
        return
    review_ui.saved_ui(confirmation(row, written))


def own_figure(row: pd.Series) -> bool:
    """Whether the signed-in reviewer added this figure by hand (then another reviewer must accept it)."""
    reviewer = review_ui.reviewer_ui()
    version = str(row.get("extractor_version") or "")
    return (
        bool(row.get("manual"))
        and reviewer is not None
        and version.removeprefix("manual:").casefold() == reviewer.name[:33].casefold()
    )


def choose_document_ui(engine: Any) -> str | None:
    documents = reviews.recent_documents(engine)
    if not documents:
        st.info("No documents in the store yet: add one on the **Add documents** page.", icon=":material/note_add:")
        return None
    by_id = {document["doc_id"]: document for document in documents}
    wanted = ui.page_params_ui(PAGE.params).get("doc")
    # The URL wins only when it names another document than the one this page last put there (a link,
    # "Review these figures"): compared with the doc it was opened with, the first choice in the
    # picker was undone, since the URL still held the document shown before it.
    if "r_doc" not in st.session_state or (wanted in by_id and st.session_state.get(SHOWN_DOC_KEY) != wanted):
        st.session_state["r_doc"] = wanted if wanted in by_id else documents[0]["doc_id"]
    if st.session_state["r_doc"] not in by_id:
        st.session_state["r_doc"] = documents[0]["doc_id"]

    # The label holds nothing a review changes: Streamlit's browser picker keeps showing a label
    # as it was when format_func's output changes under an unchanged value (streamlit#13788), so
    # the progress is a caption under the picker.
    labels = ui.distinct_labels(
        {doc_id: f"{document['title'] or document['doc']} · {document['source']}" for doc_id, document in by_id.items()},
        tag=lambda doc_id: doc_id[:8],
    )

    doc_id = st.selectbox("Document", list(by_id), key="r_doc", format_func=labels.__getitem__, help="Latest added first")
    chosen = by_id[doc_id]
    st.caption(f"{chosen['reviewed']} of {chosen['figures']} figures reviewed")
    st.session_state[SHOWN_DOC_KEY] = doc_id
    ui.sync_url_ui(ui.view_ui().filters, {"doc": doc_id})
    return doc_id


def record_card_ui(row: pd.Series) -> None:
    record_id = str(row["record_id"])
    status = review.status_label(row["review_status"], bool(row["corrected"]), bool(row["manual"]))
    with st.container(border=True, key=f"card-{record_id}"):
        st.markdown(
            f"**{escape_markdown(record_figure(row))}** · {escape_markdown(indicator_label(str(row['indicator'])))} · "
            f"{escape_markdown(row['location'] or 'no location')} · as of {format_date(row['reference_date'])} · "
            f"{escape_markdown(MEASURE_LABELS.get(str(row['measure']), str(row['measure'])))} · _{escape_markdown(status)}_"
        )
        st.caption(f"“{escape_markdown(row['quote'])}”")
        if row["manual"]:
            st.caption(escape_markdown(review.added_by_hand(row.get("extractor_version")) or "Added by hand"))
        accept, reject, _ = st.columns([1, 1, 4])
        mine = own_figure(row)
        if accept.button(
            "Accept",
            key=f"accept-{record_id}",
            icon=":material/check:",
            disabled=row["review_status"] == "accepted" or mine,
            help="You added this figure: another reviewer must accept it." if mine else None,
        ):
            act_ui(row, "accept")
        if reject.button(
            "Reject", key=f"reject-{record_id}", icon=":material/close:", disabled=row["review_status"] == "rejected"
        ):
            act_ui(row, "reject")
        with st.expander("Correct, or see the audit trail"):
            correction_form_ui(row)
            history = reviews.record_history(ui.engine_cached(ui.view_ui().url), record_id)
            if history:
                st.dataframe(review.history_table(history), hide_index=True, width="stretch")
            else:
                st.caption("No review yet: this is the figure as the extractor read it.")


def correction_form_ui(row: pd.Series) -> None:
    record_id = str(row["record_id"])
    with st.form(f"correct-{record_id}", border=False):
        first, second, third = st.columns(3)
        value = first.text_input("Value", review.form_text(row["value"]), key=f"c-value-{record_id}")
        low = second.text_input("Lower bound (empty: open)", review.form_text(row["low"]), key=f"c-low-{record_id}")
        high = third.text_input("Upper bound (empty: open)", review.form_text(row["high"]), key=f"c-high-{record_id}")
        qualifier = first.selectbox("Qualifier", QUALIFIERS, index=QUALIFIERS.index(row["qualifier"]), key=f"c-q-{record_id}")
        indicator = second.selectbox(
            "Indicator", INDICATORS, index=INDICATORS.index(row["indicator"]), key=f"c-i-{record_id}", format_func=indicator_label
        )
        measure = third.selectbox("Measure", MEASURES, index=MEASURES.index(row["measure"]), key=f"c-m-{record_id}")
        day = first.date_input("Date", parse_iso_date(row["reference_date"]), key=f"c-d-{record_id}", format="YYYY-MM-DD")
        location = second.text_input("Location", row["location"] or "", key=f"c-l-{record_id}", max_chars=100)
        note = third.text_input("Note (alone: a note, the figure unchanged)", key=f"c-n-{record_id}", max_chars=1000)
        submitted = st.form_submit_button("Save correction", icon=":material/edit:")
    if submitted:
        changes = {
            "value": value,
            "low": low,
            "high": high,
            "qualifier": qualifier,
            "indicator": indicator,
            "measure": measure,
            "reference_date": day,
            "location": location,
        }
        act_ui(row, "correct", changes=changes, note=note)


def chosen_span_ui(text: str, selection: tuple[int, int] | None, doc_id: str) -> tuple[int, int] | None:
    """The span to add: the mouse selection in the text, else the words typed (and which occurrence)."""
    if selection is not None:
        start, end = selection
        st.markdown(f"Selected: **{escape_markdown(text[start:end])}** (characters {start}–{end})")
        return selection
    typed = st.text_input(
        "Select the figure in the text, or type it as written", key=f"typed-{doc_id}", max_chars=80, placeholder="e.g. 812"
    )
    places = review.find_occurrences(text, typed)
    if typed.strip() and not places:
        st.warning("These words are not in the document; type them exactly as written.")
        return None
    if len(places) > 1:
        index = st.selectbox(
            "Which one?", range(len(places)), key=f"which-{doc_id}", format_func=lambda i: review.context_text(text, *places[i])
        )
        return places[index]
    return places[0] if places else None


def add_figure_ui(doc_id: str, document: dict, records: pd.DataFrame, selection: tuple[int, int] | None) -> None:
    st.markdown("**Add a figure the extractor missed**")
    text = document.get("text") or ""
    span = chosen_span_ui(text, selection, doc_id)
    if span is None:
        return
    start, end = span
    guess = review.suggest_figure(text, start, end)
    indicator_default = review.most_common(records["indicator"], "deaths") if not records.empty else "deaths"
    location_default = review.most_common(records["location"], "") if not records.empty else ""
    with st.form(f"add-{doc_id}-{start}-{end}", border=True):
        st.caption(escape_markdown(review.context_text(text, start, end)))
        indicator = st.selectbox(
            "Indicator", INDICATORS, index=INDICATORS.index(indicator_default), format_func=indicator_label, key="a-indicator"
        )
        first, second, third = st.columns(3)
        value = first.text_input("Value", review.form_text(guess["value"]), key="a-value")
        low = second.text_input("Lower bound", review.form_text(guess["low"]), key="a-low")
        high = third.text_input("Upper bound", review.form_text(guess["high"]), key="a-high")
        qualifier = first.selectbox("Qualifier", QUALIFIERS, index=QUALIFIERS.index(guess["qualifier"]), key="a-qualifier")
        measure = second.selectbox(
            "Measure", MEASURES, index=MEASURES.index(DEFAULT_MEASURE.get(indicator_default, "cumulative")), key="a-measure"
        )
        day = third.date_input("Date", parse_iso_date(document.get("published")), key="a-date", format="YYYY-MM-DD")
        location = st.text_input("Location", location_default, key="a-location", max_chars=100)
        note = st.text_input("Note (optional)", key="a-note", max_chars=1000)
        submitted = st.form_submit_button("Add figure", type="primary", icon=":material/add:")
    if not submitted:
        return
    reviewer = review_ui.require_reviewer_ui()
    try:
        figure = review.with_implied_bounds(
            reviews.normalize_changes({"value": value, "low": low, "high": high, "qualifier": qualifier})
        )
        value, low, high = figure["value"], figure["low"], figure["high"]
        record = reviews.add_figure(
            ui.engine_cached(ui.view_ui().url), doc_id, start, end, reviewer.name, indicator=indicator, value=value, low=low,
            high=high, qualifier=qualifier, measure=measure, reference_date=day, location=location, note=note,
        )  # fmt: skip
    except reviews.ReviewRefused as error:
        review_ui.refused_ui(error)
        return
    review_ui.saved_ui(f"Added by hand: {review.figure_name(record)}. It counts as unreviewed until another reviewer accepts it.")


def review_page_ui() -> None:
    review_ui.require_reviewer_ui()
    st.title(PAGE.title)
    review_ui.show_flash_ui()
    st.caption(
        "Accept, reject or correct each figure; corrections keep the original in the store. Charts and exports leave out "
        "rejected figures, show corrected values, and can be limited to reviewed figures (sidebar)."
    )
    view = ui.view_ui()
    engine = ui.engine_cached(view.url)
    doc_id = choose_document_ui(engine)
    if doc_id is None:
        return
    document = data.read_document(engine, doc_id)
    if document is None:
        st.warning("This document is not in the store any more.")
        return
    document_review_ui.document_details_ui(doc_id, document)
    raw = reviews.document_records(engine, doc_id)
    records = review.overlay_reviews(raw, reviews.corrections(engine), keep_rejected=True)
    done = int(review.reviewed_mask(records).sum())
    st.caption(f"{done} of {len(records)} figures reviewed · {int((records['review_status'] == 'rejected').sum())} rejected")
    css = {
        str(row.record_id): ("rejected" if row.review_status == "rejected" else "reviewed" if row.review_status in review.REVIEWED_STATUSES else "")
        for row in records.itertuples()
    }  # fmt: skip
    left, right = st.columns([3, 2])
    with left:
        spans = provenance.spans_from_records(records)  # the spans as read, labelled with the corrected figures
        selection = textselect_ui.document_selector_ui(document.get("text") or "", spans, css, key=f"select-{doc_id[:16]}")
    with right:
        add_figure_ui(doc_id, document, records, selection)
    st.subheader("Figures")
    if records.empty:
        st.info("The extractor found no figure here. Select one in the text to add it.")
    for _, row in records.iterrows():
        record_card_ui(row)


review_page_ui()
