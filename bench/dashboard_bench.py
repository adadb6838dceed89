"""Dashboard benchmark: time to first render of each page and to apply a filter, on big stores.

    .venv/bin/python bench/dashboard_bench.py            # 100,000 and 1,000,000 records
    .venv/bin/python bench/dashboard_bench.py --sizes 100000 --repeat 3

Generated SQLite stores (20 records per document, 6 indicators, 40 locations, 200 sources,
2019-2025) are cached in bench/.cache/ (git-ignored). Each page runs in Streamlit's AppTest,
which executes the real script and marshals every element (Arrow tables, Plotly JSON) but
does not draw in a browser. Measured per store size:

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
  then a text search.

Every figure is the median of --repeat runs, in wall-clock seconds and, in brackets, the
process's CPU seconds (the app runs in this process): on a shared machine other work inflates
the first but hardly the second. The load average is printed before and after each size.

Targets at 100,000 records: first render (the first session's included) < 2 s and filter
< 300 ms; missed targets print 'TARGET MISSED' and the exit status is 1. The last column says
how each figure grows from the smallest size to the largest.
"""

from __future__ import annotations

import argparse
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

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from extractors.gazetteer import gazetteer  # noqa: E402
from store import create_store_engine, migrate  # noqa: E402

CACHE = REPO / "bench" / ".cache"
APP = REPO / "dashboard" / "app.py"
GENERATOR_VERSION = 3  # 3: location_iso3 and, for the gazetteer's countries, admin1 (issue 16)
PER_DOC = 20
INDICATORS = ("deaths", "injured", "displaced", "famine_exposure", "food_insecurity", "aid_worker_casualties")
OUTCOMES = {
    "deaths": "killed",
    "injured": "injured",
    "displaced": "displaced",
    "famine_exposure": None,
    "food_insecurity": None,
    "aid_worker_casualties": "killed",
}
LOCATIONS = (
    "Afghanistan",
    "Burkina Faso",
    "Cameroon",
    "Central African Republic",
    "Chad",
    "Colombia",
    "Democratic Republic of the Congo",
    "Ethiopia",
    "Haiti",
    "Iraq",
    "Lebanon",
    "Libya",
    "Mali",
    "Mozambique",
    "Myanmar",
    "Niger",
    "Nigeria",
    "Pakistan",
    "Palestine",
    "Somalia",
    "South Sudan",
    "Sudan",
    "Syria",
    "Ukraine",
    "Venezuela",
    "Yemen",
    "Bangladesh",
    "Burundi",
    "Eritrea",
    "Kenya",
    "Uganda",
    "Tanzania",
    "Rwanda",
    "Zimbabwe",
    "Malawi",
    "Madagascar",
    "Guatemala",
    "Honduras",
    "Philippines",
    "Worldwide",
)
ISO3 = dict(zip(LOCATIONS[:-1], (
    "AFG", "BFA", "CMR", "CAF", "TCD", "COL", "COD", "ETH", "HTI", "IRQ", "LBN", "LBY", "MLI", "MOZ", "MMR", "NER", "NGA",
    "PAK", "PSE", "SOM", "SSD", "SDN", "SYR", "UKR", "VEN", "YEM", "BGD", "BDI", "ERI", "KEN", "UGA", "TZA", "RWA", "ZWE",
    "MWI", "MDG", "GTM", "HND", "PHL",
), strict=True))  # fmt: skip
"""The locations' ISO 3166-1 alpha-3 codes (Worldwide has none)."""
QUALIFIERS = ("exact", "at_least", "more_than", "approx", "at_most", "range", "vague")
QUALIFIER_P = (0.45, 0.2, 0.1, 0.12, 0.05, 0.05, 0.03)
MEASURES = ("cumulative", "period", "snapshot", "rate")
MEASURE_P = (0.5, 0.2, 0.25, 0.05)
WORDS = {
    "exact": "",
    "at_least": "At least",
    "more_than": "More than",
    "approx": "About",
    "at_most": "Up to",
    "range": "Between",
    "vague": "Dozens of",
}
# Who counted a figure: a few originators state most figures (as ministries and UN agencies do),
# and one figure in ten names none, so that the charts' grouping by originator meets its fallback.
ORIGINATORS = (
    "Ministry of Health",
    "UN OCHA",
    "IOM DTM",
    "UNHCR",
    "WFP",
    "IPC",
    "National Disaster Agency",
    "UNICEF",
    "WHO",
    "ACLED",
    "Red Cross",
    "Civil Defence",
    "",
)
ORIGINATOR_P = (0.2, 0.15, 0.1, 0.1, 0.08, 0.07, 0.07, 0.05, 0.04, 0.02, 0.01, 0.01, 0.1)
KIND_OUTCOMES = {
    "displaced": ("displaced", "evacuated", "sheltering", "refugees"),
    "aid_worker_casualties": ("killed", "injured", "kidnapped"),
}
TARGET_RENDER_S = 2.0
TARGET_FILTER_S = 0.3
TARGET_SIZE = 100_000


def identity(rng: np.random.Generator, indicators: list[str], measures: list[str]) -> list[tuple]:
    """Outcome, headline, scope, originator and status of one document's figures.

    Drawn from their own generator, so that every other column is the same as in stores made
    before the identity fields existed (the benchmark compares code from before and after them).
    The first figure of each indicator and outcome is the document's headline total; a third of the
    others are parts; one in twenty food-security or famine figures is a projection.
    """
    rows, seen = [], set()
    for indicator, measure in zip(indicators, measures, strict=True):
        outcomes = KIND_OUTCOMES.get(indicator)
        outcome = outcomes[int(rng.integers(0, len(outcomes)))] if outcomes else OUTCOMES[indicator]
        headline = (indicator, outcome) not in seen and measure != "rate"
        seen.add((indicator, outcome))
        scope = "total" if headline or rng.random() > 0.33 else "part"
        originator = ORIGINATORS[int(rng.choice(len(ORIGINATORS), p=ORIGINATOR_P))] or None
        projected = indicator in ("food_insecurity", "famine_exposure") and rng.random() < 0.05
        rows.append((outcome, headline, scope, originator, "projected" if projected else "reported"))
    return rows


def insert_rows(connection: sqlite3.Connection, table: str, rows: list[dict[str, object]]) -> None:
    """Rows as dicts, each column written only if this code's schema has it (older schemas lack the newer ones)."""
    present = [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]
    columns = [name for name in present if name in rows[0]]
    statement = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    connection.executemany(statement, [tuple(row.get(name) for name in columns) for row in rows])


def generate_store(path: Path, size: int, seed: int = 20250525) -> None:
    """A SQLite store of `size` synthetic current records, through the store's own schema."""
    building = path.with_suffix(".building")
    building.unlink(missing_ok=True)
    engine = create_store_engine(f"sqlite:///{building}")
    migrate(engine)
    engine.dispose()
    rng = np.random.default_rng(seed)
    identity_rng = np.random.default_rng(seed + 1)
    area_rng = np.random.default_rng(seed + 2)
    areas: dict[str, list] = {}
    for area in gazetteer().areas:
        if area.level == 1:
            areas.setdefault(area.iso3, []).append(area)
    locations = list(LOCATIONS)
    sources = [
        f"{name} {i:03d}"
        for i, name in enumerate(np.resize(["Reuters", "AFP", "OCHA", "Al Jazeera", "AP", "UNHCR", "IOM", "WFP"], 200))
    ]
    connection = sqlite3.connect(building)
    connection.execute("PRAGMA journal_mode = OFF")
    connection.execute("PRAGMA synchronous = OFF")
    documents = (size + PER_DOC - 1) // PER_DOC
    start_day = np.datetime64("2019-01-01")
    for first in range(0, documents, 5000):
        count = min(5000, documents - first)
        doc_rows, record_rows = [], []
        doc_source = rng.integers(0, len(sources), count)
        doc_location = rng.integers(0, len(locations), count)
        doc_day = rng.integers(0, 7 * 365, count)
        for k in range(count):
            number = first + k
            n = min(PER_DOC, size - number * PER_DOC)
            doc_id = f"{number:064x}"
            source, location = sources[doc_source[k]], locations[doc_location[k]]
            published = str(start_day + int(doc_day[k]))
            indicators = rng.integers(0, len(INDICATORS), n)
            qualifiers = rng.choice(len(QUALIFIERS), n, p=QUALIFIER_P)
            measures = rng.choice(len(MEASURES), n, p=MEASURE_P)
            values = np.round(np.exp(rng.uniform(2, 14, n)))
            lags = rng.integers(0, 10, n)
            quotes, offsets, position = [], [], 0
            for j in range(n):
                qualifier = QUALIFIERS[qualifiers[j]]
                raw = f"{int(values[j]):,}"
                prefix = (WORDS[qualifier] + " ") if WORDS[qualifier] else ""
                quote = f"{prefix}{raw} people were affected in {location} as of {published}, according to the {source} office."
                offsets.append((position, position + len(prefix), position + len(prefix) + len(raw)))
                quotes.append(quote)
                position += len(quote) + 1
            text = "\n".join(quotes)
            doc_rows.append({
                "doc_id": doc_id, "origin": f"bench://{number}", "doc": f"bench-{number}.txt", "title": f"Situation report {number}",
                "publisher": source, "url": f"https://example.org/report/{number}", "published": published,
                "kind": "summary" if number % 2 else "report", "source": source, "content_type": "text/plain", "page_map": "[]",
                "text": text, "ingested_at": "2025-01-01T00:00:00+00:00", "version": 1, "superseded_at": None,
            })  # fmt: skip
            kinds = identity(identity_rng, [INDICATORS[i] for i in indicators], [MEASURES[m] for m in measures])
            for j in range(n):
                indicator, qualifier, measure = INDICATORS[indicators[j]], QUALIFIERS[qualifiers[j]], MEASURES[measures[j]]
                value = float(values[j])
                low = None if qualifier in ("approx", "at_most", "fewer_than") else value
                high = (
                    value * 1.3
                    if qualifier in ("range", "vague")
                    else (None if qualifier in ("at_least", "more_than", "approx") else value)
                )
                quote_start, char_start, char_end = offsets[j]
                reference = str(start_day + int(doc_day[k]) - int(lags[j]))
                outcome, headline, scope, originator, status = kinds[j]
                iso3 = ISO3.get(location)
                area = areas[iso3][area_rng.integers(len(areas[iso3]))] if iso3 in areas and area_rng.random() < 0.5 else None
                record_rows.append({
                    "record_id": f"{number:012x}{j:08x}", "doc": f"bench-{number}.txt", "indicator": indicator, "outcome": outcome,
                    "value": value, "low": low, "high": high, "qualifier": qualifier,
                    "unit": "person / day" if measure == "rate" else "person", "raw_value": f"{int(value):,}", "raw_unit": "people",
                    "measure": measure, "population": None, "location": location, "attribution": f"the {source} office",
                    "quote": quotes[j], "char_start": char_start, "char_end": char_end, "source": source,
                    "url": f"https://example.org/report/{number}", "published": published, "reference_date": reference,
                    "extractor_version": "bench", "location_iso3": iso3, "place": location, "raw_qualifier": WORDS[qualifier].lower(),
                    "unit_factor": 1.0, "quote_start": quote_start, "title": f"Situation report {number}",
                    "doc_kind": "summary" if number % 2 else "report", "doc_id": doc_id, "page": None, "review_status": "unreviewed",
                    "superseded": 0, "headline": headline, "scope": scope, "originator": originator, "status": status,
                    "admin1": area.name if area else None, "admin1_code": (area.code or None) if area else None,
                    "admin2": None, "admin2_code": None,
                })  # fmt: skip
        insert_rows(connection, "documents", doc_rows)
        insert_rows(connection, "records", record_rows)
        connection.commit()
    connection.execute("PRAGMA journal_mode = DELETE")
    connection.close()
    os.replace(building, path)


def store_for(size: int) -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"dashboard-{size}-v{GENERATOR_VERSION}.sqlite"
    if not path.exists():
        started = time.perf_counter()
        print(f"generating {size:,} records into {path.relative_to(REPO)} ...", flush=True)
        generate_store(path, size)
        print(f"  generated in {time.perf_counter() - started:.1f} s", flush=True)
    return path


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


def measure(size: int, repeat: int, pages: dict[str, str | None] = PAGES) -> dict[str, Sample]:
    from streamlit.testing.v1 import AppTest

    from dashboard.ui import ui

    url = f"sqlite:///{store_for(size)}"
    os.environ["DATABASE_URL"] = url
    sys.argv = ["app.py"]
    print(f"{size:,} records: load average {load_average()}", flush=True)

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
        page_caches = [ui.tiles_cached, ui.trend_cached, ui.comparison_cached, ui.source_counts_cached]
        # The charts' records and the tooltips remembered for them (caches newer than this benchmark).
        page_caches += [getattr(ui, name) for name in ("chart_records_by_key_cached", "tooltips_cached") if hasattr(ui, name)]
        from dashboard.ui import map_ui

        page_caches.append(map_ui.ranking_cached)
        for cached in page_caches:
            cached.clear()

    results = measure_store_read(url, repeat)
    folder = Path(tempfile.mkdtemp(prefix="dashboard-bench-snapshots-"))
    try:
        for row, snapshot_setting in (
            ("first session: first render (reads the store)", "off"),
            ("first session: first render (store unchanged: snapshot)", str(folder)),
        ):
            os.environ["DASHBOARD_SNAPSHOTS"] = snapshot_setting
            if snapshot_setting != "off":  # the full read that saves the snapshot, as the last start did
                ui.dataset_cached.clear()
                checked(app(None).run())
            first_sessions = []
            for _ in range(repeat):  # a server start: nothing cached
                ui.dataset_cached.clear()
                clear_page_caches()
                gc.collect()
                at = app(None)
                first_sessions.append(timed(lambda at=at: checked(at.run())))
            results[row] = median(first_sessions)
    finally:
        os.environ["DASHBOARD_SNAPSHOTS"] = "off"  # nothing more written to the folder removed here
        shutil.rmtree(folder, ignore_errors=True)
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
        by_indicator, by_search = [], []
        for attempt in range(repeat):
            at = checked(app(page).run())
            indicator = FILTER_INDICATORS[attempt % len(FILTER_INDICATORS)]
            by_indicator.append(timed(lambda at=at, i=indicator: checked(at.multiselect(key="f_indicator").set_value([i]).run())))
            search = SEARCHES[attempt % len(SEARCHES)]
            by_search.append(timed(lambda at=at, q=search: checked(at.text_input(key="f_q").input(q).run())))
            clear_page_caches()
        results[f"{name}: filter (indicator)"] = median(by_indicator)
        results[f"{name}: filter (search)"] = median(by_search)
    ui.dataset_cached.clear()  # the next size's store, not this one, in memory
    gc.collect()
    print(f"{size:,} records: done, load average {load_average()}", flush=True)
    return results


def target_for(row: str) -> float | None:
    if "filter" in row:
        return TARGET_FILTER_S
    if "first render" in row:
        return TARGET_RENDER_S
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each measurement (median)")
    parser.add_argument("--pages", nargs="+", choices=list(PAGES), default=list(PAGES), help="the pages to time")
    args = parser.parse_args(argv)
    import logging

    # AppTest runs scripts outside a server, and Streamlit warns about it on every run (whatever its log level,
    # which its configuration resets): a filter keeps only errors.
    for name in ("streamlit.runtime.scriptrunner_utils.script_run_context", "streamlit.runtime.caching.cache_data_api"):
        logging.getLogger(name).addFilter(lambda record: record.levelno >= logging.ERROR)
    print(f"load average before: {load_average()} on {os.cpu_count()} cores")
    pages = {name: PAGES[name] for name in args.pages}
    table = {size: measure(size, args.repeat, pages) for size in args.sizes}
    print(f"load average after: {load_average()}")
    rows = list(next(iter(table.values())))
    growing = len(args.sizes) > 1
    header = f"{'measurement':58}" + "".join(f"{size:>18,}" for size in args.sizes) + (f"{'growth':>14}" if growing else "")
    print(f"\nseconds: wall-clock (CPU), median of {args.repeat} (AppTest: script run + element marshalling, no browser drawing)")
    print(header)
    print("-" * len(header))
    for row in rows:
        cells = "".join(f"{table[size][row][0]:9.3f} ({table[size][row][1]:6.3f})" for size in args.sizes)
        growth = ""
        first, last = table[args.sizes[0]][row][0], table[args.sizes[-1]][row][0]
        if growing and first > 0:
            growth = f"{last / first:13.1f}x"
        print(f"{row:58}{cells}{growth}")
    missed = 0
    if TARGET_SIZE in table:
        for row, (seconds, cpu) in table[TARGET_SIZE].items():
            target = target_for(row)
            if target is not None and seconds > target:
                missed += 1
                print(
                    f"TARGET MISSED at {TARGET_SIZE:,} records: {row} took {seconds:.3f} s ({cpu:.3f} s CPU; target {target} s)"
                )
        if not missed:
            print(
                f"All targets met at {TARGET_SIZE:,} records (first render < {TARGET_RENDER_S} s, filter < {TARGET_FILTER_S} s)."
            )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
