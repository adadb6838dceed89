"""What a loader returns: `LoadedDocument`, and the content types the loaders read."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

from ..document import DocumentMeta

TEXT = "text/plain"
MARKDOWN = "text/markdown"
HTML = "text/html"
PDF = "application/pdf"
CONTENT_TYPES = (TEXT, MARKDOWN, HTML, PDF)


@dataclass(frozen=True, slots=True)
class LoadedDocument:
    """A document read from a file or a URL.

    `text` is what the extractor reads and what records' `char_start`/`char_end`
    point into. `pages` holds the offset in `text` where each page starts (() when
    the format has no pages); `page_of()` turns an offset into a page number.
    """

    text: str
    meta: DocumentMeta
    origin: str  # absolute path or URL (the URL asked for; meta.url is the final one)
    content_type: str  # one of CONTENT_TYPES
    pages: tuple[int, ...] = ()
    raw_sha256: str = ""  # SHA-256 of the bytes read

    def page_of(self, offset: int) -> int | None:
        """The 1-based page on which character `offset` of `text` stands; None without pages.

        >>> LoadedDocument("one\\n\\ntwo", DocumentMeta(), "x.pdf", PDF, pages=(0, 5)).page_of(5)
        2
        """
        if not self.pages or not 0 <= offset <= len(self.text):
            return None
        return max(1, bisect.bisect_right(self.pages, offset))

    @property
    def page_count(self) -> int:
        return len(self.pages)


@dataclass(slots=True)
class Parsed:
    """A loader's result before the sidecar and the file name are applied."""

    text: str
    content_type: str
    meta: dict[str, Any] = field(default_factory=dict)  # title, publisher, url, published the document states
    pages: tuple[int, ...] = ()


def join_pages(page_texts: list[str]) -> tuple[str, tuple[int, ...]]:
    """Pages joined by a blank line, and the offset where each starts.

    >>> join_pages(["a", "bc", ""])
    ('a\\n\\nbc\\n\\n', (0, 3, 7))
    """
    starts, offset = [], 0
    for text in page_texts:
        starts.append(offset)
        offset += len(text) + 2
    return "\n\n".join(page_texts), tuple(starts)
