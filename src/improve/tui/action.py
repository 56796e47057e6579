"""One action: everything its file holds and what the rules make of it."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Footer, Header, Static, TabbedContent, TabPane

from ..api import HistoryError, measure_view, pending_extension
from ..present.briefing import history_table
from ..present.text import RagStyles, pending_words, rag_text
from .base import ImproveScreen
from .measures import measure_text
from .portfolio import composed

if TYPE_CHECKING:
    from ..api import ActionStatus, Event, Extension, Plan, Recommendation


def _d(value: date | None) -> str:
    return value.isoformat() if value else "–"


def action_detail(plan: Plan, rec: Recommendation, st: ActionStatus, styles: RagStyles) -> Table:
    """The detail grid: a label column and a value column, plan text never read as markup."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    rows = [*_what(plan, rec, st, styles), *_when(plan, st), *_record(st, styles)]
    for k, v in rows:  # labels too come from the plan (labels, extra keys): never markup
        grid.add_row(Text(k), v if isinstance(v, Text) else Text(str(v)))
    return grid


Rows = list[tuple[str, object]]


def _what(plan: Plan, rec: Recommendation, st: ActionStatus, styles: RagStyles) -> Rows:
    """What the action is, who leads it, its colour and why, and what is asked of it."""
    a = st.action
    label = plan.label("recommendation")
    leads = "; ".join(a.leads) or (
        "; ".join(rec.leads) + f" (the {label.lower()}'s)" if rec.leads else "–"
    )
    rag = Text()
    rag.append_text(rag_text(st.rag, styles))
    rag.append(f"  {st.why}")  # the why in plain text: the word carries the colour
    rows: Rows = [
        ("Plan", plan.title),
        (label, f"{rec.ref} {rec.title or rec.text or ''}".strip()),
        ("Ref", a.ref),
        ("Action", a.action),
        ("Outcome", a.outcome or "–"),
        ("Lead(s)", leads),
        ("RAG", rag),
    ]
    asked = pending_extension(a)
    if asked is not None:
        decision = Text(pending_words(asked), style="bold")
        decision.append(f": {asked.reason}\n")
        decision.append("The date in force has not moved; u opens the form to agree or refuse it.")
        rows.append(("Decision needed", decision))
    if a.rag:
        state = "expired — ignored" if st.override_expired else "in force"
        until = f" until {a.rag_until}" if a.rag_until else " (no end date)"
        reason = a.rag_reason or "no reason given"
        rows.append(("Override", f"{a.rag.upper()}{until}, {state}: {reason}"))
    rows.append(
        ("Percent", f"{st.percent}%" + ("" if a.percent is not None else " (none recorded)"))
    )
    rows.append(("Status", st.status))
    return rows


def _when(plan: Plan, st: ActionStatus) -> Rows:
    """Its dates: expected progress, start, due (original, in force, next), extensions
    and milestones."""
    a = st.action
    rows: Rows = []
    if st.expected is not None and st.open:
        rows.append(
            ("Expected by now", f"{st.expected:.0f}% (with a margin of {plan.margin:g} points)")
        )
    rows += [("Start", _d(st.start)), ("Original due", _d(a.due))]
    if st.due != a.due:
        rows.append(("Due in force", f"{_d(st.due)} (extended)"))
    if st.next_due and st.next_due != st.due:
        label = f" — {st.next_due_label}" if st.next_due_label else ""
        rows.append(("Next due", f"{_d(st.next_due)}{label}"))
    rows += [("Extension", _extension(ext)) for ext in a.extensions]
    for n, ms in enumerate(a.milestones, 1):
        done = "✓ done" + (f" {ms.done_on}" if ms.done_on else "") if ms.done else "○ not done"
        rows.append((f"Milestone {n}", f"{done}  due {_d(ms.due)}  {ms.label}"))
    return rows


def _extension(ext: Extension) -> str:
    agreed = ""
    if ext.agreed_by or ext.agreed_on:
        agreed = (
            f" (agreed{' by ' + ext.agreed_by if ext.agreed_by else ''}"
            f"{' on ' + ext.agreed_on.isoformat() if ext.agreed_on else ''})"
        )
    if ext.pending:
        agreed = " (requested, awaiting a decision: the date has not moved)"
    elif ext.state == "refused":
        agreed = f" (refused{': ' + ext.refused_reason if ext.refused_reason else ''})"
    return f"to {ext.due}: {ext.reason}{agreed}"


def _record(st: ActionStatus, styles: RagStyles) -> Rows:
    """What it made of a difference and what is recorded: impact, weight, last activity,
    measures, evidence and updates (newest first), and its own extra keys."""
    a = st.action
    rows: Rows = [("Impact", (a.impact or "–") + (f": {a.impact_note}" if a.impact_note else ""))]
    if a.weight != 1:
        rows.append(("Weight", f"{a.weight:g}"))
    stale = "  STALE: no update for too long" if st.stale else ""
    rows.append(("Last activity", _d(st.last_activity) + stale))
    rows += [("Measure", measure_text(measure_view(m.measure), styles)) for m in st.measures]
    for ev in sorted(a.evidence, key=lambda e: e.date, reverse=True):
        text = f"{ev.date}: {ev.text}"
        if ev.measure:
            text += f" (measure {ev.measure})"
        if ev.link:
            text += f"\n  link: {ev.link}"
        rows.append(("Evidence", text))
    for up in sorted(a.updates, key=lambda u: u.date, reverse=True):
        said = "; ".join(up.changes)
        if up.note:
            said = f"{said} — {up.note}" if said else up.note
        rows.append(("Update", f"{up.date} {up.by or ''}: {said}".replace("  ", " ")))
    rows += [(key, str(value)) for key, value in a.extra.items()]
    return rows


class HistoryLoaded(Message):
    def __init__(self, events: list[Event] | None, error: str | None) -> None:
        super().__init__()
        self.events, self.error = events, error


class ActionScreen(ImproveScreen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="back"),
        # the tab opens on the detail, and its name is on screen: the footer keeps its room
        # at 80 columns for the keys that are not
        Binding("d", "show_tab('tab-detail')", "Detail", id="tab-detail", show=False),
        Binding(
            "h",
            "show_tab('tab-history')",
            "History",
            id="tab-history",
            tooltip="Every recorded change to this action, oldest first",
        ),
        Binding("u", "update", "Update", id="update"),
        Binding("i", "info", "Info", id="info"),
    ]

    def __init__(self, plan_id: str, ref: str) -> None:
        super().__init__()
        self.plan_id, self.ref = plan_id, ref

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="tabs"):
            with TabPane("Detail", id="tab-detail"):
                with VerticalScroll(id="detail-scroll"):
                    yield Static(id="detail")
            with TabPane("History", id="tab-history"):
                with VerticalScroll(id="history-scroll"):
                    yield Static(Text("Reading the history…"), id="history")
        yield Footer()

    # The detail itself has the focus, so ↓ and PageDown scroll it straight away (the
    # tabs, focused first by default, took those keys).
    AUTO_FOCUS = "#detail-scroll"

    def on_mount(self) -> None:
        self.refresh_data()

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        scroll = "#history-scroll" if event.pane.id == "tab-history" else "#detail-scroll"
        found = self.query(scroll)
        if found:
            found.first().focus()

    @work(thread=True, exclusive=True, group="action-history")
    def load_history(self) -> None:
        store = self.app.history
        if store is None:
            self.post_message(HistoryLoaded(None, "The history is not available."))
            return
        try:
            self.post_message(HistoryLoaded(store.history(self.plan_id, self.ref), None))
        except HistoryError as exc:
            self.post_message(HistoryLoaded(None, str(exc)))

    def on_history_loaded(self, message: HistoryLoaded) -> None:
        view = self.query_one("#history", Static)
        if message.error:
            view.update(Text(message.error))
        elif not message.events:
            view.update(Text("No history recorded for this action yet."))
        else:
            view.update(
                history_table(f"{self.plan_id}:{self.ref}", message.events, self.app.rag_styles)
            )

    def refresh_data(self) -> None:
        if not composed(self, "#detail"):
            return
        found = self.app.find_action(self.plan_id, self.ref)
        detail = self.query_one("#detail", Static)
        if found is None:
            detail.update(
                Text(
                    f"Action {self.plan_id}:{self.ref} is not loaded (its plan file "
                    "may have errors: see the first screen)."
                )
            )
            return
        ps, rs, st = found
        detail.update(action_detail(ps.plan, rs.recommendation, st, self.app.rag_styles))
        self.load_history()

    def action_update(self) -> None:
        self.app.open_update(self.plan_id, self.ref)

    def action_info(self) -> None:
        found = self.app.find_action(self.plan_id, self.ref)
        if found:
            from .modals import RecommendationInfo

            self.app.open(RecommendationInfo(found[0].plan, found[1].recommendation))
