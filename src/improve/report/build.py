"""The committee's report as plain data: what every format says, in the order it says it.

Built from the status rules and, where there is one, the history: the headline, the
exceptions, the areas with little or no evidence of progress, the full table grouped by
theme and recommendation, and the key. The renderers (`html`, `markdown`, `tables`,
`xlsx`, `pdf`) only lay this out; none of them works anything out again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from .. import model as m
from .. import rules
from ..dates import CADENCE_MONTHS, add_months, next_report_due

# The key, in the words of the Telford plan's status key (seed 004).
KEY = (
    ("blue", "Complete"),
    ("green", "In progress and on schedule"),
    ("amber", "In progress but behind schedule"),
    ("red", "Overdue"),
    ("grey", "Not started"),
)
WORD = {"red": "Red", "amber": "Amber", "green": "Green", "grey": "Grey", "blue": "Blue"}
# A shape for each colour, so a black-and-white copy still tells them apart.
SYMBOL = {"red": "✕", "amber": "▲", "green": "●", "grey": "○", "blue": "✓", None: "–"}
IMPACT_WORDS = {
    "yes": "Yes",
    "partly": "Partly",
    "no": "No",
    "too-early": "Too early to say",
    "n/a": "Not applicable",
}


def rag_label(rag: str | None) -> str:
    """The word a reader sees: "Red", …, or "Dropped"."""
    return WORD.get(rag or "", "Dropped")


@dataclass
class MeasureLine:
    text: str
    latest: str  # "78% on 2016-12-31", or "no reading yet"
    target: str  # "target 90% (higher is better)", or ""
    status: str  # met | not-met | no-data | no-target


@dataclass
class Row:
    """One action in the full table."""

    ref: str
    outcome: str
    action: str
    measures: list[MeasureLine]
    leads: list[str]
    original_due: date | None
    due: date | None  # the due date in force
    extensions: int
    percent: int
    rag: str | None
    why: str
    impact: str  # in words, or ""
    impact_note: str
    evidence: list[tuple[date, str, str | None]]  # (date, text, link as written)


@dataclass
class Group:
    """A recommendation and its actions, under its theme."""

    theme: str | None  # the theme's title
    ref: str
    label: str  # "Recommendation", or the plan's own word for the level
    title: str
    text: str
    percent: float | None
    rag: str | None
    rows: list[Row]


@dataclass
class Item:
    """One line of the exceptions or of the little-evidence section."""

    ref: str
    action: str  # the action's opening words (or the recommendation's title)
    detail: str
    rag: str | None = None


@dataclass
class Section:
    key: str  # red | amber | overdue | slipped | pending | stale | override
    title: str
    items: list[Item]


@dataclass
class Headline:
    percent: float | None
    complete: int
    total: int
    counts: dict[str, int]
    overdue: int
    stale: int
    dropped: int

    @property
    def method(self) -> str:
        pct = "–" if self.percent is None else f"{self.percent:.0f}%"
        return f"{self.complete} of {self.total} actions complete; {pct} by weight"


@dataclass
class Since:
    """What changed since a review, from the history."""

    review_date: date
    review_note: str | None
    percent_then: float | None
    lines: list[str]  # "2 actions moved up (better)", …


@dataclass
class TrendPoint:
    on: date
    percent: float | None


@dataclass
class PlanReport:
    plan: m.Plan
    status: rules.PlanStatus
    headline: Headline
    period_start: date
    period_label: str  # "since the review of 5 January 2017"
    since: Since | None
    trend: list[TrendPoint]
    exceptions: list[Section]
    little_evidence: list[Item]
    quiet_recommendations: list[Item]
    groups: list[Group]
    last_reported: tuple[str, date] | None = None  # (body, meeting date)
    next_report_due: date | None = None


@dataclass
class Report:
    today: date
    produced_by: str | None
    plans: list[PlanReport]
    not_reported: list[str] = field(default_factory=list)  # "FILE:LINE:COL: error: …"

    @property
    def title(self) -> str:
        if len(self.plans) == 1:
            return f"{self.plans[0].plan.title}: progress report"
        return "Improvement plans: progress report"


def pct(value: float | None) -> str:
    """A percent as the report shows it: whole, or "–" where there is nothing to average."""
    return "–" if value is None else f"{value:.0f}%"


def in_theme_order(groups: list[Group]) -> list[Group]:
    """Recommendations under their themes, each theme once, in the order first seen."""
    order: dict[str | None, list[Group]] = {}
    for g in groups:
        order.setdefault(g.theme, []).append(g)
    return [g for gs in order.values() for g in gs]


def opening_words(text: str, words: int = 12) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _number(value: float | None, unit: str | None) -> str:
    if value is None:
        return "–"
    text = f"{value:g}"
    return f"{text}%" if unit == "%" else f"{text} {unit}" if unit else text


def measure_line(ms: rules.MeasureStatus) -> MeasureLine:
    measure = ms.measure
    latest = (
        f"{_number(ms.latest.value, measure.unit)} on {ms.latest.date.isoformat()}"
        if ms.latest
        else "no reading yet"
    )
    target = ""
    if measure.target is not None:
        better = "higher" if measure.direction == "up" else "lower"
        target = f"target {_number(measure.target, measure.unit)} ({better} is better)"
    return MeasureLine(measure.text, latest, target, ms.status)


def _row(st: rules.ActionStatus, rec: m.Recommendation) -> Row:
    a = st.action
    return Row(
        ref=a.ref,
        outcome=a.outcome or "",
        action=a.action,
        measures=[measure_line(ms) for ms in st.measures],
        leads=list(a.leads or rec.leads),
        original_due=st.original_due,
        due=st.due,
        extensions=len(rules.agreed_extensions(a)),
        percent=st.percent,
        rag=st.rag,
        why=st.why,
        impact=IMPACT_WORDS.get(a.impact or "", ""),
        impact_note=a.impact_note or "",
        evidence=[(e.date, e.text, e.link) for e in a.evidence],
    )


def _active_in(action: m.Action, start: date, end: date) -> bool:
    """An update, evidence or a measure reading dated in the period."""
    dates = [u.date for u in action.updates] + [e.date for e in action.evidence]
    dates += [r.date for ms in action.measures for r in ms.readings]
    return any(start <= d <= end for d in dates)


def _exceptions(ps: rules.PlanStatus) -> list[Section]:
    red: list[Item] = []
    amber: list[Item] = []
    overdue: list[Item] = []
    slipped: list[Item] = []
    pending: list[Item] = []
    stale: list[Item] = []
    override: list[Item] = []
    for rs in ps.recommendations:
        for st in rs.actions:
            a = st.action
            words = opening_words(a.action)
            if st.rag == "red":
                red.append(Item(a.ref, words, st.why, st.rag))
            elif st.rag == "amber":
                amber.append(Item(a.ref, words, st.why, st.rag))
            if st.overdue and st.rag != "red":
                overdue.append(Item(a.ref, words, f"next due {st.next_due}", st.rag))
            agreed = rules.agreed_extensions(a)
            pending_ext = rules.pending_extension(a)
            if pending_ext is not None and st.open:
                who = f" by {pending_ext.requested_by}" if pending_ext.requested_by else ""
                when = f" on {pending_ext.requested_on}" if pending_ext.requested_on else ""
                pending.append(
                    Item(
                        a.ref,
                        words,
                        f"asked{who}{when} to move {st.due or '–'} to {pending_ext.due}: "
                        f"{pending_ext.reason}",
                        st.rag,
                    )
                )
            if agreed and st.open:
                times = len(agreed)
                reasons = "; ".join(e.reason for e in agreed)
                slipped.append(
                    Item(
                        a.ref,
                        words,
                        f"originally due {st.original_due or '–'}, now {st.due or '–'} "
                        f"({times} extension{'s' if times != 1 else ''}: {reasons})",
                        st.rag,
                    )
                )
            if st.stale:
                last = st.last_activity.isoformat() if st.last_activity else "none recorded"
                stale.append(Item(a.ref, words, f"last activity: {last}", st.rag))
            if st.override or st.override_expired:
                until = f" until {a.rag_until}" if a.rag_until else ""
                state = "lapsed" if st.override_expired else "in force"
                override.append(
                    Item(
                        a.ref,
                        words,
                        f"set to {rag_label(a.rag)} by hand{until} ({state}): {a.rag_reason}",
                        st.rag,
                    )
                )
    sections = [
        Section("red", "Red: overdue", red),
        Section("amber", "Amber: behind schedule", amber),
        Section("overdue", "Overdue milestones and dates (not already red)", overdue),
        Section("slipped", "Dates that have slipped", slipped),
        Section("pending", "Extension requests awaiting a decision", pending),
        Section("stale", "Stale: no activity recorded for too long", stale),
        Section("override", "Colours set by hand", override),
    ]
    return [s for s in sections if s.items]


def build_plan_report(
    ps: rules.PlanStatus,
    today: date,
    *,
    period_start: date | None = None,
    period_label: str | None = None,
    since: Since | None = None,
    trend: list[TrendPoint] | None = None,
    last_reported: tuple[str, date] | None = None,
) -> PlanReport:
    plan = ps.plan
    r = ps.rollup
    if period_start is None:
        months = CADENCE_MONTHS.get(plan.review or "", 3)
        period_start = add_months(today, -months) + timedelta(days=1)
        period_label = f"in the last {months} month{'s' if months != 1 else ''}"
    label = period_label or f"since {long_date(period_start)}"
    little, quiet = [], []
    themes = {t.id: t.title for t in plan.themes}
    groups = []
    for rs in ps.recommendations:
        rec = rs.recommendation
        active = False
        for st in rs.actions:
            if _active_in(st.action, period_start, today):
                active = True
            elif st.open:
                last = st.last_activity.isoformat() if st.last_activity else "none recorded"
                little.append(
                    Item(st.action.ref, opening_words(st.action.action), f"last: {last}", st.rag)
                )
        readings = [r.date for ms in rec.measures for r in ms.readings]
        if not active and not any(period_start <= d <= today for d in readings):
            if any(st.open for st in rs.actions):
                quiet.append(
                    Item(
                        rec.ref,
                        opening_words(rec.title or rec.text or ""),
                        f"{sum(st.open for st in rs.actions)} open actions, none with progress "
                        "recorded",
                        rs.rollup.rag,
                    )
                )
        groups.append(
            Group(
                theme=themes.get(rec.theme or "") if rec.theme else None,
                ref=rec.ref,
                label=plan.label("recommendation"),
                title=rec.title or "",
                text=rec.text or "",
                percent=rs.rollup.percent,
                rag=rs.rollup.rag,
                rows=[_row(st, rec) for st in rs.actions],
            )
        )
    next_due = next_report_due(plan.review, last_reported[1]) if last_reported else None
    return PlanReport(
        plan=plan,
        status=ps,
        headline=Headline(
            r.percent, r.complete, r.total, dict(r.counts), r.overdue, r.stale, r.dropped
        ),
        period_start=period_start,
        period_label=label,
        since=since,
        trend=list(trend or []),
        exceptions=_exceptions(ps),
        little_evidence=little,
        quiet_recommendations=quiet,
        groups=groups,
        last_reported=last_reported,
        next_report_due=next_due,
    )
