"""Measures in the app: each one's latest reading against its target and comparators, with
its trend, worked out by `improve.status.measures` and laid out here.

`measure_text` is one measure as a few lines of words (the action's detail, the
recommendation's info, the measures view at any width); `MeasuresScreen` (key `k` on a
plan's actions) lists every measure of the plan, or of every plan: the plan's own, each
recommendation's and each action's, labelled by where it sits. On a wide screen it is a
table, one row a measure, so measures can be read across; narrower, each measure is a block
of lines that wrap, so nothing is cut at 80 columns.

Every RAG is its word, every trend its word (an arrow beside it, never alone), and a figure
that is missing or suppressed shows as "–", never 0. Plan text goes into `Text` only.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.segment import Segment
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from ..api import Comparator, MeasureView, Plan, measure_view
from ..present.text import RagStyles, rag_text
from .base import ImproveScreen
from .portfolio import composed
from .widgets import sparkline

ARROWS = {"improving": " ▲", "worsening": " ▼", "no change": ""}
NONE = "–"  # a figure that is missing or suppressed: never 0
MAX_SHOWN = 300  # measures drawn at once (every plan's, at 20,000 actions, is too many)
WIDE = 120  # from this many columns the measures view is a table, when it fits whole


def _better(view: MeasureView) -> str:
    return "lower is better" if view.direction == "down" else "higher is better"


def _shown(view: MeasureView, value: float | None) -> str:
    return view.show(value) if value is not None else NONE


def trend_words(view: MeasureView) -> str:
    """ "improving ▲", "worsening ▼", "no change", or "" without an earlier reading."""
    return f"{view.trend}{ARROWS[view.trend]}" if view.trend else ""


def neighbours_words(view: MeasureView, c: Comparator) -> str:
    """ "355.5 per 10,000 (median)", or "–" when missing or suppressed."""
    if c.neighbours is None:
        return NONE
    return view.show(c.neighbours) + (f" ({c.neighbours_by})" if c.neighbours_by else "")


def against_words(view: MeasureView) -> str:
    """How the latest reading stands against the comparators of its own date, or why it is
    not compared; "" when there is nothing to say."""
    if view.latest is None or view.comparators is None:
        return ""
    if view.against:
        when = view.latest.date
        return (
            view.against
            if view.comparators.date == when
            else f"by the {when} figures: {view.against}"
        )
    if view.matching is None:
        return (
            f"not compared: the comparators are for {view.comparators.date}, "
            f"the latest reading for {view.latest.date}"
        )
    return ""


def reading_text(view: MeasureView, styles: RagStyles) -> Text:
    """ "latest 325.1 per 10,000 on 2021-03-31: AMBER (not met)", or "no readings yet"."""
    if view.latest is None:
        return Text("no readings yet")
    text = Text(f"latest {view.show(view.latest.value)} on {view.latest.date}")
    met = {"met": "met", "not-met": "not met"}.get(view.status)
    if view.rag:  # a RAG needs a target, so met or not is said too
        text.append(": ")
        text.append_text(rag_text(view.rag, styles))
        text.append(f" ({met})")
    elif met:
        text.append(": ")
        text.append(met.upper(), style="bold")
    return text


def measure_text(view: MeasureView, styles: RagStyles) -> Text:
    """One measure as lines of words: its name (bold), its target and latest reading with
    the RAG word; its trend; the latest comparators and how the reading stands against
    them."""
    # the direction beside a target only: a measure without one may never have said it
    target = (
        f"target {view.show(view.target)} ({_better(view)})"
        if view.target is not None
        else "no target"
    )
    text = Text()
    text.append(view.text, style="bold")
    text.append(f" — {target}; ")
    text.append_text(reading_text(view, styles))
    if view.measure.baseline is not None:
        text.append(f" (baseline {view.show(view.measure.baseline)})")
    if view.latest is not None:
        if view.previous is not None:
            text.append("\ntrend: ")
            text.append(trend_words(view), style="bold")
            text.append(
                f" since {view.previous.date} "
                f"({view.show(view.previous.value)} → {view.show(view.latest.value)})"
            )
            values = [r.value for r in sorted(view.measure.readings, key=lambda r: r.date)]
            spark = sparkline(values)
            if spark:
                text.append(f"  {spark} {len(values)} readings")
        else:
            text.append("\ntrend: none yet (one reading)")
    c = view.comparators
    if c is not None:
        text.append(f"\ncomparators {c.date}: ")
        text.append(
            f"England {_shown(view, c.england)} · region {_shown(view, c.region)} · "
            f"neighbours {neighbours_words(view, c)}"
        )
        said = against_words(view)
        if said:
            text.append("\nagainst them: ")
            text.append(said, style="bold")
        if c.source:
            text.append(f"\nsource: {c.source}")
    return text


# -- every measure of a plan ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Placed:
    """A measure and where it sits: `where` is "Plan", "Recommendation 1.2", "Action 1.2.3"
    (the plan's own words for its levels); `title` is that level's title (for the plan's
    own measures, the partnership a KPI names, or "")."""

    plan: Plan
    where: str
    title: str
    view: MeasureView


def placed_measures(plan: Plan) -> Iterator[Placed]:
    """Every measure of the plan, its own first, then each recommendation's and its
    actions', in file order."""
    for measure in plan.measures:
        # a partnership's KPIs name it (extra = { partnership = "…" }, as the shipped
        # Worcestershire plan has them): their heading says whose they are
        whose = measure.extra.get("partnership")
        yield Placed(plan, "Plan", whose if isinstance(whose, str) else "", measure_view(measure))
    for rec in plan.recommendations:
        label = f"{plan.label('recommendation')} {rec.ref}"
        for measure in rec.measures:
            yield Placed(plan, label, rec.title or rec.text or "", measure_view(measure))
        for action in rec.actions:
            label = f"{plan.label('action')} {action.ref}"
            for measure in action.measures:
                yield Placed(plan, label, action.action, measure_view(measure))


def standing(view: MeasureView) -> str:
    """Where a measure stands, in a word or three: its RAG, else "met" or "not met", else
    "without a target" or "no reading yet"."""
    if view.latest is None:
        return "no reading yet"
    if view.rag:
        return view.rag
    return {"met": "met", "not-met": "not met"}.get(view.status, "without a target")


def summary_text(plans: list[Plan], placed: list[Placed], styles: RagStyles) -> Text:
    """ "6 measures: 1 red · 2 amber · 1 met · 2 no reading yet · 2 improving · 1 worsening"."""
    head = Text(plans[0].title if len(plans) == 1 else f"Measures of {len(plans)} plans")
    head.stylize("bold")
    n = len(placed)
    head.append(f"\n{n} measure{'' if n == 1 else 's'}")
    if not n:
        return head
    head.append(": ")
    # each measure counted once: by its RAG, else met or not, else why neither
    kinds = [standing(p.view) for p in placed]
    parts: list[Text] = []
    for kind in ("red", "amber", "green", "met", "not met", "without a target", "no reading yet"):
        count = kinds.count(kind)
        if count:
            parts.append(Text(f"{count} {kind}", style=styles.get(kind, "")))
    for word in ("improving", "worsening"):
        count = sum(1 for p in placed if p.view.trend == word)
        if count:
            parts.append(Text(f"{count} {word}"))
    head.append_text(Text(" · ").join(parts))
    return head


def measures_blocks(placed: list[Placed], many: bool, styles: RagStyles) -> RenderableType:
    """Each measure as a block of lines under a heading for where it sits (and its plan's
    title when there are `many` plans): wraps at any width, so nothing is lost at 80
    columns."""
    parts: list[RenderableType] = []
    plan, last = None, None
    for p in placed:
        if many and p.plan is not plan:
            parts.append(Text(""))
            parts.append(Text(p.plan.title, style="bold underline"))
        if p.plan is not plan or (p.where, p.title) != last:
            plan, last = p.plan, (p.where, p.title)
            heading = Text("The plan's own measures" if p.where == "Plan" else p.where)
            heading.stylize("bold")
            if p.title:
                heading.append(f": {p.title}")
            parts.append(Text(""))
            parts.append(heading)
        # a bullet, and the measure's lines beside it (wrapped lines under its name)
        item = Table.grid(padding=(0, 1), pad_edge=False)
        item.add_column(no_wrap=True, width=1)
        item.add_column()
        item.add_row(Text("•"), measure_text(p.view, styles))
        parts.append(Padding(item, (0, 0, 0, 1)))
    return Group(*parts)


def measures_table(placed: list[Placed], styles: RagStyles) -> Table:
    """One row a measure (of one plan), to read across: where, reading, target, RAG,
    trend, England, region, neighbours and how the reading stands against them."""
    table = Table(expand=True, show_lines=True, header_style="bold")
    # every column is as wide as its widest cell, and those that wrap shrink alike when
    # the screen is narrower; "Recommendation" is never cut
    words = [w for p in placed for w in p.where.split()]
    table.add_column("Where", min_width=min(24, max(map(len, words), default=5)))
    table.add_column("Measure")
    table.add_column("Latest")
    table.add_column("Target")
    table.add_column("RAG", no_wrap=True)
    table.add_column("Trend", no_wrap=True)
    table.add_column("Comparator date", min_width=10)
    table.add_column("England")
    table.add_column("Region")
    table.add_column("Neighbours")
    table.add_column("Against them")
    for p in placed:
        v = p.view
        where = Text(p.where)
        if p.where == "Plan" and p.title:  # the partnership a KPI names
            where.append(f"\n{p.title}")
        latest = (
            Text(f"{v.show(v.latest.value)}\non {v.latest.date}")
            if v.latest
            else Text("no readings yet")
        )
        target = Text(f"{v.show(v.target)}\n{_better(v)}" if v.target is not None else "no target")
        if v.rag:
            rag = rag_text(v.rag, styles)
        else:
            rag = Text({"met": "met", "not-met": "not met"}.get(v.status, NONE))
        trend = Text(trend_words(v) or NONE)
        c = v.comparators
        cells: list[Text] = [where, Text(v.text), latest, target, rag, trend]
        if c is None:
            cells += [Text(NONE)] * 5
        else:
            cells += [
                Text(str(c.date)),
                Text(_shown(v, c.england)),
                Text(_shown(v, c.region)),
                Text(neighbours_words(v, c)),
                Text(against_words(v) or NONE),
            ]
        table.add_row(*cells)
    return table


def draw(renderable: RenderableType, console: Console, width: int) -> list[list[Segment]]:
    """`renderable` drawn in lines of `width` cells (a line too long is cropped)."""
    return console.render_lines(renderable, console.options.update_width(width), pad=False)


def as_text(lines: list[list[Segment]]) -> Text:
    """Lines already drawn, as one Text that is not wrapped again."""
    text = Text(no_wrap=True, overflow="crop")
    for n, line in enumerate(lines):
        if n:
            text.append("\n")
        for segment in line:
            if not segment.control:
                text.append(segment.text, segment.style)
    return text


class MeasuresScreen(ImproveScreen[None]):
    """Every measure of one plan (or of every plan, `plan_id=None`)."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="back"),
        # its own action: the footer shows one key an action, and escape's is pop_screen
        Binding("k", "close", "Actions", id="measures-close", tooltip="Back to the actions"),
    ]
    AUTO_FOCUS = "#measures-scroll"  # ↓ and PageDown scroll the measures at once

    def __init__(self, plan_id: str | None) -> None:
        super().__init__()
        self.plan_id = plan_id
        self.drawn_wide: bool | None = None  # None until first drawn
        self.drawn_width = 0  # the width it was last drawn for
        self.placed: list[Placed] = []
        self.placed_for: object = None  # the loaded statuses `placed` was worked out from

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="measures-summary")
        with VerticalScroll(id="measures-scroll"):
            yield Static(id="measures")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_data()

    def action_close(self) -> None:
        self.app.pop_screen()

    def on_resize(self) -> None:
        # drawn for one width: drawn again for another
        if self.drawn_wide is not None and self.size.width != self.drawn_width:
            self.refresh_data()

    def plans(self) -> list[Plan]:
        return [
            s.plan
            for s in self.app.statuses or []
            if self.plan_id is None or s.plan.id == self.plan_id
        ]

    def refresh_data(self) -> None:
        if self.app.statuses is None or not composed(self, "#measures", "#measures-summary"):
            return
        plans = self.plans()
        styles = self.app.rag_styles
        summary = self.query_one("#measures-summary", Static)
        body = self.query_one("#measures", Static)
        if not plans:
            summary.update(Text(f"Plan {self.plan_id} is not loaded.", style="bold"))
            body.update("")
            return
        if self.placed_for is not self.app.statuses:  # worked out once a load
            self.placed_for = self.app.statuses
            self.placed = [p for plan in plans for p in placed_measures(plan)]
        placed = self.placed
        summary.update(summary_text(plans, placed, styles))
        if not placed:
            self.drawn_wide = False
            body.update(Text("No measures in this plan." if self.plan_id else "No measures."))
            return
        many = len(plans) > 1
        # every plan's measures at once may be thousands: the first MAX_SHOWN of them
        shown = placed if self.plan_id else placed[:MAX_SHOWN]
        self.drawn_width = self.size.width
        room = max(20, self.size.width - 4)  # the padding and the scroll bar
        console = self.app.console
        # a table when it fits whole (each word and figure unbroken), else blocks that wrap.
        # Either is drawn here once, at this width, into plain lines: the Static then lays
        # out text, not 500 tables or paddings again on every layout pass (a plan of 500
        # measures took 3 s to open as a table, 1 s as blocks)
        self.drawn_wide = False
        lines: list[list[Segment]] | None = None
        if self.size.width >= WIDE:
            lines, self.drawn_wide = [], True
            for plan in plans:  # a table a plan, under its title when there are many
                own = [p for p in shown if p.plan is plan]
                if not own:
                    continue
                if many:
                    lines += draw(Text(f"\n{plan.title}", style="bold underline"), console, room)
                table = draw(measures_table(own, styles), console, room)
                top = "".join(segment.text for segment in table[0]).rstrip()
                self.drawn_wide &= top.endswith("┓")  # else cropped: it does not fit
                lines += table
        if not self.drawn_wide:
            lines = draw(measures_blocks(shown, many, styles), console, room)
        assert lines is not None  # drawn as one or the other
        view: RenderableType = as_text(lines)
        if len(placed) > len(shown):
            more = Text(
                f"\n{len(placed) - len(shown)} more measures are not shown here: open a plan "
                "and press k there for all of its own.",
                style="italic",
            )
            view = Group(view, more)
        body.update(view)
