"""The committees' work programme: per body (a scrutiny committee, a board), each plan
reported to it or naming it in `reported_to`, with the meeting it was last reported to,
when it is next due by the plan's `review` cadence, and what needs following up: the
"date of last report" and "follow-up" columns of a scrutiny work programme.

Bodies are matched as people write them: "Health and wellbeing  board" is "Health &
Wellbeing Board" (case, spaces and "&" for "and" aside), named as the plans spell it, else
as first reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from ..plans import model as m
from ..plans.dates import next_report_due

OVERDUE = "overdue"
NOT_YET = "not reported yet"
NO_CADENCE = "no review cadence"  # the plan has no `review`: nothing says when it is due


def body_key(name: str) -> str:
    return " ".join(name.replace("&", " and ").split()).casefold()


@dataclass(frozen=True)
class Item:
    """One plan on a body's programme."""

    plan_id: str
    title: str
    last_reported: date | None
    next_due: date | None
    follow_up: str | None  # OVERDUE, NOT_YET, NO_CADENCE or None

    @property
    def overdue(self) -> bool:
        return self.follow_up == OVERDUE

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.plan_id,
            "title": self.title,
            "last_reported": self.last_reported.isoformat() if self.last_reported else None,
            "next_due": self.next_due.isoformat() if self.next_due else None,
            "overdue": self.overdue,
            "follow_up": self.follow_up,
        }


@dataclass
class Body:
    name: str
    items: list[Item] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {"body": self.name, "plans": [i.to_json() for i in self.items]}


def work_programme(
    plans: Iterable[m.Plan], reports: Iterable[tuple[str, str, date]], today: date
) -> list[Body]:
    """Per body (by name), its plans: those with a next due date first, soonest first,
    then those never reported to it, then those with no `review` cadence. `reports`: (plan
    id, body, meeting) of every report recorded; a plan no longer in the folder is left
    out."""
    plans = list(plans)
    names: dict[str, str] = {}
    wanted: dict[str, set[str]] = {}
    for plan in plans:
        for name in plan.reported_to:
            if isinstance(name, str) and name.strip():
                key = body_key(name)
                names.setdefault(key, " ".join(name.split()))
                wanted.setdefault(key, set()).add(plan.id)
    last: dict[tuple[str, str], date] = {}
    for plan_id, name, meeting in reports:
        key = body_key(name)
        names.setdefault(key, " ".join(name.split()))
        wanted.setdefault(key, set()).add(plan_id)
        if meeting > last.get((key, plan_id), date.min):
            last[(key, plan_id)] = meeting
    by_id = {plan.id: plan for plan in plans}
    out = []
    for key in sorted(names, key=lambda k: (k, names[k])):
        items = []
        for plan_id in wanted[key]:
            found = by_id.get(plan_id)
            if found is None:
                continue
            on = last.get((key, plan_id))
            due = next_report_due(found.review, on) if on else None
            if on is None:
                follow: str | None = NOT_YET
            elif due is None:
                follow = NO_CADENCE
            else:
                follow = OVERDUE if due < today else None
            items.append(Item(plan_id, found.title, on, due, follow))
        items.sort(
            key=lambda i: (i.next_due is None, i.next_due or date.max,
                           i.last_reported is not None, i.title.casefold(), i.plan_id)
        )  # fmt: skip
        if items:
            out.append(Body(names[key], items))
    return out


def find_body(bodies: list[Body], name: str) -> Body | None:
    key = body_key(name)
    return next((b for b in bodies if body_key(b.name) == key), None)
