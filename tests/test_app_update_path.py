"""The app saves through the same library call as `improve update`, re-reads only the file
it saved, and puts the library's errors beside the field they concern."""

from __future__ import annotations

from datetime import date

from textual.widgets import Input, Label

from helpers import there, write
from improve.api import Workspace
from improve.tui import make_app
from improve.tui.table import LineTable
from improve.tui.update_form import UpdateForm

TODAY = date(2017, 1, 5)


async def until(predicate, pilot, seconds: float = 10.0) -> bool:
    """Wait for a condition (never a fixed sleep)."""
    for _ in range(int(seconds / 0.02)):
        if predicate():
            return True
        await pilot.pause(0.02)
    return predicate()


async def open_form(app, pilot, ref: str):
    await app.workers.wait_for_complete()
    assert await until(lambda: app.statuses is not None, pilot)
    app.open_update("sample", ref)
    assert await until(
        lambda: isinstance(app.screen, UpdateForm) and bool(app.screen.query("#percent")), pilot
    )
    return app.screen


async def test_a_save_goes_through_workspace_update_and_reads_only_its_file(plans, monkeypatch):
    write(plans, "other.toml", '[plan]\ntitle = "Other"\n')
    calls, loads = [], []
    real_update, real_load = Workspace.update, Workspace.load

    def update(self, *a, **kw):
        calls.append((str(a[0]), kw.get("portfolio") is not None))
        return real_update(self, *a, **kw)

    def load(self):
        loads.append(1)
        return real_load(self)

    monkeypatch.setattr(Workspace, "update", update)
    monkeypatch.setattr(Workspace, "load", load)
    app = make_app(plans, TODAY, user="Head of Early Help", poll=0)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_form(app, pilot, "2.1.1")
        other = there(app.portfolio).file_for("other")
        form.query_one("#percent", Input).value = "40"
        await pilot.press("ctrl+s")
        assert await until(
            lambda: there(app.find_action("sample", "2.1.1"))[2].percent == 40, pilot
        ), "the saved change reaches the app's state"
        assert calls == [("sample:2.1.1", True)]
        assert loads == [1]  # the first load only: the save read just its own file
        assert there(app.portfolio).file_for("other") is other
        app.workers.cancel_all()
    assert "percent = 40" in (plans / "sample.toml").read_text()


async def test_an_error_from_the_library_is_shown_at_its_field(plans):
    before = (plans / "sample.toml").read_bytes()
    app = make_app(plans, TODAY, user="Head of Early Help", poll=0)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_form(app, pilot, "1.1.1")
        form.query_one("#reason", Input).value = "the unions asked for more time"
        await pilot.press("ctrl+s")
        problem = form.query_one("#form-problem", Label)
        assert await until(
            lambda: "a reason goes with a new due date" in str(problem.content), pilot
        )
        assert app.focused is form.query_one("#extend_to", Input)
        assert app.screen is form  # not dismissed: nothing was saved
        app.workers.cancel_all()
    assert (plans / "sample.toml").read_bytes() == before


async def test_an_error_found_when_saving_reopens_the_form_at_its_field(plans):
    """The plan knows no measure "gone": the library says so, and the form reopens with
    what was typed and the focus on the reading."""
    app = make_app(plans, TODAY, user="Head of Early Help", poll=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_form(app, pilot, "1.1.1")
        app.screen.dismiss(None)
        from improve.tui.form_values import FormValues

        app.save_update("sample", "1.1.1", FormValues(reading_measure="gone", reading_value="3"))
        assert await until(
            lambda: isinstance(app.screen, UpdateForm) and app.screen.error is not None, pilot
        )
        form = app.screen
        assert isinstance(form, UpdateForm) and form.error is not None
        assert form.error.startswith('Not saved: no measure "gone" for this action')
        app.workers.cancel_all()


async def test_typing_40_straight_away_saves_40(plans):
    """The trial's bug: the form opened on the quick keys, so "4" then "0" saved 0%."""
    app = make_app(plans, TODAY, user="Head of Early Help", poll=0, history=False)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(app, pilot, "1.1.2")
        assert app.focused is form.query_one("#percent", Input)
        await pilot.press("4", "0", "ctrl+s")
        assert await until(
            lambda: there(app.find_action("sample", "1.1.2"))[2].percent == 40, pilot
        )
        app.workers.cancel_all()
    text = (plans / "sample.toml").read_text()
    assert "percent = 40" in text and "percent = 0\n" not in text


async def test_a_theme_keeps_its_true_colour_under_a_filter(tmp_path):
    """Issue 10 item 8: on the Ofsted plan, Theme 1 is RED; after /supervision it showed
    GREEN (3 of 11 match). A group shows its real RAG and percent, and how many match."""
    from helpers import SHIPPED

    app = make_app(SHIPPED, TODAY, poll=0, history=False)
    async with app.run_test(size=(160, 50)) as pilot:
        assert await until(lambda: app.statuses is not None, pilot)
        app.show_plan("telford-ofsted-2016")
        assert await until(lambda: bool(app.screen.query("#actions")), pilot)
        table = app.screen.query_one("#actions", LineTable)
        assert await until(lambda: bool(table.cells), pilot)
        first = [str(c) for c in table.cells[0]]
        assert first[1] == "RED" and "Theme 1" in first[4]
        await pilot.press("slash", *"supervision", "enter")
        assert await until(lambda: "match)" in str(table.cells[0][4]), pilot)
        theme = [str(c) for c in table.cells[0]]
        assert theme[1] == "RED" and theme[2] == first[2]  # the same colour and percent
        plan = there(there(app.portfolio).plan("telford-ofsted-2016"))
        in_theme = sum(len(r.actions) for r in plan.recommendations if r.theme == "1")
        assert in_theme == 23 and theme[4].endswith(f"(3 of {in_theme} match)")
        app.workers.cancel_all()


async def test_the_action_detail_scrolls_with_down_and_pagedown_straight_away(tmp_path):
    from helpers import SHIPPED
    from improve.tui.action import ActionScreen

    app = make_app(SHIPPED, TODAY, poll=0, history=False)
    async with app.run_test(size=(80, 24)) as pilot:
        assert await until(lambda: app.statuses is not None, pilot)
        app.show_action("telford-ofsted-2016", "1.1.2")  # a long detail: five measures
        assert await until(
            lambda: isinstance(app.screen, ActionScreen) and app.focused is not None, pilot
        )
        scroll = app.screen.query_one("#detail-scroll")
        assert app.focused is scroll
        assert await until(lambda: scroll.max_scroll_y > 0, pilot)
        await pilot.press("down")
        assert await until(lambda: scroll.scroll_y == 1, pilot)
        await pilot.press("pagedown")
        assert await until(lambda: scroll.scroll_y > 1, pilot)
        await pilot.press("h")  # the History tab: its own pane has the keys
        assert await until(lambda: app.focused is app.screen.query_one("#history-scroll"), pilot)
        app.workers.cancel_all()
