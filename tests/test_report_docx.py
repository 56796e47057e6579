"""The report as a Word document (issue 23 item 2): Word's heading styles, real tables
whose header row repeats on every page, A4 landscape, RAG words in shaded cells, alt text
on the trend chart, hostile plan text as pictures, only safe links, and a council's
template taken as pandoc takes a reference document (a bad one refused in one line)."""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from helpers import SAMPLE, SHIPPED, clean_env, plans_folder, run_cli, write
from hostile_text import EVIL, HOSTILE_PLAN
from improve import api
from improve.report import make_report, render
from improve.report.build import KEY, TrendPoint, rag_label
from improve.report.html import COLUMNS
from improve.report.style import PAIRS, PRINT_FILL

TODAY = date(2017, 1, 5)
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")
TRENDS = [TrendPoint(date(2016, 10, 5), 20.0), TrendPoint(date(2017, 1, 5), 45.0)]


def ofsted(**kw) -> DocxDocument:
    """The shipped Telford Ofsted plan's report, opened by python-docx."""
    report = make_report(api.load(SHIPPED), TODAY, plan_ids=["telford-ofsted-2016"])
    if kw:
        report.plans[0] = replace(report.plans[0], **kw)
    return Document(io.BytesIO(render(report, "docx", SHIPPED)))


@pytest.fixture(scope="module")
def doc() -> DocxDocument:
    return ofsted(trend=TRENDS)


def styled(d: DocxDocument, style: str) -> list[str]:
    """The text of every paragraph in `style` (in tables too), in order."""
    sid = d.styles[style].style_id
    found = d.element.body.xpath(f'.//w:p[w:pPr/w:pStyle/@w:val="{sid}"]')
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in found]


def full_table(d: DocxDocument):
    return next(t for t in d.tables if [c.text for c in t.rows[0].cells] == list(COLUMNS))


def test_headings_are_words_own_heading_styles(doc):
    (title,) = styled(doc, "Heading 1")
    assert title.startswith("“Getting to Good” Children and Family Services Improvement Plan")
    h2 = styled(doc, "Heading 2")
    assert h2 == [
        "Headline", "Exceptions", "Areas with little or no evidence of progress",
        "Measures", "The full plan", "Key to the ratings",
    ]  # fmt: skip
    h3 = styled(doc, "Heading 3")
    assert any(h.startswith("Red: overdue (") for h in h3)  # the exceptions' sections
    themes = [h for h in h3 if h == "Scrutiny, oversight and advocacy"]  # a theme's row
    recs = styled(doc, "Heading 4")  # a recommendation under a theme
    assert themes and recs and all(r.startswith("Recommendation ") for r in recs)


def marked(tr, tag: str) -> bool:
    return tr.trPr is not None and tr.trPr.find(qn(f"w:{tag}")) is not None


def test_the_full_table_is_a_word_table_whose_header_row_repeats(doc):
    table = full_table(doc)
    rows = table._tbl.tr_lst
    assert len(rows) > 60
    assert marked(rows[0], "tblHeader")
    assert not any(marked(tr, "tblHeader") for tr in rows[1:])
    # every table's header repeats: the exceptions', the trend's and the key's too
    assert all(marked(t._tbl.tr_lst[0], "tblHeader") for t in doc.tables)
    # an action's row is not split across pages (each fits well within one here)
    actions = [tr for tr in rows[1:] if len(tr.tc_lst) == len(COLUMNS)]
    assert actions and all(marked(tr, "cantSplit") for tr in actions)
    # the heading, the caption and the header row are kept with the table's first rows
    caption = table._tbl.getprevious()
    assert caption.xpath("string(.)").endswith(": every action, by theme and recommendation")
    assert caption.xpath("./w:pPr/w:keepNext") and rows[0].xpath(".//w:keepNext")


def test_the_page_is_a4_landscape(doc):
    (section,) = doc.sections
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert round(section.page_width.mm) == 297 and round(section.page_height.mm) == 210
    assert 10 <= section.left_margin.mm <= 20 and 10 <= section.top_margin.mm <= 20


def test_rag_cells_hold_the_word_and_are_shaded_with_the_reports_colours(doc):
    table = full_table(doc)
    rag = list(COLUMNS).index("RAG rating")
    words = {rag_label(r): r for r, _ in KEY} | {"Dropped": None}
    seen = set()
    for tr in table._tbl.tr_lst[1:]:
        tcs = tr.tc_lst
        if len(tcs) != len(COLUMNS):
            continue  # a theme's or a recommendation's row
        text = "".join(t.text or "" for t in tcs[rag].iter(qn("w:t")))
        word = text.split(" ", 1)[1]
        assert word in words, text  # the word is always there: never colour alone
        fill = tcs[rag].tcPr.find(qn("w:shd")).get(qn("w:fill"))
        assert "#" + fill.lower() == PRINT_FILL[words[word] or "dropped"][1]
        seen.add(word)
    assert {"Red", "Amber", "Grey"} <= seen
    assert all(f"print RAG {n}" in {p[0] for p in PAIRS} for n in PRINT_FILL)  # AA-tested


def test_the_trend_chart_has_alt_text_and_its_numbers_in_a_table(doc):
    (pic,) = doc.inline_shapes
    docpr = pic._inline.docPr
    assert docpr.get("descr") == (
        "Percent complete at each of 2 reviews, from 20% on 5 October 2016 to 45% on "
        "5 January 2017."
    )
    assert docpr.get("title") == "Trend of percent complete"
    blob = doc.part.related_parts[pic._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
    assert blob.startswith(b"\x89PNG\r\n\x1a\n")
    numbers = next(t for t in doc.tables if t.rows[0].cells[0].text == "Review")
    assert [[c.text for c in r.cells] for r in numbers.rows[1:]] == [
        ["5 October 2016", "20%"],
        ["5 January 2017", "45%"],
    ]


def test_exceptions_little_evidence_and_key_read_as_the_html_does(doc):
    text = [p.text for p in doc.paragraphs]
    assert text.index("Exceptions") < text.index("Areas with little or no evidence of progress")
    assert text.index("The full plan") < text.index("Key to the ratings")
    key = next(t for t in doc.tables if t.rows[0].cells[0].text == "RAG rating")
    assert [r.cells[1].text for r in key.rows[1:]] == [words for _, words in KEY]
    assert any(p.startswith("Complete: ") and "actions complete" in p for p in text)


def test_a_hostile_plans_control_characters_are_written_as_pictures(tmp_path, monkeypatch):
    clean_env(monkeypatch, tmp_path)
    folder = plans_folder(tmp_path, "evil.toml", EVIL)
    write(folder, "odd.toml", EVIL.replace("Evil", "Odd \\uFFFF\\uFFFE"))  # XML cannot hold
    r = run_cli(folder, "report", "--format", "docx", "-o", "out.docx")
    assert r.exit_code == 0 and "not reported" not in r.output, r.output
    data = (tmp_path / "out.docx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert not RAW.search(xml)
    d = Document(io.BytesIO(data))
    assert "Evil ␛]0;PWNED␇ title ␛[2J⟨9B⟩31m end" in styled(d, "Heading 1")
    assert "Odd ⟨U+FFFF⟩⟨U+FFFE⟩ ␛]0;PWNED␇ title ␛[2J⟨9B⟩31m end" in styled(d, "Heading 1")


def test_only_safe_links_become_hyperlinks(tmp_path):
    folder = plans_folder(tmp_path, "h.toml", HOSTILE_PLAN)
    report = make_report(api.load(folder), TODAY)
    d = Document(io.BytesIO(render(report, "docx", folder, folder)))
    links = sorted(r.target_ref for r in d.part.rels.values() if r.reltype.endswith("/hyperlink"))
    assert links == ["evidence/audit.pdf", "https://example.org/minutes?a=1&b=2"]
    cells = "\n".join(c.text for t in d.tables for c in t._cells)
    assert "javascript link (javascript:alert(document.cookie))" in cells  # shown as text


def test_the_same_report_is_the_same_file():
    """python-docx dates a zip's entries by the clock; the report dates them as at."""
    report = make_report(api.load(SHIPPED), TODAY, plan_ids=["telford-cse-scrutiny-2016"])
    first = render(report, "docx", SHIPPED)
    assert render(report, "docx", SHIPPED) == first
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert {i.date_time[:3] for i in z.infolist()} == {(2017, 1, 5)}
    assert Document(io.BytesIO(first)).core_properties.modified.date() == TODAY


# -- the council's template ---------------------------------------------------------------


def council_template(path: Path) -> Path:
    t = Document()
    t.styles["Heading 1"].font.name = "Georgia"
    t.styles["Normal"].font.name = "Arial"
    t.sections[0].header.paragraphs[0].text = "Telford & Wrekin Council: OFFICIAL"
    t.add_paragraph("The template's own words, which the report replaces")
    t.save(str(path))
    return path


def test_a_template_gives_the_report_its_styles_headers_and_footers(tmp_path, monkeypatch):
    clean_env(monkeypatch, tmp_path)
    folder = plans_folder(tmp_path)
    council_template(tmp_path / "council.docx")
    r = run_cli(folder, "report", "--format", "docx", "--template", "council.docx", "-o", "o.docx")
    assert r.exit_code == 0, r.output
    d = Document(tmp_path / "o.docx")
    assert d.styles["Heading 1"].font.name == "Georgia"
    assert styled(d, "Heading 1") == ["Sample improvement plan"]
    assert d.sections[0].header.paragraphs[0].text == "Telford & Wrekin Council: OFFICIAL"
    assert "The template's own words" not in "\n".join(p.text for p in d.paragraphs)
    assert d.sections[0].orientation == WD_ORIENT.LANDSCAPE


def _zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def bad_templates(tmp: Path) -> dict[str, tuple[Path, str]]:
    dtd = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
    return {
        "not docx": (tmp / "council.dotm", "a template must be a Word document (.docx)"),
        "missing": (tmp / "gone.docx", "cannot be read"),
        "not a zip": (tmp / "text.docx", "not a Word document (File is not a zip file)"),
        "dtd": (_zip(tmp / "bomb.docx", {"word/document.xml": dtd}), "not used as a template"),
        "no document": (
            _zip(tmp / "empty.docx", {"a.txt": b"x"}),
            "not a Word document improve can build into",
        ),
    }


@pytest.mark.parametrize("case", ["not docx", "missing", "not a zip", "dtd", "no document"])
def test_a_template_that_cannot_be_used_is_refused_in_one_line(tmp_path, monkeypatch, case):
    clean_env(monkeypatch, tmp_path)
    folder = plans_folder(tmp_path)
    (tmp_path / "council.dotm").write_bytes(b"PK")
    (tmp_path / "text.docx").write_text("not a zip")
    path, said = bad_templates(tmp_path)[case]
    r = run_cli(folder, "report", "--format", "docx", "--template", str(path), "-o", "o.docx")
    assert r.exit_code == 1, r.output
    (line,) = r.output.splitlines()
    assert line.startswith(f"improve: {path}: ") and said in line, line
    assert not (tmp_path / "o.docx").exists()


def test_a_template_goes_with_docx_only(tmp_path, monkeypatch):
    clean_env(monkeypatch, tmp_path)
    folder = plans_folder(tmp_path)
    r = run_cli(folder, "report", "--format", "html", "--template", "council.docx")
    assert r.exit_code == 2 and "--template FILE.docx goes with --format docx" in r.output


def test_a_word_document_is_not_written_to_a_terminal(tmp_path, monkeypatch):
    clean_env(monkeypatch, tmp_path)
    folder = plans_folder(tmp_path)
    leader, follower = pty.openpty()
    proc = subprocess.run(
        [sys.executable, "-m", "improve", "--plans", str(folder), "--today", "2017-01-05",
         "report", "--format", "docx", "-o", "-"],
        stdout=follower, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
    )  # fmt: skip
    os.close(follower)
    os.close(leader)
    assert proc.returncode == 1 and "a docx report is not for a terminal" in proc.stderr


LONG = """\
[plan]
title = "Long plan"
start = 2016-09-01

[[recommendation]]
ref = "1"
leads = ["Lead"]

  [[recommendation.action]]
  ref = "1.1"
  action = "Short"
  due = 2017-03-31
  percent = 40

  [[recommendation.action]]
  ref = "1.2"
  action = "{long}"
  due = 2017-03-31
  percent = 40
"""


def test_a_row_taller_than_a_page_may_run_on_and_the_others_are_kept_whole(tmp_path):
    """A row Word must not split but that is taller than a page is drawn over the footer
    by LibreOffice (seen in the CSE review's narrative): such a row may run on."""
    folder = plans_folder(tmp_path, "long.toml", LONG.format(long="So much to do. " * 400))
    d = Document(io.BytesIO(render(make_report(api.load(folder), TODAY), "docx", folder)))
    rows = {tr.tc_lst[0].xpath("string(.)"): tr for tr in full_table(d)._tbl.tr_lst}
    assert marked(rows["1.1"], "cantSplit") and not marked(rows["1.2"], "cantSplit")


def test_a_template_with_no_page_set_up_gets_one(tmp_path):
    """A document whose body has no section properties (Word always writes them; other
    programs need not) is still built into, A4 landscape."""
    path = council_template(tmp_path / "bare.docx")
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    parts["word/document.xml"] = re.sub(
        rb"<w:sectPr[ >].*</w:sectPr>", b"", parts["word/document.xml"], flags=re.S
    )
    bare = _zip(tmp_path / "bare2.docx", parts)
    folder = plans_folder(tmp_path)
    report = make_report(api.load(folder), TODAY)
    d = Document(io.BytesIO(render(report, "docx", folder, template=bare)))
    assert d.sections[-1].orientation == WD_ORIENT.LANDSCAPE and report.plans


def test_every_plan_is_its_own_part_and_one_that_fails_is_left_out(tmp_path, monkeypatch):
    from improve.report import docx

    folder = plans_folder(tmp_path)
    write(folder, "other.toml", SAMPLE.replace("Sample improvement plan", "Other plan"))
    write(folder, "third.toml", SAMPLE.replace("Sample improvement plan", "Third plan"))
    real = docx.render_docx

    def trips(report, *args, **kw):
        if any(pr.plan.id == "third" for pr in report.plans):
            raise ArithmeticError("a fault nobody foresaw")
        return real(report, *args, **kw)

    monkeypatch.setattr(docx, "render_docx", trips)
    report = make_report(api.load(folder), TODAY)
    d = Document(io.BytesIO(render(report, "docx", folder)))
    assert styled(d, "Heading 1") == [
        "Plans not reported (their files have errors)", "Other plan", "Sample improvement plan",
    ]  # fmt: skip
    assert "third.toml: improve could not lay this plan out as docx" in report.not_reported[0]
    plans = d.element.body.xpath(
        f'.//w:p[w:pPr/w:pStyle/@w:val="{d.styles["Heading 1"].style_id}"]'
    )
    assert [bool(p.xpath("./w:pPr/w:pageBreakBefore")) for p in plans] == [False, False, True]
