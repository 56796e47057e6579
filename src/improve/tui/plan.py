"""One plan (or every plan): recommendations and actions in folding groups, with
quick filters that combine and a count of what matches."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Input, Static

from ..api import ActionFilter, PlanStatus, portfolio_rollup
from ..present.text import counts_text, pct
from .base import ImproveScreen
from .layout import PlanColumns, fit_plan
from .portfolio import composed, errors_text
from .rows import AUTO_COLLAPSE, MAX_ROWS, Row, Rows, build_rows, cell_widths, top_level
from .table import LineTable

FILTER_NAMES = {
    "red": "red",
    "amber": "amber",
    "overdue": "overdue",
    "stale": "stale",
    "due30": "due within 30 days",
    "mine": "my actions",
}

# the quick filters' keys: (key, filter, the key's word where keys are listed, binding id)
QUICK_FILTERS = (
    ("r", "red", "Red", "red"),
    ("a", "amber", "Amber", "amber"),
    ("o", "overdue", "Overdue", "overdue"),
    ("t", "stale", "Stale", "stale"),
    ("d", "due30", "Due ≤30d", "due"),
    ("m", "mine", "Mine", "mine"),
)

KEYS = (
    "r red",
    "a amber",
    "o overdue",
    "t stale",
    "d due ≤30 days",
    "m mine",
    "l a lead",
    "/ text",
    "c clear",
    "space folds",
)


def key_hint(width: int) -> str:
    """The quick filters' keys, as many as fit in `width` cells, each whole (the rest
    are in the help, `?`)."""
    shown: list[str] = []
    for i, key in enumerate(KEYS):
        more = "" if i == len(KEYS) - 1 else " · ? more"
        if len("keys: " + " · ".join([*shown, key]) + more) > width:
            return "keys: " + " · ".join([*shown, "? more"]) if shown else "? keys"
        shown.append(key)
    return "keys: " + " · ".join(shown)


class PlanScreen(ImproveScreen[None]):
    """`plan_id=None` shows every plan's actions, grouped by plan."""

    DRAWS_ON = ("#summary", "#errors", "#filters", "#actions")

    BINDINGS = [
        Binding("escape", "back", "Back", id="back"),
        Binding("u", "update", "Update", id="update", tooltip="Record progress on this action"),
        Binding(
            "i",
            "info",
            "Info",
            id="info",
            tooltip="The recommendation: its text, source, why it matters, what good looks like",
        ),
        Binding(
            "k",
            "measures",
            "Measures",
            id="measures",
            tooltip="Every measure of the plan: reading, target, RAG, trend, England, "
            "region, neighbours",
        ),
        Binding("slash", "search", "Search", id="search"),
        # q quits here too; the footer keeps its room at 80 columns for the measures (q is
        # on the first screen's footer and in the help)
        Binding("q", "app.quit", "Quit", id="quit-here", show=False),
        *(
            Binding(key, f"toggle_filter('{name}')", label, id=f"filter-{bid}", show=False)
            for key, name, label, bid in QUICK_FILTERS
        ),
        Binding("l", "pick_lead", "Lead…", id="filter-lead", show=False),
        Binding("c", "clear_filters", "Clear", id="filter-clear", show=False),
        Binding("space", "fold", "Fold", id="fold", show=False),
        Binding("minus", "fold_all(True)", "Fold all", id="fold-all", show=False),
        Binding("plus,equals_sign", "fold_all(False)", "Unfold all", id="unfold-all", show=False),
    ]

    def __init__(self, plan_id: str | None, filters: set[str] | None = None) -> None:
        super().__init__()
        self.plan_id = plan_id
        self.filters: set[str] = set(filters or ())
        self.text = ""
        self.lead: str | None = None
        self.folded: set[str] | None = None  # decided on first data: big scopes open folded
        self.rows: Rows | None = None
        self.limit = MAX_ROWS  # grows by MAX_ROWS each time "more" is chosen
        self.last_head: Text | None = None
        self.fit: PlanColumns | None = None  # the columns, as fitted to the width
        # (statuses, width) they were fitted for
        self.fitted_for: tuple[list[PlanStatus] | None, int] | None = None
        self.widths: tuple[int, int] = (60, 40)  # (action, lead) text widths

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="summary")
        yield Static(id="errors")
        yield Input(placeholder="Filter by ref, action, outcome or lead…", id="search")
        yield Static(id="filters")
        yield LineTable(id="actions")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#actions", LineTable)
        table.focus()
        if "mine" in self.filters and not self.app.user:
            self.filters.discard("mine")
            self.notify(
                "Cannot tell who you are, so there is no 'my actions': set IMPROVE_USER "
                "to your name or role as it appears in the plans",
                severity="warning",
            )
        self.refresh_data()

    def fit_columns(self, scope: list[PlanStatus]) -> bool:
        """Fit the table's columns to the screen's width and to the widest cells of
        `scope` (measured once per load and width); whether they changed."""
        seen = (self.app.statuses, self.size.width)
        if self.fitted_for is not None and all(
            a is b or a == b for a, b in zip(seen, self.fitted_for, strict=True)
        ):
            return False
        self.fitted_for = seen
        fit = fit_plan(self.size.width, **cell_widths(scope))
        if fit == self.fit:
            return False
        self.fit, self.widths = fit, fit.widths
        self.query_one("#actions", LineTable).set_columns(fit.columns())
        return True

    def on_resize(self) -> None:
        if self.rows is None:
            return
        if self.fit_columns(self.scope()):
            self.refresh_data()
        else:
            self.show_filters()  # the keys' hint fits the new width

    # -- data ------------------------------------------------------------------
    def scope(self) -> list[PlanStatus]:
        statuses = self.app.statuses or []
        if self.plan_id is None:
            return list(statuses)
        return [s for s in statuses if s.plan.id == self.plan_id]

    def action_filter(self) -> ActionFilter:
        rags = tuple(c for c in ("red", "amber") if c in self.filters)
        mine = "mine" in self.filters
        titles = self.app.my_leads if mine else ()
        lead = self.app.user if mine and not titles else None
        return ActionFilter(
            rags=rags,
            overdue="overdue" in self.filters,
            stale="stale" in self.filters,
            due_within=30 if "due30" in self.filters else None,
            lead=lead,
            text=self.text or None,
            exact_lead=self.lead,
            leads_any=titles,
        )

    def refresh_data(self, cursor: int | None = None) -> None:
        app = self.app
        if app.statuses is None or not composed(self, *self.DRAWS_ON):
            return
        scope = self.scope()
        self.fit_columns(scope)
        self.show_header(scope)
        flt = self.action_filter()
        if self.folded is None:
            probe = build_rows(
                scope,
                flt,
                app.today,
                set(),
                all_plans=self.plan_id is None,
                styles=app.rag_styles,
                max_rows=0,
            )
            self.folded = (
                top_level(probe.groups, self.plan_id is None)
                if probe.shown > AUTO_COLLAPSE
                else set()
            )
        self.rows = build_rows(
            scope,
            flt,
            app.today,
            self.folded,
            all_plans=self.plan_id is None,
            styles=app.rag_styles,
            widths=self.widths,
            max_rows=self.limit,
            haystacks=self.haystacks(app.statuses),
        )
        table = self.query_one("#actions", LineTable)
        keep = self.selected_key()
        keys = [row.key for row in self.rows.rows]
        if cursor is not None:
            at = min(cursor, len(keys) - 1)
        elif keep in keys and keep != "more":
            at = keys.index(keep)
        else:  # start on the first action, so `u` and `enter` act on it at once
            at = next((i for i, row in enumerate(self.rows.rows) if row.kind == "act"), 0)
        table.set_rows([(row.key, row.cells) for row in self.rows.rows], cursor=max(0, at))
        self.show_filters()

    def show_header(self, scope: list[PlanStatus]) -> None:
        summary = self.query_one("#summary", Static)
        errors = self.query_one("#errors", Static)
        if self.plan_id is not None and not scope:
            path = self.app.plan_paths.get(self.plan_id)
            portfolio = self.app.portfolio  # loaded with the statuses
            broken = [f for f in portfolio.failed if f.path == path] if path and portfolio else []
            summary.update(Text(f"Plan {self.plan_id} is not loaded.", style="bold"))
            self.last_head = None
            errors.update(errors_text(broken) if broken else "")
            errors.set_class(bool(broken), "shown")
            return
        errors.set_class(False, "shown")
        if self.plan_id is None:
            r = portfolio_rollup(scope)
            head = Text(f"All actions in {len(scope)} plans\n", style="bold")
        else:
            r = scope[0].rollup
            head = Text(f"{scope[0].plan.title}\n", style="bold")
        head.append(f"{pct(r.percent)} complete · {r.summary()} · ")
        head.append_text(counts_text(r.counts, self.app.rag_styles))
        head.append(f" · {r.overdue} overdue")
        if head != self.last_head:  # an unchanged header is not re-laid out on every key
            self.last_head = head
            summary.update(head)

    def show_filters(self) -> None:
        rows = self.rows
        assert rows is not None  # refresh_data built them
        names = [FILTER_NAMES[f] for f in sorted(self.filters)]
        if self.lead:
            names.append(f"lead {self.lead}")
        if self.text:
            names.append(f'"{self.text}"')
        line = Text(f"{rows.shown} of {rows.total} actions match", style="bold")
        hint = Text(key_hint(self.size.width - 2), style="dim")
        if names:
            line.append(f" · filters: {', '.join(names)} (c clears)")
        if rows.truncated:
            line.append(
                f" · {rows.truncated} more rows not shown: fold groups (-) or filter",
                style="italic",
            )
        elif self.folded:
            line.append(" · some groups folded (space folds one, + unfolds all)", style="italic")
        # fixed height (see app.tcss): no layout pass on every key. The quick filters are
        # listed here rather than in the footer: each footer key is a widget, and styling them
        # was a third of the time it took to open this screen.
        self.query_one("#filters", Static).update(Text("\n").join([line, hint]), layout=False)

    def haystacks(self, statuses: object) -> dict[int, str]:
        """Search text per action, kept while the loaded statuses are the same objects."""
        if getattr(self, "_hay_for", None) is not statuses:
            self._hay_for = statuses
            self._hay: dict[int, str] = {}  # id(action status) → its search text
        return self._hay

    def selected_key(self) -> str | None:
        return self.query_one("#actions", LineTable).selected_key()

    def selected_row(self) -> Row | None:
        key = self.selected_key()
        return next((r for r in self.rows.rows if r.key == key), None) if self.rows else None

    # -- filters ------------------------------------------------------------------
    def action_toggle_filter(self, name: str) -> None:
        if name == "mine" and not self.app.user and "mine" not in self.filters:
            self.notify(
                "Cannot tell who you are, so there is no 'my actions': set IMPROVE_USER "
                "to your name or role as it appears in the plans",
                severity="warning",
            )
            return
        self.filters ^= {name}
        self.refresh_data()

    def action_clear_filters(self) -> None:
        self.filters.clear()
        self.text = ""
        self.lead = None
        self.query_one("#search", Input).value = ""
        self.refresh_data()

    def action_pick_lead(self) -> None:
        from .modals import LeadPicker
        from .rows import leads_in

        def chosen(lead: str | None) -> None:
            if lead is not None:
                self.lead = lead or None
                self.refresh_data()

        self.app.open(LeadPicker(leads_in(self.scope()), self.lead), chosen)

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
            self.query_one("#actions", LineTable).focus()

    # -- folding ------------------------------------------------------------------
    def action_fold(self) -> None:
        row = self.selected_row()
        if row is not None and row.kind in ("plan", "theme", "rec"):
            assert self.folded is not None  # decided when the rows were first built
            self.folded ^= {row.key}
            self.refresh_data()

    def action_fold_all(self, fold: bool) -> None:
        if self.rows is None:
            return  # not loaded yet
        self.folded = top_level(self.rows.groups, self.plan_id is None) if fold else set()
        self.refresh_data()

    # -- moving on ------------------------------------------------------------------
    def action_back(self) -> None:
        search = self.query_one("#search", Input)
        if search.has_focus:
            self.query_one("#actions", LineTable).focus()
            return
        self.app.pop_screen()

    def action_update(self) -> None:
        row = self.selected_row()
        if row is None or row.kind != "act":
            self.notify("Choose an action (not a group) to update", severity="warning")
            return
        assert row.ref is not None  # an action's row has its ref
        self.app.open_update(row.plan_id, row.ref)

    def action_info(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        if row.kind == "act":
            assert row.ref is not None  # an action's row has its ref
            found = self.app.find_action(row.plan_id, row.ref)
            rec = found[1].recommendation if found else None
        elif row.kind == "rec":
            assert row.ref is not None  # a recommendation's row has its ref
            rec = self.app.find_recommendation(row.plan_id, row.ref)
        else:
            self.notify("Choose a recommendation or one of its actions", severity="warning")
            return
        if rec is not None:
            from .modals import RecommendationInfo

            plan = next(s.plan for s in self.scope() if s.plan.id == row.plan_id)
            self.app.open(RecommendationInfo(plan, rec))

    def action_measures(self) -> None:
        self.app.show_measures()

    def show_more(self) -> None:
        """The next MAX_ROWS rows, with the cursor on the first of them."""
        at = self.query_one("#actions", LineTable).cursor_row
        self.limit += MAX_ROWS
        self.refresh_data(cursor=at)

    def on_line_table_row_highlighted(self, event: LineTable.RowHighlighted) -> None:
        if event.key == "more":
            self.call_after_refresh(self.show_more)  # scrolling on loads the next rows

    def on_line_table_row_selected(self, event: LineTable.RowSelected) -> None:
        if self.rows is None:
            return
        row = next((r for r in self.rows.rows if r.key == event.key), None)
        if row is None:
            return
        if row.kind == "act":
            assert row.ref is not None  # an action's row names it
            self.app.show_action(row.plan_id, row.ref)
        elif row.kind == "more":
            self.show_more()
        else:
            assert self.folded is not None  # decided when the rows were first built
            self.folded ^= {row.key}
            self.refresh_data()
