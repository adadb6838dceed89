"""The loader is chosen by the content as well as the name, and text files read as before."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from extractors import DocumentNotFound, ExtractionError, UnreadableDocument, UnsupportedFormat
from extractors.loaders import HTML, MARKDOWN, PDF, TEXT, load, sniff

TEXT_BODY = "Floods killed at least 12 people in the north, officials said.\n"
HTML_PAGE = (
    "<!DOCTYPE html><html><head><title>Floods</title></head><body><nav>Home | World</nav><article>"
    "<p>Floods killed at least 12 people in the north of the country on Monday, officials said, and "
    "hundreds of families were moved to schools on higher ground.</p></article></body></html>"
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"
DOCX = b"PK\x03\x04\x14\x00\x06\x00word/document.xml"


@pytest.fixture
def pdf_bytes(documents: Path) -> bytes:
    return (documents / "simple_report.pdf").read_bytes()


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("floods.txt", TEXT_BODY, TEXT),
        ("floods.text", TEXT_BODY, TEXT),
        ("floods.md", "# Floods\n\n" + TEXT_BODY, MARKDOWN),
        ("floods.markdown", TEXT_BODY, MARKDOWN),
        ("notes.md", "<!-- draft -->\n# Floods\n\n" + TEXT_BODY, MARKDOWN),  # Markdown with a comment stays Markdown
        ("saved-page.txt", HTML_PAGE, HTML),  # a web page saved as .txt is read as HTML, not as markup
        ("saved-page.md", "\n  " + HTML_PAGE, HTML),
        ("page.htm", HTML_PAGE, HTML),
        ("fragment.html", HTML_PAGE.split("<body>")[1], HTML),  # no doctype: the name says HTML
        ("page", HTML_PAGE, HTML),  # no suffix
        ("report.bin", "PDF", PDF),  # a PDF is read whatever its name
        ("report", "PDF", PDF),
        ("report.txt", "PDF", PDF),
    ],
)
def test_content_type(tmp_path: Path, pdf_bytes: bytes, name: str, content: str, content_type: str) -> None:
    path = tmp_path / name
    path.write_bytes(pdf_bytes if content == "PDF" else content.encode("utf-8"))
    document = load(path)
    assert document.content_type == content_type
    assert "12 people" in document.text or "1,200 people" in document.text
    if content_type in (HTML, PDF):
        assert "<" not in document.text


@pytest.mark.parametrize(
    ("name", "content", "error", "message"),
    [
        ("report.pdf", TEXT_BODY.encode(), UnreadableDocument, r"report\.pdf: is named \.pdf but is not a PDF"),
        ("image.txt", PNG, UnreadableDocument, r"image\.txt: looks like a binary file \(a PNG image\), not text"),
        ("report.md", DOCX, UnreadableDocument, r"looks like a binary file \(a ZIP archive \(or a \.docx"),
        ("data.bin", b"\x00\x01\x02binary", UnsupportedFormat, r"data\.bin: looks like a binary file, which cannot be read"),
        ("report.docx", DOCX, UnsupportedFormat, r"report\.docx: looks like a binary file \(a ZIP archive"),
        ("figures.csv", b"deaths,12\n", UnsupportedFormat, r"figures\.csv: cannot read \.csv files; supported: "),
        ("README", b"Floods\n", UnsupportedFormat, r"cannot read files without a suffix"),
        ("report.meta.json", b"{}", UnsupportedFormat, r"is a metadata sidecar, not a document"),
        ("page.html", PNG, UnreadableDocument, r"page\.html: looks like a binary file \(a PNG image\)"),
        ("binary.txt", b"\x00\x01 not text", UnreadableDocument, r"binary\.txt: looks like a binary file, not text; convert it"),
    ],
)
def test_refused(tmp_path: Path, name: str, content: bytes, error: type[Exception], message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(error, match=message) as caught:
        load(path)
    assert isinstance(caught.value, ExtractionError)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(DocumentNotFound, match="no such file"):
        load(tmp_path / "absent.txt")
    with pytest.raises(DocumentNotFound, match="is not a regular file"):
        load(tmp_path)


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"\xef\xbb\xbf" + TEXT_BODY.encode(), TEXT_BODY),  # UTF-8 BOM dropped
        (TEXT_BODY, TEXT_BODY),  # a str is written as UTF-16, with a BOM
        (TEXT_BODY.encode(), TEXT_BODY),
    ],
)
def test_text_decoding(tmp_path: Path, data: bytes | str, text: str) -> None:
    path = tmp_path / "floods.txt"
    path.write_bytes(data.encode("utf-16") if isinstance(data, str) else data)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert load(path).text == text


def test_non_utf8_text_is_replaced_with_a_warning_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Réfugiés: 1 200 personnes déplacées.".encode("latin-1"))
    with pytest.warns(UserWarning, match=r"latin1\.txt: not valid UTF-8 \(first bad byte at offset 1\)"):
        text = load(path).text
    assert text.startswith("R\ufffdfugi\ufffds")


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (b"%PDF-1.4\n", PDF),
        (b"\x00\x00junk before the header %PDF-1.7", PDF),
        (b"<!doctype HTML>", HTML),
        (b"<!-- saved from url --><html lang=en>", HTML),
        (b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml">', HTML),
        ("<html>".encode("utf-16"), HTML),
        (b"<p>a fragment</p>", TEXT),  # weak signs count only for downloads
        (b"Plain text", TEXT),
        (PNG, "application/octet-stream"),
        (DOCX, "application/octet-stream"),
    ],
)
def test_sniff(data: bytes, content_type: str) -> None:
    assert sniff(data) == content_type
