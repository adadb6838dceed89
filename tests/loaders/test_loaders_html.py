"""HTML pages: the article's text only, paragraphs kept, and the page's own metadata."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors import extract
from extractors.loaders import HTML, NoTextFound, load

GAZA_FIGURE = "Israeli strikes have killed at least 57,575 Palestinians, the Gaza health ministry said."


@pytest.mark.parametrize(
    ("name", "kept", "dropped"),
    [
        (
            "gaza_news.html",
            [GAZA_FIGURE, "136,879 people had been wounded", "about 1.9 million people"],
            [
                "Middle East",  # navigation
                "Live: 24 hours",
                "Advertisement",  # ad label, banner and the ad inside the article
                "1,000,000 dollars",
                "Cheap flights",
                "Most read",  # sidebar
                "Floods kill 12",
                "90,000",  # comments
                "300 people died",
                "All rights reserved",  # footer
                "cookies",
                "deaths = 99999",  # script
                "By Staff Reporter",
            ],
        ),
        (
            "comment_figures.html",
            ["Teachers in the southern city of Khan Younis reopened classrooms"],
            ["300 people", "1,200", "40,000", "comments", "Post comment"],
        ),
        (
            "sudan_jsonld.htm",
            ["have killed at least 782 civilians", "more than 450,000 people had fled"],
            ["5,000 people died", "Floods kill 12", "@context"],
        ),
    ],
)
def test_main_text_only(documents: Path, name: str, kept: list[str], dropped: list[str]) -> None:
    document = load(documents / name)
    assert document.content_type == HTML
    for text in kept:
        assert text in document.text
    for text in dropped:
        assert text not in document.text


@pytest.mark.parametrize(
    ("name", "title", "publisher", "url", "published"),
    [
        (
            "gaza_news.html",
            "Gaza death toll passes 57,000, health ministry says",
            "Example News",
            "https://news.example.org/world/middle-east/gaza-death-toll-57000",
            "2025-07-12",  # article:published_time, not the modified time
        ),
        (
            "comment_figures.html",
            "Schools reopen in tents as pupils return to class in Khan Younis",
            "Example News",
            "https://news.example.org/world/middle-east/gaza-tent-schools",
            "2025-08-03",
        ),
        (  # JSON-LD only: headline, publisher name, datePublished
            "sudan_jsonld.htm",
            "Fighting in El Fasher forces thousands to flee",
            "Example Wire Service",
            "https://wire.example.net/africa/sudan-el-fasher-clashes",
            "2024-06-14",
        ),
    ],
)
def test_metadata(documents: Path, name: str, title: str, publisher: str, url: str, published: str) -> None:
    document = load(documents / name)
    meta = document.meta
    assert (meta.doc, meta.title, meta.publisher, meta.url, meta.published) == (name, title, publisher, url, published)
    assert document.pages == ()
    assert document.page_of(0) is None


def test_paragraphs_are_separated_by_blank_lines(documents: Path) -> None:
    text = load(documents / "gaza_news.html").text
    paragraphs = text.split("\n\n")
    assert paragraphs[0] == GAZA_FIGURE
    assert len(paragraphs) == 4
    assert "\n" not in "".join(paragraphs)


def test_figure_sentence_is_extracted_with_its_provenance(documents: Path) -> None:
    document = load(documents / "gaza_news.html")
    records = extract(document.text, meta=document.meta)
    deaths = [r for r in records if r.indicator == "deaths"]
    assert [(r.value, r.qualifier, r.attribution) for r in deaths] == [(57575.0, "at_least", "the Gaza health ministry")]
    record = deaths[0]
    assert document.text[record.char_start : record.char_end] == record.raw_value == "57,575"
    assert (record.source, record.url, record.published) == (
        "Example News",
        "https://news.example.org/world/middle-east/gaza-death-toll-57000",
        "2025-07-12",
    )


def test_figures_only_in_comments_are_not_extracted(documents: Path) -> None:
    document = load(documents / "comment_figures.html")
    assert extract(document.text, meta=document.meta) == []


def test_sidecar_overrides_the_page_key_by_key(documents: Path, tmp_path: Path) -> None:
    page = tmp_path / "gaza.html"
    page.write_bytes((documents / "gaza_news.html").read_bytes())
    sidecar = {"publisher": "Example Wire", "published": "2025-07-13", "title": None, "kind": "summary"}
    (tmp_path / "gaza.meta.json").write_text(json.dumps(sidecar), encoding="utf-8")
    meta = load(page).meta
    assert meta.publisher == "Example Wire"  # the sidecar wins
    assert meta.published == "2025-07-13"
    assert meta.kind == "summary"
    assert meta.title == "Gaza death toll passes 57,000, health ministry says"  # null: the page's own value stays
    assert meta.url == "https://news.example.org/world/middle-east/gaza-death-toll-57000"  # absent: the page's
    assert meta.doc == "gaza.html"


ARTICLE = "<p>{}</p>".format(
    "Fighting in the province has killed at least 120 people this week, the Red Cross said on Friday, "
    "and thousands of families have left their villages for the provincial capital."
)


@pytest.mark.parametrize(
    ("markup", "encoding", "expected"),
    [
        (  # declared in a meta tag, not UTF-8
            '<!DOCTYPE html><html><head><meta charset="windows-1252"><title>Côte d’Ivoire</title></head>'
            "<body><article><h1>Côte d’Ivoire</h1>{}<p>Officials in Côte d’Ivoire said aid was on its way to "
            "the displaced families, who were sheltering in schools and churches.</p></article></body></html>",
            "cp1252",
            "Côte d’Ivoire said aid",
        ),
        (  # UTF-8 with a BOM, no declaration, no doctype
            "\ufeff<html><head><title>Crise</title></head><body><article>{}<p>Des milliers de familles déplacées "
            "ont trouvé refuge dans des écoles de la capitale provinciale.</p></article></body></html>",
            "utf-8",
            "déplacées",
        ),
    ],
)
def test_encodings(tmp_path: Path, markup: str, encoding: str, expected: str) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(markup.format(ARTICLE).encode(encoding))
    text = load(path).text
    assert expected in text
    assert "\ufffd" not in text and "\ufeff" not in text


def test_page_without_an_article_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"  # a page that JavaScript fills in
    path.write_text(
        '<!DOCTYPE html><html><head><title>App</title></head><body><div id="root"></div>'
        '<script src="/app.js"></script></body></html>'
    )
    with pytest.raises(NoTextFound, match=r"empty\.html: found no article text"):
        load(path)


def test_lists_tables_and_line_breaks(tmp_path: Path) -> None:
    path = tmp_path / "key-figures.html"
    path.write_text(
        "<!DOCTYPE html><html><head><title>Key figures</title></head><body><article>"
        "<p>The conflict has displaced millions of people across the region since fighting began last spring, "
        "the UN said on Monday.</p><h2>Casualties</h2>"
        "<ul><li>At least 782 people killed in North Darfur</li><li>1,640 cholera deaths<br>since last year</li></ul>"
        "<table><tr><th>Region</th><th>Displaced</th></tr><tr><td>North Darfur</td><td>450,000</td></tr></table>"
        "<p>Aid workers said the numbers were likely to rise as access improved in the coming weeks.</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    assert load(path).text.split("\n\n") == [
        "The conflict has displaced millions of people across the region since fighting began last spring, the UN said on Monday.",
        "Casualties",
        "- At least 782 people killed in North Darfur",
        "- 1,640 cholera deaths\nsince last year",  # a <br> is a line break, not a new paragraph
        "| Region | Displaced |",  # one block a table row, without the |---| rule
        "| North Darfur | 450,000 |",
        "Aid workers said the numbers were likely to rise as access improved in the coming weeks.",
    ]
