"""Sync: every change to an action is recorded once, with when, who, old and new."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import there
from history_helpers import PLAN, edit_text, fields_of, statuses, sync, tool_update, write_plan
from improve import api
from improve.edits.change import Change
from improve.history import HAND, HistoryStore
from improve.history.rows import action_row, quiet, time_changes, time_values
from improve.plans import model as m
from improve.status import rules

D0 = date(2017, 2, 1)


@pytest.fixture
def folder(tmp_path):
    f = tmp_path / "plans"
    f.mkdir()
    write_plan(f, "p.toml", PLAN)
    return f


def test_first_sync_records_one_baseline_per_action(store, folder):
    got = sync(store, folder, D0)
    assert [(e.ref, e.kind, e.field) for e in got.events] == [
        ("1.1", "baseline", None),
        ("1.2", "baseline", None),
    ]
    first = got.events[0]
    assert first.happened_on == D0 and first.who is None
    assert first.new["percent"] == 50 and first.new["rag"] == "green"
    assert first.new["reading"] == {"m1": {"measure": "m1", "date": "2017-01-15", "value": 60}}
    assert sync(store, folder, D0).events == []  # nothing changed: nothing recorded


def test_hand_edit_is_noticed_and_attributed_to_hand(store, folder):
    sync(store, folder, D0)
    edit_text(folder / "p.toml", "percent = 50", "percent = 75")
    got = sync(store, folder, D0)
    assert [(e.ref, e.kind, e.field, e.old, e.new, e.who) for e in got.events] == [
        ("1.1", "edit", "percent", 50, 75, HAND)
    ]
    assert got.events[0].happened_on == D0
    assert got.events[0].recorded_at[:4].isdigit()


def test_update_through_the_tool_is_attributed_to_its_author(store, folder):
    sync(store, folder, D0)
    edit_text(folder / "p.toml", "percent = 25", "percent = 30")  # someone else, by hand, first
    portfolio = api.load(folder)
    tool_update(store, portfolio, "p:1.1", Change(percent=80, note="Nearly there"), D0, "Ann Lead")
    events = store.events()
    by_field = fields_of(events)
    assert by_field[("1.1", "percent")].who == "Ann Lead"
    assert by_field[("1.1", "percent")].new == 80
    assert by_field[("1.1", "update")].new["note"] == "Nearly there"
    assert by_field[("1.1", "update")].who == "Ann Lead"
    assert by_field[("1.2", "percent")].who == HAND  # not Ann's


def test_sync_after_update_with_by_attributes_the_change(store, folder):
    """The plain way the CLI may record an update: sync(statuses_after, today, by=user)."""
    portfolio, sts = statuses(folder, D0)
    store.sync(sts, D0)
    tool_update(None, portfolio, "p:1.2", Change(percent=40), D0, "Bo")
    _, after = statuses(folder, D0)
    got = store.sync(after, D0, by="Bo")
    assert {(e.field, e.who) for e in got.events} == {("percent", "Bo"), ("update", "Bo")}


CASES = [
    # (description, how: ("api", Change) | ("text", old, new), fields expected on action 1.1)
    ("percent", ("api", Change(percent=60)), {"percent", "update"}),
    (
        "status",
        ("api", Change(status="complete")),
        {"status", "percent", "complete", "rag", "update"},
    ),
    (
        "extension",
        ("api", Change(extend_to=date(2017, 5, 31), reason="Consultation")),
        {"extension", "due", "update"},
    ),
    ("evidence", ("api", Change(evidence="Audit report")), {"evidence", "update"}),
    ("reading", ("api", Change(readings=[("m1", 72)])), {"reading", "update"}),
    ("impact", ("api", Change(impact="partly")), {"impact", "update"}),
    ("note", ("api", Change(note="Spoke to managers")), {"update"}),
    ("milestone", ("text", "done = false", "done = true"), {"milestones_done"}),
    ("original due", ("text", "due = 2017-04-10", "due = 2017-04-20"), {"original_due", "due"}),
    (
        "start",
        (
            "text",
            'leads = ["Head of Service"]',
            'leads = ["Head of Service"]\n  start = 2017-03-01',
        ),
        {"start", "rag"},
    ),
    (
        "override",
        (
            "text",
            "percent = 50",
            'percent = 50\n  rag = "amber"\n  rag_reason = "Staff shortage"\n'
            "  rag_until = 2017-03-31",
        ),
        {"override", "rag"},
    ),
    ("dropped", ("text", "percent = 50", 'percent = 50\n  status = "dropped"'), {"status", "rag"}),
]


@pytest.mark.parametrize("name,how,expected", CASES, ids=[c[0] for c in CASES])
def test_events_for_every_field_kind(store, folder, name, how, expected):
    sync(store, folder, D0)
    if how[0] == "api":
        tool_update(store, api.load(folder), "p:1.1", how[1], D0, "Cy")
        who = "Cy"
    else:
        edit_text(folder / "p.toml", how[1], how[2])
        sync(store, folder, D0)
        who = HAND
    events = [e for e in store.events() if e.kind == "edit"]
    assert {e.field for e in events} == expected
    assert {e.who for e in events} == {who}
    assert all(e.ref == "1.1" and e.happened_on == D0 for e in events)
    assert all(e.old != e.new for e in events)


def test_field_values_say_old_and_new(store, folder):
    sync(store, folder, D0)
    tool_update(
        store,
        api.load(folder),
        "p:1.1",
        Change(
            extend_to=date(2017, 5, 31), reason="Unions", readings=[("m1", 72)], evidence="Minutes"
        ),
        D0,
        "Di",
    )
    f = fields_of(store.events())
    assert (f[("1.1", "due")].old, f[("1.1", "due")].new) == ("2017-04-10", "2017-05-31")
    assert f[("1.1", "extension")].old is None
    assert f[("1.1", "extension")].new == {
        "count": 1,
        "due": "2017-05-31",
        "reason": "Unions",
        "agreed_on": "2017-02-01",
        "agreed_by": "Di",
    }
    assert f[("1.1", "reading")].old == {"measure": "m1", "date": "2017-01-15", "value": 60}
    assert f[("1.1", "reading")].new == {"measure": "m1", "date": "2017-02-01", "value": 72}
    assert f[("1.1", "evidence")].new == {"count": 1, "date": "2017-02-01", "text": "Minutes"}


def test_added_and_removed_actions(store, folder):
    sync(store, folder, D0)
    path = folder / "p.toml"
    text = path.read_text()
    start = text.index('  [[recommendation.action]]\n  ref = "1.2"')
    path.write_text(text[:start] + text[start:].replace('ref = "1.2"', 'ref = "1.3"'))
    got = sync(store, folder, D0)
    assert sorted((e.ref, e.kind, e.who) for e in got.events) == [
        ("1.2", "removed", HAND),
        ("1.3", "added", HAND),
    ]
    removed = next(e for e in got.events if e.kind == "removed")
    assert removed.old["percent"] == 25 and removed.new is None


def test_a_deleted_plan_is_removed_but_a_broken_one_is_kept(store, folder):
    sync(store, folder, D0)
    good = (folder / "p.toml").read_text()
    (folder / "p.toml").write_text(good.replace("[plan]", "[plan"))  # a syntax error
    got = sync_broken = store.sync_portfolio(api.load(folder), D0)
    assert got.events == [] and "could not be read" in sync_broken.skipped[0]
    (folder / "p.toml").write_text(good.replace("percent = 25", "percent = 35"))
    got = sync(store, folder, D0)
    assert [(e.ref, e.field, e.old, e.new) for e in got.events] == [("1.2", "percent", 25, 35)]
    (folder / "p.toml").unlink()
    got = store.sync_portfolio(api.load(folder), D0)
    assert sorted((e.ref, e.kind) for e in got.events) == [("1.1", "removed"), ("1.2", "removed")]
    assert store.status_as_of(D0) == []


def test_a_run_as_at_an_earlier_date_records_nothing(store, folder):
    sync(store, folder, D0)
    edit_text(folder / "p.toml", "percent = 50", "percent = 75")
    got = sync(store, folder, D0 - timedelta(days=10))
    assert got.events == [] and "recorded up to 2017-02-01" in got.skipped[0]
    assert [e.field for e in sync(store, folder, D0).events] == ["percent"]


def test_a_stale_view_is_not_recorded(store, folder):
    """A process that loaded the plans before another changed them must not record the old
    values as a change back."""
    sync(store, folder, D0)
    old_view = api.load(folder)
    edit_text(folder / "p.toml", "percent = 50", "percent = 75")
    sync(store, folder, D0)
    got = store.sync_portfolio(old_view, D0 + timedelta(days=1))
    assert [e for e in got.events if e.kind == "edit"] == []
    assert "changed on disk" in got.skipped[0]


def test_a_review_from_a_stale_view_does_not_record_a_change_back(store, folder):
    sync(store, folder, D0)
    old_view = api.load(folder)
    assert old_view.plans[0].fingerprint == old_view.files[0].fingerprint
    edit_text(folder / "p.toml", "percent = 50", "percent = 75")
    sync(store, folder, D0)
    store.record_review(api.portfolio_status(old_view, D0), D0)
    assert [(e.field, e.old, e.new) for e in store.events() if e.kind == "edit"] == [
        ("percent", 50, 75)
    ]


# -- the passing of time -----------------------------------------------------------------

TIMED = """\
[plan]
id = "t"
title = "Time"
start = 2017-01-01
rag = { margin = 25, stale_days = 45 }

[[recommendation]]
ref = "1"

  [[recommendation.action]]
  ref = "due"
  action = "Goes red the day after it is due"
  due = 2017-03-31
  percent = 90

    [[recommendation.action.update]]
    date = 2017-03-20
    note = "Nearly done"

  [[recommendation.action]]
  ref = "behind"
  action = "Falls behind schedule"
  due = 2017-12-31
  percent = 25

    [[recommendation.action.update]]
    date = 2017-03-20
    note = "Under way"

  [[recommendation.action]]
  ref = "override"
  action = "An override that lapses"
  due = 2017-12-31
  percent = 80
  rag = "red"
  rag_reason = "Funding at risk"
  rag_until = 2017-04-15

    [[recommendation.action.update]]
    date = 2017-03-20
    note = "Waiting for the budget"
"""


@pytest.fixture
def timed(tmp_path):
    f = tmp_path / "timed"
    f.mkdir()
    write_plan(f, "t.toml", TIMED)
    return f


def _brute(folder, ref, since, until):
    """Every change in (rag, overdue, stale, override), day by day, from the rules."""
    portfolio = api.load(folder)
    plan = portfolio.plans[0]
    _, action = there(plan.find_action(ref))
    out, last = [], None
    day = since
    while day <= until:
        s = rules.action_status(action, day, plan.margin, plan.stale_days, plan.start)
        now = (s.rag, s.overdue, s.stale, s.override)
        if last is not None and now != last:
            out.append(day)
        last, day = now, day + timedelta(days=1)
    return out


def test_due_date_itself_is_not_overdue_the_day_after_is(timed):
    store = HistoryStore(timed)
    sync(store, timed, date(2017, 3, 25))
    assert [e for e in sync(store, timed, date(2017, 3, 31)).events if e.ref == "due"] == []
    got = [e for e in sync(store, timed, date(2017, 4, 1)).events if e.ref == "due"]
    assert {(e.field, e.old, e.new, e.happened_on, e.kind, e.who) for e in got} == {
        ("rag", "green", "red", date(2017, 4, 1), "time", None),
        ("overdue", False, True, date(2017, 4, 1), "time", None),
    }


def test_time_changes_are_dated_when_they_happened_not_when_noticed(timed):
    store = HistoryStore(timed)
    sync(store, timed, date(2017, 3, 25))
    got = sync(store, timed, date(2017, 9, 1))
    when = {(e.ref, e.field): e.happened_on for e in got.events}
    assert when[("due", "rag")] == date(2017, 4, 1)
    assert when[("override", "override")] == date(2017, 4, 16)  # lapses after rag_until
    assert when[("due", "stale")] == date(2017, 3, 20) + timedelta(days=46)
    amber = [e for e in got.events if e.ref == "behind" and e.field == "rag"]
    assert [(e.old, e.new) for e in amber] == [("green", "amber")]
    for ref in ("due", "behind", "override"):
        days = sorted({e.happened_on for e in got.events if e.ref == ref})
        assert days == _brute(timed, ref, date(2017, 3, 25), date(2017, 9, 1))
    assert all(e.kind == "time" and e.who is None for e in got.events)


def test_time_and_edits_in_one_sync_are_told_in_order(timed):
    store = HistoryStore(timed)
    sync(store, timed, date(2017, 3, 25))
    edit_text(timed / "t.toml", "percent = 90", "percent = 100")
    sync(store, timed, date(2017, 5, 1))
    story = [
        (e.happened_on, e.kind, e.field, e.old, e.new, e.who) for e in store.history("t", "due")
    ]
    assert story[0][:2] == (date(2017, 3, 25), "baseline")
    assert story[1:] == [
        (date(2017, 4, 1), "time", "rag", "green", "red", None),
        (date(2017, 4, 1), "time", "overdue", False, True, None),
        (date(2017, 5, 1), "edit", "status", "in-progress", "complete", HAND),
        (date(2017, 5, 1), "edit", "percent", 90, 100, HAND),
        (date(2017, 5, 1), "edit", "complete", False, True, HAND),
        (date(2017, 5, 1), "edit", "rag", "red", "blue", HAND),
        (date(2017, 5, 1), "edit", "overdue", True, False, HAND),
    ]


days = st.dates(date(2016, 6, 1), date(2018, 6, 1))


@st.composite
def actions(draw):
    start = draw(st.none() | days)
    due = draw(st.none() | days)
    milestone = draw(st.none() | days)
    status = draw(st.sampled_from([None, "in-progress", "not-started", "complete", "dropped"]))
    rag = draw(st.sampled_from([None, "red", "amber", "green"]))
    activity = draw(st.none() | days)
    action = m.Action(
        ref="x",
        action="x",
        start=start,
        due=due,
        percent=draw(st.sampled_from([None, 0, 10, 25, 50, 75, 99, 100])),
        status=status,
        rag=rag,
        rag_reason="r" if rag else None,
        rag_until=draw(st.none() | days) if rag else None,
        milestones=[m.Milestone("ms", milestone, draw(st.booleans()))] if milestone else [],
        updates=[m.Update(activity)] if activity else [],
    )
    return action, draw(st.sampled_from([0, 10, 25, 50])), draw(st.sampled_from([0, 7, 45]))


@settings(max_examples=120, deadline=None)
@given(actions(), days, st.integers(1, 500))
def test_time_changes_match_the_rules_day_by_day(spec, since, span):
    action, margin, stale_days = spec
    until = since + timedelta(days=span)
    st0 = rules.action_status(action, since, margin, stale_days)
    row = action_row("p", st0, margin, stale_days)
    found = time_changes(row, since, until)
    expected, last = [], time_values(row)
    day = since + timedelta(days=1)
    while day <= until:
        s = rules.action_status(action, day, margin, stale_days)
        now = (s.rag, int(s.overdue), int(s.stale), int(s.override))
        if now != last:
            expected.append((day, last, now))
            last = now
        day += timedelta(days=1)
    assert found == expected
    if time_values(row) == last and quiet(row, since, until):  # sync skips these rows
        assert expected == []


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    max_leaves=12,
)


@given(json_values)
def test_the_row_encoder_is_plain_sorted_json(value):
    import json

    from improve.history.rows import _json

    assert _json(value) == json.dumps(
        value, separators=(",", ":"), sort_keys=True, ensure_ascii=False
    )


def test_the_events_a_sync_returns_are_those_it_stored(store, folder):
    first = sync(store, folder, D0)
    edit_text(folder / "p.toml", "percent = 50", "percent = 75")
    edit_text(folder / "p.toml", "done = false", "done = true")
    second = sync(store, folder, date(2017, 8, 1))
    assert first.events + second.events == store.events()
    assert any(e.kind == "time" for e in second.events)
