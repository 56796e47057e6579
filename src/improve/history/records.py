"""What the history hands back: plain data, each with `to_json()` for `--json` output."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypedDict

from ..plans.vocab import RAGS

HAND = "edited by hand"  # who, for a change noticed in the files rather than made through improve

# Kinds of event.
BASELINE = "baseline"  # first time history saw the action (its whole state, in `new`)
ADDED = "added"  # a new action in a plan history already knew
REMOVED = "removed"  # an action (or a whole plan) no longer in the files (its last state, in `old`)
EDIT = "edit"  # a field changed in a file (through improve, or by hand)
TIME = "time"  # a value changed by the passing of days alone (RAG, overdue, stale, override)


def _d(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(slots=True, frozen=True)
class Event:
    id: int
    plan_id: str
    ref: str
    happened_on: date
    recorded_at: str  # UTC timestamp of the run that recorded it
    who: str | None  # the --by identity, HAND, or None (time; baseline)
    kind: str  # baseline | added | removed | edit | time
    field: str | None  # for edit and time: which value (see rows.FIELDS)
    old: object = None
    new: object = None
    commit: str | None = None  # the git commit the change came from (history/commits.py)

    COLUMNS = "id, plan_id, ref, happened_on, recorded_at, who, kind, field, old, new, [commit]"

    @classmethod
    def from_row(cls, r: Sequence[Any]) -> Event:
        """From a row of `select {Event.COLUMNS} from events`."""
        return cls(
            r[0],
            r[1],
            r[2],
            date.fromisoformat(r[3]),
            r[4],
            r[5],
            r[6],
            r[7],
            None if r[8] is None else json.loads(r[8]),
            None if r[9] is None else json.loads(r[9]),
            r[10],
        )

    @classmethod
    def from_db(cls, r: Mapping[str, Any]) -> Event:
        return cls(
            r["id"],
            r["plan_id"],
            r["ref"],
            date.fromisoformat(r["happened_on"]),
            r["recorded_at"],
            r["who"],
            r["kind"],
            r["field"],
            json.loads(r["old"]) if r["old"] is not None else None,
            json.loads(r["new"]) if r["new"] is not None else None,
            r.get("commit"),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "plan": self.plan_id,
            "ref": self.ref,
            "date": self.happened_on.isoformat(),
            "recorded_at": self.recorded_at,
            "who": self.who,
            "kind": self.kind,
            "field": self.field,
            "old": self.old,
            "new": self.new,
            "commit": self.commit,
        }


# An event as sync and the commits' reading make it, before it is stored: (plan id, ref,
# day, recorded at, who, kind, field, old, new), old and new JSON-ready values.
NewEvent = tuple[str, str, str, str, str | None, str, str | None, object, object]


class SyncOptions(TypedDict, total=False):
    """What a caller of `HistoryStore.sync` may say besides the statuses, the day and
    who (sync.sync explains each)."""

    only: Iterable[str] | None
    targets: Iterable[tuple[str, str]] | None
    unreadable: Iterable[Path | str]
    fingerprints: Mapping[str, str] | None


@dataclass(slots=True)
class SyncResult:
    today: date
    events: list[Event] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)  # plan ids compared with the files
    skipped: list[str] = field(default_factory=list)  # messages: plans left as recorded, and why

    @property
    def changed(self) -> bool:
        return bool(self.events)


@dataclass(slots=True, frozen=True)
class PlanSummary:
    """One plan's totals as recorded on a day (at a review, or when history was synced)."""

    plan_id: str
    title: str | None
    on_date: date
    percent: float | None
    rag: str | None
    counts: dict[str, int]
    total: int
    complete: int
    overdue: int
    stale: int
    dropped: int
    review_id: int | None = None

    @classmethod
    def from_db(
        cls, r: Mapping[str, Any], on_date: str, review_id: int | None = None
    ) -> PlanSummary:
        return cls(
            r["plan_id"],
            r["title"],
            date.fromisoformat(on_date),
            r["percent"],
            r["rag"],
            {c: r[c] for c in RAGS},
            r["total"],
            r["complete"],
            r["overdue"],
            r["stale"],
            r["dropped"],
            review_id,
        )

    def summary(self) -> str:
        return f"{self.complete} of {self.total} actions complete"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.plan_id,
            "title": self.title,
            "date": self.on_date.isoformat(),
            "percent": self.percent,
            "rag": self.rag,
            "counts": dict(self.counts),
            "actions": self.total,
            "complete": self.complete,
            "overdue": self.overdue,
            "stale": self.stale,
            "dropped": self.dropped,
            "review": self.review_id,
        }


@dataclass(slots=True, frozen=True)
class Review:
    id: int
    held_on: date
    recorded_at: str
    note: str | None
    attendees: tuple[str, ...]
    recorded_by: str | None
    last_event_id: int
    plans: tuple[PlanSummary, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "date": self.held_on.isoformat(),
            "recorded_at": self.recorded_at,
            "note": self.note,
            "attendees": list(self.attendees),
            "recorded_by": self.recorded_by,
            "plans": [p.to_json() for p in self.plans],
        }
