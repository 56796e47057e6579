"""The report as Markdown (GitHub and pandoc) and as CSV (one row per action, UTF-8 with
a byte-order mark so Excel reads it right). Plan text is escaped in Markdown, and no CSV
cell can start a formula. Neither carries a control character (ESC, the C1 controls …):
they are written as pictures (␛), so the file is safe to `cat`."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path
from urllib.parse import quote

from ..inert import no_controls
from .build import (
    GOOD_HEADING,
    KEY,
    SYMBOL,
    WHY_HEADING,
    Item,
    PlanReport,
    ProgressNote,
    Report,
    in_theme_order,
    pct,
    rag_label,
)
from .html import COLUMNS, columns, paragraphs
from .measure_report import ROW_COLUMNS, actions_note, figure_rows, intro, own_words, split
from .safety import neutralise, safe_link
from .words import long_date

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def md(text: object) -> str:
    """Plain text that Markdown shows as typed: one line, punctuation escaped, and no
    HTML (< > & become entities)."""
    flat = no_controls(" ".join(str(text).split()))
    flat = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", flat)


def md_rag(rag: str | None) -> str:
    return f"{SYMBOL.get(rag, '–')} **{rag_label(rag)}**"


def md_note(note: ProgressNote | None) -> str:
    """A progress note in one table cell: its date and who in italics, then the text."""
    if note is None:
        return ""
    return f"*{md(note.heading)}:* " + " <br> ".join(md(p) for p in paragraphs(note.text))


def _items_md(out: list[str], items: list[Item]) -> None:
    out.append("| Ref | Action | RAG rating | Detail |")
    out.append("|---|---|---|---|")
    for i in items:
        detail = md(i.detail) + (f" · {md_note(i.progress)}" if i.progress else "")
        out.append(f"| {md(i.ref)} | {md(i.action)} | {md_rag(i.rag)} | {detail} |")
    out.append("")


def render_markdown(report: Report, plans_root: Path, out_dir: Path | None = None) -> str:
    out = [f"# {md(report.title)}", "", f"As at {long_date(report.today)}.", ""]
    if report.not_reported:
        out += ["## Plans not reported (their files have errors)", ""]
        out += [f"- {md(line)}" for line in report.not_reported] + [""]
    for pr in report.plans:
        h = pr.headline
        out += [f"## {md(pr.plan.title)}", "", "### Headline", ""]
        out.append(f"- **As at:** {long_date(pr.status.today)}")
        out.append(f"- **Complete:** {md(h.method)}")
        counts = ", ".join(f"{md_rag(c)} {h.counts.get(c, 0)}" for c, _ in KEY if h.counts.get(c))
        out.append(f"- **Ratings:** {counts or 'no actions'}")
        out.append(f"- **Overdue:** {h.overdue} · **Stale:** {h.stale}")
        if pr.last_reported:
            body, on = pr.last_reported
            nxt = f"; next report due {long_date(pr.next_report_due)}" if pr.next_report_due else ""
            out.append(f"- **Last reported:** to {md(body)} on {long_date(on)}{nxt}")
        if pr.since:
            s = pr.since
            out.append(
                f"- **Since the review of {long_date(s.review_date)}:** "
                f"{pct(s.percent_then)} → {pct(h.percent)} complete"
                + "".join(f"; {md(line)}" for line in s.lines)
            )
        if len(pr.trend) >= 2:
            out.append(
                "- **Trend of percent complete at each review:** "
                + ", ".join(f"{long_date(p.on)} {pct(p.percent)}" for p in pr.trend)
            )
        out += ["", "### Exceptions", ""]
        if not pr.exceptions:
            out += [
                "None: nothing is red, amber, overdue, slipped, awaiting a decision, stale or set by hand.",
                "",
            ]
        for section in pr.exceptions:
            out += [f"#### {md(section.title)} ({len(section.items)})", ""]
            _items_md(out, section.items)
        out += ["### Areas with little or no evidence of progress", ""]
        out += [
            f"Open actions with no update, evidence or measure reading {md(pr.period_label)} "
            f"(from {long_date(pr.period_start)} to {long_date(pr.status.today)}).",
            "",
        ]
        if pr.quiet_recommendations:
            out += [f"#### {md(pr.plan.label('recommendation'))}s with none on any action", ""]
            _items_md(out, pr.quiet_recommendations)
        if pr.little_evidence:
            out += [f"#### Actions ({len(pr.little_evidence)})", ""]
            _items_md(out, pr.little_evidence)
        else:
            out += ["None: every open action has recorded progress in the period.", ""]
        _measures_md(out, pr)
        _table_md(out, pr, plans_root, out_dir)
        out += ["### Key to the ratings", ""]
        out += [f"- {md_rag(rag)}: {words}" for rag, words in KEY] + [""]
    who = f" by {md(report.produced_by)}" if report.produced_by else ""
    out.append(f"*Produced{who} with improve on {long_date(report.today)}.*")
    return "\n".join(out) + "\n"


def _measures_md(out: list[str], pr: PlanReport) -> None:
    """The Measures section: each measure with figures in words and its table of numbers;
    the others listed (an action's under its action in the full plan)."""
    out += ["### Measures", ""]
    if not pr.measures:
        out += ["None: this plan sets no measures.", ""]
        return
    full, own, acts = split(pr.measures)
    out += [md(intro(pr.measures)), ""]
    for m in full:
        v = m.view
        rating = md(m.rating_words())
        if v.rag:
            rating = f"{md_rag(v.rag)} {md(m.rating_words().split(' ', 1)[1])}"
        out += [f"#### {md(m.where)}: {md(m.text)}", ""]
        facts = [
            ("Latest reading", md(m.latest_words())),
            ("Target", md(m.target_words())),
            ("Rating", rating),
            ("Direction of travel", md(m.trend_words())),
            ("England", md(m.comparator_words("england"))),
            ("Region", md(m.comparator_words("region"))),
            ("Statistical neighbours", md(m.comparator_words("neighbours"))),
        ]
        if v.against:
            facts.append(("Against them", md(f"{v.against} (figures of the same date)")))
        out += [f"- **{k}:** {x}" for k, x in facts] + [""]
        heads = ["Date", "This council", "England", "Region", m.neighbours_heading, "Source"]
        out.append("| " + " | ".join(md(h) for h in heads) + " |")
        out.append("|---|---:|---:|---:|---:|---|")
        for p in m.points:
            cells = [p.value, p.england, p.region, p.neighbours]
            out.append(
                f"| {md(m.day(p.on))} | "
                + " | ".join(md(m.cell(x)) for x in cells)
                + f" | {md(p.source or '')} |"
            )
        out.append("")
    if own or acts:
        out += [f"#### Other measures \\({len(own) + len(acts)}\\)", ""]
        out += [f"- **{md(m.where)}:** {md(own_words(m))}" for m in own]
        if own:
            out.append("")
        if acts:
            out += [md(actions_note(acts)), ""]


def _table_md(out: list[str], pr: PlanReport, root: Path, out_dir: Path | None) -> None:
    out += ["### The full plan", ""]
    out.append("| " + " | ".join(md(c) for c in columns(pr.action_label)) + " |")
    out.append("|" + "---|" * len(COLUMNS))
    theme = object()
    for g in in_theme_order(pr.groups):
        if g.theme and g.theme != theme:
            out.append(f"| **{md(g.theme)}** |" + " |" * (len(COLUMNS) - 1))
        theme = g.theme
        title = f": {g.title}" if g.title else ""
        head = md(f"{g.label} {g.ref}{title}")
        out.append(f"| **{head}** | {md(g.text)} | | | | | {pct(g.percent)} | {md_rag(g.rag)} | |")
        words = []
        if g.why_it_matters:
            words.append(f"**{WHY_HEADING}:** {md(g.why_it_matters)}")
        if g.good_looks_like:
            words.append(
                f"**{GOOD_HEADING}:** " + " ".join(f"• {md(x)}" for x in g.good_looks_like)
            )
        if words:
            out.append(f"| | {' <br> '.join(words)} |" + " |" * (len(COLUMNS) - 2))
        for row in g.rows:
            measures = "; ".join(md(ms.shown) for ms in row.measures)
            due = row.due_words
            if row.extended:
                due += f" ({row.due_changes()})"
            evidence = []
            for _d, text, link in row.evidence:
                href = safe_link(link, pr.plan.file, root, out_dir)
                shown = md(text)
                evidence.append(f"[{shown}]({quote(href, safe='/:#?&=@%+~')})" if href else shown)
            impact = md(row.impact) + (f" — {md(row.impact_note)}" if row.impact_note else "")
            if row.progress:
                impact = md_note(row.progress) + (" · " + impact if impact else "")
            if evidence:
                impact += (" · " if impact else "") + "Evidence: " + "; ".join(evidence)
            out.append(
                f"| {md(row.ref)} | {md(row.outcome)} | {md(row.action)} — *{md(row.why_words)}* | "
                f"{measures} | "
                f"{md('; '.join(row.leads))} | {md(due)} | {row.percent}% | {md_rag(row.rag)} | "
                f"{impact} |"
            )
    out.append("")


CSV_COLUMNS = (
    "Plan",
    "Theme",
    "Recommendation",
    "Ref",
    "Outcome",
    "Action",
    "Success measures",
    "Leads",
    "Original due",
    "Due",
    "Extensions",
    "Stages",
    "% complete",
    "RAG",
    "Why",
    "Progress note",
    "Progress note date",
    "Progress note by",
    "Impact",
    "Impact note",
    *ROW_COLUMNS,  # a measure's rows (one per date) after each plan's actions
)


def _plain(value: object) -> str:
    """A cell of a measure's row: a number as written (325.1, 300), a date as YYYY-MM-DD,
    None (a missing or suppressed figure) empty."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.15g}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def render_csv(report: Report) -> str:
    """One row per action; every text cell neutralised so it cannot start a formula."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for pr in report.plans:
        for g in in_theme_order(pr.groups):
            for row in g.rows:
                measures = "; ".join(ms.shown_iso for ms in row.measures)
                stages = "; ".join(
                    f"{s.label}: {s.due.isoformat() if s.due else '–'}"
                    + (" (done)" if s.done else "")
                    for s in row.stages
                )
                note = row.progress
                cells = [
                    pr.plan.id,
                    g.theme or "",
                    g.ref,
                    row.ref,
                    row.outcome,
                    row.action,
                    measures,
                    "; ".join(row.leads),
                    row.original_due.isoformat() if row.original_due else "",
                    row.due.isoformat() if row.due else "",
                    str(row.extensions),
                    stages,
                    str(row.percent),
                    rag_label(row.rag),
                    row.why,
                    note.text if note else "",
                    note.on.isoformat() if note else "",
                    (note.by or "") if note else "",
                    row.impact,
                    row.impact_note,
                ]
                cells += [""] * len(ROW_COLUMNS)
                writer.writerow([neutralise(no_controls(c)) for c in cells])
        themes = {g.ref: g.theme or "" for g in pr.groups}
        for m in pr.measures:
            for values in figure_rows(m):
                cells = [pr.plan.id, themes.get(m.group, ""), m.group]
                cells += [m.ref if m.level == "action" else ""]
                cells += [""] * (len(CSV_COLUMNS) - len(ROW_COLUMNS) - len(cells))
                text = [neutralise(no_controls(c)) for c in cells]
                # a number is written as a number (a negative one is no formula)
                text += [
                    _plain(x) if isinstance(x, int | float) else neutralise(no_controls(_plain(x)))
                    for x in values
                ]
                writer.writerow(text)
    return "\ufeff" + buf.getvalue()
