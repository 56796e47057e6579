"""Screens: the portfolio, one plan, one action. No rule or file-format knowledge here."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from .. import rules
from ..api import ActionFilter, ActionRow
from ..cli.render import RAG_STYLE, counts_text, pct

RAG_WORD = {None: "DROPPED", "red": "RED", "amber": "AMBER", "green": "GREEN", "grey": "GREY",
            "blue": "BLUE"}


def rag_cell(rag: str | None) -> Text:
    return Text(RAG_WORD[rag], style=RAG_STYLE[rag])


def bar(percent: float | None, width: int = 10) -> Text:
    if percent is None:
        return Text("–")
    filled = round(percent / 100 * width)
    return Text("█" * filled + "░" * (width - filled) + f" {percent:3.0f}%")


class PortfolioScreen(Screen):
    """Every plan at a glance."""

    BINDINGS = [
        Binding("enter", "open_plan", "Open plan", id="open"),
        Binding("w", "sort_worst", "Worst first", id="sort-worst"),
        Binding("s", "sort_title", "Sort by title", id="sort-title"),
        Binding("q", "app.quit", "Quit", id="quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.order = "file"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading plans…", id="summary")
        yield Static(id="errors")
        yield DataTable(id="plans", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#plans", DataTable)
        # RAG and progress first, so they stay on screen at 80 columns
        table.add_columns("RAG", "Done", "Plan", "Overdue", "Stale", "Next due", "Actions by RAG",
                          "Kind")
        self.refresh_data()

    def refresh_data(self) -> None:
        app = self.app
        if app.statuses is None:
            return
        statuses = list(app.statuses)
        if self.order == "worst":
            statuses.sort(key=lambda s: (rules.rag_rank(s.rollup.rag), -s.rollup.overdue,
                                         s.rollup.percent or 0))
        elif self.order == "title":
            statuses.sort(key=lambda s: s.plan.title.casefold())
        table = self.query_one("#plans", DataTable)
        table.clear()
        for ps in statuses:
            r = ps.rollup
            title = ps.plan.title if len(ps.plan.title) <= 40 else ps.plan.title[:39] + "…"
            table.add_row(rag_cell(r.rag), bar(r.percent), Text(title), str(r.overdue),
                          str(r.stale), ps.next_due.isoformat() if ps.next_due else "–",
                          counts_text(r.counts), ps.plan.kind, key=ps.plan.id)
        total = rules.portfolio_rollup(statuses)
        order = {"worst": " · worst first", "title": " · by title"}.get(self.order, "")
        self.query_one("#summary", Static).update(
            f"{len(statuses)} plans as at {app.today.isoformat()}: {pct(total.percent)} complete · "
            f"{total.summary()} · {total.overdue} overdue · {total.stale} stale{order}")
        errors = self.query_one("#errors", Static)
        failed = app.portfolio.failed if app.portfolio else []
        if failed:
            lines = Text(f"{len(failed)} plan file(s) could not be loaded:\n", style="bold")
            for f in failed:
                for p in f.errors:
                    lines.append(f"{p}\n")
            errors.update(lines)
        errors.set_class(bool(failed), "shown")

    def action_sort_worst(self) -> None:
        self.order = "worst"
        self.refresh_data()

    def action_sort_title(self) -> None:
        self.order = "title"
        self.refresh_data()

    def action_open_plan(self) -> None:
        table = self.query_one("#plans", DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            self.app.push_screen(PlanScreen(key))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.app.push_screen(PlanScreen(event.row_key.value))


class PlanScreen(Screen):
    """One plan: recommendations and their actions, with filters that combine."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="back"),
        Binding("u", "update", "Update", id="update"),
        Binding("slash", "search", "Search", id="search"),
        Binding("r", "toggle('red')", "Red", id="filter-red"),
        Binding("a", "toggle('amber')", "Amber", id="filter-amber"),
        Binding("o", "toggle('overdue')", "Overdue", id="filter-overdue"),
        Binding("t", "toggle('stale')", "Stale", id="filter-stale"),
        Binding("d", "toggle('due30')", "Due ≤30d", id="filter-due"),
        Binding("m", "toggle('mine')", "Mine", id="filter-mine"),
        Binding("c", "clear_filters", "Clear", id="filter-clear"),
        Binding("q", "app.quit", "Quit", id="quit"),
    ]

    def __init__(self, plan_id: str) -> None:
        super().__init__()
        self.plan_id = plan_id
        self.filters: set[str] = set()
        self.text = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="summary")
        yield Input(placeholder="Filter by ref, action, outcome or lead…", id="search")
        yield Static(id="filters")
        yield DataTable(id="actions", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#actions", DataTable)
        table.add_columns("Ref", "RAG", "%", "Due", "Action", "Lead(s)", "Impact")
        table.focus()
        self.refresh_data()

    def status(self) -> rules.PlanStatus | None:
        return next((s for s in self.app.statuses or [] if s.plan.id == self.plan_id), None)

    def action_filter(self) -> ActionFilter:
        rags = tuple(c for c in ("red", "amber") if c in self.filters)
        return ActionFilter(rags=rags, overdue="overdue" in self.filters,
                            stale="stale" in self.filters,
                            due_within=30 if "due30" in self.filters else None,
                            lead=self.app.user if "mine" in self.filters else None,
                            text=self.text or None)

    def refresh_data(self) -> None:
        ps = self.status()
        table = self.query_one("#actions", DataTable)
        cursor = table.cursor_row
        table.clear()
        if ps is None:
            self.query_one("#summary", Static).update(f"Plan {self.plan_id} is not loaded.")
            return
        r = ps.rollup
        head = Text(f"{ps.plan.title}\n", style="bold")
        head.append(f"{pct(r.percent)} complete · {r.summary()} · ")
        head.append_text(counts_text(r.counts))
        self.query_one("#summary", Static).update(head)
        flt = self.action_filter()
        label = ps.plan.label("recommendation")
        shown = total = 0
        for rs in ps.recommendations:
            rec = rs.recommendation
            rows = [st for st in rs.actions
                    if flt.matches(ActionRow(ps.plan, rec, st), self.app.today)]
            total += len(rs.actions)
            shown += len(rows)
            if not rows:
                continue
            title = rec.title or rec.text or ""
            table.add_row(Text(rec.ref, style="bold"), rag_cell(rs.rollup.rag),
                          pct(rs.rollup.percent), "", Text(f"{label}: {title}"[:48], style="bold"),
                          "", "", key=f"rec:{rec.ref}")
            for st in rows:
                a = st.action
                due = st.due.isoformat() if st.due else "–"
                if st.due != st.original_due:
                    due += " *"
                text = a.action if len(a.action) <= 48 else a.action[:47] + "…"
                table.add_row(a.ref, rag_cell(st.rag), str(st.percent), due, text,
                              "; ".join(a.leads or rec.leads)[:40], a.impact or "", key=a.ref)
        names = sorted(self.filters) + ([f'"{self.text}"'] if self.text else [])
        self.query_one("#filters", Static).update(
            f"{shown} of {total} actions match" + (f" · filters: {', '.join(names)} "
                                                   "(c clears)" if names else ""))
        if table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1))

    def action_toggle(self, name: str) -> None:
        self.filters ^= {name}
        if name == "mine" and not self.app.user:
            self.notify("Cannot tell who you are: set IMPROVE_USER", severity="warning")
        self.refresh_data()

    def action_clear_filters(self) -> None:
        self.filters.clear()
        self.text = ""
        self.query_one("#search", Input).value = ""
        self.refresh_data()

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.add_class("shown")
        search.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "search":
            self.text = event.value.strip()
            self.refresh_data()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "search":
            self.query_one("#actions", DataTable).focus()

    def action_back(self) -> None:
        search = self.query_one("#search", Input)
        if search.has_focus:
            self.query_one("#actions", DataTable).focus()
            return
        self.app.pop_screen()

    def selected_ref(self) -> str | None:
        table = self.query_one("#actions", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return None if key.startswith("rec:") else key

    def action_update(self) -> None:
        ref = self.selected_ref()
        if ref is None:
            self.notify("Choose an action (not a recommendation) to update", severity="warning")
            return
        self.app.open_update(self.plan_id, ref)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        if not key.startswith("rec:"):
            self.app.push_screen(ActionScreen(self.plan_id, key))


class ActionScreen(Screen):
    """Everything the file holds about one action, and what the rules make of it."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="back"),
                Binding("u", "update", "Update", id="update"),
                Binding("q", "app.quit", "Quit", id="quit")]

    def action_update(self) -> None:
        self.app.open_update(self.plan_id, self.ref)

    def __init__(self, plan_id: str, ref: str) -> None:
        super().__init__()
        self.plan_id, self.ref = plan_id, ref

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static(id="detail")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        ps = next((s for s in self.app.statuses or [] if s.plan.id == self.plan_id), None)
        st = next((a for a in ps.actions() if a.action.ref == self.ref), None) if ps else None
        detail = self.query_one("#detail", Static)
        if st is None:
            detail.update(f"Action {self.plan_id}:{self.ref} is not loaded.")
            return
        a = st.action
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column()
        rag = rag_cell(st.rag)
        rag.append(f" — {st.why}")
        rows = [("Ref", a.ref), ("Action", a.action), ("Outcome", a.outcome or "–"),
                ("Lead(s)", "; ".join(a.leads) or "–"), ("RAG", rag),
                ("Percent", f"{st.percent}%"), ("Status", st.status),
                ("Start", st.start.isoformat() if st.start else "–"),
                ("Original due", a.due.isoformat() if a.due else "–"),
                ("Due in force", st.due.isoformat() if st.due else "–"),
                ("Impact", f"{a.impact or '–'}" + (f": {a.impact_note}" if a.impact_note else ""))]
        for ext in a.extensions:
            rows.append(("Extension", f"to {ext.due}: {ext.reason}"
                         + (f" (agreed by {ext.agreed_by} on {ext.agreed_on})" if ext.agreed_by else "")))
        for ms in a.milestones:
            rows.append(("Milestone", f"{ms.label}: {ms.due or '–'}{' (done)' if ms.done else ''}"))
        for mst in st.measures:
            latest = f"latest {mst.latest.value:g} on {mst.latest.date}" if mst.latest else "no readings"
            target = f"target {mst.measure.target:g}{mst.measure.unit or ''}" \
                if mst.measure.target is not None else "no target"
            rows.append(("Measure", f"{mst.measure.text} — {target}, {latest}: {mst.status}"))
        for ev in a.evidence:
            rows.append(("Evidence", f"{ev.date}: {ev.text}" + (f" [{ev.link}]" if ev.link else "")))
        for up in sorted(a.updates, key=lambda u: u.date, reverse=True):
            rows.append(("Update", f"{up.date} {up.by or ''}: {up.note or '; '.join(up.changes)}"))
        for k, v in rows:
            grid.add_row(k, v if isinstance(v, Text) else Text(str(v)))
        detail.update(grid)
