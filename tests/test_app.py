"""The app, driven with Pilot on a temporary copy of a plans folder."""

from __future__ import annotations

from textual.widgets import Static

from app_helpers import (
    detail_rows,
    match_line,
    open_plan,
    refs,
    save_and_settle,
)
from helpers import running, wait_for, write
from improve.tui.action import ActionScreen
from improve.tui.plan import PlanScreen
from improve.tui.portfolio import PortfolioScreen
from improve.tui.table import LineTable


async def test_portfolio_plan_and_action_drill_down(plans):
    async with running(plans) as (app, pilot):
        assert isinstance(app.screen, PortfolioScreen)
        table = app.screen.query_one("#plans", LineTable)
        assert len(table.keys) == 1
        row = table.cells[0]
        assert str(row[2]) == "Sample improvement plan" and str(row[0]) == "RED"
        await pilot.press("enter")
        assert isinstance(app.screen, PlanScreen)
        actions = app.screen.query_one("#actions", LineTable)
        assert refs(app.screen) == ["T1", "1.1", "1.1.1", "1.1.2", "2.1", "2.1.1"]
        assert [str(actions.cells[i][1]) for i in range(len(actions.keys))] == [
            "RED",
            "AMBER",
            "AMBER",
            "AMBER",
            "RED",
            "RED",
        ]
        assert str(actions.cells[0][4]) == "▾ Theme 1: Oversight"
        assert actions.cursor_row == 2  # the first action, ready for u or enter
        actions.move_cursor(row=5)
        await pilot.press("enter")
        assert isinstance(app.screen, ActionScreen)
        rows = detail_rows(app.screen)
        assert ("Action", "Review the early help offer") in rows
        assert ("RAG", "RED  overdue: due 2016-12-31, 5 days ago") in rows
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
    async with running(plans) as (app, pilot):
        errors = app.screen.query_one("#errors", Static)
        assert errors.has_class("shown")
        assert 'broken.toml:3:8: error: "kind" must be one of' in str(errors.render())
        table = app.screen.query_one("#plans")
        assert [str(table.cells[i][2]) for i in range(2)] == [
            "A calm plan",
            "Sample improvement plan",
        ]
        await pilot.press("w")
        assert [str(table.cells[i][2]) for i in range(2)] == [
            "Sample improvement plan",
            "A calm plan",
        ]
        assert str(app.screen.query_one("#summary", Static).render()) == (
            "2 plans as at 2017-01-05: 44% complete · 1 of 4 actions complete · "
            "1 red · 2 amber · 1 blue · 1 overdue · 2 stale · worst first"
        )


async def test_quick_filters_combine_and_say_how_many_match(plans):
    async with running(plans, user="Head of Early Help") as (_, pilot):
        screen = await open_plan(pilot)
        assert match_line(screen) == "3 of 3 actions match"
        await pilot.press("r")
        assert refs(screen) == ["T1", "2.1", "2.1.1"]
        assert match_line(screen) == "1 of 3 actions match · filters: red (c clears)"
        await pilot.press("a")  # red or amber
        assert refs(screen) == ["T1", "1.1", "1.1.1", "1.1.2", "2.1", "2.1.1"]
        await pilot.press("o")  # … and overdue
        assert refs(screen) == ["T1", "2.1", "2.1.1"]
        await pilot.press("c")
        await pilot.press("m")  # my actions
        assert refs(screen) == ["T1", "2.1", "2.1.1"]
        await pilot.press("c", "slash")
        await pilot.press(*"train")
        assert refs(screen) == ["T1", "1.1", "1.1.2"]
        assert match_line(screen) == '1 of 3 actions match · filters: "train" (c clears)'
        await pilot.press("escape", "c")
        assert refs(screen) == ["T1", "1.1", "1.1.1", "1.1.2", "2.1", "2.1.1"]


async def test_update_from_the_app_writes_the_file(plans):
    path = plans / "sample.toml"
    before = path.read_text()
    async with running(plans, user="Head of Early Help") as (app, pilot):
        screen = await open_plan(pilot)
        await pilot.press("r", "down", "u")  # the red action
        await pilot.pause()
        form = app.screen
        await pilot.press("tab", "tab", "tab", "tab", "enter")  # the quick choice 75%
        assert form.query_one("#percent").value == "75"
        form.query_one("#note").value = "Offer reviewed with partners"
        await save_and_settle(app, pilot)
        assert app.screen is screen
        table = screen.query_one("#actions")
        row = table.cells[2]
        assert str(row[0]) == "2.1.1" and str(row[2]) == "75%"
    after = path.read_text()
    removed = [ln for ln in before.splitlines() if ln not in after.splitlines()]
    assert removed == ["  percent = 25"]
    assert '    note = "Offer reviewed with partners"' in after
    assert '    by = "Head of Early Help"' in after
    assert "# an action with nothing recorded yet" in after


async def test_form_refuses_an_empty_update(plans):
    before = (plans / "sample.toml").read_bytes()
    async with running(plans) as (app, pilot):
        await open_plan(pilot)
        await pilot.press("down", "u")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        problem = str(app.screen.query_one("#form-problem").render())
        assert problem.startswith("Not saved: nothing to save: ")
        await pilot.press("escape")
    assert (plans / "sample.toml").read_bytes() == before


async def test_a_change_to_the_action_on_disk_is_a_conflict_that_keeps_what_was_typed(plans):
    path = plans / "sample.toml"
    async with running(plans) as (app, pilot):
        await open_plan(pilot)
        app.open_update("sample", "1.1.1")  # as the user sees it: 50%
        assert await wait_for(lambda: bool(app.screen.query("#note")), pilot)
        first_form = app.screen
        # a colleague moves 1.1.1 on in an editor while the form is open
        path.write_text(path.read_text().replace("percent = 50   # half way", "percent = 55"))
        edited = path.read_bytes()
        first_form.query_one("#note").value = "My careful note"
        loaded = app.statuses
        await pilot.press("ctrl+s")
        # the save fails in its worker; the form opens again, with the error, as the plans reload
        assert await wait_for(
            lambda: (
                app.screen is not first_form
                and app.screen.query_one_optional("#form-error") is not None
            ),
            pilot,
        )
        form = app.screen
        assert form.query_one("#note").value == "My careful note"
        assert "sample:1.1.1 was changed in sample.toml since you opened it" in str(
            form.query_one("#form-error").render()
        )
        assert path.read_bytes() == edited  # the colleague's change stands; nothing written
        assert await wait_for(lambda: app.statuses is not loaded, pilot)
        await save_and_settle(app, pilot)  # after the reload, saving again works
    text = path.read_text()
    assert "My careful note" in text and "percent = 55" in text


async def test_a_change_elsewhere_in_the_file_is_kept_and_the_save_made_on_top(plans):
    path = plans / "sample.toml"
    async with running(plans) as (app, pilot):
        await open_plan(pilot)
        app.open_update("sample", "1.1.1")
        assert await wait_for(lambda: bool(app.screen.query("#note")), pilot)
        path.write_text(
            path.read_text().replace("percent = 25", "percent = 30") + "\n# edited elsewhere\n"
        )  # 2.1.1 and a comment, by someone else
        app.screen.query_one("#note").value = "My careful note"
        await save_and_settle(app, pilot)
    text = path.read_text()
    assert "My careful note" in text
    assert "percent = 30" in text and "# edited elsewhere" in text  # neither lost


def every_screen(app) -> list:
    """A portfolio, plan and action screen, each on the stack."""
    app.show_plan("sample")
    app.show_action("sample", "2.1.1")
    return [
        s for s in app.screen_stack if isinstance(s, PortfolioScreen | PlanScreen | ActionScreen)
    ]


async def test_a_screen_refreshed_before_it_composes_draws_the_data_when_it_does(plans):
    """A load can land between a screen being pushed and its widgets being composed."""
    async with running(plans) as (app, pilot):
        screens: list[PortfolioScreen | PlanScreen | ActionScreen] = [
            PortfolioScreen(),
            PlanScreen("sample"),
            ActionScreen("sample", "2.1.1"),
        ]
        for screen in screens:
            app.push_screen(screen)
            assert not screen.is_mounted
            screen.refresh_data()  # as the app refreshes every screen when a load lands
        await pilot.pause()
        assert all(screen.is_mounted for screen in screens)
        portfolio, plan, action = screens
        assert (
            str(portfolio.query_one("#plans", LineTable).cells[0][2]) == "Sample improvement plan"
        )
        assert refs(plan) == ["T1", "1.1", "1.1.1", "1.1.2", "2.1", "2.1.1"]
        assert ("Ref", "2.1.1") in detail_rows(action)


async def test_a_load_that_lands_as_the_screens_lose_their_widgets_is_not_a_crash(plans):
    """As the app closes, each screen stays on the stack while its widgets are removed, and a
    reload posted just before lands then (it did: NoMatches '#plans' on PortfolioScreen from
    the app's refresh of every screen). Here the widgets go first, then a load lands."""
    async with running(plans) as (app, pilot):
        screens = every_screen(app)
        await pilot.pause()
        assert [type(s) for s in screens] == [PortfolioScreen, PlanScreen, ActionScreen]
        for screen in screens:
            await screen.remove_children()
        loaded = app.statuses
        app.load()
        assert await wait_for(lambda: app.statuses is not loaded, pilot)
        await pilot.pause()
        assert app.screen_stack[-3:] == screens
    # (had a screen's refresh raised, the block would re-raise it here, as it ends)


async def test_selecting_text_over_a_table_is_not_a_crash(plans):
    """LineTable once replaced Widget._render, which Textual calls to select text."""
    from textual.selection import Selection

    async with running(plans, history=False) as (app, _pilot):
        table = app.screen.query_one("#plans")
        selected = table.get_selection(Selection(None, None))
        assert selected is None or isinstance(selected[0], str)


async def test_home_scrolls_the_portfolio_back_after_right(plans):
    """Issue 10 item 9: on a screen narrower than the table → scrolls it right; Home brings
    it back, and the useful columns come first. (From 80 columns every column fits:
    tests/test_app_widths.py.)"""
    async with running(plans, size=(60, 24), history=False) as (app, pilot):
        table = app.screen.query_one("#plans")
        assert [name for name, _ in table.columns][:5] == [
            "RAG",
            "Done",
            "Plan",
            "Overdue",
            "Next due",
        ]
        await pilot.press("right", "right", "right")
        assert await wait_for(lambda: table.scroll_x > 0, pilot)
        await pilot.press("home")
        assert await wait_for(lambda: table.scroll_x == 0, pilot)
        assert table.cursor_row == 0
