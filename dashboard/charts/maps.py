"""The Map page's charts: choropleths by country and by first-level area from the shipped shapes, bars
for areas without one. Pure.

Every country is drawn in grey from the coarse shapes, the countries or areas with figures over it
from the detailed ones, on plain axes: no tile server, no CDN, so the map draws offline and in PNGs.
Each place's dot and each bar carries its figure's provenance tooltip.
"""

from __future__ import annotations

import functools
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from _plotly_utils.utils import to_typed_array_spec
from plotly.colors import get_colorscale, sample_colorscale

from dashboard.charts.figure_types import DisplayFigure
from dashboard.charts.shapes import COARSE, DETAILED, areas, countries
from dashboard.model.formatting import escape_html
from dashboard.model.tooltips import TOOLTIP_FIELDS, tooltips_html

LAND, BORDER, SEA = "#e4e4e4", "#ffffff", "#f4f8fb"
SCALE = "Reds"
SCALE_SPEC = get_colorscale(SCALE)  # what Plotly makes of the name: plotly.js has a "Reds" of its own
ANTIMERIDIAN_SPAN = 180.0
MARGIN_DEGREES = 4.0  # around the countries with figures
BAR_HEIGHT, BAR_BASE = 28, 120


def tooltips(table: pd.DataFrame) -> list[str]:
    """The provenance tooltip of each ranked figure, as on the Trends charts."""
    return tooltips_html({name: table[name].tolist() for name in TOOLTIP_FIELDS if name in table})


def _rings(feature: dict[str, Any]) -> list[np.ndarray]:
    """A feature's outer rings as (n, 2) arrays (holes left out: a filled ring covers them at these scales)."""
    geometry = feature["geometry"]
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    rings = [np.asarray(polygon[0], dtype="float64") for polygon in polygons if polygon]
    # A ring across the antimeridian (Fiji, Chukotka) would be drawn as a band across the whole map.
    return [ring for ring in rings if np.ptp(ring[:, 0]) < ANTIMERIDIAN_SPAN]


class Outline(NamedTuple):
    """Shapes as one line broken by gaps (NaN; Plotly fills each piece), their bounds and a centre."""

    x: np.ndarray
    y: np.ndarray
    bounds: tuple[float, float, float, float]  # west, east, south, north
    centre: tuple[float, float]  # of the largest ring


def _outline(rings: list[np.ndarray]) -> Outline:
    gap = np.array([[np.nan, np.nan]])
    joined = np.concatenate([part for ring in rings for part in (ring, gap)]) if rings else gap
    (west, south), (east, north) = np.nanmin(joined, axis=0), np.nanmax(joined, axis=0)
    largest = max(rings, key=len) if rings else gap
    return Outline(joined[:, 0], joined[:, 1], (west, east, south, north), tuple(np.nanmean(largest, axis=0)))


@functools.cache
def country_outline(code: str) -> Outline:
    """A country's detailed outline."""
    return _outline(_rings(countries(DETAILED)[code]))


@functools.cache
def area_outline(iso3: str, name: str) -> Outline:
    """A first-level area's outline (dashboard/charts/shapes/admin1.geojson)."""
    return _outline(_rings(areas()[(iso3, name)]))


def has_area_shape(table: pd.DataFrame) -> np.ndarray:
    """Which rows' first-level area (location_iso3, admin1) has a shipped shape."""
    shapes = areas()
    if "admin1" not in table:
        return np.zeros(len(table), dtype=bool)
    pairs = zip(table["location_iso3"].astype(object), table["admin1"].astype(object), strict=True)
    return np.fromiter(((iso3, name) in shapes for iso3, name in pairs), dtype=bool, count=len(table))


@functools.cache
def world_outline() -> Outline:
    """Every country's coarse outline, as one line: the grey land under the figures."""
    return _outline([ring for feature in countries(COARSE).values() for ring in _rings(feature)])


def map_figure(table: pd.DataFrame, values: str, *, title: str, scale_title: str, value_format: str = ",.0f") -> go.Figure:
    """A choropleth of table[values] by table.location_iso3, over every country in grey."""
    shown = table[table[values].notna().to_numpy() & table["location_iso3"].isin(list(countries(DETAILED))).to_numpy()]
    outlines = [country_outline(code) for code in shown["location_iso3"].astype(str)]
    hover = tooltips(shown)
    return _choropleth(shown, outlines, values, (), hover, title=title, scale_title=scale_title, value_format=value_format)


def area_map_figure(table: pd.DataFrame, values: str, *, title: str, scale_title: str, value_format: str = ",.0f") -> go.Figure:
    """A choropleth of table[values] by first-level area (location_iso3, admin1), for the areas with a shape,
    over their countries' outlines and every country in grey; the others are left to area_bars."""
    shown = table[table[values].notna().to_numpy() & has_area_shape(table)]
    outlines = [area_outline(iso3, name) for iso3, name in zip(shown["location_iso3"], shown["admin1"], strict=True)]
    codes = dict.fromkeys(shown["location_iso3"].astype(str))
    backdrop = tuple(country_outline(code) for code in codes if code in countries(DETAILED))
    # The tooltip names the country; the area goes on top, as the bars' axis shows it.
    hover = [
        f"<b>{escape_html(place)}</b><br>{tip}" for place, tip in zip(shown["place"].astype(str), tooltips(shown), strict=True)
    ]
    return _choropleth(shown, outlines, values, backdrop, hover, title=title, scale_title=scale_title, value_format=value_format)


def _choropleth(
    shown: pd.DataFrame, outlines: list[Outline], values: str, backdrop: tuple[Outline, ...], hover: list[str], *, title: str,
    scale_title: str, value_format: str,
) -> go.Figure:  # fmt: skip
    """shown's places filled by shown[values], over the backdrop outlines (their countries) and every country in grey.

    Drawn as filled outlines on plain axes (equirectangular, a degree of latitude 1/cos(mid-latitude)
    times a degree of longitude), not as a Plotly geo map: plotly.js fetches its world map from a
    CDN for any geo map, even one that draws only the shapes it is given, and draws nothing without
    it. A dot at each place's centre carries its figure's provenance tooltip. Coordinates go as
    Plotly's typed arrays (base64), as validated traces would send them."""
    world = world_outline()
    boxes = np.array([outline.bounds for outline in outlines]) if outlines else np.array([world.bounds])
    west, east, south, north = boxes[:, 0].min(), boxes[:, 1].max(), boxes[:, 2].min(), boxes[:, 3].max()
    amounts = shown[values].to_numpy(dtype="float64")
    low, high = (float(amounts.min()), float(amounts.max())) if len(amounts) else (0.0, 1.0)
    low = min(low, 0.0) if low == high else low  # one figure alone: shaded as a figure, not as the scale's blank start
    colors = sample_colorscale(SCALE, list((amounts - low) / (high - low or 1.0))) if len(amounts) else []
    # Plain trace dicts (figure_types.DisplayFigure): Plotly's validation of a trace per place cost more than the map.
    traces: list[dict] = [
        {"type": "scatter", "x": _typed(world.x), "y": _typed(world.y), "fill": "toself", "fillcolor": LAND,
         "line": {"color": BORDER, "width": 0.5}, "mode": "lines", "hoverinfo": "skip", "showlegend": False}
    ]  # fmt: skip
    if backdrop:  # the areas' countries, their borders darker than the world's
        x, y = np.concatenate([o.x for o in backdrop]), np.concatenate([o.y for o in backdrop])  # each ends with a gap
        traces.append({"type": "scatter", "x": _typed(x), "y": _typed(y), "fill": "toself", "fillcolor": LAND, "mode": "lines",
                       "hoverinfo": "skip", "line": {"color": "#888888", "width": 0.8}, "showlegend": False, "name": "countries"})  # fmt: skip
    names = shown["place"] if "place" in shown else shown["location_iso3"]
    for code, outline, color in zip(names.astype(str), outlines, colors, strict=True):
        traces.append({"type": "scatter", "x": _typed(outline.x), "y": _typed(outline.y), "fill": "toself", "fillcolor": color,
                       "mode": "lines", "hoverinfo": "skip", "line": {"color": "#555555", "width": 0.6}, "showlegend": False,
                       "name": code})  # fmt: skip
    traces.append(
        {
            "type": "scatter", "x": _typed(np.array([o.centre[0] for o in outlines], dtype="float64")),
            "y": _typed(np.array([o.centre[1] for o in outlines], dtype="float64")), "mode": "markers",
            "hovertext": hover, "hoverinfo": "text", "showlegend": False, "customdata": shown["record_id"].astype(str).tolist(),
            "name": "figures",
            "marker": {"size": 9, "color": _typed(amounts), "colorscale": SCALE_SPEC, "cmin": low, "cmax": high,
                       "line": {"color": "#1a1a1a", "width": 1}, "showscale": True,
                       "colorbar": {"title": {"text": scale_title, "side": "top"}, "tickformat": value_format, "thickness": 10,
                                    "orientation": "h", "y": -0.02, "yanchor": "top", "len": 0.9}},
        }
    )  # fmt: skip
    pad = MARGIN_DEGREES
    stretch = 1 / max(float(np.cos(np.radians((south + north) / 2))), 0.2)
    layout = {
        "title": {"text": title, "x": 0, "xanchor": "left"},
        "xaxis": {"visible": False, "range": [west - pad, east + pad]},
        "yaxis": {"visible": False, "range": [south - pad, north + pad], "scaleanchor": "x", "scaleratio": stretch},
        "plot_bgcolor": SEA,
        "height": 480,
        "margin": {"l": 0, "r": 0, "t": 48, "b": 64},
        "hovermode": "closest",
        "hoverlabel": {"align": "left", "bgcolor": "white", "font": {"size": 12, "color": "#1a1a1a"}},
    }
    return DisplayFigure(traces, layout)


def _typed(values: np.ndarray) -> dict | list:
    """Coordinates as Plotly's typed array (base64 of the float64s), as a validated trace sends them."""
    return to_typed_array_spec(np.ascontiguousarray(values, dtype="float64"))


def area_bars(table: pd.DataFrame, values: str, *, title: str, axis_title: str, value_format: str = ",.0f") -> go.Figure:
    """First-level areas as horizontal bars, largest on top: those without a shipped shape."""
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
