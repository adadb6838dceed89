"""Batch export of a view: `python -m dashboard.export --indicator deaths --location PSE --png out.png --csv out.csv`.

Reads the store (`--db URL`; without it DATABASE_URL, else the embedded default store
data/store.sqlite, built from data/corpus/ first when missing), selects records like the
dashboard's filters do, and writes the chosen files. Every file is made in memory first:
on any error (unknown indicator or location, malformed date, empty selection, a chart
that cannot be rendered) nothing is written and the exit status is 1.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from dashboard.exports.formats import FORMATS, RECORD_FORMATS, Context

EPILOG = """\
examples:
  # the deaths chart for Palestine (by ISO3 code or name) as a slide PNG, with its data
  python -m dashboard.export --indicator deaths --location PSE --png deaths.png --csv deaths.csv --html deaths.html

  # a PNG for a narrow column, 2x
  python -m dashboard.export --indicator displaced --location Sudan --png sudan.png --width 600 --height 500

  # 2024 only, one source, as HXL-tagged CSV and a zip data package
  python -m dashboard.export --indicator deaths --location PSE --from 2024-01-01 --to 2024-12-31 \\
      --source "UN OCHA (occupied Palestinian territory)" --hxl deaths-hxl.csv --datapackage deaths.zip

  # only the figures a reviewer accepted or corrected, as CSV
  python -m dashboard.export --reviewed-only --csv reviewed.csv

  # every record of another store (parts too, not only headline figures) as JSON lines on stdout
  python -m dashboard.export --db sqlite:///other.sqlite --parts --jsonl -

exit status: 0 when every file was written, 1 on an error (nothing is written), 2 on bad usage.
"""
STDOUT = "-"
TEXT_OUTPUTS = tuple(format_.name for format_ in FORMATS if format_.to_stdout)
OUTPUTS = tuple(format_.name for format_ in FORMATS)


class UsageError(Exception):
    """A selection or option the export cannot honour; the message is shown as is."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard.export",
        description="Export a dashboard view: its chart as a briefing-ready PNG or standalone HTML, its records as CSV, "
        "HXL CSV, JSON lines or a zip data package.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    selection = parser.add_argument_group("selection (as the dashboard's filters; repeat an option for several values)")
    selection.add_argument(
        "--indicator", action="append", default=[], metavar="NAME", help="deaths, injured, displaced, famine_exposure, ..."
    )
    selection.add_argument(
        "--location", action="append", default=[], metavar="NAME|ISO3", help="a location name or ISO3 code (PSE, SDN)"
    )
    selection.add_argument(
        "--source", action="append", default=[], metavar="NAME", help="a source (publisher) as the dashboard lists it"
    )
    selection.add_argument("--measure", action="append", default=[], metavar="NAME", help="cumulative, period, rate or snapshot")
    selection.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="figures dated on or after this day")
    selection.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="figures dated on or before this day")
    selection.add_argument("--search", default="", metavar="TEXT", help="words that quotes, sources or places must contain")
    selection.add_argument(
        "--reviewed-only",
        action="store_true",
        help="only figures a reviewer accepted or corrected (rejected ones are always left out)",
    )
    selection.add_argument(
        "--status", action="append", default=[], choices=("reported", "projected"), help="reported or projected figures only"
    )
    selection.add_argument(
        "--parts",
        action="store_true",
        help="also the figures that are not headlines: subgroups, sub-areas, single incidents (the default: headline figures)",
    )
    outputs = parser.add_argument_group("outputs (at least one; '-' writes CSV, HXL or JSON lines to stdout)")
    for format_ in FORMATS:  # the download formats' table, as the dashboard's buttons read it
        needs = " (needs one indicator and one location)" if format_.subject == "chart" else ""
        outputs.add_argument(f"--{format_.name}", metavar="FILE", help=format_.help + needs)
    image = parser.add_argument_group("image")
    image.add_argument(
        "--width", type=int, default=1600, help="PNG width in layout pixels (default 1600; 600 for a narrow column)"
    )
    image.add_argument("--height", type=int, default=900, help="PNG height in layout pixels (default 900)")
    image.add_argument(
        "--scale", type=float, default=2.0, help="PNG pixel ratio (default 2: a 1600x900 chart is 3200x1800 pixels)"
    )
    image.add_argument(
        "--browser", metavar="PATH", help="Chromium or Chrome for PNG export (default: $BROWSER_PATH or /usr/bin/chromium)"
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help="store URL (sqlite:///path or postgresql://...); default: DATABASE_URL, else data/store.sqlite",
    )
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress or summary on stderr")
    return parser


def parse_day(value: str | None, option: str) -> date | None:
    """A YYYY-MM-DD day, or UsageError.

    >>> parse_day("2024-02-29", "--from")
    datetime.date(2024, 2, 29)
    """
    if value is None:
        return None
    text = value.strip()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{option} {value!r} is not a date: use YYYY-MM-DD, e.g. 2024-01-31") from None


def _suggest(value: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(value, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


@dataclass(frozen=True)
class Selection:
    records: Any  # the filtered records (pandas DataFrame)
    filters: Any  # dashboard.model.filters.Filters
    indicator: str | None
    location: str | None


def select(dataset: Any, args: argparse.Namespace) -> Selection:
    """The dataset's records that the options select; UsageError for unknown values or an empty selection."""
    from dashboard.exports.file_names import resolve_location
    from dashboard.model.filters import Filters, apply_filters, clean_search
    from extractors.record import INDICATORS, MEASURES

    known_indicators = tuple(dict.fromkeys((*INDICATORS, *dataset.indicators)))
    for indicator in args.indicator:
        if indicator not in known_indicators:
            raise UsageError(
                f"unknown indicator {indicator!r}{_suggest(indicator, known_indicators)}; choose from {', '.join(known_indicators)}"
            )
    known_measures = tuple(dict.fromkeys((*MEASURES, *dataset.measures)))
    for measure in args.measure:
        if measure not in known_measures:
            raise UsageError(f"unknown measure {measure!r}; choose from {', '.join(known_measures)}")
    locations: list[str] = []
    for value in args.location:
        label = resolve_location(value, dataset.records)
        if label is None:
            raise UsageError(
                f"unknown location {value!r}{_suggest(value, dataset.locations)}; the store has {', '.join(dataset.locations) or 'none'}"
            )
        locations.append(label)
    lookup = {source.casefold(): source for source in dataset.sources}
    sources: list[str] = []
    for value in args.source:
        source = lookup.get(value.strip().casefold())
        if source is None:
            raise UsageError(f"unknown source {value!r}{_suggest(value, dataset.sources)}")
        sources.append(source)
    date_from, date_to = parse_day(args.date_from, "--from"), parse_day(args.date_to, "--to")
    if date_from and date_to and date_from > date_to:
        raise UsageError(f"--from {date_from} is after --to {date_to}")
    filters = Filters(
        indicators=tuple(dict.fromkeys(args.indicator)),
        locations=tuple(dict.fromkeys(locations)),
        sources=tuple(dict.fromkeys(sources)),
        measures=tuple(dict.fromkeys(args.measure)),
        date_from=date_from,
        date_to=date_to,
        search=clean_search(args.search or ""),
        reviewed_only=args.reviewed_only,
        statuses=tuple(dict.fromkeys(args.status)),
        parts=args.parts,
    )
    records = apply_filters(dataset.records, filters)
    if records.empty:
        raise UsageError("no records match the selection: widen it (fewer options, other dates)")
    present_indicators = list(dict.fromkeys(records["indicator"].astype(str)))
    present_locations = list(dict.fromkeys(records["location_label"].astype(str)))
    indicator = present_indicators[0] if len(present_indicators) == 1 else None
    location = present_locations[0] if len(present_locations) == 1 else None
    return Selection(records, filters, indicator, location)


def make_outputs(selection: Selection, args: argparse.Namespace, extracted: date | None) -> dict[str, bytes]:
    """Each requested file's bytes (nothing is written here)."""
    from dashboard.charts.charts import trend_title
    from dashboard.exports import briefing, briefing_text, chart_files, file_names

    wanted = {name: getattr(args, name) for name in OUTPUTS if getattr(args, name)}
    files: dict[str, bytes] = {}
    records, filters = selection.records, selection.filters
    if "png" in wanted or "html" in wanted:
        if selection.indicator is None or selection.location is None:
            many = []
            if selection.indicator is None:
                many.append("indicators " + ", ".join(dict.fromkeys(records["indicator"].astype(str))))
            if selection.location is None:
                many.append("locations " + ", ".join(dict.fromkeys(records["location_label"].astype(str))))
            raise UsageError(
                "a chart shows one indicator at one location; the selection has "
                + " and ".join(many)
                + ": add --indicator/--location"
            )
        subset = briefing_text.select_chart_records(records, selection.indicator, selection.location)
        if subset["date"].notna().sum() == 0:
            raise UsageError("no dated figures to chart in the selection")
        config = file_names.chart_config(filters, indicator=selection.indicator, location=selection.location, records=subset)
        if "png" in wanted:
            if not (100 <= args.width <= 8000 and 100 <= args.height <= 8000 and 0.25 <= args.scale <= 8):
                raise UsageError("--width and --height must be 100-8000 pixels and --scale 0.25-8")
            figure = briefing.briefing_chart(
                records,
                filters,
                selection.indicator,
                selection.location,
                extracted=extracted,
                width=args.width,
                height=args.height,
            )
            try:
                files["png"] = chart_files.png_bytes(
                    figure, width=args.width, height=args.height, scale=args.scale, browser_path=args.browser
                )
            except chart_files.ExportError as error:
                raise UsageError(str(error)) from error
        if "html" in wanted:
            figure, narrow = briefing.responsive_briefing(
                records, filters, selection.indicator, selection.location, extracted=extracted
            )
            title = trend_title(selection.indicator, selection.location)
            page = chart_files.standalone_html(figure, title=title, config=config, height=720, narrow_layout=narrow)
            files["html"] = page.encode("utf-8")
    record_formats = [format_ for format_ in RECORD_FORMATS if format_.name in wanted]
    if record_formats:
        title = Context.title
        if selection.indicator and selection.location:
            title = f"{trend_title(selection.indicator, selection.location)}: indicator records"
        context = Context(title=title, description=briefing_text.filters_text(filters, records), extracted=extracted)
        for format_ in record_formats:
            files[format_.name] = format_.build(records, context)
    return files


def _check_destinations(args: argparse.Namespace) -> None:
    seen: dict[str, str] = {}
    for name in OUTPUTS:
        target = getattr(args, name)
        if not target:
            continue
        if target == STDOUT:
            if name not in TEXT_OUTPUTS:
                raise UsageError(f"--{name} cannot go to stdout: give a file name")
            if STDOUT in seen:
                raise UsageError(f"only one output can go to stdout (--{seen[STDOUT]} and --{name})")
            seen[STDOUT] = name
            continue
        path = Path(target).expanduser().resolve()
        if str(path) in seen:
            raise UsageError(f"--{seen[str(path)]} and --{name} would write the same file {target}")
        seen[str(path)] = name
        if path.is_dir():
            raise UsageError(f"--{name} {target} is a folder: give a file name")
        if not path.parent.is_dir():
            raise UsageError(f"--{name} {target}: no folder {path.parent}")


def _write(target: str, content: bytes) -> None:
    """Write a file whole (a temporary file renamed into place), or to stdout."""
    if target == STDOUT:
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
        return
    path = Path(target).expanduser()
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # as open() would create it, not mkstemp's 0600
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def open_store(args: argparse.Namespace, say: Any) -> tuple[str, Any]:
    """(url, engine) of the store to read; the default store is built first when missing."""
    from dashboard.model.data import StoreUnavailable, open_engine

    if args.db:
        from store.connect import normalize_url

        url = normalize_url(args.db.strip())
    else:
        from store import ensure_default_store

        def progress(done: int, total: int, item: str) -> None:
            say(f"building the default store: {done}/{total} {Path(str(item)).name}")

        try:
            url = ensure_default_store(progress=progress)
        except Exception as error:
            raise UsageError(f"cannot build the default store: {error}") from error
    try:
        return url, open_engine(url)
    except StoreUnavailable as error:
        raise UsageError(str(error)) from error


def briefing_text(selection: Selection) -> str:
    from dashboard.exports.briefing_text import filters_text

    return filters_text(selection.filters, selection.records)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)

    def say(message: str) -> None:
        if not args.quiet:
            print(message, file=sys.stderr)

    if not any(getattr(args, name) for name in OUTPUTS):
        parser.print_usage(sys.stderr)
        print("error: choose at least one output: --png, --html, --csv, --hxl, --jsonl or --datapackage", file=sys.stderr)
        return 1
    engine = None
    try:
        _check_destinations(args)
        parse_day(args.date_from, "--from")
        parse_day(args.date_to, "--to")
        from dashboard.exports import file_names
        from dashboard.model import data

        _url, engine = open_store(args, say)
        try:
            dataset = data.prepare_records(data.read_reviewed_records(engine))
        except data.StoreUnavailable as error:
            raise UsageError(str(error)) from error
        selection = select(dataset, args)
        doc_column = "doc_id" if "doc_id" in selection.records.columns else "doc"
        extracted = file_names.extraction_date(engine, selection.records[doc_column].dropna().astype(str))
        files = make_outputs(selection, args, extracted)
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        if engine is not None:
            engine.dispose()
    for name, content in files.items():
        _write(getattr(args, name), content)
        if getattr(args, name) != STDOUT:
            say(f"wrote {getattr(args, name)} ({len(content):,} bytes)")
    say(f"{len(selection.records):,} records selected: {briefing_text(selection)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
