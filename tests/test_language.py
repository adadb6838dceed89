"""A document's language: the one it states (sidecar, HTML lang, PDF /Lang), else the detected one,
on every record as `lang`."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

from extractors import extract
from extractors.document import DocumentMeta
from extractors.errors import ExtractionWarning
from extractors.language import detect_language, language_code, reading_language
from extractors.loaders import load


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        pytest.param("Strikes killed at least 30 people in Khan Younis, the ministry said.", "en", id="en-sentence"),
        pytest.param("Floods displaced 1,200 families.", "en", id="en-short"),
        pytest.param("Au moins 30 personnes ont été tuées à Goma, selon les autorités.", "fr", id="fr-sentence"),
        pytest.param("Bilan : 12 morts et 40 blessés.", "fr", id="fr-short"),
        pytest.param("Al menos 30 personas murieron en Puerto Príncipe, según las autoridades.", "es", id="es-sentence"),
        pytest.param("Saldo: 12 muertos y 40 heridos.", "es", id="es-short"),
        pytest.param("قتل ما لا يقل عن 30 شخصا في غزة وفقا لوزارة الصحة.", "ar", id="ar-sentence"),
        pytest.param("٣٠ قتيلا", "ar", id="ar-short-arabic-digits"),
        pytest.param("12 345 — 2024", "en", id="no-letters-english"),
    ],
)
def test_the_language_is_detected_from_short_texts(text: str, lang: str) -> None:
    assert detect_language(text) == lang


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        pytest.param("fr", "fr", id="code"),
        pytest.param("fr-FR", "fr", id="region"),
        pytest.param(" es_419 ", "es", id="underscore-and-spaces"),
        pytest.param("AR", "ar", id="upper-case"),
        pytest.param("french", None, id="a-name-is-no-code"),
        pytest.param("", None, id="empty"),
        pytest.param(7, None, id="not-text"),
    ],
)
def test_language_tags_give_their_iso_639_1_code(tag: object, code: str | None) -> None:
    assert language_code(tag) == code


def test_a_stated_language_wins_over_detection_and_reaches_every_record() -> None:
    text = "Strikes killed at least 30 people."
    assert {record.lang for record in extract(text)} == {"en"}
    assert {record.lang for record in extract(text, meta={"lang": "en-GB"})} == {"en"}
    # A language without a vocabulary is recorded as stated and read with English's.
    assert reading_language("de") == "en"
    assert [(record.value, record.lang) for record in extract(text, meta={"lang": "de"})] == [(30.0, "de")]


def test_a_malformed_stated_language_is_dropped_with_a_warning() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        meta = DocumentMeta.from_mapping({"lang": "Français"})
    assert meta.lang is None
    assert [issubclass(warning.category, ExtractionWarning) for warning in caught] == [True]
    assert "ISO 639-1" in str(caught[0].message)


@pytest.mark.parametrize(
    ("sidecar", "lang"),
    [
        pytest.param(None, "fr", id="html-lang-attribute"),
        pytest.param({"lang": "es"}, "es", id="sidecar-wins"),
    ],
)
def test_html_lang_and_sidecar_state_the_language(tmp_path: Path, sidecar: dict | None, lang: str) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        '<!DOCTYPE html><html lang="fr-FR"><head><title>Crise</title></head><body><article>'
        "<p>Strikes killed at least 30 people in the north of the country on Monday.</p></article></body></html>",
        encoding="utf-8",
    )
    if sidecar is not None:
        (tmp_path / "page.meta.json").write_text(json.dumps(sidecar), encoding="utf-8")
    assert load(page).meta.lang == lang


def test_a_document_mixing_languages_is_read_in_its_main_language() -> None:
    text = (
        "Goma : au moins 30 personnes ont été tuées lundi, selon les autorités provinciales.\n\n"
        "Plus de 4 700 personnes ont été déplacées vers les sites autour de la ville, a indiqué l'OCHA.\n\n"
        "« Strikes killed 12 people overnight », a écrit une agence de presse anglophone.\n\n"
        "Les hôpitaux de la ville ont reçu 70 blessés dans la journée."
    )
    records = extract(text)
    assert {record.lang for record in records} == {"fr"}
    assert [(record.indicator, record.value) for record in records if record.raw_value != "12"] == [
        ("deaths", 30.0), ("displaced", 4700.0), ("injured", 70.0)
    ]
