"""History at scale, as ratios against floors measured in the same run.

    .venv/bin/python bench/bench_history.py [--plans 200] [--actions 100] [--reviews 60]

Builds a synthetic portfolio (bench/generate.py), then lives through `--reviews` months:
each month some actions move (percent, evidence, readings), history is synced, and a
review is recorded.  Reported, with the targets from issue 4:
- recording a review (target under 1 s), against a raw executemany of the same rows into
  a bare table in one transaction (the floor);
- "changes since the last review" (target under 100 ms), against a bare SELECT of the
  same number of rows;
- and for information: sync (a new day; the same day with nothing changed), the trend,
  status --as-of, opening the database (with its quick_check), and the database size.
"""

from __future__ import annotations

import argparse
import calendar
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_load import best
from generate import generate
from improve import api
from improve.history import HistoryStore, rows_from_statuses
from improve.history.rows import COLUMNS, KEY
from improve.plans import model as m


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def months(n: int, start=(2017, 1)):
    y, mo = start
    for _ in range(n):
        yield month_end(y, mo)
        mo += 1
        if mo == 13:
            y, mo = y + 1, 1


def move(portfolio, today: date, n: int) -> None:
    """A month's work: every 20th action moves on, every 50th gets evidence, every 97th a reading."""
    i = 0
    for plan in portfolio.plans:
        plan.fingerprint = None  # changed in memory: no longer the file's bytes
        for _, a in plan.actions():
            i += 1
            if (i + n) % 20 == 0 and (a.percent or 0) < 100:
                a.percent = min(100, (a.percent or 0) + 25)
                a.updates.append(m.Update(today, "Bench Lead", a.percent, None, "moved on"))
            if (i + n) % 50 == 0:
                a.evidence.append(m.Evidence(today, f"Evidence {n}"))
            if (i + n) % 97 == 0 and a.measures:
                a.measures[0].readings.append(m.Reading(today, float((i * n) % 100)))


def floors(tmp: Path, rows: list[tuple]) -> tuple[float, float]:
    conn = sqlite3.connect(tmp / "floor.db", isolation_level=None)
    conn.execute("pragma journal_mode = wal")
    cols = ", ".join(f"[{c}]" for c in ("review_id",) + KEY + COLUMNS)
    conn.execute(f"create table bare ({cols})")
    marks = ", ".join("?" for _ in ("review_id",) + KEY + COLUMNS)
    n = [0]

    def insert():
        n[0] += 1
        conn.execute("BEGIN")
        conn.executemany(f"insert into bare values ({marks})", ((n[0], *r) for r in rows))
        conn.execute("COMMIT")

    floor_insert = best(insert)
    conn.execute(f"create table one ({cols})")
    conn.executemany(f"insert into one values ({marks})", ((1, *r) for r in rows))
    floor_select = best(lambda: conn.execute("select * from one").fetchall())
    conn.close()
    return floor_insert, floor_select


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--plans", type=int, default=200)
    ap.add_argument("--actions", type=int, default=100)
    ap.add_argument("--reviews", type=int, default=60)
    ap.add_argument("--keep", type=Path, help="build in this folder and keep it (to inspect)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=False)
            tmp = args.keep
        folder = tmp / "plans"
        generate(folder, args.plans, args.actions)
        portfolio = api.load(folder)
        n_actions = sum(1 for p in portfolio.plans for _ in p.actions())
        print(f"{args.plans} plans, {n_actions} actions, {args.reviews} monthly reviews")

        store = HistoryStore(folder)
        days = list(months(args.reviews))
        record_times, sync_times = [], []
        for n, today in enumerate(days, 1):
            move(portfolio, today, n)
            statuses = api.portfolio_status(portfolio, today)
            t = time.perf_counter()
            store.sync(statuses, today)
            sync_times.append(time.perf_counter() - t)
            t = time.perf_counter()
            store.record_review(statuses, today, note=f"Review {n}", attendees=["Director"])
            record_times.append(time.perf_counter() - t)
            if n % 12 == 0:
                print(f"  … {n} reviews, last recorded in {record_times[-1] * 1000:.0f} ms")

        # One more month of work, synced, then: what changed since the last review?
        today = next(months(1, (days[-1].year + (days[-1].month == 12), days[-1].month % 12 + 1)))
        move(portfolio, today, len(days) + 1)
        statuses = api.portfolio_status(portfolio, today)
        t = time.perf_counter()
        store.sync(statuses, today)
        sync_new_day = time.perf_counter() - t
        changes = best(lambda: store.changes("last"))
        ch = store.changes("last", events=True)
        changes_with_sync = best(lambda: store.changes("last", statuses, today), 1)
        fps = {f.plan.id: f.fingerprint for f in portfolio.files if f.plan}
        sync_same_day = best(lambda: store.sync(statuses, today, fingerprints=fps))
        trend = best(lambda: store.trend())
        as_of = best(lambda: store.status_as_of(days[len(days) // 2]))
        history_one = best(lambda: store.history(portfolio.plans[0].id, "1.1"))
        store.close()
        open_quick = best(lambda: HistoryStore(folder).close())
        open_none = best(lambda: HistoryStore(folder, check="none").close())
        size = sum(p.stat().st_size for p in (folder / ".improve").iterdir())

        rows = list(rows_from_statuses(statuses))
        floor_insert, floor_select = floors(tmp, rows)

        rec = statistics.median(record_times)
        print(f"\nraw executemany, {len(rows)} rows (floor)  {floor_insert * 1000:8.1f} ms")
        print(
            f"record a review (median of {len(days)})      {rec * 1000:8.1f} ms  = "
            f"{rec / floor_insert:.1f}× floor   (max {max(record_times) * 1000:.0f} ms; "
            f"target < 1000 ms)"
        )
        print(f"bare SELECT of {len(rows)} rows (floor)      {floor_select * 1000:8.1f} ms")
        print(
            f"changes since the last review          {changes * 1000:8.1f} ms  = "
            f"{changes / floor_select:.1f}× floor   (target < 100 ms)"
        )
        print(
            f"  ({len(ch.rag_moves)} RAG moves, {len(ch.newly_complete)} newly complete, "
            f"{len(ch.new_evidence)} with new evidence, {len(ch.new_readings)} new readings, "
            f"{len(ch.stale)} stale, {len(ch.no_update)} with no update, "
            f"{len(ch.events)} events)"
        )
        print(f"changes, syncing the statuses first     {changes_with_sync * 1000:8.1f} ms")
        print(
            f"sync, a month later (median)           {statistics.median(sync_times) * 1000:8.1f} ms"
            f"   (this run: {sync_new_day * 1000:.0f} ms)"
        )
        print(f"sync, same day, files unchanged        {sync_same_day * 1000:8.1f} ms")
        print(f"trend of every plan                    {trend * 1000:8.1f} ms")
        print(f"status as of a date                    {as_of * 1000:8.1f} ms")
        print(f"one action's history                   {history_one * 1000:8.1f} ms")
        print(f"open (quick_check)                     {open_quick * 1000:8.1f} ms")
        print(f"open (check='none')                    {open_none * 1000:8.1f} ms")
        print(f"database size                          {size / 1e6:8.1f} MB")


if __name__ == "__main__":
    main()
