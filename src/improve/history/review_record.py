"""Recording a review: the history brought up to date, then every action snapshotted.

A review of 20,000 actions snapshots 20,000 rows. Each plan whose recorded state is of
these very bytes as at this very day (the usual case: a run earlier today recorded it,
or the sync just now did) has that state copied as it stands, inside SQLite (`insert …
select`), the values never made in Python: it is the row the rules give the plan today,
which is how `sync` itself tells that a plan needs no look (`sync._not_now`). Any other
plan (its history ahead of today, its file changed while it was read, an id twice) has
its rows worked out from its status, as they always were.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from typing import TYPE_CHECKING

from .rows import COLUMNS, KEY, PLAN_TOTALS, plan_rows
from .sync import _latest_days, _totals, _write_day, sync

if TYPE_CHECKING:
    from ..status import rules
    from .store import HistoryStore

_ALL = ", ".join(f"[{c}]" for c in KEY + COLUMNS)
_MARKS = ", ".join("?" for _ in KEY + COLUMNS)
_PLAN_COLUMNS = ("review_id", "plan_id", "title", "fingerprint", *PLAN_TOTALS)


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
    conn = store.db.conn
    with store.transaction():
        sync(store, statuses, today)
        last_event = conn.execute("select coalesce(max(id), 0) from events").fetchone()[0]
        cur = conn.execute(
            "insert into reviews (held_on, recorded_at, note, attendees, recorded_by, "
            "last_event_id) values (?, ?, ?, ?, ?, ?)",
            [today.isoformat(), store.now(), note, json.dumps(list(attendees), ensure_ascii=False),
             by, last_event],
        )  # fmt: skip
        rid = cur.lastrowid
        assert rid is not None  # a row was inserted
        _snapshot(store, rid, statuses, today)
        fps = dict(conn.execute("select plan_id, fingerprint from plans").fetchall())
        summary = []
        latest = _latest_days(conn, today)
        for ps in statuses:
            t = _totals(ps)
            summary.append((rid, ps.plan.id, t[0], fps.get(ps.plan.id), *t[2:]))
            _write_day(conn, ps.plan.id, today, t, latest)
        conn.executemany(
            f"insert into review_plans ({', '.join(_PLAN_COLUMNS)}) "
            f"values ({', '.join('?' for _ in _PLAN_COLUMNS)})",
            summary,
        )
    return rid


def _snapshot(store: HistoryStore, rid: int, statuses: list[rules.PlanStatus], today: date) -> None:
    """Every action's row into `snapshots`: the last status of each plan id, as ever."""
    conn = store.db.conn
    day = today.isoformat()
    known = {
        r[0]: (r[1], r[2]) for r in conn.execute("select plan_id, fingerprint, as_of from plans")
    }
    times = Counter(ps.plan.id for ps in statuses)
    last = {ps.plan.id: ps for ps in statuses}
    as_recorded, worked_out = [], []
    for pid, ps in last.items():
        fp = ps.plan.fingerprint
        if fp is not None and times[pid] == 1 and known.get(pid) == (fp, day):
            as_recorded.append((rid, pid))
        else:
            worked_out.append(ps)
    conn.executemany(
        f"insert into snapshots (review_id, {_ALL}) select ?, {_ALL} from state where plan_id = ?",
        as_recorded,
    )
    conn.executemany(
        f"insert into snapshots (review_id, {_ALL}) values (?, {_MARKS})",
        ((rid, *row) for ps in worked_out for row in plan_rows(ps)),
    )
