"""The embed URL, the iframe snippet and reading an embed URL back (pure parts; the browser test is separate)."""

from __future__ import annotations

import html
import re
from datetime import date
from urllib.parse import parse_qsl, urlsplit

import pytest

from dashboard.exports import embed
from dashboard.model.filters import FilterChoices, Filters


@pytest.mark.parametrize(
    ("base", "filters", "expected"),
    [
        ("http://127.0.0.1:8501/", Filters(indicators=("deaths",), locations=("PSE",)),
         "http://127.0.0.1:8501/?embed=true&view=trend&indicator=deaths&location=PSE"),
        ("https://dash.example.org", Filters(indicators=("deaths",)), "https://dash.example.org/?embed=true&view=trend&indicator=deaths"),
        ("https://x.org/dash/?indicator=injured#top", Filters(), "https://x.org/dash/?embed=true&view=trend"),
        ("HTTPS://x.org/dash", {"indicator": ["deaths"], "doc": "abc", "q": "a&b=c"},
         "https://x.org/dash/?embed=true&view=trend&indicator=deaths&q=a%26b%3Dc"),
        ("http://h/", Filters(locations=("Palestine", "Sudan"), date_from=date(2024, 1, 1), search="<script>"),
         "http://h/?embed=true&view=trend&location=Palestine&location=Sudan&from=2024-01-01&q=%3Cscript%3E"),
    ],
)  # fmt: skip
def test_embed_url(base, filters, expected):
    assert embed.embed_url(base, filters, "trend") == expected


@pytest.mark.parametrize(
    "base", ["javascript:alert(1)", "data:text/html,x", "ftp://x.org/", "//x.org/", "http://x.org/a b", 'http://x.org/"><b>']
)
def test_embed_url_refuses_other_than_http(base):
    with pytest.raises(ValueError):
        embed.embed_url(base, Filters(), "trend")


def test_embed_url_refuses_an_unknown_view():
    with pytest.raises(ValueError):
        embed.embed_url("http://h/", Filters(), "overview")


@pytest.mark.parametrize(
    ("url", "root"),
    [
        ("http://127.0.0.1:8501/trends", "http://127.0.0.1:8501/"),
        ("http://127.0.0.1:8501/", "http://127.0.0.1:8501/"),
        ("https://x.org/dash/records/", "https://x.org/dash/"),
        ("https://x.org/dash", "https://x.org/dash/"),
    ],
)
def test_app_root(url, root):
    assert embed.app_root(url) == root


SNIPPET = re.compile(r'^<iframe( [a-z]+="[^"<>]*")+></iframe>$')


@pytest.mark.parametrize(
    "title",
    ['Deaths — Palestine', 'A "quoted" <b>title</b> & more', "<script>alert(1)</script>", "  spaced\n\ttitle  ", ""],
)  # fmt: skip
def test_iframe_snippet_escapes_its_attributes(title):
    url = embed.embed_url(
        "http://127.0.0.1:8501/", Filters(indicators=("deaths",), locations=("PSE",), search='"><script>'), "trend"
    )
    snippet = embed.iframe_snippet(url, title=title, width=700, height=560)
    assert SNIPPET.match(snippet), snippet
    attributes = dict(re.findall(r' ([a-z]+)="([^"]*)"', snippet))
    assert html.unescape(attributes["src"]) == url
    assert html.unescape(attributes["title"]) == (" ".join(title.split()) or "Chart")
    assert (attributes["width"], attributes["height"]) == ("700", "560")
    assert attributes["sandbox"] == embed.SANDBOX and "allow-top-navigation" not in attributes["sandbox"]
    assert "<script" not in snippet


@pytest.mark.parametrize(("width", "height"), [("100%", 480), (640, "50%")])
def test_iframe_snippet_sizes(width, height):
    snippet = embed.iframe_snippet("https://x.org/?embed=true&view=trend", title="t", width=width, height=height)
    assert f'width="{width}"' in snippet and f'height="{height}"' in snippet


@pytest.mark.parametrize(
    ("url", "width", "height"),
    [
        ("javascript:alert(1)", 600, 400),
        ("https://x.org/", "100px; onload=alert(1)", 400),
        ("https://x.org/", 600, '400" onload="alert(1)'),
    ],
)
def test_iframe_snippet_refuses_bad_values(url, width, height):
    with pytest.raises(ValueError):
        embed.iframe_snippet(url, title="t", width=width, height=height)


@pytest.mark.parametrize(
    ("query", "indicator", "location", "notes"),
    [
        ("view=trend&indicator=deaths&location=PSE", "deaths", "Palestine", 0),
        ("view=trend&indicator=deaths&location=pse", "deaths", "Palestine", 0),
        ("view=trend&indicator=displaced&location=Sudan&from=2024-01-01", "displaced", "Sudan", 0),
        ("view=trend&indicator=deaths", "deaths", "Palestine", 0),
        ("view=trend", None, None, 0),
        ("view=trend&indicator=bogus&location=Mars&from=2024-13-45", None, None, 3),
        ("view=bogus&indicator=deaths&location=PSE&height=abc", "deaths", "Palestine", 2),  # view=map is the Map page now
    ],
)
def test_parse_embed_request(corpus_dataset, query, indicator, location, notes):
    params: dict[str, list[str]] = {}
    for name, value in parse_qsl(query):
        params.setdefault(name, []).append(value)
    request = embed.parse_embed_request(params, corpus_dataset.records, FilterChoices.of(corpus_dataset))
    assert request.view == "trend"
    if indicator is not None:
        assert (request.indicator, request.location) == (indicator, location)
        assert request.filters.indicators == (indicator,) and request.filters.locations == (location,)
    else:
        assert request.indicator is not None and request.location is not None  # the most reported chart
    assert len(request.notes) == notes, request.notes


def test_embed_url_round_trips_through_parse(corpus_dataset):
    filters = Filters(indicators=("deaths",), locations=("PSE",), date_from=date(2024, 1, 1), date_to=date(2025, 6, 30))
    url = embed.embed_url("http://h/", filters, "trend", height=700)
    params: dict[str, list[str]] = {}
    for name, value in parse_qsl(urlsplit(url).query):
        if name != "embed":  # Streamlit keeps embed out of st.query_params
            params.setdefault(name, []).append(value)
    request = embed.parse_embed_request(params, corpus_dataset.records, FilterChoices.of(corpus_dataset))
    assert (request.indicator, request.location, request.height, request.notes) == ("deaths", "Palestine", 700, [])
    assert (request.filters.date_from, request.filters.date_to) == (date(2024, 1, 1), date(2025, 6, 30))
