"""Reading DfE's statistical neighbours as a CSV file: a row per council, its name in
`la_name` (and its code in `new_la_code`, `old_la_code` or `la_code`, when given), its
neighbours' names in `SN_1` … `SN_10` (closest first). Any other column, such as the
closeness bands beside each neighbour, is left alone."""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from pathlib import Path

from .csvfile import Rows, fail, is_code, norm_name, shown

WHAT = "a statistical neighbours file"
_SN = re.compile(r"sn_?(\d{1,2})", re.IGNORECASE)
CODES = ("new_la_code", "old_la_code", "la_code")
HOW = ("median", "mean")


@dataclass
class Neighbours:
    path: Path
    council: str  # as the file names it
    names: list[str]  # closest first


def read_neighbours(path: Path, la: str) -> Neighbours:
    """The council's statistical neighbours (by its name, as `ees.read_ees` matches it,
    or its code)."""
    with Rows(path, WHAT) as rows:
        (i_la,) = rows.need(["la_name"], f"{WHAT} has it")
        sn = sorted((int(m[1]), k) for k, h in enumerate(rows.header) if (m := _SN.fullmatch(h)))
        if not sn:
            raise fail(
                path, 1, 1,
                "no SN_1 … SN_10 columns in the header; a statistical neighbours file names "
                "each council's neighbours in columns SN_1 to SN_10", code="source-column",
            )  # fmt: skip
        codes = [k for k in (rows.column(c) for c in CODES) if k is not None]
        by_code = is_code(la)
        if by_code and not codes:
            raise fail(
                path, 1, 1,
                f'"{shown(la)}" is a local authority code and this file has no code '
                f"column ({', '.join(CODES)}); give the council's name instead",
                code="source-column",
            )  # fmt: skip
        wanted, code = norm_name(la), la.strip().upper()
        seen: list[str] = []
        for row in rows:
            if not any(c.strip() for c in row):
                continue
            name = rows.cell(row, i_la)
            seen.append(name)
            if by_code:
                hit = any(k < len(row) and row[k].strip().upper() == code for k in codes)
            else:
                hit = norm_name(name) == wanted
            if hit:
                names = [row[k].strip() for _, k in sn if k < len(row) and row[k].strip()]
                if not names:
                    raise fail(
                        path, rows.line, sn[0][1] + 1,
                        f"{shown(name)} has no neighbours named in its SN_ columns",
                        code="source-value",
                    )  # fmt: skip
                return Neighbours(path, name, names)
    from .ees import _not_found

    raise _not_found(path, la, seen, i_la + 1, by_code)


def summarise(values: list[float], how: str) -> int | float:
    """The median or the mean of the neighbours' values, to one more decimal place than
    the most precise of them (a whole number stays whole when it is one)."""
    exact = statistics.median(values) if how == "median" else statistics.fmean(values)
    places = max((_places(v) for v in values), default=0) + 1
    rounded = round(exact, places)
    return int(rounded) if float(rounded).is_integer() else rounded


def _places(value: float) -> int:
    text = repr(float(value))
    if "e" in text or "E" in text:
        return 6
    return len(text.split(".")[1].rstrip("0")) if "." in text else 0
