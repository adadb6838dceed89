"""Event totals on real articles: the extractor against the Wikimpacts dev split (../shared/wikimpacts-dev).

Runs `python -m extractors extract <split>/docs --format jsonl` and the split's own score.py on the
records, and prints its table: per category (deaths, injured, displaced, homeless) how often the
event's annotated total is among the records (`found`), is the record marked `headline`
(`headline`), how often a headline is given where the annotators recorded none (`spurious`), and
the Wikimpacts paper's error (lower is better; GPT-4o deaths 0.060, o1 0.040).

    .venv/bin/python bench/wikimpacts_bench.py [--split PATH] [--misses]

The split is evaluation data: learn from its misses, and write the project's tests in other words.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SPLIT = ROOT.parent / "shared" / "wikimpacts-dev"


def run(split: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """score.py's run on the extractor's records of the split's documents (stdout holds its table)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory() as folder:
        records = Path(folder) / "records.jsonl"
        with records.open("w", encoding="utf-8") as out:
            subprocess.run(
                [sys.executable, "-m", "extractors", "extract", str(split / "docs"), "--format", "jsonl"],
                stdout=out,
                check=True,
                cwd=ROOT,
                env=env,
            )
        return subprocess.run(
            [sys.executable, str(split / "score.py"), str(records), *extra], capture_output=True, text=True, cwd=ROOT
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", type=Path, default=DEFAULT_SPLIT, help=f"the split's folder (default {DEFAULT_SPLIT})")
    parser.add_argument("--misses", action="store_true", help="list the events whose headline is wrong or missing")
    args = parser.parse_args(argv)
    if not (args.split / "score.py").is_file():
        print(f"no Wikimpacts split at {args.split}", file=sys.stderr)
        return 2
    result = run(args.split, *(["--misses"] if args.misses else []))
    print(result.stdout, end="")
    print(result.stderr, end="", file=sys.stderr)
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
