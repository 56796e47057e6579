"""Putting a report together: the plans asked for, their status, and what the history
knows of them (what changed since the review, the trend, when each was last reported)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Protocol

from ..errors import EditError, HistoryError, ImproveError
from ..history import HistoryStore
from ..history.originals import recorded_first_dues
from ..plans.dates import parse_day
from ..plans.loader import Portfolio
from ..status import rules
from .build import Report, Since, TrendPoint, build_plan_report
from .originals import first_dues
from .words import long_date

if TYPE_CHECKING:
    from ..history.changes import Changes
    from ..history.records import PlanSummary


class _OfPlan(Protocol):
    @property
    def plan_id(self) -> str: ...


def _since_lines(ch: Changes, plan_id: str) -> list[str]:
    def n(items: Iterable[_OfPlan]) -> int:
        return sum(1 for i in items if i.plan_id == plan_id)

    def said(count: int, what: str) -> str | None:
        if not count:
            return None
        return f"{count} action{'s' if count != 1 else ''} {what}"

    lines = [
        said(n(ch.moved_up), "moved up (better)"),
        said(n(ch.moved_down), "moved down (worse)"),
        said(n(ch.newly_complete), "newly complete"),
        said(n(ch.newly_overdue), "newly overdue"),
        said(
            sum(1 for i in ch.slipped if i.plan_id == plan_id and not i.by_hand),
            "had a due date extended",
        ),
        said(
            sum(1 for i in ch.slipped if i.plan_id == plan_id and i.by_hand),
            "had the original due date rewritten by hand",
        ),
        said(n(ch.new_evidence), "gained new evidence"),
        said(n(ch.new_readings), "had a new measure reading"),
    ]
    return [line for line in lines if line]


def make_report(
    portfolio: Portfolio,
    today: date,
    *,
    plan_ids: list[str] | None = None,
    store: HistoryStore | None = None,
    since: str = "last",
    produced_by: str | None = None,
    statuses: Iterable[rules.PlanStatus] | None = None,
) -> Report:
    """The report on the plans named (all when none are), as at `today`. Plans whose
    files have errors are listed as not reported; an unknown plan id is an EditError.
    `statuses`: the plans' statuses as at `today`, when the caller has worked them out
    (the command line and the app have): taken as they are, not worked out again."""
    known = {p.id: p for p in portfolio.plans}
    given = {ps.plan.id: ps for ps in statuses or ()}
    wanted = plan_ids or list(known)
    missing = [pid for pid in wanted if pid not in known]
    broken = {f.path.stem: f for f in portfolio.failed}
    not_reported = []
    for f in portfolio.failed:
        if not plan_ids or f.path.stem in plan_ids:
            first = f.errors[0] if f.errors else None
            not_reported.append(str(first) if first else str(f.path))
    unknown = [pid for pid in missing if pid not in broken]
    if unknown:
        raise EditError(
            f'no plan "{unknown[0]}" in {portfolio.root} (plans: {", ".join(known) or "none"})',
            code="unknown-plan",
            plan_id=unknown[0],
        )
    period_start: date | None = None
    label: str | None = None
    changes = None
    trend: dict[str, list[PlanSummary]] = {}
    reported: dict[str, tuple[str, date]] = {}
    if since not in ("last", "") and not since.isdigit():
        try:
            period_start = parse_day(since)
        except ImproveError:
            raise EditError(
                f'"{since}" is not "last", a review id or a date as YYYY-MM-DD or DD/MM/YYYY',
                code="bad-value",
                field="since",
            ) from None
        label = f"since {long_date(period_start)}"
    if store is not None:
        try:
            changes = store.changes(since, today=today)
        except HistoryError as exc:
            # no review yet, or none before the date asked for: the period still stands
            quiet = exc.code == "no-review" or (
                exc.code == "unknown-review" and period_start is not None
            )
            if not quiet:
                raise
        trend = store.trend()
        reported = store.last_reported()
        if changes is not None and period_start is None:
            period_start = changes.review.held_on + timedelta(days=1)
            label = f"since the review of {long_date(changes.review.held_on)}"
    plans = []
    for plan_id in wanted:
        if plan_id not in known:
            continue
        ps = given.get(plan_id) or rules.plan_status(known[plan_id], today)
        since_info = None
        if changes is not None:
            then = next((t for pid, t, _ in changes.plans if pid == plan_id), None)
            since_info = Since(
                changes.review.held_on,
                changes.review.note,
                then.percent if then else None,
                _since_lines(changes, plan_id),
            )
        points = [TrendPoint(p.on_date, p.percent) for p in trend.get(plan_id, [])]
        plans.append(
            build_plan_report(
                ps,
                today,
                period_start=period_start,
                period_label=label,
                since=since_info,
                trend=points,
                last_reported=reported.get(plan_id),
            )
        )
        if store is not None:
            first_dues(plans[-1], recorded_first_dues(store, plan_id))
    return Report(today, produced_by, plans, not_reported)
