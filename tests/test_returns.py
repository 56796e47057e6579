"""Returns: a workbook per lead out, filled in as a lead would (openpyxl), and back in,
changing the plan exactly as the same changes through `improve update` would."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest

from helpers import SHIPPED, clean_env
from improve.returns import COLUMNS
from returns_helpers import LEAD, NAME, PLAN, fill, make, plan_bytes, run


@pytest.fixture
def folder(tmp_path, monkeypatch):
    clean_env(monkeypatch, tmp_path)
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        shutil.copy(SHIPPED / f"{PLAN}.toml", tmp_path / name / f"{PLAN}.toml")
    return tmp_path


def test_a_return_lists_the_leads_open_actions_with_only_the_answers_unlocked(folder):
    path = make()
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Return", "How to fill it in", "improve", "Lists"]
    ws = book["Return"]
    assert tuple(c.value for c in ws[1]) == COLUMNS
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in rows] == ["1.1.1", "1.1.2", "1.1.3", "1.1.4", "2.1.1", "2.1.2",
                                    "2.1.3", "2.1.4", "2.1.5"]  # fmt: skip
    assert rows[0][:5] == (PLAN, "1.1.1", "Review and refresh supervision policy, including "
                           "development of protocol template", dt.datetime(2017, 1, 31), 0)  # fmt: skip
    assert ws.protection.sheet
    for r in range(2, ws.max_row + 1):
        locked = {name: ws.cell(r, k).protection.locked for k, name in enumerate(COLUMNS, 1)}
        # grey and locked: what the plan says, and a choice the action has nothing for
        with_milestones = ws.cell(r, 2).value in ("1.1.3", "1.1.4", "2.1.1", "2.1.2")
        nothing = [] if with_milestones else ["Milestone done"]  # every action has measures
        assert [k for k, v in locked.items() if v] == [*COLUMNS[:5], *nothing]
    rules = {str(dv.sqref): (dv.type, dv.operator, dv.formula1, dv.formula2)
             for dv in ws.data_validations.dataValidation}  # fmt: skip
    assert rules["F2:F10"] == ("whole", "between", "0", "100")
    assert rules["N2:N10"][0] == "date"
    hidden = book["improve"]
    assert hidden.sheet_state == "hidden"
    assert [c.value for c in hidden[1]][:2] == ["improve return", "3"]
    assert len({r[3] for r in hidden.iter_rows(min_row=2, values_only=True)}) == 9
    guide = [c.value for c in book["How to fill it in"]["A"]]
    assert f"For: {LEAD}" in guide and any(
        "Send it back to Performance Team" in g for g in guide if g
    )


def test_a_filled_return_changes_the_plan_exactly_as_improve_update_would(folder):
    answers: dict[str, dict[str, object]] = {
        "1.1.1": {"New %": 50, "Progress note": "Draft policy out for comment",
                  "Evidence": "SLT minutes, 4 January", "Evidence link": "https://example.org/m"},
        "1.1.2": {"Extension to": dt.datetime(2017, 6, 30),
                  "Extension reason": "Waiting for the new case system"},
        "2.1.1": {"New %": "75%"},  # typed with the sign
        "2.1.2": {"New %": 0.25},  # Excel's value for 25% typed in a cell it formats as %
    }  # fmt: skip
    filled = fill(make(), answers)
    book = openpyxl.load_workbook(filled)
    cell = book["Return"]["F7"]
    assert book["Return"]["B7"].value == "2.1.2"
    cell.number_format = "0%"
    book.save(filled)
    r = run("a", "returns", "apply", filled)
    assert r.exit_code == 0, r.output
    assert (
        "filled.xlsx: 4 rows applied, 0 already in the plan, 0 conflicts, 5 left blank" in r.stdout
    )
    by = ["--by", LEAD]
    for args in (
        ["update", f"{PLAN}:1.1.1", "--percent", "50", "--note", "Draft policy out for comment",
         "--evidence", "SLT minutes, 4 January", "--link", "https://example.org/m"],
        ["update", f"{PLAN}:1.1.2", "--request-extension", "2017-06-30", "--reason",
         "Waiting for the new case system"],
        ["update", f"{PLAN}:2.1.1", "--percent", "75"],
        ["update", f"{PLAN}:2.1.2", "--percent", "25"],
    ):  # fmt: skip
        assert run("b", *args, *by).exit_code == 0
    assert plan_bytes(folder, "a") == plan_bytes(folder, "b")
    assert plan_bytes(folder, "a") != (SHIPPED / f"{PLAN}.toml").read_bytes()
    # and the second time, nothing
    again = run("a", "returns", "apply", filled)
    assert again.exit_code == 0
    assert "0 rows applied, 4 already in the plan, 0 conflicts" in again.stdout
    assert plan_bytes(folder, "a") == plan_bytes(folder, "b")


def test_a_bad_return_applies_nothing_and_names_every_cell(folder):
    path = make()
    # the action 2.1.5 leaves the plan after the return is made
    plan = folder / "a" / f"{PLAN}.toml"
    plan.write_text(plan.read_text("utf-8").replace('ref = "2.1.5"', 'ref = "2.1.9"'), "utf-8")
    before = plan.read_bytes()
    filled = fill(path, {
        "1.1.1": {"New %": 150, "Progress note": "Done more than all"},
        "1.1.2": {"Extension to": "next week", "Extension reason": "Busy"},
        "1.1.3": {"New %": 40},  # good on its own, but the return is bad: not applied either
        "1.1.4": {"Extension reason": "no date given"},
        "2.1.5": {"New %": 10},
    })  # fmt: skip
    r = run("a", "returns", "apply", filled)
    assert r.exit_code == 1
    assert r.stderr.splitlines() == [
        'filled.xlsx: Return!F2: New % must be a whole number from 0 to 100, not "150"',
        'filled.xlsx: Return!N3: Extension to must be a date (dd/mm/yyyy), not "next week"',
        "filled.xlsx: Return!O5: an Extension reason needs the date asked for in Extension to",
        f"filled.xlsx: Return!B10: {PLAN}:2.1.5 is no longer in the plans (removed or "
        "renumbered since the return was made)",
        "filled.xlsx: nothing applied: 4 values to put right first",
    ]
    assert plan.read_bytes() == before


def test_what_the_plan_refuses_is_found_before_anything_is_written(folder):
    path = make()
    filled = fill(path, {
        "1.1.1": {"New %": 30},
        "1.1.2": {"Extension to": dt.datetime(2016, 12, 1), "Extension reason": "Sooner"},
    })  # fmt: skip
    before = plan_bytes(folder)
    r = run("a", "returns", "apply", filled)
    assert r.exit_code == 1 and "filled.xlsx: Return!N3: " in r.stderr
    assert plan_bytes(folder) == before


def test_a_changed_action_is_a_conflict_and_the_rest_is_applied(folder):
    path = make()
    assert run("a", "update", f"{PLAN}:1.1.1", "--note", "Meanwhile", "--by", "PSW").exit_code == 0
    filled = fill(path, {"1.1.1": {"New %": 60}, "1.1.3": {"New %": 20}})
    r = run("a", "returns", "apply", filled)
    assert r.exit_code == 0
    assert (
        f"filled.xlsx: row 2: {PLAN}:1.1.1 conflict: the action changed in the plan since the "
        "return was made; not applied" in r.stderr
    )
    assert "1 row applied, 0 already in the plan, 1 conflict" in r.stdout
    text = plan_bytes(folder).decode()
    assert "percent = 20" in text and "percent = 60" not in text


def test_dry_run_changes_nothing(folder):
    filled = fill(make(), {"1.1.1": {"New %": 50}})
    before = plan_bytes(folder)
    r = run("a", "returns", "apply", filled, "--dry-run")
    assert r.exit_code == 0
    assert f"row 2: {PLAN}:1.1.1 would change: percent → 50" in r.stdout
    assert "1 row would be applied" in r.stdout
    assert plan_bytes(folder) == before


def test_a_workbook_that_is_not_a_return_is_one_line(folder):
    openpyxl.Workbook().save("other.xlsx")
    Path("junk.xlsx").write_bytes(b"PK\x03\x04junk")
    for name in ("other.xlsx", "junk.xlsx"):
        r = run("a", "returns", "apply", name)
        assert r.exit_code == 1 and len(r.stderr.splitlines()) == 1, r.output
        assert "nothing was applied" in r.stderr and "Traceback" not in r.output


def test_plan_text_in_a_return_is_never_a_formula(folder):
    plan = folder / "a" / f"{PLAN}.toml"
    text = plan.read_text("utf-8").replace(
        'action = "Review and refresh supervision policy',
        'action = "=HYPERLINK(\\"http://evil\\") \\u001b[2J Review and refresh supervision policy',
    )
    plan.write_text(text, "utf-8")
    ws = openpyxl.load_workbook(make())["Return"]
    cell = ws["C2"]
    assert cell.data_type == "s" and cell.value.startswith("'=HYPERLINK")
    assert "\x1b" not in cell.value and "␛[2J" in cell.value


PEOPLE = """\
[[person]]
name = "Jo Bloggs"
email = "jo.bloggs@example.gov.uk"
leads = ["Head of Safeguarding and Quality"]
"""


def test_people_say_who_leads_what(folder):
    (folder / "a" / "people.toml").write_text(PEOPLE, "utf-8")
    r = run("a", "returns", "make", "--lead", "jo bloggs", "-o", "out")
    assert r.exit_code == 0, r.output
    assert r.stdout == (f"Wrote out/{NAME}: {LEAD}, 9 actions; for Jo Bloggs "
                        "<jo.bloggs@example.gov.uk>\n")  # fmt: skip
    mine = run("a", "actions", "--mine", "--count", env={"IMPROVE_USER": "Jo Bloggs"})
    assert mine.exit_code == 0 and mine.stdout == "9\n"
    by_title = run("a", "actions", "--lead", LEAD, "--overdue", "--count")
    assert run("a", "actions", "--mine", "--overdue", "--count",
               env={"IMPROVE_USER": "JO BLOGGS"}).stdout == by_title.stdout  # fmt: skip
    status = run("a", "status")
    assert status.exit_code == 0 and "people" not in status.output  # never read as a plan
    assert run("a", "check").stdout.endswith("checked 2 files: 0 errors, 1 warning\n")


def test_a_bad_people_file_is_an_error_with_its_place(folder):
    (folder / "a" / "people.toml").write_text(
        '[[person]]\nname = "Jo"\nemail = "not an address"\nrole = "x"\n', "utf-8"
    )
    r = run("a", "check")
    assert r.exit_code == 1
    assert 'a/people.toml:4:1: error: unknown key "role" in person' in r.stdout
    assert "a/people.toml:3:1: error: Jo's email is not an address" in r.stdout
