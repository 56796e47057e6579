"""What the rules said of one plan on one day, kept beside the plan in the cache.

An officer runs `improve actions --mine` and `improve status` many times a day over files
that have not changed; the rules' answer for a plan is a function of its file's bytes and
the day alone. So the first run of a day keeps, for each plan, a summary (its totals and,
per action, what the filters and the roll-up look at) and, once a `status --json` has
made it, the plan's JSON; later runs that day answer from these without unpickling a plan
or running a rule. The cache keeps a memo with the entry for the exact bytes it was made
from (improve.cache), so an edited file has none; tests/test_memo.py holds every answer
from a memo to the same answer worked out afresh.

Plain data only (marshal): reading a memo imports neither the model nor the rules.
"""

from __future__ import annotations

import marshal
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .tally import Rollup, tally

if TYPE_CHECKING:
    from . import rules

# one action: (ref, rag, overdue, stale, pending, open, next due as an ordinal or 0,
# leads in force, weight, percent, dropped, complete, the action's text, the due date in
# force as an ordinal or 0, why the rules gave its colour)
Fact = tuple[
    str, str | None, bool, bool, bool, bool, int, tuple[str, ...], float, int, bool, bool,
    str, int, str,
]  # fmt: skip


def summary_of(ps: rules.PlanStatus) -> bytes:
    from .rules import pending_extension

    p, r = ps.plan, ps.rollup
    facts = []
    for rs in ps.recommendations:
        rec_leads = tuple(rs.recommendation.leads)
        for st in rs.actions:
            a = st.action
            facts.append((
                a.ref, st.rag, st.overdue, st.stale,
                bool(a.extensions) and pending_extension(a) is not None, st.open,
                st.next_due.toordinal() if st.next_due else 0,
                tuple(a.leads) or rec_leads, a.weight, st.percent, st.dropped, st.complete,
                a.action, st.due.toordinal() if st.due else 0, st.why,
            ))  # fmt: skip
    rollup = (r.percent, r.rag, r.counts, r.total, r.complete, r.overdue, r.stale, r.dropped)
    return marshal.dumps((p.id, p.title, p.kind, p.review, rollup, facts))


def json_of(ps: rules.PlanStatus) -> bytes:
    from .serialize import plan_json_parts

    return marshal.dumps(plan_json_parts(ps))


@dataclass
class PlanDay:
    """One plan as the rules saw it on the day (what `summary_of` kept)."""

    path: Path
    name: str  # the file's name, as the cache knows it
    fingerprint: str
    plan_id: str
    title: str
    kind: str
    review: str | None
    rollup: Rollup
    facts: list[Fact]
    json: tuple[str, str] | None  # the plan's JSON, in two parts (serialize.plan_json_parts)


def plan_day(path: Path, fingerprint: str, summary: Any, js: Any) -> PlanDay:
    plan_id, title, kind, review, r, facts = marshal.loads(summary)
    parts = tuple(marshal.loads(js)) if js is not None else None
    return PlanDay(path, path.name, fingerprint, plan_id, title, kind, review, Rollup(*r),
                   facts, parts)  # fmt: skip


@dataclass
class DayView:
    """Every plan of a folder as the rules saw it on `today`, from the memos."""

    root: Path
    today: date
    plans: list[PlanDay]

    def total(self) -> Rollup:
        """The portfolio's roll-up: the same loop, over the same actions in the same order,
        as `rules.portfolio_rollup`."""
        return tally(
            (f[10], f[1], f[11], f[2], f[3], f[8], f[9]) for p in self.plans for f in p.facts
        )

    def actions(self) -> int:
        return sum(p.rollup.total + p.rollup.dropped for p in self.plans)


class _Plan:
    __slots__ = ("id", "title")

    def __init__(self, plan_id: str, title: str) -> None:
        self.id, self.title = plan_id, title


class _Action:
    __slots__ = ("action", "ref")

    def __init__(self, ref: str, action: str) -> None:
        self.ref, self.action = ref, action


class _Seen:
    """One action as the briefing reads it: `.action.ref`, `.action.action`, `.due`,
    `.rag`, `.why`."""

    __slots__ = ("_due", "action", "rag", "why")

    def __init__(self, f: Fact) -> None:
        self.action = _Action(f[0], f[12])
        self.rag, self.why, self._due = f[1], f[14], f[13]

    @property
    def due(self) -> date | None:
        return date.fromordinal(self._due) if self._due else None


class PlanSeen:
    """A plan's status as the review briefing reads it (present/briefing.py: each action's
    ref, text, due date in force, colour and why), from a day's memo: no plan unpickled,
    no rule run."""

    def __init__(self, day: PlanDay) -> None:
        self.plan = _Plan(day.plan_id, day.title)
        self._facts = day.facts

    def actions(self):
        return map(_Seen, self._facts)
