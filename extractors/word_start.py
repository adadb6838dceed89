r"""Word boundaries spelled so that a regex search skips, in C, the characters where no match can start.

A pattern that opens with \b or a lookbehind has no first character the regex engine can look
for: a search tries the whole pattern at every character of the text. The same test made after
the first character ("i" NOT_IN_WORD "n" for r"\bin") lets it jump from one "i" to the next.
Before a word character, \b and "no word character before" are the same test.
"""

from __future__ import annotations

# After a word's first character: the character before that one is no word character.
NOT_IN_WORD = r"(?<!\w(?s:.))"


def at_word_start(*alternatives: str) -> str:
    r"""r"\b(?:alternative|...)", each alternative opening with a letter written out (no escape,
    no group), its boundary tested after that letter.

    >>> at_word_start("to", r"in\s+neighbouring")
    '(?:t(?<!\\w(?s:.))o|i(?<!\\w(?s:.))n\\s+neighbouring)'
    """
    for alternative in alternatives:
        if not alternative[:1].isalpha():
            raise ValueError(f"{alternative!r} does not open with a letter: write its \\b before it instead")
    return "(?:" + "|".join(alternative[0] + NOT_IN_WORD + alternative[1:] for alternative in alternatives) + ")"
