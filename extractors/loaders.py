"""Reading documents from files: text, and the provenance in a sidecar `.meta.json`.

Each file type has a loader in LOADERS, keyed by suffix. HTML and PDF come
later as further entries; everything else in the package works on the text a
loader returns.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from pathlib import Path

from .document import DocumentMeta
from .errors import DocumentNotFound, InvalidMetadata, UnreadableDocument, UnsupportedFormat

SIDECAR_SUFFIX = ".meta.json"
MAX_BYTES = 200 * 1024 * 1024  # larger files are not reports
_BINARY_SAMPLE = 8192


def _read_text_file(path: Path) -> str:
    data = path.read_bytes()
    if b"\x00" in data[:_BINARY_SAMPLE]:
        raise UnreadableDocument(f"{path}: looks like a binary file, not text; convert it to .txt first")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        warnings.warn(
            f"{path}: not valid UTF-8 (first bad byte at offset {error.start}); undecodable bytes were replaced by U+FFFD",
            stacklevel=2,
        )
        return data.decode("utf-8", errors="replace")


LOADERS: dict[str, Callable[[Path], str]] = {
    ".txt": _read_text_file,
    ".text": _read_text_file,
    ".md": _read_text_file,
    ".markdown": _read_text_file,
}


def is_sidecar(path: Path) -> bool:
    return path.name.endswith(SIDECAR_SUFFIX)


def is_supported(path: Path) -> bool:
    return not is_sidecar(path) and path.suffix.lower() in LOADERS


def sidecar_for(path: Path) -> Path | None:
    """The `NAME.meta.json` beside a document (report.meta.json or report.txt.meta.json)."""
    for candidate in (path.with_name(path.stem + SIDECAR_SUFFIX), path.with_name(path.name + SIDECAR_SUFFIX)):
        if candidate.is_file():
            return candidate
    return None


def read_meta(path: Path) -> DocumentMeta:
    """The document's provenance: its sidecar if present, its file name always."""
    sidecar = sidecar_for(path)
    if sidecar is None:
        return DocumentMeta.from_mapping(None, doc=path.name)
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidMetadata(f"{sidecar}: not a readable JSON object ({error}); fix or remove the sidecar") from error
    if not isinstance(data, dict):
        raise InvalidMetadata(f"{sidecar}: must hold a JSON object with title, publisher, url, published")
    return DocumentMeta.from_mapping(data, doc=path.name)


def read_document(path: str | Path) -> tuple[str, DocumentMeta]:
    """The text of a document file and its metadata."""
    path = Path(path)
    if not path.is_file():
        raise DocumentNotFound(f"{path}: no such file")
    if is_sidecar(path):
        raise UnsupportedFormat(f"{path}: is a metadata sidecar, not a document")
    loader = LOADERS.get(path.suffix.lower())
    if loader is None:
        known = ", ".join(sorted(LOADERS))
        raise UnsupportedFormat(f"{path}: cannot read {path.suffix or 'files without a suffix'} yet; supported: {known}")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise UnreadableDocument(f"{path}: {size} bytes is more than the {MAX_BYTES} byte limit; split the file")
        text = loader(path)
    except OSError as error:
        raise UnreadableDocument(f"{path}: cannot be read ({error.strerror or error})") from error
    return text, read_meta(path)


def iter_documents(paths: list[str | Path]) -> list[Path]:
    """The document files named by `paths`: files as given, folders walked for supported files."""
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and is_supported(p)))
        else:
            found.append(path)
    return found
