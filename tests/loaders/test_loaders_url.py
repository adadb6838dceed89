"""Loading from http(s) URLs, against a local server on 127.0.0.1 only."""

from __future__ import annotations

import gzip
import io
import json
import socket
import time
from pathlib import Path

import pytest

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

from .conftest import Server

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
    ],
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
