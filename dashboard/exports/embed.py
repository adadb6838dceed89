"""Embedding a view in another site: the embed URL and the iframe snippet. Pure: no Streamlit.

An embed URL is the dashboard's address with ``embed=true`` (Streamlit's own switch: no
header, no toolbar), ``view=trend`` and the view's filters, e.g.
``https://dash.example.org/?embed=true&view=trend&indicator=deaths&location=PSE``; the
dashboard then shows only that chart, with its source line and its tooltips. A location may
be given by name or ISO3 code.

>>> from dashboard.model.filters import Filters
>>> embed_url("https://dash.example.org/?x=1#top", Filters(indicators=("deaths",), locations=("PSE",)), "trend")
'https://dash.example.org/?embed=true&view=trend&indicator=deaths&location=PSE'
>>> print(iframe_snippet("https://dash.example.org/?embed=true&view=trend", title='Deaths "Gaza" <b>'))
<iframe src="https://dash.example.org/?embed=true&amp;view=trend" title="Deaths &quot;Gaza&quot; &lt;b&gt;" width="100%" height="560" style="border:0;max-width:100%" loading="lazy" referrerpolicy="strict-origin-when-cross-origin" sandbox="allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-downloads"></iframe>
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import pandas as pd

from dashboard.model.filters import FILTER_PARAMS, FilterChoices, Filters, from_query_params, query_values, restrict
from dashboard.model.formatting import escape_markdown
from dashboard.model.pages import EMBED_VIEWS, LINKED_PATHS

EMBED_PARAM = "embed"
VIEW_PARAM = "view"
HEIGHT_PARAM = "height"
DEFAULT_HEIGHT = 560
MIN_HEIGHT, MAX_HEIGHT = 240, 2000
SANDBOX = "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-downloads"
"""Streamlit needs scripts and its own origin (websocket, storage); links to reports open in a new tab; the PNG button downloads."""
_SIZE = re.compile(r"\d{1,5}%?")
LAYOUT_WIDTHS = (300, 500, 700)
"""The widths an embedded chart's texts are laid out for (briefing wraps them in pixels, and the server does
not know the iframe's width): the page holds one chart per width and shows the widest that fits (layout_css)."""
LAYOUT_SLACK = 40  # the page's side padding and a scrollbar: an iframe this much wider than a layout fits it


def layout_key(width: int) -> str:
    """The key of the container of the chart laid out for `width` (Streamlit gives it the class st-key-<key>)."""
    return f"embed-layout-{int(width)}"


def layout_css(widths: Iterable[int] = LAYOUT_WIDTHS, slack: int = LAYOUT_SLACK) -> str:
    """CSS that shows, at any iframe width, only the chart laid out for the widest of `widths` that fits.

    Media queries in an iframe measure the iframe, which is what the chart has; below the smallest
    width the smallest layout shows.

    >>> print(layout_css((300, 700)).replace(", [data-testid=stLayoutWrapper]:has(> .st-key-embed-layout-", " + wrapper "))
    <style>
    @media (min-width: 740px) { .st-key-embed-layout-300 + wrapper 300) { display: none !important; } }
    @media (max-width: 739.98px) { .st-key-embed-layout-700 + wrapper 700) { display: none !important; } }
    </style>
    """
    ordered = sorted({int(width) for width in widths})
    rules = []
    for position, width in enumerate(ordered):
        # Its wrapper too: a hidden chart's empty wrapper still took the page's gap, 16 px each above the shown one.
        selector = f".st-key-{layout_key(width)}, [data-testid=stLayoutWrapper]:has(> .st-key-{layout_key(width)})"
        if position > 0:
            rules.append(f"@media (max-width: {width + slack - 0.02:g}px) {{ {selector} {{ display: none !important; }} }}")
        if position < len(ordered) - 1:
            rules.append(
                f"@media (min-width: {ordered[position + 1] + slack}px) {{ {selector} {{ display: none !important; }} }}"
            )
    rules.sort(key=lambda rule: "max-width" in rule)
    return "<style>\n" + "\n".join(rules) + "\n</style>"


def _base(base_url: str) -> tuple[str, str, str]:
    parts = urlsplit(str(base_url).strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c in base_url for c in '"<> \n\r\t'):
        raise ValueError(f"not an http(s) address: {base_url!r}")
    path = parts.path.rstrip("/") + "/"
    return parts.scheme.lower(), parts.netloc, path


def app_root(url: str, page_paths: Iterable[str] = LINKED_PATHS) -> str:
    """The app's address from a page's address (st.context.url): the page's path cut off.

    >>> app_root("http://127.0.0.1:8501/trends"), app_root("https://x.org/dash/records/")
    ('http://127.0.0.1:8501/', 'https://x.org/dash/')
    """
    parts = urlsplit(str(url).strip())
    path = parts.path.rstrip("/")
    for page in page_paths:
        if page and path.endswith("/" + page.strip("/")):
            path = path[: -len(page.strip("/")) - 1]
            break
    return urlunsplit((parts.scheme, parts.netloc, path + "/", "", ""))


def embed_url(
    base_url: str, filters: Filters | Mapping[str, Any] | None, view: str = "trend", *, height: int | None = None
) -> str:
    """The address that shows one view of the dashboard alone, for an iframe.

    `base_url` is the dashboard's root address (its query and fragment are dropped; see
    app_root); `filters` a Filters or its query-params mapping.
    """
    if view not in EMBED_VIEWS:
        raise ValueError(f"unknown view {view!r}: use one of {', '.join(EMBED_VIEWS)}")
    scheme, netloc, path = _base(base_url)
    params: list[tuple[str, str]] = [(EMBED_PARAM, "true"), (VIEW_PARAM, view)]
    query = filters.to_query_params() if isinstance(filters, Filters) else dict(filters or {})
    for name, value in query.items():
        if name not in FILTER_PARAMS:
            continue
        for item in [value] if isinstance(value, str) else list(value):
            params.append((name, str(item)))
    if height is not None:
        params.append((HEIGHT_PARAM, str(int(height))))
    return urlunsplit((scheme, netloc, path, urlencode(params), ""))


def _size(value: int | str, name: str) -> str:
    text = str(value).strip()
    if not _SIZE.fullmatch(text):
        raise ValueError(f"{name} must be pixels or a percentage, not {value!r}")
    return text


def iframe_snippet(
    url: str,
    *,
    title: str,
    width: int | str = "100%",
    height: int | str = DEFAULT_HEIGHT,
    sandbox: str = SANDBOX,
) -> str:
    """The HTML to paste into a page: an iframe of `url` with a title, a size and a sandbox; every attribute escaped."""
    parts = urlsplit(str(url).strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValueError(f"not an http(s) address: {url!r}")
    attributes = {
        "src": str(url).strip(),
        "title": " ".join(str(title).split()) or "Chart",
        "width": _size(width, "width"),
        "height": _size(height, "height"),
        "style": "border:0;max-width:100%",
        "loading": "lazy",
        "referrerpolicy": "strict-origin-when-cross-origin",
        "sandbox": sandbox,
    }
    rendered = " ".join(f'{name}="{html.escape(value, quote=True)}"' for name, value in attributes.items())
    return f"<iframe {rendered}></iframe>"


@dataclass(frozen=True)
class EmbedRequest:
    """What an embed URL asks for, checked against the data."""

    view: str
    filters: Filters
    indicator: str | None
    location: str | None
    height: int = DEFAULT_HEIGHT
    notes: list[str] = field(default_factory=list)


def parse_height(value: str) -> tuple[int, str | None]:
    """The chart's height in pixels from a query value, within MIN_HEIGHT..MAX_HEIGHT; the default and a note
    when it is not a finite number.

    >>> parse_height("700"), parse_height("5"), parse_height("1e20")
    ((700, None), (240, None), (2000, None))
    >>> parse_height("inf")
    (560, 'Ignored height=“inf”: not a number of pixels.')
    """
    try:
        number = float(value.strip())
    except ValueError:
        number = math.nan
    if not math.isfinite(number):  # float() reads "inf", "nan" and "1e309" (inf), which no height is
        return DEFAULT_HEIGHT, f"Ignored height=“{escape_markdown(value.strip()[:20])}”: not a number of pixels."
    return min(max(round(number), MIN_HEIGHT), MAX_HEIGHT), None


def parse_embed_request(params: Mapping[str, Any], records: pd.DataFrame, choices: FilterChoices) -> EmbedRequest:
    """The view, filters, chart and height an embed URL's query asks for.

    Locations may be ISO3 codes (PSE) or names; unknown values are dropped with a note, as
    on the dashboard. Without an indicator or a location in the URL the chart shows the
    most reported one among the filtered records.
    """
    from dashboard.exports.file_names import resolve_location
    from dashboard.model.filters import apply_filters

    notes: list[str] = []
    views = query_values(params, VIEW_PARAM)
    view = views[-1] if views and views[-1] in EMBED_VIEWS else EMBED_VIEWS[0]
    if views and views[-1] not in EMBED_VIEWS:
        notes.append(f"Unknown view; showing the {view} chart.")
    query = {name: query_values(params, name) for name in params if name in FILTER_PARAMS}
    if "location" in query:
        query["location"] = [resolve_location(value, records) or value for value in query["location"]]
    filters, filter_notes = from_query_params(query, choices)
    notes.extend(filter_notes)
    heights = query_values(params, HEIGHT_PARAM)
    height, note = parse_height(heights[-1]) if heights else (DEFAULT_HEIGHT, None)
    if note:
        notes.append(note)
    chosen = apply_filters(records, filters)
    indicator = filters.indicators[0] if filters.indicators else None
    location = filters.locations[0] if filters.locations else None
    if indicator is None and not chosen.empty:
        indicator = str(chosen["indicator"].astype(str).value_counts().index[0])
    if location is None and indicator is not None:
        of_indicator = chosen[chosen["indicator"].astype(str) == indicator]
        if not of_indicator.empty:
            location = str(of_indicator["location_label"].astype(str).value_counts().index[0])
    chart_filters = restrict(filters, indicators=(indicator,) if indicator else (), locations=(location,) if location else ())
    return EmbedRequest(view, chart_filters, indicator, location, height, notes)


__all__ = [
    "EMBED_VIEWS",
    "LAYOUT_WIDTHS",
    "SANDBOX",
    "EmbedRequest",
    "app_root",
    "embed_url",
    "iframe_snippet",
    "layout_css",
    "layout_key",
    "parse_embed_request",
    "parse_height",
]
