"""The `actions` table from a day's memo (improve.status.memo): the records a run earlier
today kept, laid out as `present.tables.actions_table` lays out the rules' results, cell
for cell, so a warm `improve actions --overdue` loads neither the plans' model nor the
rules. tests/test_dayview.py holds the two tables equal, byte for byte, at narrow and wide
widths, with colour and without."""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from datetime import date
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Group

    from ..api import Fact, PlanDay
    from .plain import Styler


def asked_words(asked: tuple[int, int, str]) -> str:
    """The wording of a pending request (present.text.pending_words) from what a memo
    keeps of it (Fact.asked): the same words, from the one place they are made."""
    from ..api import request_words

    due, on, by = asked
    return request_words(date.fromordinal(due), date.fromordinal(on) if on else None, by or None)


def actions_table_of(
    items: list[tuple[PlanDay, Fact]], total: int, today: date, width: int = 80
) -> Group:
    """One table per plan, under a line that says how many actions match: the one layout
    (present.tables.listed_table) that the rules' results are drawn with."""
    from ..present.tables import Listed, listed_table

    listed = [
        Listed(
            plan.plan_id,
            plan.title,
            f.ref,
            f.text,
            f.why,
            asked_words(f.asked) if f.asked is not None else None,
            f.leads,
            date.fromordinal(f.due) if f.due else None,
            f.due != f.original_due,
            f.percent,
            f.rag,
            f.stale,
        )
        for plan, f in items
    ]
    return listed_table(listed, total, today, width)


def _ratio_split(total: int) -> tuple[int, int]:
    """Rich's ratio_distribute(total, [2, 1], [3, 3]): the Action and Lead columns' share."""
    first = max(3, -(-2 * total // 3))
    return first, max(3, total - first)


def plain_table(
    items: list[tuple[PlanDay, Fact]],
    total: int,
    today: date,
    width: int,
    style: Styler | None = None,
) -> str | None:
    """The table `actions_table_of` makes, as Rich writes it with no styles (to a pipe or
    a dumb terminal), written directly: Rich's layout of this table was nine tenths of a
    warm run. None where Rich's layout takes a turn this does not follow (a terminal too
    narrow for the columns, a line longer than the terminal that Rich would fold, text
    with controls or tabs): Rich then lays it out."""
    from ..api import clip, long_date
    from .plain import Styler

    style = style or Styler(_NOWHERE)
    head = _flow(f"{len(items)} of {total} actions, as at {long_date(today)}", width)
    if head is None or (style.on and len(head) > 1):
        return None
    head = [style(head[0], "bold")]
    limit = max(60, (width - 40) * 2)
    by_plan: dict[str, list[tuple[PlanDay, Fact]]] = {}
    for item in items:
        by_plan.setdefault(item[0].plan_id, []).append(item)
    out = head
    extended = False
    for plan_items in by_plan.values():
        plan = plan_items[0][0]
        title = _flow(f"{plan.plan_id} — {plan.title}", width)
        if title is None:
            return None
        rows = []
        for _, f in plan_items:
            due = "–" if not f.due else date.fromordinal(f.due).isoformat()
            if f.due != f.original_due:
                due += "*"
                extended = True
            action: list[Line] = [(clip(f.text, limit), None), (f.why, "italic")]
            if f.asked is not None:
                action.append((asked_words(f.asked), "bold"))
            rs = f"rag:{f.rag}" if f.rag else "dim"
            rag: list[Line] = [((f.rag or "dropped").upper(), rs)]
            if f.stale:
                rag.append(("stale", rs))
            row: Row = ([(f.ref, None)], action, [(clip("; ".join(f.leads), 80), None)],
                        [(due, None)], [(f"{f.percent}", None)], rag)  # fmt: skip
            if not all(line.isprintable() for cell in row for line, _ in cell):
                return None
            rows.append(row)
        lines = _plan_lines(title, rows, width, style)
        if lines is None:
            return None
        out += ["", *lines]
    if extended:
        foot = _flow("* extended: the due date in force differs from the original", width)
        if foot is None:
            return None
        out += foot
    return "".join(line.rstrip(" ") + "\n" for line in out)


def _flow(text: str, width: int) -> list[str] | None:
    """A line of text as Rich prints it `width` wide, word-wrapped; None where Rich
    would fold a word longer than a line, or the text has a control or a tab."""
    from .plain import cell_len, wrap

    if not text.isprintable() or max(map(cell_len, text.split() or [""])) > width:
        return None
    return ["".join(t for t, _ in words) for words in wrap([(text, None)], width)]


_HEADS = ("Ref", "Action", "Lead", "Due", "%", "RAG")


_NOWHERE = io.StringIO()  # no terminal: a Styler that writes no styles
Line = tuple[str, "str | None"]  # a line of a cell and its style
Row = tuple[list[Line], list[Line], list[Line], list[Line], list[Line], list[Line]]


def _plan_lines(title: list[str], rows: list[Row], width: int, style: Styler) -> list[str] | None:
    """One plan's table: its title, the box's top edge, the header, its rule, the rows
    a blank line apart, the bottom edge (Rich's SIMPLE_HEAD, expanded to `width`)."""
    from .plain import cell_len, wrap

    inner = width - 7  # two edges, five gaps
    fixed = [max(cell_len(_HEADS[k]), *(cell_len(x) for row in rows for x, _ in row[k])) + 2
             for k in (0, 3, 4, 5)]  # fmt: skip
    fixed = [min(w, inner) for w in fixed]
    action_w, lead_w = _ratio_split(inner - sum(fixed))
    widths = [fixed[0], action_w, lead_w, fixed[1], fixed[2], fixed[3]]
    if sum(widths) != inner or min(widths) < 3:
        return None  # Rich collapses the columns: its layout, not this one

    flow = (False, True, True, False, False, False)

    def shape(k: int, line: str, st: str | None) -> list[str] | None:
        """A line of column k's cell as its lines, each padded to the column (the
        padding styled as the line in the RAG column, whose Text has the style)."""
        w = widths[k] - 2
        if st is None or not style.on:
            texts = [_cut(line, w)] if not flow[k] else [
                "".join(t for t, _ in words) for words in wrap([(line, None)], w)]  # fmt: skip
            return [" " * (w - cell_len(t)) + t if k == 4 else t + " " * (w - cell_len(t))
                    for t in texts]  # fmt: skip
        pieces = _pieces(line, w) if flow[k] else [line] if cell_len(line) <= w else None
        if pieces is None:
            return None  # a word cut with "…" in a styled line: Rich's
        if k == 5:
            return [style(p + " " * (w - cell_len(p)), st) for p in pieces]
        return [style(p, st) + " " * (w - cell_len(p)) for p in pieces]

    def cells(row: Row) -> list[str] | None:
        shaped = []
        for k, lines in enumerate(row):
            out: list[str] = []
            for line, st in lines:
                got = shape(k, line, st)
                if got is None:
                    return None
                out += got
            shaped.append(out)
        height = max(len(c) for c in shaped)
        return [" " + " ".join(" " + (c[n] if n < len(c) else " " * (widths[k] - 2)) + " "
                               for k, c in enumerate(shaped)) + " "
                for n in range(height)]  # fmt: skip

    out = [*title, ""]
    heads = []
    for k, h in enumerate(_HEADS):
        (text,) = shape(k, h, None) or [""]
        heads.append(style(" ", "bold") + style(text, "bold") + style(" ", "bold"))
    out.append(" " + " ".join(heads) + " ")
    out.append(" " + "─" * (width - 2))
    for n, row in enumerate(rows):
        if n:
            out.append("")
        lines = cells(row)
        if lines is None:
            return None
        out += lines
    out.append("")
    return out


def _pieces(text: str, width: int) -> list[str] | None:
    """Rich's word wrap of a styled line, each piece as Rich keeps it: with the spaces
    after its last word, as far as the column holds them; None where a word must be cut."""
    from .plain import cell_len, word_breaks

    breaks = word_breaks(text, width)
    out = []
    for a, b in zip([0, *breaks], [*breaks, len(text)], strict=True):
        piece = text[a:b]
        excess = cell_len(piece) - width
        if excess > 0:
            trailing = len(piece) - len(piece.rstrip())
            piece = piece[: len(piece) - min(trailing, excess)]
            if cell_len(piece) > width:
                return None
        out.append(piece)
    return out


def _cut(text: str, width: int) -> str:
    """A no-wrap cell's line: cut with "…" where it does not fit (Rich's ellipsis)."""
    from .plain import ellipsis

    return ellipsis(text, width)


def unstyled(stream: IO[str], env: Mapping[str, str] | None = None) -> bool:
    """Whether Rich would write to `stream` with no styles at all, as to a pipe: it would
    not take it for a terminal (TTY_COMPATIBLE, FORCE_COLOR, else whether it is a tty)."""
    env = os.environ if env is None else env
    compatible = env.get("TTY_COMPATIBLE", "")
    if compatible in ("0", "1"):
        return compatible == "0"
    force = env.get("FORCE_COLOR")
    if force is not None:
        return force == ""
    try:
        return not stream.isatty()
    except (AttributeError, ValueError, OSError):
        return True


def styler_as_rich(stream: IO[str], env: Mapping[str, str] | None = None) -> Styler | None:
    """A Styler that writes to `stream` exactly the codes Rich would (none to a pipe), or
    None where Rich takes a turn it does not follow (TTY_COMPATIBLE, a dumb terminal)."""
    from .plain import RAG_SGR, RAG_SGR_STANDARD, Styler

    env = os.environ if env is None else env
    if unstyled(stream, env):
        return Styler(_NOWHERE, {})  # Rich sees no terminal: no codes at all
    if env.get("TTY_COMPATIBLE") or env.get("TERM", "").strip().lower() in ("dumb", "unknown"):
        return None
    style = Styler(stream, env)
    if not style.on:
        return None
    # Rich's colour system: true colour, else by the end of TERM (256color, kitty: 256)
    depth = env.get("TERM", "").strip().lower().rpartition("-")[2]
    many = env.get("COLORTERM", "").strip().lower() in ("truecolor", "24bit") or depth in (
        "256color",
        "kitty",
    )
    style.rag = RAG_SGR if many else RAG_SGR_STANDARD
    return style
