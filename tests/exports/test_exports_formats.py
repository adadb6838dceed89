"""The one table of download formats (dashboard/exports/formats.py): the command line and the buttons read it."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest

from dashboard import export
from dashboard.exports import record_files
from dashboard.exports.formats import FORMAT, FORMATS, RECORD_FORMATS, Context


def test_the_command_line_offers_the_table_s_formats_and_no_other():
    parser = export.build_parser()
    options = {option for action in parser._actions for option in action.option_strings}
    assert tuple(format_.name for format_ in FORMATS) == export.OUTPUTS
    assert {f"--{format_.name}" for format_ in FORMATS} <= options
    assert export.TEXT_OUTPUTS == ("csv", "hxl", "jsonl")


@pytest.mark.parametrize(
    ("name", "direct"),
    [
        pytest.param("csv", lambda records: record_files.records_csv(records), id="csv"),
        pytest.param("hxl", lambda records: record_files.records_csv(records, hxl=True), id="hxl"),
        pytest.param("jsonl", lambda records: record_files.records_jsonl(records), id="jsonl"),
    ],
)
def test_a_record_format_builds_the_same_bytes_as_its_writer(corpus_records, name, direct):
    assert FORMAT[name].build(corpus_records, Context()) == direct(corpus_records)


def test_the_data_package_carries_the_context(corpus_records):
    built = FORMAT["datapackage"].build(corpus_records, Context(title="Deaths in Gaza", description="Filters: none",
                                                                extracted=date(2025, 6, 1)))  # fmt: skip
    with zipfile.ZipFile(io.BytesIO(built)) as archive:
        descriptor = archive.read("datapackage.json").decode()
    assert "Deaths in Gaza" in descriptor and "Filters: none" in descriptor


@pytest.mark.parametrize(
    ("name", "stem", "file_name", "mime"),
    [
        pytest.param("png", "deaths-PSE", "deaths-PSE.png", "image/png", id="png"),
        pytest.param("html", "deaths-PSE", "deaths-PSE.html", "text/html", id="html"),
        pytest.param("csv", "records", "records.csv", "text/csv", id="csv"),
        pytest.param("hxl", "records", "records-hxl.csv", "text/csv", id="hxl"),
        pytest.param("jsonl", "records", "records.jsonl", "application/x-ndjson", id="jsonl"),
        pytest.param("datapackage", "records", "records.zip", "application/zip", id="datapackage"),
    ],
)
def test_file_names_and_media_types(name, stem, file_name, mime):
    assert (FORMAT[name].file_name(stem), FORMAT[name].mime) == (file_name, mime)


def test_chart_formats_are_drawn_by_the_caller_and_record_formats_build_themselves():
    assert all(format_.build is None for format_ in FORMATS if format_.subject == "chart")
    assert all(callable(format_.build) for format_ in RECORD_FORMATS)
    assert {format_.subject for format_ in FORMATS} == {"chart", "records"}

