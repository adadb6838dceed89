"""The dashboard's pages: one table that navigation, URL parameters, links, embeds and downloads read. Pure: no Streamlit.

A page's script is in views/ (not pages/: a folder of that name beside the entrypoint switches
Streamlit to its legacy pages-directory mode on reruns, which skips app.py and so the sidebar
filters). Its url_path is its address below the app's root (the default page has none), and
`params` are the query parameters it keeps besides the filters (dashboard.model.filters).

>>> PAGE["trends"].url_path, PAGE["trends"].params, PAGE["trends"].embed_view
('trends', ('trend', 'show'), 'trend')
>>> [page.key for page in reviewer_pages(signed_in=False)]
['signin']
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

VIEWS_DIR = Path(__file__).resolve().parents[1] / "views"


@dataclass(frozen=True)
class Page:
    key: str
    title: str
    script: str
    """The file in views/ that draws the page."""
    icon: str
    url_path: str
    """The page's address below the app's root; "" for the default page."""
    audience: Literal["public", "reviewer", "account"]
    """public: in everyone's navigation (and an embedded view's); reviewer: only a signed-in reviewer's;
    account: the sign-in page, in every navigation but an embedded view's."""
    params: tuple[str, ...] = ()
    signed_in_title: str | None = None
    """The title once a reviewer is signed in, where it differs."""
    embed_view: str | None = None
    """The ?embed=true&view= value that shows this page's chart alone in an iframe (dashboard.exports.embed)."""

    @property
    def default(self) -> bool:
        return not self.url_path

    @property
    def script_path(self) -> Path:
        return VIEWS_DIR / self.script

    def title_for(self, signed_in: bool) -> str:
        return self.signed_in_title if signed_in and self.signed_in_title else self.title


PAGES: tuple[Page, ...] = (
    Page("overview", "Overview", "overview.py", ":material/dashboard:", "", "public"),
    Page("trends", "Trends", "trends.py", ":material/show_chart:", "trends", "public", ("trend", "show"), embed_view="trend"),
    Page("map", "Map", "map.py", ":material/map:", "map", "public", ("map", "kind", "level", "per"), embed_view="map"),
    Page(
        "sources",
        "Sources",
        "sources.py",
        ":material/compare_arrows:",
        "sources",
        "public",
        ("compare_indicator", "compare_location", "window", "threshold", "kind"),
    ),
    Page("records", "Records", "records.py", ":material/table_rows:", "records", "public", ("doc", "record")),
    Page("whats_new", "What's new", "whats_new.py", ":material/notifications:", "whats-new", "public"),
    Page("add", "Add documents", "add.py", ":material/note_add:", "add", "reviewer"),
    Page("review", "Review figures", "review.py", ":material/fact_check:", "review", "reviewer", ("doc",)),
    Page("signin", "Sign in", "signin.py", ":material/person:", "signin", "account", signed_in_title="Reviewer"),
)
"""In navigation order."""
PAGE: dict[str, Page] = {page.key: page for page in PAGES}
DEFAULT_PAGE = next(page for page in PAGES if page.default)
PUBLIC_PAGES: tuple[Page, ...] = tuple(page for page in PAGES if page.audience == "public")
LINKED_PATHS: tuple[str, ...] = tuple(page.url_path for page in PUBLIC_PAGES if page.url_path)
"""The addresses of the pages that offer downloads and embed codes: cut off a page's address, they leave the app's root."""
EMBED_VIEWS: tuple[str, ...] = tuple(page.embed_view for page in PAGES if page.embed_view)


def reviewer_pages(signed_in: bool) -> tuple[Page, ...]:
    """The editing pages exist in the navigation only for a signed-in reviewer; anyone else gets the sign-in page."""
    return tuple(page for page in PAGES if page.audience == "account" or (signed_in and page.audience == "reviewer"))


def page_params() -> dict[str, tuple[str, ...]]:
    """Query parameters a page keeps besides the filters, by its url_path (pages that keep any)."""
    return {page.url_path: page.params for page in PAGES if page.params}


__all__ = [
    "DEFAULT_PAGE",
    "EMBED_VIEWS",
    "LINKED_PATHS",
    "PAGE",
    "PAGES",
    "PUBLIC_PAGES",
    "VIEWS_DIR",
    "Page",
    "page_params",
    "reviewer_pages",
]
