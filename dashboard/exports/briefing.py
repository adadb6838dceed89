"""Briefing-ready charts: a title, the filters as a subtitle, and a source line naming the sources
and the extraction date, laid out to read at slide size (1600x900) and in a narrow column
(600x500). Pure: no Streamlit.

The chart itself is dashboard.charts.charts.trend_figure's and the texts are briefing_text's; this
module sizes the fonts, margins and legend for the export size.
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
from dashboard.charts.charts import trend_figure
from dashboard.exports.briefing_text import Briefing, briefing_for, html_lines, plotly_text, select_chart_records, wrap
from dashboard.model.formatting import format_number, is_missing, parse_iso_date

FONT_FAMILY = "Liberation Sans, Arial, Helvetica, DejaVu Sans, sans-serif"
TEXT_COLOR = "#1a1a1a"
MUTED_COLOR = "#555555"
NARROW_WIDTH = 900  # below this the legend goes under the chart
CHAR_WIDTH = 0.56  # average glyph width, as a share of the font size (Liberation Sans / Arial), with a margin
LEGEND_CHAR_WIDTH = 0.52
_COLOR = re.compile(r"#[0-9A-Fa-f]{3,8}|[a-z]+|rgba?\([0-9., ]+\)")


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
            "text": "<b>" + html_lines(title_lines) + "</b>",
            "x": sizes.pad / width,
            "xref": "container",
            "xanchor": "left",
            "y": 1 - sizes.pad / height,
            "yref": "container",
            "yanchor": "top",
            "font": {"size": sizes.title, "color": TEXT_COLOR, "family": FONT_FAMILY},
            "pad": {"l": 0, "t": 0, "b": 0},
            "subtitle": {
                "text": html_lines(subtitle_lines),
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
                "text": "<br>".join(lines) if lines is legend_lines else html_lines(lines),
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
    "Sizes",
    "briefing_chart",
    "briefing_figure",
    "responsive_briefing",
]
