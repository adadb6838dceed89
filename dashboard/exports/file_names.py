"""What a download is called and dated: file names, location codes, the chart toolbar's PNG name, the extraction date. Pure: no Streamlit.

>>> export_name("deaths", "PSE", "2025-05-25")
'deaths-PSE-2025-05-25'
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any, NamedTuple

import pandas as pd

from dashboard.exports.chart_files import DEFAULT_SCALE
from dashboard.model.formatting import parse_iso_date

# ---- names, locations, the chart's toolbar ---------------------------------------------------


def export_name(indicator: str | None, location: str | None, day: Any = None) -> str:
    """A file name stem such as 'deaths-PSE-2025-05-25' (only letters, digits, dots, dashes and underscores)."""
    parts = [str(part) for part in (indicator, location) if part]
    parsed = parse_iso_date(day)
    if parsed is not None:
        parts.append(parsed.isoformat())
    stem = "-".join(re.sub(r"[^A-Za-z0-9_.]+", "-", part).strip("-.") for part in parts)
    return re.sub(r"-{2,}", "-", stem).strip("-")[:120] or "records"


def location_codes(records: pd.DataFrame) -> dict[str, str]:
    """Location label -> its ISO3 code (the most frequent one among the label's records, the first in
    alphabetical order on a tie); in the order of the codes' counts (largest first), then code, then label.

    Counted in Python: a chart has a few hundred records, and a pandas group-by cost ten times more.
    """
    if records.empty or "location_iso3" not in records.columns:
        return {}
    labels = records["location_label"] if "location_label" in records.columns else records["location"]
    codes_column = records["location_iso3"]
    present = (labels.notna() & codes_column.notna()).to_numpy(dtype=bool)
    if not present.all():
        labels, codes_column = labels[present], codes_column[present]
    counts = Counter(zip(labels.astype(object).tolist(), codes_column.astype(object).tolist(), strict=True))
    codes: dict[str, str] = {}
    for (label, code), _ in sorted(counts.items(), key=lambda item: (-item[1], item[0][1], item[0][0])):
        codes.setdefault(str(label), str(code))
    return codes


def resolve_location(value: str, records: pd.DataFrame) -> str | None:
    """The location label meant by a name or an ISO3 code (any case); None when unknown.

    >>> frame = pd.DataFrame({"location_label": ["Palestine"], "location_iso3": ["PSE"]})
    >>> resolve_location("pse", frame), resolve_location("palestine", frame), resolve_location("Mars", frame)
    ('Palestine', 'Palestine', None)
    """
    wanted = value.strip().casefold()
    if not wanted:
        return None
    labels = (
        records["location_label"] if "location_label" in records.columns else records.get("location", pd.Series(dtype=object))
    )
    for label in pd.unique(labels.dropna().astype(str)):
        if label.casefold() == wanted:
            return label
    for label, code in location_codes(records).items():
        if code.casefold() == wanted:
            return label
    return None


def latest_day(records: pd.DataFrame) -> date | None:
    """The latest date among the records (reference date, else publication date)."""
    if records.empty:
        return None
    if "date" in records.columns and pd.api.types.is_datetime64_dtype(records["date"]):
        latest = records["date"].max()  # NaT when every date is missing
        return None if pd.isna(latest) else latest.date()
    if "date" in records.columns:
        dates = pd.to_datetime(records["date"], errors="coerce").dropna()
    else:
        reference = pd.to_datetime(records.get("reference_date"), errors="coerce", format="%Y-%m-%d")
        dates = reference.fillna(pd.to_datetime(records.get("published"), errors="coerce", format="%Y-%m-%d")).dropna()
    return dates.max().date() if not dates.empty else None


class ChartNaming(NamedTuple):
    """What a chart's files are named after, worked out once per chart (chart_name and chart_config both need it)."""

    code: str  # the location's ISO3 code, its name when it has none
    day: date | None  # the latest figure's date, None when no figure has one


def chart_naming(records: pd.DataFrame, location: str) -> ChartNaming:
    """The ChartNaming of the chart of `records` at `location`."""
    return ChartNaming(location_codes(records).get(location, location), latest_day(records))


def chart_name(records: pd.DataFrame, indicator: str, location: str, naming: ChartNaming | None = None) -> str:
    """'deaths-PSE-2025-05-25': indicator, location code (else name) and the latest figure's date."""
    code, day = naming or chart_naming(records, location)
    return export_name(indicator, code, day)


def chart_config(
    filters: Any = None,
    *,
    indicator: str | None = None,
    location: str | None = None,
    records: pd.DataFrame | None = None,
    filename: str | None = None,
    naming: ChartNaming | None = None,
) -> dict[str, Any]:
    """Plotly config for st.plotly_chart(config=...): the toolbar's PNG button gets a sensible file name at 2x.

    Without `indicator`/`location` the filters' single indicator and location are used; the
    date is the latest figure's (from `records`), else the filters' end date.
    """
    indicators = tuple(getattr(filters, "indicators", ()) or ())
    locations = tuple(getattr(filters, "locations", ()) or ())
    indicator = indicator or (indicators[0] if len(indicators) == 1 else None)
    location = location or (locations[0] if len(locations) == 1 else None)
    if filename is None:
        if naming is None and records is not None:
            naming = chart_naming(records, location) if location else ChartNaming("", latest_day(records))
        day = (naming.day if naming else None) or getattr(filters, "date_to", None)
        code = naming.code if naming and location else location
        filename = export_name(indicator, code, day) if (indicator or location) else export_name("chart", None, day)
    return {
        "displaylogo": False,
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": DEFAULT_SCALE},
    }


# ---- the store ------------------------------------------------------------------------------


def extraction_date(engine: Any, doc_ids: Iterable[str] | None = None) -> date | None:
    """The latest ingestion date of the given documents (all current ones when None); None when unknown."""
    import sqlalchemy as sa

    ids = sorted({str(i) for i in doc_ids if i}) if doc_ids is not None else None
    try:
        with engine.connect() as connection:
            if ids is None:
                rows = [
                    connection.execute(sa.text("SELECT MAX(ingested_at) FROM documents WHERE superseded_at IS NULL")).scalar()
                ]
            else:
                rows = []
                query = sa.text("SELECT MAX(ingested_at) FROM documents WHERE doc_id IN :ids").bindparams(
                    sa.bindparam("ids", expanding=True)
                )
                for start in range(0, len(ids), 500):
                    rows.append(connection.execute(query, {"ids": ids[start : start + 500]}).scalar())
    except Exception:
        return None
    days = [parse_iso_date(str(value)[:10]) for value in rows if value]
    days = [day for day in days if day is not None]
    return max(days) if days else None


__all__ = [
    "ChartNaming",
    "chart_config",
    "chart_name",
    "chart_naming",
    "export_name",
    "extraction_date",
    "latest_day",
    "location_codes",
    "resolve_location",
]
