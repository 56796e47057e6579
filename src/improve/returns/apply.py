"""`improve returns apply`: a filled-in return read, every cell checked, then applied.

A return with any value that cannot be used applies nothing and names each bad cell. A
row whose action changed in the plan since the return was made is a conflict: not applied,
listed, and the other rows are applied. A row whose answer the plan already holds (the
return applied before) changes nothing, so applying a return twice is harmless.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..change import Change
from ..errors import ConflictError, EditError, ImproveError, SourceError
from ..inert import one_line
from ..loader import Portfolio
from ..model import Action, Target
from . import COLUMNS, FORMAT, HIDDEN, MARK, SHEET, action_fingerprint, signing

# the column a change's field is typed in
FIELD_COLUMN = {
    "percent": "New %",
    "note": "Progress note",
    "evidence": "Evidence",
    "link": "Evidence link",
    "request_extension": "Extension to",
    "reason": "Extension reason",
}


@dataclass
class ReturnProblem:
    where: str  # Return!F7
    message: str


@dataclass
class Answer:
    row: int
    target: Target
    fingerprint: str  # the action's when the return was made
    change: Change
    cells: dict[str, str]  # column heading → cell reference (Return!F7)
    state: str = "ready"  # ready | already (the plan holds it) | conflict (action changed)


@dataclass
class ReturnRead:
    path: Path
    lead: str
    made_on: str
    answers: list[Answer] = field(default_factory=list)
    problems: list[ReturnProblem] = field(default_factory=list)
    blank: int = 0  # rows left blank: nothing to do

    def problem_lines(self) -> list[str]:
        return [f"{self.path.name}: {p.where}: {p.message}" for p in self.problems]


@dataclass
class Outcome:
    answer: Answer
    state: str  # applied | would-apply | already | conflict
    said: list[str] = field(default_factory=list)  # what changed, as `improve update` says it
    why: str = ""


@dataclass
class Applied:
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, state: str) -> int:
        return sum(o.state == state for o in self.outcomes)


def _not_a_return(path: Path, why: str) -> SourceError:
    return SourceError(
        f"{path.name} is not a return made by `improve returns make` ({why}); nothing was applied",
        code="not-a-return",
    )


def read_return(path: Path, portfolio: Portfolio, today: dt.date) -> ReturnRead:
    """Every filled-in row of a return as a change, each value checked against its plan
    as the plan is now; nothing is written."""
    try:
        import openpyxl

        # formulas read as formulas (never their values): no answer is ever one
        book = openpyxl.load_workbook(path, data_only=False)
    except Exception as exc:  # a file from many hands: any failure is this file's
        raise SourceError(
            f"{path.name} cannot be read as a workbook ({type(exc).__name__}); nothing was applied",
            code="return-unreadable",
        ) from None
    if SHEET not in book.sheetnames or HIDDEN not in book.sheetnames:
        raise _not_a_return(path, f'it has no "{SHEET}" sheet and record of how it was made')
    meta = [c.value for c in book[HIDDEN][1]]
    if not meta or meta[0] != MARK or len(meta) < 5:
        raise _not_a_return(path, "its record of how it was made is missing")
    ws = book[SHEET]
    heading = tuple(str(c.value or "").strip() for c in ws[1][: len(COLUMNS)])
    if heading != COLUMNS:
        raise _not_a_return(path, "its column headings were changed")
    key = _key_for(path, meta, portfolio.root)
    return_id, lead = _s(meta[2]), _s(meta[4])
    made: dict[tuple[str, str], str] = {}
    signed_rows, macs = [], {}
    for row in book[HIDDEN].iter_rows(min_row=2, values_only=True):
        if not any(v is not None for v in row):
            continue
        row = (*row, None, None, None, None, None)
        signed_rows.append((_s(row[1]), _s(row[2]), _s(row[3])))
        if row[1] and row[2]:
            made[(str(row[1]), str(row[2]))] = str(row[3] or "")
            macs[(str(row[1]), str(row[2]))] = row[4]
    out = ReturnRead(path, lead, _s(meta[3]))
    record_ok = signing.same(
        meta[6], signing.return_mac(key, _s(meta[1]), return_id, _s(meta[3]), lead, signed_rows)
    )
    col = {name: k for k, name in enumerate(COLUMNS)}
    plans = {p.id: p for p in portfolio.plans}
    for r, cells in enumerate(ws.iter_rows(min_row=2, max_col=len(COLUMNS)), start=2):
        refs = {name: f"{SHEET}!{cells[k].column_letter}{r}" for name, k in col.items()}
        plan_id, ref = _str(cells[col["Plan"]].value), _str(cells[col["Ref"]].value)
        inputs = {name: cells[col[name]] for name in FIELD_COLUMN.values()}
        unusable = [ReturnProblem(refs[name], why) for name, c in inputs.items()
                    if (why := _not_a_value(name, c))]  # fmt: skip
        if unusable:
            out.problems.extend(unusable)
            continue
        if all(_str(c.value) == "" for c in inputs.values()):
            out.blank += bool(plan_id or ref)
            continue
        if (plan_id, ref) not in made:
            out.problems.append(ReturnProblem(refs["Ref"], f'"{plan_id}:{ref}" is not an action '
                                              "this return was made with; leave the grey "
                                              "columns as they were"))  # fmt: skip
            continue
        mac = signing.row_mac(key, return_id, lead, plan_id, ref, made[(plan_id, ref)])
        if not signing.same(macs[(plan_id, ref)], mac):
            out.problems.append(ReturnProblem(refs["Ref"], f"{plan_id}:{ref} is not as improve "
                                              "made it for this return (its record was edited, "
                                              "or copied from another return): make the return "
                                              "again with `improve returns make`"))  # fmt: skip
            record_ok = True  # said: the row explains the record
            continue
        plan = plans.get(plan_id)
        if plan is None or plan.find_action(ref) is None:
            out.problems.append(ReturnProblem(refs["Ref"], f"{plan_id}:{ref} is no longer in the "
                                              "plans (removed or renumbered since the return "
                                              "was made)"))  # fmt: skip
            continue
        change = _change(inputs, refs, out)
        if change is None:
            continue
        answer = Answer(r, Target(plan_id, ref), made[(plan_id, ref)], change, refs)
        current = plan.find_action(ref)[1]  # type: ignore[index]  # found just above
        if already_there(current, change):
            answer.state = "already"  # applied before: not checked again, nothing to do
        elif action_fingerprint(current) != answer.fingerprint:
            answer.state = "conflict"  # checked against the plan as it was, by its owner
        else:
            problem = _check_against_plan(answer, plan, today, portfolio.root)
            if problem is not None:
                out.problems.append(problem)
                continue
        out.answers.append(answer)
    if not record_ok:  # the lead, the date or the list of rows changed; no answer showed it
        out.problems.append(ReturnProblem(f"{HIDDEN} sheet", "the record of what this return "
                                          "was made for (its lead, date and actions) was "
                                          "changed after it was made: make the return again "
                                          "with `improve returns make`"))  # fmt: skip
    return out


def _key_for(path: Path, meta: list, plans: Path) -> bytes:
    """This folder's key, if the return was signed with it; else why it cannot be applied."""
    if _s(meta[1]) != str(FORMAT) or len(meta) < 7:
        if _s(meta[1]) == "1" or len(meta) < 7:
            raise SourceError(
                f"{path.name} was made before returns were signed (by an earlier improve), so "
                "what it was made for cannot be checked; nothing was applied: make it again "
                "with `improve returns make`",
                code="return-unsigned",
            )
        raise _not_a_return(path, f"its record is of format {_s(meta[1])}, not {FORMAT}")
    key = signing.read_key(plans)
    if key is None:
        raise SourceError(
            f"{path.name} was not made by this plans folder's improve (no key: "
            f"{signing.key_path(plans)} is missing); nothing was applied: make it again "
            "with `improve returns make`",
            code="return-key",
        )
    if not signing.same(meta[5], signing.key_id(key)):
        raise SourceError(
            f"{path.name} was not made by this plans folder's improve (it is signed with "
            "another key: another plans folder's or clone's, or this folder's before its key "
            "was made again); nothing was applied: make it again here with "
            "`improve returns make`",
            code="return-key",
        )
    return key


# what a spreadsheet shows when a formula fails (Excel, LibreOffice, Google Sheets)
ERROR_VALUES = frozenset(("#VALUE!", "#REF!", "#NAME?", "#DIV/0!", "#N/A", "#NUM!", "#NULL!",
                          "#SPILL!", "#CALC!", "#GETTING_DATA", "#FIELD!", "#BLOCKED!",
                          "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#ERROR!"))  # fmt: skip


def _not_a_value(name: str, cell) -> str:
    """Why a cell's content is not an answer: a formula (its result is never applied, nor
    its text: type the answer itself) or a spreadsheet's error value; "" if it is one."""
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    value = cell.value
    if isinstance(value, ArrayFormula | DataTableFormula) or cell.data_type == "f":
        text = value.text if isinstance(value, ArrayFormula) else str(value)
        text = text if text.startswith("=") else f"={text}"
        return (f"{name} is a formula ({one_line(text)[:80]}), not an answer: type the answer "
                "itself")  # fmt: skip
    if cell.data_type == "e" or (isinstance(value, str) and value.strip().upper() in ERROR_VALUES):
        code = one_line(str(value).strip())[:40] if value is not None else "(no value)"
        return f"{name} is the spreadsheet error {code}, not an answer: type the answer itself"
    return ""


def _s(value) -> str:
    """A cell of the record as it was written (a string), for its signature."""
    return "" if value is None else str(value)


def _str(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _change(inputs, refs, out: ReturnRead) -> Change | None:
    """The row's answers as a Change; a problem for each cell that cannot be read."""
    bad = len(out.problems)
    pct_cell = inputs["New %"]
    percent = None
    if _str(pct_cell.value):
        value = pct_cell.value
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = value * 100 if "%" in (pct_cell.number_format or "") else value
        else:
            m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*%?", _str(value))
            number = float(m[1]) if m else -1
        if number != int(number) or not 0 <= number <= 100:
            out.problems.append(ReturnProblem(refs["New %"], f'New % must be a whole number from '
                                              f'0 to 100, not "{_str(value)}"'))  # fmt: skip
        else:
            percent = int(number)
    ext_cell = inputs["Extension to"]
    extension = None
    if _str(ext_cell.value):
        extension = _date(ext_cell.value)
        if extension is None:
            out.problems.append(ReturnProblem(refs["Extension to"], "Extension to must be a date "
                                              f'(dd/mm/yyyy), not "{_str(ext_cell.value)}"'))  # fmt: skip
    reason = _str(inputs["Extension reason"].value)
    if reason and not _str(ext_cell.value):
        out.problems.append(ReturnProblem(refs["Extension reason"], "an Extension reason needs "
                                          "the date asked for in Extension to"))  # fmt: skip
    if len(out.problems) > bad:
        return None
    try:
        change = Change.from_text(
            percent=percent,
            note=_str(inputs["Progress note"].value),
            evidence=_str(inputs["Evidence"].value),
            link=_str(inputs["Evidence link"].value),
            request_extension=extension,
            reason=reason,
        )
        change.check()
    except EditError as exc:
        out.problems.append(ReturnProblem(_where(exc, refs), exc.message))
        return None
    return change


def _where(exc: ImproveError, refs: dict[str, str]) -> str:
    return refs[FIELD_COLUMN.get(exc.field or "", "Ref")]


def _date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    from ..importing.grid import Cell
    from ..importing.values import parse_when

    when = parse_when(Cell(_str(value), ""))
    if when.due is None or when.month_only or when.milestones:
        return None
    return when.due


def _check_against_plan(answer: Answer, plan, today: dt.date, root: Path) -> ReturnProblem | None:
    """What `improve update` would refuse in this change, found before anything is written
    (the edit made in memory, with the plan file as it is now)."""
    from ..editing import edit_text, read_plan

    try:
        text = plan.file.read_text(encoding="utf-8")
        data, _ = read_plan(text, plan.file, root)
        edit_text(text, data, plan.file, answer.target.ref, answer.change, today, None, root)
    except EditError as exc:
        return ReturnProblem(_where(exc, answer.cells), exc.message)
    except (ImproveError, OSError) as exc:
        return ReturnProblem(answer.cells["Ref"], f"{plan.file.name} cannot be changed: {exc}")
    return None


def already_there(action: Action, change: Change) -> bool:
    """Whether the plan already holds every answer in `change` (the return was applied)."""
    if change.percent is not None and action.percent != change.percent:
        return False
    if change.note and not any(u.note == change.note for u in action.updates):
        return False
    if change.evidence and not any(
        e.text == change.evidence and e.link == change.link for e in action.evidence
    ):
        return False
    return not (
        change.request_extension
        and not any(x.due == change.request_extension for x in action.extensions)
    )


def apply_return(
    read: ReturnRead,
    workspace,
    portfolio: Portfolio,
    today: dt.date,
    by: str | None = None,
    *,
    dry_run: bool = False,
) -> Applied:
    """Apply each answer of a return with no problems through `Workspace.update`, as by the
    return's lead unless `by`; ValueError if `read` has problems (nothing is applied)."""
    if read.problems:
        raise ValueError("a return with problems is never applied")
    who = by or read.lead or None
    out = Applied()
    for answer in read.answers:
        found = portfolio.plan(answer.target.plan_id)
        action = found.find_action(answer.target.ref) if found else None
        if action is None:  # pragma: no cover - read_return found it in this portfolio
            continue
        current = action[1]
        if answer.state == "already" or already_there(current, answer.change):
            out.outcomes.append(Outcome(answer, "already", why="the plan already says this"))
            continue
        if answer.state == "conflict" or action_fingerprint(current) != answer.fingerprint:
            out.outcomes.append(Outcome(answer, "conflict", why="the action changed in the plan "
                                        "since the return was made"))  # fmt: skip
            continue
        if dry_run:
            out.outcomes.append(Outcome(answer, "would-apply", _would_say(answer.change)))
            continue
        try:
            done = workspace.update(
                answer.target, answer.change, today, who, portfolio=portfolio,
                expected_action=current,
            )  # fmt: skip
        except ConflictError as exc:
            out.outcomes.append(Outcome(answer, "conflict", why=exc.message))
            continue
        out.outcomes.append(Outcome(answer, "applied", done.changes))
    return out


def _would_say(change: Change) -> list[str]:
    said = []
    if change.percent is not None:
        said.append(f"percent → {change.percent}")
    if change.note:
        said.append(f"note: {change.note}")
    if change.evidence:
        said.append(f"evidence: {change.evidence}")
    if change.request_extension:
        said.append(f"extension asked for to {change.request_extension.isoformat()}")
    return said
