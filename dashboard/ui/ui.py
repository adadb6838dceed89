"""The thin Streamlit layer shared by app.py and the pages: store, caches, sidebar filters, URL sync.

Caching wraps the pure functions of data.py, analysis.py and charts.py here and nowhere else.
Filters live in the sidebar widgets; on a session's first run the widgets take their values
from the URL (st.query_params); on every run the URL is rewritten from the widgets, so a
copied link reproduces the view.
"""

from __future__ import annotations

import gc
import hashlib
import sys
import threading
from collections import Counter
from collections.abc import Callable

import numpy as np
import pandas as pd
import streamlit as st

from dashboard.charts import charts
from dashboard.exports import file_names
from dashboard.model import analysis, data, frames, live, review, snapshots
from dashboard.model.filters import Filters, filtered_positions, headline_figures, same_query
from dashboard.model.formatting import code_span, escape_markdown
from dashboard.model.periods import empty_period_text, latest_figure_text
from dashboard.ui.filters_ui import NOTES_KEY, current_params, filters_ui, today_ui  # noqa: F401 (app.py calls ui.filters_ui)
from dashboard.ui.view import View

VIEW_KEY = "dashboard_view"


# ---- caches around the pure functions -------------------------------------------------------


@st.cache_resource(show_spinner=False, max_entries=4)
def engine_cached(url: str):
    return data.open_engine(url)


@st.cache_data(ttl=10, show_spinner=False, max_entries=8)
def fingerprint_cached(url: str) -> str:
    return data.store_fingerprint(engine_cached(url))


class LiveStore:
    """The server's one copy of a store's records (model/live.py), and the lock that lets one session refresh it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.copy: live.LiveCopy | None = None


@st.cache_resource(show_spinner=False, max_entries=4)
def live_store_cached(url: str) -> LiveStore:
    return LiveStore()


def live_copy(url: str) -> live.LiveCopy:
    """The store's records as of now: read in full once per server, then only what changed (live.refreshed)."""
    holder = live_store_cached(url)
    with holder.lock:  # one reader at a time; the others wait for its copy rather than read the store too
        engine, folder = engine_cached(url), snapshots.snapshot_dir()
        # Corrections are laid over the extracted values (and rejected records left out) before the
        # records are prepared, so every page, chart and export shows what the reviewers decided.
        previous = holder.copy
        holder.copy = live.read_copy(engine, folder) if previous is None else live.refreshed(previous, engine, folder)
        if previous is None or holder.copy.full_reads != previous.full_reads:
            frames.release_memory()
        return holder.copy


@st.cache_resource(show_spinner="Loading records from the store…", max_entries=1)
def dataset_cached(url: str, fingerprint: str) -> data.Dataset:
    # One entry: the copy of an older store state is let go as soon as no page is drawing from it.
    dataset = live_copy(url).dataset
    freeze_long_lived_objects()
    return dataset


def freeze_long_lived_objects() -> None:
    """Take what the process holds now (the imported modules, the dataset) out of the garbage collector's walks.

    A full collection visits every tracked object, and Streamlit, pandas and plotly leave many:
    its pause would land at random inside a filter change. Frozen objects
    are still freed by reference counting, as a Dataset is when the cache lets it go: it holds
    no reference cycles (a test keeps it so). No collection first: after a load it finds
    nothing to free and would delay the first render.
    """
    gc.freeze()


@st.cache_resource(show_spinner=False, max_entries=2)
def describe_cached(url: str, fingerprint: str, _dataset: data.Dataset) -> str:
    """The sidebar's '70 records from 55 documents, …', counted once per store state rather than on each run."""
    return _dataset.describe()


@st.cache_data(show_spinner=False, max_entries=64)
def history_cached(url: str, fingerprint: str, record_id: str) -> list[dict]:
    """One record's audit trail (cached per store state)."""
    from store.reviews import record_history

    return record_history(engine_cached(url), record_id)


def refresh_store_ui() -> None:
    """After a write: the next run reads the store's new state (other sessions within fingerprint_cached's ttl)."""
    fingerprint_cached.clear()


@st.cache_data(show_spinner=False, max_entries=64)
def document_cached(url: str, fingerprint: str, doc_id: str) -> dict | None:
    return data.read_document(engine_cached(url), doc_id)


@st.cache_resource(show_spinner=False, max_entries=2)
def headlines_cached(url: str, fingerprint: str, _dataset: data.Dataset) -> np.ndarray:
    """filters.headline_figures of the store's records, once per store state (kept with the live copy)."""
    copy = live_store_cached(url).copy
    return copy.headlines if copy is not None and copy.dataset is _dataset else headline_figures(_dataset.records)


TOOLTIP_MEMO_LIMIT = 200_000
"""Tooltips kept per store state; past this many the memo starts afresh (a tooltip is about 600 bytes)."""


@st.cache_resource(show_spinner=False, max_entries=2)
def tooltips_cached(url: str, fingerprint: str) -> dict[str, str]:
    """record_id -> provenance tooltip, filled as charts are drawn (shared by sessions; cleared with the store's state)."""
    return {}


def tooltip_memo(view: View) -> dict[str, str]:
    memo = tooltips_cached(view.url, view.fingerprint)
    if len(memo) > TOOLTIP_MEMO_LIMIT:
        memo.clear()
    return memo


@st.cache_resource(show_spinner=False, max_entries=64)
def chart_records_by_key_cached(key: str, indicator: str, location: str, _view: View) -> pd.DataFrame:
    """The filtered records of one chart (one indicator at one location); callers must not modify it."""
    return _view.take_chart_records(indicator, location)


def cached_chart_records(view: View, indicator: str, location: str) -> pd.DataFrame:
    """The records behind one chart, computed once per chart and filters (see View.chart_key)."""
    return chart_records_by_key_cached(view.chart_key(indicator, location), indicator, location, view)


@st.cache_resource(show_spinner=False, max_entries=64)
def trend_cached(key: str, indicator: str, location: str, _view: View, dark: bool = False) -> object:
    drawn = _view.take_trend_records(indicator, location, charts.MAX_POINTS)  # not every column of every record
    return charts.trend_display(drawn, title=charts.trend_title(indicator, location), tooltips=tooltip_memo(_view), dark=dark)


@st.cache_resource(show_spinner=False, max_entries=64)
def chart_naming_cached(key: str, indicator: str, location: str, _view: View) -> file_names.ChartNaming:
    """The code and latest date that name one chart's files (see View.chart_key)."""
    return _view.chart_naming(indicator, location)


@st.cache_resource(show_spinner=False, max_entries=16)
def source_counts_cached(key: str, _view: View) -> pd.Series:
    """Per (indicator, location) of the dated filtered records, how many sources give figures."""
    keys = _view.columns("date", "indicator", "location_label", "source")  # four columns, not all 41
    dated = keys.loc[keys["date"].notna(), ["indicator", "location_label", "source"]]
    counts = dated.groupby(["indicator", "location_label"], observed=True)["source"].nunique()
    return counts[counts > 0]


@st.cache_resource(show_spinner=False, max_entries=32)
def comparison_cached(key: str, indicator: str, location: str, window: int, threshold: float, _view: View) -> analysis.Comparison:
    subset = cached_chart_records(_view, indicator, location)
    return analysis.compare_sources(subset, window_days=window, threshold=threshold)


# ---- store ----------------------------------------------------------------------------------


def build_store_ui(choice: data.StoreChoice) -> None:
    """Build the default store from data/corpus/, showing progress."""
    with st.status("Building the store from the sample corpus (first start)…", expanded=True) as status:
        bar = st.progress(0.0, text="Reading the briefs…")

        def progress(done: int, total: int, item: str) -> None:
            name = escape_markdown(str(item).rsplit("/", 1)[-1])
            bar.progress(min(done / max(total, 1), 1.0), text=f"{done} of {total} documents · {name}")

        try:
            data.build_default_store(progress)
        except Exception as error:  # the message is shown; the app stops below
            status.update(label="Could not build the store", state="error")
            st.error(f"Building the store failed: {escape_markdown(error)}")
            st.stop()
        status.update(label="Store built from the sample corpus", state="complete", expanded=False)


def store_ui() -> tuple[str, str, data.Dataset]:
    """Open the chosen store (building the default one when missing); stop with a message on failure."""
    choice = data.choose_store(sys.argv)
    if data.store_needs_building(choice):
        build_store_ui(choice)
    try:
        engine_cached(choice.url)
    except data.StoreUnavailable as error:
        st.error(escape_markdown(error))
        st.info("Choose a store with `streamlit run dashboard/app.py -- --db URL` or the DATABASE_URL environment variable.")
        st.stop()
    fingerprint = fingerprint_cached(choice.url)
    try:
        dataset = dataset_cached(choice.url, fingerprint)
    except data.StoreUnavailable as error:
        st.error(escape_markdown(error))
        st.stop()
    return choice.url, fingerprint, dataset


def empty_store_ui(url: str) -> None:
    from store import display_url

    st.title("Humanitarian indicators")
    st.info(
        f"The store {code_span(display_url(url))} has no records yet. Ingest reports with "
        "`python -m store ingest data/corpus` (or any folder of reports), then reload this page."
    )


# ---- filters and the URL --------------------------------------------------------------------


def sync_url_ui(filters: Filters, extra: dict[str, str] | None = None) -> None:
    """Rewrite the query string from the filters (plus page parameters such as doc=)."""
    wanted: dict[str, str | list[str]] = dict(filters.to_query_params())
    wanted.update(extra or {})
    current = current_params()
    if not same_query(current, wanted, set(current) | set(wanted)):
        st.query_params.from_dict(wanted)


def distinct_labels(labels: dict[str, str], tag: Callable[[str], str] = str) -> dict[str, str]:
    """Picker labels made distinct: a label that two options share gets its option's tag (its key) appended.

    The browser sends a selectbox's label back and Streamlit takes the first option that has it, so
    two options with one label could not both be chosen.

    >>> distinct_labels({"a1": "Report · AP", "b2": "Report · AP", "c3": "Brief · AP"})
    {'a1': 'Report · AP (a1)', 'b2': 'Report · AP (b2)', 'c3': 'Brief · AP'}
    """
    repeated = {label for label, count in Counter(labels.values()).items() if count > 1}
    return {key: f"{label} ({tag(key)})" if label in repeated else label for key, label in labels.items()}


def page_params_ui(names: tuple[str, ...]) -> dict[str, str]:
    """The page parameters (such as doc, record) of the current URL, last value each."""
    return {name: st.query_params.get_all(name)[-1] for name in names if st.query_params.get_all(name)}


def notes_ui() -> None:
    for note in st.session_state.get(NOTES_KEY, []):
        st.warning(note, icon=":material/link_off:")


def set_view_ui(view: View) -> None:
    st.session_state[VIEW_KEY] = view


def view_ui() -> View:
    """The current run's view (set by app.py before the page runs)."""
    view = st.session_state.get(VIEW_KEY)
    if view is None:
        st.error("Open the dashboard with `streamlit run dashboard/app.py`.")
        st.stop()
    return view


def make_view(url: str, fingerprint: str, dataset: data.Dataset, filters: Filters) -> View:
    # repr: every field, the dates a period preset resolved to included (the URL has the preset only).
    return View(url, fingerprint, dataset, filters, positions_cached(url, fingerprint, repr(filters), dataset, filters))


@st.cache_resource(show_spinner=False, max_entries=8)
def positions_cached(url: str, fingerprint: str, chosen: str, _dataset: data.Dataset, _filters: Filters) -> np.ndarray | None:
    """filtered_positions, once per store state and filters (`chosen`, their repr): every rerun of a page (a click,
    an expander opened) and every page visited with the same filters uses them; at most 8 sets, a few MB each."""
    headlines = None if _filters.parts else headlines_cached(url, fingerprint, _dataset)
    positions = filtered_positions(_dataset.records, _filters, headlines)
    if positions is not None:
        positions.setflags(write=False)  # shared by sessions
    return positions


def rows_key(view: View) -> str:
    """A cache key for computations on the records a view keeps, whatever filters kept them."""
    return f"{view.url}|{view.fingerprint}|{rows_digest_cached(view.url, view.fingerprint, repr(view.filters), view.rows)}"


@st.cache_resource(show_spinner=False, max_entries=8)
def rows_digest_cached(url: str, fingerprint: str, chosen: str, _rows: np.ndarray | None) -> str:
    """A digest of a view's positions, once per store state and filters (as positions_cached): two filters that keep
    the same records have the same one."""
    return "all" if _rows is None else hashlib.blake2b(_rows.tobytes(), digest_size=16).hexdigest()


def caption_ui(view: View) -> None:
    shown = view.count
    # With only reviewed figures shown, the filters' description says so.
    scope = "" if view.filters.reviewed_only else " · " + review.review_scope(False, view.columns("review_status"))
    st.caption(f"{shown:,} of {len(view.dataset.records):,} records · {view.filters.describe()}{scope}")


def no_records_ui() -> None:
    filters = view_ui().filters
    if filters.date_from or filters.date_to:  # an empty period is an answer, not an error
        st.info(
            f"{empty_period_text(filters.date_from, filters.date_to)} Choose a longer period or widen the other "
            "filters in the sidebar, or press **Clear filters**."
        )
        return
    st.info("No records match the filters. Widen them in the sidebar, or press **Clear filters**.")


def page_ui(title: str) -> View:
    """The head every page shares: its title, the notes about ignored URL values, and what is shown."""
    view = view_ui()
    st.title(title)
    st.markdown(f"**{latest_figure_text(view.dataset.last_date, today_ui())}**")
    notes_ui()
    caption_ui(view)
    return view
