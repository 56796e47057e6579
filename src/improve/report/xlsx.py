"""The report as an Excel workbook (openpyxl): a summary sheet with one row per plan,
then one sheet per plan shaped like the committee's table. RAG as a fill and a word,
frozen header, auto-filter, set widths, wrapped text, real dates, print set-up
(landscape, fit to width, header rows repeated) and document properties.

No cell is a formula: every text cell is written as a string (never parsed by
openpyxl for a leading "="), and text that starts like a formula is neutralised. A
control character (which a workbook cannot hold) is written as its picture (␛)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from copy import copy
from datetime import date, datetime
from io import BytesIO
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile

from ..inert import no_controls
from .build import (
    GOOD_HEADING,
    KEY,
    WHY_HEADING,
    PlanReport,
    Report,
    Row,
    in_theme_order,
    rag_label,
)
from .html import columns
from .safety import neutralise
from .style import PAIRS, RAG_FILL
from .words import join
from .xlsx_measures import charts_sheet, measures_sheet

DUE_DETAIL = "Stages and due date changes"
PROGRESS = "Latest progress note"


def sheet_columns(action_label: str = "Action") -> tuple[str, ...]:
    """A plan sheet's headings: the report's columns, with the staged dates and how the due
    date moved in a column of their own after Date due (never in Performance), and the
    latest progress note before Performance."""
    cols = list(columns(action_label))
    cols.insert(cols.index("Date due") + 1, DUE_DETAIL)
    cols.insert(cols.index("Performance: is the action making a difference?"), PROGRESS)
    return tuple(cols)


COLUMNS = sheet_columns()
WIDTHS = (9, 26, 40, 32, 20, 12, 24, 10, 11, 44, 30)
_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(title: str, used: set[str]) -> str:
    base = _BAD_SHEET.sub(" ", no_controls(title)).strip("' ")[:28] or "Plan"
    name, n = base, 1
    while name.lower() in used:
        n += 1
        name = f"{base[:25]} {n}"
    used.add(name.lower())
    return name


def argb(colour: str) -> str:
    """ "#b3261e" as Excel's opaque ARGB, "FFB3261E"."""
    return "FF" + colour.lstrip("#").upper()


def _lines(text: str, width: float) -> int:
    """How many lines wrapped text takes in a column `width` characters wide."""
    per = max(1.0, width * 1.15)
    return sum(max(1, -(-len(part) // int(per))) for part in str(text).split("\n"))


def fit_rows(ws: Any, widths: tuple[int, ...], span: int) -> None:  # ws: openpyxl's
    """Row heights for wrapped text (spreadsheet programs do not always work them out
    when they open a file): the tallest cell of each row, merged rows across the table."""
    merged = {rng.min_row for rng in ws.merged_cells.ranges}
    total = sum(widths)
    for row in ws.iter_rows():
        r = row[0].row
        if r in merged:
            lines = _lines(row[0].value or "", total)
        else:
            lines = max(
                (_lines(c.value, widths[c.column - 1]) for c in row
                 if isinstance(c.value, str) and c.column <= span),
                default=1,
            )  # fmt: skip
        ws.row_dimensions[r].height = max(15, 14.5 * lines + 3)


class _Book:
    """The workbook being made and its shared styles: one style object per colour, and
    each cell styled as the first cell styled that way was (copied whole)."""

    def __init__(self) -> None:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Border, Side

        self.wb = Workbook()
        thin = Side(style="thin", color="6B6B6B")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.templates: dict[
            tuple[int, int, str | None], Any
        ] = {}  # the first openpyxl cell styled each way
        self.fills: dict[str, Any] = {}
        self.fonts: dict[str, Any] = {}

    def fill(self, colour: str) -> Any:  # one style object per colour, shared by every cell
        from openpyxl.styles import PatternFill

        if colour not in self.fills:
            self.fills[colour] = PatternFill("solid", start_color=argb(colour),
                                             end_color=argb(colour))  # fmt: skip
        return self.fills[colour]

    def bold(self, colour: str) -> Any:
        from openpyxl.styles import Font

        if colour not in self.fonts:
            self.fonts[colour] = Font(bold=True, color=argb(colour))
        return self.fonts[colour]

    def put(
        self,
        ws: Any,
        row: int,
        col: int,
        value: object,
        number_format: str | None = None,
        **style: Any,
    ) -> Any:
        cell = ws.cell(row=row, column=col)
        if isinstance(value, str):
            cell.value = neutralise(no_controls(value))  # a workbook cannot hold them
            cell.data_type = "s"  # a string, whatever it starts with: never a formula
        else:
            cell.value = value
        if number_format is None and isinstance(value, date | datetime):
            number_format = "dd/mm/yyyy"
        key = (id(style.get("font")), id(style.get("fill")), number_format)
        known = self.templates.get(key)
        if known is not None:
            # The style of an identical cell, copied whole: setting font, fill, border and
            # alignment one by one costs a hash of each per cell (seconds at 2,000 rows).
            cell._style = copy(known._style)
            return cell
        if number_format:
            cell.number_format = number_format
        cell.alignment = self.wrap
        cell.border = self.border
        if "font" in style:
            cell.font = style["font"]
        if "fill" in style:
            cell.fill = style["fill"]
        self.templates[key] = cell
        return cell

    def merge(self, ws: Any, row: int) -> None:
        from openpyxl.worksheet.cell_range import CellRange

        # a range added as it is: openpyxl's merge_cells re-formats every cell it covers
        ws.merged_cells.add(CellRange(min_col=1, min_row=row, max_col=len(COLUMNS), max_row=row))

    def rag_style(self, rag: str | None) -> dict[str, Any]:
        fg, bg = RAG_FILL.get(rag or "dropped", RAG_FILL["dropped"])
        return {"font": self.bold(fg), "fill": self.fill(bg)}

    def header(self, ws: Any, names: Iterable[str], row: int = 1) -> None:
        fg, bg = _pair("table header")
        for col, name in enumerate(names, 1):
            self.put(ws, row, col, name, font=self.bold(fg), fill=self.fill(bg))

    @staticmethod
    def page_setup(ws: Any, title: str, header_row: int) -> None:
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = f"{header_row}:{header_row}"
        ws.oddFooter.left.text = no_controls(title).replace("&", "&&")[:200]
        ws.oddFooter.right.text = "Page &P of &N"


def _pair(name: str) -> tuple[str, str]:
    return next((fg, bg) for n, fg, bg in PAIRS if n == name)


def render_xlsx(report: Report) -> bytes:
    from openpyxl.writer.excel import ExcelWriter

    book = _Book()
    wb = book.wb
    _summary(book, report)
    used = {"summary"}
    for pr in report.plans:
        _plan_sheet(book, wb.create_sheet(_sheet_name(pr.plan.id, used)), report, pr)
    if any(pr.measures for pr in report.plans):
        spans = measures_sheet(wb.create_sheet("Measures"), report, book.header,
                               book.page_setup)  # fmt: skip
        if any(len(m.points) > 1 for m, _, _ in spans):
            charts_sheet(wb, wb["Measures"], spans, book.put)
    key = wb.create_sheet("Key")
    book.header(key, ["RAG rating", "Meaning"])
    for r, (rag, words) in enumerate(KEY, 2):
        book.put(key, r, 1, rag_label(rag), **book.rag_style(rag))
        book.put(key, r, 2, words)
    key.column_dimensions["A"].width = 14
    key.column_dimensions["B"].width = 40
    props = wb.properties
    props.title = no_controls(report.title)
    props.subject = "Progress report on improvement plans"
    props.creator = no_controls(report.produced_by or "improve")
    props.keywords = "improvement plan; progress; RAG"
    props.created = datetime.combine(report.today, datetime.min.time())
    props.modified = props.created
    out = BytesIO()
    # openpyxl's own save stamps the clock's time and leaves its archive open when a save
    # fails (a noise on stderr when it is collected); this writes the same parts, closed
    with ZipFile(out, "w", ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()
    return out.getvalue()


def _summary(book: _Book, report: Report) -> None:
    """One row per plan."""
    from openpyxl.utils import get_column_letter

    summary = book.wb.active
    summary.title = "Summary"
    names = ["Plan", "Title", "As at", "% complete", "RAG", "Complete", "Actions"]
    names += [rag_label(c) for c, _ in KEY] + ["Overdue", "Stale", "Last reported", "Next due"]
    book.header(summary, names)
    for r, pr in enumerate(report.plans, 2):
        h = pr.headline
        last = (
            f"{pr.last_reported[0]}, {pr.last_reported[1].isoformat()}" if pr.last_reported else ""
        )
        values = [
            pr.plan.id, pr.plan.title, report.today,
            None if h.percent is None else round(h.percent / 100, 4),
            rag_label(pr.status.rollup.rag), h.complete, h.total,
            *(h.counts.get(c, 0) for c, _ in KEY), h.overdue, h.stale, last,
            pr.next_report_due,
        ]  # fmt: skip
        for c, value in enumerate(values, 1):
            style = book.rag_style(pr.status.rollup.rag) if c == 5 else {}
            book.put(summary, r, c, value, number_format="0%" if c == 4 else None, **style)
    for c, width in enumerate((26, 44, 12, 11, 9, 10, 9, 7, 7, 7, 7, 7, 9, 7, 30, 12), 1):
        summary.column_dimensions[get_column_letter(c)].width = width
    summary.freeze_panes = "A2"
    summary.auto_filter.ref = f"A1:{get_column_letter(len(names))}{max(2, len(report.plans) + 1)}"
    book.page_setup(summary, report.title, 1)


def _plan_sheet(book: _Book, ws: Any, report: Report, pr: PlanReport) -> None:
    """A plan shaped like the committee's table: themes and recommendations as rows
    across it, then their actions."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    put = book.put
    put(ws, 1, 1, f"{pr.plan.title}, as at {report.today.isoformat()}",
        font=Font(bold=True, size=13))  # fmt: skip
    book.merge(ws, 1)
    put(ws, 2, 1, pr.headline.method)
    book.merge(ws, 2)
    book.header(ws, sheet_columns(pr.action_label), 3)
    row = 4
    theme: object = object()
    theme_fg, theme_bg = _pair("theme rows")
    rec_fg, rec_bg = _pair("recommendation rows")
    for g in in_theme_order(pr.groups):
        if g.theme and g.theme != theme:
            put(ws, row, 1, g.theme, font=book.bold(theme_fg), fill=book.fill(theme_bg))
            book.merge(ws, row)
            row += 1
        theme = g.theme
        title = f": {g.title}" if g.title else ""
        text = f"\n{g.text}" if g.text else ""
        put(ws, row, 1, f"{g.label} {g.ref}{title}{text}", font=book.bold(rec_fg),
            fill=book.fill(rec_bg))  # fmt: skip
        book.merge(ws, row)
        row += 1
        own = []
        if g.why_it_matters:
            own.append(f"{WHY_HEADING}: {g.why_it_matters}")
        if g.good_looks_like:
            own.append(f"{GOOD_HEADING}:\n" + "\n".join(f"• {x}" for x in g.good_looks_like))
        if own:
            put(ws, row, 1, "\n".join(own))
            book.merge(ws, row)
            row += 1
        for a in g.rows:
            _action_row(book, ws, row, a)
            row += 1
    for c, width in enumerate(WIDTHS, 1):
        ws.column_dimensions[get_column_letter(c)].width = width
    fit_rows(ws, WIDTHS, len(COLUMNS))
    ws.freeze_panes = "B4"
    ws.auto_filter.ref = f"A3:{get_column_letter(len(COLUMNS))}{max(row - 1, 4)}"
    book.page_setup(ws, pr.plan.title, 3)


def _action_row(book: _Book, ws: Any, row: int, a: Row) -> None:
    measures = "\n".join(ms.shown_iso for ms in a.measures)
    stages = "\n".join(
        f"{s.label}: {s.due.isoformat() if s.due else '–'}" + (" (done)" if s.done else "")
        for s in a.stages
    )
    note = a.progress
    said = (
        f"{note.on.isoformat()}" + (f", {note.by}" if note.by else "") + f":\n{note.text}"
        if note
        else ""
    )
    put = book.put
    put(ws, row, 1, a.ref)
    put(ws, row, 2, a.outcome)
    put(ws, row, 3, f"{a.action}\n({a.why})")
    put(ws, row, 4, measures)
    put(ws, row, 5, "; ".join(a.leads))
    put(ws, row, 6, a.due if a.due is not None else "–")
    put(ws, row, 7, "\n".join(x for x in (stages, a.due_changes(iso=True)) if x))
    put(ws, row, 8, a.percent / 100, number_format="0%")
    put(ws, row, 9, rag_label(a.rag), **book.rag_style(a.rag))
    put(ws, row, 10, said)
    put(ws, row, 11, join(a.impact, a.impact_note))
