"""The fetch guard: internal addresses, other schemes and endless redirects are refused, on the first
URL and on every redirect, unless an operator allows the host by name.

Addresses that are not loopback are only judged (guard.refusal): no traffic is ever sent to them.
Refusals end to end use loopback servers, with the allowance the other loader tests get removed.
"""

from __future__ import annotations

import io
import ipaddress
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from testkit import Server

from extractors import ExtractionError
from extractors.cli import run_extract
from extractors.loaders import FetchFailed, FetchRefused, load
from extractors.loaders.fetch import MAX_REDIRECTS, fetch
from extractors.loaders.guard import ALLOW_HOSTS_ENV, allowed_hosts, refusal
from store.cli import run_ingest

PAGE = "<html><body><article><p>Floods killed 12 people in Derna, officials said.</p></article></body></html>"


@pytest.fixture
def no_allowance(monkeypatch: pytest.MonkeyPatch) -> None:
    """No host allowed by name: what an operator who configured nothing gets."""
    monkeypatch.delenv(ALLOW_HOSTS_ENV, raising=False)


@pytest.fixture
def listener() -> Iterator[tuple[int, threading.Event]]:
    """A port on 127.0.0.1 that records whether anything connected to it: (port, connected)."""
    connected = threading.Event()
    sock = socket.create_server(("127.0.0.1", 0))
    sock.settimeout(0.05)
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            connected.set()
            conn.close()

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    try:
        yield sock.getsockname()[1], connected
    finally:
        stop.set()
        thread.join(timeout=2)
        sock.close()


# ------------------------------------------------------------------ the decision, address by address


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        pytest.param("127.0.0.1", "a loopback address", id="loopback-v4"),
        pytest.param("127.255.0.9", "a loopback address", id="loopback-v4-whole-8"),
        pytest.param("::1", "a loopback address", id="loopback-v6"),
        pytest.param("0.0.0.0", "an unspecified address", id="unspecified-v4"),
        pytest.param("::", "an unspecified address", id="unspecified-v6"),
        pytest.param("0.1.2.3", "a special-purpose address", id="this-network-0/8"),
        pytest.param("10.1.2.3", "a private address", id="private-10"),
        pytest.param("172.16.0.1", "a private address", id="private-172.16"),
        pytest.param("172.31.255.254", "a private address", id="private-172.31"),
        pytest.param("192.168.1.1", "a private address", id="private-192.168"),
        pytest.param("fc00::1", "a private address", id="unique-local-fc00"),
        pytest.param("fd12:3456::1", "a private address", id="unique-local-fd"),
        pytest.param("169.254.169.254", "the cloud metadata address", id="metadata-v4"),
        pytest.param("fd00:ec2::254", "the cloud metadata address", id="metadata-v6-aws"),
        pytest.param("169.254.1.1", "a link-local address", id="link-local-v4"),
        pytest.param("fe80::1", "a link-local address", id="link-local-v6"),
        pytest.param("fe80::1%1", "a link-local address", id="link-local-v6-scoped"),
        pytest.param("100.64.0.1", "a shared (carrier-grade NAT) address", id="cgnat-100.64"),
        pytest.param("100.127.255.254", "a shared (carrier-grade NAT) address", id="cgnat-top"),
        pytest.param("224.0.0.1", "a multicast address", id="multicast-v4"),
        pytest.param("239.255.255.250", "a multicast address", id="multicast-v4-ssdp"),
        pytest.param("ff02::1", "a multicast address", id="multicast-v6"),
        pytest.param("ff0e::1", "a multicast address", id="multicast-v6-global-scope"),
        pytest.param("240.0.0.1", "a reserved address", id="reserved-240"),
        pytest.param("255.255.255.255", "a reserved address", id="broadcast"),
        pytest.param("fec0::1", "a site-local address", id="site-local-v6"),
        pytest.param("192.0.2.10", "a special-purpose address", id="documentation-v4"),
        pytest.param("198.18.0.1", "a special-purpose address", id="benchmarking"),
        pytest.param("2001:db8::1", "a special-purpose address", id="documentation-v6"),
        pytest.param("::ffff:127.0.0.1", "a loopback address (IPv4-mapped)", id="mapped-loopback"),
        pytest.param("::ffff:169.254.169.254", "the cloud metadata address (IPv4-mapped)", id="mapped-metadata"),
        pytest.param("::ffff:10.0.0.1", "a private address (IPv4-mapped)", id="mapped-private"),
        pytest.param("::ffff:0.0.0.0", "an unspecified address", id="mapped-unspecified"),
        pytest.param("2002:7f00:1::", "a loopback address (6to4)", id="6to4-loopback"),
        pytest.param("2002:c0a8:101::1", "a private address (6to4)", id="6to4-private"),
        pytest.param("64:ff9b::7f00:1", "a loopback address (NAT64)", id="nat64-loopback"),
        pytest.param("64:ff9b::a9fe:a9fe", "the cloud metadata address (NAT64)", id="nat64-metadata"),
        pytest.param("::7f00:1", "a reserved address", id="ipv4-compatible-deprecated"),
        pytest.param("2001::1", "a special-purpose address", id="teredo"),
    ],
)
def test_internal_addresses_are_refused(address: str, reason: str) -> None:
    found = refusal(ipaddress.ip_address(address))
    assert found is not None and found.startswith(reason), found


@pytest.mark.parametrize(
    "address",
    [
        pytest.param("93.184.215.14", id="public-v4"),
        pytest.param("8.8.8.8", id="public-dns"),
        pytest.param("100.128.0.1", id="just-above-cgnat"),
        pytest.param("172.32.0.1", id="just-above-172.16/12"),
        pytest.param("2606:4700::1111", id="public-v6"),
        pytest.param("::ffff:8.8.8.8", id="mapped-public"),
        pytest.param("64:ff9b::808:808", id="nat64-public"),
        pytest.param("2002:808:808::1", id="6to4-public"),
    ],
)
def test_public_addresses_pass(address: str) -> None:
    assert refusal(address) is None


def test_the_allowance_is_read_from_the_environment_at_each_call(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ALLOW_HOSTS_ENV, " LocalHost, [::1] ,intranet.example.org.,,")
    assert allowed_hosts() == {"localhost", "::1", "intranet.example.org"}
    assert allowed_hosts(["Wiki.Internal"]) == {"localhost", "::1", "intranet.example.org", "wiki.internal"}
    monkeypatch.delenv(ALLOW_HOSTS_ENV)
    assert allowed_hosts() == frozenset()


# ------------------------------------------------------------------ refusals end to end (loopback only)


@pytest.mark.usefixtures("no_allowance")
@pytest.mark.parametrize(
    ("host", "shown"),
    [
        pytest.param("127.0.0.1", "127.0.0.1 is a loopback address", id="ipv4-literal"),
        pytest.param("localhost", "localhost resolves to ", id="name"),
        pytest.param("127.1", "127.1 resolves to 127.0.0.1, a loopback address", id="short-form"),
        pytest.param("2130706433", "2130706433 resolves to 127.0.0.1, a loopback address", id="decimal-form"),
        pytest.param("0x7f000001", "0x7f000001 resolves to 127.0.0.1, a loopback address", id="hex-form"),
    ],
)
def test_a_loopback_url_is_refused_without_the_allowance(server: Server, host: str, shown: str) -> None:
    url = server.add("/admin", "internal page", "text/plain").replace("127.0.0.1", host)
    with pytest.raises(FetchRefused) as caught:
        load(url)
    message = str(caught.value)
    assert message.startswith(f"{url}: {shown}"), message
    assert message.endswith(f"internal addresses are not fetched. An operator can allow this host by name with {ALLOW_HOSTS_ENV}={host}")
    assert server.requests == []  # refused before connecting
    assert all(isinstance(caught.value, kind) for kind in (FetchFailed, PermissionError, ConnectionError, ExtractionError))


@pytest.mark.usefixtures("no_allowance")
def test_ipv6_loopback_is_refused(listener: tuple[int, threading.Event]) -> None:
    port, connected = listener
    with pytest.raises(FetchRefused, match=r"\[::1\]:\d+/x: ::1 is a loopback address; .*ALLOW_HOSTS=::1$"):
        fetch(f"http://[::1]:{port}/x", timeout=2)
    assert not connected.is_set()


def test_the_allowance_by_keyword(server: Server, no_allowance: None) -> None:
    url = server.add("/page", "hello", "text/plain")
    with pytest.raises(FetchRefused):
        fetch(url, timeout=2)
    assert fetch(url, timeout=2, allow_hosts=["127.0.0.1"]).data == b"hello"


def test_a_name_allows_that_name_only(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ALLOW_HOSTS_ENV, "localhost")
    url = server.add("/page", PAGE, "text/html")
    assert load(url.replace("127.0.0.1", "localhost")).text.startswith("Floods killed 12 people")
    with pytest.raises(FetchRefused, match=f"127.0.0.1 is a loopback address.*{ALLOW_HOSTS_ENV}=127.0.0.1$"):
        load(url)


def test_a_redirect_to_another_internal_port_is_refused(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """The review's case: a URL on an allowed host redirects to another loopback service."""
    with Server(with_query=True, content_type=None) as internal:  # another service on this machine, on another port
        secret = internal.add("/secret", "internal admin page", "text/plain")
        monkeypatch.setenv(ALLOW_HOSTS_ENV, "localhost")
        start = server.add("/go", b"", None, status=302, headers={"Location": secret}).replace("127.0.0.1", "localhost")
        with pytest.raises(FetchRefused) as caught:
            load(start)
        assert str(caught.value).startswith(
            f"{start}: the server redirected to {secret}, and 127.0.0.1 is a loopback address; internal addresses are not fetched."
        )
        assert internal.requests == []


@pytest.mark.parametrize(
    "location",
    [
        pytest.param("ftp://127.0.0.1:{port}/report.pdf", id="ftp"),
        pytest.param("file:///etc/passwd", id="file"),
        pytest.param("data:text/html,<p>12 killed</p>", id="data"),
        pytest.param("gopher://127.0.0.1:{port}/_GET", id="gopher"),
        pytest.param("javascript:alert(1)", id="javascript"),
    ],
)
def test_a_redirect_to_another_scheme_is_refused_and_never_opened(
    server: Server, listener: tuple[int, threading.Event], location: str
) -> None:
    port, connected = listener
    target = location.format(port=port)
    start = server.add("/download", b"", None, status=302, headers={"Location": target})
    with pytest.raises(FetchRefused, match=r"the server redirected to .*, which is not followed: only http:// and https://"):
        load(start, timeout=2)
    assert not connected.wait(0.2)  # nothing connected to the ftp "server", even a moment later


def test_redirects_are_capped(server: Server) -> None:
    for step in range(MAX_REDIRECTS + 1):
        server.add(f"/hop/{step}", b"", None, status=302, headers={"Location": f"/hop/{step + 1}"})
    server.add(f"/hop/{MAX_REDIRECTS + 1}", PAGE, "text/html")
    assert load(server.url("/hop/1")).meta.url == server.url(f"/hop/{MAX_REDIRECTS + 1}")  # 5 redirects: followed
    with pytest.raises(FetchFailed, match=rf"/hop/0: more than {MAX_REDIRECTS} redirects \(the last to .*/hop/6\); .*in a loop"):
        load(server.url("/hop/0"))
    assert len(server.requests) == 2 * (MAX_REDIRECTS + 1)  # each load: its first request and 5 redirects, no more


def test_a_redirect_loop_is_one_line(server: Server) -> None:
    server.add("/a", b"", None, status=302, headers={"Location": "/b"})
    server.add("/b", b"", None, status=307, headers={"Location": "/a"})
    with pytest.raises(FetchFailed) as caught:
        load(server.url("/a"))
    assert "\n" not in str(caught.value)


# ------------------------------------------------------------------ what the callers show


@pytest.mark.usefixtures("no_allowance")
def test_cli_ingest_prints_one_error_line_and_goes_on(server: Server, tmp_path: Path) -> None:
    url = server.add("/internal.html", PAGE, "text/html")
    report = tmp_path / "report.txt"
    report.write_text("Floods killed 12 people in Derna, officials said.\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    status = run_ingest([url, str(report)], f"sqlite:///{tmp_path / 'store.sqlite'}", out, err, progress=False)
    assert status == 0, err.getvalue()
    (line,) = err.getvalue().splitlines()
    assert line.startswith(f"error: {url}: 127.0.0.1 is a loopback address; internal addresses are not fetched.")
    assert line.endswith(f"{ALLOW_HOSTS_ENV}=127.0.0.1")
    assert out.getvalue().startswith("documents: 1 new, 0 unchanged, 0 new versions, 1 failed") and server.requests == []


@pytest.mark.usefixtures("no_allowance")
def test_cli_extract_prints_one_error_line(server: Server) -> None:
    url = server.add("/internal.html", PAGE, "text/html")
    out, err = io.StringIO(), io.StringIO()
    assert run_extract([url], "jsonl", out, err) == 1
    assert err.getvalue().splitlines() == [
        f"error: {url}: 127.0.0.1 is a loopback address; internal addresses are not fetched. "
        f"An operator can allow this host by name with {ALLOW_HOSTS_ENV}=127.0.0.1",
        "error: no document could be read",
    ]
