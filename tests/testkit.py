"""What the test folders share: the test store, the hostile brief, Chromium (through Playwright),
a real `streamlit run` server, a loopback HTTP server and the PostgreSQL test server's module. Imported by name: tests/conftest.py puts tests/ on sys.path."""

from __future__ import annotations

import contextlib
import gc
import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import EllipsisType, ModuleType
from urllib.parse import parse_qs, urlsplit

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "data" / "corpus"
APP = REPO / "dashboard" / "app.py"
CHROMIUM = Path(os.environ.get("BROWSER_PATH") or os.environ.get("DASHBOARD_CHROMIUM") or "/usr/bin/chromium")
# As the project runs Chromium everywhere: no sandbox as root, and no calls home
# (this machine's network is closed, so they would only fail and slow the start).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SERVER_START_TIMEOUT_S = 90
HOSTILE_QUOTE_PART = "<img src=x onerror=alert(1)>"
HOSTILE_TEXT = (
    "Hostile <script>alert('title')</script> brief\n\n"
    "This brief summarizes a report published by Reuters on 26 May 2025. At least 57,575 people had been "
    "killed in the Gaza Strip as of 25 May 2025, according to the health ministry "
    f"{HOSTILE_QUOTE_PART} [link](javascript:alert(2)).\n"
)


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def wait_for_pause(path: Path, child: subprocess.Popen, who: str, timeout: float = 60) -> None:
    """Wait until `child` (a `python -m store` process run with a test pause hook) creates `path`;
    fail, naming `who`, when it ends first or never gets there."""
    deadline = time.monotonic() + timeout
    while not path.exists():
        if child.poll() is not None:
            pytest.fail(f"{who} ended ({child.returncode}) before pausing:\n{child.stderr.read() if child.stderr else ''}")
        if time.monotonic() > deadline:
            child.kill()
            pytest.fail(f"{who} never reached the pause")
        time.sleep(0.02)


@contextlib.contextmanager
def killed_after_pause(args: Sequence[str], env: dict[str, str], paused: Path, who: str) -> Iterator[subprocess.Popen]:
    """`python -m store *args`, with `env` added to the environment to set its test pause hook (which
    creates `paused`). The block runs while it is paused; then it is killed with SIGKILL, as a crash
    would end it. Fails, naming `who`, when it ends before pausing or does not die of the kill."""
    child = subprocess.Popen(
        [sys.executable, "-m", "store", *args],
        cwd=REPO,
        env={**os.environ, **env},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for_pause(paused, child, who)
        yield child
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        if child.stderr:
            child.stderr.close()
    assert child.returncode == -signal.SIGKILL, f"{who} ended ({child.returncode}) instead of being killed"


def unavailable(reason: str) -> None:
    """Fail in CI (the set-up must provide the part), skip elsewhere."""
    if in_ci():
        pytest.fail(f"cannot run in CI: {reason}")
    pytest.skip(reason)


def load_module(path: Path, name: str | None = None) -> ModuleType:
    """A Python file outside any package (a script, a test folder's helpers), loaded once as `name`
    (its stem by default) and registered, so that `from name import ...` works whatever pytest's import mode."""
    name = name or path.stem
    module = sys.modules.get(name)
    if module is not None and getattr(module, "__file__", None) == str(path):
        return module
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def postgres_server_module() -> ModuleType:
    """scripts/postgres_test_server.py (a script, not a package module)."""
    return load_module(REPO / "scripts" / "postgres_test_server.py")


BROWSER_WAIT_MS = 30_000  # Plotly.js loads lazily and the machine is shared


def __getattr__(name: str) -> object:
    """`from testkit import expect`: Playwright's expect, waiting BROWSER_WAIT_MS, imported only by the modules
    that ask (None without Playwright: the browser fixtures skip, or fail in CI, before a test needs it)."""
    if name != "expect":
        raise AttributeError(f"module 'testkit' has no attribute {name!r}")
    try:
        from playwright.sync_api import expect
    except ImportError:  # pragma: no cover - depends on the machine
        return None
    expect.set_options(timeout=BROWSER_WAIT_MS)
    return expect


@contextlib.contextmanager
def chromium_browser() -> Iterator[object]:
    """Debian's Chromium, headless, through Playwright; fails in CI and skips elsewhere without them.

    Open one per test module, not per session: Playwright's sync API allows one open instance per
    thread, and every browser suite opens its own.
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - depends on the machine
        unavailable("playwright is not installed (pip install -r requirements.txt)")
    if not CHROMIUM.is_file():
        unavailable(f"{CHROMIUM} not found (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


# Metadata of the hostile brief: HTML, Markdown and a javascript: link where a page shows text.
HOSTILE_META = {
    "title": "<img src=x onerror=alert(3)> Hostile title",
    "publisher": "Reuters <b>wire</b>",
    "url": "javascript:alert(4)",
    "published": "2025-05-26",
    "kind": "summary",
    "summary_of": "Reuters",
}


def write_hostile_brief(folder: Path, meta: dict[str, str]) -> Path:
    """A brief whose quote, title, publisher and URL carry HTML, Markdown and javascript: links."""
    path = folder / "hostile-brief.txt"
    path.write_text(HOSTILE_TEXT, encoding="utf-8")
    path.with_suffix(".meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return path


def build_store(folder: Path, briefs: tuple[str, ...], hostile_meta: dict[str, str]) -> str:
    """A small SQLite store in `folder` from some corpus briefs and the hostile brief; its URL."""
    from store import create_store_engine, ingest_paths, migrate

    documents = folder / "briefs"
    documents.mkdir(parents=True, exist_ok=True)
    for name in briefs:
        for suffix in (".txt", ".meta.json"):
            shutil.copy(CORPUS / f"{name}{suffix}", documents / f"{name}{suffix}")
    write_hostile_brief(documents, hostile_meta)
    url = f"sqlite:///{folder / 'test-store.sqlite'}"
    engine = create_store_engine(url)
    try:
        migrate(engine)
        summary = ingest_paths(engine, [documents], briefs_only=True)
        failed = [result for result in summary.results if result.status == "failed"]
        assert not failed, failed
    finally:
        engine.dispose()
    return url


APPTEST_TIMEOUT = 60  # seconds a script run may take: the machine is shared, and a first run loads the store


def new_app(params: dict | None = None, page: str | None = None, *, embedded: bool = False, state: dict | None = None) -> object:
    """The dashboard run in AppTest: with these query parameters, on this page (e.g. "views/trends.py"),
    as an embedded view if `embedded`, with `state` in the session first (e.g. a signed-in reviewer)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=APPTEST_TIMEOUT)
    if embedded:
        at.context["is_embedded"] = True
    if params:
        at.query_params.update(params)
    for key, value in (state or {}).items():
        at.session_state[key] = value
    if page:
        if _address_is_not_its_file_name(page):
            at.run()  # before a first run, AppTest finds a page by its file name only
        at.switch_page(page)
    return at.run()


def _address_is_not_its_file_name(page: str) -> bool:
    """Whether the page table gives this script an address other than its file name (whats_new.py: whats-new)."""
    from dashboard.model.pages import PAGES

    script = Path(page)
    return any(row.script == script.name and row.url_path not in ("", script.stem) for row in PAGES)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(app: Path, store_url: str, log_path: Path, *, launcher: Sequence[str] | None = None) -> Iterator[str]:
    """`streamlit run app` on a free port of 127.0.0.1 with DATABASE_URL=store_url; its base URL.
    `launcher` replaces `-m streamlit run app` (e.g. `-m dashboard.serve`, which takes the same options).
    The whole process group is stopped at the end."""
    port = free_port()
    start = list(launcher) if launcher is not None else ["-m", "streamlit", "run", str(app)]
    command = [sys.executable, *start, "--server.port", str(port), "--server.address",
               "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"]  # fmt: skip
    env = {**os.environ, "DATABASE_URL": store_url}
    base = f"http://127.0.0.1:{port}"
    with log_path.open("w") as log:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            _wait_for_health(base, process, log_path)
            yield base
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _wait_for_health(base: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while True:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"streamlit did not start: {log_path.read_text()[-2000:]}")
        time.sleep(0.3)


def hover_until(root, text: str, *, passes: int = 2) -> str:  # type: ignore[no-untyped-def]
    """Hover the chart points (in `root`: a Playwright page or frame) until a hover label
    containing `text` shows; its text. The mouse leaves the chart between two points, so a
    label is never the previous point's; a point hidden under another one is tried again
    on the next pass."""
    # Only shown charts: an embed page holds one chart per layout width and hides all but one.
    points = root.locator(".js-plotly-plot:visible .scatterlayer .trace .points path")
    label = root.locator(".hoverlayer .hovertext")
    points.first.wait_for(state="attached", timeout=30_000)
    seen: list[str] = []
    for _ in range(passes):
        for index in range(points.count()):
            point = points.nth(index)
            if point.evaluate("p => getComputedStyle(p).opacity") == "0":
                continue  # an open-bound stub, not a figure
            point.page.mouse.move(1, 1)
            try:
                label.first.wait_for(state="detached", timeout=2000)
                point.hover(force=True)
                label.first.wait_for(state="attached", timeout=2000)
            except Exception:
                continue
            content = label.first.text_content() or ""
            seen.append(content[:60])
            if text in content:
                return content
    raise AssertionError(f"no hover label with {text!r}; saw {seen}")


def cpu_seconds(function: Callable[[], object]) -> float:
    """CPU time of this process, with the garbage collector paused: other work on a busy
    machine (CI runs other suites) does not make a linear algorithm look quadratic."""
    gc.disable()
    try:
        start = time.process_time()
        function()
        return time.process_time() - start
    finally:
        gc.enable()


# ------------------------------------------------------------------ a loopback HTTP server


@dataclass
class Route:
    """One answer of `Server`. `body` may be a function of the request's query (parse_qs), e.g. a paged API."""

    body: bytes | Callable[[dict[str, list[str]]], bytes] = b""
    status: int = 200
    content_type: str | EllipsisType | None = ...  # None: no Content-Type header; ...: the server's default
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (cut short when the server stops)
    stream: int = 0  # send the body this many times, without Content-Length
    length: bool = True  # send Content-Length (when not streaming)
    then: Route | None = None  # the answer to the next requests, once this one was given


class Server:
    """An HTTP server on 127.0.0.1 in a thread, serving `routes` (request target -> Route) to GET and POST,
    and 404 elsewhere; a context manager that starts and stops it.

    `with_query`: a route's key is the whole request target, query included (`/docs/c?x=1`); otherwise
    the path alone, and the query goes to a `body` function. `content_type`: the Content-Type of routes
    that name none (None: no header)."""

    def __init__(self, *, with_query: bool = False, content_type: str | None = "text/html; charset=utf-8") -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[str] = []
        self.posts: list[tuple[str, bytes]] = []
        self.release = threading.Event()  # ends every delay when the server stops
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                server.posts.append((self.path, self.rfile.read(length)))
                self.do_GET()

            def do_GET(self) -> None:
                server.requests.append(self.path)
                parts = urlsplit(self.path)
                key = self.path if with_query else parts.path
                route = server.routes.get(key)
                if route is None:
                    self.send_error(404, "Not Found")
                    return
                if route.then is not None:
                    server.routes[key] = route.then
                if route.delay:
                    server.release.wait(route.delay)
                body = route.body(parse_qs(parts.query)) if callable(route.body) else route.body
                kind = content_type if route.content_type is ... else route.content_type
                headers = {"Content-Type": kind, **route.headers} if kind is not None else route.headers
                try:
                    self.send_response(route.status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    if route.length and not route.stream:
                        self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    for _ in range(max(1, route.stream)):
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up, as it should

            def log_message(self, format: str, *args: object) -> None:  # quiet
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    @property
    def port(self) -> int:
        return self.httpd.server_address[1]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def add(self, path: str, body: bytes | str | Callable = b"", content_type: str | EllipsisType | None = ..., **options: object) -> str:
        """Serve `body` at `path`; its URL. `options` are Route's fields."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = Route(body=data, content_type=content_type, **options)  # type: ignore[arg-type]
        return self.url(path)

    def fetched(self, path: str) -> int:
        """How many requests there were for `path`, whatever their query."""
        return sum(1 for request in self.requests if urlsplit(request).path == path)
