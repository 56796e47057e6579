"""The app, driven with Pilot on a temporary copy of a plans folder."""

from __future__ import annotations

import io
from datetime import date

from rich.console import Console
from textual.widgets import Static

from conftest import write
from improve.tui import make_app
from improve.tui.action import ActionScreen
from improve.tui.plan import PlanScreen
from improve.tui.portfolio import PortfolioScreen

TODAY = date(2017, 1, 5)


def plain(renderable) -> str:
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


async def test_portfolio_plan_and_action_drill_down(plans):
    app = make_app(plans, TODAY, poll=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, PortfolioScreen)
        table = app.screen.query_one("#plans")
        assert table.row_count == 1
        row = table.get_row_at(0)
        assert str(row[2]) == "Sample improvement plan" and str(row[0]) == "RED"
        await pilot.press("enter")
        assert isinstance(app.screen, PlanScreen)
        actions = app.screen.query_one("#actions")
        assert refs(app.screen) == ["T1", "1.1", "1.1.1", "1.1.2", "2.1", "2.1.1"]
        assert [str(actions.get_row_at(i)[1]) for i in range(actions.row_count)] == [
            "RED",
            "AMBER",
            "AMBER",
            "AMBER",
            "RED",
            "RED",
        ]
        assert "Theme 1: Oversight" in str(actions.get_row_at(0)[4])
        assert actions.cursor_row == 2  # the first action, ready for u or enter
        actions.move_cursor(row=5)
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
    write(
        plans,
        "calm.toml",
        '[plan]\ntitle = "A calm plan"\n[[recommendation]]\nref = "1"\n'
        'leads = ["L"]\n[[recommendation.action]]\nref = "1.1"\naction = "x"\n'
        "due = 2018-01-01\npercent = 100\n",
    )
    app = make_app(plans, TODAY, poll=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        errors = app.screen.query_one("#errors", Static)
        assert errors.has_class("shown")
        assert 'broken.toml:3:8: error: "kind" must be one of' in str(errors.render())
        table = app.screen.query_one("#plans")
        assert [str(table.get_row_at(i)[2]) for i in range(2)] == [
            "A calm plan",
            "Sample improvement plan",
        ]
        await pilot.press("w")
        assert [str(table.get_row_at(i)[2]) for i in range(2)] == [
            "Sample improvement plan",
            "A calm plan",
        ]
        assert "worst first" in str(app.screen.query_one("#summary", Static).render())


async def save_and_settle(app, pilot):
    """ctrl+s in the form, then wait for the save worker and the reload it starts."""
    await pilot.press("ctrl+s")
    for _ in range(2):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def open_plan(app, pilot):
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    return app.screen


def refs(screen) -> list[str]:
    """The refs of the rows on show: themes as T<id>, recommendations and actions as their ref."""
    table = screen.query_one("#actions")
    keys = [table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(table.row_count)]
    return [("T" if k.startswith("theme:") else "") + k.rsplit(":", 1)[-1] for k in keys]


def filters_line(screen) -> str:
    return str(screen.query_one("#filters", Static).render())


async def test_quick_filters_combine_and_say_how_many_match(plans):
    app = make_app(plans, TODAY, user="Head of Early Help", poll=0)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_plan(app, pilot)
        assert "3 of 3 actions match" in filters_line(screen)
        await pilot.press("r")
        assert refs(screen) == ["T1", "2.1", "2.1.1"] and "1 of 3 actions match" in filters_line(
            screen
        )
        await pilot.press("a")  # red or amber
        assert refs(screen) == ["T1", "1.1", "1.1.1", "1.1.2", "2.1", "2.1.1"]
        await pilot.press("o")  # … and overdue
        assert refs(screen) == ["T1", "2.1", "2.1.1"]
        await pilot.press("c")
        await pilot.press("m")  # my actions
        assert refs(screen) == ["T1", "2.1", "2.1.1"]
        await pilot.press("c", "slash")
        await pilot.press(*"train")
        assert refs(screen) == ["T1", "1.1", "1.1.2"] and '"train"' in filters_line(screen)
        await pilot.press("escape", "c")
        assert len(refs(screen)) == 6


async def test_update_from_the_app_writes_the_file(plans):
    path = plans / "sample.toml"
    before = path.read_text()
    app = make_app(plans, TODAY, user="Head of Early Help", poll=0)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_plan(app, pilot)
        await pilot.press("r", "down", "u")  # the red action
        await pilot.pause()
        form = app.screen
        await pilot.press("3")  # quartile key (focus starts there): 75
        assert form.query_one("#percent").value == "75"
        form.query_one("#note").value = "Offer reviewed with partners"
        await save_and_settle(app, pilot)
        assert app.screen is screen
        table = screen.query_one("#actions")
        row = table.get_row_at(2)
        assert str(row[0]) == "2.1.1" and str(row[2]) == "75%"
    after = path.read_text()
    removed = [ln for ln in before.splitlines() if ln not in after.splitlines()]
    assert removed == ["  percent = 25"]
    assert '    note = "Offer reviewed with partners"' in after
    assert '    by = "Head of Early Help"' in after
    assert "# an action with nothing recorded yet" in after


async def test_form_refuses_an_empty_update(plans):
    before = (plans / "sample.toml").read_bytes()
    app = make_app(plans, TODAY, poll=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(app, pilot)
        await pilot.press("down", "u")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "nothing to save" in str(app.screen.query_one("#form-problem").render())
        await pilot.press("escape")
    assert (plans / "sample.toml").read_bytes() == before


async def test_conflict_keeps_what_was_typed_and_writes_nothing(plans):
    path = plans / "sample.toml"
    app = make_app(plans, TODAY, poll=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(app, pilot)
        path.write_text(path.read_text() + "\n# edited elsewhere\n")
        edited = path.read_bytes()
        await pilot.press("down", "u")
        await pilot.pause()
        app.screen.query_one("#note").value = "My careful note"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        form = app.screen
        assert form.query_one("#note").value == "My careful note"
        assert "changed on disk" in str(form.query_one("#form-error").render())
        assert path.read_bytes() == edited
        await app.workers.wait_for_complete()
        await pilot.press("ctrl+s")  # after the reload, saving again works
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert "My careful note" in path.read_text() and "# edited elsewhere" in path.read_text()
