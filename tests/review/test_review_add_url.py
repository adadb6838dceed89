"""Add documents → From a URL, through AppTest: internal addresses are refused with the fetch guard's
message (no traceback), and reach the store only when an operator allows the host by name."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from review_testkit import PASSWORD, PASTED_REPORT, REVIEWER
from streamlit.testing.v1 import AppTest
from testkit import Server, new_app

from extractors.loaders.guard import ALLOW_HOSTS_ENV

REPORT_PAGE = f"<html><head><title>Test-only note</title></head><body><p>{PASTED_REPORT}</p></body></html>"


@pytest.fixture
def sites() -> Iterator[list[Server]]:
    """Two sites on this machine: the first serves a report and redirects /go to the second, on another port."""
    with Server() as outer, Server() as internal:
        for site in (outer, internal):
            site.add("/report.html", REPORT_PAGE)
            site.add("/admin", REPORT_PAGE)
        outer.add("/go", status=302, headers={"Location": internal.url("/admin")})
        yield [outer, internal]


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
