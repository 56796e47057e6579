"""The first due date the history recorded, in the report (issue 22).

A plan's `due` is its original due date, and improve never changes it. When the history
holds an earlier one for an action, the date was rewritten by hand: the report shows the
first recorded date as the original, and lists the action among the dates that slipped.
"""

from __future__ import annotations

from ..history.originals import REWRITTEN, DueRewrite, earlier_original
from ..history.records import HAND
from .build import Item, PlanReport, Section
from .words import long_date

# The exceptions that come after "Dates that have slipped", in the order build.py puts them.
_AFTER_SLIPPED = ("pending", "stale", "override")


def first_dues(pr: PlanReport, firsts: dict[str, DueRewrite]) -> None:
    """Where the history holds an earlier due date than the file: that date as the
    original in the table, and the rewrite among the slipped dates (once per action)."""
    if not firsts:
        return
    statuses = {st.action.ref: st for st in pr.status.actions()}
    slipped = next((s for s in pr.exceptions if s.key == "slipped"), None)
    for group in pr.groups:
        for row in group.rows:
            known = earlier_original(firsts, row.ref, row.original_due)
            st = statuses.get(row.ref)
            if known is None or st is None:
                continue
            was, row.original_due = row.original_due, known.first
            if not st.open:
                continue
            when = f" on {long_date(known.on)}" if known.on else ""
            who = f" by {known.who}" if known.who and known.who != HAND else ""
            told = f"{REWRITTEN}{when}{who}"
            item = next((i for i in slipped.items if i.ref == row.ref), None) if slipped else None
            if item is not None:  # extensions agreed as well: one line says both
                item.detail = (
                    item.detail.replace(
                        f"originally due {pr.day(was)},",
                        f"originally due {pr.day(known.first)},",
                        1,
                    )
                    + f"; {told}, from {pr.day(known.first)} to {pr.day(was)}"
                )
                continue
            item = Item(
                row.ref,
                st.action.action,
                f"originally due {pr.day(known.first)}, now {pr.day(row.due)} "
                f"({told}; no extension agreed)",
                st.rag,
                row.progress,
            )
            if slipped is None:
                slipped = Section("slipped", "Dates that have slipped", [])
                at = next(
                    (k for k, s in enumerate(pr.exceptions) if s.key in _AFTER_SLIPPED),
                    len(pr.exceptions),
                )
                pr.exceptions.insert(at, slipped)
            slipped.items.append(item)
