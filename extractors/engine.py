"""`extract(text)`: from a document's text to indicator records.

One pass finds every number; only sentences that contain a trigger word are
read closely, so the cost is linear in the text and small for text without
figures of people.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from . import __version__
from .context import PlaceMention, attribution, main_place, place_for, place_mentions
from .dates import EVENT_DATE, YEAR_PERIOD, parse_date, reference_date
from .document import DocumentMeta, content_hash
from .errors import UnreadableDocument
from .figures import Figure, read_figure
from .inheritance import inherit_triggers
from .numbers import Number, find_numbers
from .phrases import PhraseTable, Token, tokenize
from .record import IndicatorRecord
from .sentences import Sentences, split_sentences
from .units import PERSON, PERSON_PER_DAY, per_day, persons_per
from .vocabulary import Vocabulary, vocabulary

BULLET = re.compile(r"[-*•·▪–—]\s")  # a key-figures line of a situation report
MAIN_PLACE_WINDOW = 20_000  # a document's main place is read from its first characters
NO_OUTCOME = {"famine": None, "food_insecure": None}


@dataclass
class _Document:
    """A document being read: its text, metadata and what is computed once for it."""

    text: str
    meta: DocumentMeta
    vocab: Vocabulary
    sentences: Sentences
    digest: str
    published: dt.date | None
    main_place: PlaceMention | None
    headline_names_organisation: bool
    _by_sentence: dict[int, dict[str, Any]] = field(default_factory=dict)

    def sentence_facts(self, index: int) -> dict[str, Any]:
        """Attribution, places and reference date of a sentence, computed on first use."""
        facts = self._by_sentence.get(index)
        if facts is None:
            start, end = self.sentences.span(index)
            sentence = self.text[start:end]
            facts = {
                "attribution": attribution(sentence),
                "places": place_mentions(self.text, self.vocab, start, end),
                "reference_date": reference_date(sentence, self.published),
            }
            self._by_sentence[index] = facts
        return facts


def _has_trigger(tokens: list[Token], vocab: Vocabulary) -> bool:
    return any(token.norm in vocab.trigger_words for token in tokens)


def _names_organisation(tokens: list[Token], vocab: Vocabulary) -> bool:
    return any(vocab.organisations.match_at(tokens, index) for index in range(len(tokens)))


def _organisation_named(tokens: list[Token], doc: _Document, index: int) -> bool:
    """Whether the sentence, the one before it or the headline names an aid organisation,
    so that "staff" and "volunteers" are read as aid workers."""
    if _names_organisation(tokens, doc.vocab):
        return True
    if index > 0 and _names_organisation(tokenize(doc.text, *doc.sentences.span(index - 1)), doc.vocab):
        return True
    return doc.headline_names_organisation


def _mentions(cues: PhraseTable[bool], tokens: list[Token]) -> bool:
    return any(cues.match_at(tokens, index) for index in range(len(tokens)))


def _measure(figure: Figure, tokens: list[Token], vocab: Vocabulary, sentence: str) -> str:
    """Rate; a stated time window or event date (period); the outcome's own cues;
    weaker period cues; then defaults: a displacing verb is a period figure, a
    key-figures bullet a running total."""
    if figure.rate_unit:
        return "rate"
    if _mentions(vocab.period_cues, tokens) or YEAR_PERIOD.search(sentence) or EVENT_DATE.search(sentence):
        return "period"
    outcome = vocab.outcomes[figure.outcome or ""]
    for measure, cues in outcome.measure_cues:
        if _mentions(cues, tokens):
            return measure
    if _mentions(vocab.weak_period_cues, tokens):
        return "period"
    if outcome.default_measure == "snapshot":
        return "period" if figure.trigger == "before" else "snapshot"
    if BULLET.match(sentence):
        return "cumulative"
    return outcome.default_measure


def _interval(figure: Figure) -> tuple[str, float, float | None, float | None]:
    """(qualifier, value, low, high) as the wording states them."""
    number = figure.number
    if number.kind == "vague":
        return "vague", number.value, number.low, number.high
    if number.kind == "range":
        return "range", number.value, number.low, number.high
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


def _record(doc: _Document, figure: Figure, indicator: str, tokens: list[Token], sentence_index: int) -> IndicatorRecord:
    vocab, number = doc.vocab, figure.number
    start, end = doc.sentences.span(sentence_index)
    facts = doc.sentence_facts(sentence_index)
    place = place_for(doc.text, number.start, facts["places"], doc.main_place)
    iso3 = place.place.iso3 if place else None
    unit = figure.noun.unit if figure.noun and figure.noun.unit else PERSON
    factor = persons_per(unit, iso3)
    if figure.rate_unit:
        factor *= per_day(figure.rate_unit)
    qualifier, value, low, high = _interval(figure)
    reference = facts["reference_date"]
    if reference is None and doc.published is not None:
        reference = doc.published
    record_key = f"{doc.digest}:{number.start}:{number.end}:{indicator}".encode()
    return IndicatorRecord(
        record_id=hashlib.sha256(record_key).hexdigest()[:20],
        doc=doc.meta.doc,
        indicator=indicator,
        outcome=NO_OUTCOME.get(figure.outcome or "", figure.outcome),
        value=_scaled(value, factor) or 0.0,
        low=_scaled(low, factor),
        high=_scaled(high, factor),
        qualifier=qualifier,
        unit=PERSON_PER_DAY if figure.rate_unit else PERSON,
        raw_value=number.raw,
        raw_unit=figure.noun_text,
        measure=_measure(figure, tokens, vocab, doc.text[start:end]),
        population=figure.noun.population if figure.noun else None,
        location=place.place.country if place else None,
        attribution=facts["attribution"],
        quote=doc.text[start:end],
        char_start=number.start,
        char_end=number.end,
        source=doc.meta.source,
        url=doc.meta.url,
        published=doc.meta.published,
        reference_date=reference.isoformat() if reference else None,
        extractor_version=__version__,
        location_iso3=iso3,
        place=place.name if place else None,
        raw_qualifier=figure.raw_qualifier,
        unit_factor=round(factor, 6),
        quote_start=start,
        title=doc.meta.title,
        doc_kind=doc.meta.kind,
    )


def _indicator(figure: Figure, vocab: Vocabulary) -> str | None:
    if figure.rejected or not figure.outcome:
        return None
    aid = figure.noun is not None and figure.noun.kind == "aid"
    return vocab.indicator_for(figure.outcome, aid=aid)


def _read_sentence(doc: _Document, index: int, numbers: list[Number]) -> list[IndicatorRecord]:
    start, end = doc.sentences.span(index)
    tokens = tokenize(doc.text, start, end)
    if not _has_trigger(tokens, doc.vocab):
        return []
    organisation_named = _organisation_named(tokens, doc, index)
    figures = [read_figure(doc.text, tokens, number, doc.vocab, organisation_named) for number in numbers]
    figures = inherit_triggers(figures, tokens, doc.vocab)
    records = []
    for figure in figures:
        indicator = _indicator(figure, doc.vocab)
        if indicator is not None:
            records.append(_record(doc, figure, indicator, tokens, index))
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
    vocab = vocabulary()
    published = parse_date(document_meta.published)
    head = text[:MAIN_PLACE_WINDOW]
    places_in_head = place_mentions(head, vocab)
    if document_meta.title:
        places_in_head = place_mentions(document_meta.title, vocab) + places_in_head
    sentences = split_sentences(text)
    headline = document_meta.title or text[slice(*sentences.span(0))]
    doc = _Document(
        text=text,
        meta=document_meta,
        vocab=vocab,
        sentences=sentences,
        digest=content_hash(text),
        published=published,
        main_place=main_place(places_in_head),
        headline_names_organisation=_names_organisation(tokenize(headline[:400]), vocab),
    )
    by_sentence: dict[int, list[Number]] = {}
    for number in find_numbers(text):
        by_sentence.setdefault(doc.sentences.index_of(number.start), []).append(number)
    records: list[IndicatorRecord] = []
    for index, numbers in by_sentence.items():
        records.extend(_read_sentence(doc, index, numbers))
    return records
