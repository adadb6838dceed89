"""Command line.

    python -m extractors extract PATH... [--format jsonl|csv]

The store's commands (ingest, export, migrate) are `python -m store`'s (store/cli.py). Given
here, they still run, with a one-line deprecation note, for one release: store (and SQLAlchemy)
is imported only then, so extracting never loads it.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterable
from typing import TextIO

from . import __version__, extract
from .console import extraction_notes, one_line, walked_with_notes
from .errors import ExtractionError
from .loaders import iter_documents, read_document
from .record import FIELDS, IndicatorRecord

EXAMPLES = """\
examples:
  python -m extractors extract report.txt
      one JSON object per figure on stdout (JSON lines)
  python -m extractors extract data/corpus/ --format csv > records.csv
      every .txt, .md, .html and .pdf file in a folder, as CSV with a header row
  python -m extractors extract https://example.org/report.html
      a web page or PDF, fetched with a 20 s timeout and a 20 MB limit
  python -m extractors extract a.txt b.md | jq 'select(.indicator == "deaths") | .value'
      filter the stream with jq

A sidecar NAME.meta.json beside a document gives its provenance:
  {"title": "...", "publisher": "Reuters", "url": "https://...", "published": "2025-05-03"}

A file that cannot be read is reported on stderr and skipped; the exit status
is 1 only when no file could be read at all, 2 for a usage error.

Keeping records in a store (ingest, export, migrate) is `python -m store`'s: see `python -m store --help`.
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
        description="Extract records from .txt, .md, .html and .pdf documents or http(s) URLs "
        "(folders are searched) and write them to stdout.",
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
    for path in walked_with_notes(iter_documents, paths, err):
        try:
            with extraction_notes() as notes:
                text, meta = read_document(path)
                records = extract(text, meta=meta)
            for note in notes:
                err.write(f"warning: {note}\n")
        except ExtractionError as error:
            failed += 1
            err.write(f"error: {one_line(error)}\n")
            continue
        except Exception as error:  # a defect of ours, not of the document: the other documents go on
            failed += 1
            err.write(f"error: {one_line(path)}: internal error {one_line(repr(error))}; please report it with the file\n")
            continue
        read += 1
        _write(records, output_format, out, writer)
    if read == 0:
        err.write("error: no document could be read" + ("" if failed else " (no supported file found)") + "\n")
        return 1
    return 0




STORE_COMMANDS = ("ingest", "export", "migrate")
"""Moved to `python -m store`; accepted here until the next release."""


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] in STORE_COMMANDS:
        sys.stderr.write(f"note: `python -m extractors {argv[0]}` is deprecated; use `python -m store {argv[0]}`\n")
        from store.cli import main as store_main

        return store_main(argv, prog="python -m extractors")
    args = _parser().parse_args(argv)
    try:
        return run_extract(args.paths, args.format, sys.stdout, sys.stderr)
    except BrokenPipeError:  # `| head` closed the pipe: not an error
        sys.stderr.close()
        return 0
