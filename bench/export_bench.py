"""PNG export benchmark: the time to export a briefing-ready chart, first (cold browser) and subsequent (warm).

    .venv/bin/python bench/export_bench.py [--runs 5] [--browser /usr/bin/chromium]

Builds the records of data/corpus/ in memory (no store), then for each size (slide 1600x900
and column 600x500, both at 2x) times:

- building the briefing figure (dashboard.exports.briefing.briefing_chart) alone;
- the first PNG export of the process: Chromium is started (kaleido through choreographer);
- the next `--runs` exports on the same warm browser (median, min, max), alternating charts;
- for comparison, a standalone HTML export, and the CSV, HXL CSV, JSON lines and data package of the
  corpus's records and of 500 copies of them (35,000 records).

Wall-clock times; the machine is shared, so expect some noise. The exit status is always 0
unless Chromium is missing (1).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHARTS = (("deaths", "Palestine"), ("displaced", "Sudan"), ("aid_worker_casualties", "Palestine"), ("famine_exposure", "Sudan"))
SIZES = (("slide", 1600, 900), ("column", 600, 500))


def load_records():
    import pandas as pd

    from dashboard.model import data
    from extractors import extract_file

    rows = [record.to_dict() for path in sorted((ROOT / "data" / "corpus").glob("*.txt")) for record in extract_file(path)]
    return data.prepare_records(pd.DataFrame(rows)).records


def timed(function, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="warm exports per size (default 5)")
    parser.add_argument("--browser", help="Chromium to drive (default: $BROWSER_PATH or /usr/bin/chromium)")
    args = parser.parse_args(argv)

    from datetime import date

    from dashboard.exports import briefing, chart_files, data_package, record_files
    from dashboard.model.filters import Filters

    renderer = chart_files.PngRenderer(args.browser)
    if not Path(renderer.browser_path).is_file():
        print(f"Chromium not found at {renderer.browser_path}: apt-get install chromium, or --browser PATH", file=sys.stderr)
        return 1
    load_time, records = timed(load_records)
    print(
        f"records: {len(records)} from data/corpus/ in {load_time:.2f} s; browser {renderer.browser_path}; {args.runs} warm runs per size\n"
    )
    extracted = date.today()

    def figure(chart: tuple[str, str], width: int, height: int):
        return briefing.briefing_chart(records, Filters(), *chart, extracted=extracted, width=width, height=height)

    rows: list[tuple[str, str]] = []
    build = [timed(figure, CHARTS[0], 1600, 900)[0] for _ in range(5)]
    rows.append(("build the briefing figure (no rendering)", f"{statistics.median(build) * 1000:.0f} ms"))
    try:
        for index, (name, width, height) in enumerate(SIZES):
            chart = figure(CHARTS[0], width, height)
            if index == 0:
                cold, content = timed(renderer.png, chart, width=width, height=height, scale=2)
                size = chart_files.png_size(content)
                rows.append((f"first PNG, cold browser ({name} {width}x{height} @2x = {size[0]}x{size[1]})", f"{cold:.2f} s"))
            warm: list[float] = []
            for run in range(args.runs):
                chart = figure(CHARTS[run % len(CHARTS)], width, height)
                seconds, content = timed(renderer.png, chart, width=width, height=height, scale=2)
                warm.append(seconds)
            rows.append(
                (
                    f"next PNGs, warm browser ({name} {width}x{height} @2x, {len(content) // 1024} KB)",
                    f"median {statistics.median(warm):.2f} s (min {min(warm):.2f}, max {max(warm):.2f})",
                )
            )
    finally:
        renderer.close()
    responsive = briefing.briefing_chart(
        records, Filters(), *CHARTS[0], extracted=extracted, width=1100, height=720, responsive=True
    )
    seconds, page = timed(chart_files.standalone_html, responsive, title="bench", height=720)
    rows.append((f"standalone HTML ({len(page) / 1e6:.1f} MB, plotly.js inline)", f"{seconds * 1000:.0f} ms"))
    import pandas as pd

    many = pd.concat([records] * 500, ignore_index=True)
    for frame in (records, many):
        for label, function in (
            ("CSV", record_files.records_csv),
            ("HXL CSV", lambda frame: record_files.records_csv(frame, hxl=True)),
            ("JSON lines", record_files.records_jsonl),
            ("data package (zip)", data_package.datapackage_zip),
        ):
            seconds, _ = timed(function, frame)
            rows.append((f"{label} of {len(frame):,} records", f"{seconds * 1000:.0f} ms"))

    width = max(len(label) for label, _ in rows)
    print("| export | time |\n|---|---|")
    for label, value in rows:
        print(f"| {label:<{width}} | {value} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
