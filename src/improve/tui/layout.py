"""Column widths for the app's tables, worked out per screen width (issue 22 item 10).

Every column a person needs fits on screen at 80 columns; a number is never cut. Each
column that holds numbers or dates is as wide as its widest cell (measured from what is
shown), and the text columns (a plan's title, an action, its leads) take what is left,
clipped with "…". What does not fit is dropped, the least useful first, or shown in a
shorter form ("16R 1A 49Gy" for "16 red · 1 amber · 49 grey"; no bar beside a percent).
"""

from __future__ import annotations

from dataclasses import dataclass

GAP = 2  # between columns (LineTable draws each cell then two spaces)
EDGE = 1  # LineTable's first column starts one cell in
SCROLLBAR = 2  # kept free for the table's vertical scroll bar, which may come and go
TITLE_MIN = 12  # a plan's title never gets less than this (the plan's screen shows it whole)
TITLE_ROOM = 30  # …and a richer column is added only while the title keeps this much
BAR = 11  # the progress bar beside a percent ("██████░░░░ " before " 38%")
WIDE = 100  # from this width the plan screen shows every column


def usable(width: int) -> int:
    """The cells a table's columns may take on a screen `width` wide."""
    return max(0, width - SCROLLBAR - EDGE)


@dataclass(frozen=True)
class PortfolioColumns:
    """What the portfolio's table shows at one width, and how wide each column is."""

    title: int
    bar: bool
    long_counts: bool
    counts: int
    reported: int  # 0: not shown
    kind: int  # 0: not shown

    def columns(self) -> list[tuple[str, int]]:
        cols = [
            ("RAG", 5),
            ("Done", 4 + (BAR if self.bar else 0)),
            ("Plan", self.title),
            ("Overdue", 7),
            ("Next due", 10),
            ("Stale", 5),
            ("Actions by RAG" if self.long_counts else "Actions", self.counts),
        ]
        if self.kind:
            cols.append(("Kind", self.kind))
        if self.reported:
            cols.append(("Last reported", self.reported))
        return cols


def fit_portfolio(
    width: int, *, long_counts: int, short_counts: int, reported: int, kind: int
) -> PortfolioColumns:
    """The portfolio's columns at `width`: RAG, percent, title, overdue, next due, stale
    and the actions by RAG always (the counts at their widest cell, never cut); then, while
    the title keeps TITLE_ROOM, the counts in words, the last report, the kind and the bar.
    `long_counts`, `short_counts`, `reported`, `kind`: the widest cell of each."""
    short = max(len("Actions"), short_counts)
    long = max(len("Actions by RAG"), long_counts)
    fixed = sum(w + GAP for w in (5, 4, 7, 10, 5, short)) + GAP  # and the title's gap
    title = usable(width) - fixed

    def room(cost: int) -> bool:
        nonlocal title
        if title - cost < TITLE_ROOM:
            return False
        title -= cost
        return True

    words = room(long - short)
    reported = max(len("Last reported"), reported)
    reported = reported if room(reported + GAP) else 0
    kind = max(len("Kind"), kind)
    kind = kind if room(kind + GAP) else 0
    bar = room(BAR)
    return PortfolioColumns(
        title=max(TITLE_MIN, title),
        bar=bar,
        long_counts=words,
        counts=long if words else short,
        reported=reported,
        kind=kind,
    )


@dataclass(frozen=True)
class PlanColumns:
    """The plan screen's columns at one width."""

    ref: int
    rag: int
    due: int
    action: int
    lead: int
    impact: int  # 0: not shown

    def columns(self) -> list[tuple[str, int]]:
        cols = [
            ("Ref", self.ref),
            ("RAG", self.rag),
            ("%", 4),
            ("Due", self.due),
            ("Action", self.action + 2),  # a group's title starts "▾ "
            ("Lead(s)", self.lead),
        ]
        if self.impact:
            cols.append(("Impact", self.impact))
        return cols

    @property
    def widths(self) -> tuple[int, int]:
        """(action, lead): how much of each text the rows keep."""
        return self.action, self.lead


def fit_plan(width: int, *, ref: int, rag: int, due: int, impact: int) -> PlanColumns:
    """The plan screen's columns at `width`: ref, RAG, percent and due at their widest
    cell; the action and its leads share what is left (the leads a third, up to 50; the
    action up to 100); the impact only from WIDE columns (narrower, the action's own
    screen shows it). `ref`, `rag`, `due`, `impact`: the widest cell of each."""
    ref, rag, due = max(3, ref), max(3, rag), max(3, due)
    impact = max(len("Impact"), impact) if width >= WIDE else 0
    fixed = sum(w + GAP for w in (ref, rag, 4, due)) + (impact + GAP if impact else 0)
    flex = usable(width) - fixed - 2 - 2 * GAP  # the action's "▾ ", and two gaps
    lead = min(50, max(10, flex // 3))
    action = min(100, max(20, flex - lead))
    return PlanColumns(ref, rag, due, action, lead, impact)
