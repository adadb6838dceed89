"""Snapshots of the prepared records, so that a dashboard started again reads a big store in a blink.

Reading a big store from SQLite and preparing it is mostly the driver making a Python object
per cell; reading the same prepared frame back from an Arrow file is a small part of that
(figures in the README's dashboard section). A snapshot is written after a full read and used only while
the store is provably unchanged: its name and its metadata hold the store's exact revision
(store.store_revision, moved by triggers with every write, plain SQL included)
and the version of the code that prepared it. Stores without an exact revision (PostgreSQL,
a store that could not be migrated) are always read in full. Pure: no Streamlit.

Where: env DASHBOARD_SNAPSHOTS (a directory, or "off"), else
$XDG_CACHE_HOME/humanitarian-dashboard/snapshots (~/.cache/... by default). The newest
snapshot of each store is kept, and at most MAX_FILES in all. A snapshot that cannot be
read, or reads back different column types, is ignored and removed; one that cannot be
written is skipped. Neither ever stops the dashboard.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard.model import data

ENV = "DASHBOARD_SNAPSHOTS"
OFF = "off"
SUFFIX = ".arrow"
MAX_FILES = 8
METADATA_KEY = b"dashboard.snapshot"
COMPRESSION = "zstd"  # a tenth of the size of the frame in memory, and read faster than uncompressed from disk
CODE_MODULES = (
    "dashboard.model.data",
    "dashboard.model.review",
    "dashboard.model.snapshots",
    "store.queries",
)
"""The modules that decide what a prepared frame holds: a change to any of them retires every snapshot."""


def snapshot_dir(environ: Mapping[str, str] | None = None) -> Path | None:
    """The snapshots' directory; None when they are turned off (DASHBOARD_SNAPSHOTS=off)."""
    environ = os.environ if environ is None else environ
    chosen = environ.get(ENV, "").strip()
    if chosen.lower() == OFF:
        return None
    if chosen:
        return Path(chosen).expanduser()
    cache = environ.get("XDG_CACHE_HOME", "").strip() or str(Path("~/.cache").expanduser())
    return Path(cache) / "humanitarian-dashboard" / "snapshots"


@functools.cache
def code_version() -> str:
    """A digest of the loading code and of the pandas and pyarrow versions that wrote a snapshot."""
    import pyarrow

    digest = hashlib.sha256(f"pandas {pd.__version__} pyarrow {pyarrow.__version__}".encode())
    for name in CODE_MODULES:
        digest.update(Path(importlib.util.find_spec(name).origin).read_bytes())
    return digest.hexdigest()[:16]


def _digest(text: str, length: int) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:length]


def snapshot_path(directory: Path, revision: str, code: str) -> Path:
    """The file of the store at `revision`, as prepared by code `code`: '<store>-<state>.arrow'.

    The store's part comes first so that a store's older snapshots can be found and removed.
    """
    store_id = revision.split(":", 1)[0]
    return directory / f"{_digest(store_id, 16)}-{_digest(f'{revision}|{code}', 24)}{SUFFIX}"


def _metadata(revision: str, code: str, frame: pd.DataFrame) -> bytes:
    dtypes = {str(name): str(dtype) for name, dtype in frame.dtypes.items()}
    return json.dumps({"revision": revision, "code": code, "rows": len(frame), "dtypes": dtypes}, sort_keys=True).encode()


def read_snapshot(path: Path, revision: str, code: str) -> pd.DataFrame | None:
    """The prepared frame saved at `path` for this revision and code; None when there is none that can be trusted."""
    import pyarrow.feather as feather

    if not path.is_file():
        return None
    try:
        table = feather.read_table(path, memory_map=False)
        saved = json.loads((table.schema.metadata or {}).get(METADATA_KEY, b"{}"))
        if saved.get("revision") != revision or saved.get("code") != code:
            raise ValueError("a snapshot of another store state")  # a renamed or colliding file
        frame = table.to_pandas()
        if json.loads(_metadata(revision, code, frame)) != saved:  # a column that came back with another type
            raise ValueError("a snapshot that reads back differently")
    except Exception:
        with contextlib.suppress(OSError):
            path.unlink()
        return None
    return frame


def write_snapshot(frame: pd.DataFrame, path: Path, revision: str, code: str) -> bool:
    """Save the prepared frame at `path` (atomically) and remove the store's older snapshots; whether it was saved."""
    import pyarrow as pa
    import pyarrow.feather as feather

    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        table = pa.Table.from_pandas(frame, preserve_index=False)
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), METADATA_KEY: _metadata(revision, code, frame)})
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".writing-", suffix=SUFFIX)
        os.close(handle)
        try:
            # One batch: read back, each column is one array, which the dataset keeps (frames.single_chunked);
            # in batches of 64K rows, joining them cost a second copy of the records at the start.
            feather.write_feather(table, temporary, compression=COMPRESSION, chunksize=max(table.num_rows, 1))
            os.replace(temporary, path)  # readers see the whole file or none
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    except Exception:  # a read-only or full disk, a column Arrow cannot hold: the store is read in full next time
        return False
    _prune(path)
    return True


def _prune(kept: Path) -> None:
    """Remove the store's other snapshots, then the oldest ones beyond MAX_FILES."""
    store_part = kept.name.split("-", 1)[0]
    others = [p for p in kept.parent.glob(f"*{SUFFIX}") if p != kept and not p.name.startswith(".")]
    stale = [p for p in others if p.name.split("-", 1)[0] == store_part]
    rest = [p for p in others if p not in stale]
    with contextlib.suppress(OSError):
        rest.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    for old in [*stale, *rest[MAX_FILES - 1 :]]:
        with contextlib.suppress(OSError):
            old.unlink()


def read_dataset(engine: Any, directory: Path | None) -> data.Dataset:
    """The store's current records as the reviewers left them, prepared: from a snapshot when the store
    is unchanged since one was saved, else read in full (and saved, when the store did not change meanwhile)."""
    from store import store_revision

    revision = store_revision(engine) if directory is not None else None
    if revision is None or directory is None:
        return data.prepare_records(data.read_reviewed_records(engine), consume=True)
    code = code_version()
    path = snapshot_path(directory, revision, code)
    frame = read_snapshot(path, revision, code)
    if frame is not None:
        return data.dataset_of(frame)
    dataset = data.prepare_records(data.read_reviewed_records(engine), consume=True)
    # The records and the corrections are two reads: a write between them, or after the
    # revision was taken, leaves a frame that matches no single revision, which is not saved.
    if len(dataset.records) and store_revision(engine) == revision:
        write_snapshot(dataset.records, path, revision, code)
    return dataset


__all__ = [
    "ENV",
    "MAX_FILES",
    "code_version",
    "read_dataset",
    "read_snapshot",
    "snapshot_dir",
    "snapshot_path",
    "write_snapshot",
]
