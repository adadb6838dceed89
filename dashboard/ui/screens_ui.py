"""Streamlit widgets for reading charts on any screen: a chart's data table, the page's light or dark theme."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from dashboard.charts import tables
from dashboard.model.formatting import escape_markdown, indicator_label
from dashboard.ui import ui


def dark_theme_ui() -> bool:
    """Whether the visitor's page is dark (Streamlit infers it from the page's background; unknown counts as light)."""
    try:
        return getattr(st.context.theme, "type", None) == "dark"
    except Exception:  # no session (a bare script run)
        return False


@st.cache_resource(show_spinner=False, max_entries=64)
def chart_table_cached(key: str, indicator: str, location: str, _view: ui.View) -> pd.DataFrame:
    # st.table renders its cells as Markdown: the source names and figures come from documents.
    return escaped_cells(tables.chart_table(ui.cached_chart_records(_view, indicator, location)))


def escaped_cells(table: pd.DataFrame) -> pd.DataFrame:
    """table.map(escape_markdown), each distinct value of a column escaped once (dates, sources and labels recur)."""

    def escaped(column: pd.Series) -> pd.Series:
        codes, values = pd.factorize(column, use_na_sentinel=False)
        made = np.array([escape_markdown(value) for value in values], dtype=object)
        return pd.Series(made[codes] if len(made) else [], index=column.index, dtype=object, name=column.name)

    return pd.DataFrame({name: escaped(table[name]) for name in table.columns}, index=table.index)


def chart_table_ui(view: ui.View, indicator: str, location: str, key: str) -> None:
    """The chart's points as a table, under it: a keyboard or a screen reader cannot read a Plotly chart.

    Closed by default, so the page stays a page of charts; the expander's heading is in the tab order.
    Its table is made when it is opened (a rerun): a filter change does not build the tables nobody opened.
    An HTML table (st.table), not st.dataframe: the latter draws its cells on a canvas, and a screen
    reader found the table's buttons but none of its cells.
    """
    what = f"{indicator_label(indicator)} in {location}"
    expander = st.expander(f"Data table: {escape_markdown(what)}", icon=":material/table:", key=f"{key}-table", on_change="rerun")
    if not expander.open:
        return
    with expander:
        table = chart_table_cached(view.chart_key(indicator, location), indicator, location, view)
        st.caption(
            f"The {len(table):,} figures of the chart of {escape_markdown(what)}, newest first: "
            "the figure as the report gave it, its date, source, who counted it, qualifier and measure."
        )
        st.table(table, hide_index=True, border="horizontal", alt=f"Figures of the chart of {what}")
