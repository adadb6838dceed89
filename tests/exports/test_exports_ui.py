"""The Streamlit side (dashboard/ui/exports_ui.py) through AppTest: download buttons, the Embed panel, the embed page."""

from __future__ import annotations

import json
import re

import pytest
from exports_testkit import REPO
from streamlit.testing.v1 import AppTest

from dashboard.exports import embed
from dashboard.exports.formats import RECORD_FORMATS

TIMEOUT = 60
SCRIPT = """
import sys
sys.path.insert(0, {repo!r})
import streamlit as st
from dashboard.ui import exports_ui, ui
from dashboard.model.filters import Filters

url, fingerprint, dataset = ui.store_ui()
view = ui.make_view(url, fingerprint, dataset, Filters())
if st.query_params.get("mode") == "embed":
    exports_ui.embed_page_ui(url, fingerprint, dataset)
else:
    for indicator, location in (("deaths", "Palestine"), ("famine_exposure", "Palestine")):
        figure = ui.trend_cached(view.key, indicator, location, view)
        st.plotly_chart(figure, config=exports_ui.chart_config_ui(view, indicator, location), key=f"chart-{{indicator}}")
        exports_ui.chart_downloads_ui(view, indicator, location, key=f"trend-{{indicator}}")
    exports_ui.records_downloads_ui(view)
"""


@pytest.fixture
def app_script(tmp_path, test_store, monkeypatch) -> str:
    monkeypatch.setenv("DATABASE_URL", test_store)
    monkeypatch.setattr("sys.argv", ["app.py"])
    path = tmp_path / "exports_app.py"
    path.write_text(SCRIPT.format(repo=str(REPO)), encoding="utf-8")
    return str(path)


def opened_panels(app_script: str) -> AppTest:
    """The app run with every chart's 'Download or embed' panel opened (what a click on each does: a rerun)."""
    at = AppTest.from_file(app_script, default_timeout=TIMEOUT).run()
    assert not at.exception, [e.value for e in at.exception]
    assert [button.proto.label for button in at.get("download_button")] == [format_.label for format_ in RECORD_FORMATS]
    assert not at.code  # closed panels are not filled
    for indicator in ("deaths", "famine_exposure"):
        at.session_state[f"trend-{indicator}-popover"] = True
    return at.run()


def test_download_buttons_and_the_embed_panel(app_script):
    at = opened_panels(app_script)
    assert not at.exception, [e.value for e in at.exception]
    buttons = at.get("download_button")
    labels = [button.proto.label for button in buttons]
    assert labels.count("PNG for a slide (1600×900)") == 2 and labels.count("Interactive HTML (works offline)") == 2
    assert {"CSV", "HXL CSV", "JSON lines", "Data package (zip)"} <= set(labels)
    codes = [block.value for block in at.code]
    assert len(codes) == 2 and all(code.startswith("<iframe ") and 'sandbox="' in code for code in codes)
    assert "view=trend&amp;indicator=deaths&amp;location=PSE" in codes[0]
    configs = [json.loads(chart.proto.config) for chart in at.get("plotly_chart")]
    names = [config["toImageButtonOptions"]["filename"] for config in configs]
    assert names[0].startswith("deaths-PSE-") and names[1].startswith("famine_exposure-PSE-")



def test_the_buttons_read_the_formats_table(app_script):
    """Words, icons and tooltips from dashboard/exports/formats.py: the records' buttons in the table's order."""
    at = opened_panels(app_script)
    assert not at.exception, [e.value for e in at.exception]
    buttons = [button.proto for button in at.get("download_button")]
    assert [button.label for button in buttons[-len(RECORD_FORMATS) :]] == [format_.label for format_ in RECORD_FORMATS]
    assert [button.icon for button in buttons[-len(RECORD_FORMATS) :]] == [format_.icon for format_ in RECORD_FORMATS]
    chart_data = [button for button in buttons if button.label in ("Data (CSV)", "Data (HXL CSV)")]
    assert len(chart_data) == 4 and all(button.help.startswith("The records behind this chart: ") for button in chart_data)
    assert [button.help for button in buttons if button.label.startswith("PNG for a ")][:2] == ["3200×1800 pixels", "1200×1000 pixels"]

def test_the_embed_page_shows_only_the_briefing_chart(app_script):
    at = AppTest.from_file(app_script, default_timeout=TIMEOUT)
    at.query_params.update({"mode": "embed", "view": "trend", "indicator": "deaths", "location": "PSE"})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    charts = at.get("plotly_chart")
    # One chart per layout width, the page's CSS showing the one that fits the iframe (see embed.layout_css).
    assert len(charts) == len(embed.LAYOUT_WIDTHS)
    longest_lines = []
    for chart in charts:
        spec = json.loads(chart.proto.spec)
        assert "Deaths — Palestine" in spec["layout"]["title"]["text"]
        notes = " ".join(annotation.get("text", "") for annotation in spec["layout"]["annotations"])
        assert "Sources:" in notes and "extracted on" in notes
        assert any(trace.get("hovertext") for trace in spec["data"])
        assert spec["layout"]["autosize"] and "width" not in spec["layout"]  # each fills its frame
        lines = [line for annotation in spec["layout"]["annotations"] for line in annotation.get("text", "").split("<br>")]
        longest_lines.append(max(len(re.sub(r"<[^>]+>", "", line)) for line in lines))
    assert longest_lines == sorted(longest_lines) and longest_lines[0] < longest_lines[-1] / 1.5  # narrower, shorter lines
    assert "st-key-embed-layout-300" in " ".join(str(element.proto) for element in at.get("html"))
    assert not at.get("download_button") and not at.sidebar.children
