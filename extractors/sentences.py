"""Sentence spans: where each quote starts and ends in the document text.

The splitter is a single linear pass. It knows the abbreviations news and UN
texts use ("U.N.", "Oct.", "Dr.") and treats headlines, bullet points and
blank lines as boundaries. A "sentence" is never longer than
`MAX_SENTENCE` characters, so text without punctuation still splits.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .datafiles import word_lists

MAX_SENTENCE = 1200

# A line end: LF, CR LF, a lone CR (old Mac files), NEL, the Unicode line and paragraph
# separators, vertical tab, form feed (a page break in text from PDFs) and the ASCII file,
# group and record separators, all the characters str.splitlines() breaks at.
_LINE_END = r"(?:\r\n?+|[\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029])"

# Each alternative may only start where a run of its characters starts (the lookbehinds), and
# every quantifier is possessive: a match attempt reads each character once and never backtracks,
# and no character is the start of more than one attempt per alternative. So the scan is linear
# in the text, even on a run of 80,000 "!" (with plain quantifiers, every "!" of a run started
# an attempt that read the rest of the run).
BOUNDARY = re.compile(
    rf"""
    (?<![.!?])(?P<stop>[.!?]++)["'”’)\]]*+[ \t\u00a0]++(?=["“‘'(\[]?[A-Z0-9])  # full stop, then a capital or digit
  | (?<![.!?:;])(?P<stop_newline>[.!?:;]++)["'”’)\]]*+[ \t]*+{_LINE_END}\s*+  # punctuation at the end of a line
  | (?P<blank>{_LINE_END}[ \t]*+{_LINE_END}\s*+)                     # a blank line between paragraphs
  | (?P<newline>{_LINE_END}[ \t]*+)(?=[-*•·▪–—]|\d++[.)]\s|[A-Z])     # a new line that starts a bullet or a capital
    """,
    re.VERBOSE,
)

# Every BOUNDARY match starts on one of these. The regex engine cannot skip ahead to them by
# itself (the alternatives start on character classes), so it tries BOUNDARY at every character.
BOUNDARY_START = re.compile(r"[.!?:;\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def _boundaries(text: str) -> Iterator[re.Match[str]]:
    """BOUNDARY.finditer(text), five times faster: BOUNDARY is only tried where it can start."""
    position = 0
    while (candidate := BOUNDARY_START.search(text, position)) is not None:
        found = BOUNDARY.match(text, candidate.start())
        if found is None:
            position = candidate.start() + 1
        else:
            yield found
            position = found.end()  # matches are never empty


# Words after which a full stop does not end a sentence: data/en/sentences.toml.
ABBREVIATIONS = frozenset(word for words in word_lists("sentences")["abbreviations"].values() for word in words)

_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")


@dataclass(frozen=True, slots=True)
class Sentences:
    """Sentence spans of one text, looked up by offset."""

    starts: list[int]  # offset of each sentence's first character
    ends: list[int]  # offset after each sentence's last character

    def index_of(self, offset: int) -> int:
        """Index of the sentence containing `offset`."""
        return max(0, bisect.bisect_right(self.starts, offset) - 1)

    def span(self, index: int) -> tuple[int, int]:
        return self.starts[index], self.ends[index]

    def __len__(self) -> int:
        return len(self.starts)


def _is_abbreviation(text: str, stop_at: int) -> bool:
    word = _WORD_BEFORE.search(text, max(0, stop_at - 12), stop_at)
    if word is None:
        return False
    token = word.group(1).lower()
    # Single letters and dotted initials: "U.N.", "U.S.", "J."
    return token in ABBREVIATIONS or len(token.replace(".", "")) <= 1 or "." in token


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _cut_long(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    """Split an over-long stretch at whitespace, or hard, every MAX_SENTENCE characters."""
    while end - start > MAX_SENTENCE:
        cut = text.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE)
        cut = cut if cut > start else start + MAX_SENTENCE
        spans.append(_trimmed(text, start, cut))
        start = cut
    spans.append(_trimmed(text, start, end))


def split_sentences(text: str) -> Sentences:
    """Sentence spans covering `text`, in order, without surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _boundaries(text):
        stop, stop_newline = match.group("stop", "stop_newline")
        if stop and _is_abbreviation(text, match.start("stop")):
            continue
        # After a full stop, the sentence keeps its punctuation and closing quotes.
        end = match.start() + len(match.group().rstrip()) if stop or stop_newline else match.start()
        if end - start > MAX_SENTENCE:
            _cut_long(text, start, end, spans)
        else:
            spans.append(_trimmed(text, start, end))  # what _cut_long does, without a call per sentence
        start = match.end()
    _cut_long(text, start, len(text), spans)
    spans = [(s, e) for s, e in spans if e > s] or [(0, 0)]
    return Sentences([s for s, _ in spans], [e for _, e in spans])
