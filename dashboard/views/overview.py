"""Overview: per indicator, a headline tile per location with the latest figure."""

from __future__ import annotations

import streamlit as st

from dashboard import ui
from dashboard.analysis import Tile, location_count
from dashboard.formatting import MEASURE_LABELS, escape_markdown, format_signed, indicator_label

COLUMNS = 3
# A figure with its qualifier ("at least 57,575") must fit a tile: a smaller value font than st.metric's,
# and in a narrow tile the words wrap: st.metric cuts a long value with an ellipsis, which left
# "at lea…" and no number at all in a 900-pixel window (and "since 3 May 2025, same source" cut too).
TILE_CSS = (
    "<style>[data-testid='stMetricValue'] { font-size: 1.9rem; }"
    " [data-testid='stMetricValue'], [data-testid='stMetricValue'] *,"
    " [data-testid='stMetricDeltaDescription'], [data-testid='stMetricDeltaDescription'] * {"
    " white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }</style>"
)
MAX_LOCATIONS = 6


def tile_help(tile: Tile) -> str:
    latest = tile.latest
    quote = escape_markdown(latest.get("quote") or "")
    attribution = escape_markdown(latest.get("attribution") or "none stated")
    trend = (
        "Trend line: every source's figures of this measure, by date."
        if tile.trend
        else "Too few dated figures for a trend line."
    )
    return f"“{quote}”\n\nAttribution: {attribution}. {trend}"


def tile_ui(tile: Tile) -> None:
    latest = tile.latest
    measure = str(latest.get("measure", ""))
    if tile.delta is None:
        delta, description = None, "no earlier figure from this source"
    else:
        delta = format_signed(tile.delta) if tile.delta else 0
        description = f"since {tile.previous_date}, same source"
    st.metric(
        label=escape_markdown(tile.location),
        value=escape_markdown(tile.figure),
        delta=delta,
        delta_color="inverse",
        delta_description=description,
        chart_data=list(tile.trend) or None,
        border=True,
        help=tile_help(tile),
    )
    st.caption(f"{escape_markdown(tile.source)} · {tile.date_text} · {escape_markdown(MEASURE_LABELS.get(measure, measure))}")


def overview_ui() -> None:
    view = ui.page_ui("Overview")
    if view.records.empty:
        ui.no_records_ui()
        return
    st.caption(
        "Each tile: the latest figure for a location, its source and date; the change since that source's previous figure."
    )
    tiles = ui.tiles_cached(view.key, view.records, MAX_LOCATIONS)
    st.html(TILE_CSS)
    for indicator in view.dataset.indicators:
        if indicator not in tiles or not tiles[indicator]:
            continue
        st.subheader(indicator_label(indicator))
        columns = st.columns(COLUMNS)
        for index, tile in enumerate(tiles[indicator]):
            with columns[index % COLUMNS]:
                tile_ui(tile)
        hidden = location_count(view.records, indicator) - len(tiles[indicator])
        if hidden > 0:
            st.caption(f"{hidden:,} more locations with fewer figures: choose them in the Location filter.")


overview_ui()
