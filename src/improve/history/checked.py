"""Whether the history database is the very file a run last checked or left.

Opening the store checks the database (PRAGMA quick_check over every table a run
reads), and that check grows with the history: at 20,000 actions it was most of what an
`improve update` cost, though the plan file changed is small. So a run that checked the
database, or found it known, leaves beside it a stamp of the file as it closed it (size,
modification and change times in nanoseconds, inode and device, of the database and its
write-ahead log). The next run that finds the same stamp skips the check: nothing but
SQLite, inside its transactions, has touched the file since. Anything else (another
program, a copy, a restore, a file put back with its old modification time, whose change
time still moves) means the check runs. Damage a check would not see in time (the
disk's own) is still found when SQLite reads the page, and handled the same way.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

SUFFIX = ".checked"


def stamp(path: Path) -> str | None:
    parts = []
    for p in (path, Path(f"{path}-wal")):
        try:
            st = os.stat(p)
        except FileNotFoundError:
            parts.append("-")
            continue
        except OSError:
            return None
        if p is not path and st.st_size == 0:
            parts.append("-")  # an empty log is no log (a read-only look may leave one)
            continue
        parts.append(f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}:{st.st_dev}")
    return "|".join(parts)


def _file(path: Path) -> Path:
    return Path(f"{path}{SUFFIX}")


def known(path: Path) -> bool:
    """The database is as a run that checked it (or found it known) left it."""
    now = stamp(path)
    if now is None or now.startswith("-"):
        return False
    try:
        return _file(path).read_text(encoding="ascii") == now
    except (OSError, UnicodeDecodeError):
        return False


def remember(path: Path) -> None:
    """Note the database as it is now; silently not when its folder cannot be written."""
    now = stamp(path)
    if now is None or now.startswith("-"):
        return
    target = _file(path)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(now, encoding="ascii")
        os.replace(tmp, target)
    except OSError:
        _unlink(tmp)


def forget(path: Path) -> None:
    _unlink(_file(path))


def _unlink(path: Path) -> None:
    """Remove a file, silently not when it cannot be (gone already, or not ours)."""
    with contextlib.suppress(OSError):
        path.unlink()
