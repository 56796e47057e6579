"""The pieces of Word's XML the report's .docx needs and python-docx has no call for: a
table row repeated at the top of every page, cell shading, a hyperlink, landscape A4,
a heading style a council's template lacks, a chart as a small PNG (written here, with
zlib and struct: no plotting library), and the template itself, checked before it is
opened (`open_template`)."""

from __future__ import annotations

import re
import struct
import tempfile
import zipfile
import zlib
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any, cast

from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from ..errors import SourceError
from ..inert import NO_CONTROLS

# XML 1.0 cannot hold these at all (python-docx raises on them): the C0 controls but tab
# and newline, the surrogates a file name may carry, and U+FFFE/U+FFFF. C1 controls and
# DEL are written as pictures too, as in Markdown and CSV.
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


def inert(text: object) -> str:
    """Plan text as a Word document may hold it: every control character as its picture
    (␛, ⟨9B⟩), a carriage return as a new line, nothing else changed."""
    flat = str(text).replace("\r\n", "\n").replace("\r", "\n").translate(NO_CONTROLS)
    return _NOT_XML.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", flat)


def hex6(colour: str) -> str:
    return colour.lstrip("#").upper()


def rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(hex6(colour))


def _el(tag: str, **attrs: str) -> Any:
    el = OxmlElement(tag)
    for name, value in attrs.items():
        el.set(qn(f"w:{name}"), value)
    return el


def shade(props: Any, fill: str) -> None:
    """Shade a cell (its `w:tcPr`) or a run (its `w:rPr`) with `fill`."""
    for old in props.findall(qn("w:shd")):
        props.remove(old)
    props.append(_el("w:shd", val="clear", color="auto", fill=hex6(fill)))


def row_props(tr: Any, *, header: bool = False) -> None:
    """A row that is never split across pages; the header row repeated on every page."""
    trPr = tr.get_or_add_trPr()
    trPr.append(_el("w:cantSplit"))
    if header:
        trPr.append(_el("w:tblHeader"))


def table_props(tbl: Any, widths_mm: tuple[float, ...]) -> None:
    """A fixed layout at the widths given, with a thin border on every cell (set on the
    table itself: a council's template may have no "Table Grid")."""
    tblPr = tbl.tblPr
    for child in list(tblPr):
        if child.tag in (qn("w:tblW"), qn("w:tblLayout"), qn("w:tblBorders"), qn("w:tblLook")):
            tblPr.remove(child)
    total = sum(widths_mm)
    tblPr.append(_el("w:tblW", w=str(round(total * 56.7)), type="dxa"))
    borders = _el("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_el(f"w:{side}", val="single", sz="4", space="0", color="6B6B6B"))
    tblPr.append(borders)
    tblPr.append(_el("w:tblLayout", type="fixed"))
    tblPr.append(_el("w:tblCellMar"))
    mar = tblPr[-1]
    for side, twips in (("top", "28"), ("left", "85"), ("bottom", "28"), ("right", "85")):
        mar.append(_el(f"w:{side}", w=twips, type="dxa"))
    grid = tbl.tblGrid
    for col in list(grid):
        grid.remove(col)
    for w in widths_mm:
        grid.append(_el("w:gridCol", w=str(round(w * 56.7))))


def hyperlink(paragraph: Any, text: str, href: str, colour: str) -> None:
    """`text` as a link to `href` (already through `safety.safe_link`)."""
    from urllib.parse import quote

    rid = paragraph.part.relate_to(quote(href, safe="/:#?&=@%+~"), RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = paragraph.add_run(text)
    run.font.color.rgb = rgb(colour)
    run.font.underline = True
    link.append(run._r)
    paragraph._p.append(link)


def landscape_a4(section: Any, margin_mm: float | None) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    if margin_mm is not None:
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Mm(margin_mm))


def heading_style(doc: Any, level: int) -> str:
    """The name of Word's "Heading N"; added, bold and in the outline, when a council's
    template lacks it."""
    name = f"Heading {level}"
    try:
        doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.font.bold = True
        style.font.size = Pt({1: 16, 2: 13, 3: 11.5}.get(level, 11))
        style.paragraph_format.keep_with_next = True
        style.paragraph_format.space_before = Pt(10)
        style.element.get_or_add_pPr().append(_el("w:outlineLvl", val=str(level - 1)))
    return name


def has_style(doc: Any, name: str) -> bool:
    try:
        doc.styles[name]
    except KeyError:
        return False
    return True


def has_content(paragraph: Any) -> bool:
    """Whether a paragraph holds anything but its properties."""
    return any(child.tag != qn("w:pPr") for child in paragraph._p)


def fields_footer(paragraph: Any, before: str) -> None:
    """`before` then "Page N of M" with Word's own fields."""
    paragraph.add_run(before)
    for text, field in (("Page ", "PAGE"), (" of ", "NUMPAGES")):
        paragraph.add_run(text)
        simple = OxmlElement("w:fldSimple")
        simple.set(qn("w:instr"), field)
        simple.append(OxmlElement("w:r"))
        simple[-1].append(OxmlElement("w:t"))
        simple[-1][-1].text = "1"
        paragraph._p.append(simple)


# -- the trend chart ---------------------------------------------------------------------


def bar_chart_png(values: list[float | None], width: int = 360, height: int = 140) -> bytes:
    """A bar for each review's percent complete, on axes: a PNG, 8-bit RGB."""
    ink, axis, white = b"\x1f\x3a\x5f", b"\x4a\x4a\x4a", b"\xff\xff\xff"
    pad, n = 10, max(len(values), 1)
    slot = (width - 2 * pad) / n
    bars = []
    for i, v in enumerate(values):
        left = round(pad + i * slot + slot * 0.15)
        right = max(left + 1, round(pad + (i + 1) * slot - slot * 0.15))
        top = round(height - pad - (v or 0) / 100 * (height - 2 * pad))
        bars.append((left, right, top))
    rows = []
    for y in range(height):
        line = bytearray(white * width)
        for left, right, top in bars:
            if top <= y < height - pad:
                line[left * 3 : right * 3] = ink * (right - left)
        if y == height - pad:
            line[pad * 3 : (width - pad) * 3] = axis * (width - 2 * pad)
        if pad <= y <= height - pad:
            line[pad * 3 : pad * 3 + 3] = axis
        rows.append(b"\x00" + bytes(line))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"pHYs", struct.pack(">IIB", 3780, 3780, 1))  # 96 dpi
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


# -- the template and the file -----------------------------------------------------------


class TemplateError(SourceError):
    """A --template that is not a Word document the report can be built into."""

    default_code = "report-template"


def template_bytes(path: Path) -> bytes:
    """The council's .docx, checked as import checks a document (its size, its parts, no
    DTD: `importing.limits.check_zip`) and opened once by python-docx: its bytes, which
    are what is used (`empty_document`), read once."""
    from ..importing.limits import LimitError, check_zip

    name = str(path)
    if path.suffix.lower() != ".docx":
        raise TemplateError(
            f"{name}: a template must be a Word document (.docx); save it as .docx and give that"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TemplateError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "template.docx"
        copy.write_bytes(data)
        try:
            check_zip(copy)
        except LimitError as exc:
            why = exc.message.split(": ", 1)[-1].split("; import reads")[0]
            raise TemplateError(
                f"{name}: not used as a template: {why}; save it again from Word and give that"
            ) from None
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise TemplateError(f"{name}: not a Word document ({exc})") from None
    try:
        empty_document(data)
    except Exception as exc:  # whatever python-docx trips on in a damaged file
        raise TemplateError(
            f"{name}: not a Word document improve can build into ({type(exc).__name__}); "
            "save it again from Word as a .docx and give that"
        ) from None
    return data


def empty_document(data: bytes) -> Any:
    """The template's document with its body emptied: its styles, headers, footers and
    page set-up (the body's last `w:sectPr`, made when it has none) kept."""
    from docx import Document

    doc = Document(BytesIO(data))
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    body.get_or_add_sectPr()  # a body with none has no page to set
    return doc


def save(doc: Any, today: date) -> bytes:
    """The document's bytes, its zip entries dated `today` (python-docx's own save dates
    them by the clock), so the same report is the same file. The parts are written as
    python-docx writes them (`PackageWriter`), into a zip of our own."""
    from docx.opc.pkgwriter import PackageWriter

    stamp = (max(today.year, 1980), today.month, today.day, 0, 0, 0)
    out = BytesIO()

    class Stamped:  # what PackageWriter writes to (python-docx's own is made by a factory)
        def __init__(self) -> None:
            self.zip = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)

        def write(self, pack_uri: Any, blob: bytes) -> None:
            entry = zipfile.ZipInfo(pack_uri.membername, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            self.zip.writestr(entry, blob)

    package = doc.part.package
    for part in package.parts:
        part.before_marshal()
    stamped = Stamped()
    writer = cast(Any, stamped)
    # python-docx's private writer: two of its three methods carry no annotations
    package_writer = cast(Any, PackageWriter)
    with stamped.zip:
        package_writer._write_content_types_stream(writer, package.parts)
        package_writer._write_pkg_rels(writer, package.rels)
        package_writer._write_parts(writer, package.parts)
    return out.getvalue()
