"""The patterns numbers.py finds numbers with, one set per language, built from data/<lang>/numbers.toml
and the number words of data/<lang>/lexicon.toml.

Every pattern is linear in its input: no nested quantifiers over overlapping classes. Digits are
written as English writes them (57,575 and 2.1) unless numbers.toml has a [digits] table, which
names the language's thousands separators and decimal marks (1.250.000 and 3,4; ٣٬٥٠٠ and ٢٫٥);
Python's \\d matches the Arabic-Indic and Persian digits, and float() reads them.
"""

from __future__ import annotations

import functools
import re
from typing import Any, NamedTuple

from .datafiles import LANGUAGE, word_lists

NEVER = "(?!)"  # the alternative of an empty word list: matches nothing, not the empty string
SPACES = r"[ \u00a0\u202f\u2009]"  # a space between groups of thousands: 57 575


class NumberPatterns(NamedTuple):
    """The patterns of one language (see numbers.py for how each is used)."""

    number: re.Pattern[str]  # every number expression, searched in ascii_lower(text)
    range_joiner: re.Pattern[str]  # "30-40", "30 to 40"
    between_joiner: re.Pattern[str]  # the "and" of "between 30 and 40"
    percent_of: re.Pattern[str]  # "80 per cent of the"
    fraction_of: re.Pattern[str]  # "two-thirds of the"
    between_before: re.Pattern[str]  # "between" before a range's first end
    from_before: re.Pattern[str]  # "from" before a change's old value
    decimal_marks: str  # the characters float() reads as "."
    text2num: str | None  # the language text2num reads numbers of, or None
    not_alone: frozenset[str]  # number words that are articles when alone: French "un", "une"
    compound_joiner: re.Pattern[str] | None  # "١٢٥ ألفا و٨٠٠": the "and" that adds units to a scaled number


def either(words: list[str]) -> str:
    """An alternation of words in the order given; a space matches any run of whitespace, a
    hyphen a space or a hyphen; an empty list matches nothing."""
    if not words:
        return NEVER
    return "|".join(re.escape(word).replace(r"\ ", r"\s+").replace(r"\-", r"[\s-]") for word in words)


ENGLISH_DIGITS = r"""
            [1-9]\d{{0,2}}(?:,\d{{3}})+(?:\.\d+)?       # 57,575 and 1,234.5 (a group never leads with 0)
          | [1-9]\d{{0,2}}(?:[ \u00a0\u202f\u2009]\d{{3}})+(?![\d,.]*\d)  # 57 575: a space between thousands
          | (?P<decimal_comma>[1-9]\d{{0,2}},\d{{1,2}})  # 2,6 million: a decimal comma, only before a scale word
            (?=[ \t\u00a0]+(?:{decimal_comma_scales})(?!\w))
          | \d+(?:\.\d+)?                         # 7028 and 2.1
"""

# Groups of three after a leading group that does not start with a zero ("[^\D0٠۰]": a digit of
# any script but zero), then an optional decimal part; a separator is the same throughout (the
# back-reference), so "1.250,5" is 1250.5 and "3,4" or "3.4" (no group of three) is 3.4.
GROUPED_DIGITS = r"""
            [^\D0\u0660\u06f0]\d{{0,2}}(?P<separator>{thousands})\d{{3}}(?:(?P=separator)\d{{3}})*
            (?:(?:{decimals})\d+)?(?![\d])         # 1.250.000, 1 250, ٣٬٥٠٠, 1.234,5
          | (?P<decimal_comma>)\d+(?:(?:{decimals})\d+)?   # 7028, 3,4 and ٢٫٥ (decimal_comma: always empty here)
"""

NUMBER_TEMPLATE = r"""
    (?:(?<![\w.,/#$€£+:\u066b\u066c]){letters_before})  # not inside a word, a code, a price, a time or a phone number
    (?<![^\W\d_]-)                            # nor a name such as Covid-19 or F-16
    (?:
        (?P<digits>{digits})
        (?:
            (?P<attached_scale>{scales_attached})      # 1.5m, 10k: short scales written on the digits
            (?![\w])
          | \s+(?P<scale>{scales_after_space})  # 2.1 million, 3 lakh, 3,4 millions
            (?![\w])
        )?
      | (?P<fraction>
            {fraction_article}(?:{fractions})  # half, a quarter, a third
          | {larger_fractions}       # larger fractions
        )
        (?:\s+|-){fraction_link}         # "of a", "a"; "a quarter-million"
        (?P<fraction_scale>{fraction_scales})  # the whole it is a part of
        (?![\w])
      | (?P<vague>{vague})  # plural round numbers, small vague amounts
        (?![\w])
      | (?P<words>
            {after_a}  # "a dozen", "a million"
            {word_number}\b                       # first number word
            (?:
                {word_joiner}  # joined by space, hyphen or "and"
                {word_number}\b                   # next number word
            )*
        )
        (?![\w-])
    )
"""

ENGLISH_WORD_JOINER = r"(?:[\s\-]+|(?<=hundred)\s+and\s+|(?<=thousand)\s+and\s+)"


def _number(words: dict[str, Any], lexicon: dict[str, Any]) -> re.Pattern[str]:
    grouped = words.get("digits")
    word_number = rf"(?:{either([*lexicon['numbers']['units'], *words['spelled_scales']])})"
    if grouped is None:
        digits = ENGLISH_DIGITS.format(decimal_comma_scales=either(words["decimal_comma_scales"]))
        word_joiner = ENGLISH_WORD_JOINER
    else:
        digits = GROUPED_DIGITS.format(
            thousands="|".join(map(re.escape, grouped["thousands"])), decimals="|".join(map(re.escape, grouped["decimal_marks"]))
        )
        word_joiner = rf"(?:[\s\-]+(?:(?:{either(words.get('word_joiners', []))})[\s\-]+)?)"
    fraction_article = either(words.get("fraction_articles", []))
    after_a = words.get("after_a", [])
    source = NUMBER_TEMPLATE.format(
        digits=digits,
        scales_attached=either(words["scales_attached"]),
        scales_after_space=either(words["scales_after_space"]),
        fraction_article=f"(?:(?:{fraction_article})\\s+)?" if fraction_article != NEVER else "",
        fractions=either(words["fractions"]),
        larger_fractions=either(words["larger_fractions"]),
        fraction_link=rf"(?:(?:{either(words['of'])})\s+)?" + (f"(?:(?:{fraction_article})\\s+)?" if fraction_article != NEVER else ""),
        fraction_scales=either(words["fraction_scales"]),
        vague=either([*words["vague"], *sorted(lexicon.get("approximate", {}), key=len, reverse=True)]),
        after_a=rf"(?:a\s+(?=(?:{either(after_a)})\b))?" if after_a else "",
        word_number=word_number,
        word_joiner=word_joiner,
        letters_before="".join(f"|(?<=(?<!\\w){re.escape(letter)})" for letter in words.get("letters_before_digits", [])),
    )
    return re.compile(source, re.VERBOSE)  # matched against ascii_lower(text): IGNORECASE would make it three times slower


@functools.cache
def number_patterns(lang: str = LANGUAGE) -> NumberPatterns:
    """The patterns of one language, built on first use."""
    words = word_lists("numbers", lang)
    lexicon = word_lists("lexicon", lang)
    percent = either(words["percent"]).replace(r"\s+", r"\s*")  # "per cent", "percent", "per  cent"
    grouped = words.get("digits", {})
    attached = [word for word in words["between_words"] if word in words.get("letters_before_digits", [])]
    attached_joiner = f"|(?:{either(attached)})" if attached else ""
    return NumberPatterns(
        number=_number(words, lexicon),
        range_joiner=re.compile(
            rf"""
            [ \t\u00a0]*(?:-|–|—|{either(words["range_words"])})[ \t\u00a0]*   # 30-40, 30 – 40, 30 to 40, never across lines
            """,
            re.VERBOSE | re.IGNORECASE,
        ),
        between_joiner=re.compile(
            rf"""
            [ \t\u00a0]+(?:(?:{either(words["between_words"])})[ \t\u00a0]+   # the "and" of "between 30 and 40"
              {attached_joiner})                       # or one written on the digits: "و11"
            """,
            re.VERBOSE | re.IGNORECASE,
        ),
        percent_of=re.compile(
            rf"""
            \s*(?:%|٪|{percent})          # 80%, 80 per cent, 80 percent
            (?:\s+(?:{either(words["of"])}))\s+                         # of
            (?:(?:{either(words["base_determiners"])})\s+)*  # the base's determiners
            """,
            re.VERBOSE | re.IGNORECASE,
        ),
        fraction_of=re.compile(
            rf"""
            (?P<share>{either(words["shares"])})  # the share
            \s+(?:{either(words["of"])})\s+(?:{either(words["share_determiners"])})\s+      # of the base
            $                                  # right before the base's number
            """,
            re.VERBOSE | re.IGNORECASE,
        ),
        between_before=re.compile(rf"(?:{either(words['between_before'])})\s*$", re.IGNORECASE),
        from_before=re.compile(rf"\b(?:{either(words['from_before'])})\s*$", re.IGNORECASE),
        decimal_marks="".join(grouped.get("decimal_marks", ["."])),
        text2num=words.get("text2num"),
        not_alone=frozenset(words.get("not_alone", [])),
        compound_joiner=re.compile(rf"[ \t\u00a0]*(?:{either(words['compound_joiners'])})[ \t\u00a0]*")
        if words.get("compound_joiners")
        else None,
    )
