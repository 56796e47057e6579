"""Modal screens that return a typed result or nothing: help, a recommendation's
details, a lead picker."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Markdown, OptionList, Static
from textual.widgets.option_list import Option

from ..api import measure_view
from ..present.text import RAG_STYLE_APP, RagStyles
from .base import ImproveModal
from .measures import measure_text

if TYPE_CHECKING:
    from ..api import Plan, Recommendation

HELP = """\
# improve — keys and colours

**Everywhere:** `enter` opens · `escape` goes back · `q` quits · `?` this help ·
`ctrl+p` command palette (jump to a plan or an action by ref, any filter, the high-contrast theme).
The mouse works too: click a row to select it, click again to open it.

**Plans (first screen):** `w` worst first · `s` by title · `f` file order ·
`a` every action of every plan · `m` my actions in every plan. On a narrow screen the
actions by colour read `16R 1A 49Gy 2B`: red, amber, green, grey (not started), blue (done).

**Review mode (`v`, anywhere):** what moved since the last review — ▲ up and ▼ down with
the words (▲ AMBER → GREEN), newly overdue or complete, slipped dates, new evidence and
readings, stale actions, every change with who and when — and each plan's percent complete
at every review. `R` records this review (a note, who was there).

**The committee's report (`e`, anywhere):** writes the progress report on the plan on
screen (or on every plan) into the folder improve was started in, as HTML, a tagged PDF,
an Excel workbook, Markdown or CSV; a note says where.

**An action:** `d` its detail · `h` its history (every change, oldest first) · `u` update ·
`i` its recommendation.

**A plan's actions:** `u` update the action · `i` the recommendation's text, source, why it
matters and what good looks like · `/` filter by text as you type · quick filters, which
combine: `r` red · `a` amber · `o` overdue · `t` stale · `d` due within 30 days · `m` mine ·
`l` one lead · `c` clears them all. `k` shows every measure of the plan (or of every plan). `space` or `enter` on a group folds or unfolds it;
`-` folds every group, `+` unfolds them. The line above the table always says how many
actions match.

**Measures (`k` on a plan's actions; `k` or `escape` goes back):** every measure of the
plan — the plan's own, each recommendation's and each action's, headed by where it sits —
with its latest reading and date, its target, its RAG word (from the measure's variance),
its trend (improving ▲, worsening ▼ or no change =, by whether higher or lower is better)
and the latest comparators: England, the region and the statistical neighbours (median or
mean), with how the reading stands against them. `–` is a figure that is missing or
suppressed, never 0. An action's detail and a recommendation's info (`i`) show their own
measures the same way.

**The update form:** it opens in the percent box: type the percent you mean (`40` or `40%`),
and the line under the box says what will be saved. The quick choices after the box (0, 25,
50, 75, 100%) fill it: `tab` to one, `enter`. Agreeing or refusing a new due date asks who
decided (you, unless you type another name). `tab` moves between fields; `ctrl+s` saves;
`escape` cancels. Nothing is written until you save;
only the lines that change in the plan file are touched, and a file changed on disk since it
was loaded is never overwritten — you are told, it is reloaded, and what you typed is kept.

# What the colours mean

Every colour is shown with its word, so nothing depends on seeing colour.
The first rule that applies decides an action's colour:

| rule | when | colour |
|---|---|---|
| 1 | the action is dropped | none: DROPPED, left out of every count |
| 2 | the action is complete | BLUE |
| 3 | a colour was set by hand, and its "until" date has not passed | that colour, with the reason |
| 4 | overdue: its due date (or a milestone's) has passed | RED |
| 5 | its start date is still to come | GREY: not due to start |
| 6 | behind schedule: percent done + margin (25 points unless the plan says) is below the share of its time that has gone | AMBER |
| 7 | 0% done, not marked in progress, and no milestone done | GREY: not started |
| 8 | anything else | GREEN: on schedule |

A recommendation or a plan takes the **worst** colour of its actions (red, amber, green,
grey, blue), always with the counts beside it. **Stale** means open with no update, evidence
or reading for longer than the plan allows (45 days unless it says). A `*` after a due date
means an extension is in force.
"""


class HelpScreen(ImproveModal[None]):
    BINDINGS = [Binding("escape,q,question_mark", "close", "Close", id="close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help", classes="modal-box"):
            yield Markdown(HELP)

    def action_close(self) -> None:
        self.dismiss(None)


def recommendation_detail(
    plan: Plan, rec: Recommendation, styles: RagStyles = RAG_STYLE_APP
) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    label = plan.label("recommendation")
    theme = next((t for t in plan.themes if t.id == rec.theme), None)
    rows: list[tuple[str, str | Text]] = [(label, f"{rec.ref} {rec.title or ''}".strip())]
    if theme:
        rows.append((plan.label("theme"), f"{theme.id}: {theme.title}"))
    rows += [
        ("Text", rec.text or "–"),
        ("Source", rec.source or "–"),
        ("Lead(s)", "; ".join(rec.leads) or "–"),
        ("Why it matters", rec.why or "–"),
    ]
    good = rec.good_looks_like or []
    rows.append(("What good looks like", "\n".join(f"• {g}" for g in good) or "–"))
    for m in rec.measures:
        rows.append(("Measure", measure_text(measure_view(m), styles)))
    for k, v in rows:
        grid.add_row(Text(k), v if isinstance(v, Text) else Text(v))
    return grid


class RecommendationInfo(ImproveModal[None]):
    BINDINGS = [Binding("escape,q,i", "close", "Close", id="close")]

    def __init__(self, plan: Plan, rec: Recommendation) -> None:
        super().__init__()
        self.plan, self.rec = plan, rec

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="info", classes="modal-box"):
            yield Static(
                recommendation_detail(self.plan, self.rec, self.app.rag_styles), id="info-detail"
            )
            yield Static(Text("escape closes", style="italic"))

    def action_close(self) -> None:
        self.dismiss(None)


class LeadPicker(ImproveModal[str | None]):
    """Returns the chosen lead, "" for everyone, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel")]

    def __init__(self, leads: list[str], current: str | None) -> None:
        super().__init__()
        self.leads, self.current = leads, current

    def compose(self) -> ComposeResult:
        options = [Option("Everyone (no lead filter)", id="")]
        options += [Option(Text(lead), id=f"lead:{i}") for i, lead in enumerate(self.leads)]
        picker = OptionList(*options, id="leads", classes="modal-box")
        picker.border_title = "Show the actions of one lead"
        yield picker

    def on_mount(self) -> None:
        picker = self.query_one(OptionList)
        if self.current in self.leads:
            picker.highlighted = self.leads.index(self.current) + 1
        picker.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        oid = event.option.id or ""
        self.dismiss(self.leads[int(oid[5:])] if oid.startswith("lead:") else "")

    def action_cancel(self) -> None:
        self.dismiss(None)
