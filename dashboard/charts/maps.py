"""The Map page's charts: a choropleth by country from the shipped shapes, bars by first-level area. Pure.

Every country is drawn in grey from the coarse shapes, the countries with figures over it from
the detailed ones; Plotly's own geography (its base map, fetched from a CDN) is switched off, so
the map draws offline. Each shape and bar carries its figure's provenance tooltip.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.shapes import COARSE, DETAILED, countries, feature_collection
from dashboard.model.formatting import TOOLTIP_FIELDS, tooltips_html

LAND, BORDER = "#e4e4e4", "#ffffff"
SCALE = "Reds"
MARGIN_DEGREES = 4.0  # around the countries with figures
BAR_HEIGHT, BAR_BASE = 28, 120


def tooltips(table: pd.DataFrame) -> list[str]:
    """The provenance tooltip of each ranked figure, as on the Trends charts."""
    return tooltips_html({name: table[name].tolist() for name in TOOLTIP_FIELDS if name in table})


def _bounds(codes: list[str]) -> tuple[list[float], list[float]] | None:
    """Longitude and latitude ranges around the detailed shapes of these countries."""
    points = []
    for feature in feature_collection(codes, DETAILED)["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        points.extend(point for polygon in polygons for ring in polygon for point in ring)
    if not points:
        return None
    lon, lat = np.array(points).T
    pad = MARGIN_DEGREES
    return [max(lon.min() - pad, -180), min(lon.max() + pad, 180)], [max(lat.min() - pad, -90), min(lat.max() + pad, 90)]


def map_figure(table: pd.DataFrame, values: str, *, title: str, scale_title: str, value_format: str = ",.0f") -> go.Figure:
    """A choropleth of table[values] by table.location_iso3, over every country in grey."""
    base = list(countries(COARSE))
    shown = table[table[values].notna().to_numpy()]
    codes = shown["location_iso3"].astype(str).tolist()
    figure = go.Figure(
        [
            go.Choropleth(
                geojson=feature_collection(base, COARSE), locations=base, z=np.zeros(len(base)), showscale=False,
                colorscale=[[0, LAND], [1, LAND]], marker={"line": {"color": BORDER, "width": 0.5}}, hoverinfo="skip",
                name="countries",
            ),
            go.Choropleth(
                geojson=feature_collection(codes, DETAILED), locations=codes, z=shown[values].to_numpy(dtype="float64"),
                colorscale=SCALE, marker={"line": {"color": "#555555", "width": 0.6}}, hovertext=tooltips(shown),
                hoverinfo="text", customdata=shown["record_id"].astype(str).tolist(), name="figures",
                colorbar={"title": {"text": scale_title, "side": "right"}, "tickformat": value_format, "thickness": 14},
            ),
        ]
    )  # fmt: skip
    bounds = _bounds(codes)
    geo: dict[str, Any] = {"visible": False, "projection": {"type": "natural earth"}, "bgcolor": "rgba(0,0,0,0)"}
    if bounds is not None:
        geo |= {"lonaxis": {"range": bounds[0]}, "lataxis": {"range": bounds[1]}}
    figure.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        geo=geo,
        height=480,
        margin={"l": 0, "r": 0, "t": 48, "b": 0},
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
