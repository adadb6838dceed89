"""Frames whose text columns are Arrow arrays: keeping each column in one piece, choosing Arrow's allocator and handing
back the memory it kept. Pure: pandas and pyarrow."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping

import numpy as np
import pandas as pd


def single_chunked(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with each Arrow text column in one piece (the others as they are; no copy when all are).

    Arrow takes rows from a text column made of several pieces (a snapshot's batches, the slices
    of a refresh) by joining them first: each page's take of a few rows then cost as much as copying
    the column. Joined once here, a take costs what it takes.
    """
    import pyarrow as pa

    pieces = {}
    for name in frame.columns:
        column = frame[name]
        if isinstance(column.dtype, pd.StringDtype) and column.dtype.storage == "pyarrow":
            chunked = column.array._pa_array
            if chunked.num_chunks > 1:
                joined = pa.chunked_array([chunked.combine_chunks()], type=chunked.type)
                pieces[name] = pd.Series(type(column.array)(joined, dtype=column.dtype), index=frame.index, name=name, copy=False)
    if not pieces:
        return frame
    return pd.DataFrame({name: pieces.get(name, frame[name]) for name in frame.columns}, index=frame.index, copy=False)


def release_arrow_memory() -> None:
    """Hand the memory Arrow's allocator keeps for reuse back to the system (cheap: no C library call)."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()


ARROW_POOL_VARIABLE = "ARROW_DEFAULT_MEMORY_POOL"
COMPACT_ARROW_POOLS = ("jemalloc",)
"""Arrow's allocators that hand freed memory back to the system, best first. Reading a million figures with
mimalloc (Arrow's default) peaked 350 MB higher: it kept each column's old copy while the next ones were sorted."""


def use_compact_arrow_pool(environ: Mapping[str, str]) -> str:
    """Make Arrow allocate from the first of COMPACT_ARROW_POOLS that this pyarrow has; the pool's name.

    An allocator chosen in the environment (ARROW_DEFAULT_MEMORY_POOL) is left as it is. Arrays made
    before keep their own allocator, which frees them: the choice can be made at any time."""
    import pyarrow as pa

    if not environ.get(ARROW_POOL_VARIABLE):
        available = set(pa.supported_memory_backends())
        for name in COMPACT_ARROW_POOLS:
            if name in available:
                pa.set_memory_pool(getattr(pa, f"{name}_memory_pool")())
                break
    return pa.default_memory_pool().backend_name


def release_memory() -> None:
    """Hand the memory freed after a big read back to the system, so that the server's size is what it holds.

    Arrow's allocator and the C library keep freed memory for reuse: after a full read of a
    million figures (its driver rows, Arrow batches and the intermediate frames all freed) the
    process kept several gigabytes it no longer used. Where neither call exists, nothing happens.
    """
    import ctypes
    import ctypes.util

    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    name = ctypes.util.find_library("c")
    with contextlib.suppress(OSError, AttributeError, TypeError):  # not glibc
        ctypes.CDLL(name).malloc_trim(0)


def sorted_column(column: pd.Series, order: np.ndarray) -> pd.Series:
    """The column in `order`; a text column's old buffers handed back at once. Arrow's allocator kept them for
    reuse, and a column sorted after it took new memory rather than them: sorting a million figures' columns
    held both copies (a 2.2 GB peak, 1.7 GB with them handed back)."""
    taken = column.take(order).reset_index(drop=True)
    if isinstance(column.dtype, pd.StringDtype):
        del column
        release_arrow_memory()
    return taken


def sorted_frame(columns: dict[str, pd.Series], order: np.ndarray) -> pd.DataFrame:
    """The columns in `order`, as a frame. `columns` is emptied as they are sorted: each old column is let go as soon
    as its sorted copy is made, where nothing else holds it. A dict, not a frame: a frame's pop rebuilds its blocks."""
    return pd.DataFrame({name: sorted_column(columns.pop(name), order) for name in list(columns)}, copy=False)


__all__ = ["COMPACT_ARROW_POOLS", "release_arrow_memory", "release_memory", "single_chunked", "sorted_column", "sorted_frame", "use_compact_arrow_pool"]
