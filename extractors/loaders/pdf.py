"""PDF reports: the text in reading order, page after page, with the page offsets kept.

Library: pdfplumber (on pdfminer.six). It gives every word with its position,
size and font, so reading order, running headers and footers, page numbers and
paragraphs are worked out from the page's geometry below, whatever the order in
which the PDF's content stream draws them. pypdf is 5-10 times faster but its
plain mode reads text in stream order (a page whose right column or footer is
drawn first comes out in that order) and joins every line with a bare newline,
so paragraphs are lost; its layout mode keeps columns side by side on each line.
The numbers, from `bench/loaders_quality.py` on the fixtures of
tests/fixtures/documents, are in tests/loaders/README.md.

How a page is read:

1. Words become line segments: words on one baseline with no gap wider than
   0.75 em. A column gutter or a table cell boundary splits a line. Small
   raised words (footnote markers) are dropped.
2. Running headers and footers are dropped: segments in the top or bottom
   12% of a page whose text, with digits ignored, recurs at the same height
   on at least two pages, and bare page numbers there ("7", "Page 7 of 12",
   "- 7 -").
3. Segments become blocks (paragraphs): lines of one column in the same size
   and weight, at the document's usual line spacing. A wider gap, an indented
   first line, a bullet or a change of font size or weight starts a new block.
4. Blocks are put in reading order by the rules of Breuel (2003): a block
   comes before the blocks below it that it overlaps horizontally, and before
   the blocks to its right unless a block between them vertically spans both
   (a full-width title, a full-width box). Left column, then right column;
   full-width elements in their place. Blocks wholly in the top or bottom band
   come first or last.
5. Lines of a block are joined by spaces ("dis-" + "placed" becomes
   "displaced"), blocks by a blank line. A paragraph that goes on at the top of
   the next column is joined back into one. Pages are separated by a blank line.
"""

from __future__ import annotations

import io
import logging
import re
import statistics
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import pdfplumber
from pdfminer.pdfpage import PDFPage
from pdfminer.pdftypes import resolve1
from pdfminer.psparser import PSLiteral

from ..errors import UnreadableDocument
from .base import PDF, Parsed, join_pages
from .errors import DocumentTooLarge, NoTextFound
from .pdf_limits import (
    MAX_INFLATED_BYTES,
    MAX_OBJECTS,
    MAX_PAGE_OBJECTS,
    MAX_PAGES,
    MAX_PARSED_VALUES,
    MAX_SECONDS,
    MAX_STREAM_BYTES,
    LimitedPage,
    Limits,
    reading,
)

logging.getLogger("pdfminer").addHandler(logging.NullHandler())  # its warnings are not the user's business


BAND = 0.12  # top and bottom share of a page where running headers and footers stand
SEGMENT_GAP = 0.75  # a gap wider than this many em ends a line segment
_PAGE_NUMBER = re.compile(
    r"(?i:page|p\.|pg\.?)?\s*[-–—(\[]?\s*(?:\d{1,4}|[ivxlc]{1,4})\s*[-–—)\]]?(?:\s*(?:(?i:of)|/)\s*\d{1,4})?"
)
_BULLET = re.compile(r"[•▪●◦‣■□➢►-]\s|\d{1,2}[.)]\s|\([a-z0-9]\)\s")
_SENTENCE_END = re.compile(r"[.!?:;][\"'”’)\]]*$")
_BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
_JUNK_TITLE = re.compile(
    r"^(?:untitled|microsoft (?:word|powerpoint|excel) - .*|.*\.(?:docx?|pdf|indd|pptx?|xlsx?|rtf|odt))$", re.I
)
_PDF_DATE = re.compile(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?")


class _Segment:
    """Words on one line of one column."""

    __slots__ = ("bold", "bottom", "size", "text", "top", "words", "x0", "x1")

    def __init__(self, word: dict[str, Any]) -> None:
        self.words = [word]
        self.x0, self.x1, self.top, self.bottom = word["x0"], word["x1"], word["top"], word["bottom"]
        self.size = word["size"]
        self.text = ""
        self.bold = False

    def add(self, word: dict[str, Any]) -> None:
        self.words.append(word)
        self.x1 = max(self.x1, word["x1"])
        self.top, self.bottom = min(self.top, word["top"]), max(self.bottom, word["bottom"])
        self.size = max(self.size, word["size"])

    def finish(self) -> None:
        parts = [self.words[0]["text"]]
        for before, word in zip(self.words, self.words[1:], strict=False):
            touching = word["x0"] - before["x1"] < 0.1 * word["size"]  # split by a font change, not a space
            parts.append(word["text"] if touching else " " + word["text"])
        self.text = "".join(parts)
        self.bold = all(_BOLD.search(word.get("fontname") or "") for word in self.words)
        self.words = []  # a word costs 1-2 KB, and segments are kept until the last page is read

    @property
    def center(self) -> float:
        return (self.top + self.bottom) / 2


class _Block:
    """Lines of one paragraph, heading or cell."""

    __slots__ = ("bottom", "lines", "top", "x0", "x1")

    def __init__(self, line: _Segment) -> None:
        self.lines = [line]
        self.x0, self.x1, self.top, self.bottom = line.x0, line.x1, line.top, line.bottom

    def add(self, line: _Segment) -> None:
        self.lines.append(line)
        self.x0, self.x1 = min(self.x0, line.x0), max(self.x1, line.x1)
        self.top, self.bottom = min(self.top, line.top), max(self.bottom, line.bottom)

    @property
    def center(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def size(self) -> float:
        return self.lines[0].size

    @property
    def bold(self) -> bool:
        return all(line.bold for line in self.lines)

    def text(self) -> str:
        return join_lines(line.text for line in self.lines)


def join_lines(lines: Iterable[str]) -> str:
    """Lines of a paragraph joined by spaces; a hyphen between two lower-case letters at a line end is dropped.

    >>> join_lines(["people were dis-", "placed, UN-", "led teams said"])
    'people were displaced, UN-led teams said'
    """
    text = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if not text:
            text = line
        elif text.endswith("\u00ad") or (text.endswith("-") and text[-2:-1].islower() and line[:1].islower()):
            text = text[:-1] + line
        elif text.endswith(("-", "/")) and not text.endswith(" -"):
            text += line
        else:
            text += " " + line
    return text.replace("\u00ad", "")


def parse_pdf(
    data: bytes,
    name: str,
    *,
    max_stream_bytes: int | None = None,
    max_inflated_bytes: int | None = None,
    max_pages: int | None = None,
    max_page_objects: int | None = None,
    max_objects: int | None = None,
    max_seconds: float | None = None,
) -> Parsed:
    """The text of a PDF, its page offsets, and the title and date of its metadata.

    The keywords override the limits of pdf_limits.py (MAX_STREAM_BYTES and the
    others) for this call; a PDF over one raises DocumentTooLarge.
    """
    limits = Limits(
        name,
        stream_bytes=MAX_STREAM_BYTES if max_stream_bytes is None else max_stream_bytes,
        inflated_bytes=MAX_INFLATED_BYTES if max_inflated_bytes is None else max_inflated_bytes,
        pages=MAX_PAGES if max_pages is None else max_pages,
        page_objects=MAX_PAGE_OBJECTS if max_page_objects is None else max_page_objects,
        objects=MAX_OBJECTS if max_objects is None else max_objects,
        parsed_values=MAX_PARSED_VALUES,
        seconds=MAX_SECONDS if max_seconds is None else max_seconds,
    )
    try:
        # Not closed with `with`: PDF.close() creates every page of the page tree, however
        # many it has, and the BytesIO needs no closing.
        with reading(limits):
            pdf = pdfplumber.open(io.BytesIO(data))
            metadata = {**_metadata(pdf.metadata or {}), "lang": _catalog_lang(pdf)}
            pages = _read_pages(pdf, limits)
    except DocumentTooLarge:
        raise
    except Exception as error:  # pdfminer raises many kinds on damaged or encrypted files
        if limits.refused:  # pdfplumber wraps errors, and pdfminer may have raised another on the way out
            raise DocumentTooLarge(limits.refused) from error
        raise _unreadable(name, error) from error
    if limits.refused:  # pdfminer caught the error somewhere and went on: what was read is incomplete
        raise DocumentTooLarge(limits.refused)
    if not any(segments for segments, _ in pages):
        raise NoTextFound(
            f"{name}: this PDF has no text layer (a scanned document?); run OCR on it first, "
            "for example with `ocrmypdf`, and load the result"
        )
    page_texts = _page_texts(pages)
    text, starts = join_pages(page_texts)
    return Parsed(text, PDF, metadata, starts)


def _unreadable(name: str, error: Exception) -> UnreadableDocument:
    while error.args and isinstance(error.args[0], Exception):  # pdfplumber wraps pdfminer's errors
        error = error.args[0]
    detail = f"{type(error).__name__}: {error}".strip().rstrip(":")
    if "password" in detail.lower() or "encrypt" in detail.lower():
        return UnreadableDocument(f"{name}: the PDF is encrypted with a password ({detail}); save an unprotected copy first")
    return UnreadableDocument(f"{name}: the PDF is damaged or cannot be parsed ({detail}); re-export or repair it first")


def _read_pages(pdf: Any, limits: Limits) -> list[tuple[list[_Segment], float]]:
    """The line segments and height of each page, read one page at a time."""
    stated = _stated_page_count(pdf.doc)
    if stated > limits.pages:
        limits.refuse_pages(stated)
    pages = []
    doctop = 0.0
    for number, page_obj in enumerate(PDFPage.create_pages(pdf.doc), 1):
        if number > limits.pages:  # the page tree has more pages than its /Count says
            limits.refuse_pages(None)
        limits.start_page(number)
        page = LimitedPage(pdf, page_obj, page_number=number, initial_doctop=doctop)
        doctop += float(page.height)
        pages.append(_page_segments(page))
    return pages


def _stated_page_count(document: Any) -> int:
    tree = resolve1(document.catalog.get("Pages"))
    count = resolve1(tree.get("Count")) if isinstance(tree, dict) else None
    return count if isinstance(count, int) else 0


def _page_segments(page: Any) -> tuple[list[_Segment], float]:
    words = page.extract_words(
        x_tolerance=1.5, x_tolerance_ratio=0.15, y_tolerance=3, keep_blank_chars=False, extra_attrs=["size", "fontname"]
    )
    page.close()  # frees the page's character objects: long reports stay small in memory
    upright = [word for word in words if word.get("upright", True)]
    if len(upright) * 2 >= len(words):
        words = upright  # rotated text on an upright page: a watermark or a margin label
    return _segments(words), float(page.height)


def _segments(words: list[dict[str, Any]]) -> list[_Segment]:
    """Words in line segments: left to right, same baseline, no wide gap. Superscripts are dropped."""
    segments: list[_Segment] = []
    open_segments: list[_Segment] = []
    for word in sorted(words, key=lambda w: (w["x0"], w["top"])):
        if not word["text"].strip():
            continue
        size = word["size"] or 1.0
        best, best_gap, superscript = None, None, False
        for segment in open_segments:
            gap = word["x0"] - segment.x1
            em = max(size, segment.size)
            if gap < -0.5 or gap > SEGMENT_GAP * em:
                continue
            if abs(word["bottom"] - segment.bottom) <= 0.25 * em:
                if best_gap is None or gap < best_gap:
                    best, best_gap, superscript = segment, gap, False
            elif (
                size < 0.8 * segment.size
                and word["bottom"] < segment.bottom - 0.15 * segment.size
                and word["top"] >= segment.top - 0.4 * segment.size
                and gap <= 0.3 * segment.size
                and best is None
            ):
                best, superscript = segment, True
        if best is None:
            segment = _Segment(word)
            segments.append(segment)
            open_segments.append(segment)
        elif not superscript:
            best.add(word)
        if len(open_segments) > 64:  # segments ending far left of this word can take no more words
            open_segments = [s for s in open_segments if s.x1 >= word["x0"] - SEGMENT_GAP * 72]
    for segment in segments:
        segment.finish()
    return [segment for segment in segments if segment.text.strip()]


def _normalized(text: str) -> str:
    return " ".join(re.sub(r"\d+", "#", text.lower()).split())


def _drop_furniture(pages: list[tuple[list[_Segment], float]]) -> list[list[_Segment]]:
    """Pages' segments without running headers, footers and page numbers."""
    in_band: list[list[_Segment]] = []
    seen: dict[str, list[tuple[float, int]]] = defaultdict(list)  # text -> (top, page)
    for index, (segments, height) in enumerate(pages):
        band = [s for s in segments if s.bottom <= height * BAND or s.top >= height * (1 - BAND)]
        in_band.append(band)
        for segment in band:
            seen[_normalized(segment.text)].append((segment.top, index))
    furniture: set[tuple[str, int]] = set()  # (text, rounded top) seen on two pages or more
    for text, places in seen.items():
        places.sort()
        group: list[tuple[float, int]] = []
        for place in [*places, (float("inf"), -1)]:
            if group and place[0] - group[-1][0] > 4.0:
                if len({page for _, page in group}) >= 2:
                    furniture.update((text, round(top)) for top, _ in group)
                group = []
            group.append(place)
    kept: list[list[_Segment]] = []
    for (segments, _), band in zip(pages, in_band, strict=True):
        drop = {id(s) for s in band if (_normalized(s.text), round(s.top)) in furniture or _PAGE_NUMBER.fullmatch(s.text.strip())}
        kept.append([s for s in segments if id(s) not in drop])
    return kept


def _line_gap(pages: list[list[_Segment]]) -> float:
    """The usual space between two lines of a paragraph in this document, in points."""
    gaps = []
    for segments in pages:
        ordered = sorted(segments, key=lambda s: s.top)
        for i, segment in enumerate(ordered):
            for below in ordered[i + 1 : i + 12]:
                if below.top - segment.bottom > 2 * segment.size:
                    break
                if min(segment.x1, below.x1) > max(segment.x0, below.x0) and abs(below.size - segment.size) < 0.5:
                    gaps.append(below.top - segment.bottom)
                    break
    return statistics.median(gaps) if gaps else 0.3 * 10


def _blocks(segments: list[_Segment], line_gap: float) -> list[_Block]:
    blocks: list[_Block] = []
    for segment in sorted(segments, key=lambda s: (s.top, s.x0)):
        best, best_gap = None, None
        for block in blocks:
            last = block.lines[-1]
            gap = segment.top - last.bottom
            if gap < -0.5 * segment.size or gap > line_gap + 0.4 * segment.size:
                continue
            if min(last.x1, segment.x1) <= max(last.x0, segment.x0):
                continue  # not in the same column
            if abs(last.size - segment.size) > 0.5 or last.bold != segment.bold:
                continue  # a heading and its paragraph
            if _BULLET.match(segment.text):
                continue
            if len(block.lines) > 1 and segment.x0 - last.x0 > 0.8 * segment.size:
                continue  # an indented first line starts a paragraph
            if len(block.lines) > 1 and _SENTENCE_END.search(last.text) and last.x1 < block.x1 - 2 * segment.size:
                continue  # the short last line of a paragraph
            if best_gap is None or gap < best_gap:
                best, best_gap = block, gap
        if best is None:
            blocks.append(_Block(segment))
        else:
            best.add(segment)
    return blocks


def _reading_order(blocks: list[_Block], height: float) -> list[_Block]:
    """Blocks in reading order (topological sort of Breuel's before-relations)."""
    if len(blocks) < 2:
        return blocks
    body = [b for b in blocks if b.top < height * (1 - BAND) and b.bottom > height * BAND]
    body_top = min((b.top for b in body), default=height)
    body_bottom = max((b.bottom for b in body), default=0.0)
    head = [b for b in blocks if b not in body and b.bottom <= body_top]
    foot = [b for b in blocks if b not in body and b.top >= body_bottom]
    body = [b for b in blocks if b not in head and b not in foot]
    return _topological(head) + _topological(body) + _topological(foot)


def _overlap(a: _Block, b: _Block) -> bool:
    return min(a.x1, b.x1) > max(a.x0, b.x0)


def _topological(blocks: list[_Block]) -> list[_Block]:
    n = len(blocks)
    if n < 2 or n > 80:  # a page of hundreds of cells: top to bottom, left to right
        return sorted(blocks, key=lambda b: (round(b.top), b.x0))
    before: list[set[int]] = [set() for _ in range(n)]  # before[j]: blocks that come before j
    for i, a in enumerate(blocks):
        for j, b in enumerate(blocks):
            if i == j:
                continue
            if _overlap(a, b):
                if a.center < b.center:
                    before[j].add(i)
            elif a.x1 <= b.x0:
                low, high = sorted((a.center, b.center))
                if not any(
                    low < c.center < high and _overlap(c, a) and _overlap(c, b) for k, c in enumerate(blocks) if k not in (i, j)
                ):
                    before[j].add(i)
    order: list[_Block] = []
    done: set[int] = set()
    while len(order) < n:
        ready = [j for j in range(n) if j not in done and before[j] <= done]
        if not ready:  # a cycle: overlapping blocks; take the topmost
            ready = [j for j in range(n) if j not in done]
        j = min(ready, key=lambda k: (blocks[k].top, blocks[k].x0))
        done.add(j)
        order.append(blocks[j])
    return order


def _page_texts(pages: list[tuple[list[_Segment], float]]) -> list[str]:
    kept = _drop_furniture(pages)
    line_gap = _line_gap(kept)
    texts = []
    for segments, (_, height) in zip(kept, pages, strict=True):
        ordered = _reading_order(_blocks(segments, line_gap), height)
        paragraphs: list[str] = []
        previous: _Block | None = None
        for block in ordered:
            text = block.text()
            if previous is not None and paragraphs and _continues(previous, block, paragraphs[-1], text):
                paragraphs[-1] = join_lines([paragraphs[-1], text])
            else:
                paragraphs.append(text)
            previous = block
        texts.append("\n\n".join(paragraphs))
    return texts


def _continues(previous: _Block, block: _Block, previous_text: str, text: str) -> bool:
    """Whether `block` goes on with the paragraph `previous` broke off at the foot of a column."""
    return (
        block.top < previous.top
        and not _overlap(previous, block)
        and not _SENTENCE_END.search(previous_text)
        and text[:1].islower()
        and abs(previous.size - block.size) <= 0.5
        and not previous.bold
        and not block.bold
    )


def _metadata(info: dict[str, Any]) -> dict[str, str | None]:
    title = _clean(info.get("Title"))
    if title and _JUNK_TITLE.match(title):
        title = None
    published = None
    match = _PDF_DATE.match(_clean(info.get("CreationDate")) or "")
    if match and match.group(2) and match.group(3):
        published = f"{match.group(1)}-{match.group(2)}-{match.group(3)}"
    return {"title": title, "published": published}


def _catalog_lang(pdf: Any) -> str | None:
    """The /Lang of the PDF's document catalog ("fr-FR"), where tagged PDFs state their language."""
    try:
        value = resolve1(pdf.doc.catalog.get("Lang"))
    except Exception:  # a damaged catalog states nothing: the text's language is detected instead
        return None
    return _clean(value.name if isinstance(value, PSLiteral) else value)


def _clean(value: Any) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("utf-16" if value.startswith((b"\xfe\xff", b"\xff\xfe")) else "latin-1", errors="replace")
    if not isinstance(value, str):
        return None
    value = " ".join(value.replace("\x00", "").split())
    return value or None
