"""A figure's provenance tooltip: Plotly hover HTML, every document text escaped. Pure: no Streamlit.

Figure, indicator, location, reference date and language (unless English); the quote with the figure in <b>;
source, publisher, publication date, attribution, qualifier, measure, document, and whether it is our summary.
Made for many records at once (tooltips_of_clean), the lines that many records share made once.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Mapping
from typing import Any

from dashboard.model.formatting import (
    MEASURE_LABELS,
    QUALIFIER_LABELS,
    WRAP_WIDTH,
    document_label,
    emphasized_quote_html,
    format_date,
    format_figure,
    indicator_label,
    is_missing,
    missing_as_none,
    needs_no_escaping,
)
from dashboard.model.languages import isolated_lines, language_note


def _field(record: Mapping[str, Any], name: str) -> Any:
    value = record.get(name)
    return None if is_missing(value) else value


TOOLTIP_FIELDS = (
    "value", "qualifier", "low", "high", "raw_value", "unit", "quote", "quote_start", "char_start", "char_end", "indicator",
    "location", "reference_date", "source", "publisher", "published", "attribution", "measure", "title", "doc", "doc_kind",
    "extractor_version", "lang",
)  # fmt: skip


def _esc(value: Any) -> str:
    """html.escape for already-cleaned values (None -> '')."""
    if value is None:
        return ""
    return _escaped(value) if type(value) is str else html.escape(value if isinstance(value, str) else str(value), quote=True)


@functools.lru_cache(maxsize=16384)
def _escaped(text: str) -> str:
    """html.escape, remembered: sources, places, dates and labels recur in every tooltip."""
    return html.escape(text, quote=True)


def _provenance_lines(
    source: str, publisher: str, published: Any, attribution: Any, qualifier: str, measure: str, document: Any, doc_kind: Any
) -> str:
    """The tooltip's lines after the quote, in three parts that many figures share: a report's outlet, publisher, date and
    attribution; the figure's qualifier and measure; its document."""
    try:
        return (
            f"{_report_lines(source, publisher, published, attribution)}<br>{_figure_line(qualifier, measure)}<br>"
            f"{_document_lines(document, doc_kind, source)}"
        )
    except TypeError:  # an unhashable value: no memory of it
        return (
            f"{_report_lines.__wrapped__(source, publisher, published, attribution)}<br>"
            f"{_figure_line.__wrapped__(qualifier, measure)}<br>{_document_lines.__wrapped__(document, doc_kind, source)}"
        )


def _remembered(function: Any, *arguments: Any) -> str:
    try:
        return function(*arguments)
    except TypeError:  # an unhashable value: no memory of it
        return function.__wrapped__(*arguments)


@functools.lru_cache(maxsize=4096)
def _report_lines(source: str, publisher: str, published: Any, attribution: Any) -> str:
    return (
        f"Source: {_esc(source)} · Publisher: {_esc(publisher)}<br>Published: {_esc(format_date(published))}<br>"
        f"Attribution: {_esc(attribution or 'none stated')}"
    )


@functools.lru_cache(maxsize=256)
def _figure_line(qualifier: str, measure: str) -> str:
    return (
        f"Qualifier: {_esc(QUALIFIER_LABELS.get(qualifier, qualifier))} · Measure: {_esc(MEASURE_LABELS.get(measure, measure))}"
    )


@functools.lru_cache(maxsize=4096)
def _document_lines(document: Any, doc_kind: Any, source: str) -> str:
    return f"Document: {_esc(document or '')}<br><i>{_esc(document_label(doc_kind, source))}</i>"


def tooltip_html(record: Mapping[str, Any], width: int = WRAP_WIDTH) -> str:
    """The provenance tooltip of one record, as Plotly hover HTML; every document text escaped.

    Figure, indicator, location, reference date and language (unless English); the quote with the figure in <b>;
    source, publisher, publication date, attribution, qualifier, measure, document, and whether it is our summary."""
    return tooltips_of_clean([[_field(record, name)] for name in TOOLTIP_FIELDS], width)[0]


def tooltips_html(columns: Mapping[str, list[Any]], width: int = WRAP_WIDTH) -> list[str]:
    """tooltip_html for many records at once, given as lists per field (missing fields count as None).

    The same text as _tooltip's, in one loop over the columns: no dict per record, and the
    lines that many records share (indicator and location, date) made once.
    """
    length = max((len(values) for values in columns.values()), default=0)
    cleaned = [missing_as_none(list(columns[name])) if name in columns else [None] * length for name in TOOLTIP_FIELDS]
    return tooltips_of_clean(cleaned, width)


def tooltips_of_clean(cleaned: list[list[Any]], width: int = WRAP_WIDTH) -> list[str]:
    """tooltips_html of columns given in TOOLTIP_FIELDS order, whose missing values are all None already."""
    tooltips: list[str] = []
    for (
        value, qualifier, low, high, raw_value, unit, quote, quote_start, char_start, char_end, indicator, location,
        reference, source, publisher, published, attribution, measure, title, doc, doc_kind, extractor_version, lang,
    ) in zip(*cleaned, strict=True):  # fmt: skip
        qualifier = str(qualifier or "exact")
        figure = format_figure(value, qualifier, low, high, raw_value, unit)
        source = source or "unknown source"
        provenance = (source, publisher or source, published, attribution, qualifier, str(measure or ""), title or doc, doc_kind)
        heading = (indicator, location, reference)
        rest = _provenance_lines(*provenance)
        head = _remembered(_tooltip_heading, *heading)
        quoted = isolated_lines(emphasized_quote_html(str(quote or ""), quote_start or 0, char_start, char_end, width), lang)
        manual = isinstance(extractor_version, str) and extractor_version.startswith("manual:")  # a person added it
        by_hand = f"<br><i>Added by hand by {_esc(extractor_version[7:])}, not read by the extractor</i>" if manual else ""
        tooltips.append(
            f"<b>{figure if needs_no_escaping(figure) else _esc(figure)}</b>{head[0]}<br>{head[1]}{language_note(lang)}<br>“{quoted}”<br>{rest}{by_hand}"
        )
    return tooltips


@functools.lru_cache(maxsize=4096, typed=True)
def _tooltip_heading(indicator: Any, location: Any, reference: Any) -> tuple[str, str]:
    """(' · Deaths · Sudan', 'as of 3 May 2025'): the parts of the tooltip's first two lines after the figure."""
    return (
        f" · {_esc(indicator_label(str(indicator or '')))} · {_esc(location or 'location unknown')}",
        f"as of {_esc(format_date(reference))}" if reference else "no reference date (publication date shown)",
    )
