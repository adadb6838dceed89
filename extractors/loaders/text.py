"""Plain text and Markdown files: decoded as UTF-8, as before HTML and PDF were added."""

from __future__ import annotations

import codecs
import warnings

from ..errors import ExtractionWarning, UnreadableDocument
from .base import MARKDOWN, TEXT, Parsed
from .sniff import binary_description, binary_kind

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})


def decode_text(data: bytes, name: str) -> str:
    """`data` as text: UTF-8 (a BOM is dropped), UTF-16 with a BOM; anything else is
    decoded as UTF-8 with U+FFFD for the bad bytes and a warning naming `name`."""
    kind = binary_kind(data)
    if kind is not None:
        raise UnreadableDocument(
            f"{name}: looks like {binary_description(kind)}, not text; convert it to .txt, .html or .pdf first"
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise UnreadableDocument(f"{name}: starts like UTF-16 text but is not valid UTF-16; save it as UTF-8") from error
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        warnings.warn(
            f"{name}: not valid UTF-8 (first bad byte at offset {error.start}); undecodable bytes were replaced by U+FFFD",
            ExtractionWarning,
            stacklevel=2,
        )
        return data.decode("utf-8-sig", errors="replace")


def parse_text(data: bytes, name: str, suffix: str) -> Parsed:
    content_type = MARKDOWN if suffix in MARKDOWN_SUFFIXES else TEXT
    return Parsed(decode_text(data, name), content_type)
