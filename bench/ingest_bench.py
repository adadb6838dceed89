"""Ingestion throughput of the records store, on SQLite and on PostgreSQL, sequential and on Dask.

    .venv/bin/python bench/ingest_bench.py [--docs 300] [--backends sqlite,postgresql] [--workers 1,2] [--rounds 3]

For each backend, a fresh store: documents per second for generated .txt reports
(first ingest, then the same files again, which only hashes and looks up), for
generated .html and .pdf reports when the loaders package reads those formats,
and the time to ingest the whole data/corpus/. "extract only" is the extractor
alone on the same files, without any store, for comparison. PostgreSQL is a
throw-away server started by scripts/postgres_test_server.py with fsync on;
SQLite is a file in a temporary folder (WAL, synchronous=NORMAL).

Then the first ingest again, sequential and on a local Dask cluster (store/distributed.py) of each
--workers count, interleaved, same files, a fresh store each time, in --rounds rounds of which the
best is kept (on a shared machine the other rounds measure the neighbours): workers read and
extract, and write themselves on PostgreSQL; on SQLite this process writes what they send back.
The clusters' start and the workers' first imports are left out (timed apart). The last table
gives docs/s, the speed-up over the sequential loop, the scaling efficiency (docs/s with N
workers / (N x docs/s with 1)), and the CPU time per document of the worker processes together
and of this process (client, and the local cluster's scheduler); the PostgreSQL server's is not
counted anywhere.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import shutil
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from store import discover, ingest_paths, ingest_sources, load_source, open_store  # noqa: E402
from store import sources as store_sources  # noqa: E402

PLACES = ("Gaza", "Sudan", "Haiti", "Yemen", "Myanmar", "South Sudan", "Somalia", "Ukraine", "Afghanistan", "DR Congo")


def report_sentences(number: int) -> list[str]:
    place = PLACES[number % len(PLACES)]
    return [
        f"Report {number}: humanitarian update on {place}",
        f"Strikes killed at least {120 + number} people in {place} on 3 May 2025, the health ministry said.",
        f"Another {300 + number * 3} people were injured, according to local hospitals.",
        "Aid convoys were delayed at the crossing for a third day, and fuel shortages forced two hospitals to cut services.",
        f"Floods displaced more than {12_000 + number * 11} people across the region, the UN refugee agency said.",
        f"Officials said {20 + number % 50} aid workers had been killed since January.",
        "Markets reopened in the north, but prices of flour and cooking gas have doubled since March.",
        f"About {1.5 + (number % 9) / 10:.1f} million people face acute food insecurity, an IPC analysis found.",
        "The next distribution round is planned for the end of the month if access allows.",
    ]


def write_txt(folder: Path, number: int) -> Path:
    path = folder / f"report-{number:04d}.txt"
    lines = report_sentences(number)
    path.write_text(lines[0] + "\n\n" + " ".join(lines[1:]) + "\n", encoding="utf-8")
    return path


def write_html(folder: Path, number: int) -> Path:
    lines = report_sentences(number)
    body = "".join(f"<p>{line}</p>" for line in lines[1:])
    path = folder / f"report-{number:04d}.html"
    path.write_text(f"<!doctype html><html><head><title>{lines[0]}</title></head><body><h1>{lines[0]}</h1>{body}</body></html>")
    return path


def write_pdf(folder: Path, number: int) -> Path:
    """A two-page PDF with real text (Helvetica), written by hand: no PDF library needed."""
    lines = report_sentences(number)
    pages = [lines[:5], lines[5:]]

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    objects: list[bytes] = []
    page_ids = [4 + 2 * i for i in range(len(pages))]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{pid} 0 R" for pid in page_ids)
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for index, page_lines in enumerate(pages):
        text = "BT /F1 10 Tf 40 800 Td 14 TL " + " ".join(f"({escape(line)}) '" for line in page_lines) + " ET"
        stream = zlib.compress(text.encode("latin-1"))
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
            f"/Contents {page_ids[index] + 1} 0 R >>".encode()
        )
        objects.append(f"<< /Length {len(stream)} /Filter /FlateDecode >>\nstream\n".encode() + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number_, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number_} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path = folder / f"report-{number:04d}.pdf"
    path.write_bytes(bytes(out))
    return path


WRITERS: dict[str, Callable[[Path, int], Path]] = {"txt": write_txt, "html": write_html, "pdf": write_pdf}


def supported(kind: str, folder: Path) -> str | None:
    """None when the loaders read this kind; else why not."""
    if kind == "txt":
        return None
    if store_sources._package_load() is None:
        return "the loaders package (load) has not landed"
    sample = WRITERS[kind](folder, 0)
    try:
        loaded = load_source(str(sample))
    except Exception as error:
        return f"not read: {error}"
    finally:
        sample.unlink()
    return None if "Strikes killed" in loaded.text else "read, but the figures' text is missing"


def extract_only(paths: list[str]) -> float:
    from extractors import extract

    started = time.perf_counter()
    for path in paths:
        loaded = load_source(path)
        extract(loaded.text, meta=loaded.meta)
    return time.perf_counter() - started


def timed_ingest(url: str, inputs: list[str]) -> tuple[float, int, int]:
    engine = open_store(url)
    try:
        started = time.perf_counter()
        summary = ingest_paths(engine, inputs)
        elapsed = time.perf_counter() - started
    finally:
        engine.dispose()
    return elapsed, len(summary.results) - len(summary.failures), summary.records_added


@dataclass
class Run:
    """One timed first ingest: documents per second, and CPU seconds per document where they were spent."""

    rate: float
    here_ms: float  # this process: the sequential loop, or the client and (local cluster) the scheduler
    workers_ms: float = 0.0  # the worker processes together


def timed(url: str, inputs: list[str], client=None) -> Run:  # type: ignore[no-untyped-def]
    """The first ingest of `inputs` into a new store at `url`: sequential, or on `client`'s cluster."""
    from store.distributed import ingest_distributed

    engine = open_store(url)
    try:
        sources = discover(inputs)
        workers_before = sum(client.run(time.process_time).values()) if client is not None else 0.0
        cpu, started = time.process_time(), time.perf_counter()
        summary = ingest_sources(engine, sources) if client is None else ingest_distributed(engine, sources, client=client)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        workers = sum(client.run(time.process_time).values()) - workers_before if client is not None else 0.0
    finally:
        engine.dispose()
    done = len(summary.results) - len(summary.failures)
    return Run(done / elapsed, 1000 * cpu / done, 1000 * workers / done)


def scaling_rows(
    workers: list[int], folders: dict[str, Path], backends: list[str], url_for: dict[str, Callable[[str], str]], rounds: int
) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    """The first ingest of each format, sequential and on a local cluster of each size, interleaved in each of
    `rounds` rounds (the best round kept: on a shared machine the others measure the neighbours)."""
    from store.distributed import dask_client, location, prepare

    started_rows: list[tuple[str, ...]] = []
    best: dict[tuple[str, str, int], Run] = {}  # (backend, kind, workers; 0: the sequential loop)
    with contextlib.ExitStack() as stack:
        clients = {}
        for count in workers:
            started = time.perf_counter()
            client = stack.enter_context(dask_client(workers=count))
            client.wait_for_workers(count)
            for folder in folders.values():  # each worker imports the loaders and the extractor once, untimed
                client.run(prepare, location(discover([folder])[0]))
            started_rows.append((f"{count}", f"{time.perf_counter() - started:.2f}"))
            clients[count] = client
        for round_ in range(rounds):
            for backend in backends:
                for kind, folder in folders.items():
                    for count in (0, *workers):
                        url = url_for[backend](f"bench_{kind}_r{round_}_w{count}")
                        run = timed(url, [str(folder)], clients.get(count))
                        if (backend, kind, count) not in best or run.rate > best[backend, kind, count].rate:
                            best[backend, kind, count] = run
    rows = []
    for backend in backends:
        for kind in folders:
            alone = best[backend, kind, 0]
            one = best.get((backend, kind, min(workers)))
            cells = [backend, kind, f"{alone.rate:.0f} ({alone.here_ms:.1f})"]
            for count in workers:
                run = best[backend, kind, count]
                efficiency = run.rate / (count * one.rate) * min(workers) if one else 0.0
                cells.append(
                    f"{run.rate:.0f}, {run.rate / alone.rate:.2f}x, {efficiency:.0%} ({run.workers_ms:.1f} + {run.here_ms:.1f})"
                )
            rows.append(tuple(cells))
    return started_rows, rows


def print_table(header: tuple[str, ...], rows: list[tuple[str, ...]], left: int = 2) -> None:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("-|-".join("-" * w for w in widths))
    for row in rows:
        print(
            " | ".join(cell.ljust(w) if i < left else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True)))
        )


def load_postgres_server():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("postgres_test_server", REPO / "scripts" / "postgres_test_server.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=300, help="generated documents per format (default: 300)")
    parser.add_argument("--backends", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql")
    parser.add_argument("--corpus", type=Path, default=REPO / "data" / "corpus")
    parser.add_argument("--workers", default="1,2", help="comma-separated Dask cluster sizes; empty: none (default: 1,2)")
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds of the sequential/cluster comparison, best kept (default: 3)"
    )
    args = parser.parse_args()
    backends = [name.strip() for name in args.backends.split(",") if name.strip()]
    workers = [int(count) for count in args.workers.split(",") if count.strip()]
    urls: dict[str, Callable[[str], str]] = {}
    started_rows: list[tuple[str, ...]] = []
    scaling: list[tuple[str, ...]] = []

    work = Path(tempfile.mkdtemp(prefix="ingest-bench-"))
    server = None
    rows: list[tuple[str, str, str, str, str]] = []
    try:
        folders: dict[str, Path] = {}
        skipped: dict[str, str] = {}
        for kind in WRITERS:
            folder = work / kind
            folder.mkdir()
            reason = supported(kind, folder)
            if reason:
                skipped[kind] = reason
                continue
            for number in range(args.docs):
                WRITERS[kind](folder, number)
            folders[kind] = folder
        corpus = discover([args.corpus], briefs_only=True) if args.corpus.is_dir() else []

        for kind, folder in folders.items():
            paths = discover([folder])
            elapsed = extract_only(paths)
            rows.append(("none (extract only)", kind, f"{len(paths)}", f"{elapsed:.2f}", f"{len(paths) / elapsed:.0f}"))
        for backend in backends:
            if backend == "sqlite":
                url_for = lambda name: f"sqlite:///{work / (name + '.sqlite')}"  # noqa: E731
            elif backend == "postgresql":
                if server is None:
                    pg = load_postgres_server()
                    server = pg.PostgresServer(fast=False).start()
                url_for = server.create_database
            else:
                parser.error(f"unknown backend {backend!r}")
            urls[backend] = url_for
            for kind, folder in folders.items():
                url = url_for(f"bench_{kind}")
                elapsed, count, records = timed_ingest(url, [str(folder)])
                rows.append((backend, f"{kind} (new)", f"{count}", f"{elapsed:.2f}", f"{count / elapsed:.0f}"))
                elapsed, count, _ = timed_ingest(url, [str(folder)])
                rows.append((backend, f"{kind} (unchanged)", f"{count}", f"{elapsed:.2f}", f"{count / elapsed:.0f}"))
            if corpus:
                elapsed, count, records = timed_ingest(url_for("bench_corpus"), corpus)
                rows.append((backend, f"data/corpus ({records} records)", f"{count}", f"{elapsed:.2f}", f"{count / elapsed:.0f}"))
        if workers and folders:
            started_rows, scaling = scaling_rows(workers, folders, backends, urls, args.rounds)
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)

    print_table(("store", "documents", "count", "seconds", "docs/s"), rows)
    for kind, reason in skipped.items():
        print(f"{kind}: skipped ({reason})")
    if scaling:
        print()
        print_table(("workers", "cluster started and warmed, s"), started_rows, left=0)
        print()
        header = (
            "store",
            "format",
            "sequential docs/s (CPU ms/doc)",
            *(f"{count} workers: docs/s, speed-up, efficiency (CPU ms/doc: workers + client)" for count in workers),
        )
        print_table(header, scaling)
    return 0


if __name__ == "__main__":
    sys.exit(main())
