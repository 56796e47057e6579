"""Returns cannot be forged: what a return was made for (its lead, and each row's plan,
action and fingerprint) is signed with a key kept in the plans folder's .improve, and a
spreadsheet's formulas and error values are never taken for answers."""

from __future__ import annotations

import re
import shutil
import stat
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from helpers import SHIPPED, clean_env
from improve.returns import INPUTS
from returns_helpers import LEAD, NAME, PLAN, fill, make, plan_bytes, run

OTHER = "Service Delivery Manager, Independent Safeguarding and Quality"
KEY = Path("a/.improve/returns.key")


@pytest.fixture
def folder(tmp_path, monkeypatch):
    clean_env(monkeypatch, tmp_path)
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        shutil.copy(SHIPPED / f"{PLAN}.toml", tmp_path / name / f"{PLAN}.toml")
    return tmp_path


def refused(r, folder: Path, before: bytes, *lines: str) -> None:
    """Nothing applied, and each of `lines` said."""
    assert r.exit_code == 1, r.output
    assert plan_bytes(folder) == before
    for line in lines:
        assert line in r.stderr, r.stderr
    assert "Traceback" not in r.output


def cached_error(path: Path, cell: str, formula: str, error: str) -> None:
    """The cell as Excel saves a formula that failed: the formula and its error value."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                text, n = re.subn(
                    rf'<c r="{cell}"[^>]*>.*?</c>',
                    f'<c r="{cell}" t="e"><f>{formula}</f><v>{error}</v></c>',
                    data.decode(),
                )
                assert n == 1
                data = text.encode()
            dst.writestr(item, data)
    tmp.replace(path)


# -- formulas and error values -------------------------------------------------------------


def test_a_formula_or_an_error_value_is_refused_with_its_cell(folder):
    path = make()
    before = plan_bytes(folder)
    filled = fill(path, {
        "1.1.1": {"Progress note": "=1/0"},  # a formula (no value saved: openpyxl)
        "1.1.2": {"Progress note": "#VALUE!"},  # an error value typed in
        "1.1.3": {"New %": 40, "Evidence": "=HYPERLINK(\"http://x\")"},
        "1.1.4": {"Progress note": "Fine"},  # good, but the return is bad: not applied
        "2.1.1": {"Progress note": "placeholder"},
    })  # fmt: skip
    cached_error(filled, "H6", "1/0", "#DIV/0!")  # as Excel saves =1/0 in 2.1.1's note
    r = run("a", "returns", "apply", filled)
    refused(
        r, folder, before,
        "filled.xlsx: Return!H2: Progress note is a formula (=1/0)",
        "filled.xlsx: Return!H3: Progress note is the spreadsheet error #VALUE!",
        'filled.xlsx: Return!I4: Evidence is a formula (=HYPERLINK("http://x"))',
        "filled.xlsx: Return!H6: Progress note is a formula (=1/0)",
        "filled.xlsx: nothing applied: 4 values to put right first",
    )  # fmt: skip
    assert "Fine" not in plan_bytes(folder).decode()


def test_every_error_value_is_refused(folder):
    path = make()
    before = plan_bytes(folder)
    codes = ["#REF!", "#NAME?", "#DIV/0!", "#N/A", "#NUM!", "#NULL!", "#SPILL!", "#CALC!",
             "#GETTING_DATA"]  # fmt: skip
    refs = ["1.1.1", "1.1.2", "1.1.3", "1.1.4", "2.1.1", "2.1.2", "2.1.3", "2.1.4", "2.1.5"]
    inputs = INPUTS  # every answer column, in turn
    assert len(inputs) >= len(codes)
    filled = fill(path, {ref: {inputs[n]: code}
                         for n, (ref, code) in enumerate(zip(refs, codes, strict=True))})  # fmt: skip
    r = run("a", "returns", "apply", filled)
    refused(r, folder, before, *(
        f"filled.xlsx: Return!{'FGHIJKLMN'[n]}{n + 2}: {inputs[n]} is the spreadsheet "
        f"error {code}" for n, code in enumerate(codes)
    ))  # fmt: skip


def test_text_typed_as_text_is_applied_as_typed(folder):
    """A note that starts with = but was typed as text (Excel's leading apostrophe) is
    text, and stays text: every report and return shows it as text, never a formula."""
    filled = fill(make(), {"1.1.1": {"Progress note": "x"}})
    book = openpyxl.load_workbook(filled)
    cell = book["Return"]["H2"]
    cell.value, cell.data_type = "=1+1 is what we were told", "s"
    cell.quotePrefix = True
    book.save(filled)
    r = run("a", "returns", "apply", filled)
    assert r.exit_code == 0, r.output
    assert 'note = "=1+1 is what we were told"' in plan_bytes(folder).decode()


# -- what a return was made for is signed --------------------------------------------------


def test_an_honest_return_still_applies_and_its_key_is_private(folder):
    filled = fill(make(), {"1.1.1": {"New %": 50}})
    mode = KEY.stat().st_mode
    assert stat.S_IMODE(mode) == 0o600
    r = run("a", "returns", "apply", filled)
    assert r.exit_code == 0, r.output
    assert "1 row applied, 0 already in the plan, 0 conflicts" in r.stdout
    assert f"(as by {LEAD})" in r.stdout
    # the same key signs the next returns: the first is still good
    key = KEY.read_bytes()
    make()
    assert KEY.read_bytes() == key
    assert run("a", "returns", "apply", filled).exit_code == 0


def test_the_key_is_not_committed_by_a_team_on_git(folder):
    """docs/team.md's plans repository ignores .improve/, where the key is."""
    if shutil.which("git") is None:  # pragma: no cover
        pytest.skip("no git")
    subprocess.run(["git", "init", "-q", "a"], check=True)
    Path("a/.gitignore").write_text(".improve/\n", "utf-8")
    make()
    assert KEY.is_file()
    ignored = subprocess.run(["git", "-C", "a", "check-ignore", "-q", ".improve/returns.key"])
    assert ignored.returncode == 0
    assert ".improve/" in (SHIPPED.parent / ".gitignore").read_text("utf-8").split()


def test_the_key_stays_in_the_plans_folder_when_the_history_is_elsewhere(folder):
    """The key stands for the plans folder: whoever shares the folder shares it, wherever
    each keeps the history (--db, IMPROVE_DB)."""
    r = run("a", "--db", "local/history.db", "returns", "make", "--lead", LEAD, "-o", "out")
    assert r.exit_code == 0, r.output
    assert KEY.is_file() and not Path("local/returns.key").exists()
    filled = fill(Path("out") / NAME, {"1.1.1": {"New %": 50}})
    assert run("a", "returns", "apply", filled).exit_code == 0  # the default history


def test_a_return_whose_lead_was_edited_is_refused(folder):
    path = make()
    book = openpyxl.load_workbook(path)
    hidden = book["improve"]
    assert hidden["E1"].value == LEAD
    hidden["E1"].value = "Director of Children's Services"
    book.save(path)
    filled = fill(path, {"1.1.1": {"New %": 50}})
    before = plan_bytes(folder)
    r = run("a", "returns", "apply", filled)
    refused(r, folder, before, "filled.xlsx: Return!B2: ", "make the return again")


def test_a_return_whose_date_made_was_edited_is_refused(folder):
    path = make()
    book = openpyxl.load_workbook(path)
    book["improve"]["D1"].value = "2016-12-01"
    book.save(path)
    filled = fill(path, {"1.1.1": {"New %": 50}})
    before = plan_bytes(folder)
    r = run("a", "returns", "apply", filled)
    refused(r, folder, before, "filled.xlsx: improve sheet: the record of what this return was "
            "made for (its lead, date and actions) was changed")  # fmt: skip


def test_a_row_whose_fingerprint_was_edited_is_refused(folder):
    path = make()
    assert run("a", "update", f"{PLAN}:1.1.1", "--note", "Meanwhile", "--by", "PSW").exit_code == 0
    # the conflict hidden by writing the action's fingerprint now into the return
    from improve.api import Workspace
    from improve.returns import action_fingerprint

    plan = Workspace(Path("a"), history=False).load().plan(PLAN)
    assert plan is not None
    found = plan.find_action("1.1.1")
    assert found is not None
    book = openpyxl.load_workbook(path)
    book["improve"]["D2"].value = action_fingerprint(found[1])
    book.save(path)
    filled = fill(path, {"1.1.1": {"New %": 60}})
    before = plan_bytes(folder)
    r = run("a", "returns", "apply", filled)
    refused(r, folder, before, "filled.xlsx: Return!B2: ")


def test_a_row_copied_from_another_leads_return_is_refused(folder):
    assert run("a", "returns", "make", "--lead", LEAD, "--lead", OTHER, "-o", "out").exit_code == 0
    mine, [theirs] = Path("out") / NAME, list(Path("out").glob("return-service-*.xlsx"))
    src = openpyxl.load_workbook(theirs)
    dst = openpyxl.load_workbook(mine)
    # their first row, as it is on both sheets, added at the end of mine
    at = dst["Return"].max_row + 1
    for k in range(1, 6):
        dst["Return"].cell(at, k).value = src["Return"].cell(2, k).value
    hidden_at = dst["improve"].max_row + 1
    for k, cell in enumerate(src["improve"][2], start=1):
        dst["improve"].cell(hidden_at, k).value = cell.value
    dst["improve"].cell(hidden_at, 1).value = str(at)
    ref = src["Return"].cell(2, 2).value
    dst.save(mine)
    filled = fill(mine, {ref: {"New %": 80}})
    before = plan_bytes(folder)
    r = run("a", "returns", "apply", filled)
    refused(r, folder, before, f"filled.xlsx: Return!B{at}: ")


def test_a_return_from_another_plans_folder_is_refused(folder):
    r = run("b", "returns", "make", "--lead", LEAD, "-o", "from-b")
    assert r.exit_code == 0, r.output
    make()  # "a" has a key of its own
    filled = fill(Path("from-b") / NAME, {"1.1.1": {"New %": 50}})
    before = plan_bytes(folder)
    r = run("a", "returns", "apply", filled)
    refused(r, folder, before, "not made by this plans folder's improve")
    assert len(r.stderr.splitlines()) == 1


def test_a_return_with_no_key_to_check_it_is_refused(folder):
    filled = fill(make(), {"1.1.1": {"New %": 50}})
    KEY.unlink()
    before = plan_bytes(folder)
    r = run("a", "returns", "apply", filled)
    refused(r, folder, before, "not made by this plans folder's improve (no key",
            "improve returns make")  # fmt: skip
    assert not KEY.exists()  # apply never makes a key


def test_a_return_made_before_returns_were_signed_is_refused(folder):
    path = make()
    book = openpyxl.load_workbook(path)
    hidden = book["improve"]
    hidden["B1"].value = "1"  # as the first returns were: no signature
    for row in hidden.iter_rows():
        for cell in row[5 if row[0].row == 1 else 4 :]:
            cell.value = None
    book.save(path)
    filled = fill(path, {"1.1.1": {"New %": 50}})
    before = plan_bytes(folder)
    r = run("a", "returns", "apply", filled)
    refused(r, folder, before, "made before returns were signed", "improve returns make")


def test_an_unreadable_key_is_one_line(folder):
    filled = fill(make(), {"1.1.1": {"New %": 50}})
    KEY.write_text("not a key\n", "utf-8")
    before = plan_bytes(folder)
    r = run("a", "returns", "apply", filled)
    refused(r, folder, before, "returns.key")
    assert len(r.stderr.splitlines()) == 1
    made = run("a", "returns", "make", "--lead", LEAD, "-o", "out")
    assert made.exit_code == 1 and "returns.key" in made.stderr
    assert KEY.read_text("utf-8") == "not a key\n"  # never written over
