"""The one table of download formats: what the dashboard's buttons and `python -m dashboard.export` offer.

Each format's name is the command line's option (`--csv`) and the buttons' key; its label, file
ending, media type, icon and help are what the download buttons show; the record formats build
their bytes from the records alone (and, for the data package, a title, a description and the
extraction date). The chart formats (PNG, HTML) need the briefing chart, which the caller draws:
its size and layout depend on where it goes. A new format is one row here and its builder. Pure: no Streamlit.

>>> [f.name for f in FORMATS]
['png', 'html', 'csv', 'hxl', 'jsonl', 'datapackage']
>>> FORMAT["hxl"].file_name("records-deaths")
'records-deaths-hxl.csv'
>>> [f.name for f in FORMATS if f.to_stdout]
['csv', 'hxl', 'jsonl']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Context:
    """What a file says about itself besides its records (the data package's descriptor uses it)."""

    title: str = "Humanitarian indicator records"
    description: str = ""
    extracted: date | None = None


@dataclass(frozen=True)
class Format:
    name: str  # the command line's option (--name) and the download button's key
    label: str  # the download button's words
    ending: str  # after the file's stem: ".csv", "-hxl.csv"
    mime: str
    icon: str  # the button's Material icon
    help: str  # the button's tooltip and the option's help
    subject: str  # "records": a file of the records; "chart": the briefing chart, drawn by the caller
    to_stdout: bool = False  # text that may go to standard output
    build: Callable[[Any, Context], bytes] | None = None  # (records, context) → bytes, for record formats

    def file_name(self, stem: str) -> str:
        return f"{stem}{self.ending}"


# The builders import the record files' module when called: the command line's --help and its
# usage errors need the table, never pandas.
def _csv(records: Any, _context: Context) -> bytes:
    from dashboard.exports.record_files import records_csv

    return records_csv(records)


def _hxl(records: Any, _context: Context) -> bytes:
    from dashboard.exports.record_files import records_csv

    return records_csv(records, hxl=True)


def _jsonl(records: Any, _context: Context) -> bytes:
    from dashboard.exports.record_files import records_jsonl

    return records_jsonl(records)


def _datapackage(records: Any, context: Context) -> bytes:
    from dashboard.exports.data_package import datapackage_zip

    return datapackage_zip(records, title=context.title, description=context.description, extracted=context.extracted)


FORMATS: tuple[Format, ...] = (
    Format("png", "PNG", ".png", "image/png", ":material/image:",
           "the chart as a PNG, title, filters, sources and extraction date on the image", "chart"),
    Format("html", "Interactive HTML (works offline)", ".html", "text/html", ":material/code:",
           "the chart as one HTML file with plotly.js inside and the tooltips", "chart"),
    Format("csv", "CSV", ".csv", "text/csv", ":material/table:",
           "the records as plain CSV; formula-like text cells start with a quote", "records", True,
           _csv),
    Format("hxl", "HXL CSV", "-hxl.csv", "text/csv", ":material/tag:",
           "the records as CSV with a row of HXL hashtags under the header (hxlstandard.org)", "records", True,
           _hxl),
    Format("jsonl", "JSON lines", ".jsonl", "application/x-ndjson", ":material/data_object:",
           "the records as JSON lines, one object per record", "records", True,
           _jsonl),
    Format("datapackage", "Data package (zip)", ".zip", "application/zip", ":material/folder_zip:",
           "a zip Frictionless data package: the records' and sources' CSVs, field descriptions", "records", False,
           _datapackage),
)  # fmt: skip
FORMAT: dict[str, Format] = {format_.name: format_ for format_ in FORMATS}
RECORD_FORMATS: tuple[Format, ...] = tuple(format_ for format_ in FORMATS if format_.subject == "records")
CHART_FORMATS: tuple[Format, ...] = tuple(format_ for format_ in FORMATS if format_.subject == "chart")
