"""The report as one self-contained HTML file: inline CSS, no script, no external
assets; semantic tables, landmarks and a skip link (WCAG 2.2 AA); prints on A4
landscape with the header row repeated and no row split. Every piece of plan text is
escaped; only safe links become links (`safety.safe_link`)."""

from __future__ import annotations

from datetime import date
from html import escape
from pathlib import Path

from .build import (
    GOOD_HEADING,
    KEY,
    SYMBOL,
    WHY_HEADING,
    Group,
    Item,
    PlanReport,
    ProgressNote,
    Report,
    Row,
    in_theme_order,
    pct,
    rag_label,
)
from .measure_html import measures_html
from .paper import colgroup, column_widths, too_tall
from .safety import safe_link
from .style import stylesheet
from .words import long_date

COLUMNS = (
    "Ref",
    "Outcome",
    "Action",
    "Success measure(s)",
    "Lead(s)",
    "Date due",
    "% complete",
    "RAG rating",
    "Performance: is the action making a difference?",
)


def columns(action_label: str = "Action") -> tuple[str, ...]:
    """The table's headings, with the plan's own word for an action ("How it will be
    achieved") in place of "Action"."""
    return tuple(action_label if c == "Action" else c for c in COLUMNS)


def paragraphs(text: str) -> list[str]:
    """Plan text as its paragraphs (split at blank lines), each with its lines."""
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def text_html(text: str) -> str:
    """Plan text with its paragraphs and lines kept (bulleted lines in notes), escaped: one
    paragraph as it is, several each in a <p>."""
    paras = [p.split("\n") for p in paragraphs(text)]
    if len(paras) == 1:
        return "<br>".join(e(line) for line in paras[0])
    return "".join("<p>" + "<br>".join(e(line) for line in p) + "</p>" for p in paras)


def note_html(note: ProgressNote | None) -> str:
    """A progress note with its date and who: the paper's "progress update"."""
    if note is None:
        return ""
    return f'<div class="note"><p class="muted">{e(note.heading)}:</p>{text_html(note.text)}</div>'


def e(text: object) -> str:
    return escape(str(text), quote=True)


def rag_html(rag: str | None, tag: str = "span") -> str:
    name = rag or "dropped"
    return (
        f'<{tag} class="rag rag-{name}"><span aria-hidden="true">{SYMBOL.get(rag, "–")}</span> '
        f"{e(rag_label(rag))}</{tag}>"
    )


def _date(day: date | None) -> str:
    return "–" if day is None else long_date(day)


class _Writer:
    def __init__(self, report: Report, plans_root: Path, out_dir: Path | None) -> None:
        self.report, self.root, self.out_dir = report, plans_root, out_dir
        self.parts: list[str] = []
        self.ids: set[str] = set()
        self.widths: tuple[float, ...] = ()  # the full table's columns (paper.py)

    def w(self, text: str) -> None:
        self.parts.append(text)

    def anchor(self, base: str) -> str:
        slug = "".join(c if c.isalnum() else "-" for c in base.lower()).strip("-") or "x"
        candidate, n = slug, 1
        while candidate in self.ids:
            n += 1
            candidate = f"{slug}-{n}"
        self.ids.add(candidate)
        return candidate

    def link(self, pr: PlanReport, text: str, link: str | None) -> str:
        href = safe_link(link, pr.plan.file, self.root, self.out_dir)
        if href is None:
            return e(text) + (f' <span class="muted">({e(link)})</span>' if link else "")
        return f'<a href="{e(href)}">{e(text)}</a>'

    # -- the page --------------------------------------------------------------------

    def page(self) -> str:
        r = self.report
        self.w("<!DOCTYPE html>\n")
        self.w('<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n')
        self.w('<meta name="viewport" content="width=device-width, initial-scale=1">\n')
        self.w(f"<title>{e(r.title)}</title>\n")
        if r.produced_by:
            self.w(f'<meta name="author" content="{e(r.produced_by)}">\n')
        self.w(f'<meta name="dcterms.date" content="{r.today.isoformat()}">\n')
        self.w(f"<style>{stylesheet()}</style>\n</head>\n<body>\n")
        self.w('<a class="skip" href="#main">Skip to the report</a>\n')
        self.w("<header>\n")
        self.w(f"<h1>{e(r.title)}</h1>\n")
        self.w(f'<p class="muted">As at {e(long_date(r.today))}.')
        self.w(" Colour is never the only signal: every rating is shown with its word.</p>\n")
        self.w("</header>\n")
        plan_anchors = [self.anchor(f"plan-{pr.plan.id}") for pr in r.plans]
        if len(r.plans) > 1:
            self.w('<nav aria-label="Plans in this report"><h2 class="first">Contents</h2><ul>\n')
            for pr, anchor in zip(r.plans, plan_anchors, strict=True):
                self.w(f'<li><a href="#{anchor}">{e(pr.plan.title)}</a></li>\n')
            self.w("</ul></nav>\n")
        self.w('<main id="main">\n')
        if r.not_reported:
            self.w('<section aria-labelledby="not-reported"><h2 id="not-reported" class="first">')
            self.w("Plans not reported (their files have errors)</h2><ul>\n")
            for line in r.not_reported:
                self.w(f"<li>{e(line)}</li>\n")
            self.w("</ul></section>\n")
        for n, (pr, anchor) in enumerate(zip(r.plans, plan_anchors, strict=True)):
            self.plan(pr, anchor, first=n == 0 and len(r.plans) == 1 and not r.not_reported)
        self.w("</main>\n<footer>\n")
        who = f" by {e(r.produced_by)}" if r.produced_by else ""
        self.w(f'<p class="muted">Produced{who} with improve on {e(long_date(r.today))}, ')
        self.w("from the plan files and their recorded history.</p>\n</footer>\n</body>\n</html>\n")
        return "".join(self.parts)

    def plan(self, pr: PlanReport, anchor: str, first: bool) -> None:
        p = pr.plan
        self.w(f'<section aria-labelledby="{anchor}">\n')
        cls = ' class="first"' if first else ""
        self.w(f'<h2 id="{anchor}"{cls}>{e(p.title)}</h2>\n')
        facts = [x for x in (p.organisation, p.owner and f"Owner: {p.owner}") if x]
        if facts:
            self.w(f'<p class="muted">{e(" · ".join(facts))}</p>\n')
        self.headline(pr, anchor)
        self.exceptions(pr, anchor)
        self.little_evidence(pr, anchor)
        self.w(measures_html(pr.measures, anchor, self.anchor, rag_html))
        self.table(pr, anchor)
        self.key(anchor)
        self.w("</section>\n")

    def headline(self, pr: PlanReport, anchor: str) -> None:
        h = pr.headline
        self.w(f'<h3 id="{anchor}-headline">Headline</h3>\n<div class="headline">\n<dl>\n')
        self.w(f"<dt>As at</dt><dd>{e(long_date(pr.status.today))}</dd>\n")
        self.w(f"<dt>Complete</dt><dd>{e(h.method)}</dd>\n")
        counts = ", ".join(
            f"{rag_html(c)} {h.counts.get(c, 0)}" for c, _ in KEY if h.counts.get(c, 0)
        )
        self.w(f"<dt>Ratings</dt><dd>{counts or 'no actions'}</dd>\n")
        self.w(f"<dt>Overdue</dt><dd>{h.overdue}</dd>\n<dt>Stale</dt><dd>{h.stale}</dd>\n")
        if h.dropped:
            self.w(f"<dt>Dropped</dt><dd>{h.dropped} (left out of every figure)</dd>\n")
        if pr.last_reported:
            body, on = pr.last_reported
            nxt = (
                f"; next report due {e(long_date(pr.next_report_due))}"
                if pr.next_report_due
                else ""
            )
            self.w(f"<dt>Last reported</dt><dd>to {e(body)} on {e(long_date(on))}{nxt}</dd>\n")
        if pr.since:
            s = pr.since
            note = f" ({e(s.review_note)})" if s.review_note else ""
            self.w(f"<dt>Since the review of {e(long_date(s.review_date))}{note}</dt><dd>")
            self.w(f"{pct(s.percent_then)} → {pct(h.percent)} complete")
            if s.lines:
                self.w("<ul>" + "".join(f"<li>{e(line)}</li>" for line in s.lines) + "</ul>")
            self.w("</dd>\n")
        self.w("</dl>\n")
        if len(pr.trend) >= 2:
            self.trend(pr, anchor)
        self.w("</div>\n")

    def trend(self, pr: PlanReport, anchor: str) -> None:
        points = pr.trend
        width, height, pad = 320, 120, 24
        xs = [pad + i * (width - 2 * pad) / (len(points) - 1) for i in range(len(points))]
        ys = [height - pad - (p.percent or 0) / 100 * (height - 2 * pad) for p in points]
        line = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))
        first, last = points[0], points[-1]
        desc = (
            f"Percent complete at each of {len(points)} reviews, from {pct(first.percent)} on "
            f"{long_date(first.on)} to {pct(last.percent)} on {long_date(last.on)}."
        )
        self.w(f'<figure aria-labelledby="{anchor}-trend-cap">\n')
        self.w(
            f'<svg role="img" aria-labelledby="{anchor}-trend-t {anchor}-trend-d" '
            f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
            f'<title id="{anchor}-trend-t">Trend of percent complete</title>'
            f'<desc id="{anchor}-trend-d">{e(desc)}</desc>'
            f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" '
            'stroke="#4a4a4a"/>'
            f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{height - pad}" stroke="#4a4a4a"/>'
            f'<text x="2" y="{pad + 4}" font-size="10" fill="#1a1a1a">100%</text>'
            f'<text x="6" y="{height - pad + 4}" font-size="10" fill="#1a1a1a">0%</text>'
            f'<polyline points="{line}" fill="none" stroke="#1f3a5f" stroke-width="2"/>'
            + "".join(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#1f3a5f"/>'
                for x, y in zip(xs, ys, strict=True)
            )
            + "</svg>\n"
        )
        self.w(f'<figcaption id="{anchor}-trend-cap">{e(desc)}</figcaption>\n</figure>\n')
        self.w("<table><caption>Percent complete at each review</caption>\n")
        self.w('<thead><tr><th scope="col">Review</th><th scope="col">% complete</th></tr></thead>')
        self.w("<tbody>\n")
        for p in points:
            self.w(
                f'<tr><td class="date">{long_date(p.on)}</td><td class="num">{pct(p.percent)}</td></tr>\n'
            )
        self.w("</tbody></table>\n")

    def items(self, items: list[Item], heading: str) -> None:
        """A table of items under an <h4 id=heading> that names it."""
        self.w(f'<table class="items" aria-labelledby="{heading}">\n<thead><tr>')
        for name in ("Ref", "Action", "RAG rating", "Detail"):
            self.w(f'<th scope="col">{name}</th>')
        self.w("</tr></thead>\n<tbody>\n")
        for item in items:
            self.w(
                f'<tr><th scope="row">{e(item.ref)}</th><td>{e(item.action)}</td>'
                f"{rag_html(item.rag, 'td')}<td>{e(item.detail)}{note_html(item.progress)}</td></tr>\n"
            )
        self.w("</tbody></table>\n")

    def exceptions(self, pr: PlanReport, anchor: str) -> None:
        self.w(f'<h3 id="{anchor}-exceptions">Exceptions</h3>\n')
        if not pr.exceptions:
            self.w(
                "<p>None: nothing is red, amber, overdue, slipped, awaiting a decision, stale or set by hand.</p>\n"
            )
        for section in pr.exceptions:
            hid = self.anchor(f"{anchor}-{section.key}")
            self.w(f'<h4 id="{hid}">{e(section.title)} ({len(section.items)})</h4>\n')
            self.items(section.items, hid)

    def little_evidence(self, pr: PlanReport, anchor: str) -> None:
        self.w(f'<h3 id="{anchor}-little">Areas with little or no evidence of progress</h3>\n')
        self.w(
            f"<p>Open actions with no update, evidence or measure reading {e(pr.period_label)} "
            f"(from {e(long_date(pr.period_start))} to {e(long_date(pr.status.today))}).</p>\n"
        )
        if pr.quiet_recommendations:
            label = pr.plan.label("recommendation")
            hid = self.anchor(f"{anchor}-quiet")
            count = len(pr.quiet_recommendations)
            self.w(f'<h4 id="{hid}">{e(label)}s with none on any of their actions ({count})</h4>\n')
            self.items(pr.quiet_recommendations, hid)
        if pr.little_evidence:
            hid = self.anchor(f"{anchor}-little-actions")
            self.w(f'<h4 id="{hid}">Actions ({len(pr.little_evidence)})</h4>\n')
            self.items(pr.little_evidence, hid)
        else:
            self.w("<p>None: every open action has recorded progress in the period.</p>\n")

    def table(self, pr: PlanReport, anchor: str) -> None:
        self.w(f'<h3 id="{anchor}-table">The full plan</h3>\n<table class="plan">\n')
        self.w(
            f"<caption>{e(pr.plan.title)}: every action, by theme and recommendation</caption>\n"
        )
        self.widths = column_widths([row for group in pr.groups for row in group.rows])
        self.w(colgroup(self.widths))
        heads = columns(pr.action_label)
        self.w("<thead><tr>" + "".join(f'<th scope="col">{e(c)}</th>' for c in heads))
        self.w("</tr></thead>\n")
        theme = object()
        for group in in_theme_order(pr.groups):
            self.w("<tbody>\n")
            if group.theme != theme and group.theme:
                self.w(
                    f'<tr class="theme"><th scope="colgroup" colspan="{len(COLUMNS)}">'
                    f"{e(group.theme)}</th></tr>\n"
                )
            theme = group.theme
            heading = f"{group.label} {group.ref}"
            title = f": {group.title}" if group.title else ""
            text = f"<br>{e(group.text)}" if group.text else ""
            self.w(
                f'<tr class="rec"><th scope="colgroup" colspan="{len(COLUMNS)}"><strong>'
                f"{e(heading)}{e(title)}</strong> — {pct(group.percent)} complete, "
                f"{rag_html(group.rag)}{text}</th></tr>\n"
            )
            self.own_words(group)
            for row in group.rows:
                self.row(pr, row)
            self.w("</tbody>\n")
        self.w("</table>\n")

    def own_words(self, group: Group) -> None:
        """Under the recommendation's heading: why it matters and what good looks like, in
        the plan's words (as the Telford plan prints them)."""
        if not (group.why_it_matters or group.good_looks_like):
            return
        parts = []
        if group.why_it_matters:
            parts.append(f"<p><strong>{WHY_HEADING}</strong></p>{text_html(group.why_it_matters)}")
        if group.good_looks_like:
            items = "".join(f"<li>{e(x)}</li>" for x in group.good_looks_like)
            parts.append(f'<p><strong>{GOOD_HEADING}</strong></p><ul class="items">{items}</ul>')
        self.w(f'<tr class="rec-words"><td colspan="{len(COLUMNS)}">{"".join(parts)}</td></tr>\n')

    def row(self, pr: PlanReport, row: Row) -> None:
        measures = "".join(
            f"<li>{e(ms.shown)}"
            + (f" — {e(ms.status.replace('-', ' '))}" if ms.status in ("met", "not-met") else "")
            + "</li>"
            for ms in row.measures
        )
        evidence = "".join(
            f"<li>{e(long_date(d))}: {self.link(pr, text, link)}</li>"
            for d, text, link in row.evidence
        )
        # one date keeps to its line (td.date); stages and a moved date are a list that wraps
        due = e(row.due_words)
        due_class = "date"
        if row.stages:
            due_class = "due"
            due = '<ul class="items">' + "".join(f"<li>{e(s)}</li>" for s in row.stage_words())
            due += "</ul>"
        if row.extended:
            due_class = "due"
            due += f'<p class="muted">{e(row.due_changes())}</p>'
        measure_list = f'<ul class="items">{measures}</ul>' if measures else ""
        impact = note_html(row.progress) + e(row.impact)
        if row.impact_note:
            impact += ("<br>" if row.impact else "") + e(row.impact_note)
        if evidence:
            impact += f'<br><span class="muted">Evidence:</span><ul class="items">{evidence}</ul>'
        tr = '<tr class="long">' if too_tall(row, self.widths) else "<tr>"  # may break
        self.w(
            f'{tr}<th scope="row">{e(row.ref)}</th><td>{e(row.outcome)}</td>'
            f'<td>{text_html(row.action)}<p class="muted">{e(row.why_words)}</p></td>'
            f"<td>{measure_list}</td>"
            f'<td>{e("; ".join(row.leads))}</td><td class="{due_class}">{due}</td>'
            f'<td class="num">{row.percent}%</td>{rag_html(row.rag, "td")}<td>{impact}</td></tr>\n'
        )

    def key(self, anchor: str) -> None:
        self.w(f'<h3 id="{anchor}-key">Key to the ratings</h3>\n<ul class="key">\n')
        for rag, words in KEY:
            self.w(f"<li>{rag_html(rag)} {e(words)}</li>\n")
        self.w("</ul>\n")


def render_html(report: Report, plans_root: Path, out_dir: Path | None = None) -> str:
    return _Writer(report, plans_root, out_dir).page()
