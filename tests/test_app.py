"""The app, driven with Pilot on a temporary copy of a plans folder."""

from __future__ import annotations

import io
from datetime import date

from rich.console import Console

from textual.widgets import DataTable, Static

from improve.tui import make_app
from improve.tui.screens import ActionScreen, PlanScreen, PortfolioScreen
from conftest import write

TODAY = date(2017, 1, 5)


def plain(renderable) -> str:
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


async def test_portfolio_plan_and_action_drill_down(plans):
    app = make_app(plans, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, PortfolioScreen)
        table = app.screen.query_one("#plans", DataTable)
        assert table.row_count == 1
        row = table.get_row_at(0)
        assert str(row[2]) == "Sample improvement plan" and str(row[0]) == "RED"
        await pilot.press("enter")
        assert isinstance(app.screen, PlanScreen)
        actions = app.screen.query_one("#actions", DataTable)
        refs = [str(actions.get_row_at(i)[0]) for i in range(actions.row_count)]
        assert refs == ["1.1", "1.1.1", "1.1.2", "2.1", "2.1.1"]
        assert [str(actions.get_row_at(i)[1]) for i in range(actions.row_count)] == [
            "AMBER", "AMBER", "AMBER", "RED", "RED"]
        actions.move_cursor(row=4)
        await pilot.press("enter")
        assert isinstance(app.screen, ActionScreen)
        text = plain(app.screen.query_one("#detail", Static).content)
        assert "overdue: due 2016-12-31" in text and "Review the early help offer" in text
        await pilot.press("escape")
        assert isinstance(app.screen, PlanScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, PortfolioScreen)


async def test_broken_plan_is_listed_not_hidden_and_worst_first(plans):
    write(plans, "broken.toml", '[plan]\ntitle = "B"\nkind = "ofstead"\n')
    write(plans, "calm.toml", '[plan]\ntitle = "A calm plan"\n[[recommendation]]\nref = "1"\n'
          'leads = ["L"]\n[[recommendation.action]]\nref = "1.1"\naction = "x"\n'
          'due = 2018-01-01\npercent = 100\n')
    app = make_app(plans, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        errors = app.screen.query_one("#errors", Static)
        assert errors.has_class("shown")
        assert 'broken.toml:3:8: error: "kind" must be one of' in str(errors.render())
        table = app.screen.query_one("#plans", DataTable)
        assert [str(table.get_row_at(i)[2]) for i in range(2)] == ["A calm plan", "Sample improvement plan"]
        await pilot.press("w")
        assert [str(table.get_row_at(i)[2]) for i in range(2)] == ["Sample improvement plan", "A calm plan"]
        assert "worst first" in str(app.screen.query_one("#summary", Static).render())
