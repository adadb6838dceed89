"""Fuzzing the extractor with text built to break it: digits, separators, scales, punctuation,
line ends and invisible characters mixed with the words figures are read from.

In the suite the examples are a fixed, derandomized set (profile `ci`). `make fuzz` runs these
properties with fresh random examples until its time is up (scripts/fuzz.py, profile `fuzz`).
"""

from __future__ import annotations

import testkit
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors import INDICATORS, QUALIFIERS, extract
from extractors.engine import MAX_PERSONS

PIECES = [
    *"0123456789",
    "0",
    "00",
    "1,000",
    "57,575",
    "1 000",
    "2.5",
    ",",
    ".",
    "-",
    "–",
    "+",
    "%",
    "/",
    ":",
    ";",
    "!",
    "?",
    "(",
    ")",
    '"',
    " ",
    "  ",
    "\t",
    "\n",
    "\n\n",
    "\r",
    "\r\n",
    "\x85",
    "\u2028",
    "\u2029",
    "\x0c",
    "\u00a0",
    "\u202f",
    "\u200b",
    "\u200d",
    "\u00ad",
    "\u200e",
    "\u202e",
    "\ufeff",
    "\u0301",
    "\ufe0f",
    "\ud800",
    "k",
    "m",
    "bn",
    " million",
    " thousand",
    " billion",
    " lakh",
    "half",
    "a dozen",
    "dozens",
    "tens of thousands",
    "two hundred and",
    " to ",
    " and ",
    "between ",
    "from ",
    "at least ",
    "more than ",
    "up to ",
    "nearly ",
    "about ",
    "per cent of the ",
    " killed ",
    " were killed",
    " wounded ",
    " displaced ",
    " fled",
    " face famine",
    " people",
    " families",
    " children",
    " aid workers",
    " a day",
    " since October",
    " as of 3 May",
    " in 2024",
    "U.N.",
    "Gaza",
    "Sudan",
    ", the ministry said",
]

hostile_texts = st.lists(st.sampled_from(PIECES), min_size=1, max_size=60).map("".join)


def _check(text: str) -> None:
    records = extract(text)
    for r in records:
        assert 0 <= r.char_start < r.char_end <= len(text), r
        assert text[r.char_start : r.char_end] == r.raw_value, r
        assert 0 <= r.quote_start <= r.char_start and r.char_end <= r.quote_start + len(r.quote) <= len(text), r
        assert text[r.quote_start : r.quote_start + len(r.quote)] == r.quote, r
        assert r.indicator in INDICATORS and r.qualifier in QUALIFIERS, r
        assert 0 < r.value <= MAX_PERSONS, r
        if r.low is not None:
            assert r.low <= r.value, r
        if r.high is not None:
            assert r.value <= r.high, r


@given(hostile_texts)
def test_hostile_text_never_raises_and_gives_well_formed_records(text: str) -> None:
    _check(text)


@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), min_size=1, max_size=40).map("".join))
def test_hostile_text_with_any_characters_between(text: str) -> None:
    _check(text)


# -- time linear in the input ----------------------------------------------------------------------------

RUN_UNITS = [*"!?.:;,-", " ", "\n", "\r", "\u2028", "7", "1,", "1 ", "1.", "\u200b", "5\u0301", "at least ", "killed "]


@settings(max_examples=25)
@given(st.lists(st.sampled_from(RUN_UNITS), min_size=1, max_size=3).map("".join), st.sampled_from(["", "Strikes killed "]))
def test_time_is_linear_in_a_run_of_any_unit(unit: str, lead: str) -> None:
    """A run four times as long takes about four times as long, never sixteen."""
    copies = max(1, 4_000 // len(unit))
    small = f"{lead}{unit * copies} 30 people."
    large = f"{lead}{unit * (4 * copies)} 30 people."
    small_time = max(
        min(testkit.cpu_seconds(lambda: extract(small)) for _ in range(3)), 0.005
    )  # below 5 ms, timer resolution dominates
    large_time = min(testkit.cpu_seconds(lambda: extract(large)) for _ in range(3))
    assert large_time / small_time < 10, f"{len(small)} chars {small_time:.3f} s, {len(large)} chars {large_time:.3f} s"
