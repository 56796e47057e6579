"""Documents in the layouts of the seeds, built by the tests themselves (python-docx and
openpyxl write them): a Word table like the Telford Ofsted plan, an Excel tracker like a
SEND plan's, and a CSV export from a task tracker."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

HEADER = [
    "Ref", "Outcome", "Action", "Success Measure", "Lead(s)", "Date Due",
    "Status: what is the progress on the action?", "",
    "Performance: is the action making a difference?",
]  # fmt: skip


def telford_docx(path: Path) -> Path:
    """Theme and recommendation rows merged across the table, "why" and "what good looks
    like" rows, a second header row under a spanning Status, blank refs, staged dates, a
    month-only date, and a date that is not one."""
    import docx

    document = docx.Document()
    document.add_paragraph("“Getting to Good” Children and Young People’s Services")
    table = document.add_table(rows=0, cols=9)

    def row(values: list[str]) -> None:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = value

    def spanning(text: str, ref: str | None = None) -> None:
        cells = table.add_row().cells
        start = 0
        if ref is not None:
            cells[0].text = ref
            start = 1
        merged = cells[start].merge(cells[-1])
        merged.text = text

    header = table.add_row().cells
    for cell, value in zip(header, HEADER, strict=True):
        cell.text = value
    header[6].merge(header[7]).text = HEADER[6]
    row(["", "", "", "", "", "", "% complete", "RAG rating", ""])
    spanning("THEME 1: SCRUTINY, OVERSIGHT AND ADVOCACY")
    spanning(
        "Ensure that all social workers receive regular, good quality supervision that "
        "is recorded and reflective, with management oversight of every case.",
        ref="1.1",
    )
    spanning("Why this is important: children are safer when their workers are supervised.")
    spanning("What 'good' looks like: ➤ Managers oversee practice ➤ Decisions are recorded")
    row(["1.1.1", "Consistent practice", "Review the supervision policy",
         "75% cases audited graded 'good' or 'outstanding'", "Head of Safeguarding",
         "Stage 1 Core elements: February 2017 Stage 2: December 2017", "50",
         "In progress and on schedule", "Too early to say"])  # fmt: skip
    row(["", "", "Train all team managers in the policy", "", "Principal Social Worker",
         "January 2017", "25", "In progress but behind schedule", "Partly"])  # fmt: skip
    row(["", "", "Refresh the audit programme", "", "Head of Quality",
         "September 2016 and ongoing", "100", "Complete", "Yes"])  # fmt: skip
    spanning("THEME 2: PERMANENCE")
    spanning("Children achieve permanence without drift or delay.", ref="2.1")
    row(["2.1.1", "", "Track every plan for permanence monthly", "",
         "Head of Children in Care", "31/12/2016", "0", "Overdue", "No"])  # fmt: skip
    row(["", "", "", "", "", "", "", "", ""])  # an empty row is nothing
    document.save(str(path))
    return path


def send_xlsx(path: Path) -> Path:
    """Title rows above the header, merged key-concern rows, RAG as a fill and a word,
    percent cells formatted as %, real Excel dates and UK text dates, a formula's text."""
    import openpyxl
    from openpyxl.styles import PatternFill

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "APP tracker"
    ws["A1"] = "Worcestershire Local Area SEND Accelerated Progress Plan"
    ws["A2"] = "Updated monthly"
    header = ["Action No.", "Action", "Lead Officer", "Start Date", "Target Date",
              "Progress %", "RAG", "Progress Update", "Evidence", "Notes"]  # fmt: skip
    ws.append([])
    ws.append(header)
    ws.append(["Key concern 1: Weak co-production with parents and carers"])
    ws.merge_cells(start_row=5, start_column=1, end_row=5, end_column=len(header))
    rows = [
        ["1.1", "Co-produce the local offer with parent carers", "Head of SEND",
         dt.datetime(2022, 4, 1), dt.datetime(2022, 9, 30), 0.5, "Green",
         "Workshops held in June", "=HYPERLINK(\"http://example.org\",\"minutes\")",
         "Funded from the APP"],
        ["1.2", "Publish a parents' guide to EHC plans", "SENDIASS Manager",
         "01/05/2022", "03/04/2022", 0.25, None, None, None, None],
    ]  # fmt: skip
    for values in rows:
        ws.append(values)
    ws.append(["Key concern 2: Too few children stay in mainstream settings"])
    ws.merge_cells(start_row=8, start_column=1, end_row=8, end_column=len(header))
    ws.append([None, "Set up locality SEND hubs", "Inclusion Lead", None, "March 2023",
               "40%", "Amber", None, None, None])  # fmt: skip
    for r in (6, 7):
        ws.cell(r, 6).number_format = "0%"
    ws.cell(7, 7).fill = PatternFill("solid", fgColor="FFFF0000")  # red, with no word
    ws.cell(6, 5).number_format = "dd/mm/yyyy"
    book.save(path)
    return path


def tracker_csv(path: Path) -> Path:
    """A generic task tracker's export: no refs, no recommendations, UK dates."""
    path.write_text(
        "Task Name,Assigned To,Start Date,End Date,Status,% Complete,Comments\n"
        "Recruit two advanced practitioners,Service Manager,01/02/2017,31/03/2017,"
        "In progress,50%,Interviews booked\n"
        "Launch the practice standards,Principal Social Worker,,15/01/2017,Completed,100,\n"
        "Agree the training plan,Workforce Lead,,Q3,Not started,0,\n",
        encoding="utf-8",
    )
    return path
