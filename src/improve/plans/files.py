"""Writing plan files safely: one writer at a time per file, and atomic replacement.

`plan_lock(path)` is an OS lock (flock) on a lock file kept in the plans folder's
`.improve/locks/`, so writers that use different history databases, or none, still
take turns on the same plan. `atomic_write` replaces a file so that a crash leaves
either the old file or the new one, never half of each.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..digest import fingerprint
from ..errors import ConflictError, EditError

try:
    import fcntl
except ImportError:  # not on this platform: writers are kept apart by the history lock only
    fcntl = None  # type: ignore[assignment]

LOCK_DIR = Path(".improve") / "locks"
LOCK_WAIT = 30.0  # seconds a writer waits for another to finish with the same file


@contextmanager
def plan_lock(path: Path, wait: float = LOCK_WAIT) -> Iterator[None]:
    """Hold the lock of one plan file, for every user who can write the plan: the lock
    file is made with the plan file's permissions, and one that cannot be opened for
    writing (another user's) is opened for reading, which is enough for flock. Where no
    lock can be had (`.improve` is a file, the folder cannot be made), nothing is written:
    EditError "no-lock". Where the platform has no flock, nothing is held."""
    if fcntl is None:
        yield
        return
    fd = _open_lock(path)
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
            except OSError as exc:  # e.g. a read-only descriptor where flock needs writing
                raise _no_lock(path, exc.strerror or str(exc)) from None
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _no_lock(path: Path, why: str) -> EditError:
    return EditError(f"cannot lock {path.name}: {why}; nothing was written", code="no-lock")


def _open_lock(path: Path) -> int:
    """The descriptor of a plan file's lock file, made if need be (EditError "no-lock")."""
    real = Path(os.path.realpath(path))
    folder = real.parent / LOCK_DIR
    for part in (real.parent / LOCK_DIR.parent, folder):
        if part.exists() and not part.is_dir():
            rel = part.relative_to(real.parent)
            raise _no_lock(path, f"{rel} is not a folder (remove it, or ask who owns it)")
    try:
        make_folder(folder, like=real.parent)
    except OSError as exc:
        raise _no_lock(path, f"cannot make {LOCK_DIR}: {exc.strerror or exc}") from None
    lock = folder / f"{real.name}.lock"
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        try:
            return os.open(lock, os.O_RDWR)
        except PermissionError:  # another user's lock: reading it is enough for flock
            pass
        except OSError as exc:
            raise _no_lock(path, f"cannot open {LOCK_DIR / lock.name}: {exc.strerror}") from None
        try:
            return os.open(lock, os.O_RDONLY)
        except OSError as exc:
            raise _no_lock(path, f"cannot open {LOCK_DIR / lock.name}: {exc.strerror}") from None
    except PermissionError:
        raise _no_lock(
            path,
            f"you may not make files in {LOCK_DIR} (ask whoever owns it to let everyone "
            "who writes the plans write in it)",
        ) from None
    except OSError as exc:
        raise _no_lock(path, f"cannot make {LOCK_DIR / lock.name}: {exc.strerror}") from None
    try:  # whoever may write the plan may open its lock
        os.fchmod(fd, _shared_mode(real, 0o666) | 0o600)
    except OSError:
        pass  # ours and 0600: others fall back to reading it
    return fd


def _shared_mode(like: Path, bits: int) -> int:
    """The permission bits of `like` (within `bits`), or a new file's (umask) if unknown."""
    try:
        return like.stat().st_mode & bits
    except OSError:
        return new_file_mode() & bits


def make_folder(folder: Path, like: Path) -> None:
    """Make `folder` (and its parents) with the permissions of the folder `like`, so that
    whoever may write in the plans folder may write in improve's folders within it."""
    if folder.is_dir():
        return
    missing = []
    at = folder
    while not at.exists() and at != at.parent:
        missing.append(at)
        at = at.parent
    mode = _shared_mode(like, 0o7777) or 0o700
    for made in reversed(missing):
        try:
            os.mkdir(made, 0o700)
        except FileExistsError:
            if made.is_dir():
                continue  # another run made it a moment ago
            raise
        try:
            os.chmod(made, mode | 0o700)
        except OSError:
            pass


def keep_mode(tmp: Path, path: Path) -> None:
    """Give `tmp`, about to replace `path`, the mode `path` has (when it is there)."""
    try:
        os.chmod(tmp, path.stat().st_mode & 0o7777)
    except OSError:
        pass  # a new file: it keeps the mode it was made with


def new_file_mode() -> int:
    """The mode a new file gets, as any editor's would: 0666 less the user's umask."""
    return 0o666 & ~_umask()


TEMP_SUFFIX = ".tmp"
# who leads what (improve.team.people) and the folder's settings (gitops.SETTINGS): never plans
NOT_PLANS = frozenset({"people.toml", "improve.toml"})


def plan_files(folder: Path) -> list[Path]:
    """The plan files of a folder, in name order (`*.toml`, hidden ones too, as glob
    finds them; a link to a file counts). Names are sorted as strings and the entries'
    own types read from the folder: 10,000 files are a cold load's per-file cost."""
    return [path for path, _link in plan_entries(folder)]


def plan_entries(folder: Path) -> list[tuple[Path, bool]]:
    """plan_files, each with whether it is a link (read from the folder's entries: no
    call to the system a file)."""
    folder = Path(folder)
    try:
        with os.scandir(folder) as entries:
            found = [
                (e.name, e.is_symlink())
                for e in entries
                if e.name.endswith(".toml") and e.name not in NOT_PLANS and _is_file(e)
            ]
    except OSError:
        return []
    found.sort()
    return [(folder / name, link) for name, link in found]


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()  # follows a link, as Path.is_file does
    except OSError:
        return False


# mkstemp's names: the prefix, eight of these characters, the suffix
_TEMP_NAME = re.compile(r"^\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp$")
STALE_TEMP = 3600  # seconds: no write takes this long, so an older temp file is a leftover


def leftover_temps(folder: Path, name: str | None = None, older_than: float = 0) -> list[Path]:
    """Our own temp files in `folder` (by our naming pattern only): for the plan file
    `name`, or for any; only those last changed more than `older_than` seconds ago."""
    found = []
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    for entry in entries:
        match = _TEMP_NAME.match(entry.name)
        if match is None or (name is not None and match["name"] != name):
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            if older_than and now - entry.stat(follow_symlinks=False).st_mtime < older_than:
                continue
        except OSError:
            continue
        found.append(Path(entry.path))
    return found


def remove_leftovers(paths: list[Path]) -> None:
    for path in paths:
        try:
            path.unlink()
        except OSError:
            pass  # another run took it, or the folder is read-only: no matter


def real_plan_path(path: Path) -> Path:
    """Where a plan file's bytes really are: a link is edited in its target, so the link
    stays a link and the file it points at is the one that changes."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def atomic_write(path: Path, data: bytes, expect: str | None = None) -> tuple[int, int, int]:
    """Write `data` to `path` so that a crash leaves either the old or the new file.

    With `expect`, the file must still have that fingerprint just before it is replaced.
    Returns the new file's stamp (mtime_ns, size, inode), taken from the file written,
    so a later change by anyone else is never mistaken for this one. A file whose
    permissions say it is read-only is not replaced (renaming over it would succeed).
    """
    path = real_plan_path(path)
    folder = path.parent
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise EditError(
            f"cannot write {path.name}: {exc.strerror}; nothing was written", code="os-error"
        ) from None
    if mode is not None and not mode & 0o222:
        raise EditError(
            f"{path.name} is read-only; nothing was written (to allow changes: "
            f"chmod u+w {path.name})",
            code="read-only",
        )
    import tempfile  # here: a run that writes nothing does not load it

    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=folder)
    except OSError as exc:
        raise EditError(
            f"cannot write in {folder}: {exc.strerror}; nothing was written", code="os-error"
        ) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            # an existing file keeps its mode; a new one gets the user's umask, as any
            # editor's would (mkstemp's temp file is private: 0600)
            os.chmod(tmp, mode & 0o7777 if mode is not None else new_file_mode())
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
    except OSError:
        pass  # the file is replaced already: a folder that cannot be synced does not undo it
    finally:
        os.close(dir_fd)


def create_new(path: Path, data: bytes) -> None:
    """Write a new file at `path`, whole or not at all, and never over a file that is
    there, even one made a moment ago by someone else (FileExistsError): the bytes go to a
    temporary file that is then linked to the name, which fails if the name is taken."""
    import tempfile

    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, new_file_mode())
        os.link(tmp, path)
    finally:
        os.unlink(tmp)
    _sync_folder(folder)


def _umask() -> int:
    """The process's umask, read without changing it where the system says it (setting it
    to read it would give a file made by another thread meanwhile the wrong mode)."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o22)
    os.umask(mask)
    return mask
