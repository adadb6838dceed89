"""Wire copy republished by several outlets counts once per originator in the dashboard's comparisons:
copies near enough are one document (a sighting each), a rewritten relay is its own document whose
figure the Sources page groups under the same originator, never a rival of it."""

from __future__ import annotations

import sqlalchemy as sa
from feed_helpers import GAZA_JULY, html_page, rss

from dashboard.model import data, disagreements
from dashboard.model.analysis import compare_sources
from store.feeds import parse_feeds, run_feeds

REWRITTEN = """Hospitals overwhelmed as Gaza toll climbs

Health officials in the Gaza Strip reported on 29 July 2025 that 60,034 Palestinians have been killed since 7 October 2023, according to the Gaza Ministry of Health. Doctors in Khan Younis described wards filled beyond capacity and said generators were running on the last reserves of fuel, while aid agencies warned that convoys carrying medicines had again been held at the crossings for several days."""


def test_wire_copy_counts_once_per_originator_in_the_sources_comparison(engine, store_url: str, server) -> None:
    stories = {"one": GAZA_JULY, "two": GAZA_JULY, "three": REWRITTEN}
    for outlet, text in stories.items():
        server.add(f"/{outlet}/story.html", html_page(text, header=f"{outlet.title()} Daily | Subscribe", footer=f"{outlet.title()} Daily, wire copy", site=f"{outlet.title()} Daily"))
        server.add(f"/{outlet}/rss.xml", rss([{"title": "Gaza toll", "link": server.url(f"/{outlet}/story.html"), "date": "Tue, 29 Jul 2025 18:00:00 GMT"}]))
    settings = parse_feeds({"pause_seconds": 0, "rss": [{"name": outlet, "url": server.url(f"/{outlet}/rss.xml")} for outlet in stories]})
    report = run_feeds(engine, settings, say=lambda line: None)
    assert [(feed.new, feed.copies) for feed in report.feeds] == [(1, 0), (0, 1), (1, 0)]
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT COUNT(*) FROM document_sightings")).scalar() == 1

    records = data.load_dataset(store_url).records
    tolls = records.loc[records["value"] == 60034.0]
    assert sorted(tolls["source"]) == ["One Daily", "Three Daily"]  # two documents state it
    assert set(tolls["originator"]) == {"Gaza Ministry of Health"}
    comparison = compare_sources(disagreements.by_originator(tolls))
    assert comparison.windows["sources"].tolist() == [1]  # one originator, however many outlets
    assert [column for column in comparison.table.columns if column not in ("window", "measure")] == ["Gaza Ministry of Health"]
    assert disagreements.find_disagreements(tolls, window_days=7, threshold=0.0).count == 0
