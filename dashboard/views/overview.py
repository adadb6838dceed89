"""Overview: per indicator, a card per location and kind of figure (killed, kidnapped; a stock, a flow) with its latest figure."""

from __future__ import annotations

import streamlit as st

from dashboard.model import pages
from dashboard.model.cards import Card
from dashboard.model.formatting import MEASURE_LABELS, escape_markdown, format_signed, indicator_label
from dashboard.ui import cards_ui, ui

COLUMNS = 3
# A figure with its qualifier ("at least 57,575") must fit a tile: a smaller value font than st.metric's,
# and in a narrow tile the words wrap: st.metric cuts a long value with an ellipsis, which left
# "at lea…" and no number at all in a 900-pixel window (and "since 3 May 2025, same source" cut too).
# The label wraps too: it says the card's kind, and "Sudan · facing famine, projected to S…" hid the horizon.
TILE_CSS = (
    "<style>[data-testid='stMetricValue'] { font-size: 1.9rem; }"
    " [data-testid='stMetricValue'], [data-testid='stMetricValue'] *,"
    " [data-testid='stMetricLabel'], [data-testid='stMetricLabel'] *,"
    " [data-testid='stMetricDeltaDescription'], [data-testid='stMetricDeltaDescription'] * {"
    " white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }</style>"
)
MAX_LOCATIONS = 6
MAX_KINDS = 4  # cards per location; the kinds left out are named under the cards


def tile_help(tile: Card) -> str:
    latest = tile.latest
    quote = escape_markdown(latest.get("quote") or "")
    attribution = escape_markdown(latest.get("attribution") or "none stated")
    trend = (
        "Trend line: every originator's figures of this kind, by date."
        if tile.trend
        else "Too few dated figures for a trend line."
    )
    return f"“{quote}”\n\nAttribution: {attribution}. {trend}"


def tile_ui(tile: Card) -> None:
    latest = tile.latest
    measure = str(latest.get("measure", ""))
    if tile.delta is None:
        delta, description = None, f"no earlier figure {'by this originator' if tile.originator else 'from this source'}"
    else:
        delta = format_signed(tile.delta) if tile.delta else 0
        description = f"since {tile.previous_date}, same {'originator' if tile.originator else 'source'} and kind"
    st.metric(
        label=escape_markdown(f"{tile.location} · {tile.kind_text}"),
        value=escape_markdown(tile.figure),
        delta=delta,
        delta_color="inverse",
        delta_description=description,
        chart_data=list(tile.trend) or None,
        border=True,
        help=tile_help(tile),
    )
    # A projection's date is its horizon, not the day it was counted.
    measured = "projected for that date" if tile.kind.status == "projected" else MEASURE_LABELS.get(measure, measure)
    counted = f"Counted by {tile.originator}, reported by {tile.source}" if tile.originator else tile.source
    st.caption(f"{escape_markdown(counted)} · {tile.date_text} · {escape_markdown(measured)}")


def overview_ui() -> None:
    view = ui.page_ui(pages.PAGE["overview"].title)
    if not view.count:
        ui.no_records_ui()
        return
    st.caption(
        "Each card: the latest figure of one kind (killed, kidnapped; displaced at a date, over a period; projected) "
        "at a location, who counted it, its source and date; the change since the previous figure of the same kind "
        "by the same originator (or source, where none is stated)."
        + (
            ""
            if view.filters.parts
            else " Headline figures only: tick **Include parts** in the sidebar for subgroups, sub-areas and single incidents."
        )
    )
    # Made once per view from the store's card codes, the latest figures' rows whole (cards_ui.tiles_cached).
    # Keyed by the records kept, not the filters: a search that keeps every headline figure finds the default's cards.
    tiles = cards_ui.tiles_cached(ui.rows_key(view), view, MAX_LOCATIONS, MAX_KINDS)
    st.html(TILE_CSS)
    counts = cards_ui.location_counts(view)
    for indicator in view.dataset.indicators:
        if indicator not in tiles or not tiles[indicator]:
            continue
        st.subheader(indicator_label(indicator))
        made = tiles[indicator]
        # A row of columns per COLUMNS cards: on a phone the columns stack, and one set of columns
        # stacked the first column's cards before the second's, a location's kinds far apart.
        for start in range(0, len(made), COLUMNS):
            for column, tile in zip(st.columns(COLUMNS), made[start : start + COLUMNS], strict=False):
                with column:
                    tile_ui(tile)
        for tile in made:
            if tile.other_kinds:
                st.caption(
                    f"Also at {escape_markdown(tile.location)}, on the Trends and Sources pages: "
                    + escape_markdown("; ".join(tile.other_kinds))
                    + "."
                )
        hidden = counts.get(indicator, 0) - len({tile.location for tile in tiles[indicator]})
        if hidden > 0:
            st.caption(f"{hidden:,} more locations with fewer figures: choose them in the Location filter.")


overview_ui()
