"""The `status` table without Rich (cli/plain.py) is Rich's table, line for line and
space for space, at every width from 60 columns up; Rich's own layout is kept here as
the oracle. Where the numbers alone fill the line, Rich cuts even them to "…"; the plain
table keeps them."""

from __future__ import annotations

import io
from datetime import date
from typing import IO, cast

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich import box
from rich.cells import cell_len as rich_cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from improve.cli.plain import Styler, cell_len, status_text
from improve.plans.vocab import RAGS
from improve.present.tables import _Trimmed, long_date
from improve.present.text import counts_text, pct, rag_text
from improve.status.tally import Rollup

TODAY = date(2017, 1, 5)


def rich_table(lines, total, today, width, reported):
    """present.tables' table as it was drawn with Rich: the oracle."""
    table = Table(
        title=f"Plans as at {long_date(today)}", title_justify="left", box=box.SIMPLE_HEAD,
        leading=1, caption_justify="left",
        caption=f"All plans: {pct(total.percent)} complete · {total.summary()} · "
        f"{total.overdue} overdue · {total.stale} stale",
    )  # fmt: skip
    table.add_column("Plan", max_width=max(24, width - 42))
    for name in ("Done", "RAG", "Complete", "Overdue", "Stale"):
        table.add_column(name, justify="left" if name == "RAG" else "right", no_wrap=True)
    for plan_id, title, r in lines:
        cell = Table.grid()
        cell.add_column()
        for line, style in ((plan_id, "bold"), (title, "dim")):
            cell.add_row(Text(line, style=style, no_wrap=True, overflow="ellipsis"))
        cell.add_row(counts_text(r.counts))
        if reported and plan_id in reported:
            body, meeting, due = reported[plan_id]
            nxt = f"; next due {due.isoformat()}" if due else ""
            cell.add_row(Text(f"last reported to {body} on {meeting.isoformat()}{nxt}",
                              style="italic"))  # fmt: skip
        table.add_row(cell, pct(r.percent), rag_text(r.rag), f"{r.complete} of {r.total}",
                      str(r.overdue), str(r.stale))  # fmt: skip
    return table


class Pipe(io.StringIO):
    def isatty(self) -> bool:
        return False


def by_rich(lines, total, width, reported) -> str:
    out = Pipe()
    trimmed = cast(IO[str], _Trimmed(out))  # a text stream, as make_console has it
    console = Console(file=trimmed, width=width, highlight=False, soft_wrap=False,
                      color_system=None)  # fmt: skip
    console.print(rich_table(lines, total, TODAY, width, reported))
    return out.getvalue()


def rollup(counts: dict[str, int], percent, overdue: int, stale: int) -> Rollup:
    total = sum(counts.values())
    rag = next((c for c in RAGS if counts.get(c)), None)
    full = {c: counts.get(c, 0) for c in RAGS}
    return Rollup(percent, rag, full, total, full["blue"], overdue, stale, 0)


_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Mn", "Me", "Cf", "Zl", "Zp")),
    max_size=90,
).filter(lambda t: all(cell_len(ch) == rich_cell_len(ch) == 1 for ch in t))
# one column a character, by both width tables (they differ on a few rare scripts)
_ROLLUP = st.builds(
    rollup,
    st.dictionaries(st.sampled_from(RAGS), st.integers(0, 400)),
    st.one_of(st.none(), st.floats(0, 100)),
    st.integers(0, 999),
    st.integers(0, 999),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(_TEXT.filter(bool), _TEXT, _ROLLUP), min_size=1, max_size=4),
    st.integers(60, 200),
    st.booleans(),
)
def test_the_plain_table_is_richs_table(plans, width, with_report):
    lines = [(pid, title, r) for pid, title, r in plans]
    total = rollup({c: sum(r.counts[c] for *_, r in lines) for c in RAGS}, 42.5, 3, 4)
    reported: dict[str, tuple[str, date, date | None]] | None = (
        {lines[0][0]: ("Children and Young People Scrutiny Committee", date(2017, 1, 12),
                       date(2017, 4, 12))} if with_report else None
    )  # fmt: skip
    plain = status_text(lines, total, TODAY, width, reported, Styler(Pipe(), {}))
    assert plain == by_rich(lines, total, width, reported)


def test_styles_on_a_terminal_and_none_without_colour():
    r = rollup({"red": 2, "green": 1}, 10.0, 2, 0)
    lines = [("telford", "A plan", r)]
    coloured = status_text(lines, r, TODAY, 80, None, Styler(Pipe(), {"FORCE_COLOR": "1"}))
    assert "\x1b[1;31mRED\x1b[0m" in coloured and "\x1b[1;31m2 red\x1b[0m" in coloured
    assert "\x1b[1mPlan\x1b[0m" in coloured and "\x1b[2mA plan\x1b[0m" in coloured
    no_colour = status_text(lines, r, TODAY, 80, None,
                            Styler(Pipe(), {"FORCE_COLOR": "1", "NO_COLOR": "1"}))  # fmt: skip
    assert "\x1b[1mRED\x1b[0m" in no_colour and "31" not in no_colour  # the word carries it
    dumb = status_text(
        lines, r, TODAY, 80, None, Styler(Pipe(), {"FORCE_COLOR": "1", "TERM": "dumb"})
    )
    assert "\x1b" not in dumb
    # without the codes, every one of them is the same table
    import re

    strip = re.compile(r"\x1b\[[0-9;]*m")
    assert strip.sub("", coloured) == strip.sub("", no_colour) == dumb


def test_plan_text_is_inert_in_the_plain_table():
    r = rollup({"grey": 1}, 0.0, 0, 0)
    title = "Clear \x1b[2J screen\x07 and\x9b title\x1b]0;x\x07"
    text = status_text([("p", title, r)], r, TODAY, 120, None, Styler(Pipe(), {}))
    assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text
    assert "Clear ␛[2J screen and⟨9B⟩ title␛]0;x" in text
