"""Cases of the hostile-input review: odd text, odd files and odd names the extractor and its
command line must read right, refuse clearly or survive, in linear time."""

from __future__ import annotations

import io
import json
import os
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest
import testkit

from extractors import InvalidMetadata, extract, extract_file
from extractors.cli import run_extract
from extractors.engine import RefusedFigure
from extractors.loaders import iter_documents
from extractors.loaders.walk import OutsideLink
from extractors.reading import reading_text
from extractors.sentences import split_sentences
from store import discover
from store.cli import run_ingest

KILLED = "Strikes killed {} people in Rafah."


def _figures(text: str) -> list[tuple[str, float, float | None, float | None, str, str]]:
    return [(r.indicator, r.value, r.low, r.high, r.qualifier, r.raw_value) for r in extract(text)]


# -- the sentence splitter is linear on runs of punctuation and line ends ---------------------------
# 20,000 "!" took 18 s and 80,000 took 300 s: every "!" of a run started a match that read the rest.

PUNCTUATION_RUNS = {
    "exclamation": "!",
    "question": "?",
    "full-stop": ".",
    "colon": ":",
    "semicolon": ";",
    "mixed-stops": "!?.",
    "stops-and-colons": "!:.;",
    "stops-then-space": "! ",
    "carriage-returns": "\r",
    "crlf": "\r\n",
    "line-separators": "\u2028",
    "digits-and-dots": "1.",
}


@pytest.mark.parametrize("unit", list(PUNCTUATION_RUNS.values()), ids=list(PUNCTUATION_RUNS))
def test_splitting_a_run_is_linear(unit: str) -> None:
    small, large = unit * (5_000 // len(unit)), unit * (20_000 // len(unit))
    split_sentences("warm up. Another sentence.")
    small_time = max(min(testkit.cpu_seconds(lambda: split_sentences(small)) for _ in range(3)), 0.005)
    large_time = min(testkit.cpu_seconds(lambda: split_sentences(large)) for _ in range(3))
    assert large_time / small_time < 8, f"5,000 chars {small_time:.3f} s, 20,000 chars {large_time:.3f} s"


def test_a_30_kilobyte_paste_of_exclamation_marks_reads_at_once() -> None:
    text = "Strikes killed 30 people" + "!" * 30_000 + " Another 12 people were wounded."
    elapsed = testkit.cpu_seconds(lambda: extract(text))
    assert elapsed < 2.0, f"took {elapsed:.1f} s of CPU"  # was 64 s


# -- the number grammar --------------------------------------------------------------------------------

NO_RECORD = {
    "zero-dash-zero": "Strikes killed 0-0 357 people.",  # was ZeroDivisionError
    "zero-led-thousands": "Strikes killed 0 357 people.",
    "zero-led-comma-group": "Strikes killed 0,357 people.",
}


@pytest.mark.parametrize("text", list(NO_RECORD.values()), ids=list(NO_RECORD))
def test_malformed_numbers_do_not_crash_nor_read_as_thousands(text: str) -> None:
    assert all(value < 1000 for _, value, *_ in _figures(text)), _figures(text)


REFUSED = {
    "low-above-high-after-scale": ("Strikes killed 2813-46 million people.", "2813-46 million"),
    "dangling-dash-before-scale": ("Strikes killed 3- million people.", "3- million"),
    "scale-shared-too-high": ("Floods displaced 500 to 1.5 million people.", "500 to 1.5 million"),
    "more-than-live-on-earth": ("Strikes killed 9,000,000,000 people.", "9,000,000,000"),
}


@pytest.mark.parametrize(("text", "figure"), list(REFUSED.values()), ids=list(REFUSED))
def test_an_impossible_interval_is_refused_with_a_warning(text: str, figure: str) -> None:
    with pytest.warns(RefusedFigure, match="was not kept") as caught:
        records = extract(text, meta={"doc": "brief.txt"})
    assert records == []
    message = str(caught[0].message)
    assert repr(figure) in message and "brief.txt" in message and "check the text" in message


SCALES_SHARED = {
    "digits-to-scaled": ("Floods displaced 1 to 1.5 million people.", (1_000_000.0, 1_500_000.0)),
    "dash-to-scaled": ("Floods displaced 2-3 million people.", (2_000_000.0, 3_000_000.0)),
    "digits-to-words-scaled": ("Floods displaced between 1 and two million people.", (1_000_000.0, 2_000_000.0)),
    "full-figure-to-scaled": ("Floods displaced 500,000 to 1.5 million people.", (500_000.0, 1_500_000.0)),
}


@pytest.mark.parametrize(("text", "bounds"), list(SCALES_SHARED.values()), ids=list(SCALES_SHARED))
def test_a_scale_written_once_applies_to_both_ends(text: str, bounds: tuple[float, float]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", RefusedFigure)
        [record] = extract(text)
    assert (record.qualifier, record.low, record.high) == ("range", *bounds)


# -- invisible characters inside and around numbers ------------------------------------------------------

INVISIBLE = {
    "zero-width-space": "5\u200b,000",
    "zero-width-joiner": "5\u200d000",
    "zero-width-non-joiner": "5,\u200c000",
    "soft-hyphen": "5\u00ad000",
    "word-joiner": "5\u2060,000",
    "byte-order-mark": "5\ufeff,000",
    "combining-acute": "5\u0301,000",
    "combining-marks-run": "5\u0301\u0327,000",
    "variation-selector": "5\ufe0f,000",
    "left-to-right-marks-around": "\u200e5,000\u200e",
    "right-to-left-mark-inside": "5\u200f,000",
}


@pytest.mark.parametrize("figure", list(INVISIBLE.values()), ids=list(INVISIBLE))
def test_invisible_characters_in_a_number_do_not_change_it(figure: str) -> None:
    text = KILLED.format(figure)
    [record] = extract(text)
    assert (record.value, record.qualifier) == (5000.0, "exact")
    span = text[record.char_start : record.char_end]
    assert span == record.raw_value and span.strip("\u200e") == span  # the marks around it are not the figure
    assert span[0] == "5" and span[-1] == "0"
    assert text[record.quote_start : record.quote_start + len(record.quote)] == record.quote == text


def test_invisible_characters_inside_trigger_words_are_read_through() -> None:
    [record] = extract("Strikes kil\u00adled 40 peo\u200bple in Rafah.")
    assert (record.indicator, record.value) == ("deaths", 40.0)


def test_record_ids_of_a_text_without_invisible_characters_are_unchanged() -> None:
    # Record ids hash the document and the span; the reading step must not move either.
    plain = KILLED.format("5,000")
    assert [r.record_id for r in extract(plain)] == [r.record_id for r in extract(plain)]
    assert reading_text(plain).is_identity
    marked = KILLED.format("5\u200b,000")
    assert extract(marked)[0].record_id != extract(plain)[0].record_id


def test_reading_maps_offsets_after_several_invisible_runs() -> None:
    text = "\ufeffA\u200b\u200bB C\u00adD"
    reading = reading_text(text)
    assert reading.text == "AB CD"
    assert [text[reading.original(i)] for i in range(len(reading.text))] == list("AB CD")
    assert reading.original_span(0, 2) == (1, 5)  # "A\u200b\u200bB": inside kept, before dropped


def test_accents_of_letters_are_kept() -> None:
    decomposed = "Cafe\u0301 owners said 12 people were killed in Beyrouth."
    assert reading_text(decomposed).text == decomposed


# -- line ends of every kind end lines -------------------------------------------------------------------

LINE_ENDS = {
    "cr-only": "\r",
    "crlf": "\r\n",
    "next-line": "\x85",
    "line-separator": "\u2028",
    "paragraph-separator": "\u2029",
    "form-feed": "\x0c",
    "vertical-tab": "\x0b",
}


@pytest.mark.parametrize("line_end", list(LINE_ENDS.values()), ids=list(LINE_ENDS))
def test_every_line_end_separates_sentences(line_end: str) -> None:
    text = f"Floods killed about 30 people.{line_end}Strikes killed 5,000 people.{line_end}Nearly 200 families fled."
    records = extract(text)
    assert [(r.indicator, r.value, r.qualifier) for r in records] == [
        ("deaths", 30.0, "approx"),
        ("deaths", 5000.0, "exact"),
        ("displaced", 1000.0, "approx"),
    ]
    for record in records:
        assert line_end not in record.quote, f"{record.quote!r} runs across a line end"


def test_a_crlf_inside_a_wrapped_sentence_is_not_a_paragraph_break() -> None:
    sentences = split_sentences("Strikes killed 30 people\r\nin Rafah on Tuesday.\r\n\r\nAnother paragraph.")
    assert len(sentences) == 2


# -- files, sidecars, folders and names ------------------------------------------------------------------


def test_a_deeply_nested_sidecar_is_invalid_metadata(tmp_path: Path) -> None:
    (tmp_path / "brief.txt").write_text(KILLED.format("30"), encoding="utf-8")
    (tmp_path / "brief.meta.json").write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    with pytest.raises(InvalidMetadata, match="nested too deeply"):
        extract_file(tmp_path / "brief.txt")


def test_an_oversized_sidecar_is_invalid_metadata(tmp_path: Path) -> None:
    (tmp_path / "brief.txt").write_text(KILLED.format("30"), encoding="utf-8")
    (tmp_path / "brief.meta.json").write_text(json.dumps({"title": "x" * 2_000_000}), encoding="utf-8")
    with pytest.raises(InvalidMetadata, match="larger than"):
        extract_file(tmp_path / "brief.txt")


def test_the_cli_goes_on_after_a_deeply_nested_sidecar(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(KILLED.format("30"), encoding="utf-8")
    (tmp_path / "a.meta.json").write_text("{" + '"x":{' * 200_000 + "}" * 200_001, encoding="utf-8")
    (tmp_path / "b.txt").write_text(KILLED.format("12"), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert run_extract([str(tmp_path)], "jsonl", out, err) == 0
    assert [json.loads(line)["raw_value"] for line in out.getvalue().splitlines()] == ["12"]
    assert err.getvalue().count("error:") == 1 and "a.meta.json" in err.getvalue()


@pytest.fixture
def folder_with_links(tmp_path: Path) -> Path:
    """reports/ holds a document, a link to it, and a link to a file outside reports/."""
    outside = tmp_path / "secret.txt"
    outside.write_text("Private: strikes killed 999 people.", encoding="utf-8")
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "own.txt").write_text(KILLED.format("30"), encoding="utf-8")
    os.symlink(reports / "own.txt", reports / "alias.txt")
    os.symlink(outside, reports / "leak.txt")
    os.symlink(tmp_path, reports / "loop")  # a link to a folder: never followed
    return reports


WALKS = {
    "loaders-iter-documents": lambda folder: [Path(p) for p in iter_documents([folder])],
    "store-discover": lambda folder: [Path(p) for p in discover([folder])],
}


@pytest.mark.parametrize("walk", list(WALKS.values()), ids=list(WALKS))
def test_a_folder_walk_does_not_follow_links_out_of_the_folder(folder_with_links: Path, walk: Callable) -> None:
    with pytest.warns(OutsideLink, match=r"leak\.txt: skipped, a link to a file outside"):
        found = walk(folder_with_links)
    # The link inside the folder is read (discover() keeps a document and its alias once).
    assert {p.resolve() for p in found} == {(folder_with_links / "own.txt").resolve()}
    assert "leak.txt" not in {p.name for p in found}


def test_the_cli_does_not_read_a_linked_file_outside_the_folder(folder_with_links: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert run_extract([str(folder_with_links)], "jsonl", out, err) == 0
    assert "999" not in out.getvalue()
    assert "warning:" in err.getvalue() and "leak.txt" in err.getvalue()


def test_ingest_does_not_store_a_linked_file_outside_the_folder(folder_with_links: Path, tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    db = f"sqlite:///{tmp_path / 'store.sqlite'}"
    assert run_ingest([str(folder_with_links)], db, out, err, progress=False) == 0
    assert "leak.txt" in err.getvalue()
    import sqlalchemy as sa

    engine = sa.create_engine(db)
    with engine.connect() as connection:
        texts = [row[0] for row in connection.execute(sa.text("SELECT text FROM documents"))]
    engine.dispose()
    assert texts and not any("Private" in text for text in texts)


HOSTILE_NAMES = {
    "newline-forging-a-line": "bad\nerror: forged.txt",
    "terminal-escape": "bad\x1b[2J\x1b[31mred.txt",
    "carriage-return": "bad\rerror: over.txt",
    "bell-and-backspace": "bad\x07\x08.txt",
    "bidi-override": "bad\u202etxt.exe.txt",
}


@pytest.mark.parametrize("name", list(HOSTILE_NAMES.values()), ids=list(HOSTILE_NAMES))
def test_a_hostile_file_name_prints_one_plain_error_line(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")  # unreadable: an error naming it
    (tmp_path / "good.txt").write_text(KILLED.format("12"), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert run_extract([str(tmp_path)], "jsonl", out, err) == 0
    lines = err.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), lines
    assert lines[0].isprintable(), f"{lines[0]!r} holds control characters"


def test_an_unexpected_error_on_one_document_does_not_stop_the_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import extractors.cli as cli

    (tmp_path / "a.txt").write_text("BOOM " + KILLED.format("30"), encoding="utf-8")
    (tmp_path / "b.txt").write_text(KILLED.format("12"), encoding="utf-8")

    def faulty(text: str, **kwargs: object) -> list:
        if text.startswith("BOOM"):
            raise ZeroDivisionError("float division by zero")
        return extract(text, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cli, "extract", faulty)
    out, err = io.StringIO(), io.StringIO()
    assert run_extract([str(tmp_path)], "jsonl", out, err) == 0
    assert [json.loads(line)["raw_value"] for line in out.getvalue().splitlines()] == ["12"]
    assert "a.txt: internal error ZeroDivisionError" in err.getvalue()
