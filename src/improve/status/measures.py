"""A measure's figures, worked out in one place: its latest reading against target (with
the RAG its variance gives), its trend, its comparators and the words for how it stands
against them, and every value as a person reads it (`shown`).

Every front end (the JSON, the app, the report) formats a measure through `measure_view`
and `shown`, so that "1 in 307" or "22.1%" reads the same everywhere. Plain data only:
no terminal code.

The rules, as docs/plan-format.md states them:

- *latest* is the reading with the latest date (the first in the file of that date);
  *previous* is the latest reading dated before it.
- *rag* needs a target, a latest reading and a `variance`. The shortfall is how far the
  latest reading falls short of the target in the measure's direction (below it for
  "up", above it for "down"; a reading better than the target has no shortfall), in
  percent of the target (of its size, for a negative target). A shortfall up to `amber`
  is green, up to `red` amber, beyond `red` red. A target of 0 has no percent: there the
  shortfall is compared as it is, in the measure's own unit. The sums are done on the
  numbers as the file writes them (decimal), so a reading exactly on a boundary is on it.
- *trend* compares the latest reading with the previous one, by direction: "improving",
  "worsening" or "no change"; None with no earlier reading.
- *comparators* is the comparator entry with the latest date; *against* compares the
  latest reading with the comparators of the same date (never another year's), e.g.
  "better than England, worse than neighbours".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from ..plans import model as m
from . import rules

RAG_WORDS = ("green", "amber", "red")
TRENDS = ("improving", "worsening", "no change")


def _dec(value: float) -> Decimal:
    """The number as the file writes it: repr gives the shortest text that reads back as
    the same float, which is the text TOML held for any value of 15 digits or fewer."""
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _number(value: float) -> str:
    """A whole number without ".0"; otherwise one decimal place (rounded half up), unless
    that would show a non-zero value as 0.0, when it keeps two significant figures (below a
    millionth, as 1e-07). Commas between thousands."""
    d = _dec(value)
    if d == d.to_integral_value():
        return f"{int(d):,}"
    one = d.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if one == 0:
        # two significant figures of a small value, e.g. 0.042 -> "0.042", 0.0456 -> "0.046"
        if abs(d) < Decimal("0.000001"):
            return f"{float(d):.2g}"
        exp = d.adjusted() - 1
        small = d.quantize(Decimal(1).scaleb(exp), rounding=ROUND_HALF_UP).normalize()
        return f"{small:f}"
    if one == one.to_integral_value():
        return f"{int(one):,}"
    return f"{one:,f}"


def unit_kind(unit: str | None) -> str:
    """ "%", "1 in N", "per" (a rate: "per 10,000"), "word" (days, pounds …) or "" (none)."""
    if not unit or not unit.strip():
        return ""
    u = unit.strip().lower()
    if u == "%":
        return "%"
    if u in ("1 in n", "1 in"):
        return "1 in N"
    if u.startswith("per "):
        return "per"
    return "word"


def shown(value: float | None, unit: str | None = None) -> str:
    """A value as a person reads it: "22.1%", "1 in 307", "325.1 per 10,000", "12 days",
    or the bare number without a unit. None (no value, or a suppressed one) is ""."""
    if value is None:
        return ""
    text = _number(value)
    kind = unit_kind(unit)
    if kind == "%":
        return f"{text}%"
    if kind == "1 in N":
        return f"1 in {text}"
    if kind and unit is not None:  # a kind is only ever found in a unit
        return f"{text} {unit.strip()}"
    return text


def rag(
    value: float | None, target: float | None, direction: str, variance: m.Variance | None
) -> str | None:
    """ "green", "amber" or "red" for a reading against its target and variance (the module's
    docstring has the rule); None without all three."""
    if value is None or target is None or variance is None:
        return None
    # exact sums on the numbers as written (Fractions of their decimal text): a reading
    # exactly on a boundary is on it, whatever the sizes of the numbers
    v, t = Fraction(_dec(value)), Fraction(_dec(target))
    short = (t - v) if direction != "down" else (v - t)
    amber, red = Fraction(_dec(variance.amber)), Fraction(_dec(variance.red))
    if t != 0:
        # short / |t| * 100 <= limit, without dividing
        short, amber, red = short * 100, amber * abs(t), red * abs(t)
    if short <= amber:
        return "green"
    if short <= red:
        return "amber"
    return "red"


def trend(latest: float | None, previous: float | None, direction: str) -> str | None:
    """ "improving", "worsening" or "no change" from the previous reading to the latest, by
    direction; None without both."""
    if latest is None or previous is None:
        return None
    if latest == previous:
        return "no change"
    better = latest > previous if direction != "down" else latest < previous
    return "improving" if better else "worsening"


def _compare(value: float, other: float, direction: str) -> str:
    if value == other:
        return "the same as"
    better = value > other if direction != "down" else value < other
    return "better than" if better else "worse than"


def against(value: float | None, comparator: m.Comparator | None, direction: str) -> str | None:
    """ "better than England, worse than the region, the same as neighbours": the reading
    beside each comparator the entry has (a missing one is left out); None without any."""
    if value is None or comparator is None:
        return None
    parts = [
        f"{_compare(value, other, direction)} {name}"
        for name, other in (
            ("England", comparator.england),
            ("the region", comparator.region),
            ("neighbours", comparator.neighbours),
        )
        if other is not None
    ]
    return ", ".join(parts) or None


@dataclass(frozen=True, slots=True)
class MeasureView:
    """A measure's figures, worked out once (see the module's docstring for each rule)."""

    measure: m.Measure
    id: str
    text: str
    unit: str | None
    direction: str  # up | down
    target: float | None
    latest: m.Reading | None
    previous: m.Reading | None
    status: str  # no-target | no-data | met | not-met (rules.measure_status)
    rag: str | None  # green | amber | red | None
    trend: str | None  # improving | worsening | no change | None
    comparators: m.Comparator | None  # the entry with the latest date
    history: tuple[m.Comparator, ...]  # every comparator entry, oldest first
    against: str | None  # the latest reading beside the comparators of its date

    def comparator_for(self, when: date | None) -> m.Comparator | None:
        """The comparator entry of this date, if there is one."""
        if when is None:
            return None
        return next((c for c in self.history if c.date == when), None)

    @property
    def matching(self) -> m.Comparator | None:
        """The comparator entry of the latest reading's date, if there is one."""
        return self.comparator_for(self.latest.date if self.latest else None)

    def show(self, value: float | None) -> str:
        """A value in this measure's unit ("" for None)."""
        return shown(value, self.unit)


def measure_view(measure: m.Measure) -> MeasureView:
    latest = measure.latest
    earlier = [r for r in measure.readings if latest is not None and r.date < latest.date]
    previous = max(earlier, key=lambda r: r.date) if earlier else None
    history = tuple(sorted(measure.comparators, key=lambda c: c.date))
    value = latest.value if latest else None
    view_matching = next((c for c in history if c.date == latest.date), None) if latest else None
    return MeasureView(
        measure=measure,
        id=measure.id,
        text=measure.text,
        unit=measure.unit,
        direction=measure.direction,
        target=measure.target,
        latest=latest,
        previous=previous,
        status=rules.measure_status(measure).status,
        rag=rag(value, measure.target, measure.direction, measure.variance),
        trend=trend(value, previous.value if previous else None, measure.direction),
        comparators=history[-1] if history else None,
        history=history,
        against=against(value, view_matching, measure.direction),
    )
