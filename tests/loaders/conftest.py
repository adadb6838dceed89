"""Fixtures of the loader tests: the generated documents and a local HTTP server on 127.0.0.1, which fetch is allowed to reach."""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType

import pytest

from extractors.loaders.guard import ALLOW_HOSTS_ENV

DOCUMENTS = Path(__file__).resolve().parent.parent / "fixtures" / "documents"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_documents", DOCUMENTS / "generate_documents.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GENERATOR = _generator()


@pytest.fixture(scope="session")
def documents() -> Path:
    """The folder of committed fixtures (tests/fixtures/documents)."""
    return DOCUMENTS


@pytest.fixture(scope="session")
def generator() -> ModuleType:
    """tests/fixtures/documents/generate_documents.py, imported."""
    return GENERATOR


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Requests go straight to 127.0.0.1, never through a proxy named in the environment."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture(autouse=True)
def _allow_the_test_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test server's 127.0.0.1 is an internal address, which fetch refuses unless an operator
    allows the host by name; these tests allow it as an operator would. test_loaders_fetch_guard.py
    removes the allowance to check the refusals."""
    monkeypatch.setenv(ALLOW_HOSTS_ENV, "127.0.0.1,localhost")


# ------------------------------------------------------------------ local HTTP server


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering
    stream: int = 0  # send `stream` chunks of `body`, without Content-Length
    length: bool = True  # send Content-Length


class Server:
    """An HTTP server on 127.0.0.1 in a thread, serving `routes` (path -> Route)."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.release = threading.Event()  # ends every delay at teardown
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def do_GET(self) -> None:
                server.requests.append(self.path)
                route = server.routes.get(self.path)
                if route is None:
                    self.send_error(404, "Not Found")
                    return
                if route.delay:
                    server.release.wait(route.delay)
                try:
                    self.send_response(route.status)
                    for name, value in route.headers.items():
                        self.send_header(name, value)
                    if route.length and not route.stream:
                        self.send_header("Content-Length", str(len(route.body)))
                    self.end_headers()
                    for _ in range(max(1, route.stream)):
                        self.wfile.write(route.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up, as it should

            def log_message(self, format: str, *args: object) -> None:  # quiet
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def url(self, path: str) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}{path}"

    def add(self, path: str, body: bytes | str = b"", content_type: str | None = None, **options: object) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        route = Route(body=data, **options)  # type: ignore[arg-type]
        if content_type:
            route.headers.setdefault("Content-Type", content_type)
        self.routes[path] = route
        return self.url(path)


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server()
    running.thread.start()
    try:
        yield running
    finally:
        running.release.set()
        running.httpd.shutdown()
        running.httpd.server_close()
        running.thread.join(timeout=5)
