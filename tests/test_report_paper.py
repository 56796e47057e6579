"""The committee's paper as the committee reads it (issue 23 items 1, 3, 4 and 7): the
progress narrative, dates as the paper writes them, the plan's own words, and the
workbook's extension detail in a column of its own. One report of the shipped Telford
plans is built once for the module and read in every format."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from html import unescape
from io import BytesIO
from pathlib import Path

import pytest

from helpers import SAMPLE, SHIPPED, clean_env, run_cli, write
from improve import api
from improve.report import make_report, render

TODAY = date(2017, 1, 5)
FLAT = ("html", "md", "csv", "xlsx")
# The first lines of the CSE review's "6 month progress update (as at November 2016)" for
# recommendation 1 (seed 004), and a sentence from its middle.
CSE_NOTE = "This now also includes data around training provided to professionals"


def xlsx_text(data: bytes) -> str:
    from openpyxl import load_workbook

    wb = load_workbook(BytesIO(data))
    return "\n".join(
        str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value
    )


def as_text(data: bytes, fmt: str) -> str:
    if fmt == "xlsx":
        return xlsx_text(data)
    text = data.decode("utf-8")
    if fmt == "html":
        text = unescape(re.sub(r"<[^>]+>", " ", text))
    if fmt == "md":
        text = unescape(re.sub(r"\\(.)", r"\1", text))
    return " ".join(text.split())


@pytest.fixture(scope="module")
def shipped():
    """The two Telford plans as at the committee's meeting, in every format but the PDF
    (which is the HTML), with the plain data they come from."""
    report = make_report(
        api.load(SHIPPED), TODAY, plan_ids=["telford-ofsted-2016", "telford-cse-scrutiny-2016"]
    )
    raw = {fmt: render(report, fmt, SHIPPED) for fmt in FLAT}
    return report, raw, {fmt: as_text(b, fmt) for fmt, b in raw.items()}


def one(tmp_path: Path, text: str, name: str = "p.toml"):
    folder = tmp_path / "plans"
    folder.mkdir()
    write(folder, name, text)
    portfolio = api.load(folder)
    assert not portfolio.failed, [str(p) for p in portfolio.problems]
    report = make_report(portfolio, TODAY)
    return report, folder


# -- 1. the progress narrative -----------------------------------------------------------


def test_a_note_given_with_update_appears_in_every_format(tmp_path, monkeypatch):
    clean_env(monkeypatch, tmp_path)
    folder = tmp_path / "plans"
    folder.mkdir()
    write(folder, "sample.toml", SAMPLE)
    r = run_cli(
        folder, "update", "sample:1.1.2", "--note", "Policy approved", "--by", "Virtual School Head"
    )
    assert r.exit_code == 0, r.output
    for fmt in FLAT:
        out = tmp_path / f"r.{fmt}"
        r = run_cli(folder, "report", "sample", "--format", fmt, "-o", out)
        assert r.exit_code == 0, r.output
        text = as_text(out.read_bytes(), fmt)
        assert "Policy approved" in text, fmt
        assert "Virtual School Head" in text, fmt
        if fmt in ("html", "md"):
            assert "5 January 2017" in text, fmt
        else:
            assert "2017-01-05" in text, fmt


def test_the_cse_reviews_six_month_update_is_in_every_format(shipped):
    report, _raw, text = shipped
    cse = next(p for p in report.plans if p.plan.id == "telford-cse-scrutiny-2016")
    rows = [row for g in cse.groups for row in g.rows]
    assert len(rows) == 42 and all(row.progress for row in rows)
    first = rows[0].progress
    assert first.on == date(2016, 11, 30)
    assert first.by == "Telford & Wrekin Safeguarding Children Board"
    assert CSE_NOTE in first.text and first.in_period
    for fmt in FLAT:
        assert CSE_NOTE in text[fmt], fmt
    # the document's "as at November 2016" (the plan says its dates are months)
    said = "Progress as at November 2016, by Telford & Wrekin Safeguarding Children Board:"
    assert first.heading + ":" == said
    assert said in text["html"] and said in text["md"]


def test_how_it_will_be_achieved_heads_the_cse_reviews_action_column(shipped):
    report, raw, _text = shipped
    cse = next(p for p in report.plans if p.plan.id == "telford-cse-scrutiny-2016")
    assert cse.action_label == "How it will be achieved"
    html = raw["html"].decode()
    assert '<th scope="col">How it will be achieved</th>' in html
    assert "How it will be achieved" in xlsx_text(raw["xlsx"])


RED = """\
[plan]
title = "Red plan"
start = 2016-09-01

[[recommendation]]
ref = "1"
title = "Supervision"

  [[recommendation.action]]
  ref = "1.1"
  action = "Review and refresh the supervision policy for every team in the service, including the development of a protocol template and its training."
  due = 2016-12-31
  percent = 10
  measure = [ { id = "done", text = "Review completed." } ]

    [[recommendation.action.update]]
    date = 2016-12-20
    by = "Head of Safeguarding"
    note = "Delayed: the consultation closes in January."

    [[recommendation.action.milestone]]
    label = "Draft"
    due = 2016-11-30
    done = true

    [[recommendation.action.milestone]]
    label = "Final"
    due = 2016-12-31
"""


def test_exceptions_quote_the_note_and_keep_the_whole_action(tmp_path):
    report, folder = one(tmp_path, RED)
    red = next(s for s in report.plans[0].exceptions if s.key == "red")
    item = red.items[0]
    assert item.progress is not None and item.progress.text.startswith("Delayed")
    assert item.action.endswith("its training.")
    for fmt in ("html", "md"):
        text = as_text(render(report, fmt, folder), fmt)
        assert "…" not in text, fmt
        assert text.count("the development of a protocol template and its training.") >= 2
        assert "Delayed: the consultation closes in January." in text


# -- 3. dates as the paper writes them ---------------------------------------------------


def test_dates_read_as_the_paper_writes_them_and_iso_stays_in_csv_and_xlsx(tmp_path):
    report, folder = one(tmp_path, RED)
    html = as_text(render(report, "html", folder), "html")
    md = as_text(render(report, "md", folder), "md")
    for text in (html, md):
        assert "20 December 2016" in text  # the note's date
        assert "2016-12-20" not in text and "2016-12-31" not in text
    csv_text = render(report, "csv", folder).decode("utf-8-sig")
    assert "2016-12-31" in csv_text and "2016-12-20" in csv_text


def test_a_plan_of_month_dates_shows_its_month_and_staged_dates_with_done_marked(shipped, tmp_path):
    report, raw, text = shipped
    ofsted = next(p for p in report.plans if p.plan.id == "telford-ofsted-2016")
    rows = {row.ref: row for g in ofsted.groups for row in g.rows}
    assert rows["1.1.1"].due_words == "January 2017"
    assert rows["1.1.3"].due_words == (
        "Stage 1: core elements: February 2017; Stage 2: all Trix policies/procedures: "
        "December 2017"
    )
    html = raw["html"].decode()
    assert (
        '<td class="due"><ul class="items"><li>Stage 1: core elements: February 2017</li>'
        "<li>Stage 2: all Trix policies/procedures: December 2017</li></ul></td>" in html
    )
    assert "Stage 1: core elements: February 2017; Stage 2" in text["md"]
    # a plan without month dates: the last of the month is a real day
    report, folder = one(tmp_path, RED)
    row = report.plans[0].groups[0].rows[0]
    assert row.due_words == "Draft: 30 November 2016 (✓ done); Final: 31 December 2016"
    assert "Draft: 30 November 2016 (✓ done)" in as_text(render(report, "html", folder), "html")


def test_xlsx_dates_stay_real_dates(shipped):
    from openpyxl import load_workbook

    _report, raw, _text = shipped
    wb = load_workbook(BytesIO(raw["xlsx"]))
    ws = wb["telford-ofsted-2016"]
    head = [c.value for c in ws[3]]
    due = head.index("Date due") + 1
    dues = [r[due - 1].value for r in ws.iter_rows(min_row=4) if r[0].value == "1.1.1"]
    assert dues and dues[0].date() == date(2017, 1, 31)


# -- 4. the plan's own words -------------------------------------------------------------


def test_why_it_matters_and_what_good_looks_like_under_each_recommendation(shipped):
    report, _raw, text = shipped
    ofsted = next(p for p in report.plans if p.plan.id == "telford-ofsted-2016")
    g = ofsted.groups[0]
    assert g.why_it_matters.startswith("We want to make sure that children")
    assert len(g.good_looks_like) == 4
    for fmt in ("html", "md"):
        assert "Why this is important" in text[fmt] and "What good looks like" in text[fmt]
        assert "social workers also need to be supported and challenged" in text[fmt]
        assert "Management oversight of practice, including practice scrutiny" in text[fmt]


def test_a_qualitative_measure_reads_as_its_text_with_no_stray_punctuation(shipped):
    report, _raw, text = shipped
    ofsted = next(p for p in report.plans if p.plan.id == "telford-ofsted-2016")
    rows = {row.ref: row for g in ofsted.groups for row in g.rows}
    line = rows["1.3.5"].measures[0]
    assert line.shown == "Review completed." and line.latest == ""
    for fmt in FLAT:
        assert "Review completed.:" not in text[fmt], fmt
        assert not re.search(r"Review completed\.?: no reading yet", text[fmt]), fmt
    # a measure with a target and no reading still says so
    assert rows["1.1.1"].measures[0].shown.endswith("no reading yet; target 90% (higher is better)")


def test_text_is_joined_without_doubled_punctuation():
    from improve.report.words import join

    assert join("Review completed.", "no reading yet") == "Review completed. No reading yet"
    assert join("Review completed", "no reading yet") == "Review completed: no reading yet"
    assert join("Partly", "") == "Partly"
    assert join("", "note") == "note"
    assert join("Is it done?", "yes") == "Is it done? Yes"


# -- 7. the workbook's extension detail --------------------------------------------------


EXTENDED = """\
[plan]
title = "Extended"
start = 2016-09-01

[[recommendation]]
ref = "1"

  [[recommendation.action]]
  ref = "1.1"
  action = "Train the managers"
  due = 2016-12-31
  percent = 40
  impact = "partly"
  impact_note = "Two teams trained."

    [[recommendation.action.extension]]
    due = 2017-03-31
    reason = "Trainer unavailable"
    agreed_on = 2016-12-01
"""


def test_xlsx_keeps_extension_detail_out_of_the_performance_column(tmp_path):
    from openpyxl import load_workbook

    report, folder = one(tmp_path, EXTENDED)
    wb = load_workbook(BytesIO(render(report, "xlsx", folder)))
    ws = wb.worksheets[1]
    head = [c.value for c in ws[3]]
    perf = head.index("Performance: is the action making a difference?")
    ext = head.index("Stages and due date changes")
    row = next(r for r in ws.iter_rows(min_row=4) if r[0].value == "1.1")
    assert row[perf].value == "Partly: Two teams trained."
    assert "originally due" not in row[perf].value
    assert "2016-12-31" in row[ext].value and "Trainer unavailable" in row[ext].value
    csv_rows = list(csv.reader(io.StringIO(render(report, "csv", folder).decode("utf-8-sig"))))
    assert csv_rows[1][csv_rows[0].index("Impact")] == "Partly"


HOSTILE = """\
[plan]
title = "Hostile words"
start = 2016-09-01

[[recommendation]]
ref = "1"
why = "<script>alert('why')</script>\\n\\n=HYPERLINK(\\"http://evil.example\\")"
good_looks_like = ["<img src=x onerror=alert(1)>", "@SUM(A1)", "\\u001b[31mred\\u001b[0m"]

  [[recommendation.action]]
  ref = "1.1"
  action = "+cmd|' /C calc'!A0"
  due = 2016-12-31
  percent = 10

    [[recommendation.action.milestone]]
    label = "=1+1"
    due = 2016-11-30

    [[recommendation.action.update]]
    date = 2016-12-20
    by = "-2+3"
    note = "=HYPERLINK(\\"http://evil.example\\")\\n</td></tr><h1>gotcha</h1> \\u001b]8;;http://x\\u0007"
"""


def test_the_new_words_are_inert_in_every_format(tmp_path):
    from openpyxl import load_workbook

    report, folder = one(tmp_path, HOSTILE)
    html = render(report, "html", folder).decode()
    assert "<script>alert" not in html and "<img src" not in html and "<h1>gotcha" not in html
    assert "&lt;script&gt;alert(&#x27;why&#x27;)&lt;/script&gt;" in html
    md = render(report, "md", folder).decode()
    assert "<h1>" not in md and "<img" not in md and "\x1b" not in md and "\x07" not in md
    text = render(report, "csv", folder).decode("utf-8")
    assert "\x1b" not in text and "\x07" not in text
    cells = [c for row in csv.reader(io.StringIO(text[1:])) for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert any(c.startswith("'=HYPERLINK") for c in cells) and "'-2+3" in cells
    wb = load_workbook(BytesIO(render(report, "xlsx", folder)))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
                if isinstance(cell.value, str):
                    assert cell.value[:1] not in ("=", "+", "-", "@"), cell.coordinate
                    assert "\x1b" not in cell.value and "\x07" not in cell.value


def test_the_dates_key_takes_day_or_month_and_says_so(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    write(folder, "b.toml", '[plan]\ntitle = "x"\ndates = "months"\n')
    (problem,) = api.load(folder).problems
    assert str(problem).endswith(
        'b.toml:3:9: error: "dates" must be one of day, month, not "months"; did you mean "month"?'
    )
