"""The Streamlit app through streamlit.testing.v1.AppTest: every page, the URL round trips, the store states."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from dashboard_testkit import HOSTILE_QUOTE_PART
from streamlit.testing.v1 import AppTest
from testkit import new_app

from dashboard.model.filters import headline_figures

PAGES = ("views/overview.py", "views/trends.py", "views/sources.py", "views/records.py")
ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"
UNESCAPED = re.compile(r"(?<!\\)[<>\[\]]")  # Markdown source: markup characters must be backslash-escaped


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def plotly_specs(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def hovertexts(at: AppTest) -> list[str]:
    return [text for spec in plotly_specs(at) for trace in spec["data"] for text in trace.get("hovertext") or []]


@pytest.mark.parametrize(
    ("page", "title"),
    list(zip(PAGES, ("Overview", "Trends", "Sources", "Records"), strict=True)),
    ids=lambda v: str(v).split("/")[-1],
)
def test_every_page_renders(app_env, page, title):
    at = new_app(page=page)
    assert_clean(at)
    assert at.title[0].value == title
    assert at.multiselect(key="f_indicator").options  # the sidebar filters are there on every page
    # The view stays in the session's state (kept a while after the visitor leaves): without the copies it took.
    assert not {"records", "_taken", "_positions"} & set(vars(at.session_state["dashboard_view"]))


def test_overview_tiles(app_env):
    at = new_app()
    assert_clean(at)
    deaths = at.metric[0]  # the first indicator, its most reported location
    assert (deaths.label, deaths.value) == ("Palestine · killed", "60,034")
    assert "WDBO" in at.caption[2].value and "29 July 2025" in at.caption[2].value
    # Daily Sabah's projection (470,000 to September 2025) was once shown as "+226,000" since its
    # count of 10 May 2025 (244,000): a projection and a count are two kinds, two cards, no change.
    famine = new_app({"indicator": "famine_exposure", "source": "Daily Sabah"})
    assert [(tile.label, tile.value, tile.proto.delta) for tile in famine.metric] == [
        ("Palestine · facing famine, at a date", "244,000", ""),
        ("Palestine · facing famine, projected to Sep 2025", "470,000", ""),
    ]
    assert "Daily Sabah · 30 September 2025" in famine.caption[3].value


def test_trends_one_indicator_at_a_time_in_the_url(app_env):
    at = new_app({"trend": "famine_exposure"}, "views/trends.py")
    assert_clean(at)
    assert at.segmented_control(key="t_indicator").value == "famine_exposure"
    assert at.query_params["trend"] == "famine_exposure"
    assert all("Famine exposure" in spec["layout"]["title"]["text"] for spec in plotly_specs(at))
    at.segmented_control(key="t_indicator").set_value("deaths").run()
    assert at.query_params["trend"] == "deaths"
    bad = new_app({"trend": "<b>nope</b>"}, "views/trends.py")
    assert_clean(bad)
    assert bad.warning and bad.query_params["trend"] == "deaths"


def test_trends_charts_carry_provenance_tooltips(app_env):
    at = new_app({"indicator": "deaths", "location": "Palestine"}, "views/trends.py")
    assert_clean(at)
    specs = plotly_specs(at)
    assert len(specs) == 1
    texts = hovertexts(at)
    assert any("<b>38,011</b> Palestinians" in text and "Gaza Ministry of Health" in text for text in texts)
    assert all("Source:" in text and "Published:" in text for text in texts)


def test_hostile_quote_is_text_in_tooltips_and_document(app_env, store_dataset):
    at = new_app({"q": "health ministry"}, "views/trends.py")
    assert_clean(at)
    texts = [text for text in hovertexts(at) if "57,575" in text]
    assert texts and all(ESCAPED in text and HOSTILE_QUOTE_PART not in text for text in texts)
    assert all("<script" not in text for text in hovertexts(at))

    doc_id = str(store_dataset.records.loc[store_dataset.records["doc"] == "hostile-brief.txt", "doc_id"].iloc[0])
    at = new_app({"doc": doc_id}, "views/records.py")
    assert_clean(at)
    body = "".join(element.value for element in at.html)
    assert ESCAPED in body and HOSTILE_QUOTE_PART not in body and "<script" not in body
    assert '<mark id="fig-' in body
    assert not at.get("link_button"), "a javascript: URL must not become a link"


def test_query_string_sets_the_widgets(app_env):
    params = {
        "indicator": ["deaths", "injured"],
        "location": "Palestine",
        "from": "2024-01-01",
        "to": "2025-12-31",
        "q": "ministry",
        "measure": "cumulative",
    }
    at = new_app(params)
    assert_clean(at)
    assert at.multiselect(key="f_indicator").value == ["deaths", "injured"]
    assert at.multiselect(key="f_location").value == ["Palestine"]
    assert at.multiselect(key="f_measure").value == ["cumulative"]
    assert at.date_input(key="f_from").value == date(2024, 1, 1)
    assert at.date_input(key="f_to").value == date(2025, 12, 31)
    assert at.text_input(key="f_q").value == "ministry"
    assert not at.warning
    assert at.query_params == params  # the URL keeps the view


def test_changing_widgets_updates_the_query_string(app_env):
    at = new_app()
    assert at.query_params == {}
    at.multiselect(key="f_indicator").set_value(["deaths"]).run()
    assert at.query_params == {"indicator": "deaths"}
    at.date_input(key="f_from").set_value(date(2024, 6, 1)).run()
    at.text_input(key="f_q").input("ocha").run()
    assert at.query_params == {"indicator": "deaths", "from": "2024-06-01", "q": "ocha"}
    assert "of" in at.caption[0].value and "matching" in at.caption[0].value
    at.button[0].click().run()  # Clear filters
    assert at.query_params == {}
    assert at.multiselect(key="f_indicator").value == []


def test_filters_survive_a_page_switch(app_env):
    at = new_app({"location": "Sudan"})
    at.switch_page("views/trends.py").run()
    assert_clean(at)
    assert at.query_params == {"location": "Sudan", "trend": "deaths"}
    assert at.multiselect(key="f_location").value == ["Sudan"]
    assert len(plotly_specs(at)) == 1
    at.switch_page("views/overview.py").run()
    assert at.query_params == {"location": "Sudan"}  # a page's own parameters stay with it


@pytest.mark.parametrize(
    ("params", "kept"),
    [
        pytest.param({"indicator": "nope"}, {}, id="unknown-indicator"),
        pytest.param({"from": "2024-99-99"}, {}, id="malformed-date"),
        pytest.param(
            {"location": "<img src=x onerror=alert(1)>", "indicator": "deaths"}, {"indicator": "deaths"}, id="hostile-location"
        ),
        pytest.param({"source": "[x](javascript:alert(1))"}, {}, id="markdown-link"),
        pytest.param({"q": "<script>alert(1)</script>"}, {"q": "<script>alert(1)</script>"}, id="hostile-search-is-just-text"),
        pytest.param({"utm_campaign": "x"}, {}, id="unknown-parameter"),
    ],
)
def test_invalid_query_values_are_ignored_with_a_note(app_env, params, kept):
    at = new_app(params)
    assert_clean(at)
    assert at.query_params == kept
    if kept == params:
        assert not at.warning
    else:
        assert at.warning, "an ignored value must be noted"
        assert not any(UNESCAPED.search(w.value) for w in at.warning), [w.value for w in at.warning]


def test_sources_page_round_trip(app_env):
    at = new_app({"compare_indicator": "famine_exposure", "compare_location": "Palestine", "window": "30"}, "views/sources.py")
    assert_clean(at)
    assert at.selectbox(key="s_indicator").value == "famine_exposure"
    assert at.number_input(key="s_window").value == 30
    assert at.query_params["threshold"] == "5"
    body = "".join(element.value for element in at.html)
    assert "<b>641,000</b>" in body and "<b>470,000</b>" in body  # both quotes of the disagreement
    assert any(m.label.startswith("Conservative") and m.value == "470,000" for m in at.metric)
    at.number_input(key="s_threshold").set_value(50.0).run()
    assert at.query_params["threshold"] == "50"
    assert at.success  # no disagreement above 50%


def test_sources_page_ignores_bad_parameters(app_env):
    at = new_app({"compare_indicator": "bogus", "window": "-3", "threshold": "lots"}, "views/sources.py")
    assert_clean(at)
    assert len(at.warning) == 3
    assert at.number_input(key="s_window").value == 7


def test_records_table_and_document_from_the_url(app_env, store_dataset):
    records = store_dataset.records
    row = records[records["doc"].str.contains("2024-07-05-un-ocha")].iloc[0]
    at = new_app({"doc": row["doc_id"], "record": row["record_id"]}, "views/records.py")
    assert_clean(at)
    table = at.dataframe[0].value
    # The headline figures (the default view): the store's one part (aid workers killed worldwide in 2024) is left out.
    assert len(table) == headline_figures(records).sum() == len(records) - 1
    assert {"url", "quote", "record_id", "review_status"} <= set(table.columns)
    body = "".join(element.value for element in at.html)
    assert body.count("<mark") == 2 and 'class="fig selected"' in body
    assert at.query_params["doc"] == row["doc_id"] and at.query_params["record"] == row["record_id"]
    assert at.get("link_button")


def test_records_figure_columns_fit_their_longest_figure(app_env, store_dataset):
    """Sized to their short headers, the figure columns cut the first digit off "9,258,273"."""
    at = new_app(None, "views/records.py")
    config = json.loads(at.dataframe[0].proto.columns)
    figures = store_dataset.records[["value", "low", "high"]].stack()
    longest = max(len(f"{figure:,.0f}") for figure in figures)
    for name in ("value", "low", "high"):
        assert config[name].get("width", 0) >= 9 * longest + 16, (name, config[name])  # ~9 px a digit, and padding


@pytest.mark.parametrize(
    "params",
    [pytest.param({"doc": "f" * 64}, id="unknown-doc"), pytest.param({"doc": "<script>x</script>"}, id="hostile-doc")],
)
def test_records_ignores_unknown_documents(app_env, params):
    at = new_app(params, "views/records.py")
    assert_clean(at)
    assert at.warning and not UNESCAPED.search(at.warning[0].value)
    assert "doc" not in at.query_params


def test_no_matching_records(app_env):
    for page in PAGES:
        at = new_app({"q": "zzzz-no-such-text"}, page)
        assert_clean(at)
        assert any("No records match" in info.value for info in at.info)


def test_missing_store_gives_a_message(tmp_path, monkeypatch):
    monkeypatch.setattr("sys.argv", ["app.py", "--db", f"sqlite:///{tmp_path / 'missing.sqlite'}"])
    at = new_app()
    assert not at.exception
    assert "No store at" in at.error[0].value
    assert not (tmp_path / "missing.sqlite").exists()


def test_empty_store_gives_a_message(tmp_path, monkeypatch):
    from store import open_store

    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    open_store(url).dispose()
    monkeypatch.setattr("sys.argv", ["app.py", "--db", url])
    at = new_app()
    assert not at.exception and not at.error
    assert "has no records yet" in at.info[0].value


def test_default_store_is_built_on_first_start(tmp_path, monkeypatch):
    path = tmp_path / "store.sqlite"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setattr("sys.argv", ["app.py"])
    at = new_app()
    assert_clean(at)
    assert path.exists()
    assert at.status and at.status[0].label == "Store built from the sample corpus"
    assert at.get("progress")
    assert len(at.metric) >= 10


@pytest.mark.parametrize(
    ("filters", "same_as_unfiltered"),
    [
        pytest.param({}, True, id="no-filter"),
        pytest.param({"indicators": ("deaths",)}, True, id="the-charts-indicator"),
        pytest.param({"indicators": ("deaths", "injured")}, True, id="indicators-including-it"),
        pytest.param({"locations": ("Palestine",)}, True, id="the-charts-location"),
        pytest.param({"indicators": ("injured",)}, False, id="another-indicator"),
        pytest.param({"locations": ("Sudan",)}, False, id="another-location"),
        pytest.param({"search": "ministry"}, False, id="a-search"),
        pytest.param({"indicators": ("deaths",), "sources": ("Reuters",)}, False, id="a-source"),
    ],
)
def test_chart_key_ignores_only_filters_that_let_the_chart_through(filters, same_as_unfiltered):
    """A chart's records (one indicator at one location) do not change when the indicator or location filter
    merely lets them through: the same cache key; any filter that may change them gives another key."""

    from dashboard.model.data import empty_dataset
    from dashboard.model.filters import Filters
    from dashboard.ui import ui

    def key(**chosen) -> str:
        return ui.View("sqlite:///x", "f", empty_dataset(), Filters(**chosen)).chart_key("deaths", "Palestine")

    assert (key(**filters) == key()) is same_as_unfiltered


def test_loading_the_store_takes_long_lived_objects_out_of_the_collectors_walks(test_store, monkeypatch):
    """Once per store state, right after it is read: full collections no longer walk the modules and the dataset."""
    import gc

    from dashboard.ui import ui

    freezes = []
    monkeypatch.setattr(ui, "freeze_long_lived_objects", lambda: freezes.append(1))
    ui.dataset_cached.clear()
    try:
        ui.dataset_cached(test_store, "state-1")
        ui.dataset_cached(test_store, "state-1")  # cached: nothing read, nothing frozen
        assert freezes == [1]
    finally:
        ui.dataset_cached.clear()
    monkeypatch.undo()
    try:
        ui.freeze_long_lived_objects()
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()


@pytest.mark.parametrize(
    ("params", "page", "chart_key"),
    [
        ({"indicator": "deaths", "location": "Palestine"}, "views/trends.py", "trend-deaths-38150797d047"),
        ({"compare_indicator": "deaths", "compare_location": "Palestine"}, "views/sources.py", "sources-trend"),
    ],
    ids=["trends", "sources"],
)
def test_every_chart_has_its_data_table(app_env, params, page, chart_key):
    """A screen reader or a keyboard cannot read a Plotly chart: each one has a table of its points under it,
    made when its expander is opened."""
    at = new_app(params, page)
    assert_clean(at)
    specs = plotly_specs(at)
    tables = [expander for expander in at.expander if expander.label.startswith("Data table: Deaths in Palestine")]
    assert len(tables) == len(specs) == 1
    assert not tables[0].table  # closed: not made
    at.session_state[f"{chart_key}-table"] = True  # what opening it does
    at.run()
    assert_clean(at)
    tables = [expander for expander in at.expander if expander.label.startswith("Data table: Deaths in Palestine")]
    frame = tables[0].table[0].value
    assert list(frame.columns)[:3] == ["Figure", "Date", "Source"]
    points = sum(len(trace.get("customdata") or []) for trace in specs[0]["data"] if trace.get("hoverinfo") != "skip")
    assert len(frame) == points
    assert tables[0].caption and "newest first" in tables[0].caption[0].value


def test_records_table_puts_the_figure_first(app_env):
    """A phone shows about three columns: the figure was the fourth, out of sight at 390 px."""
    at = new_app(None, "views/records.py")
    table = at.dataframe[0].proto
    assert list(table.column_order)[:3] == ["value", "qualifier", "reference_date"]
    config = json.loads(table.columns)
    assert config["value"].get("pinned") is True and not config.get("reference_date", {}).get("pinned")
