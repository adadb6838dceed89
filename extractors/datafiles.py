"""Where the extractor's data files are, and how they are read.

`data/` holds what is the same in every language (the indicators, household sizes, the unit
registry); `data/<lang>/` holds one language's words: the vocabularies (lexicon, nouns, places,
identity cues, originators) and the word lists the patterns of dates, numbers, credits and
sentences are built from. English (`en`) is the only language so far.

Extra indicators come from TOML files named in the environment variable HID_INDICATORS
(paths joined by os.pathsep), read after data/indicators.toml: an [indicators.NAME] or
[outcomes.NAME] there adds one or replaces the one of that name.
"""

from __future__ import annotations

import functools
import os
import tomllib
from pathlib import Path
from typing import Any

from .errors import VocabularyError

DATA_DIR = Path(__file__).with_name("data")
LANGUAGE = "en"  # the language of the texts the extractor reads
EXTRA_INDICATORS_ENV = "HID_INDICATORS"


def language_dir(lang: str = LANGUAGE) -> Path:
    """The folder of one language's data files: data/en/."""
    folder = DATA_DIR / lang
    if not folder.is_dir():
        known = sorted(path.name for path in DATA_DIR.iterdir() if path.is_dir())
        raise VocabularyError(f"no vocabulary for language {lang!r} in {DATA_DIR}; known: {', '.join(known)}")
    return folder


def load_toml(path: Path) -> dict[str, Any]:
    """A data file's tables; a VocabularyError saying which file when it cannot be read."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise VocabularyError(f"cannot read vocabulary file {path}: {error}; restore it from the repository") from error


@functools.cache
def word_lists(name: str, lang: str = LANGUAGE) -> dict[str, Any]:
    """data/<lang>/<name>.toml: the word lists a module builds its patterns from."""
    return load_toml(language_dir(lang) / f"{name}.toml")


def language_lists(name: str, lang: str) -> dict[str, Any]:
    """data/<lang>/<name>.toml, or English's when the language has no such file: the word lists
    of a check a language may leave to English's words (digits, marks and names read alike)."""
    return word_lists(name, lang if (language_dir(lang) / f"{name}.toml").is_file() else LANGUAGE)


def extra_indicator_files() -> tuple[Path, ...]:
    """The TOML files HID_INDICATORS names, in order."""
    value = os.environ.get(EXTRA_INDICATORS_ENV, "")
    return tuple(Path(part) for part in value.split(os.pathsep) if part.strip())


@functools.cache
def indicators_file() -> dict[str, Any]:
    """data/indicators.toml with the tables of the HID_INDICATORS files merged in."""
    merged = load_toml(DATA_DIR / "indicators.toml")
    for path in extra_indicator_files():
        extra = load_toml(path)
        for section in ("indicators", "outcomes"):
            merged.setdefault(section, {}).update(extra.get(section, {}))
    return merged


def indicator_names() -> tuple[str, ...]:
    """The indicators the extractor produces, in data file order."""
    return tuple(indicators_file().get("indicators", {}))
