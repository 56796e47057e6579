"""The report as a Word document (python-docx), for committee papers that go through Word
and a council's committee system: the plan a Heading 1, each part a Heading 2, the
exceptions' sections, themes and recommendations Heading 3 (a recommendation under a
theme Heading 4); every table a real Word table whose header row repeats on each page
and whose rows are not split; A4 landscape; each RAG rating its word and symbol in a
shaded cell (colour is never the only signal; the print colours of `style.PAIRS`, which
a test holds to WCAG AA); the trend chart a picture with alt text, its numbers in a
table beside it. With a template (`--template FILE.docx`) the report is built into the
council's own document: its styles, headers, footers and margins, as pandoc's reference
document does.

Plan text is untrusted: control characters (which Word's XML cannot hold) are written as
pictures (`docx_parts.inert`), and only links `safety.safe_link` allows are links."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from docx.shared import Mm, Pt

from . import docx_parts as parts
from .build import (
    GOOD_HEADING,
    KEY,
    WHY_HEADING,
    Group,
    Item,
    PlanReport,
    Report,
    Row,
    in_theme_order,
    pct,
)
from .docx_measures import measures_docx
from .docx_tables import ITEMS, SMALL, Tables, fit_widths, pair, scaled
from .html import COLUMNS, columns
from .safety import safe_link
from .words import long_date


class _Writer(Tables):
    def __init__(self, report: Report, root: Path, out_dir: Path | None, doc: Any) -> None:
        super().__init__(doc)
        self.report, self.root, self.out_dir = report, root, out_dir
        self.theme = pair("print theme rows")
        self.rec = pair("recommendation rows")
        self.link_colour = pair("links")[0]
        section = doc.sections[-1]
        margins = (section.left_margin or Mm(20)) + (section.right_margin or Mm(20))
        self.width = max(150.0, (section.page_width - margins) / 36000)  # mm to fill
        self.widths: tuple[float, ...] = ()
        self.styles: dict[str, str | None] = {}

    def style_id(self, name: str) -> str | None:
        """The id of a paragraph style the document has (a heading added if it has none),
        looked up once: python-docx searches the styles each time."""
        if name not in self.styles:
            if name.startswith("Heading "):
                parts.heading_style(self.doc, int(name.split()[1]))
            self.styles[name] = (
                self.doc.styles[name].style_id if parts.has_style(self.doc, name) else None
            )
        return self.styles[name]

    def para(self, text: str = "", style: str | None = None, *, bold: str = "") -> Any:
        p = self.doc.add_paragraph()
        if style and (sid := self.style_id(style)):
            p._p.style = sid
        if bold:
            p.add_run(parts.inert(bold)).bold = True
        if text:
            p.add_run(parts.inert(text))
        return p

    def heading(self, text: str, level: int) -> Any:
        return self.para(text, f"Heading {level}")

    def items(self, items: list[Item]) -> None:
        widths = scaled(ITEMS, self.width)
        table = self.table(("Ref", "Action", "RAG rating", "Detail"), widths)
        for item in items:
            cells = self.row(table, widths)
            ref, action, rag, detail = cells
            self.cell_text(ref, item.ref, bold=True)
            self.text(action, item.action)
            self.rag_cell(rag, item.rag)
            self.cell_text(detail, item.detail)
            self.note(detail, item.progress)
            self.keep_whole(cells, widths)
        self.para()

    # -- the document --------------------------------------------------------------------

    def document(self) -> None:
        r = self.report
        self.para(r.title, "Title")
        self.para(
            f"As at {long_date(r.today)}. Colour is never the only signal: every rating is "
            "shown with its word."
        )
        if r.not_reported:
            self.heading("Plans not reported (their files have errors)", 1)
            for line in r.not_reported:
                self.para(line, "List Bullet")
        for n, pr in enumerate(r.plans):
            self.plan(pr, first=n == 0)
        who = f" by {r.produced_by}" if r.produced_by else ""
        self.para(
            f"Produced{who} with improve on {long_date(r.today)}, from the plan files and "
            "their recorded history."
        )

    def plan(self, pr: PlanReport, first: bool) -> None:
        p = pr.plan
        h1 = self.heading(p.title, 1)
        if not first:
            h1.paragraph_format.page_break_before = True
        facts = [x for x in (p.organisation, p.owner and f"Owner: {p.owner}") if x]
        if facts:
            self.para(" · ".join(facts))
        self.headline(pr)
        self.exceptions(pr)
        self.little_evidence(pr)
        measures_docx(self, pr.measures)
        self.full_table(pr)
        self.key()

    def fact(self, label: str, text: str) -> Any:
        p = self.para(text, bold=f"{label}: ")
        p.paragraph_format.space_after = Pt(2)
        return p

    def headline(self, pr: PlanReport) -> None:
        h = pr.headline
        self.heading("Headline", 2)
        self.fact("As at", long_date(pr.status.today))
        self.fact("Complete", h.method)
        ratings = self.fact("Ratings", "" if any(h.counts.values()) else "no actions")
        shown = [c for c, _ in KEY if h.counts.get(c, 0)]
        for i, c in enumerate(shown):
            self.rag_run(ratings, c)
            ratings.add_run(f" {h.counts[c]}" + (", " if i < len(shown) - 1 else ""))
        self.fact("Overdue", str(h.overdue))
        self.fact("Stale", str(h.stale))
        if h.dropped:
            self.fact("Dropped", f"{h.dropped} (left out of every figure)")
        if pr.last_reported:
            body, on = pr.last_reported
            nxt = f"; next report due {long_date(pr.next_report_due)}" if pr.next_report_due else ""
            self.fact("Last reported", f"to {body} on {long_date(on)}{nxt}")
        if pr.since:
            s = pr.since
            note = f" ({s.review_note})" if s.review_note else ""
            lines = "".join(f"; {line}" for line in s.lines)
            self.fact(
                f"Since the review of {long_date(s.review_date)}{note}",
                f"{pct(s.percent_then)} → {pct(h.percent)} complete{lines}",
            )
        if len(pr.trend) >= 2:
            self.trend(pr)

    def trend(self, pr: PlanReport) -> None:
        points = pr.trend
        first, last = points[0], points[-1]
        desc = (
            f"Percent complete at each of {len(points)} reviews, from {pct(first.percent)} on "
            f"{long_date(first.on)} to {pct(last.percent)} on {long_date(last.on)}."
        )
        png = parts.bar_chart_png([p.percent for p in points])
        p = self.doc.add_paragraph()
        p.paragraph_format.keep_with_next = True
        shape = p.add_run().add_picture(BytesIO(png), width=Mm(95))
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", desc)
        doc_pr.set("title", "Trend of percent complete")
        self.para(desc, "Caption").paragraph_format.keep_with_next = True
        table = self.table(("Review", "% complete"), (40, 25))
        for point in points:
            cells = self.row(table, (40, 25))
            self.cell_text(cells[0], long_date(point.on))
            self.cell_text(cells[1], pct(point.percent))
            self.keep_whole(cells, (40, 25))
        self.para()

    def exceptions(self, pr: PlanReport) -> None:
        self.heading("Exceptions", 2)
        if not pr.exceptions:
            self.para(
                "None: nothing is red, amber, overdue, slipped, awaiting a decision, stale or "
                "set by hand."
            )
        for section in pr.exceptions:
            self.heading(f"{section.title} ({len(section.items)})", 3)
            self.items(section.items)

    def little_evidence(self, pr: PlanReport) -> None:
        self.heading("Areas with little or no evidence of progress", 2)
        self.para(
            f"Open actions with no update, evidence or measure reading {pr.period_label} "
            f"(from {long_date(pr.period_start)} to {long_date(pr.status.today)})."
        )
        if pr.quiet_recommendations:
            label = pr.plan.label("recommendation")
            count = len(pr.quiet_recommendations)
            self.heading(f"{label}s with none on any of their actions ({count})", 3)
            self.items(pr.quiet_recommendations)
        if pr.little_evidence:
            self.heading(f"Actions ({len(pr.little_evidence)})", 3)
            self.items(pr.little_evidence)
        else:
            self.para("None: every open action has recorded progress in the period.")

    def full_table(self, pr: PlanReport) -> None:
        self.heading("The full plan", 2)
        caption = f"{pr.plan.title}: every action, by theme and recommendation"
        self.para(caption, "Caption").paragraph_format.keep_with_next = True  # with the table
        names = columns(pr.action_label)
        self.widths = widths = fit_widths(pr, names, self.width)
        table = self.table(names, widths)
        theme: object = object()
        for group in in_theme_order(pr.groups):
            if group.theme and group.theme != theme:
                (cell,) = self.row(table, self.widths, (len(COLUMNS),))
                self.band(cell, group.theme, 3, self.theme)
            under_theme = bool(group.theme)
            theme = group.theme
            (cell,) = self.row(table, self.widths, (len(COLUMNS),))
            title = f": {group.title}" if group.title else ""
            p = self.band(
                cell, f"{group.label} {group.ref}{title}", 4 if under_theme else 3, self.rec
            )
            run = p.add_run(f" — {pct(group.percent)} complete, ")
            run.font.size = SMALL
            self.rag_run(p, group.rag, SMALL)
            if group.text:
                self.text(cell, group.text)
            self.own_words(table, group)
            for row in group.rows:
                self.action(pr, table, row)
        self.para()

    def band(self, cell: Any, text: str, level: int, pair: tuple[str, str]) -> Any:
        """A theme's or a recommendation's row: a heading in the outline, kept with the
        row after it."""
        p = self.cell_text(cell, text, bold=True, colour=pair[0])
        p._p.style = self.style_id(f"Heading {level}")
        p.paragraph_format.keep_with_next = True
        p.runs[0].font.size = Pt(9.5)
        parts.shade(cell._tc.get_or_add_tcPr(), pair[1])
        return p

    def own_words(self, table: Any, group: Group) -> None:
        """Under the recommendation's heading: why it matters and what good looks like, in
        the plan's words (as the Telford plan prints them)."""
        if not (group.why_it_matters or group.good_looks_like):
            return
        (cell,) = self.row(table, self.widths, (len(COLUMNS),))
        if group.why_it_matters:
            self.cell_text(cell, WHY_HEADING, bold=True).paragraph_format.keep_with_next = True
            self.text(cell, group.why_it_matters)
        if group.good_looks_like:
            self.cell_text(cell, GOOD_HEADING, bold=True)
            for line in group.good_looks_like:
                self.cell_text(cell, f"• {line}").paragraph_format.left_indent = Mm(3)

    def action(self, pr: PlanReport, table: Any, row: Row) -> None:
        cells = self.row(table, self.widths)
        ref, outcome, action, measures, leads, due, percent, rag, impact = cells
        self.cell_text(ref, row.ref, bold=True)
        self.cell_text(outcome, row.outcome)
        self.text(action, row.action)
        if row.why_words:
            self.more(action, row.why_words, muted=True)
        for ms in row.measures:
            shown = ms.shown
            if ms.status in ("met", "not-met"):
                shown += f" — {ms.status.replace('-', ' ')}"
            self.cell_text(measures, shown)
        self.cell_text(leads, "; ".join(row.leads))
        for stage in row.stage_words() if row.stages else [row.due_words]:
            self.cell_text(due, stage)  # staged dates: a line a stage
        if row.extended:
            self.more(due, row.due_changes(), muted=True)
        self.cell_text(percent, f"{row.percent}%")
        self.rag_cell(rag, row.rag)
        self.cell_text(impact, row.impact)
        if row.impact_note:
            self.cell_text(impact, row.impact_note)
        if row.evidence:
            self.more(impact, "Evidence:", muted=True)
        for d, text, link in row.evidence:
            p = self.cell_text(impact, f"{long_date(d)}: ")
            href = safe_link(link, pr.plan.file, self.root, self.out_dir)
            if href is not None:
                parts.hyperlink(p, parts.inert(text), href, self.link_colour)
                p.runs[-1].font.size = SMALL
            else:
                p.add_run(parts.inert(text + (f" ({link})" if link else ""))).font.size = SMALL
        self.keep_whole(cells, self.widths)
        if row.progress is not None:
            # the committee's "progress update": the narrative, as wide as the table, on a
            # row of its own (kept whole, unless it is long)
            note = self.row(table, self.widths, (1, len(COLUMNS) - 1))
            self.note(note[1], row.progress)
            self.keep_whole(note, (self.widths[0], sum(self.widths[1:])))

    def key(self) -> None:
        self.heading("Key to the ratings", 2)
        table = self.table(("RAG rating", "Meaning"), (30, 80))
        for rag, words in KEY:
            cells = self.row(table, (30, 80))
            self.rag_cell(cells[0], rag)
            self.cell_text(cells[1], words).paragraph_format.keep_with_next = True
            self.keep_whole(cells, (30, 80))
        self.para()


def render_docx(
    report: Report, plans_root: Path, out_dir: Path | None = None, template: Any = None
) -> bytes:
    """The report as the bytes of a .docx; `template` an opened, emptied document
    (`docx_parts.open_template`), else python-docx's own."""
    from docx import Document

    doc = template if template is not None else Document()
    section = doc.sections[-1]
    parts.landscape_a4(section, None if template is not None else 12.7)
    if template is None:
        _plain_styles(doc)
        footer = section.footer.paragraphs[0]
        parts.fields_footer(footer, f"{parts.inert(report.title)} · ")
        for run in footer.runs:
            run.font.size = Pt(9)
    _Writer(report, plans_root, out_dir, doc).document()
    props = doc.core_properties
    props.title = parts.inert(report.title)[:255]
    props.subject = "Progress report on improvement plans"
    props.author = parts.inert(report.produced_by or "improve")[:255]
    props.last_modified_by = props.author
    props.keywords = "improvement plan; progress; RAG"
    props.created = props.modified = datetime.combine(report.today, datetime.min.time())
    props.revision = 1
    return parts.save(doc, report.today)


def _plain_styles(doc: Any) -> None:
    """python-docx's own headings are pale blue (under AA on white): ours are the body's
    colour; its text is in a sans-serif font, as councils' papers are."""
    body = parts.rgb(pair("body text")[0])
    doc.styles["Normal"].font.name = "Arial"
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "Caption"):
        if parts.has_style(doc, name):
            doc.styles[name].font.color.rgb = body
