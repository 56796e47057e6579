"""The write journal: what each update did to a plan file, until the history has it.

Writing the plan file is the update; recording it in the history comes after, and can
fail (a read-only or full database, a history that cannot be opened) or never happen
(the writer killed between the two). Before the file is replaced, the writer notes in
`.improve/journal/` which action it is changing, who is changing it, on what day, the
fingerprint the file had (`base`), and the fingerprint and text it will have: the text
as its edit of the text before (the span that changes, which is small), with the whole
text before only when no earlier note holds it. One note per write, each under a name
of its own (`<plan file>.<fingerprint written>.<pid>.<random>.json`, made whole by a
rename). Once the history has recorded the change the note is removed.

Notes still there on a later run are replayed by the history (history/noted.py): the
notes of a file, linked base to fingerprint back from the file as it is now, are the
writes improve made in order, each recorded as by its author. A note not on that chain
(a write that never landed, or one a hand edit was made over) is dropped, and what it
and the hand edit changed is told as a hand edit, as it must be.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import EditError

JOURNAL_DIR = Path(".improve") / "journal"
PART = ".part"  # a note being written; one left (its writer killed) is cleared when stale
STALE_PART = 3600  # seconds: no note takes this long to write


@dataclass(frozen=True)
class Note:
    """One write not yet in the history."""

    where: Path  # the note's own file
    plan_file: Path  # the plan file written (its real path)
    plan_id: str
    ref: str
    by: str | None
    day: date
    fingerprint: str  # of the bytes written
    base: str | None = None  # the file's fingerprint before the write (None: not noted)
    before: str | None = None  # the text before, when no earlier note holds it
    edit: tuple[int, int, str] | None = None  # the text written, from the text before


def edit_of(before: str, after: str) -> tuple[int, int, str]:
    """`after` as (characters kept from the start of `before`, characters kept from its
    end, what comes between): an update changes one action, so what comes between is
    small, however long the file. (Found by halving, each step one comparison of slices
    in C: a megabyte costs milliseconds, not a loop over every character.)"""
    most = min(len(before), len(after))
    head = _longest(most, lambda n: before[:n] == after[:n])
    tail = _longest(most - head, lambda n: before[len(before) - n :] == after[len(after) - n :])
    return head, tail, after[head : len(after) - tail]


def _longest(most: int, same: Callable[[int], bool]) -> int:
    """The largest n <= most for which same(n) holds (it holds for every smaller n)."""
    low, high = 0, most
    while low < high:
        mid = (low + high + 1) // 2
        if same(mid):
            low = mid
        else:
            high = mid - 1
    return low


def _apply(before: str, edit: tuple[int, int, str]) -> str:
    head, tail, middle = edit
    return before[:head] + middle + before[len(before) - tail :]


def _folder(plans: Path) -> Path:
    return Path(plans) / JOURNAL_DIR


def begin(
    plans: Path,
    plan_file: Path,
    plan_id: str,
    ref: str,
    by: str | None,
    day: date,
    fp: str,
    *,
    base: str | None = None,
    before: str | None = None,
    after: str | None = None,
    known: bool = False,
) -> Path:
    """Note a write about to happen (under the plan file's lock). A write that cannot be
    noted (a full disk, a folder that cannot be written) is not made: EditError, and
    nothing of the note is left behind. `before` and `after`: the texts; `known`: a note
    of the file holds the text before (it wrote it), so this one need not."""
    from ..plans.files import make_folder, new_file_mode

    folder = _folder(plans)
    real = Path(os.path.realpath(plan_file))
    name = f"{real.name}.{fp}.{os.getpid()}.{os.urandom(6).hex()}.json"
    where = folder / name
    body = {
        "plan_file": str(real),
        "plan": plan_id,
        "ref": ref,
        "by": by,
        "day": day.isoformat(),
        "fingerprint": fp,
        "base": base,
        "before": None if known else before,
        "edit": list(edit_of(before, after)) if before is not None and after is not None else None,
    }
    import json  # a note is written or read: not in a run that only asks `pending`

    data = json.dumps(body).encode("utf-8")
    tmp = folder / f".{name}{PART}"
    try:
        make_folder(folder, like=real.parent)
        # readable by whoever may read the plan: their runs record it
        try:
            mode = real.stat().st_mode & 0o666 | 0o600
        except OSError:
            mode = new_file_mode()
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise _cannot(real, exc) from None
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.chmod(tmp, mode)  # (by name: fchmod is not everywhere)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, where)
    except OSError as exc:
        _remove(tmp)  # never a half-written (or empty) note left behind
        raise _cannot(real, exc) from None
    return where


def _cannot(plan_file: Path, exc: OSError) -> EditError:
    return EditError(
        f"cannot write {plan_file.name}: {exc.strerror or exc} (noting the write in "
        f"{JOURNAL_DIR}); nothing was written",
        code="os-error",
    )


def end(where: Path | None) -> None:
    """The history has the write: the note goes."""
    if where is not None:
        _remove(where)  # one that cannot be removed is found recorded next run, and dropped


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def pending(plans: Path) -> bool:
    """Whether any write is noted (without reading the notes)."""
    try:
        with os.scandir(_folder(plans)) as entries:
            return any(e.name.endswith(".json") and not e.name.startswith(".") for e in entries)
    except OSError:
        return False


def notes(plans: Path, plan_file: Path | None = None) -> list[Note]:
    """The writes noted and not yet recorded (for one plan file, or all), in name order.
    A note that is not ours is removed; a note being written is not read, and one left
    half-written by a writer killed over an hour ago is removed."""
    folder = _folder(plans)
    wanted = os.path.realpath(plan_file) if plan_file is not None else None
    prefix = f"{Path(wanted).name}." if wanted is not None else ""
    try:
        with os.scandir(folder) as entries:
            names = sorted(e.name for e in entries)
    except OSError:
        return []
    out = []
    now = time.time()
    root = os.path.realpath(plans)
    for name in names:
        where = folder / name
        if name.endswith(PART):
            try:
                if now - where.stat().st_mtime > STALE_PART:
                    _remove(where)
            except OSError:
                pass
            continue
        if not name.endswith(".json") or not name.startswith(prefix):
            continue
        try:
            raw = where.read_bytes()
        except OSError:
            continue  # one we may not read (another user's): left for a run that can
        note = _parse(where, raw)
        if note is None or not _inside(note.plan_file, root):
            end(where)  # not a note of ours (or of a file elsewhere): nothing to tell
            continue
        if wanted is None or str(note.plan_file) == wanted:
            out.append(note)
    return out


def _inside(path: Path, root: str) -> bool:
    return os.path.realpath(path).startswith(root.rstrip(os.sep) + os.sep)


def _parse(where: Path, raw: bytes) -> Note | None:
    import json

    try:
        body = json.loads(raw.decode("utf-8"))
        return Note(
            where,
            Path(body["plan_file"]),
            str(body["plan"]),
            str(body["ref"]),
            _text_or_none(body.get("by")),
            date.fromisoformat(body["day"]),
            str(body["fingerprint"]),
            _text_or_none(body.get("base")),
            _text_or_none(body.get("before")),
            _edit(body.get("edit")),
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def _edit(value: object) -> tuple[int, int, str] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        raise TypeError("not an edit")
    head, tail, middle = value
    if not (isinstance(head, int) and isinstance(tail, int) and isinstance(middle, str)):
        raise TypeError("not an edit")
    if head < 0 or tail < 0:
        raise ValueError("not an edit")
    return head, tail, middle


def _text_or_none(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise TypeError("not text")


def has(plans: Path, plan_file: Path, fp: str) -> bool:
    """Whether a note of `plan_file` wrote the bytes with fingerprint `fp` (by its name:
    no note is read)."""
    start = f"{Path(os.path.realpath(plan_file)).name}.{fp}."
    try:
        with os.scandir(_folder(plans)) as entries:
            return any(e.name.startswith(start) and e.name.endswith(".json") for e in entries)
    except OSError:
        return False


def by_file(found: Iterable[Note]) -> dict[Path, list[Note]]:
    """The notes grouped by the plan file they are of."""
    out: dict[Path, list[Note]] = {}
    for note in found:
        out.setdefault(note.plan_file, []).append(note)
    return out


def chain(found: list[Note], current: str) -> list[Note]:
    """The writes of one file that are proven, in the order they were made: from the note
    whose bytes the file has now, back through each note's `base` to the note that wrote
    those bytes. A note not on it never landed, or had a hand edit made over it."""
    by_fp: dict[str, Note] = {}
    for note in found:
        by_fp.setdefault(note.fingerprint, note)
    out: list[Note] = []
    seen: set[str] = set()
    at: str | None = current
    while at is not None and at in by_fp and at not in seen:
        seen.add(at)
        note = by_fp[at]
        out.append(note)
        at = note.base
    out.reverse()
    return out


def texts(proven: list[Note]) -> list[str | None]:
    """The text each write of a chain (journal.chain) made, worked out in order from the
    text before the first and each note's edit; None where it cannot be (a note of an
    earlier version, or one whose text before is not held), or does not give the bytes
    the note says it wrote."""
    from ..digest import fingerprint

    out: list[str | None] = []
    text: str | None = None
    for note in proven:
        if note.before is not None:
            text = note.before
        made = _apply(text, note.edit) if text is not None and note.edit is not None else None
        if made is not None and fingerprint(made.encode("utf-8")) != note.fingerprint:
            made = None
        out.append(made)
        text = made
    return out
