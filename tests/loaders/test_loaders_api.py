"""The public functions of extractors.loaders, the CLI on HTML and PDF files, the error classes."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import extractors.loaders as loaders
from extractors import DocumentMeta, ExtractionError, InvalidMetadata, UnreadableDocument, extract_file
from extractors.cli import run_extract
from extractors.loaders import (
    TEXT,
    DocumentTooLarge,
    FetchFailed,
    FetchTimeout,
    HTTPStatusError,
    LoadedDocument,
    NoTextFound,
    is_sidecar,
    is_supported,
    iter_documents,
    load,
    read_document,
    read_meta,
    sidecar_for,
)

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def corpus(tmp_path: Path, documents: Path) -> Path:
    """A folder of documents of every kind, with sidecars and files to skip."""
    for name in ("gaza_news.html", "sudan_jsonld.htm", "two_column_sitrep.pdf"):
        shutil.copy(documents / name, tmp_path / name)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "brief.md").write_text("# Brief\n\nFloods killed at least 12 people, officials said.\n")
    (tmp_path / "sub" / "brief.meta.json").write_text('{"publisher": "Example Agency"}')
    (tmp_path / "two_column_sitrep.pdf.meta.json").write_text('{"publisher": "UN OCHA"}')
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "notes.csv").write_text("a,b\n")
    return tmp_path


def test_iter_documents_walks_folders_for_every_supported_suffix(corpus: Path) -> None:
    found = iter_documents([corpus])
    assert [p.relative_to(corpus).as_posix() for p in found] == [
        "gaza_news.html",
        "sub/brief.md",
        "sudan_jsonld.htm",
        "two_column_sitrep.pdf",
    ]


def test_iter_documents_keeps_files_and_urls_as_given(corpus: Path) -> None:
    url = "https://news.example.org/world/gaza"
    assert iter_documents([corpus / "notes.csv", url]) == [corpus / "notes.csv", url]


@pytest.mark.parametrize(
    ("name", "supported"),
    [
        ("a.txt", True),
        ("a.MD", True),
        ("a.markdown", True),
        ("a.html", True),
        ("a.htm", True),
        ("a.xhtml", True),
        ("a.PDF", True),
        ("a.meta.json", False),
        ("a.pdf.meta.json", False),
        ("a.csv", False),
        ("a", False),
    ],
)
def test_is_supported(name: str, supported: bool) -> None:
    assert is_supported(Path(name)) is supported
    assert is_sidecar(Path(name)) is name.endswith(".meta.json")


@pytest.mark.parametrize("sidecar", ["report.meta.json", "report.pdf.meta.json"])
def test_sidecar_for_both_spellings(tmp_path: Path, sidecar: str) -> None:
    assert sidecar_for(tmp_path / "report.pdf") is None
    (tmp_path / sidecar).write_text("{}")
    assert sidecar_for(tmp_path / "report.pdf") == tmp_path / sidecar


def test_read_meta_is_the_sidecar_and_the_file_name(corpus: Path) -> None:
    assert read_meta(corpus / "sub" / "brief.md") == DocumentMeta(doc="brief.md", publisher="Example Agency")
    assert read_meta(corpus / "gaza_news.html") == DocumentMeta(doc="gaza_news.html")


@pytest.mark.parametrize(
    ("sidecar", "message"),
    [
        ("{not json", r"not a readable JSON object"),
        ("[1, 2]", r"must hold a JSON object"),
    ],
)
def test_bad_sidecar(tmp_path: Path, sidecar: str, message: str) -> None:
    (tmp_path / "a.txt").write_text("Text.")
    (tmp_path / "a.meta.json").write_text(sidecar)
    with pytest.raises(InvalidMetadata, match=message):
        load(tmp_path / "a.txt")


def test_read_document_is_load_without_the_rest(corpus: Path) -> None:
    for path in iter_documents([corpus]):
        document = load(path)
        assert read_document(path) == (document.text, document.meta)
        assert read_document(str(path)) == (document.text, document.meta)


def test_loaded_document_of_a_text_file(tmp_path: Path) -> None:
    path = tmp_path / "brief.txt"
    path.write_bytes(b"Floods killed 12 people.\n")
    document = load(str(path))
    assert document == LoadedDocument(
        text="Floods killed 12 people.\n",
        meta=DocumentMeta(doc="brief.txt"),
        origin=str(path.resolve()),
        content_type=TEXT,
        pages=(),
        raw_sha256=hashlib.sha256(b"Floods killed 12 people.\n").hexdigest(),
    )
    assert document.page_of(3) is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        document.text = "changed"  # type: ignore[misc]


def test_file_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("x" * 2000)
    with pytest.raises(DocumentTooLarge, match=r"big\.txt: 2,000 bytes is more than the 1,000 byte limit; split the file"):
        load(path, max_bytes=1000)


def test_extract_file_reads_pdf_and_html(documents: Path) -> None:
    pdf_records = extract_file(documents / "two_column_sitrep.pdf")
    assert [r.raw_value for r in pdf_records] == ["782", "1,640", "10.5 million", "24.6 million"]
    html_records = extract_file(documents / "gaza_news.html")
    assert html_records[0].raw_value == "57,575"
    assert html_records[0].source == "Example News"


def test_cli_extracts_from_a_folder_of_html_and_pdf(corpus: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert run_extract([str(corpus)], "jsonl", out, err) == 0
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    by_doc = {(row["doc"], row["raw_value"]) for row in rows}
    assert ("gaza_news.html", "57,575") in by_doc
    assert ("two_column_sitrep.pdf", "10.5 million") in by_doc
    assert ("sudan_jsonld.htm", "782") in by_doc
    assert ("brief.md", "12") in by_doc
    assert {row["source"] for row in rows if row["doc"] == "two_column_sitrep.pdf"} == {"UN OCHA"}  # sidecar
    assert "error" not in err.getvalue()


def test_cli_reports_unreadable_files_and_goes_on(corpus: Path) -> None:
    (corpus / "fake.pdf").write_text("not a pdf")
    out, err = io.StringIO(), io.StringIO()
    assert run_extract([str(corpus / "fake.pdf"), str(corpus / "gaza_news.html")], "jsonl", out, err) == 0
    assert "fake.pdf: is named .pdf but is not a PDF" in err.getvalue()
    assert "57,575" in out.getvalue()


def test_python_m_extractors_extract_on_a_pdf(documents: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "extractors", "extract", str(documents / "simple_report.pdf"), "--format", "csv"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "1,200" in result.stdout and "450,000" in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("error", "bases"),
    [
        (FetchFailed, (UnreadableDocument, ConnectionError)),
        (FetchTimeout, (FetchFailed, TimeoutError)),
        (HTTPStatusError, (FetchFailed,)),
        (DocumentTooLarge, (UnreadableDocument, ValueError)),
        (NoTextFound, (UnreadableDocument, ValueError)),
    ],
)
def test_error_classes(error: type[Exception], bases: tuple[type[Exception], ...]) -> None:
    assert issubclass(error, ExtractionError)
    for base in bases:
        assert issubclass(error, base)


def test_public_names() -> None:
    for name in loaders.__all__:
        assert hasattr(loaders, name), name
