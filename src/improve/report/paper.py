"""The full table's geometry on paper (A4 landscape): each column's width from what the
plan puts in it, and which rows are too tall to keep whole on a page.

Worked out here from the report's data (a few string lengths a row), so the table is laid
out with `table-layout: fixed` and no cell is measured to size a column, the slow part of
laying out a long table in WeasyPrint. The widths are percentages of the table's width,
given to the HTML as a <colgroup>; the HTML, its print and the PDF share them."""

from __future__ import annotations

from math import ceil

from .build import Row

# Columns of html.COLUMNS, by position.
REF, OUTCOME, ACTION, MEASURES, LEADS, DUE, PERCENT, RAG, PERFORMANCE = range(9)
TEXT = (OUTCOME, ACTION, MEASURES, PERFORMANCE)  # the columns that share what is left
FIXED = {REF: 5.0, LEADS: 8.0, PERCENT: 6.0, RAG: 7.0}
DATE_LINE = 11.0  # "30 September 2017" on one line
DATE_NARROW = 7.0  # a plan with no dates ("–")
TEXT_MIN = 8.0  # the widest word of a text column's heading fits ("Performance:")

# The print geometry (style.py: 9.5pt body, tables at .9em and line-height 1.3; A4
# landscape less 10 mm margins each side, 12 and 14 mm top and bottom).
TABLE_PT = 277 / 25.4 * 72  # the table's width
CHAR_PT = 8.55 * 0.5  # an average character of Arial at 8.55pt
PADDING_PT = 2 * 0.35 * 8.55 + 1
LINE_PT = 8.55 * 1.3
PAGE_LINES = int((210 - 26) / 25.4 * 72 / LINE_PT) - 4  # less the repeated header row
TALL = PAGE_LINES // 2  # a row taller than half a page may break across pages


def cell_texts(row: Row) -> list[str]:
    """What each column of a row holds, as text (near enough to the HTML to measure)."""
    note = row.progress
    performance = [
        note and f"{note.heading}:\n{note.text}",
        row.impact,
        row.impact_note,
        *(f"{d}: {text}" for d, text, _ in row.evidence),
    ]
    due = "\n".join(row.stage_words()) if row.stages else row.due_words
    return [
        row.ref,
        row.outcome,
        f"{row.action}\n{row.why_words}",
        "\n".join(ms.shown for ms in row.measures),
        "; ".join(row.leads),
        due + (f"\n{row.due_changes()}" if row.extended else ""),
        f"{row.percent}%",
        "",
        "\n".join(t for t in performance if t),
    ]


def column_widths(rows: list[Row]) -> tuple[float, ...]:
    """Each column's width in percent (summing to 100): Ref, %, RAG and Lead(s) fixed; Date
    due wide enough for one date on one line (narrow when the plan has no dates); the text
    columns share the rest in proportion to how much the plan writes in them, none
    narrower than its heading."""
    widths = [0.0] * 9
    for column, width in FIXED.items():
        widths[column] = width
    dated = any(row.due or row.stages for row in rows)
    widths[DUE] = DATE_LINE if dated else DATE_NARROW
    rest = 100 - sum(widths)
    texts = [cell_texts(row) for row in rows]
    amount = {c: sum(len(t[c]) for t in texts) for c in TEXT}
    total = sum(amount.values())
    share = {c: amount[c] / total if total else 1 / len(TEXT) for c in TEXT}
    # the floor first, then the rest of the room by share
    spare = rest - TEXT_MIN * len(TEXT)
    for c in TEXT:
        widths[c] = TEXT_MIN + spare * share[c]
    rounded = [round(w, 1) for w in widths]
    rounded[PERFORMANCE] = round(100 - sum(rounded[:PERFORMANCE]), 1)
    return tuple(rounded)


def lines(text: str, width: float) -> int:
    """About how many lines `text` takes in a column `width` percent wide."""
    per_line = max(1, int((TABLE_PT * width / 100 - PADDING_PT) / CHAR_PT))
    return sum(max(1, ceil(len(line) / per_line)) for line in text.split("\n") if line.strip())


def too_tall(row: Row, widths: tuple[float, ...]) -> bool:
    """A row too tall to keep whole: kept together it would leave most of a page blank (or
    not fit a page at all), so it may break across pages."""
    texts = cell_texts(row)
    return max(lines(text, widths[c]) for c, text in enumerate(texts)) > TALL


def colgroup(widths: tuple[float, ...]) -> str:
    return "<colgroup>" + "".join(f'<col style="width: {w}%">' for w in widths) + "</colgroup>\n"
