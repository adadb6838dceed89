"""PhraseTable's look-ups against a plain reading of their contract, on random tables and texts:
the fast paths (a one-token phrase answered without building a key, last_start scanning from
the end) must answer as a loop over every phrase would."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.phrases import PhraseTable, tokenize

WORDS = ("a", "day", "per", "each", "week", "people", "killed", "of", "them")
phrases = st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join), max_size=8)
texts = st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join)


def _table(entries: list[str]) -> PhraseTable[int]:
    return PhraseTable((phrase, rank) for rank, phrase in enumerate(entries))


def _longest(entries: list[str], words: list[str]) -> tuple[int, int] | None:
    """The longest phrase that `words` open with, as (token count, its first rank)."""
    found = [(len(phrase.split()), entries.index(phrase)) for phrase in entries if words[: len(phrase.split())] == phrase.split()]
    return max(found, key=lambda hit: hit[0]) if found else None


@given(phrases, texts)
def test_match_at_is_the_longest_phrase_starting_there(entries: list[str], text: str) -> None:
    table, tokens = _table(entries), tokenize(text)
    words = [token.norm for token in tokens]
    for index in range(-1, len(tokens) + 1):
        expected = _longest(entries, words[index:]) if 0 <= index < len(tokens) else None
        assert table.match_at(tokens, index) == expected


@given(phrases, texts)
def test_match_ending_at_is_the_longest_phrase_ending_there(entries: list[str], text: str) -> None:
    table, tokens = _table(entries), tokenize(text)
    words = [token.norm for token in tokens]
    for stop in range(0, len(tokens) + 2):
        found = [
            (len(phrase.split()), entries.index(phrase))
            for phrase in entries
            if 0 < stop <= len(words) and len(phrase.split()) <= stop and words[stop - len(phrase.split()) : stop] == phrase.split()
        ]
        assert table.match_ending_at(tokens, stop) == (max(found, key=lambda hit: hit[0]) if found else None)


@given(phrases, texts)
def test_last_start_agrees_with_may_start_in(entries: list[str], text: str) -> None:
    table, tokens = _table(entries), tokenize(text)
    last = table.last_start(tokens)
    for start in range(len(tokens) + 2):
        assert table.may_start_in(tokens, start) == (start <= last)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("12 people a day", 2, id="rate-at-the-end"),
        pytest.param("a day ago 12 people", 0, id="only-before-the-figure"),
        pytest.param("12 people", -1, id="none"),
        pytest.param("", -1, id="no-tokens"),
    ],
)
def test_last_start(text: str, expected: int) -> None:
    assert PhraseTable([("a day", 1), ("per day", 1)]).last_start(tokenize(text)) == expected
