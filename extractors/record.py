"""The indicator record: one figure, normalized, with its provenance."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from .contract import RECORD_FIELDS
from .datafiles import indicator_names
from .errors import ExtractionError
from .frozen import keyword_builder

# The indicators of data/indicators.toml (and of the files HID_INDICATORS names), in file order.
INDICATORS: tuple[str, ...] = indicator_names()
QUALIFIERS = ("exact", "at_least", "more_than", "at_most", "fewer_than", "approx", "range", "vague")
MEASURES = ("cumulative", "period", "rate", "snapshot")
SCOPES = ("total", "part")
STATUSES = ("reported", "projected")


@dataclass(frozen=True, slots=True)
class IndicatorRecord:
    """One figure stated in one document. Each field's type (for exports), meaning and HXL tag
    are in contract.RECORD_FIELDS, which these fields must match, name for name and in order."""

    record_id: str  # stable hash of document content, span and indicator
    doc: str  # the document's file name (or the name given in meta)
    indicator: str  # one of INDICATORS
    outcome: str | None  # what happened: killed, injured, displaced, kidnapped, detained...
    value: float  # persons (persons per day for rates); low end for ranges and vague words
    low: float | None  # lowest value the wording allows; None when it states no lower bound
    high: float | None  # highest value the wording allows; None when it states no upper bound
    qualifier: str  # one of QUALIFIERS
    unit: str  # normalized unit: "person" or "person / day"
    raw_value: str  # the figure as written: "57,575", "2.1 million", "dozens"
    raw_unit: str  # the counted unit as written: "people", "families", "" when implicit
    measure: str  # one of MEASURES
    population: str | None  # who was counted when the text says so: children, aid workers...
    location: str | None  # country name, e.g. "Palestine"
    attribution: str | None  # who the sentence credits: "the Gaza health ministry"
    quote: str  # the sentence the figure stands in, as written
    char_start: int  # document text[char_start:char_end] is the figure
    char_end: int  # end of the figure (exclusive)
    source: str  # publisher, or the URL's domain, or the file name
    url: str | None  # link to the original report
    published: str | None  # publication date of the document, ISO 8601
    reference_date: str | None  # date the figure refers to, ISO 8601
    extractor_version: str  # version of the extractor that made the record
    location_iso3: str | None = None  # ISO 3166-1 alpha-3 code of `location`
    place: str | None = None  # the place name as written ("Khan Younis")
    raw_qualifier: str = ""  # the qualifier words as written ("at least", "nearly")
    unit_factor: float = 1.0  # persons per raw unit (household size), 1 for people
    quote_start: int = 0  # document offset of the first character of `quote`
    title: str | None = None  # the document's title
    doc_kind: str | None = None  # "summary" for our briefs restating another report
    headline: bool = False  # the figure an analyst would cite as the document's total for its indicator, outcome, location
    scope: str | None = None  # one of SCOPES: the whole toll, or a subgroup, sub-area or incident of it
    originator: str | None = None  # who counted it, canonical: "Gaza Ministry of Health", "UN OCHA"; None if uncredited
    status: str = "reported"  # one of STATUSES: counted, or projected ("could rise to", IPC projections)
    admin1: str | None = None  # first-level area of the place (extractors/gazetteer.py): "North Darfur"
    admin1_code: str | None = None  # its OCHA p-code: "SD02"
    admin2: str | None = None  # second-level area where the text names one: "El Fasher"
    admin2_code: str | None = None  # its OCHA p-code: "SD02114"
    lang: str = "en"  # ISO 639-1 code of the document's language; `quote` is in it
    admin1_iso: str | None = None  # admin1's ISO 3166-2 code where ISO lists it: "SD-DN"
    admin2_iso: str | None = None  # admin2's ISO 3166-2 code where ISO lists it: "PS-NGZ"

    def to_dict(self) -> dict[str, Any]:
        """The record as a plain dict, fields in contract order."""
        return {field.name: getattr(self, field.name) for field in dataclasses.fields(self)}


FIELDS: tuple[str, ...] = tuple(RECORD_FIELDS)
if tuple(field.name for field in dataclasses.fields(IndicatorRecord)) != FIELDS:
    raise ExtractionError("IndicatorRecord's fields and contract.RECORD_FIELDS differ: change both together")

new_record = keyword_builder(IndicatorRecord)
"""IndicatorRecord(**fields) with every field given, twice as fast (see frozen.py)."""
