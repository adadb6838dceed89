"""Issue 14 items 3 and 4: figures grouped by who counted them (origins), disagreements between originators
(disagreements), and the changes derived from a cumulative series (changes, change_charts)."""

from __future__ import annotations

import html
from datetime import date, timedelta
from itertools import pairwise

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.charts import change_charts, charts
from dashboard.exports import briefing, briefing_text
from dashboard.model import changes, disagreements, origins
from dashboard.model.data import prepare_records

MOH, OCHA = "Gaza Ministry of Health", "UN OCHA"


def record(number: int, **fields) -> dict:
    """A deaths record of Palestine, its fields overridable (my own wording; no real quote is implied)."""
    value = fields.pop("value", 1000.0)
    base = {
        "record_id": f"r{number}",
        "doc": f"doc-{number}.txt",
        "indicator": "deaths",
        "outcome": "killed",
        "value": value,
        "low": value,
        "high": value,
        "qualifier": "exact",
        "unit": "person",
        "raw_value": f"{value:,.0f}",
        "measure": "cumulative",
        "location": "Palestine",
        "quote": f"The toll reached {value:,.0f}.",
        "char_start": 17,
        "char_end": 17 + len(f"{value:,.0f}"),
        "source": f"Outlet {number}",
        "url": f"https://outlet{number}.example/report",
        "reference_date": "2023-10-19",
        "published": "2023-10-19",
        "originator": MOH,
        "headline": True,
        "scope": "total",
        "status": "reported",
        "extractor_version": "test",
    }
    base.update(fields)
    return base


def frame_of(*rows: dict) -> pd.DataFrame:
    return prepare_records(pd.DataFrame(list(rows))).records


# ---- who counted, who relayed ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("originator", "source", "expected"),
    [
        pytest.param(MOH, "Al Jazeera", MOH, id="originator-named"),
        pytest.param(None, "Al Jazeera", "Al Jazeera (source; originator not stated)", id="none-falls-back-to-outlet"),
        pytest.param("", "TASS", "TASS (source; originator not stated)", id="empty-falls-back"),
        pytest.param(float("nan"), "TASS", "TASS (source; originator not stated)", id="nan-falls-back"),
        pytest.param("  ", None, "unknown source (source; originator not stated)", id="nothing-known"),
    ],
)
def test_series_label(originator, source, expected):
    assert origins.series_label(originator, source) == expected


@pytest.mark.parametrize(
    ("outlets", "expected"),
    [
        pytest.param([], "", id="none"),
        pytest.param(["Al Jazeera"], "reported by Al Jazeera", id="one"),
        pytest.param(["Al Jazeera", "AP"], "reported by Al Jazeera and AP", id="two"),
        pytest.param(["Al Jazeera", "AP", "AFP"], "reported by Al Jazeera, AP and AFP", id="three-all-named"),
        pytest.param(["Al Jazeera", "AP", *(f"o{i}" for i in range(6))], "reported by Al Jazeera, AP and 6 more", id="eight"),
        pytest.param(["AP", "AP", "DW"], "reported by AP and DW", id="each-once"),
    ],
)
def test_reported_by(outlets, expected):
    assert origins.reported_by(outlets) == expected


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        pytest.param("https://example.org/a?b=1", True, id="https"),
        pytest.param("http://example.org", True, id="http"),
        pytest.param("javascript:alert(1)", False, id="javascript"),
        pytest.param("data:text/html,<b>x</b>", False, id="data"),
        pytest.param("//example.org", False, id="no-scheme"),
        pytest.param(None, False, id="missing"),
        pytest.param("http://[::1", False, id="malformed"),
    ],
)
def test_only_http_links_reach_a_tooltip(url, kept):
    assert (origins.safe_url(url) is not None) is kept
    assert ("<a href" in origins.relay_html(["x"], [url], MOH)) is kept


def test_relay_lines_are_escaped():
    text = origins.relay_html(["<b>wire</b>"], ['https://e.org/"><script>'], "<i>Ministry</i>")
    assert "<b>wire" not in text and "<i>Ministry" not in text and "<script>" not in text
    assert "Counted by: &lt;i&gt;Ministry&lt;/i&gt;" in text and "Reported by &lt;b&gt;wire&lt;/b&gt;" in text


@pytest.fixture(scope="module")
def gaza_deaths(corpus_dataset):
    records = corpus_dataset.records
    return records[(records["indicator"] == "deaths") & (records["location_label"] == "Palestine")]


def _points(figure) -> list:
    return [trace for trace in figure.data if trace.hoverinfo != "skip"]


def test_fourteen_tolls_from_twelve_outlets_are_one_ministrys_series(gaza_deaths):
    """The bug: the legend coloured 12 outlets, all but eight grey as "Other sources", for figures all the ministry's."""
    assert len(gaza_deaths) == 14 and gaza_deaths["source"].nunique() == 12
    figure = charts.trend_figure(gaza_deaths)
    legend = [trace.name for trace in figure.data if trace.showlegend is not False]
    assert legend == [MOH]
    assert "Other sources" not in {trace.name for trace in figure.data}
    (points,) = _points(figure)
    assert len(points.x) == 14 and "lines" in points.mode
    assert all(f"Counted by: {MOH}" in text and "Reported by " in text and "<a href=" in text for text in points.hovertext)


def test_many_originators_each_have_a_named_entry_and_a_style():
    rows = [record(i, originator=f"Body {i}", reference_date=f"2024-01-{i + 1:02d}", value=100.0 + i) for i in range(12)]
    figure = charts.trend_figure(frame_of(*rows))
    legend = [trace.name for trace in figure.data if trace.showlegend is not False]
    assert sorted(legend) == sorted(f"Body {i}" for i in range(12))
    styles = {(trace.marker.color, trace.marker.symbol[0].endswith("-open")) for trace in _points(figure)}
    assert len(styles) == 12  # past eight colours, the hollow cycle


def test_a_figure_relayed_by_several_outlets_is_one_point():
    rows = [record(i, source=name) for i, name in enumerate(["Al Jazeera", "AP", "Reuters", "AFP"])]
    rows.append(record(9, value=2000.0, reference_date="2023-10-26", source="DW"))
    figure = charts.trend_figure(frame_of(*rows))
    (points,) = _points(figure)
    assert points.x == ("2023-10-19", "2023-10-26")
    first = points.hovertext[0]
    assert "Reported by Al Jazeera, AP and 2 more" in first
    assert first.count("<a href=") == 3 and "and 1 more reports" in first  # at most three links, the rest counted
    assert "Reported by DW" in points.hovertext[1]


@pytest.mark.parametrize(
    ("changed", "points"),
    [
        pytest.param({"value": 1001.0, "raw_value": "1,001"}, 2, id="another-value"),
        pytest.param({"originator": OCHA}, 2, id="another-originator"),
        pytest.param({"reference_date": "2023-10-20"}, 2, id="another-date"),
        pytest.param({"scope": "part"}, 2, id="another-kind"),
        pytest.param({"source": "AP"}, 1, id="only-another-outlet"),
    ],
)
def test_what_makes_two_records_one_point(changed, points):
    figure = charts.trend_figure(frame_of(record(1), record(2, **changed)))
    assert sum(len(trace.x) for trace in _points(figure)) == points


def test_a_line_never_joins_a_part_or_a_projection_to_the_total():
    rows = [
        record(1, value=1000.0, reference_date="2024-01-01"),
        record(2, value=1500.0, reference_date="2024-01-08"),
        record(3, value=200.0, reference_date="2024-01-05", scope="part"),
        record(4, value=300.0, reference_date="2024-01-09", scope="part"),
        record(5, value=5000.0, reference_date="2024-02-01", status="projected"),
        record(6, value=6000.0, reference_date="2024-03-01", status="projected"),
    ]
    traces = _points(charts.trend_figure(frame_of(*rows)))
    joined = [trace for trace in traces if "lines" in trace.mode]
    assert [list(trace.customdata) for trace in joined] == [["r1", "r2"]]
    assert [trace.showlegend for trace in traces].count(True) == 1  # one legend entry for the ministry


def test_the_narrow_png_legend_escapes_a_name_once():
    """Was: 'AT&T' showed as 'AT&amp;T' in the narrow PNG, HTML and embed legend (the trace name escaped again)."""
    items = briefing.legend_items(charts.trend_figure(frame_of(record(1, originator="AT&T <Ministry>"))).to_dict())
    assert [item.name for item in items] == ["AT&amp;T &lt;Ministry&gt;"]
    (line,) = briefing.text_legend_lines(items, 200)
    assert "AT&amp;T &lt;Ministry&gt;" in line and "&amp;amp;" not in line and "&amp;lt;" not in line


def test_the_png_legend_names_every_originator(gaza_deaths):
    rows = [record(i, originator=f"Body {i}", reference_date=f"2024-01-{i + 1:02d}") for i in range(10)]
    for width in (600, 1600):
        figure = briefing.briefing_figure(
            charts.trend_figure(frame_of(*rows)), briefing_text.briefing_for(frame_of(*rows), None, "deaths", "Palestine"),
            width=width, height=900,
        )  # fmt: skip
        spec = figure.to_dict()
        shown = " ".join(a.get("text", "") for a in spec["layout"].get("annotations", []))
        named = {trace["name"] for trace in spec["data"] if trace.get("showlegend", True)}
        assert all(f"Body {i}" in (shown if width < briefing.NARROW_WIDTH else " ".join(named)) for i in range(10)), width
        assert "Other sources" not in shown + " ".join(named)


# ---- disagreements -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(
            [
                record(1, value=3785.0, qualifier="at_least", high=None, reference_date="2023-10-19"),
                record(2, value=7028.0, reference_date="2023-10-26"),
            ],
            [],
            id="same-ministry-rising-a-week-apart-is-no-disagreement",
        ),
        pytest.param(
            [record(1, value=20057.0), record(2, value=18000.0, originator=OCHA)],
            [(OCHA, MOH, False)],
            id="two-originators-one-date",
        ),
        pytest.param(
            [
                record(1, value=20057.0, reference_date="2023-12-22"),
                record(2, value=18000.0, originator=OCHA, reference_date="2023-12-27"),
            ],
            [(OCHA, MOH, False)],
            id="two-originators-within-the-window",
        ),
        pytest.param(
            [
                record(1, value=20057.0, reference_date="2023-12-22"),
                record(2, value=18000.0, originator=OCHA, reference_date="2024-01-05"),
            ],
            [],
            id="two-originators-beyond-the-window",
        ),
        pytest.param(
            [record(1, value=20057.0), record(2, value=23000.0, source="AP")],
            [(MOH, MOH, True)],
            id="one-originator-two-figures-one-date",
        ),
        pytest.param(
            [record(1, value=20057.0), record(2, value=20057.0, source="AP"), record(3, value=20057.0, source="DW")],
            [],
            id="one-figure-relayed-thrice",
        ),
        pytest.param(
            [record(1, value=20057.0), record(2, value=20200.0, originator=OCHA)],
            [],
            id="within-the-threshold",
        ),
        pytest.param(
            [record(1, value=20057.0), record(2, value=5000.0, originator=OCHA, scope="part")],
            [],
            id="a-part-is-no-rival-of-the-total",
        ),
        pytest.param(
            [record(1, value=20057.0), record(2, value=50000.0, originator=OCHA, status="projected")],
            [],
            id="a-projection-is-no-rival-of-a-count",
        ),
        pytest.param(
            [record(1, value=20057.0), record(2, value=3000.0, originator=OCHA, measure="period")],
            [],
            id="a-period-is-no-rival-of-a-cumulative",
        ),
        pytest.param(
            [record(1, value=20057.0), record(2, value=900.0, originator=OCHA, outcome="injured")],
            [],
            id="another-outcome",
        ),
        pytest.param(
            [record(1, value=100.0), record(2, value=1000.0, originator=OCHA, qualifier="vague")],
            [],
            id="a-vague-figure-is-no-count",
        ),
    ],
)
def test_disagreements(rows, expected):
    found = disagreements.find_disagreements(frame_of(*rows), window_days=7, threshold=0.05)
    assert [(flag.low_by, flag.high_by, flag.same_originator) for flag in found.flags] == expected
    assert found.count == len(expected)


def test_the_ministrys_own_sample_tolls_are_never_a_disagreement(gaza_deaths):
    """The bug: "7,028 vs at least 3,785, 86% apart" for the same ministry's toll a week apart."""
    found = disagreements.find_disagreements(gaza_deaths, window_days=7, threshold=0.05)
    assert found.count == 0
    assert disagreements.find_disagreements(gaza_deaths, window_days=3650, threshold=0.0).count == 0


def test_a_disagreement_carries_both_records_and_their_relays():
    rows = [
        record(1, value=20057.0, source="AP"),
        record(2, value=20057.0, source="DW"),
        record(3, value=18000.0, originator=OCHA),
    ]
    (flag,) = disagreements.find_disagreements(frame_of(*rows)).flags
    assert (flag.low["value"], flag.high["value"]) == (18000.0, 20057.0)
    assert flag.high_relays == ("AP", "DW") and flag.low_relays == ("Outlet 3",)
    assert flag.kind == "deaths|killed|cumulative|reported|total" and flag.when == "19 October 2023"
    assert round(flag.ratio, 4) == round(2057 / 18000, 4) and flag.days_apart == 0


def test_sources_side_by_side_columns_are_originators(gaza_deaths):
    by = disagreements.by_originator(gaza_deaths)
    assert set(by["source"]) == {MOH} and by["outlet"].nunique() == 12
    (kind, count), *_ = disagreements.kinds_of(gaza_deaths)
    assert (kind, count) == ("deaths|killed|cumulative|reported|total", 14)
    assert origins.kind_label(kind) == "killed"  # the Overview's words: a running total is what a bare "killed" means


# ---- derived changes ------------------------------------------------------------------------------

D = date(2023, 10, 19)


@pytest.mark.parametrize(
    ("values", "offsets", "period", "expected"),
    [
        pytest.param([3785, 7028], [0, 7], "daily", [(7, 3243.0, False)], id="a-week-apart"),
        pytest.param([100, 150, 240], [0, 1, 2], "daily", [(1, 50.0, False), (1, 90.0, False)], id="day-by-day"),
        pytest.param([100, 90, 120], [0, 1, 2], "daily", [(1, -10.0, True), (1, 30.0, False)], id="a-revision"),
        pytest.param([100, 130, 150], [0, 0, 1], "daily", [(1, 20.0, False)], id="the-days-last-figure"),
        pytest.param([100, 110, 170, 200], [0, 2, 7, 9], "weekly", [(7, 90.0, False)], id="weeks-monday-first"),
        pytest.param([100], [0], "daily", [], id="one-figure"),
        pytest.param([100, float("nan"), 120], [0, 1, 2], "daily", [(2, 20.0, False)], id="missing-skipped"),
    ],
)
def test_derived_changes(values, offsets, period, expected):
    days = [D + timedelta(days=offset) for offset in offsets]
    found = changes.derived_changes(days, values, period)
    assert [(change.days, change.delta, change.revision) for change in found] == expected
    assert all(change.count is None for change in found if change.revision)


def test_an_unknown_period_says_what_to_use():
    with pytest.raises(ValueError, match="daily, weekly"):
        changes.derived_changes([D], [1.0], "monthly")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 60), st.integers(0, 100_000)), min_size=1, max_size=40),
    st.sampled_from(["daily", "weekly"]),
)
def test_changes_sum_to_last_minus_first_and_never_show_a_negative_count(points, period):
    points.sort(key=lambda point: point[0])
    days = [D + timedelta(days=offset) for offset, _ in points]
    values = [float(value) for _, value in points]
    found = changes.derived_changes(days, values, period)
    kept = {}
    for day, value in zip(days, values, strict=True):
        kept[changes._bucket(day, period)] = value
    ordered = [kept[key] for key in sorted(kept)]
    assert sum(change.delta for change in found) == ordered[-1] - ordered[0]
    assert all(change.count is None or change.count >= 0 for change in found)
    assert all((change.count is None) == (change.delta < 0) for change in found)
    assert all(change.per(7) is None or change.per(7) >= 0 for change in found)
    assert all(before.end == after.start for before, after in pairwise(found))


def test_series_changes_per_originator_and_kind_marked_derived():
    rows = [
        record(1, value=100.0, reference_date="2024-01-01"),
        record(2, value=90.0, reference_date="2024-01-02"),  # lowered: a revision
        record(3, value=130.0, reference_date="2024-01-04"),
        record(4, value=500.0, reference_date="2024-01-01", originator=OCHA),
        record(5, value=700.0, reference_date="2024-01-03", originator=OCHA, qualifier="at_least", high=None),
        record(6, value=40.0, reference_date="2024-01-03", scope="part"),  # not the running total
        record(7, value=60.0, reference_date="2024-01-04", scope="part"),
    ]
    found = changes.series_changes(frame_of(*rows), "daily")
    assert list(zip(found["series"], found["delta"], found["revision"], strict=True)) == [
        (MOH, -10.0, True),
        (MOH, 40.0, False),
        (OCHA, 200.0, False),
    ]
    table = changes.changes_table(found, "daily")
    assert "revision" in set(table["Change"]) and not any(str(cell).startswith("-") for cell in table["Change"])
    assert all(note.startswith(("Derived", "Revision")) for note in table["Note"])
    assert "approximate" in " ".join(table["Note"])  # OCHA's "at least" end
    figure = change_charts.change_figure(found, "daily", title="t")
    bars = [trace for trace in figure.data if trace.type == "bar"]
    crosses = [trace for trace in figure.data if trace.type == "scatter"]
    assert all(value >= 0 for trace in bars for value in trace.y)
    assert [list(trace.y) for trace in crosses] == [[0]] and "Revision" in crosses[0].hovertext[0]
    assert all("derived" in text for trace in figure.data for text in trace.hovertext)
    assert html.unescape(crosses[0].name) == f"{MOH}: revision"


def test_the_sample_ministry_series_gives_derived_changes(gaza_deaths):
    found = changes.series_changes(gaza_deaths, "weekly")
    assert len(found) == 13 and set(found["series"]) == {MOH}
    assert found["delta"].sum() == 67194.0 - 3785.0
    first = found.iloc[0]
    assert (first["start"], first["end"], first["delta"]) == (date(2023, 10, 19), date(2023, 10, 26), 7028.0 - 3785.0)


def test_the_png_source_line_says_who_counted_before_the_outlets(gaza_deaths):
    line = briefing_text.sources_text(gaza_deaths, None)
    assert line.startswith(f"Counted by {MOH}. Sources: ")
    unstated = frame_of(record(1, originator=None, source="TASS"))
    assert briefing_text.sources_text(unstated, None).startswith("Source: TASS")  # no originator: none claimed


def test_the_outlets_of_a_figure_latest_report_first():
    rows = [
        record(1, source="AP", published="2023-10-19"),
        record(2, source="DW", published="2023-10-20"),
        record(3, source="TASS", value=900.0, raw_value="900"),
        record(4, source="Anadolu", originator=OCHA),
    ]
    assert disagreements.relays_of(frame_of(*rows), MOH, "1,000") == ("DW", "AP")
    assert disagreements.relays_of(frame_of(*rows), OCHA, "900") == ()


def test_the_legend_lists_the_busiest_series_first():
    rows = [record(1, originator=None, source="TASS", reference_date="2023-10-01")]
    rows += [record(i, value=1000.0 + i, reference_date=f"2023-10-{i + 1:02d}") for i in range(2, 5)]
    rows += [record(9, originator=OCHA, reference_date="2023-10-02", value=1.0)]
    legend = [trace.name for trace in charts.trend_figure(frame_of(*rows)).data if trace.showlegend is not False]
    assert legend == [MOH, "TASS (source; originator not stated)", OCHA]  # 3 figures, then 1 each by name


@pytest.mark.parametrize(
    ("series", "cut"), [pytest.param(8, False, id="few-all-named"), pytest.param(60, True, id="many-then-n-more")]
)
def test_the_wide_png_legend_names_what_fits_then_says_how_many_more(series, cut):
    """A PNG cannot scroll: Plotly cut the legend's last entry in half, the rest unseen and unsaid."""
    rows = [
        record(i, originator=None, source=f"Outlet {i:02d}", reference_date=f"2024-{1 + i // 28:02d}-{1 + i % 28:02d}")
        for i in range(series)
    ]
    frame = frame_of(*rows)
    figure = briefing.briefing_figure(
        charts.trend_figure(frame), briefing_text.briefing_for(frame, None, "deaths", "Palestine"), width=1600, height=900
    ).to_dict()
    named = {
        trace["name"] for trace in figure["data"] if trace.get("showlegend", True) and not trace["name"].endswith("(open bound)")
    }
    notes = [a["text"] for a in figure["layout"]["annotations"] if a["text"].startswith("and ")]
    if cut:
        (note,) = notes
        assert 10 < len(named) < series and note.startswith(f"and {series - len(named)} more")
    else:
        assert len(named) == series and not notes


TEXT = st.one_of(st.none(), st.sampled_from(["", " ", "UN OCHA", "UN OCHA ", "WHO", "killed", "total"]))


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(st.tuples(*[TEXT] * 7), max_size=25), dtype=st.sampled_from(["str", "category", "object"]))
def test_labels_and_kinds_from_codes_match_each_row_read_as_text(rows, dtype):
    """series_labels and kind_keys group the columns' codes; each row's own text gives the same label and key."""
    names = ("originator", "source", "indicator", "outcome", "measure", "status", "scope")
    frame = pd.DataFrame({name: pd.Series([row[i] for row in rows], dtype=dtype) for i, name in enumerate(names)})
    values = frame.astype(object).where(frame.notna(), None).to_dict("records")
    assert origins.series_labels(frame).tolist() == [origins.series_label(row["originator"], row["source"]) for row in values]
    assert origins.kind_keys(frame).tolist() == ["|".join((row[name] or "").strip() for name in names[2:]) for row in values]
    codes, labels = origins.series_label_codes(frame)
    assert len(set(labels)) == len(labels) and [labels[code] for code in codes] == origins.series_labels(frame).tolist()
