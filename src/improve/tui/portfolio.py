"""The first screen: every plan at a glance, and the plans that failed to load."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.dom import DOMNode
from textual.widgets import Footer, Header, Static

from ..api import LoadedFile, portfolio_rollup, rag_rank
from ..present.text import clip, counts_short, counts_text, pct
from .base import ImproveScreen
from .layout import fit_portfolio
from .table import LineTable
from .widgets import bar


def composed(screen: DOMNode, *selectors: str) -> bool:
    """Whether `screen` holds every widget it draws on. Not before it composes (its on_mount
    draws whatever is loaded by then), nor while the app closes: the screen stays on the stack
    as its widgets are removed, and a reload can land in between."""
    return all(screen.query_one_optional(selector) is not None for selector in selectors)


def reported_text(seen: tuple[str, date, date | None] | None) -> Text:
    """ "to BODY on DATE; next due DATE", or "–" for a plan never reported."""
    if seen is None:
        return Text("–")
    body, on, due = seen
    return Text(f"{on.isoformat()} to {body}" + (f"; next due {due.isoformat()}" if due else ""))


def errors_text(failed: Sequence[LoadedFile]) -> Text:
    """The errors panel: every problem of every file that failed, as FILE:LINE:COL."""
    text = Text(
        f"{len(failed)} plan file(s) could not be loaded — fix these and the app "
        "picks the file up again:\n",
        style="bold",
    )
    for loaded in failed:
        for problem in loaded.errors:
            text.append(f"{problem}\n")
    return text


class PortfolioScreen(ImproveScreen[None]):
    """Every plan: RAG, percent, overdue, stale, next due, counts by colour, kind."""

    BINDINGS = [
        Binding("enter", "open_plan", "Open", id="open", show=False),
        Binding(
            "w",
            "sort('worst')",
            "Worst first",
            id="sort-worst",
            tooltip="Red plans first, then by most overdue",
        ),
        # in the help and the palette: the footer has room for all the others at 80 columns
        Binding("s", "sort('title')", "By title", id="sort-title", show=False),
        Binding("f", "sort('file')", "By file", id="sort-file", show=False),
        Binding(
            "a",
            "app.all_actions",
            "All actions",
            id="all-actions",
            tooltip="Every action of every plan, with the same filters",
        ),
        Binding(
            "m",
            "app.all_actions('mine')",
            "Mine",
            id="my-actions",
            tooltip="My actions: the actions you lead, in every plan",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.order = "file"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading plans…", id="summary")
        yield Static(id="errors")
        yield LineTable(id="plans")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#plans", LineTable).focus()
        self.refresh_data()

    def refresh_data(self) -> None:
        app = self.app
        if app.statuses is None or not composed(self, "#plans", "#summary", "#errors"):
            return
        styles = app.rag_styles
        statuses = list(app.statuses)
        if self.order == "worst":
            statuses.sort(
                key=lambda s: (
                    rag_rank(s.rollup.rag),
                    -s.rollup.overdue,
                    s.rollup.percent or 0,
                )
            )
        elif self.order == "title":
            statuses.sort(key=lambda s: s.plan.title.casefold())
        table = self.query_one("#plans", LineTable)
        keep = self.selected_plan()
        # every cell that holds numbers is measured, so the columns fit the screen's
        # width without cutting one (layout.fit_portfolio)
        counts = [
            (counts_text(ps.rollup.counts, styles), counts_short(ps.rollup.counts, styles))
            for ps in statuses
        ]
        reported = [reported_text(app.reported.get(ps.plan.id)) for ps in statuses]
        fit = fit_portfolio(
            self.size.width,
            long_counts=max((c[0].cell_len for c in counts), default=0),
            short_counts=max((c[1].cell_len for c in counts), default=0),
            reported=max((r.cell_len for r in reported), default=0),
            kind=max((len(ps.plan.kind) for ps in statuses), default=0),
        )
        table.set_columns(fit.columns())
        rows = []
        for ps, (long, short), seen in zip(statuses, counts, reported, strict=True):
            r = ps.rollup
            rag = Text((r.rag or "none").upper(), style=styles[r.rag])
            cells = [
                rag,
                bar(r.percent) if fit.bar else Text(pct(r.percent).rjust(4)),
                Text(clip(ps.plan.title, fit.title)),
                str(r.overdue),
                ps.next_due.isoformat() if ps.next_due else "–",
                str(r.stale),
                long if fit.long_counts else short,
            ]
            if fit.kind:
                cells.append(ps.plan.kind)
            if fit.reported:
                cells.append(seen)
            rows.append((ps.plan.id, tuple(cells)))
        ids = [key for key, _ in rows]
        table.set_rows(rows, cursor=ids.index(keep) if keep in ids else 0)
        total = portfolio_rollup(statuses)
        order = {"worst": " · worst first", "title": " · by title"}.get(self.order, "")
        summary = Text(
            f"{len(statuses)} plans as at {app.today.isoformat()}: "
            f"{pct(total.percent)} complete · {total.summary()} · "
        )
        summary.append_text(counts_text(total.counts, styles))
        summary.append(f" · {total.overdue} overdue · {total.stale} stale{order}")
        self.query_one("#summary", Static).update(summary)
        errors = self.query_one("#errors", Static)
        failed = app.portfolio.failed if app.portfolio else []
        if failed:
            errors.update(errors_text(failed))
        errors.set_class(bool(failed), "shown")

    def on_resize(self) -> None:
        if self.app.statuses is not None:
            self.refresh_data()

    def selected_plan(self) -> str | None:
        return self.query_one("#plans", LineTable).selected_key()

    def action_sort(self, order: str) -> None:
        self.order = order
        self.refresh_data()
        self.query_one("#plans", LineTable).move_cursor(row=0)  # the worst plan, ready for enter

    def action_open_plan(self) -> None:
        plan_id = self.selected_plan()
        if plan_id is not None:
            self.app.show_plan(plan_id)

    def on_line_table_row_selected(self, event: LineTable.RowSelected) -> None:
        self.app.show_plan(event.key)
