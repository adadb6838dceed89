"""Phrase tables per language: French, Spanish and Arabic sentences in the styles of their reports,
and what the extractor reads in them. Written for these tests, not copied from reports."""

from __future__ import annotations

import pytest

from extractors import extract


def _read(text: str, lang: str) -> list[tuple[str, float, str]]:
    records = extract(text, meta={"lang": lang})
    for record in records:
        assert text[record.char_start : record.char_end] == record.raw_value, "a span points at its figure"
        assert text[record.quote_start : record.quote_start + len(record.quote)] == record.quote, "quotes as written"
        assert record.lang == lang
    return [(record.indicator, record.value, record.qualifier) for record in records]


FRENCH = [
    ("Au moins 30 personnes ont été tuées et 70 blessées lundi à Goma.", [("deaths", 30, "at_least"), ("injured", 70, "exact")]),
    ("Les frappes ont fait 558 morts, a annoncé le ministère.", [("deaths", 558, "exact")]),
    ("Près de 100.000 civils ont fui les combats.", [("displaced", 100_000, "approx")]),
    ("Plus de 1,8 million de personnes déplacées internes.", [("displaced", 1_800_000, "more_than")]),
    ("Le bilan s'élève à 2 464 morts et 11 530 blessés.", [("deaths", 2464, "exact"), ("injured", 11_530, "exact")]),
    ("La guerre de 2006 avait fait entre 10 000 et 11 000 blessés.", [("injured", 10_000, "range")]),
    ("« De 1 000 à 1 500 réfugiés arrivent », selon le HCR.", [("displaced", 1000, "range")]),
    ("L'attaque a blessé une vingtaine de personnes.", [("injured", 20, "approx")]),
    ("Des dizaines de personnes ont été évacuées.", [("displaced", 20, "vague")]),
    ("Trente-cinq civils ont été tués.", [("deaths", 35, "exact")]),
    ("Les frappes ont fait 558 morts, dont 50 enfants et 94 femmes.", [("deaths", 558, "exact"), ("deaths", 50, "exact"), ("deaths", 94, "exact")]),
    ("Selon l'OCHA, qu'au moins 12 personnes ont péri.", [("deaths", 12, "at_least")]),
    ("Le 20 octobre 2018, onze civils ont été tués.", [("deaths", 11, "exact")]),
    ("Une bombe a touché le marché ; un chiffre de 40 000 personnes affectées est avancé.", []),
    ("La province compte 2,2 millions d'habitants.", []),
]

SPANISH = [
    ("Al menos 14 muertos y más de 20 heridos dejó el temporal.", [("deaths", 14, "at_least"), ("injured", 20, "more_than")]),
    ("La tormenta deja 135 muertos en Centroamérica.", [("deaths", 135, "exact")]),
    ("Unas 80 personas fueron evacuadas en México.", [("displaced", 80, "approx")]),
    ("La OIM registraba 9.258.273 desplazados internos.", [("displaced", 9_258_273, "exact")]),
    ("Otras 3,4 millones de personas padecen inseguridad alimentaria aguda.", [("food_insecurity", 3_400_000, "exact")]),
    ("Entre 28 y 30 cadáveres han ingresado a la morgue.", [("deaths", 28, "range")]),
    ("Los ataques han matado a 415 personas desde el 10 de octubre.", [("deaths", 415, "exact")]),
    ("Miles de evacuados permanecen en albergues.", [("displaced", 2000, "vague")]),
    ("Treinta y cinco personas murieron.", [("deaths", 35, "exact")]),
    ("Se registran 7223 damnificados que perdieron sus viviendas.", [("displaced", 7223, "exact")]),
    ("Se registran 47.000 damnificados en la región.", []),
    ("Un hombre murió el 7 de octubre.", []),
    ("Unas 124,000 personas fueron desplazadas.", [("displaced", 124_000, "approx")]),
    ("Los muertos en Gaza superan los 50.000 desde el inicio de la guerra.", [("deaths", 50_000, "more_than")]),
    ("Lluvias dejan 14 fallecidos y 1.307 viviendas averiadas.", [("deaths", 14, "exact")]),
    ("Cerca del 90 % de los 2,1 millones de habitantes han huido.", [("displaced", 1_890_000, "approx")]),
]

ARABIC = [
    ("قتل ما لا يقل عن 80 شخصا وأصيب 300 آخرون.", [("deaths", 80, "at_least"), ("injured", 300, "exact")]),
    ("غزة: أكثر من سبعة آلاف شهيد", [("deaths", 7000, "more_than")]),
    ("وأعلنت الوزارة مقتل ٦٣ شخصا وإصابة ٩٢ آخرين.", [("deaths", 63, "exact"), ("injured", 92, "exact")]),
    ("أعلنت أن نحو 1.9 مليون شخص نزحوا في القطاع.", [("displaced", 1_900_000, "approx")]),
    ("ارتفعت الحصيلة إلى 64,718 شهيدا، إضافة إلى 163,859 مصابا.", [("deaths", 64_718, "exact"), ("injured", 163_859, "exact")]),
    ("وقدرت وجود 1.974.958 نازحا في شمال دارفور.", [("displaced", 1_974_958, "exact")]),
    ("وقدرت وجود ١٬٩٧٤٬٩٥٨ نازحا.", [("displaced", 1_974_958, "exact")]),
    ("وأعلنت الأونروا أن ٥٧ من موظفيها قُتلوا.", [("aid_worker_casualties", 57, "exact")]),
    ("خلفت الحرب ما بين 10 آلاف و11 ألف جريح.", [("injured", 10_000, "range")]),
    ("خلف الزلزال عشرات القتلى.", [("deaths", 20, "vague")]),
    ("ارتفع العدد إلى 100 ألف و537 نازحا.", [("displaced", 100_537, "exact")]),
    ("يبلغ عدد سكانها نحو ٢٫٣ مليون نسمة.", []),
]


def _params(lang: str, table: list) -> list:
    return [pytest.param(lang, text, expected, id=f"{lang}-{number:02d}") for number, (text, expected) in enumerate(table, start=1)]


@pytest.mark.parametrize(("lang", "text", "expected"), _params("fr", FRENCH) + _params("es", SPANISH) + _params("ar", ARABIC))
def test_phrases_of_each_language(lang: str, text: str, expected: list) -> None:
    assert _read(text, lang) == [(indicator, float(value), qualifier) for indicator, value, qualifier in expected]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        pytest.param("Au moins 30 personnes ont été tuées et 70 blessées lundi à Goma, selon l'ONU.", "fr", id="fr"),
        pytest.param("Al menos 14 muertos y más de 20 heridos dejó el temporal, según las autoridades.", "es", id="es"),
        pytest.param("قتل ما لا يقل عن 80 شخصا وأصيب 300 آخرون في اللاذقية.", "ar", id="ar"),
    ],
)
def test_the_language_is_detected_when_unstated(text: str, lang: str) -> None:
    assert {record.lang for record in extract(text)} == {lang}


def test_an_arabic_quote_keeps_its_short_vowels_and_right_to_left_marks() -> None:
    text = "وأعلنت\u200f الأونروا أن ٥٧ من موظفيها قُتلوا منذ بداية الحرب."
    (record,) = extract(text)
    assert record.quote == text and record.raw_value == "٥٧"


@pytest.mark.parametrize(
    ("text", "lang", "credited"),
    [
        pytest.param("Au moins 30 personnes ont été tuées, selon l'OCHA lundi.", "fr", "l'OCHA", id="fr-selon"),
        pytest.param("Les frappes ont fait 558 morts, a annoncé mardi le ministre de la Santé, Firass Abiad.", "fr",
                     "le ministre de la Santé", id="fr-verb-first"),
        pytest.param("Al menos 14 muertos, informó el Instituto Nacional de Defensa Civil (INDECI).", "es",
                     "el Instituto Nacional de Defensa Civil", id="es-verb-first"),
        # A body's whole name is read past the stop word inside it ("في"): Gaza's ministry, wherever the text is.
        pytest.param("وأعلنت وزارة الصحة في غزة مقتل 63 شخصا.", "ar", "وزارة الصحة في غزة", id="ar-verb-first"),
        pytest.param("قتل 80 شخصا وفقا لوزارة الصحة السورية.", "ar", "وزارة الصحة السورية", id="ar-wifqan-li"),
        pytest.param("Al menos 14 muertos en el temporal.", "es", None, id="es-none"),
    ],
)
def test_the_credited_source_is_read_in_each_language(text: str, lang: str, credited: str | None) -> None:
    assert {record.attribution for record in extract(text, meta={"lang": lang})} == {credited}


@pytest.mark.parametrize(
    ("text", "lang", "reference"),
    [
        pytest.param("Au 4 septembre 2022, les inondations avaient coûté la vie à 103 personnes.", "fr", "2022-09-04", id="fr-au"),
        pytest.param("Le 20 octobre, onze civils ont été tués à Beni.", "fr", "2025-10-20", id="fr-le-year-before"),
        pytest.param("Al 5 de noviembre de 2022 se registraban 9.258 desplazados.", "es", "2022-11-05", id="es-al-de"),
        pytest.param("ارتفع عدد الشهداء حتى ١١ آذار/مارس ٢٠٢٦ إلى ٦٣٤ شهيدا.", "ar", "2026-03-11", id="ar-both-month-names"),
        pytest.param("Le 30 mars, 12 personnes ont été tuées.", "fr", "2025-03-30", id="fr-not-after-publication"),
    ],
)
def test_the_reference_date_is_read_in_each_language(text: str, lang: str, reference: str) -> None:
    records = extract(text, meta={"lang": lang, "published": "2026-03-12"})
    assert records and {record.reference_date for record in records} == {reference}


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        pytest.param("Over 20,000 people have been killed in Sudan since the war began on 15 April 2023.", "en", id="en-since-began-on"),
        pytest.param("At least 50,000 people have been killed since the start of the war on 7 October 2023.", "en", id="en-since-start-on"),
        pytest.param("Plus de 20 000 personnes ont été tuées au Soudan depuis le 15 avril 2023.", "fr", id="fr-depuis-le"),
        pytest.param("Los muertos superan los 50.000 desde el inicio de la guerra, el 7 de octubre de 2023.", "es", id="es-desde-el-inicio"),
        pytest.param("قتل أكثر من 20 ألف شخص في السودان منذ 15 أبريل 2023.", "ar", id="ar-mundhu"),
    ],
)
def test_a_date_that_starts_the_period_counted_leaves_the_publication_date(text: str, lang: str) -> None:
    """A toll "since" a date is a toll as of publication: dated at the war's start, it charted at the wrong end."""
    records = extract(text, meta={"lang": lang, "published": "2026-03-12"})
    assert records and {record.reference_date for record in records} == {"2026-03-12"}


@pytest.mark.parametrize(
    ("text", "lang", "reference"),
    [
        pytest.param("Since October, 40 people have been killed, as of 3 March 2026.", "en", "2026-03-03", id="en-figure-between"),
        pytest.param("Depuis le début de l'année, 120 personnes ont été tuées au 4 mars 2026.", "fr", "2026-03-04", id="fr-figure-between"),
    ],
)
def test_a_since_word_before_a_figure_leaves_a_later_date_anchored(text: str, lang: str, reference: str) -> None:
    records = extract(text, meta={"lang": lang, "published": "2026-03-12"})
    assert records and {record.reference_date for record in records} == {reference}


@pytest.mark.parametrize(
    ("text", "lang", "originator"),
    [
        pytest.param("Au moins 30 personnes ont été tuées, selon l'OCHA.", "fr", "UN OCHA", id="fr-elided-body"),
        pytest.param("558 morts, a annoncé le ministre de la Santé libanais.", "fr", "Lebanon Ministry of Health", id="fr-national"),
        pytest.param("Al menos 14 muertos, informó el Instituto Nacional de Defensa Civil (INDECI).", "es", "Peru INDECI", id="es-body"),
        pytest.param("قتل 80 شخصا وفقا لوزارة الصحة السورية.", "ar", "Syria Ministry of Health", id="ar-national"),
    ],
)
def test_the_originator_is_named_from_an_attribution_in_each_language(text: str, lang: str, originator: str) -> None:
    assert {record.originator for record in extract(text, meta={"lang": lang})} == {originator}


@pytest.mark.parametrize(
    ("text", "lang", "location"),
    [
        pytest.param("The toll passed 50,000 since the start of the war with Israel, the Gaza health ministry said.", "en",
                     "Palestine", id="en-war-with"),
        pytest.param("El Ministerio de Salud de Gaza informó que los muertos en el enclave palestino superan las 50.000 desde el "
                     "inicio de la guerra con Israel, el 7 de octubre de 2023.", "es", "Palestine", id="es-guerra-con"),
        pytest.param("Le ministère de la Santé de Gaza a indiqué que plus de 50 000 personnes avaient été tuées dans l'enclave "
                     "depuis le début de la guerre avec Israël.", "fr", "Palestine", id="fr-guerre-avec"),
        pytest.param("Plus de 12 000 civils ont été tués depuis le début de la guerre contre la Russie, a indiqué la mission "
                     "de l'ONU en Ukraine.", "fr", "Ukraine", id="fr-guerre-contre-article"),
    ],
)
def test_the_other_side_of_a_war_is_not_where_the_figure_is(text: str, lang: str, location: str) -> None:
    records = extract(text, meta={"lang": lang})
    assert records and {record.location for record in records} == {location}
