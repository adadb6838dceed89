"""Input the extractor must survive: empty, binary, mis-encoded, huge, hostile, malformed metadata."""

from __future__ import annotations

import io
import json
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import testkit

from extractors import (
    DocumentNotFound,
    ExtractionError,
    InvalidMetadata,
    UnreadableDocument,
    UnsupportedFormat,
    extract,
    extract_file,
    read_document,
)

SENTENCE = "Israeli strikes killed at least 30 people in Gaza, the health ministry said."


def _values(records: list) -> list[tuple[str, float]]:
    return [(r.indicator, r.value) for r in records]


def _elapsed(function: Callable[[], object]) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


# -- empty and wrong types ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["", " ", "\n\n\t ", "\u00a0\u2009\u3000"], ids=["empty", "space", "newlines-tab", "unicode-spaces"]
)
def test_empty_or_blank_text_gives_no_record(text: str) -> None:
    assert extract(text) == []


@pytest.mark.parametrize("data", [SENTENCE.encode(), bytearray(SENTENCE.encode())], ids=["bytes", "bytearray"])
def test_bytes_are_refused_as_unreadable(data: bytes) -> None:
    with pytest.raises(UnreadableDocument, match="bytes") as raised:
        extract(data)  # type: ignore[arg-type]
    assert isinstance(raised.value, ValueError)
    assert isinstance(raised.value, ExtractionError)


@pytest.mark.parametrize("value", [None, 42, ["killed 30 people"]], ids=["none", "int", "list"])
def test_non_text_is_refused_as_unreadable(value: object) -> None:
    with pytest.raises(UnreadableDocument):
        extract(value)  # type: ignore[arg-type]


def test_meta_that_is_not_a_mapping_is_invalid_metadata() -> None:
    with pytest.raises(InvalidMetadata):
        extract(SENTENCE, meta=["published", "2025-05-03"])  # type: ignore[arg-type]


# -- files ------------------------------------------------------------------------------------------


def test_binary_file_is_unreadable_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "scan.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + SENTENCE.encode())
    with pytest.raises(UnreadableDocument) as raised:
        extract_file(path)
    message = str(raised.value)
    assert "scan.txt" in message and "not text" in message, message


def test_non_utf8_file_still_gives_records_and_warns_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1_report.txt"
    path.write_bytes("Le café est fermé. Israeli strikes killed 30 people in Gaza, the ministry said.".encode("latin-1"))
    with pytest.warns(UserWarning, match=r"latin1_report\.txt") as caught:
        records = extract_file(path)
    assert any("UTF-8" in str(warning.message) for warning in caught)
    assert _values(records) == [("deaths", 30.0)]
    assert records[0].doc == "latin1_report.txt"


def test_missing_file_is_document_not_found(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.txt"
    with pytest.raises(DocumentNotFound, match=r"nowhere\.txt") as raised:
        extract_file(path)
    assert isinstance(raised.value, FileNotFoundError)


def test_a_folder_is_not_a_document(tmp_path: Path) -> None:
    with pytest.raises(DocumentNotFound):
        extract_file(tmp_path)


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document>Strikes killed 30 people.</w:document>")
    return buffer.getvalue()


UNSUPPORTED = {
    "docx": (".docx", _zip_bytes()),
    "docx-named-text": (".docx", SENTENCE.encode()),
    "xlsx": (".xlsx", _zip_bytes()),
    "rtf": (".rtf", b"{\\rtf1\\ansi Strikes killed 30 people.}"),
    "png": (".png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
    "no-suffix": ("", SENTENCE.encode()),
}


@pytest.mark.parametrize(("suffix", "content"), list(UNSUPPORTED.values()), ids=list(UNSUPPORTED))
def test_unsupported_format_is_refused_naming_the_file(tmp_path: Path, suffix: str, content: bytes) -> None:
    path = tmp_path / f"report{suffix}"
    path.write_bytes(content)
    with pytest.raises(UnsupportedFormat) as raised:
        extract_file(path)
    assert isinstance(raised.value, UnreadableDocument)
    assert f"report{suffix}" in str(raised.value)
    assert "supported" in str(raised.value), "the message should say what can be read"


def test_a_pdf_that_is_no_pdf_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(SENTENCE.encode())
    with pytest.raises(UnreadableDocument, match=r"report\.pdf"):
        extract_file(path)


def test_a_sidecar_is_not_a_document(tmp_path: Path) -> None:
    path = tmp_path / "report.meta.json"
    path.write_text('{"publisher": "Reuters"}', encoding="utf-8")
    with pytest.raises(UnsupportedFormat, match="sidecar"):
        read_document(path)


# -- metadata -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("published", ["yesterday", "2025-13-45", "03/05/2025x", "2025-02-30"])
def test_malformed_published_date_in_meta_warns_and_is_dropped(published: str) -> None:
    with pytest.warns(UserWarning, match="publication date"):
        records = extract(SENTENCE, meta={"doc": "brief.txt", "published": published})
    assert _values(records) == [("deaths", 30.0)]
    assert records[0].published is None


def test_malformed_published_date_in_sidecar_warns_naming_the_document(tmp_path: Path) -> None:
    (tmp_path / "brief.txt").write_text(SENTENCE, encoding="utf-8")
    (tmp_path / "brief.meta.json").write_text(json.dumps({"publisher": "OCHA", "published": "May the 3rd"}), encoding="utf-8")
    with pytest.warns(UserWarning, match=r"brief\.txt"):
        records = extract_file(tmp_path / "brief.txt")
    assert _values(records) == [("deaths", 30.0)]
    assert records[0].published is None
    assert records[0].source == "OCHA"


@pytest.mark.parametrize(
    "content",
    [b'{"publisher": "Reuters",', b"[1, 2, 3]", b'{"publisher": "Caf\xe9 Press"}'],
    ids=["truncated-json", "not-an-object", "not-utf8"],
)
def test_malformed_sidecar_is_invalid_metadata_naming_the_file(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "brief.txt").write_text(SENTENCE, encoding="utf-8")
    (tmp_path / "brief.meta.json").write_bytes(content)
    with pytest.raises(InvalidMetadata, match=r"brief\.meta\.json") as raised:
        extract_file(tmp_path / "brief.txt")
    assert isinstance(raised.value, ValueError)


# -- hostile text --------------------------------------------------------------------------------------

HOSTILE = {
    "html": "<img src=x onerror=alert(1)>",
    "script": "<script>fetch('//evil')</script>",
    "nul": "\x00",
    "rtl-override": "\u202e",
    "rtl-mark": "\u200f",
    "zero-width": "\u200b\u200d",
    "emoji": "👶🏽💥",
    "combining": "e\u0301\u0327\u0308",
    "lone-surrogate": "\ud800",
    "bom": "\ufeff",
    "crlf": "\r\n",
    "line-separator": "\u2028",
    "escape-codes": "\x1b[31m\x07",
    "sql": "'; DROP TABLE records; --",
    "format-string": "%s%n{0}{{7*7}}",
    "fullwidth-digits": "３０",
    "arabic-digits": "٣٠",
}


@pytest.mark.parametrize("hostile", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_strings_never_crash(hostile: str) -> None:
    text = f"{hostile}\n\n{SENTENCE} {hostile}"
    records = extract(text)
    assert ("deaths", 30.0) in _values(records), "the figure in the clean sentence was lost"
    inside = f"Israeli strikes killed {hostile * 3} 30 {hostile} people{hostile}."
    for record in extract(inside):
        assert inside[record.char_start : record.char_end] == record.raw_value


# -- size and time ------------------------------------------------------------------------------------------

HANG_SECONDS = 20.0  # a hang detector only: normal runs take a few seconds


def test_five_megabytes_without_punctuation_finish() -> None:
    filler = (
        "the humanitarian situation across the region continued to deteriorate as fighting spread "
        "and aid agencies warned that access remained severely restricted for convoys and staff "
    ) * 30
    block = filler + "strikes killed 30 people and displaced 200 families near the border "
    text = (block * (5_000_000 // len(block) + 1))[:5_000_000]
    start = time.perf_counter()
    records = extract(text)
    elapsed = time.perf_counter() - start
    assert elapsed < HANG_SECONDS, f"5 MB took {elapsed:.1f} s"
    assert len(records) > 1000, "the figures in an unpunctuated text were not read"
    assert max(len(r.quote) for r in records) < 5000, "a quote ran across the whole unpunctuated text"


def test_a_line_of_100000_digits_finishes_and_is_no_figure() -> None:
    text = "The strikes killed " + "7" * 100_000 + " people\n\nAnother 12 people were killed in Rafah."
    start = time.perf_counter()
    records = extract(text)
    elapsed = time.perf_counter() - start
    assert elapsed < HANG_SECONDS, f"took {elapsed:.1f} s"
    assert [r.raw_value for r in records] == ["12"]


# Hostile inputs for the linear-time check: n copies, then 4n copies. A quadratic
# blow-up makes the ratio 16; linear work gives 4, plus noise.
LINEAR_UNITS = {
    "long-digit-runs": ("1" * 1000 + " killed ", 40),
    "comma-separated-ones": ("1," * 500 + " people were killed ", 8),
    "repeated-qualifiers": ("at least " * 100 + "killed 3 people ", 16),
    "many-spaces": (" " * 1000 + "killed 3 people", 8),
    "repeated-number-words": ("two hundred and " * 50 + "killed ", 8),
    "space-grouped-thousands": ("1 000 " * 150 + "killed ", 2),
    "dense-listed-figures": ("The strikes killed " + "1 and " * 190 + "2 others. ", 1),
    "between-and": ("between 1 and " * 100 + "killed ", 8),
}


def _best_of(runs: int, function: Callable[[], object]) -> float:
    return min(testkit.cpu_seconds(function) for _ in range(runs))


@pytest.mark.parametrize("unit,copies", list(LINEAR_UNITS.values()), ids=list(LINEAR_UNITS))
def test_extract_time_is_linear_in_the_input(unit: str, copies: int) -> None:
    extract("warm up: the strikes killed 3 people.")
    small, large = unit * copies, unit * (4 * copies)
    small_time = max(_best_of(5, lambda: extract(small)), 0.005)  # below 5 ms, timer resolution dominates
    large_time = _best_of(5, lambda: extract(large))
    assert large_time < HANG_SECONDS
    ratio = large_time / small_time
    assert ratio < 8, f"{len(small)} chars took {small_time:.3f} s, {len(large)} chars {large_time:.3f} s: ratio {ratio:.1f}"
