"""A figure's identity (extractors/identity.py): which figure is the headline, whether it is the whole toll or
a part, who counted it and whether it was counted or projected. Every sentence here is written for this file."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

import extractors
from extractors import SCOPES, STATUSES, extract, extract_file
from extractors.identity import is_event, originator_of, status_of

DEVCORPUS = Path(__file__).resolve().parent / "devcorpus" / "docs"


def _read(title: str, body: str) -> list[tuple[str, float, bool, str]]:
    records = extract(f"{title}\n\n{body}", meta={"title": title})
    return [(record.indicator, record.value, record.headline, record.scope) for record in records]


# (title, body, the records as (indicator, value, headline, scope) in text order)
HEADLINES = [
    pytest.param(
        "Gaza toll climbs",
        "The Gaza health ministry said on Monday that 41,200 people had been killed since the war began. "
        "Overnight strikes killed 35 people in Khan Younis, including 12 children.",
        [("deaths", 41200, True, "total"), ("deaths", 35, False, "part"), ("deaths", 12, False, "part")],
        id="crisis-running-total-over-one-night-a-sub-area-and-children",
    ),
    pytest.param(
        "Earthquake strikes western Nepal",
        "A 6.4-magnitude earthquake struck western Nepal on Friday night, killing 153 people, officials said. "
        "In Jajarkot district alone, 105 people died.",
        [("deaths", 153, True, "total"), ("deaths", 105, False, "part")],
        id="event-toll-whatever-its-measure-over-a-district",
    ),
    pytest.param(
        "Cyclone batters the coast",
        "The cyclone killed 246 people across three provinces. In the worst-hit province, 140 people died, "
        "and 60 more died when a ferry capsized.",
        [("deaths", 246, True, "total"), ("deaths", 140, False, "part"), ("deaths", 60, False, "part")],
        id="event-toll-over-a-province-and-an-incident",
    ),
    pytest.param(
        "Flood season ends",
        "The floods killed 12 people in their first week. In total, they killed 87 people and injured 310.",
        [("deaths", 12, False, "part"), ("deaths", 87, True, "total"), ("injured", 310, True, "total")],
        id="event-stated-total-over-an-earlier-figure",
    ),
    pytest.param(
        "Children in Sudan",
        "At least 30 children were killed in Sudan last week, UNICEF said.",
        [("deaths", 30, False, "part")],
        id="a-subgroup-alone-is-no-headline",
    ),
    pytest.param(
        "Strikes in the north",
        "Thousands of people have been killed in the conflict. Since the fighting began, 4,812 people have been "
        "killed, the health ministry said.",
        [("deaths", 2000, False, "total"), ("deaths", 4812, True, "total")],
        id="a-counted-total-over-a-figure-in-words",
    ),
    pytest.param(
        "Attack on a market",
        "Gunmen killed 42 people at a cattle market on Sunday, local officials said. Eleven of the dead were traders.",
        [("deaths", 42, True, "total"), ("deaths", 11, False, "part")],
        id="an-incident-report-without-a-running-total-and-a-subset-after-the-figure",
    ),
    pytest.param(
        "Fighting in the east",
        "Since January, 1,950 people have been killed in the fighting, the health ministry said. "
        "On Sunday alone, 40 people were killed.",
        [("deaths", 1950, True, "total"), ("deaths", 40, False, "part")],
        id="one-day-of-a-crisis-under-its-running-total",
    ),
]


@pytest.mark.parametrize(("title", "body", "expected"), HEADLINES)
def test_headline_and_scope(title: str, body: str, expected: list) -> None:
    assert _read(title, body) == expected


ORIGINATORS = [
    pytest.param("the Gaza health ministry", None, "Gaza Ministry of Health", id="gaza-health-ministry"),
    pytest.param("the Ministry of Health in Gaza", None, "Gaza Ministry of Health", id="ministry-of-health-in-gaza"),
    pytest.param("the health ministry", "Palestine", "Gaza Ministry of Health", id="health-ministry-in-palestine"),
    pytest.param("OCHA", None, "UN OCHA", id="ocha"),
    pytest.param("the UN humanitarian office", None, "UN OCHA", id="un-humanitarian-office"),
    pytest.param("IOM's Displacement Tracking Matrix", None, "IOM DTM", id="iom-dtm"),
    pytest.param("the International Organization for Migration", None, "IOM DTM", id="iom-spelled-out"),
    pytest.param("the UN refugee agency", None, "UNHCR", id="unhcr"),
    pytest.param("WHO", None, "WHO", id="who-acronym"),
    pytest.param("officials who visited", None, None, id="who-the-word-is-nobody"),
    pytest.param("the Integrated Food Security Phase Classification", None, "IPC", id="ipc"),
    pytest.param("FEWS NET", None, "FEWS NET", id="fews-net"),
    pytest.param("the Sudanese health ministry", None, "Sudan Ministry of Health", id="country-from-adjective"),
    pytest.param("the health ministry", "Sudan", "Sudan Ministry of Health", id="country-from-location"),
    pytest.param("Nepal's home ministry", None, "Nepal Ministry of Home Affairs", id="nepal-home-ministry"),
    pytest.param("the NDRRMC", None, "Philippines NDRRMC", id="ndrrmc"),
    pytest.param("the health ministry", None, None, id="a-ministry-of-no-known-country"),
    pytest.param("witnesses", "Sudan", None, id="unknown-body"),
    pytest.param(None, "Sudan", None, id="nobody-credited"),
]


@pytest.mark.parametrize(("attribution", "location", "expected"), ORIGINATORS)
def test_originator(attribution: str | None, location: str | None, expected: str | None) -> None:
    assert originator_of(attribution, location) == expected


def test_the_originator_is_set_on_records_and_the_outlet_stays_the_source() -> None:
    text = "More than 1.7 million people are internally displaced in Haiti, the UN humanitarian office said."
    (record,) = extract(text, meta={"publisher": "Example Wire"})
    assert (record.originator, record.source, record.attribution) == ("UN OCHA", "Example Wire", "the UN humanitarian office")


STATUS_ROWS = [
    pytest.param("About 24 million people face acute food insecurity.", "reported", id="current"),
    pytest.param("That figure could rise to 26 million.", "projected", id="could-rise-to"),
    pytest.param("Some 3 million people are expected to face emergency levels of hunger.", "projected", id="expected-to"),
    pytest.param("From June to September, 4 million people are projected to be in crisis.", "projected", id="projected"),
    pytest.param("Up to 2 million people may go hungry by September.", "projected", id="by-a-future-month"),
    pytest.param("By March, 120 people had died of cholera.", "reported", id="by-a-month-in-the-past"),
    pytest.param("Between January and March, 800 people were killed.", "reported", id="between-months-in-the-past"),
]


@pytest.mark.parametrize(("sentence", "expected"), STATUS_ROWS)
def test_status(sentence: str, expected: str) -> None:
    assert status_of(sentence) == expected


def test_a_projection_is_never_the_headline() -> None:
    title = "Somalia outlook"
    body = "Between April and June, 4.4 million people in Somalia are projected to face crisis levels of food insecurity."
    records = extract(f"{title}\n\n{body}", meta={"title": title})
    assert [(r.value, r.status, r.headline) for r in records] == [(4_400_000, "projected", False)]


EVENTS = [
    pytest.param("Typhoon lashes the islands", True, id="typhoon"),
    pytest.param("Wildfire forces evacuations", True, id="wildfire"),
    pytest.param("Heat wave grips the south", True, id="heat-wave"),
    pytest.param("Gaza: the war in its second year", False, id="a-war"),
    pytest.param("Sudan situation report No. 12", False, id="a-situation-report"),
]


@pytest.mark.parametrize(("title", "expected"), EVENTS)
def test_one_off_events_are_told_from_crises(title: str, expected: bool) -> None:
    assert is_event(title) is expected


def test_at_most_one_headline_per_document_indicator_outcome_and_location() -> None:
    records = [record for path in sorted(DEVCORPUS.glob("*.txt")) for record in extract_file(path)]
    heads = Counter((r.doc, r.indicator, r.outcome, r.location) for r in records if r.headline)
    assert heads and max(heads.values()) == 1
    assert all(r.scope == "total" for r in records if r.headline)
    assert {r.scope for r in records} <= set(SCOPES) and {r.status for r in records} <= set(STATUSES)


def test_the_package_exports_exactly_what_it_binds() -> None:
    public = {name for name, value in vars(extractors).items() if not name.startswith("_") and not _is_module(value)}
    assert sorted(extractors.__all__) == sorted(public - {"annotations", "Path"} | {"__version__"})
    assert all(hasattr(extractors, name) for name in extractors.__all__)


def _is_module(value: object) -> bool:
    return type(value).__name__ == "module"
