"""Word tables for the report's .docx: a header row repeated on every page, rows kept
whole when they fit on a page (a row taller than that may run on: LibreOffice would
otherwise draw it over the footer), cells of small text, RAG words in shaded cells, and
the full table's columns sized to what the plan puts in them."""

from __future__ import annotations

from typing import Any, cast

from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from . import docx_parts as parts
from .build import SYMBOL, PlanReport, ProgressNote, rag_label
from .html import paragraphs
from .style import PAIRS, PRINT_FILL

SMALL = Pt(8.5)
TWIPS_PER_MM = 56.7
W_P, W_PPR, W_T, W_W = qn("w:p"), qn("w:pPr"), qn("w:t"), qn("w:w")
NO_PARENT = cast(Any, None)  # a run made to be copied belongs to no story yet
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# The full table's nine columns: each one's least width (mm), and the columns that take
# the rest of the page's width by how much text the plan puts in them
LEAST = (12, 14, 30, 14, 16, 24, 17, 17, 22)
FLEX = (1, 2, 3, 4, 5, 8)  # Outcome, Action, Success measure(s), Lead(s), Date due (its
# stages), Performance
ITEMS = (14, 100, 22, 135)  # Ref, Action, RAG rating, Detail: at 271 mm
CHARS_PER_MM = 0.6  # about, for 8.5 pt Arial or Calibri
LINE_MM = 3.7
HEAD_CHAR_MM = 1.75  # a character of a bold heading, about
WHOLE_MM = 110  # a row up to this tall is kept on one page


def clone(element: Any) -> Any:
    """A copy of an element and all it holds (lxml's own: `copy.deepcopy` costs twice)."""
    return element.__copy__()


def pair(name: str) -> tuple[str, str]:
    return next((fg, bg) for n, fg, bg in PAIRS if n == name)


def fit_widths(pr: PlanReport, names: tuple[str, ...], total: float) -> tuple[float, ...]:
    """The full table's column widths for this plan, `total` mm in all: each column its
    least (and room for its heading's longest word), the rest shared by the text columns by the square root of their text (an
    empty column keeps its least)."""
    chars = [0.0] * len(LEAST)
    for g in pr.groups:
        for r in g.rows:
            chars[1] += len(r.outcome)
            chars[2] += len(r.action) + len(r.why_words)
            chars[3] += sum(len(m.shown) for m in r.measures)
            chars[4] += sum(len(x) for x in r.leads)
            stages = r.stage_words() if r.stages else []
            chars[5] += sum(max(0, len(x) - 16) for x in stages)  # a date fits its least
            chars[8] += len(r.impact) + len(r.impact_note)
            chars[8] += sum(len(t) + 20 for _d, t, _l in r.evidence)
    least = [
        max(base, HEAD_CHAR_MM * max(len(w) for w in name.split()) + 3)
        for base, name in zip(LEAST, names, strict=True)
    ]  # no heading's word is broken
    spare = max(0.0, total - sum(least))
    weights = {i: chars[i] ** 0.5 for i in FLEX}
    whole = sum(weights.values())
    if not whole:
        weights, whole = {2: 1.0, 8: 1.0}, 2.0
    return tuple(w + spare * weights.get(i, 0) / whole for i, w in enumerate(least))


def scaled(widths: tuple[float, ...], total: float) -> tuple[float, ...]:
    return tuple(w * total / sum(widths) for w in widths)


def height_mm(cells: list[Any], widths: list[float]) -> float:
    """About how tall a row of these cells (at these widths) is."""

    def lines(text: str, width: float) -> int:
        per = max(4, int((width - 3) * CHARS_PER_MM))
        return max(1, -(-len(text) // per))

    def cell_lines(tc: Any, width: float) -> int:
        return sum(
            lines("".join(t.text or "" for t in p.iter(W_T)), width) for p in tc.iterchildren(W_P)
        )

    return LINE_MM * max(cell_lines(cell._tc, w) for cell, w in zip(cells, widths, strict=True))


class Tables:
    """What the report's tables are made of, in a python-docx document `doc`. Rows, cells,
    paragraphs and runs are copies of a few made once (python-docx's own calls cost a
    search of the element's children for each property set: seconds at 2,000 actions)."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self.head = pair("print table header")
        self.muted = pair("muted text")[0]
        self._runs: dict[tuple[bool, str | None], Any] = {}
        self._t = OxmlElement("w:t", {XML_SPACE: "preserve"})
        self._rags: dict[tuple[str | None, Any], Any] = {}
        self._tc = parse_xml(
            f'<w:tc {nsdecls("w")}><w:tcPr><w:tcW w:w="0" w:type="dxa"/></w:tcPr></w:tc>'
        )
        self._p = parse_xml(
            f'<w:p {nsdecls("w")}><w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr></w:p>'
        )

    def table(self, names: tuple[str, ...], widths: tuple[float, ...]) -> Any:
        """A table with its header row, which repeats at the top of every page."""
        table = self.doc.add_table(rows=0, cols=len(names))
        parts.table_props(table._tbl, widths)
        cells = self.row(table, widths)
        parts.row_props(cells[0]._tc.getparent(), header=True)
        for cell, name in zip(cells, names, strict=True):
            head = self.cell_text(cell, name, bold=True, colour=self.head[0])
            head.paragraph_format.keep_with_next = True  # never alone at a page's foot
            parts.shade(cell._tc.tcPr, self.head[1])
        return table

    def row(self, table: Any, widths: tuple[float, ...], spans: tuple[int, ...] = ()) -> list[Any]:
        """A new row of the table: a cell a column, or cells across `spans` columns."""
        from docx.table import _Cell

        tr = table._tbl.add_tr()
        out, at = [], 0
        for span in spans or (1,) * len(widths):
            tc = clone(self._tc)
            tc[0][0].set(W_W, str(round(sum(widths[at : at + span]) * TWIPS_PER_MM)))
            if span > 1:
                tc[0].append(parse_xml(f'<w:gridSpan {nsdecls("w")} w:val="{span}"/>'))
            tc.append(clone(self._p))
            tr.append(tc)
            at += span
            out.append(_Cell(tc, table))
        return out

    def keep_whole(self, cells: list[Any], widths: tuple[float, ...]) -> None:
        """The row is not split across pages, if it fits well within one."""
        if height_mm(cells, list(widths)) <= WHOLE_MM:
            parts.row_props(cells[0]._tc.getparent())

    def _run(self, bold: bool, colour: str | None) -> Any:
        """A run of small text, bold and coloured as asked (a copy of one made once)."""
        key = (bold, colour)
        if key not in self._runs:
            run = Paragraph(clone(self._p), NO_PARENT).add_run()
            run.font.size = SMALL
            run.bold = bold or None
            if colour:
                run.font.color.rgb = parts.rgb(colour)
            self._runs[key] = run._r
        return clone(self._runs[key])

    def cell_text(
        self, cell: Any, text: str, *, bold: bool = False, colour: str | None = None
    ) -> Any:
        """`text` as a line of the cell: its empty last paragraph, else a new one."""
        tc = cell._tc
        p = tc[-1]
        if p.tag != W_P or any(child.tag != W_PPR for child in p):
            p = clone(self._p)
            tc.append(p)
        if text:
            r = self._run(bold, colour)
            text = parts.inert(text)
            if "\n" in text or "\t" in text:
                r.text = text  # a new line as a break, a tab as a tab
            else:
                t = clone(self._t)
                t.text = text
                r.append(t)
            p.append(r)
        return Paragraph(p, cell)

    def more(self, cell: Any, text: str, *, muted: bool = False) -> Any:
        return self.cell_text(cell, text, colour=self.muted if muted else None)

    def text(self, cell: Any, text: str) -> None:
        """Plan text as its paragraphs (a line break kept within each)."""
        for para in paragraphs(text) or [""]:
            self.cell_text(cell, para)

    def note(self, cell: Any, note: ProgressNote | None) -> None:
        """A progress note with its date and who: the paper's "progress update"."""
        if note is not None:
            self.more(cell, f"{note.heading}:", muted=True)
            self.text(cell, note.text)

    def rag_run(self, p: Any, rag: str | None, size: Any = None) -> None:
        """The rating's symbol and word, bold, on its shade: never colour alone."""
        key = (rag, size)
        if key not in self._rags:
            fg, bg = PRINT_FILL.get(rag or "dropped", PRINT_FILL["dropped"])
            run = Paragraph(clone(self._p), NO_PARENT).add_run(
                f"{SYMBOL.get(rag, '–')} {rag_label(rag)}"
            )
            run.bold = True
            run.font.color.rgb = parts.rgb(fg)
            if size is not None:
                run.font.size = size
            parts.shade(run._r.get_or_add_rPr(), bg)
            self._rags[key] = run._r
        p._p.append(clone(self._rags[key]))

    def rag_cell(self, cell: Any, rag: str | None) -> None:
        self.rag_run(self.cell_text(cell, ""), rag, SMALL)
        fill = PRINT_FILL.get(rag or "dropped", PRINT_FILL["dropped"])[1]
        parts.shade(cell._tc.tcPr, fill)
