"""The review as it was recorded before history/review_record.py: every action's row
worked out from the plan's status, in Python. Kept as the oracle the copy inside SQLite
is held to (test_review_speed): the same database, row for row."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING

from improve.history.rows import PLAN_TOTALS, SQL_COLUMNS, SQL_MARKS, plan_rows
from improve.history.sync import day_totals, latest_days, sync, write_day

if TYPE_CHECKING:
    from improve.history.store import HistoryStore
    from improve.status import rules


def record_review(
    store: HistoryStore,
    statuses: list[rules.PlanStatus],
    today: date,
    note: str | None,
    attendees: tuple[str, ...],
    by: str | None,
) -> int:
    """Snapshot every action of every plan at `today`, in one transaction.  History is
    first brought up to date with the same statuses (by hand), so that the review's
    snapshot and the events before it agree."""
    conn = store.db.conn
    cache = {ps.plan.id: plan_rows(ps) for ps in statuses}
    with store.transaction():
        sync(store, statuses, today, rows_cache=cache)
        last_event = conn.execute("select coalesce(max(id), 0) from events").fetchone()[0]
        cur = conn.execute(
            "insert into reviews (held_on, recorded_at, note, attendees, recorded_by, last_event_id)"
            " values (?, ?, ?, ?, ?, ?)",
            [
                today.isoformat(),
                store.now(),
                note,
                json.dumps(list(attendees), ensure_ascii=False),
                by,
                last_event,
            ],
        )
        rid = cur.lastrowid
        assert rid is not None  # a row was inserted
        conn.executemany(
            f"insert into snapshots (review_id, {SQL_COLUMNS}) values (?, {SQL_MARKS})",
            ((rid, *row) for rows in cache.values() for row in rows),
        )
        cols = ("review_id", "plan_id", "title", "fingerprint", *PLAN_TOTALS)
        fps = dict(conn.execute("select plan_id, fingerprint from plans").fetchall())
        summary = []
        latest = latest_days(conn, today)
        for ps in statuses:
            t = day_totals(ps)
            summary.append((rid, ps.plan.id, t[0], fps.get(ps.plan.id), *t[2:]))
            write_day(conn, ps.plan.id, today, t, latest)
        conn.executemany(
            f"insert into review_plans ({', '.join(cols)}) values ({', '.join('?' for _ in cols)})",
            summary,
        )
    return rid
