"""The committee's report: what it says and in what order, in every format; hostile plan
text that cannot inject markup, script, a dangerous link or a formula; contrast."""

from __future__ import annotations

import csv
import io
import itertools
import re
import zipfile
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import SHIPPED, write
from hostile_text import HOSTILE_PLAN
from improve import api
from improve.cli import cli
from improve.report import FORMATS, default_name, make_report, render, write_report
from improve.report.build import KEY
from improve.report.safety import neutralise, safe_link
from improve.report.style import PAIRS, contrast

TODAY = date(2017, 1, 5)


def report_for(folder: Path, ids=None, **kw):
    portfolio = api.load(folder)
    assert not portfolio.failed, [str(p) for p in portfolio.problems]
    return make_report(portfolio, TODAY, plan_ids=ids, **kw)


@pytest.fixture
def hostile(tmp_path) -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    write(folder, "h.toml", HOSTILE_PLAN)
    return folder


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> Tags:
    t = Tags()
    t.feed(html)
    return t


def test_html_is_one_accessible_self_contained_file(plans):
    html = render(report_for(plans), "html", plans).decode()
    t = parse(html)
    names = [tag for tag, _ in t.tags]
    assert ("html", {"lang": "en-GB"}) in t.tags
    assert "script" not in names and "link" not in names and "img" not in names
    assert not re.search(r"(src|href)=\"(https?:)?//", html)  # nothing fetched from outside
    assert ("a", {"class": "skip", "href": "#main"}) in t.tags and (
        "main",
        {"id": "main"},
    ) in t.tags
    assert "header" in names and "footer" in names and "caption" in names and "thead" in names
    assert all(a.get("scope") in ("col", "row", "colgroup") for tag, a in t.tags if tag == "th")
    levels = [int(tag[1]) for tag, _ in t.tags if re.fullmatch(r"h[1-6]", tag)]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(levels))
    assert "@page" in html and "A4 landscape" in html and "table-header-group" in html
    assert "break-inside: avoid" in html and "counter(page)" in html


def test_exceptions_and_little_evidence_come_before_the_full_table(plans):
    html = render(report_for(plans), "html", plans).decode()
    md = render(report_for(plans), "md", plans).decode()
    for text in (html, md):
        order = [
            text.index("Headline"),
            text.index("Exceptions"),
            text.index("Areas with little or no evidence of progress"),
            text.index("The full plan"),
            text.index("Key to the ratings"),
        ]
        assert order == sorted(order)


def test_the_headline_says_the_method_and_counts_in_words(plans):
    pr = report_for(plans).plans[0]
    # sample: 1.1.1 50%, 1.1.2 0%, 2.1.1 25%; none complete; (50 + 0 + 25) / 3 = 25
    assert pr.headline.method == "0 of 3 actions complete; 25% by weight"
    html = render(report_for(plans), "html", plans).decode()
    assert "0 of 3 actions complete; 25% by weight" in html
    assert re.search(r"✕</span> Red</span> 1", html)  # word, symbol and count


def test_exceptions_name_red_amber_and_stale_with_why(plans):
    sections = {s.key: s for s in report_for(plans).plans[0].exceptions}
    assert [(i.ref, i.detail) for i in sections["red"].items] == [
        ("2.1.1", "overdue: due 31 December 2016, 5 days ago")
    ]
    assert [i.ref for i in sections["amber"].items] == ["1.1.1", "1.1.2"]


def test_slipped_dates_show_original_revised_count_and_reasons(plans):
    path = plans / "sample.toml"
    api.Workspace(plans, history=False).update(
        "sample:1.1.2",
        api.Change(extend_to=date(2017, 9, 30), reason="Trainer left"),
        TODAY,
        "Lead",
    )
    (slipped,) = [s for s in report_for(plans).plans[0].exceptions if s.key == "slipped"]
    assert [(i.ref, i.detail) for i in slipped.items] == [
        ("1.1.2", "originally due 30 June 2017, now 30 September 2017 (1 extension: Trainer left)")
    ]
    assert "percent" not in path.read_text().split("1.1.2")[1].split("[[recommendation]]")[0]


def test_little_evidence_counts_activity_in_the_period_at_its_edges(plans):
    """The period runs from its first day to today, both included."""
    ws = api.Workspace(plans, history=False)
    ws.update("sample:1.1.1", api.Change(note="on the first day"), date(2016, 12, 1), "A")
    ws.update("sample:2.1.1", api.Change(note="the day before"), date(2016, 11, 30), "A")
    pr = report_for(plans, since="2016-12-01").plans[0]
    assert pr.period_start == date(2016, 12, 1) and pr.period_label == "since 1 December 2016"
    assert [i.ref for i in pr.little_evidence] == ["1.1.2", "2.1.1"]
    assert [i.ref for i in pr.quiet_recommendations] == ["2.1"]


def test_without_a_review_the_period_is_the_plan_review_cadence(plans):
    pr = report_for(plans).plans[0]  # no review recorded, no cadence: a quarter
    assert (pr.period_start, pr.period_label) == (date(2016, 10, 6), "in the last 3 months")


def test_since_the_last_review_uses_the_history(plans, tmp_path):
    ws = api.Workspace(plans, db=tmp_path / "h.db")
    portfolio = ws.load()
    store = ws.require_store()
    store.record_review(ws.statuses(portfolio, date(2016, 12, 20)), date(2016, 12, 20), "SLT")
    ws.update("sample:1.1.2", api.Change(percent=40, note="Begun"), date(2017, 1, 2), "Ann")
    pr = report_for(plans, store=store).plans[0]
    assert pr.period_label == "since the review of 20 December 2016"
    assert pr.period_start == date(2016, 12, 21)
    assert pr.since is not None and pr.since.review_note == "SLT"
    assert "1 action moved up (better)" in pr.since.lines
    # 1.1.1 has a reading of 2016-12-31 and 1.1.2 the update: only 2.1.1 is quiet
    assert [i.ref for i in pr.little_evidence] == ["2.1.1"]
    ws.close()


def test_a_plan_with_errors_is_listed_as_not_reported_and_the_others_are(plans):
    write(plans, "broken.toml", "[plan\n")
    report = make_report(api.load(plans), TODAY)
    assert [pr.plan.id for pr in report.plans] == ["sample"]
    assert len(report.not_reported) == 1
    assert report.not_reported[0].endswith(
        "broken.toml:1:6: error: this is not valid TOML: "
        "Expected ']' at the end of a table declaration"
    )
    assert "Plans not reported" in render(report, "html", plans).decode()


def test_every_colour_pair_meets_wcag_aa():
    low = [(name, round(contrast(fg, bg), 2)) for name, fg, bg in PAIRS if contrast(fg, bg) < 4.5]
    assert low == []
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0  # the formula itself
    assert round(contrast("#777777", "#ffffff"), 2) == 4.48  # a grey that would fail


def test_the_key_is_in_the_plans_own_words():
    assert [w for _, w in KEY] == [
        "Complete",
        "In progress and on schedule",
        "In progress but behind schedule",
        "Overdue",
        "Not started",
    ]


# -- hostile text --------------------------------------------------------------------------


def test_hostile_text_is_inert_in_html(hostile):
    html = render(report_for(hostile), "html", hostile, hostile).decode()
    t = parse(html)
    assert [tag for tag, _ in t.tags].count("script") == 0
    assert "img" not in [tag for tag, _ in t.tags]
    assert [tag for tag, _ in t.tags].count("h1") == 1  # the injected one is text
    hrefs = [a["href"] for tag, a in t.tags if tag == "a" and "href" in a]
    assert [h for h in hrefs if not h.startswith("#")] == [
        "evidence/audit.pdf",
        "https://example.org/minutes?a=1&b=2",
    ]
    text = "".join(t.text)
    assert "<script>alert('title')</script>" in text  # shown as written
    assert "javascript:alert(document.cookie)" in text  # as text, not a link


def test_hostile_text_is_inert_in_markdown(hostile):
    md = render(report_for(hostile), "md", hostile, hostile).decode()
    assert "<script>" not in md and "<img" not in md and "</td>" not in md
    assert "&lt;script&gt;" in md
    assert "](javascript" not in md and "](data:" not in md and "](../" not in md
    assert "[the audit](evidence/audit.pdf)" in md
    assert "\\| pipes \\|" in md  # a pipe cannot end a table cell
    rows = [ln for ln in md.splitlines() if ln.startswith("| 1\\.1 | \\+SUM")]
    assert len(rows) == 1 and rows[0].count(" | ") == 8  # nine cells, as the header has


def test_no_csv_cell_can_start_a_formula(hostile):
    text = render(report_for(hostile), "csv", hostile).decode("utf-8")
    assert text.startswith("\ufeff")
    cells = [c for row in csv.reader(io.StringIO(text[1:])) for c in row]
    assert cells and not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert (
        "'=1+1" in cells and "'+SUM(A1:A9)" in cells and "'-2 tab\tand\nreturn" in cells
    )  # a lone CR ends a line


def test_no_xlsx_cell_is_a_formula_or_starts_like_one(hostile):
    from openpyxl import load_workbook

    data = render(report_for(hostile), "xlsx", hostile)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in sheets)
    wb = load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
                if isinstance(cell.value, str):
                    assert cell.value[:1] not in ("=", "+", "-", "@", "\t", "\r"), cell.coordinate


@pytest.mark.parametrize(
    "link,href",
    [
        ("https://example.org/a", "https://example.org/a"),
        ("HTTP://EXAMPLE.ORG", "HTTP://EXAMPLE.ORG"),
        ("mailto:lead@example.org", "mailto:lead@example.org"),
        ("evidence/a.pdf", "plans/evidence/a.pdf"),
        ("./a b.pdf", "plans/a b.pdf"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("data:text/html,x", None),
        ("file:///etc/passwd", None),
        ("vbscript:x", None),
        ("http:evil", None),
        ("../outside.pdf", None),
        ("evidence/../../outside.pdf", None),
        ("/etc/passwd", None),
        ("//evil.example/x", None),
        ("\\\\server\\share", None),
        ("evidence/\x1b[2Ja.pdf", None),
        ("", None),
    ],
)
def test_only_safe_links_become_links(tmp_path, link, href):
    root = tmp_path / "plans"
    (root / "evidence").mkdir(parents=True)
    assert safe_link(link, root / "p.toml", root, tmp_path) == href


def test_neutralise_only_what_starts_like_a_formula():
    assert [neutralise(t) for t in ("=A1", "+1", "-1", "@x", "\tx", "\rx", "a=b", "1-2", "")] == [
        "'=A1",
        "'+1",
        "'-1",
        "'@x",
        "'\tx",
        "'\rx",
        "a=b",
        "1-2",
        "",
    ]


# -- files and formats ---------------------------------------------------------------------


def test_xlsx_has_real_dates_fills_frozen_header_filter_print_setup_and_properties(plans):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(render(report_for(plans), "xlsx", plans)))
    assert wb.sheetnames == ["Summary", "sample", "Measures", "Key"]
    ws = wb["sample"]
    assert ws.freeze_panes == "B4" and ws.auto_filter.ref.startswith("A3:")
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$3:$3"
    refs = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
    row = refs["2.1.1"]
    assert ws.cell(row, 6).value.date() == date(2016, 12, 31)  # a real date
    assert ws.cell(row, 9).value == "Red"
    assert ws.cell(row, 9).fill.start_color.rgb == "FFB3261E"
    assert ws.cell(row, 8).value == 0.25 and ws.cell(row, 8).number_format == "0%"
    assert wb.properties.title == "Sample improvement plan: progress report"


def test_pdf_is_tagged_a4_landscape_with_title_and_bookmarks(plans, tmp_path):
    from improve.report.html import render_html
    from improve.report.pdf import pdf_available, write_pdf

    if why := pdf_available():
        pytest.skip(why)
    report = report_for(plans)
    path = tmp_path / "r.pdf"
    write_pdf(render_html(report, plans, tmp_path), path, tmp_path, compress=False)
    data = path.read_bytes()
    assert b"/StructTreeRoot" in data and b"/Marked true" in data  # tagged
    assert b"pdfuaid" in data  # declared PDF/UA
    assert re.search(rb"/MediaBox \[0 0 841\.88\d* 595\.27\d*\]", data)  # A4 landscape
    assert b"/Outlines" in data and b"/Title (Sample improvement plan)" in data
    assert b"/Lang (en-GB)" in data


def test_the_command_writes_every_format_of_a_shipped_plan(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    base = ["--plans", str(SHIPPED), "--db", str(tmp_path / "h.db"), "--today", "2017-01-05"]
    for fmt in FORMATS:
        if fmt == "pdf":
            from improve.report.pdf import pdf_available

            if pdf_available():
                continue
        r = CliRunner().invoke(
            cli, [*base, "report", "telford-ofsted-2016", "--format", fmt], catch_exceptions=False
        )
        name = f"telford-ofsted-2016-report-2017-01-05.{fmt}"
        assert r.exit_code == 0, r.output
        assert r.stdout == f"Wrote {name}: 1 plan as at 2017-01-05.\n"
        assert (tmp_path / name).stat().st_size > 10_000


def test_dash_writes_the_report_to_standard_output_and_no_file(plans, tmp_path, monkeypatch):
    """`-o -` is standard output, as in every Unix tool, never a file called "-"."""
    monkeypatch.chdir(tmp_path)
    base = ["--plans", str(plans), "--db", str(tmp_path / "h.db"), "--today", "2017-01-05"]
    r = CliRunner().invoke(cli, [*base, "report", "--format", "md", "-o", "-"])
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("# Sample improvement plan: progress report\n")
    assert r.stderr == "Wrote standard output: 1 plan as at 2017-01-05.\n"
    r = CliRunner().invoke(cli, [*base, "report", "--format", "xlsx", "-o", "-"])
    assert r.exit_code == 0 and r.stdout_bytes[:2] == b"PK"  # a workbook is a zip
    assert not (tmp_path / "-").exists() and not list(tmp_path.glob("*report*"))


def test_reporting_to_a_committee_is_remembered_and_said(plans, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = plans / "sample.toml"
    path.write_text(
        path.read_text().replace('kind = "ofsted"', 'kind = "ofsted"\nreview = "quarterly"')
    )
    base = ["--plans", str(plans), "--db", str(tmp_path / "h.db"), "--today", "2017-01-05"]
    r = CliRunner().invoke(
        cli,
        [*base, "report", "--for", "Scrutiny Committee", "--meeting", "2017-01-12", "-o", "a.md"],
    )
    assert r.exit_code == 0, r.output
    assert (
        "Recorded as reported to Scrutiny Committee for its meeting on 2017-01-12, in "
        "plans/reported/2017-01-12-scrutiny-committee-" in r.stdout
    )
    r = CliRunner().invoke(cli, [*base, "report", "--format", "md", "-o", "b.md"])
    assert (
        "**Last reported:** to Scrutiny Committee on 12 January 2017; next report due "
        "12 April 2017" in (tmp_path / "b.md").read_text()
    )
    r = CliRunner().invoke(cli, [*base, "status"])
    assert "last reported to Scrutiny Committee on 2017-01-12; next due 2017-04-12" in " ".join(
        r.stdout.split()
    )
    r = CliRunner().invoke(cli, [*base, "report", "--for", "Scrutiny Committee"])
    assert r.exit_code == 2 and "--for BODY and --meeting DATE go together" in r.output


def test_an_unknown_plan_is_one_line(plans, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(cli, ["--plans", str(plans), "--today", "2017-01-05", "report", "nope"])
    assert r.exit_code == 1
    assert r.stderr == 'improve: no plan "nope" in ' + str(plans) + " (plans: sample)\n"


def test_default_names():
    assert default_name(["p"], "pdf", TODAY) == "p-report-2017-01-05.pdf"
    assert default_name([], "html", TODAY) == "all-plans-report-2017-01-05.html"
    assert default_name(["a", "b"], "csv", TODAY) == "plans-report-2017-01-05.csv"


def test_write_report_leaves_no_partial_file(plans, tmp_path, monkeypatch):
    report = report_for(plans)
    out = tmp_path / "r.html"
    write_report(report, "html", out, plans)
    assert out.read_text().startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plans", "r.html"]


def test_xlsx_styles_shared_between_cells_stay_their_own(plans):
    """A percent, a date and plain text keep their own number formats."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(render(report_for(plans), "xlsx", plans)))
    ws = wb["sample"]
    refs = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
    for ref in ("1.1.1", "1.1.2", "2.1.1"):
        row = refs[ref]
        assert ws.cell(row, 8).number_format == "0%"
        assert ws.cell(row, 6).number_format == "dd/mm/yyyy"
        assert ws.cell(row, 3).number_format == "General"
    assert (
        wb["Summary"]["D2"].number_format == "0%" and wb["Summary"]["A2"].number_format == "General"
    )


def test_extension_requests_await_a_decision_and_do_not_move_the_date(plans):
    path = plans / "sample.toml"
    path.write_text(
        path.read_text()
        + """
    [[recommendation.action.extension]]
    due = 2017-06-30
    reason = "Partners asked for a longer consultation"
    state = "requested"
    requested_on = 2017-01-04
    requested_by = "Head of Early Help"
"""
    )
    pr = report_for(plans).plans[0]
    sections = {s.key: s for s in pr.exceptions}
    assert [(i.ref, i.detail) for i in sections["pending"].items] == [
        (
            "2.1.1",
            "asked by Head of Early Help on 4 January 2017 to move 31 December 2016 to "
            "30 June 2017: "
            "Partners asked for a longer consultation",
        )
    ]
    assert "slipped" not in sections and [i.ref for i in sections["red"].items] == ["2.1.1"]
    html = render(report_for(plans), "html", plans).decode()
    assert "Extension requests awaiting a decision (1)" in html


def test_without_weasyprint_pdf_says_so_in_one_line_and_the_rest_work(plans, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(
        "improve.report.pdf.pdf_available",
        lambda: "PDF needs WeasyPrint and the Pango library, which could not be loaded (no pango)",
    )
    base = ["--plans", str(plans), "--today", "2017-01-05", "--db", str(tmp_path / "h.db")]
    r = CliRunner().invoke(cli, [*base, "report", "--format", "pdf"])
    assert r.exit_code == 1 and r.stderr == (
        "improve: PDF needs WeasyPrint and the Pango library, which could not be loaded "
        "(no pango); the other formats work without it\n"
    )
    assert list(tmp_path.glob("*.pdf")) == [] and list(tmp_path.glob(".*part")) == []
    r = CliRunner().invoke(cli, [*base, "report", "--format", "html"])
    assert r.exit_code == 0 and (tmp_path / "all-plans-report-2017-01-05.html").exists()
