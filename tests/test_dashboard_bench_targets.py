"""bench/dashboard_bench.py's targets: the 2 GB memory target is a real server's (bench/server_memory.py) at a million
figures, never the benchmark process's own memory, and a server page's seconds in the browser have none."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import dashboard_bench  # noqa: E402
import server_memory  # noqa: E402

BIG, SMALL = dashboard_bench.BIG_SIZE, dashboard_bench.TARGET_SIZE
GB = dashboard_bench.BIG_MEMORY_MB


@pytest.mark.parametrize(
    ("row", "size", "target"),
    [
        *(pytest.param(row, BIG, GB, id=f"1M {row}") for row in server_memory.MEMORY_ROWS),
        pytest.param(server_memory.PEAK_ROW, SMALL, None, id="100k server peak: no target"),
        pytest.param("bench process memory: resident MB after the runs", BIG, None, id="1M bench process: no target"),
        pytest.param("bench process memory: peak resident MB", BIG, None, id="1M bench process peak: no target"),
        pytest.param(
            server_memory.PAGE_ROW + "Trends, indicator displaced", BIG, None, id="1M server page (filtered): no target"
        ),
        pytest.param(server_memory.PAGE_ROW + "Overview", SMALL, None, id="100k server page: not a first render"),
        pytest.param("Trends: filter (indicator)", BIG, 0.2, id="1M filter"),
        pytest.param("Overview: first render", SMALL, 2.0, id="100k first render"),
        pytest.param("review reflected: next run after an accepted figure", BIG, 1.0, id="1M review reflected"),
    ],
)
def test_which_rows_have_a_target(row, size, target):
    assert dashboard_bench.target_for(row, size) == target
