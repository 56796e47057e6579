"""What reviews and reports to committees share: a record in the history kept as a file
in the plans folder, so that every clone reads it back (history/review_files.py,
history/report_files.py). A file is made whole or not at all, never over another's."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..errors import HistoryError


class Unwritten(HistoryError):
    """The record's file could not be written (the folder, the disk): nothing of the file
    is there."""


def folder_problem(folder: Path, kept: str) -> str | None:
    """Why records cannot be kept in `folder` (it is a file, say), or None; `kept` says
    what the folder holds ("each review is kept in it as DATE.toml")."""
    if folder.is_dir() or not (folder.exists() or folder.is_symlink()):
        return None
    what = "a file, not a folder" if folder.is_file() else "not a folder"
    return f"{folder} is {what}: move it aside ({kept})"


def place(path: Path, text: str, key: str, key_of: Callable[[Path], str | None], code: str) -> bool:
    """Write the record's file at `path` unless a file is there: True when `path` now
    holds this record's file (written now, or found holding its `key`), False when
    another record's file has the name (the caller takes the next free name). Unwritten
    when the folder or the disk refuses."""
    from ..plans import files

    try:
        files.create_new(path, text.encode("utf-8"))
    except FileExistsError:
        return key_of(path) == key
    except OSError as exc:
        raise Unwritten(f"cannot write {path}: {exc.strerror or exc}", code=code) from None
    return True
