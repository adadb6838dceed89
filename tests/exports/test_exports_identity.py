"""The identity fields (headline, scope, originator, status) in every records export: plain CSV, HXL CSV
(with their hashtags), JSON lines (headline a JSON boolean) and the data package's schema."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest

from dashboard.exports import data_package, record_files

IDENTITY = ("headline", "scope", "originator", "status")
ROWS = [
    pytest.param({"headline": True, "scope": "total", "originator": "UN OCHA", "status": "reported"}, id="headline-total"),
    pytest.param({"headline": False, "scope": "part", "originator": None, "status": "projected"}, id="projected-part"),
    pytest.param({"headline": pd.NA, "scope": None, "originator": None, "status": None}, id="stored-before-migration-5"),
]


def _frame(corpus_records: pd.DataFrame, values: dict) -> pd.DataFrame:
    frame = corpus_records.head(1).copy()
    for name, value in values.items():
        dtype = "boolean" if name == "headline" else object
        frame[name] = pd.Series([value], index=frame.index, dtype=dtype)
    return frame


def _csv_cells(data: bytes, skip: int = 0) -> dict[str, str]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    return dict(zip(rows[0], rows[1 + skip], strict=True))


def _written(value: object) -> str:
    return "" if value is None or value is pd.NA else str(value)


@pytest.mark.parametrize("values", ROWS)
def test_plain_csv_and_json_lines_carry_the_identity_fields(corpus_records, values):
    frame = _frame(corpus_records, values)
    cells = _csv_cells(record_files.records_csv(frame))
    assert {name: cells[name] for name in IDENTITY} == {name: _written(values[name]) for name in IDENTITY}
    line = json.loads(record_files.records_jsonl(frame))
    expected = {name: (None if values[name] is pd.NA else values[name]) for name in IDENTITY}
    assert {name: line[name] for name in IDENTITY} == expected


def test_hxl_csv_tags_the_identity_fields(corpus_records):
    frame = _frame(corpus_records, {"headline": True, "scope": "total", "originator": "UNHCR", "status": "reported"})
    tags = _csv_cells(record_files.records_csv(frame, hxl=True))
    assert [tags[name] for name in IDENTITY] == ["#meta+headline", "#meta+scope", "#org+originator", "#status+figure"]
    assert _csv_cells(record_files.records_csv(frame, hxl=True), skip=1)["originator"] == "UNHCR"


def test_data_package_describes_the_identity_fields(corpus_records):
    descriptor = data_package.datapackage_descriptor(_frame(corpus_records, {"headline": True}))
    for resource in ("records", "records-hxl"):
        fields = next(r for r in descriptor["resources"] if r["name"] == resource)["schema"]["fields"]
        described = {field["name"]: (field["type"], field["hxl"]) for field in fields if field["name"] in IDENTITY}
        assert described == {
            "headline": ("boolean", "#meta+headline"),
            "scope": ("string", "#meta+scope"),
            "originator": ("string", "#org+originator"),
            "status": ("string", "#status+figure"),
        }


def test_corpus_records_are_exported_with_one_headline_per_group_at_most(corpus_records):
    objects = [json.loads(line) for line in record_files.records_jsonl(corpus_records).decode("utf-8").splitlines()]
    assert all(isinstance(item["headline"], bool) for item in objects)
    groups = [(o["doc"], o["indicator"], o["outcome"], o["location"]) for o in objects if o["headline"]]
    assert len(groups) == len(set(groups)) > 0
