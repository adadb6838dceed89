"""Run the fuzzing properties with fresh random examples until a time budget is spent.

    .venv/bin/python scripts/fuzz.py              # 10 minutes (make fuzz)
    .venv/bin/python scripts/fuzz.py --minutes 60 # longer
    .venv/bin/python scripts/fuzz.py --minutes 2 tests/test_properties.py

Each round is one pytest run of the property tests under the hypothesis profile `fuzz` (2,000
random examples a test); rounds go on until the budget is spent or one fails. A failure prints
hypothesis's falsifying example and its reproduction blob; the exit status is pytest's.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_TESTS = ["tests/test_fuzz.py", "tests/test_properties.py", "tests/test_fast_paths.py"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10.0, help="time budget (default: 10)")
    parser.add_argument("tests", nargs="*", default=DEFAULT_TESTS, help="test files (default: the property tests)")
    args = parser.parse_args(argv)
    deadline = time.monotonic() + args.minutes * 60
    environment = {**os.environ, "HYPOTHESIS_PROFILE": "fuzz"}
    rounds = 0
    while time.monotonic() < deadline:
        rounds += 1
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", *args.tests]
        result = subprocess.run(command, cwd=ROOT, env=environment, check=False)
        if result.returncode != 0:
            print(f"fuzz: round {rounds} failed", file=sys.stderr)
            return result.returncode
        print(f"fuzz: round {rounds} passed, {max(0.0, deadline - time.monotonic()) / 60:.1f} minutes left", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
