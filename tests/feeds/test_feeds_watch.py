"""The feed watcher against a loopback server: ReliefWeb pages, RSS and Atom, HTML and PDF reports,
duplicates as sightings, failing feeds skipped, politeness (pause, daily cap, Retry-After)."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
from feed_helpers import (
    GAZA_JULY,
    GAZA_OCTOBER,
    SUDAN_JULY,
    SUDAN_MARCH,
    atom,
    html_page,
    pdf_bytes,
    reliefweb_pages,
    reliefweb_report,
    rss,
)
from testkit import Route

from store.feeds import FeedsFileError, parse_feeds, run_feeds
from store.same_document import sightings


class FakeTime:
    """A clock that only sleeping moves."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 3))
        self.now += seconds


def _run(engine, feeds: dict, *, lines: list[str] | None = None, fake: FakeTime | None = None, **options):  # type: ignore[no-untyped-def]
    settings = parse_feeds({"pause_seconds": 0, "timeout_seconds": 1, **feeds})
    fake = fake or FakeTime()
    said = lines if lines is not None else []
    return run_feeds(engine, settings, say=said.append, clock=fake.clock, sleep=fake.sleep, **options)


def _documents(engine) -> list[dict]:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT doc_id, origin, publisher, url, published, content_type FROM documents ORDER BY published"))
        return [dict(row._mapping) for row in rows]


def _reliefweb(server) -> list[dict]:  # type: ignore[no-untyped-def]
    """Three reports, newest first: a long body, a stub with its PDF, a body in body-html only."""
    stub = "Please refer to the attached file."
    server.add("/files/dtm-sudan-march.pdf", pdf_bytes(SUDAN_MARCH), content_type="application/pdf")
    return [
        reliefweb_report(4100003, "Gaza: daily casualty figures", body=GAZA_JULY, source="UN Office for the Coordination of Humanitarian Affairs", created="2025-07-30T10:00:00+00:00", url="https://reliefweb.int/report/opt/gaza-daily-casualty-figures"),
        reliefweb_report(4100002, "Sudan: Displacement Situation Update (March)", body=stub, source="International Organization for Migration", created="2025-03-28T08:00:00+00:00", url="https://reliefweb.int/report/sudan/dtm-march", pdf=server.url("/files/dtm-sudan-march.pdf")),
        reliefweb_report(4100001, "Sudan: Displacement Situation Update (July)", body=SUDAN_JULY, source="International Organization for Migration", created="2025-07-30T09:00:00+00:00", url="https://reliefweb.int/report/sudan/dtm-july", html=True),
    ]


def test_reliefweb_pages_stored_with_provenance_and_never_fetched_twice(engine, server) -> None:
    server.add("/v2/reports", reliefweb_pages(_reliefweb(server)), content_type="application/json")
    feed = {"appname": "test-sudan-gaza-k2x9", "reliefweb": [{"name": "RW", "endpoint": server.url("/v2/reports"), "country": ["sdn", "pse"], "page_size": 2}]}
    lines: list[str] = []
    report = _run(engine, feed, lines=lines)
    assert [(r.listed, r.new, r.error) for r in report.feeds] == [(3, 3, None)]
    query = parse_qs(urlsplit(server.requests[0]).query)
    assert query["appname"] == ["test-sudan-gaza-k2x9"]
    assert query["filter[conditions][0][value][]"] == ["SDN", "PSE"]
    assert server.fetched("/v2/reports") == 2  # two pages of two
    assert server.fetched("/files/dtm-sudan-march.pdf") == 1  # the stub's PDF
    stored = {row["url"]: row for row in _documents(engine)}
    march = stored["https://reliefweb.int/report/sudan/dtm-march"]
    assert (march["publisher"], march["published"], march["content_type"]) == ("International Organization for Migration", "2025-03-28", "application/pdf")
    assert stored["https://reliefweb.int/report/opt/gaza-daily-casualty-figures"]["content_type"] == "text/markdown"
    assert stored["https://reliefweb.int/report/sudan/dtm-july"]["content_type"] == "text/html"
    assert any("feed 'RW' (reliefweb): 3 listed, 3 new" in line for line in lines)
    assert sorted(figure["value"] for figure in report.digest["new"]) == [60034.0, 9937444.0, 11301340.0]  # body, body-html, PDF
    with engine.connect() as connection:
        langs = connection.execute(sa.text("SELECT DISTINCT lang FROM feed_items")).scalars().all()
    assert langs == ["en"]

    before = list(server.requests)
    again = _run(engine, feed)
    assert [(r.new, r.seen) for r in again.feeds] == [(0, 2)]  # the first page, wholly seen: no paging on
    assert [request for request in server.requests[len(before) :] if "/files/" in request] == []
    assert len(_documents(engine)) == 3


def test_rss_and_atom_pages_and_a_duplicate_in_another_format(engine, server) -> None:
    server.add("/news/gaza-toll.html", html_page(GAZA_OCTOBER, header="Home | World | Gaza", footer="(c) Daily Relief Wire", site="Daily Relief Wire"))
    server.add("/news/sudan-returns.html", html_page(SUDAN_JULY, header="Home | Africa", footer="Daily Relief Wire"))
    server.add("/agency/gaza-toll.pdf", pdf_bytes(GAZA_OCTOBER), content_type="application/pdf")  # the same report, printed
    server.add("/rss.xml", rss([
        {"title": "Gaza death toll rises", "link": server.url("/news/gaza-toll.html"), "date": "Thu, 09 Oct 2025 12:00:00 GMT"},
        {"title": "Sudan returns", "link": server.url("/news/sudan-returns.html"), "date": "Wed, 30 Jul 2025 09:00:00 GMT"},
    ]), content_type="application/rss+xml")
    server.add("/agency/gaza-toll.html", html_page(GAZA_OCTOBER, header="Agency | Newsroom | Donate", footer="Relief Agency, Geneva"))
    server.add("/atom.xml", atom([
        {"title": "Gaza toll (PDF)", "link": server.url("/agency/gaza-toll.pdf"), "date": "2025-10-10T08:00:00Z"},
        {"title": "Gaza toll", "link": server.url("/agency/gaza-toll.html"), "date": "2025-10-10T09:00:00Z"},
    ]), content_type="application/atom+xml")
    feeds = {"rss": [{"name": "wire", "url": server.url("/rss.xml")}, {"name": "agency", "url": server.url("/atom.xml"), "publisher": "Relief Agency"}]}
    report = _run(engine, feeds)
    assert [(r.name, r.listed, r.new, r.copies, r.error) for r in report.feeds] == [("wire", 2, 2, 0, None), ("agency", 2, 0, 2, None)]
    stored = {row["url"]: row for row in _documents(engine)}
    gaza = stored[server.url("/news/gaza-toll.html")]
    assert (gaza["publisher"], gaza["published"]) == ("Daily Relief Wire", "2025-10-09")
    with engine.connect() as connection:
        seen = sightings(connection, gaza["doc_id"])
    assert [(s["url"], s["publisher"], s["content_type"]) for s in seen] == [
        (server.url("/agency/gaza-toll.html"), "Relief Agency", "text/html"),  # a feed lists the newest first:
        (server.url("/agency/gaza-toll.pdf"), "Relief Agency", "application/pdf"),  # read the other way round
    ]
    assert len(stored) == 2  # the page, its PDF and the agency's page are one document, seen twice more


def test_wire_copy_republished_by_two_outlets_is_one_document(engine, server) -> None:
    for outlet in ("one", "two"):
        server.add(f"/{outlet}/story.html", html_page(GAZA_JULY, header=f"The {outlet.title()} Times | Subscribe", footer=f"Copyright The {outlet.title()} Times. Wire copy."))
        server.add(f"/{outlet}/rss.xml", rss([{"title": "Gaza toll", "link": server.url(f"/{outlet}/story.html"), "date": "Tue, 29 Jul 2025 18:00:00 GMT"}], title=f"The {outlet.title()} Times"))
    report = _run(engine, {"rss": [{"name": outlet, "url": server.url(f"/{outlet}/rss.xml")} for outlet in ("one", "two")]})
    assert [(r.new, r.copies) for r in report.feeds] == [(1, 0), (0, 1)]
    with engine.connect() as connection:
        counted = connection.execute(sa.text("SELECT COUNT(*) FROM records WHERE headline AND NOT superseded")).scalar()
    assert counted == 1  # the ministry's toll, once


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        pytest.param({"body": "<rss><channel><item><title>broken", "content_type": "application/rss+xml"}, "not a readable RSS or Atom feed", id="malformed-xml"),
        pytest.param({"body": "<html><body>Welcome</body></html>"}, "not an RSS or Atom feed", id="html-not-a-feed"),
        pytest.param({"body": "oops", "status": 500}, "HTTP 500", id="server-error"),
        pytest.param({"body": "<rss/>", "delay": 10}, "no complete answer within 1 s", id="slow"),
        pytest.param({"body": b"x" * (1024 * 1024), "stream": 31}, "too large", id="30-MB-answer"),
    ],
)
def test_a_failing_feed_is_reported_and_skipped_the_others_go_on(engine, server, answer: dict, expected: str) -> None:
    server.add("/bad.xml", **answer)
    server.add("/news/sudan.html", html_page(SUDAN_MARCH))
    server.add("/good.xml", rss([{"title": "Sudan", "link": server.url("/news/sudan.html"), "date": "Fri, 28 Mar 2025 08:00:00 GMT"}]))
    lines: list[str] = []
    report = _run(engine, {"rss": [{"name": "bad", "url": server.url("/bad.xml")}, {"name": "good", "url": server.url("/good.xml")}]}, lines=lines)
    bad, good = report.feeds
    assert expected in (bad.error or "")
    assert (good.new, good.error) == (1, None)
    assert any(line.startswith("feed 'bad' (rss)") and "skipped:" in line for line in lines)
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT feed FROM feed_items")).scalars().all() == ["good"]


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        pytest.param({"body": '{"data": ['}, "not JSON", id="malformed-json"),
        pytest.param({"body": '{"status": 200}'}, "no `data` list", id="not-an-api-answer"),
        pytest.param({"body": '{"status": 403, "error": {"type": "AccessDeniedHttpException"}}', "status": 403}, "appname it has not approved", id="appname-refused"),
    ],
)
def test_a_reliefweb_answer_that_cannot_be_used_skips_the_feed(engine, server, answer: dict, expected: str) -> None:
    server.add("/v2/reports", content_type="application/json", **answer)
    report = _run(engine, {"appname": "a", "reliefweb": [{"name": "RW", "endpoint": server.url("/v2/reports")}]})
    assert expected in report.feeds[0].error


def test_an_item_at_a_refused_address_is_skipped_with_a_clear_line(engine, server) -> None:
    _host, port = server.httpd.server_address[:2]
    inside = f"http://localhost:{port}/admin/report.html"  # loopback, and only 127.0.0.1 is allowed by name
    server.add("/news/sudan.html", html_page(SUDAN_MARCH))
    server.add("/rss.xml", rss([
        {"title": "inside", "link": inside, "date": "Fri, 28 Mar 2025 08:00:00 GMT"},
        {"title": "Sudan", "link": server.url("/news/sudan.html"), "date": "Fri, 28 Mar 2025 09:00:00 GMT"},
    ]))
    lines: list[str] = []
    report = _run(engine, {"rss": [{"name": "mixed", "url": server.url("/rss.xml")}]}, lines=lines)
    assert (report.feeds[0].new, report.feeds[0].failed) == (1, 1)
    refused = [line for line in lines if line.startswith(f"  skipped {inside}")]
    assert len(refused) == 1 and "internal addresses are not fetched" in refused[0], lines
    assert "/admin/report.html" not in server.requests


def test_pause_between_calls_and_retry_after(engine, server) -> None:
    page = html_page(SUDAN_MARCH).encode()
    server.add("/news/sudan.html", page, status=429, headers={"Retry-After": "7"}, then=Route(body=page))
    server.add("/rss.xml", rss([{"title": "Sudan", "link": server.url("/news/sudan.html"), "date": "Fri, 28 Mar 2025 08:00:00 GMT"}]))
    fake = FakeTime()
    report = _run(engine, {"pause_seconds": 2, "rss": [{"name": "polite", "url": server.url("/rss.xml")}]}, fake=fake)
    assert report.feeds[0].new == 1
    # feed, then the page: a 2 s pause; refused with Retry-After: 7 s; then again (the pause already passed)
    assert fake.slept == [2.0, 7.0]
    assert server.fetched("/news/sudan.html") == 2


def test_retry_after_too_long_and_the_daily_cap_stop_the_feed(engine, server) -> None:
    server.add("/slow.xml", "", status=503, headers={"Retry-After": "86400"})
    pages = [{"title": f"p{n}", "link": server.url(f"/news/{n}.html"), "date": "Fri, 28 Mar 2025 08:00:00 GMT"} for n in range(3)]
    for n, text in enumerate((SUDAN_MARCH, SUDAN_JULY, GAZA_JULY)):
        server.add(f"/news/{n}.html", html_page(text))
    server.add("/rss.xml", rss(pages))
    report = _run(engine, {"daily_cap": 3, "rss": [{"name": "slow", "url": server.url("/slow.xml")}, {"name": "capped", "url": server.url("/rss.xml")}]})
    slow, capped = report.feeds
    assert "Retry-After" in slow.error
    assert (capped.new, capped.calls) == (2, 3)  # the feed and two pages: the cap
    assert "daily_cap" in capped.error


def test_alerts_digest_files_atom_and_webhook(engine, server, tmp_path: Path) -> None:
    server.add("/hook", "ok", content_type="text/plain")
    server.add("/news/sudan-march.html", html_page(SUDAN_MARCH, site="IOM"))
    server.add("/rss.xml", rss([{"title": "March", "link": server.url("/news/sudan-march.html"), "date": "Fri, 28 Mar 2025 08:00:00 GMT"}]))
    alerts = {"folder": str(tmp_path / "digests"), "atom": str(tmp_path / "static" / "whats-new.xml"), "threshold": 0.1, "webhook": server.url("/hook")}
    feeds = {"alerts": alerts, "rss": [{"name": "iom", "url": server.url("/rss.xml")}]}
    first = _run(engine, feeds)
    assert [f["value"] for f in first.digest["new"]] == [11301340.0] and first.digest["changes"] == []

    server.add("/news/sudan-july.html", html_page(SUDAN_JULY, site="IOM"))
    server.add("/rss.xml", rss([
        {"title": "July", "link": server.url("/news/sudan-july.html"), "date": "Wed, 30 Jul 2025 08:00:00 GMT"},
        {"title": "March", "link": server.url("/news/sudan-march.html"), "date": "Fri, 28 Mar 2025 08:00:00 GMT"},
    ]))
    second = _run(engine, feeds)
    [change] = second.digest["changes"]
    assert (change["previous"]["value"], change["figure"]["value"], change["change"]) == (11301340.0, 9937444.0, pytest.approx(-0.1207, abs=1e-4))
    assert "11,301,340" in change["previous"]["quote"] and "9,937,444" in change["figure"]["quote"]
    assert change["previous"]["url"] == server.url("/news/sudan-march.html") and change["figure"]["url"] == server.url("/news/sudan-july.html")
    markdown = sorted((tmp_path / "digests").glob("digest-*.md"))[-1].read_text()
    assert "## Changes" in markdown and "-12%" in markdown and server.url("/news/sudan-march.html") in markdown
    saved = json.loads(sorted((tmp_path / "digests").glob("digest-*.json"))[-1].read_text())
    assert saved["changes"][0]["figure"]["value"] == 9937444.0
    feed = (tmp_path / "static" / "whats-new.xml").read_text()
    assert feed.count("<entry>") == 3 and "Changed -12%" in feed  # the change, the July figure, the March figure
    texts = [json.loads(body)["text"] for path, body in server.posts]
    assert [text.splitlines()[0].split(": ", 1)[1] for text in texts] == ["1 headline figures, 0 changes", "1 headline figures, 1 changes"]
    assert "changed -12%" in texts[1] and server.url("/news/sudan-july.html") in texts[1]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param({"rss": [{"name": "a", "url": "ftp://x"}]}, "http:// or https://", id="scheme"),
        pytest.param({"reliefweb": [{"name": "rw"}]}, "appname", id="no-appname"),
        pytest.param({"appname": "a", "reliefweb": [{"name": "rw", "from": "last week"}]}, "YYYY-MM-DD", id="date"),
        pytest.param({"rss": [{"name": "a", "url": "https://x", "colour": "red"}]}, "unknown key 'colour'", id="unknown-key"),
        pytest.param({"url": [{"name": "a", "urls": ["https://x"]}, {"name": "a", "urls": ["https://y"]}]}, "two feeds are named 'a'", id="same-name"),
    ],
)
def test_a_feeds_file_that_cannot_be_used_is_refused_whole(data: dict, message: str) -> None:
    with pytest.raises(FeedsFileError, match=message):
        parse_feeds(data)


def test_the_readme_sample_feeds_file_reads() -> None:
    import re
    import tomllib

    readme = (Path(__file__).resolve().parents[2] / "store" / "README.md").read_text(encoding="utf-8")
    [sample] = re.findall(r"```toml\n(# feeds\.toml.*?)```", readme, flags=re.DOTALL)
    settings = parse_feeds(tomllib.loads(sample))
    assert [feed.kind for feed in settings.feeds] == ["reliefweb", "reliefweb", "rss", "rss", "url"]
    assert settings.feeds[0].country == ("SDN",) and settings.alerts.atom == Path("dashboard/static/whats-new.xml")


def test_a_webhook_at_a_refused_address_is_reported_not_sent(engine, server) -> None:
    _host, port = server.httpd.server_address[:2]
    server.add("/hook", "ok", content_type="text/plain")
    server.add("/news/sudan.html", html_page(SUDAN_MARCH))
    server.add("/rss.xml", rss([{"title": "Sudan", "link": server.url("/news/sudan.html"), "date": "Fri, 28 Mar 2025 08:00:00 GMT"}]))
    lines: list[str] = []
    report = _run(engine, {"alerts": {"webhook": f"http://localhost:{port}/hook"}, "rss": [{"name": "iom", "url": server.url("/rss.xml")}]}, lines=lines)
    assert report.digest["new"] and server.posts == []
    assert "internal addresses are not fetched" in (report.webhook_error or "")
    assert any(line.startswith("webhook: not sent: ") for line in lines)


def test_the_watcher_on_postgresql(postgres, server) -> None:  # type: ignore[no-untyped-def]
    from store import open_store

    engine = open_store(postgres.reset_database("feeds_test"))
    try:
        server.add("/v2/reports", reliefweb_pages(_reliefweb(server)), content_type="application/json")
        feed = {"appname": "test-app", "daily_cap": 4, "reliefweb": [{"name": "RW", "endpoint": server.url("/v2/reports"), "page_size": 2}]}
        first, again = _run(engine, feed), _run(engine, feed)
        assert [(r.new, r.calls) for r in first.feeds] == [(3, 3)]
        assert [(r.new, r.seen, r.calls) for r in again.feeds] == [(0, 2, 1)]
        assert len(_documents(engine)) == 3 and first.digest["new"]
        with engine.connect() as connection:
            assert connection.execute(sa.text("SELECT SUM(calls) FROM feed_calls")).scalar() == 4
    finally:
        engine.dispose()


def test_since_leaves_older_items_unread_and_unmarked(engine, server) -> None:
    import datetime as dt

    for n, text in enumerate((SUDAN_MARCH, SUDAN_JULY)):
        server.add(f"/news/{n}.html", html_page(text))
    server.add("/rss.xml", rss([{"title": f"r{n}", "link": server.url(f"/news/{n}.html"), "date": f"{day} 08:00:00 GMT"} for n, day in enumerate(("Fri, 28 Mar 2025", "Wed, 30 Jul 2025"))]))
    feeds = {"rss": [{"name": "iom", "url": server.url("/rss.xml")}]}
    lines: list[str] = []
    report = _run(engine, feeds, lines=lines, since=dt.date(2025, 6, 1))
    assert [(r.new, r.older) for r in report.feeds] == [(1, 1)] and "1 older than --since" in lines[-1]
    assert server.fetched("/news/0.html") == 0
    assert [(r.new, r.seen) for r in _run(engine, feeds).feeds] == [(1, 1)]  # without --since, the older one is read
