"""Helpers shared by the history tests: small plans written to disk, edited as text."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

from improve import api
from improve.history import HistoryStore


def write_plan(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def edit_text(path: Path, old: str, new: str) -> None:
    """A hand edit, as an editor would make it."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def statuses(folder: Path, today: date):
    portfolio = api.load(folder)
    assert not portfolio.failed, [str(p) for p in portfolio.problems]
    return portfolio, api.portfolio_status(portfolio, today)


def sync(store: HistoryStore, folder: Path, today: date, by: str | None = None):
    portfolio, sts = statuses(folder, today)
    return store.sync_portfolio(portfolio, today, by, statuses=sts)


def fields_of(events) -> dict:
    """{(ref, field): event} of edit and time events."""
    return {(e.ref, e.field): e for e in events if e.field is not None}


PLAN = """\
[plan]
id = "p"
title = "History test plan"
kind = "internal"
start = 2017-01-01

[[recommendation]]
ref = "1"
title = "One"

  [[recommendation.action]]
  ref = "1.1"
  action = "An action with a measure"
  leads = ["Head of Service"]
  due = 2017-04-10
  percent = 50

    [[recommendation.action.milestone]]
    label = "First stage"
    due = 2017-03-31
    done = false

    [[recommendation.action.measure]]
    id = "m1"
    text = "A measure"
    target = 90
    readings = [ { date = 2017-01-15, value = 60 } ]

    [[recommendation.action.update]]
    date = 2017-01-20
    by = "Head of Service"
    note = "Started"

  [[recommendation.action]]
  ref = "1.2"
  action = "A second action"
  due = 2017-06-30
  percent = 25

    [[recommendation.action.update]]
    date = 2017-01-20
    note = "Begun"
"""


def tool_update(store: HistoryStore | None, portfolio, target: str, change, today: date, by):
    """An update through improve (the one library call), recorded in `store` (or, with
    None, with no history at all)."""
    ws = api.Workspace(portfolio.root, store=store, history=store is not None)
    return ws.update(target, change, today, by, portfolio=portfolio)
