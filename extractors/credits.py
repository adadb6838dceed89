"""Who a sentence in another language than English credits: "selon l'OCHA", "informó el Ministerio",
"وأعلنت وزارة الصحة". English sentences are read by context.attribution, whose patterns follow
English word order; these follow data/<lang>/credits.toml's words: a crediting word or a verb of
saying, then the source's name, up to the language's stop words, punctuation or max_words words."""

from __future__ import annotations

import functools
import re

from .datafiles import language_dir, word_lists

FIGURE = r"[\d.,٬٫%]+(?!\w)"  # a word of digits is a figure, never a word of a name ("وثقت المنظمة 117 حادثا")
GLUED = 2  # letters of a last word that is written on the next one: "ل", "لـ"
NAME_END = r"""[\s,;:()"“”«».؛،]"""  # what no word of a name holds: spaces and punctuation, Latin and Arabic


@functools.cache
def credit_pattern(lang: str) -> re.Pattern[str] | None:
    """The language's pattern of a credit, or None when data/<lang>/credits.toml is not there."""
    if not (language_dir(lang) / "credits.toml").is_file():
        return None
    words = word_lists("credits", lang)
    openings = sorted({*words["crediting"], *words["saying_before"]}, key=len, reverse=True)
    # An opening ends its word ("أعلن" is not the start of "أعلنت"), unless its last word is a
    # letter written on the name ("وفقا لـ", "وفقا ل": "وفقا لمكتب").
    opening = "|".join(
        r"\s+".join(map(re.escape, phrase.split())) + ("" if len(phrase.split()[-1]) <= GLUED else r"(?!\w)")
        for phrase in openings
    )
    stops = "|".join(re.escape(word) for word in sorted(words["stops"], key=len, reverse=True))
    word = rf"(?!(?:{stops})(?!\w)|{FIGURE})[^{NAME_END[1:-1]}]+"
    articles = "|".join(re.escape(article) for article in words.get("name_articles", [])) or "(?!)"
    prefixes = "".join(f"{re.escape(prefix)}?" for prefix in words.get("opening_prefixes", []))
    # Read past between a crediting word and the name: a day, or a verb of saying ("según informó
    # este domingo el Ministerio").
    skipped = "|".join(
        r"\s+".join(map(re.escape, phrase.split()))
        for phrase in sorted({*words.get("skipped", []), *words["saying_before"]}, key=len, reverse=True)
    )
    # A body's whole name is read as one, past the stop words inside it ("Organisation internationale
    # pour les migrations", "مكتب الأمم المتحدة لتنسيق الشؤون الإنسانية").
    names = sorted(_names(lang), key=len, reverse=True)
    name = "|".join(r"\s+".join(map(re.escape, phrase.split())) for phrase in names) or "(?!)"
    return re.compile(
        rf"""
        (?<!\w){prefixes}(?:{opening})\s*      # "selon", "informó", "وأعلنت", "وفقا ل" (written on the next word)
        (?:(?:{skipped or "(?!)"})\s+)*          # "a annoncé mardi le ministre", "según informó el"
        (?P<who>(?:{articles})?(?:{name})(?!\w)|{word}(?:[ \t]+{word}){{0,{int(words["max_words"]) - 1}}})
        """,
        re.VERBOSE | re.IGNORECASE,
    )


@functools.cache
def subject_pattern(lang: str) -> re.Pattern[str] | None:
    """The language's pattern of a subject then its verb of saying ("Le ministère a indiqué que",
    "el Ministerio señala que"), at a sentence's or a clause's start; None without `saying_after`."""
    if not (language_dir(lang) / "credits.toml").is_file():
        return None
    words = word_lists("credits", lang)
    if not words.get("saying_after"):
        return None
    verbs = "|".join(
        r"\s+".join(map(re.escape, phrase.split())) for phrase in sorted(words["saying_after"], key=len, reverse=True)
    )
    stops = "|".join(re.escape(word) for word in sorted(words["stops"], key=len, reverse=True))
    word = rf"(?!(?:{stops})(?!\w)|{FIGURE})[^{NAME_END[1:-1]}]+"
    prefixes = "".join(f"{re.escape(prefix)}?" for prefix in words.get("opening_prefixes", []))
    # "وكانت وزارة الصحة قد أعلنت": a verb that opens the clause, then the subject, then an auxiliary.
    openers = "|".join(map(re.escape, words.get("subject_openers", []))) or "(?!)"
    auxiliaries = "|".join(map(re.escape, words.get("subject_auxiliaries", []))) or "(?!)"
    return re.compile(
        rf"""
        (?:^|(?<=[,;:«“"(،؛]))\s*                                 # a sentence's or a clause's start
        (?:{prefixes}(?:{openers})\s+)?                            # "وكانت"
        (?P<who>{word}(?:[ \t]+{word}){{0,{int(words["max_words"]) - 1}}})  # "Le HCR", "Il", "el Ministerio"
        \s+(?:(?:{auxiliaries})\s+)?                               # "قد"
        {prefixes}(?:{verbs})(?!\w)                                # "a indiqué", "rappelle", "señala", "أعلنت"
        """,
        re.VERBOSE | re.IGNORECASE,
    )


def credited(sentence: str, lang: str) -> str | None:
    """The name a sentence credits its figures to, as written, or None: after a crediting word or
    a verb of saying ("selon l'OCHA", "a indiqué le ministère"), else before its verb of saying."""
    for pattern in (credit_pattern(lang), subject_pattern(lang)):
        found = pattern.search(sentence) if pattern is not None else None
        if found:
            return found.group("who").strip()
    return None


def _names(lang: str) -> set[str]:
    """The bodies' names of data/<lang>/originators.toml ([bodies]; not [national], whose names a
    country's adjective may follow: "وزارة الصحة السورية", "le ministre de la Santé libanais")."""
    if not (language_dir(lang) / "originators.toml").is_file():
        return set()
    tables = word_lists("originators", lang)
    return {
        " ".join(phrase.split()) for section in ("bodies",) for phrases in tables.get(section, {}).values() for phrase in phrases
    } - {""}
