"""Fetching a document from an http(s) URL, with a timeout and a size limit (urllib.request)."""

from __future__ import annotations

import http.client
import socket
import ssl
import time
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from .. import __version__
from ..errors import UnsupportedFormat
from .errors import DocumentTooLarge, FetchFailed, FetchTimeout, HTTPStatusError

DEFAULT_TIMEOUT = 20.0  # seconds, for the whole download
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
USER_AGENT = f"humanitarian-indicator-dashboard/{__version__} (document loader; python-urllib)"
_CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class Fetched:
    """A downloaded document."""

    url: str  # the final URL, after redirects
    data: bytes
    content_type: str | None  # the media type the server declared, lower case, without parameters
    charset: str | None  # the charset it declared


def is_url(source: object) -> bool:
    return isinstance(source, str) and source.lower().startswith(("http://", "https://"))


def url_name(url: str) -> str:
    """The document name of a URL: its last path segment, else its host.

    >>> url_name("https://news.example.org/world/gaza-toll.html?x=1"), url_name("https://example.org/")
    ('gaza-toll.html', 'example.org')
    """
    parts = urlsplit(url)
    segments = [unquote(part) for part in parts.path.split("/") if part]
    return segments[-1] if segments else (parts.hostname or url)


def fetch(url: str, *, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES) -> Fetched:
    """Download `url`; refuse past `max_bytes` and give up after `timeout` seconds in all."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise UnsupportedFormat(f"{url}: only http:// and https:// URLs can be fetched; download the file and load it instead")
    if not parts.hostname:
        raise FetchFailed(f"{url}: not a valid URL (no host name); check it")
    request = urllib.request.Request(
        url,
        headers={
            "User-Agent": USER_AGENT,
            "Accept": "text/html,application/xhtml+xml,application/pdf;q=0.9,text/plain;q=0.8,*/*;q=0.5",
            "Accept-Encoding": "gzip, deflate, identity",
        },
    )
    deadline = time.monotonic() + timeout
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            final_url = response.geturl() or url
            declared = response.headers.get("Content-Length")
            if declared and declared.strip().isdigit() and int(declared) > max_bytes:
                raise _too_big(url, f"the server announces {int(declared):,} bytes")
            data = _read_capped(response, url, max_bytes, deadline, timeout)
            data = _decompress(data, (response.headers.get("Content-Encoding") or "").strip().lower(), url, max_bytes)
            content_type = response.headers.get_content_type() if response.headers.get("Content-Type") else None
            charset = response.headers.get_content_charset()
    except (FetchFailed, DocumentTooLarge):
        raise
    except urllib.error.HTTPError as error:
        raise HTTPStatusError(
            f"{url}: the server answered HTTP {error.code} {error.reason}; {_status_advice(error.code)}",
            url=url,
            status=error.code,
        ) from error
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise _timed_out(url, timeout) from error
        if isinstance(reason, ssl.SSLError):
            raise FetchFailed(
                f"{url}: secure connection failed ({reason}); check the address or the system's certificates"
            ) from error
        raise FetchFailed(f"{url}: could not connect ({reason}); check the address and the network") from error
    except TimeoutError as error:
        raise _timed_out(url, timeout) from error
    except (http.client.HTTPException, OSError) as error:
        raise FetchFailed(f"{url}: the download broke off ({type(error).__name__}: {error}); try again later") from error
    return Fetched(final_url, data, content_type, charset)


def _read_capped(response: http.client.HTTPResponse, url: str, max_bytes: int, deadline: float, timeout: float) -> bytes:
    chunks, size = [], 0
    while True:
        if time.monotonic() > deadline:
            raise _timed_out(url, timeout)
        chunk = response.read1(_CHUNK) if hasattr(response, "read1") else response.read(_CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise _too_big(url, f"more than {max_bytes:,} bytes were sent")
        chunks.append(chunk)


def _decompress(data: bytes, encoding: str, url: str, max_bytes: int) -> bytes:
    if encoding in ("", "identity"):
        return data
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise FetchFailed(f"{url}: the server sent an unsupported Content-Encoding {encoding!r}; download the file by hand")
    try:
        inflater = zlib.decompressobj(zlib.MAX_WBITS | 32 if encoding != "deflate" else zlib.MAX_WBITS)
        result = inflater.decompress(data, max_bytes + 1)
    except zlib.error as error:
        if encoding == "deflate":  # some servers send raw deflate without the zlib header
            try:
                result = zlib.decompressobj(-zlib.MAX_WBITS).decompress(data, max_bytes + 1)
            except zlib.error:
                raise FetchFailed(f"{url}: the {encoding} body is corrupt ({error}); try again later") from error
        else:
            raise FetchFailed(f"{url}: the {encoding} body is corrupt ({error}); try again later") from error
    if len(result) > max_bytes:
        raise _too_big(url, f"it unpacks to more than {max_bytes:,} bytes")
    return result


def _too_big(url: str, what: str) -> DocumentTooLarge:
    return DocumentTooLarge(f"{url}: too large to load: {what}, over the limit; download it and split it, or raise max_bytes")


def _timed_out(url: str, timeout: float) -> FetchTimeout:
    return FetchTimeout(f"{url}: no complete answer within {timeout:g} s; try again later or raise the timeout")


def _status_advice(status: int) -> str:
    if status in (401, 403):
        return "the page needs a login or refuses automated access; save it from a browser and load the file"
    if status in (404, 410):
        return "check the URL"
    if status == 429:
        return "too many requests; wait and try again"
    if status >= 500:
        return "the server failed; try again later"
    return "check the URL"
