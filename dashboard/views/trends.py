"""Trends: one indicator at a time, its figures over their reference date per location, one colour per originator
(who counted), and on demand the daily or weekly changes derived from each originator's running total."""

from __future__ import annotations

import hashlib

import streamlit as st

from dashboard.charts.change_charts import change_figure
from dashboard.charts.charts import MAX_POINTS, SYMBOL_LEGEND, selected_record_ids
from dashboard.model import pages
from dashboard.model.changes import DERIVED, changes_table
from dashboard.model.formatting import escape_html, escape_markdown, indicator_label
from dashboard.ui import exports_ui, origin_ui, screens_ui, ui

CHANGE_OPTIONS = {"figures": "As reported", "daily": "Daily change", "weekly": "Weekly change"}

MAX_LOCATIONS = 3
PAGE = pages.PAGE["trends"]
RECORDS_PAGE = pages.PAGE["records"]


def chart_key(indicator: str, location: str) -> str:
    digest = hashlib.sha1(f"{indicator}|{location}".encode()).hexdigest()[:12]
    return f"trend-{indicator}-{digest}"


def open_point_ui(view: ui.View, record_ids: list[str]) -> None:
    """A clicked point: open its document on the Records page, the figure highlighted."""
    records = view.records[view.records["record_id"].astype(str) == record_ids[0]]
    if records.empty:
        return
    params = dict(view.filters.to_query_params())
    params.update({"doc": str(records.iloc[0]["doc_id"]), "record": record_ids[0]})
    st.switch_page(RECORDS_PAGE.script_path, query_params=params)


def indicator_ui(view: ui.View) -> str:
    """The indicator to chart: from the URL (trend=) on the first run, then from the control."""
    present = {str(indicator) for indicator in view.column("indicator").unique()}  # unique first: no text per row
    indicators = [indicator for indicator in view.dataset.indicators if indicator in present]
    wanted = ui.page_params_ui(PAGE.params).get("trend")
    if "t_indicator" not in st.session_state:
        if wanted is not None and wanted not in indicators:
            st.warning(
                f"Ignored trend “{escape_markdown(wanted[:60])}”: no such indicator among the filtered records.",
                icon=":material/link_off:",
            )
        st.session_state["t_indicator"] = wanted if wanted in indicators else indicators[0]
    if st.session_state["t_indicator"] not in indicators:
        st.session_state["t_indicator"] = indicators[0]
    chosen = st.segmented_control("Indicator", indicators, key="t_indicator", format_func=indicator_label, required=True)
    return chosen or indicators[0]


def change_choice_ui() -> str:
    """Figures, or the changes derived from them: from the URL (show=daily, show=weekly) on the first run."""
    wanted = ui.page_params_ui(PAGE.params).get("show")
    if "t_change" not in st.session_state:
        if wanted is not None and wanted not in CHANGE_OPTIONS:
            st.warning(f"Ignored show “{escape_markdown(wanted[:60])}”: daily, weekly or figures.", icon=":material/link_off:")
        st.session_state["t_change"] = wanted if wanted in CHANGE_OPTIONS else "figures"
    chosen = st.segmented_control(
        "Show",
        list(CHANGE_OPTIONS),
        format_func=CHANGE_OPTIONS.__getitem__,
        key="t_change",
        help="Daily or weekly change derived from each originator's cumulative total; a fall is flagged as a revision.",
    )
    return chosen or "figures"


def changes_ui(view: ui.View, indicator: str, location: str, period: str) -> None:
    """The derived changes under a chart: bars spanning each pair of figures, revisions as crosses, and their table."""
    found = origin_ui.changes_cached(view.chart_key(indicator, location), indicator, location, period, view)
    title = f"{CHANGE_OPTIONS[period]} — {location} ({DERIVED})"
    st.plotly_chart(
        change_figure(found, period, title=escape_html(title)),  # Plotly renders titles as HTML
        key=f"{chart_key(indicator, location)}-{period}",
        alt=f"{CHANGE_OPTIONS[period]} of {indicator_label(indicator)} in {location}, derived from cumulative figures",
    )
    revisions = int(found["revision"].sum()) if not found.empty else 0
    st.caption(
        f"Derived, not reported: the change between two successive cumulative figures of one originator, as a bar over "
        f"their dates, as high as its average per {'day' if period == 'daily' else 'week'}."
        + (
            f" {revisions:,} revision{'s' if revisions != 1 else ''} (a lowered total) marked ✕, not drawn as negative."
            if revisions
            else ""
        )
    )
    with st.expander(f"Data table: {CHANGE_OPTIONS[period].lower()}, derived", icon=":material/table:"):
        st.table(changes_table(found, period).map(escape_markdown), hide_index=True, border="horizontal")


def chart_ui(view: ui.View, indicator: str, location: str, count: int, period: str = "figures") -> None:
    figure = ui.trend_cached(view.chart_key(indicator, location), indicator, location, view, dark=screens_ui.dark_theme_ui())
    # The toolbar's PNG, the downloads and the embed snippet share it; the chart's records are taken only when asked for.
    naming = ui.chart_naming_cached(view.chart_key(indicator, location), indicator, location, view)
    event = st.plotly_chart(
        figure,
        key=chart_key(indicator, location),
        on_select="rerun",
        selection_mode="points",
        config=exports_ui.chart_config_ui(view, indicator, location, naming=naming),
        alt=f"{indicator_label(indicator)} in {location} over time, one colour per originator (who counted)",
    )
    if period != "figures":
        changes_ui(view, indicator, location, period)
    screens_ui.chart_table_ui(view, indicator, location, key=chart_key(indicator, location))
    exports_ui.chart_downloads_ui(view, indicator, location, key=chart_key(indicator, location), naming=naming)
    if count > MAX_POINTS:
        st.caption(f"Showing the latest {MAX_POINTS:,} of {count:,} figures: narrow the dates to see the rest.")
    ids = selected_record_ids(event.selection.points) if event is not None else []
    if ids:
        open_point_ui(view, ids)


def trends_ui() -> None:
    view = ui.page_ui(PAGE.title)
    if not view.count:
        ui.no_records_ui()
        return
    indicator = indicator_ui(view)
    period = change_choice_ui()
    ui.sync_url_ui(view.filters, {"trend": indicator, **({"show": period} if period != "figures" else {})})
    st.caption(
        f"Markers: {SYMBOL_LEGEND}. Capped bars show stated bounds, uncapped stubs open bounds. One colour per originator "
        "(who counted); a figure relayed by several outlets is one point. Lines join one originator's cumulative totals. "
        "Hover a point for its quote and who reported it; click it to open its document."
    )
    # Two columns, not the whole frame, of the filtered records.
    keys = view.columns("indicator", "location_label")
    counts = keys.loc[keys["indicator"] == indicator, "location_label"].value_counts()
    locations = [(str(name), int(count)) for name, count in counts.items() if count > 0]
    for location, count in locations[:MAX_LOCATIONS]:
        chart_ui(view, indicator, location, count, period)
    if len(locations) > MAX_LOCATIONS:
        rest = ", ".join(escape_markdown(name) for name, _ in locations[MAX_LOCATIONS : MAX_LOCATIONS + 5])
        st.caption(f"{len(locations) - MAX_LOCATIONS:,} more locations ({rest}…): choose them in the Location filter.")


trends_ui()
