"""Recording a review: the history brought up to date, then every action snapshotted.

A review of 20,000 actions snapshots 20,000 rows. Each plan whose recorded state is of
these very bytes as at this very day (the usual case: a run earlier today recorded it,
or the sync just now did) has that state copied as it stands, inside SQLite (`insert …
select`), the values never made in Python: it is the row the rules give the plan today,
which is how `sync` itself tells that a plan needs no look (`sync._not_now`). Any other
plan (its history ahead of today, its file changed while it was read, an id twice) has
its rows worked out from its status, as they always were.

When today's view of the folder says there is nothing to record (improve.speed.dayview),
`record_day` records the review from it with no plan loaded and no rule run: every
plan's rows copied so, its totals from the day's memo. tests/review_oracle.py keeps the
way it was done before (every row worked out in Python), and tests/test_review_speed.py
holds the database either way to be the same, row for row.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from typing import TYPE_CHECKING

from ..errors import HistoryError
from .rows import PLAN_TOTALS, SQL_COLUMNS, SQL_MARKS, plan_rows
from .sync import DayTotals, day_totals, latest_days, sync, totals_of, write_day

if TYPE_CHECKING:
    from ..status import rules
    from ..status.memo import DayView
    from .store import HistoryStore

_PLAN_COLUMNS = ("review_id", "plan_id", "title", "fingerprint", *PLAN_TOTALS)
_KNOWN = "select plan_id, fingerprint, as_of from plans"
_COPY = f"insert into snapshots (review_id, {SQL_COLUMNS}) select ?, {SQL_COLUMNS} from state where plan_id = ?"


def record_review(
    store: HistoryStore,
    statuses: list[rules.PlanStatus],
    today: date,
    note: str | None,
    attendees: tuple[str, ...],
    by: str | None,
) -> int:
    """Snapshot every action of every plan at `today`, in one transaction (the review's
    id). History is first brought up to date with the same statuses (by hand), so that
    the review's snapshot and the events before it agree."""
    with store.transaction():
        sync(store, statuses, today)
        rid = _review(store, today, note, attendees, by)
        _snapshot(store, rid, statuses, today)
        _totals_then(store, rid, today, [(ps.plan.id, day_totals(ps)) for ps in statuses])
    return rid


def record_day(
    store: HistoryStore,
    view: DayView,
    today: date,
    note: str | None,
    attendees: tuple[str, ...],
    by: str | None,
) -> int:
    """`record_review` from today's view of the folder (improve.speed.dayview: every plan
    as the rules saw it earlier today, nothing to record), with no plan loaded and no rule
    run: the same rows, as the history holds every plan of the view recorded today from
    these bytes. Checked again under the write lock: anything else (another run recorded
    a change since the view was read) is HistoryError "review-day-changed", nothing
    recorded, for the caller to record from the plans instead."""
    conn = store.db.conn
    day = today.isoformat()
    with store.transaction():
        known = {r[0]: (r[1], r[2]) for r in conn.execute(_KNOWN)}
        mine = {p.plan_id: (p.fingerprint, day) for p in view.plans}
        if (
            len(mine) != len(view.plans)
            or any(known.get(pid) != was for pid, was in mine.items())
            or any(pid not in mine and was[1] <= day for pid, was in known.items())
        ):
            raise HistoryError(
                "the history changed since today's view of the plans was read",
                code="review-day-changed",
            )
        rid = _review(store, today, note, attendees, by)
        conn.executemany(_COPY, ((rid, pid) for pid in mine))
        _totals_then(
            store, rid, today, [(p.plan_id, totals_of(p.title, p.rollup)) for p in view.plans]
        )
    return rid


def _review(
    store: HistoryStore, today: date, note: str | None, attendees: tuple[str, ...], by: str | None
) -> int:
    """The review's own row: the id."""
    conn = store.db.conn
    last_event = conn.execute("select coalesce(max(id), 0) from events").fetchone()[0]
    cur = conn.execute(
        "insert into reviews (held_on, recorded_at, note, attendees, recorded_by, "
        "last_event_id) values (?, ?, ?, ?, ?, ?)",
        [today.isoformat(), store.now(), note, json.dumps(list(attendees), ensure_ascii=False),
         by, last_event],
    )  # fmt: skip
    rid = cur.lastrowid
    assert rid is not None  # a row was inserted
    return rid


def _totals_then(
    store: HistoryStore, rid: int, today: date, totals: list[tuple[str, DayTotals]]
) -> None:
    """Each plan's totals at the review, and as the day's (when they changed)."""
    conn = store.db.conn
    fps = dict(conn.execute("select plan_id, fingerprint from plans").fetchall())
    latest = latest_days(conn, today)
    summary = []
    for pid, t in totals:
        summary.append((rid, pid, t[0], fps.get(pid), *t[2:]))
        write_day(conn, pid, today, t, latest)
    conn.executemany(
        f"insert into review_plans ({', '.join(_PLAN_COLUMNS)}) "
        f"values ({', '.join('?' for _ in _PLAN_COLUMNS)})",
        summary,
    )


def _snapshot(store: HistoryStore, rid: int, statuses: list[rules.PlanStatus], today: date) -> None:
    """Every action's row into `snapshots`: the last status of each plan id, as ever."""
    conn = store.db.conn
    day = today.isoformat()
    known = {r[0]: (r[1], r[2]) for r in conn.execute(_KNOWN)}
    times = Counter(ps.plan.id for ps in statuses)
    last = {ps.plan.id: ps for ps in statuses}
    as_recorded, worked_out = [], []
    for pid, ps in last.items():
        fp = ps.plan.fingerprint
        if fp is not None and times[pid] == 1 and known.get(pid) == (fp, day):
            as_recorded.append((rid, pid))
        else:
            worked_out.append(ps)
    conn.executemany(_COPY, as_recorded)
    conn.executemany(
        f"insert into snapshots (review_id, {SQL_COLUMNS}) values (?, {SQL_MARKS})",
        ((rid, *row) for ps in worked_out for row in plan_rows(ps)),
    )
