"""The report's colours and stylesheet. Every text colour is declared with the background
it sits on (`PAIRS`), so a test can compute the contrast of each against WCAG 2.2 AA."""

from __future__ import annotations

# (where, text colour, background colour)
PAIRS = [
    ("body text", "#1a1a1a", "#ffffff"),
    ("muted text", "#4a4a4a", "#ffffff"),
    ("links", "#0a4a8f", "#ffffff"),
    ("links in shaded rows", "#0a4a8f", "#f3f5f8"),
    ("shaded rows", "#1a1a1a", "#f3f5f8"),
    ("table header", "#ffffff", "#1f3a5f"),
    ("recommendation rows", "#1a1a1a", "#dde6f0"),
    ("theme rows", "#ffffff", "#2f4f75"),
    ("skip link", "#ffffff", "#1f3a5f"),
    ("RAG red", "#ffffff", "#b3261e"),
    ("RAG amber", "#1a1a1a", "#f2b01e"),
    ("RAG green", "#ffffff", "#1e6b34"),
    ("RAG grey", "#1a1a1a", "#d9d9d9"),
    ("RAG blue", "#ffffff", "#1f4e9e"),
    ("RAG dropped", "#1a1a1a", "#ffffff"),
    # On paper, every text is dark on a light tint: a printer that drops backgrounds (as
    # browsers do by default) still leaves every word readable.
    ("print table header", "#000000", "#dde6f0"),
    ("print theme rows", "#000000", "#c9d6e6"),
    ("print RAG red", "#000000", "#f4c7c3"),
    ("print RAG amber", "#000000", "#fde5a6"),
    ("print RAG green", "#000000", "#c8e6c9"),
    ("print RAG grey", "#000000", "#e6e6e6"),
    ("print RAG blue", "#000000", "#c5d5f0"),
    ("print RAG dropped", "#000000", "#ffffff"),
    # The measures' charts: each line (and its name in the legend) on white, told apart by
    # its dash and marker as well (`SERIES`), so a black-and-white copy still reads.
    ("chart this council", "#1f3a5f", "#ffffff"),
    ("chart England", "#b3261e", "#ffffff"),
    ("chart region", "#1e6b34", "#ffffff"),
    ("chart neighbours", "#6a3d9a", "#ffffff"),
    ("chart target", "#4a4a4a", "#ffffff"),
]
RAG_FILL = {name.split()[1]: (fg, bg) for name, fg, bg in PAIRS if name.startswith("RAG ")}
# (colour, dash) of each line of a measure's chart, and the axes' (text, line) colours
SERIES = {
    "value": (next(fg for n, fg, _ in PAIRS if n == "chart this council"), "none"),
    "england": (next(fg for n, fg, _ in PAIRS if n == "chart England"), "9 4"),
    "region": (next(fg for n, fg, _ in PAIRS if n == "chart region"), "2 3"),
    "neighbours": (next(fg for n, fg, _ in PAIRS if n == "chart neighbours"), "9 3 2 3"),
    "target": (next(fg for n, fg, _ in PAIRS if n == "chart target"), "14 5"),
    "axis": ("#1a1a1a", "#4a4a4a"),
}
PRINT_FILL = {name.split()[2]: (fg, bg) for name, fg, bg in PAIRS if name.startswith("print RAG ")}


def _hex(colour: str) -> tuple[float, float, float]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def luminance(colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _hex(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fg: str, bg: str) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""
    a, b = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def _c(name: str) -> tuple[str, str]:
    return next((fg, bg) for n, fg, bg in PAIRS if n == name)


# The full table's columns (html.COLUMNS, in order) as percentages of its width, laid out
# with `table-layout: fixed`: the widths are read from the header row alone, so no cell
# is measured to size a column (the slow part of laying out a long table), and each
# column is as wide as its content needs on A4 landscape: Ref, % and RAG narrow, Date due
# wide enough for "31 January 2017", the words (Action, Success measures and the progress
# note under Performance) wide.
PLAN_WIDTHS = (5, 11, 16, 18, 8, 11, 6, 7, 18)
# The exceptions' and the little-evidence tables: Ref, Action, RAG rating, Detail.
ITEM_WIDTHS = (6, 43, 9, 42)
# One family for print (Arial's metrics, narrower than DejaVu: fewer lines, fewer pages),
# DejaVu Sans for the rating symbols it lacks.
PRINT_FONT = 'Arial, "Liberation Sans", "DejaVu Sans", sans-serif'


def _widths(table: str, widths: tuple[float, ...]) -> str:
    return "\n".join(
        f"table.{table} > thead th:nth-child({n}) {{ width: {w}%; }}"
        for n, w in enumerate(widths, start=1)
    )


def stylesheet() -> str:
    body, muted, link = _c("body text"), _c("muted text"), _c("links")
    head, rec, theme, shaded, skip = (
        _c("table header"),
        _c("recommendation rows"),
        _c("theme rows"),
        _c("shaded rows"),
        _c("skip link"),
    )
    print_head, print_theme = _c("print table header"), _c("print theme rows")
    print_rags = "\n".join(
        f"  .rag-{name}, tbody tr:nth-child(even) td.rag-{name} {{ color: {fg}; background: {bg}; }}"
        for name, (fg, bg) in PRINT_FILL.items()
    )
    rags = "\n".join(
        f".rag-{name}, tbody tr:nth-child(even) td.rag-{name} {{ color: {fg}; background: {bg}; }}"
        for name, (fg, bg) in RAG_FILL.items()
    )
    return f"""
@page {{ size: A4 landscape; margin: 12mm 10mm 14mm 10mm;
  @bottom-right {{ content: "Page " counter(page) " of " counter(pages); font: 9pt sans-serif; color: {muted[0]}; }}
  @bottom-left {{ content: string(doctitle); font: 9pt sans-serif; color: {muted[0]}; }} }}
html {{ color: {body[0]}; background: {body[1]}; }}
body {{ font: 11pt/1.4 "DejaVu Sans", Verdana, Arial, sans-serif; margin: 0 auto; max-width: 110em; padding: 0 1em; }}
h1 {{ font-size: 1.6em; margin: .6em 0 .2em; string-set: doctitle content(); }}
h2 {{ font-size: 1.35em; margin: 1.4em 0 .3em; break-before: page; border-bottom: 2px solid {head[1]}; }}
h2.first {{ break-before: auto; }}
h3 {{ font-size: 1.12em; margin: 1.1em 0 .3em; break-after: avoid; }}
h4 {{ font-size: 1em; margin: .8em 0 .2em; break-after: avoid; }}
h3 + p {{ break-after: avoid; }}
p, li {{ max-width: 75em; }}
.muted {{ color: {muted[0]}; }}
a {{ color: {link[0]}; }}
.skip {{ position: absolute; left: -999em; }}
.skip:focus {{ left: 1em; top: 1em; padding: .4em .8em; color: {skip[0]}; background: {skip[1]}; z-index: 1; }}
table {{ border-collapse: collapse; width: 100%; margin: .4em 0 1em; font-size: .9em; line-height: 1.3; }}
table.plan, table.items {{ table-layout: fixed; }}
table.plan > thead th, table.items > thead th {{ box-sizing: border-box; }}
{_widths("items", ITEM_WIDTHS)}
caption {{ text-align: left; font-weight: bold; padding: .3em 0; break-after: avoid; }}
th, td {{ border: 1px solid #6b6b6b; padding: .3em .4em; text-align: left; vertical-align: top; overflow-wrap: break-word; }}
td p, th p {{ margin: 0 0 .3em; }}
td ul, th ul {{ margin: 0 0 .3em; }}
td > :last-child, th > :last-child, .note > :last-child {{ margin-bottom: 0; }}
thead th {{ color: {head[0]}; background: {head[1]}; }}
thead {{ display: table-header-group; }}
tr {{ break-inside: avoid; page-break-inside: avoid; }}
tr.long {{ break-inside: auto; page-break-inside: auto; }}
tr.theme, tr.rec, tr.rec-words {{ break-after: avoid; page-break-after: avoid; }}
tbody tr:nth-child(even) td {{ background: {shaded[1]}; }}
tr.theme th {{ color: {theme[0]}; background: {theme[1]}; font-size: 1.05em; }}
tr.rec th {{ color: {rec[0]}; background: {rec[1]}; font-weight: normal; }}
tr.rec th strong {{ font-weight: bold; }}
tr.rec-words td {{ background: {body[1]}; }}
td.num {{ text-align: right; white-space: nowrap; }}
td.date {{ white-space: nowrap; }}
.rag {{ font-weight: bold; white-space: nowrap; }}
span.rag {{ padding: 0 .3em; border: 1px solid #1a1a1a; }}
td.rag {{ border: 1px solid #1a1a1a; }}
{rags}
.headline {{ display: flex; flex-wrap: wrap; gap: 1em 2em; align-items: flex-start; }}
.headline dl {{ flex: 1 1 30em; max-width: 60em; margin: 0; display: grid; grid-template-columns: 11em minmax(0, 1fr); gap: .15em 1em; }}
.headline dt {{ font-weight: bold; }}
.headline dd {{ margin: 0; }}
.headline table {{ width: auto; margin: 0; }}
figure {{ margin: 0; }}
figure svg {{ display: block; }}
.measure {{ margin: 0 0 1.2em; }}
.measure h4, .measure dl {{ break-after: avoid; }}
.measure dl, .measure figure {{ break-inside: avoid; }}
.measure dl {{ margin: 0 0 .4em; display: grid; grid-template-columns: 13em minmax(0, 1fr); gap: .15em 1em; max-width: 75em; }}
.measure dt {{ font-weight: bold; }}
.measure dd {{ margin: 0; }}
.measure-figs {{ display: flex; flex-wrap: wrap; gap: .5em 2em; align-items: flex-start; }}
.measure-figs figure svg {{ max-width: 100%; height: auto; }}
table.figures {{ width: auto; margin: 0 0 .4em; }}
.key {{ padding-left: 0; break-inside: avoid; }}
.key li {{ list-style: none; margin: .2em 0; }}
ul.items {{ padding-left: 1.2em; }}
td ul.items {{ padding-left: .9em; }}
footer {{ margin-top: 2em; border-top: 1px solid #6b6b6b; padding-top: .5em; break-inside: avoid; }}
@media print {{
  html {{ print-color-adjust: exact; -webkit-print-color-adjust: exact; }}
  body {{ max-width: none; padding: 0; font-size: 9.5pt; font-family: {PRINT_FONT}; }}
  thead th {{ color: {print_head[0]}; background: {print_head[1]}; }}
  tr.theme th {{ color: {print_theme[0]}; background: {print_theme[1]}; }}
{print_rags}
  a {{ text-decoration: underline; }}
  .skip {{ display: none; }}
  .measure-figs {{ display: block; }}
}}
"""
