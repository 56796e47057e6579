"""SVG snapshots of the main screens on the shipped plans as at 2017-01-05, at 100×30.

Update them after a deliberate change with `pytest tests/test_snapshots.py --snapshot-update`,
then look at the SVGs in tests/__snapshots__/ before committing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from helpers import until_loaded
from improve.tui import make_app

PLANS = Path(__file__).resolve().parent.parent / "plans"
SIZE = (100, 30)


def app():
    # a fixed banner: the default names the plans folder, which differs between machines
    return make_app(
        PLANS,
        date(2017, 1, 5),
        user="Head of Early Help",
        poll=0,
        history=False,
        banner="shipped plans · as at 2017-01-05",
    )


async def loaded(pilot):
    await until_loaded(pilot.app, pilot)


def test_portfolio_worst_first(snap_compare):
    assert snap_compare(app(), press=["w"], terminal_size=SIZE, run_before=loaded)


def test_plan_red_actions(snap_compare):
    assert snap_compare(app(), press=["w", "enter", "r"], terminal_size=SIZE, run_before=loaded)


def test_action_detail(snap_compare):
    assert snap_compare(
        app(), press=["w", "enter", "r", "enter"], terminal_size=SIZE, run_before=loaded
    )


def test_help(snap_compare):
    assert snap_compare(app(), press=["question_mark"], terminal_size=SIZE, run_before=loaded)


def test_update_form(snap_compare):
    async def before(pilot):
        await loaded(pilot)
        await pilot.press("w", "enter", "r", "u")
        await pilot.pause()
        assert pilot.app.screen.query_one_optional("#form-title") is not None
        for widget in pilot.app.screen.query("Input"):
            widget.cursor_blink = False

    assert snap_compare(app(), terminal_size=SIZE, run_before=before)
