"""An action's recorded state: one flat row per action, built from the status rules.

A row holds what the history compares from one run to the next and what a review
snapshots: the effective values the rules work out (percent, status, RAG, overdue,
stale …) and digests of the dated lists (latest extension, evidence, readings, update).
Rows are plain tuples in the order of `KEY + COLUMNS`, so that thousands of them compare
and insert quickly; `Row` names (and types) the fields for readers.

Nothing here reads the clock or touches a file.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TypeVar, cast

if TYPE_CHECKING:  # imported where used: reading the history (its columns) needs neither
    from ..plans import model as m
    from ..status import rules


class Row(NamedTuple):
    """The fields of a row, by name: the key, then the columns of the `state` and
    `snapshots` tables in their order."""

    plan_id: str
    ref: str
    percent: int
    status: str
    rag: str | None
    complete: int
    overdue: int
    stale: int
    start: str | None
    due: str | None
    original_due: str | None
    next_due: str | None
    extensions: int
    extension: str | None  # count; JSON of the latest [due, reason, agreed_on, agreed_by]
    milestones: int
    milestones_done: int
    impact: str | None
    evidence: int
    evidence_latest: str | None  # count; JSON [date, text]
    readings: int
    readings_latest: str | None  # count; JSON {measure id: [date, value]} (latest per measure)
    updates: int
    update_latest: str | None  # count; JSON [date, by, note]
    last_activity: str | None
    override_rag: str | None
    override_until: str | None
    override_reason: str | None
    override: int  # as written; 1 while in force
    margin: float
    stale_days: int
    weight: float
    request: str | None  # JSON of the latest extension asked for: [due, reason, state,
    # requested_on, requested_by, decided_on, decided_by, refused_reason]


# A row as it is kept and compared: the fields of `Row`, in its order, as a plain tuple
# (a NamedTuple costs more to make, thousands at a time).
StateRow = tuple[
    str, str, int, str, str | None, int, int, int,  # plan_id … stale
    str | None, str | None, str | None, str | None,  # start, due, original_due, next_due
    int, str | None, int, int, str | None,  # extensions … impact
    int, str | None, int, str | None, int, str | None, str | None,  # evidence … last_activity
    str | None, str | None, str | None, int,  # override_rag … override
    float, int, float, str | None,  # margin, stale_days, weight, request
]  # fmt: skip
# The values that time alone can change (TIME_FIELDS): rag, overdue, stale, override.
TimeValues = tuple[str | None, int, int, int]

KEY = ("plan_id", "ref")
# The order of the columns in the `state` and `snapshots` tables (after their keys).
COLUMNS: tuple[str, ...] = Row._fields[len(KEY) :]
# the state's columns as SQL names them, in order, and a placeholder for each
SQL_COLUMNS = ", ".join(f"[{c}]" for c in KEY + COLUMNS)
SQL_MARKS = ", ".join("?" for _ in KEY + COLUMNS)
assert Row._fields[: len(KEY)] == KEY

# SQL types for the columns (dates are ISO text; flags are 0/1).
SQL_TYPES = {
    "percent": "INTEGER",
    "status": "TEXT",
    "rag": "TEXT",
    "complete": "INTEGER",
    "overdue": "INTEGER",
    "stale": "INTEGER",
    "start": "TEXT",
    "due": "TEXT",
    "original_due": "TEXT",
    "next_due": "TEXT",
    "extensions": "INTEGER",
    "extension": "TEXT",
    "milestones": "INTEGER",
    "milestones_done": "INTEGER",
    "impact": "TEXT",
    "evidence": "INTEGER",
    "evidence_latest": "TEXT",
    "readings": "INTEGER",
    "readings_latest": "TEXT",
    "updates": "INTEGER",
    "update_latest": "TEXT",
    "last_activity": "TEXT",
    "override_rag": "TEXT",
    "override_until": "TEXT",
    "override_reason": "TEXT",
    "override": "INTEGER",
    "margin": "REAL",
    "stale_days": "INTEGER",
    "weight": "REAL",
    "request": "TEXT",
}
assert set(SQL_TYPES) == set(COLUMNS)

# A plan's totals, as a review (`review_plans`) and a day (`plan_days`) keep them, after
# the plan's id and title: the RAGs are model.RAGS.
PLAN_TOTALS = ("percent", "rag", "red", "amber", "green", "grey", "blue", "total", "complete",
               "overdue", "stale", "dropped")  # fmt: skip

# The values that can change with nothing but the passing of days.
TIME_FIELDS = ("rag", "overdue", "stale", "override")
_TIME_INDEX = tuple(Row._fields.index(f) for f in TIME_FIELDS)

# The fields an event can name, in the order a change is told.
FIELDS = (
    "status",
    "percent",
    "complete",
    "rag",
    "overdue",
    "stale",
    "start",
    "due",
    "original_due",
    "extension",
    "milestones_done",
    "impact",
    "evidence",
    "reading",
    "update",
    "override",
    "request",
)


class _IsoDates(dict[date | None, str | None]):
    """date → ISO text, remembered: a portfolio has few distinct dates and many actions."""

    def __missing__(self, value: date | None) -> str | None:
        text = value.isoformat() if value is not None else None
        if len(self) < 100_000:
            self[value] = text
        return text


_ISO = _IsoDates()
_d = _ISO.__getitem__


def _encoder() -> Callable[[Any], str]:
    """A compact, stable JSON encoder (sorted keys), built once: the C encoder when this
    Python has it (3× quicker per call than json.dumps), else the standard one."""
    plain = json.JSONEncoder(separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode
    # CPython's private C encoder (None without the _json module; not in the type stubs)
    c_make_encoder = getattr(json.encoder, "c_make_encoder", None)
    if c_make_encoder is None:
        return plain
    try:
        from json.encoder import encode_basestring

        make = c_make_encoder(None, None, encode_basestring, None, ":", ",", True, False, True)

        def fast(value: Any) -> str:
            return "".join(make(value, 0))

        sample = {"b": [1, 'é\n"', None, 2.5, True], "a": {"z": -1, "y": [3.0]}}
        if fast(sample) != plain(sample):
            raise ValueError
    except Exception:  # no C encoder, or one with another signature: the plain one
        return plain
    return fast


_json = _encoder()


def _num(value: float) -> float | int:
    """Readings as written: 78 and 78.0 are the same reading."""
    value = float(value)
    return int(value) if value.is_integer() else value


class _Dated(Protocol):
    @property
    def date(self) -> date: ...


_D = TypeVar("_D", bound=_Dated)


def _latest(items: Iterable[_D]) -> _D | None:
    """The newest item by date; among items of one date, the last written."""
    best: _D | None = None
    for item in items:
        if best is None or item.date >= best.date:
            best = item
    return best


def action_row(plan_id: str, st: rules.ActionStatus, margin: float, stale_days: int) -> StateRow:
    from ..status import rules

    a = st.action
    agreed = rules.agreed_extensions(a)  # a request moves nothing until it is agreed
    ext = agreed[-1] if agreed else None
    ev = _latest(a.evidence)
    readings = 0
    latest: dict[str, list[str | float | None]] = {}
    for ms in a.measures:
        if ms.readings:
            readings += len(ms.readings)
            r = ms.latest
            assert r is not None  # there are readings
            latest[ms.id] = [_d(r.date), _num(r.value)]
    up = _latest(a.updates)
    return (
        plan_id,
        a.ref,
        st.percent,
        st.status,
        st.rag,
        int(st.complete),
        int(st.overdue),
        int(st.stale),
        _d(st.start),
        _d(st.due),
        _d(st.original_due),
        _d(st.next_due),
        len(agreed),
        _json([_d(ext.due), ext.reason, _d(ext.agreed_on), ext.agreed_by]) if ext else None,
        len(a.milestones),
        sum(1 for x in a.milestones if x.done),
        a.impact,
        len(a.evidence),
        _json([_d(ev.date), ev.text]) if ev else None,
        readings,
        _json(latest) if latest else None,
        len(a.updates),
        _json([_d(up.date), up.by, up.note]) if up else None,
        _d(st.last_activity),
        a.rag,
        _d(a.rag_until),
        a.rag_reason if a.rag else None,
        int(st.override),
        float(margin),
        int(stale_days),
        float(a.weight),
        _request_json(a),
    )


def _request_json(a: m.Action) -> str | None:
    """The latest extension that was asked for (pending, agreed or refused), as JSON."""
    for e in reversed(a.extensions):
        if e.state in ("requested", "refused") or (e.state == "agreed" and e.requested_on):
            decided_on = e.refused_on if e.state == "refused" else e.agreed_on
            decided_by = e.refused_by if e.state == "refused" else e.agreed_by
            return _json(
                [
                    _d(e.due),
                    e.reason,
                    e.state,
                    _d(e.requested_on),
                    e.requested_by,
                    _d(decided_on) if e.state != "requested" else None,
                    decided_by if e.state != "requested" else None,
                    e.refused_reason if e.state == "refused" else None,
                ]
            )
    return None


def plan_rows(ps: rules.PlanStatus) -> list[StateRow]:
    plan = ps.plan
    return [action_row(plan.id, st, plan.margin, plan.stale_days) for st in ps.actions()]


def rows_from_statuses(statuses: Iterable[rules.PlanStatus]) -> Iterator[StateRow]:
    for ps in statuses:
        yield from plan_rows(ps)


# -- the passing of time ------------------------------------------------------------------


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def reconstruct(row: StateRow) -> m.Action:
    """An action that the rules judge exactly as the one the row was made from, on any
    day (for the values that time alone can change: RAG, overdue, stale, override); the
    row's margin and stale days go with it to the rules."""
    from ..plans import model as m

    r = Row._make(row)
    due, next_due = _date(r.due), _date(r.next_due)
    milestones = []
    if next_due is not None and next_due != due:
        milestones.append(m.Milestone("next", next_due, False))
    if r.milestones_done:  # a milestone done is progress (rule 7): one stands for them all
        milestones.append(m.Milestone("done", None, True))
    activity = _date(r.last_activity)
    action = m.Action(
        ref=r.ref,
        action="",
        start=_date(r.start),
        due=due,
        percent=r.percent,
        status=r.status,
        rag=r.override_rag,
        rag_reason=r.override_reason,
        rag_until=_date(r.override_until),
        milestones=milestones,
        updates=[m.Update(activity)] if activity else [],
    )
    return action


def time_values(row: StateRow) -> TimeValues:
    return cast(TimeValues, tuple(row[i] for i in _TIME_INDEX))


def with_time_values(row: StateRow, values: TimeValues) -> StateRow:
    out: list[Any] = list(row)
    for i, v in zip(_TIME_INDEX, values, strict=True):
        out[i] = v
    return cast(StateRow, tuple(out))


@lru_cache(maxsize=32768)  # a row is a tuple: read again for each commit that passes it
def _turning_points(row: StateRow, stale_days: int) -> frozenset[date]:
    """Days on which a time-driven value may change.  With the file unchanged each set of
    values holds for one unbroken run of days (overdue, stale and a lapsed override only
    ever switch on or off once; the schedule only falls further behind), so bisection
    alone finds every change exactly; these days split the search anyway, so that a
    future rule that breaks that pattern is still seen at the points where it can turn."""
    r = Row._make(row)
    points: set[date] = set()
    start, due, nd = _date(r.start), _date(r.due), _date(r.next_due)
    until = _date(r.override_until)
    for day in (start, due, nd, until):
        if day is not None:
            points.add(day)
            points.add(day.fromordinal(day.toordinal() + 1))
    since = _date(r.last_activity) or start
    if since is not None:
        points.add(since.fromordinal(since.toordinal() + stale_days + 1))
    return frozenset(points)


def quiet(row: StateRow, since: date, until: date) -> bool:
    """True when a row found unchanged at both ends of (since, until] cannot have changed
    in between: no day where a value can turn falls inside (see `_turning_points`)."""
    return not any(since < p < until for p in _turning_points(row, Row._make(row).stale_days))


def time_changes(
    row: StateRow, since: date, until: date
) -> list[tuple[date, TimeValues, TimeValues]]:
    """What the passing of days from `since` (when the row was true) to `until` changed,
    with no edit to the plan: [(day it happened, old time values, new time values)]."""
    if until <= since:
        return []
    from ..status import rules

    action = reconstruct(row)
    facts = Row._make(row)
    margin, stale_days = facts.margin, facts.stale_days

    def values(day: date) -> TimeValues:
        st = rules.action_status(action, day, margin, stale_days)
        return (st.rag, int(st.overdue), int(st.stale), int(st.override))

    current = time_values(row)
    points = sorted(p for p in _turning_points(row, stale_days) if since < p < until)
    points.append(until)
    out: list[tuple[date, TimeValues, TimeValues]] = []
    low = since
    for point in points:
        while values(point) != current:
            a, b = low, point  # values(a) == current != values(b)
            while (b - a).days > 1:
                mid = a.fromordinal(a.toordinal() + (b - a).days // 2)
                if values(mid) == current:
                    a = mid
                else:
                    b = mid
            new = values(b)
            out.append((b, current, new))
            current, low = new, b
        low = point
    return out
