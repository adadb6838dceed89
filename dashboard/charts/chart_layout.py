"""The layout of a trend chart: one panel per measure over a shared date axis, the legend beneath. Pure: no Streamlit."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from dashboard.model.formatting import MEASURE_LABELS

MEASURE_ORDER = ("cumulative", "period", "snapshot", "rate")
LEGEND_GAP = 56  # pixels from the plot's bottom to the legend: room for the date labels, which narrow charts slant
LEGEND_TITLE = "Who counted"


def _panels(measures: np.ndarray) -> list[str]:
    present = [str(m) for m in np.unique(measures.astype(str))]
    return [m for m in MEASURE_ORDER if m in present] + sorted(set(present) - set(MEASURE_ORDER))


def _axis_title(measure: str) -> str:
    return "persons per day" if measure == "rate" else "persons"


def empty_figure(message: str) -> go.Figure:
    figure = go.Figure()
    figure.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper", font={"size": 14})
    figure.update_layout(height=200, xaxis={"visible": False}, yaxis={"visible": False}, margin={"t": 20, "b": 20})
    return figure


def _axis(name: str, row: int) -> str:
    return name if row == 1 else f"{name}{row}"


def panel_layout(measures: Sequence[str], gap: float = 0.1) -> dict:
    """Layout of one panel per measure stacked over a shared date axis (like make_subplots, cheaper)."""
    rows = len(measures)
    gap = gap if rows > 1 else 0.0
    height = (1.0 - gap * (rows - 1)) / rows
    layout: dict = {"annotations": []}
    for row, measure in enumerate(measures, start=1):
        top = 1.0 - (row - 1) * (height + gap)
        x, y = _axis("xaxis", row), _axis("yaxis", row)
        layout[x] = {"anchor": _axis("y", row), "domain": [0.0, 1.0], "type": "date", "showticklabels": row == rows}
        if row > 1:
            layout[x]["matches"] = "x"
        layout[y] = {
            "anchor": _axis("x", row),
            "domain": [max(top - height, 0.0), top],
            "title": {"text": _axis_title(measure)},
            "rangemode": "tozero",
            "tickformat": ",d",
        }
        layout["annotations"].append(
            {
                "text": MEASURE_LABELS.get(measure, measure).capitalize(),
                "x": 0.5,
                "y": top,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "center",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 13},
            }
        )
    return layout


def legend_below(plot_height: float) -> dict:
    """The legend in rows under the date axis, not beside the plot.

    The figure is built without knowing the page's width: a legend on the right took up to 300 px of
    a 358-px phone column and left the plot 64 px. Below, it wraps into as many rows as the width
    needs, at any width; Plotly widens the bottom margin for the rows.
    """
    return {
        "title": {"text": LEGEND_TITLE, "side": "top left"},
        "itemclick": "toggle",
        "groupclick": "togglegroup",
        "orientation": "h",
        "x": 0,
        "xanchor": "left",
        "y": -LEGEND_GAP / max(plot_height, 1.0),  # paper units: a fixed gap in pixels under the tick labels
        "yanchor": "top",
        "tracegroupgap": 0,  # each series is a legend group; the default 10-px gap between groups spaced the rows out
    }
