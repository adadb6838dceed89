"""Documents a reviewer adds in the app: pasted text, an uploaded file or a URL, with optional title, publisher and date.

Each becomes a LoadedSource and is stored like any ingested document (one transaction, the
same versioning rules):

- pasted text: origin ``pasted:<sha256 of the text>``, so each distinct text is its own document;
- an uploaded file: origin ``uploaded:<sha256 of the bytes>/<file name>``: read by the loaders
  (text, Markdown, HTML, PDF, sniffed from the content), at most MAX_UPLOAD_BYTES;
- a URL: origin the URL, as `python -m store ingest URL` does, so a changed page becomes a new version.

The title, publisher, date and address a reviewer types override what the document says about itself.
A pasted or uploaded text that has no date then gets the date its heading states, when it states
exactly one (extractors.dates.stated_date: a dateline, "Published: ...", a heading's own date).
Everything that cannot be read raises IntakeRefused (also a ValueError) with a message saying what to do.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import tempfile
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from extractors.dates import stated_date
from extractors.document import DocumentMeta, content_hash
from extractors.errors import ExtractionError

from .connect import StoreError
from .ingest import IngestResult, store_loaded
from .sources import LoadedSource, is_url

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # reports are far smaller; the dashboard's uploader says the same
MAX_PASTE_CHARS = 2_000_000
UPLOAD_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf")
URL_TIMEOUT_S = 20.0
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")


class IntakeRefused(StoreError, ValueError):
    """A document that cannot be added as given (empty, too large, unreadable, a bad URL or date)."""


def document_meta(
    doc: str, *, title: Any = None, publisher: Any = None, published: Any = None, url: Any = None
) -> dict[str, Any]:
    """The metadata a reviewer typed, checked: a malformed date is refused, not dropped.

    >>> document_meta("note.txt", title=" Sitrep 12 ", published="2025-05-25")
    {'doc': 'note.txt', 'title': 'Sitrep 12', 'published': '2025-05-25'}
    """
    from .review_rules import ReviewRefused, clean_text, iso_day, web_address

    try:
        values = {
            "doc": doc,
            "title": clean_text(title, "title", 300),
            "publisher": clean_text(publisher, "publisher", 200),
            "published": iso_day(published),
            "url": web_address(url),
        }
    except ReviewRefused as error:
        raise IntakeRefused(str(error)) from None
    return {name: value for name, value in values.items() if value is not None}


def _merged(loaded: LoadedSource, meta: Mapping[str, Any], origin: str | None = None) -> LoadedSource:
    own = {name: getattr(loaded.meta, name) for name in ("doc", "title", "publisher", "url", "published", "kind")}
    given = {name: value for name, value in meta.items() if value is not None}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # dates were checked by document_meta
        combined = DocumentMeta.from_mapping({**own, **given})
    return dataclasses.replace(loaded, meta=combined, origin=origin or loaded.origin)


def pasted_source(text: str, meta: Mapping[str, Any] | None = None) -> LoadedSource:
    """Pasted text as a document (line ends made Unix-style, as a saved .txt file would be read)."""
    if not isinstance(text, str):
        raise IntakeRefused("Paste the report's text (plain text).")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise IntakeRefused("The text is empty: paste the report's text, or upload the file instead.")
    if len(text) > MAX_PASTE_CHARS:
        raise IntakeRefused(f"The text is {len(text):,} characters long; paste at most {MAX_PASTE_CHARS:,} or upload the file.")
    meta = dict(meta or {})
    meta.setdefault("doc", "pasted text")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        loaded = LoadedSource(text, DocumentMeta.from_mapping(meta), f"pasted:{content_hash(text)}", "text/plain")
    return with_stated_date(loaded)


def with_stated_date(loaded: LoadedSource) -> LoadedSource:
    """The document, dated by its heading when nothing else dated it (see extractors.dates.stated_date)."""
    if loaded.meta.published:
        return loaded
    date = stated_date(loaded.text)
    if date is None:
        return loaded
    return dataclasses.replace(loaded, meta=dataclasses.replace(loaded.meta, published=date.isoformat()))


def safe_file_name(name: Any) -> str:
    """An uploaded file's name, safe to write in a folder of ours and to show.

    >>> safe_file_name("../../etc/passwd"), safe_file_name("sitrep<12>.pdf"), safe_file_name("")
    ('passwd', 'sitrep_12_.pdf', 'upload.txt')
    """
    base = Path(str(name or "").replace("\\", "/")).name
    cleaned = _UNSAFE_NAME.sub("_", base).strip(" .")[:120]
    return cleaned or "upload.txt"


def uploaded_source(
    data: bytes, file_name: str, meta: Mapping[str, Any] | None = None, *, max_bytes: int = MAX_UPLOAD_BYTES
) -> LoadedSource:
    """An uploaded file (bytes) read by the loaders; its type is sniffed from the content, then the suffix."""
    name = safe_file_name(file_name)
    if not data:
        raise IntakeRefused(f"{name} is empty; choose the report file again.")
    if len(data) > max_bytes:
        raise IntakeRefused(
            f"{name} is {len(data) / 1e6:,.1f} MB, more than the {max_bytes / 1e6:,.0f} MB limit; "
            "split the report, or paste the part with the figures."
        )
    if Path(name).suffix.lower() not in UPLOAD_SUFFIXES:
        raise IntakeRefused(f"{name}: cannot read this kind of file; upload {', '.join(UPLOAD_SUFFIXES)}.")
    from extractors.loaders import load

    with tempfile.TemporaryDirectory(prefix="dashboard-upload-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                loaded = load(path, max_bytes=max_bytes)
        except ExtractionError as error:
            raise IntakeRefused(str(error).replace(str(path), name)) from None
    source = LoadedSource(loaded.text, loaded.meta, "", loaded.content_type, tuple(loaded.pages), loaded.raw_sha256)
    if not source.text.strip():
        raise IntakeRefused(f"{name} holds no text (a scanned PDF?); paste the text instead.")
    merged = _merged(source, {**dict(meta or {}), "doc": name}, origin=f"uploaded:{hashlib.sha256(data).hexdigest()}/{name}")
    return with_stated_date(merged)


def url_source(url: str, meta: Mapping[str, Any] | None = None, *, timeout: float = URL_TIMEOUT_S) -> LoadedSource:
    """A report at an http(s) URL (20 MB at most, `timeout` seconds)."""
    address = str(url or "").strip()
    if not is_url(address) or any(c in address for c in ' "<>\n\r\t'):
        raise IntakeRefused(f"{address[:80]!r} is not a web address; give one starting with https://.")
    from extractors.loaders import load

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            loaded = load(address, timeout=timeout)
    except ExtractionError as error:
        raise IntakeRefused(str(error)) from None
    source = LoadedSource(loaded.text, loaded.meta, address, loaded.content_type, tuple(loaded.pages), loaded.raw_sha256)
    if not source.text.strip():
        raise IntakeRefused(f"{address[:80]} holds no text; paste the report's text instead.")
    return _merged(source, {name: value for name, value in dict(meta or {}).items() if name != "doc"})  # doc: the URL's file


def ingest_loaded(engine: Engine, loaded: LoadedSource, label: str) -> IngestResult:
    """Extract the figures of an added document and store it like any ingested one; the result says what happened.

    Raises IntakeRefused when the store refuses it (the message says why); nothing is half-written.
    """
    try:  # the CLI's own steps, so that an added document follows exactly its rules
        return store_loaded(engine, loaded, label)
    except Exception as error:  # a store failure is shown to the reviewer, never a traceback
        reason = str(error) or type(error).__name__
        raise IntakeRefused(
            f"The document could not be stored ({reason[:300]}); try again, or tell the store's administrator."
        ) from error


__all__ = [
    "MAX_PASTE_CHARS",
    "MAX_UPLOAD_BYTES",
    "UPLOAD_SUFFIXES",
    "IntakeRefused",
    "document_meta",
    "ingest_loaded",
    "pasted_source",
    "safe_file_name",
    "uploaded_source",
    "url_source",
    "with_stated_date",
]
