"""Dates in text and metadata: publication dates and "as of 3 May" reference dates."""

from __future__ import annotations

import datetime as dt
import re

from .datafiles import word_lists
from .dates_lang import starts_a_period
from .lowered import lowered_twin
from .word_start import at_word_start

_WORDS = word_lists("dates")
MONTHS = {name: number for number, names in enumerate(_WORDS["months"], start=1) for name in names}
# Full names first, then abbreviations, as written in dates.toml: "January|...|Jan|...|Sept|Sep|...".
MONTH_NAMES = "|".join([names[0] for names in _WORDS["months"]] + [name for names in _WORDS["months"] for name in names[1:]])
_MONTH = rf"(?:{MONTH_NAMES})\.?"
_WEEKDAY = "(?:" + "|".join(_WORDS["weekdays"]) + ")"
_ORDINAL = "(?:" + "|".join(_WORDS["ordinal_suffixes"]) + ")"


def _spaced(phrases: list[str]) -> list[str]:
    """Phrases with their spaces matching any run of whitespace."""
    return [r"\s+".join(phrase.split()) for phrase in phrases]


DATE_IN_TEXT = re.compile(
    rf"""
    (?P<day_first>(?P<d1>\d{{1,2}}){_ORDINAL}?\s+(?P<m1>{_MONTH})(?:,?\s+(?P<y1>(?:19|20)\d\d))?)  # 3 May 2025
  | (?P<month_first>(?P<m2>{_MONTH})\s+(?P<d2>\d{{1,2}}){_ORDINAL}?(?!\d)(?:,?\s+(?P<y2>(?:19|20)\d\d))?)  # May 3, 2025
  | (?P<iso>(?P<y3>(?:19|20)\d\d)-(?P<m3>\d\d)-(?P<d3>\d\d))                            # 2025-05-03
    """,
    re.VERBOSE | re.IGNORECASE,
)

# The openings below test their word boundary after their first letter (see word_start.py).
_ANCHORS = at_word_start(*_spaced(_WORDS["anchors"]))
_IN_DURING = at_word_start(*_spaced(_WORDS["year_periods"]))
_ON_BETWEEN = at_word_start(*_spaced(_WORDS["event_dates"]))
_PROJECTING = at_word_start(*_spaced(_WORDS["projecting"]))

REFERENCE_DATE = re.compile(
    rf"""
    {_ANCHORS}\s+   # the preposition that anchors a date: as of, by, until, through, on...
    (?:{_WEEKDAY},?\s+)?                  # an optional weekday
    (?P<date>
        \d{{1,2}}{_ORDINAL}?\s+{_MONTH}(?:,?\s+(?:19|20)\d\d)?           # 3 May (2025)
      | {_MONTH}\s+\d{{1,2}}{_ORDINAL}?(?!\d)(?:,?\s+(?:19|20)\d\d)?      # May 3(, 2025)
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
    for anchored in reference.finditer(sentence):
        if starts_a_period(sentence, anchored.start(), "en"):
            continue  # "since the war began on 7 October 2023": when counting started, not the figure's date
        found = date_in_text.search(anchored.group("date"))
        if found:
            date = date_from_match(found, published)
            if date is not None and (published is None or date <= published or projection.search(sentence)):
                return date
        break
    year = year_period.search(sentence)
    if year:
        end_of_year = dt.date(int(year["year"]), 12, 31)
        if published is None or end_of_year <= published:
            return end_of_year
    return None


EVENT_DATE = re.compile(
    rf"""
    {_ON_BETWEEN}\s+(?:the\s+\w+\s+of\s+)?    # "on", "between (the afternoons of)"
    (?:\d{{1,2}}{_ORDINAL}?\s+(?:and\s+\d{{1,2}}\s+)?{_MONTH}  # 1 February, 10 and 16 May
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


# The date a text states for itself: read only from its heading, never from the body, where a
# date is far more often an event's ("on 3 March, shelling ...") than the report's own.
HEAD_LINES = 6  # non-empty lines read from the top
HEAD_CHARS = 600  # and never past this many characters
_HEAD_LINE_MAX = 160  # a longer line is a paragraph, even near the top
_UPDATED_LABELS = frozenset(_WORDS["updated_labels"])
_CLOCK = rf"\d{{1,2}}[:.h]\d\d\s*(?:{'|'.join(_WORDS['clock'])})?\s*(?:{'|'.join(_WORDS['time_zones'])}|[a-z]{{2,4}}t)?"  # 14:00 GMT
_LABEL = re.compile(
    rf"^\W*(?P<label>{'|'.join(_spaced(_WORDS['published_labels'] + _WORDS['updated_labels']))})\b\s*[:\-–—]?\s*"
    rf"(?:{_CLOCK}(?:[+-]\d{{1,2}})?\s*[,|–—-]?\s*)?",  # "14:00 GMT, "
    re.IGNORECASE,
)
_DATELINE = re.compile(  # "GENEVA, ", "GAZA CITY (Reuters), ", "ADRE, Chad, ", "KINSHASA/GENEVA, ", or the date alone
    r"^\W*(?:[A-Z][A-Za-z.'’ /-]{1,40}?(?:,\s*[A-Z][A-Za-z.'’ -]{1,30}?)?(?:\s*\([^()\n]{1,30}\))?\s*,\s*)?"
    rf"(?:{_WEEKDAY},?\s+)?",
    re.IGNORECASE,
)
_DATELINE_END = re.compile(r"\s*[–—-]")  # used with match(line, pos): no "^"
_SEPARATED = re.compile(  # what may stand before a heading's own date: "| ", " – ", ", ", "(", a weekday
    rf"(?:^|[|•·/(]|\s[–—-]\s|,)\s*(?:{_WEEKDAY},?\s+)?$", re.IGNORECASE
)
_ANCHORED = re.compile(  # what figures refer to ("as of 6:00 AM, 28 October"), not when the text was issued
    rf"\b(?:{'|'.join(_spaced(_WORDS['anchored_before']))})\s*"
    rf"(?:{_CLOCK}\s*,?\s*)?$",
    re.IGNORECASE,
)
_TIERS = ("published", "dateline", "heading", "updated")


def _full_date(match: re.Match[str]) -> dt.date | None:
    year_given = match.group("iso") or match.group("y1") or match.group("y2")
    return date_from_match(match, None) if year_given else None


def _stated_in_line(line: str, *, heading: bool) -> list[tuple[int, dt.date]]:
    """(tier, date) pairs one line of the top states; tier 0 is the strongest. A label or a dateline
    opens a line, however long (a dateline opens the first paragraph); a date set off in the line
    counts only in a short line (`heading`): in a paragraph it is the body's."""
    found: list[tuple[int, dt.date]] = []
    label = _LABEL.match(line)
    if label:
        date_match = DATE_IN_TEXT.match(line, label.end())
        date = _full_date(date_match) if date_match else None
        if date is not None:
            tier = _TIERS.index("updated" if " ".join(label["label"].lower().split()) in _UPDATED_LABELS else "published")
            return [(tier, date)]
    dateline = _DATELINE.match(line)
    if dateline:
        date_match = DATE_IN_TEXT.match(line, dateline.end())
        date = _full_date(date_match) if date_match else None
        if date is not None and _DATELINE_END.match(line, date_match.end()):
            return [(_TIERS.index("dateline"), date)]
    if not heading:
        return found
    for date_match in DATE_IN_TEXT.finditer(line):
        date = _full_date(date_match)
        before, after = line[: date_match.start()], line[date_match.end() :]
        if date is None or _ANCHORED.search(before) or not _SEPARATED.search(before):
            continue
        if after.strip() and not re.match(r"^\s*(?:[|•·/)]|[–—-]\s|$)", after):
            continue  # the date runs on into a sentence: not the heading's own
        found.append((_TIERS.index("heading"), date))
    return found


def stated_date(text: str) -> dt.date | None:
    """The publication date a text states in its heading, when it states exactly one; else None.

    Read from the first HEAD_LINES non-empty lines within HEAD_CHARS characters, in this order of
    strength: a label ("Published: 12 June 2024", "Date: 2025-05-03"), a dateline opening a line
    ("GENEVA, 3 March 2025 –", "ADRE, Chad, 16 May 2025 -", "1 August 2024 - "), a date standing
    alone, or set off by "|", ",", " - " or brackets in a short heading line ("Situation Report
    No. 12 | 5 May 2025", "Flash Report (30 July 2024)"), and last an "Updated 14:00 GMT,
    2 July 2025". The strongest kind found wins; two different dates of that kind make it
    ambiguous (None). A date needs its year; a date after "as of", "by", "since" ... (a time
    between them or not) is what figures refer to, not when the text was issued, and a date
    that ends a span ("5-11 August 2024") is a period's.

    >>> stated_date("GENEVA, 3 March 2025 – Aid agencies said ...")
    datetime.date(2025, 3, 3)
    >>> stated_date("Aid agencies said on 3 March 2025 that ...") is None
    True
    """
    if not isinstance(text, str):
        return None
    lines = [line.strip() for line in text[:HEAD_CHARS].splitlines() if line.strip()][:HEAD_LINES]
    found = [pair for line in lines for pair in _stated_in_line(line, heading=len(line) <= _HEAD_LINE_MAX)]
    if not found:
        return None
    best = min(tier for tier, _ in found)
    dates = {date for tier, date in found if tier == best}
    return dates.pop() if len(dates) == 1 else None
