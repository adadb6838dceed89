"""A document's text as HTML with every extracted figure highlighted. Pure: no Streamlit.

The text is escaped piece by piece; only the <mark> spans and line breaks we add are markup. Its
direction is the text's own (dir="auto"), paragraph by paragraph (unicode-bidi: plaintext), so an
Arabic report reads right to left and an English line inside it left to right.

>>> document_html("At least 5 <b>died</b>.", [Span(9, 10, "r1", "deaths: 5")])
'<div class="doc-text" dir="auto">At least <mark id="fig-r1" class="fig" title="deaths: 5">5</mark> &lt;b&gt;died&lt;/b&gt;.</div>'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from dashboard.model.formatting import escape_html, format_figure, indicator_label, is_missing

DOCUMENT_CSS = """
<style>
.doc-text { white-space: pre-wrap; unicode-bidi: plaintext; line-height: 1.6; font-size: 0.95rem; max-height: 32rem; overflow-y: auto;
            padding: 0.75rem 1rem; border: 1px solid #d0d0d0; border-radius: 0.5rem; background: #fcfcfc; color: #1a1a1a; }
.doc-text mark.fig { background: #fde9b3; padding: 0 2px; border-radius: 3px; }
.doc-text mark.fig.selected { background: #56B4E9; color: #000; outline: 2px solid #0072B2; }
</style>
"""


@dataclass(frozen=True, slots=True)
class Span:
    """One figure in a document: text[start:end], its record id and a short label."""

    start: int
    end: int
    record_id: str
    label: str = ""


_ID_SAFE = re.compile(r"[^A-Za-z0-9_-]")


def spans_from_records(records: pd.DataFrame) -> list[Span]:
    """The figure spans of a document's records, with labels such as 'Deaths: at least 57,575'."""
    spans: list[Span] = []
    for row in records.itertuples(index=False):
        try:
            start, end = int(row.char_start), int(row.char_end)
        except (TypeError, ValueError):
            continue
        figure = format_figure(row.value, row.qualifier, row.low, row.high, row.raw_value, row.unit)
        spans.append(Span(start, end, str(row.record_id), f"{indicator_label(row.indicator)}: {figure}"))
    return spans


def _usable(spans: Iterable[Span], length: int) -> list[Span]:
    """Spans inside the text, sorted, an overlapping span dropped in favour of the earlier one."""
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if not 0 <= span.start < span.end <= length:
            continue
        if kept and span.start < kept[-1].end:
            continue
        kept.append(span)
    return kept


def document_html(text: str, spans: Iterable[Span], selected: str | None = None) -> str:
    """The escaped text in a <div>, each span in <mark id="fig-RECORD"> (class 'selected' for one)."""
    text = "" if is_missing(text) else str(text)
    pieces: list[str] = []
    cursor = 0
    for span in _usable(spans, len(text)):
        pieces.append(escape_html(text[cursor : span.start]))
        css = "fig selected" if selected is not None and span.record_id == selected else "fig"
        anchor = _ID_SAFE.sub("", span.record_id)
        pieces.append(
            f'<mark id="fig-{anchor}" class="{css}" title="{escape_html(span.label)}">{escape_html(text[span.start : span.end])}</mark>'
        )
        cursor = span.end
    pieces.append(escape_html(text[cursor:]))
    return f'<div class="doc-text" dir="auto">{"".join(pieces)}</div>'


def page_of(offset: int, page_map: list[int] | None) -> int | None:
    """1-based page holding a character offset, None for an unpaged document.

    >>> page_of(120, [0, 100, 200])
    2
    """
    if not page_map:
        return None
    page = None
    for number, start in enumerate(page_map, start=1):
        if offset >= start:
            page = number
    return page
