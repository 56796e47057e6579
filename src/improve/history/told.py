"""What an event says: the values of a row that events are about (`tracked`), as
JSON-ready data, and the changes between two rows, field by field (`field_changes`).

Nothing here reads the clock or touches a file.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from .rows import FIELDS, Row, with_time_values


def _loads(text: str | None):
    return json.loads(text) if text else None


def _i(name: str) -> int:
    return Row._fields.index(name)


def _ext(r: tuple):
    ext = _loads(r[_i("extension")])
    return (
        {
            "count": r[_i("extensions")],
            "due": ext[0],
            "reason": ext[1],
            "agreed_on": ext[2],
            "agreed_by": ext[3],
        }
        if ext
        else None
    )


def _evidence(r: tuple):
    ev = _loads(r[_i("evidence_latest")])
    return {"count": r[_i("evidence")], "date": ev[0], "text": ev[1]} if ev else None


def _readings(r: tuple) -> dict:
    readings = _loads(r[_i("readings_latest")]) or {}
    return {k: {"measure": k, "date": v[0], "value": v[1]} for k, v in readings.items()}


def _update(r: tuple):
    up = _loads(r[_i("update_latest")])
    return {"count": r[_i("updates")], "date": up[0], "by": up[1], "note": up[2]} if up else None


def _override(r: tuple):
    if not r[_i("override_rag")]:
        return None
    return {
        "rag": r[_i("override_rag")],
        "until": r[_i("override_until")],
        "reason": r[_i("override_reason")],
        "in_force": bool(r[_i("override")]),
    }


REQUEST_KEYS = (
    "due",
    "reason",
    "state",
    "requested_on",
    "requested_by",
    "decided_on",
    "decided_by",
    "refused_reason",
)


def _request(text: str | None) -> dict | None:
    values = _loads(text)
    return dict(zip(REQUEST_KEYS, values, strict=True)) if values else None


# field → (the columns it is made of, how its value is told)
_FIELD_SOURCES: dict[str, tuple[tuple[int, ...], Callable[[tuple], Any] | None]] = {
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


def _value(name: str, row: tuple):
    cols, tell = _FIELD_SOURCES[name]
    if tell is None:
        return row[cols[0]]
    if tell is bool:
        return bool(row[cols[0]])
    return tell(row)


def tracked(row: tuple) -> dict:
    """The values of a row that events are about, as JSON-ready data."""
    return {name: _value(name, row) for name in FIELDS}


def field_changes(old: tuple, new: tuple) -> list[tuple[str, object, object]]:
    """[(field, old value, new value)] for every tracked field that differs (only the
    fields whose columns differ are worked out)."""
    if old == new:
        return []
    out = []
    for name, (cols, _) in _FIELD_SOURCES.items():
        if all(old[i] == new[i] for i in cols):
            continue
        x, y = _value(name, old), _value(name, new)
        if x == y:
            continue
        if name == "reading":  # one change per measure whose latest reading moved
            for mid in sorted(set(x) | set(y)):
                if x.get(mid) != y.get(mid):
                    out.append(("reading", x.get(mid), y.get(mid)))
        else:
            out.append((name, x, y))
    return out


def time_field_changes(
    old_values: tuple, new_values: tuple, row: tuple
) -> list[tuple[str, object, object]]:
    """The event values for a change in time-driven values (the rest of the row as in `row`)."""
    return field_changes(with_time_values(row, old_values), with_time_values(row, new_values))
