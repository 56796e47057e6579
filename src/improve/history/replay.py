"""Replay: a true history for plans that arrive with their own dated entries.

The shipped plans (and any plan a council starts using improve with) already say when
things happened: update entries, evidence, measure readings and agreed extensions carry
dates.  `replay` walks those dates in order and records, on each, the plan as it stood
then — so "since the last review" and the trends show real movement, not invented data.

The rules of the reconstruction, kept deliberately plain:
- a plan's history starts on the earliest of its `published` date, its `start` date and
  its first dated entry (or today, when it has none of them);
- on a day D, a plan holds the update entries, evidence, readings and extensions (by
  `agreed_on`) dated on or before D; its percent and status are those of the latest update
  entry on or before D that records them, else not started;
- what carries no date (an impact judgement, a milestone ticked with no `done_on`, a
  manual RAG) is taken as it is in the file from the first day: nothing says when it
  changed, so the history shows no change in it (a briefing of "impact: – → n/a" changes
  would only be how the file was first read); a milestone with `done_on` is done from
  that day;
- an extension with no `agreed_on`, and a percent never logged in an update, are recorded
  on the day the replay ends, as found in the file;
- changes on a day are attributed to the `by` of that day's update entry (or the
  extension's `agreed_by`), else to "recorded in the plan file"; changes made by time
  alone (an action going red after its due date) are found by `sync` as always;
- a review is recorded on the first day of the history (the plans as first recorded) and
  at the end of each month in which update entries were written (progress reports are
  monthly or quarterly), up to today; each says in its note that it is reconstructed.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, TypeVar

from ..errors import HistoryError
from ..plans import model as m
from ..status import rules
from .review_record import record_review
from .sync import sync

if TYPE_CHECKING:
    from ..plans.loader import Portfolio
    from .store import HistoryStore

_V = TypeVar("_V")

FROM_FILE = "recorded in the plan file"
REVIEW_NOTE = "Reconstructed from the plans' own dated update entries (replay)"


@dataclass
class ReplayResult:
    days: list[date] = field(default_factory=list)
    reviews: list[int] = field(default_factory=list)
    events: int = 0


def _month_end(d: date) -> date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def _measure_as_of(ms: m.Measure, day: date) -> m.Measure:
    return replace(ms, readings=[r for r in ms.readings if r.date <= day])


def _latest_update_value(
    action: m.Action, day: date, value_of: Callable[[m.Update], _V | None]
) -> _V | None:
    """The value the latest update on or before `day` gave (`value_of` an update), if any."""
    value = None
    for u in sorted((u for u in action.updates if u.date <= day), key=lambda u: u.date):
        if value_of(u) is not None:
            value = value_of(u)
    return value


def action_as_of(action: m.Action, day: date) -> m.Action:
    return replace(
        action,
        percent=_latest_update_value(action, day, lambda u: u.percent),
        status=_latest_update_value(action, day, lambda u: u.status),
        extensions=[e for e in action.extensions if e.agreed_on is not None and e.agreed_on <= day],
        milestones=[
            replace(ms, done=ms.done and ms.done_on is not None and ms.done_on <= day)
            if ms.done_on is not None
            else ms
            for ms in action.milestones
        ],
        measures=[_measure_as_of(ms, day) for ms in action.measures],
        evidence=[e for e in action.evidence if e.date <= day],
        updates=[u for u in action.updates if u.date <= day],
    )


def plan_as_of(plan: m.Plan, day: date) -> m.Plan:
    """The plan as its dated entries say it stood on `day` (see the module docstring)."""
    recs = [
        replace(
            rec,
            actions=[action_as_of(a, day) for a in rec.actions],
            measures=[_measure_as_of(ms, day) for ms in rec.measures],
        )
        for rec in plan.recommendations
    ]
    return replace(
        plan,
        recommendations=recs,
        fingerprint=None,  # not the file's bytes
        measures=[_measure_as_of(ms, day) for ms in plan.measures],
    )


def dated_entries(plan: m.Plan) -> list[date]:
    days = []
    for _, a in plan.actions():
        days += [u.date for u in a.updates]
        days += [e.date for e in a.evidence]
        days += [e.agreed_on for e in a.extensions if e.agreed_on is not None]
    days += [r.date for ms in plan.all_measures() for r in ms.readings]
    return days


def _attributor(who: dict[str, dict[str, str]]) -> Callable[[str, str], str | None]:
    """Who made a change to (plan id, ref) on a replayed day: `who` by plan and ref, else
    the plan file."""
    return lambda pid, ref: who.get(pid, {}).get(ref, FROM_FILE)


def _attribution(plan: m.Plan, day: date) -> dict[str, str]:
    who = {}
    for _, a in plan.actions():
        for e in a.extensions:
            if e.agreed_on == day and e.agreed_by:
                who[a.ref] = e.agreed_by
        for u in a.updates:
            if u.date == day and u.by:
                who[a.ref] = u.by
    return who


def replay(store: HistoryStore, portfolio: Portfolio, today: date) -> ReplayResult:
    """Fill an empty history from the plans' dated entries, up to `today`."""
    db = store.db
    if (
        db.execute("select 1 from events limit 1").fetchone()
        or db.execute("select 1 from reviews limit 1").fetchone()
    ):
        raise HistoryError(
            f"the history in {store.path} is not empty; replay fills a new history "
            "only (move this one away first)",
            code="history-not-empty",
            field="db",
        )
    plans = portfolio.plans
    starts: dict[str, date] = {}
    for plan in plans:
        days = [d for d in dated_entries(plan) if d <= today]
        days += [d for d in (plan.published, plan.start) if d is not None and d <= today]
        if days:
            starts[plan.id] = min(days)
    review_days = sorted(
        {
            _month_end(u.date)
            for plan in plans
            for _, a in plan.actions()
            for u in a.updates
            if _month_end(u.date) <= today
        }
    )
    if starts:
        review_days = sorted(set(review_days) | {min(starts.values())})
    timeline = sorted(
        {d for plan in plans for d in dated_entries(plan) if d <= today}
        | set(starts.values())
        | set(review_days)
    )
    timeline = [d for d in timeline if d < today] + [today]
    result = ReplayResult(days=timeline)
    with store.transaction():
        for day in timeline:
            final = day == today
            active = [p for p in plans if final or starts.get(p.id, today) <= day]
            states = {p.id: (p if final else plan_as_of(p, day)) for p in active}
            who = {p.id: _attribution(p, day) for p in active}
            statuses = [rules.plan_status(states[p.id], day) for p in active]
            got = sync(
                store,
                statuses,
                day,
                only=[p.id for p in active],
                attribute=_attributor(who),
            )
            result.events += len(got.events)
            if day in review_days:
                result.reviews.append(
                    record_review(store, statuses, day, REVIEW_NOTE, (), FROM_FILE)
                )
    return result
