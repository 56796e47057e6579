"""The two ends of an edit to a plan file, each under the file's lock (workspace.py takes
it): reading the file as it is now, refused if it is a link out of the plans folder,
too big, not UTF-8 or changed since it was loaded; and replacing it with the edited text
atomically, never over a file that changed meanwhile, noted in the journal first when
the history is to record it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ConflictError, EditError, PlanFileError
from ..plans.files import atomic_write, leftover_temps, real_plan_path, remove_leftovers
from ..plans.loader import MAX_BYTES, LoadedFile, file_size, fingerprint, outside_link
from ..plans.model import Target
from ..status import rules
from . import journal
from .measure_edit import MeasureUpdated, Rewritten

if TYPE_CHECKING:
    from .editing import Edited
    from .measure_edit import MeasureEdited

# a write the journal notes first: the plans folder, the file, plan id, ref, author, day
Noted = tuple[Path, Path, str, str, str | None, date]


@dataclass
class Updated(Rewritten):
    """What an update did: the file's text before and after, the plan as it now is, and
    the action's status."""

    action: rules.ActionStatus
    history_warning: str | None = None
    committed: str | None = None  # the commit made of the file (update(commit=True))
    commit_note: str | None = None  # why it was not committed, or that it is on no branch

    def apply_statuses(self, statuses: list[rules.PlanStatus]) -> list[rules.PlanStatus]:
        """`statuses` with the changed plan's worked out again; the rest kept."""
        pid = self.target.plan_id
        return [self.status if ps.plan.id == pid else ps for ps in statuses]


def refuse_outside(path: Path, plans: Path) -> None:
    """A plan file that is a link to somewhere outside the plans folder is not changed."""
    target_outside = outside_link(path, plans)
    if target_outside is not None:
        raise PlanFileError(
            f"{path.name} is a link to {target_outside}, outside the plans folder; it "
            "is neither read nor changed",
            code="outside-link",
        )


def read_for_edit(path: Path, expected: str | None) -> tuple[Path, str, str]:
    """The file as it is now (under its lock): its real path, text and fingerprint. A
    crashed write's leftovers are swept first; a file too big, unreadable, not UTF-8 or
    not the one `expected` (by fingerprint) is refused."""
    real = real_plan_path(path)
    remove_leftovers(leftover_temps(real.parent, real.name))  # a crashed write's
    if file_size(path) > MAX_BYTES:
        raise PlanFileError(
            f"{path.name} is over {MAX_BYTES // 1024 // 1024} MB, more than a plan "
            "file may be; `improve check` says more",
            code="plan-has-errors",
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise EditError(f"cannot read {path.name}: {exc.strerror}", code="os-error") from None
    fp = fingerprint(raw)
    if expected is not None and fp != expected:
        raise ConflictError(
            f"{path.name} changed on disk since it was loaded; nothing was written — "
            "reload and try again"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise PlanFileError(
            f"{path.name} is not UTF-8 text; fix it first", code="plan-has-errors"
        ) from None
    return real, text, fp


def write_edited(
    path: Path,
    target: Target,
    edited: Edited | MeasureEdited,
    text: str,
    fp: str,
    today: date,
    noted: Noted | None,
) -> tuple[Updated | MeasureUpdated, Path | None]:
    """Replace the file with the edited text; with `noted` (the journal's plans
    folder, file, plan id, ref, author and day), the write is noted first (one that
    cannot be noted is not made: journal.begin's EditError). Returns the
    update and its note (None: not noted), which the caller ends once recorded."""

    new_raw = edited.text.encode("utf-8")
    new_fp = fingerprint(new_raw)
    note = None
    if noted is not None:  # with the text before, unless a note of the file has it
        known = journal.has(noted[0], noted[1], fp)
        note = journal.begin(*noted, new_fp, base=fp, before=text, after=edited.text, known=known)
    try:
        stamp = atomic_write(path, new_raw, expect=fp)
    except BaseException:
        journal.end(note)  # nothing was written
        raise
    edited.plan.fingerprint = new_fp
    loaded = LoadedFile(path, edited.plan, edited.problems, new_fp, stamp)
    status = rules.plan_status(edited.plan, today)
    planned = getattr(edited, "planned", None)
    if planned is not None:  # a measure's change (measure_edit.py)
        done = MeasureUpdated(target, path, edited.said, text, edited.text, loaded, status, planned)
        return done, note
    action = next(st for st in status.actions() if st.action.ref == target.ref)
    return Updated(target, path, edited.said, text, edited.text, loaded, status, action), note
