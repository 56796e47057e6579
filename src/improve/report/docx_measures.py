"""The report's Measures section in Word: each measure with figures as its facts in words
and a real table of its numbers by date (a missing or suppressed figure "–", with the
key; never 0), then the measures with no reading yet. The chart is left to the HTML and
the PDF: the table says the same numbers, and a screen reader reads a table better than
a picture's description."""

from __future__ import annotations

from typing import Any

from . import docx_parts as parts
from .measure_report import COMPARATORS, MeasureEntry, actions_note, intro, own_words, split

WIDTHS = (38.0, 34.0, 34.0, 34.0, 40.0, 60.0)


def measures_docx(w: Any, measures: list[MeasureEntry]) -> None:
    """`w` is the report's Word writer (docx._Writer): its headings, paragraphs and tables."""
    w.heading("Measures", 2)
    if not measures:
        w.para("None: this plan sets no measures.")
        return
    full, own, acts = split(measures)
    w.para(intro(measures))
    for m in full:
        v = m.view
        w.heading(f"{m.where}: {m.text}", 3).paragraph_format.keep_with_next = True
        # the facts are one paragraph, a line each, with the table's caption after it; not
        # "kept together": LibreOffice then leaves a heading alone at a page's foot
        p = w.para()
        facts = [
            ("Latest reading", m.latest_words()),
            ("Target", m.target_words()),
            ("Rating", m.rating_words()),
            ("Direction of travel", m.trend_words()),
            ("England", m.comparator_words("england")),
            ("Region", m.comparator_words("region")),
            ("Statistical neighbours", m.comparator_words("neighbours")),
        ]
        if v.against:
            facts.append(("Against them", f"{v.against} (figures of the same date)"))
        for n, (label, text) in enumerate(facts):
            if n:
                p.add_run().add_break()
            p.add_run(f"{label}: ").bold = True
            if label == "Rating" and v.rag:
                w.rag_run(p, v.rag)
                text = " " + text.split(" ", 1)[1]
            p.add_run(parts.inert(text))
        p.paragraph_format.widow_control = True
        caption = w.para(f"Figures: {m.where}: {m.text}", "Caption")
        caption.paragraph_format.keep_with_next = True
        heads = ("Date", "This council", "England", "Region", m.neighbours_heading, "Source")
        table = w.table(heads, WIDTHS)
        for p in m.points:
            cells = w.row(table, WIDTHS)
            w.cell_text(cells[0], m.day(p.on), bold=True)
            values = [p.value, *(p.figure(key) for key, _ in COMPARATORS)]
            for cell, value in zip(cells[1:5], values, strict=True):
                w.cell_text(cell, m.cell(value)).alignment = 2  # right, as numbers are
            w.cell_text(cells[5], p.source or "")
            w.keep_whole(cells, WIDTHS)
        w.para()
    if own or acts:
        w.heading(f"Other measures ({len(own) + len(acts)})", 3)
        for m in own:
            w.para(own_words(m), "List Bullet", bold=f"{m.where}: ")
        if acts:
            w.para(actions_note(acts))
