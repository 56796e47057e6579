"""Returns answer impact, a milestone done and a measure reading: the spreadsheet offers
each as a list (impact, the row's milestones, the row's measures) or a number (a reading),
and `returns apply` makes each exactly as `improve update` would, or refuses the return
naming the cell."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import tomllib
from pathlib import Path

import openpyxl
import pytest

from helpers import SHIPPED, clean_env, run_cli
from improve.returns import COLUMNS
from returns_helpers import LEAD, PLAN, fill, make, plan_bytes

APPLIED = "2017-01-09"  # the day the return comes back and is applied (made on 2017-01-05)


@pytest.fixture
def folder(tmp_path, monkeypatch):
    clean_env(monkeypatch, tmp_path)
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        shutil.copy(SHIPPED / f"{PLAN}.toml", tmp_path / name / f"{PLAN}.toml")
    return tmp_path


def action(folder: Path, ref: str) -> dict:
    data = tomllib.loads(plan_bytes(folder).decode("utf-8"))
    return next(a for rec in data["recommendation"] for a in rec["action"] if a["ref"] == ref)


def events(ref: str) -> dict[str, list[dict]]:
    """The history of one action in folder a: field → its edits."""
    r = run_cli(Path("a"), "history", f"{PLAN}:{ref}", "--json", today=APPLIED)
    assert r.exit_code == 0, r.output
    out: dict[str, list[dict]] = {}
    for e in json.loads(r.stdout)["events"]:
        out.setdefault(e["field"], []).append(e)
    return out


def test_impact_a_milestone_and_a_reading_are_applied_as_improve_update_would(folder):
    filled = fill(make(), {
        # one measure: Reading alone will do; the milestone as picked from the list
        "1.1.3": {"Impact": "too-early", "Milestone done": "Stage 1: core elements",
                  "Reading": 40},
        # the measure picked, 82% typed as text; an impact typed in another case
        "1.1.1": {"Impact": "Partly", "Measure": "supervision-monthly-1-1-1", "Reading": "82%"},
        "2.1.1": {"Measure": "audit-plans-2-1-1", "Reading": 61.5, "New %": 30},
    })  # fmt: skip
    r = run_cli(Path("a"), "returns", "apply", filled, today=APPLIED)
    assert r.exit_code == 0, r.output
    assert "filled.xlsx: 3 rows applied, 0 already in the plan, 0 conflicts" in r.stdout

    a = action(folder, "1.1.3")
    assert a["impact"] == "too-early"
    assert a["milestone"][0] == {"label": "Stage 1: core elements", "due": dt.date(2017, 2, 28),
                                 "done": True, "done_on": dt.date(2017, 1, 9)}  # fmt: skip
    assert a["milestone"][1].get("done") is None
    assert a["measure"][0]["readings"] == [{"date": dt.date(2017, 1, 9), "value": 40}]
    assert a["update"][-1]["by"] == LEAD and a["update"][-1]["date"] == dt.date(2017, 1, 9)
    assert action(folder, "1.1.1")["impact"] == "partly"
    assert action(folder, "1.1.1")["measure"][0]["readings"] == [
        {"date": dt.date(2017, 1, 9), "value": 82}
    ]
    story = events("1.1.3")
    for name in ("impact", "milestones_done", "reading"):
        assert [(e["who"], e["date"]) for e in story[name]] == [(LEAD, APPLIED)], name
    assert story["reading"][0]["new"]["value"] == 40

    # exactly what `improve update` writes, byte for byte
    for args in (
        [f"{PLAN}:1.1.1", "--impact", "partly", "--reading", "supervision-monthly-1-1-1=82"],
        [f"{PLAN}:1.1.3", "--impact", "too-early", "--milestone", "Stage 1: core elements",
         "--done", "--on", APPLIED, "--reading", "audit-good-1-1-3=40"],
        [f"{PLAN}:2.1.1", "--percent", "30", "--reading", "audit-plans-2-1-1=61.5"],
    ):  # fmt: skip
        assert run_cli(Path("b"), "update", *args, "--by", LEAD, today=APPLIED).exit_code == 0
    assert plan_bytes(folder, "a") == plan_bytes(folder, "b")

    # applied again, a week on: there already (the milestone keeps its day)
    again = run_cli(Path("a"), "returns", "apply", filled, today="2017-01-16")
    assert again.exit_code == 0, again.output
    assert "0 rows applied, 3 already in the plan, 0 conflicts" in again.stdout
    assert plan_bytes(folder, "a") == plan_bytes(folder, "b")


def test_a_bad_impact_milestone_or_reading_applies_nothing_and_names_its_cell(folder):
    before = plan_bytes(folder)
    filled = fill(make(), {
        "1.1.1": {"Impact": "brilliant", "New %": 20},
        "1.1.3": {"Milestone done": "Stage 9: never"},
        "1.1.4": {"Measure": "managers-attend-training-1-1-4", "Reading": "about forty"},
        "2.1.1": {"Reading": 12},  # four measures: which?
        "2.1.2": {"Measure": "court-activity-2-1-2"},  # no value
        "2.1.3": {"Measure": "supervision-monthly-1-1-1", "Reading": 5},  # not this action's
        "2.1.4": {"Progress note": "good on its own, but the return is bad: not applied"},
    })  # fmt: skip
    r = run_cli(Path("a"), "returns", "apply", filled, today=APPLIED)
    assert r.exit_code == 1, r.output
    lines = r.stderr.splitlines()
    assert lines[:3] == [
        'filled.xlsx: Return!K2: Impact must be one of yes, partly, no, too-early, n/a (the '
        'cell\'s list), not "brilliant"',
        'filled.xlsx: Return!G4: no single milestone "Stage 9: never" on this action; give its '
        'number or the start of its label (its milestones: 1 "Stage 1: core elements"; 2 '
        '"Stage 2: all Trix policies/procedures")',
        'filled.xlsx: Return!M5: Reading must be a number (82 for 82%), of at most 15 digits, '
        'not "about forty"',
    ]  # fmt: skip
    assert lines[3].startswith("filled.xlsx: Return!L6: say which measure the Reading is of")
    assert lines[4] == ('filled.xlsx: Return!M7: a Measure needs its value now in Reading '
                        '(for "court-activity-2-1-2")')  # fmt: skip
    assert lines[5].startswith('filled.xlsx: Return!L8: no measure "supervision-monthly-1-1-1" '
                               "for this action (its measures: pods-evaluation-2-1-3")  # fmt: skip
    assert lines[6:] == ["filled.xlsx: nothing applied: 6 values to put right first"]
    assert plan_bytes(folder) == before


def test_the_spreadsheet_itself_offers_the_lists_and_checks_the_reading(folder):
    book = openpyxl.load_workbook(make())
    ws, lists = book["Return"], book["Lists"]
    assert lists.sheet_state == "hidden" and lists.protection.sheet
    letter = {name: openpyxl.utils.get_column_letter(k + 1) for k, name in enumerate(COLUMNS)}
    rules: dict[str, list] = {}
    for dv in ws.data_validations.dataValidation:
        for cells in str(dv.sqref).split():
            rules.setdefault(re.sub(r"\d", "", cells.split(":")[0]), []).append((cells, dv))
    assert {c for c in rules} == {letter[n] for n in ("New %", "Milestone done", "Impact",
                                                      "Measure", "Reading", "Extension to")}  # fmt: skip
    [(cells, impact)] = rules[letter["Impact"]]
    assert cells == "K2:K10" and impact.type == "list"
    assert impact.formula1 == '"yes,partly,no,too-early,n/a"' and impact.showErrorMessage

    def choices(dv) -> list[str]:
        m = re.fullmatch(r"Lists!\$A\$(\d+):\$([A-Z]+)\$(\d+)", dv.formula1)
        assert m and m[1] == m[3], dv.formula1
        return [c.value for c in lists[f"A{m[1]}:{m[2]}{m[1]}"][0]]

    row = {ws.cell(r, 2).value: r for r in range(2, ws.max_row + 1)}
    milestones = {cells: choices(dv) for cells, dv in rules[letter["Milestone done"]]}
    assert milestones == {  # each row's own milestones still to do, and only those rows
        f"G{row['1.1.3']}": ["Stage 1: core elements", "Stage 2: all Trix policies/procedures"],
        f"G{row['1.1.4']}": ["Training to begin", "End"],
        f"G{row['2.1.1']}": ["Training to begin", "End"],  # the same list, written once
        f"G{row['2.1.2']}": ["Framework agreed", "Training begins"],
    }
    measures = {cells: choices(dv) for cells, dv in rules[letter["Measure"]]}
    assert len(measures) == 9  # every action here has measures
    assert measures[f"L{row['1.1.1']}"] == ["supervision-monthly-1-1-1",
                                            "audit-case-supervision-1-1-1"]  # fmt: skip
    assert measures[f"L{row['1.1.3']}"] == ["audit-good-1-1-3"]
    assert [cells for cells, _ in rules[letter["Reading"]]] == [f"M{r}" for r in range(2, 11)]
    assert {(dv.type, dv.operator) for _, dv in rules[letter["Reading"]]} == {
        ("decimal", "between")
    }
    for _, dv in (*rules[letter["Milestone done"]], *rules[letter["Measure"]]):
        assert dv.type == "list" and dv.showErrorMessage and len(dv.prompt or "") <= 255


def test_a_return_made_before_these_columns_is_refused(folder):
    path = make()
    book = openpyxl.load_workbook(path)
    book["improve"]["B1"].value = "2"  # as returns were made this morning
    book.save(path)
    filled = fill(path, {"1.1.1": {"New %": 50}})
    before = plan_bytes(folder)
    r = run_cli(Path("a"), "returns", "apply", filled, today=APPLIED)
    assert r.exit_code == 1 and plan_bytes(folder) == before
    assert r.stderr.splitlines() == [
        "improve: filled.xlsx was made by an earlier improve, before returns had the columns "
        "Milestone done, Impact, Measure and Reading, so its columns are not where they are "
        "read from; nothing was applied: make it again with `improve returns make` (and copy "
        "the answers across)"
    ]


def test_a_percent_typed_with_its_sign_in_excel_is_that_percent(folder):
    """Excel stores 29% typed in a cell as 0.29 formatted as a percent; 0.29 * 100 is
    28.999999999999996 in floating point, which is 29, not a bad value. The same for a
    reading."""
    filled = fill(make(), {"1.1.1": {"New %": 0.29}, "1.1.3": {"New %": 0.07, "Reading": 0.57}})
    book = openpyxl.load_workbook(filled)
    for cell in ("F2", "F4", "M4"):
        book["Return"][cell].number_format = "0%"
    book.save(filled)
    r = run_cli(Path("a"), "returns", "apply", filled, today=APPLIED)
    assert r.exit_code == 0, r.output
    assert action(folder, "1.1.1")["percent"] == 29
    assert action(folder, "1.1.3")["percent"] == 7
    assert action(folder, "1.1.3")["measure"][0]["readings"][0]["value"] == 57
