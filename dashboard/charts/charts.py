"""Plotly figure builders. Pure: no Streamlit.

Trend figures: figures over their reference date, one colour per series: who counted the
figures (their originator), or, when a figure does not say, the outlet that published it,
named as such (origins.series_label). Okabe-Ito colours, safe for colour-blind readers; past
8 series hollow markers and dashed lines tell the cycles apart, and every series has its
named legend entry. A figure relayed by several outlets is one point whose tooltip says who
reported it. A marker on every point (its shape tells the qualifier), lines only between the
points of one series' cumulative totals of one kind, interval bars for qualified figures
(capped bars for stated bounds, uncapped stubs for open bounds), and one panel per measure so
that cumulative and period figures never share an axis. Every point carries its provenance
tooltip (tooltips.tooltip_html, escaped) and its record id as customdata.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.chart_layout import LEGEND_GAP, MEASURE_ORDER, _axis, _panels, empty_figure, legend_below, panel_layout
from dashboard.charts.figure_types import DisplayFigure, TrendFigure
from dashboard.model import origins
from dashboard.model.formatting import escape_html, indicator_label, missing_as_none
from dashboard.model.tooltips import TOOLTIP_FIELDS, tooltips_of_clean

__all__ = ["LEGEND_GAP", "MEASURE_ORDER", "empty_figure", "panel_layout"]


@dataclass(frozen=True)
class SourceStyle:
    color: str
    hollow: bool
    dash: str


OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442")
# On a dark page Okabe-Ito's black vanishes (its line, markers and bars): white takes its place, as black
# does on white. Only the dashboard's own charts follow the page; exports keep their white background.
OKABE_ITO_DARK = tuple("#FFFFFF" if colour == "#000000" else colour for colour in OKABE_ITO)
SYMBOLS = {
    "exact": "circle",
    "at_least": "triangle-up",
    "more_than": "triangle-up",
    "at_most": "triangle-down",
    "fewer_than": "triangle-down",
    "approx": "diamond",
    "range": "diamond",
    "vague": "square",
}
SYMBOL_LEGEND = "● exact · ▲ at least / more than · ▼ at most / fewer than · ◆ about / range · ■ vague"
DASHES = ("solid", "dash", "dot", "dashdot")
STUB_SHARE = 0.07  # open-bound stub length, as a share of the panel's largest figure
# A chart draws the latest this many dated figures of its place (its caption says so; its downloads hold them all):
# past a few hundred, size-10 markers overlap at any screen width, and each point costs a tooltip made on
# the server and an element drawn in the browser.
MAX_POINTS = 500
PANEL_HEIGHT = 300
LEGEND_BOTTOM = 40  # the bottom margin before Plotly widens it for the legend's rows
LEGEND_ROOM = 80  # added to the figure's height, so that two rows of legend leave the panels their height


def source_styles(source_rank: Mapping[str, int], palette: Sequence[str] = OKABE_ITO) -> dict[str, SourceStyle]:
    """A style per source by rank: the first 8 get the Okabe-Ito colours, the next 8 the same colours hollow and dashed..."""
    styles: dict[str, SourceStyle] = {}
    for source, rank in source_rank.items():
        cycle = rank // len(palette)
        styles[source] = SourceStyle(palette[rank % len(palette)], hollow=cycle % 2 == 1, dash=DASHES[cycle % len(DASHES)])
    return styles


def chart_source_rank(frame: pd.DataFrame) -> dict[str, int]:
    """The sources of one chart ranked by how many figures they give (then by name)."""
    return _rank(frame["source"].astype(str).to_numpy(dtype=object))


def _rank(sources: np.ndarray) -> dict[str, int]:
    names, counts = np.unique(sources.astype(str), return_counts=True)
    ordered = sorted(zip(names.tolist(), counts.tolist(), strict=True), key=lambda item: (-item[1], item[0]))
    return {name: rank for rank, (name, _) in enumerate(ordered)}


def marker_symbol(qualifier: str, hollow: bool = False) -> str:
    symbol = SYMBOLS.get(qualifier, "circle")
    return f"{symbol}-open" if hollow else symbol


def interval_arms(frame: pd.DataFrame, stub: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(closed up, closed down, open up, open down) bar lengths for each figure.

    A stated bound gives a capped bar from the figure to the bound; an open bound (None)
    gives an uncapped stub of length `stub` on that side. Exact figures get neither.
    """
    exact = (frame["qualifier"].astype(str) == "exact").to_numpy()
    return _arms(
        frame["value"].to_numpy(dtype=float), frame["low"].to_numpy(dtype=float), frame["high"].to_numpy(dtype=float), exact, stub
    )


def _arms(value: np.ndarray, low: np.ndarray, high: np.ndarray, exact: np.ndarray, stub: float) -> tuple[np.ndarray, ...]:
    closed_up = np.where(~np.isnan(high) & (high > value), high - value, 0.0)
    closed_down = np.where(~np.isnan(low) & (low < value), value - low, 0.0)
    open_up = np.where(np.isnan(high) & ~exact, stub, 0.0)
    open_down = np.where(np.isnan(low) & ~exact, stub, 0.0)
    return closed_up, closed_down, open_up, open_down


def trend_figure(
    frame: pd.DataFrame,
    styles: Mapping[str, SourceStyle] | None = None,
    title: str | None = None,
    max_points: int = MAX_POINTS,
    validate: bool = False,
) -> go.Figure:
    """Figures of one indicator at one location over time, one panel per measure."""
    parts = _trend_parts(frame, styles, title, max_points)
    if parts is None:
        return empty_figure("No dated figures match the filters.")
    # Built from plain dicts, whose shape the tests validate; skipping Plotly's per-property
    # validation here makes a figure ~10x cheaper to build.
    return TrendFigure(data=parts[0], layout=parts[1], _validate=validate)


def trend_display(
    frame: pd.DataFrame, title: str | None = None, tooltips: MutableMapping[str, str] | None = None, *, dark: bool = False
) -> go.Figure:
    """trend_figure's chart for st.plotly_chart only (see DisplayFigure): the same JSON, built in a fifth of the time.

    `tooltips`, record_id -> tooltip, remembers the tooltips made (a record's tooltip depends on
    the record alone): give the same mapping for charts of the same records to make each once.
    `dark`: for a dark page (OKABE_ITO_DARK).
    """
    parts = _trend_parts(frame, None, title, MAX_POINTS, tooltips, OKABE_ITO_DARK if dark else OKABE_ITO)
    if parts is None:
        return empty_figure("No dated figures match the filters.")
    return DisplayFigure(*parts)


def _trend_parts(
    frame: pd.DataFrame,
    styles: Mapping[str, SourceStyle] | None,
    title: str | None,
    max_points: int,
    tooltips: MutableMapping[str, str] | None = None,
    palette: Sequence[str] = OKABE_ITO,
) -> tuple[list[dict], dict] | None:
    """The traces and layout of a trend chart, as plain dicts; None when no record is dated."""
    needed = [name for name in TREND_COLUMNS if name in frame.columns]
    dated = frame.loc[frame["date"].notna(), needed]  # the columns drawn, not every one of a wide frame
    if dated.empty:
        return None
    if not dated["date"].is_monotonic_increasing:
        dated = dated.sort_values("date", kind="stable")
    shown = dated.tail(max_points)
    columns = _Columns.of(shown).relayed(shown, tooltips)
    series = columns.series
    rank = _rank(series)
    styles = styles if styles is not None else source_styles(rank, palette)
    measures = _panels(columns.measure)
    traces: list[dict] = []
    legend_done: set[str] = set()
    for row, measure in enumerate(measures, start=1):
        in_panel = np.flatnonzero(columns.measure == measure)
        bounds = np.concatenate([columns.value[in_panel], columns.low[in_panel], columns.high[in_panel]])
        stub = STUB_SHARE * float(np.nanmax(bounds))
        arms = _arms(columns.value, columns.low, columns.high, columns.exact, stub)
        panel_series = series[in_panel]
        for name in sorted(set(panel_series.tolist()), key=rank.__getitem__):  # the legend: the busiest first
            of_series = in_panel[panel_series == name]
            for where, joined in _series_groups(columns.kind[of_series], of_series, measure == "cumulative"):
                traces.extend(
                    _source_traces(
                        columns, where, tuple(arm[where] for arm in arms), name, styles, joined, row, name not in legend_done
                    )
                )
                legend_done.add(name)
    layout = panel_layout(measures)
    top = 70 if title else 40
    height = PANEL_HEIGHT * len(measures) + 90 + LEGEND_ROOM
    layout.update(
        title={"text": title, "x": 0, "font": {"size": 16}} if title else None,
        height=height,
        hovermode="closest",
        hoverlabel={"align": "left", "bgcolor": "white", "font": {"size": 12, "color": "#1a1a1a"}},
        legend=legend_below(height - top - LEGEND_BOTTOM),
        margin={"t": top, "b": LEGEND_BOTTOM, "l": 60, "r": 20},
        clickmode="event+select",
    )
    return traces, layout


FIGURE_COLUMNS = (
    "value", "low", "high", "measure", "qualifier", "source", "record_id", "originator", "url", "outcome", "status", "scope",
)  # fmt: skip
TREND_COLUMNS = tuple(dict.fromkeys(("date", *FIGURE_COLUMNS, *TOOLTIP_FIELDS)))
"""The columns a trend chart reads: a caller may give it only these."""


def _series_groups(kinds: np.ndarray, rows: np.ndarray, cumulative: bool) -> list[tuple[np.ndarray, bool]]:
    """One series' rows in a panel as traces: (rows, joined by a line).

    A line joins the cumulative totals of one kind (outcome, status, scope) only, never a part to a
    total: each such kind is a trace of its own. The series' other figures are markers without a
    line, and share one trace whatever their kind.
    """
    groups: list[tuple[np.ndarray, bool]] = []
    loose = np.zeros(len(rows), dtype=bool)
    for kind in dict.fromkeys(kinds.tolist()):
        of_kind = kinds == kind
        if cumulative and _joinable(kind) and np.count_nonzero(of_kind) > 1:
            groups.append((rows[of_kind], True))
        else:
            loose |= of_kind
    if loose.any():
        groups.append((rows[loose], False))
    return groups


def _joinable(kind: str) -> bool:
    """Whether a kind's cumulative figures make one running total: not parts of it, not projections."""
    _, status, scope = kind.split("|")
    return scope != "part" and status != "projected"


def chart_series_rank(frame: pd.DataFrame) -> dict[str, int]:
    """The series of one chart (origins.series_label: who counted) ranked by how many figures they give (then by name)."""
    return _rank(origins.series_labels(frame))


@dataclass(frozen=True)
class _Columns:
    """A figure's records as positional arrays (one pandas pass instead of one per trace)."""

    dates: np.ndarray
    value: np.ndarray
    low: np.ndarray
    high: np.ndarray
    measure: np.ndarray
    qualifier: np.ndarray
    exact: np.ndarray
    source: np.ndarray
    record_id: np.ndarray
    series: np.ndarray  # origins.series_label: who counted
    kind: np.ndarray  # 'outcome|status|scope'
    tooltip: np.ndarray | None = None  # made by relayed(), for the distinct figures drawn

    @classmethod
    def of(cls, frame: pd.DataFrame) -> _Columns:
        qualifier = frame["qualifier"].astype(str).to_numpy(dtype=object)
        record_id = frame["record_id"].astype(str).to_numpy(dtype=object)
        return cls(
            dates=np.datetime_as_string(frame["date"].to_numpy(dtype="datetime64[D]"), unit="D").astype(object),
            value=frame["value"].to_numpy(dtype=float),
            low=frame["low"].to_numpy(dtype=float),
            high=frame["high"].to_numpy(dtype=float),
            measure=frame["measure"].astype(str).to_numpy(dtype=object),
            qualifier=qualifier,
            exact=qualifier == "exact",
            source=frame["source"].astype(str).to_numpy(dtype=object),
            record_id=record_id,
            series=origins.series_labels(frame),
            kind=np.array(["|".join(parts) for parts in zip(*_kind_parts(frame), strict=True)], dtype=object),
        )

    def relayed(self, frame: pd.DataFrame, tooltips: MutableMapping[str, str] | None = None) -> _Columns:
        """One row per distinct figure (origins.relay_groups), its tooltip saying who counted, who reported it and where.

        The tooltip's provenance is that of the figure's first record: the others' would not be shown, so they are not made.
        """
        kinds = self.kind + "|" + self.measure
        groups = origins.relay_groups(self.series, kinds, self.dates.tolist(), self.value, self.low, self.high)
        first = groups.first
        urls = _column_values(frame, "url")
        originators = _column_values(frame, "originator")
        provenance = _tooltips(frame if len(first) == len(frame) else frame.take(first), self.record_id[first], tooltips)
        tooltip = [
            f"{made}<br>"
            + origins.relay_html([self.source[r] for r in rows], [urls[r] for r in rows], originators[rows[0]] or None)
            for made, rows in zip(provenance, groups.members, strict=True)
        ]
        return _Columns(
            **{name: getattr(self, name)[first] for name in self.__dataclass_fields__ if name != "tooltip"},
            tooltip=np.array(tooltip, dtype=object),
        )


def _kind_parts(frame: pd.DataFrame) -> list[list[str]]:
    return [[str(v) if v else "" for v in _column_values(frame, name)] for name in ("outcome", "status", "scope")]


def _tooltips(frame: pd.DataFrame, record_ids: np.ndarray, memo: MutableMapping[str, str] | None) -> list[str]:
    """The records' tooltips, those in `memo` (by record id) taken from it, the others made and added to it."""
    known: list[str | None] = [None] * len(record_ids) if memo is None else [memo.get(rid) for rid in record_ids.tolist()]
    missing = [position for position, tooltip in enumerate(known) if tooltip is None]
    if missing:
        rows = frame if len(missing) == len(known) else frame.iloc[missing]
        made = tooltips_of_clean([_column_values(rows, name) for name in TOOLTIP_FIELDS])
        for position, tooltip in zip(missing, made, strict=True):
            known[position] = tooltip
            if memo is not None:
                memo[record_ids[position]] = tooltip
    return known  # type: ignore[return-value]


def _column_values(frame: pd.DataFrame, name: str) -> list:
    """A column as a list whose missing values (NaN, NA, NaT) are None (missing_as_none, skipped when there are none)."""
    if name not in frame:
        return [None] * len(frame)
    column = frame[name]
    return missing_as_none(column.tolist()) if column.hasnans else column.tolist()


def _source_traces(
    columns: _Columns,
    where: np.ndarray,
    arms: tuple[np.ndarray, ...],
    source: str,
    styles: Mapping[str, SourceStyle],
    joined: bool,
    row: int,
    legend: bool,
) -> list[dict]:
    """The traces of one series and kind in one panel: its points (joined by a line when `joined`) and open-bound stubs."""
    style = styles.get(source, SourceStyle(OKABE_ITO[0], False, "solid"))
    closed_up, closed_down, open_up, open_down = arms
    axes = {"xaxis": _axis("x", row), "yaxis": _axis("y", row)}
    dates, values = columns.dates[where].tolist(), columns.value[where].tolist()
    points = {
        "type": "scatter",
        "x": dates,
        "y": values,
        "mode": "lines+markers" if joined else "markers",
        "name": escape_html(source),  # Plotly renders legend names as HTML
        "legendgroup": source,
        "showlegend": legend,
        "line": {"color": style.color, "dash": style.dash, "width": 2},
        "marker": {
            "color": style.color,
            "size": 10,
            "symbol": [marker_symbol(q, style.hollow) for q in columns.qualifier[where]],
            "line": {"width": 1.5 if style.hollow else 0.5, "color": style.color if style.hollow else "white"},
        },
        "hovertext": columns.tooltip[where].tolist(),
        "hoverinfo": "text",
        "customdata": columns.record_id[where].tolist(),
        **axes,
    }
    if closed_up.any() or closed_down.any():
        points["error_y"] = {
            "type": "data",
            "symmetric": False,
            "array": closed_up.tolist(),
            "arrayminus": closed_down.tolist(),
            "color": style.color,
            "thickness": 1.5,
            "width": 5,
        }
    traces = [points]
    has_open = (open_up > 0) | (open_down > 0)
    if has_open.any():
        traces.append(
            {
                "type": "scatter",
                "x": [d for d, keep in zip(dates, has_open, strict=True) if keep],
                "y": [v for v, keep in zip(values, has_open, strict=True) if keep],
                "mode": "markers",
                "marker": {"opacity": 0, "size": 1, "color": style.color},
                "error_y": {
                    "type": "data",
                    "symmetric": False,
                    "array": open_up[has_open].tolist(),
                    "arrayminus": open_down[has_open].tolist(),
                    "color": style.color,
                    "thickness": 1.5,
                    "width": 0,
                },
                "hoverinfo": "skip",
                "showlegend": False,
                "legendgroup": source,
                "name": escape_html(f"{source} (open bound)"),
                **axes,
            }
        )
    return traces


def trend_title(indicator: str, location: str) -> str:
    """The chart title, HTML-escaped (Plotly renders titles as HTML)."""
    return escape_html(f"{indicator_label(indicator)} — {location}")


def figure_record_ids(figure: go.Figure) -> list[str]:
    """Every record id carried by the figure's points (for tests and selection lookups)."""
    ids: list[str] = []
    for trace in figure.data:
        if trace.customdata is not None:
            ids.extend(str(value) for value in np.asarray(trace.customdata).ravel())
    return ids


def selected_record_ids(points: Sequence[Mapping[str, object]]) -> list[str]:
    """Record ids of the points of a Plotly selection event (st.plotly_chart on_select)."""
    ids: list[str] = []
    for point in points:
        custom = point.get("customdata")
        if isinstance(custom, list | tuple):
            custom = custom[0] if custom else None
        if custom is not None and str(custom) not in ids:
            ids.append(str(custom))
    return ids
