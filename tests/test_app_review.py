"""Review mode tells the truth (issue 22 items 9 and 11): the trend ends with "now", every
sparkline of percents is drawn on one 0–100% scale, the briefing is on the first screen at
80×24 however long the trend, and the review form keeps a pasted Tab as Tab (what follows
it goes to the next field: attendees never merge into the note)."""

from __future__ import annotations

from datetime import date, timedelta

from textual import events
from textual.css.query import NoMatches
from textual.errors import NoWidget
from textual.widgets import Input, Static

from app_helpers import plain
from helpers import SAMPLE, running, there, wait_for, write
from improve.api import Workspace, portfolio_status
from improve.present.text import RAG_STYLE
from improve.tui.review import RecordReview, ReviewScreen, trend_table
from improve.tui.widgets import sparkline

TODAY = date(2017, 1, 12)


def test_sparklines_of_percents_share_one_scale():
    assert sparkline([0, 3], 0, 100) == "▁▁"  # not ▁█: 3% is barely started
    assert sparkline([0, 100], 0, 100) == "▁█"
    assert sparkline([25, 42, 42], 0, 100) == "▃▄▄"
    assert sparkline([50, 50], 0, 100) == "▅▅"  # one level: as high as it is, not mid-way
    assert sparkline([5, 10, 15]) == "▁▅█"  # readings in their own units: low to high


def reviewed_folder(tmp_path, plans: int = 4, reviews: int = 6):
    """`plans` plans, each reviewed `reviews` times (a week apart, to 2017-01-05)."""
    folder = tmp_path / "plans"
    folder.mkdir()
    for n in range(plans):
        write(folder, f"p{n}.toml", SAMPLE.replace('id = "sample"', f'id = "p{n}"'))
    with Workspace(folder) as ws:
        statuses = portfolio_status(ws.load(), date(2017, 1, 5))
        for k in range(reviews):
            day = date(2017, 1, 5) - timedelta(weeks=reviews - 1 - k)
            there(ws.store).record_review(statuses, day, f"review {k}")
    return folder


def test_the_trend_ends_with_now(tmp_path):
    folder = reviewed_folder(tmp_path, plans=1, reviews=2)
    with Workspace(folder) as ws:
        trend = there(ws.store).trend()
    table = trend_table(trend, {"p0": "Sample"}, RAG_STYLE, now={"p0": (60.0, {"red": 1})})
    from rich.console import Console

    console = Console(width=80, record=True)
    console.print(table)
    lines = [ln.rstrip() for ln in console.export_text().splitlines()]
    assert lines[0] == "Sample  ▃▃▅  2 reviews, then now"
    assert lines[-1].split() == ["now", "60%", "complete", "1", "red"]


async def test_the_briefing_is_on_the_first_screen_at_80_by_24_and_the_form_keeps_tab(
    tmp_path,
):
    folder = reviewed_folder(tmp_path)
    async with running(folder, TODAY, size=(80, 24), history=True) as (app, pilot):
        await pilot.press("v")
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        briefing = screen.query_one("#briefing", Static)
        assert await wait_for(lambda: "since review" in plain(briefing.content), pilot)
        await pilot.pause()

        def rows_of(widget) -> list[int]:
            found = []
            for y in range(24):
                try:
                    if screen.get_widget_at(2, y)[0] is widget:
                        found.append(y)
                except (NoWidget, NoMatches):
                    pass
            return found

        rows = rows_of(briefing)
        # its first line is blank, its heading the next: above the footer (row 23)
        assert rows and rows[0] + 1 < 23, rows
        assert "Trend" in plain(screen.query_one("#trend", Static).content)
        # the review form: a pasted Tab moves to the next field, as a typed one does
        await pilot.press("R")
        modal = app.screen
        assert isinstance(modal, RecordReview)
        note = modal.query_one("#review-note", Input)
        who = modal.query_one("#review-attendees", Input)
        assert app.focused is note
        note.post_message(events.Paste("SLT January\tAnn Lee\tBob Roe"))
        assert await wait_for(lambda: who.value == "Ann Lee, Bob Roe", pilot), who.value
        assert note.value == "SLT January" and app.focused is who
        # typed faster than the focus moves: every key reaches the app before the first
        # is handled (as a terminal delivers a quick burst), the Tab among them
        await pilot.press("shift+tab")
        note.value = who.value = ""
        for key, char in [*((c, c) for c in "slt"), ("tab", "\t"), *((c, c) for c in "dcs")]:
            app.post_message(events.Key(key, char))
        assert await wait_for(lambda: len(note.value + who.value) == 6, pilot)
        assert (note.value, who.value) == ("slt", "dcs")
