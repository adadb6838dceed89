"""PDF text extraction: quality and speed of pypdf, pdfplumber and our loader on generated reports.

    .venv/bin/python bench/loaders_quality.py [--runs N]

The PDFs come from tests/fixtures/documents/generate_documents.py, written to a
temporary folder: a one-page report, the three-page two-column situation report
with running headers, footers and page numbers, the same report drawn in a
scrambled order (footer, right column, header, left column: what the content
stream says is not the reading order), and a 21-page version for speed.

For each method and PDF it prints, as a Markdown table:
- paragraphs: expected paragraphs found whole (whitespace and line breaks ignored);
- order: consecutive expected paragraphs found in the right order;
- furniture: running header/footer lines and page numbers left in the text;
- figures: records `extract()` finds on the method's text that it also finds, with
  the same attribution, on the ideal text (paragraphs joined by blank lines);
- ms/page: median CPU time over the runs, per page; the 21-page PDF is for speed only.
Results are recorded in tests/loaders/README.md.
"""

from __future__ import annotations

import argparse
import itertools
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "fixtures" / "documents"))

import generate_documents as fixtures  # noqa: E402

from extractors import extract  # noqa: E402
from extractors.loaders import load  # noqa: E402


def pypdf_plain(path: Path) -> str:
    import pypdf

    return "\n\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def pypdf_layout(path: Path) -> str:
    import pypdf

    return "\n\n".join(page.extract_text(extraction_mode="layout") for page in pypdf.PdfReader(path).pages)


def pdfplumber_text(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return "\n\n".join(page.extract_text() or "" for page in pdf.pages)


def loader(path: Path) -> str:
    return load(path).text


METHODS: dict[str, Callable[[Path], str]] = {
    "pypdf 7 extract_text()": pypdf_plain,
    "pypdf 7 extract_text(layout)": pypdf_layout,
    "pdfplumber 0.11 extract_text()": pdfplumber_text,
    "loader: pdfplumber words + layout": loader,
}


def _squash(text: str) -> str:
    return " ".join(text.replace("-\n", "").split())


def score(text: str, paragraphs: list[str], furniture: tuple[str, ...], ideal: list) -> dict[str, str]:
    flat = _squash(text)
    positions = [flat.find(_squash(p)) for p in paragraphs]
    found = [p for p in positions if p >= 0]
    pairs = [(a, b) for a, b in itertools.pairwise(positions) if a >= 0 and b >= 0]
    in_order = sum(a < b for a, b in pairs)
    left = sum(max(0, text.count(item) - (1 if item == fixtures.SITREP_TITLE else 0)) for item in furniture)
    left += sum(1 for line in text.splitlines() if re.fullmatch(r"\s*\d{1,3}\s*", line))
    got = {(r.indicator, r.value, r.attribution) for r in extract(text)}
    want = {(r.indicator, r.value, r.attribution) for r in ideal}
    return {
        "paragraphs": f"{len(found)}/{len(paragraphs)}",
        "order": f"{in_order}/{len(pairs)}" if pairs else "-",
        "furniture": str(left),
        "figures": f"{len(got & want)}/{len(want)}",
    }


def timed(method: Callable[[Path], str], path: Path, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.process_time()  # CPU time: other processes on the machine do not count
        method(path)
        times.append(time.process_time() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timing runs per method (default 5)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        fixtures.generate(folder)
        fixtures.two_column_sitrep(folder / "scrambled.pdf", order="scrambled")
        pages = fixtures.SITREP_PAGES
        try:
            fixtures.SITREP_PAGES = pages * 7
            fixtures.two_column_sitrep(folder / "long.pdf")
        finally:
            fixtures.SITREP_PAGES = pages
        cases = {
            "simple_report.pdf": "simple_report.pdf",
            "two_column_sitrep.pdf": "two_column_sitrep.pdf",
            "scrambled.pdf": "two_column_sitrep.pdf",
        }
        for method in METHODS.values():  # warm up imports
            method(folder / "simple_report.pdf")
        print("| method | PDF | paragraphs | order | furniture | figures | ms/page |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for name, method in METHODS.items():
            for file, fixture in cases.items():
                paragraphs = [p for page in fixtures.PDF_PARAGRAPHS[fixture] for p in page]
                ideal = extract("\n\n".join(paragraphs))
                text = method(folder / file)
                result = score(text, paragraphs, fixtures.PDF_FURNITURE.get(fixture, ()), ideal)
                n_pages = len(fixtures.PDF_PARAGRAPHS[fixture])
                ms = timed(method, folder / file, args.runs) * 1000 / n_pages
                print(f"| {name} | {file} | {' | '.join(result.values())} | {ms:.1f} |")
            ms = timed(method, folder / "long.pdf", args.runs) * 1000 / (len(pages) * 7)
            print(f"| {name} | long.pdf (21 pages) | | | | | {ms:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
