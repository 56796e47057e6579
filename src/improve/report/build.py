"""The committee's report as plain data: what every format says, in the order it says it.

Built from the status rules and, where there is one, the history: the headline, the
exceptions, the areas with little or no evidence of progress, the full table grouped by
theme and recommendation, and the key. The renderers (`html`, `markdown`, `tables`,
`xlsx`, `pdf`) only lay this out; none of them works anything out again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from ..plans import model as m
from ..plans.dates import CADENCE_MONTHS, add_months, next_report_due
from ..status import rules
from ..status.measures import shown
from .measure_report import MeasureEntry, entry, plan_measures
from .words import dates_in_words, join, long_date, paper_date

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
# The headings the Telford plan prints over a recommendation's `why` and `good_looks_like`.
WHY_HEADING = "Why this is important"
GOOD_HEADING = "What good looks like"
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
    latest: str  # "78% on 2016-12-31", "no reading yet", or "" (a measure with no target)
    target: str  # "target 90% (higher is better)", or ""
    status: str  # met | not-met | no-data | no-target
    latest_words: str = ""  # as `latest`, the date as the paper writes it: "78% on 31 …"
    compared: str = ""  # the latest comparators, briefly: "England 22.1%, region … (31 …)"
    compared_iso: str = ""  # as `compared`, the date as YYYY-MM-DD

    @property
    def shown(self) -> str:
        """The measure as the paper reads it: "90% of …: 78% on 31 December 2016; target
        90% (higher is better)", or only its text when it has no target and no reading."""
        return self._line(self.latest_words or self.latest, self.compared)

    @property
    def shown_iso(self) -> str:
        """As `shown`, with the reading's date as YYYY-MM-DD (the CSV and the workbook)."""
        return self._line(self.latest, self.compared_iso)

    def _line(self, latest: str, compared: str) -> str:
        rest = "; ".join(x for x in (latest, self.target, compared) if x)
        return join(self.text, rest)


@dataclass
class ProgressNote:
    """The latest progress note on an action (an update with a note), as at the report's
    date: the committee's "progress update" column."""

    on: date
    by: str | None
    text: str
    in_period: bool  # dated within the report's period (else the last one before it)
    month_dates: bool = False  # the plan gives its dates as months

    @property
    def on_words(self) -> str:
        """ "30 November 2016" (or "November 2016" in a plan of month dates)."""
        return paper_date(self.on, self.month_dates)

    @property
    def heading(self) -> str:
        """ "Progress as at 30 November 2016, by the Head of Service" (said before the text);
        "(before this period)" when no note falls within the report's period."""
        who = f", by {self.by}" if self.by else ""
        before = "" if self.in_period else " (before this period)"
        return f"Progress as at {self.on_words}{who}{before}"


@dataclass
class Stage:
    """A staged date of an action (a milestone), in the plan's order."""

    label: str
    due: date | None
    done: bool


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
    progress: ProgressNote | None = None  # the latest progress note (the narrative)
    stages: list[Stage] = field(default_factory=list)  # staged dates, as the plan has them
    agreed: list[tuple[date, str]] = field(default_factory=list)  # (new due, reason) agreed
    month_dates: bool = False  # the plan gives its dates as months

    @property
    def due_words(self) -> str:
        """The Date due cell as the paper writes it: "31 January 2017" ("January 2017" in a
        plan of month dates), or the stages, "Stage 1: February 2017 (✓ done); Stage 2:
        December 2017". An extended date is said by `due_changes`."""
        if self.stages:
            return "; ".join(self.stage_words())
        return paper_date(self.due, self.month_dates)

    def stage_words(self) -> list[str]:
        """Each stage as the paper writes it: "Stage 1: core elements: February 2017", a
        stage done followed by "(✓ done)"."""
        return [
            join(s.label, paper_date(s.due, self.month_dates)) + (" (✓ done)" if s.done else "")
            for s in self.stages
        ]

    @property
    def why_words(self) -> str:
        """`why` (the status rules' reason) with its dates as the paper writes them."""
        return dates_in_words(self.why, self.month_dates)

    @property
    def extended(self) -> bool:
        return self.due != self.original_due

    def due_changes(self, iso: bool = False) -> str:
        """How the due date moved, or "": "originally due 31 December 2016; 1 extension:
        Trainer unavailable". With `iso`, dates as YYYY-MM-DD (the workbook, the CSV)."""
        if not self.extended:
            return ""

        def day(d: date | None) -> str:
            if iso:
                return d.isoformat() if d else "–"
            return paper_date(d, self.month_dates)

        n = self.extensions
        said = f"originally due {day(self.original_due)}; "
        if not n:
            return said + "no extension agreed"
        said += f"{n} extension{'s' if n != 1 else ''}"
        reasons = "; ".join(reason for _d, reason in self.agreed if reason)
        return join(said, reasons)


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
    why_it_matters: str = ""  # the plan's `why`, as printed under the recommendation
    good_looks_like: list[str] = field(default_factory=list)  # the plan's own list


@dataclass
class Item:
    """One line of the exceptions or of the little-evidence section."""

    ref: str
    action: str  # the action's whole text (or the recommendation's title, else its text)
    detail: str
    rag: str | None = None
    progress: ProgressNote | None = None  # the action's latest progress note, quoted


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
    action_label: str = "Action"  # the plan's word for an action ("How it will be achieved")
    month_dates: bool = False  # the plan gives its dates as months (`dates = "month"`)
    measures: list[MeasureEntry] = field(default_factory=list)  # every measure of the plan

    def day(self, d: date | None) -> str:
        """A date of this plan as the paper writes it (`words.paper_date`)."""
        return paper_date(d, self.month_dates)


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


def measure_line(ms: rules.MeasureStatus, month_dates: bool = False) -> MeasureLine:
    """A measure and its latest reading (in its unit, through `improve.status.measures.shown`),
    and its latest comparators briefly. One with no target and no reading (a qualitative
    measure: "Review completed") reads as its text alone, not "no reading yet"."""
    measure = ms.measure
    latest = words = ""
    if ms.latest:
        value = shown(ms.latest.value, measure.unit)
        latest = f"{value} on {ms.latest.date.isoformat()}"
        words = f"{value} on {long_date(ms.latest.date)}"
    elif measure.target is not None:
        latest = words = "no reading yet"
    target = ""
    if measure.target is not None:
        better = "higher" if measure.direction == "up" else "lower"
        target = f"target {shown(measure.target, measure.unit)} ({better} is better)"
    compared = compared_iso = ""
    if measure.comparators:
        e = entry(measure, "action", "", "", month_dates)
        compared, compared_iso = e.brief(), e.brief(iso=True)
    return MeasureLine(measure.text, latest, target, ms.status, words, compared, compared_iso)


def progress_note(
    action: m.Action, start: date, today: date, month_dates: bool = False
) -> ProgressNote | None:
    """The latest update with a note, dated on or before `today` (the last in the file of
    those on the same day)."""
    best: m.Update | None = None
    for u in action.updates:
        if u.note and u.note.strip() and u.date <= today and (best is None or u.date >= best.date):
            best = u
    if best is None or best.note is None:
        return None
    return ProgressNote(best.date, best.by, best.note.strip(), best.date >= start, month_dates)


def _row(
    st: rules.ActionStatus,
    rec: m.Recommendation,
    start: date,
    today: date,
    month_dates: bool,
) -> Row:
    a = st.action
    return Row(
        ref=a.ref,
        outcome=a.outcome or "",
        action=a.action,
        measures=[measure_line(ms, month_dates) for ms in st.measures],
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
        progress=progress_note(a, start, today, month_dates),
        stages=[Stage(ms.label, ms.due, ms.done) for ms in a.milestones],
        agreed=[(x.due, x.reason) for x in rules.agreed_extensions(a)],
        month_dates=month_dates,
    )


def _active_in(action: m.Action, start: date, end: date) -> bool:
    """An update, evidence or a measure reading dated in the period."""
    dates = [u.date for u in action.updates] + [e.date for e in action.evidence]
    dates += [r.date for ms in action.measures for r in ms.readings]
    return any(start <= d <= end for d in dates)


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
    from .exceptions import exceptions  # it lays out this module's Items

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
    month_dates = plan.month_dates
    rows = {
        id(st.action): _row(st, rs.recommendation, period_start, today, month_dates)
        for rs in ps.recommendations
        for st in rs.actions
    }
    notes = {key: row.progress for key, row in rows.items()}
    for rs in ps.recommendations:
        rec = rs.recommendation
        active = False
        for st in rs.actions:
            if _active_in(st.action, period_start, today):
                active = True
            elif st.open:
                last = long_date(st.last_activity) if st.last_activity else "none recorded"
                little.append(
                    Item(
                        st.action.ref,
                        st.action.action,
                        f"last: {last}",
                        st.rag,
                        notes[id(st.action)],
                    )
                )
        readings = [r.date for ms in rec.measures for r in ms.readings]
        if not active and not any(period_start <= d <= today for d in readings):
            if any(st.open for st in rs.actions):
                quiet.append(
                    Item(
                        rec.ref,
                        rec.title or rec.text or "",
                        _open_none_moved(sum(st.open for st in rs.actions)),
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
                rows=[rows[id(st.action)] for st in rs.actions],
                why_it_matters=(rec.why or "").strip(),
                good_looks_like=[x.strip() for x in rec.good_looks_like if x.strip()],
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
        exceptions=exceptions(ps, notes, month_dates),
        little_evidence=little,
        quiet_recommendations=quiet,
        groups=groups,
        last_reported=last_reported,
        next_report_due=next_due,
        action_label=plan.label("action"),
        month_dates=month_dates,
        measures=plan_measures(plan),
    )


def _open_none_moved(n: int) -> str:
    """What the paper says of a recommendation whose open actions have not moved: "3 open
    actions, none with progress recorded", or "1 open action, with no progress recorded"."""
    if n == 1:
        return "1 open action, with no progress recorded"
    return f"{n} open actions, none with progress recorded"
