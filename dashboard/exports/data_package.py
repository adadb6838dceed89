"""The records as a zip Frictionless data package: datapackage.json, the records (plain and HXL), their sources, a README. Pure: no Streamlit."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from dashboard.exports.record_files import (
    DOWNLOAD_COLUMNS,
    FIELD_INFO,
    FieldInfo,
    Records,
    hxl_value_columns,
    neutralize,
    records_csv,
    row_count,
    table_of,
)
from dashboard.model.data import safe_link
from dashboard.model.formatting import format_date, parse_iso_date

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
    table = table_of(records)
    documents: dict[str, dict[str, Any]] = {}
    for index in range(row_count(table)):
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
    table = table_of(records)
    documents = source_documents(table)
    created = created or datetime.now(UTC)
    record_schema = _schema(DOWNLOAD_COLUMNS, FIELD_INFO, table)
    ids = [value for value in table["record_id"] if value is not None]
    if len(ids) == row_count(table) and len(set(ids)) == len(ids):
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
    table = table_of(records)
    descriptor = datapackage_descriptor(table, title=title, description=description, extracted=extracted, created=created)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n")
        archive.writestr("data/records.csv", records_csv(table))
        archive.writestr("data/records-hxl.csv", records_csv(table, hxl=True))
        archive.writestr("data/sources.csv", sources_csv(table))
        archive.writestr("README.md", _readme(descriptor, row_count(table)))
    return buffer.getvalue()


__all__ = [
    "datapackage_descriptor",
    "datapackage_zip",
    "sources_csv",
]
