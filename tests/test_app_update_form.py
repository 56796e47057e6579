"""The update form as a person uses it (issue 22 items 1, 2 and 7): the percent they type is
the percent saved, and the form says so before saving; a quick choice fills the same box;
the impact and its note; who decided an extension. Every key is pressed from the form's
real initial focus, and the plan file on disk is read after each save."""

from __future__ import annotations

import difflib
import tomllib
from datetime import date

import pytest
from textual.widgets import Input, Label

from app_helpers import plain, save_and_settle
from helpers import STAGED, running, wait_for, write
from improve.api import Change
from improve.tui.action import ActionScreen
from improve.tui.form_values import NOT_A_PERCENT, percent_says
from improve.tui.update_form import UpdateForm

TODAY = date(2017, 3, 20)
LEAD = "Head of Service"


def plans_with_staged(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    write(folder, "staged.toml", STAGED)
    return folder


def action_data(plans, ref: str) -> dict:
    data = tomllib.loads((plans / "staged.toml").read_text(encoding="utf-8"))
    return next(a for a in data["recommendation"][0]["action"] if a["ref"] == ref)


async def open_form(app, pilot, ref: str) -> UpdateForm:
    """The action's screen, then `u`, as a person opens the form."""
    if not (isinstance(app.screen, ActionScreen) and app.screen.ref == ref):
        app.show_action("staged", ref)
        assert await wait_for(lambda: isinstance(app.screen, ActionScreen), pilot)
    await pilot.press("u")
    assert await wait_for(lambda: isinstance(app.screen, UpdateForm), pilot)
    await pilot.pause()
    return app.screen


def will_save(form) -> str:
    return " ".join(plain(form.query_one("#percent-says").content).split())


def only_percent_and_an_update(before: str, after: str, old: int, new: int) -> None:
    """The file differs from `before` by its `percent = OLD` line becoming `percent = NEW`,
    and by one update entry added: nothing else."""
    removed, added = [], []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    assert [r.split("#")[0].strip() for r in removed] == [f"percent = {old}"], removed
    assert added[0].strip() == f"percent = {new}", added
    entry = [a.strip() for a in added[1:] if a.strip()]
    assert entry[0] == "[[recommendation.action.update]]", added
    assert entry[1:] == [
        "date = 2017-03-20",
        f'by = "{LEAD}"',
        f"percent = {new}",
        f'changes = ["percent {old} → {new}"]',
    ], added


async def save_percent(app, pilot, plans, old: int, new: int) -> None:
    before = (plans / "staged.toml").read_text()
    await save_and_settle(app, pilot)
    assert await wait_for(lambda: isinstance(app.screen, ActionScreen), pilot)
    only_percent_and_an_update(before, (plans / "staged.toml").read_text(), old, new)


async def test_what_is_typed_in_the_percent_box_is_what_is_saved(tmp_path):
    """The trial's bug: the form opened in a box while a row said "keys 0–4"; `2` (meant
    as 50%) saved 2, silently. Now the box is the one way: 2 is 2%, and the form says so
    before saving; what is not a percent is said at once, and never saved."""
    plans = plans_with_staged(tmp_path)
    before = (plans / "staged.toml").read_bytes()
    async with running(plans, TODAY, user=LEAD, size=(80, 24), history=False) as (app, pilot):
        form = await open_form(app, pilot, "1.1.10")
        assert app.focused is form.query_one("#percent")  # the box holds the focus
        shown = " ".join(plain(label.content) for label in form.query(Label))
        assert "keys 0–4" not in shown and "Or exactly" not in shown  # one way, not two
        assert will_save(form) == "Percent unchanged (now 20%): type a new one, or leave it"
        for typed in ("150", "4o"):
            await pilot.press(*typed)
            assert will_save(form) == "Not a percent: type a whole number from 0 to 100"
            await pilot.press("ctrl+s")
            problem = plain(form.query_one("#form-problem", Label).content)
            assert problem.startswith("Not saved: the percent must be"), problem
            assert app.screen is form and app.focused is form.query_one("#percent")
            await pilot.press(*["backspace"] * len(typed))
        assert (plans / "staged.toml").read_bytes() == before
        await pilot.press("2")
        assert will_save(form) == "Will save: 2%"  # a person sees 2%, not 50%
        await save_percent(app, pilot, plans, 20, 2)
        old = 2
        for typed, new in (("0", 0), ("75", 75), ("40", 40), ("75%", 75), ("100", 100)):
            form = await open_form(app, pilot, "1.1.10")
            await pilot.press(*typed)
            assert will_save(form) == f"Will save: {new}%", typed
            await save_percent(app, pilot, plans, old, new)
            old = new
    assert action_data(plans, "1.1.10")["percent"] == 100


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("40", "Will save: 40%"),
        ("40%", "Will save: 40%"),
        (" 40 % ", "Will save: 40%"),
        ("020", "Will save: 20% (as now)"),
        ("75.0", "Will save: 75%"),  # as a spreadsheet writes it
        ("", "Percent unchanged (now 20%): type a new one, or leave it"),
        ("  ", "Percent unchanged (now 20%): type a new one, or leave it"),
        ("101", NOT_A_PERCENT),
        ("-3", NOT_A_PERCENT),
        ("40.5", NOT_A_PERCENT),
        ("４０", NOT_A_PERCENT),  # full-width digits: not what the library reads
        ("forty", NOT_A_PERCENT),
    ],
)
def test_what_the_form_says_it_will_save_is_what_the_library_reads(typed, says):
    assert percent_says(typed, 20) == says
    if says.startswith("Will save"):
        assert Change.from_text(percent=typed).percent == int(says.split()[2].rstrip("%"))


def test_a_blank_percent_on_an_action_without_one_says_so():
    assert percent_says("", None) == "No percent recorded yet: type one, or leave it blank"


async def tab_to(app, pilot, widget_id: str) -> None:
    """tab (or shift+tab, if that is the shorter way round) until `widget_id` has the focus."""
    order = [w.id for w in app.screen.focus_chain]
    steps = (order.index(widget_id) - order.index(app.focused.id)) % len(order)
    key = "tab" if steps <= len(order) // 2 else "shift+tab"
    for _ in range(len(order)):
        if app.focused is not None and app.focused.id == widget_id:
            return
        await pilot.press(key)
    raise AssertionError(f"tab never reached #{widget_id} (at {app.focused})")


async def test_each_quick_choice_fills_the_box_and_is_saved_and_so_is_the_impact(tmp_path):
    """0, 25, 50, 75 and 100%: tab from the box to the button, enter; the box shows the
    number and the form says what it will save. Then the percent left as it is, and the
    impact chosen with its note (Performance: is the action making a difference?, as
    `update --impact` and `--impact-note`): the percent line is not touched."""
    plans = plans_with_staged(tmp_path)
    async with running(plans, TODAY, user=LEAD, size=(80, 24), history=False) as (app, pilot):
        old = 20
        for n, value in ((2, 50), (0, 0), (1, 25), (3, 75), (4, 100)):
            form = await open_form(app, pilot, "1.1.10")
            await pilot.press(*["tab"] * (n + 1), "enter")
            assert form.query_one("#percent", Input).value == str(value)
            assert will_save(form) == f"Will save: {value}%"
            await save_percent(app, pilot, plans, old, value)
            old = value
        before = (plans / "staged.toml").read_text()
        form = await open_form(app, pilot, "1.1.10")
        await tab_to(app, pilot, "impact")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("down", "down", "enter")  # past the prompt and "yes": "partly"
        await tab_to(app, pilot, "impact_note")
        await pilot.press(*"Audit due")
        assert will_save(form).startswith("Percent unchanged (now 100%)")
        await save_and_settle(app, pilot)
    after = (plans / "staged.toml").read_text()
    assert [ln for ln in before.splitlines() if ln not in after.splitlines()] == []
    saved = action_data(plans, "1.1.10")
    assert (saved["impact"], saved["impact_note"]) == ("partly", "Audit due")
    assert saved["percent"] == 100 and "percent" not in saved["update"][-1]


async def choose(app, pilot, widget_id: str, downs: int) -> None:
    await tab_to(app, pilot, widget_id)
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press(*(["down"] * downs), "enter")
    await pilot.pause()


REQUESTED = """
    [[recommendation.action.extension]]
    due = {due}
    reason = "More time"
    state = "requested"
    requested_by = "{lead}"
"""


async def test_the_form_asks_who_decided_and_records_that_name(tmp_path, monkeypatch):
    """Agreeing or refusing a request records who decided: the person using the app unless
    they say otherwise (as `update --by` does). The app was not told who is using it here,
    so the name is the one `--by` defaults to (IMPROVE_USER); a name typed replaces it."""
    text = (
        STAGED.replace(
            '  [[recommendation.action]]\n  ref = "1.1.10"',
            REQUESTED.format(due="2018-03-31", lead=LEAD)
            + '\n  [[recommendation.action]]\n  ref = "1.1.10"',
        )
        + REQUESTED.format(due="2017-06-30", lead=LEAD)
        + (
            '\n  [[recommendation.action]]\n  ref = "1.1.20"\n  action = "Audit"\n'
            "  due = 2017-06-30\n"
        )
    )
    plans = tmp_path / "plans"
    plans.mkdir()
    write(plans, "staged.toml", text)
    assert action_data(plans, "1.1.3")["extension"][0]["state"] == "requested"
    monkeypatch.setenv("IMPROVE_USER", "Director")
    async with running(plans, TODAY, user=None, history=False) as (app, pilot):
        form = await open_form(app, pilot, "1.1.10")
        await choose(app, pilot, "decision", 1)  # agree
        decided = form.query_one("#decided_by", Input)
        assert await wait_for(lambda: decided.value == "Director", pilot)
        await tab_to(app, pilot, "decided_by")  # its text selected: typing replaces it
        await pilot.press(*"SLT")
        await save_and_settle(app, pilot)
        form = await open_form(app, pilot, "1.1.3")
        await choose(app, pilot, "decision", 2)  # refuse, and who decided left as it is
        decided = form.query_one("#decided_by", Input)
        assert await wait_for(lambda: decided.value == "Director", pilot)
        await save_and_settle(app, pilot)
        # a new date agreed there and then: "Agreed by" shows once it is agreed, not asked
        form = await open_form(app, pilot, "1.1.20")
        assert not form.query_one("#decided_by").display  # asked for: who asks is recorded
        await tab_to(app, pilot, "extend_to")
        await pilot.press(*"2017-09-30")
        await choose(app, pilot, "date_kind", 1)  # "agreed already"
        assert form.query_one("#decided_by").display
        await tab_to(app, pilot, "decided_by")
        await pilot.press(*"DCS")
        await tab_to(app, pilot, "reason")
        await pilot.press(*"Ok")
        await save_and_settle(app, pilot)
    agreed_now = action_data(plans, "1.1.20")["extension"][0]
    assert (agreed_now["agreed_by"], str(agreed_now["due"])) == ("DCS", "2017-09-30")
    agreed = action_data(plans, "1.1.10")["extension"][0]
    assert (agreed["state"], agreed["agreed_by"], agreed["requested_by"]) == ("agreed", "SLT", LEAD)
    refused = action_data(plans, "1.1.3")["extension"][0]
    assert (refused["state"], refused["refused_by"]) == ("refused", "Director")
