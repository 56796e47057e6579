"""Checks across a whole plan: references, duplicates, and what loads but looks wrong."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from . import model as m
from .schema import Report, did_you_mean

if TYPE_CHECKING:
    from .positions import KeyPath

_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://|^mailto:")


def check_plan(plan: m.Plan, report: Report, plans_root: Path | None) -> None:
    _check_header(plan, report)
    _check_themes(plan, report)
    _check_refs(plan, report)
    measure_ids = _check_measures(plan, report)
    for rec, action in plan.actions():
        _check_action(plan, rec, action, measure_ids, report, plans_root)
    _check_undated(plan, report)


def _check_undated(plan: m.Plan, report: Report) -> None:
    """One warning per plan for open actions with no due date (a transcribed plan may
    have many; one line each would bury every other message)."""
    undated = [
        a
        for _, a in plan.actions()
        if a.due is None
        and a.status not in ("complete", "dropped")
        and a.percent != 100
        and not report.errors_at(a.where + ("due",))
    ]
    if not undated:
        return
    refs = ", ".join(a.ref for a in undated[:5])
    more = f" and {len(undated) - 5} more" if len(undated) > 5 else ""
    if len(undated) == 1:
        msg = f"action {refs} has no due date, so it can never be overdue; add due = YYYY-MM-DD"
    else:
        msg = (
            f"{len(undated)} actions have no due date ({refs}{more}), so they can never be "
            "overdue; add due = YYYY-MM-DD to each"
        )
    report.warning(undated[0].where + ("ref",), msg)


def _check_header(plan: m.Plan, report: Report) -> None:
    if plan.format > 1:
        report.error(
            ("plan", "format"),
            f"this file is written for plan format {plan.format}, "
            f"but this version of improve reads format 1; upgrade improve",
            at="value",
        )
    if not m.is_plan_id(plan.id):
        if plan.id_from_file:
            report.error(
                ("plan",),
                f'plan id "{plan.id}" is not allowed: {m.PLAN_ID_RULE}; the id comes from '
                'the file name, so add id = "…" to [plan] '
                '(e.g. id = "' + _slug(plan.id) + '") or rename the file',
            )
        else:
            report.error(
                ("plan", "id"),
                f'plan id "{plan.id}" is not allowed: {m.PLAN_ID_RULE} (it is typed as PLAN:REF)',
                at="value",
            )
    if plan.start and plan.end and plan.start > plan.end:
        report.warning(
            ("plan", "end"),
            f"the plan ends ({plan.end}) before it starts ({plan.start})",
            at="value",
        )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "my-plan"


def _check_themes(plan: m.Plan, report: Report) -> None:
    seen: set[str] = set()
    for i, theme in enumerate(plan.themes):
        if theme.id in seen:
            report.error(
                ("theme", i, "id"),
                f'theme id "{theme.id}" is used twice; give each theme its own id',
                at="value",
            )
        seen.add(theme.id)
    if report.dropped("theme"):
        return  # a theme was left out for its own error; references to it can't be judged
    for rec in plan.recommendations:
        if rec.theme is None:
            if seen:
                report.warning(
                    rec.where,
                    f"recommendation {rec.ref} has no theme; add theme = "
                    f'"{plan.themes[0].id}" (or another theme id)',
                )
            continue
        if rec.theme not in seen:
            if seen:
                msg = (
                    f'theme "{rec.theme}" is not a theme of this plan{did_you_mean(rec.theme, seen)}'
                    f" (themes: {', '.join(sorted(seen))})"
                )
            else:
                msg = f'theme "{rec.theme}" is named but the plan has no [[theme]] tables; add one'
            report.error(rec.where + ("theme",), msg, at="value")


def _check_refs(plan: m.Plan, report: Report) -> None:
    seen: dict[str, str] = {}
    for rec in plan.recommendations:
        items = [(rec.ref, rec.where, "recommendation")] + [
            (a.ref, a.where, "action") for a in rec.actions
        ]
        for ref, where, what in items:
            if not ref.strip() or ":" in ref:
                report.error(
                    where + ("ref",),
                    f'ref "{ref}" must be non-empty and contain no ":"',
                    at="value",
                )
            if ref in seen:
                report.error(
                    where + ("ref",),
                    f'ref "{ref}" is already used by {seen[ref]}; refs must be unique in the plan',
                    at="value",
                )
            else:
                seen[ref] = f"an {what}" if what == "action" else f"a {what}"


def _check_measures(plan: m.Plan, report: Report) -> set[str]:
    by_id: dict[str, list[m.Measure]] = {}
    for measure in plan.all_measures():
        by_id.setdefault(measure.id, []).append(measure)
        _check_measure(measure, report)
    for measure_id, uses in by_id.items():
        if len(uses) > 1:
            # which one is "first" depends on where they sit in the file: let the loader decide
            report.duplicate(
                [u.where + ("id",) for u in uses],
                f'measure id "{measure_id}" is already used; '
                "measure ids must be unique in the plan",
            )
    return set(by_id)


def _check_measure(measure: m.Measure, report: Report) -> None:
    v = measure.variance
    if v is not None and v.amber > v.red:
        report.error(
            measure.where + ("variance", "red"),
            f'variance "red" ({v.red:g}) is less than "amber" ({v.amber:g}); the shortfall '
            "that turns a measure red must be at least the one that turns it amber, "
            f"e.g. variance = {{ amber = {v.red:g}, red = {v.amber:g} }}",
            at="value",
        )
    seen: set[date] = set()
    for c in measure.comparators:
        if c.date in seen:
            report.error(
                c.where + ("date",),
                f"measure {measure.id} has two comparators dated {c.date.isoformat()}; "
                "keep one entry for each date (put England, region and neighbours in it)",
                at="value",
            )
        seen.add(c.date)


def _check_action(
    plan: m.Plan,
    rec: m.Recommendation,
    action: m.Action,
    measure_ids: set[str],
    report: Report,
    plans_root: Path | None,
) -> None:
    w = action.where
    if action.rag and not action.rag_reason:
        report.error(
            w + ("rag",),
            f'action {action.ref} overrides its RAG to "{action.rag}" without '
            'a reason; add rag_reason = "…" (say why the computed colour is wrong)',
        )
    if action.rag_until and not action.rag:
        report.warning(w + ("rag_until",), f"action {action.ref} has rag_until but no rag override")
    if action.status == "complete" and action.percent is not None and action.percent < 100:
        report.warning(
            w + ("percent",),
            f'action {action.ref} is "complete" but percent is '
            f"{action.percent}; set percent = 100 or change the status",
            at="value",
        )
    if action.status == "not-started" and action.percent:
        report.warning(
            w + ("percent",),
            f'action {action.ref} is "not-started" but percent is {action.percent}',
            at="value",
        )
    start = action.start or plan.start
    if start and action.due and start > action.due:
        report.warning(
            w + (("start",) if action.start else ("due",)),
            f"action {action.ref} starts ({start}) after it is due ({action.due})",
            at="value",
        )
    if (
        not action.leads
        and not rec.leads
        and not report.errors_at(w + ("leads",))
        and not report.errors_at(rec.where + ("leads",))
    ):
        report.warning(w + ("ref",), f'action {action.ref} has no leads; add leads = ["…"]')
    previous = action.due
    for i, ext in enumerate(action.extensions):
        if not ext.agreed:
            continue  # a request or a refusal does not move the date
        if previous and ext.due <= previous:
            report.warning(
                w + ("extension", i, "due"),
                f"extension {i + 1} of action {action.ref} "
                f"does not move the due date later ({previous} → {ext.due})",
                at="value",
            )
        previous = ext.due
    for i, ev in enumerate(action.evidence):
        if (
            ev.measure is not None
            and ev.measure not in measure_ids
            and not report.dropped("measure")
        ):
            report.error(
                w + ("evidence", i, "measure"),
                f'evidence names measure "{ev.measure}", '
                f"which is not in this plan{did_you_mean(ev.measure, measure_ids)}",
                at="value",
            )
        if ev.link:
            _check_link(plan, ev.link, w + ("evidence", i, "link"), report, plans_root)


def _check_link(
    plan: m.Plan, link: str, path: KeyPath, report: Report, plans_root: Path | None
) -> None:
    if link.lower().startswith("file:"):
        report.warning(
            path,
            f'evidence link "{link}" is a file: URL, which points outside the '
            "plans folder; write a path relative to the plan file instead",
            at="value",
        )
        return
    if _URL.match(link):
        return
    base = plan.file.parent
    try:
        target = (base / link).resolve()
        root = (plans_root or base).resolve()
        exists = target.exists()
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        report.warning(
            path,
            f"evidence link is not a usable file path ({reason}); "
            "write a short path relative to the plan file, or a URL",
            at="value",
        )
        return
    if not target.is_relative_to(root):
        report.warning(
            path,
            f'evidence link "{link}" points outside the plans folder; '
            "keep evidence inside it or use a URL",
            at="value",
        )
    elif not exists:
        report.warning(
            path,
            f'evidence link "{link}" names a file that does not exist '
            f"(looked for {target.relative_to(root)} in {root.name}/)",
            at="value",
        )
