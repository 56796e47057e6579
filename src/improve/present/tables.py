"""Human output: Rich tables that read at 80 columns; RAG always as a word."""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Sequence
from datetime import date
from typing import IO, TYPE_CHECKING, NamedTuple, cast

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..api import long_date as long_date  # present.tables.long_date, as callers have it
from .text import clip, pending_words, rag_text

if TYPE_CHECKING:  # the tables a run from today's memo prints load neither (improve.status.memo)
    from ..api import ActionRow


class Listed(NamedTuple):
    """One line of the actions table, from the rules' results (actions_table) or from a
    day's memo (cli/listing.py): the one layout, `listed_table`, draws both."""

    plan_id: str
    plan_title: str
    ref: str
    text: str
    why: str
    asked: str | None  # the pending request's wording, if one awaits the meeting
    leads: Sequence[str]
    due: date | None
    extended: bool  # the due date in force differs from the original
    percent: int
    rag: str | None
    stale: bool


def actions_table(rows: list[ActionRow], total: int, today: date, width: int = 80) -> Group:
    """One table per plan, under a line that says how many actions match."""
    from ..api import pending_extension

    listed = []
    for row in rows:
        st = row.status
        asked = pending_extension(row.action)
        listed.append(
            Listed(
                row.plan.id,
                row.plan.title,
                row.action.ref,
                row.action.action,
                st.why,
                pending_words(asked) if asked is not None else None,
                row.action.leads or row.recommendation.leads,
                st.due,
                st.due != st.original_due,
                st.percent,
                st.rag,
                st.stale,
            )
        )
    return listed_table(listed, total, today, width)


def listed_table(listed: list[Listed], total: int, today: date, width: int = 80) -> Group:
    """One table per plan, under a line that says how many actions match."""
    parts: list[RenderableType] = [
        Text(f"{len(listed)} of {total} actions, as at {long_date(today)}", style="bold")
    ]
    limit = max(60, (width - 40) * 2)
    by_plan: dict[str, list[Listed]] = {}
    for item in listed:
        by_plan.setdefault(item.plan_id, []).append(item)
    extended = False
    for plan_items in by_plan.values():
        first = plan_items[0]
        table = Table(
            title=Text(f"{first.plan_id} — {first.plan_title}"),
            title_justify="left",
            title_style="bold",
            box=box.SIMPLE_HEAD,
            leading=1,
            expand=True,
        )
        table.add_column("Ref", no_wrap=True)
        table.add_column("Action", ratio=2)
        table.add_column("Lead", ratio=1)
        table.add_column("Due", no_wrap=True)
        table.add_column("%", justify="right", no_wrap=True)
        table.add_column("RAG", no_wrap=True)
        for item in plan_items:
            action = Text(clip(item.text, limit))
            action.append(f"\n{item.why}", style="italic")
            if item.asked is not None:
                action.append(f"\n{item.asked}", style="bold")
            due = "–" if item.due is None else item.due.isoformat()
            if item.extended:
                due += "*"
                extended = True
            rag = rag_text(item.rag)
            if item.stale:
                rag.append("\nstale")
            table.add_row(
                Text(item.ref),
                action,
                Text(clip("; ".join(item.leads), 80)),
                due,
                f"{item.percent}",
                rag,
            )
        parts += [Text(""), table]
    if extended:
        parts.append(Text("* extended: the due date in force differs from the original"))
    return Group(*parts)


_TRAILING = re.compile(r"[ \t]+((?:\x1b\[[0-9;]*m)*)$")


class _Trimmed(io.TextIOBase):
    """A stream that drops the spaces Rich pads each line of a table with (colour codes
    after them are kept), so piped output has no trailing white space."""

    def __init__(self, target: IO[str]) -> None:
        self.target, self.pending = target, ""

    def write(self, text: str) -> int:
        lines = (self.pending + text).split("\n")
        self.pending = lines.pop()
        if lines:
            self.target.write("".join(_TRAILING.sub(r"\1", ln) + "\n" for ln in lines))
        return len(text)

    def flush(self) -> None:
        if self.pending:
            self.target.write(self.pending)
            self.pending = ""
        self.target.flush()

    def isatty(self) -> bool:
        return self.target.isatty()

    def fileno(self) -> int:
        return self.target.fileno()


def make_console(stderr: bool = False) -> Console:
    """The console the command line prints through: no highlighting, no trailing spaces."""
    target = sys.stderr if stderr else sys.stdout
    stream = cast(IO[str], _Trimmed(target))  # a text stream: Rich needs only write and flush
    return Console(file=stream, highlight=False, soft_wrap=False)
