"""Status as plain data, for `--json` (the shape is in docs/json.md; keys may be added, never
removed)."""

from __future__ import annotations

import os
from datetime import date
from typing import Any

from ..plans.loader import Portfolio, display_name
from ..plans.model import Action
from . import rules
from .measures import measure_view
from .memo import PlanParts


def _d(value: date | None) -> str | None:
    return value.isoformat() if value else None


def measure_json(ms: rules.MeasureStatus) -> dict[str, Any]:
    v = measure_view(ms.measure)
    c = v.comparators
    return {
        "id": v.id,
        "text": v.text,
        "status": ms.status,
        "target": v.target,
        "unit": v.unit,
        "direction": v.direction,
        "latest": (
            {"date": _d(v.latest.date), "value": v.latest.value, "shown": v.show(v.latest.value)}
            if v.latest
            else None
        ),
        "trend": v.trend,
        "rag": v.rag,
        "against": v.against,
        "comparators": (
            {
                "date": _d(c.date),
                "england": c.england,
                "region": c.region,
                "neighbours": c.neighbours,
                "neighbours_by": c.neighbours_by,
                "source": c.source,
            }
            if c
            else None
        ),
    }


def action_json(st: rules.ActionStatus, rec_leads: list[str] | None = None) -> dict[str, Any]:
    a = st.action
    # (made 20,000 times for a large `status --json`: no work where a field is empty)
    return {
        "ref": a.ref,
        "action": a.action,
        "outcome": a.outcome,
        "rag": st.rag,
        "rule": st.rule,
        "why": st.why,
        "percent": st.percent,
        "status": st.status,
        "overdue": st.overdue,
        "due": _d(st.due),
        "original_due": _d(st.original_due),
        "next_due": _d(st.next_due),
        "start": _d(st.start),
        "extensions": len(rules.agreed_extensions(a)) if a.extensions else 0,
        "leads": a.leads or list(rec_leads or []),
        "override": st.override,
        "override_expired": st.override_expired,
        "stale": st.stale,
        "last_activity": _d(st.last_activity),
        "impact": a.impact,
        "milestones": [
            {"label": x.label, "due": _d(x.due), "done": x.done, "done_on": _d(x.done_on)}
            for x in a.milestones
        ]
        if a.milestones
        else [],
        "pending": _pending_json(a) if a.extensions else None,
        "measures": [measure_json(x) for x in st.measures] if st.measures else [],
    }


def _pending_json(a: Action) -> dict[str, Any] | None:
    p = rules.pending_extension(a)
    if p is None:
        return None
    return {
        "due": _d(p.due),
        "reason": p.reason,
        "requested_on": _d(p.requested_on),
        "requested_by": p.requested_by,
    }


def rollup_json(r: rules.Rollup) -> dict[str, Any]:
    return {
        "percent": r.percent,
        "rag": r.rag,
        "counts": dict(r.counts),
        "actions": r.total,
        "complete": r.complete,
        "dropped": r.dropped,
        "overdue": r.overdue,
        "stale": r.stale,
    }


def plan_json(ps: rules.PlanStatus) -> dict[str, Any]:
    p = ps.plan
    out: dict[str, Any] = {
        "id": p.id,
        "title": p.title,
        "kind": p.kind,
        "file": display_name(p.file),
    }
    out.update(rollup_json(ps.rollup))
    out["next_due"] = _d(ps.next_due)
    recommendations: list[dict[str, Any]] = []
    out["recommendations"] = recommendations
    for rs in ps.recommendations:
        rec: dict[str, Any] = {"ref": rs.recommendation.ref, "title": rs.recommendation.title}
        rec.update(rollup_json(rs.rollup))
        rec["actions"] = [action_json(a, rs.recommendation.leads) for a in rs.actions]
        rec["measures"] = [measure_json(x) for x in rs.measures]
        recommendations.append(rec)
    out["measures"] = [measure_json(x) for x in ps.measures]
    return out


def status_json(
    portfolio: Portfolio, statuses: list[rules.PlanStatus], today: date, *, lazy: bool = False
) -> dict[str, Any]:
    """`lazy`: "plans" is an iterator, each plan's JSON made as it is reached."""
    plans = map(plan_json, statuses)
    return {
        "today": today.isoformat(),
        "plans": plans if lazy else list(plans),
        "errors": [
            {"file": p.file, "line": p.line, "col": p.col, "message": p.message}
            for f in portfolio.failed
            for p in f.errors
        ],
    }


HEAD_KEYS = ("id", "title", "kind")  # then "file", then the rest (see plan_json)
# stands in for each action while a plan's JSON is encoded, then cut out: a text no
# plan holds (made afresh for each run; and the count is checked)
_MARK = f"\x00improve-action-{os.urandom(8).hex()}\x00"


def plan_json_parts(ps: rules.PlanStatus) -> PlanParts:
    """A plan's JSON as pieces (PlanParts), around its "file" (named from wherever the
    command is run) and before its "last_reported" (from the history): what a day's memo
    keeps (improve.status.memo), so that `status --json` and `actions --json` can be answered
    from it. `assemble_plan` puts them together, byte for byte the text of `json.dumps`
    of the whole; each action's piece is `json.dumps(action_json(...))`."""
    import json

    whole = plan_json(ps)
    head = json.dumps({k: whole[k] for k in HEAD_KEYS}, ensure_ascii=False)[:-1]
    texts: list[str] = []
    for rec in whole["recommendations"]:
        texts.extend(json.dumps(a, ensure_ascii=False) for a in rec["actions"])
        rec["actions"] = [_MARK] * len(rec["actions"])
    rest = {k: v for k, v in whole.items() if k not in HEAD_KEYS and k != "file"}
    glue = json.dumps(rest, ensure_ascii=False)[1:-1].split(json.dumps(_MARK))
    if len(glue) != len(texts) + 1:  # cannot happen; said plainly if it ever does
        raise ValueError(f"plan {whole['id']}: its actions' JSON could not be told apart")
    pieces: list[str] = [glue[0]]
    for text, after in zip(texts, glue[1:], strict=True):
        pieces += (text, after)
    return head, tuple(pieces)


def assemble_plan(parts: PlanParts, file: str, last_reported: Any) -> str:
    import json

    head, pieces = parts
    return (
        f"{head}, {json.dumps('file')}: {json.dumps(file, ensure_ascii=False)}, "
        f"{''.join(pieces)}, "
        f"{json.dumps('last_reported')}: {json.dumps(last_reported, ensure_ascii=False)}}}"
    )
