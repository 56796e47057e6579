"""What changed since a review: the review's snapshot against the state recorded now.

The comparison is one pass over a join of the two tables (both keyed by plan and ref),
so it stays quick at tens of thousands of actions; who made each change and when comes
from the events recorded since the review.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from typing import TYPE_CHECKING, Any, TypedDict

from ..plans.vocab import ref_key
from .measure_state import moves_since
from .originals import REWRITTEN, rewrites_since
from .records import Event, PlanSummary, Review

if TYPE_CHECKING:
    from .measure_state import MeasureTold
    from .store import HistoryStore
    from .told import OverrideTold

# How RAG moves are told: up is better.  Grey (not started) sits between amber and green:
# starting work is a move up, falling behind schedule from not started is a move down.
MOVE_RANK = {"red": 0, "amber": 1, "grey": 2, "green": 3, "blue": 4}


def direction(old: str | None, new: str | None) -> str:
    if new is None:
        return "dropped"
    if old is None:
        return "reinstated"
    return "up" if MOVE_RANK[new] > MOVE_RANK[old] else "down"


@dataclass(slots=True)
class _Item:
    plan_id: str
    ref: str

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out["plan" if f.name == "plan_id" else f.name] = (
                value.isoformat() if isinstance(value, date) else value
            )
        return out


@dataclass(slots=True)
class RagMove(_Item):
    old: str | None
    new: str | None
    direction: str  # up | down | dropped | reinstated
    when: date | None = None  # the day of the last RAG change since the review
    who: str | None = None  # None: the passing of time


@dataclass(slots=True)
class Flag(_Item):
    """Newly overdue, newly complete."""

    next_due: str | None = None
    when: date | None = None
    who: str | None = None


@dataclass(slots=True)
class Slip(_Item):
    old_due: str | None
    new_due: str | None
    extensions: int  # agreed since the review
    reason: str | None = None
    agreed_on: str | None = None
    agreed_by: str | None = None
    by_hand: bool = False  # the original due date rewritten outside improve (no extension)
    when: date | None = None  # by hand: the day the history saw it
    who: str | None = None  # by hand: as the history has it ("edited by hand", …)


@dataclass(slots=True)
class NewEvidence(_Item):
    added: int
    latest_date: str | None
    latest_text: str | None
    when: date | None = None
    who: str | None = None


class ReadingValue(TypedDict):
    date: str | None
    value: float


@dataclass(slots=True)
class NewReading(_Item):
    measure: str
    old: ReadingValue | None  # at the review, or None
    new: ReadingValue | None
    when: date | None = None
    who: str | None = None


@dataclass(slots=True)
class MeasureMove(_Item):
    """A measure of the plan itself (ref "") or of a recommendation whose latest reading
    or comparators moved (history/measure_state.py): as at the review, and now."""

    recommendation: str | None
    measure: str
    old: MeasureTold | None  # at the review, or None
    new: MeasureTold | None
    when: date | None = None
    who: str | None = None


@dataclass(slots=True)
class Stale(_Item):
    last_activity: str | None
    newly: bool  # not stale at the review


@dataclass(slots=True)
class NoUpdate(_Item):
    last_activity: str | None


@dataclass(slots=True)
class OverrideChange(_Item):
    change: str  # added | lapsed | removed | changed
    old: OverrideTold | None
    new: OverrideTold | None


@dataclass(slots=True)
class ActionRef(_Item):
    pass


@dataclass(slots=True)
class Pending(_Item):
    """A new due date asked for, awaiting the meeting's decision (as things are now)."""

    due: str | None
    reason: str | None
    requested_on: str | None
    requested_by: str | None


@dataclass
class Changes:
    """Since `review`, as at `today`.  `to_json()` gives:

    {"review": {review}, "today": "YYYY-MM-DD",
     "plans": [{"id", "then": {plan totals} | null, "now": {plan totals} | null}],
     "rag_moves": [{"plan", "ref", "old", "new", "direction", "when", "who"}],
     "newly_overdue" / "newly_complete": [{"plan", "ref", "next_due", "when", "who"}],
     "slipped": [{"plan", "ref", "old_due", "new_due", "extensions", "reason", "agreed_on",
        "agreed_by", "by_hand", "when", "who"}] (by_hand: the original due date rewritten
        outside improve, told "original due date rewritten by hand"),
     "new_evidence": [{"plan", "ref", "added", "latest_date", "latest_text", "when", "who"}],
     "new_readings": [{"plan", "ref", "measure", "old", "new", "when", "who"}],
     "measure_moves": [{"plan", "ref": "", "recommendation", "measure", "old", "new",
        "when", "who"}] (measures of the plan itself or of a recommendation; old and new
        {"measure", "recommendation", "date", "value", "readings", "comparators"} or null),
     "stale": [{"plan", "ref", "last_activity", "newly"}],
     "no_update": [{"plan", "ref", "last_activity"}],
     "overrides": [{"plan", "ref", "change", "old", "new"}],
     "added" / "removed": [{"plan", "ref"}]  (actions of plans that stayed),
     "pending": [{"plan", "ref", "due", "reason", "requested_on", "requested_by"}]
        (requests for a new due date awaiting a decision now),
     "new_plans" / "removed_plans": ["plan id"],
     "events": [{event}] | null (every event since the review, when asked for)}
    """

    review: Review
    today: date | None
    plans: list[tuple[str, PlanSummary | None, PlanSummary | None]] = field(default_factory=list)
    rag_moves: list[RagMove] = field(default_factory=list)
    newly_overdue: list[Flag] = field(default_factory=list)
    newly_complete: list[Flag] = field(default_factory=list)
    slipped: list[Slip] = field(default_factory=list)
    new_evidence: list[NewEvidence] = field(default_factory=list)
    new_readings: list[NewReading] = field(default_factory=list)
    measure_moves: list[MeasureMove] = field(default_factory=list)
    stale: list[Stale] = field(default_factory=list)
    no_update: list[NoUpdate] = field(default_factory=list)
    overrides: list[OverrideChange] = field(default_factory=list)
    added: list[ActionRef] = field(default_factory=list)
    removed: list[ActionRef] = field(default_factory=list)
    pending: list[Pending] = field(default_factory=list)
    new_plans: list[str] = field(default_factory=list)  # not in the review at all
    removed_plans: list[str] = field(default_factory=list)  # in the review, gone now
    events: list[Event] | None = None  # every event since the review, when asked for

    @property
    def moved_up(self) -> list[RagMove]:
        return [m for m in self.rag_moves if m.direction == "up"]

    @property
    def moved_down(self) -> list[RagMove]:
        return [m for m in self.rag_moves if m.direction == "down"]

    def to_json(self) -> dict[str, Any]:
        lists = (
            "rag_moves",
            "newly_overdue",
            "newly_complete",
            "slipped",
            "new_evidence",
            "new_readings",
            "measure_moves",
            "stale",
            "no_update",
            "overrides",
            "added",
            "removed",
            "pending",
        )
        out: dict[str, Any] = {
            "review": self.review.to_json(),
            "today": self.today.isoformat() if self.today else None,
            "plans": [
                {
                    "id": pid,
                    "then": then.to_json() if then else None,
                    "now": now.to_json() if now else None,
                }
                for pid, then, now in self.plans
            ],
        }
        for name in lists:
            out[name] = [item.to_json() for item in getattr(self, name)]
        out["new_plans"] = list(self.new_plans)
        out["removed_plans"] = list(self.removed_plans)
        out["events"] = None if self.events is None else [e.to_json() for e in self.events]
        return out


_JOIN = (
    " from state t left join snapshots s"
    " on s.review_id = :review and s.plan_id = t.plan_id and s.ref = t.ref"
)
# Something to tell beyond "stale" and "no update" (compared in SQL, so Python only sees
# the rows that changed).
_DETAIL = (
    "(s.rag is not t.rag or s.overdue <> t.overdue or s.complete <> t.complete"
    " or s.extensions <> t.extensions or s.evidence <> t.evidence"
    " or s.readings_latest is not t.readings_latest or s.override <> t.override"
    " or s.override_rag is not t.override_rag or s.override_until is not t.override_until"
    " or s.override_reason is not t.override_reason)"
)
_QUIET = (
    "(t.complete = 0 and t.status <> 'dropped' and t.updates <= s.updates"
    " and t.evidence <= s.evidence and t.readings <= s.readings"
    " and (t.last_activity is null or t.last_activity <= :held))"
)
# One pass over the actions now beside the review's snapshot: the flags of each action
# added, stale or quiet, and whether anything else moved (`moved`: its detail is read
# after, by its key, or in a second pass when many moved).
_FLAGS_SQL = (
    f"select t.plan_id, t.ref, s.ref is not null, t.stale, s.stale, t.last_activity,"
    f" {_QUIET} as quiet, s.ref is not null and {_DETAIL} as moved {_JOIN}"
    f" where s.ref is null or t.stale = 1 or quiet or moved order by t.plan_id, t.ref"
)
_PAIRS = (
    "rag",
    "overdue",
    "complete",
    "extensions",
    "due",
    "evidence",
    "readings_latest",
    "override_rag",
    "override_until",
    "override_reason",
    "override",
)
_NOW_ONLY = ("extension", "evidence_latest", "next_due")
_DETAIL_SQL = (
    "select t.plan_id, t.ref, "
    + ", ".join(f"s.[{c}], t.[{c}]" for c in _PAIRS)
    + ", "
    + ", ".join(f"t.[{c}]" for c in _NOW_ONLY)
    + f" {_JOIN} where s.ref is not null and {_DETAIL} order by t.plan_id, t.ref"
)
_DETAIL_ONE_SQL = _DETAIL_SQL.replace(
    " order by", " and t.plan_id = :pid and t.ref = :ref order by"
)
assert _DETAIL_ONE_SQL != _DETAIL_SQL
_DETAIL_BY_KEY = 500  # up to so many moved, each read by its key; more, in a second pass


# Who and when the last event since the review set a value: (day, who), or (None, None).
When = tuple[date | None, str | None]


def _override(
    rag: str | None, until: str | None, reason: str | None, in_force: int
) -> OverrideTold | None:
    return (
        {"rag": rag, "until": until, "reason": reason, "in_force": bool(in_force)} if rag else None
    )


def _detail(r: Sequence[Any], ww: Callable[..., When], out: Changes) -> None:
    """One action's row of the review's snapshot beside its state now: what moved (RAG,
    overdue, complete, slipped, evidence, readings, overrides) added to `out`."""
    n = len(_PAIRS)
    pid, ref = r[0], r[1]
    (s_rag, s_over, s_comp, s_ext, s_due, s_ev, s_read, s_orag, s_ountil, s_oreason, s_oin) = r[
        2 : 2 + 2 * n : 2
    ]
    (t_rag, t_over, t_comp, t_ext, t_due, t_ev, t_read, t_orag, t_ountil, t_oreason, t_oin) = r[
        3 : 3 + 2 * n : 2
    ]
    t_extension, t_evlatest, t_next = r[2 + 2 * n :]
    if s_rag != t_rag:
        out.rag_moves.append(
            RagMove(pid, ref, s_rag, t_rag, direction(s_rag, t_rag), *ww(pid, ref, "rag"))
        )
    if t_over and not s_over:
        out.newly_overdue.append(Flag(pid, ref, t_next, *ww(pid, ref, "overdue")))
    if t_comp and not s_comp:
        out.newly_complete.append(Flag(pid, ref, t_next, *ww(pid, ref, "complete")))
    if t_ext > s_ext:
        ext = json.loads(t_extension)
        out.slipped.append(Slip(pid, ref, s_due, t_due, t_ext - s_ext, ext[1], ext[2], ext[3]))
    if t_ev > s_ev:
        latest = json.loads(t_evlatest)
        out.new_evidence.append(
            NewEvidence(pid, ref, t_ev - s_ev, latest[0], latest[1], *ww(pid, ref, "evidence"))
        )
    if t_read != s_read:
        a = json.loads(s_read) if s_read else {}
        b = json.loads(t_read) if t_read else {}
        for mid in sorted(b):
            if a.get(mid) != b[mid]:
                was: ReadingValue | None = (
                    {"date": a[mid][0], "value": a[mid][1]} if mid in a else None
                )
                out.new_readings.append(
                    NewReading(
                        pid,
                        ref,
                        mid,
                        was,
                        {"date": b[mid][0], "value": b[mid][1]},
                        *ww(pid, ref, "reading", mid),
                    )
                )
    if (s_orag, s_ountil, s_oreason, s_oin) != (t_orag, t_ountil, t_oreason, t_oin) and (
        s_oin or t_oin
    ):
        old = _override(s_orag, s_ountil, s_oreason, s_oin)
        new = _override(t_orag, t_ountil, t_oreason, t_oin)
        if t_oin and not s_oin:
            kind = "added"
        elif s_oin and not t_oin:
            kind = "lapsed" if t_orag else "removed"
        else:
            kind = "changed"
        out.overrides.append(OverrideChange(pid, ref, kind, old, new))


def _last_events(
    conn: sqlite3.Connection, after: int
) -> dict[tuple[str | None, ...], tuple[str, str | None]]:
    """Who and when: the last event since the review for each value an item reports,
    by (plan, ref, field[, measure])."""
    last: dict[tuple[str | None, ...], tuple[str, str | None]] = {}
    for pid, ref, name, day, who, new in conn.execute(
        "select plan_id, ref, field, happened_on, who, new from events where id > ? and "
        "field in ('rag', 'overdue', 'complete', 'evidence', 'reading') order by id",
        [after],
    ):
        key: tuple[str | None, ...] = (pid, ref, name)
        if name == "reading":
            key += ((json.loads(new) or {}).get("measure") if new else None,)
        last[key] = (day, who)
    return last


def changes(
    store: HistoryStore, since: str | int | date, today: date | None, with_events: bool = False
) -> Changes:
    review = store.find_review(since, today)
    conn = store.db.conn
    if today is None:
        row = conn.execute("select max(as_of) from plans").fetchone()
        today = date.fromisoformat(row[0]) if row and row[0] else review.held_on
    out = Changes(review, today)

    then = {p.plan_id: p for p in review.plans}
    now = {p.plan_id: p for p in store.status_as_of(today)}
    out.plans = [(pid, then.get(pid), now.get(pid)) for pid in sorted(set(then) | set(now))]

    if with_events:
        out.events = [
            Event.from_row(r)
            for r in conn.execute(
                f"select {Event.COLUMNS} from events where id > ? order by happened_on, id",
                [review.last_event_id],
            )
        ]
    last = _last_events(conn, review.last_event_id)

    def ww(plan_id: str, ref: str, name: str, *extra: str) -> When:
        found = last.get((plan_id, ref, name, *extra))
        return (date.fromisoformat(found[0]), found[1]) if found else (None, None)

    params = {"review": review.id, "held": review.held_on.isoformat()}
    unmatched = 0
    # in ref order as a person counts, sorted once here for the three lists made from
    # them (at 20,000 actions two of them hold most actions)
    flags = conn.execute(_FLAGS_SQL, params).fetchall()
    moved = [(r[0], r[1]) for r in flags if r[7]]  # in SQL's order, as the second pass
    flags = _in_ref_order_rows(flags)
    added, no_update, stale = out.added, out.no_update, out.stale
    for pid, ref, had, t_stale, s_stale, activity, quiet, _ in flags:
        if not had:
            unmatched += 1
            if pid in then:
                added.append(ActionRef(pid, ref))
        elif quiet:
            no_update.append(NoUpdate(pid, ref, activity))
        if t_stale:
            stale.append(Stale(pid, ref, activity, not s_stale))

    for r in _moved_rows(conn, params, moved):
        _detail(r, ww, out)

    for rw in rewrites_since(conn, review.last_event_id):
        out.slipped.append(
            Slip(rw.plan_id, rw.ref, rw.first.isoformat(), rw.now.isoformat(), 0,
                 REWRITTEN, by_hand=True, when=rw.on, who=rw.who)
        )  # fmt: skip
    for pid, rec, mid, old, new, day, who in moves_since(conn, review.last_event_id):
        out.measure_moves.append(
            MeasureMove(pid, "", rec, mid, old, new, date.fromisoformat(day), who)
        )
    out.new_plans = sorted(set(now) - set(then))
    out.removed_plans = sorted(set(then) - set(now))
    for pid, ref, request in conn.execute(
        "select plan_id, ref, request from state where request is not null"
    ):
        due, reason, state, requested_on, requested_by, *_ = json.loads(request)
        if state == "requested":
            out.pending.append(Pending(pid, ref, due, reason, requested_on, requested_by))
    snapshot_rows = sum(p.total + p.dropped for p in review.plans)
    matched = conn.execute("select count(*) from state").fetchone()[0] - unmatched
    if matched < snapshot_rows:
        out.removed = _removed(conn, review, out.removed_plans)
    _in_ref_order(out, made_in_order=("added", "no_update", "stale"))
    out.measure_moves.sort(key=lambda m: (m.plan_id, ref_key(m.recommendation or ""), m.measure))
    return out


def _moved_rows(
    conn: sqlite3.Connection, params: dict[str, Any], moved: list[tuple[str, str]]
) -> Iterable[Sequence[Any]]:
    """The detail rows (`_DETAIL_SQL`) of the actions that moved, in its order: each read
    by its key when they are few (none, as a review held earlier the same day), else the
    second pass."""
    if len(moved) > _DETAIL_BY_KEY:
        return conn.execute(_DETAIL_SQL, params)
    rows = []
    for pid, ref in moved:
        rows += conn.execute(_DETAIL_ONE_SQL, {**params, "pid": pid, "ref": ref}).fetchall()
    return rows


def _in_ref_order_rows(rows: list[Any]) -> list[Any]:
    """Rows (plan id, ref, …) in the order of `_in_ref_order`, from rows in SQL's order
    (plan id, then ref as text): each distinct ref's place worked out once, refs that
    count alike ("1a", "1A") kept in SQL's order, as the stable sort by `ref_key` keeps
    them."""
    place = {ref: n for n, ref in enumerate(sorted(sorted({r[1] for r in rows}), key=ref_key))}
    rows.sort(key=lambda r: (r[0], place[r[1]]))
    return rows


def _in_ref_order(out: Changes, made_in_order: tuple[str, ...] = ()) -> None:
    """Every list by plan, then by ref as a person counts (1, 2, 10a; not 1, 10a, 2);
    those `made_in_order` are so already."""
    for f in fields(out):
        if f.name in made_in_order:
            continue
        items = getattr(out, f.name)
        if isinstance(items, list) and items and isinstance(items[0], _Item):
            items.sort(key=lambda item: (item.plan_id, ref_key(item.ref)))


def _removed(conn: sqlite3.Connection, review: Review, removed_plans: list[str]) -> list[ActionRef]:
    return [
        ActionRef(pid, ref)
        for pid, ref in conn.execute(
            "select s.plan_id, s.ref from snapshots s where s.review_id = ? and not exists "
            "(select 1 from state t where t.plan_id = s.plan_id and t.ref = s.ref) "
            "order by s.plan_id, s.ref",
            [review.id],
        )
        if pid not in removed_plans
    ]
