"""What a file really is, from its first bytes, whatever its name says.

`sniff()` looks for the PDF signature, for HTML markup at the start of the
text, and for the signatures of common binary formats (to name them in an
error message). The loaders trust the content over the name:

* a PDF is read as a PDF whatever its name (`report.bin`, `download`, `x.txt`);
* a file that starts like an HTML page (`<!DOCTYPE html`, `<html`) is read as
  HTML even if it is named `.txt` or `.md`, since its markup, scripts and
  comments are not the article;
* a file named `.pdf` that is not a PDF is refused.
"""

from __future__ import annotations

import re

from .base import HTML, PDF, TEXT

BINARY = "application/octet-stream"
SAMPLE = 8192  # bytes looked at
UNKNOWN_BINARY = "a binary file"

# Signatures of formats the loaders cannot read, so that the error can say what the file is.
_BINARY_SIGNATURES = (
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.xlsx/.pptx/.odt document)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document (.doc/.xls)"),
    (b"{\\rtf", "an RTF document"),
    (b"%!PS", "a PostScript file"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x7fELF", "a program (ELF executable)"),
)
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
# Markup an HTML document starts with; after it only whitespace, comments and a doctype.
_HTML_START = re.compile(rb"\s*(?:<!--.*?-->\s*|<\?xml[^>]*>\s*)*(?:<!doctype\s+html|<html[\s>])", re.IGNORECASE | re.DOTALL)
# Weaker signs, for content whose name and headers say nothing (an extensionless file, a URL).
_HTML_TAGS = re.compile(rb"<(?:head|body|title|meta|div|p|h1|script|table|article)[\s>/]", re.IGNORECASE)


def sniff(data: bytes) -> str:
    """The content type `data` looks like: application/pdf, text/html, text/plain, or
    application/octet-stream for anything binary.

    >>> sniff(b"%PDF-1.7 ..."), sniff(b"  <!DOCTYPE html><html>"), sniff(b"Strikes killed 30."), sniff(b"PK\\x03\\x04")
    ('application/pdf', 'text/html', 'text/plain', 'application/octet-stream')
    """
    head = data[:SAMPLE]
    if b"%PDF-" in head[:1024]:  # the PDF standard lets a header follow up to 1 KB of junk
        return PDF
    if looks_like_html(head):
        return HTML
    if binary_kind(head) is not None:
        return BINARY
    return TEXT


def looks_like_html(data: bytes, *, weak: bool = False) -> bool:
    """Whether `data` starts like an HTML document; with `weak`, whether it has HTML tags near its start."""
    head = data[:SAMPLE]
    if head.startswith(_BOMS[0]):
        head = head[3:]
    elif head.startswith(_BOMS[1:]):  # UTF-16: look at the ASCII bytes only
        head = head[2:].replace(b"\x00", b"")
    if _HTML_START.match(head):
        return True
    return weak and head.lstrip().startswith(b"<") and _HTML_TAGS.search(head, 0, 2048) is not None


def binary_kind(data: bytes) -> str | None:
    """What a binary file is: "a PNG image", UNKNOWN_BINARY if not known; None for text."""
    head = data[:SAMPLE]
    for signature, kind in _BINARY_SIGNATURES:
        if head.startswith(signature):
            return kind
    if head.startswith(_BOMS[1:]):
        return None  # UTF-16 text has NUL bytes
    if b"\x00" in head:
        return UNKNOWN_BINARY
    return None


def binary_description(kind: str) -> str:
    """ "a binary file (a PNG image)", or "a binary file" for an unknown kind."""
    return kind if kind == UNKNOWN_BINARY else f"{UNKNOWN_BINARY} ({kind})"
