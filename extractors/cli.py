"""Command line: `python -m extractors extract PATH... [--format jsonl|csv]`."""

from __future__ import annotations

import argparse
import csv
import json
import sys
import warnings
from collections.abc import Iterable
from typing import TextIO

from . import __version__, extract
from .errors import ExtractionError
from .loaders import iter_documents, read_document
from .record import FIELDS, IndicatorRecord

EXAMPLES = """\
examples:
  python -m extractors extract report.txt
      one JSON object per figure on stdout (JSON lines)
  python -m extractors extract data/corpus/ --format csv > records.csv
      every .txt and .md file in a folder, as CSV with a header row
  python -m extractors extract a.txt b.md | jq 'select(.indicator == "deaths") | .value'
      filter the stream with jq

A sidecar NAME.meta.json beside a document gives its provenance:
  {"title": "...", "publisher": "Reuters", "url": "https://...", "published": "2025-05-03"}

A file that cannot be read is reported on stderr and skipped; the exit status
is 1 only when no file could be read at all, 2 for a usage error.
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m extractors",
        description="Extract humanitarian indicator figures (deaths, injured, displaced, famine exposure, "
        "food insecurity, aid-worker casualties) with their provenance from report text.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    extract_command = commands.add_parser(
        "extract",
        help="extract records from documents and write them to stdout",
        description="Extract records from .txt and .md documents (folders are searched) and write them to stdout.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    extract_command.add_argument("paths", nargs="+", metavar="PATH", help="document files or folders")
    extract_command.add_argument("--format", choices=("jsonl", "csv"), default="jsonl", help="output format (default: jsonl)")
    return parser


def _write(records: Iterable[IndicatorRecord], output_format: str, out: TextIO, writer: csv.DictWriter | None) -> None:
    for record in records:
        row = record.to_dict()
        if writer is not None:
            writer.writerow(row)
        else:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def run_extract(paths: list[str], output_format: str, out: TextIO, err: TextIO) -> int:
    """Extract from every document; report failures one line each. Exit status 1 if none was read."""
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n") if output_format == "csv" else None
    if writer is not None:
        writer.writeheader()
    read = failed = 0
    for path in iter_documents(paths):
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                text, meta = read_document(path)
                records = extract(text, meta=meta)
            for warning in caught:
                err.write(f"warning: {warning.message}\n")
        except ExtractionError as error:
            failed += 1
            err.write(f"error: {error}\n")
            continue
        read += 1
        _write(records, output_format, out, writer)
    if read == 0:
        err.write("error: no document could be read" + ("" if failed else " (no supported file found)") + "\n")
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return run_extract(args.paths, args.format, sys.stdout, sys.stderr)
    except BrokenPipeError:  # `| head` closed the pipe: not an error
        sys.stderr.close()
        return 0
