"""Figures that share a neighbour's trigger or noun.

Reports list figures: "killed 195 U.N. personnel and 172 of their
dependents", "30 Palestinians and 12 Israelis were killed", "killed 115
people, including 10 women and 3 infants". A figure without a trigger of its
own takes its neighbour's when only joining words, adjuncts or a subset
marker stand between them.
"""

from __future__ import annotations

from itertools import pairwise

from .datafiles import word_lists
from .figures import Figure, skip_one, updated
from .phrases import PhraseTable, Token, norm_at
from .vocabulary import Noun, Vocabulary

_WORDS = word_lists("words")["inheritance"]  # data/en/words.toml [inheritance]: what each list is for
AMONG_REFERENCES = frozenset(_WORDS["among_references"])
OTHERS = frozenset(_WORDS["others"])
AID_ONLY_OUTCOMES = frozenset({"kidnapped", "detained"})


MAX_PLACE_PHRASE = 6  # words of "in the neighbouring district" before the next part of a list


def _place_phrase(tokens: list[Token], start: int, stop: int, vocab: Vocabulary, markers: PhraseTable[bool]) -> int:
    """Index of the marker after a prepositional phrase of plain words ("in Herat province",
    "in one district") that ends on one of `markers` before `stop`; `start` when there is none.
    A toll is distributed in parts so: "412 in Herat province and 96 in Badghis"."""
    if norm_at(tokens, start) not in vocab.grammar.place_prepositions:
        return start
    for position in range(start + 1, min(stop, start + 1 + MAX_PLACE_PHRASE)):
        if position > start + 1 and markers.match_at(tokens, position):
            return position
        token = tokens[position]
        if not token.is_word or token.norm in vocab.auxiliaries or token.norm in vocab.trigger_words:
            return start  # a verb, a figure or a trigger: a clause, not a place
    return start


def _joined_by(
    tokens: list[Token], start: int, stop: int, vocab: Vocabulary, markers: PhraseTable[bool], *, parts: bool = False
) -> bool:
    """Whether tokens[start:stop] hold only adjuncts, one or more of `markers`, a determiner and a qualifier.
    With `parts`, the figure at `stop` may be the next part of a toll distributed by place."""
    grammar = vocab.grammar
    position = start
    for _ in range(16):
        skipped = skip_one(tokens, position, vocab, subsets=False)
        if skipped == position:
            break
        if skipped > stop:
            # The figure sits in what looks like an apposition or a reporting clause. Only
            # the next part of a list by place goes on ("..., 15 in Sindhupalchok, 6 in ...");
            # "two from Al Mayadeen" or "two health workers told" are not parts of the toll.
            if not (parts and tokens[position].norm == "," and norm_at(tokens, stop + 1) in grammar.place_prepositions):
                return False
            break
        position = skipped
    if parts:
        position = _place_phrase(tokens, position, stop, vocab, markers)
    joined = False
    while position < stop and tokens[position].norm == ",":
        position += 1  # ", including", ", among them": the comma only leads in the marker ...
        joined = joined or "," in markers  # ... unless a comma is itself one: "30 people, 12 of them children"
    while position < stop:
        found = markers.match_at(tokens, position)
        if not found:
            break
        position += found[0]
        joined = True
    if not joined:
        return False
    determiner = grammar.determiners.match_at(tokens, position)
    if determiner and position < stop:
        position += determiner[0]
    qualifier = vocab.qualifiers_before.match_at(tokens, position)
    if qualifier and position < stop:
        position += qualifier[0]
    return position == stop


def _followed_by_own_verb(figure: Figure, tokens: list[Token], vocab: Vocabulary) -> bool:
    """ "and one remains missing": the figure has a predicate of its own."""
    position = max(figure.last, figure.noun_end)
    if norm_at(tokens, position) == "(":  # "nearly 8 lakh (800,000) were affected"
        position = next((k + 1 for k in range(position + 1, min(len(tokens), position + 8)) if tokens[k].norm == ")"), position)
    return position < len(tokens) and tokens[position].norm in vocab.auxiliaries


def _subset_after(figure: Figure, tokens: list[Token], vocab: Vocabulary) -> bool:
    """ "six of them children", "several children among them": a subset marker after the figure."""
    found = vocab.grammar.subset_markers.match_at(tokens, figure.last)
    if found and tokens[figure.last].norm == "of":
        return True
    return (
        figure.noun_end > 0
        and norm_at(tokens, figure.noun_end) == "among"
        and norm_at(tokens, figure.noun_end + 1) in AMONG_REFERENCES
    )


def _noun_end(figure: Figure, tokens: list[Token], vocab: Vocabulary) -> int:
    """Index after the figure's counted noun, also when the noun follows a verb ("310 of whom
    were children and 190 women"), where the figure's own noun_end stops at the noun's start."""
    if figure.noun_start < 0:
        return -1
    found = vocab.nouns.match_at(tokens, figure.noun_start)
    return figure.noun_start + found[0] if found else figure.noun_end


def _take(figure: Figure, neighbour: Figure) -> Figure:
    noun = figure.noun
    noun_text = figure.noun_text
    if (noun is None or noun_text.lower() in OTHERS) and neighbour.noun is not None:
        noun, noun_text = neighbour.noun, neighbour.noun_text  # "and two others were injured"
    return updated(figure, outcome=neighbour.outcome, trigger="inherited", noun=noun, noun_text=noun_text)


def _restated(figures: list[Figure], tokens: list[Token], vocab: Vocabulary) -> None:
    """One count said twice, in households and in persons: "2,310 households (about 11,000
    people) were displaced", "4,200 people (about 850 households)". The persons figure is the
    record, with the trigger of either; the households figure gives none (the quote keeps it)."""
    restatements = vocab.grammar.restatements
    for first, second in pairwise(figures):
        if first.rejected or second.rejected or first.noun is None or second.noun is None:
            continue
        kinds = (first.noun.kind, second.noun.kind)
        if kinds not in (("household", "people"), ("people", "household")):
            continue
        found = restatements.match_at(tokens, first.noun_end)
        if not found or first.noun_end + found[0] != second.head:
            continue
        persons, households = (second, first) if kinds[0] == "household" else (first, second)
        if not persons.outcome and households.outcome:
            updated(persons, outcome=households.outcome, trigger="inherited")
        updated(households, rejected="restated in persons")


def _heading(figures: list[Figure], tokens: list[Token], vocab: Vocabulary) -> None:
    """A key-figures block under a heading that names whom it counts: "Aid workers" over
    "95 killed / 60 wounded / 40 kidnapped". Figures without a noun count the heading's people."""
    start = 1 if norm_at(tokens, 0) in ("-", "–", "—", "*", "•", "·", "▪") else 0  # a bullet
    found = vocab.nouns.match_at(tokens, start)
    if not found:
        return
    size, noun = found
    if noun.kind != "aid" and not (noun.kind == "people" and noun.population):
        return
    stop = start + size + (1 if norm_at(tokens, start + size) in vocab.link_marks else 0)
    if figures[0].head != stop:
        return  # a subject with a verb of its own, not a heading
    for figure in figures:
        if figure.noun is None and not figure.rejected:
            updated(figure, noun=noun)


def inherit_triggers(figures: list[Figure], tokens: list[Token], vocab: Vocabulary) -> list[Figure]:
    """Give untriggered figures the trigger of a neighbour they are listed with,
    and figures that count "others" the noun of the neighbour they continue."""
    grammar = vocab.grammar
    figures = list(figures)
    if len(figures) > 1:
        _restated(figures, tokens, vocab)
    if figures and tokens:
        _heading(figures, tokens, vocab)
        if _untriggered(figures):
            lists_after_colon(figures, tokens, vocab)
    for _ in range(len(figures)):
        changed = False
        for index, figure in enumerate(figures):
            if figure.rejected:
                continue
            if figure.outcome:
                # The neighbour is looked for only for a figure that may take its noun: most have their own.
                if (figure.noun_text.lower() == "others" or (figure.noun is None and figure.outcome in AID_ONLY_OUTCOMES)) and (
                    (previous := _previous(figures, index)) is not None
                    and previous.noun is not None
                    and figure.noun != previous.noun
                ):
                    # "two others were injured", "and at least 11 have been detained"
                    figures[index] = updated(figure, noun=previous.noun, noun_text=previous.noun_text)
                continue
            previous = _previous(figures, index)
            if previous is not None:
                start = max(previous.tail, _noun_end(previous, tokens, vocab))
                if start > figure.head:  # inside the neighbour's words: "30 people, including 12 children, were killed"
                    start = max(previous.last, previous.noun_end)
                coordinated = _joined_by(tokens, start, figure.head, vocab, grammar.coordinators, parts=True)
                subset = _joined_by(tokens, start, figure.head, vocab, grammar.subset_markers) or (
                    _subset_after(figure, tokens, vocab) and _joined_by(tokens, start, figure.head, vocab, grammar.coordinators)
                )
                if subset or (coordinated and not _followed_by_own_verb(figure, tokens, vocab)):
                    figures[index] = _take(figure, previous)
                    changed = True
                    continue
            following = next((f for f in figures[index + 1 :] if not f.rejected), None)
            if following is not None and following.outcome and following.trigger == "after":
                start = max(figure.last, figure.noun_end)
                if _joined_by(tokens, start, following.head, vocab, grammar.coordinators) and not _followed_by_own_verb(
                    figure, tokens, vocab
                ):
                    figures[index] = updated(figure, outcome=following.outcome, trigger="inherited")
                    changed = True
        if not changed:
            break
    subsets_of_a_toll(figures, tokens, vocab)
    mixed_arrivals(figures, tokens)
    if _untriggered(figures):
        breakdown_in_brackets(figures, tokens)
    return figures


def _previous(figures: list[Figure], index: int) -> Figure | None:
    """The nearest figure before figures[index] that is kept and has an outcome."""
    return next((f for f in reversed(figures[:index]) if not f.rejected and f.outcome), None)


def _untriggered(figures: list[Figure]) -> bool:
    """Whether a figure is still without a trigger: the passes that give one to such figures
    only (lists_after_colon, breakdown_in_brackets) are skipped when none is."""
    return any(not figure.rejected and not figure.outcome for figure in figures)


TALLY_SEPARATORS = frozenset({"/", "|"})


def is_tally(figures: list[Figure], tokens: list[Token]) -> bool:
    """ "383 killed / 308 wounded / 125 kidnapped": a key-figures line of two or more
    figures, each with its own outcome word and no noun, parted by slashes or bars."""
    kept = [figure for figure in figures if not figure.rejected]
    if len(kept) < 2 or any(figure.noun is not None or not figure.outcome for figure in kept):
        return False
    return all(
        any(token.norm in TALLY_SEPARATORS for token in tokens[first.tail : second.head]) for first, second in pairwise(kept)
    )


def aid_noun_in(tokens: list[Token], vocab: Vocabulary) -> Noun | None:
    """The first aid-worker noun a sentence names ("aid workers", "humanitarian staff")."""
    for _, _, noun in vocab.nouns.matches(tokens):
        if noun.kind == "aid":
            return noun
    return None


def count_aid_workers(figures: list[Figure], noun: Noun) -> None:
    """A tally under text about aid workers counts aid workers: its figures take the noun."""
    for figure in figures:
        if not figure.rejected and figure.noun is None:
            updated(figure, noun=noun)


MAX_TOLL_TO_COLON = 24  # tokens between a toll and the colon that opens its parts
LIST_PREPOSITIONS = frozenset(_WORDS["list_prepositions"])
LIST_JOINERS = frozenset(_WORDS["list_joiners"])
MAX_PLACE_NAME = 5  # capitalized words of a place before its figure ("Cabo Delgado 97")


def _part_after(tokens: list[Token], figure: Figure) -> bool:
    """ "1,294 in Zindajan district", "2,870 from Kencho": a part of a list followed by its place."""
    return (
        norm_at(tokens, figure.last) in LIST_PREPOSITIONS
        and figure.last + 1 < len(tokens)
        and tokens[figure.last + 1].is_capitalized
    )


def _place_before(tokens: list[Token], figure: Figure) -> int:
    """Index of the first word of the place name right before a figure ("Nampula 19"), or the figure's head."""
    position = figure.head
    while position > 0 and figure.head - position < MAX_PLACE_NAME and tokens[position - 1].is_capitalized:
        position -= 1
    return position


def _label_by_division(tokens: list[Token], colon: int, vocab: Vocabulary) -> str | None:
    """ "Deaths by province:", "- Displaced by district:": a label naming the outcome and how it is split."""
    start = 1 if norm_at(tokens, 0) in BULLETS else 0
    found = vocab.noun_triggers.match_at(tokens, start)
    if not found or norm_at(tokens, start + found[0]) != "by" or colon - (start + found[0]) > 3:
        return None
    return found[1]


BULLETS = ("-", "–", "—", "*", "•", "·", "▪")


def lists_after_colon(figures: list[Figure], tokens: list[Token], vocab: Vocabulary) -> None:
    """A toll, then its parts by place after a colon: "report 1,482 deaths from the quakes:
    1,294 in Zindajan district, 96 in Injil and 34 in Kushk", "evacuated from three kebeles:
    2,870 from Kencho, 2,150 from Gozdi", "Deaths by province: Cabo Delgado 97, Nampula 19".
    The parts take the toll's (or the label's) outcome and noun."""
    last: Figure | None = None  # the last figure with an outcome so far
    for index, figure in enumerate(figures):
        if figure.rejected:
            continue
        if figure.outcome:
            last = figure
            continue
        place_first = _part_after(tokens, figure)
        opening = figure.head if place_first else _place_before(tokens, figure)
        if opening == figure.head and not place_first:
            continue
        if norm_at(tokens, opening - 1) != ":":
            continue
        colon = opening - 1
        source = last if last is not None and last.tail <= colon and colon - last.tail <= MAX_TOLL_TO_COLON else None
        if source is not None and any(token.norm in (";", ".") for token in tokens[source.tail : colon]):
            source = None
        label = None if place_first else _label_by_division(tokens, colon, vocab)
        if source is None and label is None:
            continue
        if source is not None and label is None and not place_first:
            continue  # "Place N" parts need a label that says how the toll is split
        outcome = label or source.outcome  # type: ignore[union-attr]
        noun = source.noun if source is not None and label is None else None
        for part in figures[index:]:
            if part.rejected or part.outcome:
                break
            if not (_part_after(tokens, part) if place_first else _place_before(tokens, part) < part.head):
                break
            start = part.head if place_first else _place_before(tokens, part)
            if not (norm_at(tokens, start - 1) in LIST_JOINERS or (start > 0 and tokens[start - 1].text.endswith(","))):
                break
            updated(part, outcome=outcome, trigger="inherited", noun=part.noun or noun)


RELATIVES = frozenset(_WORDS["relatives"])
# "412 of the victims were children": a part of the dead or the injured.
PARTITIVE_OUTCOMES: dict[str, str] = dict(_WORDS["partitive_outcomes"])


def _comma_before(tokens: list[Token], figure: Figure) -> bool:
    return figure.head > 0 and (tokens[figure.head - 1].norm == "," or tokens[figure.head - 1].text.endswith(","))


def _subset_marker_before(figure: Figure, tokens: list[Token], vocab: Vocabulary) -> bool:
    """ ", including 380 children", ", among them at least 222 health workers": a marker after a comma."""
    found = vocab.grammar.subset_markers.match_ending_at(tokens, figure.head)
    if not found:
        return False
    start = figure.head - found[0]
    return start > 0 and (tokens[start - 1].norm == "," or tokens[start - 1].text.endswith(","))


RAISING_VERBS = frozenset(_WORDS["raising_verbs"])
MAX_RAISED = 10  # tokens between "bringing" and the "to" before the new total


def _brought_to(figure: Figure, tokens: list[Token]) -> bool:
    """ "..., bringing the total refugee population in the country to about 1.3 million",
    "bringing to 23 the number of U.N. personnel they hold": a running total of the count before."""
    if norm_at(tokens, figure.head - 1) != "to":
        return False
    for position in range(figure.head - 2, max(-1, figure.head - 2 - MAX_RAISED), -1):
        norm = tokens[position].norm
        if norm in RAISING_VERBS:
            return True
        if norm in (".", ";", ":") or norm[:1].isdigit():
            return False
    return False


MAX_FRONTED = 12  # tokens of "Of the aid workers killed in Gaza," before its figure


def _fronted_partitive(figure: Figure, tokens: list[Token], vocab: Vocabulary) -> str | None:
    """ "Of the aid workers killed in Gaza, 129 were UNRWA staff": a part of the people the
    fronted phrase names, with the outcome it names."""
    start = 1 if norm_at(tokens, 0) in BULLETS else 0
    if norm_at(tokens, start) != "of" or norm_at(tokens, start + 1) != "the" or figure.head - start > MAX_FRONTED:
        return None
    if not _comma_before(tokens, figure):
        return None
    for position in range(start + 2, figure.head):
        found = vocab.after_triggers.match_at(tokens, position)
        if found:
            return found[1]
    return None


def subsets_of_a_toll(figures: list[Figure], tokens: list[Token], vocab: Vocabulary) -> None:
    """Parts of a toll said after it: ", 5 of whom remain in a critical condition", ", 49 of
    them in Camarines Sur" take the outcome of the figure before; "412 of the victims were
    children" and "18 of the dead" count the dead; "6 aid workers have been killed, 11 abducted
    and 4 injured": a figure without a noun after an aid-worker figure counts aid workers."""
    previous: Figure | None = None  # the last figure with an outcome
    toll: Figure | None = None  # the last figure kept, when it has an outcome: the one a relative clause refers to
    # The outcomes so far: a marker after two tolls ("killed X and wounded Y, among them") is ambiguous.
    outcomes: set[str] = set()
    for figure in figures:
        if figure.rejected:
            continue
        if not figure.outcome:
            after, following = norm_at(tokens, figure.last), norm_at(tokens, figure.last + 1)
            # "including 380 children", "including 196 in Germany": people, or a part by place
            counts_people = (figure.noun is not None and figure.noun.kind in ("people", "aid")) or _part_after(tokens, figure)
            if after == "of" and following in RELATIVES and toll is not None and _comma_before(tokens, figure):
                updated(figure, outcome=toll.outcome, trigger="inherited")
            elif toll is not None and counts_people and len(outcomes) == 1 and _subset_marker_before(figure, tokens, vocab):
                updated(figure, outcome=toll.outcome, trigger="inherited")  # past a place or time the list skips
            elif previous is not None and _brought_to(figure, tokens):
                noun, noun_text = (figure.noun, figure.noun_text) if figure.noun else (previous.noun, previous.noun_text)
                updated(figure, outcome=previous.outcome, trigger="inherited", noun=noun, noun_text=noun_text)
            elif (fronted := _fronted_partitive(figure, tokens, vocab)) is not None:
                updated(figure, outcome=fronted, trigger="inherited")
            elif after == "of" and following == "the" and norm_at(tokens, figure.last + 2) in PARTITIVE_OUTCOMES:
                updated(figure, outcome=PARTITIVE_OUTCOMES[norm_at(tokens, figure.last + 2)], trigger="partitive")
        elif figure.noun is None and previous is not None and previous.noun is not None and previous.noun.kind == "aid":
            updated(figure, noun=previous.noun, noun_text=previous.noun_text)
        toll = figure if figure.outcome else None
        if figure.outcome:
            previous = figure
            outcomes.add(figure.outcome)


REST_WORDS = frozenset(_WORDS["rest_words"])
MAX_REST_DISTANCE = 8  # tokens between "the rest" and "returnees"


def mixed_arrivals(figures: list[Figure], tokens: list[Token]) -> None:
    """ "833,000 people have crossed ..., including 204,000 Sudanese refugees; the rest are
    returnees": a total of arrivals that is mostly returnees counts no refugees; its refugee part does."""
    refugees = [figure for figure in figures if not figure.rejected and figure.outcome == "refugees"]
    if len(refugees) < 2:
        return  # before the look for "the rest" over every token, which cost ~3% of extract()
    rest = next(
        (
            index
            for index, token in enumerate(tokens)
            if token.norm in REST_WORDS
            and norm_at(tokens, index - 1) == "the"
            and any(norm_at(tokens, k) == "returnees" for k in range(index + 1, index + MAX_REST_DISTANCE))
        ),
        None,
    )
    if rest is None:
        return
    kept = [figure for figure in refugees if figure.head < rest]
    if len(kept) >= 2:
        updated(kept[0], rejected="mostly returnees")


MAX_BRACKET = 16  # tokens of a breakdown in brackets


def breakdown_in_brackets(figures: list[Figure], tokens: list[Token]) -> None:
    """ "DEAD: 126 (85 confirmed, 41 for validation)": figures without a trigger in brackets
    right after a toll are its parts and take its outcome. The breakdown opens the brackets:
    in "(IOM DTM, round 35)" the figure is part of a source."""
    toll: Figure | None = None
    opening = -1
    opened = False  # whether a part of the breakdown was read just after the opening bracket
    for figure in figures:
        if figure.rejected:
            continue
        if figure.outcome:
            toll, opened = figure, False
            end = max(figure.last, figure.noun_end)
            opening = end if norm_at(tokens, end) == "(" else -1
            continue
        if toll is None or opening < 0 or figure.head - opening > MAX_BRACKET:
            continue
        if any(token.norm == ")" for token in tokens[opening + 1 : figure.head]):
            continue
        if figure.head != opening + 1 and not opened:
            continue
        if norm_at(tokens, figure.last) == ")" and not opened:
            continue  # "20 lakh (2 million)": the same figure restated, not a breakdown
        opened = True
        updated(figure, outcome=toll.outcome, trigger="inherited")
