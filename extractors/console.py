"""Text bound for a terminal: one line, no control characters.

File names, URLs and messages that come from documents can hold a newline (which would print a
forged `error:` line), an escape sequence (which a terminal would obey) or a bidirectional
override (which would show the line in another order). `one_line` shows each of them as its
Python escape instead.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Callable, Iterator
from typing import Any, TextIO

from .errors import ExtractionWarning

__all__ = ["extraction_notes", "one_line", "walked_with_notes"]


def one_line(text: object) -> str:
    r"""`text` as one printable line.

    >>> one_line("report\nerror: forged.txt\x1b[31m")
    'report\\nerror: forged.txt\\x1b[31m'
    """
    text = str(text)
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else char.encode("unicode_escape").decode("ascii") for char in text)


@contextlib.contextmanager
def extraction_notes() -> Iterator[list[str]]:
    """Collect the extractor's own warnings (ExtractionWarning: a figure refused, a link skipped, a
    date ignored) as one-line notes for a command's output; any other warning (a library's, raised
    on first import) goes on to the usual warning machinery instead of passing for a note on a document."""
    notes: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ExtractionWarning)
        yield notes
    for warning in caught:
        if issubclass(warning.category, ExtractionWarning):
            notes.append(one_line(warning.message))
        else:
            warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno, source=warning.source)


def walked_with_notes(walk: Callable[[list[str]], list[Any]], paths: list[str], err: TextIO) -> list[Any]:
    """walk(paths) for a command, its notes (a link skipped) printed on `err` one line each."""
    with extraction_notes() as notes:
        found = walk(paths)
    for note in notes:
        err.write(f"warning: {note}\n")
    return found
