"""The texts around a briefing chart: its title, the filters as a subtitle, the source line
naming who counted and who reported, and how to read the markers. Pure: no Streamlit.

Every text that comes from the data is escaped with plotly_text (Plotly reads titles and
annotations as a small HTML subset).

>>> wrap("Sources: UN OCHA; Al Jazeera; Reuters", 20)
['Sources: UN OCHA; Al', 'Jazeera; Reuters']
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from dashboard.charts.charts import SYMBOL_LEGEND, chart_series_rank, chart_source_rank, trend_title
from dashboard.model.formatting import MEASURE_LABELS, format_date, is_missing
from dashboard.model.origins import is_stated
from dashboard.model.review import review_scope

MAX_NAMED_SOURCES = 5
DASHBOARD_NAME = "the humanitarian indicator dashboard"


@dataclass(frozen=True)
class Briefing:
    """The texts around a chart, as plain text (escaped when laid out)."""

    title: str
    subtitle: str
    source_line: str
    note: str = ""


def wrap(text: str, max_chars: int) -> list[str]:
    """Greedy word wrapping at `max_chars` characters; words longer than a line are cut."""
    max_chars = max(int(max_chars), 8)
    lines: list[str] = []
    current = ""
    for word in str(text).split():
        while len(word) > max_chars:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:max_chars])
            word = word[max_chars:]
        if not current:
            current = word
        elif len(current) + 1 + len(word) <= max_chars:
            current = f"{current} {word}"
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines or [""]


def plotly_text(value: object) -> str:
    """Text for Plotly's titles and annotations: <, > and & escaped.

    Plotly reads a small HTML subset and decodes only a few entities: &quot; or &#x27; would
    show as such, and quotes are harmless outside tags, so they stay.

    >>> plotly_text('<img src=x> & "quoted"')
    '&lt;img src=x&gt; &amp; "quoted"'
    """
    return html.escape("" if is_missing(value) else str(value), quote=False)


def html_lines(lines: Sequence[str]) -> str:
    return "<br>".join(plotly_text(line) for line in lines)


def _join_names(names: Sequence[str], max_named: int = MAX_NAMED_SOURCES) -> str:
    named = list(names[:max_named])
    rest = len(names) - len(named)
    if rest > 0:
        return "; ".join(named) + f" and {rest:,} more"
    if len(named) > 1:
        return "; ".join(named[:-1]) + " and " + named[-1]
    return named[0] if named else "no source"


def filters_text(filters: Any, records: pd.DataFrame) -> str:
    """The subtitle: the filters that narrow the chart (besides its indicator and location) and what it shows.

    'Sources: UN OCHA · from 1 January 2024 · 12 figures from 9 reports, 19 October 2023 – 25 May 2025'
    """
    parts: list[str] = []
    sources = tuple(getattr(filters, "sources", ()) or ())
    measures = tuple(getattr(filters, "measures", ()) or ())
    date_from, date_to = getattr(filters, "date_from", None), getattr(filters, "date_to", None)
    search = getattr(filters, "search", "") or ""
    if sources:
        parts.append(("Source: " if len(sources) == 1 else "Sources: ") + "; ".join(sources))
    if measures:
        parts.append("Only " + ", ".join(MEASURE_LABELS.get(m, m) for m in measures))
    if date_from and date_to:
        parts.append(f"{format_date(date_from)} – {format_date(date_to)}")
    elif date_from:
        parts.append(f"From {format_date(date_from)}")
    elif date_to:
        parts.append(f"Up to {format_date(date_to)}")
    if search:
        parts.append(f"Matching “{search}”")
    if not parts:
        parts.append("All sources and dates")
    parts.append(review_scope(bool(getattr(filters, "reviewed_only", False)), records))  # whether a person checked them
    dated = records[records["date"].notna()] if "date" in records.columns else records
    reports = dated["doc_id"].nunique() if "doc_id" in dated.columns else dated["doc"].nunique()
    shown = f"{len(dated):,} figure{'s' if len(dated) != 1 else ''} from {reports:,} report{'s' if reports != 1 else ''}"
    if "date" in dated.columns and not dated.empty:
        first, last = dated["date"].min(), dated["date"].max()
        shown += f", {format_date(first)}" + (f" – {format_date(last)}" if last != first else "")
    undated = len(records) - len(dated)
    if undated:
        shown += f" ({undated:,} undated not shown)"
    parts.append(shown)
    return " · ".join(parts)


def sources_text(records: pd.DataFrame, extracted: date | None = None, *, max_named: int = MAX_NAMED_SOURCES) -> str:
    """The source line: the sources (most figures first) and the extraction date."""
    names = list(chart_source_rank(records)) if not records.empty else []
    counted = [name for name in chart_series_rank(records) if is_stated(name)] if not records.empty else []
    line = f"Counted by {_join_names(counted, max_named)}. " if counted else ""  # the legend's originators, first
    line += f"Source{'s' if len(names) != 1 else ''}: {_join_names(names, max_named)}, as quoted in their reports."
    if extracted is not None:
        line += f" Figures extracted on {format_date(extracted)} by {DASHBOARD_NAME}."
    else:
        line += f" Figures extracted by {DASHBOARD_NAME}."
    return line


def marker_note(records: pd.DataFrame) -> str:
    """How to read the markers and bars (only the qualifiers present are not singled out: the legend is short)."""
    note = f"Markers: {SYMBOL_LEGEND}."
    if "qualifier" in records.columns and (records["qualifier"].astype(str) != "exact").any():
        note += " Bars: stated bounds (capped) and open bounds (uncapped)."
    return note


def briefing_for(
    records: pd.DataFrame, filters: Any, indicator: str, location: str, *, extracted: date | None = None
) -> Briefing:
    """The texts of one chart: `records` are the figures it shows (one indicator at one location)."""
    return Briefing(
        title=trend_title(indicator, location),
        subtitle=filters_text(filters, records),
        source_line=sources_text(records, extracted),
        note=marker_note(records),
    )


def select_chart_records(records: pd.DataFrame, indicator: str, location: str) -> pd.DataFrame:
    """The records of one indicator at one location (by location label), as a trend chart shows them."""
    labels = records["location_label"] if "location_label" in records.columns else records["location"]
    # Compared as they are (text or categorical): astype(str) would copy every row on each render.
    return records[(records["indicator"] == indicator) & (labels == location)]


__all__ = [
    "Briefing",
    "briefing_for",
    "filters_text",
    "html_lines",
    "marker_note",
    "plotly_text",
    "select_chart_records",
    "sources_text",
    "wrap",
]
