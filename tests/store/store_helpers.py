"""Helpers of the store tests: generated briefs, the extractor's own counts, the CLI in a child process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from extractors import extract_file

REPO = Path(__file__).resolve().parents[2]

PLACES = ("Gaza", "Sudan", "Haiti", "Yemen", "Myanmar", "South Sudan", "Somalia", "Ukraine")


def brief_text(number: int, *, figures: int = 3, revision: int = 0) -> str:
    """A short report with `figures` figures of people; distinct for every (number, revision)."""
    place = PLACES[number % len(PLACES)]
    sentences = [
        f"Strikes killed at least {100 + number * 7 + revision} people in {place} on 3 May 2025, the health ministry said.",
        f"Another {40 + number + revision} people were injured in the attacks.",
        f"Floods displaced more than {1000 + number * 13 + revision} people across {place}, the UN said.",
        f"Officials said {10 + number} aid workers had been killed since January.",
    ]
    body = " ".join(sentences[:figures])
    return f"Report {number} on {place}\n\nThis brief {number} (revision {revision}) summarizes a report. {body}\n"


def write_brief(folder: Path, number: int, *, figures: int = 3, revision: int = 0, sidecar: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"brief-{number:03d}.txt"
    path.write_text(brief_text(number, figures=figures, revision=revision), encoding="utf-8")
    if sidecar:
        meta = {
            "title": f"Report {number}",
            "publisher": "Test Wire",
            "url": f"https://example.org/report-{number}",
            "published": "2025-05-04",
            "kind": "summary",
        }
        (folder / f"brief-{number:03d}.meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return path


def write_briefs(folder: Path, count: int, *, start: int = 0, figures: int = 3) -> list[Path]:
    return [write_brief(folder, number, figures=figures) for number in range(start, start + count)]


def expected_records(paths: list[Path]) -> int:
    """How many records the extractor itself finds in these files."""
    return sum(len(extract_file(path)) for path in paths)


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """`python -m store ARGS` in a real child process."""
    full_env = {name: value for name, value in os.environ.items() if name != "DATABASE_URL"}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "store", *args],
        cwd=REPO,
        env=full_env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=timeout,
    )


def as_of_version(patched: Any, engine: Any, version: int) -> int:
    """Migrate `engine` to schema `version` only, and make ingestion write what the code of that version wrote
    (no identity fields before migration 5, no lang before migration 8, ISO codes in *_code before 10), with `patched` (a monkeypatch context); the version reached."""
    from store import ingest, migrations
    from store.schema import RECORD_FIELDS_ADDED

    patched.setattr(migrations, "STEPS", migrations.STEPS[:version])
    patched.setattr(migrations, "LATEST_VERSION", version)
    if version < 10:  # identity fields came with migration 5, lang with 8, ISO codes moved out of *_code with 10
        rows_of = ingest._record_rows
        missing = set(RECORD_FIELDS_ADDED) if version < 5 else {"lang", "admin1_iso", "admin2_iso"} if version < 8 else set()
        missing |= {"admin1_iso", "admin2_iso"}

        def older_rows(*args: Any, **kwargs: Any) -> list[dict]:
            rows = rows_of(*args, **kwargs)
            if version >= 7:  # *_code held ISO 3166-2 codes from migration 7 to 10
                rows = [{**row, "admin1_code": row["admin1_iso"], "admin2_code": row["admin2_iso"]} for row in rows]
            return [{k: v for k, v in row.items() if k not in missing} for row in rows]

        patched.setattr(ingest, "_record_rows", older_rows)
    if version < 6:  # no band hashes, no copies found before migration 6
        patched.setattr(ingest, "band_rows", lambda *args: [])
        patched.setattr(ingest, "find_same", lambda *args: None)
    return migrations.migrate(engine)
