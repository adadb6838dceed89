"""The Streamlit side of downloads and embedding: download buttons, the Embed panel, the embed page.

The only export module that imports Streamlit; the work is done by the pure modules of
dashboard/exports/ (the buttons' words, file endings and media types come from formats.FORMATS,
the table `python -m dashboard.export` reads too). Files are made when a button is pressed (st.download_button
with a callable, on_click="ignore": no rerun), PNGs by the shared warm Chromium.

Wiring (dashboard/app.py and the pages):
- app.py, in main_ui() right after the empty-store check, before st.navigation:
      if exports_ui.embed_requested_ui():
          exports_ui.embed_page_ui(url, fingerprint, dataset)
          return
- views/trends.py, each chart: st.plotly_chart(..., config=exports_ui.chart_config_ui(view, indicator, location))
  and under it exports_ui.chart_downloads_ui(view, indicator, location, key=chart_key(indicator, location)).
- views/records.py, under the table: exports_ui.records_downloads_ui(view).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from dashboard.charts.charts import trend_title
from dashboard.exports import briefing, briefing_text, chart_files, embed, file_names
from dashboard.exports.formats import FORMAT, RECORD_FORMATS, Context, Format
from dashboard.model import pages, review
from dashboard.model.data import Dataset
from dashboard.model.filters import FilterChoices, apply_filters, restrict
from dashboard.model.formatting import indicator_label
from dashboard.ui import ui

HTML_HEIGHT = 720
LOCAL_URL = "http://localhost:8501/"


@st.cache_data(show_spinner=False, max_entries=128)
def extraction_date_cached(url: str, fingerprint: str, doc_ids: tuple[str, ...]) -> date | None:
    """When the documents behind a chart were ingested (cached per store state)."""
    return file_names.extraction_date(ui.engine_cached(url), doc_ids)


def _doc_ids(records: pd.DataFrame) -> tuple[str, ...]:
    column = "doc_id" if "doc_id" in records.columns else "doc"
    return tuple(sorted({str(value) for value in records[column].dropna()}))


def _chart_subset(view: ui.View, indicator: str, location: str, subset: pd.DataFrame | None) -> pd.DataFrame:
    """The chart's records: those given, else the view's (the page's cached copy: not to be modified)."""
    return ui.cached_chart_records(view, indicator, location) if subset is None else subset


def chart_config_ui(
    view: ui.View,
    indicator: str,
    location: str,
    subset: pd.DataFrame | None = None,
    naming: file_names.ChartNaming | None = None,
) -> dict[str, Any]:
    """The Plotly config of a Trends chart: the toolbar's PNG is named like 'deaths-PSE-2025-05-25'.

    With `naming` the chart's records are not needed, nor taken."""
    subset = _chart_subset(view, indicator, location, subset) if naming is None else subset
    return file_names.chart_config(view.filters, indicator=indicator, location=location, records=subset, naming=naming)


def _button(
    format_: Format,
    data: Callable[[], bytes | str],
    stem: str,
    key: str,
    *,
    label: str | None = None,
    help_text: str | None = None,
) -> None:
    """A download button for one format of the formats' table (its words, file ending, media type and icon)."""
    help_text = help_text or format_.help[:1].upper() + format_.help[1:]
    st.download_button(
        label or format_.label, data=data, file_name=format_.file_name(stem), mime=format_.mime, key=key,
        icon=format_.icon, help=help_text, on_click="ignore", width="stretch",
    )  # fmt: skip


download_button = _button
"""For the pages beside Trends and Records (the Map page): one row of the formats' table as a button."""


def app_root_ui() -> str:
    """The dashboard's root address as the browser sees it."""
    try:
        current = st.context.url
    except Exception:  # outside a browser session (AppTest)
        current = None
    return embed.app_root(current or LOCAL_URL, pages.LINKED_PATHS)


def chart_downloads_ui(
    view: ui.View,
    indicator: str,
    location: str,
    *,
    key: str,
    subset: pd.DataFrame | None = None,
    naming: file_names.ChartNaming | None = None,
) -> None:
    """Under a chart: 'Download or embed' with PNG (slide, column), standalone HTML, the data (CSV, HXL) and the embed snippet.

    Its panel is filled when it is opened (a rerun): a page of charts does not name, count and link
    every chart's files on each run for panels nobody opened."""
    if subset is not None and subset.empty:
        return
    panel = st.popover("Download or embed", icon=":material/download:", key=f"{key}-popover", on_change="rerun")
    if not panel.open:
        return
    subset = _chart_subset(view, indicator, location, subset)  # taken only once the panel is open
    if subset.empty:
        return
    filters = view.filters
    naming = naming or file_names.chart_naming(subset, location)
    name = file_names.chart_name(subset, indicator, location, naming) + ("-reviewed" if filters.reviewed_only else "")
    scope = review.review_scope(filters.reviewed_only, subset)

    @functools.cache
    def extracted() -> str | None:
        # Asked only when a file is built: a store query over the chart's documents is no
        # work for every render of the page.
        return extraction_date_cached(view.url, view.fingerprint, _doc_ids(subset))

    def figure(width: int, height: int, responsive: bool = False) -> Any:
        return briefing.briefing_chart(
            view.records, filters, indicator, location, extracted=extracted(), width=width, height=height, responsive=responsive
        )

    def png(size: tuple[int, int]) -> Callable[[], bytes]:
        return lambda: chart_files.png_bytes(figure(*size), width=size[0], height=size[1], scale=chart_files.DEFAULT_SCALE)

    def html() -> str:
        chart, narrow = briefing.responsive_briefing(
            view.records, filters, indicator, location, extracted=extracted(), height=HTML_HEIGHT
        )
        config = file_names.chart_config(filters, indicator=indicator, location=location, records=subset, naming=naming)
        title = trend_title(indicator, location)
        return chart_files.standalone_html(chart, title=title, config=config, height=HTML_HEIGHT, narrow_layout=narrow)

    with panel:
        st.caption(f"Briefing-ready: title, filters, sources and extraction date on the image. {scope}.")
        for size_name, size, stem in (("slide", chart_files.SLIDE, name), ("column", chart_files.COLUMN, f"{name}-column")):
            pixels = "×".join(str(side * chart_files.DEFAULT_SCALE) for side in size)
            _button(FORMAT["png"], png(size), stem, f"{key}-png-{size_name}",
                    label=f"PNG for a {size_name} ({size[0]}×{size[1]})", help_text=f"{pixels} pixels")  # fmt: skip
        _button(FORMAT["html"], html, name, f"{key}-html")
        for format_ in (FORMAT["csv"], FORMAT["hxl"]):
            _button(format_, functools.partial(format_.build, subset, Context()), name, f"{key}-{format_.name}",
                    label=f"Data ({format_.label})", help_text=f"The records behind this chart: {format_.help}")  # fmt: skip
        embed_panel_ui(view, indicator, location, key=key, subset=subset, code=naming.code)


def embed_panel_ui(
    view: ui.View, indicator: str, location: str, *, key: str, subset: Any = None, code: str | None = None
) -> None:
    """The iframe snippet that shows this chart alone on another site (`code`: the location's, when known)."""
    if code is None:
        subset = _chart_subset(view, indicator, location, subset)
        code = file_names.location_codes(subset).get(location, location)
    filters = restrict(view.filters, indicators=(indicator,), locations=(code,))
    address = embed.embed_url(app_root_ui(), filters, "trend")
    title = f"{trend_title(indicator, location)} (figures with their sources)"
    st.markdown("**Embed**")
    st.caption("Paste into a web page: the chart alone, with its source line and tooltips.")
    st.code(embed.iframe_snippet(address, title=title), language="html", wrap_lines=True)
    st.caption(f"[Open the embedded view]({address})")


def records_downloads_ui(view: ui.View, *, key: str = "records") -> None:
    """Download buttons for the filtered records: CSV, HXL CSV, JSON lines and a zip data package."""
    filters = view.filters
    if not view.count:
        return
    stem = (
        "records"
        if filters.is_empty
        else "records-"
        + file_names.export_name(next(iter(filters.indicators), None), next(iter(filters.locations), None), filters.date_to)
    ) + ("-reviewed" if filters.reviewed_only else "")
    scope = review.review_scope(filters.reviewed_only, view.columns("review_status"))

    def file(format_: Format) -> Callable[[], bytes]:
        def build() -> bytes:  # on click only, with the store query the extraction date needs
            records = view.records  # every column of the filtered records: taken for a download only
            context = Context(
                description=f"Filters: {briefing_text.filters_text(filters, records)}",
                extracted=extraction_date_cached(view.url, view.fingerprint, _doc_ids(records)),
            )
            return format_.build(records, context)

        return build

    st.caption(f"Download the {view.count:,} filtered records (every contract field; {scope.lower()}; review_status per row):")
    for column, format_ in zip(st.columns(len(RECORD_FORMATS)), RECORD_FORMATS, strict=True):
        with column:
            _button(format_, file(format_), stem, f"{key}-{format_.name}")


# ---- embed mode -----------------------------------------------------------------------------


def embed_requested_ui() -> bool:
    """Whether the URL asks for an embedded view (?embed=true&view=...)."""
    try:
        embedded = bool(st.context.is_embedded)
    except Exception:
        embedded = False
    return embedded and bool(st.query_params.get_all(embed.VIEW_PARAM))


EMBED_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 0.5rem 0.75rem !important; }
</style>"""


def embed_page_ui(url: str, fingerprint: str, dataset: Dataset) -> None:
    """The embedded view: only the chart, with its title, filters, source line and tooltips."""
    request = embed.parse_embed_request(ui.current_params(), dataset.records, FilterChoices.of(dataset))
    st.html(EMBED_CSS)
    if request.view == "map":  # the Map page's map and ranked table alone
        from dashboard.ui import map_ui

        map_ui.embed_map_ui(url, fingerprint, dataset)
        return
    if request.indicator is None or request.location is None:
        st.info("No figures match this embedded view's filters.")
        return
    records = apply_filters(dataset.records, request.filters)
    subset = briefing_text.select_chart_records(records, request.indicator, request.location)
    extracted = extraction_date_cached(url, fingerprint, _doc_ids(subset))
    config = file_names.chart_config(request.filters, indicator=request.indicator, location=request.location, records=subset)
    # The texts are wrapped for one width, and the iframe's is known only in the browser: one chart per
    # width, the CSS showing the one that fits (texts for 700 px ran off a 360-px iframe's right edge).
    st.html(embed.layout_css())
    for width in embed.LAYOUT_WIDTHS:
        figure = briefing.briefing_chart(
            records,
            request.filters,
            request.indicator,
            request.location,
            extracted=extracted,
            width=width,
            height=request.height,
            responsive=True,
        )
        with st.container(key=embed.layout_key(width)):
            st.plotly_chart(
                figure,
                theme=None,
                config=config,
                key=f"embed-chart-{width}",
                alt=f"{indicator_label(request.indicator)} in {request.location} over time, one colour per source",
            )
    for note in request.notes:  # already Markdown-safe (filters.from_query_params escapes the values)
        st.caption(note)
    link = app_root_ui() + pages.PAGE["trends"].url_path + "?" + urlencode(request.filters.to_query_params(), doseq=True)
    st.caption(f"[Open in the dashboard]({link})")


__all__ = [
    "app_root_ui",
    "chart_config_ui",
    "chart_downloads_ui",
    "download_button",
    "embed_page_ui",
    "embed_panel_ui",
    "embed_requested_ui",
    "extraction_date_cached",
    "records_downloads_ui",
]
