"""The write journal: what an update did to a plan file, until the history has it.

Writing the plan file is the update; recording it in the history comes after, and can
fail (a read-only or full database) or never happen (the writer killed between the two).
Before the file is replaced, the writer notes in `.improve/journal/` which action it is
changing, who is changing it, on what day, and the fingerprint the file will have. Once
the history has recorded the change the note is removed. A note still there on a later
run, for a file that still has that fingerprint, is a change improve made but did not
record: it is recorded then, as by its author, never as "edited by hand". A note for a
file that has changed again since (a hand edit on top) is dropped, and the difference
is a hand edit, as it must be told.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

JOURNAL_DIR = Path(".improve") / "journal"


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


def _folder(plans: Path) -> Path:
    return Path(plans) / JOURNAL_DIR


def begin(
    plans: Path, plan_file: Path, plan_id: str, ref: str, by: str | None, day: date, fp: str
) -> Path | None:
    """Note a write about to happen (under the plan file's lock). None when no note can be
    written (a read-only folder: the plan file cannot be written either)."""
    folder = _folder(plans)
    where = folder / f"{Path(os.path.realpath(plan_file)).name}.json"
    body = {
        "plan_file": os.path.realpath(plan_file),
        "plan": plan_id,
        "ref": ref,
        "by": by,
        "day": day.isoformat(),
        "fingerprint": fp,
    }
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = where.with_suffix(".json.part")
        tmp.write_text(json.dumps(body), encoding="utf-8")
        os.replace(tmp, where)
    except OSError:
        return None
    return where


def end(where: Path | None) -> None:
    """The history has the write: the note goes."""
    if where is None:
        return
    try:
        where.unlink()
    except FileNotFoundError:
        pass
    except OSError:
        pass  # left for the next run, which finds it recorded already and drops it


def notes(plans: Path, plan_file: Path | None = None) -> list[Note]:
    """The writes noted and not yet recorded (for one plan file, or all)."""
    folder = _folder(plans)
    try:
        names = sorted(p for p in folder.iterdir() if p.suffix == ".json")
    except OSError:
        return []
    out = []
    wanted = os.path.realpath(plan_file) if plan_file is not None else None
    for where in names:
        try:
            body = json.loads(where.read_text(encoding="utf-8"))
            note = Note(
                where,
                Path(body["plan_file"]),
                str(body["plan"]),
                str(body["ref"]),
                body.get("by"),
                date.fromisoformat(body["day"]),
                str(body["fingerprint"]),
            )
        except (OSError, ValueError, KeyError, TypeError):
            end(where)  # not a note of ours, or half of one: nothing can be told from it
            continue
        if wanted is None or str(note.plan_file) == wanted:
            out.append(note)
    return out
