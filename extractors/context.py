"""What a sentence says around its figures: who is credited, and where."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from .phrases import Token
from .vocabulary import Place, Vocabulary

_SOURCE_WORDS = r"""(?:ministry|ministries|office|agency|agencies|organization|organisation|authorities|authority|
    officials?|spokesperson|spokesman|spokeswoman|commissioner|coordinator|chief|director|secretary|monitors?|
    mission|department|council|committee|service|group|team|unit|tracker|matrix|database|dtm|ipc|un|u\.n\.|
    united\s+nations|unrwa|ocha|who|wfp|unicef|unhcr|iom|msf|icrc|acled|ohchr|hamas|army|military|idf|
    government|police|sources|residents|medics|doctors|hospital|rescuers|witnesses|officials|ngo|report|survey|statement|analysis|data|figures)"""

ACCORDING_TO = re.compile(
    r"""
    \b(?:according\s+to|citing|cited\s+by|reported\s+by|figures\s+from|data\s+from|estimates\s+by|said\s+by)\s+
    (?P<who>
        (?:the\s+|a\s+|an\s+)?                         # an article
        [^\s,;:()"“”.]+                                # first word
        (?:\s+(?!on\b|in\b|as\b|since\b|at\b|which\b|who\b|that\b|after\b|while\b|when\b|with\b|last\b|this\b)
            [^\s,;:()"“”]+){0,9}                       # up to nine more, stopping before a clause
    )
    """,
    re.VERBOSE | re.IGNORECASE,
)

SAYING_VERB = re.compile(
    r"""
    \s+(?:has\s+|have\s+|had\s+)?                     # an auxiliary
    (?:said|says|say|reported|reports|report|stated|states|announced|announces|confirmed|confirms|
       estimated|estimates|recorded|records|documented|noted|warned|warns|added|told)\b  # the verb of saying
    """,
    re.VERBOSE,
)

SUBJECT_BEFORE_VERB = re.compile(
    rf"""
    (?<![\w.'’\-])                                     # starting on a word
    (?P<who>
        (?:the\s+)?                                    # an article
        (?:[A-Z][\w.'’\-]*\s+|[a-z]+\s+){{0,5}}?         # up to five words of a name
        (?i:{_SOURCE_WORDS})\b                          # ending on a word that names a source
        (?:\s+(?:of|for|in)\s+(?:the\s+)?[A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*){{0,3}}){{0,2}}  # "of Health in Gaza"
        (?:\s+\([A-Z][\w.'’\-]*\))?                  # an acronym in brackets: (IPC)
    )
    $                                                  # right before the verb of saying
    """,
    re.VERBOSE,
)
SUBJECT_WINDOW = 140  # characters before a verb of saying searched for its subject


def _subject_of_saying(sentence: str) -> str | None:
    """ "the Gaza health ministry said": the subject right before a verb of saying."""
    for verb in SAYING_VERB.finditer(sentence):
        found = SUBJECT_BEFORE_VERB.search(sentence, max(0, verb.start() - SUBJECT_WINDOW), verb.start())
        if found:
            return found.group("who")
    return None


SAID_SUBJECT = re.compile(
    rf"""
    \b(?:said|says|reported|stated|announced|added|wrote|estimated|confirmed|warned)\s+  # the verb of saying, first
    (?P<who>
        (?:the\s+)?(?:[A-Z][\w.'’\-]*\s+|[a-z]+\s+){{0,5}}?(?i:{_SOURCE_WORDS})\b   # a source-like noun phrase
        (?:\s+(?:of|for|in)\s+(?:the\s+)?[A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*){{0,3}})?
    )\b
    """,
    re.VERBOSE,
)

TRAILING_SAID = re.compile(
    r"""
    ,\s+(?P<who>[^,;:"“”]{2,90}?)                      # the last clause before the verb
    \s+(?:said|says|reported|stated|announced|added|told\s+\w+)  # the verb of saying
    (?:\s+(?:on|in|late|early|last|this)\b[^,]*)?       # an optional time: "on Tuesday"
    \W*$                                              # at the end of the sentence
    """,
    re.VERBOSE,
)

_PRONOUNS = frozenset({"it", "he", "she", "they", "we", "i", "this", "that", "which", "who", "reports", "report"})
_NOT_A_SOURCE = re.compile(r"^(?:the\s+)?(?:strikes?|attacks?|bombing|war|fighting|violence)\b", re.IGNORECASE)


def _clean(who: str) -> str | None:
    who = who.strip(" \t\n'\"“”’").rstrip(".")
    if not who or who.lower() in _PRONOUNS or _NOT_A_SOURCE.match(who) or len(who) < 2:
        return None
    return who


_CREDIT_WORDS = re.compile(
    r"according|citing|cited|said|says|say\b|report|stat|announc|confirm|estimat|record|document|noted|warn|added|told|wrote|figures\s+from|data\s+from",
    re.IGNORECASE,
)


def attribution(sentence: str) -> str | None:
    """Who the sentence credits for its figures, as written, or None."""
    if not _CREDIT_WORDS.search(sentence):
        return None  # a cheap test spares the slower patterns below
    for candidate in _candidates(sentence):
        who = _clean(candidate) if candidate else None
        if who:
            return who
    return None


def _candidates(sentence: str) -> Iterator[str | None]:
    """Who might be credited, most explicit wording first; computed lazily."""
    according = ACCORDING_TO.search(sentence)
    yield according.group("who") if according else None
    yield _subject_of_saying(sentence)
    for pattern in (SAID_SUBJECT, TRAILING_SAID):
        match = pattern.search(sentence)
        yield match.group("who") if match else None


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A place name in the document."""

    name: str  # as written
    place: Place  # its country
    start: int  # document offset


_DESTINATION = re.compile(
    r"\b(?:to|into|towards?|in\s+neighbouring|in\s+neighboring|across\s+the\s+border\s+(?:in|into)?)\s*$", re.IGNORECASE
)


def places_in_tokens(tokens: list[Token], vocab: Vocabulary) -> list[PlaceMention]:
    """Every known place name among a sentence's tokens."""
    return [
        PlaceMention(" ".join(token.text for token in tokens[first : first + size]), place, tokens[first].start)
        for first, size, place in vocab.place_names.matches(tokens)
    ]


def place_mentions(text: str, vocab: Vocabulary, start: int = 0, end: int | None = None) -> list[PlaceMention]:
    """Every known place name in text[start:end]."""
    end = len(text) if end is None else end
    return [
        PlaceMention(match.group(), vocab.places[match.group()], match.start())
        for match in vocab.place_pattern.finditer(text, start, end)
    ]


def main_place(mentions: list[PlaceMention]) -> PlaceMention | None:
    """The country a document is mostly about: the most mentioned, first mentioned on a tie."""
    if not mentions:
        return None
    counts = Counter(mention.place.iso3 for mention in mentions)
    best = max(counts.values())
    return next(mention for mention in mentions if counts[mention.place.iso3] == best)


def place_for(
    text: str, figure_start: int, sentence: list[PlaceMention], document_place: PlaceMention | None
) -> PlaceMention | None:
    """The place a figure refers to: the nearest place in its sentence that is not a destination,
    else the document's main place."""
    origins = [mention for mention in sentence if not _DESTINATION.search(text[max(0, mention.start - 30) : mention.start])]
    if origins:
        return min(origins, key=lambda mention: abs(mention.start - figure_start))
    return document_place
