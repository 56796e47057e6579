"""`improve returns make`: one workbook per lead, listing that lead's open actions."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

from ..inert import one_line, visible
from ..plans.loader import Portfolio
from ..plans.vocab import IMPACTS
from ..status import rules
from ..team.people import People, Person
from . import COLUMNS, FORMAT, HIDDEN, INPUTS, INSTRUCTIONS, LISTS, MARK, SHEET, action_fingerprint

WIDTHS = (22, 9, 50, 12, 8, 8, 28, 40, 34, 28, 11, 28, 10, 13, 30)
GREY = "FFE7E6E6"  # a locked column
HEAD = "FF1F3864"  # the header row: white on dark blue (12.6:1)


@dataclass
class Row:
    plan: str
    ref: str
    action: str
    due: date | None
    percent: int
    fingerprint: str
    milestones: tuple[str, ...] = ()  # the labels of those not done yet, in file order
    measures: tuple[tuple[str, str], ...] = ()  # (id, text) of each it may report on


@dataclass
class MadeReturn:
    lead: str
    path: Path
    rows: list[Row] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)  # who holds the lead (people.toml)


def open_rows(
    portfolio: Portfolio, today: date, plan_ids: Collection[str] = ()
) -> dict[str, list[Row]]:
    """Lead title → its open actions (an action with two leads is in both returns)."""
    out: dict[str, list[Row]] = {}
    for plan in portfolio.plans:
        if plan_ids and plan.id not in plan_ids:
            continue
        for rec in plan.recommendations:
            for action in rec.actions:
                st = rules.action_status(action, today, plan.margin, plan.stale_days, plan.start)
                if not st.open:
                    continue
                row = Row(plan.id, action.ref, action.action, st.due, st.percent,
                          action_fingerprint(action),
                          tuple(ms.label for ms in action.milestones if not ms.done),
                          tuple((ms.id, ms.text) for ms in
                                (*action.measures, *rec.measures, *plan.measures)))  # fmt: skip
                for lead in action.leads or rec.leads:
                    out.setdefault(lead, []).append(row)
    return out


def pick_leads(
    available: list[str], asked: list[str], people: People
) -> tuple[list[str], list[str]]:
    """The lead titles `asked` names (a title in any case, a person's name from
    people.toml, or part of a title), and what named none."""
    if not asked:
        return sorted(available), []
    chosen: list[str] = []
    unknown: list[str] = []
    for name in asked:
        want = name.casefold()
        exact = [t for t in available if t.casefold() == want]
        held = people.titles_for(name) or []
        matched = exact or [t for t in available if t.casefold() in {h.casefold() for h in held}]
        matched = matched or [t for t in available if want in t.casefold()]
        if not matched:
            unknown.append(name)
        chosen.extend(t for t in matched if t not in chosen)
    return chosen, unknown


def file_name(lead: str, today: date, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", lead.casefold()).strip("-")[:60] or "lead"
    name, k = f"return-{base}-{today.isoformat()}.xlsx", 2
    while name in taken:
        name, k = f"return-{base}-{k}-{today.isoformat()}.xlsx", k + 1
    taken.add(name)
    return name


def make_returns(
    portfolio: Portfolio,
    today: date,
    out_dir: Path,
    *,
    leads: list[str] | None = None,
    plan_ids: list[str] | None = None,
    people: People | None = None,
    by: str | None = None,
) -> tuple[list[MadeReturn], list[str]]:
    """Write a return for each lead (all with open actions, unless `leads` names some);
    also what in `leads` named no lead. `by`: who sends them, for the instructions."""
    from ..plans.files import atomic_write
    from .signing import make_key

    people = people or People()
    key = make_key(portfolio.root)  # before anything is written: no key, no returns
    rows = open_rows(portfolio, today, tuple(plan_ids or ()))
    chosen, unknown = pick_leads(list(rows), list(leads or []), people)
    out_dir.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    made = []
    for lead in chosen:
        ret = MadeReturn(lead, out_dir / file_name(lead, today, taken), rows[lead],
                         people.holders(lead))  # fmt: skip
        atomic_write(ret.path, workbook(ret, today, by, key))
        made.append(ret)
    return made, unknown


def _text(cell: Any, value: str, *, exact: bool = False) -> None:  # cell: openpyxl's
    """Plan text in a cell: control characters shown, never a formula (a string cell,
    and, unless `exact` for what is read back, text that starts like a formula begins
    with an apostrophe, as a spreadsheet program does when a person types it)."""
    from ..report.safety import neutralise

    shown = visible(value)
    cell.value = shown if exact else neutralise(shown)
    cell.data_type = "s"


def _nothing_to_choose(row: Row) -> set[str]:
    """The answer columns a row has nothing for: locked and grey."""
    return ({"Milestone done"} if not row.milestones else set()) | (
        {"Measure", "Reading"} if not row.measures else set()
    )


def _clip(text: str, limit: int = 250) -> str:
    """A prompt or a message as a spreadsheet holds one (Excel's limit is 255)."""
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _validations(book: Any, ws: Any, rows: list[Row], today: date) -> None:
    """What the spreadsheet itself checks as a lead types: a whole percent, a date after
    today, and the lists of impacts, of each row's milestones and of its measures (the
    choices written once each on the hidden sheet LISTS; apply never reads it), and a
    number for a reading."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    def letter(name: str) -> str:
        column: str = get_column_letter(COLUMNS.index(name) + 1)
        return column

    def rule(name: str, **kw: Any) -> DataValidation:
        dv = DataValidation(allow_blank=True, showErrorMessage=True, showInputMessage=True,
                            errorTitle=name, promptTitle=name, **kw)  # fmt: skip
        ws.add_data_validation(dv)
        return dv

    last = len(rows) + 1
    rule(
        "New %", type="whole", operator="between", formula1="0", formula2="100",
        error="Type a whole number from 0 to 100 (no % sign), or leave it blank.",
        prompt="The percent complete now: a whole number from 0 to 100.",
    ).add(f"{letter('New %')}2:{letter('New %')}{last}")  # fmt: skip
    rule(
        "Extension to", type="date", operator="greaterThan",
        formula1=f"DATE({today.year},{today.month},{today.day})",
        error="Type the new due date you are asking for, after today (dd/mm/yyyy).",
        prompt="Only if you need more time: the date you ask for. The meeting decides.",
    ).add(f"{letter('Extension to')}2:{letter('Extension to')}{last}")  # fmt: skip
    rule(
        "Impact", type="list", formula1='"' + ",".join(IMPACTS) + '"',
        error="Pick one from the list: " + ", ".join(IMPACTS) + ".",
        prompt="Performance: is the action making a difference? "
        "yes, partly, no, too-early (to tell) or n/a.",
    ).add(f"{letter('Impact')}2:{letter('Impact')}{last}")  # fmt: skip

    lists = book.create_sheet(LISTS)
    lists.sheet_state = "hidden"
    lists.protection.sheet = True
    placed: dict[tuple[str, ...], DataValidation] = {}

    def choice(name: str, values: tuple[str, ...], prompt: str, error: str) -> DataValidation:
        if values not in placed:
            r = len(placed) + 1
            for k, value in enumerate(values, start=1):
                _text(lists.cell(r, k), value, exact=True)  # as typed by picking it
            source = f"{LISTS}!$A${r}:${get_column_letter(len(values))}${r}"
            placed[values] = rule(name, type="list", formula1=source, error=_clip(error),
                                  prompt=_clip(prompt))  # fmt: skip
        return placed[values]

    reading = None
    for r, row in enumerate(rows, start=2):
        if row.milestones:
            choice("Milestone done", tuple(visible(m) for m in row.milestones),
                   "A milestone finished since the last update: pick it from the list. It is "
                   "recorded as done on the day the return is applied.",
                   "Pick one of this action's milestones from the list, or leave it blank.",
                   ).add(f"{letter('Milestone done')}{r}")  # fmt: skip
        if row.measures:
            ids = tuple(visible(m) for m, _ in row.measures)
            what = "; ".join(f"{visible(m)}: {visible(t)}" for m, t in row.measures)
            prompt = ("The measure this reading is of: " if len(ids) > 1 else "Only one: ") + what
            choice("Measure", ids, prompt,
                   "Pick one of this action's measures from the list, or leave it blank.",
                   ).add(f"{letter('Measure')}{r}")  # fmt: skip
            if reading is None:
                reading = rule(
                    "Reading", type="decimal", operator="between",
                    formula1="-999999999999999", formula2="999999999999999",
                    error="Type the measure's value now as a number (82 for 82%), or leave "
                    "it blank.",
                    prompt="The measure's value now, a number (82 for 82%). Say which measure "
                    "in Measure, unless the action has only one.",
                )  # fmt: skip
            reading.add(f"{letter('Reading')}{r}")


def workbook(ret: MadeReturn, today: date, by: str | None, key: bytes) -> bytes:
    """The return as .xlsx bytes; what it was made for signed with `key` (signing.py)."""
    import uuid

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter

    from . import signing

    book = Workbook()
    ws = book.active
    ws.title = SHEET
    head_fill, grey = PatternFill("solid", fgColor=HEAD), PatternFill("solid", fgColor=GREY)
    wrap = Alignment(wrap_text=True, vertical="top")
    thin = Side(style="thin", color="FF8C8C8C")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    for k, heading in enumerate(COLUMNS, start=1):
        cell = ws.cell(1, k, heading)
        cell.font = Font(bold=True, color="FFFFFFFF")
        cell.fill = head_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(k)].width = WIDTHS[k - 1]
    first_input = COLUMNS.index(INPUTS[0]) + 1
    for r, row in enumerate(ret.rows, start=2):
        _text(ws.cell(r, 1), row.plan, exact=True)
        _text(ws.cell(r, 2), row.ref, exact=True)
        _text(ws.cell(r, 3), row.action)
        if row.due is not None:
            ws.cell(r, 4, row.due).number_format = "dd/mm/yyyy"
        ws.cell(r, 5, row.percent)
        nothing = _nothing_to_choose(row)
        for k in range(1, len(COLUMNS) + 1):
            cell = ws.cell(r, k)
            cell.alignment = wrap
            cell.border = box
            if k < first_input or COLUMNS[k - 1] in nothing:
                cell.fill = grey  # locked: what the plan says now, or nothing to answer
            else:
                cell.protection = Protection(locked=False)
        ws.cell(r, COLUMNS.index("Extension to") + 1).number_format = "dd/mm/yyyy"
    from ..report.xlsx import fit_rows

    fit_rows(ws, WIDTHS, len(COLUMNS))
    ws.freeze_panes = "D2"
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # widen a column or a row to read it
    ws.protection.formatRows = False
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True

    who = ", ".join(p.name for p in ret.people)
    guide = book.create_sheet(INSTRUCTIONS)
    guide.column_dimensions["A"].width = 72  # fits a portrait A4 page
    count = f"{len(ret.rows)} open action{'s' if len(ret.rows) != 1 else ''}"
    lines = [
        "How to fill in this return",
        f"For: {ret.lead}" + (f" ({who})" if who else ""),
        f"Made on {today.day} {today:%B %Y} by improve, with {count}."
        + (f" Send it back to {by}." if by else ""),
        "",
        "On the Return sheet, fill in only the white columns, for each action that has "
        "moved on. Leave a row blank if nothing has changed.",
        "New %: how complete the action is now, a whole number from 0 to 100.",
        "Milestone done: a milestone of the action finished since the last update: pick "
        "it from the cell's list (it is recorded as done on the day the return is applied). "
        "Grey when the action has no milestone still to do.",
        "Progress note: a sentence on what has happened since the last update.",
        "Evidence: what shows the progress or its impact (an audit, minutes, a report); "
        "Evidence link: where to find it (a web address or a file name).",
        "Impact: is the action making a difference? Pick yes, partly, no, too-early or n/a "
        "from the cell's list.",
        "Measure and Reading: a new value of one of the action's success measures. Pick the "
        "measure from the list (the message shown in the cell says what each one is) and "
        "type its value now in Reading, as a number (82 for 82%). With only one measure, "
        "Reading alone will do. Grey when the action has no measures.",
        "Extension to: only if you need more time, the new due date you are asking for, "
        "with the reason in Extension reason. It is a request: the meeting decides it.",
        "",
        "Please do not add, remove, move or sort rows, or change the grey columns: each "
        "row is matched to its action when the return comes back. If an action has "
        "changed in the plan since this return was made, your answer for it is shown to "
        "the plan's owner instead of being written over the change.",
    ]
    for r, text in enumerate(lines, start=1):
        cell = guide.cell(r, 1)
        _text(cell, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    guide["A1"].font = Font(bold=True, size=14)
    fit_rows(guide, (72,), 1)
    guide.page_setup.fitToWidth = 1
    guide.page_setup.fitToHeight = 0
    guide.sheet_properties.pageSetUpPr.fitToPage = True
    guide.protection.sheet = True

    hidden = book.create_sheet(HIDDEN)
    hidden.sheet_state = "hidden"
    # signed as stored (visible(): what a cell can hold), so as read back by apply
    return_id, made_on, lead = uuid.uuid4().hex, today.isoformat(), visible(one_line(ret.lead))
    signed = [(visible(row.plan), visible(row.ref), row.fingerprint) for row in ret.rows]
    meta = [MARK, str(FORMAT), return_id, made_on, lead, signing.key_id(key),
            signing.return_mac(key, str(FORMAT), return_id, made_on, lead, signed)]  # fmt: skip
    records = [meta]
    for r, (plan, ref, fp) in enumerate(signed, start=2):
        records.append(
            [str(r), plan, ref, fp, signing.row_mac(key, return_id, lead, plan, ref, fp)]
        )
    for r, record in enumerate(records, start=1):
        for k, value in enumerate(record, start=1):
            cell = hidden.cell(r, k)
            cell.value, cell.data_type = value, "s"  # exactly as signed
    hidden.protection.sheet = True
    if ret.rows:
        _validations(book, ws, ret.rows, today)
    book.active = 0
    book.properties.title = f"Return: {one_line(ret.lead)}"
    book.properties.creator = "improve"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
