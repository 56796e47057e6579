"""The measures that belong to no action: a plan's own (`[[measure]]`) and its
recommendations' (`[[recommendation.measure]]`), where a partnership keeps its KPIs.

An action's measures are part of the action's row (rows.py, `readings_latest`); these
have rows of their own in `measure_state`, one per measure, keyed by the plan, its
owner ("" for the plan itself, else the recommendation's ref) and the measure's id. Each
sync compares them as it compares actions, in the same transaction and with the same
"who" (the `--by` of the update that made the change, else "edited by hand"): a measure
whose latest reading or latest comparators moved is one `edit` event with field
`measure`, on the plan (ref ""), old and new being

    {"measure": id, "recommendation": ref | None, "date", "value", "readings": n,
     "comparators": {"date", "england", "region", "neighbours"} | None}

(None when the measure had no reading and no comparator, or was not in the plan).
A plan's measures are first recorded silently (`measure_plans` names the plans whose
measures are known): a new plan, or every plan of a history made before measures were
recorded, has nothing "moved" to tell until its measures next change.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypedDict

from .records import EDIT, NewEvent
from .rows import _d, _json, _latest, _num

if TYPE_CHECKING:
    from ..plans import model as m

MEASURE = "measure"  # the field of an event about a plan's or a recommendation's measure
_COLS = "plan_id, owner, measure, readings, latest, comparator"

# A measure's row: (plan id, owner, measure id, readings, latest as JSON [date, value],
# comparators as JSON [date, england, region, neighbours]).
MeasureRow = tuple[str, str, str, int, str | None, str | None]


class Comparators(TypedDict):
    date: str | None
    england: float | None
    region: float | None
    neighbours: float | None


class MeasureTold(TypedDict):
    """A measure's row as an event tells it."""

    measure: str
    recommendation: str | None
    date: str | None
    value: float | None
    readings: int
    comparators: Comparators | None


# A move: (plan id, recommendation ref or None, measure id, old, new, day, who).
Move = tuple[str, str | None, str, MeasureTold | None, MeasureTold | None, str, str | None]


def _row(plan_id: str, owner: str, ms: m.Measure) -> MeasureRow:
    r = ms.latest
    c = _latest(ms.comparators)
    return (
        plan_id,
        owner,
        ms.id,
        len(ms.readings),
        _json([_d(r.date), _num(r.value)]) if r is not None else None,
        _json([_d(c.date), c.england, c.region, c.neighbours]) if c is not None else None,
    )


def measure_rows(plan: m.Plan) -> list[MeasureRow]:
    """One row per measure of the plan itself and of each recommendation."""
    rows = [_row(plan.id, "", ms) for ms in plan.measures]
    for rec in plan.recommendations:
        rows += [_row(plan.id, rec.ref, ms) for ms in rec.measures]
    return rows


def told(row: MeasureRow | None) -> MeasureTold | None:
    """A row as an event tells it (see the module docstring)."""
    if row is None or (row[4] is None and row[5] is None):
        return None
    latest: list[Any] = json.loads(row[4]) if row[4] else [None, None]
    comp: list[Any] | None = json.loads(row[5]) if row[5] else None
    return {
        "measure": row[2],
        "recommendation": row[1] or None,
        "date": latest[0],
        "value": latest[1],
        "readings": row[3],
        "comparators": _comparators(comp) if comp else None,
    }


def _comparators(comp: list[Any]) -> Comparators:
    date, england, region, neighbours = comp
    return {"date": date, "england": england, "region": region, "neighbours": neighbours}


def compare(
    conn: sqlite3.Connection,
    plan: m.Plan,
    day: str,
    at: str,
    who: Callable[[str, str], str | None],
    events: list[NewEvent],
) -> None:
    """The plan's measures against their recorded rows: an event for each that moved
    (appended to `events`, in sync's shape), and the rows stored again."""
    pid = plan.id
    rows = measure_rows(plan)
    known = conn.execute("select 1 from measure_plans where plan_id = ?", [pid]).fetchone()
    old = {
        (r[1], r[2]): r
        for r in conn.execute(f"select {_COLS} from measure_state where plan_id = ?", [pid])
    }
    if known is None:
        conn.execute("insert into measure_plans (plan_id) values (?)", [pid])
    for row in rows:
        before = old.pop((row[1], row[2]), None)
        if before == row:
            continue
        conn.execute(
            f"insert or replace into measure_state ({_COLS}) values (?, ?, ?, ?, ?, ?)", row
        )
        _event(pid, told(before), told(row), known, day, at, who, events)
    for (owner, mid), before in old.items():
        conn.execute(
            "delete from measure_state where plan_id = ? and owner = ? and measure = ?",
            [pid, owner, mid],
        )
        _event(pid, told(before), None, known, day, at, who, events)


def _event(
    pid: str,
    was: MeasureTold | None,
    now: MeasureTold | None,
    known: object,
    day: str,
    at: str,
    who: Callable[[str, str], str | None],
    events: list[NewEvent],
) -> None:
    if known is None or was == now:
        return  # first recorded silently; or only the count of readings moved
    if was is not None and now is not None and _moved(was) == _moved(now):
        return
    events.append((pid, "", day, at, who(pid, ""), EDIT, MEASURE, was, now))


def _moved(told: MeasureTold) -> tuple[str | None, float | None, Comparators | None]:
    """What a move is told by: the latest reading and the latest comparators."""
    return (told["date"], told["value"], told["comparators"])


def forget(conn: sqlite3.Connection, plan_id: str) -> None:
    """A plan gone from the folder: its measures' rows go with it (nothing is told)."""
    conn.execute("delete from measure_state where plan_id = ?", [plan_id])
    conn.execute("delete from measure_plans where plan_id = ?", [plan_id])


def moves_since(conn: sqlite3.Connection, after: int) -> list[Move]:
    """Every plan or recommendation measure that moved since event `after`:
    [(plan id, recommendation ref or None, measure id, old, new, day, who)], old as it was
    at the first event since, new as at the last (a move made and undone is not told)."""
    first: dict[tuple[str, str | None, str], Move] = {}
    for pid, day, who, old, new in conn.execute(
        "select plan_id, happened_on, who, old, new from events where id > ? and field = ? "
        "order by id",
        [after, MEASURE],
    ):
        was: MeasureTold | None = json.loads(old) if old else None
        now: MeasureTold | None = json.loads(new) if new else None
        about: dict[str, Any] = dict(now or was or {})
        key: tuple[str, str | None, str] = (
            pid,
            about.get("recommendation"),
            about.get("measure", ""),  # every measure event names its measure
        )
        start = first[key][3] if key in first else was
        first[key] = (*key, start, now, day, who)
    return [v for v in first.values() if (v[3] and _moved(v[3])) != (v[4] and _moved(v[4]))]
