"""The plan model: what a plan file says, as plain data.

Nothing here knows about files, dates of today or the screen.  Each item keeps the
path of the table it came from in the file (`where`), so that messages and edits can
point back at it.
"""

from __future__ import annotations

import copyreg
from collections.abc import Iterator
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date
from operator import attrgetter
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Any, NamedTuple

from ..errors import EditError
from ..inert import one_line
from .vocab import (
    DIRECTIONS,
    IMPACTS,
    KINDS,
    OVERRIDE_COLOURS,
    PLAN_ID_RULE,
    RAGS,
    REVIEW_FREQUENCIES,
    STATUSES,
    is_plan_id,
    ref_key,
)

if TYPE_CHECKING:
    from .positions import KeyPath


class Target(NamedTuple):
    """One action, addressed as PLAN:REF (a plan id never has a ":", a ref may)."""

    plan_id: str
    ref: str

    @classmethod
    def parse(cls, text: str) -> Target:
        plan_id, sep, ref = text.partition(":")
        if not sep or not plan_id.strip() or not ref.strip():
            raise EditError(
                f'"{text}" is not PLAN:REF; write it as plan-id:action-ref, '
                "e.g. telford-ofsted-2016:1.1.1",
                code="bad-target",
                field="target",
            )
        return cls(plan_id, ref)

    def __str__(self) -> str:
        return f"{self.plan_id}:{self.ref}"


# How the plan's source gives its dates: "day" (31 January 2017) or "month" (January 2017,
# transcribed as the month's last day): the report writes them back the same way.
DATE_FORMS = ("day", "month")

DEFAULT_MARGIN = 25
DEFAULT_STALE_DAYS = 45


@dataclass(slots=True)
class Reading:
    """One reading of a measure, on a date."""

    date: date
    value: float
    note: str | None = None


@dataclass(slots=True, frozen=True)
class Variance:
    """How far short of its target a measure may fall and stay GREEN (`amber`) or AMBER
    (`red`), in percent of the target (0 <= amber <= red)."""

    amber: float
    red: float


NEIGHBOURS_BY = ("median", "mean")


@dataclass(slots=True)
class Comparator:
    """What others read on a date: England, the region, the statistical neighbours. A
    figure that is missing or suppressed is None, never 0."""

    date: date
    england: float | None = None
    region: float | None = None
    neighbours: float | None = None
    neighbours_by: str | None = None  # median | mean
    source: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    where: KeyPath = ()


@dataclass(slots=True)
class Measure:
    """A success measure: its target, its readings and what it is compared with."""

    id: str
    text: str
    target: float | None = None
    unit: str | None = None
    direction: str = "up"
    baseline: float | None = None
    readings: list[Reading] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    where: KeyPath = ()
    variance: Variance | None = None
    comparators: list[Comparator] = field(default_factory=list)

    @property
    def latest(self) -> Reading | None:
        return max(self.readings, key=lambda r: r.date) if self.readings else None


@dataclass(slots=True)
class Evidence:
    """A dated piece of evidence that an action is having its effect."""

    date: date
    text: str
    link: str | None = None
    measure: str | None = None
    where: KeyPath = ()


EXTENSION_STATES = ("requested", "agreed", "refused")


@dataclass(slots=True)
class Extension:
    """A new due date: asked for, then agreed or refused. One with no `state` (written
    before requests existed) is agreed."""

    due: date
    reason: str
    agreed_on: date | None = None
    agreed_by: str | None = None
    state: str | None = None  # requested | agreed | refused; None means agreed
    requested_on: date | None = None
    requested_by: str | None = None
    refused_on: date | None = None
    refused_by: str | None = None
    refused_reason: str | None = None

    @property
    def agreed(self) -> bool:
        return self.state in (None, "agreed")

    @property
    def pending(self) -> bool:
        return self.state == "requested"


@dataclass(slots=True)
class Milestone:
    """A step of an action, with its own due date."""

    label: str
    due: date | None = None
    done: bool = False
    done_on: date | None = None


@dataclass(slots=True)
class Update:
    """A dated progress update on an action."""

    date: date
    by: str | None = None
    percent: int | None = None
    status: str | None = None
    note: str | None = None
    changes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Action:
    """One action of a recommendation: what is done, by whom, by when, how far it has got."""

    ref: str
    action: str
    outcome: str | None = None
    leads: list[str] = field(default_factory=list)
    start: date | None = None
    due: date | None = None
    percent: int | None = None
    status: str | None = None
    impact: str | None = None
    impact_note: str | None = None
    weight: float = 1
    rag: str | None = None
    rag_reason: str | None = None
    rag_until: date | None = None
    extensions: list[Extension] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    where: KeyPath = ()


@dataclass(slots=True)
class Recommendation:
    """A recommendation (of an inspection, a scrutiny review, a partnership) and its actions."""

    ref: str
    title: str | None = None
    text: str | None = None
    theme: str | None = None
    source: str | None = None
    leads: list[str] = field(default_factory=list)
    why: str | None = None
    good_looks_like: list[str] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    where: KeyPath = ()


@dataclass(slots=True)
class Theme:
    """A theme that groups recommendations."""

    id: str
    title: str
    summary: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Plan:
    """One improvement plan: one file of the plans folder."""

    id: str
    title: str
    file: FsPath
    kind: str = "other"
    format: int = 1
    organisation: str | None = None
    owner: str | None = None
    version: str | None = None
    published: date | None = None
    start: date | None = None
    end: date | None = None
    review: str | None = None
    month_dates: bool = False  # `dates = "month"`: a month's last day is shown as the month
    reported_to: list[str] = field(default_factory=list)
    summary: str | None = None
    judgements: list[dict[str, str]] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    margin: float = DEFAULT_MARGIN
    stale_days: int = DEFAULT_STALE_DAYS
    themes: list[Theme] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    id_from_file: bool = False  # no id in [plan]: the file name is the id
    fingerprint: str | None = None  # of the file's bytes it was read from (None: not from a file)

    def label(self, level: str) -> str:
        return self.labels.get(level, level.capitalize())

    def actions(self) -> Iterator[tuple[Recommendation, Action]]:
        """Every action with its recommendation, in file order."""
        for rec in self.recommendations:
            for action in rec.actions:
                yield rec, action

    def find_action(self, ref: str) -> tuple[Recommendation, Action] | None:
        for rec, action in self.actions():
            if action.ref == ref:
                return rec, action
        return None

    def all_measures(self) -> Iterator[Measure]:
        yield from self.measures
        for rec in self.recommendations:
            yield from rec.measures
            for action in rec.actions:
                yield from action.measures


@dataclass(slots=True, frozen=True)
class Problem:
    """One thing wrong (or doubtful) in a plan file."""

    file: str
    line: int
    col: int
    severity: str  # "error" | "warning"
    message: str

    def __str__(self) -> str:
        """One line, whatever the file name or a quoted value holds."""
        return one_line(f"{self.file}:{self.line}:{self.col}: {self.severity}: {self.message}")


def _pickled_by_position(cls: type) -> None:
    """Pickle `cls` as its class and its fields' values in order, and unpickle it by
    calling the class (every field is an argument of `__init__`): no field's name is
    written or read for each object. A cold load pickles every plan for the cache, and a
    run that needs a plan unpickles it: a one-action plan is 0.85 KB, not 1.5, and
    unpickled in 10 µs, not 23."""
    get = attrgetter(*(f.name for f in fields(cls)))

    def reduce(obj: object) -> tuple[type, tuple[Any, ...]]:
        return cls, get(obj)

    copyreg.pickle(cls, reduce)


for _cls in [c for c in list(globals().values()) if is_dataclass(c) and isinstance(c, type)]:
    if _cls.__module__ == __name__:  # every class of the model (each field an argument)
        _pickled_by_position(_cls)
del _cls


# the model, and the vocabulary it has always offered (from vocab.py)
__all__ = [
    "DATE_FORMS",
    "DEFAULT_MARGIN",
    "DEFAULT_STALE_DAYS",
    "DIRECTIONS",
    "EXTENSION_STATES",
    "IMPACTS",
    "KINDS",
    "NEIGHBOURS_BY",
    "OVERRIDE_COLOURS",
    "PLAN_ID_RULE",
    "RAGS",
    "REVIEW_FREQUENCIES",
    "STATUSES",
    "Action",
    "Comparator",
    "Evidence",
    "Extension",
    "Measure",
    "Milestone",
    "Plan",
    "Problem",
    "Reading",
    "Recommendation",
    "Target",
    "Theme",
    "Update",
    "Variance",
    "is_plan_id",
    "ref_key",
]
