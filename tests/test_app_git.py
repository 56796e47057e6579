"""The app commits as the command line does (issue 22 items 3 and 4): with IMPROVE_COMMIT=1
a save in the app is committed, the plan file alone, authored by the app's user, and said;
a review recorded with R is written to plans/reviews/DATE.toml exactly as `review record`
writes it, and committed. A real repository, made with the git command."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from textual import events
from textual.widgets import Input

from git_helpers import git, make_repo
from helpers import running, wait_for
from improve.tui.review import RecordReview, ReviewScreen

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

TODAY = date(2017, 1, 12)


async def test_a_save_and_a_review_in_the_app_are_committed(tmp_path, monkeypatch):
    repo = make_repo(tmp_path, monkeypatch)
    monkeypatch.setenv("IMPROVE_COMMIT", "1")
    plans = repo / "plans"
    async with running(plans, TODAY, user="Ann Lee", size=(120, 40), history=True) as (app, pilot):
        app.show_action("sample", "1.1.1")
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        await pilot.press("7", "5", "ctrl+s")  # typed into the percent box, then saved
        said = app.notify.messages
        assert await wait_for(lambda: any(m.startswith("Committed ") for m in said), pilot)
        head = git(repo, "rev-parse", "HEAD").strip()
        assert f"Committed {head[:7]}" in said
        assert git(repo, "log", "-1", "--format=%an|%s") == (
            "Ann Lee|sample:1.1.1 percent 50 → 75\n"
        )
        assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == [
            "plans/sample.toml"
        ]
        await pilot.press("escape", "v")
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("R")
        assert isinstance(app.screen, RecordReview)
        who = app.screen.query_one("#review-attendees", Input)
        app.screen.query_one("#review-note", Input).post_message(events.Paste("SLT\tDCS"))
        assert await wait_for(lambda: who.value == "DCS", pilot)  # pasted, Tab and all
        await pilot.press("ctrl+s")
        path = plans / "reviews" / "2017-01-12.toml"
        assert await wait_for(lambda: sum(m.startswith("Committed ") for m in said) == 2, pilot)
        assert path.is_file()
    assert git(repo, "log", "-1", "--format=%an|%s", "--name-only") == (
        "Ann Lee|Review of 2017-01-12: SLT\n\nplans/reviews/2017-01-12.toml\n"
    )
    text = path.read_text()
    assert 'note = "SLT"' in text and 'attendees = ["DCS"]' in text
    assert 'recorded_by = "Ann Lee"' in text
    assert git(repo, "status", "--porcelain") == ""
