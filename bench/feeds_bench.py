"""Feed watcher benchmark: reports per minute, duplicates caught, alerts raised, on loopback test feeds.

    .venv/bin/python bench/feeds_bench.py [--store DIR]   # DIR keeps the store, digests and Atom file

A loopback server (tests/feeds/feed_helpers.py) plays the feeds of a Sudan and Gaza analyst:
a ReliefWeb API query (pages of 10; every third report a stub whose PDF is attached), an RSS
feed of news pages, a second outlet's RSS feed republishing the same stories with its own header
and footer (wire copy), and an Atom feed of the same reports as PDFs. Each report restates one
deaths, injured or displaced figure of /work/shared/facts/facts.csv (its figure, date and credit),
in short sentences of our own. Run 1 follows the feeds with the reports published before 2025;
run 2, after the feeds grew, the rest; run 3 finds nothing new. Wall-clock times on a shared machine.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests" / "feeds")]

from feed_helpers import Server, atom, html_page, pdf_bytes, reliefweb_pages, reliefweb_report, rss  # noqa: E402

from extractors.loaders.guard import ALLOW_HOSTS_ENV  # noqa: E402
from store import open_store  # noqa: E402
from store.feeds import parse_feeds, run_feeds  # noqa: E402

FACTS = Path("/work/shared/facts/facts.csv")
QUALIFIER = {"at_least": "at least ", "more_than": "more than ", "approx": "about ", "at_most": "up to ", "exact": ""}
SENTENCE = {
    "deaths": "{q}{v} people have been killed in {loc} since the hostilities began, {who} said in a statement dated {when}.",
    "injured": "{q}{v} people have been injured in {loc} since the hostilities began, {who} said in a statement dated {when}.",
    "displaced": "{q}{v} people were internally displaced in {loc} as of {when}, according to {who}.",
}
CONTEXT = (
    "Humanitarian partners in {loc} say that access to clean water, shelter and health care remains far below needs. "
    "Convoys continue to face delays, and agencies are asking for safe and sustained access so that assistance can reach "
    "families in the worst affected areas before conditions deteriorate further."
)


def reports() -> list[dict]:
    rows = []
    with FACTS.open(encoding="utf-8") as file:
        for n, fact in enumerate(csv.DictReader(file)):
            if fact["indicator"] not in SENTENCE or not fact["published"] or fact["location_iso3"] not in ("PSE", "SDN"):
                continue
            loc = "the Gaza Strip" if fact["location_iso3"] == "PSE" else "Sudan"
            when = dt.date.fromisoformat(fact["reference_date"]).strftime("%-d %B %Y")
            value = f"{int(float(fact['value'])):,}"
            text = (
                f"{fact['title'] or 'Situation update'}\n\n"
                + SENTENCE[fact["indicator"]].format(
                    q=QUALIFIER[fact["qualifier"]], v=value, loc=loc, who=fact["attribution"].split(" (")[0], when=when
                )
                + " "
                + CONTEXT.format(loc=loc)
            )
            rows.append(
                {
                    "n": n,
                    "text": text,
                    "published": fact["published"],
                    "publisher": fact["publisher"],
                    "iso3": fact["location_iso3"],
                }
            )
    return rows


def serve(server: Server, items: list[dict]) -> dict:
    rw, news, copies, pdfs = [], [], [], []
    for item in sorted(items, key=lambda row: row["published"], reverse=True):
        n, text, day = item["n"], item["text"], item["published"]
        created = f"{day}T08:00:00+00:00"
        rfc = dt.datetime.fromisoformat(created).strftime("%a, %d %b %Y %H:%M:%S GMT")
        if n % 2 == 0:  # ReliefWeb
            pdf = None
            body = text
            if n % 3 == 0:
                pdf = server.add(f"/files/{n}.pdf", pdf_bytes(text), content_type="application/pdf")
                body = "Please refer to the attached file."
            rw.append(
                reliefweb_report(
                    5000000 + n,
                    text.split("\n")[0],
                    body=body,
                    source=item["publisher"],
                    created=created,
                    url=f"https://reliefweb.int/report/{item['iso3'].lower()}/report-{n}",
                    pdf=pdf,
                )
            )
        else:  # a news page, its wire copy, and the agency's PDF of every fourth
            link = server.add(
                f"/news/{n}.html", html_page(text, header="World | Middle East | Africa", footer="(c) News One", site="News One")
            )
            news.append({"title": text.split("\n")[0], "link": link, "date": rfc})
            copy = server.add(
                f"/wire/{n}.html", html_page(text, header="Wire | Latest", footer="Republished from News One", site="Wire Two")
            )
            copies.append({"title": text.split("\n")[0], "link": copy, "date": rfc})
            if n % 4 == 1:
                pdfs.append(
                    {
                        "title": text.split("\n")[0],
                        "link": server.add(f"/agency/{n}.pdf", pdf_bytes(text), content_type="application/pdf"),
                        "date": f"{day}T08:00:00Z",
                    }
                )
    server.add("/v2/reports", reliefweb_pages(rw), content_type="application/json")
    server.add("/news.xml", rss(news, title="News One"), content_type="application/rss+xml")
    server.add("/wire.xml", rss(copies, title="Wire Two"), content_type="application/rss+xml")
    server.add("/agency.xml", atom(pdfs, title="Agency PDFs"), content_type="application/atom+xml")
    return {"reliefweb": len(rw), "news": len(news), "copies": len(copies), "pdfs": len(pdfs)}


def main() -> None:
    os.environ[ALLOW_HOSTS_ENV] = "127.0.0.1"
    server = Server()
    server.thread.start()
    folder = (
        Path(sys.argv[sys.argv.index("--store") + 1]) if "--store" in sys.argv else Path(tempfile.mkdtemp(prefix="feeds-bench-"))
    )
    folder.mkdir(parents=True, exist_ok=True)
    engine = open_store(f"sqlite:///{folder / 'store.sqlite'}")
    settings = parse_feeds({
        "appname": "bench-sudan-gaza", "pause_seconds": 0, "daily_cap": 10_000,
        "alerts": {"folder": str(folder / "digests"), "atom": str(folder / "whats-new.xml"), "threshold": 0.10},
        "reliefweb": [{"name": "ReliefWeb: Sudan and oPt", "endpoint": server.url("/v2/reports"), "country": ["SDN", "PSE"], "page_size": 10, "max_pages": 50}],
        "rss": [{"name": "News One", "url": server.url("/news.xml")}, {"name": "Wire Two", "url": server.url("/wire.xml")}, {"name": "Agency PDFs", "url": server.url("/agency.xml")}],
    })  # fmt: skip
    every = reports()
    for label, items in (
        ("run 1 (before 2025)", [r for r in every if r["published"] < "2025-01-01"]),
        ("run 2 (all)", every),
        ("run 3 (no change)", every),
    ):
        served = serve(server, items)
        started = time.perf_counter()
        report = run_feeds(engine, settings, say=lambda line: None)
        seconds = time.perf_counter() - started
        read = sum(feed.new + feed.copies + feed.unchanged for feed in report.feeds)
        copies = sum(feed.copies for feed in report.feeds)
        calls = sum(feed.calls for feed in report.feeds)
        rate = read / seconds * 60 if read else 0
        print(
            f"{label}: served {served}; {read} reports read ({copies} duplicates caught) in {seconds:.1f} s = {rate:,.0f} reports/min; "
            f"{calls} calls; alerts: {len(report.digest['new'])} new headline figures, {len(report.digest['changes'])} changes"
        )
    engine.dispose()
    server.httpd.shutdown()


if __name__ == "__main__":
    main()
