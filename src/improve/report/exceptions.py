"""The exceptions of a plan's report: red, amber, overdue, slipped, awaiting a decision,
stale and set by hand, each with the action's whole text, why it is there (dates as the
paper writes them) and the action's latest progress note, quoted."""

from __future__ import annotations

from datetime import date

from ..plans import model as m
from ..status import rules
from .build import Item, ProgressNote, Section, rag_label
from .words import dates_in_words, join, long_date, paper_date


def exceptions(
    ps: rules.PlanStatus, notes: dict[int, ProgressNote | None], month_dates: bool
) -> list[Section]:
    """Each exception says the action's whole text, why it is there, and its latest
    progress note (`notes`, by the action's id), with dates as the paper writes them."""
    red: list[Item] = []
    amber: list[Item] = []
    overdue: list[Item] = []
    slipped: list[Item] = []
    pending: list[Item] = []
    stale: list[Item] = []
    override: list[Item] = []

    def day(d: date | None) -> str:
        return paper_date(d, month_dates)

    for rs in ps.recommendations:
        for st in rs.actions:
            a = st.action
            note = notes.get(id(a))

            def item(
                detail: str,
                a: m.Action = a,
                st: rules.ActionStatus = st,
                note: ProgressNote | None = note,
            ) -> Item:
                return Item(a.ref, a.action, detail, st.rag, note)

            if st.rag == "red":
                red.append(item(dates_in_words(st.why, month_dates)))
            elif st.rag == "amber":
                amber.append(item(dates_in_words(st.why, month_dates)))
            if st.overdue and st.rag != "red":
                overdue.append(item(f"next due {day(st.next_due)}"))
            agreed = rules.agreed_extensions(a)
            pending_ext = rules.pending_extension(a)
            if pending_ext is not None and st.open:
                who = f" by {pending_ext.requested_by}" if pending_ext.requested_by else ""
                when = (
                    f" on {long_date(pending_ext.requested_on)}" if pending_ext.requested_on else ""
                )
                asked = f"asked{who}{when} to move {day(st.due)} to {day(pending_ext.due)}"
                pending.append(item(join(asked, pending_ext.reason)))
            if agreed and st.open:
                times = len(agreed)
                reasons = "; ".join(e.reason for e in agreed)
                slipped.append(
                    item(
                        f"originally due {day(st.original_due)}, now {day(st.due)} "
                        f"({times} extension{'s' if times != 1 else ''}: {reasons})"
                    )
                )
            if st.stale:
                last = long_date(st.last_activity) if st.last_activity else "none recorded"
                stale.append(item(f"last activity: {last}"))
            if st.override or st.override_expired:
                until = f" until {long_date(a.rag_until)}" if a.rag_until else ""
                state = "lapsed" if st.override_expired else "in force"
                by_hand = f"set to {rag_label(a.rag)} by hand{until} ({state})"
                override.append(item(join(by_hand, a.rag_reason or "")))
    sections = [
        Section("red", "Red: overdue", red),
        Section("amber", "Amber: behind schedule", amber),
        Section("overdue", "Overdue milestones and dates (not already red)", overdue),
        Section("slipped", "Dates that have slipped", slipped),
        Section("pending", "Extension requests awaiting a decision", pending),
        Section("stale", "Stale: no activity recorded for too long", stale),
        Section("override", "Colours set by hand", override),
    ]
    return [s for s in sections if s.items]
