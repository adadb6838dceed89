"""Reading one figure in its sentence: what it counts, how, and whether it counts at all.

The engine hands over a sentence's tokens and the number expressions in it.
For each number this module decides, from the words around it:
  - whether it is a confounder (a date, an age, money, a population total...),
  - the noun phrase it counts ("U.N. personnel", "500 families"),
  - the trigger that says what happened (killed, displaced, face famine),
  - its qualifier ("at least") and whether it is a rate ("a day").
Figures left without a trigger may inherit one from a neighbour in the same
sentence (see inheritance.py). The small words it relies on are in
data/en/lexicon.toml [grammar] and data/en/words.toml [figures].
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass

from .confounders import reject_reason
from .datafiles import word_lists
from .dates import MONTHS
from .numbers import Number
from .phrases import Token, norm_at
from .vocabulary import Noun, Qualifier, Vocabulary

MAX_WALK = 14  # tokens walked to the left in search of a subject
MAX_NOUN_PHRASE = 6  # tokens of modifiers before a counted noun
_WORDS = word_lists("words")["figures"]  # data/en/words.toml [figures]: what each list is for
ARTICLES = frozenset(_WORDS["articles"])
NOUN_JOINERS = frozenset(_WORDS["noun_joiners"])
MODAL_LINKS = frozenset(_WORDS["modal_links"])
NUMBER_JOINERS = frozenset(_WORDS["number_joiners"])
COPULAS = frozenset(_WORDS["copulas"])
SUBJECT_LINKS = frozenset(_WORDS["subject_links"])
MAX_STATE_DISTANCE = 6  # tokens between "face" and the state's name


@dataclass(slots=True)
class Figure:
    """A number in a sentence, read as far as its own words allow. Mutable: it is
    filled in step by step while its sentence is read, and never shared."""

    number: Number  # the number expression
    first: int  # index of its first token in the sentence
    last: int  # index after its last token
    noun: Noun | None = None  # what it counts, when a noun phrase says so
    noun_text: str = ""  # the noun phrase's head as written ("families")
    noun_start: int = -1  # index of the noun phrase's head
    noun_end: int = -1  # index after the noun phrase
    outcome: str | None = None  # killed, injured, displaced, famine, ...
    trigger: str = ""  # how the outcome was found: before, after, subject, inherited
    trigger_end: int = -1  # index after the trigger, when it follows the figure
    qualifier: Qualifier | None = None  # the qualifier phrase's meaning
    raw_qualifier: str = ""  # the qualifier as written
    qualifier_start: int = -1  # index of the qualifier's first token
    rate_unit: str | None = None  # pint time unit when the figure is a rate
    rejected: str = ""  # why it is not a figure of people, if it is not

    @property
    def tail(self) -> int:
        """Index after everything that belongs to this figure."""
        return max(self.last, self.noun_end, self.trigger_end)

    @property
    def head(self) -> int:
        """Index of the first token that belongs to this figure."""
        return self.qualifier_start if self.qualifier_start >= 0 else self.first


def updated(figure: Figure, **changes: object) -> Figure:
    """The figure with `changes` applied (in place: dataclasses.replace is slow on a hot path)."""
    for name, value in changes.items():
        setattr(figure, name, value)
    return figure


def text_of(tokens: list[Token], start: int, stop: int) -> str:
    """The tokens as written, without a sentence's full stop ("civilians." -> "civilians"; "U.N." stays)."""
    text = " ".join(token.text for token in tokens[start:stop])
    if text.endswith(".") and text[:-1].rpartition(" ")[2].count(".") == 0 and len(text[:-1].rpartition(" ")[2]) > 1:
        text = text[:-1]
    return text


def _token_span(tokens: list[Token], number: Number, starts: list[int]) -> tuple[int, int]:
    first = bisect.bisect_left(starts, number.start)
    last = bisect.bisect_left(starts, number.end, lo=first)
    return first, max(last, first + 1)


def _closing(tokens: list[Token], index: int, closer: str, limit: int) -> int | None:
    return next((k for k in range(index + 1, min(len(tokens), index + limit)) if tokens[k].norm == closer), None)


def _is_plain_clause(tokens: list[Token], start: int, stop: int, vocab: Vocabulary) -> bool:
    """No verb of its own and no trigger: an apposition such as ", 96 per cent of the population,"."""
    grammar = vocab.grammar
    for token in tokens[start:stop]:
        if (token.norm in vocab.auxiliaries and token.norm not in grammar.time_words) or token.norm in vocab.trigger_words:
            return False
    return True


def skip_one(tokens: list[Token], index: int, vocab: Vocabulary, *, subsets: bool = True) -> int:
    """Index after one adjunct at `index`: an auxiliary or adverb, a bracket, a place
    or time phrase ("in Khan Younis", "since 7 October"), an apposition or a subset
    clause (", including 12 children,"). `index` itself when there is none."""
    if index >= len(tokens):
        return index
    grammar = vocab.grammar
    token = tokens[index]
    if token.norm == "(":
        close = _closing(tokens, index, ")", 18)
        return index if close is None else close + 1
    if token.norm in vocab.auxiliaries or token.norm in grammar.time_words or (token.norm.endswith("ly") and len(token.norm) > 4):
        return index + 1
    if token.norm in ("–", "—") or (token.norm == "-" and index > 0 and tokens[index - 1].end < token.start):
        close = next((k for k in range(index + 1, min(len(tokens), index + 14)) if tokens[k].norm == token.norm), None)
        if close is not None and _is_plain_clause(tokens, index + 1, close, vocab):
            return close + 1  # "1.9 million people – about 90 per cent of the population – have been displaced"
        return index
    if token.norm == ",":
        if norm_at(tokens, index + 1) in vocab.auxiliaries:
            return index + 1  # "Half of the population, 1.1 million people, is projected"
        close = _closing(tokens, index, ",", 12)
        end = close if close is not None else len(tokens)
        if any(tokens[k].norm in grammar.saying_verbs for k in range(index + 1, min(end, index + 9))):
            return end + 1 if close is not None else end  # ", the health ministry said,"
        marker = grammar.subset_markers.match_at(tokens, index + 1)
        apposition = close is not None and (subsets or not marker)
        # The marker's own words ("of which", "of whom") are no verb of the clause.
        if apposition and _is_plain_clause(tokens, index + 1 + (marker[0] if marker else 0), close, vocab):
            return close + 1
        return index
    if token.norm in grammar.adjunct_prepositions and index + 1 < len(tokens):
        following = index + 1
        while following < len(tokens) and tokens[following].norm in ARTICLES:
            following += 1
        run = following
        while run < len(tokens) and (tokens[run].norm in grammar.time_words or tokens[run].norm.endswith("'s")):
            run += 1
        while run < len(tokens) and tokens[run].is_word and (tokens[run].is_capitalized or tokens[run].norm in MONTHS):
            run += 1
        while run < len(tokens) and tokens[run].norm.isdigit() and len(tokens[run].norm) <= 4:
            run += 1  # "since 7 October", "in 2024"
        if run > following and not _continues_phrase(tokens, run, vocab):
            return run
    return index


def _continues_phrase(tokens: list[Token], index: int, vocab: Vocabulary) -> bool:
    """Whether tokens[index] is a plain lowercase word that carries a phrase on ("in Gaza
    city"), rather than a verb, trigger, rate or time word that follows it ("in Gaza every day")."""
    if index >= len(tokens):
        return False
    token = tokens[index]
    return (
        token.is_word
        and not token.is_capitalized
        and token.norm not in vocab.auxiliaries
        and token.norm not in vocab.grammar.time_words
        and not vocab.after_triggers.match_at(tokens, index)
        and not vocab.grammar.state_verbs.match_at(tokens, index)
        and not vocab.rates.match_at(tokens, index)
    )


def skip_adjuncts(tokens: list[Token], index: int, vocab: Vocabulary, *, subsets: bool = True) -> int:
    """Skip every adjunct from `index` on: "in Khan Younis on Tuesday have"."""
    for _ in range(16):
        skipped = skip_one(tokens, index, vocab, subsets=subsets)
        if skipped == index:
            break
        index = skipped
    return index


def _prepositional_object(tokens: list[Token], index: int, vocab: Vocabulary) -> int:
    """Skip "from a Palestinian charity", "of a national NGO" or "of Zamzam camp in North
    Darfur, Sudan," when a verb or a trigger follows it."""
    if norm_at(tokens, index) not in vocab.grammar.adjunct_prepositions or norm_at(tokens, index + 1) in vocab.grammar.walk_stops:
        return index  # "one of which forced a family to evacuate": a clause of its own, not an object
    for stop in range(index + 2, min(len(tokens), index + 13)):
        token = tokens[stop]
        if token.norm in vocab.auxiliaries or vocab.after_triggers.match_at(tokens, stop):
            return stop
        if token.norm == "," and stop + 1 < len(tokens):
            following = tokens[stop + 1]
            if following.norm in vocab.auxiliaries or vocab.after_triggers.match_at(tokens, stop + 1):
                return stop + 1  # "... of Los Alamos, New Mexico, lost their homes"
            if following.is_capitalized:
                continue  # a list of places: "North Darfur, Sudan"
        if not token.is_word and token.norm not in ("(", ")"):
            return index
    return index


def _noun_phrase(
    tokens: list[Token], index: int, vocab: Vocabulary, organisation_population: Callable[[], str | None]
) -> tuple[Noun | None, str, int, int]:
    """The counted noun after a figure: "195 U.N. personnel", "172 of their dependents",
    "three Sudanese Red Crescent Society (SRCS) volunteers". English noun phrases end on
    their head, so the last known noun before a stop wins."""
    if not vocab.nouns.may_start_in(tokens, index):
        return None, "", -1, -1  # no counted noun from here on
    grammar = vocab.grammar
    partitive = grammar.partitive.match_at(tokens, index)
    if partitive:
        index += partitive[0]
        # "1.4 million of Gaza's 2.3 million people": the base's noun is the figure's noun.
        while index < len(tokens) and (tokens[index].is_capitalized or vocab.is_number(tokens[index].norm)):
            index += 1
    best: tuple[Noun, str, int] | None = None
    position, modifiers = index, 0
    while position < len(tokens) and modifiers <= MAX_NOUN_PHRASE:
        found = vocab.nouns.match_at(tokens, position)
        if found:
            size, noun = found
            if noun.kind == "staff":
                population = organisation_population()
                noun = Noun("aid", population, "person") if population else Noun("people", None, "person")
            best = (noun, text_of(tokens, position, position + size), position, position + size)
            position += size
            if noun.kind == "not_people":
                break
            continue
        token = tokens[position]
        if token.norm == "(" and (best is None or tokens[position - 1].is_capitalized):
            close = _closing(tokens, position, ")", 8)
            if close is None:
                break
            position = close + 1
            continue
        if token.norm in NOUN_JOINERS and best is not None and vocab.nouns.match_at(tokens, position + 1):
            position += 1  # "SRCS volunteers and staff"
            continue
        if token.norm in grammar.noun_phrase_stops or not token.is_word or token.norm in vocab.auxiliaries:
            break
        if best is not None and not token.is_capitalized:
            break  # a word after the head: the phrase is over ("Sudanese Red Crescent volunteers" goes on)
        position += 1
        modifiers += 1
    if best is None:
        return None, "", -1, -1
    return best


def _state_trigger(tokens: list[Token], position: int, vocab: Vocabulary) -> tuple[str, int] | None:
    """ "face high levels of acute food insecurity", "are in Phase 5": a state verb, then the state."""
    verb = vocab.grammar.state_verbs.match_at(tokens, position)
    if not verb:
        return None
    start = position + verb[0]
    for offset in range(MAX_STATE_DISTANCE + 1):
        index = start + offset
        if index >= len(tokens) or tokens[index].norm in (".", ";"):
            return None
        for outcome, states in vocab.states:
            found = states.match_at(tokens, index)
            if found:
                return outcome, index + found[0]
    return None


def _combined(tokens: list[Token], index: int, vocab: Vocabulary) -> bool:
    """ "killed or injured": the figure counts two outcomes at once."""
    if norm_at(tokens, index) not in vocab.grammar.combiners:
        return False
    following = vocab.after_triggers.match_at(tokens, index + 1) or vocab.before_triggers.match_at(tokens, index + 1)
    return bool(following)


def _after_trigger(tokens: list[Token], index: int, vocab: Vocabulary) -> tuple[str, int, int] | None:
    """A trigger following the figure and its noun phrase: "were killed", "face famine",
    as (outcome, index of its first token, index after it)."""
    if not (vocab.after_triggers.may_start_in(tokens, index) or vocab.grammar.state_verbs.may_start_in(tokens, index)):
        return None  # no trigger and no state verb from here on
    position = index
    for _ in range(12):
        found = vocab.after_triggers.match_at(tokens, position)
        if found:
            return found[1], position, position + found[0]
        state = _state_trigger(tokens, position, vocab)
        if state:
            return state[0], position, state[1]
        skipped = _prepositional_object(tokens, position, vocab)
        if skipped == position:
            skipped = skip_one(tokens, position, vocab)
        if skipped == position:
            rate = vocab.rates.match_at(tokens, position)  # "700 people each week are fleeing"
            skipped = position + rate[0] if rate else position
        if skipped == position:
            return None
        position = skipped
    return None


def _before_trigger(tokens: list[Token], index: int, vocab: Vocabulary) -> tuple[str, int] | None:
    """A verb right before the figure: "killed at least 30", "claimed the lives of 12"."""
    found = vocab.grammar.determiners.match_ending_at(tokens, index)
    if found:
        index -= found[0]
    found_trigger = vocab.before_triggers.match_ending_at(tokens, index)
    if not found_trigger:
        return None
    return found_trigger[1], index - found_trigger[0]


def _starts_line(text: str, tokens: list[Token], index: int) -> bool:
    """Whether tokens[index] is the first token on its line (a bullet before it counts as nothing)."""
    if index > 0 and tokens[index - 1].norm in ("-", "–", "—", "*", "•", "·", "▪"):
        index -= 1
    return index == 0 or "\n" in text[tokens[index - 1].end : tokens[index].start]


def _label_line(text: str, tokens: list[Token], index: int, vocab: Vocabulary) -> str | None:
    """A key figure under its label: a line that is only a subject ("Deaths", "People displaced")
    and the figure first on the next line."""
    if index == 0 or not _starts_line(text, tokens, index):
        return None
    found = vocab.noun_triggers.match_ending_at(tokens, index)
    if found and _starts_line(text, tokens, index - found[0]):
        return found[1]
    return _label_above(text, tokens, index, vocab)


MAX_LABEL_LINE = 12  # tokens of a label line with its time phrase


def _label_above(text: str, tokens: list[Token], index: int, vocab: Vocabulary) -> str | None:
    """A figure alone on its line under a label that opens with its trigger and goes on with
    a time phrase: "Palestinians killed since 7 October 2023" over "52,928"."""
    following = index + 1
    while following < len(tokens) and tokens[following].norm in (",", "+"):
        following += 1
    if following < len(tokens) and not _starts_line(text, tokens, following):
        return None  # the figure has words of its own after it
    line_start = index - 1
    while line_start > 0 and index - line_start < MAX_LABEL_LINE and not _starts_line(text, tokens, line_start):
        line_start -= 1
    if not _starts_line(text, tokens, line_start) or tokens[index - 1].norm in (":", ".", ";"):
        return None
    for position in (line_start, line_start + 1):
        if position < index and tokens[position].is_capitalized == (position == line_start):
            found = vocab.noun_triggers.match_at(tokens, position)
            if found:
                return found[1]
    return None


def _noun_frame(tokens: list[Token], figure: Figure, vocab: Vocabulary) -> tuple[str, int] | None:
    """A verb that is a trigger only with the figure's noun: "claimed 1,400 lives"."""
    frame = vocab.noun_frames.get(figure.noun_text.lower()) if figure.noun_text else None
    if frame is None:
        return None
    outcome, verbs = frame
    found = verbs.match_ending_at(tokens, figure.head)
    return (outcome, figure.head - found[0]) if found else None


MAX_HOST_SUBJECT = 8  # tokens between a shelter and the verb that says it hosts people


def _hosted(tokens: list[Token], figure: Figure, vocab: Vocabulary) -> tuple[str, int] | None:
    """People a shelter hosts or holds: "the camps west of Goma hosted more than 600,000 people",
    "7 accommodation centres are hosting 3,410 people"."""
    if figure.noun is None or figure.noun.kind != "people":
        return None
    grammar = vocab.grammar
    index = figure.head
    found = grammar.determiners.match_ending_at(tokens, index)
    if found:
        index -= found[0]
    verb = grammar.host_verbs.match_ending_at(tokens, index)
    if not verb:
        return None
    start = index - verb[0]
    for position in range(start - 1, max(-1, start - 1 - MAX_HOST_SUBJECT), -1):
        if tokens[position].norm in grammar.shelter_places:
            # People in transit ("the Renk transit centre hosts 8,120 people") are no shelter count.
            return None if norm_at(tokens, position - 1) == "transit" else ("sheltering", start)
        if tokens[position].norm in (".", ";"):
            return None
    return None


def _after_modal(tokens: list[Token], trigger_start: int, vocab: Vocabulary) -> bool:
    """Whether a modal stands right before the trigger ("could die", "likely to be killed")."""
    position = trigger_start - 1
    for _ in range(2):
        if norm_at(tokens, position) not in MODAL_LINKS:
            break
        position -= 1
    return norm_at(tokens, position) in vocab.grammar.risk_modals


def _among_whom(
    figure: Figure, tokens: list[Token], index: int, vocab: Vocabulary, organisation_population: Callable[[], str | None]
) -> None:
    """ "the 140 deaths among health workers": the people after "among" are whom the figure counts."""
    noun, noun_text, head_start, noun_end = _noun_phrase(tokens, index, vocab, organisation_population)
    if noun is not None and noun.kind != "not_people":
        figure.noun, figure.noun_text, figure.noun_start, figure.noun_end = noun, noun_text, head_start, noun_end


def _subject_trigger(tokens: list[Token], index: int, vocab: Vocabulary, qualified_by_verb: bool) -> str | None:
    """A subject tied to the figure by a linking verb: "the death toll has risen to 7,028",
    "Deaths (cumulative): 57,575", "IDPs in 108 sites: 160,000+"."""
    if not vocab.noun_triggers.may_end_in(tokens, index):
        return None  # no subject before the figure
    grammar = vocab.grammar
    found = grammar.determiners.match_ending_at(tokens, index)
    if found:
        index -= found[0]
    if index == 0:
        return None
    adjacent = tokens[index - 1].norm
    if adjacent == "," and vocab.noun_triggers.match_ending_at(tokens, index - 1):
        return vocab.noun_triggers.match_ending_at(tokens, index - 1)[1]  # apposition: "all IDPs, over 5.2 million people,"
    heading = adjacent in vocab.link_marks
    if not (qualified_by_verb or heading or adjacent in vocab.link_words):
        return None
    free_words = 0
    position = index
    while position > 0 and index - position <= MAX_WALK:
        found_subject = vocab.noun_triggers.match_ending_at(tokens, position)
        if found_subject:
            if norm_at(tokens, position - found_subject[0] - 1) in grammar.earlier:
                return None  # "an earlier toll of 900"
            return found_subject[1]
        token = tokens[position - 1]
        if token.norm == ")":
            opening = next((k for k in range(position - 2, max(-1, position - 18), -1) if tokens[k].norm == "("), None)
            if opening is None:
                return None
            position = opening
            continue
        if (
            token.norm == "and"
            and position >= 2
            and tokens[position - 2].is_capitalized
            and position < len(tokens)
            and tokens[position].is_capitalized
        ):
            position -= 1  # a list of places: "the combined toll in Turkey and Syria has passed 20,000"
            continue
        if token.norm in grammar.walk_stops or (token.norm == "had" and norm_at(tokens, position) == "stood"):
            return None  # "the toll had stood at 1,411": an earlier figure
        if token.norm[:1].isdigit() and position - 1 != index - 1:
            # Only a heading may reach past a number ("IDPs in 108 sites: 160,000"),
            # and only the old value of "from 22,000 to" may be passed otherwise.
            if not (heading or norm_at(tokens, position - 2) == "from" or norm_at(tokens, position) == "-"):
                return None
        elif (
            token.is_word
            and not token.is_capitalized
            and token.norm not in vocab.link_words
            and token.norm not in vocab.auxiliaries
            and token.norm not in grammar.adjunct_prepositions
            and token.norm not in grammar.time_words
        ):
            free_words += 1
            if free_words > 5:
                return None
        position -= 1
    return None


def read_figure(
    text: str,
    tokens: list[Token],
    number: Number,
    vocab: Vocabulary,
    organisation_population: Callable[[], str | None],
    starts: list[int] | None = None,
) -> Figure:
    """Everything the words around one number say about it. `organisation_population` tells,
    when asked, whose staff the context's "staff" are (None: no aid organisation named)."""
    first, last = _token_span(tokens, number, starts if starts is not None else [token.start for token in tokens])
    figure = Figure(number, first, last, qualifier_start=first)
    found = vocab.qualifiers_before.match_ending_at(tokens, first)
    if found:
        size, figure.qualifier = found
        figure.raw_qualifier, figure.qualifier_start = text_of(tokens, first - size, first), first - size
    after = last
    if norm_at(tokens, after) == "+" and tokens[after].start == number.end:
        figure = updated(figure, qualifier=Qualifier("more_than", "low"), raw_qualifier="+")
        after += 1
    elif norm_at(tokens, after) == "-" and norm_at(tokens, after + 1) == "plus":
        figure = updated(figure, qualifier=Qualifier("more_than", "low"), raw_qualifier="-plus")
        after += 2
    noun_start = after
    if norm_at(tokens, after) in NUMBER_JOINERS and after + 1 < len(tokens) and vocab.is_number(tokens[after + 1].norm):
        noun_start = after + 2  # "three or four times": the noun after the second number counts the first
    noun, noun_text, head_start, noun_end = _noun_phrase(tokens, noun_start, vocab, organisation_population)
    if noun is None:
        verb_at = noun_start
        partitive = vocab.grammar.partitive.match_at(tokens, verb_at)
        if partitive and norm_at(tokens, verb_at + partitive[0]) in COPULAS:
            verb_at += partitive[0]  # "310 of whom were children"
        if norm_at(tokens, verb_at) in COPULAS:
            # "of whom 18,000 were children"
            noun, noun_text, head_start, noun_end = _noun_phrase(tokens, verb_at + 1, vocab, organisation_population)
            noun_end = head_start if noun is not None else noun_end  # the trigger may still follow the verb
    figure.noun, figure.noun_text, figure.noun_start, figure.noun_end = noun, noun_text, head_start, noun_end
    trailing = vocab.qualifiers_after.match_at(tokens, max(after, noun_end))
    if trailing and figure.qualifier is None:
        start = max(after, noun_end)
        figure = updated(figure, qualifier=trailing[1], raw_qualifier=text_of(tokens, start, start + trailing[0]))
    figure.rejected = reject_reason(text, tokens, figure, vocab)
    if figure.rejected:
        return figure
    before = _before_trigger(tokens, figure.head, vocab) or _noun_frame(tokens, figure, vocab) or _hosted(tokens, figure, vocab)
    if before and noun_end > 0 and _starts_line(text, tokens, figure.head) and vocab.after_triggers.match_at(tokens, noun_end):
        before = None  # a key figure over its label ("2,100 people injured"), not the object of the line above's verb
    if before:
        outcome, trigger_start = before
        if norm_at(tokens, trigger_start - 1) in vocab.grammar.combiners and vocab.before_triggers.match_ending_at(
            tokens, trigger_start - 1
        ):
            return updated(figure, rejected="combined outcomes")  # "killed or injured 1,808 civilians"
        return _with_rate(updated(figure, outcome=outcome, trigger="before"), tokens, vocab)
    qualified_by_verb = figure.raw_qualifier.lower() in vocab.grammar.verb_qualifiers
    subject = _subject_trigger(tokens, figure.head, vocab, qualified_by_verb) or _label_line(text, tokens, figure.head, vocab)
    if subject and norm_at(tokens, figure.head - 1) in SUBJECT_LINKS:
        return _with_rate(updated(figure, outcome=subject, trigger="subject"), tokens, vocab)  # "rose to 5,600, all of them IDPs"
    starts = [after]
    if noun_end > 0:
        starts += [head_start, noun_end]  # the head may itself say it: "6.8 million Ukrainian refugees"
    elif after < len(tokens) and tokens[after].is_word and not tokens[after].is_capitalized:
        starts.append(after + 1)  # "1,244 associated deaths"
    for start in dict.fromkeys(starts):
        found_after = _after_trigger(tokens, start, vocab)
        if found_after:
            outcome, trigger_start, trigger_end = found_after
            if _combined(tokens, trigger_end, vocab):
                return updated(figure, rejected="combined outcomes")  # "127 aid workers killed or injured"
            if outcome in vocab.grammar.risk_outcomes and _after_modal(tokens, trigger_start, vocab):
                return updated(figure, rejected="a risk")  # "100,000 people could die"
            if figure.noun is None and norm_at(tokens, trigger_end) == "among":
                _among_whom(figure, tokens, trigger_end + 1, vocab, organisation_population)
            return _with_rate(updated(figure, outcome=outcome, trigger="after", trigger_end=trigger_end), tokens, vocab)
    if subject:
        return _with_rate(updated(figure, outcome=subject, trigger="subject"), tokens, vocab)
    return figure


def _with_rate(figure: Figure, tokens: list[Token], vocab: Vocabulary) -> Figure:
    """Mark a figure followed by "a day", "each week" (after its noun or its trigger) as a rate."""
    last_start = None  # the last token that may start a rate: one scan of the tokens for the three positions
    for position in dict.fromkeys((figure.noun_end, figure.trigger_end, figure.last)):
        if position < 0:
            continue
        if last_start is None:
            last_start = vocab.rates.last_start(tokens)
        if position > last_start:
            continue  # no rate from here on
        rate = vocab.rates.match_at(tokens, position)
        if not rate:  # skipping adjuncts costs more than the look-up: only when needed
            rate = vocab.rates.match_at(tokens, skip_adjuncts(tokens, position, vocab, subsets=False))
        if rate:
            return updated(figure, rate_unit=rate[1])
    return figure
