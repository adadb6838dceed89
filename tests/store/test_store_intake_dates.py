"""A pasted or uploaded text without a date gets the date its heading states (and only then);
the address a reviewer gives is checked before anything is stored."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.dates import stated_date
from store import intake
from store.review_rules import ReviewRefused, web_address

BODY = "Aid agencies reported that 1,200 people were displaced by the floods.\n"

STATED = [
    pytest.param("GENEVA, 3 March 2025 – " + BODY, dt.date(2025, 3, 3), id="dateline-day-first"),
    pytest.param("PORT-AU-PRINCE (AP), May 3, 2025 - " + BODY, dt.date(2025, 5, 3), id="dateline-agency-month-first"),
    pytest.param("Flood update\nPublished: 12 June 2024\n\n" + BODY, dt.date(2024, 6, 12), id="published-label"),
    pytest.param("Date: 2025-05-03\n" + BODY, dt.date(2025, 5, 3), id="date-label-iso"),
    pytest.param("Situation Report No. 12 | 5 May 2025\n\n" + BODY, dt.date(2025, 5, 5), id="heading-pipe"),
    pytest.param("Flash Update #4\n14 February 2025\n" + BODY, dt.date(2025, 2, 14), id="date-alone-on-a-line"),
    pytest.param("Updated 14:00 GMT, 2 July 2025\n" + BODY, dt.date(2025, 7, 2), id="updated-with-time"),
    pytest.param(
        "Published: 1 July 2025\nUpdated 14:00 GMT, 2 July 2025\n" + BODY, dt.date(2025, 7, 1), id="published-beats-updated"
    ),
    pytest.param("Situation Report No. 12 | 5 May 2025\nGENEVA, 6 May 2025 – " + BODY, dt.date(2025, 5, 6), id="dateline-beats-heading"),
    pytest.param("Border crossings\n\nRENK, South Sudan, 2 June 2025 - " + BODY, dt.date(2025, 6, 2), id="dateline-place-and-country"),
    pytest.param("NAIROBI/GENEVA, 30 October 2023 - " + BODY, dt.date(2023, 10, 30), id="dateline-two-places"),
    pytest.param("4 August 2024 - " + BODY * 3, dt.date(2024, 8, 4), id="dateline-without-place-long-line"),
    pytest.param("Flood Flash Report No. 2 (30 July 2024)\n" + BODY, dt.date(2024, 7, 30), id="heading-date-in-brackets"),
    pytest.param("Displacement update (IOM DTM, 4 April 2025)\n" + BODY, dt.date(2025, 4, 4), id="heading-credit-and-date"),
    pytest.param("Live updates\n\nThursday 9 February 2023\n\n06:10 " + BODY, dt.date(2023, 2, 9), id="weekday-and-date-alone"),
]

NOT_STATED = [
    pytest.param(BODY, id="no-date"),
    pytest.param("On 3 March 2025, shelling hit the market.\n" + BODY, id="event-date-in-first-sentence"),
    pytest.param("Figures as of 5 May 2025\n" + BODY, id="as-of-is-a-reference-date"),
    pytest.param("Situational Report No. 9 (as of 6:00 AM, 28 October 2024)\n" + BODY, id="as-of-with-a-time"),
    pytest.param("Arrivals update - Week 32 (5-11 August 2024)\n" + BODY, id="a-week-is-a-period"),
    pytest.param("Protection snapshot, 1-21 April 2025\n" + BODY, id="a-span-of-days"),
    pytest.param("Displacement since 1 April 2025\n" + BODY, id="since-is-a-period"),
    pytest.param("Report | 5 May 2025 | 6 May 2025\n" + BODY, id="two-dates-ambiguous"),
    pytest.param("Situation Report\n5 May\n" + BODY, id="no-year"),
    pytest.param("Title\n" + "Another line of the heading.\n" * 6 + "Published: 1 May 2025\n", id="past-the-heading-lines"),
    pytest.param("x" * 700 + "\nPublished: 1 May 2025\n", id="past-the-heading-characters"),
    pytest.param("Title\n\n" + BODY * 8 + "GENEVA, 3 March 2025 – more.\n", id="dateline-deep-in-the-body"),
    pytest.param("Published: 31 February 2025\n" + BODY, id="impossible-day"),
]


@pytest.mark.parametrize(("text", "expected"), STATED)
def test_the_heading_states_the_date(text: str, expected: dt.date) -> None:
    assert stated_date(text) == expected


@pytest.mark.parametrize("text", NOT_STATED)
def test_no_date_is_taken_when_the_heading_states_none_or_two(text: str) -> None:
    assert stated_date(text) is None


def test_a_pasted_text_gets_its_stated_date() -> None:
    loaded = intake.pasted_source("GENEVA, 3 March 2025 – " + BODY)
    assert loaded.meta.published == "2025-03-03"


def test_a_typed_date_wins_over_the_stated_one() -> None:
    loaded = intake.pasted_source("GENEVA, 3 March 2025 – " + BODY, {"published": "2025-03-04"})
    assert loaded.meta.published == "2025-03-04"


def test_an_uploaded_text_gets_its_stated_date() -> None:
    loaded = intake.uploaded_source(("Published: 12 June 2024\n" + BODY).encode(), "note.txt")
    assert loaded.meta.published == "2024-06-12"


def test_an_html_page_date_is_kept_over_the_stated_one() -> None:
    page = (
        '<html><head><title>Floods</title><meta property="article:published_time" content="2025-05-09"></head>'
        f"<body><article><p>Published: 12 June 2024</p><p>{BODY * 3}</p></article></body></html>"
    )
    loaded = intake.uploaded_source(page.encode(), "floods.html")
    assert loaded.meta.published == "2025-05-09"


ADDRESSES = [
    pytest.param(" https://reliefweb.int/report/sudan ", "https://reliefweb.int/report/sudan", id="trimmed"),
    pytest.param("http://example.org/a?b=1#c", "http://example.org/a?b=1#c", id="http-query-fragment"),
    pytest.param("", None, id="empty"),
]
BAD_ADDRESSES = [
    pytest.param("javascript:alert(1)", "starting with https", id="javascript"),
    pytest.param("data:text/html,<b>x</b>", "starting with https", id="data"),
    pytest.param("ftp://example.org/report.pdf", "starting with https", id="ftp"),
    pytest.param("reliefweb.int/report", "starting with https", id="no-scheme"),
    pytest.param('https://example.org/"><script>alert(1)</script>', "angle brackets", id="markup"),
    pytest.param("https://exa mple.org", "no spaces", id="space"),
    pytest.param("https://", "host name", id="no-host"),
    pytest.param("https://user:secret@example.org/", "user name or password", id="credentials"),
    pytest.param("https://example.org/" + "a" * 2100, "under 2000", id="too-long"),
]


@pytest.mark.parametrize(("given", "kept"), ADDRESSES)
def test_an_address_is_kept_as_given(given: str, kept: str | None) -> None:
    assert web_address(given) == kept


@pytest.mark.parametrize(("given", "says"), BAD_ADDRESSES)
def test_a_bad_address_is_refused_with_a_reason(given: str, says: str) -> None:
    with pytest.raises(ReviewRefused, match=says):
        web_address(given)
    with pytest.raises(intake.IntakeRefused, match=says):
        intake.document_meta("pasted text", url=given)


def test_the_address_reaches_the_pasted_document() -> None:
    meta = intake.document_meta("pasted text", url="https://example.org/floods")
    loaded = intake.pasted_source(BODY, meta)
    assert (loaded.meta.url, loaded.meta.source) == ("https://example.org/floods", "example.org")
