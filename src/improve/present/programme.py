"""The committees' work programme on a terminal: one table per body, as a scrutiny work
programme lays it out (next due, item, date of last report, follow-up)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from .tables import long_date

if TYPE_CHECKING:
    from ..api import Body


def short_date(d: date | None) -> str:
    return "–" if d is None else f"{d.day} {d:%b %Y}"


def programme_table(bodies: list[Body], today: date) -> Group:
    """Per body, its plans soonest due first; the follow-up in words (never colour alone)."""
    parts: list[RenderableType] = [Text(f"Work programme as at {long_date(today)}", style="bold")]
    for body in bodies:
        table = Table(
            title=Text(body.name),
            title_justify="left",
            title_style="bold",
            box=box.SIMPLE_HEAD,
            expand=True,
        )
        table.add_column("Next due", no_wrap=True, min_width=11)  # the tables line up
        table.add_column("Plan", ratio=1)
        table.add_column("Last reported", no_wrap=True)
        table.add_column("Follow-up", no_wrap=True, min_width=17)
        for item in body.items:
            follow = Text(item.follow_up or "")
            if item.overdue:
                follow.stylize("bold red")
            table.add_row(
                short_date(item.next_due),
                Text(item.title),
                short_date(item.last_reported),
                follow,
            )
        parts += [Text(""), table]
    return Group(*parts)
