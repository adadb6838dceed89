"""Reading one figure in its sentence: what it counts, how, and whether it counts at all.

The engine hands over a sentence's tokens and the number expressions in it.
For each number this module decides, from the words around it:
  - whether it is a confounder (a date, an age, money, a population total...),
  - the noun phrase it counts ("U.N. personnel", "500 families"),
  - the trigger that says what happened (killed, displaced, face famine),
  - its qualifier ("at least") and whether it is a rate ("a day").
Figures left without a trigger may inherit one from a neighbour in the same
sentence: "killed 195 U.N. personnel and 172 of their dependents".
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, replace

from .dates import MONTHS
from .numbers import Number
from .phrases import PhraseTable, Token
from .vocabulary import Noun, Qualifier, Vocabulary

# Words right before a figure that make it a code, an identifier or an age.
NOT_A_COUNT_BEFORE = frozenset(
    [
        "phase",
        "#",
        "no",
        "number",
        "nos",
        "resolution",
        "update",
        "updates",
        "page",
        "pages",
        "article",
        "articles",
        "chapter",
        "section",
        "route",
        "road",
        "highway",
        "flight",
        "grade",
        "category",
        "covid",
        "version",
        "item",
        "paragraph",
        "brigade",
        "division",
        "battalion",
        "room",
        "block",
        "aged",
        "age",
        "ages",
        "km",
        "kilometre",
        "kilometer",
        "kilometres",
        "kilometers",
        "mile",
        "miles",
        "sura",
        "verse",
        "law",
        "decree",
        "report",
        "bulletin",
        "issue",
        "edition",
        "sitrep",
        "annex",
        "table",
        "figure",
        "box",
        "level",
        "levels",
        "step",
        "stage",
        "day",
        "week",
        "year",
        "month",
    ]
)
MONEY_BEFORE = frozenset({"$", "€", "£", "us$", "usd", "eur", "gbp", "sdg", "ils", "nis", "chf", "¥"})
POPULATION_TOTAL_BEFORE = frozenset({"its", "their", "whose", "entire", "whole", "all"})
POPULATION_TOTAL_NOUNS = frozenset({"residents", "inhabitants", "population", "populations"})
AGE_HEADS = frozenset(
    {"children", "child", "kids", "those", "people", "persons", "anyone", "everyone", "minors", "boys", "girls"}
)
TIME_AFTER = frozenset({"am", "pm", "gmt", "utc", "hrs", "local"})
DETERMINERS = PhraseTable(
    (phrase, True)
    for phrase in (
        "another",
        "a further",
        "an additional",
        "additional",
        "further",
        "the",
        "some",
        "a total of",
        "total of",
        "a record",
        "record",
        "the remaining",
    )
)
PARTITIVE = PhraseTable(
    (phrase, True) for phrase in ("of the", "of their", "of its", "of them", "of whom", "of those", "of these", "of", "of our")
)
SUBSET_MARKERS = PhraseTable(
    (phrase, True)
    for phrase in (
        "including",
        "among them",
        "among whom",
        "of whom",
        "of them",
        "most of them",
        "mostly",
        "among those",
        "among the dead",
        "among the victims",
        "many of them",
        "the majority of them",
        "half of them",
        "including at least",
        "of those",
        "among",
        "incl",
    )
)
COORDINATORS = frozenset({"and", ",", "as well as", "plus", "while", "with", "another", "&", "whereas", "but"})
# Tokens a noun phrase may not run across.
NOUN_PHRASE_STOPS = frozenset(
    [
        "and",
        "or",
        "but",
        "in",
        "on",
        "at",
        "to",
        "from",
        "by",
        "with",
        "were",
        "was",
        "are",
        "is",
        "have",
        "has",
        "had",
        "who",
        "that",
        "which",
        "since",
        "after",
        "before",
        "during",
        "as",
        "while",
        "when",
        "where",
        "across",
        "including",
        "for",
        "into",
        "onto",
        "over",
        "under",
        "than",
        ",",
        ";",
        ":",
        "(",
        ")",
        ".",
        '"',
        "“",
        "”",
        "—",
        "–",
        "-",
        "+",
        "/",
        "had",
        "been",
        "be",
    ]
)
ADJUNCT_PREPOSITIONS = frozenset(
    {
        "in",
        "across",
        "from",
        "throughout",
        "inside",
        "near",
        "around",
        "at",
        "on",
        "since",
        "during",
        "over",
        "within",
        "outside",
        "of",
    }
)
TIME_WORDS = frozenset(
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "yesterday",
        "today",
        "overnight",
        "last",
        "this",
        "past",
        "week",
        "weekend",
        "month",
        "year",
        "day",
        "days",
        "weeks",
        "months",
        "hours",
        "morning",
        "evening",
        "night",
        "afternoon",
        "the",
        "a",
        "single",
        "recent",
        "earlier",
        "later",
    ]
) | frozenset(MONTHS)
# Words that stop a walk to the left in search of a subject ("the death toll").
WALK_STOPS = frozenset(
    {
        "and",
        "but",
        "while",
        "as",
        "said",
        "says",
        "after",
        "when",
        "where",
        "which",
        "who",
        "because",
        ";",
        ".",
        "whereas",
        "although",
        "though",
        "meanwhile",
    }
)
MAX_WALK = 12
MAX_NOUN_PHRASE = 4


@dataclass(frozen=True, slots=True)
class Figure:
    """A number in a sentence, read as far as its own words allow."""

    number: Number  # the number expression
    first: int  # index of its first token in the sentence
    last: int  # index after its last token
    noun: Noun | None = None  # what it counts, when a noun phrase says so
    noun_text: str = ""  # the noun phrase's head as written ("families")
    noun_end: int = -1  # index after the noun phrase
    outcome: str | None = None  # killed, injured, displaced, famine, ...
    trigger: str = ""  # how the outcome was found: before, after, subject, inherited
    trigger_end: int = -1  # index after the trigger, when it follows the figure
    qualifier: Qualifier | None = None  # the qualifier phrase's meaning
    raw_qualifier: str = ""  # the qualifier as written
    rate_unit: str | None = None  # pint time unit when the figure is a rate
    rejected: str = ""  # why it is not a figure of people, if it is not

    @property
    def tail(self) -> int:
        """Index after everything that belongs to this figure."""
        return max(self.last, self.noun_end, self.trigger_end)


def _text(tokens: list[Token], start: int, stop: int) -> str:
    return " ".join(token.text for token in tokens[start:stop])


def _token_span(tokens: list[Token], number: Number) -> tuple[int, int]:
    starts = [token.start for token in tokens]
    first = bisect.bisect_left(starts, number.start)
    last = bisect.bisect_left(starts, number.end, lo=first)
    return first, max(last, first + 1)


def _skip(table: PhraseTable[bool], tokens: list[Token], index: int) -> int:
    found = table.match_at(tokens, index)
    return index + found[0] if found else index


def _skip_one(tokens: list[Token], index: int, vocab: Vocabulary) -> int:
    """Index after one adjunct at `index`: an auxiliary, a time word, a bracket,
    a place or time phrase ("in Khan Younis", "since 7 October") or a subset
    clause (", including 12 children,"). `index` itself when there is none."""
    if index >= len(tokens):
        return index
    token = tokens[index]
    if token.norm == "(":
        close = next((k for k in range(index + 1, min(len(tokens), index + 16)) if tokens[k].norm == ")"), None)
        return index if close is None else close + 1
    if token.norm in vocab.auxiliaries or token.norm in TIME_WORDS:
        return index + 1
    if token.norm == "," and SUBSET_MARKERS.match_at(tokens, index + 1):
        close = next((k for k in range(index + 2, min(len(tokens), index + 14)) if tokens[k].norm == ","), None)
        return index if close is None else close + 1
    if token.norm in ADJUNCT_PREPOSITIONS and index + 1 < len(tokens):
        following = index + 1
        while following < len(tokens) and (tokens[following].norm in ("the", "a") or tokens[following].norm in TIME_WORDS):
            following += 1
        run = following
        while run < len(tokens) and (tokens[run].is_capitalized or tokens[run].norm in MONTHS) and tokens[run].is_word:
            run += 1
        while run < len(tokens) and tokens[run].norm.isdigit() and len(tokens[run].norm) <= 4:
            run += 1  # "since 7 October", "in 2024"
        if run == following and following == index + 1:
            return index
        return run
    return index


def _skip_adjuncts(tokens: list[Token], index: int, vocab: Vocabulary) -> int:
    """Skip every adjunct from `index` on: "in Khan Younis on Tuesday have"."""
    for _ in range(14):
        skipped = _skip_one(tokens, index, vocab)
        if skipped == index:
            break
        index = skipped
    return index


def _reject_reason(text: str, tokens: list[Token], figure: Figure) -> str:
    number, first, last = figure.number, figure.first, figure.last
    before = tokens[first - 1].norm if first > 0 else ""
    before2 = tokens[first - 2].norm if first > 1 else ""
    after = tokens[last].norm if last < len(tokens) else ""
    after2 = tokens[last + 1].norm if last + 1 < len(tokens) else ""
    if number.value <= 0 or number.value > 9e9:
        return "implausible"
    if number.end < len(text) and text[number.end].isalnum():
        return "attached letters"  # 7th, 5G, 10am
    if before in MONEY_BEFORE or (first > 0 and tokens[first - 1].norm.endswith("$")):
        return "money"
    if before in NOT_A_COUNT_BEFORE or (before == "-" and before2 in NOT_A_COUNT_BEFORE):
        return "code or age"
    if before in ("under", "over", "below", "above") and before2 in AGE_HEADS and after not in ("people", "persons", "children"):
        return "age"
    if after == "-" and last + 1 < len(tokens) and tokens[last + 1].is_word and after2 not in ("plus",):
        return "compound modifier"  # a 60-day ceasefire, a 7-year-old
    if after in (":",) and after2[:1].isdigit():
        return "time"
    if after in TIME_AFTER or after in ("%",):
        return "time or percent" if after != "%" else "percent"
    if number.kind == "exact" and (before in MONTHS or after in MONTHS) and number.value <= 31:
        return "date"
    counts_people = figure.noun is not None and figure.noun.kind in ("people", "aid", "staff", "household")
    if number.plain_digits and len(number.raw) == 4 and 1900 <= number.value <= 2100 and (not counts_people or before in MONTHS):
        return "year"
    if number.kind == "exact" and number.value != int(number.value) and number.raw.replace(".", "").isdigit():
        return "fraction"  # 5.6 persons per household, IPC 3.5
    if before in POPULATION_TOTAL_BEFORE or before.endswith("'s"):
        return "population total"  # its 2.2 million residents, Gaza's 2.1 million people
    if (before2, before) in (("population", "of"), ("home", "to"), ("populations", "of")):
        return "population total"
    if before == "the" and figure.noun_text.lower() in POPULATION_TOTAL_NOUNS:
        return "population total"
    if figure.noun is not None and figure.noun.kind == "not_people":
        return "not people"
    return ""


def _noun_phrase(tokens: list[Token], index: int, vocab: Vocabulary, organisation_named: bool) -> tuple[Noun | None, str, int]:
    """The counted noun after a figure: "195 U.N. personnel", "172 of their dependents"."""
    index = _skip(PARTITIVE, tokens, index)
    for offset in range(MAX_NOUN_PHRASE + 1):
        position = index + offset
        if position >= len(tokens):
            break
        found = vocab.nouns.match_at(tokens, position)
        if found:
            size, noun = found
            if noun.kind == "staff":
                noun = Noun("aid", None, "person") if organisation_named else Noun("people", None, "person")
            return noun, _text(tokens, position, position + size), position + size
        token = tokens[position]
        if token.norm in NOUN_PHRASE_STOPS or not token.is_word:
            break
    return None, "", -1


def _after_trigger(tokens: list[Token], index: int, vocab: Vocabulary) -> tuple[str, int] | None:
    """A trigger following the figure and its noun phrase: "were killed", "face famine"."""
    position = index
    for _ in range(10):
        found = vocab.after_triggers.match_at(tokens, position)
        if found:
            return found[1], position + found[0]
        skipped = _skip_one(tokens, position, vocab)
        if skipped == position:
            return None
        position = skipped
    return None


def _before_trigger(tokens: list[Token], index: int, vocab: Vocabulary) -> str | None:
    """A verb right before the figure: "killed at least 30", "claimed the lives of 12"."""
    found = DETERMINERS.match_ending_at(tokens, index)
    if found:
        index -= found[0]
    found_trigger = vocab.before_triggers.match_ending_at(tokens, index)
    return found_trigger[1] if found_trigger else None


def _subject_trigger(tokens: list[Token], index: int, vocab: Vocabulary, qualified_by_verb: bool) -> str | None:
    """A subject tied to the figure by a linking verb: "the death toll has risen to 7,028"."""
    found = DETERMINERS.match_ending_at(tokens, index)
    if found:
        index -= found[0]
    if index == 0:
        return None
    adjacent = tokens[index - 1].norm
    if not (qualified_by_verb or adjacent in vocab.link_words or adjacent in vocab.link_marks):
        return None
    for position in range(index, max(0, index - MAX_WALK) - 1, -1):
        found_subject = vocab.noun_triggers.match_ending_at(tokens, position)
        if found_subject:
            return found_subject[1]
        if position == 0:
            break
        token = tokens[position - 1]
        if token.norm in WALK_STOPS or (token.norm[:1].isdigit() and position - 1 != index - 1):
            return None
    return None


_VERB_QUALIFIERS = frozenset(
    {
        "tops",
        "topped",
        "topping",
        "passed",
        "passes",
        "past",
        "crossed",
        "surpassed",
        "surpasses",
        "surpassing",
        "exceeded",
        "exceeds",
        "exceeding",
        "exceed",
        "surpass",
        "top",
    }
)


def read_figure(text: str, tokens: list[Token], number: Number, vocab: Vocabulary, organisation_named: bool) -> Figure:
    """Everything the words around one number say about it."""
    first, last = _token_span(tokens, number)
    figure = Figure(number, first, last)
    qualifier_start = first
    found = vocab.qualifiers_before.match_ending_at(tokens, first)
    if found:
        size, qualifier = found
        qualifier_start = first - size
        figure = replace(figure, qualifier=qualifier, raw_qualifier=_text(tokens, qualifier_start, first))
    after = last
    if after < len(tokens) and tokens[after].norm == "+" and tokens[after].start == number.end:
        figure = replace(figure, qualifier=Qualifier("more_than", "low"), raw_qualifier="+")
        after += 1
    elif after + 1 < len(tokens) and tokens[after].norm == "-" and tokens[after + 1].norm == "plus":
        figure = replace(figure, qualifier=Qualifier("more_than", "low"), raw_qualifier="-plus")
        after += 2
    noun, noun_text, noun_end = _noun_phrase(tokens, after, vocab, organisation_named)
    figure = replace(figure, noun=noun, noun_text=noun_text, noun_end=noun_end)
    trailing = vocab.qualifiers_after.match_at(tokens, max(after, noun_end))
    if trailing and figure.qualifier is None:
        figure = replace(
            figure, qualifier=trailing[1], raw_qualifier=_text(tokens, max(after, noun_end), max(after, noun_end) + trailing[0])
        )
    reason = _reject_reason(text, tokens, figure)
    if reason:
        return replace(figure, rejected=reason)
    rate = vocab.rates.match_at(tokens, max(after, noun_end))
    if rate:
        figure = replace(figure, rate_unit=rate[1])
    outcome = _before_trigger(tokens, qualifier_start, vocab)
    if outcome:
        return replace(figure, outcome=outcome, trigger="before")
    for start in dict.fromkeys((after, noun_end if noun_end > 0 else after)):
        found_after = _after_trigger(tokens, start, vocab)
        if found_after:
            return replace(figure, outcome=found_after[0], trigger="after", trigger_end=found_after[1])
    qualified_by_verb = bool(figure.raw_qualifier) and figure.raw_qualifier.lower() in _VERB_QUALIFIERS
    outcome = _subject_trigger(tokens, qualifier_start, vocab, qualified_by_verb)
    if outcome:
        return replace(figure, outcome=outcome, trigger="subject")
    return figure


def _gap_is(tokens: list[Token], start: int, stop: int, vocab: Vocabulary, markers: PhraseTable[bool] | None) -> bool:
    """Whether tokens[start:stop] hold only adjuncts and a joining word (or a subset marker)."""
    position = _skip_adjuncts(tokens, start, vocab)
    if markers is None:
        joined = False
        while position < stop and (tokens[position].norm in COORDINATORS or tokens[position].norm in ("as", "well")):
            position += 1
            joined = True
        if not joined:
            return False
    else:
        while position < stop and tokens[position].norm == ",":
            position += 1
        found = markers.match_at(tokens, position)
        if not found:
            return False
        position += found[0]
    position = _skip(DETERMINERS, tokens, position)
    found_qualifier = vocab.qualifiers_before.match_at(tokens, position)
    if found_qualifier:
        position += found_qualifier[0]
    position = _skip_adjuncts(tokens, position, vocab) if position < stop else position
    return position >= stop


def inherit_triggers(figures: list[Figure], tokens: list[Token], vocab: Vocabulary) -> list[Figure]:
    """Give untriggered figures the trigger of a neighbour they are listed with."""
    figures = list(figures)
    for _ in range(len(figures)):
        changed = False
        for index, figure in enumerate(figures):
            if figure.outcome or figure.rejected:
                continue
            previous = next((f for f in reversed(figures[:index]) if not f.rejected), None)
            following = next((f for f in figures[index + 1 :] if not f.rejected), None)
            if previous is not None and previous.outcome:
                start = previous.tail
                if start > figure.first:  # inside the neighbour's own words: "30 people, including 12 children, were killed"
                    start = previous.noun_end if previous.noun_end > 0 else previous.last
                if _gap_is(tokens, start, figure.first, vocab, None) or _gap_is(
                    tokens, start, figure.first, vocab, SUBSET_MARKERS
                ):
                    figures[index] = replace(figure, outcome=previous.outcome, trigger="inherited")
                    changed = True
                    continue
            if following is not None and following.outcome and following.trigger == "after":
                start = max(figure.last, figure.noun_end)
                if _gap_is(tokens, start, following.first, vocab, None):
                    figures[index] = replace(figure, outcome=following.outcome, trigger="inherited")
                    changed = True
        if not changed:
            break
    return figures
