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
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import EditError, PlanFileError
from ..plans import model as m
from ..plans.loader import check_data, parse_text
from ..plans.positions import Positions
from . import extensions
from .change import Change
from .textedit import Place, splice

Table = dict[str, Any]  # a table of a plan's data, as tomllib reads it


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

    data: Table  # the whole plan's data after the change
    said: list[str]  # what changed, in words, for the update entry and the user
    action_path: Place  # the action's place in the data
    sets: dict[str, object]  # keys of the action set to new values
    appended: list[tuple[str, Table]]  # tables appended to the action (evidence, update …)
    readings: list[tuple[Place, Table]]  # (measure's place, reading) appended to measures
    table_sets: list[tuple[Place, dict[str, object]]] = field(
        default_factory=list
    )  # sub-tables' keys
    removes: list[Place] = field(default_factory=list)  # places of keys taken out


def _find_action(data: Table, ref: str) -> tuple[int, int]:
    for i, rec in enumerate(data.get("recommendation", [])):
        for j, action in enumerate(rec.get("action", [])):
            if action.get("ref") == ref:
                return i, j
    raise EditError(
        f'no action with ref "{ref}" in this plan', code="unknown-action", field="target", ref=ref
    )


def _find_measure(data: Table, measure_id: str, i: int, j: int, field: str) -> Place:
    """Place of a measure the action may report on: its own, its recommendation's, or
    the plan's."""
    rec = data["recommendation"][i]
    places: list[tuple[Place, list[Table]]] = [
        (("recommendation", i, "action", j, "measure"), rec["action"][j].get("measure", [])),
        (("recommendation", i, "measure"), rec.get("measure", [])),
        (("measure",), data.get("measure", [])),
    ]
    for base, measures in places:
        for k, ms in enumerate(measures):
            if ms.get("id") == measure_id:
                return (*base, k)
    known: list[str] = sorted({ms["id"] for _, mss in places for ms in mss})  # required
    raise EditError(
        f'no measure "{measure_id}" for this action'
        + (f" (its measures: {', '.join(known)})" if known else "; it has no measures"),
        code="unknown-measure",
        field=field,
        measure=measure_id,
    )


def _get(data: Table, path: Place) -> Table:
    found: Any = data
    for part in path:
        found = found[part]
    table: Table = found
    return table


def plan_change(data: Table, ref: str, change: Change, today: date, by: str | None) -> PlannedEdit:
    """Work the change out on the data (nothing is written)."""
    change.check()
    i, j = _find_action(data, ref)
    new = copy.deepcopy(data)
    action = new["recommendation"][i]["action"][j]
    apath = ("recommendation", i, "action", j)
    said: list[str] = []
    sets = _values(action, change, said)

    appended: list[tuple[str, Table]] = []
    if change.evidence:
        appended.append(("evidence", _evidence(new, change, today, i, j)))
        said.append(f"evidence: {change.evidence}")
    table_sets: list[tuple[Place, dict[str, object]]] = []
    removes: list[Place] = []
    for given, extension in (
        (change.extend_to, extensions.agree_now),
        (change.request_extension, extensions.request),
    ):
        if given is not None:
            ext, words = extension(action, change, today, by)
            appended.append(("extension", ext))
            said.append(words)
    if change.decide_extension is not None:
        extensions.decide(action, apath, change, today, by, table_sets, said)
    if change.milestone is not None:
        _milestone(action, apath, change, table_sets, removes, said)
    if change.rag is not None or change.clear_rag:
        _override(action, apath, change, sets, removes, said)

    readings = _readings(new, change, today, i, j, said)
    if not said and not change.note:
        raise EditError("nothing changed: the action already has those values", code="no-change")
    appended.append(("update", _entry(change, sets, said, today, by)))
    for key, table in appended:
        action.setdefault(key, []).append(table)
    return PlannedEdit(new, said, apath, sets, appended, readings, table_sets, removes)


def _values(action: Table, change: Change, said: list[str]) -> dict[str, object]:
    """The action's own values the change sets (percent, status, impact), set on `action`
    and said; a value it has already is neither written nor logged. Complete with a
    percent under 100 makes it 100."""
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
            del sets[key]
            continue
        said.append(f"{key} {old if old is not None else '(none)'} → {value}")
        action[key] = value
    return sets


def _evidence(new: Table, change: Change, today: date, i: int, j: int) -> Table:
    ev: Table = {"date": today, "text": change.evidence}
    if change.link:
        ev["link"] = change.link
    if change.evidence_measure:
        _find_measure(new, change.evidence_measure, i, j, "evidence_measure")
        ev["measure"] = change.evidence_measure
    return ev


def _readings(new: Table, change: Change, today: date, i: int, j: int,
              said: list[str]) -> list[tuple[Place, Table]]:  # fmt: skip
    """Each reading added to its measure (the action's, its recommendation's or the
    plan's), dated today."""
    readings: list[tuple[Place, Table]] = []
    for measure_id, value in change.readings:
        mpath = _find_measure(new, measure_id, i, j, "readings")
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # 84, as a person writes it, not 84.0
        reading: Table = {"date": today, "value": value}
        _get(new, mpath).setdefault("readings", []).append(reading)
        readings.append((mpath, reading))
        said.append(f"reading {measure_id} = {value:g}")
    return readings


def _entry(
    change: Change, sets: dict[str, object], said: list[str], today: date, by: str | None
) -> Table:
    """The update entry logging the change."""
    entry: Table = {"date": today}
    if by:
        entry["by"] = by
    for key in ("percent", "status"):
        if key in sets:
            entry[key] = sets[key]
    if change.note:
        entry["note"] = change.note
    if said:
        entry["changes"] = said
    return entry


def _milestone(
    action: Table,
    apath: Place,
    change: Change,
    table_sets: list[tuple[Place, dict[str, object]]],
    removes: list[Place],
    said: list[str],
) -> None:
    milestones = action.get("milestone", [])
    typed = change.milestone or ""
    k = _find_milestone(milestones, typed)
    ms = milestones[k]
    place = (*apath, "milestone", k)
    name = f'milestone {k + 1} "{ms["label"]}"'
    if change.milestone_done:
        keys: dict[str, object] = {}
        if not ms.get("done"):
            keys["done"] = True
        if change.milestone_on is not None and ms.get("done_on") != change.milestone_on:
            keys["done_on"] = change.milestone_on
        if keys:
            said.append(
                f"{name} done" + (f" on {change.milestone_on}" if change.milestone_on else "")
            )
    else:
        keys = {"done": False} if ms.get("done") else {}
        had_day = "done_on" in ms
        if had_day:
            removes.append((*place, "done_on"))
            del ms["done_on"]
        if keys or had_day:
            said.append(f"{name} not done after all")
    if keys:
        ms.update(keys)
        table_sets.append((place, keys))


def _find_milestone(milestones: list[Table], typed: str) -> int:
    if not milestones:
        raise EditError(
            "this action has no milestones", code="unknown-milestone", field="milestone"
        )
    if typed.isdecimal() and typed.isascii():
        n = int(typed)
        if 1 <= n <= len(milestones):
            return n - 1
    else:
        folded = typed.casefold()
        exact = [k for k, ms in enumerate(milestones) if ms["label"].casefold() == folded]
        starts = [k for k, ms in enumerate(milestones) if ms["label"].casefold().startswith(folded)]
        found = exact or starts
        if len(found) == 1:
            return found[0]
    listing = "; ".join(f'{k + 1} "{ms["label"]}"' for k, ms in enumerate(milestones))
    raise EditError(
        f'no single milestone "{typed}" on this action; give its number or the start of '
        f"its label (its milestones: {listing})",
        code="unknown-milestone",
        field="milestone",
    )


def _override(
    action: Table,
    apath: Place,
    change: Change,
    sets: dict[str, object],
    removes: list[Place],
    said: list[str],
) -> None:
    old = action.get("rag")
    if change.clear_rag:
        if old is None:
            raise EditError(
                "this action has no colour set by hand to clear",
                code="no-override",
                field="rag",
            )
        for key in ("rag", "rag_reason", "rag_until"):
            if key in action:
                removes.append((*apath, key))
                del action[key]
        said.append(f"colour set by hand ({old.upper()}) cleared")
        return
    assert change.rag is not None
    wanted: dict[str, object] = {"rag": change.rag, "rag_reason": change.reason}
    if change.rag_until is not None:
        wanted["rag_until"] = change.rag_until
    lapse_dropped = change.rag_until is None and "rag_until" in action
    if lapse_dropped:
        removes.append((*apath, "rag_until"))
        del action["rag_until"]
    changed = [key for key, value in wanted.items() if action.get(key) != value]
    for key in changed:
        sets[key] = action[key] = wanted[key]
    if changed or lapse_dropped:
        said.append(
            f"colour set by hand to {change.rag.upper()}"
            + (f" until {change.rag_until}" if change.rag_until else "")
            + f": {change.reason}"
        )


def _first_error(problems: list[m.Problem]) -> m.Problem:
    return next(p for p in problems if p.severity == "error")


def read_plan(text: str, path: Path, plans_root: Path | None = None) -> tuple[Table, m.Plan]:
    """Parse a plan file's text for an edit (the first of its two parses): the data and
    the plan, or PlanFileError when it has errors (fix those first)."""
    body = text[1:] if text.startswith("\ufeff") else text
    # warnings are not looked for (nor their positions found): an edit shows none
    plan, problems, data = parse_text(body, path, plans_root, warnings=False)
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
    problems: list[m.Problem]  # none: warnings are for `improve check`, as in a folder's load


def edit_text(
    text: str,
    data: Table,
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
        planned.table_sets,
        planned.removes,
    )
    plan, problems = second_parse(new_body, planned.data, path, plans_root)
    return Edited(bom + new_body, planned.said, plan, problems)


def second_parse(
    new_body: str, meant: Table, path: Path, plans_root: Path | None
) -> tuple[m.Plan, list[m.Problem]]:
    """The edited text parsed again before it is written: it must read, say exactly what
    was meant (`meant`), and be a valid plan; else nothing is written. (plan, problems)."""
    try:
        new_data = tomllib.loads(new_body)
    except tomllib.TOMLDecodeError as exc:
        raise EditError(
            f"internal check failed: the edit would break the file ({exc}); "
            "nothing was written (please report this)",
            code="internal",
        ) from None
    if new_data != meant:
        raise EditError(
            "internal check failed: the edited file would not say exactly what was "
            "intended; nothing was written (please report this)",
            code="internal",
        )
    plan, problems = check_data(new_data, new_body, path, plans_root, warnings=False)
    if plan is None:
        raise EditError(
            f"the change would make the plan invalid: {_first_error(problems).message}",
            code="would-invalidate",
        )
    return plan, problems


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
