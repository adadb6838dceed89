"""Briefing-ready charts: a title, the filters as a subtitle, and a source line naming the sources
and the extraction date, laid out to read at slide size (1600x900) and in a narrow column
(600x500). Pure: no Streamlit.

The chart itself is dashboard.charts.charts.trend_figure's; this module only adds the texts and sizes
the fonts, margins and legend for the export size. Every text that comes from the data is
escaped (Plotly reads titles and annotations as a small HTML subset).

>>> wrap("Sources: UN OCHA; Al Jazeera; Reuters", 20)
['Sources: UN OCHA; Al', 'Jazeera; Reuters']
"""

from __future__ import annotations

import copy
import html
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.chart_layout import LEGEND_TITLE
from dashboard.charts.charts import SYMBOL_LEGEND, chart_series_rank, chart_source_rank, trend_figure, trend_title
from dashboard.model.formatting import MEASURE_LABELS, format_date, format_number, is_missing, parse_iso_date
from dashboard.model.origins import is_stated
from dashboard.model.review import review_scope

FONT_FAMILY = "Liberation Sans, Arial, Helvetica, DejaVu Sans, sans-serif"
TEXT_COLOR = "#1a1a1a"
MUTED_COLOR = "#555555"
MAX_NAMED_SOURCES = 5
NARROW_WIDTH = 900  # below this the legend goes under the chart
CHAR_WIDTH = 0.56  # average glyph width, as a share of the font size (Liberation Sans / Arial), with a margin
LEGEND_CHAR_WIDTH = 0.52
DASHBOARD_NAME = "the humanitarian indicator dashboard"
_COLOR = re.compile(r"#[0-9A-Fa-f]{3,8}|[a-z]+|rgba?\([0-9., ]+\)")


@dataclass(frozen=True)
class Briefing:
    """The texts around a chart, as plain text (escaped when laid out)."""

    title: str
    subtitle: str
    source_line: str
    note: str = ""


@dataclass(frozen=True)
class Sizes:
    title: float
    subtitle: float
    base: float
    small: float
    pad: float

    @classmethod
    def for_width(cls, width: float) -> Sizes:
        """Font sizes and padding: small at 600 px wide, larger at 1600 px (linear in between)."""
        share = min(max((width - 600) / 1000, 0.0), 1.0)

        def lerp(low: float, high: float) -> float:
            return round(low + (high - low) * share, 1)

        return cls(title=lerp(19, 30), subtitle=lerp(13, 18), base=lerp(12, 16), small=lerp(11, 14), pad=lerp(12, 24))


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


def _html_lines(lines: Sequence[str]) -> str:
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


def _date_span_days(figure: dict) -> int:
    """Days between the first and the last date of the figure's points (0 without dates)."""
    days = [parse_iso_date(x) for trace in figure.get("data", []) for x in (trace.get("x") or [])]
    days = [day for day in days if day is not None]
    return (max(days) - min(days)).days if days else 0


def _max_tick_chars(figure: dict) -> int:
    highest = 0.0
    for trace in figure.get("data", []):
        for key in ("y",):
            values = [v for v in (trace.get(key) or []) if isinstance(v, int | float) and not is_missing(v)]
            if values:
                extra = trace.get("error_y", {}).get("array") or []
                tops = [v + (e or 0) for v, e in zip(values, list(extra) + [0] * (len(values) - len(extra)), strict=False)]
                highest = max(highest, max(values), max(tops))
    return len(format_number(highest * 1.1)) if highest else 3


@dataclass(frozen=True)
class LegendItem:
    name: str
    color: str
    hollow: bool


def legend_items(spec: dict) -> list[LegendItem]:
    """The sources of a trend figure's legend, in trace order, with their colour."""
    items: list[LegendItem] = []
    seen: set[str] = set()
    for trace in spec.get("data", []):
        name = trace.get("name")
        if not name or trace.get("showlegend") is False or str(name) in seen:
            continue
        seen.add(str(name))
        marker = trace.get("marker") or {}
        color = (
            marker.get("color") if isinstance(marker.get("color"), str) else (trace.get("line") or {}).get("color", TEXT_COLOR)
        )
        symbols = marker.get("symbol")
        symbol = symbols[0] if isinstance(symbols, list | tuple) and symbols else symbols
        items.append(LegendItem(str(name), str(color or TEXT_COLOR), isinstance(symbol, str) and symbol.endswith("-open")))
    return items


def text_legend_lines(items: Sequence[LegendItem], max_chars: float) -> list[str]:
    """A legend as lines of Plotly text: a coloured square (hollow past 8 sources) and the source's name, escaped."""
    lines: list[str] = []
    current: list[str] = []
    used = 0
    for item in items:
        size = len(item.name) + 4
        if current and used + size > max_chars:
            lines.append(" &nbsp; ".join(current))
            current, used = [], 0
        mark = "□" if item.hollow else "■"
        color = item.color if _COLOR.fullmatch(item.color) else TEXT_COLOR
        # The name is a trace name, escaped already for Plotly's legend: escaped again it showed "&amp;amp;".
        current.append(f'<span style="color:{color}">{mark}</span> {plotly_text(html.unescape(item.name))}')
        used += size
    if current:
        lines.append(" &nbsp; ".join(current))
    return lines


MIN_PLOT_HEIGHT = 110


def _fit_legend(spec: dict, items: Sequence[LegendItem], sizes: Sizes, plot_height: float, x: float) -> None:
    """A legend beside the chart names the series that fit its height, then "and N more": a PNG cannot scroll,
    and Plotly cut the last entry in half (a chart of fifty outlets that name no originator)."""
    entry = sizes.small * 1.5 + 10  # a line of text and the gap between two series' groups
    fits = int((plot_height - entry) // entry)
    if len(items) <= fits or fits < 2:
        return
    hidden = {item.name for item in items[fits - 1 :]}
    for trace in spec["data"]:
        if trace.get("name") in hidden:
            trace["showlegend"] = False
    spec["layout"].setdefault("annotations", []).append(
        {
            "text": plotly_text(f"and {len(hidden):,} more (each named in its tooltip online)"),
            "font": {"size": sizes.small, "color": MUTED_COLOR},
            "x": x,
            "y": 1.0 - fits * entry / plot_height,
            "xref": "paper",
            "yref": "paper",
            "xanchor": "left",
            "yanchor": "top",
            "showarrow": False,
        }
    )


def briefing_figure(
    figure: go.Figure | dict,
    briefing: Briefing,
    *,
    width: int,
    height: int,
    responsive: bool = False,
) -> go.Figure:
    """The chart with its title, subtitle, marker note and source line, sized for width x height.

    Wide (>= 900 px): Plotly's legend on the right. Narrow: a text legend of coloured squares
    under the chart (Plotly's horizontal legend would push the margins). Everything else is
    placed in pixels from the figure's edges. responsive=True leaves the width to the page
    (HTML, embeds); texts are then wrapped for `width`.
    """
    spec = copy.deepcopy(figure.to_plotly_json() if hasattr(figure, "to_plotly_json") else dict(figure))
    spec.setdefault("data", [])
    layout = spec.setdefault("layout", {})
    sizes = Sizes.for_width(width)
    narrow = width < NARROW_WIDTH
    items = legend_items(spec)

    left = sizes.pad + sizes.base * (CHAR_WIDTH * _max_tick_chars(spec) + 2.2)
    longest = max((len(item.name) for item in items), default=0)
    legend_width = 0.0 if narrow or not items else min(max(longest, 8) * sizes.small * LEGEND_CHAR_WIDTH + 60, width * 0.3)
    right = sizes.pad + legend_width
    text_width = width - 2 * sizes.pad
    small_chars = text_width / (sizes.small * CHAR_WIDTH)

    title_lines = wrap(briefing.title, text_width / (sizes.title * (CHAR_WIDTH + 0.04)))
    subtitle_lines = wrap(briefing.subtitle, text_width / (sizes.subtitle * CHAR_WIDTH))
    note_lines = wrap(briefing.note, small_chars) if briefing.note else []
    source_lines = wrap(briefing.source_line, small_chars)
    legend_lines = text_legend_lines(items, small_chars) if narrow and items else []

    line = sizes.small * 1.4
    top = sizes.pad + len(title_lines) * sizes.title * 1.25 + len(subtitle_lines) * sizes.subtitle * 1.4 + sizes.base * 2.4
    # Plotly writes the year under the first date tick when the dates span less than about a year.
    ticks = sizes.base * (3.8 if _date_span_days(spec) < 400 else 2.4)
    gap = sizes.small * 0.8

    def bottom_of(legend: int, note: int) -> float:
        blocks = [n for n in (legend, note, len(source_lines)) if n]
        return ticks + sum(blocks) * line + gap * len(blocks) + sizes.pad

    while top + bottom_of(len(legend_lines), len(note_lines)) > height - MIN_PLOT_HEIGHT and (
        note_lines or len(legend_lines) > 1
    ):
        if note_lines:  # the marker note goes first: the tooltips say the same
            note_lines = []
        else:
            hidden = len(items) - sum(line_text.count("</span>") for line_text in legend_lines[:-1])
            legend_lines = [*legend_lines[:-2], f"and {hidden:,} more sources (see the source line)"]
    bottom = bottom_of(len(legend_lines), len(note_lines))
    plot_height = max(height - top - bottom, 40)

    from plotly.io import templates

    layout.update(
        template=templates["plotly_white"].to_plotly_json(),
        width=None if responsive else width,
        height=height,
        autosize=bool(responsive),
        paper_bgcolor="white",
        plot_bgcolor="white",
        font={"family": FONT_FAMILY, "size": sizes.base, "color": TEXT_COLOR},
        margin={"l": math.ceil(left), "r": math.ceil(right), "t": math.ceil(top), "b": math.ceil(bottom), "pad": 2},
        showlegend=bool(items) and not narrow,
        title={
            "text": "<b>" + _html_lines(title_lines) + "</b>",
            "x": sizes.pad / width,
            "xref": "container",
            "xanchor": "left",
            "y": 1 - sizes.pad / height,
            "yref": "container",
            "yanchor": "top",
            "font": {"size": sizes.title, "color": TEXT_COLOR, "family": FONT_FAMILY},
            "pad": {"l": 0, "t": 0, "b": 0},
            "subtitle": {
                "text": _html_lines(subtitle_lines),
                "font": {"size": sizes.subtitle, "color": MUTED_COLOR, "family": FONT_FAMILY},
            },
        },
    )
    if not narrow:
        layout["legend"] = {
            **layout.get("legend", {}),
            "orientation": "v",
            "x": 1.0 + 12 / max(width - left - right, 1),
            "xanchor": "left",
            "y": 1.0,
            "yanchor": "top",
            "font": {"size": sizes.small},
            "title": {"text": LEGEND_TITLE, "font": {"size": sizes.small}},
            "tracegroupgap": 10,  # Plotly's default: the dashboard's rows under its charts set 0
        }
    for key, axis in layout.items():
        if key.startswith(("xaxis", "yaxis")) and isinstance(axis, dict):
            axis.update(automargin=True, gridcolor="#e6e6e6", linecolor="#999999", tickfont={"size": sizes.base * 0.95})
            if key.startswith("yaxis"):
                title = axis.get("title")
                axis["title"] = {
                    **(title if isinstance(title, dict) else {"text": title}),
                    "font": {"size": sizes.base * 0.95, "color": MUTED_COLOR},
                }
                axis.update(zeroline=True, zerolinecolor="#bbbbbb")
    annotations = list(layout.get("annotations", []) or [])
    for annotation in annotations:
        annotation["font"] = {**annotation.get("font", {}), "size": sizes.base * 1.05, "color": TEXT_COLOR}
    offset = ticks  # pixels below the plot area
    for lines, color in ((legend_lines, TEXT_COLOR), (note_lines, MUTED_COLOR), (source_lines, TEXT_COLOR)):
        if not lines:
            continue
        annotations.append(
            {
                "text": "<br>".join(lines) if lines is legend_lines else _html_lines(lines),
                "font": {"size": sizes.small, "color": color},
                "x": 0.0,
                "y": -(offset / plot_height),
                "xref": "paper",
                "yref": "paper",
                "xanchor": "left",
                "yanchor": "top",
                "xshift": -(left - sizes.pad),
                "align": "left",
                "showarrow": False,
            }
        )
        offset += len(lines) * line + gap
    layout["annotations"] = annotations
    if not narrow:
        _fit_legend(spec, items, sizes, plot_height, layout["legend"]["x"])
    return go.Figure(spec, skip_invalid=False, _validate=False)


def briefing_chart(
    records: pd.DataFrame,
    filters: Any,
    indicator: str,
    location: str,
    *,
    extracted: date | None = None,
    width: int = 1600,
    height: int = 900,
    responsive: bool = False,
) -> go.Figure:
    """The trend chart of one indicator at one location, briefing-ready (records: the view's filtered records)."""
    subset = select_chart_records(records, indicator, location)
    figure = trend_figure(subset, title=None)
    return briefing_figure(
        figure,
        briefing_for(subset, filters, indicator, location, extracted=extracted),
        width=width,
        height=height,
        responsive=responsive,
    )


HTML_WIDE = 1100
HTML_NARROW = 600


def responsive_briefing(
    records: pd.DataFrame, filters: Any, indicator: str, location: str, *, extracted: date | None = None, height: int = 720
) -> tuple[go.Figure, dict]:
    """For a page of any width (standalone HTML): the chart laid out wide, and its layout for a narrow column."""
    wide = briefing_chart(
        records, filters, indicator, location, extracted=extracted, width=HTML_WIDE, height=height, responsive=True
    )
    narrow = briefing_chart(
        records, filters, indicator, location, extracted=extracted, width=HTML_NARROW, height=height, responsive=True
    )
    return wide, narrow.to_plotly_json()["layout"]


__all__ = [
    "Briefing",
    "Sizes",
    "briefing_chart",
    "briefing_figure",
    "briefing_for",
    "filters_text",
    "marker_note",
    "responsive_briefing",
    "select_chart_records",
    "sources_text",
    "wrap",
]
