"""The languages of records on screen: their names, and right-to-left quotes laid out as written. Pure: no Streamlit.

A record's `lang` is the ISO 639-1 code of its document's language (extractors/language.py); its
quote is in that language. HTML gets `dir="auto"` where a quote or a document is shown; Plotly's
hover labels are SVG text, which takes no `dir`, so a right-to-left quote goes in Unicode
isolates there (FSI ... PDI): each line is laid out in its own direction, and the figure's <b>
inside it stays in place.

>>> language_name("fr")
'French'
>>> isolated_lines("قتل <b>٣٠</b> شخصا<br>في غزة", "ar") == "\\u2068قتل <b>٣٠</b> شخصا\\u2069<br>\\u2068في غزة\\u2069"
True
"""

from __future__ import annotations

from typing import Any

import pandas as pd

LANGUAGE_NAMES = {
    "en": "English",
    "fr": "French",
    "es": "Spanish",
    "ar": "Arabic",
    "pt": "Portuguese",
    "de": "German",
    "it": "Italian",
    "ru": "Russian",
    "uk": "Ukrainian",
    "tr": "Turkish",
    "fa": "Persian",
    "sw": "Swahili",
}
RIGHT_TO_LEFT = frozenset({"ar", "fa", "he", "ur", "ps", "yi"})
FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE = "\u2068", "\u2069"


def language_choices(records: pd.DataFrame) -> tuple[str, ...]:
    """The ISO 639-1 codes of the records' documents, English first, then by code."""
    if "lang" not in records:
        return ()
    codes = {str(code) for code in pd.unique(records["lang"].dropna())}  # the distinct codes, not a text copy per row
    return tuple(sorted(codes, key=lambda code: (code != "en", code)))


def language_name(code: Any) -> str:
    """'French' for "fr"; the code itself for a language without a name here; 'not recorded' for none."""
    if not isinstance(code, str) or not code:
        return "not recorded"
    return LANGUAGE_NAMES.get(code, code)


def is_right_to_left(code: Any) -> bool:
    return isinstance(code, str) and code in RIGHT_TO_LEFT


def isolated_lines(quote_html: str, code: Any) -> str:
    """A quote's hover lines (joined by <br>), each in a first-strong isolate when the language is written right to left."""
    if not is_right_to_left(code):
        return quote_html
    return "<br>".join(f"{FIRST_STRONG_ISOLATE}{line}{POP_DIRECTIONAL_ISOLATE}" for line in quote_html.split("<br>"))


def language_note(code: Any) -> str:
    """' · in French' after a tooltip's date line; nothing for English, the default, or an unrecorded language."""
    return "" if not isinstance(code, str) or code in ("", "en") else f" · in {language_name(code)}"
