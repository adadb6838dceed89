"""The extractor's fast paths give what the plain code they replace gives."""

from __future__ import annotations

import dataclasses
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors import IndicatorRecord, extract
from extractors.frozen import keyword_builder, positional_builder
from extractors.lowered import ascii_lower, folds_like_ascii, lowered_twin
from extractors.numbers import Number
from extractors.sentences import BOUNDARY, _boundaries
from extractors.vocabulary import longest_first

CASELESS = re.compile(r"\b(?:according\s+to|said|say\b|kelvin|istanbul)\s+(?P<who>[^\s,.]+)", re.IGNORECASE)
TEXT = st.text(alphabet="abcKkSsIi ſıİK\u212a.,-\n'’ABZ0123456789é", max_size=60)


@given(TEXT)
def test_lowered_twin_finds_what_ignorecase_finds(text: str) -> None:
    twin = lowered_twin(CASELESS)
    if folds_like_ascii(text):
        expected = [match.span("who") for match in CASELESS.finditer(text)]
        assert [match.span("who") for match in twin.finditer(ascii_lower(text))] == expected


def test_folds_like_ascii_spots_the_letters_ignorecase_folds() -> None:
    assert not folds_like_ascii("5 \u212a")  # the Kelvin sign matches "k"
    assert not folds_like_ascii("İstanbul") and not folds_like_ascii("ſaid")
    assert folds_like_ascii("Gaza’s “health” ministry, é")
    with pytest.raises(ValueError):
        lowered_twin(re.compile("said"))


@given(st.lists(st.text(alphabet="abAB -.", min_size=1, max_size=5), max_size=8), st.text(alphabet="abAB -.x", max_size=40))
def test_longest_first_is_the_sorted_alternation(phrases: list[str], text: str) -> None:
    alternation = "|".join(map(re.escape, sorted(set(phrases), key=len, reverse=True)))
    plain = re.compile(r"(?<![\w-])(?:" + alternation + r")(?![\w-])")
    tree = re.compile(r"(?<![\w-])" + longest_first(phrases) + r"(?![\w-])")
    assert [m.span() for m in tree.finditer(text)] == [m.span() for m in plain.finditer(text)]


@given(st.text(alphabet="ab .!?:;\n\t\"')A1-•", max_size=80))
def test_boundaries_are_boundary_finditer(text: str) -> None:
    assert [m.span() for m in _boundaries(text)] == [m.span() for m in BOUNDARY.finditer(text)]


def test_builders_make_the_same_frozen_instances() -> None:
    record = extract("Strikes killed at least 30 people.")[0]
    built = keyword_builder(IndicatorRecord)(**record.to_dict())
    assert built == IndicatorRecord(**record.to_dict()) and hash(built) == hash(record) and repr(built) == repr(record)
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.value = 1.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        keyword_builder(IndicatorRecord)(value=1.0)
    number = positional_builder(Number)(0, 2, 30.0, 30.0, 30.0, "exact", "30", True, 1.0)
    assert number == Number(0, 2, 30.0, 30.0, 30.0, "exact", "30", True)
    with pytest.raises(TypeError):
        positional_builder(Number)(0, 2)


SAYING = st.lists(
    st.sampled_from(
        [
            "the",
            "Gaza",
            "health",
            "ministry",
            "said",
            "of",
            "Health",
            "in",
            "(IPC)",
            "UN",
            "u.n.",
            "United",
            "Nations",
            "it",
            "officials",
            "reported",
            "x",
            "A",
            "report",
            "told",
            ",",
            "“quoted”",
            "\n",
            "MINISTRY",
            "Ministry's",
        ]
    ),
    max_size=30,
).map(" ".join)


@given(SAYING)
def test_subject_of_saying_is_the_same_with_the_lowered_prefilter(sentence: str) -> None:
    from extractors.context import _subject_of_saying

    assert _subject_of_saying(sentence, ascii_lower(sentence)) == _subject_of_saying(sentence)
