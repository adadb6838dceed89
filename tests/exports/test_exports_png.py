"""PNG export on the server: kaleido driving Debian's Chromium, kept warm between exports."""

from __future__ import annotations

import time
from datetime import date

import pytest
from exports_testkit import image_stats, png_dimensions

from dashboard.charts import charts
from dashboard.exports import briefing, briefing_text, chart_files, file_names
from dashboard.model.filters import Filters

SIZES = [pytest.param(1600, 900, id="slide-1600x900"), pytest.param(600, 500, id="column-600x500")]
CHARTS = [("deaths", "Palestine"), ("displaced", "Sudan"), ("aid_worker_casualties", "Palestine")]


@pytest.mark.parametrize(("width", "height"), SIZES)
@pytest.mark.parametrize(("indicator", "location"), CHARTS, ids=[f"{i}-{loc}" for i, loc in CHARTS])
def test_briefing_png_is_a_real_image_of_the_expected_size(png_renderer, corpus_records, indicator, location, width, height):
    figure = briefing.briefing_chart(
        corpus_records, Filters(), indicator, location, extracted=date(2025, 11, 25), width=width, height=height
    )
    content = png_renderer.png(figure, width=width, height=height, scale=2)
    assert png_dimensions(content) == (width * 2, height * 2)
    assert chart_files.png_size(content) == (width * 2, height * 2)
    colours, inked = image_stats(content)
    assert colours >= 200, f"only {colours} colours: a blank or broken image"
    assert 0.02 <= inked <= 0.6, f"{inked:.1%} of the pixels are not white"


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(
            lambda records: charts.trend_figure(briefing_text.select_chart_records(records, "famine_exposure", "Sudan")), id="trend_figure"
        ),
        pytest.param(lambda records: charts.empty_figure("No dated figures match the filters."), id="empty_figure"),
    ],
)
def test_the_dashboards_own_figures_export_as_is(png_renderer, corpus_records, make):
    content = png_renderer.png(make(corpus_records), width=700, height=450, scale=1)
    assert png_dimensions(content) == (700, 450)
    assert image_stats(content)[0] >= 20


def test_the_browser_stays_warm(png_renderer, corpus_records):
    figure = briefing.briefing_chart(corpus_records, Filters(), "injured", "Palestine", width=600, height=500)
    png_renderer.png(figure, width=600, height=500, scale=1)
    assert png_renderer.is_open
    started = time.perf_counter()
    for _ in range(2):
        png_renderer.png(figure, width=600, height=500, scale=1)
    assert png_renderer.is_open
    assert (time.perf_counter() - started) / 2 < 15  # a warm export does not start a browser (cold takes longer here)


def test_png_bytes_uses_the_shared_renderer(png_renderer, corpus_records):
    figure = briefing.briefing_chart(corpus_records, Filters(), "deaths", "Ukraine", width=600, height=500)
    content = chart_files.png_bytes(figure, width=600, height=500, scale=1, browser_path=png_renderer.browser_path)
    assert png_dimensions(content) == (600, 500)
    assert chart_files.renderer(png_renderer.browser_path) is png_renderer


def test_a_missing_browser_is_a_clear_error(tmp_path):
    renderer = chart_files.PngRenderer(str(tmp_path / "no-chromium"))
    with pytest.raises(chart_files.ExportError, match="Chromium"):
        renderer.png({"data": [], "layout": {}}, width=100, height=100)
    assert not renderer.is_open


@pytest.mark.parametrize(
    ("filters", "kwargs", "filename"),
    [
        (Filters(indicators=("deaths",), locations=("Palestine",)), {}, "deaths-Palestine"),
        (Filters(date_to=date(2024, 12, 31)), {"indicator": "displaced", "location": "Sudan"}, "displaced-Sudan-2024-12-31"),
        (Filters(), {}, "chart"),
        (Filters(), {"indicator": "deaths", "location": "Côte d'Ivoire / <x>"}, "deaths-C-te-d-Ivoire-x"),
    ],
)
def test_chart_config_names_the_toolbar_png(corpus_records, filters, kwargs, filename):
    config = file_names.chart_config(filters, **kwargs)
    options = config["toImageButtonOptions"]
    assert options["filename"] == filename and options["format"] == "png" and options["scale"] == 2
    assert config["displaylogo"] is False


def test_chart_config_names_the_png_after_the_location_code_and_the_latest_figure(corpus_records):
    subset = briefing_text.select_chart_records(corpus_records, "deaths", "Palestine")
    config = file_names.chart_config(Filters(), indicator="deaths", location="Palestine", records=subset)
    latest = subset["date"].max().date().isoformat()
    assert config["toImageButtonOptions"]["filename"] == f"deaths-PSE-{latest}"
    assert file_names.chart_name(subset, "deaths", "Palestine") == f"deaths-PSE-{latest}"


@pytest.mark.parametrize(
    ("indicator", "location", "date_to"),
    [
        ("deaths", "Palestine", None),
        ("deaths", "Palestine", date(2020, 1, 1)),
        ("displaced", "Sudan", None),
        ("deaths", "Atlantis", date(2024, 12, 31)),  # no records: the filters' end date names it
    ],
    ids=["palestine", "palestine-with-end-date", "sudan", "no-records"],
)
def test_a_chart_naming_worked_out_once_names_files_as_before(corpus_records, indicator, location, date_to):
    subset = briefing_text.select_chart_records(corpus_records, indicator, location)
    naming = file_names.chart_naming(subset, location)
    filters = Filters(date_to=date_to)
    assert file_names.chart_config(filters, indicator=indicator, location=location, records=subset, naming=naming) == (
        file_names.chart_config(filters, indicator=indicator, location=location, records=subset)
    )
    assert file_names.chart_name(subset, indicator, location, naming) == file_names.chart_name(subset, indicator, location)
    assert naming.code == ("PSE" if location == "Palestine" else "SDN" if location == "Sudan" else location)
