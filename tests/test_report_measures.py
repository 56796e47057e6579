"""The committee's report shows every measure (the plan's own KPIs, a recommendation's, an
action's) with its reading, target, rating, direction of travel and England, the region
and the statistical neighbours, as words, as a chart with a text alternative and as a
table of the same numbers, in every format (issue 25 point 3). A suppressed figure is
"not published" or "–", never 0."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date
from html.parser import HTMLParser

import pytest

from helpers import there, write
from improve import api
from improve.report import make_report, render

TODAY = date(2022, 6, 30)

PLAN = """\
[plan]
id = "kpis"
title = "Children's services <plan> & KPIs"
start = 2021-01-01

[[measure]]
id = "cin-rate"
text = "Rate of children in need per 10,000 children <b>bold</b>"
unit = "per 10,000"
direction = "down"
target = 300
variance = { amber = 5, red = 10 }
extra = { partnership = "Early Help Partnership" }
readings = [
  { date = 2020-03-31, value = 340.0 },
  { date = 2021-03-31, value = 325.1 },
  { date = 2022-03-31, value = 318.4 },
]
comparators = [
  { date = 2020-03-31, england = 323.7, region = 331.0, neighbours = 350.2, neighbours_by = "median", source = "DfE CIN 2020" },
  { date = 2021-03-31, england = 321.2, neighbours = 355.5, neighbours_by = "median", source = "DfE CIN 2021" },
  { date = 2022-03-31, england = 334.3, region = 342.6, neighbours = 361.0, neighbours_by = "median", source = "DfE CIN 2022" },
]

[[recommendation]]
ref = "1"
title = "Exploitation"

  [[recommendation.measure]]
  id = "missing"
  text = "Children missing from home"
  unit = "1 in N"
  target = 250
  readings = [ { date = 2021-03-31, value = 219 }, { date = 2022-03-31, value = 307 } ]
  comparators = [ { date = 2022-03-31, england = 233, region = 219, neighbours = 280, neighbours_by = "mean" } ]

  [[recommendation.measure]]
  id = "words"
  text = "Partners say the panel works"

  [[recommendation.action]]
  ref = "1.1"
  action = "Run the panel"
  due = 2022-12-31
  percent = 50

    [[recommendation.action.measure]]
    id = "seen"
    text = "Children seen within 5 days"
    unit = "%"
    target = 90
    readings = [ { date = 2022-03-31, value = 22.15 } ]
    comparators = [ { date = 2022-03-31, england = 80.5 } ]

    [[recommendation.action.measure]]
    id = "trained"
    text = "Staff trained"
    target = 40
"""


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("m") / "plans"
    folder.mkdir()
    write(folder, "kpis.toml", PLAN)
    portfolio = api.load(folder)
    assert not portfolio.failed, [str(p) for p in portfolio.problems]
    return make_report(portfolio, TODAY), folder


def out(report, fmt: str) -> bytes:
    rep, folder = report
    return render(rep, fmt, folder, folder.parent)


class Text(HTMLParser):
    """The text a reader gets from HTML, and the tags it has."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.parts.append(data)


def html_text(html: str) -> str:
    parser = Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def section(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


def test_html_says_every_measure_in_words_between_the_evidence_and_the_full_table(report):
    html = out(report, "html").decode()
    text = html_text(html)
    # after the exceptions and the little-evidence section, before the full table
    order = [
        text.index(h) for h in ("Exceptions", "little or no evidence", "Measures", "The full plan")
    ]
    assert order == sorted(order)
    said = section(text, "Measures The plan's 5 measures", "The full plan")
    assert (
        "3 with their figures in words, a chart of the figures over time against England, the "
        "region and the statistical neighbours where there is one, and a table of the numbers; "
        "2 listed after them. – not published: the figure is missing or suppressed (never a "
        "zero)."
    ) in said
    # where each sits, the reading in its unit with its date, target, rating word, trend
    assert (
        "Plan (Early Help Partnership): Rate of children in need per 10,000 children <b>bold</b>"
        in said
    )
    assert "Latest reading 318.4 per 10,000 on 31 March 2022" in said
    assert "Target 300 per 10,000 (lower is better)" in said
    assert "Rating ▲ Amber (green within 5% of target, amber within 10%)" in said
    assert "Direction of travel Improving: from 325.1 per 10,000 on 31 March 2021" in said
    assert "England 334.3 per 10,000 on 31 March 2022 (source: DfE CIN 2022)" in said
    assert (
        "Statistical neighbours 361 per 10,000 on 31 March 2022 (median of statistical neighbours"
        in said
    )
    assert (
        "Against them better than England, better than the region, better than neighbours" in said
    )
    # a "1 in N" measure of a recommendation; a % measure of an action, its region not published
    assert "Recommendation 1: Children missing from home" in said
    assert "Latest reading 1 in 307 on 31 March 2022" in said and "Target 1 in 250" in said
    assert "Action 1.1: Children seen within 5 days" in said
    assert "Latest reading 22.2% on 31 March 2022" in said
    assert "Region not published for 31 March 2022" in said
    # every measure is there: one with no figures is listed, an action's points to its row
    assert (
        "Other measures (2) Recommendation 1: Partners say the panel works. No reading yet." in said
    )
    assert (
        "1 measure of actions (1.1) has no comparators and a reading on one date or none: each "
        "is shown under its action in the full plan"
    ) in said
    # plan text is escaped, never markup
    assert "<b>bold</b>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html


def test_html_chart_has_a_text_alternative_and_a_table_of_the_same_numbers(report):
    html = out(report, "html").decode()
    svgs = re.findall(r"<svg .*?</svg>", html, re.S)
    charts = [s for s in svgs if "over time" in s]
    assert len(charts) == 3  # one for each measure with figures
    cin = charts[0]
    assert 'role="img"' in cin and "aria-labelledby=" in cin
    title = re.search(r"<title id=\"([^\"]+)\">(.*?)</title>", cin, re.S)
    assert title and f'aria-labelledby="{title[1]}"' in cin
    assert title[2].startswith("Chart of Plan (Early Help Partnership): Rate of children in need")
    # the figures in words, the suppressed one said, never 0
    assert (
        "Region: 331 per 10,000 on 31 March 2020, not published on 31 March 2021, "
        "342.6 per 10,000 on 31 March 2022." in title[2]
    )
    assert "Target: 300 per 10,000." in title[2]
    # told apart by more than colour: dashes and markers for each line, a legend of names
    assert cin.count("stroke-dasharray") >= 4 and "<polygon" in cin and "<rect x" in cin
    for name in ("This council", "England", "Region", "Statistical neighbours", "Target"):
        assert f">{name}</text>" in cin
    # the table of the same numbers: caption, th scope, a dash for the suppressed figure
    table = re.search(r'<table class="figures"><caption>Figures: Plan .*?</table>', html, re.S)
    assert table and '<th scope="col">Statistical neighbours (median)</th>' in table[0]
    rows = re.findall(r"<tr><th scope=\"row\"[^>]*>(.*?)</th>(.*?)</tr>", table[0])
    cells = {day: re.findall(r"<td[^>]*>(.*?)</td>", rest) for day, rest in rows}
    assert cells["31 March 2021"][:4] == [
        "325.1 per 10,000",
        "321.2 per 10,000",
        "–",
        "355.5 per 10,000",
    ]
    assert "– not published: the figure is missing or suppressed (never a zero)" in html
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")


def test_the_full_tables_success_measures_gain_the_comparators_briefly(report):
    text = html_text(out(report, "html").decode())
    assert (
        "Children seen within 5 days: 22.2% on 31 March 2022; target 90% (higher is better); "
        "England 80.5%, region not published, neighbours not published (31 March 2022)"
    ) in text


def test_markdown_has_the_measures_and_their_table_of_numbers(report):
    md = out(report, "md").decode()
    said = section(md, "### Measures", "### The full plan")
    assert "#### Plan \\(Early Help Partnership\\): Rate of children" in said
    assert "&lt;b&gt;bold&lt;/b&gt;" in said and "<b>" not in said
    assert "- **Rating:** ▲ **Amber**" in said
    assert (
        "| 31 March 2021 | 325\\.1 per 10,000 | 321\\.2 per 10,000 | – | 355\\.5 per 10,000 |"
        in said
    )
    assert "| 31 March 2022 | 1 in 307 | 1 in 233 | 1 in 219 | 1 in 280 |  |" in said


def test_csv_keeps_its_columns_and_adds_a_row_per_measure_per_date(report):
    rows = list(csv.DictReader(io.StringIO(out(report, "csv").decode("utf-8-sig"))))
    actions = [r for r in rows if not r["Measure level"]]
    assert [r["Ref"] for r in actions] == ["1.1"]  # the action's row, as before
    assert actions[0]["Success measures"].startswith(
        "Children seen within 5 days: 22.2% on 2022-03-31"
    )
    cin = [r for r in rows if r["Measure id"] == "cin-rate"]
    assert [r["Date"] for r in cin] == ["2020-03-31", "2021-03-31", "2022-03-31"]
    assert [r["Region"] for r in cin] == ["331", "", "342.6"]  # suppressed: empty, never 0
    assert cin[2]["Reading"] == "318.4" and cin[2]["Rating"] == "Amber"
    assert cin[2]["Trend"] == "improving" and cin[2]["Direction"] == "down"
    assert cin[0]["Unit"] == "per 10,000" and cin[0]["Measure level"] == "plan"
    missing = [r for r in rows if r["Measure id"] == "missing"]
    assert [r["Reading"] for r in missing] == ["219", "307"] and missing[0]["Unit"] == "1 in N"
    assert missing[0]["Recommendation"] == "1" and missing[0]["England"] == ""
    seen = next(r for r in rows if r["Measure id"] == "seen")
    assert seen["Ref"] == "1.1" and seen["Reading"] == "22.15"
    # a measure with no figures is still a row
    assert next(r for r in rows if r["Measure id"] == "words")["Date"] == ""


def test_xlsx_measures_sheet_has_numbers_as_numbers_and_suppressed_cells_empty(report):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(out(report, "xlsx")))
    assert "Measures" in wb.sheetnames
    ws = wb["Measures"]
    head = [c.value for c in ws[1]]
    col = {name: head.index(name) for name in head}
    rows = [r for r in ws.iter_rows(min_row=2, values_only=True)]
    cin = [r for r in rows if r[col["Measure id"]] == "cin-rate"]
    assert [r[col["Date"]].date() for r in cin] == [
        date(2020, 3, 31),
        date(2021, 3, 31),
        date(2022, 3, 31),
    ]
    assert [r[col["Reading"]] for r in cin] == [340, 325.1, 318.4]
    assert all(isinstance(r[col["England"]], float | int) for r in cin)
    assert [r[col["Region"]] for r in cin] == [331, None, 342.6]  # empty, never 0
    assert cin[0][col["Target"]] == 300
    seen = next(r for r in rows if r[col["Measure id"]] == "seen")
    assert seen[col["Reading"]] == 22.15 and seen[col["Unit"]] == "%"
    # a native chart for each measure with figures on two dates or more, a gap where a
    # figure is not published, its words beside it
    assert wb.sheetnames[-2:] == ["Measure charts", "Key"]
    assert wb["Measure charts"]["A2"].value.startswith("This council: 340 per 10,000 on 31 March")
    with zipfile.ZipFile(io.BytesIO(out(report, "xlsx"))) as z:
        charts = sorted(n for n in z.namelist() if n.startswith("xl/charts/chart"))
        assert len(charts) == 2
        xml = z.read(charts[0]).decode()
    assert '<dispBlanksAs val="gap"/>' in xml and 'prstDash val="dash"' in xml


def test_docx_has_the_measures_in_words_and_a_table_of_numbers(report):
    from docx import Document

    doc = Document(io.BytesIO(out(report, "docx")))
    heads = [p.text for p in doc.paragraphs if there(p.style).name == "Heading 2"]
    assert heads.index("Measures") == heads.index("The full plan") - 1
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Latest reading: 318.4 per 10,000 on 31 March 2022" in text
    assert "Rating: ▲ Amber (green within 5% of target, amber within 10%)" in text
    assert "Direction of travel: Improving: from 325.1 per 10,000 on 31 March 2021" in text
    tables = [t for t in doc.tables if t.rows[0].cells[0].text == "Date"]
    cin = [[c.text for c in row.cells] for row in tables[0].rows]
    assert cin[0][4] == "Statistical neighbours (median)"
    assert cin[2][:5] == [
        "31 March 2021",
        "325.1 per 10,000",
        "321.2 per 10,000",
        "–",
        "355.5 per 10,000",
    ]


def test_pdf_has_the_measures_and_stays_tagged(report, tmp_path):
    from improve.report.pdf import pdf_available

    if why := pdf_available():
        pytest.skip(why)
    from improve.report.html import render_html
    from improve.report.pdf import write_pdf

    rep, folder = report
    html = render_html(rep, folder, tmp_path)
    path = tmp_path / "r.pdf"
    write_pdf(html, path, tmp_path, compress=False)
    data = path.read_bytes()
    assert b"/StructTreeRoot" in data and b"/Marked true" in data and b"pdfuaid" in data
    import weasyprint

    document = weasyprint.HTML(string=html).render(pdf_tags=True)
    text = " ".join(page_text(page) for page in document.pages)
    text = " ".join(text.split())
    assert "Measures" in text and "318.4 per 10,000 on 31 March 2022" in text
    assert "Region not published for 31 March 2022" in text
    # each chart is a Figure whose alternate text says its figures in words
    assert data.count(b"/S /Figure") >= 3
    assert (
        b"/Alt (Chart of Recommendation 1: Children missing from home, over time. This council"
        in data
    )


def boxes(box):
    yield box
    for child in getattr(box, "children", None) or []:
        yield from boxes(child)


def page_text(page) -> str:
    """The words laid out on a page of the PDF (as tests/test_report_pdf_layout.py reads them)."""
    return " ".join(b.text for b in boxes(page._page_box) if type(b).__name__ == "TextBox")


# -- nothing gets out as markup or a control character; nothing suppressed becomes 0 ---------

HOSTILE = (
    PLAN.replace(
        'text = "Children missing from home"', 'text = "Missing \\u001b[2J =cmd| <i>x</i>"'
    )
    .replace('source = "DfE CIN 2022"', 'source = "=HYPERLINK(1) \\u009b31m"')
    .replace(
        'partnership = "Early Help Partnership"', 'partnership = "<img src=x onerror=alert(1)>"'
    )
)


def test_hostile_measure_text_is_inert_in_every_format(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    write(folder, "kpis.toml", HOSTILE)
    rep = make_report(api.load(folder), TODAY)
    html = render(rep, "html", folder, tmp_path).decode()
    assert "<i>x</i>" not in html and "&lt;i&gt;x&lt;/i&gt;" in html
    assert "<img" not in html and "Plan (&lt;img src=x onerror=alert(1)&gt;)" in html
    md = render(rep, "md", folder, tmp_path).decode()
    assert "\x1b" not in md and "\x9b" not in md and "<i>" not in md
    raw = render(rep, "csv", folder, tmp_path).decode("utf-8-sig")
    assert "\x1b" not in raw and "\x9b" not in raw
    rows = list(csv.DictReader(io.StringIO(raw)))
    assert all(not r["Comparator source"].startswith("=") for r in rows)
    assert any(r["Comparator source"].startswith("'=HYPERLINK") for r in rows)
    from docx import Document
    from openpyxl import load_workbook

    doc = Document(io.BytesIO(render(rep, "docx", folder, tmp_path)))
    assert any("␛" in p.text for p in doc.paragraphs)
    wb = load_workbook(io.BytesIO(render(rep, "xlsx", folder, tmp_path)))
    cells = [c.value for row in wb["Measures"].iter_rows() for c in row]
    assert all(not (isinstance(v, str) and ("\x1b" in v or v.startswith("="))) for v in cells)


def test_a_suppressed_figure_is_never_a_zero_in_any_format(report):
    """The region's 2021 figure is left out of the file: no format shows it as 0."""
    text = html_text(out(report, "html").decode())
    assert "Region: 331 per 10,000 on 31 March 2020, not published on 31 March 2021" in text
    assert " 0 per 10,000" not in text and "0.0" not in text
    md = out(report, "md").decode()
    assert " 0 per 10,000" not in md
    rows = list(csv.DictReader(io.StringIO(out(report, "csv").decode("utf-8-sig"))))
    assert all(r[k] != "0" for r in rows for k in ("England", "Region", "Neighbours", "Reading"))


@pytest.mark.parametrize(
    "lo, hi",
    [(300, 361), (219, 307), (22.15, 90), (47, 47), (47, 47.00000000000001), (0, 0),
     (-5, 3), (1e-300, 1e-300), (1e14 - 1, 1e14), (0.0001, 0.0002)],
)  # fmt: skip
def test_a_charts_value_axis_holds_every_figure_on_round_ticks(lo, hi):
    from improve.report.measure_html import axis_range

    first, last, ticks = axis_range(lo, hi)
    assert first <= lo and last >= hi and first < last and 2 <= len(ticks) <= 11
    assert ticks[0] == first and ticks[-1] == last


def test_a_single_reading_is_charted_only_when_there_is_something_to_compare(tmp_path):
    """A plan's measure with one reading and no comparators is in full, with its table and
    no chart; an action's is left to its row in the full plan (a 2,000-action plan is not
    2,000 charts)."""
    folder = tmp_path / "plans"
    folder.mkdir()
    text = PLAN.replace(
        '    id = "trained"\n    text = "Staff trained"\n    target = 40\n',
        '    id = "trained"\n    text = "Staff trained"\n    target = 40\n'
        "    readings = [ { date = 2022-03-31, value = 12 } ]\n",
    )
    text += '\n[[measure]]\nid = "once"\ntext = "Attendance"\nunit = "%"\n'
    text += "readings = [ { date = 2022-03-31, value = 91.5 } ]\n"
    write(folder, "kpis.toml", text)
    rep = make_report(api.load(folder), TODAY)
    html = render(rep, "html", folder, tmp_path).decode()
    said = section(html_text(html), "Measures The plan's 6 measures", "The full plan")
    assert "Plan: Attendance Latest reading 91.5% on 31 March 2022" in said
    assert "<caption>Figures: Plan: Attendance</caption>" in html
    assert not re.search(r"<title[^>]*>Plan: Attendance", html)  # no chart of one point
    assert "Action 1.1: Staff trained" not in said
    assert "1 measure of actions (1.1) has no comparators and a reading on one date" in said
    assert "Staff trained: 12 on 31 March 2022; target 40" in html_text(html)  # in its row


def test_a_plan_whose_measures_have_no_figures_lists_them_and_one_without_says_so(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    write(
        folder, "a.toml", '[plan]\nid = "a"\ntitle = "A"\n\n[[measure]]\nid = "k"\ntext = "KPI"\n'
    )
    write(folder, "b.toml", '[plan]\nid = "b"\ntitle = "B"\n')
    rep = make_report(api.load(folder), TODAY)
    text = html_text(render(rep, "html", folder, tmp_path).decode())
    assert (
        "The plan's 1 measure, each labelled by where it sits (the plan's own, a "
        "recommendation's or an action's): none has figures to chart yet; each is listed below. "
        "Other measures (1) Plan: KPI. No reading yet."
    ) in text
    assert "Measures None: this plan sets no measures." in text
    md = render(rep, "md", folder, tmp_path).decode()
    assert "- **Plan:** KPI\\. No reading yet\\." in md
