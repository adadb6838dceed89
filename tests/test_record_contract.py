"""The record contract: field names and order, immutability, enums and vocabularies, provenance."""

from __future__ import annotations

import dataclasses
import json
import re
import tomllib
from pathlib import Path

import pytest

import extractors
from extractors import FIELDS, INDICATORS, MEASURES, QUALIFIERS, DocumentMeta, IndicatorRecord, extract, extract_file

DATA_DIR = Path(__file__).resolve().parents[1] / "extractors" / "data"

# The contract's 23 names, in order. They must never change: dashboards and exports read them.
CONTRACT = (
    "record_id", "doc", "indicator", "outcome", "value", "low", "high", "qualifier", "unit", "raw_value", "raw_unit",
    "measure", "population", "location", "attribution", "quote", "char_start", "char_end", "source", "url",
    "published", "reference_date", "extractor_version",
)  # fmt: skip
EXTRAS = ("location_iso3", "place", "raw_qualifier", "unit_factor", "quote_start", "title", "doc_kind")

CONTRACT_INDICATORS = {
    "deaths",
    "injured",
    "displaced",
    "famine_exposure",
    "food_insecurity",
    "aid_worker_casualties",
}
CONTRACT_QUALIFIERS = {"exact", "at_least", "more_than", "at_most", "fewer_than", "approx", "range", "vague"}
CONTRACT_MEASURES = {"cumulative", "period", "rate", "snapshot"}
HXL_HASHTAG = re.compile(r"^#[a-z][a-z0-9_]*(?:\+[a-z][a-z0-9_]*)*$")

SENTENCE = "Israeli strikes killed at least 30 people in Khan Younis, the Gaza health ministry said."


@pytest.fixture(scope="module")
def record() -> IndicatorRecord:
    records = extract(SENTENCE, meta={"doc": "brief.txt", "publisher": "OCHA", "published": "2025-05-03"})
    assert len(records) == 1
    return records[0]


def test_fields_start_with_the_contract_names_in_order() -> None:
    assert len(CONTRACT) == 23
    assert FIELDS[: len(CONTRACT)] == CONTRACT


def test_extra_fields_follow_the_contract() -> None:
    assert set(EXTRAS) <= set(FIELDS[len(CONTRACT) :])
    assert len(FIELDS) == len(set(FIELDS)), "a field name is repeated"


def test_fields_are_the_dataclass_fields() -> None:
    assert tuple(field.name for field in dataclasses.fields(IndicatorRecord)) == FIELDS


def test_record_is_frozen(record: IndicatorRecord) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.value = 0.0  # type: ignore[misc]
    with pytest.raises((dataclasses.FrozenInstanceError, AttributeError, TypeError)):
        record.anything_else = 1  # type: ignore[attr-defined]


def test_to_dict_keys_are_fields_in_order(record: IndicatorRecord) -> None:
    row = record.to_dict()
    assert tuple(row) == FIELDS
    assert all(row[name] == getattr(record, name) for name in FIELDS)
    assert json.loads(json.dumps(row)) == row, "a record must survive a JSON round trip"


def test_record_values_have_the_contract_types(record: IndicatorRecord) -> None:
    assert isinstance(record.value, float)
    assert isinstance(record.char_start, int) and isinstance(record.char_end, int)
    assert record.extractor_version == extractors.__version__
    assert re.fullmatch(r"[0-9a-f]{8,}", record.record_id)
    assert record.published == "2025-05-03" and record.doc == "brief.txt"
    assert record.quote == SENTENCE and record.quote_start == 0
    assert (record.location, record.location_iso3, record.place) == ("Palestine", "PSE", "Khan Younis")
    assert record.raw_qualifier == "at least"


def test_enums_are_exactly_the_contracts() -> None:
    assert set(INDICATORS) == CONTRACT_INDICATORS and len(INDICATORS) == len(CONTRACT_INDICATORS)
    assert set(QUALIFIERS) == CONTRACT_QUALIFIERS and len(QUALIFIERS) == len(CONTRACT_QUALIFIERS)
    assert set(MEASURES) == CONTRACT_MEASURES and len(MEASURES) == len(CONTRACT_MEASURES)


def test_every_indicator_in_the_data_file_has_a_hxl_hashtag_and_description() -> None:
    with (DATA_DIR / "indicators.toml").open("rb") as handle:
        indicators = tomllib.load(handle)["indicators"]
    assert set(indicators) == set(INDICATORS)
    for name, spec in indicators.items():
        assert HXL_HASHTAG.match(spec.get("hxl", "")), f"{name}: HXL hashtag {spec.get('hxl')!r}"
        assert len(spec.get("description", "").split()) >= 3, f"{name}: no description"
        assert spec.get("outcomes"), f"{name}: no outcomes"


def test_record_ids_are_stable_and_differ_for_two_occurrences() -> None:
    text = "Strikes killed 30 people.\n\nStrikes killed 30 people."
    first, second = extract(text)
    assert first.record_id != second.record_id
    assert [r.record_id for r in extract(text)] == [first.record_id, second.record_id]
    assert extract(text + " ")[0].record_id != first.record_id, "the id must depend on the document text"


@pytest.mark.parametrize(
    ("meta", "source"),
    [
        ({"doc": "brief.txt", "publisher": "Reuters", "url": "https://www.apnews.com/a"}, "Reuters"),
        ({"doc": "brief.txt", "url": "https://www.reuters.com/world/gaza-2025/"}, "reuters.com"),
        ({"doc": "brief.txt", "url": "https://reliefweb.int/report/sudan"}, "reliefweb.int"),
        ({"doc": "brief.txt", "url": "not a url"}, "brief.txt"),
        ({"doc": "brief.txt"}, "brief.txt"),
        ({"doc": "brief.txt", "publisher": "  "}, "brief.txt"),
    ],
    ids=["publisher", "url-domain-without-www", "url-domain", "unparsable-url", "file-name", "blank-publisher"],
)
def test_source_falls_back_to_url_domain_then_file_name(meta: dict[str, str], source: str) -> None:
    assert DocumentMeta.from_mapping(meta).source == source
    records = extract("Strikes killed 30 people.", meta=meta)
    assert [r.source for r in records] == [source]


def test_source_of_a_file_without_sidecar_is_its_file_name(tmp_path: Path) -> None:
    path = tmp_path / "sudan_brief.txt"
    path.write_text("Fighting in El Fasher killed 30 people.", encoding="utf-8")
    records = extract_file(path)
    assert [(r.doc, r.source, r.url, r.published) for r in records] == [("sudan_brief.txt", "sudan_brief.txt", None, None)]


def test_sidecar_gives_provenance_to_every_record(tmp_path: Path) -> None:
    path = tmp_path / "gaza.md"
    path.write_text("# Gaza\n\nStrikes killed 30 people.\n\nAnother 12 people were wounded.\n", encoding="utf-8")
    meta = {"title": "Gaza update", "url": "https://www.unocha.org/gaza", "published": "2025-05-03", "kind": "summary"}
    (tmp_path / "gaza.meta.json").write_text(json.dumps(meta), encoding="utf-8")
    records = extract_file(path)
    assert len(records) == 2
    for r in records:
        assert (r.doc, r.source, r.url, r.published, r.title, r.doc_kind) == (
            "gaza.md",
            "unocha.org",
            meta["url"],
            "2025-05-03",
            "Gaza update",
            "summary",
        )
