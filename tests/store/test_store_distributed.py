"""Ingestion on a Dask cluster (store/distributed.py): the store the sequential loop gives, a killed worker included.

One local cluster of two worker processes serves the whole module (starting one takes seconds).
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from same_article import html_page, next_edition, pasted
from store_helpers import run_cli, write_brief, write_briefs

from store import FAILED, NEW, NEW_VERSION, UNCHANGED, discover, ingest_sources, open_store
from store.cli import run_ingest
from store.distributed import dask_client, ingest_distributed
from store.ingest import PAUSE_AFTER_ROWS, PAUSE_FILE, PAUSE_SECONDS

# Every column that a run decides; the times of writing (ingested_at, superseded_at, seen_at) and the
# sightings' serial ids say when, not what, and are compared as set or not.
TABLES = {
    "documents": "SELECT doc_id, origin, doc, title, publisher, url, published, kind, source, content_type, page_map, "
    "text, version, superseded_at IS NULL FROM documents",
    "records": "SELECT * FROM records",
    "document_bands": "SELECT doc_id, band, hash FROM document_bands",
    "document_sightings": "SELECT doc_id, origin, doc, content_type, title, publisher, url, published, similarity, filled "
    "FROM document_sightings",
}


def snapshot(url: str) -> dict[str, list[tuple]]:
    engine = open_store(url)
    try:
        with engine.connect() as connection:
            return {name: sorted(map(tuple, connection.execute(sa.text(query))), key=repr) for name, query in TABLES.items()}
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    with dask_client(workers=2) as client:
        yield client


@pytest.fixture
def reference_url(store_url: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A second empty store on the same backend as `store_url`, for the sequential loop."""
    if store_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'reference.sqlite'}"
    return request.getfixturevalue("postgres").reset_database("store_reference")


def corpus(folder: Path) -> list[str]:
    """Briefs, and what makes the order of writes matter: copies of one text under other names (sorted
    before and after the original), one article as text and as a web page, its next edition (other
    figures: a document of its own), and a file that cannot be read."""
    briefs = write_briefs(folder, 10)
    (folder / "a-copy-of-brief-003.txt").write_text(briefs[3].read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "z-copy-of-brief-007.txt").write_text(briefs[7].read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "sudan-article.txt").write_text(pasted(), encoding="utf-8")
    (folder / "sudan-article.html").write_bytes(html_page())
    (folder / "sudan-next-edition.txt").write_text(next_edition(), encoding="utf-8")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 this is not a PDF")
    return discover([folder])


def two_runs(folder: Path, ingest) -> list[list[tuple[str, str, int]]]:  # type: ignore[no-untyped-def]
    """A first run over the corpus, then one after three briefs changed (new versions)."""
    sources = corpus(folder)
    first = ingest(sources)
    for number in (1, 4, 8):
        write_brief(folder, number, revision=1)
    second = ingest(sources)
    return [[(Path(r.source).name, r.status, r.records_added) for r in summary.results] for summary in (first, second)]


@pytest.mark.parametrize(
    ("batch", "in_flight"),
    [(1, 1), (None, None)],
    ids=["one document at a time", "defaults"],  # defaults: batches of 2, the web page and its text in one
)
def test_same_store_as_the_sequential_loop(client, store_url: str, reference_url: str, tmp_path: Path, batch, in_flight) -> None:
    def sequential(sources):  # type: ignore[no-untyped-def]
        engine = open_store(reference_url)
        try:
            return ingest_sources(engine, sources)
        finally:
            engine.dispose()

    progress: list[tuple[int, int]] = []

    def distributed(sources):  # type: ignore[no-untyped-def]
        engine = open_store(store_url)
        try:
            return ingest_distributed(
                engine, sources, client=client, batch=batch, in_flight=in_flight, progress=lambda done, total, _: progress.append((done, total))
            )
        finally:
            engine.dispose()

    expected = two_runs(tmp_path / "sequential", sequential)
    got = two_runs(tmp_path / "distributed", distributed)
    assert got == expected
    count = len(got[0])
    assert progress == [(done, count) for done in range(1, count + 1)] * 2  # every document, failures included, once a run
    statuses = {status for run in got for _, status, _ in run}
    assert statuses == {NEW, UNCHANGED, NEW_VERSION, FAILED}  # every path of the write was taken
    assert snapshot(store_url)["documents"] and _without_origins(snapshot(store_url)) == _without_origins(snapshot(reference_url))


def _without_origins(tables: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    """The two runs read folders of their own: the same but for the folder's name in origins."""

    def rename(value: object) -> object:
        return value.replace("/sequential/", "/X/").replace("/distributed/", "/X/") if isinstance(value, str) else value

    return {name: sorted((tuple(rename(v) for v in row) for row in rows), key=repr) for name, rows in tables.items()}


def test_command_line_with_one_worker(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    corpus(folder)
    out, err = io.StringIO(), io.StringIO()
    assert run_ingest([str(folder)], f"sqlite:///{tmp_path / 'a.sqlite'}", out, err, progress=False) == 0
    distributed = run_cli("ingest", str(folder), "--db", f"sqlite:///{tmp_path / 'b.sqlite'}", "--workers", "1", "--no-progress")
    assert distributed.returncode == 0, distributed.stderr
    assert distributed.stdout == out.getvalue() == "documents: 12 new, 3 unchanged, 0 new versions, 1 failed; records added: 34\n"
    assert distributed.stderr == err.getvalue()  # the same error line for broken.pdf, in the same words
    assert snapshot(f"sqlite:///{tmp_path / 'a.sqlite'}") == snapshot(f"sqlite:///{tmp_path / 'b.sqlite'}")


@contextlib.contextmanager
def paused_writes(client, signal_file: Path, seconds: float) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """The first write transaction on a worker to store a record stops there for `seconds` (ingest._test_pause)."""
    settings = {PAUSE_AFTER_ROWS: "1", PAUSE_FILE: str(signal_file), PAUSE_SECONDS: str(seconds)}
    client.run(exec, f"import os; os.environ.update({settings!r})")
    try:
        yield
    finally:
        client.run(exec, f"import os; [os.environ.pop(name, None) for name in {list(settings)!r}]")


def test_a_copy_is_written_after_its_original(client, postgres, tmp_path: Path) -> None:
    """On PostgreSQL the workers write at the same time: the web page's write is held open, and the same
    article as text, read meanwhile on the other worker, must still become its copy, as in the sequential loop."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "sudan-article.html").write_bytes(html_page())
    (folder / "sudan-article.txt").write_text(pasted(), encoding="utf-8")
    url = postgres.reset_database("store_test")
    engine = open_store(url)
    try:
        with paused_writes(client, tmp_path / "paused", 1.5):
            summary = ingest_distributed(engine, discover([folder]), client=client)
    finally:
        engine.dispose()
    assert (tmp_path / "paused").exists()
    assert [(Path(r.source).name, r.status, r.similarity is not None) for r in summary.results] == [
        ("sudan-article.html", NEW, False),
        ("sudan-article.txt", UNCHANGED, True),
    ]


def _worker_pids(client) -> set[int]:  # type: ignore[no-untyped-def]
    return set(client.run(os.getpid).values())


def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(client, store_url: str, reference_url: str, tmp_path: Path) -> None:
    sources = [str(path) for path in write_briefs(tmp_path / "docs", 24, figures=4)]
    reference = open_store(reference_url)
    expected = [(r.source, r.status, r.records_added) for r in ingest_sources(reference, sources).results]
    reference.dispose()
    pids = _worker_pids(client)
    assert len(pids) == 2
    killed: list[int] = []
    engine = open_store(store_url)
    paused = tmp_path / "paused"
    try:
        if engine.dialect.name == "postgresql":
            # A worker stops inside a document's write transaction, records written, not committed: killed there.
            def kill_when_paused() -> None:
                deadline = time.monotonic() + 60
                while not paused.exists() and time.monotonic() < deadline:
                    time.sleep(0.01)
                pid = int(paused.read_text())
                killed.append(pid)
                os.kill(pid, signal.SIGKILL)

            killer = threading.Thread(target=kill_when_paused, daemon=True)
            killer.start()
            with paused_writes(client, paused, 60):
                summary = ingest_distributed(engine, sources, client=client)
            killer.join(timeout=5)
        else:  # the workers only read and extract: one is killed while documents are in flight on it

            def kill_one(result) -> None:  # type: ignore[no-untyped-def]
                if not killed and result.status == NEW:
                    killed.append(min(pids))
                    os.kill(killed[0], signal.SIGKILL)

            summary = ingest_distributed(engine, sources, client=client, on_result=kill_one)
    finally:
        engine.dispose()
    assert killed and killed[0] in pids
    assert [(r.source, r.status, r.records_added) for r in summary.results] == expected  # each new once, none failed
    assert snapshot(store_url) == snapshot(reference_url)
    client.wait_for_workers(2, timeout=180)  # the nanny started a new worker process
    assert killed[0] not in _worker_pids(client)
