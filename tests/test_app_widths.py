"""At 80 and 120 columns every column a person needs is on screen and no number, date or
key hint is cut: read from the screen as drawn, on the shipped plans (issue 22 item 10)."""

from __future__ import annotations

from app_helpers import screen_lines
from helpers import SHIPPED, running, wait_for
from improve.present.text import counts_short, counts_text
from improve.tui.action import ActionScreen
from improve.tui.layout import fit_plan, fit_portfolio
from improve.tui.plan import PlanScreen
from improve.tui.table import LineTable


def fits(table) -> bool:
    """Every column of the table is on screen: nothing is off to the right."""
    return table.virtual_size.width <= table.scrollable_content_region.width


def footer_whole(app) -> None:
    """Each key the footer offers is shown whole, and the palette's key beside them."""
    footer = screen_lines(app)[-1]
    for _, binding, _, _ in app.screen.active_bindings.values():
        if binding.show:
            assert f"{app.get_key_display(binding)} {binding.description}" in footer, footer
    assert footer.rstrip().endswith("^p palette"), footer


def portfolio_whole(app, words: bool) -> None:
    """Each plan's row holds its numbers whole: overdue, next due, stale, the counts."""
    lines = screen_lines(app)
    heading = next(line for line in lines if line.lstrip().startswith("RAG "))
    for label in ("Done", "Plan", "Overdue", "Next due", "Stale", "Actions"):
        assert label in heading, heading
    table = app.screen.query_one("#plans")
    assert fits(table)
    for ps in app.statuses:
        r = ps.rollup
        counts = (counts_text if words else counts_short)(r.counts).plain
        due = ps.next_due.isoformat() if ps.next_due else "–"
        row = next(line for line in lines if f"  {counts}  " in line + "  ")
        cells = row.split()
        assert due in cells and str(r.overdue) in cells and str(r.stale) in cells, row
        assert f"{r.percent:.0f}%" in row, row


def plan_whole(app) -> None:
    """Every action row on screen shows its ref, RAG, percent and due date whole, and the
    columns up to the leads (and the keys' hint) end on screen."""
    screen = app.screen
    assert isinstance(screen, PlanScreen)
    table = screen.query_one("#actions", LineTable)
    assert fits(table)
    lines = screen_lines(app)
    heading = next(line for line in lines if line.lstrip().startswith("Ref "))
    assert heading.split()[:6] == ["Ref", "RAG", "%", "Due", "Action", "Lead(s)"], heading
    hint = next(line for line in lines if line.lstrip().startswith("keys:"))
    assert "…" not in hint, hint
    shown = [row for row in table.cells[: table.scrollable_content_region.height - 1]]
    acts = [cells for cells in shown if cells[3]]
    assert acts, "no action on screen"
    for cells in acts:
        ref, rag, percent, due = (str(c) for c in cells[:4])
        line = next(line for line in lines if line.split()[:1] == [ref])
        assert line.split()[1:4] == [rag, percent, due.split()[0]], line


async def test_80_and_120_columns_show_every_number_whole():
    async with running(SHIPPED, size=(80, 24), history=False) as (app, pilot):
        portfolio_whole(app, words=False)
        assert "16R 1A 49Gy" in "\n".join(screen_lines(app))  # the Ofsted plan, at 80
        footer_whole(app)
        await pilot.press("down", "enter")  # the Ofsted plan's actions
        assert await wait_for(lambda: isinstance(app.screen, PlanScreen), pilot)
        await pilot.pause()
        plan_whole(app)
        footer_whole(app)
        await pilot.press("enter")  # an action
        assert await wait_for(lambda: isinstance(app.screen, ActionScreen), pilot)
        await pilot.pause()
        footer_whole(app)
        await pilot.press("escape")
        assert await wait_for(lambda: isinstance(app.screen, PlanScreen), pilot)
        await pilot.resize_terminal(120, 40)
        assert await wait_for(lambda: app.screen.size.width == 120, pilot)
        await pilot.pause()
        plan_whole(app)
        heading = next(line for line in screen_lines(app) if line.lstrip().startswith("Ref "))
        assert heading.split()[-1] == "Impact"  # from 100 columns every column is shown
        await pilot.press("escape")
        await pilot.pause()
        portfolio_whole(app, words=True)
        assert "16 red · 1 amber · 49 grey" in "\n".join(screen_lines(app))
        footer_whole(app)


def test_the_columns_fit_each_width_and_keep_their_widest_cell():
    for width in range(60, 240, 7):
        fit = fit_portfolio(width, long_counts=40, short_counts=19, reported=60, kind=11)
        columns = fit.columns()
        counts = dict(columns)["Actions by RAG" if fit.long_counts else "Actions"]
        assert counts >= (40 if fit.long_counts else 19)
        if width >= 80:
            assert sum(w + 2 for _, w in columns) + 1 <= width - 2, (width, columns)
        plan = fit_plan(width, ref=9, rag=7, due=12, impact=9)
        cols = dict(plan.columns())
        assert (cols["Ref"], cols["RAG"], cols["Due"]) == (9, 7, 12)
        if width >= 80:
            assert sum(w + 2 for w in cols.values()) + 1 <= width - 2, (width, cols)
