"""Downloads of a view: its records as CSV (plain and HXL), JSON lines and a zip data package,
its chart as a standalone HTML page or a PNG. Pure: no Streamlit.

Records go out with the contract fields (dashboard.model.data.CONTRACT_COLUMNS) and the publisher.
Numbers stay numbers (integral figures are written without ".0"); every text cell that a
spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return)
is neutralized with a leading single quote.

>>> neutralize("=HYPERLINK(\\"http://x\\")"), neutralize("-2"), neutralize("57,575"), neutralize(-2.0)
('\\'=HYPERLINK("http://x")', "'-2", '57,575', -2.0)
>>> export_name("deaths", "PSE", "2025-05-25")
'deaths-PSE-2025-05-25'

PNGs are rendered on the server by kaleido 1.x, which drives a headless Chromium through
choreographer: the browser is /usr/bin/chromium unless BROWSER_PATH (choreographer's own
variable) or DASHBOARD_CHROMIUM says otherwise, and it is started once and kept warm
for the next exports (PngRenderer; `close_renderer()` stops it, as does the interpreter's exit).
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import csv
import io
import json
import os
import re
import struct
import threading
import zipfile
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from dashboard.model.data import CONTRACT_COLUMNS, safe_link
from dashboard.model.formatting import escape_html, format_date, parse_iso_date
from extractors.contract import ALL_FIELDS, EXPORT_FIELDS, Field, columns_of_type

DOWNLOAD_COLUMNS: tuple[str, ...] = (*CONTRACT_COLUMNS, *EXPORT_FIELDS)
"""Columns of the dashboard's record files (its downloads and `python -m dashboard.export`), in this order: the record
contract, doc_id, page, review_status, publisher. (The store's own `export` writes its EXPORT_COLUMNS.)"""
NUMBER_COLUMNS = columns_of_type("number")
INTEGER_COLUMNS = columns_of_type("integer")
BOOLEAN_COLUMNS = columns_of_type("boolean")
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

SLIDE = (1600, 900)
COLUMN = (600, 500)
DEFAULT_SCALE = 2
DEFAULT_CHROMIUM = "/usr/bin/chromium"
START_TIMEOUT_S = 90.0
RENDER_TIMEOUT_S = 90.0


class ExportError(RuntimeError):
    """An export that cannot be made; the message says why and what to do."""


# ---- fields ---------------------------------------------------------------------------------


FieldInfo = Field  # type, HXL tag, description of one column
# Every column's type, HXL tag and description: the contract table (extractors/contract.py).
FIELD_INFO: dict[str, FieldInfo] = dict(ALL_FIELDS)


def neutralize(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula, with a leading single quote; anything else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _numbers(series: pd.Series, integer: bool) -> list[int | float | None]:
    """A column as finite numbers (ints when integral or when `integer`), None for anything else."""
    raw = series.astype(object) if isinstance(series.dtype, pd.CategoricalDtype) else series
    numbers = pd.to_numeric(raw, errors="coerce").astype("float64").to_numpy()
    finite = np.isfinite(numbers)
    whole = finite & (np.round(numbers) == numbers)
    if integer:
        whole = finite
    rounded = np.round(np.where(finite, numbers, 0.0))
    return [
        (int(r) if w else float(n)) if f else None
        for n, r, f, w in zip(numbers.tolist(), rounded.tolist(), finite.tolist(), whole.tolist(), strict=True)
    ]


def _booleans(series: pd.Series) -> list[bool | None]:
    """A column as True/False, None for missing values (a record stored before the field existed)."""
    missing = series.isna().to_numpy(dtype=bool)
    return [None if m else bool(v) for v, m in zip(series.astype(object).tolist(), missing.tolist(), strict=True)]


def _texts(series: pd.Series) -> list[str | None]:
    """A column as strings, None for missing values."""
    missing = series.isna().to_numpy(dtype=bool)
    values = series.astype(object).tolist()
    return [None if m else (v if type(v) is str else str(v)) for v, m in zip(values, missing.tolist(), strict=True)]


def export_table(records: pd.DataFrame) -> dict[str, list[Any]]:
    """The records as columns of plain Python values (None, bool, int, float, str), DOWNLOAD_COLUMNS in order.

    Numeric columns are coerced (anything that is not a finite number becomes None), `headline`
    is a boolean; every other column is text. Extra columns of the frame (date, search_text, ...) are left out.
    """
    size = len(records)
    table: dict[str, list[Any]] = {}
    for column in DOWNLOAD_COLUMNS:
        if column not in records.columns:
            table[column] = [None] * size
        elif column in NUMBER_COLUMNS or column in INTEGER_COLUMNS:
            table[column] = _numbers(records[column], column in INTEGER_COLUMNS)
        elif column in BOOLEAN_COLUMNS:
            table[column] = _booleans(records[column])
        else:
            table[column] = _texts(records[column])
    return table


Records = pd.DataFrame | dict[str, list[Any]]
"""A DataFrame of records, or the export_table made of it (to convert a large frame once)."""


def _table(records: Records) -> dict[str, list[Any]]:
    return records if isinstance(records, dict) else export_table(records)


def _count(table: Mapping[str, Sequence[Any]]) -> int:
    return len(table["record_id"])


def export_frame(records: pd.DataFrame) -> pd.DataFrame:
    """export_table as a DataFrame of Python objects (what the CSV and JSON files hold)."""
    return pd.DataFrame(export_table(records), columns=list(DOWNLOAD_COLUMNS), dtype=object)


# ---- HXL ------------------------------------------------------------------------------------

_ATTRIBUTE = re.compile(r"[^a-z0-9_]")


def _attribute(name: str) -> str:
    """A valid HXL attribute from any name: lower case, [a-z][a-z0-9_]*."""
    text = _ATTRIBUTE.sub("_", str(name).lower()).strip("_") or "x"
    return text if text[0].isalpha() else f"x{text}"


def indicator_hxl(indicator: str, outcome: str | None = None) -> str:
    """The HXL hashtag of an indicator's figures, from extractors/data/indicators.toml.

    An indicator of several outcomes (aid-worker casualties) gets the outcome as an attribute.

    >>> indicator_hxl("deaths"), indicator_hxl("aid_worker_casualties", "killed")
    ('#affected+killed', '#affected+killed+aidworkers')
    """
    from extractors.vocabulary import vocabulary

    known = vocabulary().indicators.get(indicator)
    if known is None or not known.hxl:
        return f"#affected+{_attribute(indicator)}"
    tag = known.hxl.strip()
    if len(known.outcomes) > 1 and outcome:
        hashtag, _, attributes = tag.partition("+")
        attribute = _attribute(outcome)
        rest = [a for a in attributes.split("+") if a and a != attribute]
        tag = "+".join([hashtag, attribute, *rest])
    return tag


@dataclass(frozen=True)
class ValueColumn:
    """One column of the HXL CSV holding the figures of one indicator (and outcome) only."""

    name: str
    indicator: str
    outcome: str | None
    tag: str


def hxl_value_columns(table: Mapping[str, Sequence[Any]]) -> list[ValueColumn]:
    """A figure column per indicator present (per outcome for aid workers), in INDICATORS order."""
    from extractors.record import INDICATORS
    from extractors.vocabulary import vocabulary

    indicators = vocabulary().indicators
    present = sorted(
        {(str(i), o) for i, o in zip(table["indicator"], table["outcome"], strict=True) if i is not None},
        key=lambda pair: (INDICATORS.index(pair[0]) if pair[0] in INDICATORS else len(INDICATORS), pair[0], pair[1] or ""),
    )
    columns: dict[str, ValueColumn] = {}
    for indicator, outcome in present:
        split = indicator in indicators and len(indicators[indicator].outcomes) > 1 and bool(outcome)
        name = f"{indicator}_{_attribute(outcome)}" if split else indicator
        if name not in columns:
            columns[name] = ValueColumn(
                name, indicator, outcome if split else None, indicator_hxl(indicator, outcome if split else None)
            )
    return list(columns.values())


# ---- CSV and JSON lines ---------------------------------------------------------------------


_TRIGGER_CHARS = frozenset("".join(FORMULA_TRIGGERS))


def _neutralized(values: list[Any]) -> list[Any]:
    """neutralize() over a text column, fast."""
    return [("'" + value) if value and value[0] in _TRIGGER_CHARS else value for value in values]


def _csv_rows(records: Records, hxl: bool) -> tuple[list[str], list[str] | None, list[tuple[Any, ...]]]:
    """Header, HXL hashtags (hxl=True) and rows; None cells are written empty, numbers by str() (repr for floats)."""
    raw = _table(records)
    columns = list(DOWNLOAD_COLUMNS)
    table = {
        column: values if column in NUMBER_COLUMNS | INTEGER_COLUMNS | BOOLEAN_COLUMNS else _neutralized(values)
        for column, values in raw.items()
    }
    tags: list[str] | None = None
    if hxl:
        extra = hxl_value_columns(raw)
        for spec in extra:
            table[spec.name] = [
                value if indicator == spec.indicator and (spec.outcome is None or outcome == spec.outcome) else None
                for value, indicator, outcome in zip(raw["value"], raw["indicator"], raw["outcome"], strict=True)
            ]
        at = columns.index("value") + 1
        columns[at:at] = [spec.name for spec in extra]
        tags_by_name = {name: info.hxl for name, info in FIELD_INFO.items()} | {spec.name: spec.tag for spec in extra}
        tags = [tags_by_name[name] for name in columns]
    return columns, tags, list(zip(*(table[column] for column in columns), strict=True))


def records_csv(records: Records, *, hxl: bool = False) -> bytes:
    """The records as UTF-8 CSV: a header row, with hxl=True a row of HXL hashtags under it, then one row per record.

    The HXL flavour adds, after `value`, a column per indicator present (#affected+killed,
    #affected+killed+aidworkers, ...) holding that indicator's figures only.
    """
    columns, tags, rows = _csv_rows(records, hxl)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    if tags is not None:
        writer.writerow(tags)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def records_jsonl(records: Records) -> bytes:
    """The records as JSON lines (one object per record, DOWNLOAD_COLUMNS, null for missing values)."""
    table = _table(records)
    lines = [
        json.dumps(dict(zip(DOWNLOAD_COLUMNS, row, strict=True)), ensure_ascii=False, allow_nan=False)
        for row in zip(*(table[column] for column in DOWNLOAD_COLUMNS), strict=True)
    ]
    return "".join(line + "\n" for line in lines).encode("utf-8")


# ---- data package ---------------------------------------------------------------------------

SOURCE_COLUMNS = ("doc_id", "title", "source", "publisher", "url", "published", "doc_kind", "records")
SOURCE_FIELD_INFO: dict[str, FieldInfo] = {
    "doc_id": FIELD_INFO["doc_id"],
    "title": FIELD_INFO["title"],
    "source": FIELD_INFO["source"],
    "publisher": FIELD_INFO["publisher"],
    "url": FieldInfo("string", "#meta+url", "Link to the original report (http or https links only)."),
    "published": FIELD_INFO["published"],
    "doc_kind": FIELD_INFO["doc_kind"],
    "records": FieldInfo("integer", "#meta+count", "How many of the exported records come from this document."),
}
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def source_documents(records: Records) -> list[dict[str, Any]]:
    """One entry per document behind the records (most records first): id, title, source, link, date, count."""
    table = _table(records)
    documents: dict[str, dict[str, Any]] = {}
    for index in range(_count(table)):
        key = table["doc_id"][index] or table["doc"][index] or "unknown"
        entry = documents.get(key)
        if entry is None:
            entry = documents[key] = {
                "doc_id": key,
                "title": table["title"][index] or table["doc"][index],
                "source": table["source"][index],
                "publisher": table["publisher"][index] or table["source"][index],
                "url": safe_link(table["url"][index]),
                "published": table["published"][index],
                "doc_kind": table["doc_kind"][index],
                "records": 0,
            }
        entry["records"] += 1
    return sorted(
        documents.values(), key=lambda entry: (-entry["records"], str(entry["publisher"] or ""), str(entry["title"] or ""))
    )


def _column_type(info: FieldInfo, values: Iterable[Any]) -> str:
    """The field's type, 'date' only when every value is a real YYYY-MM-DD date."""
    if info.type != "date":
        return info.type
    for value in values:
        if value is not None and (not _ISO_DAY.fullmatch(str(value)) or parse_iso_date(value) is None):
            return "string"
    return "date"


def _schema(columns: Sequence[str], infos: Mapping[str, FieldInfo], table: Mapping[str, Sequence[Any]]) -> dict[str, Any]:
    return {
        "fields": [
            {
                "name": name,
                "type": _column_type(infos[name], table.get(name, ())),
                "description": infos[name].description,
                "hxl": infos[name].hxl,
            }
            for name in columns
        ]
    }


def _slug(text: str, limit: int = 60) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")
    return slug[:limit].strip("-") or "records"


def datapackage_descriptor(
    records: Records,
    *,
    title: str = "Humanitarian indicator records",
    description: str = "",
    extracted: date | None = None,
    created: datetime | None = None,
) -> dict[str, Any]:
    """The datapackage.json of datapackage_zip: resources, their fields (type, description, HXL tag), the sources."""
    table = _table(records)
    documents = source_documents(table)
    created = created or datetime.now(UTC)
    record_schema = _schema(DOWNLOAD_COLUMNS, FIELD_INFO, table)
    ids = [value for value in table["record_id"] if value is not None]
    if len(ids) == _count(table) and len(set(ids)) == len(ids):
        record_schema["primaryKey"] = ["record_id"]
    extra = hxl_value_columns(table)
    hxl_columns = list(DOWNLOAD_COLUMNS)
    at = hxl_columns.index("value") + 1
    hxl_columns[at:at] = [spec.name for spec in extra]
    hxl_infos = dict(FIELD_INFO) | {
        spec.name: FieldInfo(
            "number",
            spec.tag,
            f"value, for the {spec.indicator}{' (' + spec.outcome + ')' if spec.outcome else ''} records only.",
        )
        for spec in extra
    }
    hxl_schema = _schema(hxl_columns, hxl_infos, table)
    sources = []
    for document in documents:
        name = " · ".join(str(part) for part in (document["publisher"], document["title"], document["published"]) if part)
        source: dict[str, Any] = {"title": name or str(document["doc_id"])}
        if document["url"]:
            source["path"] = document["url"]
        sources.append(source)
    csv_resource = {"format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "profile": "tabular-data-resource"}
    descriptor: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": _slug(title),
        "title": title,
        "description": description or title,
        "created": created.isoformat(timespec="seconds"),
        "keywords": ["humanitarian", "HXL", *sorted({str(i) for i in table["indicator"] if i is not None})],
        "sources": sources,
        "resources": [
            {
                "name": "records",
                "path": "data/records.csv",
                "title": "Indicator records",
                "description": "One row per figure, with its quote, source, dates and qualifier. Text cells that a spreadsheet "
                "would run as a formula start with a single quote.",
                **csv_resource,
                "schema": record_schema,
            },
            {
                "name": "records-hxl",
                "path": "data/records-hxl.csv",
                "title": "Indicator records, HXL-tagged",
                "description": "The same records with a row of HXL hashtags under the header (https://hxlstandard.org), "
                "and a figure column per indicator.",
                **csv_resource,
                "dialect": {"headerRows": [1], "commentRows": [2]},
                "schema": hxl_schema,
            },
            {
                "name": "sources",
                "path": "data/sources.csv",
                "title": "Source documents",
                "description": "One row per document the records were extracted from.",
                **csv_resource,
                "schema": _schema(SOURCE_COLUMNS, SOURCE_FIELD_INFO, {c: [d[c] for d in documents] for c in SOURCE_COLUMNS}),
            },
        ],
    }
    if extracted is not None:
        descriptor["extracted"] = extracted.isoformat()
    return descriptor


def sources_csv(records: Records) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(SOURCE_COLUMNS)
    for document in source_documents(records):
        writer.writerow(document[column] if column == "records" else neutralize(document[column]) for column in SOURCE_COLUMNS)
    return buffer.getvalue().encode("utf-8")


def _readme(descriptor: Mapping[str, Any], count: int) -> str:
    lines = [
        f"# {descriptor['title']}",
        "",
        str(descriptor.get("description", "")),
        "",
        f"{count:,} records from {len(descriptor['sources']):,} documents."
        + (f" Figures extracted on {format_date(descriptor['extracted'])}." if descriptor.get("extracted") else ""),
        f"Exported {descriptor['created']}.",
        "",
        "- `data/records.csv`: one row per figure (fields described in `datapackage.json`).",
        "- `data/records-hxl.csv`: the same with HXL hashtags in the second row.",
        "- `data/sources.csv`: the documents, with links to the original reports.",
        "",
        "Cite the original reports (see `sources` in datapackage.json); every figure keeps its exact quote.",
    ]
    return "\n".join(lines) + "\n"


def datapackage_zip(
    records: Records,
    *,
    title: str = "Humanitarian indicator records",
    description: str = "",
    extracted: date | None = None,
    created: datetime | None = None,
) -> bytes:
    """A zip Frictionless data package: datapackage.json, data/records.csv, data/records-hxl.csv, data/sources.csv, README.md."""
    table = _table(records)
    descriptor = datapackage_descriptor(table, title=title, description=description, extracted=extracted, created=created)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n")
        archive.writestr("data/records.csv", records_csv(table))
        archive.writestr("data/records-hxl.csv", records_csv(table, hxl=True))
        archive.writestr("data/sources.csv", sources_csv(table))
        archive.writestr("README.md", _readme(descriptor, _count(table)))
    return buffer.getvalue()


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


# ---- standalone HTML ------------------------------------------------------------------------


NARROW_SCRIPT = """
var gd = document.getElementById('{plot_id}');
var layouts = {layouts};
function fitBriefing() {
  var want = gd.clientWidth < %d ? 'narrow' : 'wide';
  if (gd.dataset.briefing !== want) { gd.dataset.briefing = want; Plotly.relayout(gd, layouts[want]); }
}
fitBriefing();
window.addEventListener('resize', fitBriefing);
"""


def standalone_html(
    figure: Any,
    *,
    title: str,
    config: Mapping[str, Any] | None = None,
    height: int = 720,
    footer: str = "",
    narrow_layout: Mapping[str, Any] | None = None,
    breakpoint: int = 900,
) -> str:
    """A full HTML page of the chart that works offline: plotly.js inline, tooltips included.

    `title` and `footer` are plain text (escaped here); the figure's JSON escapes '<'. With
    `narrow_layout` (the layout of the same chart laid out for a narrow column), the page
    switches to it while the chart is narrower than `breakpoint` pixels, and back.
    """
    import plotly.io as pio
    from plotly.io.json import to_json_plotly

    post_script = None
    if narrow_layout is not None:
        wide = figure.to_plotly_json()["layout"] if hasattr(figure, "to_plotly_json") else dict(figure)["layout"]
        layouts = to_json_plotly({"wide": wide, "narrow": dict(narrow_layout)})  # '<' escaped as \\u003c
        post_script = (NARROW_SCRIPT % int(breakpoint)).replace("{layouts}", layouts)
    div = pio.to_html(
        figure,
        config=dict(config or {}),
        include_plotlyjs=True,
        include_mathjax=False,
        full_html=False,
        default_width="100%",
        default_height=f"{int(height)}px",
        validate=False,
        post_script=post_script,
    )
    foot = f'\n<p class="foot">{escape_html(footer)}</p>' if footer else ""
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape_html(title)}</title>\n"
        "<style>body{margin:0;padding:12px;font-family:'Liberation Sans',Arial,sans-serif;color:#1a1a1a;background:#fff}"
        ".foot{font-size:13px;color:#555;margin:8px 0 0}</style>\n"
        f"</head>\n<body>\n<main>\n{div}{foot}\n</main>\n</body>\n</html>\n"
    )


# ---- PNG ------------------------------------------------------------------------------------


def chromium_path(explicit: str | os.PathLike[str] | None = None) -> str:
    """The browser kaleido drives: the argument, else $BROWSER_PATH, else $DASHBOARD_CHROMIUM, else /usr/bin/chromium."""
    for candidate in (explicit, os.environ.get("BROWSER_PATH"), os.environ.get("DASHBOARD_CHROMIUM"), DEFAULT_CHROMIUM):
        if candidate:
            return str(candidate)
    return DEFAULT_CHROMIUM


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk; ValueError when it is not a PNG."""
    if len(data) < 24 or data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG image")
    return struct.unpack(">II", data[16:24])


class PngRenderer:
    """One headless Chromium driven by kaleido, opened on first use and kept warm.

    kaleido is asyncio-based: it runs on an event loop in a daemon thread of its own, so
    that Streamlit's script threads (and the CLI) call `png()` synchronously. Renders are
    serialized by a lock; a failed or timed-out render closes the browser, and the next
    call starts a new one.
    """

    def __init__(
        self, browser_path: str | None = None, *, start_timeout: float = START_TIMEOUT_S, render_timeout: float = RENDER_TIMEOUT_S
    ):
        self.browser_path = chromium_path(browser_path)
        self.start_timeout = start_timeout
        self.render_timeout = render_timeout
        self._lock = threading.RLock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: Any = None

    @property
    def is_open(self) -> bool:
        return self._kaleido is not None

    def _run(self, coroutine: Any, timeout: float) -> Any:
        assert self._loop is not None
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        try:
            return future.result(timeout)
        except BaseException:
            future.cancel()
            raise

    def open(self) -> None:
        with self._lock:
            if self._kaleido is not None:
                return
            if not Path(self.browser_path).is_file():
                raise ExportError(
                    f"PNG export needs Chromium, not found at {self.browser_path}: install it (apt-get install chromium) "
                    "or point BROWSER_PATH to a Chrome or Chromium."
                )
            import kaleido

            self._loop = asyncio.new_event_loop()
            self._thread = threading.Thread(target=self._loop.run_forever, name="png-renderer", daemon=True)
            self._thread.start()

            async def start() -> Any:
                browser = kaleido.Kaleido(path=self.browser_path, n=1, timeout=self.render_timeout, mathjax=False)
                await browser.open()
                return browser

            try:
                self._kaleido = self._run(start(), self.start_timeout)
            except BaseException as error:
                self._stop_loop()
                raise ExportError(f"Could not start Chromium ({self.browser_path}) for PNG export: {error!r}") from error

    def png(self, figure: Any, *, width: int, height: int, scale: float = DEFAULT_SCALE) -> bytes:
        """The figure as PNG bytes of (width*scale) x (height*scale) pixels."""
        spec = figure.to_dict() if hasattr(figure, "to_dict") else dict(figure)
        opts = {"format": "png", "width": int(width), "height": int(height), "scale": scale}
        with self._lock:
            self.open()
            try:
                return self._run(self._kaleido.calc_fig(spec, opts=opts), self.render_timeout + 5)
            except BaseException as error:
                self.close()
                if isinstance(error, KeyboardInterrupt | SystemExit):
                    raise
                raise ExportError(f"PNG export failed: {error!r}") from error

    def _stop_loop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            if self._thread is not None:
                self._thread.join(10)
            if not self._loop.is_running():
                self._loop.close()
        self._loop, self._thread = None, None

    def close(self) -> None:
        """Stop the browser (the next png() starts a new one)."""
        with self._lock:
            if self._kaleido is not None:
                browser, self._kaleido = self._kaleido, None
                with contextlib.suppress(Exception):  # the browser may already be gone
                    self._run(browser.close(), 20)
            self._stop_loop()


_RENDERER: PngRenderer | None = None
_RENDERER_LOCK = threading.Lock()


def renderer(browser_path: str | None = None) -> PngRenderer:
    """The process's shared PngRenderer (a new one when another browser path is asked for)."""
    global _RENDERER
    with _RENDERER_LOCK:
        wanted = chromium_path(browser_path)
        if _RENDERER is None or _RENDERER.browser_path != wanted:
            if _RENDERER is not None:
                _RENDERER.close()
            _RENDERER = PngRenderer(wanted)
        return _RENDERER


def close_renderer() -> None:
    global _RENDERER
    with _RENDERER_LOCK:
        if _RENDERER is not None:
            _RENDERER.close()
            _RENDERER = None


atexit.register(close_renderer)


def png_bytes(
    figure: Any, *, width: int = SLIDE[0], height: int = SLIDE[1], scale: float = DEFAULT_SCALE, browser_path: str | None = None
) -> bytes:
    """The figure as a PNG rendered by the shared, warm headless Chromium."""
    return renderer(browser_path).png(figure, width=width, height=height, scale=scale)


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
    "COLUMN",
    "DOWNLOAD_COLUMNS",
    "FIELD_INFO",
    "SLIDE",
    "ChartNaming",
    "ExportError",
    "PngRenderer",
    "chart_config",
    "chart_name",
    "chart_naming",
    "chromium_path",
    "close_renderer",
    "datapackage_descriptor",
    "datapackage_zip",
    "export_frame",
    "export_name",
    "export_table",
    "extraction_date",
    "hxl_value_columns",
    "indicator_hxl",
    "latest_day",
    "location_codes",
    "neutralize",
    "png_bytes",
    "png_size",
    "records_csv",
    "records_jsonl",
    "resolve_location",
    "sources_csv",
    "standalone_html",
]
