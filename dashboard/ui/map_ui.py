"""The Map page's widgets: what to map, the map (or area bars) beside its ranked table, downloads and embedding.

The work is done by pure modules: dashboard.model.ranking (the latest figure per place and its
change), dashboard.model.per_capita (per 100,000 people, share), dashboard.charts.maps (the
figures). Choices live in the URL (map=, kind=, level=, per=) beside the sidebar's filters.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.charts.maps import area_bars, area_map_figure, has_area_shape, map_figure
from dashboard.exports import briefing, chart_files, embed
from dashboard.exports.formats import FORMAT, Context
from dashboard.model import pages
from dashboard.model.data import safe_link
from dashboard.model.filters import FILTER_PARAMS, FilterChoices, from_query_params, restrict
from dashboard.model.formatting import escape_html, escape_markdown, format_date, format_number, indicator_label
from dashboard.model.per_capita import VIEWS, missing_populations, missing_text, per_person
from dashboard.model.ranking import (
    LEVELS,
    RANK_COLUMNS,
    MapKind,
    Ranking,
    cited,
    kind_mask,
    kind_of_key,
    map_kinds,
    ranking,
)
from dashboard.model.tooltips import TOOLTIP_FIELDS
from dashboard.ui import exports_ui, ui

PAGE = pages.PAGE["map"]
MAP_COLUMNS = tuple(
    dict.fromkeys(
        (
            *TOOLTIP_FIELDS, "record_id", "doc_id", "date", "outcome", "status", "scope", "originator", "raw_qualifier",
            "raw_unit", "location_label", "location_iso3", "admin1", "url",
        )
    )
)  # fmt: skip
"""The columns the ranking, its tooltips and its table read: the page never copies the others."""
KIND_KEY_COLUMNS = ("indicator", "outcome", "measure", "status", "scope")
"""The columns that say a figure's kind (ranking.kind_mask), read for every filtered record."""
SHORT_VIEWS = {"figures": "As reported", "per100k": "Per 100,000", "share": "Share of people"}
VALUE_FORMATS = {"figures": ",.0f", "per100k": ",.1f", "share": ".2%"}
DEFAULTS = {"level": "country", "per": "figures"}
"""What the Map shows when its URL does not say: a URL leaves them out."""


def ignored_note(param: str, value: str) -> str:
    """What a visitor reads of a map parameter the page does not use (Markdown-safe)."""
    return f"Ignored {param} “{escape_markdown(value[:60])}”."


def shown_params(kind: MapKind, level: str, per: str) -> dict[str, str]:
    """The Map's parameters (PAGE.params) of what it shows."""
    return {"map": kind.indicator, "kind": kind.key, "level": level, "per": per}


def map_params(kind: MapKind, level: str, per: str) -> dict[str, str]:
    """The Map's parameters of what it shows, as its URL keeps them: the defaults left out."""
    return {name: value for name, value in shown_params(kind, level, per).items() if DEFAULTS.get(name) != value}


def _choice_ui(label: str, options: dict[str, str], key: str, param: str, default: str) -> str:
    """A segmented control whose first value comes from the URL (param=); an unknown value is noted and ignored."""
    if key not in st.session_state:
        wanted = ui.page_params_ui(PAGE.params).get(param)
        if wanted is not None and wanted not in options:
            st.warning(ignored_note(param, wanted), icon=":material/link_off:")
        st.session_state[key] = wanted if wanted in options else default
    if st.session_state[key] not in options:
        st.session_state[key] = default
    return st.segmented_control(label, list(options), format_func=options.__getitem__, key=key, required=True) or default


def kind_ui(records: pd.DataFrame) -> MapKind | None:
    """The indicator, then the kind of its figures (outcome, measure, status) to map."""
    present = {str(value) for value in records["indicator"].unique()}
    indicators = {name: indicator_label(name) for name in ui.view_ui().dataset.indicators if name in present}
    if not indicators:
        return None
    indicator = _choice_ui("Indicator", indicators, "m_indicator", "map", next(iter(indicators)))
    kinds = map_kinds(records, indicator)
    if not kinds:
        return None
    labels = {kind.key: kind.label for kind in kinds}
    wanted = ui.page_params_ui(PAGE.params).get("kind")
    if "m_kind" not in st.session_state and wanted is not None and wanted not in labels:  # the URL's, on arrival
        st.warning(ignored_note("kind", wanted), icon=":material/link_off:")
    if st.session_state.get("m_kind") not in labels:
        st.session_state["m_kind"] = wanted if wanted in labels else kinds[0].key
    key = st.selectbox("Kind of figure (like with like)", list(labels), format_func=labels.__getitem__, key="m_kind")
    return kind_of_key(kinds, key) or kinds[0]


@st.cache_data(show_spinner=False, max_entries=32)
def ranking_cached(view_key: str, kind: MapKind, level: str, _view: ui.View) -> Ranking:
    # The kind's rows found on five columns, ranked on a few more; the page's others are taken for the ranked rows only.
    rows = np.flatnonzero(kind_mask(_view.columns(*KIND_KEY_COLUMNS), kind))
    present = _view.dataset.records.columns
    narrow = _view.take_columns(rows, [name for name in dict.fromkeys((*KIND_KEY_COLUMNS, *RANK_COLUMNS)) if name in present])
    return ranking(narrow, kind, level, full=_view.dataset.records[[name for name in MAP_COLUMNS if name in present]])


def _table(shown: pd.DataFrame, per: str) -> pd.DataFrame:
    """The ranked table as people read it."""
    table = pd.DataFrame(
        {
            "#": shown["rank"],
            "Place": shown["place"].astype(str),
            "Figure as cited": cited(shown),
            "Persons": shown["value"].map(format_number),
            "Counted by": shown["counted_by"].astype(str),
            "Date": shown["date"].map(format_date),
            "Change over the period": shown["change"].map(lambda v: "—" if pd.isna(v) else f"{v:+,.0f}"),
            "Figures": shown["figures"],
            "Source": [safe_link(url) for url in shown["url"]],
        }
    )
    if per == "per100k":
        table.insert(2, "Per 100,000", shown["per100k"].map(lambda v: "—" if pd.isna(v) else f"{v:,.1f}"))
    elif per == "share":
        table.insert(2, "Share", shown["share"].map(lambda v: "—" if pd.isna(v) else f"{v:.2%}"))
    return table


def chart_of(table: pd.DataFrame, kind: MapKind, level: str, per: str) -> tuple[Any, Any]:
    """The map, and bars for the first-level areas that have no shipped shape (None when every place has one)."""
    values = "value" if per == "figures" else per
    title = escape_html(f"{indicator_label(kind.indicator)}: {kind.label}")  # the colour bar says per person
    scale = {"figures": "persons", "per100k": "per 100,000 people", "share": "share of the population"}[per]
    if level == "country":
        return map_figure(table, values, title=title, scale_title=scale, value_format=VALUE_FORMATS[per]), None
    figures = table[values].notna().to_numpy()
    drawn = has_area_shape(table) & figures
    if not drawn.any():
        return area_bars(table, values, title=title, axis_title=scale, value_format=VALUE_FORMATS[per]), None
    rest = table[figures & ~drawn]
    bars = area_bars(rest, values, title="Areas without a shape", axis_title=scale, value_format=VALUE_FORMATS[per])
    figure = area_map_figure(table, values, title=title, scale_title=scale, value_format=VALUE_FORMATS[per])
    return figure, bars if len(rest) else None


def downloads_ui(view: ui.View, table: pd.DataFrame, figure: Any, kind: MapKind, level: str) -> None:
    """PNG of the map, CSV of the ranked figures (every contract field), the embed snippet."""
    stem = f"map-{kind.indicator}-{level}" + (f"-{view.filters.date_to.isoformat()}" if view.filters.date_to else "")
    with st.popover("Download or embed", icon=":material/download:", key="map-popover"):
        width, height = chart_files.SLIDE

        def png() -> bytes:  # briefing-ready: what is shown and where it comes from, on the image
            image = go.Figure(figure.to_dict())  # a figure to change (the one shown may be a DisplayFigure)
            note = f"{briefing.filters_text(view.filters, table)} · Shapes: Natural Earth. Hover details are in the CSV."
            image.add_annotation(text=escape_html(note), x=0, y=-0.14, xref="paper", yref="paper", showarrow=False,
                                 xanchor="left", yanchor="top", align="left", font={"size": 12, "color": "#444444"})  # fmt: skip
            image.update_layout(margin={"l": 16, "r": 16, "b": 130}, title={"x": 0.01})
            return chart_files.png_bytes(image, width=width, height=height, scale=chart_files.DEFAULT_SCALE)

        exports_ui.download_button(FORMAT["png"], png, stem, "map-png", label=f"PNG ({width}×{height})")

        def csv() -> bytes:  # every contract field of the ranked figures, read on click only
            records = view.dataset.records
            return FORMAT["csv"].build(records[records["record_id"].isin(table["record_id"])], Context())

        exports_ui.download_button(FORMAT["csv"], csv, stem, "map-csv", label="Data (CSV)",
                                   help_text=f"The ranked figures: {FORMAT['csv'].help}")  # fmt: skip
        filters = restrict(view.filters, indicators=(kind.indicator,))
        address = embed.embed_url(exports_ui.app_root_ui(), filters, "map")
        st.markdown("**Embed**")
        st.code(embed.iframe_snippet(address, title=f"Map: {indicator_label(kind.indicator)}"), language="html", wrap_lines=True)


def ranked_ui(view: ui.View, kind: MapKind, level: str, per: str) -> tuple[pd.DataFrame, Any] | None:
    """The map (or bars) beside the ranked table; returns the table and the figure for the downloads."""
    found = ranking_cached(view.key, kind, level, view)
    if found.table.empty:
        where = "a country" if level == "country" else "a first-level area (a state, province or governorate)"
        st.info(f"No “{kind.label}” figures here name {where}: try the other level, or widen the filters.")
        return None
    table = per_person(found.table)
    if per != "figures":  # ranked by what is shown; places without a population last
        table = table.sort_values([per, "value"], ascending=False, na_position="last", kind="stable").reset_index(drop=True)
        table["rank"] = range(1, len(table) + 1)
    missing = missing_populations(table) if per != "figures" else []
    figure, bars = chart_of(table, kind, level, per)
    # The ranking goes under the map, full width: beside it, its seven columns scrolled sideways at 1400 px.
    st.plotly_chart(figure, key=f"map-{level}", alt=f"{kind.label} by {level}, darker is more; hover for sources")
    if bars is not None:
        st.plotly_chart(bars, key=f"map-{level}-bars", alt=f"{kind.label} in the areas without a shape, as bars")
    st.dataframe(
        _table(table, per), hide_index=True, width="stretch",
        column_config={"Source": st.column_config.LinkColumn("Source", display_text="report")},
    )  # fmt: skip
    notes = [
        f"The latest {kind.label} figure at each place, largest first; change: since the same originator's first figure of the period."
    ]
    if found.unplaced:
        notes.append(f"{found.unplaced:,} figure(s) of this kind have no place at this level and are left out.")
    if missing:
        notes.append(missing_text(missing))
    if per != "figures" and not missing:
        notes.append(f"Populations: {table['population_note'].iloc[0]} (dashboard/model/reference/README.md).")
    if bars is not None:
        notes.append(
            "Areas whose current borders the shipped shapes do not have are shown as bars (dashboard/charts/shapes/README.md)."
        )
    st.caption(" ".join(escape_markdown(note) for note in notes))
    return table, figure


def map_page_ui() -> None:
    view = ui.page_ui(PAGE.title)
    if not view.count:
        ui.no_records_ui()
        return
    kind = kind_ui(view.columns(*KIND_KEY_COLUMNS))
    if kind is None:
        st.info("No totals among the filtered figures: include more in the sidebar.")
        return
    controls = st.columns(2)
    with controls[0]:
        level = _choice_ui("Places", {"country": "Countries", "admin1": "Areas"}, "m_level", "level", DEFAULTS["level"])
    with controls[1]:
        per = _choice_ui("Show", SHORT_VIEWS, "m_per", "per", DEFAULTS["per"])
    ui.sync_url_ui(view.filters, map_params(kind, level, per))
    shown = ranked_ui(view, kind, level, per)
    if shown is not None:
        downloads_ui(view, *shown, kind, level)


def embed_map_ui(url: str, fingerprint: str, dataset: Any) -> None:
    """The embedded map: the URL's filters and map=, kind=, level=, per=, no widgets."""
    params = ui.current_params()
    filters, notes = from_query_params(
        {name: params[name] for name in params if name in FILTER_PARAMS}, FilterChoices.of(dataset)
    )
    view = ui.make_view(url, fingerprint, dataset, filters)
    asked = {name: values[-1] for name, values in params.items() if name in PAGE.params and values}
    records = view.columns("indicator", "outcome", "measure", "status", "scope")
    indicator = asked.get("map") or (filters.indicators[0] if filters.indicators else None)
    present = [name for name in dataset.indicators if name in set(map(str, records["indicator"].unique()))]
    indicator = indicator if indicator in present else (present[0] if present else None)
    kinds = map_kinds(records, indicator) if indicator else []
    if not kinds:
        st.info("No figures match this embedded view's filters.")
        for note in notes:
            st.caption(note)
        return
    kind = kind_of_key(kinds, asked.get("kind")) or kinds[0]
    level = asked.get("level") if asked.get("level") in LEVELS else DEFAULTS["level"]
    per = asked.get("per") if asked.get("per") in VIEWS else DEFAULTS["per"]
    ranked_ui(view, kind, level, per)
    shown = shown_params(kind, level, per)
    notes += [ignored_note(name, value) for name, value in asked.items() if value != shown[name]]
    for note in notes:
        st.caption(note)
    link = (
        exports_ui.app_root_ui()
        + PAGE.url_path
        + "?"
        + urlencode({**filters.to_query_params(), **map_params(kind, level, per)}, doseq=True)
    )
    st.caption(f"[Open in the dashboard]({link})")
