"""Standalone HTML of a chart: plotly.js inline, no network, tooltips that show hostile text as text."""

from __future__ import annotations

import re
from datetime import date

import pytest
from exports_testkit import HOSTILE_QUOTE_PART, hover_until

from dashboard.exports import briefing, briefing_text, chart_files, file_names
from dashboard.model.filters import Filters


@pytest.fixture(scope="module")
def hostile_html(hostile_records, corpus_records) -> str:
    import pandas as pd

    records = pd.concat([briefing_text.select_chart_records(corpus_records, "deaths", "Palestine"), hostile_records], ignore_index=True)
    records["location_label"] = records["location_label"].astype(str)
    figure, narrow = briefing.responsive_briefing(records, Filters(), "deaths", "Palestine", extracted=date(2025, 11, 25))
    config = file_names.chart_config(Filters(), indicator="deaths", location="Palestine", records=records)
    return chart_files.standalone_html(
        figure,
        title="Deaths — Palestine <script>alert(1)</script>",
        config=config,
        footer="Source <b>x</b>",
        narrow_layout=narrow,
    )


def test_plotly_js_is_inline_and_nothing_is_fetched(hostile_html):
    import plotly

    bundled = plotly.__file__.rsplit("/", 1)[0] + "/package_data/plotly.min.js"
    with open(bundled, encoding="utf-8") as handle:
        head = handle.read(300)
    assert head[:200] in hostile_html, "the bundled plotly.js must be inside the page"
    assert len(hostile_html) > 3_000_000
    assert not re.search(r"<script[^>]*\ssrc\s*=", hostile_html, re.IGNORECASE)
    assert not re.search(r"<link[^>]*\shref\s*=\s*[\"']?https?:", hostile_html, re.IGNORECASE)
    assert "cdn.plot.ly" not in hostile_html.split("<script", 1)[0]


def test_hostile_text_is_escaped(hostile_html):
    assert HOSTILE_QUOTE_PART not in hostile_html
    assert "<script>alert(1)</script>" not in hostile_html
    assert "<title>Deaths — Palestine &lt;script&gt;alert(1)&lt;/script&gt;</title>" in hostile_html
    assert "Source &lt;b&gt;x&lt;/b&gt;" in hostile_html
    assert "&lt;img src=x onerror=alert(1)&gt;" in hostile_html  # in the tooltip, as text (JSON-escaped by Plotly)


def test_the_page_works_offline_with_its_tooltips(page, hostile_html, tmp_path):
    path = tmp_path / "chart.html"
    path.write_text(hostile_html, encoding="utf-8")
    requests: list[str] = []

    def block(route):
        requests.append(route.request.url)
        route.abort()

    page.route(re.compile(r"^(https?|wss?)://"), block)
    page.goto(path.as_uri())
    page.wait_for_selector(".js-plotly-plot .scatterlayer .trace .points path")
    assert "Deaths — Palestine" in (page.locator(".gtitle").first.text_content() or "")
    notes = "".join(page.locator(".annotation-text").all_text_contents()).replace(" ", "")
    assert "extractedon25November2025" in notes  # lines are separate tspans: compare without spaces
    label = hover_until(page, "57,575")
    assert HOSTILE_QUOTE_PART in label, label
    assert page.locator(".hoverlayer img").count() == 0
    assert requests == []


@pytest.mark.parametrize(("viewport", "narrow"), [(1200, False), (560, True)])
def test_the_page_fits_wide_and_narrow_screens(page, hostile_html, tmp_path, viewport, narrow):
    path = tmp_path / "chart.html"
    path.write_text(hostile_html, encoding="utf-8")
    page.set_viewport_size({"width": viewport, "height": 900})
    page.goto(path.as_uri())
    page.wait_for_selector(".js-plotly-plot .scatterlayer .trace .points path")
    page.wait_for_function(f"document.querySelector('.js-plotly-plot').dataset.briefing === '{'narrow' if narrow else 'wide'}'")
    notes = " ".join(page.locator(".annotation-text").all_text_contents())
    assert ("■ Gaza Ministry of Health" in notes) == narrow  # the narrow layout's text legend: who counted, not the outlet
    assert (page.locator(".legend").count() > 0) != narrow
    page.set_viewport_size({"width": 1800 if narrow else 500, "height": 900})
    page.wait_for_function(f"document.querySelector('.js-plotly-plot').dataset.briefing === '{'wide' if narrow else 'narrow'}'")
