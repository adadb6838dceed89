"""A document's language: the one it states (sidecar, HTML lang, PDF /Lang), else the one its text is in.

Detection is py3langid's naive Bayes model over byte n-grams: deterministic, offline, under a
millisecond for a page's head. It chooses among the languages data/languages.toml lists (why
those: see there).
"""

from __future__ import annotations

import functools
import re
from typing import Any

from .datafiles import DATA_DIR, LANGUAGE, load_toml

DETECTION_SAMPLE = 600  # characters read from the head of a document: bounded time (py3langid loops over bytes in Python)
# "fr-FR", "es_419", "ar": a BCP 47 tag, of which the first subtag is the ISO 639-1 code.
LANGUAGE_TAG = re.compile(r"\s*(?P<code>[A-Za-z]{2})(?:[-_][A-Za-z0-9]{1,8})*\s*")


@functools.cache
def known_languages() -> tuple[str, ...]:
    """The languages with a vocabulary: the folders of data/, English first."""
    folders = sorted(path.name for path in DATA_DIR.iterdir() if path.is_dir() and len(path.name) == 2)
    return (LANGUAGE, *(name for name in folders if name != LANGUAGE))


@functools.cache
def detected_languages() -> list[str]:
    """The languages detection chooses among (data/languages.toml), with every read one."""
    listed = load_toml(DATA_DIR / "languages.toml")["detected"]
    return list(dict.fromkeys([*known_languages(), *listed]))


def language_code(tag: object) -> str | None:
    """The ISO 639-1 code of a language tag ("fr-FR" -> "fr"), or None when it is not one."""
    if not isinstance(tag, str):
        return None
    found = LANGUAGE_TAG.fullmatch(tag)
    return found.group("code").lower() if found else None


@functools.cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    identifier.set_languages(detected_languages())
    return identifier


def detect_language(text: str) -> str:
    """The language of `text` among detected_languages(); English for text without letters.

    >>> detect_language("Au moins 30 personnes ont été tuées selon les autorités.")
    'fr'
    """
    sample = text[:DETECTION_SAMPLE]
    if not any(character.isalpha() for character in sample):
        return LANGUAGE
    language, _ = _identifier().classify(sample)
    return str(language)


def reading_language(lang: str) -> str:
    """The vocabulary a text in `lang` is read with: its own, or English when there is none."""
    return lang if lang in known_languages() else LANGUAGE
