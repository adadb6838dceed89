"""Properties of the stated date and of the same-document rule, over generated texts."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st
from same_article import pasted

from extractors.dates import HEAD_CHARS, stated_date
from store import near_duplicates as nd

SENTENCE = (
    "aid agencies said families returned home after floods displaced people across the north while clinics "
    "stayed closed and convoys waited at the border for permission to pass"
)
WORDS = st.sampled_from(SENTENCE.split(" "))
text_of_words = st.lists(WORDS, min_size=0, max_size=120).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2000))
def test_a_stated_date_is_none_or_written_in_the_heading(text: str) -> None:
    date = stated_date(text)
    if date is not None:
        head = text[:HEAD_CHARS]
        assert str(date.year) in head


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31)), text_of_words)
def test_a_dateline_gives_its_date_whatever_follows(day: dt.date, body: str) -> None:
    written = f"{day.day} {day.strftime('%B')} {day.year}"
    assert stated_date(f"NAIROBI, {written} – {body}") == day


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from([" ", "  ", "\n", " \n ", "\t"]), min_size=1, max_size=5))
def test_reflowing_the_text_keeps_it_the_same_document(spaces: list[str]) -> None:
    words = pasted().split()
    reflowed = "".join(word + spaces[i % len(spaces)] for i, word in enumerate(words))
    assert nd.similarity(nd.fingerprint(pasted()), nd.fingerprint(reflowed)) == 1.0


@settings(max_examples=50, deadline=None)
@given(text_of_words, text_of_words)
def test_the_similarity_is_symmetric(first: str, second: str) -> None:
    a, b = nd.fingerprint(pasted() + first), nd.fingerprint(pasted() + second)
    assert nd.similarity(a, b) == nd.similarity(b, a)


@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=1, max_value=10**9).filter(lambda n: str(n) not in nd.numbers(pasted())))
def test_another_figure_makes_another_document(figure: int) -> None:
    """(A figure replaced by a number the text already holds elsewhere is not told apart: a known limit.)"""
    assert nd.similarity(nd.fingerprint(pasted()), nd.fingerprint(pasted(f"{figure:,}"))) is None
