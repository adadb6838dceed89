"""The store's command line: a thin layer over the library in this package.

    python -m store ingest PATH_OR_URL... [--db URL]
    python -m store export [--db URL] [--format csv|jsonl] [--include-superseded]
    python -m store migrate [--db URL]

`python -m extractors ingest|export|migrate` still runs these, with a deprecation note (see extractors/cli.py).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

from extractors.console import one_line, walked_with_notes

PROG = "python -m store"
DB_HELP = "store URL (default: env DATABASE_URL, else sqlite:///data/store.sqlite), e.g. postgresql+psycopg://user@host/db"

INGEST_EXAMPLES = """\
examples:
  python -m store ingest data/corpus/
      every brief in the folder into data/store.sqlite (created if missing)
  python -m store ingest report.txt notes/ --db sqlite:///tmp/store.sqlite
      a file and a folder into another SQLite store
  python -m store ingest data/corpus/ --db postgresql+psycopg://dash@127.0.0.1/dash
      into PostgreSQL (or set DATABASE_URL)
  python -m store ingest https://example.org/report.html
      a URL (needs the extractors.loaders package)

Folders are walked for supported documents; sidecars (*.meta.json), hidden files
and README, LICENSE, CHANGELOG... files are skipped (name such a file explicitly
to ingest it). A document already stored is left alone; a changed one (same path
or URL, new text) is stored as a new version and the old version's records are
marked superseded. Each document is written in one transaction.

Prints `documents: N new, N unchanged, N new versions, N failed; records added: N`
on stdout; failures (one line each, with the reason), warnings and progress go to
stderr. Exit status 1 only when every input failed (or none was found), 2 for a
usage error.
"""

EXPORT_EXAMPLES = """\
examples:
  python -m store export > records.jsonl
      the current records of data/store.sqlite as JSON lines
  python -m store export --format csv > records.csv
      as CSV with a header row
  python -m store export --include-superseded --db postgresql+psycopg://dash@127.0.0.1/dash
      every record ever stored, with its `superseded` flag

Columns: the record contract (see extractors/record.py), then doc_id, page,
review_status, superseded. Records come in document, then text order.
"""

MIGRATE_EXAMPLES = """\
examples:
  python -m store migrate
      bring data/store.sqlite to the latest schema version (creating it)
  python -m store migrate --db postgresql+psycopg://dash@127.0.0.1/dash

ingest and export migrate on their own; this is for setting up a database ahead.
"""

EXAMPLES = """\
examples:
  python -m store ingest data/corpus/          documents and their records into data/store.sqlite
  python -m store export --format csv          the current records on stdout
  python -m store migrate --db URL             create or upgrade a store's schema

`python -m store COMMAND --help` shows each command's options and examples.
"""

COMMANDS = ("ingest", "export", "migrate")


def _command(commands: Any, name: str, help_text: str, description: str, epilog: str) -> argparse.ArgumentParser:
    """A subcommand with its examples and the store option every command takes."""
    command = commands.add_parser(
        name, help=help_text, description=description, epilog=epilog, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    command.add_argument("--db", metavar="URL", help=DB_HELP)
    return command


def parser(prog: str = PROG) -> argparse.ArgumentParser:
    from extractors import __version__

    formatter = argparse.RawDescriptionHelpFormatter
    result = argparse.ArgumentParser(
        prog=prog,
        description="Keep documents and their indicator records in a SQLite or PostgreSQL store.",
        epilog=EXAMPLES,
        formatter_class=formatter,
    )
    result.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = result.add_subparsers(dest="command", required=True, metavar="COMMAND")
    ingest = _command(
        commands,
        "ingest",
        "extract records from documents and keep them in the store",
        "Extract records from documents (files, folders, URLs) and store documents and records in the store.",
        INGEST_EXAMPLES,
    )
    ingest.add_argument("paths", nargs="+", metavar="PATH_OR_URL", help="document files, folders or URLs")
    ingest.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="show progress on stderr for runs longer than a second (default: on)",
    )
    export = _command(
        commands, "export", "write the stored records to stdout", "Write the stored records to stdout, contract fields first.", EXPORT_EXAMPLES
    )
    export.add_argument("--format", choices=("jsonl", "csv"), default="jsonl", help="output format (default: jsonl)")
    export.add_argument("--include-superseded", action="store_true", help="also records of replaced document versions")
    _command(
        commands,
        "migrate",
        "create or upgrade the store's schema",
        "Apply the store's schema migrations up to the latest version.",
        MIGRATE_EXAMPLES,
    )
    return result




def run_ingest(paths: list[str], db: str | None, out: TextIO, err: TextIO, *, progress: bool = True) -> int:
    """Ingest documents into the store; print failures as they come and a summary line at the end."""
    from . import FAILED, ProgressBar, discover, display_url, ingest_sources, open_store

    sources = walked_with_notes(discover, paths, err)
    if not sources:
        err.write("error: no supported document found in " + one_line(", ".join(paths)) + "\n")
        return 1
    engine = open_store(db)
    bar = ProgressBar(err) if progress else None

    def report(result) -> None:  # type: ignore[no-untyped-def]
        say = bar.write if bar is not None else (lambda line: err.write(one_line(line) + "\n"))
        for note in result.warnings:
            say(f"warning: {result.source}: {note}" if result.source not in note else f"warning: {note}")
        if result.status == FAILED:
            say(f"error: {result.error}" if result.source in (result.error or "") else f"error: {result.source}: {result.error}")

    try:
        summary = ingest_sources(engine, sources, progress=bar, on_result=report)
    finally:
        if bar is not None:
            bar.close()
        engine.dispose()
    out.write(summary.line() + "\n")
    if summary.all_failed:
        err.write(f"error: no document could be ingested into {one_line(display_url(db or engine))}\n")
        return 1
    return 0


def run_export(db: str | None, output_format: str, include_superseded: bool, out: TextIO, err: TextIO) -> int:
    from . import default_store_url, export_records, open_store, sqlite_path

    url = db or default_store_url()
    path = sqlite_path(url)
    if path is not None and not path.exists():
        err.write(f"error: no store at {one_line(path)}; fill it first: python -m store ingest data/corpus/\n")
        return 1
    engine = open_store(url)
    try:
        export_records(engine, out, output_format=output_format, include_superseded=include_superseded)
    finally:
        engine.dispose()
    return 0


def run_migrate(db: str | None, out: TextIO) -> int:
    from . import create_store_engine, current_version, default_store_url, display_url, migrate

    engine = create_store_engine(db or default_store_url())
    try:
        with engine.connect() as connection:
            before = current_version(connection)
        after = migrate(engine)
    finally:
        engine.dispose()
    state = "up to date" if before == after else f"migrated from version {before}"
    out.write(f"{display_url(engine)}: schema version {after} ({state})\n")
    return 0


def main(argv: list[str] | None = None, *, prog: str = PROG) -> int:
    args = parser(prog).parse_args(argv)
    try:
        return run(args)
    except BrokenPipeError:  # `| head` closed the pipe: not an error
        sys.stderr.close()
        return 0


def run(args: argparse.Namespace) -> int:
    """One parsed command; a store that cannot be used is said in one line on stderr (exit status 1)."""
    import sqlalchemy

    from . import StoreError

    try:
        if args.command == "ingest":
            return run_ingest(args.paths, args.db, sys.stdout, sys.stderr, progress=args.progress)
        if args.command == "export":
            return run_export(args.db, args.format, args.include_superseded, sys.stdout, sys.stderr)
        return run_migrate(args.db, sys.stdout)
    except StoreError as error:
        sys.stderr.write(f"error: {one_line(error)}\n")
        return 1
    except sqlalchemy.exc.SQLAlchemyError as error:  # the store cannot be reached: say so in one line
        sys.stderr.write(f"error: store error: {one_line(getattr(error, 'orig', None) or error)}\n")
        return 1


__all__ = ["COMMANDS", "main", "parser", "run", "run_export", "run_ingest", "run_migrate"]
