"""A PDF that reads like a paper, quickly (issue 23 items 5 and 6): the headline and the
exceptions start on page 1; no label squeezes its value; headings stay with their first
rows and the key is on one page; columns are sized to their content and nothing
overflows its cell; the shipped Telford plan is within the page aim; each plan of a
report is laid out alone and the joined PDF is still tagged with its bookmarks; a PDF too
big for memory is refused in one line. The shipped plan is laid out once for the module
(about 1.5 s) and read by several tests."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from helpers import SAMPLE, SHIPPED, plans_folder, run_cli, write
from improve import api
from improve.errors import ImproveError
from improve.report import make_report, render
from improve.report.html import COLUMNS, render_html
from improve.report.paper import DATE_LINE, column_widths, too_tall
from improve.report.pdf import pdf_available
from improve.report.style import stylesheet

TODAY = date(2017, 1, 5)
# The seed's own table for the Telford Ofsted plan (seed 004) runs to 34 pages: its header
# row ("Ref Outcome Action Success Measure …") is printed 34 times, once a page. The
# report, exceptions and all, is to take no more (docs/performance.md, "The PDF").
PAGE_AIM = 34

needs_pdf = pytest.mark.skipif(bool(pdf_available()), reason=str(pdf_available()))


def boxes(box):
    yield box
    for child in getattr(box, "children", None) or []:
        yield from boxes(child)


def page_text(page) -> str:
    return " ".join(b.text for b in boxes(page._page_box) if type(b).__name__ == "TextBox")


def classes(box) -> set[str]:
    element = getattr(box, "element", None)
    return set((element.get("class") or "").split()) if element is not None else set()


def layout(html: str):
    import weasyprint

    return weasyprint.HTML(string=html).render(pdf_tags=True)


def overflowing(document) -> list[tuple[int, str, float]]:
    """Text that runs past the right edge of its table cell, or of the page's content."""
    out = []
    for n, page in enumerate(document.pages, 1):
        pb = page._page_box
        right = pb.margin_width() - pb.margin_right + 0.5
        for box in boxes(pb):
            if getattr(box, "element_tag", "") in ("td", "th"):
                edge = box.content_box_x() + box.width + 0.5
                out += [
                    (n, t.text, t.position_x + t.width - edge)
                    for t in boxes(box)
                    if type(t).__name__ == "TextBox" and t.position_x + t.width > edge
                ]
            elif type(box).__name__ == "TextBox" and box.position_x + box.width > right:
                out.append((n, box.text, box.position_x + box.width - right))
    return out


@pytest.fixture(scope="module")
def telford():
    """The shipped Telford Ofsted plan's report, its HTML and its laid-out PDF pages."""
    if why := pdf_available():
        pytest.skip(why)
    report = make_report(api.load(SHIPPED), TODAY, plan_ids=["telford-ofsted-2016"])
    html = render_html(report, SHIPPED)
    return report, html, layout(html)


# -- the stylesheet ---------------------------------------------------------------------


def rule(css: str, selector: str) -> str:
    """The declarations of every rule whose selector list names `selector`."""
    return " ".join(
        body
        for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css)
        if selector in [s.strip() for s in selectors.split(",")]
    )


def test_headings_are_kept_with_their_first_rows_and_the_key_whole():
    css = stylesheet()
    for heading in ("h3", "h4", "caption", "tr.theme", "tr.rec", "tr.rec-words", "h3 + p"):
        assert "break-after: avoid" in rule(css, heading), heading
    assert "break-inside: avoid" in rule(css, "tr")  # a short row is never split
    assert "break-inside: auto" in rule(css, "tr.long")  # one taller than half a page may be
    assert "break-inside: avoid" in rule(css, ".key")
    assert "table-header-group" in rule(css, "thead")  # the header row repeats
    assert "table-layout: fixed" in rule(css, "table.plan")
    assert "table-layout: fixed" in rule(css, "table.items")


def test_columns_are_sized_to_what_the_plan_writes_in_them():
    shipped = make_report(api.load(SHIPPED), TODAY)
    by_id = {pr.plan.id: pr for pr in shipped.plans}

    def widths(plan_id):
        return column_widths([r for g in by_id[plan_id].groups for r in g.rows])

    ofsted, cse = widths("telford-ofsted-2016"), widths("telford-cse-scrutiny-2016")
    for w in (ofsted, cse):
        assert len(w) == len(COLUMNS) and sum(w) == pytest.approx(100)
        ref, outcome, action, measures, _leads, _due, percent, rag, performance = w
        assert ref <= 5 and percent <= 6 and rag <= 7  # narrow
        assert min(outcome, action, measures, performance) >= 8  # every heading fits
    # the Ofsted plan: dated, and its words in Outcome, Action and Success measures
    assert ofsted[5] == DATE_LINE and min(ofsted[1:4]) > 15
    # the CSE review: no dates, no outcomes or measures; how it will be achieved and the
    # six-month update take the room
    assert cse[5] < DATE_LINE and cse[2] > 20 and cse[8] > 20 and cse[1] == cse[3] == 8


def test_a_row_taller_than_half_a_page_may_break_and_a_short_one_may_not():
    shipped = make_report(api.load(SHIPPED), TODAY, plan_ids=["telford-cse-scrutiny-2016"])
    rows = [r for g in shipped.plans[0].groups for r in g.rows]
    widths = column_widths(rows)
    tall = [r.ref for r in rows if too_tall(r, widths)]
    assert "1.1" in tall  # recommendation 1's update runs to most of a page
    assert 0 < len(tall) < len(rows) / 2
    short = replace(rows[0], action="Review the policy", progress=None, evidence=[])
    assert not too_tall(short, widths)
    assert too_tall(replace(short, action="Review the policy. " * 150), widths)


# -- a small plan, with a history ------------------------------------------------------


@pytest.fixture
def reviewed(tmp_path):
    """The sample plan with two reviews recorded (a trend, and a long review note that
    heads the headline's "since" line)."""
    plans = plans_folder(tmp_path)
    ws = api.Workspace(plans, db=tmp_path / "h.db")
    store = ws.require_store()
    portfolio = ws.load()
    note = "Senior Leadership Team's quarterly review of the improvement plan, with the board"
    store.record_review(ws.statuses(portfolio, date(2016, 11, 1)), date(2016, 11, 1), "SLT")
    store.record_review(ws.statuses(portfolio, date(2016, 12, 20)), date(2016, 12, 20), note)
    ws.update("sample:1.1.2", api.Change(percent=40, note="Begun"), date(2017, 1, 2), "Ann")
    report = make_report(ws.load(), TODAY, store=store)
    ws.close()
    assert len(report.plans[0].trend) >= 2 and report.plans[0].since is not None
    return plans, report


@needs_pdf
def test_the_headline_and_the_exceptions_start_on_page_1(reviewed):
    plans, report = reviewed
    document = layout(render_html(report, plans))
    first = page_text(document.pages[0])
    assert "Headline" in first and "Since the review of" in first
    assert "Exceptions" in first and "2.1.1" in first.split("Red: overdue", 1)[1]


@needs_pdf
def test_no_label_squeezes_its_value(reviewed):
    plans, report = reviewed
    page = layout(render_html(report, plans)).pages[0]._page_box
    width = page.width
    dds = [b for b in boxes(page) if block(b, "dd")]
    dts = [b for b in boxes(page) if block(b, "dt")]
    assert len(dts) == 6  # the "since" label is the longest: 85 characters of review note
    # the labels keep to a column of their own, and every value has twice its room
    assert max(b.width for b in dts) < width / 6
    assert min(b.width for b in dds) > 2 * max(b.width for b in dts)
    ratings = next(b for b in dds if "Amber" in page_text_of(b) or "Red" in page_text_of(b))
    assert ratings.height < 2 * min(b.height for b in dds) + 1  # the ratings on one line


def block(box, tag: str) -> bool:
    return getattr(box, "element_tag", "") == tag and type(box).__name__ == "BlockBox"


def page_text_of(box) -> str:
    return " ".join(b.text for b in boxes(box) if type(b).__name__ == "TextBox")


# -- the shipped plan ------------------------------------------------------------------


def test_the_telford_plan_is_within_the_page_aim_with_its_headline_on_page_1(telford):
    _, _, document = telford
    assert len(document.pages) <= PAGE_AIM
    first = page_text(document.pages[0])
    assert "Headline" in first and "Exceptions" in first and "Red: overdue" in first


def test_no_heading_row_ends_a_page_and_the_key_is_on_one_page(telford):
    _, _, document = telford
    heading_rows = {"theme", "rec", "rec-words"}
    for n, page in enumerate(document.pages, 1):
        rows = [b for b in boxes(page._page_box) if getattr(b, "element_tag", "") == "tr"]
        if rows:
            assert not classes(rows[-1]) & heading_rows, f"page {n} ends with a heading row"
        last = [b for b in boxes(page._page_box) if getattr(b, "element_tag", "") in ("h3", "h4")]
        texts = [b for b in boxes(page._page_box) if type(b).__name__ == "TextBox"]
        if last and texts:  # a heading is never the last thing on a page
            assert page_text_of(last[-1]) not in texts[-1].text or n == len(document.pages)
    key_pages = {
        n
        for n, page in enumerate(document.pages, 1)
        for b in boxes(page._page_box)
        if "key" in classes(b)
    }
    assert len(key_pages) == 1


def test_nothing_runs_out_of_its_cell_or_off_the_page(telford):
    _, _, document = telford
    assert overflowing(document) == []


# -- several plans, each laid out alone -----------------------------------------------


def two_plans(tmp_path: Path) -> Path:
    plans = plans_folder(tmp_path)
    other = SAMPLE.replace('title = "Sample improvement plan"', 'title = "Second plan"')
    write(plans, "second.toml", other)
    return plans


@needs_pdf
def test_each_plan_is_laid_out_alone_and_the_pdf_is_tagged_with_every_bookmark(tmp_path):
    from improve.report.pdf import PART_CSS, _layout, front_html, pdf_report

    plans = two_plans(tmp_path)
    report = make_report(api.load(plans), TODAY)
    alone = [  # each plan's pages, laid out as it is in a report of several
        len(_layout(render_html(replace(report, plans=[pr]), plans), plans, PART_CSS).pages)
        for pr in report.plans
    ]
    parts: list[list[str]] = []

    def html_of(part):
        parts.append([pr.plan.title for pr in part.plans])
        return render_html(part, plans)

    def front_of(whole):
        parts.append(["front"])
        return front_html(whole, plans, None)

    def fail(*args):
        pytest.fail("left out")

    data = pdf_report(report, html_of, front_of, plans, fail, compress=False)
    # each plan laid out alone, then the first page (title, contents, who produced it)
    assert parts == [["Sample improvement plan"], ["Second plan"], ["front"]]
    assert len(re.findall(rb"/Type /Page\b", data)) == 1 + sum(alone)
    # the contents link to each plan, on its own first page (the first page is page 1)
    pages = re.findall(rb"(\d+) 0 obj\n<</Type /Page\b", data)
    for n, plan in ((1, b"plan-sample"), (1 + alone[0], b"plan-second")):
        assert b"/Dest (" + plan + b")" in data
        assert re.search(rb"\(" + plan + rb"\) \[" + pages[n] + rb" 0 R", data), plan
    assert b"/StructTreeRoot" in data and b"/Marked true" in data and b"pdfuaid" in data
    assert b"/Lang (en-GB)" in data
    for title in (report.title, "Sample improvement plan", "Second plan", "Headline"):
        assert f"/Title ({title})".encode() in data, title  # a bookmark each (and the title)


@needs_pdf
def test_a_plan_that_cannot_be_laid_out_is_left_out_and_said_and_the_others_reported(
    tmp_path, monkeypatch
):
    from improve.report import html as html_module

    plans = two_plans(tmp_path)
    report = make_report(api.load(plans), TODAY)
    real = html_module.render_html
    calls: list[list[str]] = []

    def failing(part, root, out_dir=None):
        titles = [pr.plan.title for pr in part.plans]
        calls.append(titles)
        if titles == ["Second plan"]:
            raise RuntimeError("boom")
        return real(part, root, out_dir)

    monkeypatch.setattr(html_module, "render_html", failing)
    data = render(report, "pdf", plans)
    assert data.startswith(b"%PDF")
    assert [pr.plan.title for pr in report.plans] == ["Sample improvement plan"]
    assert len(report.not_reported) == 1 and "RuntimeError: boom" in report.not_reported[0]
    # each plan laid out once (then the first page): no plan was laid out twice
    assert calls == [["Sample improvement plan"], ["Second plan"]]


def test_a_pdf_over_the_limit_is_refused_before_any_layout_in_one_line(tmp_path, monkeypatch):
    from improve.report import pdf as pdf_module

    plans = plans_folder(tmp_path)
    monkeypatch.setattr(pdf_module, "MAX_ACTIONS", 2)
    report = make_report(api.load(plans), TODAY)
    with pytest.raises(ImproveError) as caught:
        render(report, "pdf", plans)
    assert caught.value.code == "pdf-too-large"
    assert str(caught.value) == "a PDF report holds at most 2 actions and this one has 3"
    r = run_cli(plans, "report", "--format", "pdf", "-o", str(tmp_path / "r.pdf"))
    assert r.exit_code == 1
    assert r.output.strip().splitlines() == [
        "improve: a PDF report holds at most 2 actions and this one has 3; report fewer "
        "plans at a time, or give --format html, docx or xlsx, which have no limit"
    ]
    assert not (tmp_path / "r.pdf").exists()
