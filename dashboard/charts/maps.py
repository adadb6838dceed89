"""The Map page's charts: a choropleth by country from the shipped shapes, bars by first-level area. Pure.

Every country is drawn in grey from the coarse shapes, the countries with figures over it from
the detailed ones, on plain axes: no tile server, no CDN, so the map draws offline and in PNGs.
Each country's dot and each bar carries its figure's provenance tooltip.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from dashboard.charts.shapes import COARSE, DETAILED, countries
from dashboard.model.formatting import TOOLTIP_FIELDS, tooltips_html

LAND, BORDER, SEA = "#e4e4e4", "#ffffff", "#f4f8fb"
SCALE = "Reds"
ANTIMERIDIAN_SPAN = 180.0
MARGIN_DEGREES = 4.0  # around the countries with figures
BAR_HEIGHT, BAR_BASE = 28, 120


def tooltips(table: pd.DataFrame) -> list[str]:
    """The provenance tooltip of each ranked figure, as on the Trends charts."""
    return tooltips_html({name: table[name].tolist() for name in TOOLTIP_FIELDS if name in table})


def _rings(feature: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """A feature's outer rings (holes are left out: a filled ring covers them anyway at these scales)."""
    geometry = feature["geometry"]
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    rings = [polygon[0] for polygon in polygons if polygon]
    # A ring across the antimeridian (Fiji, Chukotka) would be drawn as a band across the whole map.
    return [ring for ring in rings if max(lon for lon, _ in ring) - min(lon for lon, _ in ring) < ANTIMERIDIAN_SPAN]


def _path(rings: list[list[tuple[float, float]]], squeeze: float) -> tuple[list[float | None], list[float | None]]:
    """The rings as one line broken by gaps (Plotly fills each piece), longitudes squeezed by cos(latitude)."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    for ring in rings:
        xs.extend([lon * squeeze for lon, _ in ring] + [None])
        ys.extend([lat for _, lat in ring] + [None])
    return xs, ys


def _bounds(rings: list[list[tuple[float, float]]]) -> tuple[float, float, float, float]:
    points = np.array([point for ring in rings for point in ring])
    (west, south), (east, north) = points.min(axis=0), points.max(axis=0)
    return west, east, south, north


def map_figure(table: pd.DataFrame, values: str, *, title: str, scale_title: str, value_format: str = ",.0f") -> go.Figure:
    """A choropleth of table[values] by table.location_iso3, over every country in grey.

    Drawn as filled outlines on plain axes (an equirectangular projection squeezed at the figures'
    mid-latitude), not as a Plotly geo map: plotly.js fetches its world map from a CDN for any geo
    map, even one that draws only the shapes it is given, and draws nothing without it.
    A dot at each country's centre carries its figure's provenance tooltip."""
    shown = table[table[values].notna().to_numpy() & table["location_iso3"].isin(list(countries(DETAILED))).to_numpy()]
    detailed = countries(DETAILED)
    rings = {code: _rings(detailed[code]) for code in shown["location_iso3"].astype(str)}
    everything = [ring for feature in countries(COARSE).values() for ring in _rings(feature)]
    west, east, south, north = _bounds([ring for found in rings.values() for ring in found] or everything)
    squeeze = float(np.cos(np.radians((south + north) / 2)))
    low, high = (float(shown[values].min()), float(shown[values].max())) if len(shown) else (0.0, 1.0)
    spread = high - low or 1.0
    base_x, base_y = _path(everything, squeeze)
    traces: list[go.BaseTraceType] = [
        go.Scatter(x=base_x, y=base_y, fill="toself", fillcolor=LAND, line={"color": BORDER, "width": 0.5},
                   mode="lines", hoverinfo="skip", showlegend=False)
    ]  # fmt: skip
    centres_x, centres_y = [], []
    for (code, value), found in zip(
        zip(shown["location_iso3"].astype(str), shown[values], strict=True), rings.values(), strict=True
    ):
        color = sample_colorscale(SCALE, [(float(value) - low) / spread])[0]
        xs, ys = _path(found, squeeze)
        traces.append(go.Scatter(x=xs, y=ys, fill="toself", fillcolor=color, mode="lines", line={"color": "#555555", "width": 0.6},
                                 hoverinfo="skip", showlegend=False, name=code))  # fmt: skip
        largest = max(found, key=len)
        centres_x.append(float(np.mean([lon for lon, _ in largest])) * squeeze)
        centres_y.append(float(np.mean([lat for _, lat in largest])))
    traces.append(
        go.Scatter(
            x=centres_x, y=centres_y, mode="markers", hovertext=tooltips(shown), hoverinfo="text", showlegend=False,
            customdata=shown["record_id"].astype(str).tolist(), name="figures",
            marker={"size": 9, "color": shown[values].to_numpy(dtype="float64"), "colorscale": SCALE, "cmin": low, "cmax": high,
                    "line": {"color": "#1a1a1a", "width": 1}, "showscale": True,
                    "colorbar": {"title": {"text": scale_title, "side": "top"}, "tickformat": value_format, "thickness": 10,
                                 "orientation": "h", "y": -0.02, "yanchor": "top", "len": 0.9}},
        )
    )  # fmt: skip
    pad = MARGIN_DEGREES
    figure = go.Figure(traces)
    figure.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        xaxis={"visible": False, "range": [(west - pad) * squeeze, (east + pad) * squeeze], "fixedrange": False},
        yaxis={"visible": False, "range": [south - pad, north + pad], "scaleanchor": "x", "scaleratio": 1},
        plot_bgcolor=SEA,
        height=480,
        margin={"l": 0, "r": 0, "t": 48, "b": 64},
        hovermode="closest",
        hoverlabel={"align": "left", "bgcolor": "white", "font": {"size": 12, "color": "#1a1a1a"}},
    )
    return figure


def area_bars(table: pd.DataFrame, values: str, *, title: str, axis_title: str, value_format: str = ",.0f") -> go.Figure:
    """First-level areas as horizontal bars, largest on top (their shapes are not shipped)."""
    shown = table[table[values].notna().to_numpy()].iloc[::-1]
    figure = go.Figure(
        go.Bar(
            x=shown[values].to_numpy(dtype="float64"), y=shown["place"].astype(str).tolist(), orientation="h",
            marker={"color": "#cb181d"}, hovertext=tooltips(shown), hoverinfo="text",
            customdata=shown["record_id"].astype(str).tolist(),
        )
    )  # fmt: skip
    figure.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        height=BAR_BASE + BAR_HEIGHT * len(shown),
        margin={"l": 8, "r": 8, "t": 48, "b": 40},
        xaxis={"title": axis_title, "tickformat": value_format},
        yaxis={"automargin": True},
        hoverlabel={"align": "left", "bgcolor": "white", "font": {"size": 12, "color": "#1a1a1a"}},
    )
    return figure
