"""Every RAG word the app draws reaches 4.5:1 against what it is drawn on, in every theme
and with NO_COLOR (issue 10 item 7), measured from the screen itself (Textual's own SVG
export of exactly what it would draw)."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from textual.widgets import Static

from app_helpers import plain
from helpers import SHIPPED, there, wait_for
from improve.report.style import contrast
from improve.tui import make_app
from improve.tui.action import ActionScreen
from improve.tui.plan import PlanScreen
from improve.tui.review import ReviewScreen

TODAY = date(2017, 1, 5)
WORDS = re.compile(r"\b(RED|AMBER|GREEN|GREY|BLUE|(?<=\d )(?:red|amber|green|grey|blue))\b")
CELL = 12.2  # the width of one character in Textual's SVG


def rag_words(svg: str) -> list[tuple[str, str, str]]:
    """(word, text colour, background colour) for every RAG word on the screen."""
    styles = {
        name: there(re.search(r"fill: (#[0-9a-f]{6})", body)).group(1)
        for name, body in re.findall(r"\.([\w-]+) \{ ([^}]*) \}", svg)
        if "fill:" in body
    }
    rects = [
        (float(x), float(y), float(w), float(h), fill)
        for fill, x, y, w, h in re.findall(
            r'<rect fill="(#[0-9a-f]{6})" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" '
            r'height="([\d.]+)"',
            svg,
        )
    ]
    found = []
    for cls, x, y, body in re.findall(
        r'<text class="([\w-]+)" x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)</text>', svg
    ):
        text = html.unescape(body).replace("\xa0", " ")
        for m in WORDS.finditer(text):
            wx, ty = float(x) + m.start() * CELL + CELL / 2, float(y)
            bg = next(
                (f for rx, ry, rw, rh, f in rects if rx <= wx < rx + rw and ry <= ty <= ry + rh),
                None,
            )
            if bg is not None and cls in styles:
                found.append((m.group(1), styles[cls], bg))
    return found


@pytest.mark.parametrize("no_color", [False, True], ids=["colour", "NO_COLOR"])
@pytest.mark.parametrize("high_contrast", [False, True], ids=["default", "high-contrast"])
async def test_every_rag_word_reaches_aa_contrast(monkeypatch, no_color, high_contrast):
    _colour_mode(monkeypatch, no_color)
    app = make_app(SHIPPED, TODAY, poll=0, history=False, high_contrast=high_contrast)
    seen = []
    async with app.run_test(size=(120, 30)) as pilot:
        assert await wait_for(lambda: app.statuses is not None, pilot)
        await pilot.pause()
        seen += rag_words(app.export_screenshot())
        app.show_plan("telford-ofsted-2016")
        assert await wait_for(lambda: isinstance(app.screen, PlanScreen), pilot)
        await pilot.pause()
        seen += rag_words(app.export_screenshot())
        app.workers.cancel_all()
    assert {w for w, _, _ in seen} >= {"RED", "GREY", "red", "grey"}  # the check saw them
    low = sorted(
        {(w, fg, bg, round(contrast(fg, bg), 2)) for w, fg, bg in seen if contrast(fg, bg) < 4.5}
    )
    assert low == []


def _colour_mode(monkeypatch, no_color: bool) -> None:
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture(scope="module")
def replayed(tmp_path_factory):
    """A copy of the shipped plans with their own dated entries replayed into a history,
    as `improve demo` makes it: the review briefing and the History tab have RAG words."""
    from improve import api
    from improve.cli.main import make_demo_copy

    copy = make_demo_copy(SHIPPED, tmp_path_factory.mktemp("demo") / "plans")
    with api.Workspace(copy) as ws:
        ws.require_store().replay(ws.load(), TODAY)
    return copy


@pytest.mark.parametrize("no_color", [False, True], ids=["colour", "NO_COLOR"])
@pytest.mark.parametrize("high_contrast", [False, True], ids=["default", "high-contrast"])
async def test_rag_words_in_review_mode_and_history_reach_aa_contrast(
    monkeypatch, replayed, no_color, high_contrast
):
    _colour_mode(monkeypatch, no_color)
    app = make_app(replayed, TODAY, poll=0, high_contrast=high_contrast)
    seen = []
    async with app.run_test(size=(120, 60)) as pilot:
        assert await wait_for(lambda: app.statuses is not None, pilot)
        await pilot.press("v")
        assert await wait_for(lambda: isinstance(app.screen, ReviewScreen), pilot)
        briefing = app.screen.query_one("#briefing", Static)
        assert await wait_for(lambda: "Red now" in plain(briefing.content), pilot)
        await pilot.pause()
        review = rag_words(app.export_screenshot())
        await pilot.press("escape")
        app.show_action("telford-ofsted-2016", "1.4.5")
        assert await wait_for(lambda: isinstance(app.screen, ActionScreen), pilot)
        await pilot.press("h")
        history = app.screen.query_one("#history", Static)
        assert await wait_for(lambda: "first recorded" in plain(history.content), pilot)
        await pilot.pause()
        story = rag_words(app.export_screenshot())
        app.workers.cancel_all()
    assert {w for w, _, _ in review} >= {"red", "green"}  # the check saw the briefing's words
    assert {w for w, _, _ in story} >= {"RED"}  # and the History tab's
    seen = review + story
    low = sorted(
        {(w, fg, bg, round(contrast(fg, bg), 2)) for w, fg, bg in seen if contrast(fg, bg) < 4.5}
    )
    assert low == []
