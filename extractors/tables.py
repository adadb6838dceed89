"""Tables flattened to text: a header row of labels, then rows of values.

    Province    Deaths    Injured          Killed | Injured | Missing
    Herat       96        210              96     | 210     | 14

A figure in a value row has no words of its own around it; the label at the head of
its column says what it counts. Cells are separated by a tab, a bar or a run of two or
more spaces. Every look is bounded (a line of at most MAX_LINE characters, at most
MAX_ROWS rows above a value), so the cost stays linear in the text.
"""

from __future__ import annotations

import re

from .phrases import tokenize
from .vocabulary import Vocabulary

MAX_LINE = 300  # longer lines are prose, not table rows
MAX_ROWS = 30  # value rows between a figure and its header

CELL_SEPARATOR = re.compile(
    r"""
    [ ]*+[\t|][ \t]*+   # a tab or a bar, with the spaces around it
  | [ ]{2,}+            # or a run of two or more spaces
    """,
    re.VERBOSE,
)
DIGIT = re.compile(r"\d")


def may_be_row(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] may hold a table row: a cheap test before any other."""
    return text.find("\t", start, end) >= 0 or text.find("|", start, end) >= 0 or text.find("  ", start, end) >= 0


def _line_at(text: str, offset: int) -> tuple[int, int] | None:
    """The line around `offset`, or None when it is longer than a table row can be."""
    window_start = max(0, offset - MAX_LINE)
    start = text.rfind("\n", window_start, offset) + 1
    if start == 0 and window_start > 0:
        return None
    end = text.find("\n", offset, offset + MAX_LINE)
    if end < 0:
        end = min(len(text), offset + MAX_LINE)
        if end < len(text):
            return None
    return start, end


def _cells(text: str, start: int, end: int) -> list[int]:
    """The offsets where the cells of text[start:end] begin, leading and trailing blanks aside."""
    while start < end and text[start] in " \t|":
        start += 1
    while end > start and text[end - 1] in " \t|\r":
        end -= 1
    return [start] + [match.end() for match in CELL_SEPARATOR.finditer(text, start, end)]


def _header(text: str, start: int, end: int, columns: int, vocab: Vocabulary) -> list[str | None] | None:
    """The outcome each column's label names (None for labels such as "Province"), when
    text[start:end] is a header of `columns` cells that names at least one."""
    cells = _cells(text, start, end)
    if len(cells) != columns or DIGIT.search(text, start, end):
        return None
    stops = [*cells[1:], end]
    outcomes: list[str | None] = []
    for cell_start, cell_stop in zip(cells, stops, strict=True):
        tokens = tokenize(text, cell_start, cell_stop)
        tokens = [token for token in tokens if token.norm not in ("|", ":")]
        found = vocab.noun_triggers.match_at(tokens, 0) or vocab.after_triggers.match_at(tokens, 0)
        outcomes.append(found[1] if found and found[0] == len(tokens) else None)
    return outcomes if any(outcomes) else None


def column_outcome(text: str, offset: int, vocab: Vocabulary) -> str | None:
    """The outcome the header of the figure at `offset` names, when it stands in a table."""
    line = _line_at(text, offset)
    if line is None:
        return None
    start, end = line
    cells = _cells(text, start, end)
    if len(cells) < 2:
        return None
    column = sum(1 for cell in cells if cell <= offset) - 1
    if column < 0:
        return None
    for _ in range(MAX_ROWS):
        if start == 0:
            return None
        above = _line_at(text, start - 1)
        if above is None:
            return None
        start, end = above
        if start == end:
            continue  # a blank line inside the table
        header = _header(text, start, end, len(cells), vocab)
        if header is not None:
            return header[column]
        if len(_cells(text, start, end)) != len(cells) or not DIGIT.search(text, start, end):
            return None  # not a row of the same table
    return None


def under_header(text: str, start: int, end: int, vocab: Vocabulary) -> bool:
    """Whether text[start:end] (a sentence without trigger words) holds a figure under a header that names one."""
    if not may_be_row(text, start, end):
        return False
    found = DIGIT.search(text, start, end)
    return found is not None and column_outcome(text, found.start(), vocab) is not None
