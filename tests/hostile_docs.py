"""Hostile documents to import, built by the tests themselves (issue 21 item 4): small on
disk, huge once read. A workbook whose one far cell declares a sheet of 17 billion cells, a
merge over a whole sheet, a zip bomb, too many rows, a Word table with a cell spanning a
billion columns. Each starts from a real document (openpyxl or python-docx writes it) and
has one part rewritten."""

from __future__ import annotations

import zipfile
from pathlib import Path

HEADER = ["Ref", "Action", "Lead(s)", "Date Due"]
ROW = ["1.1", "Review the supervision policy", "Head of Safeguarding", "31/03/2017"]


def plain_xlsx(path: Path, rows: int = 1) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Plan"
    ws.append(HEADER)
    for k in range(rows):
        ws.append([f"1.{k + 1}", *ROW[1:]])
    book.save(path)
    return path


def plain_docx(path: Path, rows: int = 1) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("Improvement plan")
    table = document.add_table(rows=0, cols=len(HEADER))
    for values in [HEADER] + [[f"1.{k + 1}", *ROW[1:]] for k in range(rows)]:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value
    document.save(str(path))
    return path


def rewrite(path: Path, part: str, change) -> Path:
    """The zip at `path` with `part` replaced by change(its bytes); other parts as they were."""
    with zipfile.ZipFile(path) as z:
        parts = [(i, z.read(i)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in parts:
            z.writestr(info.filename, change(data) if info.filename == part else data)
    return path


SHEET = "xl/worksheets/sheet1.xml"
DOCUMENT = "word/document.xml"


def far_cell_xlsx(path: Path) -> Path:
    """One value at XFD1048576, the last cell Excel has: the sheet declares itself
    A1:XFD1048576, 16384 columns by 1,048,576 rows."""
    import openpyxl

    plain_xlsx(path)
    book = openpyxl.load_workbook(path)
    book.active["XFD1048576"] = "x"
    book.save(path)
    return path


def huge_merge_xlsx(path: Path) -> Path:
    """The whole sheet merged, A1:XFD1048576, written into the sheet as Excel would."""
    plain_xlsx(path)
    merge = b'<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'
    return rewrite(path, SHEET, lambda d: d.replace(b"</sheetData>", b"</sheetData>" + merge))


def bomb_xlsx(path: Path, megabytes: int) -> Path:
    """The sheet unzips to `megabytes` MB: one cell holding a run of zeros (1 MB on disk
    is about 1 GB)."""
    plain_xlsx(path)
    with zipfile.ZipFile(path) as z:
        parts = [(i.filename, z.read(i)) for i in z.infolist() if i.filename != SHEET]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, part in parts:
            z.writestr(name, part)
        with z.open(SHEET, "w", force_zip64=True) as f:
            f.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
                    b'main"><sheetData><row r="1"><c r="A1"><v>')  # fmt: skip
            block = b"0" * (1 << 20)
            for _ in range(megabytes):
                f.write(block)
            f.write(b"</v></c></row></sheetData></worksheet>")
    return path


def many_rows_xlsx(path: Path, rows: int) -> Path:
    """`rows` rows of a cell each, written straight into the sheet."""
    plain_xlsx(path)
    body = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (r, r, r)
                    for r in range(3, rows + 3))  # fmt: skip
    return rewrite(path, SHEET, lambda d: d.replace(b"</sheetData>", body + b"</sheetData>"))


def wide_span_docx(path: Path, span: int = 1_000_000_000) -> Path:
    """A Word cell spanning `span` grid columns (python-docx repeats it once per column)."""
    plain_docx(path)
    grid_span = b'<w:tc><w:tcPr><w:gridSpan w:val="%d"/>' % span
    return rewrite(path, DOCUMENT, lambda d: d.replace(b"<w:tc><w:tcPr>", grid_span, 1))


def many_rows_docx(path: Path, rows: int) -> Path:
    """A table of `rows` more rows, written straight into the document."""
    plain_docx(path)
    tr = b"<w:tr><w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc></w:tr>"
    return rewrite(path, DOCUMENT, lambda d: d.replace(b"</w:tbl>", tr * rows + b"</w:tbl>", 1))


def many_rows_csv(path: Path, rows: int) -> Path:
    path.write_bytes(",".join(HEADER).encode() + b"\n" + b"1.1,Act,Lead,31/03/2017\n" * rows)
    return path


def merged_down_docx(path: Path, rows: int) -> Path:
    """`rows` actions whose Lead(s) cell is one cell merged down the whole table, as Word
    writes it (the first `w:vMerge w:val="restart"`, the rest `w:vMerge`)."""
    plain_docx(path)

    def tc(text: bytes, merge: bytes = b"") -> bytes:
        pr = b"<w:tcPr>" + merge + b"</w:tcPr>" if merge else b""
        return b"<w:tc>" + pr + b"<w:p><w:r><w:t>" + text + b"</w:t></w:r></w:p></w:tc>"

    body = b"".join(
        b"<w:tr>" + tc(b"%d.1" % (k + 1)) + tc(b"Action %d" % (k + 1))
        + tc(b"Head of Service" if k == 0 else b"",
             b'<w:vMerge w:val="restart"/>' if k == 0 else b"<w:vMerge/>")
        + tc(b"31/03/2017") + b"</w:tr>"
        for k in range(rows)
    )  # fmt: skip

    def change(d: bytes) -> bytes:
        head_end = d.index(b"</w:tr>") + len(b"</w:tr>")  # the header row, then ours
        return d[:head_end] + body + d[d.index(b"</w:tbl>") :]

    return rewrite(path, DOCUMENT, change)


def with_dtd_xlsx(path: Path) -> Path:
    """A sheet with an internal DTD declaring an entity (the seed of an XML bomb)."""
    plain_xlsx(path)
    dtd = b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]>'
    return rewrite(path, SHEET, lambda d: d.replace(b"<worksheet", dtd + b"<worksheet", 1))


def understated_xlsx(path: Path, megabytes: int) -> Path:
    """A sheet that says it unzips to 1,000 bytes and holds `megabytes` MB of zeros: its size
    rewritten in its local header and in the zip's directory."""
    import struct

    bomb = bomb_xlsx(path.with_suffix(".bomb"), megabytes)
    with zipfile.ZipFile(bomb) as z:  # the same parts, written without zip64
        parts = [(i.filename, z.read(i)) for i in z.infolist()]
    bomb.unlink()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, part in parts:
            z.writestr(name, part)
    data = bytearray(path.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    count, _, at = struct.unpack("<HLL", data[end + 10 : end + 20])
    for _ in range(count):
        n, e, c = struct.unpack("<HHH", data[at + 28 : at + 34])
        if data[at + 46 : at + 46 + n] == SHEET.encode():
            struct.pack_into("<L", data, at + 24, 1000)  # in the directory
            local = struct.unpack("<L", data[at + 42 : at + 46])[0]
            struct.pack_into("<L", data, local + 22, 1000)  # in the local header
        at += 46 + n + e + c
    path.write_bytes(bytes(data))
    return path
