"""Extract humanitarian indicator figures, with their provenance, from report text.

>>> from extractors import extract
>>> record = extract("Israeli strikes have killed at least 57,575 Palestinians, the Gaza health ministry said.")[0]
>>> record.indicator, record.value, record.qualifier, record.low, record.high
('deaths', 57575.0, 'at_least', 57575.0, None)
>>> record.attribution
'the Gaza health ministry'
"""

from __future__ import annotations

__version__ = "0.1.0"

from pathlib import Path

from .document import DocumentMeta
from .engine import extract
from .errors import (
    DocumentNotFound,
    ExtractionError,
    ExtractionWarning,
    InvalidMetadata,
    UnreadableDocument,
    UnsupportedFormat,
    VocabularyError,
)
from .loaders import LoadedDocument, load, read_document
from .record import FIELDS, INDICATORS, MEASURES, QUALIFIERS, SCOPES, STATUSES, IndicatorRecord


def extract_file(path: str | Path) -> list[IndicatorRecord]:
    """Indicator records of one document (.txt, .md, .html, .pdf file or an http(s) URL),
    with its sidecar metadata."""
    text, meta = read_document(path)
    return extract(text, meta=meta)


__all__ = [
    "FIELDS",
    "INDICATORS",
    "MEASURES",
    "QUALIFIERS",
    "SCOPES",
    "STATUSES",
    "DocumentMeta",
    "DocumentNotFound",
    "ExtractionError",
    "ExtractionWarning",
    "IndicatorRecord",
    "InvalidMetadata",
    "LoadedDocument",
    "UnreadableDocument",
    "UnsupportedFormat",
    "VocabularyError",
    "__version__",
    "extract",
    "extract_file",
    "load",
    "read_document",
]
