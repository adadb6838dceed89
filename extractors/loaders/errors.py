"""Errors of the loaders, on top of those of `extractors.errors`.

Each is an `ExtractionError` (through `UnreadableDocument`, a `ValueError`) and
also the built-in exception a caller would catch for it: a failed download is a
`ConnectionError`, a download that took too long a `TimeoutError`, a download
refused because it would reach an internal address a `PermissionError`.
"""

from __future__ import annotations

from ..errors import UnreadableDocument, UnsupportedFormat

__all__ = [
    "DocumentTooLarge",
    "FetchFailed",
    "FetchRefused",
    "FetchTimeout",
    "HTTPStatusError",
    "NoTextFound",
    "UnsupportedFormat",
]


class FetchFailed(UnreadableDocument, ConnectionError):
    """A URL that could not be fetched: no connection, a bad address, a broken transfer."""


class FetchTimeout(FetchFailed, TimeoutError):
    """A server that did not answer, or did not finish sending, within the timeout."""


class FetchRefused(FetchFailed, PermissionError):
    """A URL, or a redirect, that is not fetched: an internal address (loopback, private,
    link-local, metadata...) of a host not allowed by name, or a scheme other than http(s).
    See `extractors.loaders.guard`."""


class HTTPStatusError(FetchFailed):
    """A server that answered with an HTTP error status (4xx, 5xx)."""

    def __init__(self, message: str, *, url: str, status: int, retry_after: str | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.status = status
        self.retry_after = retry_after  # the server's Retry-After header (429, 503), as sent


class DocumentTooLarge(UnreadableDocument):
    """A file or a download larger than the size limit."""


class NoTextFound(UnreadableDocument):
    """A document with no text to read: a scanned PDF without a text layer, a page with no article."""
