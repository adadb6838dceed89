"""Sources: one indicator and location across those who counted (originators), side by side; disagreements flagged.

Figures are compared only within one kind (outcome, measure, status, scope): a part is not a
rival of its total, nor a projection of a count. Disagreements are disagreements.find_disagreements'.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.model import pages
from dashboard.model.analysis import Comparison, record_figure, side_by_side
from dashboard.model.disagreements import Disagreement, Disagreements
from dashboard.model.filters import parse_bounded_number
from dashboard.model.formatting import (
    MEASURE_LABELS,
    document_label,
    emphasized_quote_html,
    escape_html,
    escape_markdown,
    format_date,
    indicator_label,
)
from dashboard.model.origins import kind_label, reported_by
from dashboard.ui import origin_ui, screens_ui, ui

PAGE = pages.PAGE["sources"]
DEFAULT_WINDOW = 7
DEFAULT_THRESHOLD = 5.0
MAX_FLAGS = 10
QUOTE_CSS = """<style>
blockquote.src-quote { border-left: 4px solid #0072B2; margin: 0.25rem 0; padding: 0.25rem 0.75rem; background: #f6f9fc; color: #1a1a1a; }
blockquote.src-quote.high { border-left-color: #D55E00; }
.src-meta { font-size: 0.85rem; color: #444; }
</style>"""
RANGE_HELP = (
    "Lowest lower bound to highest upper bound. + marks an open upper bound; ~ a lower bound that the wording "
    "did not state (about, up to, fewer than), so the true figure may be lower."
)


def _init_ui(key: str, value: object) -> None:
    if key not in st.session_state:
        st.session_state[key] = value


def _choice_ui(
    column: Any, label: str, options: list[str], params: dict[str, str], param: str, key: str, format_func: Callable[[str], str]
) -> str:
    """A selectbox that starts from the URL's `param` when it names an option (an unknown one is
    ignored with a note) and falls back to the first option when its choice disappears."""
    wanted = params.get(param)
    if wanted is not None and wanted not in options and key not in st.session_state:
        st.warning(f"Ignored unknown {param} “{escape_markdown(wanted[:60])}”.")
    _init_ui(key, wanted if wanted in options else options[0])
    if st.session_state[key] not in options:
        st.session_state[key] = options[0]
    return column.selectbox(label, options, key=key, format_func=format_func)


def controls_ui(view: ui.View, pairs: pd.Series) -> tuple[str, str, int, float]:
    """Indicator, location, window and threshold; first taken from the URL, then from the widgets."""
    params = ui.page_params_ui(PAGE.params)
    indicators = [i for i in view.dataset.indicators if i in pairs.index.get_level_values(0)]
    left, middle, right, far = st.columns([2, 2, 1, 1])
    indicator = _choice_ui(left, "Indicator", indicators, params, "compare_indicator", "s_indicator", indicator_label)
    locations = [str(name) for name in pairs[indicator].sort_values(ascending=False, kind="stable").index]
    location = _choice_ui(middle, "Location", locations, params, "compare_location", "s_location", str)
    window, note = parse_bounded_number(params.get("window"), DEFAULT_WINDOW, 0, 3650, "window", integer=True)
    threshold, note2 = parse_bounded_number(params.get("threshold"), DEFAULT_THRESHOLD, 0, 10000, "threshold")
    for text in (note, note2):
        if text and "s_window" not in st.session_state:
            st.warning(text)
    _init_ui("s_window", int(window))
    _init_ui("s_threshold", float(threshold))
    window = right.number_input(
        "Window (days)", min_value=0, max_value=3650, step=1, key="s_window", help="Figures within this many days are compared."
    )
    threshold = far.number_input(
        "Flag above (%)",
        min_value=0.0,
        max_value=10000.0,
        step=1.0,
        format="%.1f",
        key="s_threshold",
        help="Flag figures of different originators (or two of one originator for one day) that differ by more than this.",
    )
    return indicator, location, int(window), float(threshold)


def headline_ui(comparison: Comparison, relays: tuple[str, ...]) -> None:
    latest = comparison.windows.iloc[0]
    first, second, third = st.columns(3)
    first.metric(
        "Conservative figure (latest window)",
        escape_markdown(latest["conservative"]),
        help="The lowest credible figure reported in the window (vague figures left out), as ACLED codes.",
    )
    first.caption(f"{_who(str(latest['conservative source']), relays)} · {escape_markdown(latest['window'])}")
    second.metric(
        "Range across originators",
        escape_markdown(latest["range"]),
        help=RANGE_HELP,
    )
    third.metric(
        "Originators in the window", int(latest["sources"]), help="Who counted the figures, not the outlets relaying them."
    )
    third.caption(escape_markdown(MEASURE_LABELS.get(str(latest["measure"]), str(latest["measure"]))))


def quote_block(record: dict, css: str) -> str:
    quote = emphasized_quote_html(
        str(record.get("quote") or ""), record.get("quote_start"), record.get("char_start"), record.get("char_end"), width=0
    )
    meta = (
        f"{escape_html(record.get('source'))} · {escape_html(format_date(record.get('date')))} · "
        f"{escape_html(record.get('attribution') or 'no attribution')} · {escape_html(document_label(record.get('doc_kind'), record.get('source')))}"
    )
    return f'<blockquote class="src-quote {css}">“{quote}”<div class="src-meta">{meta}</div></blockquote>'


def _who(name: str, relays: tuple[str, ...]) -> str:
    relayed = reported_by(relays)
    return escape_markdown(name) + (f" ({escape_markdown(relayed)})" if relayed else "")


def disagreement_ui(flag: Disagreement) -> None:
    high, low = escape_markdown(record_figure(flag.high)), escape_markdown(record_figure(flag.low))
    with st.container(border=True):
        if flag.same_originator:
            text = (
                f":material/warning: **{escape_markdown(flag.when)}** ({escape_markdown(kind_label(flag.kind))}): "
                f"{escape_markdown(flag.high_by)} states two figures for the same day, **{high}** "
                f"({escape_markdown(reported_by(flag.high_relays))}) and **{low}** ({escape_markdown(reported_by(flag.low_relays))})"
                f" — {flag.ratio:.0%} apart."
            )
        else:
            text = (
                f":material/warning: **{escape_markdown(flag.when)}** ({escape_markdown(kind_label(flag.kind))}): "
                f"{_who(flag.high_by, flag.high_relays)} counts **{high}**, {_who(flag.low_by, flag.low_relays)} **{low}** "
                f"— {flag.ratio:.0%} apart, {flag.days_apart} days between their dates."
            )
        st.markdown(text + (" Their stated bounds overlap, so both may be right." if flag.compatible else ""))
        st.html(QUOTE_CSS + quote_block(flag.high, "high") + quote_block(flag.low, "low"))


def kind_ui(view: ui.View, indicator: str, location: str) -> str:
    """Which kind of figure to compare (outcome, measure, scope, status): the one with the most figures first."""
    kinds = origin_ui.kinds_cached(view.chart_key(indicator, location), indicator, location, view)
    options = [name for name, _ in kinds]
    wanted = ui.page_params_ui(PAGE.params).get("kind")
    if wanted is not None and wanted not in options and "s_kind" not in st.session_state:
        st.warning(f"Ignored kind “{escape_markdown(wanted[:60])}”: no such figures for this indicator and place.")
    _init_ui("s_kind", wanted if wanted in options else options[0])
    if st.session_state["s_kind"] not in options:
        st.session_state["s_kind"] = options[0]
    # Labels carry no count (a browser keeps a label as it was when format_func's output changes,
    # streamlit#13788) and differ (the browser sends the label back; Streamlit takes its first option).
    labels = ui.distinct_labels({name: kind_label(name) for name in options})
    st.caption(" · ".join(f"{labels[name]}: {count:,} figure{'s' if count != 1 else ''}" for name, count in kinds))
    return st.selectbox(
        "Compare figures of one kind",
        options,
        key="s_kind",
        format_func=labels.__getitem__,
        help="Only figures of one outcome, measure, scope (total or part) and status (reported or projected) are compared.",
    )


def disagreements_ui(found: Disagreements, threshold: float) -> None:
    st.subheader(f"Disagreements above {threshold:g}%")
    st.caption(
        "Two originators differing for the same date (within the window), or one originator stating two figures "
        "for one day. One originator's running total rising over time is not a disagreement."
    )
    if not found.flags:
        st.success("No disagreement above the threshold.", icon=":material/check:")
    for flag in found.flags[:MAX_FLAGS]:
        disagreement_ui(flag)
    if found.count > MAX_FLAGS:
        st.caption(f"{found.count - MAX_FLAGS:,} more disagreements not shown (the largest are shown first).")


def sources_ui() -> None:
    view = ui.page_ui(PAGE.title)
    pairs = ui.source_counts_cached(view.key, view)
    if pairs.empty:
        ui.no_records_ui()
        return
    indicator, location, window, threshold = controls_ui(view, pairs)
    kind = kind_ui(view, indicator, location)
    ui.sync_url_ui(
        view.filters,
        {
            "compare_indicator": indicator,
            "compare_location": location,
            "window": str(window),
            "threshold": f"{threshold:g}",
            "kind": kind,
        },
    )
    comparison, found, relays = origin_ui.comparison_cached(
        view.chart_key(indicator, location), indicator, location, kind, window, threshold / 100.0, view
    )
    if comparison.empty:
        st.info("No dated figures for this indicator and location.")
        return
    headline_ui(comparison, relays)
    st.subheader("Side by side, by who counted")
    st.caption(
        f"Figures grouped into windows of {window} days (a window starts at a figure's date); each originator's latest "
        "figure in the window. A figure that names no originator stands under its outlet, marked “source; originator not stated”."
    )
    table = side_by_side(comparison)
    # compare_sources names its columns for sources; here they are originators.
    table = table.rename_columns(["originators" if name == "sources" else name for name in table.column_names])
    st.dataframe(table, hide_index=True, width="stretch")
    disagreements_ui(found, threshold)
    st.plotly_chart(
        ui.trend_cached(view.chart_key(indicator, location), indicator, location, view, dark=screens_ui.dark_theme_ui()),
        key="sources-trend",
        alt=f"{indicator_label(indicator)} in {location} by who counted",
    )
    screens_ui.chart_table_ui(view, indicator, location, key="sources-trend")


sources_ui()
