"""What the app's tests share: reading the screen as text, opening a plan and an action, saving
and waiting for the save to settle (never sleep and hope)."""

from __future__ import annotations

import io
import re

from rich.console import Console
from textual.command import CommandList
from textual.widgets import Static

from helpers import wait_for
from improve.tui.plan import PlanScreen


def plain(renderable) -> str:
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def detail_rows(screen) -> list[tuple[str, ...]]:
    """The action screen's detail grid as (label, value) rows, as on screen (a line with
    no gap of two spaces, a 1-tuple)."""
    text = plain(screen.query_one("#detail", Static).content)
    return [tuple(re.split(r"\s{2,}", line.strip(), maxsplit=1)) for line in text.splitlines()]


async def save_and_settle(app, pilot):
    """ctrl+s in the form, then wait until the plans are loaded again after the save."""
    before = app.statuses
    await pilot.press("ctrl+s")
    assert await wait_for(lambda: app.statuses is not before, pilot), "no reload after the save"
    await pilot.pause()


async def open_plan(pilot):
    """enter on the first screen: the plan under the cursor."""
    await pilot.press("enter")
    assert isinstance(pilot.app.screen, PlanScreen)
    return pilot.app.screen


def refs(screen) -> list[str]:
    """The refs of the rows on show: themes as T<id>, recommendations and actions as their ref."""
    table = screen.query_one("#actions")
    keys = list(table.keys)
    return [("T" if k.startswith("theme:") else "") + k.rsplit(":", 1)[-1] for k in keys]


def filters_line(screen) -> str:
    return str(screen.query_one("#filters", Static).render())


def match_line(screen) -> str:
    """The first line under the plan's header: how many actions match, and the filters."""
    return filters_line(screen).split("\n")[0]


def palette_hits(app) -> list[str]:
    """What the command palette lists: each hit's first line, as on screen."""
    hits = app.screen.query_one_optional(CommandList)
    if hits is None:
        return []
    return [
        str(hits.get_option_at_index(i).prompt).split("\n")[0] for i in range(hits.option_count)
    ]


BRACKETS = """\
[plan]
title = "[DRAFT] Sample [/] plan"
labels = { recommendation = "Concern [/]" }
start = 2016-09-01
[[theme]]
id = "1"
title = "[b]Theme[/b] [/]"
[[recommendation]]
ref = "1"
theme = "1"
title = "Rec [/] one"
text = "[red]text[/]"
source = "[/]"
why = "[/] why"
good_looks_like = ["[/] good"]
leads = ["[i]Lead[/]"]
[[recommendation.action]]
ref = "1.[/]"
action = "Act [/] now"
outcome = "[/]"
due = 2017-03-01
  [[recommendation.action.measure]]
  id = "m1"
  text = "90% [/] supervised"
  target = 90
"""


def screen_lines(app) -> list[str]:
    """The screen's text as drawn, line by line."""
    return ["".join(s.text for s in strip) for strip in app.screen._compositor.render_strips()]
