"""Replay: the plans' own dated entries become a true history (for the first-run demo)."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from helpers import SHIPPED, there
from history_helpers import write_plan
from improve import api
from improve.history import HistoryError, HistoryStore, plan_as_of
from improve.history.replay import FROM_FILE, REVIEW_NOTE

TODAY = date(2017, 1, 5)
TWSCB = "Telford & Wrekin Safeguarding Children Board"

PLAN = """\
[plan]
id = "d"
title = "Dated"
published = 2017-01-10
start = 2017-01-01

[[recommendation]]
ref = "1"

  [[recommendation.action]]
  ref = "1.1"
  action = "Logged as it went"
  due = 2017-06-30
  percent = 60
  impact = "too-early"

    [[recommendation.action.extension]]
    due = 2017-09-30
    reason = "Recruitment"
    agreed_on = 2017-05-02
    agreed_by = "SLT"

    [[recommendation.action.measure]]
    id = "m"
    text = "A measure"
    target = 90
    readings = [ { date = 2017-03-31, value = 70 } ]

    [[recommendation.action.evidence]]
    date = 2017-04-12
    text = "Audit"

    [[recommendation.action.update]]
    date = 2017-02-15
    by = "Head of Service"
    percent = 20
    note = "Begun"

    [[recommendation.action.update]]
    date = 2017-04-12
    by = "Head of Service"
    percent = 50
    note = "Audit done"
"""


@pytest.fixture
def shipped(tmp_path):
    folder = tmp_path / "plans"
    shutil.copytree(
        SHIPPED, folder, ignore=shutil.ignore_patterns(".improve")
    )  # not a local history
    return folder


def test_replay_of_the_shipped_plans(shipped):
    before = {p.name: p.read_bytes() for p in shipped.glob("*.toml")}
    portfolio = api.load(shipped)
    store = HistoryStore(shipped)
    result = store.replay(portfolio, TODAY)
    assert result.days[-1] == TODAY and result.events > 0
    reviews = store.reviews()
    assert [r.held_on for r in reviews] == [date(2016, 7, 31), date(2016, 11, 30)]
    assert all(r.note == REVIEW_NOTE for r in reviews)
    story = store.history("telford-cse-scrutiny-2016", "1.1")
    assert story[0].kind == "baseline" and story[0].happened_on == date(2016, 7, 31)
    status = [e for e in story if e.field == "status"]
    assert [(e.happened_on, e.who, e.old, e.new) for e in status] == [
        (date(2016, 11, 30), TWSCB, "not-started", "in-progress")
    ]
    trend = store.trend("telford-cse-scrutiny-2016")["telford-cse-scrutiny-2016"]
    assert trend[0].percent == 0 and trend[-1].complete > 0
    # the state at the end is the plans as they are: a sync today finds nothing to record
    assert store.sync_portfolio(portfolio, TODAY).events == []
    ch = store.changes("last", api.portfolio_status(portfolio, TODAY), TODAY)
    assert ch.review.held_on == date(2016, 11, 30)
    assert "telford-ofsted-2016" in ch.new_plans
    assert {p.name: p.read_bytes() for p in shipped.glob("*.toml")} == before


def test_replay_dates_each_entry_and_credits_its_author(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    write_plan(folder, "d.toml", PLAN)
    portfolio = api.load(folder)
    store = HistoryStore(folder)
    store.replay(portfolio, date(2017, 6, 1))
    story = [
        (e.happened_on, e.field, e.old, e.new, e.who)
        for e in store.history("d", "1.1")
        if e.field in ("percent", "reading", "evidence", "due", "impact")
    ]
    assert story == [
        (date(2017, 2, 15), "percent", 0, 20, "Head of Service"),
        (
            date(2017, 3, 31),
            "reading",
            None,
            {"measure": "m", "date": "2017-03-31", "value": 70},
            FROM_FILE,
        ),
        (date(2017, 4, 12), "percent", 20, 50, "Head of Service"),
        (
            date(2017, 4, 12),
            "evidence",
            None,
            {"count": 1, "date": "2017-04-12", "text": "Audit"},
            "Head of Service",
        ),
        (date(2017, 5, 2), "due", "2017-06-30", "2017-09-30", "SLT"),
        # undated: the file says 60% with no date; recorded when replay ends. Its impact
        # judgement has no date either, so it is the file's from the start: no change told
        (date(2017, 6, 1), "percent", 50, 60, FROM_FILE),
    ]
    assert store.history("d", "1.1")[0].happened_on == date(2017, 1, 1)  # start, before published
    assert [r.held_on for r in store.reviews()] == [
        date(2017, 1, 1),
        date(2017, 2, 28),
        date(2017, 4, 30),
    ]


def test_plan_as_of_keeps_only_what_was_true_then(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    write_plan(folder, "d.toml", PLAN)
    plan = api.load(folder).plans[0]
    _, a = there(plan_as_of(plan, date(2017, 3, 1)).find_action("1.1"))
    assert (a.percent, a.impact, a.extensions, a.evidence) == (20, "too-early", [], [])
    assert [u.date for u in a.updates] == [date(2017, 2, 15)] and a.measures[0].readings == []
    _, original = there(plan.find_action("1.1"))
    assert original.percent == 60 and len(original.updates) == 2  # the plan is not changed


def test_replay_only_fills_an_empty_history(shipped):
    portfolio = api.load(shipped)
    store = HistoryStore(shipped)
    store.replay(portfolio, TODAY)
    with pytest.raises(HistoryError, match="not empty"):
        store.replay(portfolio, TODAY)
