"""The contract of a record: every field's type, meaning and HXL tag, in one table.

The record (record.IndicatorRecord, whose fields must be these, in this order), the dashboard's
columns and every export (CSV, HXL CSV, JSON lines, the data package's Table Schema) read it.
The store adds STORE_FIELDS to each record it keeps; exports add EXPORT_FIELDS.
"""

from __future__ import annotations

from typing import NamedTuple

from .datafiles import indicator_names


class Field(NamedTuple):
    """One column of the contract."""

    type: str  # Table Schema type: string, number, integer, boolean, date
    hxl: str  # HXL hashtag with attributes
    description: str  # one sentence for people


def _one_of(names: tuple[str, ...]) -> str:
    return ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else "".join(names)


RECORD_FIELDS: dict[str, Field] = {
    "record_id": Field("string", "#meta+id", "Stable hash of the document's content, the figure's span and the indicator."),
    "doc": Field("string", "#meta+doc+file", "The document's file name (or the name given with it)."),
    "indicator": Field("string", "#indicator+code", f"{_one_of(indicator_names())} (extractors/data/indicators.toml)."),
    "outcome": Field(
        "string", "#indicator+outcome", "What happened to the people counted: killed, injured, displaced, kidnapped, detained..."
    ),
    "value": Field(
        "number", "#indicator+num", "The figure in persons (persons per day for rates); the low end for ranges and vague words."
    ),
    "low": Field("number", "#indicator+num+low", "Lowest value the wording allows; empty when it states no lower bound."),
    "high": Field("number", "#indicator+num+high", "Highest value the wording allows; empty when it states no upper bound."),
    "qualifier": Field("string", "#indicator+qualifier", "exact, at_least, more_than, at_most, fewer_than, approx, range or vague."),
    "unit": Field("string", "#indicator+unit", "Normalized unit: person, or person / day for rates."),
    "raw_value": Field("string", "#meta+value+raw", "The figure as written: 57,575, 2.1 million, dozens."),
    "raw_unit": Field("string", "#indicator+unit+raw", "The counted unit as written (people, families); empty when implicit."),
    "measure": Field("string", "#indicator+measure", "cumulative, period, rate or snapshot."),
    "population": Field("string", "#meta+population", "Who was counted when the text says so: children, aid workers..."),
    "location": Field("string", "#country+name", "Country name."),
    "attribution": Field("string", "#meta+attribution", "Who the sentence credits, e.g. the Gaza health ministry."),
    "quote": Field("string", "#meta+quote", "The sentence the figure stands in, as written."),
    "char_start": Field("integer", "#meta+span+start", "Offset of the figure's first character in the document's text."),
    "char_end": Field("integer", "#meta+span+end", "Offset just past the figure's last character in the document's text."),
    "source": Field("string", "#meta+source", "The publisher, or the URL's domain, or the file name."),
    "url": Field("string", "#meta+url", "Link to the original report."),
    "published": Field("date", "#date+published", "Publication date of the document."),
    "reference_date": Field("date", "#date+reported", "The date the figure refers to."),
    "extractor_version": Field("string", "#meta+version", "Version of the extractor that made the record."),
    "location_iso3": Field("string", "#country+code", "ISO 3166-1 alpha-3 code of the location."),
    "place": Field("string", "#loc+name", "The place name as written, e.g. Khan Younis."),
    "raw_qualifier": Field("string", "#indicator+qualifier+raw", "The qualifier words as written: at least, nearly..."),
    "unit_factor": Field("number", "#indicator+factor", "Persons per raw unit (household size), 1 for people."),
    "quote_start": Field("integer", "#meta+quote+start", "Offset of the quote's first character in the document's text."),
    "title": Field("string", "#meta+title", "The document's title."),
    "doc_kind": Field("string", "#meta+doc+kind", "summary for briefs restating another report; otherwise the kind of document."),
    "headline": Field(
        "boolean",
        "#meta+headline",
        "True for the figure an analyst would cite as the document's total for its indicator, outcome and location.",
    ),
    "scope": Field("string", "#meta+scope", "total, or part (a subgroup, a sub-area or one incident of the toll)."),
    "originator": Field(
        "string", "#org+originator", "Who counted the figure, by canonical name (Gaza Ministry of Health, UN OCHA...)."
    ),
    "status": Field("string", "#status+figure", "reported, or projected (an IPC projection, 'could rise to')."),
    "admin1": Field("string", "#adm1+name", "First-level area of the place named (Gaza Strip, North Darfur, Kharkiv Oblast)."),
    "admin1_code": Field(
        "string", "#adm1+code", "OCHA p-code of admin1 (common operational datasets), to join with HDX data (SD02)."
    ),
    "admin2": Field("string", "#adm2+name", "Second-level area of the place named, where the text names one (North Gaza, El Fasher)."),
    "admin2_code": Field("string", "#adm2+code", "OCHA p-code of admin2 (PS0255 for North Gaza, SD02114 for El Fasher)."),
    "lang": Field(
        "string", "#meta+lang", "ISO 639-1 code of the document's language (as it states it, else detected): en, fr, es, ar..."
    ),
    "admin1_iso": Field("string", "#adm1+code+iso", "ISO 3166-2 code of admin1 where ISO lists it (SD-DN)."),
    "admin2_iso": Field("string", "#adm2+code+iso", "ISO 3166-2 code of admin2 where ISO lists it (PS-NGZ)."),
}

STORE_FIELDS: dict[str, Field] = {
    "doc_id": Field("string", "#meta+doc+id", "The stored document's id (sha256 of its text)."),
    "page": Field("integer", "#meta+page", "1-based page of the figure; empty when the document has no pages."),
    "review_status": Field("string", "#status+review", "Review status of the record in the store."),
}

EXPORT_FIELDS: dict[str, Field] = {
    "publisher": Field("string", "#org+publisher", "The document's publisher (the source when unknown)."),
}

ALL_FIELDS: dict[str, Field] = RECORD_FIELDS | STORE_FIELDS | EXPORT_FIELDS


def columns_of_type(type_name: str) -> frozenset[str]:
    """The contract's columns of one Table Schema type: columns_of_type("integer")."""
    return frozenset(name for name, field in ALL_FIELDS.items() if field.type == type_name)
