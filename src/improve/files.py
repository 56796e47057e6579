"""Writing plan files safely: one writer at a time per file, and atomic replacement.

`plan_lock(path)` is an OS lock (flock) on a lock file kept in the plans folder's
`.improve/locks/`, so writers that use different history databases, or none, still
take turns on the same plan. `atomic_write` replaces a file so that a crash leaves
either the old file or the new one, never half of each.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import ConflictError, EditError
from .loader import fingerprint

try:
    import fcntl
except ImportError:  # not on this platform: writers are kept apart by the history lock only
    fcntl = None  # type: ignore[assignment]

LOCK_DIR = Path(".improve") / "locks"
LOCK_WAIT = 30.0  # seconds a writer waits for another to finish with the same file


@contextmanager
def plan_lock(path: Path, wait: float = LOCK_WAIT) -> Iterator[None]:
    """Hold the lock of one plan file. Where the lock file cannot be made (a folder that
    cannot be written), nothing is held: the write itself will then fail and say so."""
    real = Path(os.path.realpath(path))
    folder = real.parent / LOCK_DIR
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder / f"{real.name}.lock", os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        fd = -1
    if fd < 0 or fcntl is None:
        try:
            yield
        finally:
            if fd >= 0:
                os.close(fd)
        return
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise ConflictError(
                        f"another improve has been changing {path.name} for over "
                        f"{wait:.0f} seconds; nothing was written — try again in a moment",
                        code="busy",
                    ) from None
                time.sleep(0.01)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def atomic_write(path: Path, data: bytes, expect: str | None = None) -> tuple:
    """Write `data` to `path` so that a crash leaves either the old or the new file.

    With `expect`, the file must still have that fingerprint just before it is replaced.
    Returns the new file's stamp (mtime_ns, size, inode), taken from the file written,
    so a later change by anyone else is never mistaken for this one.
    """
    folder = path.parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise EditError(
            f"cannot write in {folder}: {exc.strerror}; nothing was written", code="os-error"
        ) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            if path.exists():
                os.chmod(tmp, path.stat().st_mode & 0o7777)
            st = os.fstat(handle.fileno())
        if expect is not None and fingerprint(path.read_bytes()) != expect:
            raise ConflictError(
                f"{path.name} changed on disk while it was being updated; "
                "nothing was written — reload and try again"
            )
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):
            raise EditError(
                f"cannot write {path.name}: {exc.strerror or exc}; nothing was written",
                code="os-error",
            ) from None
        raise
    _sync_folder(folder)
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def _sync_folder(folder: Path) -> None:
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
