"""The library API that the command line and the app both stand on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from . import rules
from .editing import Change, EditError, EditResult, update_action
from .loader import Portfolio, load_folder, refresh_folder
from .model import Action, Plan, Recommendation

__all__ = [
    "ActionFilter",
    "ActionRow",
    "Change",
    "EditError",
    "filter_actions",
    "load",
    "portfolio_status",
    "reload",
    "split_target",
    "update",
]


def load(plans_dir: Path) -> Portfolio:
    """Every plan in the folder (the one place plans are loaded through)."""
    return load_folder(Path(plans_dir))


def reload(portfolio: Portfolio) -> Portfolio | None:
    """The portfolio again if any plan file changed on disk (only changed files are
    re-read), else None: cheap enough to poll every second."""
    return refresh_folder(portfolio)


def portfolio_status(portfolio: Portfolio, today: date) -> list[rules.PlanStatus]:
    return [rules.plan_status(plan, today) for plan in portfolio.plans]


@dataclass(slots=True)
class ActionRow:
    plan: Plan
    recommendation: Recommendation
    status: rules.ActionStatus

    @property
    def action(self) -> Action:
        return self.status.action


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
        if self.plan and plan.id != self.plan:
            return False
        if self.rags and st.rag not in self.rags:
            return False
        if self.overdue and not st.overdue:
            return False
        if self.stale and not st.stale:
            return False
        action = st.action
        leads = action.leads or rec.leads
        if self.exact_lead is not None and self.exact_lead not in leads:
            return False
        if self.lead and not any(self.lead.casefold() in lead.casefold() for lead in leads):
            return False
        if self.due_within is not None:
            if not st.open or st.next_due is None:
                return False
            if not today <= st.next_due <= today + timedelta(days=self.due_within):
                return False
        if self.text:
            if hay is None:
                hay = self.haystack(action, rec)
            if self.text.casefold() not in hay:
                return False
        return True


def action_rows(statuses: list[rules.PlanStatus]):
    for ps in statuses:
        for rs in ps.recommendations:
            for st in rs.actions:
                yield ActionRow(ps.plan, rs.recommendation, st)


def filter_actions(
    statuses: list[rules.PlanStatus], flt: ActionFilter, today: date
) -> list[ActionRow]:
    return [row for row in action_rows(statuses) if flt.matches(row, today)]


def split_target(target: str) -> tuple[str, str]:
    """ "PLAN:REF" → (plan id, action ref)."""
    plan_id, sep, ref = target.partition(":")
    if not sep or not plan_id or not ref:
        raise EditError(
            f'"{target}" is not PLAN:REF; write it as plan-id:action-ref, '
            "e.g. telford-ofsted-2016:1.1.1"
        )
    return plan_id, ref


def update(
    portfolio: Portfolio, target: str, change: Change, today: date, by: str | None
) -> EditResult:
    """Change one action (PLAN:REF) in its file; the same call serves the CLI and the app."""
    plan_id, ref = split_target(target)
    loaded = portfolio.file_for(plan_id)
    if loaded is None:
        broken = [f for f in portfolio.failed if f.path.stem == plan_id]
        if broken:
            raise EditError(f'plan "{plan_id}" has errors; fix them first (run `improve check`)')
        known = ", ".join(p.id for p in portfolio.plans) or "none"
        raise EditError(f'no plan "{plan_id}" in {portfolio.root} (plans: {known})')
    if loaded.plan.find_action(ref) is None:
        raise EditError(
            f'plan "{plan_id}" has no action "{ref}"; `improve actions --plan '
            f"{plan_id}` lists its actions"
        )
    return update_action(
        loaded.path,
        ref,
        change,
        today,
        by,
        expected_fingerprint=loaded.fingerprint,
        plans_root=portfolio.root,
    )
