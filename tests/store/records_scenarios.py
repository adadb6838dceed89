"""Stores for the current_records() tests: documents and records in shapes that test a reader's exactness,
and the plain and fast readings to compare (test_store_current_records.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from store import queries
from store.schema import documents, records

# Origins whose order differs between byte order and a linguistic collation (case, accents, punctuation).
ORIGINS = ("b/report", "B/report", "a_b", "ab", "A b", "élan", "zeta", "Zeta", "a-b")


def _document(number: int, origin: str, *, version: int = 1, superseded: bool = False, publisher: str | None = "Wire") -> dict:
    return {
        "doc_id": f"{number:064x}",
        "origin": origin,
        "doc": f"doc-{number}.txt",
        "title": f"Report {number}",
        "publisher": publisher,
        "url": f"https://example.org/{number}",
        "published": "2025-05-04",
        "kind": "summary",
        "source": "Wire",
        "content_type": "text/plain",
        "page_map": [],
        "text": f"text {number}",
        "ingested_at": f"2025-05-04T00:00:{number % 60:02d}+00:00",
        "version": version,
        "superseded_at": "2025-05-05T00:00:00+00:00" if superseded else None,
    }


def _record(doc_number: int, index: int, **changes: object) -> dict:
    record = {
        "record_id": f"{doc_number:08x}{index:08x}",
        "doc": f"doc-{doc_number}.txt",
        "indicator": "deaths",
        "outcome": "killed",
        "value": 100.0 + index * 1.1,
        "low": 100.0 + index * 1.1,
        "high": None,
        "qualifier": "at_least",
        "unit": "person",
        "raw_value": str(100 + index),
        "raw_unit": "people",
        "measure": "cumulative",
        "population": None,
        "location": "Sudan",
        "attribution": "the ministry",
        "quote": f"At least {100 + index} people were killed.",
        "char_start": 40 - index * 3,  # later figures first: the order must come from the sort
        "char_end": 43 - index * 3,
        "source": "Wire",
        "url": f"https://example.org/{doc_number}",
        "published": "2025-05-04",
        "reference_date": "2025-05-03",
        "extractor_version": "test",
        "location_iso3": "SDN",
        "place": None,
        "raw_qualifier": "at least",
        "unit_factor": 1.0,
        "quote_start": 0,
        "title": f"Report {doc_number}",
        "doc_kind": "summary",
        "doc_id": f"{doc_number:064x}",
        "page": None,
        "review_status": "unreviewed",
        "superseded": False,
        # The identity fields, varied (NULL on every third: a record stored before migration 5).
        "headline": (None, True, False)[index % 3],
        "scope": (None, "total", "part")[index % 3],
        "originator": (None, "Sudan Ministry of Health", None)[index % 3],
        "status": (None, "reported", "projected")[index % 3],
    }
    record.update(changes)
    return record


def _store(engine, docs: list[dict], rows: list[dict]) -> None:
    with engine.begin() as connection:
        connection.execute(documents.insert(), docs)
        connection.execute(records.insert(), rows)


def _versions_and_superseded() -> tuple[list[dict], list[dict]]:
    docs = [_document(n, origin) for n, origin in enumerate(ORIGINS)]
    docs.append(_document(20, ORIGINS[0], version=2))  # a newer version of the first origin...
    docs[0] = _document(0, ORIGINS[0], superseded=True)  # ...whose first version is superseded
    rows = [_record(n, i) for n in (*range(len(ORIGINS)), 20) for i in range(3)]
    rows.append(_record(3, 7, superseded=True))  # a superseded record of a current document
    return docs, rows


def _shared_spans() -> tuple[list[dict], list[dict]]:
    """Two documents whose figures share spans: indicator, then record_id, decide their order."""
    docs = [_document(1, "one"), _document(2, "two")]
    rows = [
        _record(1, 0, indicator="injured", char_start=5, char_end=8),
        _record(1, 1, indicator="deaths", char_start=5, char_end=8),
        _record(1, 2, indicator="aid_worker_casualties", char_start=5, char_end=8),
        _record(1, 3, indicator="deaths", char_start=5, char_end=9),
        _record(2, 0, indicator="deaths", char_start=5, char_end=8),
    ]
    return docs, rows


def _nulls() -> tuple[list[dict], list[dict]]:
    """Some columns NULL in some rows, others NULL in every row, pages on some records only."""
    docs = [_document(1, "one", publisher=None), _document(2, "two")]
    rows = [
        _record(1, 0, high=250.5, page=3, place="Khartoum"),
        _record(1, 1, low=None, qualifier="approx", page=None, attribution=None),
        _record(2, 0, location=None, location_iso3=None, reference_date=None, page=1),
    ]
    return docs, rows


def _single() -> tuple[list[dict], list[dict]]:
    return [_document(1, "one")], [_record(1, 0)]


SCENARIOS = [
    pytest.param(_versions_and_superseded, id="versions-and-superseded"),
    pytest.param(_shared_spans, id="records-sharing-a-span"),
    pytest.param(_nulls, id="null-columns"),
    pytest.param(_single, id="single-record"),
]


def assert_same_frame(fast: pd.DataFrame, plain: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(fast, plain, check_exact=True)
    for name in fast.columns:  # assert_frame_equal treats None and NaN alike in object columns
        if fast[name].dtype == object:
            assert list(map(repr, fast[name])) == list(map(repr, plain[name])), name


def plain_reading(engine, document_columns: tuple[str, ...] = ()) -> pd.DataFrame:
    with engine.connect() as connection:
        return queries._current_records_plain(connection, document_columns)


def fast_reading(engine, document_columns: tuple[str, ...] = (), *, ordered: bool = True) -> pd.DataFrame:
    with engine.connect() as connection:
        return queries._current_records_fast(connection, document_columns, ordered=ordered)
