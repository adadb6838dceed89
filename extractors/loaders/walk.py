"""Walking a folder for documents without leaving it.

A folder given to `extract` or `ingest` may hold links. A link to a file elsewhere in the same
folder is read like the file; a link that leads out of the folder (to /etc/passwd, to another
user's files) is skipped with a warning naming it, since whoever can write into a shared
reports folder should not be able to make the store read files outside it. Links to folders
are never followed, so a walk cannot loop.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from pathlib import Path

from ..console import one_line
from ..errors import ExtractionWarning

__all__ = ["OutsideLink", "walk_files"]


class OutsideLink(ExtractionWarning):
    """A link in a walked folder that leads out of it, and so was not read."""


def walk_files(folder: Path, keep: Callable[[Path], bool]) -> list[Path]:
    """The files under `folder` that `keep` accepts, sorted; links are read only inside `folder`."""
    root = folder.resolve()
    found: list[Path] = []
    for directory, _, files in os.walk(folder, followlinks=False):
        for name in files:
            path = Path(directory, name)
            if not keep(path):
                continue
            if path.is_symlink() and not _inside(path, root):
                warnings.warn(
                    f"{one_line(path)}: skipped, a link to a file outside {one_line(folder)}; "
                    "copy the file into the folder or name it explicitly to read it",
                    OutsideLink,
                    stacklevel=3,
                )
                continue
            if path.is_file():
                found.append(path)
    return sorted(found)


def _inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # a broken or looping link leads nowhere readable
        return False
