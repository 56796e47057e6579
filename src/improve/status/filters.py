"""Which actions a list shows: the filters of `improve actions` and the app's quick
filters, checked against the rules' results or against a day's memo of them (improve.status.memo)
by one set of checks. Light to import: a count from the memo loads no model or rules."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..api import ActionRow
    from ..plans.model import Action, Extension, Plan, Recommendation
    from . import rules
    from .memo import DayView, Fact, PlanDay


def _pending(action: Action) -> Extension | None:
    from .rules import pending_extension

    return pending_extension(action)


@dataclass
class ActionFilter:
    lead: str | None = None  # case-insensitive; matches any part of a lead's name
    rags: tuple[str, ...] = ()  # any of these colours
    overdue: bool = False
    stale: bool = False
    plan: str | None = None
    due_within: int | None = None  # open, next due from today to today + N days
    text: str | None = None  # in ref, action, outcome or leads
    exact_lead: str | None = None  # one lead, named exactly (as picked from a list)
    pending: bool = False  # a new due date asked for, awaiting a decision
    leads_any: tuple[str, ...] = ()  # any of these lead titles, any case (people.toml's)

    def is_empty(self) -> bool:
        return not (
            self.lead
            or self.rags
            or self.overdue
            or self.stale
            or self.plan
            or self.due_within is not None
            or self.text
            or self.exact_lead is not None
            or self.pending
            or self.leads_any
        )

    def matches(self, row: ActionRow, today: date) -> bool:
        return self.matches_status(row.plan, row.recommendation, row.status, today)

    @staticmethod
    def haystack(action: Action, rec: Recommendation) -> str:
        """What `text` is looked for in: ref, action, outcome and leads, lower-cased."""
        leads = action.leads or rec.leads
        return " ".join([action.ref, action.action, action.outcome or "", *leads]).casefold()

    def matches_status(
        self,
        plan: Plan,
        rec: Recommendation,
        st: rules.ActionStatus,
        today: date,
        hay: str | None = None,
    ) -> bool:
        """`matches` without building an ActionRow: the app calls this 20,000 times a key."""
        action = st.action
        nd = st.next_due.toordinal() if st.next_due is not None else 0
        if not self.matches_facts(
            plan.id, st.rag, st.overdue, st.stale, action.leads or rec.leads, st.open, nd,
            today.toordinal(),
        ):  # fmt: skip
            return False
        if self.pending and _pending(action) is None:
            return False
        if self.text:
            if hay is None:
                hay = self.haystack(action, rec)
            if self.text.casefold() not in hay:
                return False
        return True

    def matches_facts(
        self,
        plan_id: str,
        rag: str | None,
        overdue: bool,
        stale: bool,
        leads: list[str] | tuple[str, ...],
        open_: bool,
        next_due: int,
        today: int,
    ) -> bool:
        """Every check but `pending` and `text`, on what a day's memo keeps of an action
        (improve.status.memo): `next_due` and `today` as day ordinals, 0 for none. The one place
        these checks are made, for the rules' results and for the memo's alike."""
        if self.plan and plan_id != self.plan:
            return False
        if self.rags and rag not in self.rags:
            return False
        if self.overdue and not overdue:
            return False
        if self.stale and not stale:
            return False
        if self.exact_lead is not None and self.exact_lead not in leads:
            return False
        if self.lead and not any(self.lead.casefold() in lead.casefold() for lead in leads):
            return False
        if self.leads_any and not any(
            lead.casefold() == want.casefold() for lead in leads for want in self.leads_any
        ):
            return False
        if self.due_within is not None:
            if not open_ or not next_due:
                return False
            # in days, not as a date: a horizon past the year 9999 is simply "everything"
            if not 0 <= next_due - today <= self.due_within:
                return False
        return True

    def count_in(self, view: DayView) -> int:
        """How many actions of a day's memo match (no `text` filter: the memo has none)."""
        return sum(1 for _ in self._matching(view))

    def json_in(self, view: DayView) -> Iterator[tuple[PlanDay, str]]:
        """Each matching action of a day's memo, with its JSON text (memo.action_text
        makes an `actions --json` item of it); the view must have the plans' JSON."""
        from .memo import actions_of

        texts: tuple[str, ...] = ()
        last = None
        for p, n in self._matching(view):
            if p is not last:
                assert p.json is not None
                last, texts = p, actions_of(p.json)
            yield p, texts[n]

    def facts_in(self, view: DayView) -> Iterator[tuple[PlanDay, Fact]]:
        """Each matching action of a day's memo, as its plan and its record (what the
        `actions` table shows of it)."""
        for p, n in self._matching(view):
            yield p, p.facts[n]

    def _matching(self, view: DayView) -> Iterator[tuple[PlanDay, int]]:
        """(plan, the action's place in it) for each action of the memo that matches."""
        assert not self.text
        today = view.today.toordinal()
        pending = self.pending
        for p in view.plans:
            if self.plan and p.plan_id != self.plan:
                continue
            for n, f in enumerate(p.facts):
                if (not pending or f.pending) and self.matches_facts(
                    p.plan_id, f.rag, f.overdue, f.stale, f.leads, f.open, f.next_due, today
                ):
                    yield p, n
