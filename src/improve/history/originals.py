"""Original due dates the history recorded, and the hand edits that rewrote them.

An action's `due` is its original due date: improve never changes it (a new date is an
extension, recorded beside it). So when the history holds an earlier `due` than the file
says, the date was rewritten outside improve, in an editor: a slip nobody agreed. The
review briefing lists it under dates slipped, the report shows the first recorded date as
the original, and `check` warns (issue 22).

Each question is one indexed query: by plan (`events_action` starts with plan_id) or by
the events since a review (`id > ?`). `first_dues_readonly` asks a database read-only, as
`quick.py` does, so `improve check` never creates, migrates or locks one.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..plans import model as m
    from ..plans.loader import LoadedFile
    from .store import HistoryStore

REWRITTEN = "original due date rewritten by hand"


@dataclass(frozen=True, slots=True)
class DueRewrite:
    """One action's `due`, moved later outside improve."""

    plan_id: str
    ref: str
    first: date  # the first due date recorded (in the period asked about)
    now: date  # the latest recorded
    on: date | None = None  # the day of the last rewrite recorded (None: not yet recorded)
    who: str | None = None  # as the history has it: "edited by hand", or a commit's author
    commit: str | None = None


def _day(text: object) -> date | None:
    if not isinstance(text, str):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


_EVENTS = (
    "select plan_id, ref, happened_on, who, old, new, [commit] from events"
    " where field = 'original_due' and {where} order by id"
)


def _chains(rows: Iterable[Sequence[Any]]) -> dict[tuple[str, str], DueRewrite]:
    """Per action: the first due date in its chain of original_due events, the last, and
    who and when of the last move."""
    out: dict[tuple[str, str], DueRewrite] = {}
    for pid, ref, happened_on, who, old, new, commit in rows:
        before, after = _day(_loads(old)), _day(_loads(new))
        key = (pid, ref)
        known = out.get(key)
        first = known.first if known else before or after
        if first is None or after is None:
            continue
        out[key] = DueRewrite(pid, ref, first, after, _day(happened_on), who, commit)
    return out


def _loads(text: str | None) -> Any:
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


def rewrites_since(conn: sqlite3.Connection, after_event: int) -> list[DueRewrite]:
    """Due dates moved later outside improve by the events after `after_event` (a
    review's last event): from the date at the review to the latest."""
    found = _chains(conn.execute(_EVENTS.format(where="id > ?"), [after_event]))
    return [r for r in found.values() if r.now > r.first]


def first_dues(conn: sqlite3.Connection, plan_id: str) -> dict[str, DueRewrite]:
    """{ref: the first due date recorded for it, the latest, and the last move} for the
    actions of a plan whose due date the history saw move; with none, what the history
    holds now (so a hand edit not yet recorded is caught too)."""
    found = {
        ref: r
        for (_, ref), r in _chains(
            conn.execute(_EVENTS.format(where="plan_id = ?"), [plan_id])
        ).items()
    }
    for ref, due in conn.execute(
        "select ref, original_due from state where plan_id = ?", [plan_id]
    ):
        day = _day(due)
        if ref not in found and day is not None:
            found[ref] = DueRewrite(plan_id, ref, day, day)
    return found


def earlier_original(first: dict[str, DueRewrite], ref: str, due: date | None) -> DueRewrite | None:
    """The history's record for `ref` when it holds an earlier due date than `due`."""
    known = first.get(ref)
    if known is None or due is None or known.first >= due:
        return None
    return known


def first_dues_readonly(path: Path, plan_id: str) -> dict[str, DueRewrite]:
    """`first_dues` from the database at `path` opened read-only; {} when there is none,
    or it cannot be read as it is (another schema, a lock, damage): never an error."""
    from .quick import _reading

    try:
        with _reading(path) as conn:
            return {} if conn is None else first_dues(conn, plan_id)
    except (sqlite3.Error, OSError):
        return {}


def recorded_first_dues(store: HistoryStore, plan_id: str) -> dict[str, DueRewrite]:
    """`first_dues` asked of an open HistoryStore (under its lock)."""
    return store._run(lambda: first_dues(store.db.conn, plan_id))


def due_rewrite_warnings(loaded: LoadedFile, db: Path) -> list[m.Problem]:
    """`improve check`'s warnings for a plan file read (`loader.LoadedFile`): one at the
    `due` of each action whose due date the history at `db` first recorded as earlier.
    Nothing when the file has errors or there is no history to ask."""
    from ..plans import model
    from ..plans.positions import Positions

    plan = loaded.plan
    if plan is None or not db.is_file():
        return []
    firsts = first_dues_readonly(db, plan.id)
    found = [
        (action, known)
        for _, action in plan.actions()
        if (known := earlier_original(firsts, action.ref, action.due)) is not None
    ]
    if not found:
        return []
    try:
        positions = Positions(loaded.path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return []
    out: list[m.Problem] = []
    for action, known in found:
        line, col = positions.locate(tuple(action.where) + ("due",), at="value")
        out.append(
            model.Problem(
                str(loaded.path),
                line,
                col,
                "warning",
                f"action {action.ref}'s original due date was {known.first} when the history "
                f"first recorded it, not {action.due}: a new date is an extension; put due = "
                f"{known.first} back and record the new date with improve update "
                f"{plan.id}:{action.ref} --extend-to {action.due} --reason …",
            )
        )
    return out
