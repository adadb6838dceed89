"""Word tokens and phrase tables: how vocabulary phrases are matched in text.

A phrase is a tuple of normalized tokens. Tables answer "which is the longest
phrase starting (or ending) at this token?" with dictionary look-ups, so the
cost does not grow with the size of the vocabulary.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from itertools import compress, count, repeat
from operator import itemgetter
from typing import Generic, NamedTuple, TypeVar

Value = TypeVar("Value")
_ABSENT = object()  # a phrase that is not in a table (values may be falsy: rank 0)

TOKEN = re.compile(
    r"""
    (?P<word>
        [^\W\d_]+                      # letters, any script
        (?:['’.\-][^\W\d_]+)*          # joined by apostrophes, dots, hyphens: U.N, al-Mawasi
        \.?                            # a trailing dot of an abbreviation (U.N.)
    )
  | (?P<number>\d[\d,.]*)              # digits with their separators, read elsewhere
  | (?P<mark>[^\w\s])                  # any single punctuation mark
    """,
    re.VERBOSE,
)


class Token(NamedTuple):
    """A word, number or mark with its offsets in the document."""

    norm: str  # lower case, without dots or a final apostrophe: "U.N." -> "un"
    text: str  # as written
    start: int  # document offset of the first character
    end: int  # document offset after the last character

    @property
    def is_word(self) -> bool:
        return self.norm[:1].isalpha()

    @property
    def is_capitalized(self) -> bool:
        return self.text[:1].isupper()


@functools.lru_cache(maxsize=65536)
def normalize(word: str) -> str:
    """The form under which a word is looked up: lower case, dots removed."""
    word = word.lower().replace("’", "'")
    if len(word) > 1:
        word = word.replace(".", "")
    return word


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Tokens of text[start:end], with offsets into `text`."""
    end = len(text) if end is None else end
    # Built with map() over C functions, without a Python-level step per token: this runs
    # on every word of every sentence that is read.
    matches = list(TOKEN.finditer(text, start, end))
    words = list(map(re.Match.group, matches))
    fields = zip(map(normalize, words), words, map(re.Match.start, matches), map(re.Match.end, matches), strict=True)
    return list(map(_new_tuple, repeat(Token), fields))


_new_tuple = tuple.__new__  # Token(...) would go through a Python-level __new__


def norm_at(tokens: list[Token], index: int) -> str:
    """The normalized token at `index`, or "" outside the list."""
    return tokens[index].norm if 0 <= index < len(tokens) else ""


def phrase_key(phrase: str) -> tuple[str, ...]:
    """The token tuple a vocabulary phrase is stored under."""
    return tuple(normalize(match.group()) for match in TOKEN.finditer(phrase))


def exact_key(phrase: str) -> tuple[str, ...]:
    """The token tuple of a case-sensitive phrase (a place name): as written."""
    return tuple(match.group().replace("’", "'") for match in TOKEN.finditer(phrase))


class PhraseTable(Generic[Value]):
    """Phrases mapped to values, matched by whole tokens, longest first.

    Phrases are indexed by their first and by their last token, so a look-up
    at a position whose token starts (or ends) no phrase costs one dict probe.
    """

    def __init__(self, entries: Iterable[tuple[str, Value]] = (), *, case_sensitive: bool = False) -> None:
        self._field = 1 if case_sensitive else 0  # Token.text or Token.norm
        self._word_of = itemgetter(self._field)  # a token's word as the table stores it
        self._key = exact_key if case_sensitive else phrase_key
        self._table: dict[tuple[str, ...], Value] = {}
        self._by_first: dict[str, list[int]] = {}  # first token -> phrase lengths, longest first
        self._one_word: set[str] = set()  # the phrases of a single token
        self._by_last: dict[str, list[int]] = {}  # last token -> phrase lengths, longest first
        self.longest = 0
        for phrase, value in entries:
            self.add(phrase, value)

    def add(self, phrase: str, value: Value) -> None:
        key = self._key(phrase)
        if not key or key in self._table:
            return
        self._table[key] = value
        self.longest = max(self.longest, len(key))
        if len(key) == 1:
            self._one_word.add(key[0])
        for index, token in ((self._by_first, key[0]), (self._by_last, key[-1])):
            sizes = index.setdefault(token, [])
            if len(key) not in sizes:
                sizes.append(len(key))
                sizes.sort(reverse=True)

    def __contains__(self, phrase: str) -> bool:
        return self._key(phrase) in self._table

    def __len__(self) -> int:
        return len(self._table)

    def key_words(self, common: frozenset[str] = frozenset()) -> frozenset[str]:
        """One token of every phrase, the longest that is not `common` (when it has one): text
        without any of them can match no phrase. Any token would do for that; a rare one lets
        fewer sentences through ("shelters" rather than "remained" in "remained in shelters")."""
        return frozenset(max([token for token in key if token not in common] or key, key=len) for key in self._table)

    def match_at(self, tokens: list[Token], index: int) -> tuple[int, Value] | None:
        """The longest phrase starting at tokens[index], as (token count, value)."""
        if index >= len(tokens) or index < 0:
            return None
        word = tokens[index][self._field]
        sizes = self._by_first.get(word)
        if sizes is None:
            return None
        table, word_of = self._table, self._word_of
        for size in sizes:
            if size == 1:  # the last size tried, and its phrase is in the table: no tuple of a slice to build
                return 1, table[(word,)]
            if index + size <= len(tokens):
                value = table.get(tuple(map(word_of, tokens[index : index + size])), _ABSENT)
                if value is not _ABSENT:
                    return size, value
        return None

    def match_ending_at(self, tokens: list[Token], stop: int) -> tuple[int, Value] | None:
        """The longest phrase ending just before tokens[stop], as (token count, value)."""
        if stop <= 0 or stop > len(tokens):
            return None
        word = tokens[stop - 1][self._field]
        sizes = self._by_last.get(word)
        if sizes is None:
            return None
        table, word_of = self._table, self._word_of
        for size in sizes:
            if size == 1:  # as in match_at
                return 1, table[(word,)]
            if size <= stop:
                value = table.get(tuple(map(word_of, tokens[stop - size : stop])), _ABSENT)
                if value is not _ABSENT:
                    return size, value
        return None

    def may_start_in(self, tokens: list[Token], start: int = 0) -> bool:
        """Whether a phrase may start at tokens[start] or after: a C-level test that spares
        walking the tokens when none can."""
        return not self._by_first.keys().isdisjoint(map(self._word_of, tokens[start:]))

    def last_start(self, tokens: list[Token]) -> int:
        """Index of the last token at which a phrase may start, or -1: may_start_in(tokens, start)
        is start <= last_start(tokens), for every start >= 0."""
        # From the end, in C: the scan stops at the first token from the end that starts a phrase.
        starts = map(self._by_first.__contains__, map(self._word_of, reversed(tokens)))
        return next(compress(count(len(tokens) - 1, -1), starts), -1)

    def may_end_in(self, tokens: list[Token], stop: int) -> bool:
        """Whether a phrase may end before tokens[stop]: a C-level test that spares walking
        the tokens backwards when none can."""
        return not self._by_last.keys().isdisjoint(map(self._word_of, tokens[: max(stop, 0)]))

    def _phrase_starts(self, tokens: list[Token]) -> Iterator[int]:
        """Indexes of the tokens that start a phrase of the table (a C-level filter: most start none)."""
        return compress(count(), map(self._by_first.__contains__, map(self._word_of, tokens)))

    def occurs_in(self, tokens: list[Token]) -> bool:
        """Whether any phrase occurs anywhere in `tokens`."""
        if not self._one_word.isdisjoint(map(self._word_of, tokens)):
            return True  # a one-word phrase: found without a look-up per token
        return any(self.match_at(tokens, index) for index in self._phrase_starts(tokens))

    def matches(self, tokens: list[Token]) -> list[tuple[int, int, Value]]:
        """Every non-overlapping phrase in `tokens`, longest first, as (first index, token count, value)."""
        found, end = [], 0
        for index in self._phrase_starts(tokens):
            match = self.match_at(tokens, index) if index >= end else None
            if match:
                found.append((index, match[0], match[1]))
                end = index + match[0]
        return found
