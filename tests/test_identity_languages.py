"""Who counted a figure, and over what period, in French, Spanish and Arabic: the cues of
data/<lang>/ (originators.toml, credits.toml, lexicon.toml [measures]) on phrasings of the
kind OCHA, IOM, UN News, AFP, EFE and Arabic wire reports use, written for these tests."""

from __future__ import annotations

import pytest

from extractors import extract
from extractors.credits import credited
from extractors.identity import document_counter, originator_of

ORIGINATORS = [
    # French
    pytest.param("fr", "l'Organisation internationale pour les migrations", None, "IOM DTM", id="fr-elided-article-full-name"),
    pytest.param("fr", "les dernières estimations d'OCHA", None, "UN OCHA", id="fr-elided-de"),
    pytest.param("fr", "le ministère libanais de la Santé", None, "Lebanon Ministry of Health", id="fr-country-adjective-inside"),
    pytest.param("fr", "un bilan provisoire", None, None, id="fr-un-is-an-article"),
    pytest.param("fr", "la Protection civile", "Niger", "Niger Civil Protection", id="fr-civil-protection"),
    # Spanish
    pytest.param("es", "la Comisión Permanente de Contingencias", None, "Honduras COPECO", id="es-national-body-by-name"),
    pytest.param("es", "de un fallecido", None, None, id="es-un-is-an-article"),
    pytest.param("es", "Sanidad", "Palestine", "Gaza Ministry of Health", id="es-sanidad-is-the-ministry"),
    pytest.param("es", "la Protección Civil", "El Salvador", "El Salvador Civil Protection", id="es-civil-protection"),
    # Arabic
    pytest.param("ar", "المديرة العامة للمنظمة الدولية للهجرة", None, "IOM DTM", id="ar-name-after-lam"),
    pytest.param("ar", "الصحة اللبنانية", None, "Lebanon Ministry of Health", id="ar-health-and-country-adjective"),
    pytest.param("ar", "مكتب الأمم المتحدة لحقوق الإنسان", None, "OHCHR", id="ar-rights-office-not-un"),
    pytest.param("ar", "الصحة بغزة", None, "Gaza Ministry of Health", id="ar-health-in-gaza-headline-name"),
    pytest.param("es", "la cartera sanitaria", "Peru", "Peru Ministry of Health", id="es-cartera-sanitaria"),
    # English reads as before
    pytest.param("en", "the UN", None, "United Nations", id="en-un-is-the-un"),
]


@pytest.mark.parametrize(("lang", "attribution", "location", "expected"), ORIGINATORS)
def test_originator_in_each_language(lang: str, attribution: str, location: str | None, expected: str | None) -> None:
    assert originator_of(attribution, location, lang) == expected


TITLES = [
    pytest.param(
        "ar", "منظمة الهجرة الدولية: نزوح أكثر من 80 ألف شخص من المدينة", None, ("IOM DTM", True), id="ar-body-opens-title"
    ),
    pytest.param(
        "ar",
        "وزير الصحة اللبناني: 300 شهيد منذ بداية الشهر",
        "Lebanon",
        ("Lebanon Ministry of Health", True),
        id="ar-minister-opens-title",
    ),
    pytest.param("ar", "غزة: عشرات الشهداء في غارات ليلية", "Palestine", (None, False), id="ar-place-opens-title"),
    pytest.param(
        "es", "COPECO: las lluvias dejan 12 muertos en el sur", "Honduras", ("Honduras COPECO", True), id="es-acronym-opens-title"
    ),
    pytest.param("es", "Haití: más de 700.000 desplazados, según la OIM", "Haiti", ("IOM DTM", False), id="es-credit-ends-title"),
    pytest.param(
        "fr",
        "Gaza : plus de 60 000 morts, selon le ministère de la Santé",
        "Palestine",
        ("Gaza Ministry of Health", False),
        id="fr-credit-ends-title",
    ),
    pytest.param("fr", "Niger : les crues ont fait 200 morts depuis juin", "Niger", (None, False), id="fr-no-credit"),
    pytest.param("en", "UN: 5 million people need aid in the region", None, (None, False), id="en-title-opening-not-read"),
]


@pytest.mark.parametrize(("lang", "title", "country", "expected"), TITLES)
def test_title_credit_in_each_language(lang: str, title: str, country: str | None, expected: tuple) -> None:
    assert document_counter(title, None, country, lang) == expected


CREDITS = [
    pytest.param(
        "fr",
        "Environ 9 000 personnes ont fui, selon l'Organisation internationale pour les migrations (OIM).",
        "l'Organisation internationale pour les migrations",
        id="fr-name-past-stop-word",
    ),
    pytest.param(
        "es",
        "Unas 30 personas murieron, según informó este lunes el Ministerio de Salud.",
        "el Ministerio de Salud",
        id="es-verb-after-segun",
    ),
    pytest.param(
        "ar",
        "ووفقا لمكتب الأمم المتحدة لتنسيق الشؤون الإنسانية، نزح 5000 شخص.",
        "مكتب الأمم المتحدة لتنسيق الشؤون الإنسانية",
        id="ar-full-name-past-max-words",
    ),
    pytest.param("ar", "وكانت الوكالة قد أعلنت أن نحو 1.9 مليون شخص نزحوا.", "الوكالة", id="ar-verb-is-a-whole-word"),
    pytest.param(
        "ar",
        "وكانت منظمة الصحة العالمية قد قدرت أن الحرب أودت بحياة 20 ألف شخص.",
        "منظمة الصحة العالمية",
        id="ar-kanat-subject-qad-verb",
    ),
    pytest.param(
        "ar", "وكانت المفوضية قد قالت الأحد الماضي إن 12 ألف شخص عبروا الحدود.", "المفوضية", id="ar-last-sunday-is-no-name"
    ),
    pytest.param("ar", "ووثقت المنظمة 117 حادثا في الولاية.", "المنظمة", id="ar-a-figure-ends-the-name"),
    pytest.param("fr", "Le HCR y a enregistré 48 000 réfugiés depuis avril.", "Le HCR", id="fr-subject-before-verb"),
    pytest.param("fr", "Il a précisé que neuf personnes avaient été tuées.", "Il", id="fr-pronoun-subject"),
    pytest.param("fr", "L'OIM a recensé 12 000 déplacés.", "L'OIM", id="fr-object-is-no-credit"),
    pytest.param(
        "es",
        "En su último balance, el Ministerio señala que 30 personas murieron.",
        "el Ministerio",
        id="es-subject-after-clause",
    ),
    pytest.param("es", "Además, se estima que cerca de 1.000 personas cruzaron la frontera.", None, id="es-se-is-no-subject"),
    pytest.param("es", "En total, el Ministerio tiene constancia de 70.100 muertos.", "el Ministerio", id="es-tiene-constancia"),
]


@pytest.mark.parametrize(("lang", "sentence", "expected"), CREDITS)
def test_credit_in_each_language(lang: str, sentence: str, expected: str | None) -> None:
    assert credited(sentence, lang) == expected


def _only(text: str, lang: str, value: float):
    records = [record for record in extract(text, meta={"lang": lang}) if record.value == value]
    assert len(records) == 1, [(record.value, record.raw_value) for record in extract(text, meta={"lang": lang})]
    return records[0]


DOCUMENTS = [
    pytest.param(
        "ar",
        "وزارة الصحة في غزة: ارتفاع الحصيلة\n\nغزة - 3 مارس 2025\n\nوأضافت الوزارة أن 14 شخصا قتلوا في غارة على مخيم النصيرات.",
        14,
        "Gaza Ministry of Health",
        id="ar-ministry-refers-back-to-title",
    ),
    pytest.param(
        "fr",
        "Liban : nouveau bilan\n\nBEYROUTH, 2 octobre 2024 - Selon le ministère libanais de la Santé, 46 personnes ont été tuées mardi.\n\n"
        "Le ministère a indiqué que 85 personnes avaient été blessées.",
        46,
        "Lebanon Ministry of Health",
        id="fr-ministry-with-adjective",
    ),
    pytest.param(
        "fr",
        "Liban : nouveau bilan\n\nBEYROUTH, 2 octobre 2024 - Selon le ministère libanais de la Santé, 46 personnes ont été tuées mardi. "
        "Il a précisé que 85 personnes avaient été blessées.",
        85,
        "Lebanon Ministry of Health",
        id="fr-pronoun-refers-back",
    ),
    pytest.param(
        "es",
        "Gaza suma nuevas víctimas\n\nGAZA, 3 de marzo de 2025 - Según el Ministerio de Salud de Gaza, 40 personas murieron el lunes. "
        "En su último balance, el Ministerio señala que 75 personas resultaron heridas.",
        75,
        "Gaza Ministry of Health",
        id="es-ministry-refers-back",
    ),
]


@pytest.mark.parametrize(("lang", "text", "value", "expected"), DOCUMENTS)
def test_document_originator_in_each_language(lang: str, text: str, value: float, expected: str) -> None:
    assert _only(text, lang, value).originator == expected


PERIODS = [
    pytest.param(
        "fr", "Le bilan total atteint 25 morts au cours de la dernière semaine, a indiqué l'OCHA.", 25, id="fr-last-week"
    ),
    pytest.param("fr", "Au total, 310 personnes ont été tuées en 2024 dans la région, selon l'ONU.", 310, id="fr-in-a-year"),
    pytest.param("es", "El balance total asciende a 40 muertos en las últimas 48 horas.", 40, id="es-last-48-hours"),
    pytest.param("es", "En total, 120 personas murieron durante 2023 en el país.", 120, id="es-during-a-year"),
    pytest.param("ar", "ارتفعت حصيلة القتلى إلى 20 شخصا خلال الساعات الـ24 الماضية.", 20, id="ar-last-24-hours"),
    pytest.param("ar", "وبلغت الحصيلة الإجمالية 17 قتيلا خلال الـ48 ساعة الماضية.", 17, id="ar-last-48-hours"),
    pytest.param("ar", "قتل 383 عاملا إنسانيا في عام 2024، وهي الحصيلة الأعلى على الإطلاق.", 383, id="ar-in-a-year"),
]


@pytest.mark.parametrize(("lang", "sentence", "value"), PERIODS)
def test_period_in_each_language(lang: str, sentence: str, value: float) -> None:
    assert _only(sentence, lang, value).measure == "period"


DUALS = [
    pytest.param("أسفرت الغارة عن مقتل شخصين في جنوب لبنان.", "شخصين", id="two-people"),
    pytest.param("وأعلنت الوزارة سقوط قتيلين في القصف.", "قتيلين", id="two-killed"),
    pytest.param("أدى القصف إلى استشهاد طفلين في المخيم.", "طفلين", id="two-children"),
]


@pytest.mark.parametrize(("sentence", "word"), DUALS)
def test_arabic_dual_is_two(sentence: str, word: str) -> None:
    record = _only(sentence, "ar", 2)
    assert (record.raw_value, sentence[record.char_start : record.char_end]) == (word, word)


def test_dual_spelled_as_a_plural_is_not_two() -> None:
    """ "مدنيين" is the dual and the plural alike without vowels: it is no number."""
    assert all(record.value != 2 for record in extract("أسفرت الغارة عن مقتل مدنيين في المدينة.", meta={"lang": "ar"}))


CLAUSES = [
    pytest.param(
        "ar",
        "غارات متواصلة على الجنوب\n\nبيروت - 1 أكتوبر 2024\n\nومنذ 23 سبتمبر، أسفرت الغارات عن سقوط 900 قتيل، بينهم أطفال ونساء، "
        "و 2500 جريح، بحسب وزارة الصحة. وكانت حرب عام 2006 قد خلفت نحو 1500 جريح.",
        2500,
        id="ar-comma-after-beinahum",
    ),
    pytest.param(
        "fr",
        "Liban : nouveau bilan des frappes\n\nBEYROUTH, 2 octobre 2024 - Les frappes ont fait 600 morts depuis le 23 septembre, "
        "dont des enfants, et 1 900 blessés, selon le ministère de la Santé. La guerre de 2006 avait fait environ 1 500 blessés.",
        1900,
        id="fr-comma-after-dont",
    ),
]


@pytest.mark.parametrize(("lang", "text", "value"), CLAUSES)
def test_a_part_word_does_not_reach_past_a_comma(lang: str, text: str, value: float) -> None:
    """The injured after "including children and women," are the toll's other count, not a part: its headline."""
    assert _only(text, lang, value).headline


SIDES = [
    pytest.param(
        "fr",
        "Le bilan des frappes sur le Liban depuis le début du conflit entre Israël et le Hezbollah atteint 2 400 morts.",
        "Lebanon",
        id="fr-conflit-entre",
    ),
    pytest.param(
        "es",
        "Los ataques contra el Líbano desde el inicio de la guerra entre Israel y Hezbolá han matado a 2.400 personas.",
        "Lebanon",
        id="es-guerra-entre",
    ),
]


@pytest.mark.parametrize(("lang", "text", "location"), SIDES)
def test_the_sides_of_a_war_between_two_are_not_where_the_figure_is(lang: str, text: str, location: str) -> None:
    records = extract(text, meta={"lang": lang})
    assert records and {record.location for record in records} == {location}
