"""Properties in every language read: any text in French, Spanish or Arabic script, with their digits,
separators, clitics and marks, is read without error, with spans and quotes exact, in linear time."""

from __future__ import annotations

import pytest
import testkit
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors import extract

FRENCH_WORDS = ["Au moins", "plus de", "près de", "personnes", "ont été tuées", "blessés", "déplacés", "qu'au", "l'", "d'",
                "entre", "et", "de", "à", "millions", "Goma", "selon", "l'OCHA", "une vingtaine", "des dizaines", "«", "»"]
SPANISH_WORDS = ["al menos", "más de", "unos", "personas", "muertos", "heridos", "damnificados", "que perdieron sus viviendas",
                 "desplazados", "entre", "y", "mil", "millones", "según", "Bogotá", "decenas", "¿", "¡"]
ARABIC_WORDS = ["قتل", "ما لا يقل عن", "أكثر من", "نحو", "شخصا", "شهيدا", "وأصيب", "جريحا", "نازحين", "لاجئين", "ألف", "آلاف",
                "مليون", "عشرات", "في", "غزة", "وفقا", "قُتلوا", "ـ", "\u200f", "\u200e", "،", "«", "»", "و"]  # fmt: skip
DIGITS = st.sampled_from(["30", "1 250", "1.250.000", "2,5", "٣٠", "١٬٢٥٠", "٢٫٥", "۱۲۳", "64,718", "٨١٦ ألفا و٧٠٠", "3 mil"])


def _texts(words: list[str]) -> st.SearchStrategy[str]:
    piece = st.one_of(st.sampled_from(words), DIGITS, st.sampled_from([" ", " ", ", ", ". ", "\n", ": ", "-"]))
    return st.lists(piece, max_size=40).map(" ".join)


ANY_SCRIPT = st.text(st.characters(codec="utf-8", categories=("L", "M", "N", "P", "Z", "Cf")), max_size=300)


@settings(max_examples=60, deadline=None)
@given(text=st.one_of(_texts(FRENCH_WORDS), _texts(SPANISH_WORDS), _texts(ARABIC_WORDS), ANY_SCRIPT),
       lang=st.sampled_from([None, "fr", "es", "ar", "en"]))  # fmt: skip
def test_any_text_in_any_language_reads_with_exact_spans_and_quotes(text: str, lang: str | None) -> None:
    for record in extract(text, meta={"lang": lang} if lang else None):
        assert text[record.char_start : record.char_end] == record.raw_value
        assert text[record.quote_start : record.quote_start + len(record.quote)] == record.quote
        assert record.quote_start <= record.char_start < record.char_end <= record.quote_start + len(record.quote)
        assert record.low is None or record.high is None or record.low <= record.high


@pytest.mark.parametrize(
    ("lang", "unit"),
    [
        pytest.param("ar", "قُتل ما لا يقل عن ٣٠ شخصـا وأصيب ١٬٢٥٠ آخرون في غزة، وفقا لوزارة الصحة. ", id="arabic"),
        pytest.param("ar", "٨١٦ ألفا و٧٠٠ و" * 3 + " ", id="arabic-joined-numbers"),
        pytest.param("fr", "Au moins 30 personnes ont été tuées, qu'au moins 1 250 déplacés l'ont fui. ", id="french"),
        pytest.param("es", "Al menos 1.250.000 damnificados y treinta y cinco muertos según el saldo. ", id="spanish"),
        pytest.param("ar", "ـ\u0651\u064e" * 40 + " ", id="arabic-marks"),
    ],
)
def test_reading_long_text_is_linear(lang: str, unit: str) -> None:
    small, large = unit * 60, unit * 240
    extract(small, meta={"lang": lang})  # warm the vocabulary
    small_time = max(min(testkit.cpu_seconds(lambda: extract(small, meta={"lang": lang})) for _ in range(2)), 0.005)
    large_time = min(testkit.cpu_seconds(lambda: extract(large, meta={"lang": lang})) for _ in range(2))
    assert large_time / small_time < 8, f"{len(small)} chars {small_time:.3f} s, {len(large)} chars {large_time:.3f} s"
