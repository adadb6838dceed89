"""Properties every extraction must have, on any text and on generated report-like text."""

from __future__ import annotations

import re

from hypothesis import assume, given
from hypothesis import strategies as st

from extractors import INDICATORS, MEASURES, QUALIFIERS, IndicatorRecord, extract

# -- strategies -------------------------------------------------------------------------------

QUALIFIER_WORDS = [
    "",
    "",
    "at least ",
    "more than ",
    "over ",
    "upwards of ",
    "up to ",
    "as many as ",
    "fewer than ",
    "less than ",
    "under ",
    "about ",
    "around ",
    "some ",
    "roughly ",
    "an estimated ",
    "nearly ",
    "almost ",
    "close to ",
    "between ",
]
NOUNS = [
    "people",
    "Palestinians",
    "civilians",
    "children",
    "women",
    "aid workers",
    "U.N. personnel",
    "UNRWA staff",
    "of their dependents",
    "families",
    "households",
    "journalists",
    "troops",
    "residents",
    "dollars",
    "",
]
AFTER_TRIGGERS = [
    "were killed",
    "have been killed",
    "were wounded",
    "were injured",
    "have fled",
    "have been displaced",
    "face famine",
    "face acute food insecurity",
    "were kidnapped",
    "were detained",
    "died",
    "remain displaced",
]
BEFORE_TRIGGERS = ["killed", "wounded", "injured", "displaced", "forcing", "killing", "claimed the lives of"]
SUBJECTS = ["Israeli strikes", "The attack", "Fighting in El Fasher", "The death toll", "Shelling in Khan Younis", "The war"]
TAILS = [
    "",
    " a day",
    " each week",
    " daily",
    ", the Gaza health ministry said",
    ", according to the UN",
    " in Rafah",
    " in Darfur",
    " since October",
    " as of 3 May",
    ", including 12 children",
    " and wounded 70",
    " and 172 of their dependents",
    " in April 2015",
]
NUMBER_WORDS = [
    "two hundred and forty",
    "a dozen",
    "nine",
    "Thirteen",
    "twenty-five",
    "dozens",
    "hundreds",
    "thousands",
    "tens of thousands",
    "several",
    "scores",
    "half a million",
    "a quarter of a million",
    "one million",
]


@st.composite
def figures(draw: st.DrawFn) -> str:
    """A figure as reports write it: digits, separators, scales, ranges, words, percentages."""
    kind = draw(st.sampled_from(["int", "grouped", "spaced", "scaled", "range", "words", "percent", "plus", "year"]))
    n = draw(st.integers(min_value=0, max_value=9_999_999))
    if kind == "int":
        return str(n)
    if kind == "grouped":
        return f"{n:,}"
    if kind == "spaced":
        return f"{n:,}".replace(",", " ")
    if kind == "scaled":
        whole = draw(st.integers(min_value=1, max_value=99))
        tenth = draw(st.integers(min_value=0, max_value=9))
        scale = draw(st.sampled_from([" million", "m", " mln", " lakh", "k", " thousand", " billion"]))
        return f"{whole}.{tenth}{scale}"
    if kind == "range":
        low = draw(st.integers(min_value=1, max_value=5000))
        high = draw(st.integers(min_value=0, max_value=5000))
        joiner = draw(st.sampled_from(["-", " to ", " and ", "–"]))
        return f"{low}{joiner}{high}"
    if kind == "words":
        return draw(st.sampled_from(NUMBER_WORDS))
    if kind == "percent":
        share = draw(st.integers(min_value=1, max_value=100))
        return f"{share} per cent of the {draw(st.integers(min_value=1, max_value=9))}.1 million"
    if kind == "plus":
        return f"{n:,}+"
    return str(draw(st.integers(min_value=1900, max_value=2100)))


@st.composite
def report_sentences(draw: st.DrawFn) -> str:
    """A sentence built like a report's: subject first, verb first, or a headline."""
    qualifier = draw(st.sampled_from(QUALIFIER_WORDS))
    figure = draw(figures())
    noun = draw(st.sampled_from(NOUNS))
    tail = draw(st.sampled_from(TAILS))
    shape = draw(st.integers(min_value=0, max_value=2))
    if shape == 0:
        sentence = f"{qualifier}{figure} {noun} {draw(st.sampled_from(AFTER_TRIGGERS))}{tail}"
        sentence = sentence[:1].upper() + sentence[1:]
    elif shape == 1:
        sentence = f"{draw(st.sampled_from(SUBJECTS))} {draw(st.sampled_from(BEFORE_TRIGGERS))} {qualifier}{figure} {noun}{tail}"
    else:
        sentence = f"{figure} killed, {draw(figures())} injured in strike on school in Gaza"
    return sentence + draw(st.sampled_from([".", ".", "!", "", ";", ":"]))


NOISE = st.sampled_from(
    [
        " ",
        "\n",
        "\n\n",
        " - ",
        "(",
        ")",
        ",",
        "%",
        "$",
        "U.N.",
        "Oct.",
        "its 2.2 million residents",
        "a 60-day ceasefire",
        "a 7-year-old",
        "+249 912 345 678",
        "page 12",
        "Phase 5",
        "20,000 troops",
        "$4.1 billion",
        "80% of the territory",
        "1,1,1,1,1",
        "at least at least",
    ]
)

report_texts = st.lists(st.one_of(report_sentences(), report_sentences(), NOISE), min_size=1, max_size=12).map(" ".join)

FIGURE_WORD = re.compile(
    r"\d|\b(?:an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|"
    r"thousands?|millions?|billions?|dozens?|scores|several|few|handful|half|quarters?|thirds?|tens)\b",
    re.IGNORECASE,
)


def _records_of(text: str) -> list[IndicatorRecord]:
    records = extract(text)
    assert isinstance(records, list)
    assert all(isinstance(record, IndicatorRecord) for record in records)
    return records


# -- properties --------------------------------------------------------------------------------
# Hypothesis costs ~10 ms an example here, so each test checks several properties of one draw.


@given(st.text())
def test_extract_never_raises_and_is_deterministic_on_any_text(text: str) -> None:
    records = _records_of(text)
    assert _records_of(text) == records
    _check_spans_and_quotes(text, records)


@given(report_texts)
def test_extract_never_raises_and_is_deterministic_on_report_like_text(text: str) -> None:
    records = _records_of(text)
    assert _records_of(text) == records, "extracting the same text twice gave different records"


def _check_spans_and_quotes(text: str, records: list[IndicatorRecord]) -> None:
    for r in records:
        assert 0 <= r.char_start < r.char_end <= len(text)
        span = text[r.char_start : r.char_end]
        assert span == r.raw_value
        assert FIGURE_WORD.search(span), f"span {span!r} holds no digit or number word"
        assert span == span.strip(), f"span {span!r} has surrounding whitespace"
        assert text[r.quote_start : r.quote_start + len(r.quote)] == r.quote
        assert r.quote_start <= r.char_start and r.char_end <= r.quote_start + len(r.quote), "quote misses the figure"
        assert r.raw_value in r.quote


@given(report_texts)
def test_span_is_the_figure_and_quote_holds_it(text: str) -> None:
    records = _records_of(text)
    assume(records)
    _check_spans_and_quotes(text, records)


@given(report_texts)
def test_bounds_bracket_the_value_as_the_qualifier_says(text: str) -> None:
    records = _records_of(text)
    assume(records)
    for r in records:
        assert r.indicator in INDICATORS and r.qualifier in QUALIFIERS and r.measure in MEASURES, r
        assert r.unit in ("person", "person / day") and (r.unit == "person / day") == (r.measure == "rate"), r
        assert r.value > 0 and r.unit_factor > 0, r
        if r.low is not None:
            assert r.low <= r.value, r
        if r.high is not None:
            assert r.value <= r.high, r
        bounds = (r.low, r.high)
        if r.qualifier == "exact":
            assert bounds == (r.value, r.value), r
        elif r.qualifier in ("at_least", "more_than"):
            assert bounds == (r.value, None), r
        elif r.qualifier in ("at_most", "fewer_than"):
            assert bounds == (None, r.value), r
        elif r.qualifier == "approx":
            assert r.low is None and r.high in (None, r.value), r
        else:
            assert r.low == r.value and r.high is not None and r.high > r.value, r


@given(report_texts)
def test_record_ids_are_unique_even_for_a_repeated_figure(text: str) -> None:
    records = _records_of(text)
    assume(records)
    ids = [r.record_id for r in records]
    assert len(ids) == len(set(ids)), "two records of one document share an id"
    doubled = _records_of(text + "\n\n" + text)
    assert len(doubled) >= len(records)
    doubled_ids = [r.record_id for r in doubled]
    assert len(doubled_ids) == len(set(doubled_ids)), "the same figure written twice gave the same id twice"
