"""Two processes writing to one history at once (two leads updating) lose no event."""

from __future__ import annotations

import multiprocessing
from datetime import date
from pathlib import Path

from history_helpers import tool_update, write_plan
from improve import api
from improve.edits.change import Change
from improve.history import HistoryStore

D0 = date(2017, 2, 1)
ROUNDS = 12
PLAN = """\
[plan]
id = "{pid}"
title = "Plan {pid}"
start = 2017-01-01

[[recommendation]]
ref = "1"

  [[recommendation.action]]
  ref = "1.1"
  action = "Do the thing"
  due = 2017-12-31
  percent = 0
"""


def _lead(folder: str, pid: str, name: str, errors) -> None:
    try:
        store = HistoryStore(Path(folder))
        for i in range(1, ROUNDS + 1):
            store.sync_portfolio(api.load(Path(folder)), D0)  # what every run does
            tool_update(store, api.load(Path(folder)), f"{pid}:1.1", Change(percent=i), D0, name)
            if i % 4 == 0:
                portfolio = api.load(Path(folder))
                store.record_review(api.portfolio_status(portfolio, D0), D0, note=f"{name} {i}")
        store.close()
    except BaseException as exc:  # reported to the parent, which fails the test
        errors.put(f"{name}: {exc!r}")


def test_two_processes_lose_no_event(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    for pid in ("a", "b"):
        write_plan(folder, f"{pid}.toml", PLAN.format(pid=pid))
    HistoryStore(folder).close()  # created once; both then open it
    ctx = multiprocessing.get_context("fork")
    errors = ctx.Queue()
    procs = [
        ctx.Process(target=_lead, args=(str(folder), pid, name, errors))
        for pid, name in (("a", "Ann"), ("b", "Bo"))
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert all(p.exitcode == 0 for p in procs)
    assert errors.empty(), errors.get()

    store = HistoryStore(folder)
    for pid, name in (("a", "Ann"), ("b", "Bo")):
        story = store.history(pid, "1.1")
        assert story[0].kind == "baseline"
        percents = [(e.old, e.new, e.who) for e in story if e.field == "percent"]
        assert percents == [(i - 1, i, name) for i in range(1, ROUNDS + 1)]
        assert all(e.who == name for e in story if e.kind == "edit")
    reviews = store.reviews()
    assert len(reviews) == 2 * (ROUNDS // 4)
    counts = store.db.execute(
        "select review_id, count(*) from snapshots group by review_id"
    ).fetchall()
    assert [c for _, c in counts] == [2] * len(reviews)
    assert store.db.execute("pragma integrity_check").fetchone()[0] == "ok"
