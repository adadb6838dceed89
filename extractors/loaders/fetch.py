"""Fetching a document from an http(s) URL, within a total deadline and a size limit, never from an internal address.

    fetch(url, timeout=20.0, max_bytes=20 * 1024 * 1024, allow_hosts=None) -> Fetched

Limits that hold, whatever the server does:

- `timeout` seconds for the whole fetch: name lookup, connection, TLS handshake, status line,
  headers, body and decompression, across all redirects. A server that sends one byte a second
  is cut off at the deadline with `FetchTimeout`.
- `max_bytes` for what is received and, separately, for what gzip or deflate unpack it to,
  counted while reading and inflating: a gzip bomb is refused (`DocumentTooLarge`) having held
  about `max_bytes`, never the whole bomb.
- Internal addresses are refused (`FetchRefused`), on the first URL and on every redirect:
  loopback, private, shared (CGNAT), link-local (cloud metadata included), multicast,
  unspecified, reserved; see `extractors.loaders.guard`. The connection goes to the very
  address that was checked, so a changing DNS answer cannot slip an internal one in.
- At most MAX_REDIRECTS (5) redirects, to http:// and https:// only: a redirect to ftp://,
  file:// or data: is refused (`FetchRefused`) and never opened.
- Proxy settings in the environment (http_proxy, https_proxy) are not used: the guard has to
  see, and connect to, the address it checked.

Allowing internal hosts: an operator names them, as written in URLs, in the environment
variable INDICATORS_FETCH_ALLOW_HOSTS (comma-separated; read at each fetch), or passes
`allow_hosts=[...]`:

    INDICATORS_FETCH_ALLOW_HOSTS=localhost,127.0.0.1,intranet.example.org python -m store ingest http://intranet.example.org/sitrep.pdf

A name allows that name only (`localhost` does not allow `127.0.0.1`); scheme and redirect
limits still apply to allowed hosts.
"""

from __future__ import annotations

import contextlib
import functools
import http.client
import ipaddress
import socket
import ssl
import string
import threading
import time
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote, unquote, urljoin, urlparse, urlsplit, urlunparse

from .. import __version__
from ..errors import UnsupportedFormat
from .errors import DocumentTooLarge, FetchFailed, FetchRefused, FetchTimeout, HTTPStatusError
from .guard import ALLOW_HOSTS_ENV, allowed_hosts, normal_host, refusal

DEFAULT_TIMEOUT = 20.0  # seconds, for the whole download
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_REDIRECTS = 5
USER_AGENT = f"humanitarian-indicator-dashboard/{__version__} (document loader; python http.client)"
_CHUNK = 64 * 1024
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_ENCODINGS = ("", "identity", "gzip", "x-gzip", "deflate")
_HEADERS = {
    "User-Agent": USER_AGENT,
    "Accept": "text/html,application/xhtml+xml,application/pdf;q=0.9,text/plain;q=0.8,*/*;q=0.5",
    "Accept-Encoding": "gzip, deflate, identity",
    "Connection": "close",
}


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


def fetch(
    url: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allow_hosts: Iterable[str] | None = None,
    post: tuple[bytes, str] | None = None,
) -> Fetched:
    """Download `url`; refuse past `max_bytes` and give up after `timeout` seconds in all.

    Internal addresses are refused (FetchRefused) unless their host is named in `allow_hosts`
    or in INDICATORS_FETCH_ALLOW_HOSTS; see the module docstring. `post=(body, content_type)`
    sends a POST instead (a webhook): a redirect is then not followed but refused (FetchFailed).
    """
    try:
        parts = urlsplit(url)
    except ValueError as error:  # a broken [IPv6] host, say
        raise FetchFailed(f"{url}: not a valid URL ({error}); check it") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise UnsupportedFormat(f"{url}: only http:// and https:// URLs can be fetched; download the file and load it instead")
    if not parts.hostname:
        raise FetchFailed(f"{url}: not a valid URL (no host name); check it")
    with _Deadline(timeout) as deadline:
        try:
            return _follow(url, allowed_hosts(allow_hosts), deadline, max_bytes, post)
        except (FetchFailed, DocumentTooLarge):
            if deadline.expired:  # e.g. a body cut short by the deadline, read as corrupt
                raise _timed_out(url, timeout) from None
            raise
        except (http.client.HTTPException, OSError) as error:  # TimeoutError and ssl.SSLError are OSErrors
            raise _failure(url, error, deadline) from error


# ------------------------------------------------------------------ redirects and the guard


@dataclass(frozen=True, slots=True)
class _Target:
    url: str
    host: str
    port: int
    https: bool
    selector: str  # what the request line asks for: path and query
    addresses: list[tuple[int, tuple]]  # (family, sockaddr) from getaddrinfo, each one checked


def _follow(url: str, allowed: frozenset[str], deadline: _Deadline, max_bytes: int, post: tuple[bytes, str] | None = None) -> Fetched:
    current = url
    for redirects in range(MAX_REDIRECTS + 1):
        target = _target(url, current, allowed, deadline)
        connection = _Connection(target, deadline)
        try:
            try:
                connection.connect()
            except (OSError, http.client.HTTPException) as error:
                raise _failure(url, error, deadline, connecting=True) from error
            if post is None:
                connection.request("GET", target.selector, headers=_HEADERS)
            else:
                headers = {**_HEADERS, "Content-Type": post[1], "Accept": "*/*"}
                connection.request("POST", target.selector, body=post[0], headers=headers)
            response = connection.getresponse()
            location = response.getheader("Location")
            if response.status in _REDIRECT_STATUSES and location and post is not None:
                raise FetchFailed(f"{url}: the server redirected the POST to {location[:200]!r}, which is not followed; give the final address")
            if response.status in _REDIRECT_STATUSES and location:
                try:
                    current = _redirect_url(current, location)
                except ValueError as error:
                    raise FetchFailed(
                        f"{url}: the server redirected to {location[:200]!r}, which is not a valid URL ({error}); check the URL"
                    ) from None
                if redirects == MAX_REDIRECTS:
                    raise FetchFailed(
                        f"{url}: more than {MAX_REDIRECTS} redirects (the last to {current}); "
                        "the server may be redirecting in a loop: open the URL in a browser and give the address it ends at"
                    )
                continue
            if not 200 <= response.status < 300:
                raise HTTPStatusError(
                    f"{url}: the server answered HTTP {response.status} {response.reason}; {_status_advice(response.status)}",
                    url=url,
                    status=response.status,
                    retry_after=response.getheader("Retry-After"),
                )
            data = _read_body(response, url, max_bytes, deadline)
            content_type = response.headers.get_content_type() if response.headers.get("Content-Type") else None
            return Fetched(current, data, content_type, response.headers.get_content_charset())
        finally:
            connection.close()
    raise AssertionError("unreachable: the loop returns or raises")


def _target(url: str, current: str, allowed: frozenset[str], deadline: _Deadline) -> _Target:
    """Where `current` (the URL, or a redirect of it) leads, once the guard has let it pass."""
    parts = urlsplit(current)  # valid: fetch and _redirect_url have split it already
    redirected = f"the server redirected to {current}, and " if current != url else ""
    invalid = f"the server redirected to {current}, which is not a valid URL" if redirected else "not a valid URL"
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchRefused(
            f"{url}: the server redirected to {current[:200]}, which is not followed: only http:// and https:// "
            "redirects are; if you trust that address, download the file yourself and load it"
        )
    try:
        port = parts.port if parts.port is not None else (443 if scheme == "https" else 80)
    except ValueError as error:  # a port that is not a number, or out of range
        raise FetchFailed(f"{url}: {invalid} ({error}); check it") from None
    host = parts.hostname
    if not host:
        raise FetchFailed(f"{url}: {invalid} (no host name); check it")
    literal = _literal(host)
    try:
        addresses = _addresses(host, port, literal, deadline)
    except UnicodeError as error:  # a label too long or empty for IDNA, say
        raise FetchFailed(f"{url}: {invalid} (host name: {error}); check it") from None
    name = normal_host(host)
    if name not in allowed:
        for _, sockaddr in addresses:
            address = ipaddress.ip_address(sockaddr[0])
            reason = refusal(address)
            if reason:
                where = f"{host} is {reason}" if literal else f"{host} resolves to {address}, {reason}"
                raise FetchRefused(
                    f"{url}: {redirected}{where}; internal addresses are not fetched. "
                    f"An operator can allow this host by name with {ALLOW_HOSTS_ENV}={name}"
                )
    # As a browser does: spaces, control and non-ASCII characters percent-encoded, escapes kept.
    selector = quote((parts.path or "/") + (f"?{parts.query}" if parts.query else ""), safe=string.punctuation)
    return _Target(current, host, port, scheme == "https", selector, addresses)


def _literal(host: str) -> bool:
    """Whether a host is an IP address as ipaddress writes them (127.0.0.1, ::1); other forms
    such as 2130706433 or 127.1 are names to getaddrinfo, which reads them as addresses too."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _addresses(host: str, port: int, literal: bool, deadline: _Deadline) -> list[tuple[int, tuple]]:
    if literal:  # nothing to look up, nothing to wait for
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)
    else:
        infos = _lookup(host, port, deadline)
    return [(family, sockaddr) for family, _, _, _, sockaddr in infos]


def _lookup(host: str, port: int, deadline: _Deadline) -> list[tuple]:
    """getaddrinfo within the deadline: it cannot be interrupted, so it runs in a thread that is
    abandoned (it ends when the system resolver gives up) if the deadline comes first."""
    found: dict[str, object] = {}

    def look_up() -> None:
        try:
            found["infos"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except Exception as error:  # OSError, or UnicodeError for a name IDNA cannot encode
            found["error"] = error

    thread = threading.Thread(target=look_up, name=f"fetch-lookup-{host}", daemon=True)
    thread.start()
    thread.join(deadline.remaining())
    if thread.is_alive():
        raise TimeoutError(f"looking up {host} took too long")
    if "error" in found:
        raise found["error"]  # type: ignore[misc]
    return found["infos"]  # type: ignore[return-value]


def _redirect_url(current: str, location: str) -> str:
    """The absolute URL a Location header points to, made as urllib makes it (unsafe characters quoted)."""
    parts = urlparse(location)
    if not parts.path and parts.netloc:
        parts = parts._replace(path="/")
    joined = urljoin(current, quote(urlunparse(parts), encoding="iso-8859-1", safe=string.punctuation))
    if urlsplit(joined).port == 0:  # .port raises ValueError for a broken host or port: now, not later
        raise ValueError("port 0")
    return joined


# ------------------------------------------------------------------ connection and deadline


class _Deadline:
    """The end of one fetch, and a watchdog that enforces it.

    A socket timeout bounds one read, not a fetch: http.client reads the status line and headers
    through a buffered file, one recv per byte a server trickles, each with a fresh timeout. So a
    timer shuts every connection of the fetch down at the deadline; the read under way then ends
    at once, and `expired` says why.
    """

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.end = time.monotonic() + timeout
        self.expired = False
        self._lock = threading.Lock()
        self._watched: list[socket.socket] = []
        self._timer = threading.Timer(max(timeout, 0.0), self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._timer.cancel()
        with self._lock:
            for copy in self._watched:
                copy.close()
            self._watched.clear()

    def remaining(self) -> float:
        """Seconds left; TimeoutError when none are."""
        left = self.end - time.monotonic()
        if left <= 0 or self.expired:
            raise TimeoutError("the deadline passed")
        return left

    def watch(self, sock: socket.socket) -> socket.socket:
        """Have `sock`'s connection shut down at the deadline; `forget` the copy returned when it closes."""
        # A duplicate of the descriptor: shutting it down ends the connection even after TLS has
        # taken the original socket over, and closing it never closes a descriptor reused since.
        copy = sock.dup()
        with self._lock:
            self._watched.append(copy)
        return copy

    def forget(self, copy: socket.socket) -> None:
        # The copy holds the connection open: closed with it, not at the end of the fetch.
        with self._lock:
            if copy in self._watched:
                self._watched.remove(copy)
        copy.close()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for copy in self._watched:
                with contextlib.suppress(OSError):
                    copy.shutdown(socket.SHUT_RDWR)


class _Connection(http.client.HTTPConnection):
    """An HTTP or HTTPS connection to an address the guard checked, never to a fresh DNS answer;
    TLS still verifies the certificate against the host name."""

    def __init__(self, target: _Target, deadline: _Deadline) -> None:
        super().__init__(target.host, target.port)
        self.default_port = 443 if target.https else 80  # the Host header leaves the usual port out
        self._target = target
        self._deadline = deadline
        self._watched: socket.socket | None = None

    def connect(self) -> None:
        sock, self._watched = _connect(self._target.addresses, self._deadline)
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if self._target.https:
                sock = _tls_context().wrap_socket(sock, server_hostname=self._target.host)
        except BaseException:
            sock.close()
            raise
        self.sock = sock

    def close(self) -> None:
        super().close()
        if self._watched is not None:
            self._deadline.forget(self._watched)
            self._watched = None


def _connect(addresses: list[tuple[int, tuple]], deadline: _Deadline) -> tuple[socket.socket, socket.socket]:
    """A socket connected to the first of `addresses` that answers, and its copy the deadline watches."""
    errors: list[OSError] = []
    for family, sockaddr in addresses:
        sock = socket.socket(family, socket.SOCK_STREAM)
        watched = deadline.watch(sock)
        try:
            sock.settimeout(deadline.remaining())  # one read's bound; the watchdog bounds them all
            sock.connect(sockaddr)
            return sock, watched
        except OSError as error:
            sock.close()
            deadline.forget(watched)
            if isinstance(error, TimeoutError):
                raise  # the time is up: no other address can be tried
            errors.append(error)
    raise errors[0] if errors else OSError("no address to connect to")


@functools.cache
def _tls_context() -> ssl.SSLContext:
    return ssl.create_default_context()


# ------------------------------------------------------------------ the body


def _read_body(response: http.client.HTTPResponse, url: str, max_bytes: int, deadline: _Deadline) -> bytes:
    declared = response.getheader("Content-Length")
    if declared and declared.strip().isdigit() and int(declared) > max_bytes:
        raise _too_big(url, f"the server announces {int(declared):,} bytes")
    body = _Body((response.getheader("Content-Encoding") or "").strip().lower(), url, max_bytes)
    received = 0
    while chunk := response.read1(_CHUNK):
        deadline.remaining()
        received += len(chunk)
        if received > max_bytes:
            raise _too_big(url, f"more than {max_bytes:,} bytes were sent")
        body.feed(chunk)
    if deadline.expired:  # the watchdog's shutdown ends a body like its real end does
        raise TimeoutError("the deadline passed")
    return body.result()


class _Body:
    """A response body, unpacked as it arrives, so that what it unpacks to is counted (and refused
    past `max_bytes`) before it is held, not after."""

    def __init__(self, encoding: str, url: str, max_bytes: int) -> None:
        if encoding not in _ENCODINGS:
            raise FetchFailed(f"{url}: the server sent an unsupported Content-Encoding {encoding!r}; download the file by hand")
        self.encoding, self.url, self.max_bytes = encoding, url, max_bytes
        self.packed = encoding not in ("", "identity")
        self.parts: list[bytes] = []
        self.size = 0
        self._head = b""  # the first bytes of a packed body, until they say which format it is in
        self._inflater: zlib._Decompress | None = None

    def feed(self, data: bytes) -> None:
        if not self.packed:
            self._keep(data)
            return
        if self._inflater is None:
            self._head += data
            if self.encoding == "deflate" and len(self._head) < 2:
                return
            data, self._head = self._head, b""
            self._inflater = zlib.decompressobj(self._wbits(data))
        self._inflate(data)

    def result(self) -> bytes:
        if self._head:  # a deflate body of one byte
            head, self._head = self._head, b""
            self._inflater = zlib.decompressobj(self._wbits(head + b"\0"))
            self._inflate(head)
        if self._inflater is not None:
            try:
                self._keep(self._inflater.flush(self.max_bytes - self.size + 1))
            except zlib.error as error:
                raise self._corrupt(error) from error
        return b"".join(self.parts)

    def _wbits(self, head: bytes) -> int:
        if self.encoding != "deflate":
            return zlib.MAX_WBITS | 32  # a gzip or a zlib header, whichever is there
        # "deflate" should have a zlib header; some servers send raw deflate without one.
        zlib_header = head[0] & 0x0F == 8 and ((head[0] << 8) | head[1]) % 31 == 0
        return zlib.MAX_WBITS if zlib_header else -zlib.MAX_WBITS

    def _inflate(self, data: bytes) -> None:
        assert self._inflater is not None
        # Small steps, never past one byte over the limit: one large step would hold its output
        # twice (zlib's buffers, then the bytes made of them); the rest waits in unconsumed_tail.
        while True:
            step = min(_CHUNK, self.max_bytes - self.size + 1)
            try:
                out = self._inflater.decompress(data, step)
            except zlib.error as error:
                raise self._corrupt(error) from error
            self._keep(out)
            data = self._inflater.unconsumed_tail
            if not data and len(out) < step:
                return

    def _keep(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.max_bytes:
            raise _too_big(self.url, f"it unpacks to more than {self.max_bytes:,} bytes")
        if data:
            self.parts.append(data)

    def _corrupt(self, error: zlib.error) -> FetchFailed:
        return FetchFailed(f"{self.url}: the {self.encoding} body is corrupt ({error}); try again later")


# ------------------------------------------------------------------ messages


def _failure(url: str, error: BaseException, deadline: _Deadline, *, connecting: bool = False) -> FetchFailed:
    if deadline.expired or isinstance(error, TimeoutError):
        return _timed_out(url, deadline.timeout)
    if isinstance(error, ssl.SSLError):
        return FetchFailed(f"{url}: secure connection failed ({error}); check the address or the system's certificates")
    if isinstance(error, http.client.InvalidURL):
        return FetchFailed(f"{url}: not a valid URL ({error}); check it")
    if connecting or isinstance(error, socket.gaierror):
        return FetchFailed(f"{url}: could not connect ({error}); check the address and the network")
    return FetchFailed(f"{url}: the download broke off ({type(error).__name__}: {error}); try again later")


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
