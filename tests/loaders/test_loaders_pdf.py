"""PDF reports: reading order, running headers and footers, pages, metadata, figures."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from types import ModuleType

import pytest

from extractors import UnreadableDocument, extract
from extractors.loaders import PDF, LoadedDocument, NoTextFound, load
from extractors.loaders.pdf import join_lines

SITREP = "two_column_sitrep.pdf"


@pytest.fixture(scope="module")
def sitrep(documents: Path) -> LoadedDocument:
    """The two-column situation report, loaded once (a LoadedDocument is immutable)."""
    return load(documents / SITREP)


def _squash(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("name", ["simple_report.pdf", SITREP])
def test_paragraphs_in_reading_order(documents: Path, generator: ModuleType, name: str) -> None:
    document = load(documents / name)
    assert document.content_type == PDF
    expected = [p for page in generator.PDF_PARAGRAPHS[name] for p in page]
    # Every paragraph whole, on one line, in order, separated by blank lines; pages too.
    assert document.text.split("\n\n") == expected


def test_running_headers_footers_and_page_numbers_are_dropped(sitrep: LoadedDocument, generator: ModuleType) -> None:
    text = sitrep.text
    assert text.count(generator.SITREP_TITLE) == 1  # the title on page 1, not the running header
    for furniture in generator.PDF_FURNITURE[SITREP]:
        assert text.count(furniture) == (1 if furniture == generator.SITREP_TITLE else 0), furniture
    assert not re.search(r"(?m)^\s*\d+\s*$", text)  # no bare page number


def test_pages_start_where_their_text_starts(sitrep: LoadedDocument, generator: ModuleType) -> None:
    document = sitrep
    assert len(document.pages) == 3
    assert document.pages[0] == 0
    for start, page in zip(document.pages, generator.PDF_PARAGRAPHS[SITREP], strict=True):
        assert document.text.startswith(page[0], start)
        if start:
            assert document.text[start - 2 : start] == "\n\n"  # pages are separated by a blank line


@pytest.mark.parametrize(
    ("figure", "page"),
    [
        ("782", 2),
        ("1,640", 2),
        ("10.5 million", 3),
        ("24.6 million", 3),
    ],
)
def test_page_of_a_figure(sitrep: LoadedDocument, figure: str, page: int) -> None:
    assert sitrep.page_of(sitrep.text.index(figure)) == page


def test_page_of_bounds(sitrep: LoadedDocument) -> None:
    document = sitrep
    assert document.page_of(0) == 1
    assert document.page_of(document.pages[1]) == 2
    assert document.page_of(document.pages[1] - 1) == 1  # the blank line belongs to the page before
    assert document.page_of(len(document.text)) == 3
    assert document.page_of(-1) is None
    assert document.page_of(len(document.text) + 1) is None


def test_extract_finds_the_figures_at_their_offsets(sitrep: LoadedDocument) -> None:
    document = sitrep
    records = extract(document.text, meta=document.meta)
    found = [(r.indicator, r.value, document.page_of(r.char_start), r.attribution) for r in records]
    assert found == [
        ("deaths", 782.0, 2, "the health ministry"),
        ("deaths", 1640.0, 2, "health authorities"),
        ("displaced", 10_500_000.0, 3, "the International Organization for Migration"),
        ("food_insecurity", 24_600_000.0, 3, "the latest analysis of the Integrated Food Security Phase Classification"),
    ]
    for record in records:
        assert document.text[record.char_start : record.char_end] == record.raw_value
        assert record.title == "Sudan Humanitarian Situation Report No. 7"
        assert record.published == "2025-07-12"


@pytest.mark.parametrize(
    ("name", "title", "published"),
    [
        ("simple_report.pdf", "Sudan: Flash Update No. 3 on displacement from El Fasher", "2025-06-20"),
        (SITREP, "Sudan Humanitarian Situation Report No. 7", "2025-07-12"),
    ],
)
def test_metadata(documents: Path, name: str, title: str, published: str) -> None:
    document = load(documents / name)
    assert (document.meta.doc, document.meta.title, document.meta.published) == (name, title, published)
    assert document.meta.publisher is None and document.meta.url is None
    assert document.raw_sha256 == hashlib.sha256((documents / name).read_bytes()).hexdigest()
    assert document.origin == str((documents / name).resolve())


def test_reading_order_does_not_follow_the_drawing_order(tmp_path: Path, sitrep: LoadedDocument, generator: ModuleType) -> None:
    path = tmp_path / "scrambled.pdf"  # footer, right column, header, left column
    generator.two_column_sitrep(path, order="scrambled")
    scrambled = load(path)
    assert path.read_bytes() != (Path(sitrep.origin)).read_bytes()
    assert (scrambled.text, scrambled.pages) == (sitrep.text, sitrep.pages)


def test_paragraph_broken_across_columns_is_joined(sitrep: LoadedDocument) -> None:
    text = sitrep.text
    assert "Humanitarian convoys were delayed at checkpoints on the main routes from Chad" in _squash(text)
    assert "checkpoints on the main routes" in text  # one paragraph, no blank line in between


def test_sidecar_overrides_pdf_metadata(documents: Path, tmp_path: Path) -> None:
    path = tmp_path / "sitrep.pdf"
    path.write_bytes((documents / SITREP).read_bytes())
    (tmp_path / "sitrep.pdf.meta.json").write_text(
        '{"publisher": "UN OCHA", "url": "https://example.org/sitrep-7.pdf", "published": "2025-07-14"}'
    )
    meta = load(path).meta
    assert (meta.title, meta.publisher, meta.url, meta.published) == (
        "Sudan Humanitarian Situation Report No. 7",
        "UN OCHA",
        "https://example.org/sitrep-7.pdf",
        "2025-07-14",
    )


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (["people were dis-", "placed"], "people were displaced"),
        (["UN-", "led teams"], "UN-led teams"),
        (["COVID-", "19 cases"], "COVID-19 cases"),
        (["at least 57,575", "Palestinians"], "at least 57,575 Palestinians"),
        (["soft\u00ad", "hyphen"], "softhyphen"),
        (["", " a ", "b"], "a b"),
    ],
)
def test_join_lines(lines: list[str], joined: str) -> None:
    assert join_lines(lines) == joined


def _reportlab_pdf(path: Path, *, text: str | None = None, encrypt: object = None) -> Path:
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), invariant=1, encrypt=encrypt)
    if text:
        pdf.drawString(72, 720, text)
    pdf.rect(72, 72, 200, 200, fill=1)  # a scanned page: pictures, no text
    pdf.showPage()
    pdf.save()
    return path


def test_pdf_without_text_is_refused(tmp_path: Path) -> None:
    with pytest.raises(NoTextFound, match=r"no text layer.*OCR"):
        load(_reportlab_pdf(tmp_path / "scan.pdf"))


def test_encrypted_pdf_is_refused(tmp_path: Path) -> None:
    path = _reportlab_pdf(tmp_path / "locked.pdf", text="Strikes killed 12 people.", encrypt="secret")
    with pytest.raises(UnreadableDocument, match=r"locked\.pdf: the PDF is encrypted with a password"):
        load(path)


def test_pdf_encrypted_without_a_password_to_open_is_read(tmp_path: Path) -> None:
    # Encrypted with an owner password only (printing forbidden): its streams are deciphered, then unpacked.
    from reportlab.lib.pdfencrypt import StandardEncryption

    encrypt = StandardEncryption("", ownerPassword="owner", canPrint=0)
    path = _reportlab_pdf(tmp_path / "protected.pdf", text="Strikes killed 12 people.", encrypt=encrypt)
    assert b"/Encrypt" in path.read_bytes()
    assert load(path).text == "Strikes killed 12 people."


def test_damaged_pdf_is_refused(tmp_path: Path, documents: Path) -> None:
    path = tmp_path / "damaged.pdf"
    path.write_bytes((documents / "simple_report.pdf").read_bytes()[:400])
    with pytest.raises(UnreadableDocument, match=r"damaged\.pdf: the PDF is damaged or cannot be parsed"):
        load(path)
