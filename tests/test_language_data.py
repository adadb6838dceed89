"""The words of a language are data (extractors/data/<lang>/): each file says what its lists
are for, an unknown language is refused with the known ones, and the trigger pre-check finds
accented words when the vocabulary has them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from extractors.datafiles import DATA_DIR, language_dir, word_lists
from extractors.errors import VocabularyError
from extractors.vocabulary import ASCII_WORD, UNICODE_WORD, key_word_pattern, vocabulary

REPO_ROOT = Path(__file__).resolve().parents[1]
ENGLISH_FILES = sorted((DATA_DIR / "en").glob("*.toml"))


@pytest.mark.parametrize("path", ENGLISH_FILES, ids=lambda path: path.name)
def test_each_language_file_opens_with_a_comment_saying_what_it_is_for(path: Path) -> None:
    first = path.read_text(encoding="utf-8").lstrip().splitlines()[0]
    assert first.startswith("# ") and len(first) > 20, f"{path.name} opens with {first!r}"


@pytest.mark.parametrize("name", ["dates", "numbers", "credits", "sentences", "words"])
def test_each_word_list_of_the_code_is_a_non_empty_list_of_lower_case_words(name: str) -> None:
    def lists(table: object) -> list[list]:
        if isinstance(table, dict):
            return [found for value in table.values() for found in lists(value)]
        return [table] if isinstance(table, list) else []

    for words in lists(word_lists(name)):
        assert words, f"{name}.toml has an empty list"
        flat = [word for item in words for word in (item if isinstance(item, list) else [item])]
        assert all(isinstance(word, str) and word == word.lower() for word in flat), f"{name}.toml: {words}"


def test_an_unknown_language_is_refused_naming_the_known_ones() -> None:
    with pytest.raises(VocabularyError, match=r"no vocabulary for language .xx.*known: ar, en, es, fr"):
        vocabulary("xx")
    assert language_dir("en") == DATA_DIR / "en"


@pytest.mark.parametrize(
    ("keys", "pattern"),
    [
        pytest.param(["killed", "wounded"], ASCII_WORD, id="english-keys-ascii-pattern"),
        pytest.param(["killed", "déplacées"], UNICODE_WORD, id="an-accented-key-unicode-pattern"),
        pytest.param([], ASCII_WORD, id="no-keys"),
    ],
)
def test_the_pre_check_pattern_follows_the_keys(keys: list[str], pattern: object) -> None:
    assert key_word_pattern(keys) is pattern


@pytest.mark.parametrize(
    ("text", "words"),
    [
        pytest.param("4 700 ont été déplacées", ["ont", "été", "déplacées"], id="accents"),
        pytest.param("l’aide d'urgence, bien-être", ["l’aide", "d'urgence", "bien-être"], id="apostrophes-hyphens"),
        pytest.param("covid19 zone_a", ["covid", "zone", "a"], id="digits-and-underscores-end-a-word"),
    ],
)
def test_the_unicode_pattern_reads_whole_words(text: str, words: list[str]) -> None:
    assert UNICODE_WORD.findall(text) == words


ACCENTED_TRIGGER = """
[indicators.displaced_fr]
description = "People displaced, from a trigger written with accents (a test)."
hxl = "#affected+displaced+fr"
outcomes = ["deplaces"]

[outcomes.deplaces]
default_measure = "snapshot"
after = ["ont été déplacées"]
"""


def test_a_trigger_with_accents_passes_the_pre_check_and_is_extracted(tmp_path: Path) -> None:
    extra = tmp_path / "fr.toml"
    extra.write_text(ACCENTED_TRIGGER, encoding="utf-8")
    # Read as English, whose vocabulary the extra file adds an accented trigger to.
    script = "from extractors import extract; print([r.indicator for r in extract(sys.argv[1], meta={'lang': 'en'})])"
    run = subprocess.run(
        [sys.executable, "-c", f"import sys; {script}", "Quelque 4 700 personnes ont été déplacées à Goma."],
        cwd=REPO_ROOT,
        env={**os.environ, "HID_INDICATORS": str(extra), "PYTHONPATH": str(REPO_ROOT)},
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "['displaced_fr']"  # an ASCII pre-check cut "déplacées" and found no key
