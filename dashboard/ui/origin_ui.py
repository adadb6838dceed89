"""Caches around the by-originator computations of the Sources and Trends pages (disagreements, derived changes)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.model import analysis, changes, disagreements
from dashboard.ui import ui


@st.cache_resource(show_spinner=False, max_entries=32)
def kinds_cached(key: str, indicator: str, location: str, _view: ui.View) -> list[tuple[str, int]]:
    """The kinds (outcome, measure, status, scope) of one chart's dated records, the most figures first."""
    return disagreements.kinds_of(ui.cached_chart_records(_view, indicator, location))


@st.cache_resource(show_spinner=False, max_entries=32)
def comparison_cached(
    key: str, indicator: str, location: str, kind: str, window: int, threshold: float, _view: ui.View
) -> tuple[analysis.Comparison, disagreements.Disagreements, tuple[str, ...]]:
    """Side by side per originator, the disagreements, and the outlets of the latest conservative figure,
    of one kind of one chart's records."""
    subset = disagreements.of_kind(ui.cached_chart_records(_view, indicator, location), kind)
    comparison = analysis.compare_sources(disagreements.by_originator(subset), window_days=window, threshold=threshold)
    found = disagreements.find_disagreements(subset, window_days=window, threshold=threshold)
    if comparison.empty:
        return comparison, found, ()
    latest = comparison.windows.iloc[0]
    return comparison, found, disagreements.relays_of(subset, str(latest["conservative source"]), str(latest["conservative"]))


@st.cache_resource(show_spinner=False, max_entries=32)
def changes_cached(key: str, indicator: str, location: str, period: str, _view: ui.View) -> pd.DataFrame:
    """The derived changes of one chart's cumulative running totals (changes.series_changes)."""
    return changes.series_changes(ui.cached_chart_records(_view, indicator, location), period)
