"""`improve returns apply`: a filled-in return read, every cell checked, then applied.

A return with any value that cannot be used applies nothing and names each bad cell. A
row whose action changed in the plan since the return was made is a conflict: not applied,
listed, and the other rows are applied. A row whose answer the plan already holds (the
return applied before) changes nothing, so applying a return twice is harmless.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..edits.change import Change
from ..errors import ConflictError, EditError, ImproveError, SourceError
from ..plans.loader import Portfolio
from ..plans.model import Target
from . import COLUMNS, FORMAT, HIDDEN, INPUTS, MARK, SHEET, action_fingerprint, signing
from .answers import (
    FIELD_COLUMN,
    ReturnProblem,
    already_there,
    answer_change,
    not_a_value,
    would_say,
)
from .answers import text as _str

if TYPE_CHECKING:
    from ..plans.model import Plan
    from ..workspace import Workspace


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

    @property
    def since(self) -> dt.date | None:
        """The day the return was made (a reading on or after it may be its answer)."""
        try:
            return dt.date.fromisoformat(self.made_on)
        except ValueError:
            return None

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


def _within_limits(path: Path) -> int:
    """Refuse a workbook no return could be, before the spreadsheet library reads it: the
    limits import reads to (its size unzipped, its XML, a value past 20,000 rows or 200
    columns; docs/import.md), and a merge wider than those (the library makes a merge
    cell by cell). The most rows holding a value in any sheet: no more are read."""
    import zipfile

    from ..importing import limits

    try:
        limits.check_zip(path)
        most = 0
        with zipfile.ZipFile(path) as z:
            for part in z.namelist():
                if limits.WORKSHEET.fullmatch(part):
                    sheet = limits.scan_sheet(path, z, part, part)
                    if sheet.merged_cells > limits.MAX_CELLS:
                        raise limits.refuse(
                            path, f"a merge in {part} covers {sheet.merged_cells:,} cells",
                            f"merges of at most {limits.MAX_CELLS:,} cells",
                        )  # fmt: skip
                    most = max(most, sheet.rows)
    except limits.LimitError as exc:
        raise SourceError(
            f"{exc.message.split(';')[0]}; a return made by improve is far smaller, so this is "
            f"damaged or not a return ({exc.values.get('limit')}); nothing was applied",
            code="return-unreadable",
        ) from None
    except (zipfile.BadZipFile, OSError):
        return limits.MAX_ROWS  # not a zip: the library says so, as before
    return most


def _open_book(path: Path) -> Any:  # openpyxl's workbook
    try:
        import openpyxl

        # formulas read as formulas (never their values): no answer is ever one
        return openpyxl.load_workbook(path, data_only=False)
    except Exception as exc:  # a file from many hands: any failure is this file's
        raise SourceError(
            f"{path.name} cannot be read as a workbook ({type(exc).__name__}); nothing was applied",
            code="return-unreadable",
        ) from None


def _made_with(
    book: Any, used: int
) -> tuple[dict[tuple[str, str], str], list[tuple[str, str, str]], dict[tuple[str, str], Any]]:
    """The return's hidden record of the actions it was made with: (plan, ref) → the
    action's fingerprint then, the rows as signed, and each row's signature."""
    made: dict[tuple[str, str], str] = {}
    signed_rows, macs = [], {}
    for row in book[HIDDEN].iter_rows(min_row=2, max_row=max(used, 2), values_only=True):
        if not any(v is not None for v in row):
            continue
        row = (*row, None, None, None, None, None)
        signed_rows.append((_s(row[1]), _s(row[2]), _s(row[3])))
        if row[1] and row[2]:
            made[(str(row[1]), str(row[2]))] = str(row[3] or "")
            macs[(str(row[1]), str(row[2]))] = row[4]
    return made, signed_rows, macs


def read_return(path: Path, portfolio: Portfolio, today: dt.date) -> ReturnRead:
    """Every filled-in row of a return as a change, each value checked against its plan
    as the plan is now; nothing is written."""
    used = _within_limits(path)
    book = _open_book(path)
    if SHEET not in book.sheetnames or HIDDEN not in book.sheetnames:
        raise _not_a_return(path, f'it has no "{SHEET}" sheet and record of how it was made')
    meta = [c.value for c in book[HIDDEN][1]]
    if not meta or meta[0] != MARK or len(meta) < 5:
        raise _not_a_return(path, "its record of how it was made is missing")
    key = _key_for(path, meta, portfolio.root)  # first: an older return's headings differ
    ws = book[SHEET]
    heading = tuple(str(c.value or "").strip() for c in ws[1][: len(COLUMNS)])
    if heading != COLUMNS:
        raise _not_a_return(path, "its column headings were changed")
    return_id, lead = _s(meta[2]), _s(meta[4])
    made, signed_rows, macs = _made_with(book, used)
    out = ReturnRead(path, lead, _s(meta[3]))
    record_ok = signing.same(
        meta[6], signing.return_mac(key, _s(meta[1]), return_id, _s(meta[3]), lead, signed_rows)
    )
    col = {name: k for k, name in enumerate(COLUMNS)}
    plans = {p.id: p for p in portfolio.plans}
    answers = ws.iter_rows(min_row=2, max_row=max(used, 2), max_col=len(COLUMNS))
    for r, cells in enumerate(answers, start=2):
        refs = {name: f"{SHEET}!{cells[k].column_letter}{r}" for name, k in col.items()}
        plan_id, ref = _str(cells[col["Plan"]].value), _str(cells[col["Ref"]].value)
        inputs = {name: cells[col[name]] for name in INPUTS}
        unusable = [ReturnProblem(refs[name], why) for name, c in inputs.items()
                    if (why := not_a_value(name, c))]  # fmt: skip
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
        current = plan.find_action(ref)[1]  # type: ignore[index]  # found just above
        change = answer_change(inputs, refs, out.problems, today, plan, current)
        if change is None:
            continue
        answer = Answer(r, Target(plan_id, ref), made[(plan_id, ref)], change, refs)
        if already_there(current, change, plan, out.since):
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


def _key_for(path: Path, meta: list[Any], plans: Path) -> bytes:
    """This folder's key, if the return was signed with it; else why it cannot be applied."""
    if _s(meta[1]) != str(FORMAT) or len(meta) < 7:
        if _s(meta[1]) == "1" or len(meta) < 7:
            raise SourceError(
                f"{path.name} was made before returns were signed (by an earlier improve), so "
                "what it was made for cannot be checked; nothing was applied: make it again "
                "with `improve returns make`",
                code="return-unsigned",
            )
        if _s(meta[1]) == "2":
            raise SourceError(
                f"{path.name} was made by an earlier improve, before returns had the columns "
                "Milestone done, Impact, Measure and Reading, so its columns are not where "
                "they are read from; nothing was applied: make it again with "
                "`improve returns make` (and copy the answers across)",
                code="return-old-format",
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


def _s(value: object) -> str:
    """A cell of the record as it was written (a string), for its signature."""
    return "" if value is None else str(value)


def _where(exc: ImproveError, refs: dict[str, str]) -> str:
    return refs[FIELD_COLUMN.get(exc.field or "", "Ref")]


def _check_against_plan(
    answer: Answer, plan: Plan, today: dt.date, root: Path
) -> ReturnProblem | None:
    """What `improve update` would refuse in this change, found before anything is written
    (the edit made in memory, with the plan file as it is now)."""
    from ..edits.editing import edit_text, read_plan

    try:
        text = plan.file.read_text(encoding="utf-8")
        data, _ = read_plan(text, plan.file, root)
        edit_text(text, data, plan.file, answer.target.ref, answer.change, today, None, root)
    except EditError as exc:
        return ReturnProblem(_where(exc, answer.cells), exc.message)
    except (ImproveError, OSError) as exc:
        return ReturnProblem(answer.cells["Ref"], f"{plan.file.name} cannot be changed: {exc}")
    return None


def apply_return(
    read: ReturnRead,
    workspace: Workspace,
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
        if answer.state == "already" or already_there(current, answer.change, found, read.since):
            out.outcomes.append(Outcome(answer, "already", why="the plan already says this"))
            continue
        if answer.state == "conflict" or action_fingerprint(current) != answer.fingerprint:
            out.outcomes.append(Outcome(answer, "conflict", why="the action changed in the plan "
                                        "since the return was made"))  # fmt: skip
            continue
        if dry_run:
            out.outcomes.append(Outcome(answer, "would-apply", would_say(answer.change)))
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
