"""dashboard.serve: `streamlit run dashboard/app.py` with the store read before the first visitor.

The browser suite (test_dashboard_browser.py) runs every page against a real `python -m
dashboard.serve`; these tests check its parts: the command line it hands to Streamlit, and
that the warm-up fills the very cache the pages read, without ever raising.
"""

from __future__ import annotations

from typing import NamedTuple

import pytest

from dashboard import serve
from dashboard.model import data
from dashboard.ui import ui


class ArgvCase(NamedTuple):
    argv: list[str]
    app_argv: list[str]  # what app.py gets as sys.argv[1:]
    id: str


ARGV_CASES = [
    ArgvCase([], [], "nothing"),
    ArgvCase(["--server.port", "8600"], [], "streamlit options only"),
    ArgvCase(["--", "--db", "sqlite:///x.sqlite"], ["--db", "sqlite:///x.sqlite"], "the app's store"),
    ArgvCase(["--server.port", "8600", "--", "--db=sqlite:///x.sqlite"], ["--db=sqlite:///x.sqlite"], "both"),
]


@pytest.mark.parametrize("case", ARGV_CASES, ids=lambda case: case.id)
def test_the_arguments_are_those_of_streamlit_run(case: ArgvCase) -> None:
    assert serve.streamlit_argv(case.argv) == ["streamlit", "run", str(serve.APP), *case.argv]
    assert serve.app_arguments(case.argv) == case.app_argv


@pytest.fixture
def fresh_caches() -> None:
    ui.dataset_cached.clear()
    ui.engine_cached.clear()
    yield
    ui.dataset_cached.clear()
    ui.engine_cached.clear()


def test_the_warm_up_fills_the_cache_the_pages_read(test_store: str, fresh_caches: None, monkeypatch) -> None:
    line = serve.warm_up(["--db", test_store])
    assert line.startswith("warm-up: ") and " records ready in " in line, line

    def read_again(*_: object) -> None:
        raise AssertionError("the page read the store again")

    monkeypatch.setattr(data, "prepare_records", read_again)
    fingerprint = data.store_fingerprint(ui.engine_cached(test_store))
    dataset = ui.dataset_cached(test_store, fingerprint)  # as ui.store_ui asks for it
    assert f"{len(dataset.records):,} records" in line and len(dataset.records) > 0


class FailureCase(NamedTuple):
    app_argv: list[str]
    id: str


FAILURE_CASES = [
    FailureCase(["--db", "sqlite:////nonexistent-folder/x.sqlite"], "a store that cannot be opened"),
    FailureCase(["--db", "postgresql://user:secret-password@127.0.0.1:1/x"], "a server that does not answer"),
    FailureCase(["--db", "no-such-scheme://x"], "a malformed address"),
]


@pytest.mark.parametrize("case", FAILURE_CASES, ids=lambda case: case.id)
def test_a_failed_warm_up_says_so_and_leaves_the_error_to_the_page(case: FailureCase, fresh_caches: None) -> None:
    line = serve.warm_up(case.app_argv)
    assert line.startswith("warm-up: skipped ("), line
    assert "secret-password" not in line  # the address, password included, is never printed


def test_the_warm_up_line_is_written_whole(monkeypatch) -> None:
    """In one write, so that the server's log lines from other threads cannot land inside it (they did)."""
    writes: list[str] = []

    class Recorder:
        def write(self, text: str) -> int:
            writes.append(text)
            return len(text)

        def flush(self) -> None:
            pass

    monkeypatch.setattr(serve, "warm_up", lambda app_argv: "warm-up: 14 records ready in 0.1 s")
    monkeypatch.setattr("sys.stderr", Recorder())
    serve._warm_up_thread([])
    assert writes == ["warm-up: 14 records ready in 0.1 s\n"]


ARROW_POOL_CASES = [
    pytest.param({}, "jemalloc", id="jemalloc, which hands freed memory back"),
    pytest.param({"ARROW_DEFAULT_MEMORY_POOL": "system"}, "system", id="the environment's choice kept"),
]


@pytest.mark.parametrize(("environment", "pool"), ARROW_POOL_CASES)
def test_streamlit_and_arrow_s_allocator_are_set_up_before_the_warm_up_starts(environment, pool) -> None:
    """A warm-up importing Streamlit while the main thread did got it half made (no st._main: AttributeError);
    and the store is read with the allocator that keeps the server's peak low (frames.use_compact_arrow_pool).

    In a fresh interpreter, where nothing has imported Streamlit yet.
    """
    import os
    import subprocess
    import sys

    code = (
        "import sys, threading\n"
        "from dashboard import serve\n"
        "class Recorder:\n"
        "    def __init__(self, *args, **kwargs):\n"
        "        import pyarrow\n"
        "        st = sys.modules.get('streamlit')\n"
        "        print(st is not None and hasattr(st, '_main') and 'streamlit.web.cli' in sys.modules, flush=True)\n"
        "        print(pyarrow.default_memory_pool().backend_name, flush=True)\n"
        "        raise SystemExit(0)\n"
        "threading.Thread = Recorder\n"
        "serve.main([])\n"
    )
    environ = {name: value for name, value in os.environ.items() if name != "ARROW_DEFAULT_MEMORY_POOL"} | environment
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=serve.APP.parents[1], env=environ, capture_output=True, text=True, timeout=120
    )
    assert done.stdout.split() == ["True", pool], done.stdout + done.stderr[-2000:]
