"""The page table (dashboard/model/pages.py): the pages' addresses as they were, and the only place in dashboard/ that writes them."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from dashboard.exports import embed
from dashboard.model import filters, pages

DASHBOARD = Path(pages.__file__).resolve().parent

# What visitors' links and bookmarks depend on: the table must keep them (issue 15 changed no address).
ADDRESSES = [
    ("overview", "Overview", "", ()),
    ("trends", "Trends", "trends", ("trend", "show")),
    ("map", "Map", "map", ("map", "kind", "level", "per")),
    ("sources", "Sources", "sources", ("compare_indicator", "compare_location", "window", "threshold", "kind")),
    ("records", "Records", "records", ("doc", "record")),
    ("whats_new", "What's new", "whats-new", ()),
    ("add", "Add documents", "add", ()),
    ("review", "Review figures", "review", ("doc",)),
    ("signin", "Sign in", "signin", ()),
]


@pytest.mark.parametrize(("key", "title", "url_path", "params"), ADDRESSES, ids=[row[0] for row in ADDRESSES])
def test_each_page_keeps_its_title_address_and_parameters(key, title, url_path, params):
    page = pages.PAGE[key]
    assert (page.title, page.url_path, page.params) == (title, url_path, params)
    assert page.script_path.is_file()


def test_the_table_has_every_view_once():
    assert sorted(page.script for page in pages.PAGES) == sorted(path.name for path in pages.VIEWS_DIR.glob("*.py"))
    assert len({page.url_path for page in pages.PAGES}) == len(pages.PAGES)
    assert [page.key for page in pages.PAGES if page.default] == ["overview"]


@pytest.mark.parametrize(
    ("signed_in", "keys", "account_title"),
    [(False, ["signin"], "Sign in"), (True, ["add", "review", "signin"], "Reviewer")],
    ids=["signed-out", "signed-in"],
)
def test_reviewer_navigation(signed_in, keys, account_title):
    shown = pages.reviewer_pages(signed_in)
    assert [page.key for page in shown] == keys
    assert shown[-1].title_for(signed_in) == account_title


def test_filters_embeds_and_downloads_read_the_table():
    kept = {url_path: params for _, _, url_path, params in ADDRESSES if params}
    assert kept == filters.PAGE_PARAMS
    assert embed.EMBED_VIEWS == ("trend", "map")
    assert pages.LINKED_PATHS == ("trends", "map", "sources", "records", "whats-new")
    assert [page.key for page in pages.PUBLIC_PAGES] == ["overview", "trends", "map", "sources", "records", "whats_new"]


def page_path_literals(source: str) -> list[str]:
    """The string literals in `source` that name a page's script or address: the table's to write."""
    scripts = "|".join(re.escape(page.script) for page in pages.PAGES)
    paths = "|".join(re.escape(page.url_path) for page in pages.PAGES if page.url_path)
    named = re.compile(rf"(?:^|/)(?:{scripts})$|^/?(?:{paths})\?|^/(?:{paths})(?:/|$)")
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and named.search(node.value):
            found.append(node.value)
        if isinstance(node, ast.keyword) and node.arg == "url_path" and isinstance(node.value, ast.Constant):
            found.append(f"url_path={node.value.value!r}")
    return found


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('st.Page(VIEWS / "trends.py", title="Trends")', ["trends.py"]),
        ('at.switch_page("views/records.py")', ["views/records.py"]),
        ('link = root + "trends?" + query', ["trends?"]),
        ('st.Page(run, url_path="review")', ["url_path='review'"]),
        ('href = f"{root}/records/"', ["/records/"]),
        ('column = "records"; label = "Trends over time"; name = "records.csv"', []),
    ],
    ids=["script-name", "views-path", "link-address", "url_path-keyword", "address-path", "other-words"],
)
def test_the_check_finds_page_paths(source, expected):
    assert sorted(page_path_literals(source)) == sorted(expected)


@pytest.mark.parametrize(
    "path", sorted(p for p in DASHBOARD.rglob("*.py") if p.name != "pages.py"), ids=lambda p: str(p.relative_to(DASHBOARD))
)
def test_only_the_page_table_writes_page_paths(path):
    """Script names and addresses; bare words ("records", "sources") name columns as often as pages."""
    assert page_path_literals(path.read_text()) == []


def test_the_page_table_is_pure():
    """Filters, embeds and exports read it, and they never import Streamlit: neither may it."""
    tree = ast.parse(Path(pages.__file__).read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert {name.split(".")[0] for name in imported} <= {"__future__", "dataclasses", "pathlib", "typing"}
