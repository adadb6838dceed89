"""The ingest, export and migrate commands, the default store, the progress display."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import pytest
from store_helpers import REPO, expected_records, run_cli, write_brief, write_briefs

from extractors import extract_file
from extractors.cli import main as extractors_main
from extractors.record import FIELDS
from store import EXPORT_COLUMNS, ProgressBar, count_documents, ensure_default_store, iter_records, open_store
from store import connect as store_connect
from store.cli import main
from store.migrations import LATEST_VERSION

SUMMARY = "documents: {} new, {} unchanged, {} new versions, {} failed; records added: {}"


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """The command line in this process: (exit status, stdout, stderr)."""
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_ingest_command_summary_and_exit_codes(
    store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = tmp_path / "docs"
    good = write_briefs(docs, 3)
    (docs / "binary.txt").write_bytes(b"\x00\x00 not a report")
    records = expected_records(good)

    run = run_cli("ingest", str(docs), "--db", store_url, "--no-progress")  # a real `python -m store` process; progress lines depend on speed
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [SUMMARY.format(3, 0, 0, 1, records)]
    (error_line,) = run.stderr.splitlines()  # one line per failure, with the file and the reason
    assert error_line.startswith(f"error: {docs / 'binary.txt'}: looks like a binary file")

    write_brief(docs, 0, revision=1)  # one changed, two unchanged, one still bad; env DATABASE_URL picks the store
    monkeypatch.setenv("DATABASE_URL", store_url)
    status, out, err = _cli(capsys, "ingest", str(docs), "--no-progress")
    assert status == 0, err
    assert out.splitlines() == [SUMMARY.format(0, 2, 1, 1, len(extract_file(good[0])))]
    monkeypatch.delenv("DATABASE_URL")

    status, out, err = _cli(capsys, "ingest", str(docs / "binary.txt"), str(tmp_path / "missing.txt"), "--db", store_url)
    assert status == 1  # every input failed
    assert out.splitlines() == [SUMMARY.format(0, 0, 0, 2, 0)]
    assert "missing.txt: no such file" in err and "no document could be ingested" in err

    empty = tmp_path / "empty"
    empty.mkdir()
    status, out, err = _cli(capsys, "ingest", str(empty), "--db", store_url)
    assert status == 1 and "no supported document found" in err and out == ""

    with pytest.raises(SystemExit) as usage:
        main(["ingest", "--db", store_url])  # no PATH
    assert usage.value.code == 2


def test_export_round_trips(store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_brief(tmp_path, 7, figures=4)
    engine = open_store(store_url)
    try:
        assert _cli(capsys, "ingest", str(path), "--db", store_url, "--no-progress")[0] == 0
        write_brief(tmp_path, 7, figures=4, revision=1)
        assert _cli(capsys, "ingest", str(path), "--db", store_url, "--no-progress")[0] == 0
        stored = list(iter_records(engine, include_superseded=True))
        current = [row for row in stored if not row["superseded"]]
    finally:
        engine.dispose()
    assert len(stored) == 8 and len(current) == 4

    run = run_cli("export", "--db", store_url)
    assert run.returncode == 0, run.stderr
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    assert lines == current
    assert [{name: row[name] for name in FIELDS} for row in lines] == [r.to_dict() for r in extract_file(path)]
    assert list(lines[0]) == list(EXPORT_COLUMNS)  # contract fields first

    status, out, err = _cli(capsys, "export", "--db", store_url, "--format", "csv", "--include-superseded")
    assert status == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == list(EXPORT_COLUMNS)
    assert [_typed(row) for row in rows] == stored


def _typed(row: dict[str, str]) -> dict[str, object]:
    """A CSV row read back with the store's types."""
    floats, ints = {"value", "low", "high", "unit_factor"}, {"char_start", "char_end", "quote_start", "page"}
    typed: dict[str, object] = {}
    for name, text in row.items():
        if text == "" and name not in ("raw_unit", "raw_qualifier"):
            typed[name] = None
        elif name in floats:
            typed[name] = float(text)
        elif name in ints:
            typed[name] = int(text)
        elif name in ("superseded", "headline"):
            typed[name] = text == "True"
        else:
            typed[name] = text
    assert not any(isinstance(v, float) and math.isnan(v) for v in typed.values())
    return typed


def test_export_of_a_missing_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _cli(capsys, "export", "--db", f"sqlite:///{tmp_path / 'none.sqlite'}")
    assert status == 1 and "no store at" in err
    assert not (tmp_path / "none.sqlite").exists()


def test_migrate_command(store_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _cli(capsys, "migrate", "--db", store_url)
    assert status == 0 and f"schema version {LATEST_VERSION} (migrated from version 0)" in out
    status, out, _ = _cli(capsys, "migrate", "--db", store_url)
    assert status == 0 and f"schema version {LATEST_VERSION} (up to date)" in out


def test_unreachable_store_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["migrate", "--db", "postgresql+psycopg://nobody@127.0.0.1:1/none"]) == 1
    assert capsys.readouterr().err.startswith("error: store error:")


@pytest.mark.parametrize("command", ["ingest", "export", "migrate"])
def test_help_shows_examples(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    assert "examples:" in text and f"python -m store {command}" in text and "--db URL" in text


def test_extract_command_is_unchanged(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_brief(tmp_path, 1)
    assert extractors_main(["extract", str(path)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines == [r.to_dict() for r in extract_file(path)]
    assert extractors_main(["extract", str(tmp_path / "missing.txt")]) == 1


def test_ensure_default_store_builds_from_briefs_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    briefs = write_briefs(corpus, 4)
    (corpus / "README.md").write_text("# Sample corpus\n\nKilled 40 people.\n")
    (corpus / "draft.txt").write_text("Strikes killed 12 people in Gaza.")  # no sidecar: not a brief
    store = tmp_path / "data" / "store.sqlite"
    store.parent.mkdir()
    monkeypatch.setattr(store_connect, "DEFAULT_STORE_PATH", store)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    calls: list[tuple[int, int, str]] = []

    url = ensure_default_store(lambda done, total, item: calls.append((done, total, item)), corpus=corpus)
    assert url == f"sqlite:///{store}" and store.exists()
    assert [(done, total) for done, total, _ in calls] == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert sorted(p.name for p in store.parent.iterdir()) == ["store.sqlite", "store.sqlite.lock"]  # no build leftovers
    engine = open_store(url)
    try:
        assert count_documents(engine) == 4
        assert sum(1 for _ in iter_records(engine)) == expected_records(briefs)
    finally:
        engine.dispose()
    calls.clear()
    assert ensure_default_store(lambda *a: calls.append(a), corpus=corpus) == url and calls == []  # exists: left alone


def test_ensure_default_store_on_postgresql(postgres, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    briefs = write_briefs(corpus, 3)
    url = postgres.create_database("default_store_test")
    monkeypatch.setenv("DATABASE_URL", url)
    assert ensure_default_store(corpus=corpus) == url
    assert ensure_default_store(corpus=corpus) == url  # not empty: nothing ingested again
    engine = open_store(url)
    try:
        assert count_documents(engine) == 3
        assert sum(1 for _ in iter_records(engine)) == expected_records(briefs)
    finally:
        engine.dispose()


def test_the_real_corpus_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = REPO / "data" / "corpus"
    briefs = [p for p in corpus.glob("*") if p.suffix in (".txt", ".md") and p.with_suffix(".meta.json").exists()]
    if not briefs:
        pytest.skip("data/corpus/ has no briefs")
    monkeypatch.setattr(store_connect, "DEFAULT_STORE_PATH", tmp_path / "store.sqlite")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    engine = open_store(ensure_default_store(corpus=corpus))
    try:
        assert count_documents(engine) == len(briefs)
        assert sum(1 for _ in iter_records(engine)) == expected_records(briefs)
    finally:
        engine.dispose()


def test_progress_plain_lines_and_terminal_bar() -> None:
    plain = io.StringIO()
    bar = ProgressBar(plain, tty=False, delay=0, plain_interval=0)
    for done in range(1, 4):
        bar(done, 3, f"doc{done}.txt")
    bar.write("error: doc2.txt: broken")
    bar.close()
    lines = plain.getvalue().splitlines()
    assert lines[0].startswith("ingest: 1/3 documents (33%)") and lines[2].startswith("ingest: 3/3 documents (100%)")
    assert lines[3] == "error: doc2.txt: broken" and "\r" not in plain.getvalue()

    terminal = io.StringIO()
    bar = ProgressBar(terminal, tty=True, delay=0)
    bar(1, 2, "a.txt")
    bar.write("error: a.txt: broken")
    bar(2, 2, "b.txt")
    bar.close()
    text = terminal.getvalue()
    assert "\r\x1b[2Kingest [###############...............] 1/2" in text and "error: a.txt: broken\n" in text
    assert text.endswith("\n") and "2/2 documents (100%)" in text

    quiet = io.StringIO()
    bar = ProgressBar(quiet, tty=False)  # a run shorter than the 1 s delay shows nothing
    bar(1, 1, "a.txt")
    bar.close()
    assert quiet.getvalue() == ""


@pytest.mark.parametrize("command", ["ingest", "export", "migrate"])
def test_extractors_alias_runs_the_store_command_with_a_note(
    command: str, store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`python -m extractors ingest|export|migrate` runs `python -m store`'s command for one more release."""
    args = {"ingest": [str(write_brief(tmp_path, 1))], "export": [], "migrate": []}[command]
    assert main(["migrate", "--db", store_url]) == 0  # a store to export
    capsys.readouterr()
    assert extractors_main([command, *args, "--db", store_url]) == 0
    err = capsys.readouterr().err
    assert f"note: `python -m extractors {command}` is deprecated; use `python -m store {command}`" in err


ISOLATION = """
import sys
import extractors, extractors.cli, extractors.engine, extractors.loaders
from extractors.cli import main
try:
    status = main(sys.argv[1:])
except SystemExit as done:  # --help
    status = done.code
loaded = sorted(name for name in sys.modules if name.split(".")[0] in ("sqlalchemy", "store"))
print(loaded, file=sys.stderr)
raise SystemExit(1 if loaded else status)
"""


@pytest.mark.parametrize(
    ("argv", "store_loaded"),
    [
        pytest.param(["extract", "--help"], False, id="extract-help"),
        pytest.param(["extract", "FILE"], False, id="extract"),
        pytest.param(["migrate", "--help"], True, id="alias-loads-store"),
    ],
)
def test_extractors_never_import_the_store(argv: list[str], store_loaded: bool, tmp_path: Path) -> None:
    import subprocess
    import sys

    argv = [str(write_brief(tmp_path, 1)) if arg == "FILE" else arg for arg in argv]
    run = subprocess.run(
        [sys.executable, "-c", ISOLATION, *argv], cwd=REPO, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120
    )
    loaded = run.stderr.strip().splitlines()[-1]
    if store_loaded:  # the alias: the store is imported, lazily, when asked for
        assert "'store'" in loaded and "'sqlalchemy'" in loaded
    else:
        assert loaded == "[]" and run.returncode == 0, run.stderr
