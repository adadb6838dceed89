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


# Families of headlines a reader picks that the rules above missed; each row failed before its rule.
HEADLINE_FAMILIES = [
    pytest.param(
        "Floods Leave 40,000 Homeless In The Delta",
        "Floodwaters have left about 41,500 people homeless across the delta, the disaster agency said on Tuesday.",
        [("displaced", 40000, False, "part"), ("displaced", 41500, True, "total")],
        id="a-title-figure-restated-by-the-body-gives-way-to-it",
    ),
    pytest.param(
        "Nearly 24,000 Flee Fighting In The Hills",
        "Some 23,400 people have fled their villages since the clashes began, aid agencies said.",
        [("displaced", 24000, False, "total"), ("displaced", 23400, True, "total")],
        id="a-rounded-title-figure-gives-way-to-the-bodys-count",
    ),
    pytest.param(
        "Drone Strike On Kassala Market Kills 19",
        "A drone strike on the main market in Kassala killed at least 19 people on Friday, local medics said.",
        [("deaths", 19, False, "total"), ("deaths", 19, True, "total")],
        id="one-attack-in-a-place-the-title-names-is-the-toll",
    ),
    pytest.param(
        "Hunger Deepens In The North",
        "About 3.2 million people face acute food insecurity in the north, including 61,000 in catastrophic hunger.",
        [("food_insecurity", 3200000, True, "total"), ("famine_exposure", 61000, True, "total")],
        id="a-part-of-another-indicator-is-its-own-groups-total",
    ),
    pytest.param(
        "Camps Overflow After The Floods",
        "The floods displaced 88,000 people last week, of whom 31,000 are sheltering in schools.",
        [("displaced", 88000, True, "total"), ("displaced", 31000, True, "total")],
        id="of-whom-sheltering-is-the-sheltering-groups-total",
    ),
    pytest.param(
        "Lebanon: Shelling Intensifies In The South",
        "Israeli strikes have killed 2,300 people in Lebanon since the war began, the Lebanese health ministry said. "
        "More than 60,000 Israelis have been evacuated from northern Israel.",
        [("deaths", 2300, True, "total"), ("displaced", 60000, False, "part")],
        id="a-toll-in-another-country-is-background",
    ),
]


@pytest.mark.parametrize(("title", "body", "expected"), HEADLINES + HEADLINE_FAMILIES)
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
    pytest.param("the United Nations", None, "United Nations", id="the-un-with-no-agency-named"),
    pytest.param(
        "Provincial authorities",
        "Democratic Republic of the Congo",
        "DR Congo provincial authorities",
        id="provincial-authorities-short-country",
    ),
    pytest.param("Rwandan officials", None, "Rwanda authorities", id="officials-of-a-country"),
    pytest.param("the Israeli military", None, "Israel military", id="a-countrys-military"),
    pytest.param("the Houthi-run health ministry", None, "Yemen Houthi-run Ministry of Health", id="houthi-run-ministry"),
    pytest.param("witnesses", "Sudan", None, id="unknown-body"),
    pytest.param(None, "Sudan", None, id="nobody-credited"),
]


@pytest.mark.parametrize(("attribution", "location", "expected"), ORIGINATORS)
def test_originator(attribution: str | None, location: str | None, expected: str | None) -> None:
    assert originator_of(attribution, location) == expected


# (text, meta, the originators of its records in text order): who counted a figure, as a reader infers it.
INFERRED_ORIGINATORS = [
    pytest.param(
        "Shelling in Ukraine\n\nFourteen civilians were killed on Monday in Kharkiv, the regional governor said. "
        "Another 31 were wounded.",
        {},
        ["Ukraine regional authorities", "Ukraine regional authorities"],
        id="a-credit-carries-to-the-next-sentence-and-a-governor-is-a-regional-authority",
    ),
    pytest.param(
        "Storm update\n\nOCHA said 3,000 people were displaced in Haiti. Another 12,000 people were displaced.\n\n"
        "In the north, 700 more people fled.",
        {},
        ["UN OCHA", "UN OCHA", None],
        id="a-credit-stops-at-its-paragraph",
    ),
    pytest.param(
        "Clashes in Darfur\n\nThe health ministry said 98 people were killed in Sudan. Some 5,000 were displaced.",
        {},
        ["Sudan Ministry of Health", None],
        id="a-credit-carries-only-to-figures-that-continue-its-count",  # a guard: no credit is invented
    ),
    pytest.param(
        "Sudan: DTM Mobility Update (12 May 2025)\n\nAbout 230,000 people were displaced in Darfur in April. "
        "Some 14 million people face acute hunger in Sudan.",
        {},
        ["IOM DTM", None],
        id="an-agencys-own-report-counts-what-that-agency-counts",
    ),
    pytest.param(
        "Floods displace thousands\n\nAbout 230,000 people were displaced in Sudan in April.",
        {"publisher": "Example Wire"},
        [None, None],
        id="an-outlet-counts-nothing",  # a guard: a news outlet is no originator
    ),
    pytest.param(
        "Floods displace thousands\n\nAbout 230,000 people were displaced in Sudan in April.",
        {"publisher": "International Organization for Migration"},
        ["IOM DTM", "IOM DTM"],
        id="an-agency-publisher-counts-its-report",
    ),
    pytest.param(
        "Sudan: 230,000 Displaced In April, IOM Says\n\nAbout 230,000 people were displaced in Darfur in April.\n\n"
        "In Kordofan, 40,000 more fled.",
        {},
        ["IOM DTM", "IOM DTM", None],
        id="a-titles-credit-covers-the-title-and-lead",
    ),
    pytest.param(
        "Gaza update\n\nThe Gaza health ministry said on Monday that 120 people had been killed in a day.\n\n"
        "Later the ministry said 300 people had been injured.",
        {},
        ["Gaza Ministry of Health", "Gaza Ministry of Health"],
        id="the-ministry-said-names-the-body-credited-last",
    ),
    pytest.param(
        "Key figures\n\n- 1.2 million people displaced in Somalia (UNHCR)\n- 400,000 people displaced by floods",
        {},
        ["UNHCR", None],
        id="a-body-in-brackets-credits-its-own-line",
    ),
    pytest.param(
        "Key figures\n\n- The health ministry reports 230 deaths in Sudan.\n- A further 14 people were killed in a flood in Sudan.",
        {},
        ["Sudan Ministry of Health", None],
        id="a-credit-does-not-carry-past-a-list-item",
    ),
    pytest.param(
        "Key figures\n\nFOOD SECURITY (IPC, projection for June 2025)\n- 2.1 million people face acute food insecurity in Somalia",
        {},
        ["IPC"],
        id="a-heading-in-brackets-credits-its-block",
    ),
    pytest.param(
        "Live updates\n\n09:30 OCHA: 14,000 displaced in Haiti overnight",
        {},
        ["UN OCHA"],
        id="a-live-blog-entry-credits-its-line",
    ),
    pytest.param(
        "Volunteers Killed In Darfur\n\nNAIROBI, 3 May 2025 - The International Committee of the Red Cross is "
        "saddened by the killing of four volunteers in Sudan. Two more were injured.",
        {},
        ["ICRC", "ICRC"],
        id="a-press-release-opening-with-its-issuer-is-its-count",
    ),
    pytest.param(
        "Landslide in Afghanistan\n\nThe de facto authorities said 40 people were killed in Afghanistan.",
        {},
        ["Afghanistan de facto authorities"],
        id="de-facto-authorities-of-the-country",
    ),
]


@pytest.mark.parametrize(("text", "meta", "expected"), INFERRED_ORIGINATORS)
def test_originator_as_a_reader_infers_it(text: str, meta: dict, expected: list) -> None:
    assert [record.originator for record in extract(text, meta=meta)] == expected


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
