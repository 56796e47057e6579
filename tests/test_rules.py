"""The status rules of docs/plan-format.md §5, each at its boundaries."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from improve.plans import model as m
from improve.plans.vocab import RAGS
from improve.status import rules

D = date


def act(**kw) -> m.Action:
    kw.setdefault("ref", "1")
    kw.setdefault("action", "Do it")
    return m.Action(**kw)


def status(a: m.Action, today: date, **kw) -> rules.ActionStatus:
    return rules.action_status(a, today, **kw)


# -- effective values ------------------------------------------------------------


@pytest.mark.parametrize(
    "percent,st,expected_pct,complete",
    [
        (None, None, 0, False),
        (50, None, 50, False),
        (100, None, 100, True),
        (40, "complete", 100, True),
        (None, "complete", 100, True),
        (100, "in-progress", 100, True),
        (30, "dropped", 30, False),
    ],
)
def test_effective_percent_and_complete(percent, st, expected_pct, complete):
    a = act(percent=percent, status=st)
    assert rules.effective_percent(a) == expected_pct
    assert rules.is_complete(a) is complete


@pytest.mark.parametrize(
    "percent,expected",
    [
        (None, "not-started"),
        (0, "not-started"),
        (1, "in-progress"),
        (99, "in-progress"),
        (100, "complete"),
    ],
)
def test_status_defaults_from_percent(percent, expected):
    assert rules.effective_status(act(percent=percent)) == expected


def test_due_in_force_is_the_last_extension_and_original_is_kept():
    a = act(
        due=D(2017, 1, 31),
        extensions=[m.Extension(D(2017, 3, 31), "unions"), m.Extension(D(2017, 5, 31), "again")],
    )
    s = status(a, D(2017, 1, 5))
    assert (s.due, s.original_due) == (D(2017, 5, 31), D(2017, 1, 31))


def test_next_due_is_earliest_open_milestone():
    a = act(
        due=D(2017, 12, 31),
        milestones=[
            m.Milestone("Stage 1", D(2017, 2, 28)),
            m.Milestone("Done one", D(2017, 1, 15), done=True),
        ],
    )
    s = status(a, D(2017, 1, 5))
    assert s.next_due == D(2017, 2, 28) and s.next_due_label == "Stage 1"


def test_next_due_without_milestones_is_due_in_force():
    assert status(act(due=D(2017, 3, 1)), D(2017, 1, 1)).next_due == D(2017, 3, 1)


# -- overdue ---------------------------------------------------------------------


def test_due_today_is_not_overdue_and_due_yesterday_is():
    a = act(due=D(2017, 1, 31), start=D(2017, 1, 1), percent=90)
    assert not status(a, D(2017, 1, 31)).overdue
    s = status(a, D(2017, 2, 1))
    assert s.overdue and s.rag == "red" and s.rule == rules.OVERDUE
    assert s.why == "overdue: due 2017-01-31, 1 day ago"


def test_missed_milestone_makes_action_overdue_and_red():
    a = act(
        due=D(2017, 12, 31),
        start=D(2016, 9, 1),
        percent=50,
        milestones=[m.Milestone("Stage 1: core elements", D(2017, 2, 28))],
    )
    assert status(a, D(2017, 2, 28)).rag != "red"
    s = status(a, D(2017, 3, 1))
    assert s.rag == "red" and 'milestone "Stage 1: core elements"' in s.why


def test_extension_lifts_overdue():
    a = act(due=D(2017, 1, 31), percent=50, extensions=[m.Extension(D(2017, 3, 31), "r")])
    assert not status(a, D(2017, 2, 10)).overdue


def test_complete_and_dropped_are_never_overdue():
    assert not status(act(due=D(2016, 1, 1), percent=100), D(2017, 1, 1)).overdue
    assert not status(act(due=D(2016, 1, 1), status="dropped"), D(2017, 1, 1)).overdue


# -- RAG rules in order ----------------------------------------------------------


def test_rule1_dropped_has_no_colour():
    s = status(act(status="dropped", due=D(2016, 1, 1), rag="red", rag_reason="x"), D(2017, 1, 1))
    assert s.rag is None and s.rule == rules.DROPPED


def test_rule2_complete_is_blue_even_when_late_or_overridden():
    s = status(act(percent=100, due=D(2016, 1, 1), rag="red", rag_reason="x"), D(2017, 1, 1))
    assert s.rag == "blue" and s.rule == rules.COMPLETE


def test_rule3_override_beats_overdue():
    a = act(due=D(2016, 12, 1), percent=10, rag="amber", rag_reason="Agreed slippage")
    s = status(a, D(2017, 1, 5))
    assert s.rag == "amber" and s.override and s.rule == rules.OVERRIDE
    assert "Agreed slippage" in s.why


def test_rule3_override_lapses_after_its_until_date():
    a = act(due=D(2016, 12, 1), percent=10, rag="green", rag_reason="r", rag_until=D(2017, 1, 5))
    on_the_day = status(a, D(2017, 1, 5))
    assert on_the_day.rag == "green" and on_the_day.override and not on_the_day.override_expired
    after = status(a, D(2017, 1, 6))
    assert after.rag == "red" and not after.override and after.override_expired
    assert "override lapsed after 2017-01-05" in after.why


def test_rule5_not_due_to_start_is_grey():
    a = act(start=D(2017, 2, 1), due=D(2017, 6, 1), percent=0)
    s = status(a, D(2017, 1, 31))
    assert s.rag == "grey" and s.rule == rules.NOT_DUE_TO_START
    assert status(a, D(2017, 2, 1)).rule != rules.NOT_DUE_TO_START  # starting today


def test_rule5_uses_plan_start_when_action_has_none():
    s = status(act(due=D(2017, 6, 1)), D(2017, 1, 1), plan_start=D(2017, 3, 1))
    assert s.rule == rules.NOT_DUE_TO_START and s.start == D(2017, 3, 1)


def test_rule6_behind_schedule_wording():
    # 100 days from start to due; 60 days gone: 60% expected.
    start = D(2017, 1, 1)
    a = act(start=start, due=start + timedelta(days=100), percent=25)
    s = status(a, start + timedelta(days=60))
    assert s.rag == "amber" and s.rule == rules.BEHIND
    assert s.why == "behind schedule: 25% done, 60% expected"


def test_rule6_exactly_at_the_margin_is_not_amber():
    start = D(2017, 1, 1)
    a = act(start=start, due=start + timedelta(days=100), percent=35)
    at_margin = status(a, start + timedelta(days=60))  # 35 + 25 == 60
    assert at_margin.rag == "green" and at_margin.rule == rules.ON_TRACK
    one_day_later = status(a, start + timedelta(days=61))  # 60 < 61
    assert one_day_later.rag == "amber"


def test_rule6_margin_comes_from_the_plan():
    start = D(2017, 1, 1)
    a = act(start=start, due=start + timedelta(days=100), percent=35)
    assert status(a, start + timedelta(days=60), margin=10).rag == "amber"


def test_rule6_needs_due_after_start():
    a = act(start=D(2017, 1, 1), due=D(2017, 1, 1), percent=10)
    s = status(a, D(2017, 1, 1))
    assert s.expected is None and s.rag == "green"


def test_rule6_expected_is_clamped():
    a = act(start=D(2017, 1, 1), due=D(2017, 2, 1), percent=10)
    assert status(a, D(2017, 2, 1)).expected == 100.0
    assert status(a, D(2017, 1, 1)).expected == 0.0


def test_rule7_not_started_is_grey_and_rule8_green():
    a = act(start=D(2017, 1, 1), due=D(2017, 12, 31))
    s = status(a, D(2017, 1, 10))
    assert s.rag == "grey" and s.rule == rules.NOT_STARTED and s.why == "not started"
    s = status(act(start=D(2017, 1, 1), due=D(2017, 12, 31), percent=5), D(2017, 1, 10))
    assert s.rag == "green" and s.rule == rules.ON_TRACK


def test_rule7_revised_in_progress_at_0_is_not_grey():
    """A scrutiny review's six-month update says "In progress" with no percent."""
    a = act(start=D(2017, 1, 1), due=D(2017, 12, 31), status="in-progress")
    s = status(a, D(2017, 1, 10))
    assert (s.rag, s.rule) == ("green", rules.ON_TRACK)
    assert s.why == "on schedule: 0% done (in progress, no percent recorded), 2% expected"
    s = status(act(status="in-progress"), D(2017, 1, 10))  # no dates at all
    assert (s.rag, s.why) == ("green", "in progress: 0% done (in progress, no percent recorded)")
    # still amber when it falls behind, like any other action (rule 6 comes first)
    s = status(a, D(2017, 5, 1))
    assert (s.rag, s.rule) == ("amber", rules.BEHIND)
    # and not-started at 0% stays grey
    s = status(act(start=D(2017, 1, 1), due=D(2017, 12, 31), status="not-started"), D(2017, 1, 10))
    assert (s.rag, s.rule) == ("grey", rules.NOT_STARTED)


def milestones(done: int, of: int) -> list[m.Milestone]:
    return [m.Milestone(f"Stage {k}", D(2017, 6, 30), done=k <= done) for k in range(1, of + 1)]


@pytest.mark.parametrize("declared", [None, "not-started"])
def test_rule7_a_done_milestone_at_0_is_progress_not_grey(declared):
    """Issue 22: a milestone marked done on an action at 0% left it "not started"."""
    dated = dict(start=D(2017, 1, 1), due=D(2017, 12, 31), status=declared)
    for done, of in ((0, 3), (0, 1)):  # no milestone done: still not started
        s = status(act(milestones=milestones(done, of), **dated), D(2017, 1, 10))
        assert (s.rag, s.rule, s.why) == ("grey", rules.NOT_STARTED, "not started")
    s = status(act(milestones=milestones(1, 3), **dated), D(2017, 1, 10))
    assert (s.rag, s.rule) == ("green", rules.ON_TRACK)
    assert s.why == "on schedule: 0% done (1 of 3 milestones done), 2% expected"
    s = status(act(milestones=milestones(3, 3), status=declared), D(2017, 1, 10))  # no dates
    assert (s.rag, s.why) == ("green", "in progress: 0% done (3 of 3 milestones done)")
    # behind schedule is still amber (rule 6 comes first), and says what is done
    s = status(act(milestones=milestones(1, 3), **dated), D(2017, 5, 1))
    assert (s.rag, s.rule) == ("amber", rules.BEHIND) and "1 of 3 milestones done" in s.why
    # a percent recorded speaks for itself
    s = status(act(percent=5, milestones=milestones(1, 3), **dated), D(2017, 1, 10))
    assert s.why == "on schedule: 5% done, 2% expected"


def test_a_done_milestone_at_0_is_in_progress():
    assert rules.effective_status(act(milestones=milestones(1, 2))) == "in-progress"
    assert rules.effective_status(act(milestones=milestones(0, 2))) == "not-started"


def test_rule8_without_dates_says_in_progress():
    s = status(act(percent=40), D(2017, 1, 10))
    assert s.rag == "green" and s.why == "in progress: 40% done"


# -- stale -----------------------------------------------------------------------


def test_stale_counts_from_latest_activity():
    a = act(
        due=D(2018, 1, 1),
        percent=10,
        updates=[m.Update(D(2017, 1, 1))],
        evidence=[m.Evidence(D(2016, 12, 1), "x")],
    )
    assert not status(a, D(2017, 2, 15)).stale  # 45 days: not more than stale_days
    assert status(a, D(2017, 2, 16)).stale  # 46 days
    assert not status(a, D(2017, 2, 16), stale_days=60).stale


def test_measure_readings_count_as_activity():
    a = act(
        due=D(2018, 1, 1),
        percent=10,
        start=D(2016, 1, 1),
        measures=[m.Measure("x", "t", readings=[m.Reading(D(2017, 2, 1), 3)])],
    )
    s = status(a, D(2017, 3, 1))
    assert s.last_activity == D(2017, 2, 1) and not s.stale


def test_stale_without_activity_counts_from_start():
    a = act(start=D(2017, 1, 1), due=D(2018, 1, 1))
    assert not status(a, D(2017, 2, 15)).stale
    assert status(a, D(2017, 2, 16)).stale
    assert not status(act(due=D(2018, 1, 1)), D(2030, 1, 1)).stale  # no start, no activity


def test_closed_actions_are_never_stale():
    assert not status(act(start=D(2010, 1, 1), percent=100), D(2017, 1, 1)).stale
    assert not status(act(start=D(2010, 1, 1), status="dropped"), D(2017, 1, 1)).stale


# -- measures ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "direction,value,expected",
    [
        ("up", 90, "met"),
        ("up", 89.9, "not-met"),
        ("down", 22, "met"),
        ("down", 22.1, "not-met"),
    ],
)
def test_measure_met_at_target_in_its_direction(direction, value, expected):
    ms = m.Measure(
        "x",
        "t",
        target=90 if direction == "up" else 22,
        direction=direction,
        readings=[
            m.Reading(D(2016, 1, 1), 0 if direction == "up" else 99),
            m.Reading(D(2017, 1, 1), value),
        ],
    )
    assert rules.measure_status(ms).status == expected


def test_measure_latest_reading_is_by_date_not_position():
    ms = m.Measure(
        "x", "t", target=50, readings=[m.Reading(D(2017, 2, 1), 60), m.Reading(D(2017, 1, 1), 10)]
    )
    assert rules.measure_status(ms).status == "met"


def test_measure_no_target_and_no_data():
    assert rules.measure_status(m.Measure("x", "t")).status == "no-target"
    assert rules.measure_status(m.Measure("x", "t", target=1)).status == "no-data"


# -- roll-ups ----------------------------------------------------------------------


def _plan(*actions: m.Action) -> m.Plan:
    rec = m.Recommendation("1", actions=list(actions))
    return m.Plan("p", "P", Path("p.toml"), recommendations=[rec])


def test_rollup_is_weighted_mean_of_actions_not_mean_of_means():
    plan = m.Plan(
        "p",
        "P",
        Path("p.toml"),
        recommendations=[
            m.Recommendation(
                "1",
                actions=[
                    act(ref="a", percent=100),
                    act(ref="b", percent=0),
                    act(ref="c", percent=0),
                ],
            ),
            m.Recommendation("2", actions=[act(ref="d", percent=100)]),
        ],
    )
    ps = rules.plan_status(plan, D(2017, 1, 1))
    assert ps.rollup.percent == 50.0  # (100+0+0+100)/4, not (33.3+100)/2
    assert ps.recommendations[0].rollup.percent == pytest.approx(100 / 3)


def test_rollup_weights_and_dropped_actions():
    plan = _plan(
        act(ref="a", percent=100, weight=3),
        act(ref="b", percent=0, weight=1),
        act(ref="c", percent=0, status="dropped", weight=100),
    )
    r = rules.plan_status(plan, D(2017, 1, 1)).rollup
    assert r.percent == 75.0 and r.total == 2 and r.dropped == 1
    assert sum(r.counts.values()) == 2


def test_rollup_worst_colour_and_counts():
    plan = _plan(
        act(ref="a", percent=100),
        act(ref="b", percent=10),
        act(ref="c", due=D(2016, 1, 1), percent=10),
    )
    r = rules.plan_status(plan, D(2017, 1, 1)).rollup
    assert r.rag == "red" and r.counts == {"red": 1, "amber": 0, "green": 1, "grey": 0, "blue": 1}
    assert r.summary() == "1 of 3 actions complete" and r.overdue == 1


def test_rollup_all_blue_is_blue_and_nothing_is_none():
    assert rules.plan_status(_plan(act(ref="a", percent=100)), D(2017, 1, 1)).rollup.rag == "blue"
    empty = rules.plan_status(_plan(act(ref="a", status="dropped")), D(2017, 1, 1)).rollup
    assert empty.rag is None and empty.percent is None


def test_rollup_zero_weights_give_no_percent():
    r = rules.plan_status(_plan(act(ref="a", percent=50, weight=0)), D(2017, 1, 1)).rollup
    assert r.percent is None


@given(
    st.lists(
        st.tuples(
            st.integers(0, 100),
            st.integers(1, 5),
            st.sampled_from([None, "in-progress", "complete", "dropped"]),
        ),
        min_size=1,
        max_size=12,
    ),
    st.dates(min_value=D(2016, 1, 1), max_value=D(2018, 1, 1)),
)
def test_rollup_properties(specs, today):
    actions = [
        act(ref=str(i), percent=p, weight=w, status=s, start=D(2016, 6, 1), due=D(2017, 6, 1))
        for i, (p, w, s) in enumerate(specs)
    ]
    r = rules.plan_status(_plan(*actions), today).rollup
    live = [a for a in actions if a.status != "dropped"]
    assert r.total == len(live) == sum(r.counts.values())
    if live:
        assert r.percent is not None and 0 <= r.percent <= 100
        assert r.rag == min((rules.action_status(a, today).rag for a in live), key=rules.rag_rank)
    else:
        assert r.percent is None and r.rag is None


@given(
    st.dates(min_value=D(2016, 1, 1), max_value=D(2019, 1, 1)),
    st.integers(0, 100),
    st.integers(1, 400),
    st.integers(0, 500),
)
def test_rag_is_always_one_word_and_why_is_said(today, percent, length, offset):
    start = D(2016, 6, 1) + timedelta(days=offset)
    s = status(act(start=start, due=start + timedelta(days=length), percent=percent), today)
    assert s.rag in RAGS and s.why
    if s.rule == rules.BEHIND:
        assert percent + 25 < s.expected


def _ext(due, state=None):
    return m.Extension(due, "reason", state=state)


def test_only_agreed_extensions_move_the_due_date():
    a = m.Action("1", "x", due=date(2017, 1, 31))
    a.extensions = [_ext(date(2017, 3, 31))]  # no state: agreed, as old files mean
    assert rules.due_in_force(a) == date(2017, 3, 31)
    a.extensions.append(_ext(date(2017, 6, 30), "requested"))
    assert rules.due_in_force(a) == date(2017, 3, 31)
    assert rules.pending_extension(a) is a.extensions[-1]
    a.extensions[-1].state = "refused"
    assert rules.due_in_force(a) == date(2017, 3, 31) and rules.pending_extension(a) is None
    a.extensions[-1].state = "agreed"
    assert rules.due_in_force(a) == date(2017, 6, 30)


def test_a_pending_request_leaves_an_overdue_action_red():
    a = m.Action("1", "x", start=date(2016, 9, 1), due=date(2016, 12, 31), percent=50)
    a.extensions = [_ext(date(2017, 6, 30), "requested")]
    st = rules.action_status(a, date(2017, 1, 5))
    assert (st.rag, st.due, st.overdue) == ("red", date(2016, 12, 31), True)
