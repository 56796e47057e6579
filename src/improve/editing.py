"""Changing one action: what a change is, how it is checked, and the new text of its file.

A `Change` is checked on its own first (`Change.check`: what can be known without the
file), then planned on the parsed data (`plan_change`), then made on the text
(`textedit.splice`), so only the lines that change differ. Before anything is written,
the new text is parsed again and must equal the old data with exactly the intended
change, and must still load as a plan without errors. Writing the file, under its lock,
and recording the history is `workspace.Workspace.update`: the one call every front end
makes.

A change is parsed twice: once before (`read_plan`) and once after (`edit_text`).
"""

from __future__ import annotations

import copy
import difflib
import math
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import model as m
from .dates import parse_date
from .errors import EditError, PlanFileError
from .loader import check_data, parse_text
from .positions import Positions
from .textedit import splice

# The fields of a change, in the words a message uses for them.
FIELD_WORDS = {
    "percent": "the percent",
    "status": "the status",
    "impact": "the impact",
    "impact_note": "the impact note",
    "note": "the note",
    "evidence": "the evidence",
    "link": "the evidence link",
    "evidence_measure": "the evidence's measure",
    "readings": "the reading",
    "extend_to": "the new due date",
    "reason": "the reason",
}


@dataclass
class Change:
    """What a person asked to change in one action. Text fields hold what was typed."""

    percent: int | None = None
    status: str | None = None
    impact: str | None = None
    impact_note: str | None = None
    note: str | None = None
    evidence: str | None = None
    link: str | None = None
    evidence_measure: str | None = None
    readings: list[tuple[str, float]] = field(default_factory=list)
    extend_to: date | None = None
    reason: str | None = None

    def is_empty(self) -> bool:
        return not (
            self.percent is not None
            or self.status
            or self.impact
            or self.impact_note
            or self.note
            or self.evidence
            or self.readings
            or self.extend_to
        )

    @classmethod
    def from_text(
        cls,
        *,
        percent: str | int | None = None,
        status: str | None = None,
        impact: str | None = None,
        impact_note: str | None = None,
        note: str | None = None,
        evidence: str | None = None,
        link: str | None = None,
        evidence_measure: str | None = None,
        readings: Sequence[tuple[str | None, str]] = (),
        extend_to: str | date | None = None,
        reason: str | None = None,
    ) -> Change:
        """A change from what was typed (blank means "not given"); EditError names the
        field that cannot be read. Call `check` on the result before using it."""

        def text(value: str | None) -> str | None:
            value = value.strip() if isinstance(value, str) else value
            return value or None

        change = cls(
            status=text(status),
            impact=text(impact),
            impact_note=text(impact_note),
            note=text(note),
            evidence=text(evidence),
            link=text(link),
            evidence_measure=text(evidence_measure),
            reason=text(reason),
        )
        if isinstance(percent, int):
            change.percent = percent
        elif text(percent) is not None:
            typed = str(percent).strip().rstrip("%").strip()
            if not typed.isdecimal() or not typed.isascii():
                raise EditError(
                    f'the percent must be a whole number from 0 to 100, not "{percent}"',
                    code="bad-value",
                    field="percent",
                )
            change.percent = int(typed)
        for typed_measure, typed_value in readings:
            measure, value = text(typed_measure), text(typed_value)
            if not measure or not value:
                raise EditError(
                    "a reading needs both the measure and its value",
                    code="bad-value",
                    field="readings",
                )
            try:
                number = float(value)
            except ValueError:
                raise EditError(
                    f'the reading "{value}" is not a number', code="bad-value", field="readings"
                ) from None
            change.readings.append((measure, int(number) if number.is_integer() else number))
        if isinstance(extend_to, date):
            change.extend_to = extend_to
        elif text(extend_to) is not None:
            try:
                change.extend_to = parse_date(str(extend_to))
            except ValueError as exc:
                raise EditError(str(exc), code="bad-value", field="extend_to") from None
        return change

    def check(self) -> None:
        """What can be known to be wrong without the file; EditError names the field."""
        if self.percent is not None and not 0 <= self.percent <= 100:
            raise EditError(
                f"the percent must be from 0 to 100, not {self.percent}",
                code="bad-value",
                field="percent",
            )
        for name, allowed in (("status", m.STATUSES), ("impact", m.IMPACTS)):
            value = getattr(self, name)
            if value is not None and value not in allowed:
                raise EditError(
                    f'{name} must be one of {", ".join(allowed)}, not "{value}"',
                    code="bad-value",
                    field=name,
                )
        for name, words in FIELD_WORDS.items():
            value = getattr(self, name)
            values = [mid for mid, _ in value] if name == "readings" else [value]
            for v in values:
                if isinstance(v, str) and not is_text(v):
                    raise EditError(
                        f"{words} has characters that are not text (a byte that is not UTF-8, "
                        "or a control character); type it again",
                        code="bad-text",
                        field=name,
                    )
        for measure, number in self.readings:
            if not math.isfinite(number):
                raise EditError(
                    f'the reading for "{measure}" must be a finite number, not {number}',
                    code="bad-value",
                    field="readings",
                )
        if (self.link or self.evidence_measure) and not self.evidence:
            raise EditError(
                "a link or a measure belongs to a piece of evidence: say what the evidence is too",
                code="needs-evidence",
                field="evidence",
            )
        if self.extend_to is not None and not self.reason:
            raise EditError("an extension needs a reason", code="needs-reason", field="reason")
        if self.reason and self.extend_to is None:
            raise EditError(
                "a reason goes with a new due date", code="needs-date", field="extend_to"
            )
        if self.is_empty():
            raise EditError(
                "nothing to change: give a percent, a status, a note, evidence, a measure "
                "reading or a new due date",
                code="nothing-to-change",
            )


def is_text(value: str) -> bool:
    """No lone surrogates (undecodable bytes) and no control characters but tab and
    newline (a note may have several lines)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return not any((ord(c) < 32 and c not in "\t\n") or 127 <= ord(c) < 160 for c in value)


def changed_line_ranges(before: str, after: str) -> list[tuple[int, int]]:
    """The 1-based line ranges of `after` that differ from `before`."""
    matcher = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines(), autojunk=False)
    return [
        (j1 + 1, j2)
        for tag, _i1, _i2, j1, j2 in matcher.get_opcodes()
        if tag in ("replace", "insert") and j2 > j1
    ]


@dataclass
class PlannedEdit:
    """A change worked out on the parsed data, before any text is touched."""

    data: dict  # the whole plan's data after the change
    said: list[str]  # what changed, in words, for the update entry and the user
    action_path: tuple  # the action's place in the data
    sets: dict[str, object]  # keys of the action set to new values
    appended: list[tuple[str, dict]]  # tables appended to the action (evidence, update …)
    readings: list[tuple[tuple, dict]]  # (measure's place, reading) appended to measures


def _find_action(data: dict, ref: str) -> tuple[int, int]:
    for i, rec in enumerate(data.get("recommendation", [])):
        for j, action in enumerate(rec.get("action", [])):
            if action.get("ref") == ref:
                return i, j
    raise EditError(
        f'no action with ref "{ref}" in this plan', code="unknown-action", field="target", ref=ref
    )


def _find_measure(data: dict, measure_id: str, i: int, j: int, field: str) -> tuple:
    """Place of a measure the action may report on: its own, its recommendation's, or
    the plan's."""
    rec = data["recommendation"][i]
    places = [
        (("recommendation", i, "action", j, "measure"), rec["action"][j].get("measure", [])),
        (("recommendation", i, "measure"), rec.get("measure", [])),
        (("measure",), data.get("measure", [])),
    ]
    for base, measures in places:
        for k, ms in enumerate(measures):
            if ms.get("id") == measure_id:
                return (*base, k)
    known = sorted({ms.get("id") for _, mss in places for ms in mss})
    raise EditError(
        f'no measure "{measure_id}" for this action'
        + (f" (its measures: {', '.join(known)})" if known else "; it has no measures"),
        code="unknown-measure",
        field=field,
        measure=measure_id,
    )


def _get(data, path):
    for part in path:
        data = data[part]
    return data


def plan_change(data: dict, ref: str, change: Change, today: date, by: str | None) -> PlannedEdit:
    """Work the change out on the data (nothing is written)."""
    change.check()
    i, j = _find_action(data, ref)
    new = copy.deepcopy(data)
    action = new["recommendation"][i]["action"][j]
    apath = ("recommendation", i, "action", j)
    said: list[str] = []
    sets: dict[str, object] = {}

    if change.percent is not None:
        sets["percent"] = change.percent
    if change.status is not None:
        sets["status"] = change.status
        if (
            change.status == "complete"
            and change.percent is None
            and action.get("percent") is not None
            and action["percent"] < 100
        ):
            sets["percent"] = 100
    if change.impact is not None:
        sets["impact"] = change.impact
    if change.impact_note is not None:
        sets["impact_note"] = change.impact_note
    for key, value in list(sets.items()):
        old = action.get(key)
        if old == value:
            del sets[key]  # already so: neither written nor logged
            continue
        said.append(f"{key} {old if old is not None else '(none)'} → {value}")
        action[key] = value

    appended: list[tuple[str, dict]] = []
    if change.evidence:
        ev: dict = {"date": today, "text": change.evidence}
        if change.link:
            ev["link"] = change.link
        if change.evidence_measure:
            _find_measure(new, change.evidence_measure, i, j, "evidence_measure")
            ev["measure"] = change.evidence_measure
        appended.append(("evidence", ev))
        said.append(f"evidence: {change.evidence}")
    if change.extend_to is not None:
        current = action["extension"][-1]["due"] if action.get("extension") else action.get("due")
        if current is not None and change.extend_to <= current:
            raise EditError(
                f"the new due date {change.extend_to} is not after the due date in force "
                f"({current}); an extension moves the date later",
                code="bad-value",
                field="extend_to",
            )
        ext: dict = {"due": change.extend_to, "reason": change.reason, "agreed_on": today}
        if by:
            ext["agreed_by"] = by
        appended.append(("extension", ext))
        said.append(f"due {current or '(none)'} → {change.extend_to}: {change.reason}")

    readings: list[tuple[tuple, dict]] = []
    for measure_id, value in change.readings:
        mpath = _find_measure(new, measure_id, i, j, "readings")
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # 84, as a person writes it, not 84.0
        reading = {"date": today, "value": value}
        _get(new, mpath).setdefault("readings", []).append(reading)
        readings.append((mpath, reading))
        said.append(f"reading {measure_id} = {value:g}")

    if not said and not change.note:
        raise EditError("nothing changed: the action already has those values", code="no-change")
    entry: dict = {"date": today}
    if by:
        entry["by"] = by
    for key in ("percent", "status"):
        if key in sets:
            entry[key] = sets[key]
    if change.note:
        entry["note"] = change.note
    if said:
        entry["changes"] = said
    appended.append(("update", entry))
    for key, table in appended:
        action.setdefault(key, []).append(table)
    return PlannedEdit(new, said, apath, sets, appended, readings)


def _first_error(problems: list[m.Problem]) -> m.Problem:
    return next(p for p in problems if p.severity == "error")


def read_plan(text: str, path: Path, plans_root: Path | None = None) -> tuple[dict, m.Plan]:
    """Parse a plan file's text for an edit (the first of its two parses): the data and
    the plan, or PlanFileError when it has errors (fix those first)."""
    body = text[1:] if text.startswith("\ufeff") else text
    plan, problems, data = parse_text(body, path, plans_root)
    if plan is None or data is None:
        raise PlanFileError(
            f"the plan has errors; fix them first: {_first_error(problems)}",
            code="plan-has-errors",
            problems=problems,
        )
    return data, plan


@dataclass
class Edited:
    """The new text of a plan file after a change, and the plan it now says."""

    text: str
    said: list[str]
    plan: m.Plan
    problems: list[m.Problem]  # the new file's warnings


def edit_text(
    text: str,
    data: dict,
    path: Path,
    ref: str,
    change: Change,
    today: date,
    by: str | None,
    plans_root: Path | None = None,
) -> Edited:
    """The text after the change (the second parse checks it); nothing is written."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom) :]
    planned = plan_change(data, ref, change, today, by)
    nl = "\r\n" if "\r\n" in body else "\n"
    new_body = splice(
        body,
        Positions(body),
        planned.action_path,
        planned.sets,
        planned.appended,
        planned.readings,
        nl,
    )
    try:
        new_data = tomllib.loads(new_body)
    except tomllib.TOMLDecodeError as exc:
        raise EditError(
            f"internal check failed: the edit would break the file ({exc}); "
            "nothing was written (please report this)",
            code="internal",
        ) from None
    if new_data != planned.data:
        raise EditError(
            "internal check failed: the edited file would not say exactly what was "
            "intended; nothing was written (please report this)",
            code="internal",
        )
    plan, problems = check_data(new_data, new_body, path, plans_root)
    if plan is None:
        raise EditError(
            f"the change would make the plan invalid: {_first_error(problems).message}",
            code="would-invalidate",
        )
    return Edited(bom + new_body, planned.said, plan, problems)


def apply_change(
    text: str,
    path: Path,
    ref: str,
    change: Change,
    today: date,
    by: str | None,
    plans_root: Path | None = None,
) -> Edited:
    """`read_plan` then `edit_text`: the new text of a plan file (nothing is written)."""
    data, _ = read_plan(text, path, plans_root)
    return edit_text(text, data, path, ref, change, today, by, plans_root)
