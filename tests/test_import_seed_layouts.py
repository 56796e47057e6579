"""Issue 24: a document in each seed layout, in Word and in Excel, imports into the plan's
structure and checks clean — the CSE review's recommendations table (seed 004 part a), the
Ofsted SIF plan's themes, recommendations and actions (seed 004 part b), the SEND
Accelerated Progress Plan's key concerns (seed 002) and a tracker with a grouping column."""

from __future__ import annotations

import datetime as dt
import tomllib

import pytest

from import_docs import telford_docx
from improve.importing import import_plan
from improve.plans.loader import load_file
from seed_layouts import (
    cse_scrutiny_docx,
    key_concern_docx,
    key_concern_xlsx,
    ofsted_sif_xlsx,
    send_app_docx,
    send_app_xlsx,
)

TODAY = dt.date(2017, 1, 5)

# builder, its file's suffix, and the structure it must come in as:
# (themes, recommendation refs, action refs)
LAYOUTS = {
    "cse-docx": (cse_scrutiny_docx, "docx", 0, ["1", "2", "4", "5"],
                 ["1.1", "2.1", "4.1", "5.1"]),
    "sif-docx": (telford_docx, "docx", 2, ["1.1", "2.1"], ["1.1.1", "1.1.2", "1.1.3", "2.1.1"]),
    "sif-xlsx": (ofsted_sif_xlsx, "xlsx", 2, ["1.1", "2.1"], ["1.1.1", "1.1.2", "2.1.1"]),
    "send-docx": (send_app_docx, "docx", 0, ["1", "2"], ["1.1", "1.2", "1.3", "2.1", "2.2"]),
    "send-xlsx": (send_app_xlsx, "xlsx", 0, ["1", "2"], ["1.1", "1.2", "1.3", "2.1", "2.2"]),
    "tracker-docx": (key_concern_docx, "docx", 0, ["P1", "P2"], ["P1.1", "P1.2", "P2.1"]),
    "tracker-xlsx": (key_concern_xlsx, "xlsx", 0, ["KC1", "KC2"], ["KC1.1", "KC1.2", "KC2.1"]),
}  # fmt: skip


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_each_seed_layout_imports_into_its_structure_and_checks_clean(tmp_path, layout):
    build, suffix, themes, recs, acts = LAYOUTS[layout]
    source = build(tmp_path / f"{layout}.{suffix}")
    plans = tmp_path / "plans"
    plans.mkdir()
    imported = import_plan(source, plans, today=TODAY)
    plan = tomllib.loads(imported.text)
    assert len(plan.get("theme", [])) == themes
    assert [r["ref"] for r in plan["recommendation"]] == recs
    assert [a["ref"] for r in plan["recommendation"] for a in r.get("action", [])] == acts
    assert not any(r.get("title") == "Actions" for r in plan["recommendation"])
    assert not any("no structure" in w or "used twice" in w for w in imported.warning_lines())
    path = plans / f"{layout}.toml"
    path.write_text(imported.text, "utf-8")
    loaded = load_file(path, plans)
    assert loaded.plan is not None
    assert [str(p) for p in loaded.problems if p.severity == "error"] == []


def test_the_sif_workbook_reads_percent_cells_fills_and_stages(tmp_path):
    source = ofsted_sif_xlsx(tmp_path / "sif.xlsx")
    (tmp_path / "plans").mkdir()
    plan = tomllib.loads(import_plan(source, tmp_path / "plans", today=TODAY).text)
    assert plan["plan"]["title"] == "Ofsted SIF Improvement Plan 2016-17"
    assert [t["title"] for t in plan["theme"]] == ["Scrutiny, oversight and advocacy", "Permanence"]
    rec = plan["recommendation"][0]
    assert rec["why"].startswith("children are safer") and len(rec["good_looks_like"]) == 2
    acts = {a["ref"]: a for r in plan["recommendation"] for a in r["action"]}
    assert [acts[k]["percent"] for k in ("1.1.1", "1.1.2", "2.1.1")] == [50, 25, 100]
    assert acts["1.1.1"]["due"] == dt.date(2017, 3, 31)
    assert acts["1.1.2"]["due"] == dt.date(2017, 1, 31)
    assert [m["label"] for m in acts["2.1.1"]["milestone"]] == ["Stage 1", "Stage 2"]


def test_the_word_tracker_reads_status_words_in_its_progress_column(tmp_path):
    source = key_concern_docx(tmp_path / "tracker.docx")
    (tmp_path / "plans").mkdir()
    plan = tomllib.loads(import_plan(source, tmp_path / "plans", today=TODAY).text)
    assert plan["plan"]["title"] == "Early Help Partnership Action Plan 2022-24"
    assert plan["plan"]["labels"]["recommendation"] == "Priority"
    first = plan["recommendation"][0]
    assert first["title"] == "Families get help early, from the right service"
    one, two = first["action"]
    assert one["status"] == "complete" and one["update"][0]["note"] == "Published in March."
    assert two["status"] == "in-progress" and two["due"] == dt.date(2023, 6, 30)


def test_a_source_giving_every_date_as_a_month_says_so(tmp_path):
    plans = tmp_path / "plans"
    plans.mkdir()
    months = tmp_path / "months.csv"
    months.write_text("Ref,Action,Lead,Date due\n1.1,Audit files,Head,January 2017\n"
                      "1.2,Train staff,Head,Feb 2017 / Apr 2017\n", "utf-8")  # fmt: skip
    plan = tomllib.loads(import_plan(months, plans, today=TODAY).text)
    assert plan["plan"]["dates"] == "month"
    days = tmp_path / "days.csv"
    days.write_text(months.read_text("utf-8").replace("January 2017", "31/01/2017"), "utf-8")
    assert "dates" not in tomllib.loads(import_plan(days, plans, today=TODAY).text)["plan"]


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Worcestershire Local Area SEND Accelerated Progress Plan (SEND APP)", "send"),
        ("Ofsted SIF Improvement Plan 2016-17", "ofsted"),
        ("Scrutiny Review of Multi-Agency Working Against CSE", "scrutiny"),
        ("Children and Young People's Plan 2022-24", "partnership"),
        ("Early Help Partnership Action Plan", "partnership"),
        ("Sending the newsletter", "other"),  # "SEND" is a word, not part of one
        ("Team tasks", "other"),
        ("How we send letters to schools", "other"),  # the acronym is in capitals
    ],
)
def test_the_kind_comes_from_the_title_unless_given(tmp_path, title, kind):
    plans = tmp_path / "plans"
    plans.mkdir()
    source = tmp_path / "plan.csv"
    source.write_text(f"{title}\nRef,Action,Lead,Date due\n1.1,Audit files,Head,31/01/2017\n")
    assert tomllib.loads(import_plan(source, plans, today=TODAY).text)["plan"]["kind"] == kind
    given = import_plan(source, plans, today=TODAY, kind="internal")
    assert tomllib.loads(given.text)["plan"]["kind"] == "internal"
