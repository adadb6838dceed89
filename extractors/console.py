"""Text bound for a terminal: one line, no control characters.

File names, URLs and messages that come from documents can hold a newline (which would print a
forged `error:` line), an escape sequence (which a terminal would obey) or a bidirectional
override (which would show the line in another order). `one_line` shows each of them as its
Python escape instead.
"""

from __future__ import annotations

__all__ = ["one_line"]


def one_line(text: object) -> str:
    r"""`text` as one printable line.

    >>> one_line("report\nerror: forged.txt\x1b[31m")
    'report\\nerror: forged.txt\\x1b[31m'
    """
    text = str(text)
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else char.encode("unicode_escape").decode("ascii") for char in text)
