"""Add documents → From a URL, through AppTest: internal addresses are refused with the fetch guard's
message (no traceback), and reach the store only when an operator allows the host by name."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from review_testkit import PASSWORD, PASTED_REPORT, REVIEWER
from streamlit.testing.v1 import AppTest
from testkit import new_app

from extractors.loaders.guard import ALLOW_HOSTS_ENV


class Site:
    """An HTTP server on 127.0.0.1 in a thread: a report page, and a redirect to another port."""

    def __init__(self, redirect_to: str = "") -> None:
        self.requests: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def do_GET(self) -> None:
                site.requests.append(self.path)
                if self.path == "/go" and redirect_to:
                    self.send_response(302)
                    self.send_header("Location", redirect_to)
                    self.end_headers()
                    return
                body = f"<html><head><title>Test-only note</title></head><body><p>{PASTED_REPORT}</p></body></html>".encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:  # quiet
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def sites() -> Iterator[list[Site]]:
    """Two sites: the first redirects /go to the second, another port of this machine."""
    internal = Site()
    outer = Site(redirect_to=f"http://127.0.0.1:{internal.port}/admin")
    try:
        yield [outer, internal]
    finally:
        outer.close()
        internal.close()


def add_from_url(url: str) -> AppTest:
    at = new_app()
    at.switch_page("views/signin.py").run()
    at.text_input(key="signin-name").set_value(REVIEWER)
    at.text_input(key="signin-password").set_value(PASSWORD)
    at.get("form_submit_button")[0].click().run()
    at.switch_page("views/add.py").run()
    at.segmented_control(key="add-kind").set_value("From a URL").run()
    at.text_input(key="add-url").set_value(url)
    (button,) = [button for button in at.get("form_submit_button") if button.label == "Extract figures"]
    at = button.click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown(at: AppTest) -> list[str]:
    """The messages as they read: without Markdown escapes and the word joiners that keep addresses from becoming links."""
    return [message.value.replace("\\", "").replace("\u2060", "") for message in (*at.success, *at.error)]


def test_a_loopback_url_is_refused_with_the_message(app_env, sites, monkeypatch):
    monkeypatch.delenv(ALLOW_HOSTS_ENV, raising=False)
    outer, _ = sites
    url = f"http://127.0.0.1:{outer.port}/report.html"
    (message,) = shown(add_from_url(url))
    assert message.startswith(f"{url}: 127.0.0.1 is a loopback address; internal addresses are not fetched.")
    assert message.endswith(f"An operator can allow this host by name with {ALLOW_HOSTS_ENV}=127.0.0.1")
    assert outer.requests == []


def test_a_redirect_to_another_internal_port_is_refused(app_env, sites, monkeypatch):
    monkeypatch.setenv(ALLOW_HOSTS_ENV, "localhost")
    outer, internal = sites
    (message,) = shown(add_from_url(f"http://localhost:{outer.port}/go"))
    assert f"the server redirected to http://127.0.0.1:{internal.port}/admin, and 127.0.0.1 is a loopback address" in message
    assert (outer.requests, internal.requests) == (["/go"], [])


def test_an_allowed_host_is_fetched(app_env, sites, monkeypatch):
    monkeypatch.setenv(ALLOW_HOSTS_ENV, "localhost")
    outer, _ = sites
    messages = shown(add_from_url(f"http://localhost:{outer.port}/report.html"))
    assert any("1 figure(s) found" in message for message in messages), messages
