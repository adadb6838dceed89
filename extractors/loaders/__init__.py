"""Reading documents: plain text, Markdown, HTML pages and PDF reports, from files or URLs.

    from extractors.loaders import load
    doc = load("tests/fixtures/documents/two_column_sitrep.pdf")  # or an http(s):// URL
    doc.content_type, doc.meta.title, doc.page_of(doc.text.index("10.5 million"))
    # ('application/pdf', 'Sudan Humanitarian Situation Report No. 7', 3)

`load(source)` takes a path or an http(s) URL and returns a `LoadedDocument`:
the text records' offsets point into, the document's metadata, and for a PDF
the offset where each page starts. The loader is chosen by the content, not
only the name (see `sniff`): a PDF named `.bin` is read as a PDF, an HTML page
saved as `.txt` as HTML; a `.pdf` that is no PDF, and content of a type no
loader reads (images, archives, Office files) are refused with
`UnsupportedFormat` or `UnreadableDocument`. Folders given to
`iter_documents` are searched by suffix only (SUFFIXES).

Metadata: the title, publisher, URL and publication date a document states
about itself (HTML meta tags and JSON-LD, PDF document info). A sidecar
`NAME.meta.json` beside a file overrides them key by key: a key with a
non-empty value in the sidecar wins, a missing or null key leaves the
document's own value. `doc` is always the file name (the last path segment of a
URL). For a URL, `meta.url` is the final URL after redirects.

Everything that cannot be read raises an `ExtractionError` whose message says
what is wrong and what to do.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

from ..document import META_KEYS, DocumentMeta
from ..errors import DocumentNotFound, InvalidMetadata, UnreadableDocument, UnsupportedFormat
from .base import CONTENT_TYPES, HTML, MARKDOWN, PDF, TEXT, LoadedDocument, Parsed
from .errors import DocumentTooLarge, FetchFailed, FetchRefused, FetchTimeout, HTTPStatusError, NoTextFound
from .fetch import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, fetch, is_url, url_name
from .sniff import BINARY, UNKNOWN_BINARY, binary_description, binary_kind, looks_like_html, sniff
from .walk import walk_files

__all__ = [
    "CONTENT_TYPES",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_TIMEOUT",
    "HTML",
    "MARKDOWN",
    "MAX_BYTES",
    "PDF",
    "SIDECAR_SUFFIX",
    "SUFFIXES",
    "TEXT",
    "DocumentTooLarge",
    "FetchFailed",
    "FetchRefused",
    "FetchTimeout",
    "HTTPStatusError",
    "LoadedDocument",
    "NoTextFound",
    "is_sidecar",
    "is_supported",
    "iter_documents",
    "load",
    "read_document",
    "read_meta",
    "sidecar_for",
    "sniff",
]

SIDECAR_SUFFIX = ".meta.json"
MAX_SIDECAR_BYTES = 1024 * 1024  # a sidecar states six short fields; more is not a sidecar
MAX_BYTES = 200 * 1024 * 1024  # larger files are not reports
# The content type each file suffix announces; what the content is decides (see sniff).
SUFFIXES = {
    ".txt": TEXT,
    ".text": TEXT,
    ".md": MARKDOWN,
    ".markdown": MARKDOWN,
    ".html": HTML,
    ".htm": HTML,
    ".xhtml": HTML,
    ".pdf": PDF,
}
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]+)://")
_URL_TYPES = {
    "text/html": HTML,
    "application/xhtml+xml": HTML,
    "application/pdf": PDF,
    "application/x-pdf": PDF,
    "text/plain": TEXT,
    "text/markdown": MARKDOWN,
    "text/x-markdown": MARKDOWN,
}


def load(
    source: str | os.PathLike[str],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int | None = None,
) -> LoadedDocument:
    """The document at `source`, a file path or an http(s) URL.

    `timeout` (seconds) and `max_bytes` (default 20 MB for a URL, 200 MB for a
    file) bound what is read.
    """
    if is_url(source):
        return _load_url(str(source), timeout=timeout, max_bytes=DEFAULT_MAX_BYTES if max_bytes is None else max_bytes)
    other_scheme = _SCHEME.match(source) if isinstance(source, str) else None
    if other_scheme:
        raise UnsupportedFormat(f"{source}: cannot load {other_scheme.group(1)}:// URLs, only files and http(s):// URLs")
    return _load_file(Path(source), max_bytes=MAX_BYTES if max_bytes is None else max_bytes)


def read_document(path: str | os.PathLike[str]) -> tuple[str, DocumentMeta]:
    """The text of a document (file or URL) and its metadata: `load()` without the rest."""
    document = load(path)
    return document.text, document.meta


def is_sidecar(path: Path) -> bool:
    return Path(path).name.endswith(SIDECAR_SUFFIX)


def is_supported(path: Path) -> bool:
    """Whether a file's suffix is one the loaders read (what folder walks collect)."""
    path = Path(path)
    return not is_sidecar(path) and path.suffix.lower() in SUFFIXES


def sidecar_for(path: Path) -> Path | None:
    """The `NAME.meta.json` beside a document (report.meta.json or report.pdf.meta.json)."""
    path = Path(path)
    for candidate in (path.with_name(path.stem + SIDECAR_SUFFIX), path.with_name(path.name + SIDECAR_SUFFIX)):
        if candidate.is_file():
            return candidate
    return None


def read_meta(path: Path) -> DocumentMeta:
    """The provenance a sidecar gives a document, and its file name; not what the file says itself."""
    path = Path(path)
    return DocumentMeta.from_mapping(_sidecar_values(path), doc=path.name)


def iter_documents(paths: list[str | Path]) -> list[Path | str]:
    """The documents named by `paths`: files and URLs as given, folders walked for files with a
    supported suffix (SUFFIXES), sidecars left out."""
    found: list[Path | str] = []
    for given in paths:
        if is_url(given):
            found.append(str(given))
            continue
        path = Path(given)
        if path.is_dir():
            found.extend(walk_files(path, is_supported))
        else:
            found.append(path)
    return found


def _load_file(path: Path, *, max_bytes: int) -> LoadedDocument:
    if not path.is_file():
        raise DocumentNotFound(f"{path}: no such file" if not path.exists() else f"{path}: is not a regular file")
    if is_sidecar(path):
        raise UnsupportedFormat(f"{path}: is a metadata sidecar, not a document")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DocumentTooLarge(f"{path}: {size:,} bytes is more than the {max_bytes:,} byte limit; split the file")
        data = path.read_bytes()
    except OSError as error:
        raise UnreadableDocument(f"{path}: cannot be read ({error.strerror or error})") from error
    suffix = path.suffix.lower()
    parsed = _parse(data, str(path), _file_type(data, path, suffix), suffix=suffix)
    meta = {**parsed.meta, **{k: v for k, v in _sidecar_values(path).items() if _stated(v)}}
    return LoadedDocument(
        text=parsed.text,
        meta=DocumentMeta.from_mapping(meta, doc=path.name),
        origin=str(path.resolve()),
        content_type=parsed.content_type,
        pages=parsed.pages,
        raw_sha256=hashlib.sha256(data).hexdigest(),
    )


def _file_type(data: bytes, path: Path, suffix: str) -> str:
    """What to read a file as: the sniffed content first, then the suffix."""
    named = SUFFIXES.get(suffix)
    found = sniff(data)
    if found in (PDF, HTML):
        return found
    if named == PDF:
        start = data[:16].decode("latin-1").encode("unicode_escape").decode("ascii")
        raise UnreadableDocument(f"{path}: is named .pdf but is not a PDF (it starts with {start!r}); check the file")
    if found == BINARY:
        kind = binary_description(binary_kind(data) or UNKNOWN_BINARY)
        if named is None:
            raise UnsupportedFormat(f"{path}: looks like {kind}, which cannot be read; {_supported_hint()}")
        raise UnreadableDocument(f"{path}: looks like {kind}, not text; convert it to .txt, .html or .pdf first")
    if named == HTML:
        return HTML
    if named is None:
        what = f"{path.suffix} files" if path.suffix else "files without a suffix"
        raise UnsupportedFormat(f"{path}: cannot read {what}; {_supported_hint()}")
    return named


def _supported_hint() -> str:
    return f"supported: {', '.join(sorted(SUFFIXES))} (a PDF or an HTML page is recognised whatever its name)"


def _load_url(url: str, *, timeout: float, max_bytes: int) -> LoadedDocument:
    fetched = fetch(url, timeout=timeout, max_bytes=max_bytes)
    name = url_name(fetched.url)
    suffix = Path(name).suffix.lower()
    parsed = _parse(
        fetched.data,
        url,
        _url_type(fetched.data, fetched.content_type, suffix, url),
        suffix=suffix,
        base_url=fetched.url,
        charset=fetched.charset,
    )
    meta = {**parsed.meta, "url": fetched.url}
    return LoadedDocument(
        text=parsed.text,
        meta=DocumentMeta.from_mapping(meta, doc=name),
        origin=url,
        content_type=parsed.content_type,
        pages=parsed.pages,
        raw_sha256=hashlib.sha256(fetched.data).hexdigest(),
    )


def _url_type(data: bytes, declared: str | None, suffix: str, url: str) -> str:
    """What to read a download as: a PDF or HTML page by its content, else the declared type, else the suffix."""
    found = sniff(data)
    if found in (PDF, HTML):
        return found
    wanted = _URL_TYPES.get(declared or "")
    if wanted == PDF:
        raise UnreadableDocument(f"{url}: the server says it sent a PDF, but the content is not a PDF; check the URL")
    if wanted == HTML or (wanted is None and looks_like_html(data, weak=True)):
        return HTML
    if found == BINARY:
        raise UnsupportedFormat(
            f"{url}: the server sent {binary_kind(data)} ({declared or 'no content type'}); "
            "only HTML pages, PDFs and plain text can be read"
        )
    if wanted is not None:
        return wanted
    if declared in (None, "application/octet-stream") and SUFFIXES.get(suffix) in (TEXT, MARKDOWN):
        return SUFFIXES[suffix]
    raise UnsupportedFormat(
        f"{url}: the server sent {declared or 'no content type'}, which cannot be read; "
        "only HTML pages, PDFs and plain text can be read"
    )


def _parse(
    data: bytes, name: str, content_type: str, *, suffix: str, base_url: str | None = None, charset: str | None = None
) -> Parsed:
    if content_type == PDF:
        from .pdf import parse_pdf

        return parse_pdf(data, name)
    if content_type == HTML:
        from .html import parse_html

        return parse_html(data, name, base_url=base_url, charset=charset)
    from .text import parse_text

    parsed = parse_text(data, name, suffix)
    parsed.content_type = content_type
    return parsed


def _sidecar_values(path: Path) -> dict[str, Any]:
    sidecar = sidecar_for(path)
    if sidecar is None:
        return {}
    try:
        with sidecar.open("rb") as file:
            content = file.read(MAX_SIDECAR_BYTES + 1)
        if len(content) > MAX_SIDECAR_BYTES:
            raise InvalidMetadata(
                f"{sidecar}: larger than {MAX_SIDECAR_BYTES:,} bytes, which no metadata sidecar needs; fix or remove it"
            )
        data = json.loads(content.decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidMetadata(f"{sidecar}: not a readable JSON object ({error}); fix or remove the sidecar") from error
    except RecursionError:  # the JSON parser recurses once per level of nesting
        raise InvalidMetadata(f"{sidecar}: nested too deeply to be metadata; fix or remove the sidecar") from None
    if not isinstance(data, dict):
        raise InvalidMetadata(f"{sidecar}: must hold a JSON object with title, publisher, url, published")
    return {key: data[key] for key in META_KEYS if key in data}


def _stated(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())
