"""History from commits: each commit that changed a plan file, recorded as by its author.

When the plans folder is in a git work tree, every run first reads in the commits HEAD
has that the history has not (improve.team.gitlog finds them; this records them), and only then
compares the files, so a change that came in by a pull is recorded once, under the name
of the person who committed it, dated by the commit's author date, with its id; what is
left (edits not yet committed) is recorded as by hand, as always.

A commit is read as what it changed, action by action: the actions whose tables differ
between the file before and after the commit (every action, when the [plan] table
changed) are set to the commit's version; the others keep their recorded state. So two
leads who changed different actions of one plan on two branches are each recorded for
their own change, whichever order their commits arrive in, and a merge (never read
itself) adds nothing of its own but what a person resolved in it, which the files then
show, as by hand.

- The day: the author's own date (never later than today); the plan's recorded state is
  first carried forward to it (or the commit applied on the day the plan was recorded up
  to, if that is later: history is never rewound).
- A change the history already has (an edit seen before it was committed, or made by
  `improve update` and then committed) is not recorded again: its events are given the
  commit's id, and those recorded as by hand its author's name.
- A file at a commit that does not load is left out of that commit; the plan keeps its
  recorded state.
- Every commit read is kept (`commits`), so none is read twice; `meta.git_head` is the
  HEAD read up to, which a run compares with the repository's before reading anything.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..status import rules
from ..status.tally import tally
from . import measure_state
from .blobs import Read, parse_next, parse_whole
from .records import ADDED, BASELINE, EDIT, HAND, REMOVED, TIME, NewEvent
from .rows import (
    SQL_COLUMNS,
    SQL_MARKS,
    Row,
    StateRow,
    action_row,
    quiet,
    time_changes,
    with_time_values,
)
from .sync import _DAY_COLUMNS, DayTotals, _j, totals_of
from .told import field_changes, time_field_changes, tracked

if TYPE_CHECKING:
    from ..plans import model as m
    from ..team.gitlog import Commit
    from .store import HistoryStore

_INSERT = (
    "insert into events (plan_id, ref, happened_on, recorded_at, who, kind, field, old, new,"
    " [commit]) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_DAYS = ", ".join(_DAY_COLUMNS)
HEAD_KEY = "git_head"
# The plan files of these blob ids, by id (gitops reads them in one `git cat-file`).
ReadBlobs = Callable[[list[str]], dict[str, bytes]]
# A commit's author as the history names them: (name, email) → who.
Author = Callable[[str, str], str]
# An event as a commit makes it: sync's (records.NewEvent), then the commit's id (None
# for what time alone changed).
CommitEvent = tuple[str, str, str, str, str | None, str, str | None, object, object, str | None]


@dataclass
class CommitsResult:
    read: int = 0  # commits recorded now
    events: int = 0  # events they made
    skipped: list[str] = field(default_factory=list)  # files at a commit that did not load


def stored_head(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("select value from meta where key = ?", [HEAD_KEY]).fetchone()
    return row[0] if row else None


def set_head(conn: sqlite3.Connection, head: str) -> None:
    conn.execute("insert or replace into meta (key, value) values (?, ?)", [HEAD_KEY, head])


def is_empty(conn: sqlite3.Connection) -> bool:
    """No plan or event recorded yet: a history to build from the whole log."""
    return conn.execute("select 1 from plans limit 1").fetchone() is None and (
        conn.execute("select 1 from events limit 1").fetchone() is None
    )


def _action_tables(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for rec in data.get("recommendation", []) or []:
        if not isinstance(rec, dict):
            continue
        for act in rec.get("action", []) or []:
            if isinstance(act, dict) and isinstance(act.get("ref"), str):
                out[act["ref"]] = act
    return out


def _changed_refs(
    old: Read | None, new: Read, state_refs: Iterable[str]
) -> tuple[set[str], set[str]]:
    """(the refs to set to the commit's version, those whose tables it changed): the
    first is every ref when the plan's own table (its margin, start, stale days) changed,
    or the file before did not load."""
    after = _action_tables(new.data)
    before = _action_tables(old.data) if old is not None else {}
    own = {r for r in set(before) | set(after) if before.get(r) != after.get(r)}
    if old is None or old.data.get("plan") != new.data.get("plan"):
        return {a.ref for _, a in new.plan.actions()} | set(state_refs), own
    return own, own


def _totals(title: str | None, rows: Iterable[StateRow]) -> DayTotals:
    r = tally(
        (
            x.status == "dropped",
            x.rag,
            bool(x.complete),
            bool(x.overdue),
            bool(x.stale),
            x.weight,
            x.percent,
        )
        for x in map(Row._make, rows)
    )
    return totals_of(title, r)


class _Recorder:
    def __init__(
        self, store: HistoryStore, plans: Path, today: date, who: Callable[[str, str], str]
    ) -> None:
        self.conn = store.db.conn
        self.at = store.now()
        self.plans = plans
        self.today = today
        self.who = who
        self.result = CommitsResult()
        self._current: Commit | None = None  # the commit being recorded
        self._state: dict[str, dict[str, StateRow]] = {}  # plan id → its rows, in this chunk
        self._parsed: dict[str, tuple[str, Read | None]] = {}  # path → (blob, plan)

    def side(
        self, blob: str | None, texts: dict[str, bytes], path: str, after: str | None = None
    ) -> Read | None:
        """The plan in this blob (None when it does not load). The last one read of each
        file is kept: it is the file before that file's next commit, and the next is read
        from it (history/blobs.py). `after`: the blob this one follows."""
        if blob is None:
            return None
        kept = self._parsed.get(path)
        if kept is not None and kept[0] == blob:
            return kept[1]
        raw = texts.get(blob)
        read = None
        if raw is not None:
            where = self.plans / path.rsplit("/", 1)[-1]
            if kept is not None and kept[0] == after and kept[1] is not None:
                read = parse_next(kept[1], raw, where, self.plans)
            else:
                try:
                    read = parse_whole(raw, raw.decode("utf-8-sig"), where, self.plans)
                except UnicodeDecodeError:
                    read = None
        self._parsed[path] = (blob, read)
        return read

    def commit(self, c: Commit, texts: dict[str, bytes]) -> None:
        self._current = c
        author = self.who(c.author, c.email)
        day = min(c.day, self.today)
        before: dict[str, Read] = {}
        after: dict[str, tuple[Read, str]] = {}
        for f in c.files:
            old = self.side(f.old, texts, f.path)
            new = self.side(f.new, texts, f.path, after=f.old)
            if f.new is not None and new is None:
                self.result.skipped.append(
                    f"{f.path} at commit {c.id[:12]} does not load; it is left out of the history"
                )
                continue
            if old is not None:
                before[old.plan.id] = old
            if new is not None:
                after[new.plan.id] = (new, f.path)
        for pid in before.keys() - after.keys():
            self._removed(pid, day, author, c.id)
        for pid, (new, path) in after.items():
            self._apply(pid, before.get(pid), new, path, day, author, c.id)
        self.conn.execute(
            "insert or ignore into commits (id, author, email, authored, recorded_at)"
            " values (?, ?, ?, ?, ?)",
            [c.id, author, c.email, c.authored.isoformat(), self.at],
        )
        self.result.read += 1

    def _emit(self, events: list[CommitEvent]) -> None:
        self.conn.executemany(
            _INSERT,
            ((*e[:7], _j(e[7]), _j(e[8]), e[9]) for e in events),
        )
        self.result.events += len(events)

    def _removed(self, pid: str, day: date, author: str, cid: str) -> None:
        conn = self.conn
        prev = conn.execute("select title, as_of from plans where plan_id = ?", [pid]).fetchone()
        if prev is None:
            return
        on = max(day, date.fromisoformat(prev[1])).isoformat()
        rows = conn.execute(f"select {SQL_COLUMNS} from state where plan_id = ?", [pid]).fetchall()
        self._emit(
            [(pid, r[1], day.isoformat(), self.at, author, REMOVED, None, tracked(r), None, cid)
             for r in rows]
        )  # fmt: skip
        conn.execute("delete from state where plan_id = ?", [pid])
        conn.execute("delete from plans where plan_id = ?", [pid])
        measure_state.forget(conn, pid)
        self._state.pop(pid, None)
        self._day(pid, on, (prev[0], 0, None, None, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

    def _day(self, pid: str, on: str, totals: DayTotals) -> None:
        latest = self.conn.execute(
            f"select {_DAYS} from plan_days where plan_id = ? and on_date <= ?"
            " order by on_date desc limit 1",
            [pid, on],
        ).fetchone()
        if latest is not None and tuple(latest) == totals:
            return
        self.conn.execute(
            f"insert or replace into plan_days (plan_id, on_date, {_DAYS}) "
            f"values (?, ?, {', '.join('?' for _ in _DAY_COLUMNS)})",
            (pid, on, *totals),
        )

    def _apply(
        self, pid: str, old: Read | None, new: Read, path: str, day: date, author: str, cid: str
    ) -> None:
        conn = self.conn
        plan = new.plan
        file = os.path.realpath(self.plans / path.rsplit("/", 1)[-1])
        prev = conn.execute(
            "select fingerprint, as_of from plans where plan_id = ?", [pid]
        ).fetchone()
        on = day if prev is None else max(day, date.fromisoformat(prev[1]))
        iso, when = on.isoformat(), day.isoformat()

        def row_of(action: m.Action) -> StateRow:
            st = rules.action_status(action, on, plan.margin, plan.stale_days, plan.start)
            return action_row(pid, st, plan.margin, plan.stale_days)

        events: list[CommitEvent] = []
        state: dict[str, StateRow]
        if prev is None:
            rows = [row_of(a) for _, a in plan.actions()]
            events += [
                (pid, r[1], when, self.at, author, BASELINE, None, None, tracked(r), cid)
                for r in rows
            ]
            state = {r[1]: r for r in rows}
            touched = set(state)
            fp: str | None = new.fp
        else:
            as_of = date.fromisoformat(prev[1])
            touched = set()
            state = self._state.get(pid) or {
                r[1]: r
                for r in conn.execute(f"select {SQL_COLUMNS} from state where plan_id = ?", [pid])
            }
            changed, own = _changed_refs(old, new, state)
            for ref, before in list(state.items()):  # carried forward to the day, as sync does
                if as_of < on and not quiet(before, as_of, on):
                    carried = before
                    for t, was, now in time_changes(before, as_of, on):
                        events += [
                            (pid, ref, t.isoformat(), self.at, None, TIME, name, o, n, None)
                            for name, o, n in time_field_changes(was, now, before)
                        ]
                        carried = with_time_values(before, now)
                    if carried != before:
                        state[ref] = carried
                        touched.add(ref)
            actions = {a.ref: a for _, a in plan.actions()}
            for ref in sorted(changed):
                had = state.get(ref)
                action = actions.get(ref)
                if action is None:
                    if had is not None:
                        events.append(
                            (
                                pid,
                                ref,
                                when,
                                self.at,
                                author,
                                REMOVED,
                                None,
                                tracked(had),
                                None,
                                cid,
                            )
                        )
                        del state[ref]
                        conn.execute("delete from state where plan_id = ? and ref = ?", [pid, ref])
                    continue
                row = row_of(action)
                if had is None:
                    events.append(
                        (pid, ref, when, self.at, author, ADDED, None, None, tracked(row), cid)
                    )
                else:
                    edits = field_changes(had, row)
                    if not edits and ref in own:
                        self._restamp(pid, ref, author, cid)
                    events += [
                        (pid, ref, when, self.at, author, EDIT, name, o, n, cid)
                        for name, o, n in edits
                    ]
                if row != had:
                    state[ref] = row
                    touched.add(ref)
            # the recorded state is the commit's file only if it was the file before it
            fp = new.fp if old is not None and prev[0] == old.fp else None
        measures: list[NewEvent] = []  # the plan's and its recommendations' (measure_state.py)
        measure_state.compare(conn, plan, when, self.at, lambda p, r: author, measures)
        events += [(*e, cid) for e in measures]
        self._emit(events)
        conn.executemany(
            f"insert or replace into state ({SQL_COLUMNS}) values ({SQL_MARKS})",
            (state[ref] for ref in touched if ref in state),
        )
        self._state[pid] = state
        conn.execute(
            "insert or replace into plans (plan_id, title, file, fingerprint, as_of)"
            " values (?, ?, ?, ?, ?)",
            [pid, plan.title, file, fp, iso],
        )
        self._day(pid, iso, _totals(plan.title, state.values()))

    def _restamp(self, pid: str, ref: str, author: str, cid: str) -> None:
        """The commit's change to this action is recorded already (seen before it was
        committed): the events since the action's last commit are this commit's."""
        after = self.conn.execute(
            "select coalesce(max(id), 0) from events where plan_id = ? and ref = ?"
            " and [commit] is not null",
            [pid, ref],
        ).fetchone()[0]
        where = (
            " where plan_id = ? and ref = ? and id > ? and [commit] is null"
            f" and kind in ('{EDIT}', '{ADDED}', '{REMOVED}')"
        )
        self.conn.execute(
            "update events set [commit] = ?, who = case when who = ? then ? else who end" + where,
            [cid, HAND, author, pid, ref, after],
        )
        # a commit rewritten (by a rebase, an amend, a cherry-pick) keeps its author and
        # author date: the change read from the old one is this one's now
        c = self._current
        assert c is not None  # called while a commit is recorded
        self.conn.execute(
            "update events set [commit] = ? where plan_id = ? and ref = ? and [commit] in"
            " (select id from commits where email = ? and authored = ? and id != ?)",
            [cid, pid, ref, c.email, c.authored.isoformat(), cid],
        )


def record_commits(store: HistoryStore, commits: list[Commit], read: ReadBlobs, head: str,
                   plans: Path, today: date, who: Author, *, chunk: int = 250,
                   ) -> CommitsResult:  # fmt: skip
    """Record these commits (gitlog.Commit, oldest first; `read(blob ids)` gives their
    plan files), `chunk` at a time, each chunk in one write transaction, then remember
    `head` as read. Commits recorded already (by another run at the same moment, or one
    stopped midway) are passed over."""
    rec = _Recorder(store, Path(plans), today, who)
    conn = store.db.conn
    with store.transaction():
        done = {r[0] for r in conn.execute("select id from commits")}
    todo = [c for c in commits if c.id not in done]
    for start in range(0, len(todo), chunk):
        part = todo[start : start + chunk]
        texts = read([b for c in part for f in c.files for b in (f.old, f.new) if b])
        with store.transaction():
            rec.at = store.now()
            rec._state.clear()  # another run may have written between two chunks
            seen = {r[0] for r in conn.execute("select id from commits")}
            for c in part:
                if c.id not in seen:
                    rec.commit(c, texts)
    with store.transaction():
        set_head(conn, head)
    return rec.result
