"""Ingestion semantics on SQLite and PostgreSQL: idempotence, versions, failures, the dashboard's queries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from store_helpers import brief_text, expected_records, write_brief, write_briefs

from extractors import extract, extract_file
from extractors.document import DocumentMeta, content_hash
from extractors.record import FIELDS
from store import (
    CURRENT_COLUMNS,
    FAILED,
    NEW,
    NEW_VERSION,
    UNCHANGED,
    LoadedSource,
    count_documents,
    current_records,
    discover,
    get_document,
    ingest_paths,
    ingest_source,
    iter_records,
    sources,
)


def _table_counts(engine) -> tuple[int, int]:
    with engine.connect() as connection:
        documents = connection.execute(sa.text("SELECT count(*) FROM documents")).scalar()
        records = connection.execute(sa.text("SELECT count(*) FROM records")).scalar()
    return documents, records


def test_reingest_adds_nothing(engine, tmp_path: Path) -> None:
    paths = write_briefs(tmp_path / "docs", 6)
    first = ingest_paths(engine, [tmp_path / "docs"])
    assert [r.status for r in first.results] == [NEW] * 6
    assert first.records_added == expected_records(paths) > 0
    counts = _table_counts(engine)
    assert counts == (6, first.records_added)

    second = ingest_paths(engine, [tmp_path / "docs", *paths])  # named twice: ingested once
    assert [r.status for r in second.results] == [UNCHANGED] * 6
    assert second.records_added == 0
    assert second.line() == "documents: 0 new, 6 unchanged, 0 new versions, 0 failed; records added: 0"
    assert _table_counts(engine) == counts


def test_records_are_the_extractors_records(engine, tmp_path: Path) -> None:
    path = write_brief(tmp_path, 1)
    result = ingest_source(engine, path)
    assert result.status == NEW and result.version == 1
    stored = list(iter_records(engine))
    assert [{name: row[name] for name in FIELDS} for row in stored] == [r.to_dict() for r in extract_file(path)]
    assert {(row["doc_id"], row["page"], row["review_status"], row["superseded"]) for row in stored} == {
        (content_hash(path.read_text()), None, "unreviewed", False)
    }


def test_changed_document_becomes_a_new_version(engine, tmp_path: Path) -> None:
    path = write_brief(tmp_path, 2)
    v1 = ingest_source(engine, path)
    old_records = {r.record_id for r in extract_file(path)}

    write_brief(tmp_path, 2, revision=1)  # same origin, new text
    v2 = ingest_source(engine, path)
    assert (v2.status, v2.version) == (NEW_VERSION, 2)
    assert v2.doc_id != v1.doc_id and v2.records_added == len(extract_file(path))

    old = get_document(engine, v1.doc_id)
    new = get_document(engine, v2.doc_id)
    assert old["superseded_at"] is not None and old["version"] == 1
    assert new["superseded_at"] is None and new["version"] == 2 and new["origin"] == old["origin"] == str(path.resolve())

    everything = list(iter_records(engine, include_superseded=True))
    assert {r["record_id"] for r in everything if r["superseded"]} == old_records  # kept, marked
    frame = current_records(engine)
    assert set(frame["doc_id"]) == {v2.doc_id}
    assert not set(frame["record_id"]) & old_records
    assert count_documents(engine) == 1 and count_documents(engine, include_superseded=True) == 2

    assert ingest_source(engine, path).status == UNCHANGED  # v2 again: nothing

    write_brief(tmp_path, 2, revision=0)  # changed back to the first text: v1 becomes current again as version 3
    back = ingest_source(engine, path)
    assert (back.status, back.doc_id, back.version) == (NEW_VERSION, v1.doc_id, 3)
    assert set(current_records(engine)["record_id"]) == old_records
    assert get_document(engine, v2.doc_id)["superseded_at"] is not None
    assert _table_counts(engine) == (2, len(old_records) + v2.records_added)


def test_same_text_at_another_path_is_stored_once(engine, tmp_path: Path) -> None:
    first = write_brief(tmp_path / "a", 3)
    copy = write_brief(tmp_path / "b", 3)
    assert ingest_source(engine, first).status == NEW
    again = ingest_source(engine, copy)
    assert again.status == UNCHANGED and again.doc_id == content_hash(first.read_text())
    assert _table_counts(engine)[0] == 1


def test_malformed_files_fail_and_the_rest_go_on(engine, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    good = write_briefs(docs, 3)
    (docs / "binary.txt").write_bytes(b"\x00\x01\x02 not text")
    (docs / "broken.txt").write_text("Strikes killed 12 people in Gaza.")
    (docs / "broken.meta.json").write_text("{not json")
    (tmp_path / "scan.docx").write_bytes(b"PK\x03\x04")
    summary = ingest_paths(engine, [docs, tmp_path / "missing.txt", tmp_path / "scan.docx"])
    by_name = {Path(r.source).name: r for r in summary.results}
    assert [by_name[p.name].status for p in good] == [NEW] * 3
    assert "binary file" in by_name["binary.txt"].error
    assert "broken.meta.json" in by_name["broken.txt"].error
    assert "no such file" in by_name["missing.txt"].error
    assert ".docx" in by_name["scan.docx"].error
    assert {r.status for r in summary.failures} == {FAILED} and len(summary.failures) == 4
    assert summary.line() == f"documents: 3 new, 0 unchanged, 0 new versions, 4 failed; records added: {expected_records(good)}"
    assert _table_counts(engine) == (3, expected_records(good))


def test_warnings_are_reported(engine, tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Strikes killed 12 people in Gaza, caf\xe9 owners said.".encode("latin-1"))
    (tmp_path / "latin1.meta.json").write_text(json.dumps({"published": "yesterday"}))
    result = ingest_source(engine, path)
    assert result.status == NEW
    assert any("UTF-8" in note for note in result.warnings) and any("publication date" in note for note in result.warnings)


def test_pages_and_urls_from_a_loaders_package(engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """When extractors.loaders provides load(), its origin (a URL here), content type and pages are stored."""
    text = "Page one.\n\nStrikes killed 30 people in Gaza.\fPage two. Floods displaced 2,000 people in Sudan.\n"
    second_page = text.index("\f") + 1

    class Loaded:
        def __init__(self, source: str) -> None:
            self.text, self.origin, self.content_type = text, source, "application/pdf"
            self.meta = DocumentMeta(doc="report.pdf", title="A report", url=source, published="2025-05-04")
            self.pages, self.raw_sha256 = (0, second_page), "0" * 64

    monkeypatch.setattr(sources, "_package_load", lambda: Loaded)
    result = ingest_source(engine, "https://example.org/report.pdf")
    assert result.status == NEW
    frame = current_records(engine)
    assert list(frame.columns) == list(CURRENT_COLUMNS)
    pages = {row.raw_value: row.page for row in frame.itertuples()}
    assert pages == {"30": 1, "2,000": 2}
    document = get_document(engine, result.doc_id)
    assert document["page_map"] == [0, second_page]
    assert (document["origin"], document["content_type"], document["doc"]) == (
        "https://example.org/report.pdf",
        "application/pdf",
        "report.pdf",
    )
    assert (document["title"], document["url"], document["published"], document["text"]) == (
        "A report",
        "https://example.org/report.pdf",
        "2025-05-04",
        text,
    )


def test_urls_need_the_loaders_package(engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "_package_load", lambda: None)
    result = ingest_source(engine, "https://example.org/report.html")
    assert result.status == FAILED and "extractors.loaders" in result.error


def test_current_records_and_get_document(engine, tmp_path: Path) -> None:
    paths = write_briefs(tmp_path, 2)
    ingest_paths(engine, paths)
    frame = current_records(engine)
    assert list(frame.columns) == list(CURRENT_COLUMNS)
    assert len(frame) == expected_records(paths)
    assert frame["value"].dtype == "float64" and str(frame["page"].dtype) == "Int64"
    assert set(frame["review_status"]) == {"unreviewed"}
    first = get_document(engine, frame["doc_id"].iloc[0])
    assert first["text"] == brief_text(0) and first["title"] == "Report 0" and first["kind"] == "summary"
    assert first["url"] == "https://example.org/report-0" and first["published"] == "2025-05-04" and first["page_map"] == []
    with pytest.raises(KeyError):
        get_document(engine, "0" * 64)


def test_empty_store_queries(engine) -> None:
    frame = current_records(engine)
    assert frame.empty and list(frame.columns) == list(CURRENT_COLUMNS)
    assert list(iter_records(engine)) == []


def test_folder_walk_skips_readmes_sidecars_and_hidden_files(tmp_path: Path) -> None:
    briefs = write_briefs(tmp_path, 2)
    loose = tmp_path / "notes.md"
    loose.write_text("Strikes killed 3 people in Gaza.")
    for name in ("README.md", "readme.txt", "LICENSE.txt", ".hidden.txt", "data.csv"):
        (tmp_path / name).write_text("Strikes killed 3 people.")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("x")
    assert discover([tmp_path]) == [str(p) for p in sorted([*briefs, loose])]
    assert discover([tmp_path], briefs_only=True) == [str(p) for p in briefs]
    assert discover([tmp_path / "README.md"]) == [str(tmp_path / "README.md")]  # named explicitly: taken


def test_loaded_source_pages() -> None:
    loaded = LoadedSource("abc", DocumentMeta(), "x", "text/plain")
    assert loaded.page_of(1) is None
    assert extract("Strikes killed 3 people.")  # the extractor this suite relies on is there
