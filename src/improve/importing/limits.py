"""How much of a document import reads, and the checks that hold a document to it before
any library reads it (issue 21 item 4).

A .xlsx or .docx file is a zip of XML parts. Its sizes are read from the zip's directory
first: the parts together may unzip to at most `MAX_BYTES`, no large part may unzip to more
than `MAX_RATIO` times its size (a zip bomb), and Python's zipfile never gives more bytes
than a part declares, so the declared sizes bound what is read. Then every XML part's
elements are counted as it unzips (never held whole) and refused past `MAX_ELEMENTS` (a
worksheet, which is streamed, past `MAX_SHEET_ELEMENTS`), with no DTD (Office never writes
one; entities are how an XML bomb grows). What passes is small enough to read whole. A
sheet's cells are then found where they are (`scan_sheet`), never from the size the sheet
declares; a Word table's rows and cells are counted as they are read.

Every refusal is a `LimitError`: `FILE: what is over which limit; what to do`.
"""

from __future__ import annotations

import re
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from ..errors import SourceError

MAX_ROWS = 20_000  # rows of a sheet, a CSV file, or a Word document's tables together
MAX_COLUMNS = 200  # columns of a row
MAX_CELLS = 500_000  # cells read, rows × columns of the used range
MAX_TABLES = 1_000  # tables in a Word document
MAX_MERGES = 50_000  # merged ranges in a sheet
MAX_BYTES = 100 * 1024 * 1024  # a CSV file, or a zip's parts together once unzipped
MAX_RATIO = 200  # how many times its size a part over RATIO_FROM may unzip to
RATIO_FROM = 10 * 1024 * 1024
MAX_PARTS = 10_000  # parts in a zip
MAX_ELEMENTS = 500_000  # XML elements in the parts a library reads whole
MAX_SHEET_ELEMENTS = 2_000_000  # XML elements in the sheet read, which is streamed
MAX_LINE = 1024 * 1024  # characters in one line of a CSV file

MB = 1024 * 1024


class LimitError(SourceError):
    """A document over one of the limits import reads to; nothing was read past it."""

    default_code = "import-limit"


def refuse(path: Path, what: str, limit: str) -> LimitError:
    """FILE: what is wrong; the limit it is over; what to do."""
    return LimitError(
        f"{path.name}: {what}; import reads {limit}, so this is damaged or more than a plan: "
        "copy the plan's own table into a new file and import that",
        code="import-limit",
        limit=limit,
    )


def size_text(n: int) -> str:
    return f"{n / MB:,.0f} MB" if n >= MB else f"{n:,} bytes"


# -- the zip -----------------------------------------------------------------------------


@dataclass
class Counts:
    """What the pass over a zip's XML parts found."""

    elements: int = 0  # in the parts read whole
    sheets: dict[str, int] = field(default_factory=dict)  # a worksheet part → its elements


def check_zip(path: Path) -> Counts:
    """Refuse a .xlsx or .docx whose parts are too many, unzip too large, hold a DTD, or
    hold too many XML elements to read."""
    _check_directory(path)
    counts = Counts()
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
        total = sum(i.file_size for i in infos)
        if total > MAX_BYTES:
            raise refuse(
                path, f"unzips to {size_text(total)}", f"at most {size_text(MAX_BYTES)} unzipped"
            )
        for info in infos:
            ratio = info.file_size // max(info.compress_size, 1)
            if info.file_size > RATIO_FROM and ratio > MAX_RATIO:
                raise refuse(
                    path,
                    f"its part {info.filename} unzips to {ratio:,} times its size",
                    f"no part over {RATIO_FROM // MB} MB unzipping to over {MAX_RATIO} times its size "
                    "(a zip bomb)",
                )
        for info in infos:
            _count_part(path, z, info, counts)
    return counts


def _check_directory(path: Path) -> None:
    """The zip's directory, from its last record, before zipfile reads it entry by entry."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise refuse(path, f"is {size_text(size)}", f"at most {size_text(MAX_BYTES)}")
    with path.open("rb") as f:
        f.seek(max(0, size - 65_557))
        tail = f.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        return  # not a zip: zipfile says so
    _, _, _, _, entries, directory, _, _ = struct.unpack("<4s4H2LH", tail[at : at + 22])
    if entries > MAX_PARTS or directory > MAX_PARTS * 1024:
        raise refuse(path, f"has {entries:,} parts", f"at most {MAX_PARTS:,} parts")


WORKSHEET = re.compile(r"xl/worksheets/[^/]+\.xml")
BLOCK = 1 << 20


def _count_part(path: Path, z: zipfile.ZipFile, info: zipfile.ZipInfo, counts: Counts) -> None:
    """An XML part's elements, counted by its tags as it unzips a block at a time (a count
    to bound, not a parse: a `<` that is not `</` begins an element, a comment or a DTD)."""
    if info.is_dir() or info.file_size == 0:
        return
    sheet = WORKSHEET.fullmatch(info.filename) is not None
    n = 0
    carry = b""
    try:
        with z.open(info) as f:
            first = f.read(BLOCK)
            if not first.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
                return  # not XML: an image, a binary part
            block = first
            while block:
                text = carry + block
                if b"<!DOCTYPE" in text or b"<!ENTITY" in text:
                    raise refuse(
                        path, f"its part {info.filename} has a DTD", "no DTD (Office writes none)"
                    )
                n += block.count(b"<") - block.count(b"</")
                carry = text[-16:]
                if sheet and n > MAX_SHEET_ELEMENTS:
                    raise refuse(
                        path, f"its sheet {info.filename} has over {n:,} XML elements",
                        f"at most {MAX_SHEET_ELEMENTS:,} XML elements in a sheet",
                    )  # fmt: skip
                if not sheet and counts.elements + n > MAX_ELEMENTS:
                    raise refuse(
                        path, f"has over {counts.elements + n:,} XML elements",
                        f"at most {MAX_ELEMENTS:,} XML elements besides its sheets",
                    )  # fmt: skip
                block = f.read(BLOCK)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        pass  # counting, not judging: the library refuses the part if it reads it
    if sheet:
        counts.sheets[info.filename] = n
    else:
        counts.elements += n


# -- a sheet -----------------------------------------------------------------------------


@dataclass
class Sheet:
    """A worksheet as it is, not as it says it is: the last row and column holding a value,
    and its merged ranges clipped to them."""

    rows: int = 0
    columns: int = 0
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2
    merged_cells: int = 0  # the cells every merge covers as written, before clipping


REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})")
S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def column_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def scan_sheet(path: Path, z: zipfile.ZipFile, part: str, title: str) -> Sheet:
    """The used range of one worksheet part, found from the cells holding a value, and its
    merges; refused at the first value past `MAX_ROWS` or `MAX_COLUMNS`, or once the used
    range holds more than `MAX_CELLS`."""
    from lxml import etree  # type: ignore[import-untyped]  # python-docx's own XML library

    out = Sheet()
    merges: list[tuple[int, int, int, int]] = []
    done = row = col = 0  # the row last ended; the row and column of the cell last read
    with z.open(part) as f:
        for _, el in etree.iterparse(
            f, tag=(S + "c", S + "row", S + "mergeCell"), resolve_entities=False, no_network=True
        ):  # only the end of these: a cell's value is in it, and the row holds the cell
            tag = el.tag
            if tag == S + "c":
                r = el.getparent().get("r") if el.getparent() is not None else None
                at = int(r) if r and r.isdigit() else done + 1
                col = 0 if at != row else col
                row = at
                ref = REF.fullmatch(el.get("r") or "")
                col = column_number(ref.group(1)) if ref else col + 1
                if _holds_value(el):
                    _used(path, out, row, col, title)
            elif tag == S + "row":
                r = el.get("r")
                done = int(r) if r and r.isdigit() else done + 1
            else:
                found = _range(el.get("ref") or "")
                if found:
                    merges.append(found)
                    if len(merges) > MAX_MERGES:
                        raise refuse(
                            path, f"{title} has over {MAX_MERGES:,} merged ranges",
                            f"at most {MAX_MERGES:,} merged ranges",
                        )  # fmt: skip
            el.clear()
            while el.getprevious() is not None:
                del el.getparent()[0]
    area = 0
    for r1, c1, r2, c2 in merges:  # clipped to the used range: never one cell at a time
        out.merged_cells += (r2 - r1 + 1) * (c2 - c1 + 1)
        if r1 <= out.rows and c1 <= out.columns:
            r2, c2 = min(r2, out.rows), min(c2, out.columns)
            out.merges.append((r1, c1, r2, c2))
            area += (r2 - r1 + 1) * (c2 - c1 + 1)
    if area > max(out.rows * out.columns, 1):  # merges that overlap: Excel makes none
        raise refuse(
            path, f"the merged ranges of {title} overlap, covering {area:,} cells",
            f"merged ranges covering at most the {out.rows * out.columns:,} cells used",
        )  # fmt: skip
    return out


def _holds_value(c: Any) -> bool:  # c: an lxml element (lxml publishes no types)
    for child in c:
        if child.tag in (S + "v", S + "f") and (child.text or "").strip():
            return True
        if child.tag == S + "is" and "".join(child.itertext()).strip():
            return True
    return False


def _used(path: Path, out: Sheet, row: int, col: int, title: str) -> None:
    if row > MAX_ROWS or col > MAX_COLUMNS:
        where = f"{title}!{_letters(col)}{row}"
        what = f"row {row:,}" if row > MAX_ROWS else f"column {_letters(col)}"
        raise refuse(
            path,
            f"{where} holds a value in {what}",
            f"at most {MAX_ROWS:,} rows" if row > MAX_ROWS else f"at most {MAX_COLUMNS} columns",
        )
    out.rows = max(out.rows, row)
    out.columns = max(out.columns, col)
    if out.rows * out.columns > MAX_CELLS:
        raise refuse(
            path,
            f"{title} has values across {out.rows:,} rows by {out.columns} columns",
            f"at most {MAX_CELLS:,} cells",
        )


def _range(ref: str) -> tuple[int, int, int, int] | None:
    ends = [REF.fullmatch(p) for p in ref.split(":")]
    if not ends or not all(ends) or len(ends) > 2:
        return None
    (a, *rest) = [(int(m.group(2)), column_number(m.group(1))) for m in ends if m]
    b = rest[0] if rest else a
    return min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1])


def _letters(col: int) -> str:
    out = ""
    while col > 0:
        col, k = divmod(col - 1, 26)
        out = chr(65 + k) + out
    return out


# -- CSV ---------------------------------------------------------------------------------


def lines(path: Path, f: TextIO) -> Iterator[str]:
    """A text file's lines, each refused past `MAX_LINE` characters (readline would
    otherwise read a file with no line ends whole)."""
    n = 0
    while True:
        line = f.readline(MAX_LINE + 1)
        if not line:
            return
        n += 1
        if len(line) > MAX_LINE and not line.endswith(("\n", "\r")):
            raise refuse(path, f"line {n:,} is over {MAX_LINE:,} characters long",
                         f"lines of at most {MAX_LINE:,} characters")  # fmt: skip
        yield line
