"""The workbook's measures: a Measures sheet with one row per measure per date (numbers
as numbers, dates as dates, a missing or suppressed figure an empty cell, never 0), and,
for each measure with figures on two dates or more, a native Excel line chart on a
"Measure charts" sheet beside its description in words (the council's readings, England,
the region and the neighbours, each line with its own dash and marker; a gap where a
figure is not published)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from ..inert import no_controls
from .measure_report import ROW_COLUMNS, MeasureEntry, figure_rows
from .safety import neutralise

if TYPE_CHECKING:
    from .build import Report


class Put(Protocol):
    """xlsx._Book.put: a value into a cell of a sheet, styled; the cell (openpyxl's)."""

    def __call__(
        self,
        ws: Any,
        row: int,
        col: int,
        value: object,
        number_format: str | None = None,
        **style: Any,
    ) -> Any: ...


MEASURE_COLUMNS = ("Plan", "Recommendation", "Ref", *ROW_COLUMNS)
MEASURE_WIDTHS = (18, 10, 8, 12, 14, 44, 12, 9, 10, 12, 10, 10, 10, 10, 11, 30, 14, 12)
# (column heading on the Measures sheet, name in the chart, marker, dash)
SERIES = (
    ("Reading", "This council", "circle", "solid"),
    ("England", "England", "square", "dash"),
    ("Region", "Region", "triangle", "sysDot"),
    ("Neighbours", "Statistical neighbours", "diamond", "dashDot"),
)
CHART_ROWS = 20  # rows a chart takes on its sheet


def measures_sheet(
    ws: Any,  # openpyxl's worksheet
    report: Report,
    header: Callable[[Any, Iterable[str]], None],
    page_setup: Callable[[Any, str, int], None],
) -> list[tuple[MeasureEntry, int, int]]:
    """The Measures sheet; returns each measure with the first and last row of its figures.
    Its cells are plain (no border or wrap, unlike a plan's sheet): thousands of rows."""
    from openpyxl.utils import get_column_letter

    header(ws, MEASURE_COLUMNS)
    row = 2
    spans = []
    for pr in report.plans:
        for m in pr.measures:
            first = row
            for values in figure_rows(m):
                cells = (pr.plan.id, m.group, m.ref if m.level == "action" else "", *values)
                for col, value in enumerate(cells, 1):
                    if value is None:
                        continue  # an empty cell: not published, never 0
                    cell = ws.cell(row=row, column=col)
                    if isinstance(value, str):
                        cell.value = neutralise(no_controls(value))  # no formula, no control
                        cell.data_type = "s"
                    else:
                        cell.value = value
                        if isinstance(value, date):
                            cell.number_format = "dd/mm/yyyy"
                row += 1
            spans.append((m, first, row - 1))
    for c, width in enumerate(MEASURE_WIDTHS, 1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(MEASURE_COLUMNS))}{max(row - 1, 2)}"
    page_setup(ws, f"{report.title}: measures", 1)
    return spans


def charts_sheet(
    wb: Any,  # openpyxl's workbook and the Measures sheet
    source: Any,
    spans: list[tuple[MeasureEntry, int, int]],
    put: Put,
) -> None:
    """A line chart for each measure with figures on two dates or more, its words beside."""
    from openpyxl.chart import LineChart, Reference, Series
    from openpyxl.styles import Font

    ws = wb.create_sheet("Measure charts")
    ws.column_dimensions["A"].width = 60
    col = {name: MEASURE_COLUMNS.index(name) + 1 for name in MEASURE_COLUMNS}
    at = 1
    for m, first, last in spans:
        if len(m.points) < 2:
            continue
        title = no_controls(f"{m.where}: {m.text}")
        put(ws, at, 1, title, font=Font(bold=True))
        ws.row_dimensions[at].height = 15 * min(6, 1 + len(title) // 55)
        words = m.chart_words().replace(
            "the table that follows", f"the Measures sheet, rows {first} to {last}"
        )
        put(ws, at + 1, 1, words)
        ws.row_dimensions[at + 1].height = 15 * min(12, 1 + len(words) // 55)
        chart: Any = LineChart()
        chart.title = title[:250]
        chart.y_axis.title = no_controls(m.view.unit or "")[:60] or None
        chart.x_axis.number_format = "mmm yyyy"
        chart.display_blanks = "gap"  # a figure not published is a gap, never 0
        chart.height, chart.width = 9, 18
        for heading, name, marker, dash in SERIES:
            key = "value" if heading == "Reading" else heading.lower()
            if all(p.figure(key) is None for p in m.points):
                continue
            values = Reference(source, min_col=col[heading], min_row=first, max_row=last)
            series = Series(values, title=name)
            series.marker.symbol = marker
            series.marker.size = 7
            series.graphicalProperties.line.dashStyle = dash
            series.graphicalProperties.line.width = 28575 if key == "value" else 19050
            series.smooth = False
            chart.series.append(series)
        chart.set_categories(Reference(source, min_col=col["Date"], min_row=first, max_row=last))
        ws.add_chart(chart, f"B{at}")
        at += CHART_ROWS
