"""The vocabularies in `data/` and `data/<lang>/`, loaded once per language and turned into phrase tables.

The indicators, outcomes and their triggers, qualifiers, vague words, nouns and places are
data: change the TOML files and the extractor follows. The patterns of dates, numbers, credits
and sentence ends are built in code, from the word lists in `data/<lang>/` (see datafiles.py).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, NamedTuple, TypeVar

from .datafiles import DATA_DIR, LANGUAGE, language_dir, load_toml, word_lists
from .datafiles import indicators_file as _indicators_file
from .errors import VocabularyError
from .phrases import PhraseTable, Token

V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class Indicator:
    """One indicator of indicators.toml."""

    name: str  # deaths, injured, ...
    description: str  # one sentence for people
    hxl: str  # HXL hashtag with attributes
    outcomes: tuple[str, ...]  # outcomes that produce it
    population: str | None  # "aid" when it applies to aid workers only


@dataclass(frozen=True, slots=True)
class Outcome:
    """One outcome of indicators.toml with its trigger phrases."""

    name: str  # killed, injured, displaced, famine, food_insecure, kidnapped, detained
    default_measure: str  # measure when the sentence has no cue
    measure_cues: tuple[tuple[str, PhraseTable[bool]], ...]  # (measure, cue phrases) in priority order


@dataclass(frozen=True, slots=True)
class Noun:
    """What a counted noun phrase says about the figure."""

    kind: str  # "people", "aid", "staff", "household" or "not_people"
    population: str | None  # canonical population label
    unit: str  # pint unit: person, household, family


@dataclass(frozen=True, slots=True)
class Qualifier:
    """A qualifier phrase and the interval it implies."""

    name: str  # at_least, more_than, ...
    bound: str  # low, high, both or none


@dataclass(frozen=True, slots=True)
class Place:
    """A place name's country."""

    iso3: str  # ISO 3166-1 alpha-3
    country: str  # country name


@dataclass(frozen=True)
class Grammar:
    """The small words of lexicon.toml [grammar]; see the comments there."""

    not_a_count_before: frozenset[str]
    money_before: frozenset[str]
    population_total_before: frozenset[str]
    population_total_nouns: frozenset[str]
    age_heads: frozenset[str]
    time_after: frozenset[str]
    earlier: frozenset[str]
    determiners: PhraseTable[bool]
    partitive: PhraseTable[bool]
    subset_markers: PhraseTable[bool]
    coordinators: PhraseTable[bool]
    restatements: PhraseTable[bool]
    noun_phrase_stops: frozenset[str]
    adjunct_prepositions: frozenset[str]
    place_prepositions: frozenset[str]
    time_words: frozenset[str]
    walk_stops: frozenset[str]
    verb_qualifiers: frozenset[str]
    state_verbs: PhraseTable[bool]
    combiners: frozenset[str]
    saying_verbs: frozenset[str]
    risk_modals: frozenset[str]
    risk_outcomes: frozenset[str]
    host_verbs: PhraseTable[bool]
    shelter_places: frozenset[str]

    @classmethod
    def from_lexicon(cls, grammar: dict[str, list[str]]) -> Grammar:
        tables = {"determiners", "partitive", "subset_markers", "coordinators", "state_verbs", "restatements", "host_verbs"}
        values: dict[str, Any] = {}
        for name in cls.__dataclass_fields__:
            words = grammar.get(name, [])  # a language may leave a list out: no such words
            values[name] = PhraseTable((word, True) for word in words) if name in tables else frozenset(words)
        return cls(**values)


@dataclass(frozen=True)
class Vocabulary:
    """Everything the engine looks words up in."""

    lang: str  # ISO 639-1 code of the language of data/<lang>/
    indicators: dict[str, Indicator]
    outcomes: dict[str, Outcome]
    before_triggers: PhraseTable[str]  # phrase -> outcome
    after_triggers: PhraseTable[str]
    noun_triggers: PhraseTable[str]
    qualifiers_before: PhraseTable[Qualifier]
    qualifiers_after: PhraseTable[Qualifier]
    vague: dict[str, tuple[float, float]]  # normalized phrase -> (low, high)
    approximate: dict[str, float]  # round numbers said approximately: "une vingtaine" -> 20
    number_words: dict[str, int]
    scales: dict[str, int]
    fractions: dict[str, float]
    link_words: frozenset[str]
    link_marks: frozenset[str]
    auxiliaries: frozenset[str]
    nouns: PhraseTable[Noun]
    organisations: PhraseTable[int]  # organisation -> rank of its population label
    organisation_populations: tuple[str, ...]  # population labels, most specific first
    period_cues: PhraseTable[bool]
    weak_period_cues: PhraseTable[bool]
    # A year a figure is counted in, in the language's words ("en 2024", "في عام 2024"); None where
    # dates.YEAR_PERIOD, English's, is the only one.
    year_period: re.Pattern[str] | None
    rates: PhraseTable[str]  # phrase -> pint time unit
    places: dict[str, Place]  # place name as written -> country
    place_pattern: PlaceNames  # for whole texts (a document's head)
    place_names: PhraseTable[Place]  # for tokenized sentences
    household_sizes: dict[str, float]  # iso3 -> persons per household
    default_household_size: float
    trigger_words: frozenset[str]  # the longest token of every trigger: a word that is part of one
    sentence_keys: frozenset[str]  # one rare token of every trigger: a sentence without any holds none
    key_word: re.Pattern[str]  # the words of ascii_lower(text) that sentence_keys are looked up among
    states: tuple[tuple[str, PhraseTable[bool]], ...]  # (outcome, state names) in priority order
    grammar: Grammar
    noun_frames: dict[str, tuple[str, PhraseTable[bool]]]  # counted noun -> (outcome, verbs before the figure)

    def organisation_population(self, tokens: list[Token]) -> str | None:
        """Whose staff a sentence's "staff" are: the most specific label of the organisations it names."""
        ranks = [rank for _, _, rank in self.organisations.matches(tokens)]
        return self.organisation_populations[min(ranks)] if ranks else None

    def is_number(self, norm: str) -> bool:
        """Whether a normalized token is a number: digits, a number word or a scale."""
        return norm[:1].isdigit() or norm in self.number_words or norm in self.scales

    def indicator_for(self, outcome: str, *, aid: bool) -> str | None:
        """The indicator an outcome produces, for aid workers or for anyone."""
        fallback = None
        for indicator in self.indicators.values():
            if outcome not in indicator.outcomes:
                continue
            if indicator.population == "aid":
                if aid:
                    return indicator.name
            elif fallback is None:
                fallback = indicator.name
        return fallback


def _load(name: str, lang: str) -> dict[str, Any]:
    return word_lists(name.removesuffix(".toml"), lang)  # read once: numbers.py reads lexicon.toml too


def with_clitics(phrase: str, prefixes: Iterable[str]) -> list[str]:
    """A phrase and its forms with a clitic prefix written on its first word: "au moins" and
    "qu'au moins"; "قتل" and "وقتل". The prefixes are the language's (lexicon.toml [clitics])."""
    return [phrase, *(prefix + phrase for prefix in prefixes)]


def _outcomes(
    indicators_file: dict[str, Any], prefixes: tuple[str, ...] = ()
) -> tuple[dict[str, Outcome], dict[str, PhraseTable[str]]]:
    outcomes: dict[str, Outcome] = {}
    triggers = {"before": PhraseTable[str](), "after": PhraseTable[str](), "nouns": PhraseTable[str]()}
    specs = indicators_file.get("outcomes", {})
    for name, spec in specs.items():
        like = spec.get("measures_like")
        if like is not None and like not in specs:
            raise VocabularyError(f"outcome {name!r} takes its measures from unknown outcome {like!r}")
        # Kinds of displacement are measured as displacement is, unless they say otherwise.
        measures = {**specs.get(like, {}), **spec} if like else spec
        cues = tuple(
            (measure, PhraseTable((form, True) for phrase in measures[measure] for form in with_clitics(phrase, prefixes)))
            for measure in ("snapshot", "cumulative", "period")
            if measures.get(measure)
        )
        outcomes[name] = Outcome(name, measures.get("default_measure", "period"), cues)
        for kind, table in triggers.items():
            for phrase in spec.get(kind, []):
                for form in with_clitics(phrase, prefixes):
                    table.add(form, name)
    return outcomes, triggers


def _noun_frames(indicators_file: dict[str, Any]) -> dict[str, tuple[str, PhraseTable[bool]]]:
    """ "claimed 1,400 lives": counted noun -> (outcome, the verbs that make it one)."""
    frames: dict[str, tuple[str, PhraseTable[bool]]] = {}
    for name, spec in indicators_file.get("outcomes", {}).items():
        for noun, verbs in spec.get("before_noun", {}).items():
            frames[noun] = (name, PhraseTable((verb, True) for verb in verbs))
    return frames


def _indicators(indicators_file: dict[str, Any], outcomes: dict[str, Outcome]) -> dict[str, Indicator]:
    indicators = {}
    for name, spec in indicators_file.get("indicators", {}).items():
        unknown = [outcome for outcome in spec.get("outcomes", []) if outcome not in outcomes]
        if unknown:
            raise VocabularyError(f"indicator {name!r} names unknown outcomes {unknown}; define them under [outcomes]")
        indicators[name] = Indicator(
            name, spec.get("description", ""), spec.get("hxl", ""), tuple(spec["outcomes"]), spec.get("population")
        )
    return indicators


def _qualifiers(lexicon: dict[str, Any], prefixes: tuple[str, ...] = ()) -> tuple[PhraseTable[Qualifier], PhraseTable[Qualifier]]:
    before: PhraseTable[Qualifier] = PhraseTable()
    after: PhraseTable[Qualifier] = PhraseTable()
    for name, spec in lexicon["qualifiers"].items():
        upper_bounded = set(spec.get("high_bound_words", []))
        for phrase in spec.get("before", []):
            for form in with_clitics(phrase, prefixes):
                before.add(form, Qualifier(name, "high" if phrase in upper_bounded else spec["bound"]))
        for phrase in spec.get("after", []):
            after.add(phrase, Qualifier(name, spec["bound"]))
    return before, after


def _nouns(
    nouns_file: dict[str, Any], prefixes: tuple[str, ...] = ()
) -> tuple[PhraseTable[Noun], PhraseTable[int], tuple[str, ...]]:
    table = _CliticTable[Noun](prefixes)
    # Aid and household phrases go in first: on a clash they are the more specific.
    for population, phrases in nouns_file.get("aid", {}).items():
        for phrase in phrases:
            table.add(phrase, Noun("aid", population, "person"))
    for unit, phrases in nouns_file.get("households", {}).items():
        for phrase in phrases:
            table.add(phrase, Noun("household", None, unit))
    named = nouns_file.get("aid_when_organisation_named", {"words": [], "organisations": {}})
    for phrase in named["words"]:
        table.add(phrase, Noun("staff", None, "person"))
    for population, phrases in nouns_file["people"].items():
        for phrase in phrases:
            table.add(phrase, Noun("people", population or None, "person"))
    for phrase in nouns_file.get("not_people", {}).get("words", []):
        table.add(phrase, Noun("not_people", None, ""))
    labels = named["organisations"]
    organisations = PhraseTable((phrase, rank) for rank, phrases in enumerate(labels.values()) for phrase in phrases)
    return table.table, organisations, tuple(labels)


class _CliticTable(Generic[V]):
    """A PhraseTable being filled, which adds every phrase with the language's clitic prefixes."""

    def __init__(self, prefixes: tuple[str, ...]) -> None:
        self.table, self.prefixes = PhraseTable[V](), prefixes

    def add(self, phrase: str, value: V) -> None:
        for form in with_clitics(phrase, self.prefixes):
            self.table.add(form, value)


class PlaceNames(NamedTuple):
    """The place names of a text, as whole words, as one pattern of them all would find them, in two
    searches: the names that open with a capital, whose first letters are rare in text, and the few
    others ("worldwide", "southern Lebanon"), whose first letters are common and which are searched
    for only in a text that holds one of them (the one pattern's search cost ~2% of extract())."""

    capitalized: re.Pattern[str]  # the names that open with a capital letter
    others: re.Pattern[str]  # the rest
    other_names: tuple[str, ...]

    def finditer(self, text: str, start: int = 0, end: int | None = None) -> Iterator[re.Match[str]]:
        """What the one pattern's finditer(text, start, end) finds: the two patterns' matches never start
        at the same character, so the leftmost of either is the one it finds there."""
        end = len(text) if end is None else end
        capitalized = self.capitalized.search(text, start, end)
        other = (
            self.others.search(text, start, end) if any(text.find(name, start, end) >= 0 for name in self.other_names) else None
        )
        while capitalized is not None or other is not None:
            leftmost = other is None or (capitalized is not None and capitalized.start() < other.start())
            found = capitalized if leftmost else other
            yield found
            position = found.end()
            if capitalized is not None and capitalized.start() < position:
                capitalized = self.capitalized.search(text, position, end)
            if other is not None and other.start() < position:
                other = self.others.search(text, position, end)


def _place_pattern(names: Iterable[str]) -> re.Pattern[str]:
    return re.compile(longest_first(names, not_after=r"[\w-]") + r"(?![\w-])")


def _places(places_file: dict[str, Any]) -> tuple[dict[str, Place], PlaceNames]:
    places: dict[str, Place] = {}
    for key, spec in places_file.items():
        iso3 = spec.get("iso3", key)  # "" for the world as a whole
        for name in [spec["name"], *spec.get("places", [])]:
            places.setdefault(name, Place(iso3, spec["name"]))
    others = tuple(name for name in places if not name[:1].isupper())
    names = PlaceNames(_place_pattern(name for name in places if name[:1].isupper()), _place_pattern(others), others)
    return places, names


def longest_first(phrases: Iterable[str], *, not_after: str = "") -> str:
    r"""A regex that matches the longest of `phrases` it can, like the alternation of the
    phrases sorted longest first, but built as a tree of shared prefixes ("D(?:arfur|amascus)"),
    so that the regex engine tries a few branches at each character instead of every phrase.
    A branch that goes on is tried before the phrase that ends there, so when a lookahead after
    the group fails, backtracking tries the shorter phrases, longest first.

    With `not_after` (a character class, r"[\w-]"), a phrase matches only where no such
    character precedes it, as after a lookbehind (?<![\w-]). The test is made after the
    phrase's first character: a regex that opens with a lookbehind is tried at every character
    of the text, one opening with the tree's first characters only where one of them stands."""
    tree: dict[str, dict] = {}
    for phrase in sorted(phrases):
        node = tree
        for character in phrase:
            node = node.setdefault(character, {})
        node[""] = {}  # a phrase ends here
    if not not_after:
        return _branches(tree)
    if not tree or "" in tree:  # no phrase, or the empty one: no first character to test after
        return rf"(?<!{not_after})" + _branches(tree)
    return _branches(tree, rf"(?<!{not_after}(?s:.))")


def _branches(node: dict[str, dict], after_first: str = "") -> str:
    branches = []
    for character, child in node.items():
        if character == "":
            continue
        literal = character
        while len(child) == 1 and "" not in child:  # a chain without a choice: one literal
            ((character, child),) = child.items()
            literal += character
        branches.append(re.escape(literal[0]) + after_first + re.escape(literal[1:]) + _branches(child))
    if "" in node:
        branches.append("")  # ending here comes last: longer phrases first
    return "(?:" + "|".join(branches) + ")" if branches != [""] else ""


# A word of lower-cased text: letters, apostrophes and hyphens. The ASCII pattern is 2.4 times
# faster than the Unicode one, and finds every key word that is ASCII (an accented word is cut at
# its accent, into pieces no ASCII key is); the Unicode one serves vocabularies with other letters.
ASCII_WORD = re.compile(r"[a-z][a-z'’\-]*")
UNICODE_WORD = re.compile(r"[^\W\d_]+(?:['’\-]+[^\W\d_]*)*")


def key_word_pattern(keys: Iterable[str]) -> re.Pattern[str]:
    """The pattern that finds the words of a text that `keys` can be among: ASCII_WORD when
    every key is ASCII, UNICODE_WORD otherwise ("déplacés").

    >>> key_word_pattern(["killed", "déplacés"]).findall("47 déplacés, 3 killed")
    ['déplacés', 'killed']
    """
    return ASCII_WORD if all(key.isascii() for key in keys) else UNICODE_WORD


TRIGGER_KEYS = ("before", "after", "nouns", "states", "before_noun", "cumulative", "period", "snapshot")
"""The lists of an outcome in indicators.toml that are words, English ones: another language's
data/<lang>/triggers.toml gives its own for each outcome it names (the rest, default measures, stays)."""


def indicators_for(lang: str) -> dict[str, Any]:
    """indicators.toml, with the trigger words of data/<lang>/triggers.toml when there is one."""
    merged = _indicators_file()
    path = language_dir(lang) / "triggers.toml"
    if not path.is_file():
        return merged
    words = load_toml(path).get("outcomes", {})
    # An outcome the language's file does not name (one of HID_INDICATORS) keeps the words it came with.
    outcomes = {
        name: {key: value for key, value in spec.items() if key not in TRIGGER_KEYS} | words[name] if name in words else spec
        for name, spec in merged.get("outcomes", {}).items()
    }
    # An outcome of the language's own, that no indicator lists, claims figures that are no count of
    # ours: "damnificados" (affected) unless the text says they lost their homes.
    outcomes |= {name: spec for name, spec in words.items() if name not in outcomes}
    return {**merged, "outcomes": outcomes}


def _language_places(lang: str) -> dict[str, Any]:
    """English's places (data/en/places.toml), with the names another language writes them by
    (data/<lang>/places.toml: [ISO3] places = [...]); a country keeps its English name."""
    places = _load("places.toml", LANGUAGE)
    if lang == LANGUAGE or not (language_dir(lang) / "places.toml").is_file():
        return places
    merged = {key: dict(spec) for key, spec in places.items()}
    for key, spec in _load("places.toml", lang).items():
        known = merged.setdefault(key, {"name": spec.get("name", key)})
        known["places"] = [*known.get("places", []), *spec.get("places", [])]
    return merged


def _year_period(words: list[str]) -> re.Pattern[str] | None:
    """ "en 2024", "durante 2024", "في عام 2024": one of `words`, then a year that starts no span of years."""
    if not words:
        return None
    before = "|".join(r"\s+".join(map(re.escape, phrase.split())) for phrase in sorted(words, key=len, reverse=True))
    return re.compile(
        rf"""
        (?<!\w)(?:{before})\s+     # "en", "في عام"
        (?:19|20)\d\d(?![\d\w])(?![-–/]\d)  # a year, not a span of years
        """,
        re.VERBOSE | re.IGNORECASE,
    )


@functools.cache
def vocabulary(lang: str = LANGUAGE) -> Vocabulary:
    """The vocabulary of one language, read from `data/` and `data/<lang>/` on first use."""
    indicators_file = indicators_for(lang)
    lexicon = _load("lexicon.toml", lang)
    prefixes = tuple(lexicon.get("clitics", {}).get("prefixes", []))
    nouns_file = _load("nouns.toml", lang)
    households = load_toml(DATA_DIR / "household_sizes.toml")
    outcomes, triggers = _outcomes(indicators_file, prefixes)
    qualifiers_before, qualifiers_after = _qualifiers(lexicon, prefixes)
    nouns, organisations, organisation_populations = _nouns(nouns_file, prefixes)
    places, place_pattern = _places(_language_places(lang))
    states = tuple(
        (name, PhraseTable((form, True) for phrase in spec["states"] for form in with_clitics(phrase, prefixes)))
        for name, spec in indicators_file.get("outcomes", {}).items()
        if spec.get("states")
    )
    trigger_words = frozenset().union(
        *(table.key_words() for table in triggers.values()),
        *(table.key_words() for _, table in states),
        _noun_frames(indicators_file),  # a frame's noun is rarer than its verb ("lives", not "took")
    )
    grammar = lexicon["grammar"]
    auxiliaries = lexicon.get("auxiliaries", {}).get("words", [])
    common = frozenset(
        [
            *auxiliaries,
            *grammar.get("adjunct_prepositions", []),
            *grammar.get("noun_phrase_stops", []),
            *grammar.get("common_words", []),
        ]
    )
    sentence_keys = frozenset().union(
        *(table.key_words(common) for table in triggers.values()),
        *(table.key_words(common) for _, table in states),
        _noun_frames(indicators_file),
    )
    links = lexicon.get("links", {})
    measures = lexicon.get("measures", {})
    return Vocabulary(
        lang=lang,
        indicators=_indicators(indicators_file, outcomes),
        outcomes=outcomes,
        before_triggers=triggers["before"],
        after_triggers=triggers["after"],
        noun_triggers=triggers["nouns"],
        qualifiers_before=qualifiers_before,
        qualifiers_after=qualifiers_after,
        vague={" ".join(phrase.split()): (float(low), float(high)) for phrase, (low, high) in lexicon.get("vague", {}).items()},
        approximate={" ".join(phrase.split()): float(value) for phrase, value in lexicon.get("approximate", {}).items()},
        number_words=dict(lexicon["numbers"]["units"]),
        scales=dict(lexicon["numbers"]["scales"]),
        fractions=dict(lexicon["numbers"].get("fractions", {})),
        link_words=frozenset(links.get("verbs", [])),
        link_marks=frozenset(links.get("punctuation", [])),
        auxiliaries=frozenset(auxiliaries),
        nouns=nouns,
        organisations=organisations,
        organisation_populations=organisation_populations,
        period_cues=PhraseTable((form, True) for phrase in measures.get("period", []) for form in with_clitics(phrase, prefixes)),
        weak_period_cues=PhraseTable(
            (form, True) for phrase in measures.get("period_weak", []) for form in with_clitics(phrase, prefixes)
        ),
        year_period=_year_period(measures.get("year_before", [])),
        rates=PhraseTable(lexicon.get("rates", {}).items()),
        places=places,
        place_pattern=place_pattern,
        place_names=PhraseTable(places.items(), case_sensitive=True),
        household_sizes={iso3: float(spec["size"]) for iso3, spec in households.get("countries", {}).items()},
        default_household_size=float(households["default"]),
        trigger_words=trigger_words,
        sentence_keys=sentence_keys,
        key_word=key_word_pattern(sentence_keys),
        states=states,
        grammar=Grammar.from_lexicon(grammar),
        noun_frames=_noun_frames(indicators_file),
    )
