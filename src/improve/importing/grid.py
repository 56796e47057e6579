"""A spreadsheet, a Word document or a CSV file read as one grid of rows.

Every reader gives the same thing: rows in reading order, each with its cells' values (as
the source holds them: text, a number, a date), where each cell is ("Sheet!C7", "table 2,
row 5, column 3", "line 7, column 3"), and whether the row is one cell spanning the table
(merged cells: a theme, a recommendation, a "why this is important"). What the cells mean
is for `columns` and `rows` to say.

Reading never trusts the file: any exception from the library reading it is that file's
error (`GridError`), never a traceback.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import SourceError

KINDS = (".docx", ".xlsx", ".xlsm", ".csv")


class GridError(SourceError):
    """A file that cannot be read as a table at all."""


@dataclass
class Cell:
    value: Any  # str, int, float, datetime.date or None
    where: str  # as a person finds it: Sheet!C7, table 1 row 4, line 7
    percent_format: bool = False  # an Excel number shown as a percentage (0.5 is 50%)
    fill: str | None = None  # an Excel fill colour, RRGGBB

    @property
    def text(self) -> str:
        v = self.value
        if v is None:
            return ""
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v).strip()


@dataclass
class Row:
    cells: list[Cell]
    where: str  # the row: "Sheet!7", "table 1, row 4", "line 7"
    spans: bool = False  # one value across the whole row (merged cells)
    table: int = 0
    guessed: bool = False  # `spans` from one value alone (CSV has no merged cells)  # which table of a Word document (rows of two tables never join)

    def texts(self) -> list[str]:
        return [c.text for c in self.cells]

    def filled(self) -> list[Cell]:
        return [c for c in self.cells if c.text]


@dataclass
class Grid:
    source: Path
    rows: list[Row] = field(default_factory=list)
    sheet: str | None = None
    titles: list[str] = field(default_factory=list)  # a Word document's text above its table


def read_grid(path: Path, sheet: str | None = None) -> Grid:
    suffix = path.suffix.lower()
    if suffix not in KINDS:
        raise GridError(
            f"{path.name}: cannot import a {suffix or 'file without an extension'}; "
            "import a .docx, .xlsx or .csv file",
            code="import-kind",
        )
    if sheet is not None and suffix != ".xlsx" and suffix != ".xlsm":
        raise GridError("--sheet is for Excel workbooks only", code="import-sheet")
    try:
        if suffix == ".csv":
            return _read_csv(path)
        if suffix == ".docx":
            return _read_docx(path)
        return _read_xlsx(path, sheet)
    except GridError:
        raise
    except Exception as exc:  # anything the reading library raises is this file's error
        raise GridError(
            f"{path.name}: cannot be read as a {suffix[1:]} file ({type(exc).__name__}: "
            f"{str(exc)[:200]}); open it, save it again as {suffix}, and import that",
            code="import-unreadable",
        ) from None


# -- CSV ---------------------------------------------------------------------------------


def _read_csv(path: Path) -> Grid:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):  # Excel on Windows saves CSV as cp1252
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes all but five bytes
        text = raw.decode("latin-1")
    # the separator, from the first lines with one in (a title line may have none); cell
    # text is not looked at, where commas and semicolons are common
    head = next((line for line in text.splitlines()[:30] if any(d in line for d in ",;\t")), "")
    try:
        delimiter = csv.Sniffer().sniff(head, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    # only the separator is taken: the quoting is Excel's (a doubled quote is a quote),
    # which one line cannot show the sniffer
    dialect: Any = type("Sniffed", (csv.excel,), {"delimiter": delimiter})
    grid = Grid(path)
    # csv's own reader, not str.splitlines: a cell may hold a newline in quotes, and
    # splitlines would also break a row at \x1c–\x1e, \x85 or U+2028 inside a cell
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    start = 1
    for values in reader:
        n, start = start, reader.line_num + 1  # the line the row starts on
        cells = [Cell(v, f"line {n}, column {k}") for k, v in enumerate(values, start=1)]
        filled = [c for c in cells if c.text]
        # a title or section line in an export is one value at the start of the row
        spans = len(filled) == 1 and cells[0].text != "" and len(cells) > 1
        grid.rows.append(Row(cells, f"line {n}", spans, guessed=True))
    return grid


# -- Excel -------------------------------------------------------------------------------


def _read_xlsx(path: Path, sheet: str | None) -> Grid:
    import openpyxl

    # data_only=False: a formula is read as its text (=HYPERLINK(…)), never evaluated
    book = openpyxl.load_workbook(path, read_only=False, data_only=False)
    if sheet is None:
        ws = next((w for w in book.worksheets if w.sheet_state == "visible"), book.active)
    elif sheet in book.sheetnames:
        ws = book[sheet]
    else:
        raise GridError(
            f'{path.name}: no sheet "{sheet}" (sheets: {", ".join(book.sheetnames)})',
            code="import-sheet",
        )
    from openpyxl.utils import get_column_letter

    spans: dict[int, int] = {}  # row → how many columns its widest merge covers
    for rng in ws.merged_cells.ranges:
        for r in range(rng.min_row, rng.max_row + 1):
            spans[r] = max(spans.get(r, 0), rng.max_col - rng.min_col + 1)
    width = ws.max_column
    grid = Grid(path, sheet=ws.title)
    name = _sheet_ref(ws.title)
    for r, row in enumerate(ws.iter_rows(min_row=1, max_row=ws.max_row), start=1):
        cells = []
        for k, c in enumerate(row, start=1):
            value = c.value
            if isinstance(value, dt.datetime):
                value = value.date()
            fmt = c.number_format or ""
            cells.append(
                Cell(
                    value,
                    f"{name}!{get_column_letter(k)}{r}",
                    percent_format="%" in fmt and isinstance(value, int | float),
                    fill=_fill(c),
                )
            )
        filled = [c for c in cells if c.text]
        merged_across = spans.get(r, 0) >= max(3, width // 2)
        grid.rows.append(Row(cells, f"{name}!{r}", merged_across and len(filled) <= 2))
    return grid


def _sheet_ref(title: str) -> str:
    return title if re.fullmatch(r"\w+", title) else "'" + title.replace("'", "''") + "'"


def _fill(cell) -> str | None:
    try:
        fill = cell.fill
        if fill is None or fill.fill_type != "solid":
            return None
        rgb = fill.fgColor.rgb
    except AttributeError:  # pragma: no cover - a theme colour has no rgb
        return None
    if isinstance(rgb, str) and re.fullmatch(r"[0-9A-Fa-f]{6,8}", rgb):
        return rgb[-6:].upper()
    return None


# -- Word --------------------------------------------------------------------------------


def _read_docx(path: Path) -> Grid:
    import docx

    document = docx.Document(str(path))
    grid = Grid(path)
    for paragraph in document.paragraphs[:20]:
        if paragraph.text.strip():
            grid.titles.append(paragraph.text.strip())
    if not document.tables:
        raise GridError(
            f"{path.name}: has no tables; improve imports a plan kept as a Word table",
            code="import-no-table",
        )
    for t, table in enumerate(document.tables, start=1):
        for r, row in enumerate(table.rows, start=1):
            cells = []
            unique = 0
            last = None
            for k, cell in enumerate(row.cells, start=1):
                # a cell merged across columns comes back once per column it covers: its
                # text is kept in the first, so every column stays where the header is
                if cell._tc is last:
                    cells.append(Cell(None, f"table {t}, row {r}, column {k}"))
                    continue
                last = cell._tc
                unique += 1
                text = "\n".join(p.text for p in cell.paragraphs).strip()
                cells.append(Cell(text, f"table {t}, row {r}, column {k}"))
            spans = len(cells) >= 3 and unique <= 2
            grid.rows.append(Row(cells, f"table {t}, row {r}", spans, table=t))
    return grid
