"""Recording the writes the journal noted (improve.edits.journal) and the history does not have.

An update writes its plan file and then records the change; when the history could not
be used (or failed, or the writer was killed in between), the write is only noted, one
note per write, with the text written. A later run replays a file's notes here, under
the file's lock and in the history's write transaction:

- the proven writes are the chain of notes back from the file as it is now (each note's
  `base` is the fingerprint of the bytes the one before it wrote: journal.chain);
- those the history has already (it recorded up to one of them: a run killed after
  recording, before the notes were removed) are not recorded again;
- what changed before the first write still to record, when the history never saw the
  bytes that write was made on (a hand edit, or a write whose note is gone), is recorded
  by hand, from the text that write found;
- then each write in turn, as by its author, for the action it changed (any other
  difference is by hand), on the day it was made (or the day the history is up to, if
  later: it never runs backwards).
"""

from __future__ import annotations

from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..digest import fingerprint
from ..edits.journal import Note, by_file, chain, notes, texts
from ..errors import ImproveError
from ..plans.files import plan_lock
from ..plans.loader import parse_text
from ..status import rules

if TYPE_CHECKING:
    from .store import HistoryStore


def record_all(
    store: HistoryStore, plans: Path, held: ExitStack | None = None, real: Path | None = None
) -> list[Note]:
    """Record the writes noted in `plans` and not recorded yet: those of the file `real`,
    whose lock the caller holds, or of every file, each under its lock, taken into `held`
    (a file being written right now is left for the next run). Returns the notes to
    remove once the history's transaction is committed, before the locks go (a writer
    meanwhile would take a note for one the history has). The caller holds the history's
    lock."""
    done: list[Note] = []
    for path, found in by_file(notes(plans, real)).items():
        if held is not None:
            try:
                held.enter_context(plan_lock(path, wait=0))
            except ImproveError:
                continue  # being written, or not to be locked: for the next run
        done += record(store, plans, found)
    return done


def record(store: HistoryStore, plans: Path, found: list[Note]) -> list[Note]:
    """Record the noted writes of one plan file (`found`, all of it); returns the notes
    done with (recorded, or never to be), for the caller to remove once the history's
    transaction is committed. The caller holds the file's lock and the history's."""
    plan_file = found[0].plan_file
    try:
        raw = plan_file.read_bytes()
    except FileNotFoundError:
        return found  # the file is gone: there is nothing left to record
    except OSError:
        return []  # cannot be read now: kept for a run that can
    current = fingerprint(raw)
    proven = chain(found, current)
    if proven:
        _replay(store, plans, plan_file, proven, raw, current)
    return found


def _replay(
    store: HistoryStore,
    plans: Path,
    plan_file: Path,
    proven: list[Note],
    raw: bytes,
    current: str,
) -> None:
    row = store.db.conn.execute(
        "select fingerprint, as_of from plans where plan_id = ?", [proven[-1].plan_id]
    ).fetchone()
    recorded, as_of = (row[0], date.fromisoformat(row[1])) if row else (None, None)
    start = 0
    for i, note in enumerate(proven):
        if note.fingerprint == recorded:
            start = i + 1  # this write, and those before it, are in the history already
    steps = proven[start:]
    if not steps:
        return
    day = as_of or steps[0].day
    first = steps[0]
    if start == 0 and first.base != recorded and first.before is not None:
        day = max(first.day, day)
        _record(store, plans, plan_file, first.before, day, None, None, None)
    made = texts(proven)[start:]
    for note, text in zip(steps, made, strict=True):
        day = max(note.day, day)
        if text is None:  # not to be worked out: only the bytes the file has now are known
            if note.fingerprint != current:
                continue  # what it changed is told with the next write's
            text = raw.decode("utf-8", errors="replace")
        last = note is steps[-1]
        _record(store, plans, plan_file, text, day, note.by, note.ref, current if last else None)


def _record(
    store: HistoryStore,
    plans: Path,
    plan_file: Path,
    text: str,
    day: date,
    by: str | None,
    ref: str | None,
    fp: str | None,
) -> None:
    """One state of the file into the history: as by `by` for the action `ref`, any other
    difference by hand. `fp`: the file's fingerprint, for the state it has now; None for
    a state it had (the history keeps no fingerprint for it: the next state follows in the
    same transaction)."""
    plan, _, _ = parse_text(text, plan_file, plans, warnings=False)
    if plan is None:
        return  # not a plan (a note tampered with): its change is told with the next
    store.sync(
        [rules.plan_status(plan, day)],
        day,
        by,
        only=[plan.id],
        targets=[(plan.id, ref)] if ref is not None else None,
        fingerprints={plan.id: fp} if fp is not None else None,
    )
