"""What the extractor knows about a document besides its text."""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from .dates import parse_date
from .errors import ExtractionWarning, InvalidMetadata
from .language import language_code

META_KEYS = ("doc", "title", "publisher", "url", "published", "kind", "lang")


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    """Provenance of a document, from its sidecar `.meta.json` or the caller."""

    doc: str = "<text>"  # file name
    title: str | None = None  # headline or report title
    publisher: str | None = None  # who published it: "Reuters", "UN OCHA"
    url: str | None = None  # where it was published
    published: str | None = None  # publication date, ISO 8601 (validated)
    kind: str | None = None  # "summary" for a brief restating another report
    lang: str | None = None  # ISO 639-1 code of the language the document states it is in (validated)

    @property
    def source(self) -> str:
        """The publisher, else the URL's domain, else the file name."""
        if self.publisher:
            return self.publisher
        if self.url:
            host = urlparse(self.url).hostname or ""
            if host:
                return host.removeprefix("www.")
        return self.doc

    @classmethod
    def from_mapping(cls, meta: Mapping[str, Any] | DocumentMeta | None, *, doc: str | None = None) -> DocumentMeta:
        """Validated metadata. A malformed date is dropped with a warning, never fatal."""
        if isinstance(meta, DocumentMeta):
            return meta if doc is None else _replace_doc(meta, doc)
        if meta is None:
            meta = {}
        if not isinstance(meta, Mapping):
            raise InvalidMetadata(f"meta must be a mapping of {', '.join(META_KEYS)}, not {type(meta).__name__}")
        values: dict[str, str | None] = {}
        for key in META_KEYS:
            value = meta.get(key)
            if value is not None and not isinstance(value, str):
                value = str(value)
            values[key] = value.strip() if isinstance(value, str) and value.strip() else None
        published = values["published"]
        if published is not None:
            date = parse_date(published)
            if date is None:
                warnings.warn(
                    f"ignored malformed publication date {published!r} for {doc or values['doc'] or 'the document'}; "
                    "write it as YYYY-MM-DD",
                    ExtractionWarning,
                    stacklevel=3,
                )
            values["published"] = date.isoformat() if date else None
        lang = values["lang"]
        if lang is not None:
            values["lang"] = language_code(lang)
            if values["lang"] is None:
                warnings.warn(
                    f"ignored malformed language {lang!r} for {doc or values['doc'] or 'the document'}; "
                    "write it as an ISO 639-1 code such as fr or es",
                    ExtractionWarning,
                    stacklevel=3,
                )
        values["doc"] = doc or values["doc"] or "<text>"
        return cls(**values)


def _replace_doc(meta: DocumentMeta, doc: str) -> DocumentMeta:
    return DocumentMeta(doc, meta.title, meta.publisher, meta.url, meta.published, meta.kind, meta.lang)


def content_hash(text: str) -> str:
    """SHA-256 of the document text: the document's identity."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
