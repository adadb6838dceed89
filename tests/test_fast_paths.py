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


# Patterns rewritten so that a search finds their first character before it tests what stands
# before it (a lookbehind or \b that opens a pattern makes the regex engine try every character).
PHRASE_TEXT = st.text(alphabet="abAB -.x'’é_1\n", max_size=40)


@given(st.lists(st.text(alphabet="abAB -.", min_size=1, max_size=5), max_size=8), PHRASE_TEXT, st.integers(0, 5))
def test_longest_first_not_after_is_the_lookbehind(phrases: list[str], text: str, pos: int) -> None:
    plain = re.compile(r"(?<![\w'’-])" + longest_first(phrases) + r"(?![\w-])")
    tested_after = re.compile(longest_first(phrases, not_after=r"[\w'’-]") + r"(?![\w-])")
    assert [m.span() for m in tested_after.finditer(text, pos)] == [m.span() for m in plain.finditer(text, pos)]


def _plain_invisible() -> re.Pattern[str]:
    from extractors.reading import _class_of

    formats, marks = _class_of(("Cf",)) + r"\U000e0001\U000e0020-\U000e007f", _class_of(("Mn", "Me"))
    return re.compile(rf"(?<=[0-9.,])[{formats}{marks}]++|[{formats}]++")


@pytest.mark.parametrize(
    ("name", "plain", "rewritten", "alphabet"),
    [
        pytest.param(
            "invisible",
            _plain_invisible,
            lambda: __import__("extractors.reading", fromlist=["_invisible"])._invisible(),
            "15,.a \n\u200b\u00ad\u0301\u20dd\U000e0021٣",
            id="reading-invisible-characters",
        ),
        pytest.param(
            "phone",
            lambda: re.compile(r"(?:\+|\b00)\d{1,3}(?:[\s.\-]?\(?\d{2,4}\)?){2,5}"),
            lambda: __import__("extractors.numbers", fromlist=["PHONE"]).PHONE,
            "0001+ ()-a_é\n.",
            id="numbers-phone",
        ),
        pytest.param(
            "of-the-total",
            lambda: re.compile(r"\bof\s+(?:the|these|those|all)\s+[\d][\d,.]*\b[^.;]*[,;]\s*$"),
            lambda: __import__("extractors.identity", fromlist=["OF_THE_TOTAL"]).OF_THE_TOTAL,
            "oftheal 1,;.xé_\n",
            id="identity-of-the-total",
        ),
    ],
)
@given(data=st.data())
def test_rewritten_pattern_finds_what_the_plain_one_finds(name: str, plain, rewritten, alphabet: str, data) -> None:
    text = data.draw(st.text(alphabet=alphabet, max_size=30), label=name)
    pos = data.draw(st.integers(0, 4))
    assert [(m.span(), m.groups()) for m in rewritten().finditer(text, pos)] == [
        (m.span(), m.groups()) for m in plain().finditer(text, pos)
    ]


@given(
    st.lists(st.sampled_from(["A", "b", "(", ")", ":", " ", ",", "1", "\n", "x" * 20, "GMT", "(IOM)", "٣"]), max_size=40).map(
        "".join
    )
)
def test_heading_credits_tried_at_line_starts_are_finditer(text: str) -> None:
    from extractors.identity import HEADING_CREDIT, _line_matches, _may_be_heading

    expected = [m.span() for m in HEADING_CREDIT.finditer(text)]
    assert [m.span() for m in _line_matches(HEADING_CREDIT, text)] == expected
    assert [m.span() for m in _line_matches(HEADING_CREDIT, text, _may_be_heading)] == expected


WORDS = ["to", "into", "in", "on", "by", "as", "of"]


@given(
    st.lists(st.sampled_from([*WORDS, r"as\s+of", r"up\s+to", "towards?"]), min_size=1, max_size=5),
    st.lists(st.sampled_from([*WORDS, " ", "x", "X", "IN", "é", "_", "1", "-", "\n"]), max_size=12).map("".join),
    st.integers(0, 4),
    st.sampled_from([0, re.IGNORECASE]),
)
def test_at_word_start_is_the_word_boundary(alternatives: list[str], text: str, pos: int, flags: int) -> None:
    from extractors.word_start import at_word_start

    plain = re.compile(r"\b(?:" + "|".join(alternatives) + r")\s*", flags)
    rewritten = re.compile(at_word_start(*alternatives) + r"\s*", flags)
    assert [m.span() for m in rewritten.finditer(text, pos)] == [m.span() for m in plain.finditer(text, pos)]


def test_at_word_start_refuses_what_does_not_open_with_a_letter() -> None:
    from extractors.word_start import at_word_start

    with pytest.raises(ValueError, match="does not open with a letter"):
        at_word_start("to", r"\d+")


@pytest.mark.parametrize("cap", [2, 2000], ids=["past-the-non-ascii-cap", "under-the-cap"])
@given(text=st.text(alphabet="15,.a \n\u200b\u00ad\u0301\u20dd\U000e0021é’", max_size=20))
def test_reading_text_removes_what_the_plain_pattern_finds(cap: int, text: str) -> None:
    from unittest import mock

    from extractors import reading
    from extractors.reading import reading_text

    with mock.patch.object(reading, "MAX_NON_ASCII", cap):
        reading_ = reading_text(text)

    runs = [match.span() for match in _plain_invisible().finditer(text)]
    kept = [text[end:start] for (_, end), (start, _) in zip([(0, 0), *runs], [*runs, (len(text), 0)], strict=True)]
    assert reading_.text == "".join(kept) and reading_.is_identity == (not runs)


@given(
    st.lists(
        st.sampled_from(["Said", "say", "SAYS", "stat", "x", "figures", "from", "data", "\n", " ", "é", "_"]), max_size=12
    ).map("".join)
)
def test_credit_test_in_lowered_text_is_the_credit_words_search(sentence: str) -> None:
    from extractors.context import _CREDIT_WORDS, _credits

    expected = lowered_twin(_CREDIT_WORDS).search(ascii_lower(sentence)) is not None
    assert _credits(sentence, ascii_lower(sentence)) == expected == _credits(sentence)


PLACE_TEXT = st.lists(
    st.sampled_from(
        ["Gaza", "Sudan", "Khan Younis", "worldwide", "southern Lebanon", "al-Mawasi", "around the world", *" -xs\né"]
    ),
    max_size=10,
).map("".join)


@given(PLACE_TEXT, st.integers(0, 3))
def test_place_names_in_two_searches_are_the_one_pattern_finditer(text: str, start: int) -> None:
    from extractors.vocabulary import vocabulary

    vocab = vocabulary()
    one_pattern = re.compile(r"(?<![\w-])" + longest_first(vocab.places) + r"(?![\w-])")
    expected = [(m.span(), m.group()) for m in one_pattern.finditer(text, start, len(text))]
    assert [(m.span(), m.group()) for m in vocab.place_pattern.finditer(text, start)] == expected
