"""`improve kpi import`: a council's readings, and England, its region and its
statistical neighbours as comparators, from DfE's files into one measure of a plan,
through the one update path (`Workspace.update_measure`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..edits.measure_edit import MeasureChange, PlannedMeasure, find_measure, plan_measure_change
from ..errors import EditError
from .ees import Figures, Place, read_ees
from .neighbours import HOW, Neighbours, read_neighbours, summarise

if TYPE_CHECKING:
    from ..edits.measure_edit import MeasureUpdated
    from ..workspace import Workspace


@dataclass
class KpiImport:
    """What an import read and did."""

    plan_id: str
    figures: Figures
    neighbours: Neighbours | None
    how: str
    change: MeasureChange
    left_out: list[str] = field(default_factory=list)  # suppressed cells, in words
    notes: list[str] = field(default_factory=list)  # what else to know (neighbours missing)
    planned: PlannedMeasure | None = None
    done: MeasureUpdated | None = None  # None: a dry run, or nothing changed


def _words(figures: Figures, day: date) -> str:
    period = figures.periods.get(day)
    return period.words if period is not None else day.isoformat()


def build_change(
    measure: str,
    figures: Figures,
    neighbours: Neighbours | None,
    how: str = "median",
    source: str | None = None,
) -> tuple[MeasureChange, list[str], list[str]]:
    """The measure's readings (the council's) and comparators (England, the region, the
    neighbours' median or mean of the values present), with what was left out."""
    if how not in HOW:
        raise EditError(f"the neighbours are summed up by median or mean, not {how}")
    left_out: list[str] = []
    notes = _notes(figures, neighbours)
    source = source or f"{figures.path.name}: {figures.column}"
    readings: list[dict[str, object]] = []
    for day in sorted(figures.council.cells):
        value = _value(figures.council, figures, day, left_out)
        if value is not None:
            readings.append({"date": day, "value": value, "note": _words(figures, day)})
    comparators: list[dict[str, object]] = []
    for day in sorted(figures.periods):
        comp: dict[str, object] = {"date": day}
        for key, place in (("england", figures.england), ("region", figures.region)):
            value = _value(place, figures, day, left_out)
            if value is not None:
                comp[key] = value
        if neighbours is not None:
            comp.update(_neighbours(figures, neighbours, day, how, left_out, notes))
        if len(comp) > 1:
            comp["source"] = source
            comparators.append(comp)
    return MeasureChange(measure, readings, comparators), left_out, notes


def _value(
    place: Place | None, figures: Figures, day: date, left_out: list[str]
) -> int | float | None:
    """The place's figure for the day; None when it has none (a suppressed one is said
    in `left_out`)."""
    if place is None or day not in place.cells:
        return None
    cell = place.cells[day]
    if cell.value is None:
        symbol = f'"{cell.symbol}"' if cell.symbol else "empty"
        left_out.append(f"{place.name}, {_words(figures, day)}: {symbol} (line {cell.line})")
    return cell.value


def _neighbours(
    figures: Figures,
    neighbours: Neighbours,
    day: date,
    how: str,
    left_out: list[str],
    notes: list[str],
) -> dict[str, object]:
    values = [
        v
        for nb in figures.neighbours.values()
        if (v := _value(nb, figures, day, left_out)) is not None
    ]
    if not values:
        return {}
    if len(values) < len(neighbours.names):
        notes.append(
            f"{_words(figures, day)}: the neighbours' {how} is of {len(values)} of "
            f"{len(neighbours.names)}"
        )
    return {"neighbours": summarise(values, how), "neighbours_by": how}


def _notes(figures: Figures, neighbours: Neighbours | None) -> list[str]:
    notes: list[str] = []
    if figures.region is None:
        notes.append(
            f'no Regional rows for "{figures.region_name}" in {figures.path.name}: no region '
            "comparator"
        )
    missing = [n for n in neighbours.names if n not in figures.neighbours] if neighbours else []
    if missing:
        notes.append(f"neighbours with no rows in {figures.path.name}: {', '.join(missing)}")
    return notes


def planned_on_file(path: Path, change: MeasureChange | str, root: Path) -> PlannedMeasure | None:
    """The change worked out on the file as it is (nothing written); with a measure's id
    alone, only that the measure is there is checked (EditError if not)."""
    from ..edits.editing import read_plan

    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise EditError(f"{path.name} cannot be read ({exc}); `improve check` says more") from None
    data, _ = read_plan(text, path, root)
    if isinstance(change, str):
        find_measure(data, change)
        return None
    return plan_measure_change(data, change)


def kpi_import(
    ws: Workspace,
    plan_id: str,
    measure: str,
    ees: Path,
    column: str,
    la: str,
    today: date,
    by: str | None,
    *,
    neighbours: Path | None = None,
    how: str = "median",
    where: Iterable[tuple[str, str]] = (),
    source: str | None = None,
    dry_run: bool = False,
) -> KpiImport:
    """Read the files, then write the measure's readings and comparators (unless
    `dry_run`). The measure is looked for before the files are read."""
    path = ws.plan_path(plan_id)  # PLANS/ID.toml first: no other plan is read
    planned_on_file(path, measure, ws.plans)  # the measure is there, before a big file is read
    nb = read_neighbours(neighbours, la) if neighbours is not None else None
    figures = read_ees(ees, column, la, nb.names if nb else (), list(where))
    change, left_out, notes = build_change(measure, figures, nb, how, source)
    result = KpiImport(plan_id, figures, nb, how, change, left_out, notes)
    if not change.readings and not change.comparators:
        return result
    if dry_run:
        result.planned = planned_on_file(path, change, ws.plans)
        return result
    try:
        result.done = ws.update_measure(plan_id, change, today, by)
        result.planned = result.done.planned
    except EditError as exc:
        if exc.code != "no-change":
            raise
        result.planned = exc.values.get("planned")
    return result
