"""A return's answer cells read as a lead meant them: each value checked on its own (a
percent, a date, an impact word, a number) and made into the `Change` that
`improve update` would make; a problem named by its cell for each that cannot be used.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..edits.change import Change
from ..errors import EditError
from ..inert import one_line
from ..plans.model import Action, Measure, Plan
from ..plans.vocab import IMPACTS

# the column a change's field is typed in
FIELD_COLUMN = {
    "percent": "New %",
    "milestone": "Milestone done",
    "milestone_done": "Milestone done",
    "milestone_on": "Milestone done",
    "note": "Progress note",
    "evidence": "Evidence",
    "link": "Evidence link",
    "impact": "Impact",
    "readings": "Measure",  # the plan refuses a reading only for its measure
    "request_extension": "Extension to",
    "reason": "Extension reason",
}

# what a spreadsheet shows when a formula fails (Excel, LibreOffice, Google Sheets)
ERROR_VALUES = frozenset(("#VALUE!", "#REF!", "#NAME?", "#DIV/0!", "#N/A", "#NUM!", "#NULL!",
                          "#SPILL!", "#CALC!", "#GETTING_DATA", "#FIELD!", "#BLOCKED!",
                          "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#ERROR!"))  # fmt: skip

# the largest reading a report shows exactly (schema.MAX_NUMBER: 15 digits)
MAX_READING = 10**15


@dataclass
class ReturnProblem:
    where: str  # Return!F7
    message: str


def not_a_value(name: str, cell: Any) -> str:  # cell: openpyxl's
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


def text(value: object) -> str:
    """A cell's value as the text a person sees in it (12, not 12.0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _number(cell: Any) -> float | None:
    """A cell's number as typed: 82 for 82, for "82%" typed as text, and for 0.82 in a
    cell Excel formats as a percent (what it stores when 82% is typed); None if none."""
    value = cell.value
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value) * 100 if "%" in (cell.number_format or "") else float(value)
        return round(number, 9)  # 0.29 * 100 is 28.999999999999996
    m = re.fullmatch(r"([-+]?\d+(?:\.\d+)?)\s*%?", text(value))
    return float(m[1]) if m else None


def _impact(value: str) -> str:
    """An impact word as typed in any case ("Too early" for too-early)."""
    word = "-".join(value.split()).casefold()
    return word if word in IMPACTS else value


def _measure(typed: str, ids: list[str]) -> str | None:
    """The measure `typed` names (its id, in any case), or None."""
    found = [m for m in ids if m == typed] or [m for m in ids if m.casefold() == typed.casefold()]
    return found[0] if len(found) == 1 else None


def answer_change(
    inputs: dict[str, Any], refs: dict[str, str], problems: list[ReturnProblem], today: dt.date,
    plan: Plan, action: Action,
) -> Change | None:  # fmt: skip
    """The row's answers as a Change (as `improve update` would make it, a milestone
    done dated `today`, a reading dated `today`); a problem for each cell that cannot be
    read, and then None."""
    bad = len(problems)

    def refuse(column: str, message: str) -> None:
        problems.append(ReturnProblem(refs[column], message))

    pct_cell = inputs["New %"]
    percent = None
    if text(pct_cell.value):
        number = _number(pct_cell)
        if number is None or number != int(number) or not 0 <= number <= 100:
            refuse(
                "New %", f'New % must be a whole number from 0 to 100, not "{text(pct_cell.value)}"'
            )
        else:
            percent = int(number)
    ext_cell = inputs["Extension to"]
    extension = None
    if text(ext_cell.value):
        extension = _date(ext_cell.value)
        if extension is None:
            refuse("Extension to", "Extension to must be a date (dd/mm/yyyy), not "
                   f'"{text(ext_cell.value)}"')  # fmt: skip
    reason = text(inputs["Extension reason"].value)
    if reason and not text(ext_cell.value):
        refuse("Extension reason", "an Extension reason needs the date asked for in Extension to")
    impact = text(inputs["Impact"].value)
    if impact:
        impact = _impact(impact)
        if impact not in IMPACTS:
            refuse("Impact", f"Impact must be one of {', '.join(IMPACTS)} (the cell's list), "
                   f'not "{impact}"')  # fmt: skip
    readings = _reading(inputs, refuse, plan, action)
    milestone = text(inputs["Milestone done"].value)
    if len(problems) > bad:
        return None
    try:
        change = Change.from_text(
            percent=percent,
            note=text(inputs["Progress note"].value),
            evidence=text(inputs["Evidence"].value),
            link=text(inputs["Evidence link"].value),
            impact=impact,
            readings=readings,
            milestone=milestone or None,
            milestone_done=True if milestone else None,
            # a milestone done already keeps the day it was done
            milestone_on=today if milestone and not _done(action, milestone) else None,
            request_extension=extension,
            reason=reason,
        )
        change.check()
    except EditError as exc:
        refuse(FIELD_COLUMN.get(exc.field or "", "Ref"), exc.message)
        return None
    return change


def _reading(
    inputs: dict[str, Any], refuse: Callable[[str, str], None], plan: Plan, action: Action
) -> list[tuple[str | None, str]]:
    """[(measure, value)] from Measure and Reading, or [] (a problem said if unusable)."""
    typed, value_cell = text(inputs["Measure"].value), inputs["Reading"]
    if not text(value_cell.value):
        if typed:
            refuse("Reading", f'a Measure needs its value now in Reading (for "{typed}")')
        return []
    number = _number(value_cell)
    if number is None or not -MAX_READING < number < MAX_READING:
        refuse("Reading", "Reading must be a number (82 for 82%), of at most 15 digits, not "
               f'"{text(value_cell.value)}"')  # fmt: skip
        return []
    ids = [m.id for m in reachable_measures(plan, action)]
    listing = ", ".join(ids)
    if not ids:
        refuse("Reading", "this action has no measures to record a Reading of")
        return []
    if not typed:
        if len(ids) > 1:
            refuse("Measure", f"say which measure the Reading is of (its measures: {listing})")
            return []
        measure = ids[0]
    else:
        found = _measure(typed, ids)
        if found is None:
            refuse("Measure", f'no measure "{typed}" for this action (its measures: {listing})')
            return []
        measure = found
    return [(measure, repr(int(number) if number.is_integer() else number))]


def reachable_measures(plan: Plan, action: Action) -> list[Measure]:
    """The measures an action may report on: its own, its recommendation's, the plan's
    (as `improve update --reading` finds them)."""
    found = plan.find_action(action.ref)
    rec_measures = found[0].measures if found else []
    return [*action.measures, *rec_measures, *plan.measures]


def _milestone_index(action: Action, typed: str) -> int | None:
    """Which milestone `typed` names, as `improve update --milestone` finds it."""
    from ..edits.editing import _find_milestone

    try:
        return _find_milestone([{"label": m.label} for m in action.milestones], typed)
    except EditError:
        return None


def _done(action: Action, typed: str) -> bool:
    k = _milestone_index(action, typed)
    return k is not None and action.milestones[k].done


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    from ..importing.grid import Cell
    from ..importing.values import parse_when

    when = parse_when(Cell(text(value), ""))
    if when.due is None or when.month_only or when.milestones:
        return None
    return when.due


def already_there(
    action: Action, change: Change, plan: Plan | None = None, since: dt.date | None = None
) -> bool:
    """Whether the plan already holds every answer in `change` (the return was applied):
    a reading counts when its measure has that value read on or after `since` (the day the
    return was made)."""
    if change.percent is not None and action.percent != change.percent:
        return False
    if change.impact is not None and action.impact != change.impact:
        return False
    if change.note and not any(u.note == change.note for u in action.updates):
        return False
    if change.evidence and not any(
        e.text == change.evidence and e.link == change.link for e in action.evidence
    ):
        return False
    if change.milestone and not _done(action, change.milestone):
        return False
    measures = {m.id: m for m in (reachable_measures(plan, action) if plan else action.measures)}
    for measure_id, value in change.readings:
        measure = measures.get(measure_id)
        if measure is None or not any(
            r.value == value and (since is None or r.date >= since) for r in measure.readings
        ):
            return False
    return not (
        change.request_extension
        and not any(x.due == change.request_extension for x in action.extensions)
    )


def would_say(change: Change) -> list[str]:
    """What applying `change` would do, in the words `improve update` says it."""
    said = []
    if change.percent is not None:
        said.append(f"percent → {change.percent}")
    if change.milestone:
        said.append(f'milestone "{change.milestone}" done')
    if change.note:
        said.append(f"note: {change.note}")
    if change.evidence:
        said.append(f"evidence: {change.evidence}")
    if change.impact:
        said.append(f"impact → {change.impact}")
    for measure_id, value in change.readings:
        said.append(f"reading {measure_id} = {value:g}")
    if change.request_extension:
        said.append(f"extension asked for to {change.request_extension.isoformat()}")
    return said
