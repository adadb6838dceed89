"""Dashboard benchmark: time to first render of each page and to apply a filter, on big stores.

    .venv/bin/python bench/dashboard_bench.py            # 100,000 and 1,000,000 records, SQLite
    .venv/bin/python bench/dashboard_bench.py --sizes 100000 --repeat 3
    .venv/bin/python bench/dashboard_bench.py --backends sqlite postgresql --postgres URL --before DIR

Stores are made by bench/store_generator.py: SQLite files cached in bench/.cache/ (git-ignored;
--cache DIR elsewhere), PostgreSQL databases on the --postgres server, one per size. Each store
and each code (--before DIR, a checkout of an earlier commit, then this one) is measured in a
process of its own, one after the other. Each page runs in Streamlit's AppTest,
which executes the real script and marshals every element (Arrow tables, Plotly JSON) but
does not draw in a browser. AppTest compiles the page scripts again on every run, which a server
does once: the runs share one compiled-script cache, as a server's sessions do (share_script_cache). Measured per store size:

- reference: the records table fetched with the sqlite3 module alone, which no dashboard code
  touches: comparing it between runs tells the machine's speed (it drifts, shared) from the code's;
- store read, outside the app: read_records (store.current_records with the
  publishers), the reviewers' corrections laid over them, and prepare_records;
- first session: the first render after a server start, which reads the store into the
  cached Dataset (its cache is cleared before each repetition): once reading the store in full
  (as after any change to it, or with DASHBOARD_SNAPSHOTS=off), once from the snapshot that
  the full read saved (dashboard/model/snapshots.py: a store unchanged since the last read);
- first render: each page in a new session, with the Dataset cached but the page's own
  computations not (they depend on the filters; their caches, the charts' records and the
  tooltips remembered per store included, are cleared before each repetition); then again,
  with them cached;
- filter: one sidebar change (an indicator, a different one each repetition) on each page,
  then a text search; and a text search alone, as the first filter of a fresh session;
- review reflected: a figure accepted (store.reviews), then a session's next run, which must show it;
- server memory: a real server of the same code on the same store (bench/server_memory.py:
  `python -m dashboard.serve`, snapshots off, every page a visitor reaches without signing in opened
  in headless Chromium, a figure accepted and the Overview opened again): its resident memory after
  the store read, after every page, after the review, and its peak; with the seconds each page took
  in the browser (no target);
- bench process memory: this benchmark's own process after the first session, after every run, and
  its peak. It is not a server (it reads the store several times and keeps every AppTest session):
  no target.

Every figure is the median of --repeat runs, in wall-clock seconds and, in brackets, the
process's CPU seconds (the app runs in this process): on a shared machine other work inflates
the first but hardly the second. The load average is printed before and after each size.

Targets at 100,000 records: first render (the first session's included) < 2 s and filter
< 300 ms; at 1,000,000: first render on a warm server < 1 s, filter < 200 ms, review reflected
< 1 s, the server's resident memory (every server memory row) < 2 GB. Missed targets print
'TARGET MISSED' and the exit status is 1. --no-server leaves the server out.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CODE_ENV = "DASHBOARD_BENCH_CODE"
CODE = Path(os.environ.get(CODE_ENV) or REPO).resolve()
"""The dashboard code measured: this checkout, or another (--code, a checkout of an earlier commit)."""
sys.path.insert(0, str(CODE))
APP = CODE / "dashboard" / "app.py"

import server_memory  # noqa: E402  (bench/, beside this script)
import store_generator  # noqa: E402

CACHE = REPO / "bench" / ".cache"
TARGET_RENDER_S = 2.0
TARGET_FILTER_S = 0.3
TARGET_SIZE = 100_000
BIG_SIZE = 1_000_000
BIG_TARGETS = {"first render": 1.0, "filter": 0.2, "review reflected": 1.0}
BIG_MEMORY_MB = 2048


def store_for(size: int, cache: Path = CACHE) -> Path:
    """The generated SQLite store of `size` records (bench/store_generator.py), made on first use."""
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"dashboard-{size}-v{store_generator.GENERATOR_VERSION}.sqlite"
    if not path.exists():
        started = time.perf_counter()
        print(f"generating {size:,} records into {path} ...", flush=True)
        store_generator.generate(f"sqlite:///{path}", size)
        print(f"  generated in {time.perf_counter() - started:.1f} s", flush=True)
    return path


def postgres_store_for(size: int, server: str) -> str:
    """A database of `size` generated records on the PostgreSQL server at `server` (a URL), made on first use."""
    import psycopg
    import sqlalchemy as sa

    name = f"dashboard_{size}_v{store_generator.GENERATOR_VERSION}"
    base = sa.make_url(store_generator_url(server))
    plain = base.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(plain, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
    url = base.set(database=name).render_as_string(hide_password=False)
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            has = connection.execute(sa.text("SELECT to_regclass('documents') IS NOT NULL")).scalar_one()
            filled = has and connection.execute(sa.text("SELECT COUNT(*) FROM documents")).scalar_one() > 0
    finally:
        engine.dispose()
    if not filled:
        started = time.perf_counter()
        print(f"generating {size:,} records into PostgreSQL database {name} ...", flush=True)
        store_generator.generate(url, size)
        print(f"  generated in {time.perf_counter() - started:.1f} s", flush=True)
    return url


def store_generator_url(url: str) -> str:
    from store.connect import normalize_url

    return normalize_url(url)


Sample = tuple[float, float]
"""(wall-clock seconds, process CPU seconds) of one run."""


def timed(action: Callable[[], object]) -> Sample:
    started, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - started, time.process_time() - cpu


def median(samples: list[Sample]) -> Sample:
    return statistics.median(wall for wall, _ in samples), statistics.median(cpu for _, cpu in samples)


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


PAGES = {
    "Overview": None,
    "Trends": "views/trends.py",
    "Map": "views/map.py",
    "Sources": "views/sources.py",
    "Records": "views/records.py",
}
FILTER_INDICATORS = ("injured", "displaced", "famine_exposure", "food_insecurity", "aid_worker_casualties", "deaths")
SEARCHES = ("reuters", "afp 00", "ocha office", "people were affected", "iom 0", "wfp")


REFERENCE_ROW = "reference: sqlite3 fetch of the records table"
"""Independent of the dashboard's code: how fast the machine is now (a shared machine's speed drifts by 2x)."""


def reference_scan(url: str) -> int:
    """Every row of the records table through the sqlite3 module, as plain tuples."""
    connection = sqlite3.connect(url.removeprefix("sqlite:///"))
    try:
        cursor = connection.execute("SELECT * FROM records")
        count = 0
        while rows := cursor.fetchmany(20_000):
            count += len(rows)
        return count
    finally:
        connection.close()


def measure_store_read(url: str, repeat: int) -> dict[str, Sample]:
    """The cold load's parts, called directly: what the first session waits for."""
    from dashboard.model import data

    try:  # the reviewers' corrections, laid over the records before they are prepared (dashboard.ui.ui.dataset_cached)
        from dashboard.model.review import overlay_reviews
        from store.reviews import corrections
    except ImportError:
        overlay_reviews = corrections = None
    engine = data.open_engine(url)
    samples: dict[str, list[Sample]] = {
        REFERENCE_ROW: [],
        "store read: read_records": [],
        "store read: corrections": [],
        "store read: prepare_records": [],
    }

    def step(name: str, action: Callable[[], Any]) -> Any:
        kept: list[Any] = []
        samples[name].append(timed(lambda: kept.append(action())))
        return kept[0]

    try:
        for _ in range(repeat):
            gc.collect()
            samples[REFERENCE_ROW].append(timed(lambda: reference_scan(url)))
            frame = step("store read: read_records", lambda: data.read_records(engine))
            if overlay_reviews is not None:
                frame = step("store read: corrections", lambda frame=frame: overlay_reviews(frame, corrections(engine)))
            step("store read: prepare_records", lambda frame=frame: data.prepare_records(frame))
            del frame
    finally:
        engine.dispose()
    return {name: median(values) for name, values in samples.items() if values}


def memory_mb() -> tuple[float, float]:
    """(resident, peak resident) megabytes of this process (Linux /proc)."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def review_target(url: str, attempt: int) -> str:
    """A record to accept in repetition `attempt`: a different one each time (generated ids, store_generator)."""
    return f"{attempt + 1:012x}{0:08x}"


def share_script_cache() -> None:
    """One ScriptCache for every AppTest run, as one for every session of a server (AppTest makes one per run)."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared


def measure(url: str, repeat: int, *, store_read: bool) -> dict[str, Sample]:
    from streamlit.testing.v1 import AppTest

    from dashboard.ui import ui
    from store.reviews import review_record

    os.environ["DATABASE_URL"] = url
    sys.argv = ["app.py"]
    share_script_cache()
    print(f"{url}: load average {load_average()}", flush=True)

    def app(page: str | None) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=600)
        if page:
            at.switch_page(page)
        return at

    def checked(at: AppTest) -> AppTest:
        if at.exception or at.error:
            raise RuntimeError([e.value for e in (*at.exception, *at.error)])
        return at

    def clear_page_caches() -> None:
        page_caches = [ui.trend_cached, ui.comparison_cached, ui.source_counts_cached]
        # The charts' records, their files' names and the tooltips remembered for them, and the Overview's cards where ui holds them
        # (the code measured may be older or newer than this benchmark).
        page_caches += [
            getattr(ui, name)
            for name in ("tiles_cached", "chart_records_by_key_cached", "chart_naming_cached", "tooltips_cached")
            if hasattr(ui, name)
        ]
        with contextlib.suppress(ImportError):  # the Overview's cards, in their own module
            from dashboard.ui import cards_ui

            page_caches.append(cards_ui.tiles_cached)
        with contextlib.suppress(ImportError):  # the Map page's ranking (a --before checkout may have no Map)
            from dashboard.ui import map_ui

            page_caches.append(map_ui.ranking_cached)
        for cached in page_caches:
            cached.clear()

    def forget_store() -> None:
        """A server start: nothing read, nothing cached (dataset_cached, or the shared live copy where there is one)."""
        ui.dataset_cached.clear()
        ui.fingerprint_cached.clear()
        for name in ("live_store_cached", "positions_cached", "headlines_cached"):
            if hasattr(ui, name):
                getattr(ui, name).clear()
        with contextlib.suppress(ImportError):  # what the Overview's cards read of every record, per store state
            from dashboard.ui import cards_ui

            cards_ui.card_codes_cached.clear()

    results = measure_store_read(url, repeat) if store_read and url.startswith("sqlite") else {}
    folder = Path(tempfile.mkdtemp(prefix="dashboard-bench-snapshots-"))
    try:
        for row, snapshot_setting in (
            ("first session: first render (reads the store)", "off"),
            ("first session: first render (store unchanged: snapshot)", str(folder)),
        ):
            if snapshot_setting != "off" and not url.startswith("sqlite"):
                continue  # PostgreSQL stores are read in full
            os.environ["DASHBOARD_SNAPSHOTS"] = snapshot_setting
            if snapshot_setting != "off":  # the full read that saves the snapshot, as the last start did
                forget_store()
                checked(app(None).run())
            first_sessions = []
            for _ in range(repeat):  # a server start: nothing cached
                forget_store()
                clear_page_caches()
                gc.collect()
                at = app(None)
                first_sessions.append(timed(lambda at=at: checked(at.run())))
            results[row] = median(first_sessions)
            if snapshot_setting == "off":  # a server that has read the store once and drawn its first page
                resident = memory_mb()[0]
                results["bench process memory: resident MB after the first session"] = (resident, resident)
    finally:
        os.environ["DASHBOARD_SNAPSHOTS"] = "off"  # nothing more written to the folder removed here
        shutil.rmtree(folder, ignore_errors=True)
    # The pages of the code measured: a --before checkout may predate some.
    pages = {name: page for name, page in PAGES.items() if page is None or (CODE / "dashboard" / page).is_file()}
    for name, page in pages.items():
        cold = []
        for _ in range(repeat):
            clear_page_caches()
            cold.append(timed(lambda page=page: checked(app(page).run())))
        results[f"{name}: first render"] = median(cold)
        results[f"{name}: first render, page cached"] = median(
            [timed(lambda page=page: checked(app(page).run())) for _ in range(repeat)]
        )
    for name, page in pages.items():
        by_indicator, by_search, by_search_alone = [], [], []
        for attempt in range(repeat):
            at = checked(app(page).run())
            indicator = FILTER_INDICATORS[attempt % len(FILTER_INDICATORS)]
            by_indicator.append(timed(lambda at=at, i=indicator: checked(at.multiselect(key="f_indicator").set_value([i]).run())))
            search = SEARCHES[attempt % len(SEARCHES)]
            by_search.append(timed(lambda at=at, q=search: checked(at.text_input(key="f_q").input(q).run())))
            clear_page_caches()
            at = checked(app(page).run())  # the search as the first filter: every headline figure's text looked through
            by_search_alone.append(timed(lambda at=at, q=search: checked(at.text_input(key="f_q").input(q).run())))
            clear_page_caches()
        results[f"{name}: filter (indicator)"] = median(by_indicator)
        results[f"{name}: filter (search)"] = median(by_search)
        results[f"{name}: filter (search alone)"] = median(by_search_alone)
    # A reviewer accepts a figure (store.reviews, as the Review page does, then refresh_store_ui): how long until a
    # session's next run shows it, its Overview redrawn.
    engine = ui.engine_cached(url)
    reflected = []
    for attempt in range(repeat):
        at = checked(app(None).run())
        record_id = review_target(url, attempt)
        review_record(engine, record_id, "accept", f"bench reviewer {attempt}")
        ui.refresh_store_ui()
        reflected.append(timed(lambda at=at: checked(at.run())))
        shown = at.session_state[ui.VIEW_KEY].dataset.records
        status = shown.loc[shown["record_id"] == record_id, "review_status"].tolist()
        if status != ["accepted"]:
            raise RuntimeError(f"the review of {record_id} is not shown after the next run: {status}")
    results["review reflected: next run after an accepted figure"] = median(reflected)
    resident, peak = memory_mb()
    results["bench process memory: resident MB after the runs"] = (resident, resident)
    results["bench process memory: peak resident MB"] = (peak, peak)
    print(f"{url}: done, load average {load_average()}", flush=True)
    return results


def target_for(row: str, size: int) -> float | None:
    if row.startswith(SERVER_ROWS):
        return BIG_MEMORY_MB if size >= BIG_SIZE and row in server_memory.MEMORY_ROWS else None
    if size >= BIG_SIZE:
        if "memory" in row:
            return None  # this process's own: not a server's
        if "page cached" in row or row.startswith("first session"):
            return None  # the targets are for a warm server: the store read once, the page's own work not yet done
        return next((target for name, target in BIG_TARGETS.items() if name in row), None)
    if size == TARGET_SIZE:
        if "filter" in row:
            return TARGET_FILTER_S
        if "first render" in row:
            return TARGET_RENDER_S
    return None


RESULT_PREFIX = "RESULT "
SERVER_ROWS = ("server memory", server_memory.PAGE_ROW)


def run_worker(code: Path, url: str, repeat: int, store_read: bool) -> dict[str, Sample]:
    """One measurement in a fresh process running the dashboard code of `code` (its memory its own)."""
    import json
    import subprocess

    command = [sys.executable, __file__, "--worker", url, "--repeat", str(repeat)] + (["--store-read"] if store_read else [])
    environment = {**os.environ, CODE_ENV: str(code)}
    completed = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    sys.stderr.write(completed.stderr[-3000:] if completed.returncode else "")
    lines = [line for line in completed.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    print("\n".join(line for line in completed.stdout.splitlines() if not line.startswith(RESULT_PREFIX)), flush=True)
    if completed.returncode or not lines:
        raise RuntimeError(f"the measurement of {code} on {url} failed (exit status {completed.returncode})")
    return {row: tuple(sample) for row, sample in json.loads(lines[-1][len(RESULT_PREFIX) :]).items()}


def run_server(code: Path, url: str) -> dict[str, Sample]:
    """bench/server_memory.py in a process of its own: a real server of `code` on `url` (its rows, as samples)."""
    import json
    import subprocess

    command = [sys.executable, server_memory.__file__, "--db", url, "--code", str(code), "--json",
               "--indicator", FILTER_INDICATORS[1], "--search", SEARCHES[0]]  # fmt: skip
    print(f"{url}: a real server of {code}, load average {load_average()}", flush=True)
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode or not completed.stdout.strip():
        sys.stderr.write(completed.stderr[-3000:])
        raise RuntimeError(f"the server measurement of {code} on {url} failed (exit status {completed.returncode})")
    return {row: (value, value) for row, value in json.loads(completed.stdout.splitlines()[-1]).items()}


def quiet_streamlit() -> None:
    import logging

    # AppTest runs scripts outside a server, and Streamlit warns about it on every run (whatever its log level,
    # which its configuration resets): a filter keeps only errors.
    for name in ("streamlit.runtime.scriptrunner_utils.script_run_context", "streamlit.runtime.caching.cache_data_api"):
        logging.getLogger(name).addFilter(lambda record: record.levelno >= logging.ERROR)


def store_url(size: int, backend: str, cache: Path, postgres: str | None) -> str:
    if backend == "sqlite":
        return f"sqlite:///{store_for(size, cache)}"
    if postgres is None:
        raise SystemExit("--backends postgresql needs --postgres URL (a server: scripts/postgres_test_server.py starts one)")
    return postgres_store_for(size, postgres)


def main(argv: list[str] | None = None) -> int:
    import json

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--backends", nargs="+", choices=("sqlite", "postgresql"), default=["sqlite"])
    parser.add_argument("--postgres", help="a PostgreSQL server's URL; a database per size is generated there on first use")
    parser.add_argument("--cache", type=Path, default=CACHE, help="folder of the generated SQLite stores")
    parser.add_argument("--before", type=Path, help="a checkout of the code to compare with (git worktree add DIR COMMIT)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each measurement (median)")
    parser.add_argument("--store-read", action="store_true", help="also time the store read's parts outside the app")
    parser.add_argument("--no-server", action="store_true", help="leave out the real server's memory (bench/server_memory.py)")
    parser.add_argument("--worker", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    quiet_streamlit()
    if args.worker:
        results = measure(args.worker, args.repeat, store_read=args.store_read)
        print(RESULT_PREFIX + json.dumps(results), flush=True)
        return 0
    codes = [("before", args.before.resolve()), ("after", REPO)] if args.before else [("", REPO)]
    print(f"load average before: {load_average()} on {os.cpu_count()} cores")
    table: dict[tuple[int, str, str], dict[str, Sample]] = {}
    for size in args.sizes:
        for backend in args.backends:
            url = store_url(size, backend, args.cache, args.postgres)
            for label, code in codes:  # before and after one after the other on one store: the same machine state
                table[(size, backend, label)] = run_worker(code, url, args.repeat, args.store_read)
                if not args.no_server:
                    table[(size, backend, label)] |= run_server(code, url)
    print(f"load average after: {load_average()}")
    columns = list(table)
    rows = list(dict.fromkeys(row for results in table.values() for row in results))
    names = [f"{size:,} {backend} {label}".strip() for size, backend, label in columns]
    print(f"\nseconds: wall-clock (CPU), median of {args.repeat} (AppTest: script run + element marshalling, no drawing);")
    print("server rows: one real server in Chromium, wall-clock seconds until a page's script finished, once")
    width = max(56, *(len(row) + 2 for row in rows))
    header = f"{'measurement':{width}}" + "".join(f"{name:>26}" for name in names)
    print(header)
    print("-" * len(header))
    for row in rows:
        cells = ""
        for column in columns:
            sample = table[column].get(row)
            if sample is None:
                cells += f"{'-':>26}"
            elif "memory" in row:
                cells += f"{sample[0]:>23,.0f} MB"
            elif row.startswith(server_memory.PAGE_ROW):
                cells += f"{sample[0]:15.3f}{'':10}"
            else:
                cells += f"{sample[0]:15.3f} ({sample[1]:7.3f})"
        print(f"{row:{width}}{cells}")
    missed = 0
    for (size, _backend, label), results in table.items():
        if label == "before":
            continue
        for row, (value, cpu) in results.items():
            target = target_for(row, size)
            if target is not None and value > target:
                missed += 1
                if target == BIG_MEMORY_MB and "memory" in row:
                    print(f"TARGET MISSED at {size:,} records ({_backend}): {row}: {value:,.0f} MB (target {target:,} MB)")
                    continue
                print(f"TARGET MISSED at {size:,} records ({_backend}): {row} took {value:.3f} ({cpu:.3f} CPU; target {target})")
    if not missed:
        print("All targets met.")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
