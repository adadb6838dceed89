"""Run the dashboard with its store read before the first visitor: `python -m dashboard.serve`.

    python -m dashboard.serve                                   # the default store, http://localhost:8501
    python -m dashboard.serve --server.address 0.0.0.0          # served on every network interface
    python -m dashboard.serve --server.port 8600 -- --db sqlite:///big.sqlite
    DATABASE_URL=postgresql://... python -m dashboard.serve

The arguments are those of `streamlit run dashboard/app.py` (Streamlit's options, then `--`
and the app's own `--db URL`), which this runs unchanged; installed (`pip install .`), the same
command is `hid-dashboard`. `dashboard` must be importable: `python -m` puts the working
directory on the path, so run it from the repository, or install the project. Run from the repository, Streamlit reads
.streamlit/config.toml, which makes it listen on localhost only. Before it hands over to Streamlit it
starts one background thread that imports the app's modules and reads the store into the same
cache the pages use (ui.dataset_cached), so the first visitor after a start does not wait for
them (a big store's read takes seconds). A visitor who comes while the thread is still
reading waits for the same read, done once. The default store is not built here: when it is
missing, the first visitor's session builds it, with its progress shown.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

APP = Path(__file__).resolve().parent / "app.py"
HELP = "-h", "--help"


def app_arguments(argv: Sequence[str]) -> list[str]:
    """The app's own arguments: what follows `--` (Streamlit passes them to the script as sys.argv[1:])."""
    argv = list(argv)
    return argv[argv.index("--") + 1 :] if "--" in argv else []


def streamlit_argv(argv: Sequence[str]) -> list[str]:
    """The command line of `streamlit run dashboard/app.py ARGV...`."""
    return ["streamlit", "run", str(APP), *argv]


def warm_up(app_argv: Sequence[str]) -> str:
    """Import the app's modules and read the chosen store into the pages' cache; a line saying what was done.

    Never raises: a store that cannot be read is left for the first session, which says why on the page.
    """
    started = time.perf_counter()
    try:
        from dashboard.model import data
        from dashboard.ui import exports_ui, review_ui, ui  # noqa: F401 - the imports app.py makes, done now

        choice = data.choose_store(["app.py", *app_argv])
        if data.store_needs_building(choice):
            return "warm-up: the default store is built by the first session"
        fingerprint = data.store_fingerprint(ui.engine_cached(choice.url))
        dataset = ui.dataset_cached(choice.url, fingerprint)
    except Exception as error:  # any failure is the first session's to show, on the page
        # The error's text is not printed: it may hold the store's address, password included.
        return f"warm-up: skipped ({type(error).__name__}); the first session reads the store and says what is wrong"
    return f"warm-up: {len(dataset.records):,} records ready in {time.perf_counter() - started:.1f} s"


THREAD_NAME = "dashboard-warm-up"
CONTEXT_LOGGER = "streamlit.runtime.scriptrunner_utils.script_run_context"


def _not_from_warm_up(record: logging.LogRecord) -> bool:
    # Streamlit warns of a "missing ScriptRunContext" when a cached function runs outside a
    # page's script, as the warm-up's do by design: that warning is noise here, and only here.
    return record.threadName != THREAD_NAME


def _warm_up_thread(app_argv: Sequence[str]) -> None:
    # One write: print() writes the text and the newline separately, and the server's own log
    # lines, written by other threads to the same stream, landed between the two.
    sys.stderr.write(warm_up(app_argv) + "\n")
    sys.stderr.flush()


def main(argv: Sequence[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] and argv[0] in HELP:  # this launcher's usage; Streamlit's options have their own --help
        sys.stdout.write(__doc__ + "\nStreamlit's options: `python -m streamlit run --help`.\n")
        return
    logging.getLogger(CONTEXT_LOGGER).addFilter(_not_from_warm_up)
    from dashboard.model.frames import use_compact_arrow_pool

    use_compact_arrow_pool(os.environ)  # before the store is read: its peak is the server's
    # Streamlit is imported whole before the warm-up starts: a thread importing it while this one
    # did got the module half made (no st._main yet), and the warm-up failed with an AttributeError.
    import streamlit  # noqa: F401
    from streamlit.web import cli

    threading.Thread(target=_warm_up_thread, args=(app_arguments(argv),), name=THREAD_NAME, daemon=True).start()
    sys.argv = streamlit_argv(argv)
    cli.main()


if __name__ == "__main__":
    main()
