"""The `actions` table from a day's memo (improve.status.memo): the records a run earlier
today kept, laid out as `present.tables.actions_table` lays out the rules' results, cell
for cell, so a warm `improve actions --overdue` loads neither the plans' model nor the
rules. tests/test_dayview.py holds the two tables equal, byte for byte, at narrow and wide
widths, with colour and without."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from rich.console import Group, RenderableType

    from ..api import Extension, Fact, PlanDay


def asked_words(asked: tuple[int, int, str]) -> str:
    """The wording of a pending request (present.text.pending_words) from what a memo
    keeps of it (Fact.asked)."""
    from ..present.text import pending_words

    due, on, by = asked
    ext = SimpleNamespace(
        due=date.fromordinal(due),
        requested_on=date.fromordinal(on) if on else None,
        requested_by=by or None,
    )
    return pending_words(cast("Extension", ext))  # reads only these three


def actions_table_of(
    items: list[tuple[PlanDay, Fact]], total: int, today: date, width: int = 80
) -> Group:
    """One table per plan, under a line that says how many actions match: what
    present.tables.actions_table makes of the same actions' ActionRows."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from ..present.tables import long_date
    from ..present.text import clip, rag_text

    parts: list[RenderableType] = [
        Text(f"{len(items)} of {total} actions, as at {long_date(today)}", style="bold")
    ]
    limit = max(60, (width - 40) * 2)
    by_plan: dict[str, list[tuple[PlanDay, Fact]]] = {}
    for item in items:
        by_plan.setdefault(item[0].plan_id, []).append(item)
    extended = False
    for plan_items in by_plan.values():
        plan = plan_items[0][0]
        table = Table(
            title=Text(f"{plan.plan_id} — {plan.title}"),
            title_justify="left",
            title_style="bold",
            box=box.SIMPLE_HEAD,
            leading=1,
            expand=True,
        )
        table.add_column("Ref", no_wrap=True)
        table.add_column("Action", ratio=2)
        table.add_column("Lead", ratio=1)
        table.add_column("Due", no_wrap=True)
        table.add_column("%", justify="right", no_wrap=True)
        table.add_column("RAG", no_wrap=True)
        for _, f in plan_items:
            action = Text(clip(f.text, limit))
            action.append(f"\n{f.why}", style="italic")
            if f.asked is not None:
                action.append(f"\n{asked_words(f.asked)}", style="bold")
            due = "–" if not f.due else date.fromordinal(f.due).isoformat()
            if f.due != f.original_due:
                due += "*"
                extended = True
            rag = rag_text(f.rag)
            if f.stale:
                rag.append("\nstale")
            table.add_row(
                Text(f.ref), action, Text(clip("; ".join(f.leads), 80)), due, f"{f.percent}", rag
            )
        parts += [Text(""), table]
    if extended:
        parts.append(Text("* extended: the due date in force differs from the original"))
    return Group(*parts)
