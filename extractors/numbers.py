"""Finding and reading figures: digits, number words, scales, vague quantities.

`find_numbers(text)` yields every number expression with its exact span and
value. It knows nothing of indicators; deciding what a number counts is the
engine's job. Every pattern here is linear in the input: no nested
quantifiers over overlapping classes, and no digit run longer than
`MAX_DIGITS` is ever converted.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .datafiles import LANGUAGE
from .frozen import positional_builder
from .lowered import ascii_lower
from .number_patterns import NumberPatterns, number_patterns
from .vocabulary import Vocabulary, vocabulary

MAX_DIGITS = 15  # longer digit runs are identifiers, not counts of people

PHONE = re.compile(
    r"""
    (?:\+|0(?<!\w(?s:.))0)\d{1,3}       # international prefix: +249, 00249 (the 0 first, then the
                                        # word boundary before it: a search tries "+" and "0" only)
    (?:[\s.\-]?\(?\d{2,4}\)?){2,5}       # groups of digits, some in brackets
    """,
    re.VERBOSE,
)

@dataclass(frozen=True, slots=True)
class Number:
    """A number expression found in text."""

    start: int  # offset of the first character
    end: int  # offset after the last character
    value: float  # the number; the low end for ranges and vague words
    low: float | None  # lowest value the expression allows
    high: float | None  # highest value the expression allows
    kind: str  # "exact", "vague", "approx" (a round number said approximately), "range" or "percent_of"
    raw: str  # the expression as written
    plain_digits: bool = False  # a bare digit run without separators or scale (a year? a code?)
    scale: float = 1.0  # the scale word written on it ("1.5 million": 1,000,000), else 1


_new_number = positional_builder(Number)  # Number(...) with every field, twice as fast (see frozen.py)


def _parse_words(words: str, vocab: Vocabulary, patterns: NumberPatterns) -> float | None:
    """Value of "two hundred and forty", "a dozen", "Thirteen"; "vingt et un", "treinta y cinco"
    (text2num, for the languages it reads); "ثلاثة آلاف" (the language's number words and scales)."""
    if patterns.text2num is not None:
        return _text2num(words, patterns.text2num)
    if vocab.lang != LANGUAGE:
        return _sum_of_words(words, vocab)
    total = 0.0
    current = 0.0
    seen = False
    for word in re.split(r"[\s\-]+", words.lower()):
        if word in ("and", ""):
            continue
        if word == "a":
            current = max(current, 1.0)
            continue
        if word in vocab.number_words and word != "dozen":
            current += vocab.number_words[word]
            seen = True
        elif word in ("hundred", "dozen"):
            current = max(current, 1.0) * (100 if word == "hundred" else 12)
            seen = True
        elif word in vocab.scales:
            total += max(current, 1.0) * vocab.scales[word]
            current = 0.0
            seen = True
        else:
            return None
    return total + current if seen else None


def _text2num(words: str, lang: str) -> float | None:
    from text_to_num import text2num

    try:
        return float(text2num(" ".join(words.lower().split()), lang))
    except ValueError:  # words that are numbers one by one but no number together ("cent mille deux cent mille")
        return None


def _sum_of_words(words: str, vocab: Vocabulary) -> float | None:
    """Units add up, a scale multiplies what stands before it (or 1): "ثلاثة آلاف" is 3,000."""
    total = current = 0.0
    for word in words.split():
        if word in vocab.number_words:
            current += vocab.number_words[word]
        elif word in vocab.scales:
            total += max(current, 1.0) * vocab.scales[word]
            current = 0.0
        else:
            return None
    return total + current


DIGIT_SEPARATORS = re.compile(r"[,\s\u00a0\u202f\u2009]")  # thousands separators: 57,575 and 57 575


def _parse_digits(digits: str, patterns: NumberPatterns, match: re.Match[str]) -> float | None:
    # Most figures are a bare digit run: nothing to remove, no "." to split at.
    if digits.isdigit():
        cleaned = digits
    elif patterns.decimal_marks == ".":
        cleaned = DIGIT_SEPARATORS.sub("", digits)
    else:  # the thousands separator the pattern found goes, the decimal mark becomes "."
        separator = match.group("separator")
        body = digits.replace(separator, "") if separator else digits
        cleaned = "".join("." if mark in patterns.decimal_marks else mark for mark in body)
    if len(cleaned.split(".")[0]) > MAX_DIGITS:
        return None
    return float(cleaned)


def _atom(match: re.Match[str], text: str, vocab: Vocabulary, patterns: NumberPatterns) -> Number | None:
    """The number a NUMBER match (on lowered text) names; `raw` is cut from the original text."""
    start, end = match.span()
    raw = text[start:end]
    digits, attached_scale, scale = match.group("digits", "attached_scale", "scale")
    if digits is not None:  # the common case first, with the fewest calls
        value = float(digits.replace(",", ".")) if match.group("decimal_comma") else _parse_digits(digits, patterns, match)
        if value is None:
            return None
        scale_word = attached_scale or scale
        factor = vocab.scales[scale_word.lower()] if scale_word else 1.0
        value *= factor
        plain = scale_word is None and digits.isdigit()
        return _new_number(start, end, value, value, value, "exact", raw, plain, factor)
    if match.group("fraction") is not None:
        fraction = " ".join(re.split(r"[\s]+", match.group("fraction").lower()))
        fraction = fraction.removeprefix("a ").removeprefix("one ")
        share = vocab.fractions.get(fraction) or vocab.fractions.get(f"a {fraction}")
        if share is None:
            return None
        value = round(share * vocab.scales[match.group("fraction_scale").lower()])
        return Number(match.start(), match.end(), value, value, value, "exact", raw)
    if match.group("vague") is not None:
        phrase = " ".join(match.group("vague").lower().split())
        if phrase in vocab.approximate:  # "une vingtaine": about twenty, no bound stated
            value = vocab.approximate[phrase]
            return Number(match.start(), match.end(), value, None, None, "approx", raw)
        low, high = vocab.vague[phrase]
        return Number(match.start(), match.end(), low, low, high, "vague", raw)
    words = match.group("words")
    if words.lower() in patterns.not_alone:
        return None  # "une bombe", "un chiffre": an article
    value = _parse_words(words, vocab, patterns)
    if value is None:
        return None
    last_word = words.rsplit(None, 1)[-1].rsplit("-", 1)[-1]
    return Number(match.start(), match.end(), value, value, value, "exact", raw, False, vocab.scales.get(last_word, 1.0))


def _joined(text: str, first: Number, second: Number, kind: str) -> Number:
    low, high = first.value, second.value
    if (
        kind == "range"
        and first.scale == 1
        and second.scale > 1
        and low < high / 1000
        and first.raw.replace(",", "").replace(".", "").isdigit()
    ):
        # "1 to 1.5 million": the scale written once applies to both ends. Where that puts the
        # low end above the high end ("2813-46 million"), the engine refuses the figure.
        low *= second.scale
    if kind == "percent_of":
        value = float(round(first.value / 100 * second.value))  # a count of people: no fractions of a person
        return Number(first.start, second.end, value, value, value, kind, text[first.start : second.end])
    return Number(first.start, second.end, low, low, high, kind, text[first.start : second.end])


def find_numbers(
    text: str, start: int = 0, end: int | None = None, *, lowered: str | None = None, lang: str = LANGUAGE
) -> Iterator[Number]:
    """Every number expression in text[start:end] of a text in language `lang`, ranges and
    percentages joined. `lowered` is ascii_lower(text), when the caller has it already."""
    vocab = vocabulary(lang)
    patterns = number_patterns(lang)
    end = len(text) if end is None else end
    lowered = ascii_lower(text) if lowered is None else lowered
    # A phone number opens with "+" or "00": two searches in C spare the regex's scan of most sentences.
    if text.find("+", start, end) < 0 and text.find("00", start, end) < 0:
        phones = []
    else:
        phones = [(match.start(), match.end()) for match in PHONE.finditer(text, start, end)]
    phone_starts = [phone_start for phone_start, _ in phones]

    def in_phone(offset: int) -> bool:
        index = bisect.bisect_right(phone_starts, offset) - 1
        return index >= 0 and offset < phones[index][1]

    atoms = [atom for match in patterns.number.finditer(lowered, start, end) if (atom := _atom(match, text, vocab, patterns)) is not None]
    if phones:
        atoms = [atom for atom in atoms if not in_phone(atom.start)]
    index = 0
    while index < len(atoms):
        atom = atoms[index]
        following = atoms[index + 1] if index + 1 < len(atoms) else None
        if following is not None and atom.kind == "exact" and following.kind == "exact":
            joined = _join(text, atom, following, patterns)
            if joined is not None:
                yield joined
                index += 2
                continue
        yield _share_of(text, atom, vocab, patterns) or atom
        index += 1


def _share_of(text: str, base: Number, vocab: Vocabulary, patterns: NumberPatterns) -> Number | None:
    """ "Two-thirds of the 2.1 million residents": a share of the number that follows."""
    if base.kind != "exact" or " of " not in text[max(0, base.start - 12) : base.start]:
        return None  # the cheap test spares a regex search for almost every number
    found = patterns.fraction_of.search(text, max(0, base.start - 30), base.start)
    if found is None:
        return None
    share = " ".join(found.group("share").lower().replace("-", " ").split()).removeprefix("one ")
    fraction = vocab.fractions.get(share) or vocab.fractions.get(share.replace(" ", "-")) or vocab.fractions.get(f"a {share}")
    if fraction is None:
        return None
    value = float(round(fraction * base.value))  # a count of people: no fractions of a person
    return Number(found.start(), base.end, value, value, value, "percent_of", text[found.start() : base.end])


def _join(text: str, first: Number, second: Number, patterns: NumberPatterns) -> Number | None:
    """A range ("30-40", "between 30 and 40") or a percentage of a base, if the two make one."""
    gap_start, gap_end = first.end, second.start
    if gap_end - gap_start > 40:
        return None
    percent = patterns.percent_of.match(text, gap_start)
    if percent and percent.end() == gap_end:
        return _joined(text, first, second, "percent_of")
    before = text[max(0, first.start - 12) : first.start]
    if (
        patterns.compound_joiner is not None
        and first.scale > 1
        and second.scale == 1
        and second.value < first.scale
        and not patterns.between_before.search(before)
        and patterns.compound_joiner.fullmatch(text, gap_start, gap_end)
    ):  # "١٢٥ ألفا و٨٠٠" is 125,800: thousands and the units after them
        value = first.value + second.value
        return Number(first.start, second.end, value, value, value, "exact", text[first.start : second.end])
    if patterns.from_before.search(before):
        return None  # "rose from 7,000 to 7,028" is a change, not a range
    joiner = patterns.range_joiner.fullmatch(text, gap_start, gap_end)
    if joiner is None and patterns.between_before.search(before):
        joiner = patterns.between_joiner.fullmatch(text, gap_start, gap_end)
    if joiner is None or second.value <= first.value:
        return None
    if first.plain_digits and second.plain_digits and len(first.raw) == 4:
        return None  # 2023-2024 is a span of years
    return _joined(text, first, second, "range")
