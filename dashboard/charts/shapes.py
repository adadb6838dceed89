"""Country and first-level area shapes shipped with the dashboard (charts/shapes/, see its README), as GeoJSON. Pure.

The TopoJSON files are decoded here (quantized arcs, delta-encoded) rather than by plotly.js,
whose own world map is fetched from a CDN: the map must draw offline.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

SHAPES_DIR = Path(__file__).with_name("shapes")
COARSE, DETAILED = "110m", "50m"
DECIMALS = 3  # about 100 m: finer than the 1:50m shapes, and a third of the bytes of full precision


def _arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """The topology's arcs in degrees (each arc's points delta-encoded from the previous, then scaled)."""
    (scale_x, scale_y), (shift_x, shift_y) = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((round(x * scale_x + shift_x, DECIMALS), round(y * scale_y + shift_y, DECIMALS)))
        decoded.append(points)
    return decoded


def _ring(indexes: Iterable[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """A ring from arc indexes; a negative index (~i) is arc i reversed; arcs share their end points."""
    ring: list[tuple[float, float]] = []
    for index in indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(points if not ring else points[1:])
    return ring


def _geometry(shape: dict[str, Any], arcs: list[list[tuple[float, float]]]) -> dict[str, Any] | None:
    if shape.get("type") == "Polygon":
        return {"type": "Polygon", "coordinates": [_ring(ring, arcs) for ring in shape["arcs"]]}
    if shape.get("type") == "MultiPolygon":
        return {"type": "MultiPolygon", "coordinates": [[_ring(ring, arcs) for ring in polygon] for polygon in shape["arcs"]]}
    return None


@functools.cache
def countries(resolution: str = COARSE) -> dict[str, dict[str, Any]]:
    """Every country with a code, as a GeoJSON feature, by ISO 3166-1 alpha-3."""
    topology = json.loads((SHAPES_DIR / f"countries-{resolution}.topojson").read_text(encoding="utf-8"))
    arcs = _arcs(topology)
    features = {}
    for shape in topology["objects"]["countries"]["geometries"]:
        geometry = _geometry(shape, arcs)
        if shape.get("id") and geometry is not None:
            features[shape["id"]] = {
                "type": "Feature",
                "id": shape["id"],
                "properties": {"name": shape.get("properties", {}).get("name", "")},
                "geometry": geometry,
            }
    return features


def feature_collection(codes: Iterable[str], resolution: str = COARSE) -> dict[str, Any]:
    """The GeoJSON of the countries of these codes that have a shape (the others are left out)."""
    shapes = countries(resolution)
    return {"type": "FeatureCollection", "features": [shapes[code] for code in dict.fromkeys(codes) if code in shapes]}


@functools.cache
def areas() -> dict[tuple[str, str], dict[str, Any]]:
    """The first-level areas that have a shape, as GeoJSON features (id: OCHA p-code), by (ISO3, gazetteer name)."""
    collection = json.loads((SHAPES_DIR / "admin1.geojson").read_text(encoding="utf-8"))
    return {(feature["properties"]["iso3"], feature["properties"]["name"]): feature for feature in collection["features"]}
