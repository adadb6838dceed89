"""Every path through the dashboard (issue 14): a clicked chart point and a page switch keep the filters as
they were, and every public page survives a matrix of URL filters (each alone, and in pairs)."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

import pytest
from streamlit.testing.v1 import AppTest
from test_dashboard_hostile import PAGES, assert_no_failure
from testkit import new_app

from dashboard.charts import charts
from dashboard.model.filters import same_query


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


# ---- every public page under a matrix of URL filters ----------------------------------------------


DOC = "<doc>"  # replaced by a document of the test store (and RECORD by one of its figures)
RECORD = "<record>"
# For each filter: an ordinary value first, then values the data does not hold (unknown words, dates
# before and after every figure, a search nothing matches). "page" stands for the parameters a page
# keeps besides the filters (trend=, doc= and record=, the Sources page's controls).
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
        {"trend": "deaths", "doc": DOC, "record": RECORD, "compare_indicator": "deaths", "compare_location": "Palestine", "show": "daily"},
        {"trend": "injured", "doc": DOC, "window": "30", "threshold": "10", "show": "weekly", "kind": "deaths|killed|cumulative|reported|total"},
        {"trend": "nope", "doc": "0" * 64, "record": "nope", "compare_indicator": "nope", "compare_location": "Mars", "show": "hourly",
         "kind": "deaths|eaten|||"},
    ],
}
NAMES = list(VALUES)


def matrix() -> list:
    """Each filter's values alone on every page (the pages of the hostile matrix); each pair of filters
    twice, ordinary values together and then the others crossed, on two pages in turn, so that every
    page sees pairs of every kind: 198 + 110 runs."""
    cases = [
        pytest.param(page, params, id=f"{page.id}-{name}{index}")
        for name in NAMES
        for index, params in enumerate(VALUES[name])
        for page in PAGES
    ]
    pairs = [(first, second) for position, first in enumerate(NAMES) for second in NAMES[position + 1 :]]
    for number, (first, second) in enumerate(pairs):
        for combination, (left, right) in enumerate([(0, 0), (2, 1)] if number % 2 else [(0, 0), (1, 2)]):
            params = {**VALUES[first][left], **VALUES[second][right]}
            page = PAGES[(2 * number + combination) % len(PAGES)]
            cases.append(pytest.param(page, params, id=f"{page.id}-{first}{left}-{second}{right}"))
    return cases


def resolved(params: dict, dataset) -> dict:
    record = dataset.records.iloc[0]
    swap = {DOC: str(record["doc_id"]), RECORD: str(record["record_id"])}
    return {name: swap.get(value, value) if isinstance(value, str) else value for name, value in params.items()}


@pytest.mark.parametrize(("page", "params"), matrix())
def test_every_page_under_url_filters(app_env, store_dataset, page, params):
    at = new_app({**(page.base or {}), **resolved(params, store_dataset)}, page.path, embedded=page.embedded)
    assert_no_failure(at)  # the app's own "Something went wrong" is an st.error
    assert at.title or page.embedded, "the page drew its head"
