"""Every `python -m ...` command that the READMEs and the user-facing code (messages, docstrings,
--help examples) name exists: each runs with --help.

A command is read up to a backtick, quote, pipe, semicolon, redirect, comment or line end; its
first word after the module is a subcommand only for modules that have subcommands."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCUMENTS = sorted({*REPO.glob("*.md"), *REPO.glob("*/README.md")})
CODE = sorted(path for package in ("extractors", "store", "dashboard") for path in (REPO / package).rglob("*.py"))
COMMAND = re.compile(r"python3? -m ([A-Za-z_][\w.]*)((?: +[^\s`'\"|;#<>)]+)*)")
WITH_SUBCOMMANDS = {"extractors", "store", "dashboard.auth", "streamlit", "pip"}
"""Modules whose first argument is a command: a word there must be one of theirs."""


def named_commands(text: str) -> set[tuple[str, ...]]:
    """(module,) or (module, subcommand) for each `python -m` command in the text.

    >>> sorted(named_commands("Run `python -m store ingest data/` or `python -m dashboard.serve` then read it."))
    [('dashboard.serve',), ('store', 'ingest')]
    >>> sorted(named_commands("`python -m extractors` or the dashboard; python -m extractors {argv[0]}"))
    [('extractors',)]
    """
    found = set()
    for module, rest in COMMAND.findall(text):
        words = rest.split()
        if module in WITH_SUBCOMMANDS and words and re.fullmatch(r"[a-z][a-z-]*", words[0]):
            found.add((module, words[0]))
        else:
            found.add((module,))
    return found


def _named_everywhere() -> dict[tuple[str, ...], str]:
    """Each named command and the first file that names it."""
    named: dict[tuple[str, ...], str] = {}
    for path in [*DOCUMENTS, *CODE]:
        for command in sorted(named_commands(path.read_text(encoding="utf-8"))):
            named.setdefault(command, str(path.relative_to(REPO)))
    return named


NAMED = _named_everywhere()


def _help(command: tuple[str, ...]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *command, "--help"], cwd=REPO, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120
    )


def test_the_commands_users_are_told_about_are_found() -> None:
    """The collector sees what the README's set-up and the store's messages name."""
    assert {("store", "ingest"), ("store", "export"), ("store", "migrate"), ("extractors", "extract"), ("dashboard.serve",)} <= set(NAMED)


@pytest.mark.parametrize("command", sorted(NAMED), ids=[" ".join(command) for command in sorted(NAMED)])
def test_named_command_exists(command: tuple[str, ...]) -> None:
    done = _help(command)
    assert done.returncode == 0, f"`python -m {' '.join(command)}` (named in {NAMED[command]}) fails: {done.stderr[-500:]}"
    assert done.stdout.strip()


@pytest.mark.parametrize(
    "command",
    [pytest.param(("extractors.store", "ingest"), id="the-old-module"), pytest.param(("store", "ingst"), id="a-misspelt-command")],
)
def test_a_command_that_does_not_exist_fails_its_help(command: tuple[str, ...]) -> None:
    """What test_named_command_exists relies on: --help of a missing module or command does not exit 0."""
    assert _help(command).returncode != 0
