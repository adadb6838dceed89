"""Case-insensitive searches done on lowered text, where Python's IGNORECASE is slow.

`ascii_lower(text)` lowers A-Z and keeps every other character, so offsets
stay valid. A pattern written in lower case and compiled with IGNORECASE
finds the same matches, at the same offsets, as its case-sensitive twin
(`lowered_twin`) searched in `ascii_lower(text)`, unless the text holds one of
the few non-ASCII letters that IGNORECASE folds onto ASCII ones ("K", the
Kelvin sign, matches "k"). `folds_like_ascii(text)` tells whether the twins
may be used; the engine decides once per document.
"""

from __future__ import annotations

import re

# A-Z to a-z on UTF-8 bytes: other characters encode to bytes >= 0x80, which the table leaves
# alone, and bytes.translate is some twenty times faster than str.translate on non-ASCII text.
_ASCII_LOWER = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz")

# The non-ASCII letters that re.IGNORECASE matches to ASCII letters:
# İ (U+0130) and ı (U+0131) to i, ſ (U+017F) to s, K (U+212A, Kelvin sign) to k.
_FOLDS_TO_ASCII = ("\u0130", "\u0131", "\u017f", "\u212a")

# What lowered_twin keeps as written: "(?P" of a named group and every escape (\W, \S, \B keep
# their meaning); every other A-Z is lowered. Patterns must spell letters out, not escape them.
_KEPT_OR_LETTER = re.compile(r"\(\?P|\\.|[A-Z]")


def ascii_lower(text: str) -> str:
    """Text with A-Z lowered and every other character kept, so offsets stay valid."""
    return text.encode("utf-8", "surrogatepass").translate(_ASCII_LOWER).decode("utf-8", "surrogatepass")


def folds_like_ascii(text: str) -> bool:
    """Whether IGNORECASE patterns and their lowered twins agree on `text`."""
    return not any(letter in text for letter in _FOLDS_TO_ASCII)


def lowered_twin(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The case-sensitive twin of an IGNORECASE pattern, for ascii_lower(text)."""
    if not pattern.flags & re.IGNORECASE:
        raise ValueError(f"not an IGNORECASE pattern: {pattern.pattern!r}")
    source = _KEPT_OR_LETTER.sub(
        lambda found: found.group().lower() if len(found.group()) == 1 else found.group(), pattern.pattern
    )
    return re.compile(source, pattern.flags & ~re.IGNORECASE)
