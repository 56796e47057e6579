"""What the rules said of one plan on one day, kept beside the plan in the cache.

An officer runs `improve actions --mine` and `improve status` many times a day over files
that have not changed; the rules' answer for a plan is a function of its file's bytes and
the day alone. So the first run of a day keeps, for each plan, a summary (its totals and,
per action, a named record of what the filters, the roll-up and the briefing look at:
`Fact`) and, once a `status --json` or an `actions --json` has made it, the plan's JSON
in pieces, each action's JSON one of them (`PlanParts`); later runs that day answer from
these without unpickling a plan or running a rule (`actions --json` picks its actions'
pieces). The cache keeps a memo with the entry for the exact bytes it was made
from (improve.speed.cache), so an edited file has none; tests/test_memo.py holds every answer
from a memo to the same answer worked out afresh.

Plain data only (marshal): reading a memo imports neither the model nor the rules.
"""

from __future__ import annotations

import marshal
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .tally import Counted, Rollup, tally

if TYPE_CHECKING:
    from ..plans import model as m
    from . import rules


class Fact(NamedTuple):
    """One action as the rules saw it on the day: what the filters, the roll-up, the
    briefing and `actions --json` read (kept as a plain tuple, marshalled; `Fact._make`
    names it again)."""

    ref: str
    rag: str | None
    overdue: bool
    stale: bool
    pending: bool  # a new due date asked for, awaiting a decision
    open: bool
    next_due: int  # as a day ordinal, 0 for none
    leads: tuple[str, ...]  # in force: the action's, else its recommendation's
    weight: float
    percent: int
    dropped: bool
    complete: bool
    text: str  # the action's text
    due: int  # the due date in force, as a day ordinal, 0 for none
    why: str  # why the rules gave its colour
    original_due: int  # the due date the plan set, as a day ordinal, 0 for none
    # the request for a new due date awaiting a decision, for its wording
    # (present.text.pending_words): its due and asked-on dates as day ordinals (0 for
    # none) and who asked ("" for nobody named); None when nothing is asked
    asked: tuple[int, int, str] | None

    def counted(self) -> Counted:
        """What the roll-up counts of it (tally.Counted)."""
        return (self.dropped, self.rag, self.complete, self.overdue, self.stale, self.weight,
                self.percent)  # fmt: skip


# a plan's JSON as pieces (serialize.plan_json_parts): its head (before "file") and the
# rest, as glue and the text of each action in turn (glue, action, glue, … glue): "".join
# of the rest is the text after "file", and its odd pieces are the actions' JSON, in the
# order of the plan's facts
PlanParts = tuple[str, tuple[str, ...]]


def actions_of(parts: PlanParts) -> tuple[str, ...]:
    """Each action's JSON text, in order, from a plan's pieces."""
    return parts[1][1::2]


def action_text(plan_id: str, text: str) -> str:
    """An `actions --json` item from an action's JSON text: byte for byte
    `json.dumps({"plan": plan_id, **action_json(...)})`."""
    import json

    return f"{{{json.dumps('plan')}: {json.dumps(plan_id, ensure_ascii=False)}, {text[1:]}"


def summary_of(ps: rules.PlanStatus) -> bytes:
    """What a day's memo keeps of a plan's status, marshalled (`plan_day` reads it)."""
    return marshal.dumps(summary_tuple(ps))


def _pending(action: m.Action) -> m.Extension | None:
    """rules.pending_extension, imported only for an action with extensions (a function's
    import costs a microsecond a call, and summary_tuple is called for every plan)."""
    from .rules import pending_extension

    return pending_extension(action)


def summary_tuple(ps: rules.PlanStatus) -> tuple[Any, ...]:
    p, r = ps.plan, ps.rollup
    facts: list[tuple[Any, ...]] = []  # plain tuples: marshal keeps no NamedTuple
    for rs in ps.recommendations:
        rec_leads = tuple(rs.recommendation.leads)
        for st in rs.actions:
            a = st.action
            ext = _pending(a) if a.extensions else None
            asked = None if ext is None else (
                ext.due.toordinal(), ext.requested_on.toordinal() if ext.requested_on else 0,
                ext.requested_by or "",
            )  # fmt: skip
            facts.append((  # the fields of Fact, in order
                a.ref, st.rag, st.overdue, st.stale, ext is not None, st.open,
                st.next_due.toordinal() if st.next_due else 0,
                tuple(a.leads) or rec_leads, a.weight, st.percent, st.dropped, st.complete,
                a.action, st.due.toordinal() if st.due else 0, st.why,
                st.original_due.toordinal() if st.original_due else 0, asked,
            ))  # fmt: skip
    rollup = (r.percent, r.rag, r.counts, r.total, r.complete, r.overdue, r.stale, r.dropped)
    return (p.id, p.title, p.kind, p.review, rollup, facts)


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
    json: PlanParts | None  # the plan's JSON, in pieces (serialize.plan_json_parts)


def plan_day(path: Path, fingerprint: str, summary: Any, js: Any) -> PlanDay:
    """A plan's day from its memo (marshalled: `summary_of`, and its JSON or None)."""
    parts = tuple(marshal.loads(js)) if js is not None else None
    return plan_day_of(path, fingerprint, marshal.loads(summary), parts)


def plan_day_of(
    path: Path, fingerprint: str, summary: tuple[Any, ...], parts: PlanParts | None
) -> PlanDay:
    """A plan's day from `summary_tuple` (read back from a memo, or made just now)."""
    plan_id, title, kind, review, r, facts = summary
    return PlanDay(path, path.name, fingerprint, plan_id, title, kind, review, Rollup(*r),
                   list(map(Fact._make, facts)), parts)  # fmt: skip


@dataclass
class DayView:
    """Every plan of a folder as the rules saw it on `today`: from the memos
    (dayview.open_day), or made from the rules' results (dayview.view_of); api.day_view
    gives one or the other."""

    root: Path
    today: date
    plans: list[PlanDay]

    def total(self) -> Rollup:
        """The portfolio's roll-up: the same loop, over the same actions in the same order,
        as `rules.portfolio_rollup`."""
        return tally(f.counted() for p in self.plans for f in p.facts)

    def actions(self) -> int:
        return sum(p.rollup.total + p.rollup.dropped for p in self.plans)
