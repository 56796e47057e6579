"""The report's Measures section in HTML (and so in the PDF): each measure with figures
as its facts in words, a chart of its readings over time against England, the region,
the statistical neighbours and its target (inline SVG, role="img" with a title that
says the figures in words, which the PDF keeps as the figure's alternate text; each series told apart by its line's dash,
its marker and its name in the legend, never by colour alone), and a table of the same
numbers beside it. A missing or suppressed figure is a gap in its line and "–" in the
table (with the key), never a zero. Every piece of plan text is escaped."""

from __future__ import annotations

import math
from collections.abc import Callable
from html import escape

from ..status.measures import shown, unit_kind
from .measure_report import (
    COMPARATORS,
    DASH_KEY,
    MeasureEntry,
    actions_note,
    intro,
    own_words,
    split,
)
from .style import SERIES


def e(text: object) -> str:
    return escape(str(text), quote=True)


# (key, name in the legend, marker) in the order drawn: the council's line on top
LINES = (
    ("neighbours", "Statistical neighbours", "diamond"),
    ("region", "Region", "triangle"),
    ("england", "England", "square"),
    ("value", "This council", "circle"),
)
WIDTH, HEIGHT = 520, 250
LEFT, RIGHT, TOP, BOTTOM = 78, 24, 26, 44  # the plot's margins (the legend is below)
LEGEND = 44


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{colour}"/>'
    if kind == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="white" stroke="{colour}" stroke-width="2"/>'
    if kind == "triangle":
        pts = f"{x:.1f},{y - 5.5:.1f} {x - 5:.1f},{y + 4:.1f} {x + 5:.1f},{y + 4:.1f}"
        return f'<polygon points="{pts}" fill="{colour}"/>'
    pts = f"{x:.1f},{y - 5.5:.1f} {x + 5.5:.1f},{y:.1f} {x:.1f},{y + 5.5:.1f} {x - 5.5:.1f},{y:.1f}"
    return f'<polygon points="{pts}" fill="white" stroke="{colour}" stroke-width="2"/>'


def _tick(value: float, unit: str | None) -> str:
    """An axis label: in the unit where it is short ("22%", "1 in 307"), else the number."""
    return shown(value, unit if unit_kind(unit) in ("%", "1 in N") else None)


def axis_range(lo: float, hi: float) -> tuple[float, float, list[float]]:
    """The value axis: from a round number below the lowest figure to one above the
    highest, with three to six round ticks between ("300, 320, 340, 360")."""
    size = max(abs(lo), abs(hi))
    if hi - lo <= size * 1e-9:  # one value (or as near as floats tell): a band round it
        pad = size * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
    # a little room, so no line runs along an edge of the plot
    lo, hi = lo - (hi - lo) * 0.06, hi + (hi - lo) * 0.06
    raw = (hi - lo) / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(n * power for n in (1, 2, 2.5, 5, 10) if n * power >= raw)
    first = math.floor(lo / step) * step
    last = math.ceil(hi / step) * step
    count = round((last - first) / step)
    if not (first <= lo and last >= hi and first < last and 2 <= count <= 10):
        return lo, hi, [lo, hi]  # floats too coarse for round steps: the ends alone
    return first, last, [first + i * step for i in range(count + 1)]


def _series(
    m: MeasureEntry,
    x_of: Callable[[int], float],
    y_of: Callable[[float], float],
    out: list[str],
) -> list[tuple[str, str, str]]:
    """Each series with a figure, drawn into `out` as lines broken where a figure is
    missing, with its markers; the series drawn, for the legend."""
    drawn = []
    for key, name, marker in LINES:
        figures = [p.figure(key) for p in m.points]
        if all(x is None for x in figures):
            continue
        drawn.append((key, name, marker))
        colour, dash = SERIES[key]
        width = 3 if key == "value" else 2
        run: list[str] = []
        for i, x in enumerate([*figures, None]):  # a gap where a figure is missing
            if x is not None:
                run.append(f"{x_of(i):.1f},{y_of(x):.1f}")
                continue
            if len(run) > 1:
                out.append(
                    f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" '
                    f'stroke-width="{width}" stroke-dasharray="{dash}"/>'
                )
            run = []
        out += [
            _marker(marker, x_of(i), y_of(x), colour)
            for i, x in enumerate(figures)
            if x is not None
        ]
    return drawn


def chart_svg(m: MeasureEntry, ids: str) -> str:
    """The chart of one measure's figures over time, as inline SVG."""
    v = m.view
    values = [x for p in m.points for k, _, _ in LINES if (x := p.figure(k)) is not None]
    if v.target is not None:
        values.append(v.target)
    lo, hi, ticks = axis_range(min(values), max(values)) if values else (0.0, 1.0, [0.0, 1.0])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    first, last = m.points[0].on, m.points[-1].on
    days = (last - first).days

    def x_of(i: int) -> float:
        if days == 0:
            return LEFT + plot_w / 2
        return LEFT + plot_w * (m.points[i].on - first).days / days

    def y_of(value: float) -> float:
        return TOP + plot_h * (hi - value) / (hi - lo)

    ink, axis = SERIES["axis"]
    out = [
        f'<svg role="img" aria-labelledby="{ids}-t" width="{WIDTH}" '
        f'height="{HEIGHT + LEGEND}" viewBox="0 0 {WIDTH} {HEIGHT + LEGEND}" '
        'xmlns="http://www.w3.org/2000/svg" font-family="DejaVu Sans, Arial, sans-serif">',
        # the whole text alternative in <title>: the PDF takes a figure's Alt from it alone
        f'<title id="{ids}-t">Chart of {e(m.where)}: {e(m.text)}, over time. '
        f"{e(m.chart_words())}</title>",
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT + LEGEND}" fill="white"/>',
    ]
    if unit_kind(m.view.unit) in ("per", "word"):  # "%" and "1 in N" say it on each label
        out.append(f'<text x="4" y="14" font-size="11" fill="{ink}">{e(m.view.unit)}</text>')
    for value in ticks:
        y = y_of(value)
        out.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#d0d0d0"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" font-size="11" fill="{ink}" '
            f'text-anchor="end">{e(_tick(value, m.view.unit))}</text>'
        )
    base = TOP + plot_h
    out.append(f'<line x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}" stroke="{axis}"/>')
    out.append(f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{base}" stroke="{axis}"/>')
    every = max(1, -(-len(m.points) // 6))  # at most six dates along the bottom
    for i, p in enumerate(m.points):
        if i % every and i != len(m.points) - 1:
            continue
        x = x_of(i)
        out.append(
            f'<line x1="{x:.1f}" y1="{base}" x2="{x:.1f}" y2="{base + 4}" stroke="{axis}"/>'
            f'<text x="{x:.1f}" y="{base + 17}" font-size="11" fill="{ink}" '
            f'text-anchor="middle">{e(f"{p.on:%b %Y}")}</text>'
        )
    if v.target is not None:
        y = y_of(v.target)
        colour, dash = SERIES["target"]
        out.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="{colour}" '
            f'stroke-width="1.5" stroke-dasharray="{dash}"/>'
            f'<text x="{WIDTH - RIGHT}" y="{y - 5:.1f}" font-size="11" fill="{colour}" '
            f'text-anchor="end">Target {e(v.show(v.target))}</text>'
        )
    drawn = _series(m, x_of, y_of, out)
    # the legend: each series' dash, marker and name
    at_y = HEIGHT - 8
    if v.target is not None:
        drawn.append(("target", "Target", ""))
    order = ("value", "england", "region", "neighbours", "target")
    drawn.sort(key=lambda d: order.index(d[0]))
    for n, (key, name, marker) in enumerate(drawn):
        colour, dash = SERIES[key]
        lx = 8 + (n % 3) * 170
        ly = at_y + (n // 3) * 20
        out.append(
            f'<line x1="{lx}" y1="{ly}" x2="{lx + 34}" y2="{ly}" stroke="{colour}" '
            f'stroke-width="{3 if key == "value" else 2}" stroke-dasharray="{dash}"/>'
        )
        if marker:
            out.append(_marker(marker, lx + 17, ly, colour))
        out.append(f'<text x="{lx + 40}" y="{ly + 4}" font-size="11" fill="{ink}">{e(name)}</text>')
    out.append("</svg>")
    return "".join(out)


def figures_table(m: MeasureEntry) -> str:
    """The chart's numbers as a table: a row a date, a column a series."""
    heads = ["Date", "This council", "England", "Region", m.neighbours_heading, "Source"]
    out = [
        f'<table class="figures"><caption>Figures: {e(m.where)}: {e(m.text)}</caption>',
        "<thead><tr>" + "".join(f'<th scope="col">{e(h)}</th>' for h in heads) + "</tr></thead>",
        "<tbody>",
    ]
    dashes = False
    for p in m.points:
        cells = [p.value, *(p.figure(key) for key, _ in COMPARATORS)]
        dashes = dashes or any(x is None for x in cells)
        out.append(
            f'<tr><th scope="row" class="date">{e(m.day(p.on))}</th>'
            + "".join(f'<td class="num">{e(m.cell(x))}</td>' for x in cells)
            + f"<td>{e(p.source or '')}</td></tr>"
        )
    out.append("</tbody></table>")
    if dashes:
        out.append(f'<p class="muted">{e(DASH_KEY)}.</p>')
    return "<div>" + "".join(out) + "</div>"


def facts(m: MeasureEntry, rag_html: Callable[[str | None], str]) -> str:
    """The measure's figures in words, as a list of terms."""
    v = m.view
    rating = e(m.rating_words())
    if v.rag is not None:
        rating = f"{rag_html(v.rag)} {e(m.rating_words().split(' ', 1)[1])}"
    rows = [
        ("Latest reading", e(m.latest_words())),
        ("Target", e(m.target_words())),
        ("Rating", rating),
        ("Direction of travel", e(m.trend_words())),
        ("England", e(m.comparator_words("england"))),
        ("Region", e(m.comparator_words("region"))),
        ("Statistical neighbours", e(m.comparator_words("neighbours"))),
    ]
    if v.against:
        rows.append(("Against them", e(f"{v.against} (figures of the same date)")))
    return "<dl>" + "".join(f"<dt>{k}</dt><dd>{val}</dd>" for k, val in rows) + "</dl>"


def measures_html(
    entries: list[MeasureEntry],
    anchor: str,
    heading_id: Callable[[str], str],
    rag_html: Callable[[str | None], str],
) -> str:
    """The Measures section of one plan (`anchor` its id; `heading_id` makes ids unique)."""
    out = [f'<h3 id="{anchor}-measures">Measures</h3>\n']
    if not entries:
        out.append("<p>None: this plan sets no measures.</p>\n")
        return "".join(out)
    full, own, acts = split(entries)
    out.append(f"<p>{e(intro(entries))}</p>\n")
    for m in full:
        hid = heading_id(f"{anchor}-measure-{m.view.id}")
        out.append(f'<div class="measure" role="group" aria-labelledby="{hid}">\n')
        out.append(f'<h4 id="{hid}">{e(m.where)}: {e(m.text)}</h4>\n')
        out.append(facts(m, rag_html) + "\n")
        out.append('<div class="measure-figs">\n')
        if m.charted:
            out.append(f"<figure>{chart_svg(m, hid)}</figure>\n")
        out.append(figures_table(m) + "\n</div>\n</div>\n")
    if own or acts:
        hid = heading_id(f"{anchor}-measures-other")
        out.append(f'<h4 id="{hid}">Other measures ({len(own) + len(acts)})</h4>\n')
        if own:
            out.append('<ul class="items">\n')
            for m in own:
                out.append(f"<li><strong>{e(m.where)}:</strong> {e(own_words(m))}</li>\n")
            out.append("</ul>\n")
        if acts:
            out.append(f"<p>{e(actions_note(acts))}</p>\n")
    return "".join(out)
