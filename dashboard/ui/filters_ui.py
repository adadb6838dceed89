"""The sidebar's filter widgets, and their first values from the URL (a shared link's filters)."""

from __future__ import annotations

import os
from datetime import date

import streamlit as st

from dashboard.model import data
from dashboard.model.filters import FilterChoices, Filters, clean_search, from_query_params
from dashboard.model.formatting import indicator_label
from dashboard.model.languages import language_name
from dashboard.model.periods import EARLIEST_DAY, PRESETS, SHORT_LABELS, period_dates, today_of
from dashboard.model.places import searchable_label
from extractors.record import STATUSES

READY_KEY = "dashboard_filters_ready"
NOTES_KEY = "dashboard_url_notes"
WIDGETS = {
    "indicators": "f_indicator",
    "locations": "f_location",
    "sources": "f_source",
    "measures": "f_measure",
    "statuses": "f_status",
    "languages": "f_lang",
}
KEEP = {"persist_state": "session"}
"""For the sidebar filters. st.switch_page (a clicked chart point, "Review these figures") ends the run
without the browser's widget list, so Streamlit took every widget as gone and dropped its value:
the search and the dates were lost, and an empty date box came back as the newest date in the data."""


def current_params() -> dict[str, list[str]]:
    return {name: st.query_params.get_all(name) for name in st.query_params}


def init_filters_from_url_ui(dataset: data.Dataset) -> None:
    """On a session's first run: widget values from the URL, notes for what was ignored."""
    filters, notes = from_query_params(current_params(), FilterChoices.of(dataset), today_ui())
    for attribute, key in WIDGETS.items():
        st.session_state[key] = list(getattr(filters, attribute))
    st.session_state["f_from"] = filters.date_from
    st.session_state["f_to"] = filters.date_to
    st.session_state["f_period"] = filters.period or None
    st.session_state["f_q"] = filters.search
    st.session_state["f_reviewed"] = filters.reviewed_only
    st.session_state["f_parts"] = filters.parts
    st.session_state[NOTES_KEY] = notes
    st.session_state[READY_KEY] = True


def clear_filters_ui() -> None:
    for key in WIDGETS.values():
        st.session_state[key] = []
    st.session_state["f_from"] = None
    st.session_state["f_to"] = None
    st.session_state["f_period"] = None
    st.session_state["f_q"] = ""
    st.session_state["f_reviewed"] = False
    st.session_state["f_parts"] = False
    st.session_state[NOTES_KEY] = []


def today_ui() -> date:
    """Today, or HID_TODAY's date (dashboard.model.periods)."""
    return today_of(os.environ)


def _date_bounds(dataset: data.Dataset, *chosen: date | None) -> tuple[date, date]:
    """Any day from EARLIEST_DAY (or an older figure's) up to today (or a later figure's) may be asked for."""
    days = [d for d in (dataset.first_date, dataset.last_date, *chosen) if d is not None]
    return min([EARLIEST_DAY, *days]), max([today_ui(), *days])


def _period_chosen_ui() -> None:
    """A preset sets the date boxes to its days."""
    preset = st.session_state.get("f_period")
    if preset:
        st.session_state["f_from"], st.session_state["f_to"] = period_dates(preset, today_ui())


def _dates_typed_ui() -> None:
    """A date typed in a box is no longer the preset's."""
    st.session_state["f_period"] = None


def filters_ui(dataset: data.Dataset) -> Filters:
    """The sidebar filter widgets; returns the Filters they describe."""
    if not st.session_state.get(READY_KEY):
        init_filters_from_url_ui(dataset)
    options = {
        "indicators": dataset.indicators,
        "locations": dataset.locations,
        "sources": dataset.sources,
        "measures": dataset.measures,
        "statuses": STATUSES,
        "languages": dataset.languages,
    }
    for attribute, key in WIDGETS.items():  # the store may have changed since the values were chosen
        st.session_state[key] = [value for value in st.session_state.get(key, []) if value in options[attribute]]
    sidebar = st.sidebar
    sidebar.header("Filters")
    sidebar.multiselect(
        "Indicator", dataset.indicators, key="f_indicator", format_func=indicator_label, placeholder="All indicators", **KEEP
    )
    sidebar.multiselect(
        "Location", dataset.locations, key="f_location", format_func=searchable_label, placeholder="All locations", **KEEP
    )
    sidebar.multiselect("Source", dataset.sources, key="f_source", placeholder="All sources", **KEEP)
    sidebar.multiselect("Measure", dataset.measures, key="f_measure", placeholder="All measures", **KEEP)
    sidebar.multiselect("Status", STATUSES, key="f_status", placeholder="Reported and projected", **KEEP)
    sidebar.multiselect(
        "Language", dataset.languages, key="f_lang", format_func=language_name, placeholder="All languages", **KEEP
    )
    low, high = _date_bounds(dataset, st.session_state.get("f_from"), st.session_state.get("f_to"))
    sidebar.segmented_control(
        "Period (last…)", list(PRESETS), format_func=SHORT_LABELS.get, key="f_period", on_change=_period_chosen_ui, **KEEP
    )
    left, right = sidebar.columns(2)
    # value=None: a date box whose state was lost is empty, never "today" clamped to the newest date.
    dates = {"value": None, "min_value": low, "max_value": high, "format": "YYYY-MM-DD", "on_change": _dates_typed_ui}
    left.date_input("From", key="f_from", **dates, **KEEP)
    right.date_input("To", key="f_to", **dates, **KEEP)
    sidebar.text_input("Search quotes, sources, places", key="f_q", max_chars=200, placeholder="e.g. ministry of health", **KEEP)
    sidebar.checkbox(
        "Reviewed figures only",
        key="f_reviewed",
        **KEEP,
        help="Only figures a reviewer accepted or corrected. Rejected figures are never shown; corrected ones show the corrected values.",
    )
    sidebar.checkbox(
        "Include parts (subgroups, sub-areas, single incidents)",
        key="f_parts",
        **KEEP,
        help="Off: each document's headline figures only, the totals an analyst would cite. On: also the parts of a "
        "toll (children, a province, one incident or day) and the figures a document gives beside its headline.",
    )
    sidebar.button("Clear filters", on_click=clear_filters_ui, width="stretch")
    state = st.session_state
    return Filters(
        indicators=tuple(state["f_indicator"]),
        locations=tuple(state["f_location"]),
        sources=tuple(state["f_source"]),
        measures=tuple(state["f_measure"]),
        date_from=state.get("f_from"),
        date_to=state.get("f_to"),
        search=clean_search(state.get("f_q") or ""),
        reviewed_only=bool(state.get("f_reviewed")),
        statuses=tuple(state["f_status"]),
        parts=bool(state.get("f_parts")),
        period=state.get("f_period") or "",
        languages=tuple(state["f_lang"]),
    )
