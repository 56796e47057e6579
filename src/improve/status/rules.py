"""The status rules: pure functions of (plan, today).

Every value here is as docs/plan-format.md §5 ("How the status is worked out") says, in
the same order; nothing reads the clock.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from ..plans import model as m
from ..plans.vocab import RAGS
from .tally import Rollup as Rollup  # its type lives in tally, beside its one loop
from .tally import tally

# Which rule produced an action's RAG.
DROPPED, COMPLETE, OVERRIDE, OVERDUE, NOT_DUE_TO_START, BEHIND, NOT_STARTED, ON_TRACK = range(1, 9)

RAG_ORDER = {colour: i for i, colour in enumerate(RAGS)}  # red worst … blue best


@dataclass(slots=True)
class MeasureStatus:
    measure: m.Measure
    status: str  # no-target | no-data | met | not-met
    latest: m.Reading | None


@dataclass(slots=True)
class ActionStatus:
    action: m.Action
    percent: int
    complete: bool
    dropped: bool
    open: bool
    due: date | None
    original_due: date | None
    next_due: date | None
    next_due_label: str | None
    start: date | None
    overdue: bool
    rag: str | None
    rule: int
    why: str
    override: bool
    override_expired: bool
    expected: float | None
    stale: bool
    last_activity: date | None
    measures: list[MeasureStatus]

    @property
    def status(self) -> str:
        return effective_status(self.action)


@dataclass(slots=True)
class RecommendationStatus:
    recommendation: m.Recommendation
    rollup: Rollup
    actions: list[ActionStatus]
    measures: list[MeasureStatus]


@dataclass(slots=True)
class PlanStatus:
    plan: m.Plan
    today: date
    rollup: Rollup
    recommendations: list[RecommendationStatus]
    measures: list[MeasureStatus]
    next_due: date | None = None

    def actions(self) -> Iterator[ActionStatus]:
        for rec in self.recommendations:
            yield from rec.actions


def effective_status(action: m.Action) -> str:
    if action.status:
        return action.status
    pct = action.percent or 0
    if pct == 0 and milestones_done(action):
        return "in-progress"  # a milestone done is progress, with or without a percent
    return "complete" if pct == 100 else "not-started" if pct == 0 else "in-progress"


def milestones_done(action: m.Action) -> int:
    """How many of the action's milestones are marked done."""
    return sum(1 for ms in action.milestones if ms.done)


def effective_percent(action: m.Action) -> int:
    return 100 if action.status == "complete" else (action.percent or 0)


def is_complete(action: m.Action) -> bool:
    return action.status == "complete" or action.percent == 100


def agreed_extensions(action: m.Action) -> list[m.Extension]:
    """The extensions that moved the date: agreed ones (or ones with no state)."""
    return [e for e in action.extensions if e.agreed]


def due_in_force(action: m.Action) -> date | None:
    """The due of the last agreed extension, else `due`: a request or a refusal never
    moves the date."""
    for ext in reversed(action.extensions):
        if ext.agreed:
            return ext.due
    return action.due


def pending_extension(action: m.Action) -> m.Extension | None:
    """The latest extension request still awaiting a decision."""
    k = pending_extension_index(action.extensions)
    return None if k is None else action.extensions[k]


def pending_extension_index(extensions: list[m.Extension]) -> int | None:
    """Where the latest request awaiting a decision is among `extensions`."""
    return next((k for k in range(len(extensions) - 1, -1, -1) if extensions[k].pending), None)


def next_due(
    action: m.Action, due: date | None = None, *, known: bool = False
) -> tuple[date | None, str | None]:
    """The earliest of the due in force (`due`, when `known` already) and every milestone
    not done, with what it is."""
    best, label = (due if known else due_in_force(action)), None
    for ms in action.milestones:
        if not ms.done and ms.due is not None and (best is None or ms.due < best):
            best, label = ms.due, ms.label
    return best, label


def measure_status(measure: m.Measure) -> MeasureStatus:
    latest = measure.latest
    if measure.target is None:
        return MeasureStatus(measure, "no-target", latest)
    if latest is None:
        return MeasureStatus(measure, "no-data", None)
    if measure.direction == "down":
        met = latest.value <= measure.target
    else:
        met = latest.value >= measure.target
    return MeasureStatus(measure, "met" if met else "not-met", latest)


def last_activity(action: m.Action) -> date | None:
    latest = None
    for u in action.updates:
        if latest is None or u.date > latest:
            latest = u.date
    for e in action.evidence:
        if latest is None or e.date > latest:
            latest = e.date
    for ms in action.measures:
        for r in ms.readings:
            if latest is None or r.date > latest:
                latest = r.date
    return latest


def _fmt_pct(value: float) -> str:
    return f"{value:.0f}%"


def action_status(
    action: m.Action,
    today: date,
    margin: float = m.DEFAULT_MARGIN,
    stale_days: int = m.DEFAULT_STALE_DAYS,
    plan_start: date | None = None,
) -> ActionStatus:
    percent = effective_percent(action)
    complete = is_complete(action)
    dropped = action.status == "dropped"
    open_ = not complete and not dropped
    due = due_in_force(action)
    nd, nd_label = next_due(action, due, known=True) if action.milestones else (due, None)
    start = action.start or plan_start
    overdue = open_ and nd is not None and nd < today
    override_expired = (
        bool(action.rag) and action.rag_until is not None and action.rag_until < today
    )
    expected = None
    if start is not None and due is not None and due > start:
        elapsed = (today - start).days
        expected = min(100.0, max(0.0, 100 * elapsed / (due - start).days))

    override = False
    if dropped:
        rag, rule, why = None, DROPPED, "dropped: left out of every count"
    elif complete:
        rag, rule, why = "blue", COMPLETE, "complete"
    elif action.rag and not override_expired:
        override = True
        until = f" until {action.rag_until.isoformat()}" if action.rag_until else ""
        rag, rule, why = action.rag, OVERRIDE, f"set by hand{until}: {action.rag_reason}"
    elif overdue and nd is not None:
        days = (today - nd).days
        what = f'milestone "{nd_label}"' if nd_label else "due"
        rag, rule = "red", OVERDUE
        why = f"overdue: {what} {nd.isoformat()}, {days} day{'s' if days != 1 else ''} ago"
    elif start is not None and start > today:
        rag, rule, why = "grey", NOT_DUE_TO_START, f"not due to start until {start.isoformat()}"
    elif (
        expected is not None
        and start is not None
        and due is not None
        and _behind(percent, margin, today, start, due)
    ):
        rag, rule = "amber", BEHIND
        why = f"behind schedule: {_done(percent, action)}, {_fmt_pct(expected)} expected"
    elif percent == 0 and action.status != "in-progress" and not milestones_done(action):
        rag, rule, why = "grey", NOT_STARTED, "not started"
    else:
        # Rule 7 revised: an action declared in progress is not "not started", even
        # with nothing recorded yet (a six-month update that says "In progress"); nor is
        # one with a milestone marked done (issue 22).
        rag, rule = "green", ON_TRACK
        done = _done(percent, action)
        if percent == 0 and action.status == "in-progress" and not milestones_done(action):
            done += " (in progress, no percent recorded)"
        why = (
            f"on schedule: {done}, {_fmt_pct(expected)} expected"
            if expected is not None
            else f"in progress: {done}"
        )
    if override_expired and action.rag_until is not None:
        why += f" (the {action.rag} override lapsed after {action.rag_until.isoformat()})"

    activity = last_activity(action)
    stale = False
    if open_:
        since = activity if activity is not None else start
        stale = since is not None and (today - since).days > stale_days

    return ActionStatus(
        action=action,
        percent=percent,
        complete=complete,
        dropped=dropped,
        open=open_,
        due=due,
        original_due=action.due,
        next_due=nd,
        next_due_label=nd_label,
        start=start,
        overdue=overdue,
        rag=rag,
        rule=rule,
        why=why,
        override=override,
        override_expired=override_expired,
        expected=expected,
        stale=stale,
        last_activity=activity,
        measures=[measure_status(x) for x in action.measures],
    )


def _done(percent: int, action: m.Action) -> str:
    """What is done, in words: the percent, and at 0% what else says there is progress."""
    if percent:
        return f"{percent}% done"
    if done := milestones_done(action):
        return f"0% done ({done} of {len(action.milestones)} milestones done)"
    return "0% done"


def _behind(percent: int, margin: float, today: date, start: date, due: date) -> bool:
    """percent + margin < expected, decided exactly (no rounding at the boundary)."""
    elapsed = min(max((today - start).days, 0), (due - start).days)
    return (percent + margin) * (due - start).days < 100 * elapsed


def rollup(statuses: list[ActionStatus]) -> Rollup:
    return tally(
        (st.dropped, st.rag, st.complete, st.overdue, st.stale, st.action.weight, st.percent)
        for st in statuses
    )


def plan_status(plan: m.Plan, today: date) -> PlanStatus:
    recs = []
    every: list[ActionStatus] = []
    for rec in plan.recommendations:
        acts = [
            action_status(a, today, plan.margin, plan.stale_days, plan.start) for a in rec.actions
        ]
        every.extend(acts)
        recs.append(
            RecommendationStatus(rec, rollup(acts), acts, [measure_status(x) for x in rec.measures])
        )
    upcoming = [
        a.next_due for a in every if a.open and a.next_due is not None and a.next_due >= today
    ]
    # one recommendation: the plan's roll-up is its, counted once (a Rollup is never changed)
    return PlanStatus(
        plan,
        today,
        recs[0].rollup if len(recs) == 1 else rollup(every),
        recs,
        [measure_status(x) for x in plan.measures],
        min(upcoming) if upcoming else None,
    )


def portfolio_rollup(statuses: list[PlanStatus]) -> Rollup:
    return rollup([a for ps in statuses for a in ps.actions()])


def rag_rank(rag: str | None) -> int:
    """Sort key: worst first; no colour last."""
    return RAG_ORDER.get(rag, len(RAG_ORDER)) if rag is not None else len(RAG_ORDER)
