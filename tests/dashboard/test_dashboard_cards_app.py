"""The Overview's cards through AppTest: headline figures by default, parts one click (or parts=1) away."""

from __future__ import annotations

import re

import pytest
from testkit import new_app

from dashboard.model.filters import headline_figures


def labels(at) -> list[str]:
    """The cards' labels as shown (the Markdown escapes taken out)."""
    return [re.sub(r"\\(.)", r"\1", metric.label) for metric in at.metric]


def test_default_overview_shows_headline_figures_with_their_kind(app_env, store_dataset):
    at = new_app()
    assert not at.exception and not at.error
    assert at.checkbox(key="f_parts").value is False and "parts" not in at.query_params
    view = at.session_state["dashboard_view"]
    assert view.count == headline_figures(store_dataset.records).sum() < len(store_dataset.records)
    assert not (view.records["scope"] == "part").any()
    assert "Palestine · killed" in labels(at)
    assert "Palestine · facing famine, projected to Sep 2025" in labels(at)
    assert all(" · " in label for label in labels(at)), "every card says its kind"
    assert any("Headline figures only" in caption.value for caption in at.caption)
    # Who counted comes before the outlet that relayed it, as on the charts.
    assert any(caption.value.startswith("Counted by Gaza Ministry of Health, reported by ") for caption in at.caption)


@pytest.mark.parametrize(
    "turn_on",
    [
        pytest.param(lambda: new_app({"parts": "1"}), id="shared-link"),
        pytest.param(lambda: new_app().checkbox(key="f_parts").check().run(), id="checkbox"),
    ],
)
def test_parts_show_the_rest_and_stay_in_the_url(app_env, store_dataset, turn_on):
    at = turn_on()
    assert not at.exception and not at.error
    assert at.checkbox(key="f_parts").value is True and at.query_params["parts"] == "1"
    assert at.session_state["dashboard_view"].count == len(store_dataset.records)
    # The store's one part: 383 aid workers killed worldwide in 2024, a year of a running count.
    part = "Worldwide · killed, over a period, a part (subgroup, sub-area or single incident)"
    assert part in labels(at)
    assert part not in labels(new_app())


def test_status_filter_keeps_projections_only(app_env):
    at = new_app({"status": "projected"})
    assert not at.exception and not at.error
    assert at.multiselect(key="f_status").value == ["projected"] and at.query_params["status"] == "projected"
    assert labels(at) and all("projected to" in label for label in labels(at))


def test_clear_filters_turns_parts_off(app_env):
    at = new_app({"parts": "1", "status": "reported"})
    at.button[0].click().run()
    assert at.checkbox(key="f_parts").value is False and at.multiselect(key="f_status").value == []
    assert "parts" not in at.query_params and "status" not in at.query_params
