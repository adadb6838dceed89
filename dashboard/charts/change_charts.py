"""The chart of derived changes (changes.series_changes). Pure: no Streamlit.

Each change is a bar spanning its two figures' dates, as high as its average per day (or per
week): a change over 40 days is not drawn as one day's. A revision (the cumulative figure went
down) is a cross on the zero line, never a bar below it.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.chart_layout import LEGEND_TITLE, empty_figure, legend_below
from dashboard.charts.charts import OKABE_ITO, source_styles
from dashboard.model.changes import PER, change_tooltip
from dashboard.model.formatting import escape_html

DAY_MS = 86_400_000
HEIGHT = 340


def change_figure(changes: pd.DataFrame, period: str, title: str | None = None, palette: Sequence[str] = OKABE_ITO) -> go.Figure:
    """Bars of the derived changes per originator; revisions as crosses at zero."""
    if changes.empty:
        return empty_figure("No two successive cumulative figures of one originator to derive a change from.")
    names = list(dict.fromkeys(changes["series"].astype(str)))
    styles = source_styles({name: rank for rank, name in enumerate(names)}, palette)
    traces: list[dict] = []
    for name in names:
        rows = changes.loc[changes["series"].astype(str) == name].to_dict("records")
        counted = [row for row in rows if not row["revision"]]
        revised = [row for row in rows if row["revision"]]
        style = styles[name]
        if counted:
            traces.append(
                {
                    "type": "bar",
                    "x": [str(row["end"]) for row in counted],
                    "y": [row["per_period"] for row in counted],
                    "width": [max(row["days"], 1) * DAY_MS for row in counted],
                    "offset": [-max(row["days"], 1) * DAY_MS for row in counted],  # the bar ends on the later figure's day
                    "marker": {
                        "color": style.color,
                        "opacity": 0.55 if style.hollow else 0.85,
                        "line": {"color": style.color, "width": 1},
                    },
                    "name": escape_html(name),
                    "legendgroup": name,
                    "hovertext": [change_tooltip(row, period) for row in counted],
                    "hoverinfo": "text",
                }
            )
        if revised:
            traces.append(
                {
                    "type": "scatter",
                    "mode": "markers",
                    "x": [str(row["end"]) for row in revised],
                    "y": [0] * len(revised),
                    "marker": {"symbol": "x", "size": 12, "color": style.color, "line": {"width": 2, "color": style.color}},
                    "name": escape_html(f"{name}: revision"),
                    "legendgroup": name,
                    "hovertext": [change_tooltip(row, period) for row in revised],
                    "hoverinfo": "text",
                }
            )
    top = 60 if title else 30
    layout = {
        "title": {"text": title, "x": 0, "font": {"size": 15}} if title else None,
        "height": HEIGHT,
        "barmode": "overlay",
        "showlegend": True,  # Plotly hides a lone trace's entry: the legend says who counted, always
        "hovermode": "closest",
        "hoverlabel": {"align": "left", "bgcolor": "white", "font": {"size": 12, "color": "#1a1a1a"}},
        "xaxis": {"type": "date"},
        "yaxis": {"title": {"text": f"persons a {PER[period]} (derived)"}, "rangemode": "tozero", "tickformat": ",d"},
        "legend": legend_below(HEIGHT - top - 40),
        "margin": {"t": top, "b": 40, "l": 60, "r": 20},
    }
    layout["legend"]["title"] = {"text": LEGEND_TITLE, "side": "top left"}
    return go.Figure(data=traces, layout=layout)
