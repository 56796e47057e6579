"""Documents in the seeds' own layouts, built by the tests (python-docx, openpyxl), as an
officer would have them: title rows, headings, repeated header rows, continuation rows."""

from __future__ import annotations

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
