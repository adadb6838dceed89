"""Real processes against a real store: a writer killed mid-transaction, two writers at once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from store_helpers import REPO, expected_records, write_brief, write_briefs
from testkit import killed_after_pause

from extractors import extract_file
from store import NEW, NEW_VERSION, ingest_source, open_store
from store.ingest import PAUSE_AFTER_ROWS, PAUSE_FILE, PAUSE_SECONDS


def _snapshot(engine) -> tuple[set, set]:
    with engine.connect() as connection:
        documents = set(connection.execute(sa.text("SELECT doc_id, version, superseded_at FROM documents")).all())
        records = set(connection.execute(sa.text("SELECT record_id, doc_id, superseded FROM records")).all())
    return documents, {(record_id, doc_id, bool(superseded)) for record_id, doc_id, superseded in records}


@pytest.mark.parametrize("scenario", ["first version", "second version"])
def test_killed_mid_transaction_leaves_no_partial_document(store_url: str, tmp_path: Path, scenario: str) -> None:
    path = write_brief(tmp_path / "docs", 5, figures=4)
    engine = open_store(store_url)
    try:
        if scenario == "second version":
            assert ingest_source(engine, path).status == NEW
            write_brief(tmp_path / "docs", 5, figures=4, revision=1)
        wanted = len(extract_file(path))
        assert wanted == 4
        before = _snapshot(engine)

        paused = tmp_path / "paused"
        pause = {PAUSE_AFTER_ROWS: "2", PAUSE_FILE: str(paused), PAUSE_SECONDS: "120"}
        with killed_after_pause(["ingest", str(path), "--db", store_url, "--no-progress"], pause, paused, "the ingest child"):
            # The child has written the document row and 2 of its 4 records, uncommitted: nobody sees them.
            assert _snapshot(engine) == before
        assert _snapshot(engine) == before  # no half-written document, the old version untouched

        rerun = ingest_source(engine, path)  # a re-run completes it
        assert rerun.status == (NEW if scenario == "first version" else NEW_VERSION)
        assert rerun.records_added == wanted
        documents, records = _snapshot(engine)
        current = [row for row in documents if row.superseded_at is None]
        assert len(current) == 1 and current[0].doc_id == rerun.doc_id
        assert sum(1 for _, doc_id, superseded in records if doc_id == rerun.doc_id and not superseded) == wanted
        assert len(records) == len(before[1]) + wanted
    finally:
        engine.dispose()


WORKER = """
import json, sys, time
from pathlib import Path
from store import open_store, ingest_sources
url, go, out, *sources = sys.argv[1:]
Path(out + ".ready").touch()
while not Path(go).exists():
    time.sleep(0.002)
engine = open_store(url)  # both migrate the empty store at the same moment too
summary = ingest_sources(engine, sources)
engine.dispose()
Path(out).write_text(json.dumps([[r.source, r.status, r.records_added, r.error] for r in summary.results]))
"""


def test_two_processes_ingest_overlapping_sets(store_url: str, tmp_path: Path) -> None:
    paths = write_briefs(tmp_path / "docs", 40, figures=3)
    shared = paths[12:28]  # both start with the same 16 documents, in the same order, at the same moment: they collide
    first, second = shared + paths[:12], shared + paths[28:]
    go = tmp_path / "go"
    children = []
    for name, share in (("a", first), ("b", second)):
        out = tmp_path / f"{name}.json"
        command = [sys.executable, "-c", WORKER, store_url, str(go), str(out), *map(str, share)]
        children.append((out, subprocess.Popen(command, cwd=REPO, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)))
    deadline = time.monotonic() + 60
    while not all(Path(f"{out}.ready").exists() for out, _ in children):
        assert time.monotonic() < deadline, "workers did not start"
        time.sleep(0.01)
    go.touch()
    results = []
    for out, child in children:
        _, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        results.extend(json.loads(out.read_text()))

    assert all(status in ("new", "unchanged") for _, status, _, _ in results), results
    new = [source for source, status, _, _ in results if status == "new"]
    assert sorted(new) == sorted(map(str, paths))  # each document stored by exactly one of them
    assert sum(added for _, _, added, _ in results) == expected_records(paths)

    engine = open_store(store_url)
    try:
        with engine.connect() as connection:
            documents = connection.execute(sa.text("SELECT origin, version FROM documents")).all()
            record_count = connection.execute(sa.text("SELECT count(*) FROM records")).scalar()
            per_doc = dict(connection.execute(sa.text("SELECT doc_id, count(*) FROM records GROUP BY doc_id")).all())
            versions = connection.execute(sa.text("SELECT version FROM schema_version")).scalars().all()
        assert sorted(origin for origin, _ in documents) == sorted(str(p.resolve()) for p in paths)
        assert {version for _, version in documents} == {1}
        assert record_count == expected_records(paths)
        assert sorted(per_doc.values()) == sorted(len(extract_file(p)) for p in paths)
        assert len(versions) == len(set(versions))  # the schema migrated once
    finally:
        engine.dispose()


BUILDER = """
import os, sys, time
from pathlib import Path
from store import connect, ensure_default_store
store, corpus, go = sys.argv[1:]
connect.DEFAULT_STORE_PATH = Path(store)
Path(store + "." + str(os.getpid()) + ".ready").touch()
while not Path(go).exists():
    time.sleep(0.002)
print(ensure_default_store(corpus=corpus))
"""


def test_two_processes_building_the_default_store(tmp_path: Path) -> None:
    """Two dashboards starting at once: one builds data/store.sqlite, the other waits and uses it."""
    briefs = write_briefs(tmp_path / "corpus", 12)
    store = tmp_path / "data" / "store.sqlite"
    store.parent.mkdir()
    go = tmp_path / "go"
    env = {name: value for name, value in os.environ.items() if name != "DATABASE_URL"}
    command = [sys.executable, "-c", BUILDER, str(store), str(tmp_path / "corpus"), str(go)]
    children = [
        subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)
    ]
    deadline = time.monotonic() + 60
    while len(list(store.parent.glob("*.ready"))) < 2:
        assert time.monotonic() < deadline and all(child.poll() is None for child in children), "builders did not start"
        time.sleep(0.01)
    go.touch()
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        assert out.strip() == f"sqlite:///{store}"
    engine = open_store(f"sqlite:///{store}")
    try:
        with engine.connect() as connection:
            assert connection.execute(sa.text("SELECT count(*) FROM documents")).scalar() == 12
            assert connection.execute(sa.text("SELECT count(*) FROM records")).scalar() == expected_records(briefs)
    finally:
        engine.dispose()
    assert not list(store.parent.glob("*.build-*"))
