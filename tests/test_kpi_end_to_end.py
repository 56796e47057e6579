"""Issue 25, done when: a measure's figures imported from a made-up file in DfE's
Explore Education Statistics layout show their comparators in the JSON, in every report
format and in the app, and the suppressed figure is never a zero anywhere."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date

import pytest
from textual.widgets import Static

from app_helpers import plain
from helpers import run_cli, running, wait_for, write
from kpi_files import ees_text, neighbours_text

TODAY = "2021-06-30"
PLAN = """\
[plan]
title = "Telford CYP Plan"
kind = "partnership"

[[measure]]
id = "cin-rate"
text = "Rate of children in need per 10,000 children"
unit = "per 10,000"
direction = "down"
target = 300
variance = { amber = 0, red = 10 }

[[recommendation]]
ref = "1"
title = "Early help"
leads = ["Head of Early Help"]

  [[recommendation.action]]
  ref = "1.1"
  action = "Review the early help offer"
  due = 2021-12-31
"""
TELFORD = {2019: "330.2", 2020: "318.9", 2021: "325.1"}


def figure(place: str, year: int) -> str:
    if place == "West Midlands" and year == 2020:
        return "c"  # suppressed: no value, never 0
    if place == "Telford and Wrekin":
        return TELFORD[year]
    return {"England": "310.5", "West Midlands": "316.5"}.get(place, f"{300 + year % 7}.4")


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    top = tmp_path_factory.mktemp("kpi")
    plans = top / "plans"
    plans.mkdir()
    write(plans, "cypp.toml", PLAN)
    (top / "cin.csv").write_text(ees_text(figure), "utf-8")
    (top / "sn.csv").write_text(neighbours_text({"Telford and Wrekin": [
        "Stoke-on-Trent", "Walsall", "Halton", "Derby", "Darlington"]}), "utf-8")  # fmt: skip
    done = run_cli(plans, "kpi", "import", top / "cin.csv", "--measure", "cypp:cin-rate",
                   "--column", "cin_rate", "--la", "Telford & Wrekin", "--neighbours",
                   top / "sn.csv", today=TODAY, db=top / "h.db")  # fmt: skip
    assert done.exit_code == 0, done.output
    assert '"c" (line' in done.output  # the suppressed cell is listed, not written
    return top, plans


def test_the_json_carries_the_imported_comparators(imported):
    top, plans = imported
    out = run_cli(plans, "status", "--json", today=TODAY, db=top / "h.db")
    (measure,) = json.loads(out.stdout)["plans"][0]["measures"]
    assert measure["latest"] == {"date": "2021-03-31", "value": 325.1, "shown": "325.1 per 10,000"}
    assert measure["comparators"]["england"] == 310.5
    assert measure["comparators"]["region"] == 316.5
    assert measure["comparators"]["neighbours_by"] == "median"
    assert (measure["rag"], measure["trend"]) == ("amber", "worsening")
    assert measure["against"] == "worse than England, worse than the region, worse than neighbours"
    data = (plans / "cypp.toml").read_text("utf-8")
    assert "2020-03-31, england = 310.5, neighbours" in data  # no region that year
    assert "region = 0" not in data


def _report(imported, fmt: str) -> bytes:
    top, plans = imported
    path = top / f"report.{fmt}"
    done = run_cli(plans, "report", "--format", fmt, "-o", path, today=TODAY, db=top / "h.db")
    assert done.exit_code == 0, done.output
    return path.read_bytes()


@pytest.mark.parametrize("fmt", ["html", "md", "docx", "pdf"])
def test_every_report_shows_the_reading_and_its_comparators(imported, fmt):
    raw = _report(imported, fmt)
    if fmt == "docx":
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            text = z.read("word/document.xml").decode("utf-8")
    elif fmt == "pdf":  # tagged, and its pages (as WeasyPrint lays out the HTML) say it
        import weasyprint

        assert raw.startswith(b"%PDF")
        document = weasyprint.HTML(string=_report(imported, "html").decode("utf-8")).render()
        text = " ".join(_page_text(page._page_box) for page in document.pages)
    else:
        text = raw.decode("utf-8").replace("\\", "")  # Markdown's escapes: 325\.1
    flat = " ".join(text.split())
    for words in ("325.1 per 10,000", "310.5 per 10,000", "316.5 per 10,000"):
        assert words in flat, (fmt, words)
    assert "0 per 10,000" not in flat.replace("310.5 per 10,000", "").replace(
        "300 per 10,000", ""
    ).replace("325.1 per 10,000", "").replace("330.2 per 10,000", "")  # nothing as 0


def _page_text(box) -> str:
    words = [box.text] if type(box).__name__ == "TextBox" else []
    words += [_page_text(child) for child in getattr(box, "children", None) or []]
    return " ".join(w for w in words if w)


def test_the_workbook_and_csv_hold_numbers_and_leave_the_suppressed_cell_empty(imported):
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(_report(imported, "xlsx")))
    rows = list(wb["Measures"].values)
    head = rows[0]
    region = head.index("Region")
    by_date = {r[head.index("Date")]: r for r in rows[1:] if r[0] is not None}
    dates = sorted(by_date)
    assert [by_date[d][region] for d in dates] == [316.5, None, 316.5]
    table = list(csv.DictReader(io.StringIO(_report(imported, "csv").decode("utf-8-sig"))))
    measured = [r for r in table if r.get("Measure id") == "cin-rate"]
    assert sorted(r["Region"] for r in measured) == ["", "316.5", "316.5"]


async def test_the_app_shows_the_imported_comparators(imported):
    _, plans = imported
    async with running(plans, date(2021, 6, 30), size=(80, 24)) as (app, pilot):
        await pilot.press("enter")
        await pilot.press("k")
        assert await wait_for(lambda: type(app.screen).__name__ == "MeasuresScreen", pilot)
        await pilot.pause()
        flat = " ".join(plain(app.screen.query_one("#measures", Static).content).split())
        assert "latest 325.1 per 10,000 on 2021-03-31: AMBER (not met)" in flat, flat
        assert "England 310.5 per 10,000 · region 316.5 per 10,000" in flat, flat
