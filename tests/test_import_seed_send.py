"""Issue 24 point 2: the SEND Accelerated Progress Plan (seed 002) imports into its
structure, from Word and from Excel: key concerns as recommendations with their leads,
actions numbered from 1 in each concern as "1.1, 1.2 …", the concern's measures (one cell
merged down its actions' rows) as the recommendation's, and "Feb 2023 / Apr 2023" as two
stages."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import clean_env
from improve.cli import cli
from improve.importing import import_plan
from improve.importing.grid import read_grid
from improve.importing.values import parse_when
from improve.plans.loader import load_file
from seed_layouts import SEND_TITLE, send_app_docx, send_app_xlsx

TODAY = dt.date(2023, 1, 15)
SHIPPED = Path(__file__).parent.parent / "plans" / "worcestershire-send-app-2022.toml"
BUILDERS = {"docx": send_app_docx, "xlsx": send_app_xlsx}


@pytest.fixture(params=sorted(BUILDERS))
def imported(request, tmp_path):
    source = BUILDERS[request.param](tmp_path / f"send-app.{request.param}")
    plans = tmp_path / "plans"
    plans.mkdir()
    out = import_plan(source, plans, today=TODAY, kind="send")
    return out, tomllib.loads(out.text)


def test_key_concerns_are_recommendations_with_their_leads(imported):
    out, plan = imported
    recs = plan["recommendation"]
    assert [r["ref"] for r in recs] == ["1", "2"]  # not 4: a leads row is no recommendation
    assert plan["plan"]["labels"]["recommendation"] == "Key concern"
    assert plan["plan"]["title"] == SEND_TITLE
    shipped = {r["ref"]: r for r in tomllib.loads(SHIPPED.read_text("utf-8"))["recommendation"]}
    for rec in recs:  # as the shipped transcription has them: sentence case, SEND kept
        assert rec["title"] == shipped[rec["ref"]]["title"]
        assert rec["leads"] == shipped[rec["ref"]]["leads"]
    assert not any("used twice" in line or "no structure" in line for line in out.warning_lines())


def test_actions_numbered_in_each_concern_are_qualified_by_it(imported):
    _, plan = imported
    refs = [[a["ref"] for a in r["action"]] for r in plan["recommendation"]]
    assert refs == [["1.1", "1.2", "1.3"], ["2.1", "2.2"]]
    leads = plan["recommendation"][0]["action"][0]["leads"]
    assert leads == ["Assistant Director Education Quality"]


def test_measures_merged_down_a_concern_are_the_concerns(imported):
    _, plan = imported
    recs = plan["recommendation"]
    assert [m["text"] for m in recs[0]["measure"]] == [
        "Number of schools/Trusts attending events to share outcomes of SEND inspection",
        "% of mainstream SENCOs attending training/ networks virtually or face to face",
    ]
    assert [m["text"] for m in recs[1]["measure"]] == [
        "% of new EHC Plans that are placed in mainstream schools"
    ]
    assert not any("measure" in a for r in recs for a in r["action"])  # not on the first action


def test_staged_dates_are_two_milestones_and_the_last_is_due(imported):
    _, plan = imported
    first = plan["recommendation"][0]["action"][0]
    assert first["due"] == dt.date(2023, 4, 30)
    assert [(m["label"], m["due"]) for m in first["milestone"]] == [
        ("Stage 1 of 2", dt.date(2023, 2, 28)),
        ("Stage 2 of 2", dt.date(2023, 4, 30)),
    ]


def test_the_imported_plan_checks_clean(imported, tmp_path):
    out, _ = imported
    path = tmp_path / "plans" / "send-app.toml"
    path.write_text(out.text, "utf-8")
    loaded = load_file(path, tmp_path / "plans")
    assert loaded.plan is not None
    assert [str(p) for p in loaded.problems if p.severity == "error"] == []


def test_the_word_membership_row_is_kept_with_its_concern(tmp_path):
    source = send_app_docx(tmp_path / "send.docx")
    (tmp_path / "plans").mkdir()
    plan = tomllib.loads(import_plan(source, tmp_path / "plans", today=TODAY).text)
    assert plan["recommendation"][0]["extra"]["membership"] == [
        "Parent carer forum (FiP) and WAC and stakeholder groups",
        "Special Schools",
        "Designated Clinical Officer, CCG",
    ]


def test_a_cell_merged_down_in_excel_is_read_on_every_row_it_covers(tmp_path):
    grid = read_grid(send_app_xlsx(tmp_path / "send.xlsx"))
    cells = [row.cells[4] for row in grid.rows if row.cells[4].text.startswith("• Number")]
    assert len(cells) == 3  # the three actions of key concern 1
    assert cells[0].down == 3 and not cells[0].under
    assert all(c.under for c in cells[1:])
    assert all(c not in row.filled() for row in grid.rows for c in cells[1:])


@pytest.mark.parametrize(
    ("text", "stages"),
    [
        ("Feb 2023 / Apr 2023", ["Stage 1 of 2", "Stage 2 of 2"]),
        ("Feb 2023 & Apr 2023", ["Stage 1 of 2", "Stage 2 of 2"]),
        ("Jan 2023 / Feb 2023 / Mar 2023", ["Stage 1 of 3", "Stage 2 of 3", "Stage 3 of 3"]),
        ("Draft: Feb 2023 / Apr 2023", ["Draft", "Stage 2"]),  # never a stage called "/"
        ("Feb 2023 - Apr 2023", []),  # a range is not stages: kept as a comment
    ],
)
def test_stage_labels(text, stages):
    from improve.importing.grid import Cell

    assert [m.label for m in parse_when(Cell(text, "")).milestones] == stages


def test_the_cli_says_what_it_found(monkeypatch, tmp_path):
    clean_env(monkeypatch, tmp_path)
    (tmp_path / "plans").mkdir()
    source = send_app_xlsx(tmp_path / "send.xlsx")
    result = CliRunner().invoke(
        cli, ["--plans", "plans", "--today", TODAY.isoformat(), "import", str(source)],
        catch_exceptions=False,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (
        "Found 2 key concerns, 5 actions and 3 measures of the key concerns. "
        "2 key concerns have leads of their own." in result.output
    )
    assert (
        "Outcome/progress measures → measure (a cell merged down a key concern's actions: "
        "the key concern's measures)" in result.output
    )
    assert "no structure found" not in result.output
