"""Loading from http(s) URLs, against a local server on 127.0.0.1 only."""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import socket
import threading
import time
import tracemalloc
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from testkit import Server

from extractors import ExtractionError, UnreadableDocument, UnsupportedFormat
from extractors.cli import run_extract
from extractors.loaders import (
    HTML,
    PDF,
    TEXT,
    DocumentTooLarge,
    FetchFailed,
    FetchTimeout,
    HTTPStatusError,
    load,
    read_document,
)
from extractors.loaders.fetch import fetch

GAZA_FIGURE = "Israeli strikes have killed at least 57,575 Palestinians, the Gaza health ministry said."


def test_html_page(server: Server, documents: Path) -> None:
    body = (documents / "gaza_news.html").read_bytes()
    url = server.add("/world/gaza-toll", body, "text/html; charset=utf-8")
    document = load(url)
    assert document.content_type == HTML
    assert document.text.startswith(GAZA_FIGURE)
    assert "90,000" not in document.text  # the comments stay out
    assert document.origin == url
    assert document.meta.doc == "gaza-toll"
    assert document.meta.url == url  # the final URL, not the page's canonical link
    assert (document.meta.title, document.meta.publisher, document.meta.published) == (
        "Gaza death toll passes 57,000, health ministry says",
        "Example News",
        "2025-07-12",
    )
    assert read_document(url) == (document.text, document.meta)


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/reports/sitrep-7.pdf", "application/pdf"),
        ("/download?id=7", "application/octet-stream"),  # sniffed
        ("/mislabelled", "text/html"),  # the content wins over the header
        ("/no-type", None),
    ],
)
def test_pdf(server: Server, documents: Path, path: str, content_type: str | None) -> None:
    data = (documents / "two_column_sitrep.pdf").read_bytes()
    url = server.add(path, data, content_type)
    document = load(url)
    assert document.content_type == PDF
    assert len(document.pages) == 3
    assert document.page_of(document.text.index("10.5 million")) == 3
    assert document.meta.title == "Sudan Humanitarian Situation Report No. 7"
    assert document.meta.url == url


def test_redirect_gives_the_final_url(server: Server, documents: Path) -> None:
    final = server.add("/articles/gaza.html", (documents / "gaza_news.html").read_bytes(), "text/html")
    start = server.add("/short/g", b"", None, status=302, headers={"Location": final})
    document = load(start)
    assert document.origin == start
    assert document.meta.url == final
    assert document.meta.doc == "gaza.html"


def test_gzip_encoded_page(server: Server, documents: Path) -> None:
    body = gzip.compress((documents / "gaza_news.html").read_bytes(), mtime=0)
    url = server.add("/gz", body, "text/html", headers={"Content-Encoding": "gzip"})
    assert load(url).text.startswith(GAZA_FIGURE)


def test_plain_text(server: Server) -> None:
    url = server.add("/notes.txt", "Floods killed 12 people.\n", "text/plain; charset=utf-8")
    document = load(url)
    assert (document.content_type, document.text) == (TEXT, "Floods killed 12 people.\n")


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (404, r"/missing: the server answered HTTP 404 Not Found; check the URL"),
        (500, r"HTTP 500 Internal Server Error; the server failed; try again later"),
        (403, r"HTTP 403 Forbidden; the page needs a login"),
    ],
)
def test_http_error(server: Server, status: int, message: str) -> None:
    url = server.url("/missing") if status == 404 else server.add(f"/status/{status}", b"error page", "text/html", status=status)
    with pytest.raises(HTTPStatusError, match=message) as caught:
        load(url)
    assert caught.value.status == status
    assert all(isinstance(caught.value, kind) for kind in (FetchFailed, ConnectionError, ExtractionError))


def test_slow_server_times_out(server: Server) -> None:
    url = server.add("/slow", b"<html></html>", "text/html", delay=5.0)
    start = time.perf_counter()
    with pytest.raises(FetchTimeout, match=r"/slow: no complete answer within 0\.3 s; try again later") as caught:
        load(url, timeout=0.3)
    assert time.perf_counter() - start < 3
    assert isinstance(caught.value, TimeoutError) and isinstance(caught.value, ConnectionError)


class Trickle:
    """A server on 127.0.0.1 that sends `prefix` at once, then `rest` one byte every `interval` seconds."""

    def __init__(self, prefix: bytes, rest: bytes, interval: float = 0.2) -> None:
        self.prefix, self.rest, self.interval = prefix, rest, interval
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        with contextlib.suppress(OSError):
            conn, _ = self.listener.accept()
            with conn:
                conn.settimeout(2)
                if self.prefix != TLS_RECORD:  # a TLS client speaks first too, but sends no HTTP request
                    conn.recv(65536)
                conn.sendall(self.prefix)
                for byte in self.rest:
                    if self.stop.wait(self.interval):
                        return
                    conn.sendall(bytes([byte]))


TLS_RECORD = b"\x16\x03\x03\x40\x00"  # a handshake record of 16 KB announced, to come byte by byte
HEADERS = b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n" + b"".join(b"X-Pad-%d: aaaaaaaa\r\n" % i for i in range(20))


@pytest.fixture
def trickle() -> Iterator[type[Trickle]]:
    started: list[Trickle] = []

    def start(prefix: bytes, rest: bytes) -> Trickle:
        server = Trickle(prefix, rest)
        server.thread.start()
        started.append(server)
        return server

    yield start  # type: ignore[misc]
    for server in started:
        server.stop.set()
        server.listener.close()
        server.thread.join(timeout=2)


@pytest.mark.parametrize(
    ("scheme", "prefix", "rest"),
    [
        pytest.param("http", b"", HEADERS + b"\r\nhello", id="status-line"),
        pytest.param("http", b"HTTP/1.0 200 OK\r\n", HEADERS[17:] + b"\r\nhello", id="headers"),
        pytest.param("http", HEADERS + b"Content-Length: 400\r\n\r\n", b"x" * 400, id="body"),
        pytest.param("http", HEADERS + b"\r\n", b"x" * 400, id="body-without-length"),
        pytest.param("https", TLS_RECORD, bytes(400), id="tls-handshake"),
    ],
)
def test_a_trickling_server_is_cut_off_at_the_deadline(trickle, scheme: str, prefix: bytes, rest: bytes) -> None:
    """One byte every 0.2 s never lets a single read time out; the deadline is for the whole fetch."""
    server = trickle(prefix, rest)
    url = f"{scheme}://127.0.0.1:{server.port}/sitrep.txt"
    start = time.monotonic()
    with pytest.raises(FetchTimeout, match=r"/sitrep\.txt: no complete answer within 1 s; try again later"):
        fetch(url, timeout=1.0)
    assert 0.9 <= time.monotonic() - start < 1.8


def test_the_deadline_covers_redirects(server: Server) -> None:
    final = server.add("/final", "<p>late</p>", "text/html", delay=0.4)
    server.add("/r1", b"", None, status=302, headers={"Location": "/r2"}, delay=0.4)
    server.add("/r2", b"", None, status=302, headers={"Location": final}, delay=0.4)
    start = time.monotonic()
    with pytest.raises(FetchTimeout, match=r"/r1: no complete answer within 1 s"):
        fetch(server.url("/r1"), timeout=1.0)  # each step is quick enough, all three are not
    assert time.monotonic() - start < 1.6


def test_relative_and_other_redirects(server: Server) -> None:
    final = server.add("/docs/final%20report.txt", "Floods killed 12 people.\n", "text/plain")
    server.add("/a", b"", None, status=301, headers={"Location": "docs/b"})
    server.add("/docs/b", b"", None, status=303, headers={"Location": "/docs/c?x=1"})
    server.add("/docs/c?x=1", b"", None, status=308, headers={"Location": "final report.txt"})
    fetched = fetch(server.url("/a"))
    assert (fetched.url, fetched.data, fetched.content_type) == (final, b"Floods killed 12 people.\n", "text/plain")


def test_spaces_and_non_ascii_in_the_path_are_percent_encoded(server: Server) -> None:
    url = server.add("/docs/r%C3%A9sum%C3%A9%20final.txt", "Floods killed 12 people.\n", "text/plain")
    assert fetch(server.url("/docs/résumé final.txt")).data == b"Floods killed 12 people.\n"
    assert fetch(url).url == url  # escapes already there are kept


def test_a_redirect_to_a_broken_address_is_an_error(server: Server) -> None:
    url = server.add("/odd", b"", None, status=302, headers={"Location": "http://[::1/x"})
    with pytest.raises(FetchFailed, match=r"/odd: the server redirected to 'http://\[::1/x', which is not a valid URL"):
        fetch(url)


def test_a_redirect_without_a_location_is_an_error(server: Server) -> None:
    url = server.add("/nowhere", b"moved", "text/html", status=302)
    with pytest.raises(HTTPStatusError, match=r"/nowhere: the server answered HTTP 302 Found; check the URL"):
        fetch(url)


def test_a_chunked_answer_is_read(trickle) -> None:
    body = b"6\r\nFloods\r\n11\r\n killed 12 people\r\n0\r\n\r\n"
    server = trickle(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=iso-8859-1\r\nTransfer-Encoding: chunked\r\n\r\n" + body, b"")
    fetched = fetch(f"http://127.0.0.1:{server.port}/chunked")
    assert (fetched.data, fetched.charset) == (b"Floods killed 12 people", "iso-8859-1")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({}, r"too large to load: the server announces 4,096 bytes"),  # Content-Length
        ({"length": False}, r"too large to load: more than 1,000 bytes were sent"),  # streamed
        ({"stream": 64}, r"too large to load: more than 1,000 bytes were sent"),  # chunks, no length
    ],
)
def test_too_big_is_refused(server: Server, options: dict, message: str) -> None:
    url = server.add("/big", b"x" * 4096, "text/html", **options)
    with pytest.raises(DocumentTooLarge, match=message):
        load(url, max_bytes=1000)


def test_gzip_bomb_is_refused(server: Server) -> None:
    url = server.add("/bomb", gzip.compress(b"<p>" + b" " * 100_000, mtime=0), "text/html", headers={"Content-Encoding": "gzip"})
    with pytest.raises(DocumentTooLarge, match="unpacks to more than 10,000 bytes"):
        load(url, max_bytes=10_000)


def _zeros_gzipped(size: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)  # gzip, without holding `size` bytes
    block = bytes(1024 * 1024)
    return b"".join([*(packer.compress(block) for _ in range(size // len(block))), packer.flush()])


def test_a_50_mb_gzip_bomb_is_refused_holding_about_max_bytes(server: Server) -> None:
    bomb = _zeros_gzipped(50 * 1024 * 1024)  # about 50 KB on the wire
    url = server.add("/bomb.html", bomb, "text/html", headers={"Content-Encoding": "gzip"})
    limit = 4 * 1024 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(DocumentTooLarge, match=r"it unpacks to more than 4,194,304 bytes, over the limit"):
            fetch(url, max_bytes=limit)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1.25 * limit, f"held {peak:,} bytes for a limit of {limit:,}"


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(zlib.compress(b"<p>Floods killed 12 people.</p>"), id="zlib"),
        pytest.param(zlib.compress(b"<p>Floods killed 12 people.</p>")[2:-4], id="raw-deflate"),
    ],
)
def test_deflate_encoded_page(server: Server, body: bytes) -> None:
    url = server.add("/deflate", body, "text/html", headers={"Content-Encoding": "deflate"})
    assert fetch(url).data == b"<p>Floods killed 12 people.</p>"


def test_a_corrupt_gzip_body_is_reported(server: Server) -> None:
    url = server.add("/broken", b"\x1f\x8b\x08\x00garbage-not-deflate", "text/html", headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchFailed, match=r"/broken: the gzip body is corrupt \(.*\); try again later"):
        fetch(url)


@pytest.mark.parametrize(
    ("body", "content_type", "error", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png", UnsupportedFormat, r"the server sent a PNG image \(image/png\)"),
        (b'{"deaths": 12}', "application/json", UnsupportedFormat, r"the server sent application/json, which cannot be read"),
        (b"not a pdf", "application/pdf", UnreadableDocument, r"says it sent a PDF, but the content is not a PDF"),
    ],
)
def test_unsupported_content(server: Server, body: bytes, content_type: str, error: type, message: str) -> None:
    url = server.add("/thing", body, content_type)
    with pytest.raises(error, match=message):
        load(url)


def test_connection_refused() -> None:
    with socket.socket() as probe:  # a port on 127.0.0.1 that nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchFailed, match=r"could not connect \(.*refused.*\); check the address"):
        load(f"http://127.0.0.1:{port}/report.pdf", timeout=2)


@pytest.mark.parametrize(
    ("url", "error", "message"),
    [
        ("ftp://127.0.0.1/report.pdf", UnsupportedFormat, r"cannot load ftp:// URLs, only files and http\(s\):// URLs"),
        ("http:///report.pdf", FetchFailed, r"not a valid URL \(no host name\)"),
        ("http://[::1/report.pdf", FetchFailed, r"not a valid URL \(Invalid IPv6 URL\); check it"),
        ("http://127.0.0.1:70000/report.pdf", FetchFailed, r"not a valid URL \(Port out of range 0-65535\); check it"),
        ("http://" + "a" * 64 + ".example.org/", FetchFailed, r"not a valid URL \(host name: .*label empty or too long"),
    ],
    ids=["ftp", "no-host", "broken-ipv6", "port-out-of-range", "label-too-long"],
)
def test_bad_urls(url: str, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        load(url)


def test_cli_extracts_from_a_url(server: Server, documents: Path) -> None:
    url = server.add("/reports/sitrep-7.pdf", (documents / "two_column_sitrep.pdf").read_bytes(), "application/pdf")
    out, err = io.StringIO(), io.StringIO()
    assert run_extract([url], "jsonl", out, err) == 0, err.getvalue()
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [row["raw_value"] for row in rows] == ["782", "1,640", "10.5 million", "24.6 million"]
    assert {(row["doc"], row["url"]) for row in rows} == {("sitrep-7.pdf", url)}
