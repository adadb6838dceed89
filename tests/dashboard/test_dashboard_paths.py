"""Every path through the dashboard (issue 14): a clicked chart point and a page switch keep the filters as
they were, and every public page survives a matrix of URL filters (each alone, and in pairs)."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

import pytest
from streamlit.testing.v1 import AppTest
from testkit import new_app

from dashboard import charts
from dashboard.filters import same_query


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
