"""Trends and Sources by who counted, in AppTest: the legend, the derived changes control, the kinds compared."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from testkit import new_app

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard"
MOH = "Gaza Ministry of Health"


def specs(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def assert_clean(at) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def test_trends_legend_names_who_counted(app_env):
    at = new_app({"indicator": "deaths", "location": "Palestine"}, "views/trends.py")
    assert_clean(at)
    (spec,) = specs(at)
    legend = [trace["name"] for trace in spec["data"] if trace.get("showlegend", True)]
    assert legend == [MOH] and spec["layout"]["legend"]["title"]["text"] == "Who counted"
    texts = [text for trace in spec["data"] for text in trace.get("hovertext") or []]
    assert texts and all(f"Counted by: {MOH}" in text and "Reported by " in text for text in texts)


@pytest.mark.parametrize("period", ["daily", "weekly"])
def test_trends_shows_derived_changes_on_demand(app_env, period):
    at = new_app({"indicator": "deaths", "location": "Palestine"}, "views/trends.py")
    assert at.segmented_control(key="t_change").value == "figures" and len(specs(at)) == 1
    at.segmented_control(key="t_change").set_value(period).run()
    assert_clean(at)
    trend, derived = specs(at)
    assert trend["layout"]["legend"]["title"]["text"] == derived["layout"]["legend"]["title"]["text"] == "Who counted"
    assert "derived from cumulative figures" in derived["layout"]["title"]["text"]
    bars = [trace for trace in derived["data"] if trace["type"] == "bar"]
    assert bars and all(value >= 0 for trace in bars for value in trace["y"])
    assert any("Derived, not reported" in caption.value for caption in at.caption)
    (table,) = [element.value for element in at.table if "Per day" in element.value.columns]
    assert list(table.columns) == ["Who counted", "From", "To", "Days", "Change", "Per day", "Note"]
    assert len(table) == 5  # the test store holds six of the ministry's tolls, in six weeks
    assert not any(str(cell).startswith("-") for cell in table["Change"])
    assert all(note.startswith("Derived") for note in table["Note"])


def test_sources_compares_originators_within_one_kind(app_env):
    at = new_app({"compare_indicator": "deaths", "compare_location": "Palestine"}, "views/sources.py")
    assert_clean(at)
    kind = at.selectbox(key="s_kind")
    assert kind.value == "deaths|killed|cumulative|reported|total"
    assert any(metric.label == "Originators in the window" for metric in at.metric)
    captions = [caption.value for caption in at.caption]
    assert "Gaza Ministry of Health (reported by WDBO \\(Associated Press\\)) · 29 July 2025" in captions
    assert at.success  # one ministry's rising toll: no disagreement
    assert any("rising over time is not a disagreement" in caption.value for caption in at.caption)


def test_sources_flags_one_originator_stating_two_figures_for_one_day(app_env):
    at = new_app({"compare_indicator": "famine_exposure", "compare_location": "Palestine", "window": "30"}, "views/sources.py")
    assert_clean(at)
    assert at.selectbox(key="s_kind").value == "famine_exposure||snapshot|projected|total"
    body = " ".join(element.value for element in at.markdown)
    assert "IPC states two figures for the same day, **about 641,000** (reported by TASS)" in body
    assert "**470,000** (reported by Daily Sabah)" in body


@pytest.mark.parametrize(
    ("page", "params", "key", "value", "warning"),
    [
        pytest.param("views/trends.py", {"show": "weekly"}, "t_change", "weekly", None, id="trends-show"),
        pytest.param("views/trends.py", {"show": "hourly"}, "t_change", "figures", "Ignored show", id="trends-show-unknown"),
        pytest.param(
            "views/sources.py", {"kind": "famine_exposure||snapshot|projected|total", "compare_indicator": "famine_exposure"},
            "s_kind", "famine_exposure||snapshot|projected|total", None, id="sources-kind",
        ),
        pytest.param(
            "views/sources.py", {"kind": "deaths|eaten|||", "compare_indicator": "deaths", "compare_location": "Palestine"},
            "s_kind", "deaths|killed|cumulative|reported|total", "Ignored kind", id="sources-kind-unknown",
        ),
    ],
)  # fmt: skip
def test_page_controls_come_from_a_shared_link_and_go_back_to_it(app_env, page, params, key, value, warning):
    control = "segmented_control" if key == "t_change" else "selectbox"
    at = new_app({"indicator": "deaths" if "kind" not in params else params["compare_indicator"], **params}, page)
    assert_clean(at)
    assert getattr(at, control)(key=key).value == value
    assert [w.value for w in at.warning if w.value.startswith(warning)] if warning else not at.warning
    # The link the page leaves in the address bar chooses the same control again.
    name = "show" if key == "t_change" else "kind"
    assert at.query_params.get(name) == (None if value == "figures" else value)


