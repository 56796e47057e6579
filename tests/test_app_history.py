"""The history in the app: an action's History tab, review mode with its moves and trend,
recording a review from the app, and an app without a usable database still working."""

from __future__ import annotations

import json
from datetime import date

from click.testing import CliRunner
from textual.widgets import Input, Static, TabbedContent

from app_helpers import plain, save_and_settle
from helpers import running, wait_for
from improve.cli.main import cli
from improve.history import HistoryStore
from improve.tui.action import ActionScreen
from improve.tui.review import RecordReview, ReviewScreen

TODAY = date(2017, 1, 12)


def cli_run(plans, *args):
    return CliRunner().invoke(cli, ["--plans", str(plans), *map(str, args)], catch_exceptions=False)


async def test_history_tab_tells_the_actions_story(plans):
    assert cli_run(plans, "--today", "2017-01-05", "status").exit_code == 0  # baseline
    cli_run(
        plans,
        "--today",
        "2017-01-10",
        "update",
        "sample:2.1.1",
        "--percent",
        "60",
        "--by",
        "Head of Early Help",
    )
    async with running(plans, TODAY, history=True) as (app, pilot):
        app.show_action("sample", "2.1.1")
        await pilot.pause()
        await pilot.press("h")
        screen = app.screen
        assert isinstance(screen, ActionScreen)
        assert screen.query_one(TabbedContent).active == "tab-history"
        view = screen.query_one("#history", Static)
        assert await wait_for(lambda: "Head of Early" in plain(view.content), pilot)
        text = plain(view.content)
        assert "first recorded" in text and "percent complete 25% → 60%" in text
        assert text.index("first recorded") < text.index("percent complete 25% → 60%")


async def test_review_mode_shows_moves_with_arrows_and_words_and_records_a_review(plans):
    cli_run(plans, "--today", "2017-01-05", "review", "record", "--note", "January")
    async with running(plans, TODAY, user="Director", size=(120, 50), history=True) as (app, pilot):
        app.show_action("sample", "1.1.1")
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        await pilot.press("1", "0", "0")  # typed into the percent box: amber → blue
        await save_and_settle(app, pilot)
        await pilot.press("escape", "v")
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        briefing = screen.query_one("#briefing", Static)
        assert await wait_for(lambda: "Moved up" in plain(briefing.content), pilot)
        text = " ".join(plain(briefing.content).split())
        assert (
            "sample:1.1.1 Refresh the supervision policy ▲ AMBER → BLUE (2017-01-12, Director)"
            in text
        )
        assert "percent complete 50% → 100% (2017-01-12, Director)" in text
        assert "Trend" in plain(screen.query_one("#trend", Static).content)
        await pilot.press("R")
        assert isinstance(app.screen, RecordReview)
        app.screen.query_one("#review-note", Input).value = "SLT February"
        app.screen.query_one("#review-attendees", Input).value = "Director, Head of Early Help"
        await pilot.press("ctrl+s")  # recorded in a worker, then the briefing is read again
        assert await wait_for(
            lambda: "since review 2 of 2017-01-12 — SLT February" in plain(briefing.content), pilot
        )
        assert "Moved up" not in plain(briefing.content)
        assert await wait_for(
            lambda: "2 reviews" in plain(screen.query_one("#trend", Static).content), pilot
        )
        trend = plain(screen.query_one("#trend", Static).content)
        # worked out from the sample: at the first review 50, 0 and 25 percent (25%), one red;
        # now 1.1.1 is at 100 (blue), so (100 + 0 + 25) / 3, 42%; drawn on 0–100%, then now
        assert [line.strip() for line in trend.splitlines() if line.strip()] == [
            "Trend",
            "Sample improvement plan  ▃▄▄  2 reviews, then now",
            "2017-01-05   25% complete  1 red · 2 amber",
            "2017-01-12   42% complete  1 red · 1 amber · 1 blue",
            "now          42% complete  1 red · 1 amber · 1 blue",
        ]
    doc = json.loads(cli_run(plans, "review", "list", "--json").output)
    last = doc["reviews"][-1]
    assert last["note"] == "SLT February" and last["attendees"] == [
        "Director",
        "Head of Early Help",
    ]
    assert last["recorded_by"] == "Director"


async def test_a_hand_edit_picked_up_while_open_is_recorded_as_by_hand(plans):
    import os

    cli_run(plans, "--today", "2017-01-05", "status")
    async with running(plans, TODAY, poll=0.05, history=True) as (app, pilot):
        path = plans / "sample.toml"
        path.write_text(path.read_text().replace("percent = 25", "percent = 40"))
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))
        # the app shows the edit (50, 0 and now 40 percent: 30%) and says it reloaded…
        done = app.screen.query_one("#plans")
        assert await wait_for(lambda: str(done.cells[0][1]).endswith(" 30%"), pilot)
        assert f"Reloaded, changed on disk: {path}" in app.notify.messages
        app.workers.cancel_all()
    # …and its history has the change, as made by hand
    store = HistoryStore(plans)
    try:
        events = store.history("sample", "2.1.1")
    finally:
        store.close()
    assert events[0].field is None  # first recorded, by the baseline run
    assert [(e.field, e.old, e.new, e.who) for e in events[1:]] == [
        ("percent", 25, 40, "edited by hand")
    ]


async def test_the_app_works_when_the_history_cannot_be_opened(plans, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    async with running(plans, TODAY, db=blocker / "history.db", history=True) as (app, pilot):
        assert any(said.startswith("History not recorded: ") for said in app.notify.messages)
        assert app.statuses and app.history is None
        await pilot.press("v")
        status = app.screen.query_one("#review-status", Static)
        assert await wait_for(lambda: "not available" in plain(status.content), pilot)
