"""What an event says: the values of a row that events are about (`tracked`), as
JSON-ready data, and the changes between two rows, field by field (`field_changes`).

Nothing here reads the clock or touches a file.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any, TypedDict, cast

from .rows import FIELDS, Row, StateRow, TimeValues, with_time_values


class ExtensionTold(TypedDict):
    """The latest agreed extension, as an event tells it."""

    count: int
    due: str | None
    reason: str | None
    agreed_on: str | None
    agreed_by: str | None


class EvidenceTold(TypedDict):
    count: int
    date: str | None
    text: str


class ReadingTold(TypedDict):
    """One measure's latest reading."""

    measure: str
    date: str | None
    value: float


class UpdateTold(TypedDict):
    count: int
    date: str | None
    by: str | None
    note: str | None


class OverrideTold(TypedDict):
    rag: str
    until: str | None
    reason: str | None
    in_force: bool


class RequestTold(TypedDict):
    """The latest extension asked for, as `rows._request_json` keeps it."""

    due: str | None
    reason: str | None
    state: str
    requested_on: str | None
    requested_by: str | None
    decided_on: str | None
    decided_by: str | None
    refused_reason: str | None


# A field's value as an event tells it: a column as it is (text, a number, a 0/1 flag
# told as true or false), or one of the records above; `reading` is every measure's
# latest (one measure's in a change).
Told = (
    str | int | float | bool | None | ExtensionTold | EvidenceTold | ReadingTold | dict[str, ReadingTold]
    | UpdateTold | OverrideTold | RequestTold
)  # fmt: skip

# A row read by column position (the columns' numbers worked out from `Row` once).
_Columns = Sequence[Any]


def _loads(text: str | None) -> Any:
    return json.loads(text) if text else None


def _i(name: str) -> int:
    return Row._fields.index(name)


def _ext(r: _Columns) -> ExtensionTold | None:
    ext = _loads(r[_i("extension")])
    if not ext:
        return None
    count: int = r[_i("extensions")]
    return {
        "count": count,
        "due": ext[0],
        "reason": ext[1],
        "agreed_on": ext[2],
        "agreed_by": ext[3],
    }


def _evidence(r: _Columns) -> EvidenceTold | None:
    ev = _loads(r[_i("evidence_latest")])
    return {"count": r[_i("evidence")], "date": ev[0], "text": ev[1]} if ev else None


def _readings(r: _Columns) -> dict[str, ReadingTold]:
    readings: dict[str, list[Any]] = _loads(r[_i("readings_latest")]) or {}
    return {k: {"measure": k, "date": v[0], "value": v[1]} for k, v in readings.items()}


def _update(r: _Columns) -> UpdateTold | None:
    up = _loads(r[_i("update_latest")])
    return {"count": r[_i("updates")], "date": up[0], "by": up[1], "note": up[2]} if up else None


def _override(r: _Columns) -> OverrideTold | None:
    if not r[_i("override_rag")]:
        return None
    return {
        "rag": r[_i("override_rag")],
        "until": r[_i("override_until")],
        "reason": r[_i("override_reason")],
        "in_force": bool(r[_i("override")]),
    }


REQUEST_KEYS = tuple(RequestTold.__annotations__)


def _request(text: str | None) -> RequestTold | None:
    values = _loads(text)
    return cast(RequestTold, dict(zip(REQUEST_KEYS, values, strict=True))) if values else None


# field → (the columns it is made of, how its value is told)
_FIELD_SOURCES: dict[str, tuple[tuple[int, ...], Callable[[_Columns], Told] | None]] = {
    "status": ((_i("status"),), None),
    "percent": ((_i("percent"),), None),
    "complete": ((_i("complete"),), bool),
    "rag": ((_i("rag"),), None),
    "overdue": ((_i("overdue"),), bool),
    "stale": ((_i("stale"),), bool),
    "start": ((_i("start"),), None),
    "due": ((_i("due"),), None),
    "original_due": ((_i("original_due"),), None),
    "extension": ((_i("extensions"), _i("extension")), _ext),
    "milestones_done": ((_i("milestones_done"),), None),
    "impact": ((_i("impact"),), None),
    "evidence": ((_i("evidence"), _i("evidence_latest")), _evidence),
    "reading": ((_i("readings_latest"),), _readings),
    "update": ((_i("updates"), _i("update_latest")), _update),
    "override": (
        (_i("override_rag"), _i("override_until"), _i("override_reason"), _i("override")),
        _override,
    ),
    "request": ((_i("request"),), lambda r: _request(r[_i("request")])),
}
assert tuple(_FIELD_SOURCES) == FIELDS


def _value(name: str, row: _Columns) -> Told:
    cols, tell = _FIELD_SOURCES[name]
    if tell is None:
        told: Told = row[cols[0]]
        return told
    if tell is bool:
        return bool(row[cols[0]])
    return tell(row)


def tracked(row: StateRow) -> dict[str, Told]:
    """The values of a row that events are about, as JSON-ready data."""
    return {name: _value(name, row) for name in FIELDS}


def field_changes(old: StateRow, new: StateRow) -> list[tuple[str, Told, Told]]:
    """[(field, old value, new value)] for every tracked field that differs (only the
    fields whose columns differ are worked out)."""
    if old == new:
        return []
    out: list[tuple[str, Told, Told]] = []
    for name, (cols, _) in _FIELD_SOURCES.items():
        if all(old[i] == new[i] for i in cols):
            continue
        x, y = _value(name, old), _value(name, new)
        if x == y:
            continue
        if name == "reading":  # one change per measure whose latest reading moved
            xs, ys = cast(dict[str, ReadingTold], x), cast(dict[str, ReadingTold], y)
            for mid in sorted(set(xs) | set(ys)):
                if xs.get(mid) != ys.get(mid):
                    out.append(("reading", xs.get(mid), ys.get(mid)))
        else:
            out.append((name, x, y))
    return out


def time_field_changes(
    old_values: TimeValues, new_values: TimeValues, row: StateRow
) -> list[tuple[str, Told, Told]]:
    """The event values for a change in time-driven values (the rest of the row as in `row`)."""
    return field_changes(with_time_values(row, old_values), with_time_values(row, new_values))
