"""Confounders: numbers that look like figures of people but are not.

Dates, years, ages, durations, money, codes, percentages without a base,
population totals ("its 2.2 million residents") and the old value of "rose
from X to Y". The words behind these checks are in data/<lang>/lexicon.toml [grammar],
data/<lang>/words.toml [confounders] and dates.toml (English's when a language has none).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, NamedTuple

from .datafiles import LANGUAGE, language_lists
from .dates import MONTHS
from .phrases import Token, norm_at
from .vocabulary import Vocabulary

if TYPE_CHECKING:
    from .figures import Figure

PEOPLE_KINDS = ("people", "aid", "household")


class ConfounderWords(NamedTuple):
    """The words of data/<lang>/words.toml [confounders] and the month names of dates.toml."""

    fraction_words: frozenset[str]  # "two thirds of the dead": a share, not a count
    change_words: frozenset[str]  # "up from 226 deaths": the old value of a change
    age_comparisons: frozenset[str]
    counted_people: frozenset[str]
    population_before: frozenset[tuple[str, ...]]
    months: frozenset[str]
    day_month_links: frozenset[str]  # "7 de octubre": the word between a day and its month


@functools.cache
def confounder_words(lang: str) -> ConfounderWords:
    words = language_lists("words", lang)["confounders"]
    months = MONTHS if lang == LANGUAGE else {name for names in language_lists("dates", lang)["months"] for name in names}
    return ConfounderWords(
        frozenset(words["fraction_words"]),
        frozenset(words["change_words"]),
        frozenset(words["age_comparisons"]),
        frozenset(words["counted_people"]),
        frozenset(tuple(pair) for pair in words["population_before"]),
        frozenset(months),
        frozenset(() if lang == LANGUAGE else language_lists("dates", lang).get("day_month_links", ())),
    )


def reject_reason(text: str, tokens: list[Token], figure: Figure, vocab: Vocabulary) -> str:
    """Why a number is not a count of people for an indicator, or "" when it may be one."""
    grammar = vocab.grammar
    words = confounder_words(vocab.lang)
    number, first, last = figure.number, figure.first, figure.last
    # norm_at inlined: four calls for every number read were ~1% of extract()
    size = len(tokens)
    before = tokens[first - 1].norm if 0 < first <= size else ""
    before2 = tokens[first - 2].norm if 1 < first <= size + 1 else ""
    after = tokens[last].norm if 0 <= last < size else ""
    after2 = tokens[last + 1].norm if -1 <= last < size - 1 else ""
    if number.value <= 0 or number.value > 9e9:
        return "implausible"
    if number.end < len(text) and text[number.end].isalnum():
        return "attached letters"  # 7th, 5G, 10am
    if before in grammar.money_before or before.endswith("$"):
        return "money"
    if (before in grammar.not_a_count_before or (before == "-" and before2 in grammar.not_a_count_before)) and not (
        number.kind == "exact" and "," in number.raw and before.isalpha() and tokens[first - 1].text.islower()
    ):
        return "code or age"  # "Report 12", "phase 3"; but "authorities report 1,482 deaths": codes take no thousands comma
    if after in words.fraction_words and vocab.is_number(number.raw.lower()):
        return "fraction"
    if before == "from" and before2 in words.change_words:
        return "earlier value"  # up from 226 deaths
    if (
        before in words.age_comparisons
        and before2 in grammar.age_heads
        and after not in words.counted_people
    ):
        return "age"
    if after == "-" and last + 1 < len(tokens) and tokens[last + 1].is_word and after2 != "plus":
        return "compound modifier"  # a 60-day ceasefire, a 7-year-old
    if after == ":" and after2[:1].isdigit():
        return "time"
    if after in grammar.time_after or f"{after} {after2}" in grammar.time_after:
        return "time"
    if after == "%":
        return "percent"
    if after in ("in", "out") and (after2[:1].isdigit() or after2 in vocab.number_words or after2 == "of"):
        return "ratio"  # one in three children, nine out of ten
    if before in ("in", "of") and (
        vocab.is_number(before2) or (before2 == "out" and vocab.is_number(norm_at(tokens, first - 3)))
    ):
        return "ratio"  # the "ten" of "nine in ten", "nine out of ten"
    if number.kind == "exact" and (before in words.months or after in words.months or (after in words.day_month_links and after2 in words.months)) and number.value <= 31:
        return "date"
    counts_people = figure.noun is not None and figure.noun.kind in PEOPLE_KINDS
    if number.plain_digits and len(number.raw) == 4 and 1900 <= number.value <= 2100 and (not counts_people or before in words.months):
        return "year"
    if number.kind == "exact" and number.value != int(number.value) and number.raw.replace(".", "").isdigit():
        return "fraction"  # 5.6 persons per household, IPC 3.5
    if before in grammar.population_total_before or before.endswith("'s"):
        return "population total"  # its 2.2 million residents, Gaza's 2.1 million people
    if (before2, before) in words.population_before:
        return "population total"
    if before == "the" and figure.noun_text.lower() in grammar.population_total_nouns:
        return "population total"
    if before == "from" and after == "to" and last + 1 < len(tokens) and vocab.is_number(tokens[last + 1].norm):
        return "earlier value"  # rose from 22,000 to 147,000
    if figure.noun is not None and figure.noun.kind == "not_people":
        return "not people"
    return ""
