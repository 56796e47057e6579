"""Turn checked plan data (from tomllib) into the model."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import model as m

if TYPE_CHECKING:
    from .positions import KeyPath


def _measure(d: dict[str, Any], where: KeyPath) -> m.Measure:
    return m.Measure(
        id=d["id"],
        text=d["text"],
        target=d.get("target"),
        unit=d.get("unit"),
        direction=d.get("direction", "up"),
        baseline=d.get("baseline"),
        readings=[m.Reading(r["date"], r["value"], r.get("note")) for r in d.get("readings", [])],
        extra=d.get("extra", {}),
        where=where,
        variance=_variance(d.get("variance")),
        comparators=[
            m.Comparator(
                c["date"],
                c.get("england"),
                c.get("region"),
                c.get("neighbours"),
                c.get("neighbours_by"),
                c.get("source"),
                c.get("extra", {}),
                where + ("comparators", c.get("__i", i)),
            )
            for i, c in enumerate(d.get("comparators", []))
        ],
    )


def _variance(d: dict[str, Any] | None) -> m.Variance | None:
    # a variance with a bad or missing key was left out by the checks (as {}): no variance
    if not d or "amber" not in d or "red" not in d:
        return None
    return m.Variance(d["amber"], d["red"])


def build_action(d: dict[str, Any], where: KeyPath) -> m.Action:
    """One action of checked plan data, as the model has it."""
    return m.Action(
        ref=d["ref"],
        action=d["action"],
        outcome=d.get("outcome"),
        leads=d.get("leads", []),
        start=d.get("start"),
        due=d.get("due"),
        percent=d.get("percent"),
        status=d.get("status"),
        impact=d.get("impact"),
        impact_note=d.get("impact_note"),
        weight=d.get("weight", 1),
        rag=d.get("rag"),
        rag_reason=d.get("rag_reason"),
        rag_until=d.get("rag_until"),
        extensions=[
            m.Extension(
                e["due"],
                e["reason"],
                e.get("agreed_on"),
                e.get("agreed_by"),
                e.get("state"),
                e.get("requested_on"),
                e.get("requested_by"),
                e.get("refused_on"),
                e.get("refused_by"),
                e.get("refused_reason"),
            )
            for e in d.get("extension", [])
        ],
        milestones=[
            m.Milestone(x["label"], x.get("due"), x.get("done", False), x.get("done_on"))
            for x in d.get("milestone", [])
        ],
        measures=[
            _measure(x, where + ("measure", x.get("__i", i)))
            for i, x in enumerate(d.get("measure", []))
        ],
        evidence=[
            m.Evidence(
                e["date"],
                e["text"],
                e.get("link"),
                e.get("measure"),
                where + ("evidence", e.get("__i", i)),
            )
            for i, e in enumerate(d.get("evidence", []))
        ],
        updates=[
            m.Update(
                u["date"],
                u.get("by"),
                u.get("percent"),
                u.get("status"),
                u.get("note"),
                u.get("changes", []),
            )
            for u in d.get("update", [])
        ],
        extra=d.get("extra", {}),
        where=where,
    )


def build_plan(data: dict[str, Any], file: Path) -> m.Plan:
    p = data["plan"]
    rag = p.get("rag", {})
    recs = []
    for i, r in enumerate(data.get("recommendation", [])):
        where = ("recommendation", r.get("__i", i))
        recs.append(
            m.Recommendation(
                ref=r["ref"],
                title=r.get("title"),
                text=r.get("text"),
                theme=r.get("theme"),
                source=r.get("source"),
                leads=r.get("leads", []),
                why=r.get("why"),
                good_looks_like=r.get("good_looks_like", []),
                actions=[
                    build_action(a, where + ("action", a.get("__i", j)))
                    for j, a in enumerate(r.get("action", []))
                ],
                measures=[
                    _measure(x, where + ("measure", x.get("__i", j)))
                    for j, x in enumerate(r.get("measure", []))
                ],
                extra=r.get("extra", {}),
                where=where,
            )
        )
    return m.Plan(
        id=p.get("id") or file.stem,
        title=p["title"],
        file=file,
        kind=p.get("kind", "other"),
        format=p.get("format", 1),
        organisation=p.get("organisation"),
        owner=p.get("owner"),
        version=p.get("version"),
        published=p.get("published"),
        start=p.get("start"),
        end=p.get("end"),
        review=p.get("review"),
        month_dates=p.get("dates") == "month",
        reported_to=p.get("reported_to", []),
        summary=p.get("summary"),
        judgements=p.get("judgements", []),
        labels=p.get("labels", {}),
        margin=rag.get("margin", m.DEFAULT_MARGIN),
        stale_days=rag.get("stale_days", m.DEFAULT_STALE_DAYS),
        themes=[
            m.Theme(t["id"], t["title"], t.get("summary"), t.get("extra", {}))
            for t in data.get("theme", [])
        ],
        recommendations=recs,
        measures=[
            _measure(x, ("measure", x.get("__i", i))) for i, x in enumerate(data.get("measure", []))
        ],
        extra=p.get("extra", {}),
        id_from_file="id" not in p,
    )
