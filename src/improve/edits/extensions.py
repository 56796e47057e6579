"""A new due date for an action, worked out on its plan's data (`editing.plan_change`
calls these): agreed there and then, asked for by its lead, or agreed or refused by the
meeting. Each is checked against the due date in force and said in words."""

from __future__ import annotations

from datetime import date
from typing import Any

from ..errors import EditError
from ..plans.build import build_action
from ..status import rules
from .change import Change
from .textedit import Place

Table = dict[str, Any]  # a table of a plan's data, as tomllib reads it


def agree_now(action: Table, change: Change, today: date, by: str | None) -> tuple[Table, str]:
    """A new due date agreed there and then (`extend_to`): the extension to append to the
    action's, and what was done, in words."""
    assert change.extend_to is not None
    current = _due_in_force(action)
    _check_later(change.extend_to, current, "extend_to")
    ext: Table = {"due": change.extend_to, "reason": change.reason, "agreed_on": today}
    if by:
        ext["agreed_by"] = by
    return ext, f"due {current or '(none)'} → {change.extend_to}: {change.reason}"


def _due_in_force(action: Table) -> date | None:
    """The due date in force, by the status rules' own reading of the action."""
    return rules.due_in_force(build_action(action, ()))


def _check_later(new: date, current: date | None, name: str) -> None:
    if current is not None and new <= current:
        raise EditError(
            f"the new due date {new} is not after the due date in force ({current}); "
            "an extension moves the date later",
            code="bad-value",
            field=name,
        )


def _pending(action: Table) -> tuple[int, Table] | None:
    """The request awaiting a decision (as `rules.pending_extension` finds it), with its
    place among the action's extensions."""
    extensions = build_action(action, ()).extensions
    asked = rules.pending_extension_index(extensions)
    return None if asked is None else (asked, action["extension"][asked])


def request(action: Table, change: Change, today: date, by: str | None) -> tuple[Table, str]:
    """A new due date asked for by the action's lead, awaiting the meeting's decision: the
    extension to append to the action's, and what was done, in words."""
    waiting = _pending(action)
    if waiting is not None:
        raise EditError(
            f"a new due date of {waiting[1]['due']} was asked for on "
            f"{waiting[1].get('requested_on', 'an earlier day')} and awaits a decision; "
            "it must be agreed or refused before another is asked for",
            code="request-pending",
            field="request_extension",
        )
    assert change.request_extension is not None
    current = _due_in_force(action)
    _check_later(change.request_extension, current, "request_extension")
    ext: Table = {
        "due": change.request_extension,
        "reason": change.reason,
        "state": "requested",
        "requested_on": today,
    }
    if by:
        ext["requested_by"] = by
    return ext, (
        f"asked for a new due date of {change.request_extension} "
        f"(now {current or 'none'}): {change.reason}"
    )


def decide(
    action: Table,
    apath: Place,
    change: Change,
    today: date,
    by: str | None,
    table_sets: list[tuple[Place, dict[str, object]]],
    said: list[str],
) -> None:
    waiting = _pending(action)
    if waiting is None:
        raise EditError(
            "this action has no request for a new due date awaiting a decision; "
            "its lead asks for one first",
            code="no-request",
            field="decide_extension",
        )
    k, ext = waiting
    keys: dict[str, object]
    if change.decide_extension == "agree":
        current = _due_in_force(action)
        _check_later(ext["due"], current, "decide_extension")
        keys = {"state": "agreed", "agreed_on": today}
        if by:
            keys["agreed_by"] = by
        said.append(f"new due date of {ext['due']} agreed (was {current or 'none'})")
    else:
        keys = {"state": "refused", "refused_on": today}
        if by:
            keys["refused_by"] = by
        if change.reason:
            keys["refused_reason"] = change.reason
        said.append(
            f"new due date of {ext['due']} refused"
            + (f": {change.reason}" if change.reason else "")
        )
    ext.update(keys)
    table_sets.append(((*apath, "extension", k), keys))
