"""Reading an Explore Education Statistics (EES) data file: one indicator column for a
council, England and the council's region, and the council's statistical neighbours.

The file is read by its header names (`time_period`, `time_identifier`,
`geographic_level`, `region_name`, `la_name`, and `new_la_code`/`old_la_code` when the
council is given by its code), one row at a time with the csv module: only the cells of
the places wanted are kept. A suppressed cell (`c`, `x`, `z`, `low`, `u`, `~`, `:`, or
empty) is no value, never a zero. A period is dated as docs/kpi.md says: a financial or
reporting year by its 31 March, an academic year by its 31 August, a calendar year by
its 31 December.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..errors import SourceError
from .csvfile import Rows, fail, is_code, norm_name, shown

WHAT = "an Explore Education Statistics data file"
SUPPRESSION = ("c", "x", "z", "low", "u", "~", ":")
_NO_VALUE = frozenset(SUPPRESSION) | {""}
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
REQUIRED = ("time_period", "time_identifier", "geographic_level", "region_name", "la_name")
CODES = ("new_la_code", "old_la_code")

# time_identifier -> (digits of time_period, month and day the period ends)
PERIODS = {
    "financial year": (6, 3, 31),
    "academic year": (6, 8, 31),
    "calendar year": (4, 12, 31),
    "reporting year": (4, 3, 31),  # DfE's children's social care years: to 31 March
}
_LEVELS = {"national": "national", "regional": "region", "local authority": "la"}


@dataclass(frozen=True)
class Period:
    day: date
    words: str  # "2020/21 (financial year)", kept in a reading's note


@dataclass
class Cell:
    value: int | float | None  # None: suppressed
    symbol: str  # as written ("c", "x", "" …); "" with a value
    line: int


@dataclass
class Place:
    name: str  # as the file writes it
    cells: dict[date, Cell] = field(default_factory=dict)


@dataclass
class Figures:
    """What an EES file says for one council, and for what it is compared with."""

    path: Path
    column: str
    council: Place
    england: Place
    region: Place | None  # the council's region's rows (None: the file has none)
    region_name: str  # the council's region, as its own rows name it
    neighbours: dict[str, Place]  # by the name the neighbours file gives; found ones only
    periods: dict[date, Period]
    rows: int = 0


def parse_value(raw: str, path: Path, line: int, col: int, column: str) -> Cell:
    """A cell of the indicator: a number, or a suppression symbol (no value)."""
    text = raw.strip()
    if text.casefold() in _NO_VALUE:
        return Cell(None, text, line)
    if _NUMBER.fullmatch(text):
        number = float(text)
        if math.isfinite(number):
            return Cell(int(number) if number.is_integer() else number, "", line)
    raise fail(
        path, line, col,
        f'"{shown(text)}" in {column} is neither a number nor a suppression symbol '
        f"({', '.join(SUPPRESSION)}); correct the cell, or leave it empty for no value",
        code="source-value",
    )  # fmt: skip


def parse_period(period: str, identifier: str, path: Path, line: int, col: int) -> Period:
    """The day a time_period ends, by its time_identifier (see the module's docstring)."""
    kind = " ".join(identifier.split()).casefold()
    if kind not in PERIODS:
        raise fail(
            path, line, col + 1,
            f'time_identifier "{shown(identifier)}" is not one the import reads '
            f"({', '.join(k.capitalize() for k in PERIODS)}); choose a file of yearly figures",
            code="source-period",
        )  # fmt: skip
    digits, month, day = PERIODS[kind]
    text = period.strip()
    ok = text.isascii() and text.isdecimal() and len(text) == digits
    if ok and digits == 6:
        first, second = int(text[:4]), int(text[4:])
        ok = (first + 1) % 100 == second
        year, words = first + 1, f"{text[:4]}/{text[4:]}"
    elif ok:
        year = int(text)
        words = text
    if not ok or not 1900 <= year <= 2200:
        example = "202021, for 2020/21" if digits == 6 else "2021"
        raise fail(
            path, line, col,
            f'time_period "{shown(text)}" is not a {kind} as DfE writes it '
            f"({digits} digits: {example})", code="source-period",
        )  # fmt: skip
    return Period(date(year, month, day), f"{words} ({kind})")


def read_ees(
    path: Path,
    column: str,
    la: str,
    neighbours: Sequence[str] = (),
    where: Iterable[tuple[str, str]] = (),
) -> Figures:
    """The council's, England's, its region's and its neighbours' figures in `column`,
    in one pass over the file. `la`: the council's name (case, "&"/"and" and
    punctuation do not count) or its code; `where`: (column, value) pairs a row must
    have, for a file with more than one row per place and period."""
    with Rows(path, WHAT) as rows:
        return _Pass(rows, column, la, neighbours, where).run()


_SKIP = "-"  # a geographic level the import passes over


class _Pass:
    """One pass over an EES file's rows: the hot loop (`run`) looks each row's level and
    council up in small dictionaries and leaves every other row as csv read it."""

    def __init__(
        self,
        rows: Rows,
        column: str,
        la: str,
        neighbours: Sequence[str],
        where: Iterable[tuple[str, str]],
    ) -> None:
        path = self.path = rows.path
        self.rows, self.la = rows, la
        self.i_tp, self.i_ti, self.i_level, self.i_region, self.i_la = rows.need(
            REQUIRED, f"{WHAT} has it"
        )
        (self.i_value,) = rows.need([column], "the indicator to import")
        self.filters = [(rows.need([c], "a filter")[0], v) for c, v in where]
        self.by_code = is_code(la)
        self.codes = [k for k in (rows.column(c) for c in CODES) if k is not None]
        if self.by_code and not self.codes:
            raise fail(
                path, 1, 1,
                f'"{shown(la)}" is a local authority code and the file has no new_la_code '
                "or old_la_code column; give the council's name instead", code="source-column",
            )  # fmt: skip
        self.wanted, self.code = norm_name(la), la.strip().upper()
        self.nb_names = {norm_name(n): n for n in neighbours}
        used = (self.i_tp, self.i_ti, self.i_level, self.i_region, self.i_la, self.i_value)
        self.width = max(*used, *self.codes, *(k for k, _ in self.filters)) + 1
        self.council: Place | None = None
        self.england = Place("England")
        self.regions: dict[str, Place] = {}
        self.region_name = ""
        self.found: dict[str, Place] = {}
        self.periods: dict[tuple[str, str], Period] = {}
        self.levels: dict[str, str] = {}
        self.roles: dict[str, Place | None] = {}  # la_name as written -> its place, or None

    def run(self) -> Figures:
        rows, roles, levels, keep = self.rows, self.roles, self.levels, self.keep
        i_level, i_la, width, filters = self.i_level, self.i_la, self.width, self.filters
        count = 0
        for row in rows:
            count += 1
            if len(row) < width and self.blank(row):
                continue
            level = levels.get(row[i_level]) or self.level(row[i_level])
            if level == _SKIP or (filters and any(row[k] != v for k, v in filters)):
                continue
            if level == "la":
                place = roles[row[i_la]] if row[i_la] in roles else self.role(row)
                if place is not None:
                    keep(place, row)
            else:
                keep(self.region(row) if level == "region" else self.england, row)
        return self.figures(count)

    def blank(self, row: list[str]) -> bool:
        """True for a blank line; a row short of a cell wanted is its error."""
        if not any(c.strip() for c in row):
            return True
        self.rows.cell(row, self.width - 1)  # says which cell is missing
        return False

    def level(self, written: str) -> str:
        level = self.levels[written] = _LEVELS.get(" ".join(written.split()).casefold(), _SKIP)
        return level

    def role(self, row: list[str]) -> Place | None:
        """The place a council's rows are kept in (the council's or a neighbour's), or
        None: worked out once for each name the file writes."""
        name = row[self.i_la]
        folded = norm_name(name)
        if self.by_code:
            hit = any(row[k].strip().upper() == self.code for k in self.codes)
        else:
            hit = folded == self.wanted
        place = None
        if hit:
            if self.council is None:
                self.council, self.region_name = Place(name), row[self.i_region]
            place = self.council
        elif folded in self.nb_names:
            place = self.found.setdefault(self.nb_names[folded], Place(name))
        self.roles[name] = place
        return place

    def region(self, row: list[str]) -> Place:
        name = row[self.i_region]
        region = self.regions.get(name)
        if region is None:
            region = self.regions[name] = Place(name)
        return region

    def keep(self, place: Place, row: list[str]) -> None:
        path, line = self.path, self.rows.line
        key = (row[self.i_tp], row[self.i_ti])
        period = self.periods.get(key)
        if period is None:
            period = self.periods[key] = parse_period(key[0], key[1], path, line, self.i_tp + 1)
        i_value = self.i_value
        cell = parse_value(row[i_value], path, line, i_value + 1, self.rows.header[i_value])
        first = place.cells.get(period.day)
        if first is not None:
            raise fail(
                path, line, 1,
                f"a second row for {shown(place.name)} in {period.words} (the first is "
                f"line {first.line}): the file has more than one row for a place and "
                "period; choose one row of each with a filter (a column and its value)",
                code="source-ambiguous",
            )  # fmt: skip
        place.cells[period.day] = cell

    def figures(self, count: int) -> Figures:
        if self.council is None:
            names = [n for n in self.roles if n.strip()]
            raise _not_found(self.path, self.la, names, self.i_la + 1, self.by_code)
        wanted = norm_name(self.region_name)
        region = next((p for n, p in self.regions.items() if norm_name(n) == wanted), None)
        return Figures(
            self.path, self.rows.header[self.i_value], self.council, self.england, region,
            self.region_name, self.found, {p.day: p for p in self.periods.values()}, count,
        )  # fmt: skip


def _not_found(path: Path, la: str, names: list[str], col: int, by_code: bool) -> SourceError:
    if not names:
        return fail(
            path, 1, col,
            'the file has no rows at the "Local authority" geographic_level; choose a file '
            "of local authority figures", code="source-no-la",
        )  # fmt: skip
    folded = {norm_name(n): n for n in names}
    near = difflib.get_close_matches(norm_name(la), list(folded), n=3, cutoff=0.6)
    return fail(
        path, 1, col,
        f'no local authority {"with the code" if by_code else "named"} "{shown(la)}" in the '
        "file"
        + (f" (nearest: {', '.join(shown(folded[n]) for n in near)})" if near else "")
        + "; give the council as the file names it, or by its code",
        code="source-no-la",
    )  # fmt: skip
