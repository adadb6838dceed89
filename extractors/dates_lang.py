"""The date a sentence in another language than English says its figures refer to: "au 4 septembre
2022", "al 5 de noviembre", "حتى 17 نوفمبر". English sentences are read by dates.reference_date;
these follow data/<lang>/dates.toml: an anchor word, a day, the language's word between a day and its
month, a month name and an optional year."""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import NamedTuple

from .datafiles import language_dir, word_lists


class DatePattern(NamedTuple):
    pattern: re.Pattern[str]
    months: dict[str, int]  # month name, lower case -> 1-12


def _either(words: list[str]) -> str:
    return "|".join(r"\s+".join(map(re.escape, word.split())) for word in sorted(words, key=len, reverse=True))


PERIOD_START_REACH = 100  # characters before a date searched for a since-word of its clause


@functools.cache
def period_start_pattern(lang: str) -> re.Pattern[str] | None:
    """A since-word ("since", "depuis", "desde", "منذ") and the rest of its clause, with no digit, up to
    the end of the text searched; None when the language's dates.toml names none."""
    if not (language_dir(lang) / "dates.toml").is_file():
        return None
    words = word_lists("dates", lang).get("period_starts")
    if not words:
        return None
    # No figure between the since-word and the date: "since October, 40 were killed, as of 3 March" is anchored.
    return re.compile(rf"(?<!\w)(?:{_either(words)})(?!\w)[^.;:!?\n\d]*\Z", re.IGNORECASE)


def starts_a_period(sentence: str, date_start: int, lang: str) -> bool:
    """True when the date at `date_start` is the start of the period counted ("since the war began
    on 7 October 2023", "depuis le 15 avril 2023"): the figure is then a toll as of publication."""
    pattern = period_start_pattern(lang)
    return pattern is not None and pattern.search(sentence, max(0, date_start - PERIOD_START_REACH), date_start) is not None


@functools.cache
def date_pattern(lang: str) -> DatePattern | None:
    """The language's anchored dates, or None when its dates.toml names no anchors."""
    if not (language_dir(lang) / "dates.toml").is_file():
        return None
    words = word_lists("dates", lang)
    if not words.get("anchors"):
        return None
    months = {name: number for number, names in enumerate(words["months"], start=1) for name in names}
    links = words.get("day_month_links", [])
    link = rf"(?:(?:{_either(links)})\s+)?" if links else ""
    pattern = re.compile(
        rf"""
        (?<!\w)(?:{_either(words["anchors"])})\s*    # au, al, hasta el, حتى (written on the day or not)
        (?P<day>\d{{1,2}})(?:er|°|º)?\s+{link}       # 4, 1er, 5 de
        (?P<month>{_either(list(months))})\.?(?!\w)  # septembre, noviembre, آذار
        (?:[\s/]+(?:{_either(list(months))})\.?)?    # آذار/مارس: a month in both names
        (?:,?\s+{link}(?P<year>(?:19|20)\d\d)(?!\d))?   # 2022, de 2023
        """,
        re.VERBOSE | re.IGNORECASE,
    )
    return DatePattern(pattern, months)


def anchored_date(sentence: str, published: dt.date | None, lang: str) -> dt.date | None:
    """The first anchored date of a sentence, not after publication; a missing year is the latest
    one not after `published` (None without it)."""
    found_pattern = date_pattern(lang)
    if found_pattern is None:
        return None
    for found in found_pattern.pattern.finditer(sentence):
        month = found_pattern.months.get(found["month"].lower())
        if month is None or starts_a_period(sentence, found.start(), lang):
            continue
        day = int(found["day"])
        if found["year"]:
            year = int(found["year"])
        elif published is not None:
            year = published.year - ((month, day) > (published.month, published.day))
        else:
            continue
        try:
            date = dt.date(year, month, day)
        except ValueError:
            continue
        if published is None or date <= published:
            return date
    return None
