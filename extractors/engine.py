"""`extract(text)`: from a document's text to indicator records.

The text is split into sentences once. A sentence is read closely (numbers
found, tokens made, every figure read) only when it contains a trigger word,
so the cost is linear in the text and small for text without figures of people.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from . import __version__
from .context import PlaceMention, attribution, main_place, nearest, origins, place_mentions, places_in_tokens
from .credits import credited
from .datafiles import LANGUAGE
from .dates import EVENT_DATE, EVENT_DATE_LOWERED, YEAR_PERIOD, YEAR_PERIOD_LOWERED, parse_date, reference_date
from .dates_lang import anchored_date
from .document import DocumentMeta, content_hash
from .errors import ExtractionWarning, UnreadableDocument
from .figures import Figure, read_figure
from .gazetteer import admin_fields
from .identity import identify, infer_originators, originator_of, status_of
from .inheritance import aid_noun_in, count_aid_workers, inherit_triggers, is_tally
from .language import detect_language, reading_language
from .lowered import ascii_lower, folds_like_ascii
from .numbers import find_numbers
from .phrases import PhraseTable, Token, tokenize
from .reading import Reading, reading_text
from .record import IndicatorRecord, new_record
from .sentences import Sentences, split_sentences
from .tables import column_outcome, may_be_row, under_header
from .units import PERSON, PERSON_PER_DAY, per_day, persons_per
from .vocabulary import Noun, Vocabulary, vocabulary

BULLET = re.compile(r"[-*•·▪–—]\s")  # a key-figures line of a situation report
MAIN_PLACE_WINDOW = 6_000  # a document's main place is read from its title and lead
# More people than live on Earth (about 8.2 billion in 2025): no count of people can be this
# large, so such a figure is a misread and is refused.
MAX_PERSONS = 8_300_000_000
AID_WORKERS = Noun("aid", "aid workers", PERSON)
NO_OUTCOME = {"famine": None, "food_insecure": None}

Owner = TypeVar("Owner")
Computed = TypeVar("Computed")


class _computed_once(Generic[Owner, Computed]):
    """functools.cached_property without its lock (Python 3.11 takes one on every first
    access, a cost on the hot path): the value, once computed, sits in the instance's
    __dict__ and is read from there without calling anything."""

    def __init__(self, compute: Callable[[Owner], Computed]) -> None:
        self.compute, self.name = compute, compute.__name__
        self.__doc__ = compute.__doc__

    def __get__(self, instance: Owner | None, owner: type | None = None) -> Any:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.compute(instance)
        return value


@dataclass
class _Document:
    """A document being read: its text, metadata and what is computed once for it."""

    text: str  # the text as read: the document without its invisible characters (see reading.py)
    reading: Reading  # the way back from offsets in `text` to the document's own
    original: str  # the document's text, which records' spans and quotes point into
    meta: DocumentMeta
    lang: str  # ISO 639-1 code of the document's language
    vocab: Vocabulary  # the vocabulary of that language, or English's when there is none
    sentences: Sentences
    digest: str
    published: dt.date | None
    headline_organisation: str | None
    lowered: str  # ascii_lower(text)
    folds_like_ascii: bool  # whether IGNORECASE patterns may be searched in `lowered` (see lowered.py)
    tokens: dict[int, list[Token]] = field(default_factory=dict)  # of the sentences read so far, by index
    organisations: dict[int, str | None] = field(default_factory=dict)  # organisation_population, by sentence index
    aid_tallies: set[int] = field(default_factory=set)  # sentences read as tallies of aid workers

    @_computed_once
    def main_place(self) -> PlaceMention | None:
        """The country the document is mostly about, read from its title and first characters."""
        mentions = place_mentions(self.text[:MAIN_PLACE_WINDOW], self.vocab)
        if self.meta.title:
            mentions = place_mentions(self.meta.title, self.vocab) + mentions
        return main_place(mentions)

    def organisation_population(self, index: int) -> str | None:
        """The population label of the aid organisations sentence `index` names (see Vocabulary)."""
        if index not in self.organisations:
            tokens = self.tokens.get(index)
            if tokens is None:
                tokens = tokenize(self.text, *self.sentences.span(index))
            self.organisations[index] = self.vocab.organisation_population(tokens)
        return self.organisations[index]

    def aid_context(self, index: int) -> Noun | None:
        """The aid-worker noun of the text a tally line stands under: one of the three sentences
        before it (or a tally of aid workers among them), else the title."""
        for before in range(index - 1, max(-1, index - 4), -1):
            if before in self.aid_tallies:
                return AID_WORKERS
            noun = aid_noun_in(self.tokens.get(before) or tokenize(self.text, *self.sentences.span(before)), self.vocab)
            if noun is not None:
                return noun
        headline = self.meta.title or self.text[slice(*self.sentences.span(0))]
        return aid_noun_in(tokenize(headline[:400]), self.vocab)  # a bounded look, as for headline_organisation


class _Sentence:
    """One sentence of a document; what is read from it is computed on first use."""

    def __init__(self, doc: _Document, index: int, tokens: list[Token]) -> None:
        self.doc, self.index, self.tokens = doc, index, tokens
        self.start, self.end = doc.sentences.span(index)
        self.text = doc.text[self.start : self.end]
        self.cues_found: dict[PhraseTable[bool], bool] = {}  # cue table -> whether it occurs in the sentence

    @_computed_once
    def lowered(self) -> str | None:
        """ascii_lower(text), when IGNORECASE patterns may be searched in it (see lowered.py)."""
        return self.doc.lowered[self.start : self.end] if self.doc.folds_like_ascii else None

    @_computed_once
    def attribution(self) -> str | None:
        if self.doc.vocab.lang != LANGUAGE:
            return credited(self.text, self.doc.vocab.lang)
        return attribution(self.text, self.lowered)

    @_computed_once
    def places(self) -> list[PlaceMention]:
        return places_in_tokens(self.tokens, self.doc.vocab)

    @_computed_once
    def origins(self) -> list[PlaceMention]:
        """Its places that are not a destination."""
        return origins(self.doc.text, self.places)

    @_computed_once
    def reference_date(self) -> dt.date | None:
        if self.doc.vocab.lang != LANGUAGE:
            return anchored_date(self.text, self.doc.published, self.doc.vocab.lang)
        return reference_date(self.text, self.doc.published, self.lowered)

    @_computed_once
    def states_a_period(self) -> bool:
        """A time window or an event date: "in the past 24 hours", "on 1 February", "in 2024"."""
        if self.doc.vocab.period_cues.occurs_in(self.tokens):
            return True
        if self.doc.vocab.year_period is not None and self.doc.vocab.year_period.search(self.text):
            return True
        if self.lowered is not None:
            return bool(YEAR_PERIOD_LOWERED.search(self.lowered) or EVENT_DATE_LOWERED.search(self.lowered))
        return bool(YEAR_PERIOD.search(self.text) or EVENT_DATE.search(self.text))

    @_computed_once
    def organisation_population(self) -> str | None:
        """Whose staff "staff" and "volunteers" are, from the aid organisation this sentence,
        the one before it or the headline names ("unrwa staff", "un personnel", "aid workers")."""
        population = self.doc.organisation_population(self.index)
        if population is None and self.index > 0:
            population = self.doc.organisation_population(self.index - 1)
        return population or self.doc.headline_organisation

    def occurs(self, cues: PhraseTable[bool]) -> bool:
        """Whether one of `cues` occurs in the sentence (asked once per table: figures share it)."""
        found = self.cues_found.get(cues)
        if found is None:
            found = self.cues_found[cues] = cues.occurs_in(self.tokens)
        return found

    def measure(self, figure: Figure) -> str:
        """Rate; a stated time window or event date (period); the outcome's own cues;
        weaker period cues; then defaults: a displacing verb is a period figure, a
        key-figures bullet a running total."""
        vocab = self.doc.vocab
        if figure.rate_unit:
            return "rate"
        if self.states_a_period:
            return "period"
        outcome = vocab.outcomes[figure.outcome or ""]
        for measure, cues in outcome.measure_cues:
            if self.occurs(cues):
                return measure
        if self.occurs(vocab.weak_period_cues):
            return "period"
        if outcome.default_measure == "snapshot":
            return "period" if figure.trigger == "before" else "snapshot"
        if BULLET.match(self.text):
            return "cumulative"
        return outcome.default_measure


def _interval(figure: Figure) -> tuple[str, float, float | None, float | None]:
    """(qualifier, value, low, high) as the wording states them."""
    number = figure.number
    if number.kind == "vague":
        return "vague", number.value, number.low, number.high
    if number.kind == "range":
        return "range", number.value, number.low, number.high
    if number.kind == "approx":
        return "approx", number.value, None, None
    qualifier = figure.qualifier
    value = number.value
    if qualifier is None:
        return "exact", value, value, value
    bounds = {
        "low": (value, None),
        "high": (None, value),
        "both": (value, value),
        "none": (None, None),
    }[qualifier.bound]
    return qualifier.name, value, *bounds


def _scaled(value: float | None, factor: float) -> float | None:
    return None if value is None else round(value * factor, 6)


class RefusedFigure(ExtractionWarning):
    """A figure read from the text whose interval cannot be true, so no record is made of it."""


def _refusal(value: float, low: float | None, high: float | None) -> str | None:
    """Why an interval cannot be a count of people, or None when it can."""
    if low is not None and high is not None and low > high:
        return f"its low end {low:,.0f} is above its high end {high:,.0f}"
    if (low is not None and value < low) or (high is not None and value > high):
        return f"its value {value:,.0f} is outside its interval"
    if max(value, low or 0.0, high or 0.0) > MAX_PERSONS:
        return f"{max(value, high or 0.0):,.0f} people is more than live on Earth"
    return None


def _record(sentence: _Sentence, figure: Figure, indicator: str) -> IndicatorRecord | None:
    """The record of a figure, or None (and a RefusedFigure warning) when its interval cannot be true."""
    doc, number = sentence.doc, figure.number
    place = nearest(sentence.origins, number.start) if sentence.origins else doc.main_place
    iso3 = (place.place.iso3 or None) if place else None
    unit = figure.noun.unit if figure.noun and figure.noun.unit else PERSON
    factor = persons_per(unit, iso3)
    if figure.rate_unit:
        factor *= per_day(figure.rate_unit)
    qualifier, value, low, high = _interval(figure)
    value, low, high = _scaled(value, factor) or 0.0, _scaled(low, factor), _scaled(high, factor)
    if doc.reading.is_identity:
        (char_start, char_end), raw_value = (number.start, number.end), number.raw
        quote_start, quote = sentence.start, sentence.text
    else:
        char_start, char_end = doc.reading.original_span(number.start, number.end)
        raw_value = doc.original[char_start:char_end]
        quote_start, quote_end = doc.reading.original_span(sentence.start, sentence.end)
        quote = doc.original[quote_start:quote_end]
    refusal = _refusal(value, low, high)
    if refusal is not None:
        warnings.warn(
            f"{doc.meta.doc or 'text'}: the figure {raw_value!r} at characters {char_start}-{char_end} was not kept: "
            f"{refusal}; check the text",
            RefusedFigure,
            stacklevel=4,
        )
        return None
    reference = sentence.reference_date
    if reference is None and doc.published is not None:
        reference = doc.published
    record_key = f"{doc.digest}:{char_start}:{char_end}:{indicator}".encode()
    return new_record(
        record_id=hashlib.sha256(record_key).hexdigest()[:20],
        doc=doc.meta.doc,
        indicator=indicator,
        outcome=NO_OUTCOME.get(figure.outcome or "", figure.outcome),
        value=value,
        low=low,
        high=high,
        qualifier=qualifier,
        unit=PERSON_PER_DAY if figure.rate_unit else PERSON,
        raw_value=raw_value,
        raw_unit=figure.noun_text,
        measure=sentence.measure(figure),
        population=figure.noun.population if figure.noun else None,
        location=place.place.country if place else None,
        attribution=sentence.attribution,
        quote=quote,
        char_start=char_start,
        char_end=char_end,
        source=doc.meta.source,
        url=doc.meta.url,
        published=doc.meta.published,
        reference_date=reference.isoformat() if reference else None,
        extractor_version=__version__,
        location_iso3=iso3,
        place=place.name if place else None,
        raw_qualifier=figure.raw_qualifier,
        unit_factor=round(factor, 6),
        quote_start=quote_start,
        title=doc.meta.title,
        doc_kind=doc.meta.kind,
        headline=False,  # set with scope by identify(), which sees the document's other records
        scope=None,
        originator=originator_of(sentence.attribution, place.place.country if place else None, doc.vocab.lang),
        status=status_of(sentence.text, doc.vocab.lang),
        **admin_fields(iso3, place.name if place else None),
        lang=doc.lang,
    )


def _indicator(figure: Figure, vocab: Vocabulary) -> str | None:
    if figure.rejected or not figure.outcome:
        return None
    aid = figure.noun is not None and figure.noun.kind == "aid"
    return vocab.indicator_for(figure.outcome, aid=aid)


def _read_sentence(doc: _Document, index: int, lowered: str) -> list[IndicatorRecord]:
    start, end = doc.sentences.span(index)
    # Cheap checks first: most sentences name no trigger, or no number, and cost no more.
    if doc.vocab.sentence_keys.isdisjoint(doc.vocab.key_word.findall(lowered, start, end)) and not under_header(
        doc.text, start, end, doc.vocab
    ):
        return []
    numbers = list(find_numbers(doc.text, start, end, lowered=lowered, lang=doc.vocab.lang))
    if not numbers:
        return []
    tokens = doc.tokens[index] = tokenize(doc.text, start, end)
    sentence = _Sentence(doc, index, tokens)
    starts = [token.start for token in tokens]
    figures = [
        read_figure(doc.text, tokens, number, doc.vocab, lambda: sentence.organisation_population, starts) for number in numbers
    ]
    figures = inherit_triggers(figures, tokens, doc.vocab)
    if is_tally(figures, tokens) and (aid := doc.aid_context(index)) is not None:
        count_aid_workers(figures, aid)  # "383 killed / 308 wounded / 125 kidnapped" under text about aid workers
        doc.aid_tallies.add(index)
    for figure in figures:
        if not figure.outcome and not figure.rejected and may_be_row(doc.text, start, end):
            outcome = column_outcome(doc.text, figure.number.start, doc.vocab)  # a value under its column's label
            if outcome:
                figure.outcome, figure.trigger = outcome, "column"
    records = []
    for figure in figures:
        indicator = _indicator(figure, doc.vocab)
        if indicator is not None and (record := _record(sentence, figure, indicator)) is not None:
            records.append(record)
    return records


def extract(text: str, *, meta: Mapping[str, Any] | DocumentMeta | None = None) -> list[IndicatorRecord]:
    """Indicator records for every figure of people stated in `text`.

    `meta` gives the document's provenance: doc (file name), title, publisher,
    url, published (YYYY-MM-DD) and kind. Records come in text order.

    >>> [(r.indicator, r.value, r.qualifier) for r in extract("Strikes killed at least 30 people and wounded 70.")]
    [('deaths', 30.0, 'at_least'), ('injured', 70.0, 'exact')]
    """
    if isinstance(text, (bytes, bytearray)):
        raise UnreadableDocument("extract() takes text, not bytes: decode it first, or use extract_file() on the file")
    if not isinstance(text, str):
        raise UnreadableDocument(f"extract() takes a str of text, not {type(text).__name__}")
    document_meta = DocumentMeta.from_mapping(meta)
    if not text.strip():
        return []
    published = parse_date(document_meta.published)
    original, reading = text, reading_text(text)
    text = reading.text
    lang = document_meta.lang or detect_language(text)
    vocab = vocabulary(reading_language(lang))
    sentences = split_sentences(text)
    headline = document_meta.title or text[slice(*sentences.span(0))]
    lowered = ascii_lower(text)
    doc = _Document(
        text=text,
        reading=reading,
        original=original,
        meta=document_meta,
        lang=lang,
        vocab=vocab,
        sentences=sentences,
        digest=content_hash(original),
        published=published,
        headline_organisation=vocab.organisation_population(tokenize(headline[:400])),
        lowered=lowered,
        folds_like_ascii=folds_like_ascii(text),
    )
    records: list[IndicatorRecord] = []
    for index in range(len(sentences)):
        records.extend(_read_sentence(doc, index, lowered))
    if not records:
        return records
    place = doc.main_place
    country = place.place.country if place else None
    infer_originators(records, original, headline, document_meta.publisher, country, vocab.lang)
    return identify(records, headline, country, vocab.lang)
