"""The identity fields (headline, scope, originator, status) go into the store and come back out as extracted:
through current_records() (each reading path), iter_records() and the CSV export."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from extractors import extract_file
from store import current_records, export_records, ingest_source, iter_records, open_store

IDENTITY = ("headline", "scope", "originator", "status")

# A short report in our own words: a running total credited to a ministry, a subgroup of it, one
# day's toll, and a projection credited to the UN humanitarian office.
REPORT = (
    "Fighting in Darfur: Toll Rises\n\n"
    "Since the war began, at least 21,400 people have been killed in Sudan, including 3,100 children, "
    "the Sudanese health ministry said on Tuesday. "
    "Shelling killed 18 people in El Fasher on Monday. "
    "The UN humanitarian office said up to 900,000 more people could be displaced by September.\n"
)


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "docs" / "darfur.txt"
    path.parent.mkdir()
    path.write_text(REPORT, encoding="utf-8")
    meta = {"title": "Fighting in Darfur: Toll Rises", "publisher": "Test Wire", "published": "2025-05-06"}
    path.with_suffix(".meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return path


def _identity(rows) -> dict[str, tuple]:
    return {row["record_id"]: tuple(row[name] for name in IDENTITY) for row in rows}


def test_identity_fields_round_trip(store_url: str, report: Path) -> None:
    extracted = _identity([record.to_dict() for record in extract_file(report)])
    assert (True, "total", "Sudan Ministry of Health", "reported") in extracted.values()
    assert any(status == "projected" for *_, status in extracted.values())
    engine = open_store(store_url)
    try:
        assert ingest_source(engine, report).status == "new"
        frame = current_records(engine)
        assert str(frame["headline"].dtype) == "boolean"
        rows = frame[["record_id", *IDENTITY]].astype(object).where(frame.notna(), None).to_dict("records")
        assert _identity(rows) == extracted
        assert _identity(iter_records(engine)) == extracted
        out = io.StringIO()
        export_records(engine, out, output_format="csv")
        exported = list(csv.DictReader(io.StringIO(out.getvalue())))
        assert {row["record_id"]: row["headline"] for row in exported} == {key: str(value[0]) for key, value in extracted.items()}
    finally:
        engine.dispose()
