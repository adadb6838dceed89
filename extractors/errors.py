"""Errors raised, and warnings given, by the extractors package.

Every error is an `ExtractionError`, and also the built-in exception a caller
would naturally catch, so `except ValueError` keeps working. Every warning is an
`ExtractionWarning`, a `UserWarning`: something left out of the records, and why.
"""

from __future__ import annotations


class ExtractionError(Exception):
    """Base class of every error this package raises."""


class UnreadableDocument(ExtractionError, ValueError):
    """A file or byte string that cannot be turned into text."""


class UnsupportedFormat(UnreadableDocument):
    """A file whose type the extractor cannot read yet."""


class DocumentNotFound(ExtractionError, FileNotFoundError):
    """A path that does not exist or is not a regular file."""


class InvalidMetadata(ExtractionError, ValueError):
    """A sidecar `.meta.json` or `meta` mapping that is malformed."""


class VocabularyError(ExtractionError, ValueError):
    """A vocabulary data file (indicators, units, places) that is malformed."""


class ExtractionWarning(UserWarning):
    """Base class of every warning this package gives: a figure or file left out, and why."""
