"""Dates in text and metadata: publication dates and "as of 3 May" reference dates."""

from __future__ import annotations

import datetime as dt
import re

from .lowered import lowered_twin
from .word_start import at_word_start

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"

DATE_IN_TEXT = re.compile(
    rf"""
    (?P<day_first>(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m1>{_MONTH})(?:,?\s+(?P<y1>(?:19|20)\d\d))?)  # 3 May 2025
  | (?P<month_first>(?P<m2>{_MONTH})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:,?\s+(?P<y2>(?:19|20)\d\d))?)  # May 3, 2025
  | (?P<iso>(?P<y3>(?:19|20)\d\d)-(?P<m3>\d\d)-(?P<d3>\d\d))                            # 2025-05-03
    """,
    re.VERBOSE | re.IGNORECASE,
)

# The openings below test their word boundary after their first letter (see word_start.py).
_ANCHORS = at_word_start(r"as\s+of", r"as\s+at", r"as\s+on", "by", "until", r"up\s+to", "through", "to", "on", "dated")
_IN_DURING = at_word_start("in", "during", "throughout", "for")
_ON_BETWEEN = at_word_start("on", "between")
_PROJECTING = at_word_start("project(?:ed|ion|ions)", "forecast", r"expected\s+to", r"likely\s+to", r"by\s+the\s+end\s+of")

REFERENCE_DATE = re.compile(
    rf"""
    {_ANCHORS}\s+   # the preposition that anchors a date: as of, by, until, through, on...
    (?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?                  # an optional weekday
    (?P<date>
        \d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}(?:,?\s+(?:19|20)\d\d)?           # 3 May (2025)
      | {_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?!\d)(?:,?\s+(?:19|20)\d\d)?      # May 3(, 2025)
      | (?:19|20)\d\d-\d\d-\d\d                                              # 2025-05-03
    )
    """,
    re.VERBOSE | re.IGNORECASE,
)

YEAR_PERIOD = re.compile(
    rf"""
    {_IN_DURING}\s+(?:the\s+year\s+)?   # "in 2024", "during the year 2024"
    (?P<year>(?:19|20)\d\d)\b(?![-–/]\d)                    # a year, not a span of years
    """,
    re.VERBOSE | re.IGNORECASE,
)

_NUMERIC_DATE = re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})")


def parse_date(value: object) -> dt.date | None:
    """A publication date from metadata: ISO 8601 (with or without time) or "3 May 2025".

    Returns None when the value is missing or malformed; callers report that.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    match = _NUMERIC_DATE.match(text)
    if match:
        try:
            return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            return None
    found = DATE_IN_TEXT.search(text)
    return date_from_match(found, None) if found else None


def date_from_match(match: re.Match[str], published: dt.date | None) -> dt.date | None:
    """The date a DATE_IN_TEXT match names; a missing year is the latest one not after `published`."""
    if match.group("iso"):
        year, month, day = int(match["y3"]), int(match["m3"]), int(match["d3"])
    else:
        day_text, month_text, year_text = (
            (match["d1"], match["m1"], match["y1"]) if match.group("day_first") else (match["d2"], match["m2"], match["y2"])
        )
        day, month = int(day_text), MONTHS[month_text.lower().rstrip(".")]
        if year_text:
            year = int(year_text)
        elif published is not None:
            year = published.year
            if (month, day) > (published.month, published.day):
                year -= 1
        else:
            return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


PROJECTION = re.compile(rf"{_PROJECTING}\b", re.IGNORECASE)


def reference_date(sentence: str, published: dt.date | None, lowered: str | None = None) -> dt.date | None:
    """The date a sentence says its figures refer to, if it says one. A date after
    publication counts only for projections ("projected to face famine through 30 September").
    `lowered` is ascii_lower(sentence) when IGNORECASE may be done on it (see lowered.py)."""
    if lowered is not None:
        sentence = lowered  # every pattern below ignores case, and only digits and month names are read
        patterns = _REFERENCE_DATE_LOWERED, _DATE_IN_TEXT_LOWERED, _PROJECTION_LOWERED, YEAR_PERIOD_LOWERED
    else:
        patterns = REFERENCE_DATE, DATE_IN_TEXT, PROJECTION, YEAR_PERIOD
    reference, date_in_text, projection, year_period = patterns
    anchored = reference.search(sentence)
    if anchored:
        found = date_in_text.search(anchored.group("date"))
        if found:
            date = date_from_match(found, published)
            if date is not None and (published is None or date <= published or projection.search(sentence)):
                return date
    year = year_period.search(sentence)
    if year:
        end_of_year = dt.date(int(year["year"]), 12, 31)
        if published is None or end_of_year <= published:
            return end_of_year
    return None


EVENT_DATE = re.compile(
    rf"""
    {_ON_BETWEEN}\s+(?:the\s+\w+\s+of\s+)?    # "on", "between (the afternoons of)"
    (?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:and\s+\d{{1,2}}\s+)?{_MONTH}  # 1 February, 10 and 16 May
      | {_MONTH}\s+\d{{1,2}}(?!\d))                   # February 1
    """,
    re.VERBOSE | re.IGNORECASE,
)

# Twins of the patterns above for ascii_lower(text) (see lowered.py).
_REFERENCE_DATE_LOWERED = lowered_twin(REFERENCE_DATE)
_DATE_IN_TEXT_LOWERED = lowered_twin(DATE_IN_TEXT)
_PROJECTION_LOWERED = lowered_twin(PROJECTION)
YEAR_PERIOD_LOWERED = lowered_twin(YEAR_PERIOD)
EVENT_DATE_LOWERED = lowered_twin(EVENT_DATE)
