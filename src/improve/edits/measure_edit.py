"""Changing one measure, found by its id at any level (the plan's, a recommendation's or
an action's): dated readings and comparators added, or replaced when the value for that
date differs.

The same three steps as an action's change (editing.py): worked out on the parsed data
(`plan_measure_change`), spliced into the text so only the lines that change differ
(`measure_splice`), then the new text parsed again and checked to say exactly what was
meant (`edit_measure_text`). Writing it, under the file's lock, and recording it is
`Workspace.update_measure`, beside `Workspace.update`.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import EditError
from .change import is_text

if TYPE_CHECKING:  # imported where used: the workspace imports this module to start
    from ..plans import model as m
    from ..plans.loader import LoadedFile, Portfolio
    from ..plans.model import Target
    from ..plans.positions import Positions
    from ..status import rules
    from .textedit import Place

Item = dict[str, object]  # a reading or a comparator: {date, value, note?}, {date, england?, …}
Edit = tuple[int, int, str]  # (start, end, new text)
READING_KEYS = ("date", "value", "note")
COMPARATOR_KEYS = ("date", "england", "region", "neighbours", "neighbours_by", "source")
LISTS = {"readings": READING_KEYS, "comparators": COMPARATOR_KEYS}


@dataclass
class MeasureChange:
    """Dated readings and comparators for one measure of a plan (by its id)."""

    measure: str
    readings: list[Item] = field(default_factory=list)  # {date, value, note?}
    comparators: list[Item] = field(default_factory=list)  # {date, england?, region?, …}
    note: str | None = None  # for the commit message, when one is made

    def check(self) -> None:
        """What can be known wrong without the file: EditError."""
        if not isinstance(self.measure, str) or not self.measure.strip():
            raise EditError("say which measure: its id", code="bad-value", field="measure")
        if not is_text(self.measure):
            raise EditError("the measure's id has characters that are not text", code="bad-text")
        for key, allowed in LISTS.items():
            for item in getattr(self, key):
                _check_item(key, item, allowed)
        if not self.readings and not self.comparators:
            raise EditError(
                "nothing to change: no reading and no comparator", code="nothing-to-change"
            )


def _check_item(key: str, item: Item, allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(item) - set(allowed))
    if unknown or not isinstance(item.get("date"), date):
        raise EditError(
            f"a {key[:-1]} needs a date and has only {', '.join(allowed[1:])}"
            + (f", not {', '.join(unknown)}" if unknown else ""),
            code="bad-value",
        )
    for name, value in item.items():
        if name == "date":
            continue
        if isinstance(value, str):
            if not is_text(value):
                raise EditError(
                    f"the {key[:-1]}'s {name} has characters that are not text",
                    code="bad-text",
                )
        elif isinstance(value, bool) or not isinstance(value, int | float):
            raise EditError(f"the {key[:-1]}'s {name} must be a number", code="bad-value")
        elif not math.isfinite(value):
            raise EditError(
                f"the {key[:-1]}'s {name} must be a finite number, not {value}",
                code="bad-value",
            )


def find_measure(data: dict[str, Any], measure_id: str) -> tuple[Place, str]:
    """(place of the measure in the data, ref of the action it belongs to or ""): the
    plan's measures, each recommendation's, each action's. An id used at two places
    is refused rather than guessed."""
    found: list[tuple[Place, str]] = []
    known: set[str] = set()

    def look(base: Place, measures: object, ref: str) -> None:
        for k, ms in enumerate(measures if isinstance(measures, list) else []):
            if isinstance(ms, dict):
                known.add(str(ms.get("id")))
                if ms.get("id") == measure_id:
                    found.append(((*base, k), ref))

    look(("measure",), data.get("measure"), "")
    for i, rec in enumerate(data.get("recommendation", [])):
        look(("recommendation", i, "measure"), rec.get("measure"), "")
        for j, action in enumerate(rec.get("action", [])):
            look(
                ("recommendation", i, "action", j, "measure"),
                action.get("measure"),
                action.get("ref", ""),
            )
    if len(found) == 1:
        return found[0]
    if found:
        raise EditError(
            f'the measure id "{measure_id}" is used {len(found)} times in this plan; give '
            "each measure an id of its own first",
            code="unknown-measure",
            field="measure",
            measure=measure_id,
        )
    raise EditError(
        f'no measure "{measure_id}" in this plan'
        + (f" (its measures: {', '.join(sorted(known))})" if known else "; it has no measures"),
        code="unknown-measure",
        field="measure",
        measure=measure_id,
    )


def _get(data: dict[str, Any], path: Place) -> dict[str, Any]:
    found: Any = data
    for part in path:
        found = found[part]
    table: dict[str, Any] = found
    return table


@dataclass
class PlannedMeasure:
    """A measure's change worked out on the data, before any text is touched."""

    data: dict[str, Any]  # the plan's data after the change
    mpath: Place  # the measure's place
    ref: str  # the action whose measure it is; "" for the plan's or a recommendation's
    said: list[str]  # what changed, in words
    replaced: list[tuple[str, int, Item]] = field(default_factory=list)  # (list, index, item)
    appended: dict[str, list[Item]] = field(default_factory=dict)  # list -> new items
    added: dict[str, int] = field(default_factory=dict)  # list -> how many added
    changed: dict[str, int] = field(default_factory=dict)  # list -> how many replaced
    same: dict[str, int] = field(default_factory=dict)  # list -> how many already so


def _shown(value: object) -> str:
    return f"{value:g}" if isinstance(value, int | float) else str(value)


def plan_measure_change(data: dict[str, Any], change: MeasureChange) -> PlannedMeasure:
    """Work the change out on the data (nothing is written). A reading for a date that
    has one is replaced only when its value differs; a comparator for a date that has one
    takes the keys given (the others stay) only when one of them differs."""
    change.check()
    mpath, ref = find_measure(data, change.measure)
    new = copy.deepcopy(data)
    measure = _get(new, mpath)
    planned = PlannedMeasure(new, mpath, ref, [])
    for key, items in (("readings", change.readings), ("comparators", change.comparators)):
        present = measure.get(key)
        if items and present is not None and not isinstance(present, list):
            raise EditError(f"the measure's {key} are not a list; write {key} = [ … ]")
        current: list[Any] = present if isinstance(present, list) else []
        added = changed = same = 0
        for item in items:
            at = [
                k
                for k, old in enumerate(current)
                if isinstance(old, dict) and old.get("date") == item["date"]
            ]
            if not at:
                current.append(dict(item))
                planned.appended.setdefault(key, []).append(dict(item))
                added += 1
                continue
            k = at[-1]  # of two for one day, the last written is the one read
            old = current[k]
            if key == "readings":
                if old.get("value") == item["value"]:
                    same += 1
                    continue
                merged = dict(item)
                planned.said.append(
                    f"{change.measure} reading {item['date']}: {_shown(old.get('value'))} → "
                    f"{_shown(item['value'])}"
                )
            else:
                merged = {**old, **item}
                if merged == old:
                    same += 1
                    continue
                moved = [
                    f"{name} {_shown(old[name]) if name in old else '(none)'} → {_shown(v)}"
                    for name, v in item.items()
                    if name != "date" and old.get(name) != v
                ]
                planned.said.append(
                    f"{change.measure} comparators {item['date']}: {', '.join(moved)}"
                )
            current[k] = merged
            planned.replaced.append((key, k, merged))
            changed += 1
        if added:
            if present is None:
                measure[key] = current
            planned.said.insert(
                0 if key == "readings" else len(planned.said),
                f"{change.measure}: {added} {key[:-1] if added == 1 else key} added",
            )
        planned.added[key], planned.changed[key], planned.same[key] = added, changed, same
    return planned


def measure_splice(text: str, pos: Positions, planned: PlannedMeasure, nl: str) -> str:
    """The text with the planned readings and comparators in: items replaced in place,
    new ones after the last of their list (or a new list after the measure's keys)."""
    from .textedit import append_edits, inline

    mpath = planned.mpath
    mspan = pos.spans.get(mpath)
    if mspan is None or not mspan.header:
        raise EditError(
            "this measure is written as an inline table; give it a [[…measure]] header "
            "so improve can add readings and comparators",
            code="cannot-edit",
        )
    edits: list[Edit] = []
    unfolded = {
        key: edit
        for key, items in planned.appended.items()
        if (edit := _unfold(pos, mpath, key, planned, items, nl)) is not None
    }
    edits.extend(unfolded.values())
    for key, k, item in planned.replaced:
        if key in unfolded:
            continue
        span = pos.spans.get((*mpath, key, k))
        if span is None or span.value_start < 0:
            raise EditError(f"the measure's {key} cannot be edited here; edit them by hand",
                            code="cannot-edit")  # fmt: skip
        edits.append((span.value_start, span.value_end, inline(item)))
    for key, items in planned.appended.items():
        if key not in unfolded:
            edits.extend(append_edits(pos, mpath, key, items, nl))
    # from the end backwards; at one offset the later edit first, so readings come
    # before comparators
    for n in sorted(range(len(edits)), key=lambda n: (edits[n][0], n), reverse=True):
        start, stop, new = edits[n]
        text = text[:start] + new + text[stop:]
    return text


WIDE = 100  # a list on one line that would grow past this is written one item a line


def _unfold(
    pos: Positions, mpath: Place, key: str, planned: PlannedMeasure, items: list[Item], nl: str
) -> Edit | None:
    """The edit that writes a one-line list one item a line, with `items` added (and its
    replaced items), when adding them would make its line longer than WIDE; else None."""
    from .textedit import inline

    rspan = pos.spans.get((*mpath, key))
    if rspan is None or rspan.close < 0 or rspan.multiline or not rspan.children:
        return None
    replaced = {k: item for name, k, item in planned.replaced if name == key}
    parts = [
        inline(replaced[k]) if k in replaced else pos.text[span.value_start : span.value_end]
        for k, span in enumerate(pos.spans[c] for c in rspan.children)
    ] + [inline(item) for item in items]
    start = pos.line_start(rspan.key_start)
    eol = pos.text.find("\n", rspan.close)
    line = pos.text[start : len(pos.text) if eol < 0 else eol]
    if len(line) + sum(len(p) + 2 for p in parts[len(rspan.children) :]) <= WIDE:
        return None
    inner = rspan.indent + "  "
    body = "".join(f"{nl}{inner}{p}," for p in parts)
    return (rspan.value_start, rspan.close + 1, f"[{body}{nl}{rspan.indent}]")


@dataclass
class MeasureEdited:
    """The new text after a measure's change, the plan it now says, and what it did."""

    text: str
    said: list[str]
    plan: m.Plan
    problems: list[m.Problem]
    planned: PlannedMeasure


def edit_measure_text(
    text: str,
    data: dict[str, Any],
    path: Path,
    change: MeasureChange,
    plans_root: Path | None = None,
) -> MeasureEdited:
    """The text after the change (the second parse checks it); nothing is written.
    EditError "no-change" when the plan already says all of it."""
    from ..plans.positions import Positions
    from .editing import second_parse  # tomlkit: only when editing

    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom) :]
    planned = plan_measure_change(data, change)
    if not planned.said:
        raise EditError(
            "nothing changed: the measure already has those readings and comparators",
            code="no-change",
            planned=planned,
        )
    nl = "\r\n" if "\r\n" in body else "\n"
    new_body = measure_splice(body, Positions(body), planned, nl)
    plan, problems = second_parse(new_body, planned.data, path, plans_root)
    return MeasureEdited(bom + new_body, planned.said, plan, problems, planned)


@dataclass
class Rewritten:
    """What `Updated` and `MeasureUpdated` share: what was changed where, the plan file's
    text before and after, the file as loaded afterwards and its plan's status."""

    target: Target  # the plan's id and the action's ref, or the measure's id
    path: Path
    changes: list[str]
    before: str
    text: str
    loaded: LoadedFile
    status: rules.PlanStatus

    def changed_lines(self) -> list[tuple[int, int]]:
        """The 1-based line ranges of the new file that differ from the old one."""
        from .editing import changed_line_ranges

        return changed_line_ranges(self.before, self.text)

    def apply(self, portfolio: Portfolio) -> Portfolio:
        """`portfolio` with the changed file swapped in; nothing else is read."""
        return portfolio.with_file(self.loaded)


@dataclass
class MeasureUpdated(Rewritten):
    """What a measure's update did (`Workspace.update_measure`): as `Updated`, with the
    measure's change worked out (`planned`: what was added, replaced, already so)."""

    planned: PlannedMeasure | None = None
    history_warning: str | None = None
    committed: str | None = None
    commit_note: str | None = None
