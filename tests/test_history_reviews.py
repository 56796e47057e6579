"""Reviews: snapshots of every plan, what changed since, the trend, the portfolio as of a date."""

from __future__ import annotations

from datetime import date

import pytest

from history_helpers import edit_text, statuses, sync, tool_update, write_plan
from improve import api
from improve.edits.change import Change
from improve.history import HAND, HistoryError

R = date(2017, 3, 1)  # the review
N = date(2017, 4, 1)  # now


def action(ref, lines, update="2017-02-20"):
    body = "\n".join(f"  {ln}" for ln in lines)
    log = (
        f'\n\n    [[recommendation.action.update]]\n    date = {update}\n    note = "n"'
        if update
        else ""
    )
    return f'  [[recommendation.action]]\n  ref = "{ref}"\n  action = "Action {ref}"\n{body}{log}\n'


PLAN = "\n".join(
    [
        '[plan]\nid = "r"\ntitle = "Review test"\nstart = 2017-01-01\n',
        '[[recommendation]]\nref = "1"\n',
        action("up", ["due = 2017-12-31", "percent = 0"]),
        action("late", ["due = 2017-03-15", "percent = 50"]),
        action("done", ["due = 2017-12-31", "percent = 60"]),
        action("slip", ["due = 2017-03-20", "percent = 70"]),
        action("ev", ["due = 2017-12-31", "percent = 40"]),
        action(
            "read",
            [
                "due = 2017-12-31",
                "percent = 40",
                '\n    [[recommendation.action.measure]]\n    id = "m"\n    text = "A measure"\n'
                "    target = 90\n    readings = [ { date = 2017-02-01, value = 50 } ]",
            ],
        ),
        action("quiet", ["due = 2017-12-31", "percent = 30"], update="2017-01-10"),
        action("ovadd", ["due = 2017-12-31", "percent = 40"]),
        action(
            "ovlapse",
            [
                "due = 2017-12-31",
                "percent = 40",
                'rag = "red"',
                'rag_reason = "Money"',
                "rag_until = 2017-03-15",
            ],
        ),
        action("gone", ["due = 2017-12-31", "percent = 40"]),
    ]
)


@pytest.fixture
def folder(tmp_path):
    f = tmp_path / "plans"
    f.mkdir()
    write_plan(f, "r.toml", PLAN)
    return f


def _review(store, folder, day, **kw):
    _, sts = statuses(folder, day)
    return store.record_review(sts, day, **kw)


def _make_changes(store, folder):
    rid = _review(store, folder, R, note="March SLT", attendees=["Director", "AD Safeguarding"])
    path = folder / "r.toml"
    edit_text(
        path,
        'ref = "up"\n  action = "Action up"\n  due = 2017-12-31\n  percent = 0',
        'ref = "up"\n  action = "Action up"\n  due = 2017-12-31\n  percent = 50',
    )
    edit_text(
        path,
        'ref = "ovadd"\n  action = "Action ovadd"\n  due = 2017-12-31\n  percent = 40',
        'ref = "ovadd"\n  action = "Action ovadd"\n  due = 2017-12-31\n  percent = 40\n'
        '  rag = "amber"\n  rag_reason = "Recruitment"',
    )
    edit_text(path, 'ref = "gone"', 'ref = "new"')
    sync(store, folder, N)
    tool_update(store, api.load(folder), "r:done", Change(status="complete"), N, "Ann")
    tool_update(
        store,
        api.load(folder),
        "r:slip",
        Change(extend_to=date(2017, 6, 30), reason="Staffing"),
        N,
        "Bo",
    )
    tool_update(store, api.load(folder), "r:ev", Change(evidence="Audit report"), N, "Cy")
    tool_update(store, api.load(folder), "r:read", Change(readings=[("m", 75)]), N, "Di")
    return rid


def test_record_and_list_reviews(store, folder):
    rid = _review(store, folder, R, note="March SLT", attendees=["Director", "AD"], by="PA")
    rid2 = _review(store, folder, N)
    reviews = store.reviews()
    assert [r.id for r in reviews] == [rid, rid2]
    first = reviews[0]
    assert (first.held_on, first.note, first.attendees, first.recorded_by) == (
        R,
        "March SLT",
        ("Director", "AD"),
        "PA",
    )
    (plan,) = first.plans
    assert plan.plan_id == "r" and plan.total == 10 and sum(plan.counts.values()) == 10
    assert plan.review_id == rid and plan.on_date == R
    assert (
        store.db.execute("select count(*) from snapshots where review_id = ?", [rid]).fetchone()[0]
        == 10
    )
    assert first.to_json()["plans"][0]["counts"] == plan.counts


def test_changes_since_the_last_review_in_every_category(store, folder):
    _make_changes(store, folder)
    _, now = statuses(folder, N)
    ch = store.changes("last", now, N, events=True)
    moves = {m.ref: (m.old, m.new, m.direction, m.who) for m in ch.rag_moves}
    assert moves["up"] == ("grey", "green", "up", HAND)
    assert moves["late"] == ("amber", "red", "down", None)  # time did it
    assert moves["done"][1:] == ("blue", "up", "Ann")
    late = next(m for m in ch.rag_moves if m.ref == "late")
    assert late.when == date(2017, 3, 16)
    assert [(f.ref, f.when) for f in ch.newly_overdue] == [("late", date(2017, 3, 16))]
    assert [(f.ref, f.who) for f in ch.newly_complete] == [("done", "Ann")]
    (slip,) = ch.slipped
    assert (slip.ref, slip.old_due, slip.new_due, slip.extensions, slip.reason, slip.agreed_by) == (
        "slip",
        "2017-03-20",
        "2017-06-30",
        1,
        "Staffing",
        "Bo",
    )
    (ev,) = ch.new_evidence
    assert (ev.ref, ev.added, ev.latest_text, ev.who, ev.when) == ("ev", 1, "Audit report", "Cy", N)
    (rd,) = ch.new_readings
    assert (rd.ref, rd.measure, rd.old, rd.new, rd.who) == (
        "read",
        "m",
        {"date": "2017-02-01", "value": 50},
        {"date": "2017-04-01", "value": 75},
        "Di",
    )
    stale = {s.ref: s.newly for s in ch.stale}
    assert stale["quiet"] is False  # already stale at the review
    assert "up" not in stale and "done" not in stale
    no_update = {n.ref for n in ch.no_update}
    assert "quiet" in no_update and "late" in no_update
    assert not no_update & {"done", "slip", "ev", "read"}
    overrides = {o.ref: o.change for o in ch.overrides}
    assert overrides == {"ovadd": "added", "ovlapse": "lapsed"}
    assert [a.ref for a in ch.added] == ["new"] and [a.ref for a in ch.removed] == ["gone"]
    assert ch.moved_up and ch.moved_down
    ((pid, then, now_),) = ch.plans
    assert pid == "r" and then.on_date == R and now_.on_date == N
    assert then.complete == 0 and now_.complete == 1
    data = ch.to_json()
    assert data["review"]["note"] == "March SLT" and data["today"] == "2017-04-01"
    assert data["newly_overdue"][0] == {
        "plan": "r",
        "ref": "late",
        "next_due": "2017-03-15",
        "when": "2017-03-16",
        "who": None,
    }
    assert {e["who"] for e in data["events"]} >= {"Ann", "Bo", "Cy", "Di", HAND}


def test_changes_without_statuses_use_the_last_sync(store, folder):
    _make_changes(store, folder)
    ch = store.changes()
    assert ch.today == N and {m.ref for m in ch.rag_moves} >= {"up", "late", "done"}


def test_since_by_id_and_by_date(store, folder):
    first = _review(store, folder, R)
    second = _review(store, folder, date(2017, 3, 20))
    _, now = statuses(folder, N)
    assert store.changes("last", now, N).review.id == second
    assert store.changes(first, now, N).review.id == first
    assert store.changes(str(first), now, N).review.id == first
    assert store.changes("2017-03-10", now, N).review.id == first
    assert store.changes(date(2017, 3, 20), now, N).review.id == second
    assert store.find_review("last", date(2017, 3, 5)).id == first


def test_since_errors_say_what_to_do(store, folder):
    with pytest.raises(HistoryError, match="no review has been recorded yet"):
        store.changes()
    _review(store, folder, R)
    with pytest.raises(HistoryError, match="no review was recorded on or before 2017-01-01"):
        store.find_review("2017-01-01")
    with pytest.raises(HistoryError, match="is not a review"):
        store.find_review("yesterday")
    with pytest.raises(HistoryError, match="there is no review 99"):
        store.find_review(99)


def test_status_as_of_and_trend(store, folder):
    _review(store, folder, R)
    _make_changes(store, folder)
    _review(store, folder, N)
    assert store.status_as_of(date(2017, 2, 1)) == []
    (at_r,) = store.status_as_of(date(2017, 3, 10))
    (at_n,) = store.status_as_of(date(2017, 12, 1))
    assert at_r.on_date == R and at_n.on_date == N
    assert (at_r.complete, at_n.complete) == (0, 1)
    assert at_n.counts["red"] == 1 and at_r.counts["red"] == 1  # late, then ovlapse gone red
    trend = store.trend("r")["r"]
    assert [t.on_date for t in trend] == [R, R, N]
    assert trend[-1].percent > trend[0].percent
    assert store.trend() == {"r": trend}


def test_history_of_an_action_is_oldest_first(store, folder):
    _make_changes(store, folder)
    story = store.history("r", "late")
    assert [e.kind for e in story] == ["baseline", "time", "time"]
    assert [e.happened_on for e in story] == [R, date(2017, 3, 16), date(2017, 3, 16)]
    story = store.history("r", "done")
    assert [e.happened_on for e in story] == sorted(e.happened_on for e in story)
    assert story[-1].who == "Ann"
    assert store.history("r", "nope") == []


def test_whole_plans_added_or_removed_since_the_review(store, folder):
    write_plan(folder, "other.toml", '[plan]\nid = "o"\ntitle = "Other"\n')
    _review(store, folder, R)
    (folder / "other.toml").unlink()
    write_plan(
        folder,
        "third.toml",
        '[plan]\nid = "t"\ntitle = "Third"\n\n[[recommendation]]\n'
        'ref = "1"\n\n  [[recommendation.action]]\n  ref = "1.1"\n  action = "A"\n',
    )
    _, now = statuses(folder, N)
    ch = store.changes("last", now, N)
    assert (ch.new_plans, ch.removed_plans) == (["t"], ["o"])
    assert ch.added == [] and ch.removed == []
    assert [(p, bool(a), bool(b)) for p, a, b in ch.plans] == [
        ("o", True, False),
        ("r", True, True),
        ("t", False, True),
    ]


def test_events_are_listed_only_when_asked_for(store, folder):
    _make_changes(store, folder)
    ch = store.changes()
    assert ch.events is None and ch.to_json()["events"] is None
    assert ch.rag_moves[0].who is not None or ch.rag_moves[0].when is not None
    ch = store.changes(events=True)
    assert ch.events == store.events(after_id=ch.review.last_event_id)
