"""The report's measures as plain data: every measure of a plan (the plan's own, such as a
partnership's key performance indicators; a recommendation's or workstream's; an
action's), where it sits, and its figures over time beside England, the region and the
statistical neighbours, each worked out once by `improve.status.measures` and worded here for
every format. A missing or suppressed figure is None, shown as "not published" in words
and "–" in a table: never 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..plans import model as m
from ..status.measures import MeasureView, measure_view, shown
from .words import paper_date

# Said wherever a table of figures shows "–".
DASH_KEY = "– not published: the figure is missing or suppressed (never a zero)"
NOT_PUBLISHED = "not published"
COMPARATORS = (("england", "England"), ("region", "Region"), ("neighbours", "Neighbours"))
TREND_WORDS = {"improving": "Improving", "worsening": "Worsening", "no change": "No change"}
STATUS_WORDS = {
    "met": "Target met",
    "not-met": "Target not met",
    "no-data": "No reading yet",
    "no-target": "No target",
}


@dataclass
class Point:
    """A measure's figures on one date: the council's reading and what others read."""

    on: date
    value: float | None
    england: float | None = None
    region: float | None = None
    neighbours: float | None = None
    neighbours_by: str | None = None
    source: str | None = None

    def figure(self, key: str) -> float | None:
        value: float | None = getattr(self, key)
        return value


@dataclass
class MeasureEntry:
    """One measure, where it sits, and every figure of it by date (oldest first)."""

    level: str  # plan | recommendation | action
    ref: str  # the recommendation's or action's ref; "" for the plan's own
    where: str  # "Plan (Early Help Partnership)", "Recommendation 3.1", "Action 1.1.1"
    view: MeasureView
    points: list[Point] = field(default_factory=list)
    month_dates: bool = False
    group: str = ""  # the recommendation's ref (of a recommendation's or an action's measure)

    @property
    def text(self) -> str:
        return self.view.text

    @property
    def has_figures(self) -> bool:
        """A reading or a comparator on some date: something to chart and to tabulate."""
        return bool(self.points)

    @property
    def charted(self) -> bool:
        """Figures on two dates or more, or comparators: a chart has something to show."""
        return len(self.points) > 1 or bool(self.view.history)

    @property
    def in_full(self) -> bool:
        """Shown in full in the Measures section: a charted measure, or the plan's or a
        recommendation's with any figure (such a measure is nowhere else in the report).
        An action's other measures are in the full plan, under their action."""
        return self.charted or (self.level != "action" and self.has_figures)

    def day(self, d: date | None) -> str:
        return paper_date(d, self.month_dates)

    def show(self, value: float | None) -> str:
        """A value in the measure's unit; "not published" for a missing one."""
        return self.view.show(value) if value is not None else NOT_PUBLISHED

    def cell(self, value: float | None) -> str:
        """A value in a table of figures: "–" for a missing one (see `DASH_KEY`)."""
        return self.view.show(value) if value is not None else "–"

    @property
    def neighbours_heading(self) -> str:
        """ "Statistical neighbours (median)", as the latest entry that says states it."""
        by = next((p.neighbours_by for p in reversed(self.points) if p.neighbours_by), None)
        return f"Statistical neighbours ({by})" if by else "Statistical neighbours"

    # -- the figures in words ------------------------------------------------------------

    def latest_words(self, iso: bool = False) -> str:
        """ "325.1 per 10,000 on 31 March 2021", or "no reading yet"."""
        latest = self.view.latest
        if latest is None:
            return "no reading yet"
        on = latest.date.isoformat() if iso else self.day(latest.date)
        return f"{self.view.show(latest.value)} on {on}"

    def target_words(self) -> str:
        """ "300 per 10,000 (lower is better)", or "none set"."""
        v = self.view
        better = "lower" if v.direction == "down" else "higher"
        if v.target is None:
            return f"none set ({better} is better)"
        return f"{v.show(v.target)} ({better} is better)"

    def rating_words(self) -> str:
        """The rating from the variance ("Red: 8.4% short of target; red beyond 5%") or,
        without one, whether the target is met."""
        v = self.view
        if v.rag is None:
            return STATUS_WORDS.get(v.status, "")
        variance = v.measure.variance
        assert variance is not None
        green = (
            "green when the target is met"
            if variance.amber == 0
            else f"green within {shown(variance.amber)}% of target"
        )
        limits = f"{green}, amber within {shown(variance.red)}%"
        return f"{v.rag.capitalize()} ({limits})"

    def trend_words(self, iso: bool = False) -> str:
        """ "Improving: from 340 per 10,000 on 31 March 2020", or "no earlier reading"."""
        v = self.view
        if v.trend is None or v.previous is None:
            return "no earlier reading"
        on = v.previous.date.isoformat() if iso else self.day(v.previous.date)
        return f"{TREND_WORDS[v.trend]}: from {v.show(v.previous.value)} on {on}"

    def comparator_words(self, key: str, iso: bool = False) -> str:
        """England's (the region's, the neighbours') latest figure in words: "321.2 per
        10,000 on 31 March 2021 (median of statistical neighbours; source: DfE …)", "not
        published on 31 March 2021" when that entry leaves it out, or "not published"."""
        c = self.view.comparators
        if c is None:
            return NOT_PUBLISHED
        on = c.date.isoformat() if iso else self.day(c.date)
        value = getattr(c, key)
        if value is None:
            return f"{NOT_PUBLISHED} for {on}"
        notes = []
        if key == "neighbours" and c.neighbours_by:
            notes.append(f"{c.neighbours_by} of statistical neighbours")
        if c.source:
            notes.append(f"source: {c.source}")
        more = f" ({'; '.join(notes)})" if notes else ""
        return f"{self.view.show(value)} on {on}{more}"

    def brief(self, iso: bool = False) -> str:
        """The comparators in a few words, for the full table's Success measure(s) cell:
        "England 321.2 per 10,000, region not published, neighbours 355.5 per 10,000 (31
        March 2021)"; "" without comparators."""
        c = self.view.comparators
        if c is None:
            return ""
        parts = [
            f"{name if name == 'England' else name.lower()} {self.show(getattr(c, key))}"
            for key, name in COMPARATORS
        ]
        on = c.date.isoformat() if iso else self.day(c.date)
        return f"{', '.join(parts)} ({on})"

    def chart_words(self) -> str:
        """What the chart shows, in words, for a reader who cannot see it."""
        v = self.view
        said = []
        for key, name in (("value", "This council"), *COMPARATORS):
            values = [(p.on, p.figure(key)) for p in self.points]
            known = [(d, x) for d, x in values if x is not None]
            if not known:
                continue
            line = ", ".join(
                f"{self.cell(x).replace('–', NOT_PUBLISHED)} on {self.day(d)}" for d, x in values
            )
            said.append(f"{name}: {line}.")
        if v.target is not None:
            said.append(f"Target: {v.show(v.target)}.")
        return " ".join(said) + " The same figures are in the table that follows."


# The columns of a measure's rows in the CSV and the workbook (one row per measure per
# date it has a figure; one row with no date for a measure with none).
ROW_COLUMNS = (
    "Measure level",
    "Measure id",
    "Measure",
    "Unit",
    "Direction",
    "Target",
    "Date",
    "Reading",
    "England",
    "Region",
    "Neighbours",
    "Neighbours by",
    "Comparator source",
    "Rating",
    "Trend",
)


def split(
    entries: list[MeasureEntry],
) -> tuple[list[MeasureEntry], list[MeasureEntry], list[MeasureEntry]]:
    """(shown in full; the plan's and recommendations' others; the actions' others)."""
    full = [m for m in entries if m.in_full]
    own = [m for m in entries if not m.in_full and m.level != "action"]
    acts = [m for m in entries if not m.in_full and m.level == "action"]
    return full, own, acts


def intro(entries: list[MeasureEntry]) -> str:
    """The Measures section's first words: how many measures, and what "–" means."""
    full, own, acts = split(entries)
    n, rest = len(entries), len(own) + len(acts)
    head = (
        f"The plan's {n} measure{'s' if n != 1 else ''}, each labelled by where it sits (the "
        "plan's own, a recommendation's or an action's)"
    )
    if not full:
        return f"{head}: none has figures to chart yet; each is listed below."
    said = (
        f"{head}: {len(full)} with {'its' if len(full) == 1 else 'their'} figures in words, a "
        "chart of the figures over time against England, the region and the statistical "
        "neighbours where there is one, and a table of the numbers"
        + (f"; {rest} listed after them." if rest else ".")
    )
    return f"{said} {DASH_KEY}." if full else said


def own_words(m: MeasureEntry) -> str:
    """A plan's or a recommendation's measure with no figures, in a line."""
    target = f" Target {m.target_words()}." if m.view.target is not None else ""
    return f"{m.text}{'' if m.text.rstrip().endswith('.') else '.'} No reading yet.{target}"


def actions_note(acts: list[MeasureEntry]) -> str:
    """The actions' measures not shown in full, by ref (each is in the full plan)."""
    refs = ", ".join(dict.fromkeys(m.ref for m in acts))
    n = len(acts)
    return (
        f"{n} measure{'s' if n != 1 else ''} of actions ({refs}) "
        f"{'have' if n != 1 else 'has'} no comparators and a reading on one date or none: "
        "each is shown under its action in the full plan, in Success measure(s), with its "
        "latest reading against its target."
    )


def figure_rows(m: MeasureEntry) -> list[tuple[object, ...]]:
    """The measure's rows, in `ROW_COLUMNS` order: numbers as numbers, a missing or
    suppressed figure None (an empty cell, never 0), the date a date. Rating and Trend
    are on the row of the latest reading (the measure as at the report)."""
    v = m.view
    rating = v.rag.capitalize() if v.rag else STATUS_WORDS.get(v.status, "")
    head = (m.level, v.id, v.text, v.unit or "", v.direction, v.target)
    latest = v.latest.date if v.latest else None
    out: list[tuple[object, ...]] = []
    points: list[Point | None] = [*m.points] or [None]
    for p in points:
        on = p.on if p else None
        now = on is not None and on == latest
        out.append(
            (
                *head,
                on,
                p.value if p else None,
                p.england if p else None,
                p.region if p else None,
                p.neighbours if p else None,
                (p.neighbours_by or "") if p else "",
                (p.source or "") if p else "",
                rating if now or (latest is None and p is None) else "",
                (v.trend or "") if now else "",
            )
        )
    return out


def _point(reading: m.Reading | None, comparator: m.Comparator | None, on: date) -> Point:
    c = comparator
    return Point(
        on,
        reading.value if reading else None,
        c.england if c else None,
        c.region if c else None,
        c.neighbours if c else None,
        c.neighbours_by if c else None,
        c.source if c else None,
    )


def entry(
    measure: m.Measure, level: str, ref: str, where: str, month_dates: bool, group: str = ""
) -> MeasureEntry:
    """A measure with its figures on every date it has a reading or a comparator."""
    view = measure_view(measure)
    readings: dict[date, m.Reading] = {}
    for r in measure.readings:
        readings.setdefault(r.date, r)  # the first of a day, as `latest` takes it
    days = sorted(set(readings) | {c.date for c in view.history})
    points = [_point(readings.get(d), view.comparator_for(d), d) for d in days]
    return MeasureEntry(level, ref, where, view, points, month_dates, group)


def plan_measures(plan: m.Plan) -> list[MeasureEntry]:
    """Every measure of the plan, the plan's own first, then each recommendation's and its
    actions', in file order."""
    month = plan.month_dates
    out = []
    for measure in plan.measures:
        group = measure.extra.get("partnership") if isinstance(measure.extra, dict) else None
        where = f"Plan ({group})" if isinstance(group, str) and group.strip() else "Plan"
        out.append(entry(measure, "plan", "", where, month))
    rec_word = plan.label("recommendation")
    for rec in plan.recommendations:
        for measure in rec.measures:
            where = f"{rec_word} {rec.ref}"
            out.append(entry(measure, "recommendation", rec.ref, where, month, rec.ref))
        for action in rec.actions:
            for measure in action.measures:
                where = f"Action {action.ref}"
                out.append(entry(measure, "action", action.ref, where, month, rec.ref))
    return out
