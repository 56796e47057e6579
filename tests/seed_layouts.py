"""Documents in the seeds' own layouts, built by the tests (python-docx, openpyxl), as an
officer would have them: title rows, headings, repeated header rows, continuation rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

CSE_HEADER = [
    "Rec N°", "Recommendation", "Lead agency/ partnership",
    "Brief outline of how it will be achieved as at July 2016",
    "6 month progress update (as at November 2016)",
]  # fmt: skip
CSE_TITLE = "Scrutiny Review of Multi-Agency Working Against Child Sexual Exploitation (CSE)"


def cse_scrutiny_docx(path: Path) -> Path:
    """Seed 004 part a: the council's name, the review's title as a heading, then the
    recommendations table (Rec N°, Recommendation, Lead agency/ partnership, Brief outline
    of how it will be achieved, 6 month progress update) with its header row repeated in
    the middle (as Word repeats it across pages) and a row continuing the one above it."""
    import docx

    document = docx.Document()
    document.add_paragraph("Telford & Wrekin Council")
    document.add_heading(CSE_TITLE, level=1)
    table = document.add_table(rows=0, cols=5)

    def row(values: list[str]) -> None:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value

    row(CSE_HEADER)
    row(["1", "Initial work to identify scale of CSE\nThe Committee recommends that the "
         "current data from the West Mercia Police Problem Profile, Family Connect, the CATE "
         "Team and other Council services is used to develop a common understanding the "
         "scale and types of CSE in the Borough and how this changes over time.", "TWSCB",
         "The TWSCB has been working to compile a comprehensive partnership CSE profile for "
         "Telford and Wrekin.", "In progress\nThe facts about CSE will be utilised in all "
         "raising awareness to ensure that the public is aware of the profile of CSE in the "
         "Borough."])  # fmt: skip
    row(["2", "Ongoing Monitoring of Scale of CSE All LSCB partner organisations and the "
         "CPS should flag/record all cases of CSE. This data should be reported to the "
         "planning and delivery of all relevant", "TWSCB",
         "As part of the work mentioned in Recommendation 1, the TWSCB has requested "
         "information from partners to help compile the CSE profile.",
         "In progress\nThe 2015-16 TWSCB annual report includes within it local information "
         "about the prevalence of CSE and its other thematic areas."])  # fmt: skip
    row(CSE_HEADER)  # Word repeats the header at the top of the next page
    row(["", "services.\nThe LSCB should include local data on CSE in the Board's Annual "
         "Report.", "", "A summary of the CSE profile will be included in the TWSCB annual "
         "report.", ""])  # fmt: skip
    row(["4", "Impact of Cuts to Services\nThe Committee recommends that the LSCB monitors "
         "the impact of cuts to local services.", "TWSCB", "The TWSCB monitors changes in "
         "organisations and the impact it has on safeguarding children and young people.",
         "Completed\nThe TWSCB monitors changes in organisations and the impact it has on "
         "safeguarding children and young people, as well as partners."])  # fmt: skip
    row(["5", "Links to Other Policies and Strategies for Adults\nThe Committee therefore "
         "recommends that the Council and CCG review the following strategies.", "HWB/TWC",
         "The Health & Wellbeing Board (HWB) recognises that the impact of CSE is wide "
         "ranging, significant and lifelong.", "Completed\nCSE is already referred to as "
         "part of Chapter four (Staying Safe) of TWC'S JSNA data set."])  # fmt: skip
    document.save(str(path))
    return path


def key_concern_xlsx(path: Path, first: str = "Key Concern") -> Path:
    """A tracker whose first column ("Key Concern", "Priority", "Workstream", "Theme")
    holds an id on grouping rows, their text merged across the next few columns only (not
    the whole width), and is blank on the action rows under them."""
    import openpyxl
    from openpyxl.styles import PatternFill

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Tracker"
    ws.append(["Worcestershire Local Area SEND Accelerated Progress Plan"])
    ws.append([first, "Action", "Lead", "Date due", "Status", "RAG", "Evidence", "Notes"])
    ws.append(["KC1", "Leaders do not have an accurate understanding of the local area's "
               "effectiveness"])  # fmt: skip
    ws.merge_cells("B3:D3")
    ws.append(["", "Refresh the self-evaluation", "Head of SEND", "31/03/2023", "In progress",
               "Amber"])  # fmt: skip
    ws.append(["", "Publish the SEND strategy", "Director", "30/04/2023", "Complete", "Green"])
    ws["F5"].fill = PatternFill("solid", fgColor="00B050")
    ws.append(["KC2", "Too many children and young people wait too long for an EHC plan"])
    ws.merge_cells("B6:D6")
    ws.append(["", "Recruit more educational psychologists", "Principal EP", "30/06/2023",
               "Not started", ""])  # fmt: skip
    book.save(str(path))
    return path


SEED_WORDS_HEADER = [
    "Action No.", "Actions / activity", "Lead agency/partnership", "Target date",
    "How will we know", "6 month progress update", "RAG status",
]  # fmt: skip


def seed_words_docx(path: Path) -> Path:
    """A Word action plan headed in the seeds' own words (issue 24 point 6), a title line
    above the table, one action's date a labelled stage ("Evaluation complete: January
    2017", as in seed 004)."""
    import docx

    document = docx.Document()
    document.add_heading("Children's Services Improvement Plan 2016-17", level=1)
    table = document.add_table(rows=0, cols=len(SEED_WORDS_HEADER))
    for values in (
        SEED_WORDS_HEADER,
        ["1", "Evaluate the effectiveness of current pods", "Marie Hatton",
         "Evaluation complete: January 2017", "Pods meet regularly across the service",
         "Pods evaluated in two of three teams", "Amber"],
        ["2", "Audit case files for pod activity", "Head of Service",
         "31/03/2017", "75% of files audited graded good", "", "Green"],
    ):  # fmt: skip
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value
    document.save(str(path))
    return path


SEND_TITLE = "Worcestershire Local Area SEND Accelerated Progress Plan (SEND APP) 2022-2023"
SEND_HEADER = ["No.", "Actions / activity", "Lead", "Timescale", "Outcome/progress measures",
               "RAG status"]  # fmt: skip
SEND_MEMBERSHIP = (
    "Membership: Parent carer forum (FiP) and WAC and stakeholder groups\nSpecial Schools\n"
    "Designated Clinical Officer, CCG"
)
SEND_CONCERNS = [
    (
        "KEY CONCERN 1: THE VARIATION IN THE SKILLS AND COMMITMENT OF SOME MAINSTREAM "
        "SCHOOLS TO PROVIDE EFFECTIVE SUPPORT FOR CHILDREN WHO HAVE SEND",
        "Lead WCF and Health: Assistant Director Education Quality (WCF), Lead for Children "
        "and Maternity (CCG)",
        [
            ("1", "Share outcomes of SEND inspection and Accelerated Action Plan with Head "
             "Teachers at online event (s).", "Assistant Director Education Quality",
             "Feb 2023 / Apr 2023", "Green"),
            ("2", "Review and increase attendance of mainstream Headteachers at 0-25 SEND & "
             "All Age Disability Partnership Board.", "SEND Group Manager", "31/03/2023",
             "Amber"),
            ("3", "Provide training, support and challenge to schools on outcomes for "
             "children.", "Lead for Children and Maternity", "Jan 2023", "Red"),
        ],
        "• Number of schools/Trusts attending events to share outcomes of SEND inspection\n"
        "• % of mainstream SENCOs attending training/ networks virtually or face to face",
    ),
    (
        "KEY CONCERN 2: THE LACK OF SUITABLE SPECIALIST PROVISION TO MEET THE IDENTIFIED "
        "NEEDS OF CHILDREN AND YOUNG PEOPLE",
        "Lead WCF and Health: SEND Group Manager (WCF), Lead for Children and Maternity (CCG)",
        [
            ("1", "Improve our communication to all stakeholders of the decision-making "
             "process for placements at special schools.", "SEND Group Manager",
             "Dec 2022 / Mar 2023", "Green"),
            ("2", "Publish and implement our SEND provision plan.", "SEND Group Manager",
             "30/06/2023", ""),
        ],
        "• % of new EHC Plans that are placed in mainstream schools",
    ),
]  # fmt: skip


def send_app_docx(path: Path) -> Path:
    """Seed 002 in Word: the plan's title, then one table where each key concern is a row
    merged across it ("KEY CONCERN 1: …"), an italic leads row under it, the "Actions /
    activity" header row again, actions numbered from 1 in each concern, staged dates
    ("Feb 2023 / Apr 2023"), and the concern's measures in one cell merged down the
    actions' rows."""
    import docx

    document = docx.Document()
    document.add_heading(SEND_TITLE, level=1)
    document.add_paragraph("Project Sponsors: DCS and CEO of WCF")
    table = document.add_table(rows=0, cols=len(SEND_HEADER))
    for concern, leads, actions, measures in SEND_CONCERNS:
        cells = table.add_row().cells
        merged = cells[0].merge(cells[-1])
        merged.text = concern
        merged.paragraphs[0].runs[0].bold = True
        cells = table.add_row().cells
        merged = cells[0].merge(cells[-1])
        merged.text = ""
        merged.paragraphs[0].add_run(leads).italic = True
        if concern.startswith("KEY CONCERN 1"):
            cells = table.add_row().cells
            cells[0].merge(cells[-1]).text = SEND_MEMBERSHIP
        for cell, value in zip(table.add_row().cells, SEND_HEADER, strict=True):
            cell.text = value
        first = None
        for k, values in enumerate(actions):
            cells = table.add_row().cells
            for col, value in zip((0, 1, 2, 3, 5), values, strict=True):
                cells[col].text = value
            if k == 0:
                first = cells[4]
                first.text = measures
            else:
                assert first is not None
                first = first.merge(cells[4])  # the measures cell, merged down
    document.save(str(path))
    return path


def send_app_xlsx(path: Path) -> Path:
    """Seed 002 in Excel: title rows, the header once, each key concern a row merged
    across, its leads in italics merged across below it, actions numbered from 1 in each
    concern with RAG as a word and a fill, a UK date, staged dates, and the concern's
    measures in one cell merged down the actions' rows."""
    import openpyxl
    from openpyxl.styles import Font, PatternFill

    fills = {"Green": "00B050", "Amber": "FFC000", "Red": "FF0000"}
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "SEND APP"
    ws.append([SEND_TITLE])
    ws.append(["Project Sponsors: DCS and CEO of WCF"])
    ws.append(SEND_HEADER)
    last = len(SEND_HEADER)
    for concern, leads, actions, measures in SEND_CONCERNS:
        ws.append([concern])
        r = ws.max_row
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=last)
        ws.append([leads])
        r = ws.max_row
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=last)
        ws.cell(r, 1).font = Font(italic=True)
        ws.append(["ACTIONS/ACTIVITY"])  # a heading over the actions, merged across
        r = ws.max_row
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=last)
        top = ws.max_row + 1
        for k, (no, text, lead, when, rag) in enumerate(actions):
            ws.append([int(no), text, lead, when, measures if k == 0 else None, rag])
            if rag:
                ws.cell(ws.max_row, last).fill = PatternFill("solid", fgColor=fills[rag])
        ws.merge_cells(start_row=top, start_column=5, end_row=ws.max_row, end_column=5)
    book.save(str(path))
    return path


def _cse_rows(shipped: dict) -> list[list[str]]:
    """The rows of seed 004's recommendations table, made from the shipped transcription:
    Rec N°, the recommendation (its heading, then its words), the lead agency as the
    document writes it, how it will be achieved, and the progress update opening with
    its status word ("Completed", "In progress")."""
    words = {"complete": "Completed", "in-progress": "In progress"}
    rows = []
    for rec in shipped["recommendation"]:
        action = rec["action"][0]
        leads = rec.get("extra", {}).get("lead_as_written") or ""
        note = action["update"][0].get("note", "")
        status = words.get(action.get("status", ""), "")
        if rec["ref"] == "9":  # four agencies, a line each in the document's cell
            leads = "Public Health\nNHS England\nCCG\nSSSFT"
        rows.append([rec["ref"], rec["title"] + "\n" + rec["text"], leads, action["action"],
                     (status + "\n" + note) if status else note])  # fmt: skip
    return rows


def cse_from_shipped_docx(path: Path, shipped: dict) -> Path:
    """Seed 004 part a, every recommendation, as the council's Word table: the council's
    name, the review's title as a heading, the header row repeated every eight rows (as
    Word repeats it at each page) and one row broken across a page (its second part a row
    with no Rec N°)."""
    import docx

    document = docx.Document()
    document.add_paragraph("Telford & Wrekin Council")
    document.add_heading(shipped["plan"]["title"], level=1)
    table = document.add_table(rows=0, cols=5)

    def row(values: list[str]) -> None:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value

    for k, values in enumerate(_cse_rows(shipped)):
        if k % 8 == 0:
            row(CSE_HEADER)
        if values[0] == "3":  # broken across a page: the action's last paragraph goes over
            first, _, rest = values[3].rpartition("\n")
            row([*values[:3], first, values[4]])
            row(["", "", "", rest, ""])
        else:
            row(values)
    document.save(str(path))
    return path


def cse_from_shipped_xlsx(path: Path, shipped: dict) -> Path:
    """Seed 004 part a as an officer's workbook: two title rows, the header, one row a
    recommendation, wrapped text."""
    import openpyxl
    from openpyxl.styles import Alignment

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Recommendations"
    ws.append(["Telford & Wrekin Council"])
    ws.append([shipped["plan"]["title"]])
    ws.append(CSE_HEADER)
    for values in _cse_rows(shipped):
        ws.append(values)
        for cell in ws[ws.max_row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    book.save(str(path))
    return path


SIF_HEADER = ["Ref", "Outcome", "Action", "Success Measure", "Lead(s)", "Date Due",
              "% complete", "RAG rating", "Performance"]  # fmt: skip


def ofsted_sif_xlsx(path: Path) -> Path:
    """Seed 004 part b (the Ofsted SIF Improvement Plan) as a workbook: title rows, the
    header, a theme merged across, a recommendation's ref with its text merged across the
    other columns, "Why this is important" and "What good looks like" merged across,
    actions with refs, percent cells formatted as %, RAG as a word and a fill, a real
    Excel date, a UK text date and a staged date."""
    import openpyxl
    from openpyxl.styles import PatternFill

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "SIF plan"
    ws.append(["Telford & Wrekin Council"])
    ws.append(["Ofsted SIF Improvement Plan 2016-17"])
    ws.append(SIF_HEADER)
    width = len(SIF_HEADER)

    def across(text: str, ref: str | None = None) -> None:
        ws.append([ref, text] if ref else [text])
        r = ws.max_row
        ws.merge_cells(start_row=r, start_column=2 if ref else 1, end_row=r, end_column=width)

    across("THEME 1: SCRUTINY, OVERSIGHT AND ADVOCACY")
    across("Ensure that all social workers receive regular, good quality supervision that is "
           "recorded and reflective, with management oversight of every case.", ref="1.1")  # fmt: skip
    across("Why this is important: children are safer when their workers are supervised.")
    across("What 'good' looks like: ➤ Managers oversee practice ➤ Decisions are recorded")
    ws.append(["1.1.1", "Consistent practice", "Review the supervision policy",
               "75% cases audited graded 'good'", "Head of Safeguarding",
               dt.date(2017, 3, 31), 0.5, "In progress and on schedule", "Too early to say"])  # fmt: skip
    ws.append(["1.1.2", "", "Train all team managers in the policy", "",
               "Principal Social Worker", "31/01/2017", 0.25, "In progress but behind schedule",
               "Partly"])  # fmt: skip
    for row in (ws.max_row - 1, ws.max_row):
        ws.cell(row, 7).number_format = "0%"
    ws.cell(ws.max_row, 8).fill = PatternFill("solid", fgColor="FFC000")
    across("THEME 2: PERMANENCE")
    across("Children achieve permanence without drift or delay.", ref="2.1")
    ws.append(["2.1.1", "", "Track every plan for permanence monthly", "",
               "Head of Children in Care", "Stage 1: December 2016 Stage 2: March 2017", 1,
               "Complete", "Yes"])  # fmt: skip
    ws.cell(ws.max_row, 7).number_format = "0%"
    book.save(str(path))
    return path


def key_concern_docx(path: Path) -> Path:
    """A tracker kept in Word with a "Priority" column: the grouping rows hold the
    priority's id, its text merged across the next columns; the actions under it leave
    the column blank."""
    import docx

    document = docx.Document()
    document.add_heading("Early Help Partnership Action Plan 2022-24", level=1)
    header = ["Priority", "Action", "Lead", "By when", "Progress update", "RAG status"]
    table = document.add_table(rows=0, cols=len(header))
    for cell, value in zip(table.add_row().cells, header, strict=True):
        cell.text = value
    for pid, text, actions in (
        ("P1", "Families get help early, from the right service", [
            ("Publish the Early Help offer", "Early Help Partnership Manager", "31/03/2023",
             "Completed. Published in March.", "Green"),
            ("Train 200 practitioners in the Early Help Assessment", "Workforce Lead",
             "June 2023", "In progress: 120 trained", "Amber")]),
        ("P2", "Fewer children need a social worker", [
            ("Review step-down from social care", "Head of Early Help", "30/09/2023", "",
             "")]),
    ):  # fmt: skip
        cells = table.add_row().cells
        cells[0].text = pid
        cells[1].merge(cells[3]).text = text
        for values in actions:
            cells = table.add_row().cells
            for cell, value in zip(cells[1:], values, strict=True):
                cell.text = value
    document.save(str(path))
    return path
