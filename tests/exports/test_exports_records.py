"""Records downloads: plain CSV, HXL CSV (read back and validated by libhxl), JSON lines, the zip data package."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from exports_testkit import HOSTILE_QUOTE_PART

from dashboard.exports import data_package, record_files
from dashboard.exports.record_files import DOWNLOAD_COLUMNS


def read_csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8"), newline="")))


def one_record(records: pd.DataFrame, **changes: object) -> pd.DataFrame:
    frame = records.head(1).copy()
    for column, value in changes.items():
        frame[column] = pd.Series([value], index=frame.index, dtype=object)
    return frame


# ---- plain CSV ------------------------------------------------------------------------------


def test_plain_csv_has_every_contract_field_and_every_record(corpus_records):
    rows = read_csv_rows(record_files.records_csv(corpus_records))
    assert rows[0] == list(DOWNLOAD_COLUMNS)
    assert len(rows) == len(corpus_records) + 1
    back = pd.read_csv(io.BytesIO(record_files.records_csv(corpus_records)))
    assert back["record_id"].tolist() == corpus_records["record_id"].astype(str).tolist()
    assert back["value"].tolist() == pytest.approx(corpus_records["value"].tolist())
    assert pd.api.types.is_numeric_dtype(back["value"]) and pd.api.types.is_integer_dtype(back["char_start"])


def test_integral_figures_are_written_without_a_decimal_point(corpus_records):
    frame = one_record(corpus_records, value=57575.0, low=57575.0, high=None, unit_factor=5.6)
    header, row = read_csv_rows(record_files.records_csv(frame))
    cells = dict(zip(header, row, strict=True))
    assert (cells["value"], cells["low"], cells["high"], cells["unit_factor"]) == ("57575", "57575", "", "5.6")


FORMULAS = [
    ("quote", '=HYPERLINK("http://evil.example","click")', '\'=HYPERLINK("http://evil.example","click")'),
    ("quote", "+1", "'+1"),
    ("raw_value", "-2", "'-2"),
    ("attribution", "@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("title", "\tcmd", "'\tcmd"),
    ("source", "\rcmd", "'\rcmd"),
    ("place", "=1+1", "'=1+1"),
    ("url", "=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
    ("quote", "Killed: 57,575 (= at least)", "Killed: 57,575 (= at least)"),
    ("quote", "a - b", "a - b"),
    ("raw_value", "57,575", "57,575"),
]
NUMBERS = [
    ("value", -2.0, "-2"),
    ("low", -5.5, "-5.5"),
    ("high", 3.0, "3"),
    ("char_start", -1, "-1"),
    ("unit_factor", 5.6, "5.6"),
]


@pytest.mark.parametrize("hxl", [False, True], ids=["plain", "hxl"])
@pytest.mark.parametrize(("column", "value", "expected"), FORMULAS, ids=[f"{c}:{v[:12]!r}" for c, v, _ in FORMULAS])
def test_formula_cells_are_neutralized_in_text_columns(corpus_records, hxl, column, value, expected):
    rows = read_csv_rows(record_files.records_csv(one_record(corpus_records, **{column: value}), hxl=hxl))
    header, row = rows[0], rows[-1]
    assert row[header.index(column)] == expected


@pytest.mark.parametrize("hxl", [False, True], ids=["plain", "hxl"])
@pytest.mark.parametrize(("column", "value", "expected"), NUMBERS, ids=[c for c, _, _ in NUMBERS])
def test_numbers_stay_numbers_even_when_negative(corpus_records, hxl, column, value, expected):
    rows = read_csv_rows(record_files.records_csv(one_record(corpus_records, **{column: value}), hxl=hxl))
    header, row = rows[0], rows[-1]
    assert row[header.index(column)] == expected
    assert float(row[header.index(column)]) == value


def test_the_hostile_brief_is_neutralized_in_the_csv(hostile_records):
    header, *rows = read_csv_rows(record_files.records_csv(hostile_records))
    titles = {row[header.index("title")] for row in rows}
    assert titles == {"'" + str(hostile_records["title"].iloc[0])}
    assert any(HOSTILE_QUOTE_PART in row[header.index("quote")] for row in rows)  # text, kept as written


def test_a_non_number_in_a_numeric_column_is_left_empty(corpus_records):
    header, row = read_csv_rows(record_files.records_csv(one_record(corpus_records, value="=1+1", page="x")))
    assert row[header.index("value")] == "" and row[header.index("page")] == ""


def test_an_empty_selection_gives_just_the_header(corpus_records):
    assert read_csv_rows(record_files.records_csv(corpus_records.head(0))) == [list(DOWNLOAD_COLUMNS)]
    assert len(read_csv_rows(record_files.records_csv(corpus_records.head(0), hxl=True))) == 2


def test_a_raw_store_frame_without_the_dashboard_columns_exports_too(test_store):
    from store import current_records, open_store

    engine = open_store(test_store)
    try:
        frame = current_records(engine)
    finally:
        engine.dispose()
    header, *rows = read_csv_rows(record_files.records_csv(frame))
    assert header == list(DOWNLOAD_COLUMNS) and len(rows) == len(frame)
    assert {row[header.index("publisher")] for row in rows} == {""}


# ---- HXL ------------------------------------------------------------------------------------

INDICATOR_TAGS = [
    ("deaths", None, "#affected+killed"),
    ("injured", None, "#affected+injured"),
    ("displaced", None, "#affected+displaced"),
    ("famine_exposure", None, "#affected+food+ipc+p5"),
    ("food_insecurity", None, "#affected+food+ipc+p3plus"),
    ("aid_worker_casualties", "killed", "#affected+killed+aidworkers"),
    ("aid_worker_casualties", "kidnapped", "#affected+kidnapped+aidworkers"),
    ("aid_worker_casualties", None, "#affected+aidworkers"),
    ("cholera_cases", None, "#affected+cholera_cases"),
]


@pytest.mark.parametrize(("indicator", "outcome", "tag"), INDICATOR_TAGS)
def test_indicator_hashtags_come_from_indicators_toml(indicator, outcome, tag):
    assert record_files.indicator_hxl(indicator, outcome) == tag


@pytest.fixture(scope="module")
def hxl_dataset(corpus_records):
    import hxl

    content = record_files.records_csv(corpus_records, hxl=True)
    return hxl.data(io.BytesIO(content)).cache(), content


def test_hxl_csv_reads_back_with_its_tags(hxl_dataset, corpus_records):
    dataset, content = hxl_dataset
    header, tags = read_csv_rows(content)[:2]
    assert [column.display_tag for column in dataset.columns] == tags
    assert [column.header for column in dataset.columns] == header
    for expected in ("#date+reported", "#date+published", "#affected+killed", "#affected+injured", "#affected+displaced",
                     "#affected+food+ipc+p5", "#affected+killed+aidworkers", "#meta+source", "#meta+url", "#country+code",
                     "#country+name", "#meta+quote", "#meta+id", "#indicator+num"):  # fmt: skip
        assert expected in tags, expected
    assert len(list(dataset)) == len(corpus_records)


def test_hxl_values_round_trip(hxl_dataset, corpus_records):
    dataset, _ = hxl_dataset
    expected = corpus_records.set_index(corpus_records["record_id"].astype(str))
    checked = 0
    for row in dataset:
        record = expected.loc[row.get("#meta+id")]
        indicator, outcome = str(record["indicator"]), record["outcome"]
        assert float(row.get("#indicator+num")) == pytest.approx(float(record["value"]))
        assert row.get("#indicator+code") == indicator
        assert row.get("#country+code", default="") == (
            record["location_iso3"] if isinstance(record["location_iso3"], str) else ""
        )
        assert row.get("#date+reported", default="") == (
            record["reference_date"] if isinstance(record["reference_date"], str) else ""
        )
        tag = record_files.indicator_hxl(indicator, outcome if indicator == "aid_worker_casualties" else None)
        figures = [value for column, value in zip(row.columns, row.values, strict=True) if column.display_tag == tag]
        assert figures and float(figures[0]) == pytest.approx(float(record["value"]))
        others = [v for c, v in zip(row.columns, row.values, strict=True) if c.tag == "#affected" and c.display_tag != tag]
        assert not any(others), "a figure must appear only in its own indicator's column"
        checked += 1
    assert checked == len(corpus_records)
    killed = dataset.with_rows("#indicator+code=deaths").values
    assert killed and all(row for row in killed)


def test_hxl_csv_passes_libhxl_validation(hxl_dataset):
    """The default schema (numbers where HXL expects numbers, dates where dates...) finds no error; ours neither."""
    import hxl

    dataset, _ = hxl_dataset
    problems: list = []
    dataset.validate(callback=problems.append)
    assert [p.message for p in problems if p.rule.severity == "error"] == []
    schema = hxl.schema(
        [
            ["#valid_tag", "#valid_required", "#valid_datatype", "#valid_value+regex", "#valid_unique", "#valid_severity"],
            ["#meta+id-doc", "true", "", "", "true", "error"],
            ["#indicator+code", "true", "", "^[a-z_]+$", "", "error"],
            ["#indicator+num", "true", "number", "", "", "error"],
            ["#affected", "", "number", "", "", "error"],
            ["#date+reported", "", "date", "", "", "error"],
            ["#date+published", "", "date", "", "", "error"],
            ["#country+code", "", "", "^[A-Z]{3}$", "", "error"],
            ["#meta+quote", "true", "", "", "", "error"],
        ]
    )
    ours: list = []
    schema.callback = ours.append
    assert schema.validate(dataset), [(p.message, p.value) for p in ours]


def test_hxl_schema_catches_a_broken_file():
    """The validation really checks: a text in a figure column is an error."""
    import hxl

    broken = hxl.data([["id", "deaths"], ["#meta+id", "#affected+killed"], ["r1", "=1+1"]])
    problems: list = []
    broken.validate(callback=problems.append)
    assert any(p.rule.severity == "error" for p in problems)


# ---- JSON lines -----------------------------------------------------------------------------


def test_json_lines_hold_every_record_with_nulls_and_numbers(corpus_records):
    lines = record_files.records_jsonl(corpus_records).decode("utf-8").splitlines()
    assert len(lines) == len(corpus_records)
    objects = [json.loads(line) for line in lines]
    assert all(list(item) == list(DOWNLOAD_COLUMNS) for item in objects)
    first = objects[0]
    assert isinstance(first["value"], int | float) and isinstance(first["char_start"], int)
    assert any(item["high"] is None for item in objects)
    assert [item["record_id"] for item in objects] == corpus_records["record_id"].astype(str).tolist()


# ---- data package ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def package_dir(corpus_records, tmp_path_factory) -> Path:
    from datetime import date

    content = data_package.datapackage_zip(
        corpus_records, title="Sample corpus", description="All records", extracted=date(2025, 11, 25)
    )
    folder = tmp_path_factory.mktemp("package")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert sorted(archive.namelist()) == [
            "README.md",
            "data/records-hxl.csv",
            "data/records.csv",
            "data/sources.csv",
            "datapackage.json",
        ]
        archive.extractall(folder)
    return folder


def test_data_package_validates_with_frictionless(package_dir):
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(package_dir / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]


def test_data_package_describes_fields_and_sources(package_dir, corpus_records):
    descriptor = json.loads((package_dir / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["title"] == "Sample corpus" and descriptor["extracted"] == "2025-11-25"
    resources = {resource["name"]: resource for resource in descriptor["resources"]}
    assert set(resources) == {"records", "records-hxl", "sources"}
    fields = resources["records"]["schema"]["fields"]
    assert [field["name"] for field in fields] == list(DOWNLOAD_COLUMNS)
    assert all(field["type"] in {"string", "number", "integer", "date", "boolean"} and field["description"] for field in fields)
    types = {field["name"]: field["type"] for field in fields}
    assert (types["headline"], types["scope"], types["originator"], types["status"]) == ("boolean", "string", "string", "string")
    assert (types["value"], types["char_start"], types["reference_date"], types["quote"]) == (
        "number",
        "integer",
        "date",
        "string",
    )
    assert resources["records"]["schema"]["primaryKey"] == ["record_id"]
    documents = corpus_records["doc_id"].nunique()
    assert len(descriptor["sources"]) == documents
    assert all(source["title"] for source in descriptor["sources"])
    assert all(source["path"].startswith(("https://", "http://")) for source in descriptor["sources"] if "path" in source)
    assert sum("path" in source for source in descriptor["sources"]) >= documents - 2
    assert len(read_csv_rows((package_dir / "data" / "sources.csv").read_bytes())) == documents + 1


def test_data_package_of_hostile_records_drops_unsafe_links(hostile_records):
    descriptor = data_package.datapackage_descriptor(hostile_records)
    assert all("path" not in source for source in descriptor["sources"])  # javascript: is no source link
    assert descriptor["sources"][0]["title"].startswith("Reuters <b>wire</b>")  # JSON text, not markup
