"""What reviews and reports to committees share: a record in the history kept as a file
in the plans folder, so that every clone reads it back (history/review_files.py,
history/report_files.py). A file is made whole or not at all, never over another's.

A record's file is named in the history (its table's `file` column) with a `pending` mark
until the file is written; `write_pending` writes it, `settle` every one a killed run
left, `index` reads in the files the history does not hold yet."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import HistoryError

if TYPE_CHECKING:
    from .store import HistoryStore


class Unwritten(HistoryError):
    """The record's file could not be written (the folder, the disk): nothing of the file
    is there."""


@dataclass(frozen=True)
class Kind:
    """One kind of record kept as files: where, in which table, and how its key is read."""

    folder: str  # the folder in the plans folder: "reviews"
    table: str  # the history's table naming the files, with `file` and `pending` columns
    record: str  # the column of `table` that says which record a file is ("id", "uid")
    rows: tuple[tuple[str, str], ...]  # (table, column): the record's rows, taken back whole
    kept: str  # what the folder holds, said when it cannot ("each review is kept in it …")
    not_folder: str  # the error code when the folder is a file
    unwritten: str  # the error code when the file cannot be written
    key_of: Callable[[Path], str | None]  # the key written in a file, or None


def folder_problem(folder: Path, kept: str) -> str | None:
    """Why records cannot be kept in `folder` (it is a file, say), or None; `kept` says
    what the folder holds ("each review is kept in it as DATE.toml")."""
    if folder.is_dir() or not (folder.exists() or folder.is_symlink()):
        return None
    what = "a file, not a folder" if folder.is_file() else "not a folder"
    return f"{folder} is {what}: move it aside ({kept})"


def key_in(data: Callable[[], Mapping[str, Any]], table: str) -> str | None:
    """The key (`uid`) in a file's [table], or None (none, or the file not readable)."""
    try:
        uid = data()[table]["uid"]
    except Exception:  # anything else is not this record's file
        return None
    return uid if isinstance(uid, str) and uid else None


def free_name(conn: sqlite3.Connection, table: str, folder: Path, base: str) -> str:
    """The first of BASE.toml, BASE-2.toml, … neither held in `table` nor on disk (under
    the write lock, so two runs recording at once take two names)."""
    n = 1
    while True:
        name = f"{base}.toml" if n == 1 else f"{base}-{n}.toml"
        held = conn.execute(f"select 1 from {table} where file = ?", [name]).fetchone()
        if held is None and not os.path.lexists(folder / name):
            return name
        n += 1


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


def write_pending(
    store: HistoryStore,
    kind: Kind,
    plans: Path,
    name: str,
    key: str,
    text: Callable[[], str],
    next_name: Callable[[], str],
) -> bool:
    """Write the file `name` of a pending record and clear its mark: True when done,
    False when another record's file has the name (this one is then renamed to
    `next_name()`, and the caller looks again). Unwritten when the folder or the disk
    refuses."""
    folder = Path(plans) / kind.folder
    problem = folder_problem(folder, kind.kept)
    if problem:
        raise Unwritten(problem, code=kind.not_folder)
    conn = store.db.conn
    if not place(folder / name, text(), key, kind.key_of, kind.unwritten):
        with store.transaction():  # another record's file took the name
            conn.execute(
                f"update {kind.table} set file = ? where file = ? and pending = 1",
                [next_name(), name],
            )
        return False
    with store.transaction():
        conn.execute(f"update {kind.table} set pending = 0 where file = ?", [name])
    return True


def forget(store: HistoryStore, kind: Kind, record: object) -> None:
    """Take back a record whose file could not be written (never one that has its file)."""
    conn = store.db.conn
    with store.transaction():
        if conn.execute(
            f"select 1 from {kind.table} where {kind.record} = ? and pending = 1", [record]
        ).fetchone():
            for table, column in kind.rows:
                conn.execute(f"delete from {table} where {column} = ?", [record])


def settle(
    store: HistoryStore,
    kind: Kind,
    write: Callable[[Any], object],
    say: Callable[[Any, str, str], str],
) -> list[str]:
    """Write the file of every record recorded but not yet written, in the order they
    were recorded (the run that recorded it was killed before it could); what could not
    be, as lines to say (`say(record, file name, why)`)."""
    pending = store.db.conn.execute(
        f"select {kind.record}, file from {kind.table} where pending = 1 order by rowid"
    ).fetchall()
    problems = []
    for record, name in pending:
        try:
            write(record)
        except HistoryError as exc:
            problems.append(say(record, name, exc.message))
    return problems


def index(
    store: HistoryStore,
    kind: Kind,
    plans: Path,
    names: Callable[[Path], Iterable[str]],
    read_in: Callable[[Path], None],
    not_read: Callable[[Path, Exception], str],
) -> list[str]:
    """Read in every file of `kind` (`names(folder)`, in that order) the history does not
    name yet; what could not be read, as lines to say (`not_read(path, exc)`). Leftovers
    of killed writes are removed."""
    from ..plans.files import STALE_TEMP, leftover_temps, remove_leftovers

    folder = Path(plans) / kind.folder
    if not folder.is_dir():
        return []
    remove_leftovers(leftover_temps(folder, older_than=STALE_TEMP))  # a killed write's
    conn = store.db.conn
    known = {r[0] for r in conn.execute(f"select file from {kind.table} where file is not null")}
    problems = []
    for name in names(folder):
        if name in known:
            continue
        try:
            read_in(folder / name)
        except Exception as exc:  # a file from many hands: its own problem, never a crash
            problems.append(not_read(folder / name, exc))
    return problems
