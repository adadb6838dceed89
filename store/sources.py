"""From a path or URL to a loaded document, and from folders to the documents in them.

An adapter over the loaders: when `extractors.loaders` provides
`load(source) -> LoadedDocument` (text, meta, origin, content_type, pages,
raw_sha256), it is used for files and URLs alike; otherwise files are read with
`read_document(path)` (origin = the resolved path, no pages) and URLs are refused.
"""

from __future__ import annotations

import bisect
import functools
import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extractors.document import DocumentMeta
from extractors.errors import UnsupportedFormat

URL_PREFIXES = ("http://", "https://")
SIDECAR_SUFFIX = ".meta.json"
# Files a folder walk never ingests: project files that are not reports.
NOT_DOCUMENTS = ("readme", "license", "licence", "changelog", "contributing", "authors", "notice", "copying")
FALLBACK_SUFFIXES = {
    ".txt": "text/plain",
    ".text": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".html": "text/html",
    ".htm": "text/html",
    ".pdf": "application/pdf",
}


@dataclass(frozen=True, slots=True)
class LoadedSource:
    """What ingestion needs of a document, whichever loader read it."""

    text: str
    meta: DocumentMeta
    origin: str  # absolute path or URL: the document's identity across versions
    content_type: str
    pages: tuple[int, ...] = ()  # start offset of each page in `text`, () when unpaged
    raw_sha256: str | None = None

    def page_of(self, offset: int) -> int | None:
        """1-based page holding text offset `offset`; None for unpaged documents.

        >>> doc = LoadedSource("p1 p2", DocumentMeta(), "x", "application/pdf", pages=(0, 3))
        >>> doc.page_of(0), doc.page_of(2), doc.page_of(3), doc.page_of(4)
        (1, 1, 2, 2)
        """
        if not self.pages:
            return None
        return max(1, bisect.bisect_right(self.pages, offset))


def is_url(source: str | Path) -> bool:
    return isinstance(source, str) and source.lower().startswith(URL_PREFIXES)


def _loaders_module() -> Any:
    return importlib.import_module("extractors.loaders")


def _package_load() -> Callable[[Any], Any] | None:
    """`extractors.loaders.load` when the loaders package provides it."""
    return getattr(_loaders_module(), "load", None)


def load_source(source: str | Path) -> LoadedSource:
    """Read one document. Raises an ExtractionError subclass when it cannot be read."""
    load = _package_load()
    if load is not None:
        loaded = load(source)
        return LoadedSource(
            text=loaded.text,
            meta=loaded.meta,
            origin=str(loaded.origin),
            content_type=loaded.content_type or "text/plain",
            pages=tuple(int(p) for p in (loaded.pages or ())),
            raw_sha256=getattr(loaded, "raw_sha256", None),
        )
    if is_url(source):
        raise UnsupportedFormat(f"{source}: reading URLs needs the extractors.loaders package (load), not installed yet")
    read_document = _loaders_module().read_document
    path = Path(source)
    text, meta = read_document(path)
    return LoadedSource(
        text=text,
        meta=meta,
        origin=str(path.resolve()),
        content_type=FALLBACK_SUFFIXES.get(path.suffix.lower(), "text/plain"),
    )


def _is_supported(path: Path) -> bool:
    check = getattr(_loaders_module(), "is_supported", None)
    if check is not None:
        return bool(check(path))
    return not path.name.endswith(SIDECAR_SUFFIX) and path.suffix.lower() in FALLBACK_SUFFIXES


def has_sidecar(path: Path) -> bool:
    """Whether NAME.meta.json (or NAME.ext.meta.json) lies beside the file: the mark of a corpus brief."""
    return path.with_name(path.stem + SIDECAR_SUFFIX).is_file() or path.with_name(path.name + SIDECAR_SUFFIX).is_file()


def is_walked_document(path: Path, root: Path, *, briefs_only: bool = False) -> bool:
    """Whether a folder walk from `root` ingests `path`.

    Yes for a supported document type, except: metadata sidecars, hidden files and
    folders, and project files (README, LICENSE, CHANGELOG, ... in any case and
    with any suffix). With `briefs_only`, only documents that have a sidecar.
    """
    relative = path.relative_to(root)
    if any(part.startswith(".") for part in relative.parts):
        return False
    if path.name.endswith(SIDECAR_SUFFIX) or path.name.split(".")[0].lower() in NOT_DOCUMENTS:
        return False
    if not _is_supported(path):
        return False
    return has_sidecar(path) if briefs_only else True


def discover(inputs: Iterable[str | Path], *, briefs_only: bool = False) -> list[str]:
    """The documents named by `inputs`, in order, each once.

    URLs and files are taken as given (a file named explicitly is ingested even if a
    walk would skip it; a missing one fails later with its reason); folders are
    walked recursively and sorted (see is_walked_document).
    """
    from extractors.loaders.walk import walk_files

    found: list[str] = []
    seen: set[str] = set()

    def add(item: str, key: str) -> None:
        if key not in seen:
            seen.add(key)
            found.append(item)

    for given in inputs:
        if is_url(given):
            add(str(given), str(given))
            continue
        path = Path(given)
        if path.is_dir():
            for child in walk_files(path, functools.partial(is_walked_document, root=path, briefs_only=briefs_only)):
                add(str(child), str(child.resolve()))
        else:
            add(str(path), str(path.resolve()) if path.exists() else str(path))
    return found
