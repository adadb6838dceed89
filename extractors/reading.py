"""The text as the engine reads it, and the way back to the document's own offsets.

Documents carry characters that change nothing a person reads but break a pattern: a zero-width
space, a soft hyphen or a word joiner inside "5,000", a byte-order mark, bidirectional marks
around a figure, a combining accent typed onto a digit, an Arabic short vowel or tatweel. Read as they are, "5\\u200b,000" is the
figure 5. The engine reads the document without them (`reading_text`) and maps every offset it
finds back into the document (`Reading.original_span`), so a record's span and quote still
point into the text it came from and hold exactly what the document holds.

Line ends need no such step: the sentence splitter knows every one of them (CR, NEL, U+2028...).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass

__all__ = ["Reading", "reading_text"]


@dataclass(frozen=True, slots=True)
class Reading:
    """A document's text without its invisible characters, and where they stood."""

    text: str
    cuts: tuple[int, ...] = ()  # offsets in `text` where removed characters stood, ascending
    removed: tuple[int, ...] = ()  # characters removed at or before each cut, in all

    @property
    def is_identity(self) -> bool:
        """Whether nothing was removed, so offsets in `text` are the document's own."""
        return not self.cuts

    def original(self, offset: int) -> int:
        """The document offset of the character at `offset` in `text`."""
        index = bisect.bisect_right(self.cuts, offset) - 1
        return offset + self.removed[index] if index >= 0 else offset

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The document span of text[start:end]: from its first to after its last character,
        so invisible characters inside it are kept and those around it are not."""
        if not self.cuts:
            return start, end
        first = self.original(start)
        return first, (self.original(end - 1) + 1 if end > start else first)


@functools.cache
def _categories() -> tuple[str, ...]:
    # Mapped in C: a Python loop over the 65,536 code points cost ~150 M instructions a process.
    return tuple(map(unicodedata.category, map(chr, range(0x10000))))


def _class_of(categories: tuple[str, ...]) -> str:
    """A regex character class of the Basic Multilingual Plane's characters in `categories`
    (surrogates are of category Cs, never asked for)."""
    ranges: list[list[int]] = []
    for code in itertools.compress(range(0x10000), map(categories.__contains__, _categories())):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "".join(f"\\u{low:04x}" if low == high else f"\\u{low:04x}-\\u{high:04x}" for low, high in ranges)


@functools.cache
def _invisible_classes() -> tuple[str, str]:
    """(format characters, combining marks), each as the inside of a regex class."""
    return _class_of(("Cf",)) + r"\U000e0001\U000e0020-\U000e007f", _class_of(("Mn", "Me"))


# Arabic short vowels, shadda, sukun and the like (harakat, U+064B-U+065F, U+0670) and the
# tatweel that stretches a word (U+0640): written or not as the writer pleases ("قُتلوا" is
# "قتلوا"), so vocabularies are written without them and the text is read without them.
ARABIC_MARKS = r"\u064b-\u065f\u0670\u0640"


@functools.cache
def _invisible() -> re.Pattern[str]:
    # Format characters (Unicode category Cf: soft hyphen, zero-width spaces and joiners, word
    # joiner, bidirectional marks, byte-order mark, tag characters) are dropped wherever they
    # are: they are never part of a word. Combining marks (Mn, Me) are dropped only after a
    # digit or a digit separator, where no script puts them; elsewhere they are letters' accents.
    formats, marks = _invisible_classes()
    # The pattern opens with the class of its first character, and tests what stands before
    # that character only once it is found: a pattern that opens with a lookbehind is tried
    # at every character of the text (it cost ~4% of extract() on a non-ASCII document).
    return re.compile(
        rf"""
        [{formats}{marks}{ARABIC_MARKS}]
        (?:
            (?<=[0-9.,](?s:.))[{formats}{marks}]*+   # after a digit or separator: format characters and marks
          | (?<=[{formats}])[{formats}]*+            # elsewhere: format characters only
          | (?<=[{ARABIC_MARKS}])[{formats}{ARABIC_MARKS}]*+  # Arabic short vowels and tatweel, anywhere
        )
        """,
        re.VERBOSE,
    )


NON_ASCII = re.compile(r"[^\x00-\x7f]")


@functools.cache
def _first_invisible() -> re.Pattern[str]:
    """The characters an invisible run (see _invisible) opens with."""
    formats, marks = _invisible_classes()
    return re.compile(f"[{formats}{marks}{ARABIC_MARKS}]")


MAX_NON_ASCII = 2000  # non-ASCII characters looked at one by one (see _may_hold_invisible)


def _may_hold_invisible(text: str) -> bool:
    """False when none of the text's non-ASCII characters can open an invisible run. Every run
    opens with one: looking for them among the distinct non-ASCII characters of a mostly ASCII
    text costs a fraction of a search of the text for the runs. A text with more non-ASCII
    characters than MAX_NON_ASCII is searched for the runs directly."""
    seen = set()
    for count, found in enumerate(NON_ASCII.finditer(text)):
        if count == MAX_NON_ASCII:
            return True
        seen.add(found.group())
    return _first_invisible().search("".join(seen)) is not None


def reading_text(text: str) -> Reading:
    """`text` without its invisible characters, with the map back to its offsets.

    >>> reading = reading_text("killed 5\\u200b,000 people")
    >>> reading.text, reading.original_span(7, 12)
    ('killed 5,000 people', (7, 13))
    """
    if text.isascii():
        return Reading(text)
    pattern = _invisible()
    if not _may_hold_invisible(text) or pattern.search(text) is None:
        return Reading(text)
    pieces: list[str] = []
    cuts: list[int] = []
    removed: list[int] = []
    kept_until = total = 0
    for found in pattern.finditer(text):
        pieces.append(text[kept_until : found.start()])
        cuts.append(found.start() - total)
        total += found.end() - found.start()
        removed.append(total)
        kept_until = found.end()
    pieces.append(text[kept_until:])
    return Reading("".join(pieces), tuple(cuts), tuple(removed))
