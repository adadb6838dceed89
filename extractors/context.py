"""What a sentence says around its figures: who is credited, and where."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from .datafiles import DATA_DIR, language_dir, word_lists
from .lowered import lowered_twin
from .phrases import Token
from .vocabulary import Place, Vocabulary, longest_first
from .word_start import at_word_start

_WORDS = word_lists("credits")


def _either(phrases: list[str]) -> str:
    """An alternation of phrases in the order given; a space matches any run of whitespace."""
    return "|".join(r"\s+".join(map(re.escape, phrase.split())) for phrase in phrases)


def _spaced(phrases: list[str]) -> list[str]:
    return [r"\s+".join(phrase.split()) for phrase in phrases]


# A tree of shared prefixes ("of(?:ficials?|fice)"), tried a few branches at a time (see longest_first).
_SOURCE_WORDS = longest_first(_WORDS["source_words"]).replace("\\ ", r"\s+")

# The openings below test their word boundary after their first letter (see word_start.py).
_CREDITING = at_word_start(*_spaced(_WORDS["crediting"]))
_SAYING = at_word_start(*_WORDS["saying_before"])
_TOWARDS = at_word_start(*_spaced(_WORDS["towards"]))
_AFTER_SOURCE = "|".join(rf"{word}\b" for word in _WORDS["after_source"])

ACCORDING_TO = re.compile(
    rf"""
    {_CREDITING}\s+
    (?P<who>
        (?:the\s+|a\s+|an\s+)?                         # an article
        [^\s,;:()"“”.]+                                # first word
        (?:\s+(?!{_AFTER_SOURCE})
            [^\s,;:()"“”]+){{0,9}}                     # up to nine more, stopping before a clause
    )
    """,
    re.VERBOSE | re.IGNORECASE,
)

_AUXILIARY = "|".join(rf"{word}\s+" for word in _WORDS["saying_auxiliaries"])
SAYING_VERB = re.compile(
    rf"""
    \s+(?:{_AUXILIARY})?                     # an auxiliary
    (?:{_either(_WORDS["saying_after"])})\b  # the verb of saying
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

# What SUBJECT_BEFORE_VERB's match must end with, loosened to match in ascii_lower(sentence):
# a source word, then its "of Health in Gaza" and "(IPC)". One pass finds whether a subject
# can end at the verb, where SUBJECT_BEFORE_VERB tries a name from every word of the window.
SOURCE_BEFORE_VERB = re.compile(
    rf"""
    {_SOURCE_WORDS}\b                                  # a word that names a source
    (?:\s+(?:of|for|in)\s+(?:the\s+)?[a-z][\w.'’\-]*(?:\s+[a-z][\w.'’\-]*){{0,3}}){{0,2}}  # "of health in gaza"
    (?:\s+\([a-z][\w.'’\-]*\))?                      # an acronym in brackets: (ipc)
    $                                                  # right before the verb of saying
    """,
    re.VERBOSE,
)


def _subject_of_saying(sentence: str, lowered: str | None = None) -> str | None:
    """ "the Gaza health ministry said": the subject right before a verb of saying.
    `lowered` is ascii_lower(sentence) when IGNORECASE may be done on it (see lowered.py)."""
    for verb in SAYING_VERB.finditer(sentence):
        start, end = max(0, verb.start() - SUBJECT_WINDOW), verb.start()
        if lowered is not None:
            source = SOURCE_BEFORE_VERB.search(lowered, start, end)
            if source is None:
                continue  # no source word at the verb: SUBJECT_BEFORE_VERB cannot match
            start = _name_start_bound(sentence, start, source.start())
        found = SUBJECT_BEFORE_VERB.search(sentence, start, end)
        if found:
            return found.group("who")
    return None


WHITESPACE = re.compile(r"\s+")
NAME_WORDS = 6  # "the" and five words: how many words SUBJECT_BEFORE_VERB's name has before its source word


def _name_start_bound(sentence: str, start: int, source: int) -> int:
    """Where SUBJECT_BEFORE_VERB's match can start at the earliest, when the first source word
    that can end the match is at `source`: its name ("the Gaza health") holds at most NAME_WORDS
    words, each followed by whitespace, so at most NAME_WORDS runs of whitespace precede the
    source word. Searching from there, not from `start`, finds the same match, sooner."""
    runs = [run.end() for run in WHITESPACE.finditer(sentence, start, source)]
    return runs[-NAME_WORDS - 1] if len(runs) > NAME_WORDS else start


SAID_SUBJECT = re.compile(
    rf"""
    {_SAYING}\s+  # the verb of saying, first
    (?P<who>
        (?:the\s+)?(?:[A-Z][\w.'’\-]*\s+|[a-z]+\s+){{0,5}}?(?i:{_SOURCE_WORDS})\b   # a source-like noun phrase
        (?:\s+(?:of|for|in)\s+(?:the\s+)?[A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*){{0,3}})?
    )\b
    """,
    re.VERBOSE,
)

_SAYING_LAST = "|".join([_either(_WORDS["saying_last"]), *(rf"{word}\s+\w+" for word in _WORDS["saying_last_with_object"])])
TRAILING_SAID = re.compile(
    rf"""
    ,\s+(?P<who>[^,;:"“”]{{2,90}}?)                      # the last clause before the verb
    \s+(?:{_SAYING_LAST})  # the verb of saying
    (?:\s+(?:{_either(_WORDS["time_after_saying"])})\b[^,]*)?       # an optional time: "on Tuesday"
    \W*$                                              # at the end of the sentence
    """,
    re.VERBOSE,
)

_PRONOUNS = frozenset(_WORDS["pronouns"])
_NOT_A_SOURCE = re.compile(rf"^(?:the\s+)?(?:{_either(_WORDS['not_a_source'])})\b", re.IGNORECASE)


def _clean(who: str) -> str | None:
    who = who.strip(" \t\n'\"“”’").rstrip(".")
    if not who or who.lower() in _PRONOUNS or _NOT_A_SOURCE.match(who) or len(who) < 2:
        return None
    return who


_CREDIT_ALTERNATIVES = (
    *(_either([word]) for word in _WORDS["credit_words"]),
    *(rf"{word}\b" for word in _WORDS["credit_whole_words"]),
)
_CREDIT_WORDS = re.compile("|".join(_CREDIT_ALTERNATIVES), re.IGNORECASE)
# In ascii_lower(sentence), whether _CREDIT_WORDS occurs: its plain words as substrings, in C,
# then a regex for the others, where a search for all of them scanned the whole sentence.
_CREDIT_NEEDLES = tuple(alternative for alternative in _CREDIT_ALTERNATIVES if alternative.isalpha())
_CREDIT_REST_LOWERED = re.compile("|".join(alternative for alternative in _CREDIT_ALTERNATIVES if not alternative.isalpha()))
_ACCORDING_TO_LOWERED = lowered_twin(ACCORDING_TO)


def _credits(sentence: str, lowered: str | None = None) -> bool:
    """Whether _CREDIT_WORDS occurs in the sentence (in `lowered`, ascii_lower(sentence), when given)."""
    if lowered is None:
        return _CREDIT_WORDS.search(sentence) is not None
    return any(map(lowered.__contains__, _CREDIT_NEEDLES)) or _CREDIT_REST_LOWERED.search(lowered) is not None


def attribution(sentence: str, lowered: str | None = None) -> str | None:
    """Who the sentence credits for its figures, as written, or None. `lowered` is
    ascii_lower(sentence) when IGNORECASE may be done on it (see lowered.py): it is faster."""
    if not _credits(sentence, lowered):
        return None  # a cheap test spares the slower patterns below
    for candidate in _candidates(sentence, lowered):
        who = _clean(candidate) if candidate else None
        if who:
            return who
    return None


def _candidates(sentence: str, lowered: str | None) -> Iterator[str | None]:
    """Who might be credited, most explicit wording first; computed lazily."""
    according = _ACCORDING_TO_LOWERED.search(lowered) if lowered is not None else ACCORDING_TO.search(sentence)
    yield sentence[according.start("who") : according.end("who")] if according else None
    yield _subject_of_saying(sentence, lowered)
    for pattern in (SAID_SUBJECT, TRAILING_SAID):
        match = pattern.search(sentence)
        yield match.group("who") if match else None


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A place name in the document."""

    name: str  # as written
    place: Place  # its country
    start: int  # document offset


_DESTINATION = re.compile(rf"{_TOWARDS}\s*$", re.IGNORECASE)


def _counterparty_pattern() -> re.Pattern[str]:
    """Every language's counterparty words ("war with", "guerra con", "الحرب مع"), then an optional
    article, at the end of the text before a place: a place after them is the other side, not where."""
    phrases: list[str] = []
    articles: list[str] = []
    for lang in ("en", *(path.name for path in sorted(DATA_DIR.iterdir()) if path.is_dir() and path.name != "en")):
        if (language_dir(lang) / "credits.toml").is_file():
            words = word_lists("credits", lang)
            phrases += words.get("counterparties", [])
            articles += words.get("counterparty_articles", [])
    article = rf"(?:\s+(?:{_either(articles)})(?=\s|['’])|\s*['’])?" if articles else ""
    return re.compile(rf"(?<!\w)(?:{_either(sorted(phrases, key=len, reverse=True))}){article}\s*$", re.IGNORECASE)


_COUNTERPARTY = _counterparty_pattern()


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


def origins(text: str, sentence: list[PlaceMention]) -> list[PlaceMention]:
    """The places of a sentence that are not a destination ("fled to Chad") nor the other side of a
    war or a border ("since the war with Israel")."""
    return [
        mention
        for mention in sentence
        if not _DESTINATION.search(text[max(0, mention.start - 30) : mention.start])
        and not _COUNTERPARTY.search(text[max(0, mention.start - 40) : mention.start])
    ]


def nearest(places: list[PlaceMention], figure_start: int) -> PlaceMention:
    """The place nearest to a figure, the first one on a tie."""
    return min(places, key=lambda mention: abs(mention.start - figure_start))


def place_for(
    text: str, figure_start: int, sentence: list[PlaceMention], document_place: PlaceMention | None
) -> PlaceMention | None:
    """The place a figure refers to: the nearest place in its sentence that is not a destination,
    else the document's main place."""
    found = origins(text, sentence)
    return nearest(found, figure_start) if found else document_place
