"""A spreadsheet, a Word document or a CSV file read as one grid of rows.

Every reader gives the same thing: rows in reading order, each with its cells' values (as
the source holds them: text, a number, a date), where each cell is ("Sheet!C7", "table 2,
row 5, column 3", "line 7, column 3"), and whether the row is one cell spanning the table
(merged cells: a theme, a recommendation, a "why this is important"). What the cells mean
is for `columns` and `rows` to say.

Reading never trusts the file: any exception from the library reading it is that file's
error (`GridError`), never a traceback; and no file is read past the limits in `limits`
(rows, columns, cells, bytes), whatever size it says it is (a `LimitError`).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import SourceError
from . import limits
from .limits import refuse

if TYPE_CHECKING:
    from docx.table import Table as DocxTable

KINDS = (".docx", ".xlsx", ".xlsm", ".csv")


class GridError(SourceError):
    """A file that cannot be read as a table at all."""


@dataclass
class Cell:
    value: Any  # str, int, float, datetime.date or None
    where: str  # as a person finds it: Sheet!C7, table 1 row 4, line 7
    percent_format: bool = False  # an Excel number shown as a percentage (0.5 is 50%)
    fill: str | None = None  # an Excel fill colour, RRGGBB
    # a cell merged down over the rows below: `down` is how many rows the first covers;
    # a cell under it is `under` and holds its text again (as Word reads it), so a lead
    # merged down is every row's lead, and a value said once for them all can be told
    down: int = 1
    under: bool = False

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
        """The cells with a value of this row's own (not one carried down from above)."""
        return [c for c in self.cells if c.text and not c.under]


@dataclass
class Grid:
    source: Path
    rows: list[Row] = field(default_factory=list)
    sheet: str | None = None
    titles: list[str] = field(default_factory=list)  # a Word document's text above its table
    headings: list[str] = field(default_factory=list)  # of those, the ones styled as headings


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
        with warnings.catch_warnings():  # openpyxl warns on stderr of what it leaves out
            warnings.simplefilter("ignore")
            if suffix == ".csv":
                return _read_csv(path)
            if suffix == ".docx":
                return _read_docx(path)
            return _read_xlsx(path, sheet)
    except SourceError:  # GridError, LimitError: already this file's, in its words
        raise
    except Exception as exc:  # anything the reading library raises is this file's error
        said = " ".join(str(exc).split())[:200]  # one line, whatever the library said
        raise GridError(
            f"{path.name}: cannot be read as a {suffix[1:]} file ({type(exc).__name__}: "
            f"{said}); open it, save it again as {suffix}, and import that",
            code="import-unreadable",
        ) from None


# -- CSV ---------------------------------------------------------------------------------

BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _read_csv(path: Path) -> Grid:
    size = path.stat().st_size
    if size > limits.MAX_BYTES:
        raise refuse(
            path,
            f"is {limits.size_text(size)}",
            f"at most {limits.size_text(limits.MAX_BYTES)}",
        )
    encoding = _encoding(path)
    # the separator, from the first lines with one in (a title line may have none); cell
    # text is not looked at, where commas and semicolons are common (tabs are not: a line
    # with a tab is tab-separated, as Excel's "Unicode Text" is)
    with path.open(encoding=encoding, newline="") as f:
        head = ""
        for k, line in enumerate(limits.lines(path, f)):
            if k >= 30 or any(d in line for d in ",;\t"):
                head = line if k < 30 else ""
                break
    if "\t" in head:
        delimiter = "\t"
    else:
        try:
            delimiter = csv.Sniffer().sniff(head, delimiters=",;").delimiter
        except csv.Error:
            delimiter = ","
    # only the separator is taken: the quoting is Excel's (a doubled quote is a quote),
    # which one line cannot show the sniffer
    dialect: Any = type("Sniffed", (csv.excel,), {"delimiter": delimiter})
    grid = Grid(path)
    cells_read = records = 0
    # csv's own reader, not str.splitlines: a cell may hold a newline in quotes, and
    # splitlines would also break a row at \x1c–\x1e, \x85 or U+2028 inside a cell;
    # read a line at a time, so a file is refused at the limit, never read whole first
    with path.open(encoding=encoding, newline="") as f:
        reader = csv.reader(limits.lines(path, f), dialect)
        start = 1
        while True:
            try:
                values = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                if "field larger" in str(exc):
                    raise refuse(path, f"line {reader.line_num:,} has a cell over "
                                 f"{csv.field_size_limit():,} characters",
                                 f"cells of at most {csv.field_size_limit():,} characters") from None  # fmt: skip
                raise
            n, start = start, reader.line_num + 1  # the line the row starts on
            records += 1
            last = len(values)  # the last column holding a value
            while last and not values[last - 1].strip():
                last -= 1
            if last and records > limits.MAX_ROWS:
                raise refuse(path, f"line {n:,} holds a value past row {limits.MAX_ROWS:,}",
                             f"at most {limits.MAX_ROWS:,} rows")  # fmt: skip
            if last > limits.MAX_COLUMNS:
                raise refuse(path, f"line {n:,} holds a value in column {last:,}",
                             f"at most {limits.MAX_COLUMNS} columns")  # fmt: skip
            if records > limits.MAX_ROWS:
                continue  # an empty line past the last row read
            values = values[: limits.MAX_COLUMNS]  # past it, only empty cells
            cells_read += len(values)
            if cells_read > limits.MAX_CELLS:
                raise refuse(path, f"has over {limits.MAX_CELLS:,} cells by line {n:,}",
                             f"at most {limits.MAX_CELLS:,} cells")  # fmt: skip
            cells = [Cell(v, f"line {n}, column {k}") for k, v in enumerate(values, start=1)]
            filled = [c for c in cells if c.text]
            # a title or section line in an export is one value at the start of the row
            spans = len(filled) == 1 and cells[0].text != "" and len(cells) > 1
            grid.rows.append(Row(cells, f"line {n}", spans, guessed=True))
    return grid


def _encoding(path: Path) -> str:
    """UTF-8 or UTF-16 by a byte-order mark (Excel's "Unicode Text" is UTF-16); else UTF-8
    if every byte is, else cp1252 (Excel on Windows saves CSV as cp1252), else Latin-1.
    Checked a block at a time: the file is never held whole."""
    with path.open("rb") as f:
        start = f.read(4)
    for bom, encoding in BOMS:
        if start.startswith(bom):
            return encoding
    for encoding in ("utf-8", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as f:
                while block := f.read(1 << 20):
                    decoder.decode(block)
            decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    return "latin-1"  # pragma: no cover - cp1252 decodes all but five bytes


# -- Excel -------------------------------------------------------------------------------


def _read_xlsx(path: Path, sheet: str | None) -> Grid:
    import openpyxl

    counts = limits.check_zip(path)
    # read-only: the sheet streams, and its merges are never made cell by cell (they are
    # read by `scan_sheet`, clipped to the cells that hold values); data_only=False: a
    # formula is read as its text (=HYPERLINK(…)), never evaluated
    book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        return _read_book(path, book, sheet, counts)
    finally:
        book.close()


def _read_book(path: Path, book: Any, sheet: str | None, counts: limits.Counts) -> Grid:
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

    name = _sheet_ref(ws.title)
    part = ws._worksheet_path.lstrip("/")
    with zipfile.ZipFile(path) as z:
        used = limits.scan_sheet(path, z, part, name)
    grid = Grid(path, sheet=ws.title)
    if used.rows == 0:
        return grid
    width = used.columns
    across = _merged_across(used, max(3, width // 2))
    hidden = _hidden(used)
    tops: dict[int, list[tuple[int, int]]] = {}  # row → merges down begun there: column, last
    for r1, c1, r2, _ in used.merges:
        if r2 > r1:
            tops.setdefault(r1, []).append((c1, r2))
    carried: dict[int, tuple[Cell, int]] = {}  # column → a cell merged down, its last row
    rows = ws.iter_rows(min_row=1, max_row=used.rows, min_col=1, max_col=width)
    for r, row in enumerate(rows, start=1):
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
        for a, b in hidden.get(r, ()):  # under a merge, as Excel shows it: empty
            for k in range(a, b + 1):
                cells[k - 1] = Cell(None, cells[k - 1].where)
                top, last = carried.get(k, (None, 0))
                if top is not None and r <= last:  # merged down: the first cell's value
                    cells[k - 1] = Cell(top.value, cells[k - 1].where, top.percent_format,
                                        top.fill, under=True)  # fmt: skip
        for k, last in tops.get(r, ()):
            if k <= len(cells):
                cells[k - 1].down = last - r + 1
                carried[k] = (cells[k - 1], last)
        filled = [c for c in cells if c.text and not c.under]
        grid.rows.append(Row(cells, f"{name}!{r}", across[r] and len(filled) <= 2))
    return grid


def _hidden(used: limits.Sheet) -> dict[int, list[tuple[int, int]]]:
    """For each row, the columns (from, to) a merge covers but does not begin in: every
    cell of a merge but its top left one. No more than the cells used (`scan_sheet`)."""
    out: dict[int, list[tuple[int, int]]] = {}
    for r1, c1, r2, c2 in used.merges:
        for r in range(r1, r2 + 1):
            start = c1 + 1 if r == r1 else c1
            if start <= c2:
                out.setdefault(r, []).append((start, c2))
    return out


def _merged_across(used: limits.Sheet, least: int) -> list[bool]:
    """For each row (from 1), whether a merge at least `least` columns wide covers it:
    one pass over the merges and one over the rows, however large a merge is."""
    edges = [0] * (used.rows + 2)
    for r1, c1, r2, c2 in used.merges:
        if c2 - c1 + 1 >= least:
            edges[r1] += 1
            edges[r2 + 1] -= 1
    out, depth = [], 0
    for e in edges:
        depth += e
        out.append(depth > 0)
    return out


def _sheet_ref(title: str) -> str:
    return title if re.fullmatch(r"\w+", title) else "'" + title.replace("'", "''") + "'"


def _fill(cell: Any) -> str | None:  # cell: openpyxl's
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
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    limits.check_zip(path)
    document = docx.Document(str(path))
    grid = Grid(path)
    body = document.element.body
    for p in islice(body.iterchildren(qn("w:p")), 20):
        para = Paragraph(p, document)
        text = para.text.strip()
        if text:
            grid.titles.append(text)
            style = (para.style.name if para.style is not None else "") or ""
            if style.startswith(("Heading", "Title")):
                grid.headings.append(text)
    if not document.tables:
        raise _no_table(path)
    if len(document.tables) > limits.MAX_TABLES:
        raise refuse(
            path, f"has {len(document.tables):,} tables", f"at most {limits.MAX_TABLES:,} tables"
        )
    cells_read = [0]
    for t, table in enumerate(document.tables, start=1):
        _read_table(grid, table, t, cells_read)
    return grid


def _no_table(path: Path) -> GridError:
    return GridError(
        f"{path.name}: has no tables; improve imports a plan kept as a Word table",
        code="import-no-table",
    )


def _read_table(grid: Grid, table: DocxTable, t: int, cells_read: list[int]) -> None:
    """A Word table's rows, each cell once per grid column it spans (its text in the first)
    and a cell merged down from the row above read as that cell's text again. Walked
    element by element, once: python-docx's `row.cells` finds a merged-down cell by
    searching the rows above, again for every row under it, and makes a cell spanning a
    billion columns a billion times. Refused at the limits as they are reached."""
    from docx.table import _Cell

    above: dict[int, Cell] = {}  # grid column → the cell last begun there
    path = grid.source
    for r, tr in enumerate(table._tbl.tr_lst, start=1):
        if len(grid.rows) >= limits.MAX_ROWS:
            raise refuse(path, f"table {t}, row {r} is past row {limits.MAX_ROWS:,} of its "
                         "tables", f"at most {limits.MAX_ROWS:,} rows")  # fmt: skip
        cells: list[Cell] = []
        unique = 0
        offset = tr.grid_before
        for tc in tr.tc_lst:
            span = tc.grid_span
            if len(cells) + span > limits.MAX_COLUMNS:
                raise refuse(path, f"table {t}, row {r} is {len(cells) + span:,} columns wide",
                             f"at most {limits.MAX_COLUMNS} columns")  # fmt: skip
            cells_read[0] += span
            if cells_read[0] > limits.MAX_CELLS:
                raise refuse(path, f"has over {limits.MAX_CELLS:,} table cells by table {t}, "
                             f"row {r}", f"at most {limits.MAX_CELLS:,} cells")  # fmt: skip
            top = above.get(offset) if tc.vMerge == "continue" else None
            if top is not None:
                text = top.text
                top.down += 1
            else:
                text = "\n".join(p.text for p in _Cell(tc, table).paragraphs).strip()
            unique += 1
            # a cell merged across columns is one cell per column it covers: its text is
            # kept in the first, so every column stays where the header is
            for j in range(span):
                k = len(cells) + 1
                cell = Cell(text if j == 0 else None, f"table {t}, row {r}, column {k}",
                            under=top is not None)  # fmt: skip
                cells.append(cell)
                if j == 0 and top is None:
                    above[offset] = cell
            offset += span
        spans = len(cells) >= 3 and unique <= 2
        grid.rows.append(Row(cells, f"table {t}, row {r}", spans, table=t))
