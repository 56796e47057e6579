"""Made-up files in DfE's layouts, for `improve kpi import` (no network, no real file).

`ees_text` writes an Explore Education Statistics data file: a National row, a
Regional row per region and a Local authority row per council for each year, with
the header EES uses (time_period, time_identifier, geographic_level, country_code,
country_name, region_code, region_name, new_la_code, old_la_code, la_name, then the
indicator columns). `neighbours_text` writes a trimmed statistical neighbours file:
la_name, its codes, SN_1 … SN_n and a closeness band beside each.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence

# (name, new code, old code, region): made-up figures, real names and codes
COUNCILS = [
    ("Telford and Wrekin", "E06000020", "894", "West Midlands"),
    ("Shropshire", "E06000051", "893", "West Midlands"),
    ("Stoke-on-Trent", "E06000021", "861", "West Midlands"),
    ("Worcestershire", "E10000034", "885", "West Midlands"),
    ("Walsall", "E08000030", "335", "West Midlands"),
    ("Wolverhampton", "E08000031", "336", "West Midlands"),
    ("Derby", "E06000015", "831", "East Midlands"),
    ("Nottingham", "E06000018", "892", "East Midlands"),
    ("Darlington", "E06000005", "841", "North East"),
    ("Halton", "E06000006", "876", "North West"),
    ("Bristol, City of", "E06000023", "801", "South West"),
]
REGION_CODES = {
    "West Midlands": "E12000005",
    "East Midlands": "E12000004",
    "North East": "E12000001",
    "North West": "E12000002",
    "South West": "E12000009",
}
HEADER = [
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "new_la_code",
    "old_la_code",
    "la_name",
]

Value = Callable[[str, int], str]  # (place's name, year the period ends) -> the cell


def default_value(place: str, year: int) -> str:
    """A made-up figure: stable, different for each place and year."""
    base = sum(map(ord, place)) % 200 + 250
    return f"{base + (year - 2010) * 1.5:.1f}"


def ees_rows(
    value: Value = default_value,
    *,
    councils: Sequence[tuple[str, str, str, str]] = COUNCILS,
    years: Iterable[int] = (2019, 2020, 2021),
    identifier: str = "Financial year",
    columns: Sequence[str] = ("cin_rate",),
    extra: Callable[[str, int], dict] | None = None,
) -> list[list[str]]:
    """The header and rows: per year, England, each region, then each council. Each
    indicator column holds `value(place, year)`; `extra` adds cells by header name."""
    head = HEADER + list(columns)
    rows = [head]
    for year in years:
        period = f"{year - 1}{year % 100:02d}" if len(_digits(identifier)) == 6 else str(year)

        def row(
            level, region="", council=("", "", "", ""), name="England", year=year, period=period
        ):
            cells = [period, identifier, level, "E92000001", "England"]
            cells += [REGION_CODES.get(region, ""), region, council[1], council[2], council[0]]
            cells += [value(name, year) for _ in columns]
            if extra is not None:
                extras = extra(name, year)
                cells = [extras.get(h, c) for h, c in zip(head, cells, strict=True)]
            return cells

        rows.append(row("National"))
        for region in dict.fromkeys(c[3] for c in councils):
            rows.append(row("Regional", region, name=region))
        for council in councils:
            rows.append(row("Local authority", council[3], council, council[0]))
    return rows


def _digits(identifier: str) -> str:
    return "202021" if identifier.casefold() in ("financial year", "academic year") else "2021"


def csv_text(rows: Iterable[Sequence[str]], newline: str = "\n") -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator=newline).writerows(rows)
    return out.getvalue()


def ees_text(value: Value = default_value, *, newline: str = "\n", **kw) -> str:
    return csv_text(ees_rows(value, **kw), newline)


BANDS = ("Extremely close", "Very close", "Close", "Somewhat close")


def neighbours_text(table: dict[str, Sequence[str]], width: int = 10) -> str:
    """A statistical neighbours file: each council's neighbours, closest first."""
    codes = {c[0]: c for c in COUNCILS}
    head = ["la_name", "new_la_code", "old_la_code"]
    for k in range(1, width + 1):
        head += [f"SN_{k}", f"SN_{k}_band"]
    rows = [head]
    for name, near in table.items():
        council = codes.get(name, (name, "", "", ""))
        row = [name, council[1], council[2]]
        for k in range(width):
            row += [near[k], BANDS[min(k // 3, 3)]] if k < len(near) else ["", ""]
        rows.append(row)
    return csv_text(rows)


TELFORD_NEIGHBOURS = {
    "Telford and Wrekin": ["Stoke-on-Trent", "Walsall", "Halton", "Darlington", "Derby"],
    "Shropshire": ["Worcestershire", "Telford & Wrekin"],
}


# a partnership plan with a measure of its own and a recommendation's, as seed 000 has
# them: the history tests of those measures start from it
PARTNERSHIP_PLAN = """\
[plan]
title = "Telford CYP Plan"
kind = "partnership"

[[measure]]
id = "ehc-plans"
text = "New EHC plans issued within 20 weeks"
unit = "%"
target = 60
readings = [{ date = 2021-01-31, value = 41 }]

[[recommendation]]
ref = "1"
title = "Early help"
leads = ["Head of Early Help"]

  [[recommendation.measure]]
  id = "cin-rate"
  text = "Rate of children in need per 10,000 children"
  unit = "per 10,000"
  direction = "down"
  target = 300

  [[recommendation.action]]
  ref = "1.1"
  action = "Review the early help offer"
  due = 2021-12-31
  percent = 10
"""
