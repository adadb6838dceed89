"""Every path through the dashboard (issue 14): a clicked chart point and a page switch keep the filters as
they were, and every page of the page table survives a matrix of URL filters (each alone, and in pairs)."""

from __future__ import annotations

import functools
import secrets
from datetime import date
from typing import NamedTuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest
from test_dashboard_hostile import assert_no_failure
from testkit import new_app

from dashboard.auth import hash_password
from dashboard.charts import charts
from dashboard.exports.embed import EMBED_PARAM, HEIGHT_PARAM, VIEW_PARAM
from dashboard.model import pages
from dashboard.model.filters import FILTER_PARAMS, PAGE_PARAM_NAMES, same_query
from dashboard.ui import review_ui

REVIEWER = "matrix-reviewer"


class Click(NamedTuple):
    id: str
    params: dict  # the filters on Trends when the point is clicked
    expected: dict  # what the Records page then shows in the filters and the URL


CLICKS = [
    Click("indicator-only", {"indicator": "injured"}, {"f_from": None, "f_to": None, "f_q": ""}),
    Click("search-kept", {"indicator": "injured", "q": "gaza"}, {"f_from": None, "f_to": None, "f_q": "gaza"}),
    Click(
        "dates-kept",
        {"indicator": "deaths", "from": "2023-01-01", "to": "2025-12-31"},
        {"f_from": date(2023, 1, 1), "f_to": date(2025, 12, 31), "f_q": ""},
    ),
    Click("location-kept", {"indicator": "injured", "location": "Palestine"}, {"f_from": None, "f_to": None, "f_q": ""}),
]


def click_first_point(monkeypatch: pytest.MonkeyPatch, at: AppTest) -> AppTest:
    """A click on a chart's first point: AppTest cannot click Plotly, so the page reads the point's record id
    from the selection as if the browser had sent it (once: the Records page has no chart)."""
    record_id = str(at.session_state["dashboard_view"].records.iloc[0]["record_id"])
    clicks = iter([[record_id]])
    monkeypatch.setattr(charts, "selected_record_ids", lambda points: next(clicks, []))
    return at.run()


@pytest.mark.parametrize("click", CLICKS, ids=lambda click: click.id)
def test_clicking_a_point_keeps_the_filters_as_they_were(app_env, monkeypatch, click):
    at = new_app(click.params, "views/trends.py")
    assert at.title[0].value == "Trends"
    at = click_first_point(monkeypatch, at)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Records"
    # Before the fix the dates came back as the newest date in the data and the search was dropped.
    assert {key: at.session_state[key] for key in click.expected} == click.expected
    view = at.session_state["dashboard_view"]
    assert same_query(view.filters.to_query_params(), click.params)
    assert same_query(at.query_params, click.params)
    assert at.query_params["doc"] and at.query_params["record"]
    assert view.count > 0, "the figure clicked is among the records shown"


# ---- every page of the page table under a matrix of URL filters ------------------------------------


class Target(NamedTuple):
    """A page of the page table (dashboard.model.pages) as AppTest opens it, or an embedded view."""

    id: str
    title: str | None  # the title the page shows; None: an embedded view, which has none
    path: str | None = None  # AppTest's page; None: the default one
    embedded: bool = False
    base: dict | None = None  # what the page needs in the query to be itself
    reviewer: bool = False  # only a signed-in reviewer has it

    def open(self, params: dict) -> AppTest:
        state = {review_ui.REVIEWER_KEY: review_ui.Reviewer(REVIEWER, "password", 0.0)} if self.reviewer else None
        return new_app({**(self.base or {}), **params}, self.path, embedded=self.embedded, state=state)


TARGETS = {
    **{
        page.key: Target(page.key, page.title, None if page.default else f"views/{page.script}", reviewer=page.audience == "reviewer")
        for page in pages.PAGES
    },
    **{f"embed-{view}": Target(f"embed-{view}", None, embedded=True, base={"view": view}) for view in pages.EMBED_VIEWS},
}
FULL = [TARGETS[key] for key in ("overview", "trends", "map", "sources", "records", "signin", "embed-trend")]
"""The targets that see each value of every filter alone. Every target sees pairs of filters; What's new and
the editing pages show the sidebar's filters but do not read them, and the embedded map has MAP_CASES."""
HEADINGS = {"signin": "Reviewer sign-in"}  # the page says whose sign-in; the navigation's title is shorter

DOC = "<doc>"  # replaced by a document of the test store (and RECORD by one of its figures)
RECORD = "<record>"
# For each filter: an ordinary value first, then values the data does not hold (unknown words, dates
# before and after every figure, a search nothing matches). "page" stands for the parameters a page
# keeps besides the filters (trend=, doc= and record=, the Sources page's controls, the Map's).
VALUES: dict[str, list[dict]] = {
    "indicator": [{"indicator": "deaths"}, {"indicator": ["injured", "famine_exposure"]}, {"indicator": "nope"}],
    "location": [{"location": "Palestine"}, {"location": "sudan"}, {"location": "Mars"}],
    "source": [{"source": "Al Jazeera"}, {"source": "Reuters <b>wire</b>"}, {"source": "nobody"}],
    "measure": [{"measure": "cumulative"}, {"measure": "snapshot"}, {"measure": "bogus"}],
    "from": [{"from": "2024-01-01"}, {"from": "1900-01-01"}, {"from": "2031-06-01"}],
    "to": [{"to": "2024-12-31"}, {"to": "1900-01-01"}, {"to": "2031-06-01"}],
    "q": [{"q": "killed ministry"}, {"q": "Gaza"}, {"q": "zzzz no such words"}],
    "reviewed": [{"reviewed": "only"}, {"reviewed": "all"}, {"reviewed": "maybe"}],
    "parts": [{"parts": "1"}, {"parts": "0"}, {"parts": "maybe"}],
    "status": [{"status": "projected"}, {"status": ["reported", "projected"]}, {"status": "guessed"}],
    "page": [
        {"trend": "deaths", "doc": DOC, "record": RECORD, "compare_indicator": "deaths", "compare_location": "Palestine", "show": "daily",
         "map": "deaths", "level": "admin1", "per": "per100k"},
        {"trend": "injured", "doc": DOC, "window": "30", "threshold": "10", "show": "weekly", "kind": "deaths|killed|cumulative|reported|total",
         "map": "famine_exposure", "level": "country", "per": "share"},
        {"trend": "nope", "doc": "0" * 64, "record": "nope", "compare_indicator": "nope", "compare_location": "Mars", "show": "hourly",
         "kind": "deaths|eaten|||", "map": "nope", "level": "nope", "per": "nope"},
    ],
}  # fmt: skip
NAMES = list(VALUES)
# Filters alone only (in the pairs they would add 46 runs): a value the data holds, then one it does not.
MORE_VALUES: dict[str, list[dict]] = {
    "lang": [{"lang": "en"}, {"lang": ["xx", "en"]}],
    "period": [{"period": "all"}, {"period": "last week"}],
}
# The Map's own parameters (map=, kind=, level=, per=), each alone on the Map: a value it shows, another
# one (a kind of another indicator: not among this map's), one it does not know.
MAP_VALUES: dict[str, list[dict]] = {
    "map": [{"map": "deaths"}, {"map": "famine_exposure"}, {"map": "nope"}],
    "kind": [{"kind": "killed|cumulative|reported"}, {"kind": "injured|cumulative|reported"}, {"kind": "|||"}],
    "level": [{"level": "admin1"}, {"level": "country"}, {"level": "planet"}],
    "per": [{"per": "per100k"}, {"per": "share"}, {"per": "1e309"}],
}
# ...and with the filters, on the Map and the embedded map: a place by another of its names, a place
# searched for, a date after every figure, a search nothing matches, a map= the filters leave out.
MAP_CASES = {
    "place-by-name": {"location": "Gaza", "level": "admin1", "per": "share"},
    "place-search": {"q": "Gaza", "level": "admin1"},
    "date-outside": {"from": "2031-06-01", "per": "per100k"},
    "search-nothing": {"q": "zzzz no such words", "map": "deaths"},
    "map-filtered-out": {"indicator": "famine_exposure", "map": "deaths", "kind": "killed|cumulative|reported"},
    "projected-areas": {"status": "projected", "map": "famine_exposure", "level": "admin1", "per": "share"},
}


def matrix() -> list:
    """Each filter's values alone on the FULL targets and the Map's parameters alone on the Map; the
    MAP_CASES on the Map and the embedded map; each pair of filters twice, ordinary values together and
    then the others crossed, on the targets in turn, so that every target sees pairs of every kind:
    259 + 12 + 15 + 110 runs."""
    singles = {**VALUES, **MORE_VALUES}
    cases = [
        pytest.param(target, params, id=f"{target.id}-{name}{index}")
        for name in singles
        for index, params in enumerate(singles[name])
        for target in FULL
    ]
    cases += [pytest.param(TARGETS["map"], params, id=f"map-{name}{index}") for name in MAP_VALUES for index, params in enumerate(MAP_VALUES[name])]
    cases += [pytest.param(TARGETS[key], params, id=f"{key}-{name}") for key in ("map", "embed-map") for name, params in MAP_CASES.items()]
    cases += [pytest.param(TARGETS["embed-map"], params, id=f"embed-map-page{index}") for index, params in enumerate(VALUES["page"])]
    targets = list(TARGETS.values())
    pairs = [(first, second) for position, first in enumerate(NAMES) for second in NAMES[position + 1 :]]
    for number, (first, second) in enumerate(pairs):
        for combination, (left, right) in enumerate([(0, 0), (2, 1)] if number % 2 else [(0, 0), (1, 2)]):
            params = {**VALUES[first][left], **VALUES[second][right]}
            target = targets[(2 * number + combination) % len(targets)]
            cases.append(pytest.param(target, params, id=f"{target.id}-{first}{left}-{second}{right}"))
    return cases


def resolved(params: dict, dataset) -> dict:
    record = dataset.records.iloc[0]
    swap = {DOC: str(record["doc_id"]), RECORD: str(record["record_id"])}
    return {name: swap.get(value, value) if isinstance(value, str) else value for name, value in params.items()}


@pytest.fixture
def reviewer_env(app_env: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """app_env, and a test-only reviewer configured (the matrix puts them in the session: it tests pages, not signing in)."""
    monkeypatch.setenv("DASHBOARD_REVIEWERS", f"{REVIEWER}:{reviewer_hash()}")
    monkeypatch.delenv("DASHBOARD_OIDC_REVIEWERS", raising=False)
    return app_env


@functools.cache
def reviewer_hash() -> str:
    return hash_password(secrets.token_urlsafe(16), cost=2**10)  # never typed: the session is signed in directly


def test_the_matrix_has_every_page_of_the_page_table():
    """A page added to the page table is in the matrix below, as is every embedded view."""
    assert {target.id for target in TARGETS.values()} == {page.key for page in pages.PAGES} | {f"embed-{view}" for view in pages.EMBED_VIEWS}
    assert {case.values[0].id for case in matrix()} == set(TARGETS)


def assert_drawn(at: AppTest, target: Target) -> None:
    assert_no_failure(at)  # the app's own "Something went wrong" is an st.error
    if target.title is None:
        assert not at.title and (at.get("plotly_chart") or at.info), "the embedded view drew its chart or said why not"
    else:
        assert at.title and at.title[0].value == HEADINGS.get(target.id, target.title), "the page asked for, not the default one"


@pytest.mark.parametrize(("target", "params"), matrix())
def test_every_page_under_url_filters(reviewer_env, store_dataset, target, params):
    assert_drawn(target.open(resolved(params, store_dataset)), target)


# ---- any query string on any page ------------------------------------------------------------------

KNOWN = sorted(FILTER_PARAMS | PAGE_PARAM_NAMES | {EMBED_PARAM, VIEW_PARAM, HEIGHT_PARAM})
# Values the store holds or a page knows, so that arbitrary text sits beside values that lead past the notes.
WORDS = ["deaths", "injured", "Palestine", "Gaza", "Sudan", "2024-01-01", "2031-06-01", "cumulative", "killed|cumulative|reported",
         "admin1", "share", "per100k", "only", "1", "30d", "en", "projected", "trend", "map", "weekly", "0", "-1", "nan", "1e309"]  # fmt: skip
TEXT = st.one_of(
    st.sampled_from(WORDS),
    st.text(max_size=40),  # any character but surrogates: control characters, right-to-left, combining marks
    st.builds(lambda text, times: text * times, st.text(min_size=1, max_size=5), st.integers(200, 4000)),  # very long
)
GIVEN = st.lists(TEXT, min_size=1, max_size=3)  # a key given up to three times
QUERIES = st.builds(
    lambda known, unknown: {**unknown, **known},
    st.dictionaries(st.sampled_from(KNOWN), GIVEN, max_size=6),
    st.dictionaries(st.text(min_size=1, max_size=12).filter(lambda key: key not in KNOWN), GIVEN, max_size=2),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(target=st.sampled_from(list(TARGETS.values())), query=QUERIES)
def test_any_query_string_on_any_page_draws_the_page(reviewer_env, target, query):
    """Every page of the page table, and every embedded view, under any query parameters: known names with
    any text (unicode, very long, repeated), unknown names beside them. A page with a note, never a traceback."""
    assert_drawn(target.open(query), target)
