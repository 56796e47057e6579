"""The `status` table written straight to the terminal, without Rich.

`improve status` is the command people run most, often in a prompt or a script, and the
table is simple: Rich's import and layout were most of its cost (at 200 plans, 0.25 s of
laying out nested tables). This writes the same table, line for line and space for space
(tests/test_plain.py holds it to Rich's layout at every width from 60 to 200 columns),
with the same styles as ANSI codes when the output is a terminal that takes them, and
none with NO_COLOR or TERM=dumb. Plan text is made inert as everywhere else: the five
controls Rich strips are stripped, every other control is shown as a picture.
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from collections.abc import Mapping
from datetime import date
from typing import IO, TYPE_CHECKING, Any

from ..api import RAGS, VISIBLE

if TYPE_CHECKING:
    from ..api import Rollup

_STRIP = {c: None for c in (7, 8, 11, 12, 13)}  # what Rich takes out of every Text
COLUMNS = (("Plan", "left"), ("Done", "right"), ("RAG", "left"), ("Complete", "right"),
           ("Overdue", "right"), ("Stale", "right"))  # fmt: skip
RESET = "\x1b[0m"
# present.text's RAG_STYLE, as the codes Rich writes for it
RAG_SGR = {"red": "1;31", "amber": "1;38;5;208", "green": "1;32", "grey": "1;90", "blue": "1;34"}
# a 16-colour terminal: Rich's nearest to dark_orange is bright red (91), not yellow
RAG_SGR_STANDARD = {**RAG_SGR, "amber": "1;91"}


_INERT = {**VISIBLE, **_STRIP}  # one pass: the five stripped, every other control shown


def inert(text: str) -> str:
    if text.isascii() and text.isprintable():
        return text  # no control at all (10,000 plans' names and titles)
    return text.translate(_INERT)


def cell_len(text: str) -> int:
    """Columns on a terminal: wide East Asian characters take two, combining ones none."""
    if text.isascii():
        return len(text)
    n = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        n += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return n


def crop(text: str, width: int) -> str:
    """The longest start of `text` that fits in `width` columns."""
    if cell_len(text) <= width:
        return text
    out, n = [], 0
    for ch in text:
        w = cell_len(ch)
        if n + w > width:
            break
        out.append(ch)
        n += w
    return "".join(out)


def ellipsis(text: str, width: int) -> str:
    """As Rich's overflow="ellipsis": cut to one column short, then "…"."""
    if cell_len(text) <= width:
        return text
    return crop(text, width - 1) + "…"


_WORD = re.compile(r"\s*\S+\s*")


def word_breaks(text: str, width: int) -> list[int]:
    """Where Rich's word wrap starts each line after the first: before a word (with the
    spaces after it) that does not fit in what is left of `width`."""
    breaks, used = [], 0
    for m in _WORD.finditer(text):
        word = m.group(0)
        need = cell_len(word.rstrip())
        if width - used >= need:
            used += cell_len(word)
        else:
            if m.start():
                breaks.append(m.start())
            used = cell_len(word)
    return breaks


def wrap(runs: list[tuple[str, str | None]], width: int) -> list[list[tuple[str, str | None]]]:
    """Word wrap as Rich's, in a column that ends what overflows in "…": `runs` are (text,
    style) pieces of one text; it breaks before a word (with the spaces after it) that does
    not fit, a word longer than a line keeps a line of its own and is cut with "…", and
    the spaces that end a line are dropped."""
    plain = "".join(t for t, _ in runs)
    if plain and not plain[-1].isspace() and cell_len(plain) <= width:
        return [_merged(runs)]  # it fits as it is: no break, nothing to drop or cut
    styles: list[str | None] = [st for t, st in runs for _ in t]
    breaks = word_breaks(plain, width)
    out = []
    for a, b in zip([0, *breaks], [*breaks, len(plain)], strict=True):
        text = plain[a:b].rstrip()
        line = _runs(text, styles[a : a + len(text)])
        out.append(_fit(line, width))
    return out


def _merged(runs: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    """`runs` as `_runs` gives them: none empty, neighbours of one style joined."""
    out: list[tuple[str, str | None]] = []
    for text, style in runs:
        if not text:
            continue
        if out and out[-1][1] == style:
            out[-1] = (out[-1][0] + text, style)
        else:
            out.append((text, style))
    return out


def _runs(text: str, styles: list[str | None]) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    for ch, st in zip(text, styles, strict=True):
        if out and out[-1][1] == st:
            out[-1] = (out[-1][0] + ch, st)
        else:
            out.append((ch, st))
    return out


def _fit(line: list[tuple[str, str | None]], width: int) -> list[tuple[str, str | None]]:
    """A line cut to `width` with "…", its styles kept."""
    if sum(cell_len(t) for t, _ in line) <= width:
        return line
    out: list[tuple[str, str | None]] = []
    room = width - 1
    for text, style in line:
        piece = crop(text, room)
        if piece:
            out.append((piece, style))
        room -= cell_len(piece)
        if piece != text:
            break
    last_style = out[-1][1] if out else line[0][1]
    return [*out, ("…", last_style)]


class Styler:
    """ANSI codes for a style, when the stream is a terminal that takes them."""

    def __init__(self, stream: IO[str], env: Mapping[str, str] | None = None) -> None:
        env = os.environ if env is None else env
        terminal = bool(env.get("FORCE_COLOR")) or _isatty(stream)
        self.on = terminal and env.get("TERM", "").lower() not in ("dumb", "unknown")
        self.colour = self.on and not env.get("NO_COLOR")
        colours = env.get("COLORTERM", "") in ("truecolor", "24bit") or env.get(
            "TERM", ""
        ).endswith("256color")
        self.rag = RAG_SGR if colours else RAG_SGR_STANDARD

    def __call__(self, text: str, style: str | None) -> str:
        if not self.on or not style or not text:
            return text
        if style.startswith("rag:"):
            code = self.rag[style[4:]] if self.colour else "1"
        else:
            code = ";".join({"bold": "1", "dim": "2", "italic": "3"}[s] for s in style.split())
        return f"\x1b[{code}m{text}{RESET}"


def _isatty(stream: IO[str]) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def terminal_width(env: Mapping[str, str] | None = None) -> int:
    """As Rich finds it: COLUMNS, else the size of the first standard stream that is a
    terminal, else 80."""
    env = os.environ if env is None else env
    columns = env.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    for fd in (0, 1, 2):
        try:
            return os.get_terminal_size(fd).columns or 80
        except (AttributeError, ValueError, OSError):
            continue
    return 80


def counts_words(counts: dict[str, int]) -> list[tuple[str, str | None]]:
    words: list[tuple[str, str | None]] = []
    for colour in RAGS:
        n = counts.get(colour, 0)
        if n:
            if words:
                words.append((" · ", None))
            words.append((f"{n} {colour}", f"rag:{colour}"))
    return words or [("no actions", "dim")]


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}%"


def status_text(
    lines: list[tuple[str, str, Rollup]],
    total: Rollup,
    today: date,
    width: int,
    reported: dict[str, tuple[str, date, date | None]] | None,
    style: Styler,
) -> str:
    """The whole table, as Rich lays out present.tables.plans_table, with a newline at
    the end of every line."""
    rows = []
    for plan_id, title, r in lines:
        plan = [inert(part) for part in plan_id.expandtabs(8).split("\n")]
        named = [inert(part) for part in title.expandtabs(8).split("\n")]
        seen = reported.get(plan_id) if reported else None
        said = None
        if seen is not None:
            body, meeting, due = seen
            nxt = f"; next due {due.isoformat()}" if due else ""
            said = inert(f"last reported to {body} on {meeting.isoformat()}{nxt}")
        cells = [_pct(r.percent), (r.rag or "dropped").upper(), f"{r.complete} of {r.total}",
                 str(r.overdue), str(r.stale)]  # fmt: skip
        rows.append((plan, named, counts_words(r.counts), said, r.rag, cells))
    fixed = [max(cell_len(h), *(cell_len(row[5][k]) for row in rows)) if rows else cell_len(h)
             for k, (h, _) in enumerate(COLUMNS[1:])]  # fmt: skip
    natural = max(
        [4]
        + [cell_len(x) for row in rows for x in (*row[0], *row[1])]
        + [sum(cell_len(t) for t, _ in row[2]) for row in rows]
        + [cell_len(row[3]) for row in rows if row[3]]
    )
    room = width - 2 - 3 * (len(COLUMNS) - 1) - 2 - sum(fixed)
    plan_w = max(1, min(natural, max(24, width - 42), room))
    widths = [plan_w, *fixed]
    table_w = sum(widths) + 2 * len(widths) + (len(widths) - 1) + 2

    from ..api import long_date

    out = [style(f"Plans as at {long_date(today)}", "italic"), ""]
    heads = [ellipsis(h, w) for (h, _), w in zip(COLUMNS, widths, strict=True)]
    out.append(_line([style(h, "bold") for h in heads], heads, widths))
    out.append(" " + "─" * (table_w - 2))
    for k, (plan, named, counts, said, rag, cells) in enumerate(rows):
        if k:
            out.append("")
        cell_lines: list[tuple[str, str]] = [
            *((style(ellipsis(p, plan_w), "bold"), ellipsis(p, plan_w)) for p in plan),
            *((style(ellipsis(n, plan_w), "dim"), ellipsis(n, plan_w)) for n in named),
        ]
        for words in wrap(counts, plan_w):
            cell_lines.append(
                ("".join(style(t, s) for t, s in words), "".join(t for t, _ in words))
            )
        if said:
            for words in wrap([(said, "italic")], plan_w):
                cell_lines.append(
                    ("".join(style(t, s) for t, s in words), "".join(t for t, _ in words))
                )
        for n, (shown, bare) in enumerate(cell_lines):
            if n == 0:
                shown_cells = [shown, cells[0], style(cells[1], f"rag:{rag}" if rag else "dim"),
                               *cells[2:]]  # fmt: skip
                out.append(_line(shown_cells, [bare, *cells], widths))
            else:
                out.append(_line([shown], [bare], widths[:1]))
    out.append("")
    caption = (
        f"All plans: {_pct(total.percent)} complete · {total.summary()} · "
        f"{total.overdue} overdue · {total.stale} stale"
    )
    for words in wrap([(caption, "dim italic")], table_w):
        out.append("".join(style(t, s) for t, s in words))
    return "".join(line + "\n" for line in out)


_RIGHT = [align == "right" for _, align in COLUMNS]


def _line(shown: list[str], bare: list[str], widths: list[int]) -> str:
    """One line of the table: each cell padded to its column (right-aligned where the
    column is), one space each side, a space between columns; no trailing spaces."""
    if len(shown) == 1 and not _RIGHT[0]:  # a cell's next line: its padding all trails
        return ("  " + shown[0]).rstrip(" ")
    parts = []
    for k, s in enumerate(shown):
        b = bare[k]
        gap = widths[k] - (len(b) if b.isascii() else cell_len(b))
        parts.append(" " * gap + s if _RIGHT[k] else s + " " * gap)
    return (" " + " ".join(f" {part} " for part in parts)).rstrip(" ")


def print_status(
    lines: list[tuple[str, str, Rollup]],
    total: Rollup,
    today: date,
    reported: dict[str, tuple[str, date, date | None]] | None = None,
    stream: IO[str] | None = None,
) -> None:
    stream = sys.stdout if stream is None else stream
    write_out(status_text(lines, total, today, terminal_width(), reported, Styler(stream)), stream)


def write_out(text: str, stream: IO[str] | None = None) -> None:
    """`text` on standard output (or `stream`), every byte of it, or BrokenPipeError when
    the reader goes away part way: a buffered stream's write of more than a pipe holds can
    stop at what fitted and say nothing (`improve status | head` ended 0, the rest unsent)."""
    stream = sys.stdout if stream is None else stream
    encoding = getattr(stream, "encoding", None) or "utf-8"  # as the stream would encode
    send(stream, text.encode(encoding, getattr(stream, "errors", None) or "strict"), text)


def send(stream: IO[Any], data: bytes, own: str | bytes) -> None:
    """`data` written to `stream`'s descriptor, every byte (after what the stream holds);
    a stream with no descriptor (one in memory) is given `own`, what its own write takes."""
    try:
        fd = stream.fileno()
    except (OSError, ValueError):
        stream.write(own)
        stream.flush()
        return
    stream.flush()
    write_all(fd, data)


def write_all(fd: int, data: bytes) -> None:
    """Every byte of `data` written to `fd`, or the OSError that stopped it."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
