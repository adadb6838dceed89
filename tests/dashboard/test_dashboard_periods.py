"""dashboard.model.periods and the sidebar's presets: last 7, 30, 90 days, this year, all; the data's age."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from testkit import new_app

from dashboard.model.filters import FilterChoices, Filters, from_query_params
from dashboard.model.periods import days_ago, empty_period_text, latest_figure_text, period_dates, today_of

TODAY = date(2026, 12, 6)


@pytest.mark.parametrize(
    ("preset", "expected"),
    [
        pytest.param("7d", (date(2026, 11, 30), TODAY), id="last-7-days-count-today"),
        pytest.param("30d", (date(2026, 11, 7), TODAY), id="last-30-days"),
        pytest.param("90d", (date(2026, 9, 8), TODAY), id="last-90-days"),
        pytest.param("year", (date(2026, 1, 1), TODAY), id="this-year"),
        pytest.param("all", (None, None), id="all"),
    ],
)
def test_a_preset_is_its_days_up_to_today(preset: str, expected: tuple) -> None:
    assert period_dates(preset, TODAY) == expected


@given(st.dates(min_value=date(1991, 1, 1), max_value=date(2100, 12, 31)), st.sampled_from(["7d", "30d", "90d", "year"]))
def test_every_preset_ends_today_and_spans_its_days(today: date, preset: str) -> None:
    first, last = period_dates(preset, today)
    assert last == today and first <= today
    if preset == "year":
        assert first == date(today.year, 1, 1)
    else:
        assert today - first == timedelta(days=int(preset[:-1]) - 1)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(date(2025, 11, 30), "Latest figure: 30 November 2025, 371 days ago", id="issue-example"),
        pytest.param(TODAY, "Latest figure: 6 December 2026, today", id="today"),
        pytest.param(date(2026, 12, 5), "Latest figure: 5 December 2026, yesterday", id="yesterday"),
        pytest.param(None, "No dated figures yet", id="no-dates"),
    ],
)
def test_the_page_head_says_how_old_the_latest_figure_is(day: date | None, expected: str) -> None:
    assert latest_figure_text(day, TODAY) == expected


def test_helpers_read_an_injected_today_and_say_an_empty_period() -> None:
    assert today_of({"HID_TODAY": "2026-12-06"}) == TODAY and today_of({"HID_TODAY": "nonsense"}) == date.today()
    assert days_ago(date(2026, 12, 9), TODAY) == "in 3 days"
    assert empty_period_text(date(2026, 11, 7), TODAY) == "No figures between 7 November 2026 and 6 December 2026."


@pytest.mark.parametrize(
    ("params", "expected", "notes"),
    [
        pytest.param({"period": "30d"}, Filters(period="30d", date_from=date(2026, 11, 7), date_to=TODAY), [], id="preset"),
        pytest.param(
            {"period": "year", "from": "2020-01-01"},
            Filters(period="year", date_from=date(2026, 1, 1), date_to=TODAY),
            [],
            id="preset-over-dates",
        ),
        pytest.param(
            {"period": "fortnight"}, Filters(), ["Ignored period=“fortnight” (use 7d, 30d, 90d, year, all)."], id="unknown"
        ),
        pytest.param({"to": "2026-12-06"}, Filters(date_to=TODAY), [], id="any-date-up-to-today"),
    ],
)
def test_the_url_keeps_the_preset_not_its_dates(params: dict, expected: Filters, notes: list[str]) -> None:
    filters, found = from_query_params(params, FilterChoices(), TODAY)
    assert (filters, found) == (expected, notes)
    assert filters.to_query_params() == (
        {} if notes else {k: v for k, v in params.items() if k != "from" or "period" not in params}
    )


def test_a_preset_in_the_sidebar_sets_the_dates_and_the_url(app_env, monkeypatch) -> None:
    monkeypatch.setenv("HID_TODAY", "2026-12-06")
    at = new_app()
    assert at.markdown[0].value.startswith("**Latest figure: ") and "days ago**" in at.markdown[0].value
    at.segmented_control(key="f_period").set_value("30d").run()
    assert at.query_params == {"period": "30d"}
    assert (at.date_input(key="f_from").value, at.date_input(key="f_to").value) == (date(2026, 11, 7), TODAY)
    assert any(info.value.startswith("No figures between 7 November 2026 and 6 December 2026.") for info in at.info)
    at.date_input(key="f_from").set_value(date(2024, 1, 1)).run()  # a typed date is no longer the preset's
    assert at.query_params == {"from": "2024-01-01", "to": "2026-12-06"}
    assert not at.exception and not at.error
