"""Recording: bringing the history up to date with the files, reviews, updates.

`sync` compares each action with its last recorded state:
- a plan history has not seen before: one `baseline` event per action (its whole state);
- a new action in a known plan: `added`; an action (or a plan) gone from the files: `removed`;
- when days have passed since the last sync, the last recorded state is first carried
  forward day by day through the status rules (only the days where something can turn
  are evaluated), and every change that time alone made (an action going red the day
  after its due date, going stale, an override lapsing) is recorded on the day it happened,
  as a `time` event;
- then every field that differs from the file is an `edit` event dated today, by `by`
  (when the change came through improve) or "edited by hand".
All of it is one write transaction; the write lock is taken before anything is read.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..plans import model as m
from ..plans.loader import fingerprint
from ..status import rules
from . import measure_state
from .records import ADDED, BASELINE, EDIT, HAND, REMOVED, TIME, Event, NewEvent, SyncResult
from .rows import (
    PLAN_TOTALS,
    SQL_COLUMNS,
    SQL_MARKS,
    StateRow,
    _json,
    plan_rows,
    quiet,
    time_changes,
    with_time_values,
)
from .told import field_changes, time_field_changes, tracked

if TYPE_CHECKING:
    from ..status.tally import Rollup
    from .store import HistoryStore

_EVENT_INSERT = (
    "insert into events (plan_id, ref, happened_on, recorded_at, who, kind, field, old, new)"
    " values (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_DAY_COLUMNS = ("title", "present", *PLAN_TOTALS)
assert PLAN_TOTALS[2:7] == m.RAGS
# A plan's row of `plan_days` after its id and day (`_DAY_COLUMNS`): title, present (0/1),
# percent, RAG, the count of each RAG (red … blue), total, complete, overdue, stale, dropped.
DayTotals = tuple[
    str | None, int, float | None, str | None, int, int, int, int, int, int, int, int, int, int
]
# A plan as the history knows it: (plan id, title, file, fingerprint, as of).
KnownPlan = tuple[str, str | None, str, str | None, str]
# Who made the change to (plan id, ref): an identity, "edited by hand", or None.
Who = Callable[[str, str], str | None]


def _j(value: object) -> str | None:
    return None if value is None else _json(value)


def _norm(path: Path | str) -> str:
    return os.path.realpath(os.fspath(path))


def _file_still(path: Path, expected: str) -> bool:
    try:
        return fingerprint(Path(path).read_bytes()) == expected
    except OSError:
        return False


def day_totals(ps: rules.PlanStatus) -> DayTotals:
    return totals_of(ps.plan.title, ps.rollup)


def totals_of(title: str | None, r: Rollup) -> DayTotals:
    """A plan's row of `plan_days` (after its id and day): present, with these totals."""
    c = r.counts
    return (
        title,
        1,
        r.percent,
        r.rag,
        c["red"],
        c["amber"],
        c["green"],
        c["grey"],
        c["blue"],  # m.RAGS, in order
        r.total,
        r.complete,
        r.overdue,
        r.stale,
        r.dropped,
    )


def latest_days(conn: sqlite3.Connection, today: date) -> dict[str, DayTotals]:
    cols = ", ".join(f"p.[{c}]" for c in _DAY_COLUMNS)
    rows = conn.execute(
        f"""select p.plan_id, {cols} from plan_days p
            join (select plan_id, max(on_date) as d from plan_days where on_date <= ?
                  group by plan_id) latest on p.plan_id = latest.plan_id and p.on_date = latest.d""",
        [today.isoformat()],
    ).fetchall()
    return {r[0]: tuple(r[1:]) for r in rows}


def write_day(
    conn: sqlite3.Connection,
    plan_id: str,
    today: date,
    totals: DayTotals,
    latest: dict[str, DayTotals],
) -> None:
    if latest.get(plan_id) == totals:
        return
    conn.execute(
        f"insert or replace into plan_days (plan_id, on_date, {', '.join(_DAY_COLUMNS)}) "
        f"values (?, ?, {', '.join('?' for _ in _DAY_COLUMNS)})",
        (plan_id, today.isoformat(), *totals),
    )
    latest[plan_id] = totals


def sync(
    store: HistoryStore,
    statuses: list[rules.PlanStatus],
    today: date,
    by: str | None = None,
    *,
    only: Iterable[str] | None = None,
    targets: Iterable[tuple[str, str]] | None = None,
    unreadable: Iterable[Path | str] = (),
    fingerprints: Mapping[str, str] | None = None,
    rows_cache: dict[str, list[StateRow]] | None = None,
    attribute: Callable[[str, str], str | None] | None = None,
) -> SyncResult:
    """See the module docstring.  `only`: compare just these plans (others, and their
    removal, are left alone).  `targets`: the (plan id, ref) pairs `by` changed; any other
    change found is by hand.  `unreadable`: files that failed to load (their plans keep
    their recorded state).  `fingerprints`: plan id → fingerprint of the bytes loaded; a
    plan whose file has not changed since a sync today is skipped, and one whose file
    changed again on disk since it was loaded is left for the next run (never recorded
    from a stale view); without it, each plan's own `fingerprint` (set by the loader) is
    used.  `attribute(plan id, ref)`, when given, says who made each change
    (replay uses it)."""
    conn = store.db.conn
    result = SyncResult(today)
    only = set(only) if only is not None else None
    targets = set(targets) if targets is not None else None
    unread = {_norm(p) for p in unreadable}
    day = today.isoformat()
    # Plans loaded from files know the fingerprint of the bytes they came from
    # (Plan.fingerprint); `fingerprints` may say it instead.

    def who(plan_id: str, ref: str) -> str | None:
        if attribute is not None:
            return attribute(plan_id, ref)
        if by and (targets is None or (plan_id, ref) in targets):
            return by
        return HAND

    with store.transaction():
        at = store.now()
        first_id = conn.execute("select coalesce(max(id), 0) from events").fetchone()[0]
        known: dict[str, KnownPlan] = {
            r[0]: r
            for r in conn.execute("select plan_id, title, file, fingerprint, as_of from plans")
        }
        latest = latest_days(conn, today)
        events: list[NewEvent] = []
        seen: set[str] = set()
        for ps in statuses:
            pid = ps.plan.id
            if (only is not None and pid not in only) or pid in seen:
                continue
            seen.add(pid)
            prev = known.get(pid)
            fp = fingerprints.get(pid) if fingerprints else ps.plan.fingerprint
            why = _not_now(ps, prev, fp, today)
            if why is not None:
                if why:
                    result.skipped.append(why)
                continue
            result.checked.append(pid)
            rows = rows_cache[pid] if rows_cache and pid in rows_cache else plan_rows(ps)
            if prev is None:
                events.extend(
                    (pid, row[1], day, at, None, BASELINE, None, None, tracked(row)) for row in rows
                )
                changed = rows
            else:
                as_of = date.fromisoformat(prev[4])
                changed = _compared(conn, pid, rows, as_of, today, at, who, events)
            conn.executemany(
                f"insert or replace into state ({SQL_COLUMNS}) values ({SQL_MARKS})", changed
            )
            measure_state.compare(conn, ps.plan, day, at, who, events)
            conn.execute(
                "insert or replace into plans (plan_id, title, file, fingerprint, as_of) "
                "values (?, ?, ?, ?, ?)",
                [pid, ps.plan.title, _norm(ps.plan.file), fp, day],
            )
            write_day(conn, pid, today, day_totals(ps), latest)
        for pid, prev in known.items():
            if pid in seen or (only is not None and pid not in only):
                continue
            why = _kept_unread(pid, prev, unread, today)
            if why:
                result.skipped.append(why)
                continue
            _removed(conn, pid, prev, today, at, who, events, latest)
        conn.executemany(_EVENT_INSERT, ((*e[:7], _j(e[7]), _j(e[8])) for e in events))
        # Inserted under the write lock into a table never deleted from: the ids follow on.
        made = [
            Event(first_id + n, e[0], e[1], date.fromisoformat(e[2]), *e[3:])
            for n, e in enumerate(events, 1)
        ]
        made.sort(key=lambda e: (e.happened_on, e.id))
        result.events = made
    return result


def _not_now(
    ps: rules.PlanStatus, prev: KnownPlan | None, fp: str | None, today: date
) -> str | None:
    """Why a plan is not compared now: "" when its file is as recorded today already, a
    reason to say when its history is ahead of `today` or its file changed while this run
    read it; None when it is to be compared."""
    if prev is None:
        return None
    pid = ps.plan.id
    as_of = date.fromisoformat(prev[4])
    if today < as_of:
        return (f"{pid}: history is recorded up to {as_of.isoformat()}; nothing is recorded "
                "as at an earlier date")  # fmt: skip
    if fp is not None and prev[3] == fp and as_of == today:
        return ""
    if fp is not None and prev[3] != fp and not _file_still(ps.plan.file, fp):
        return (f"{pid}: {Path(ps.plan.file).name} changed on disk while this run was "
                "reading it; it is compared on the next run")  # fmt: skip
    return None


def _compared(conn: sqlite3.Connection, pid: str, rows: list[StateRow], as_of: date,
              today: date, at: str, who: Who, events: list[NewEvent]) -> list[StateRow]:  # fmt: skip
    """A plan's rows against its recorded state: the events (added, edited, changed by
    time alone since `as_of`, removed) appended to `events`; the rows to store again."""
    day = today.isoformat()
    old: dict[str, StateRow] = {
        r[1]: r for r in conn.execute(f"select {SQL_COLUMNS} from state where plan_id = ?", [pid])
    }
    changed: list[StateRow] = []
    for row in rows:
        ref = row[1]
        before = old.pop(ref, None)
        if before is None:
            events.append((pid, ref, day, at, who(pid, ref), ADDED, None, None, tracked(row)))
            changed.append(row)
            continue
        if before == row and (as_of == today or quiet(before, as_of, today)):
            continue
        carried = before
        if as_of < today:
            for when, was, now in time_changes(before, as_of, today):
                for name, o, n in time_field_changes(was, now, before):
                    events.append((pid, ref, when.isoformat(), at, None, TIME, name, o, n))
                carried = with_time_values(before, now)
        for name, o, n in field_changes(carried, row):
            events.append((pid, ref, day, at, who(pid, ref), EDIT, name, o, n))
        if before != row:
            changed.append(row)
    for ref, row in old.items():
        events.append((pid, ref, day, at, who(pid, ref), REMOVED, None, tracked(row), None))
        conn.execute("delete from state where plan_id = ? and ref = ?", [pid, ref])
    return changed


def _kept_unread(pid: str, prev: KnownPlan, unreadable: set[str], today: date) -> str | None:
    """Why a recorded plan no longer loaded is kept, not recorded as removed."""
    if prev[2] in unreadable:
        return (f"{pid}: {Path(prev[2]).name} could not be read; its recorded state is kept "
                "until it loads again")  # fmt: skip
    if date.fromisoformat(prev[4]) > today:
        return (f"{pid}: history is recorded up to {prev[4]}; nothing is recorded as at an "
                "earlier date")  # fmt: skip
    return None


def _removed(conn: sqlite3.Connection, pid: str, prev: KnownPlan, today: date, at: str,
             who: Who, events: list[NewEvent], latest: dict[str, DayTotals]) -> None:  # fmt: skip
    """A plan gone from the folder: each of its actions removed, its state forgotten."""
    day = today.isoformat()
    for row in conn.execute(f"select {SQL_COLUMNS} from state where plan_id = ?", [pid]).fetchall():
        events.append((pid, row[1], day, at, who(pid, row[1]), REMOVED, None, tracked(row), None))
    conn.execute("delete from state where plan_id = ?", [pid])
    conn.execute("delete from plans where plan_id = ?", [pid])
    measure_state.forget(conn, pid)
    write_day(conn, pid, today, (prev[1], 0, None, None, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), latest)
