"""`improve import`: plans in from Word, Excel and CSV documents in the seeds' layouts
(tests/import_docs.py builds them), end to end through the command line and on disk."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import clean_env
from import_docs import send_xlsx, telford_docx, tracker_csv
from improve.cli import cli
from improve.plans.loader import load_file

TODAY = "2017-01-05"


@pytest.fixture
def run(monkeypatch, tmp_path):
    clean_env(monkeypatch, tmp_path)
    (tmp_path / "plans").mkdir()

    def invoke(*args):
        return CliRunner().invoke(
            cli, ["--plans", "plans", "--today", TODAY, *map(str, args)], catch_exceptions=False
        )

    return invoke


def plan_data(tmp_path: Path, plan_id: str) -> dict:
    return tomllib.loads((tmp_path / "plans" / f"{plan_id}.toml").read_text("utf-8"))


def actions(data: dict) -> dict[str, dict]:
    return {a["ref"]: a for r in data["recommendation"] for a in r.get("action", [])}


def checks_clean(tmp_path: Path, plan_id: str) -> list:
    loaded = load_file(tmp_path / "plans" / f"{plan_id}.toml", tmp_path / "plans")
    assert loaded.plan is not None, [str(p) for p in loaded.problems]
    return [p for p in loaded.problems if p.severity == "error"]


def test_a_word_plan_like_telfords_becomes_a_checked_plan(run, tmp_path):
    telford_docx(tmp_path / "telford.docx")
    r = run("import", "telford.docx", "--id", "telford-ofsted-2016", "--kind", "ofsted")
    assert r.exit_code == 0, r.output
    out = r.stdout
    # the second header row under the spanning Status names its two columns
    assert "  % complete → percent\n  RAG rating → rag\n" in out
    assert "  Performance: is the action making a difference? → impact\n" in out
    assert "Found 2 themes, 2 recommendations and 4 actions." in out
    assert "2 actions had no ref and were numbered: 1.1.2, 1.1.3." in out
    assert (
        'telford.docx:table 1, row 9, column 6: warning: "September 2016 and ongoing" is not '
        "one date; kept as a comment" in out
    )
    assert (
        "  1.1.2 Train all team managers in the policy: source AMBER, rules GREEN "
        "(in progress: 25% done)\n" in out
    )
    assert (
        "Wrote plans/telford-ofsted-2016.toml; it passes `improve check` with 0 warnings.\n" in out
    )
    assert checks_clean(tmp_path, "telford-ofsted-2016") == []
    data = plan_data(tmp_path, "telford-ofsted-2016")
    assert data["plan"]["title"] == "“Getting to Good” Children and Young People’s Services"
    assert data["plan"]["kind"] == "ofsted"
    assert [(t["id"], t["title"]) for t in data["theme"]] == [
        ("1", "Scrutiny, oversight and advocacy"),  # in capitals in the source
        ("2", "Permanence"),
    ]
    rec = data["recommendation"][0]
    assert rec["ref"] == "1.1" and rec["theme"] == "1" and rec["text"].startswith("Ensure that")
    assert rec["why"] == "children are safer when their workers are supervised."
    assert rec["good_looks_like"] == ["Managers oversee practice", "Decisions are recorded"]
    assert data["recommendation"][1]["theme"] == "2"
    acts = actions(data)
    first = acts["1.1.1"]
    assert first["due"] == date(2017, 12, 31)  # staged: the last stage's date
    assert first["milestone"] == [
        {"label": "Stage 1 Core elements", "due": date(2017, 2, 28)},
        {"label": "Stage 2", "due": date(2017, 12, 31)},
    ]
    assert first["percent"] == 50 and first["impact"] == "too-early"
    assert first["measure"] == [
        {"id": "m1-1-1", "text": "75% cases audited graded 'good' or 'outstanding'"}
    ]
    assert first["extra"]["source_rag"] == "green"
    assert "rag" not in first  # the source's colour is never an override
    assert acts["1.1.2"]["due"] == date(2017, 1, 31) and acts["1.1.2"]["impact"] == "partly"
    assert "due" not in acts["1.1.3"]
    assert acts["2.1.1"]["due"] == date(2016, 12, 31)  # 31/12/2016, day first
    text = (tmp_path / "plans" / "telford-ofsted-2016.toml").read_text("utf-8")
    assert text.startswith("# Imported from telford.docx on 2017-01-05 by improve.\n")
    assert 'due = 2017-01-31 # the source says "January 2017": the last day of that month' in text
    assert '# due in the source: "September 2016 and ongoing"' in text


def test_an_excel_tracker_like_a_send_plans(run, tmp_path):
    send_xlsx(tmp_path / "send.xlsx")
    r = run("import", "send.xlsx", "--kind", "send")
    assert r.exit_code == 0, r.output
    assert "Read send.xlsx: the header is at 'APP tracker'!4." in r.stdout
    assert "  Notes → kept under extra.notes\n" in r.stdout
    assert "1 action had no ref and was numbered: 2.1." in r.stdout
    assert checks_clean(tmp_path, "send") == []
    data = plan_data(tmp_path, "send")
    assert data["plan"]["title"] == "Worcestershire Local Area SEND Accelerated Progress Plan"
    assert data["plan"]["labels"] == {"recommendation": "Key concern"}
    assert [(r["ref"], r["title"]) for r in data["recommendation"]] == [
        ("1", "Weak co-production with parents and carers"),
        ("2", "Too few children stay in mainstream settings"),
    ]
    acts = actions(data)
    one = acts["1.1"]
    assert (one["start"], one["due"], one["percent"]) == (date(2022, 4, 1), date(2022, 9, 30), 50)
    assert one["extra"] == {"source_rag_text": "Green", "source_rag": "green",
                            "notes": "Funded from the APP"}  # fmt: skip
    assert one["update"] == [{"date": date(2017, 1, 5), "note": "Workshops held in June",
                              "percent": 50}]  # fmt: skip
    # a formula is kept as its text, never evaluated or dropped
    assert one["evidence"] == [
        {"date": date(2017, 1, 5), "text": '=HYPERLINK("http://example.org","minutes")'}
    ]
    two = acts["1.2"]  # UK text dates are day first; the RAG is only a red fill
    assert (two["start"], two["due"], two["percent"]) == (date(2022, 5, 1), date(2022, 4, 3), 25)
    assert two["extra"] == {"source_rag": "red"}
    assert acts["2.1"]["percent"] == 40 and acts["2.1"]["due"] == date(2023, 3, 31)
    assert "1.2 Publish a parents' guide to EHC plans: source RED, rules GREY" in r.stdout
    assert "plans/send.toml:" in r.stdout and "starts (2022-05-01) after it is due" in r.stdout


def test_a_csv_from_a_task_tracker(run, tmp_path):
    tracker_csv(tmp_path / "tracker.csv")
    r = run("import", "tracker.csv", "--title", "Workforce plan")
    assert r.exit_code == 0, r.output
    assert 'No recommendations in the source: the actions are under "1".' in r.stdout
    assert 'tracker.csv:line 4, column 4: warning: "Q3" is not one date' in r.stdout
    data = plan_data(tmp_path, "tracker")
    assert data["plan"]["title"] == "Workforce plan"
    acts = actions(data)
    assert list(acts) == ["1.1", "1.2", "1.3"]
    assert acts["1.1"]["start"] == date(2017, 2, 1) and acts["1.1"]["status"] == "in-progress"
    assert acts["1.2"]["status"] == "complete" and acts["1.2"]["percent"] == 100
    assert acts["1.3"]["status"] == "not-started" and "due" not in acts["1.3"]
    assert acts["1.1"]["leads"] == ["Service Manager"]


def test_map_names_a_column_and_ignores_another(run, tmp_path):
    (tmp_path / "odd.csv").write_text(
        "Plan of work\nOur commitment,Who,When,Remarks\n"
        "Audit 20 cases,Head of Quality,2017-03-31,Planned\n",
        encoding="utf-8",
    )
    r = run("import", "odd.csv")
    assert r.exit_code == 1 and "no header row found" in r.stderr and "--map" in r.stderr
    r = run("import", "odd.csv", "--map", "our COMMITMENT=action", "--map", "B=leads",
            "--map", "C=due", "--map", "remarks=ignore", "--dry-run")  # fmt: skip
    assert r.exit_code == 0, r.output
    assert (
        "  Our commitment → action (--map)\n  Who → leads (--map)\n  When → due (--map)\n"
        "  Remarks → ignored (--map)\n" in r.stdout
    )
    assert "Read odd.csv: the header is at line 2." in r.stdout
    assert "Nothing written (--dry-run); it would be plans/odd.toml" in r.stdout
    assert not (tmp_path / "plans" / "odd.toml").exists()
    r = run("import", "odd.csv", "--map", "Who=boss")
    assert r.exit_code == 1 and '"boss" in --map Who=boss is not a key' in r.stderr


def test_import_never_writes_over_a_plan(run, tmp_path):
    tracker_csv(tmp_path / "tracker.csv")
    (tmp_path / "plans" / "tracker.toml").write_text("# mine\n", encoding="utf-8")
    r = run("import", "tracker.csv")
    assert r.exit_code == 1
    assert "plans/tracker.toml already exists: import never writes over a plan" in r.stderr
    assert (tmp_path / "plans" / "tracker.toml").read_text() == "# mine\n"
    assert run("import", "tracker.csv", "--id", "workforce").exit_code == 0


def test_a_file_made_meanwhile_is_not_written_over(tmp_path):
    from improve.plans.files import create_new

    path = tmp_path / "p.toml"
    create_new(path, b"first\n")
    with pytest.raises(FileExistsError):
        create_new(path, b"second\n")
    assert path.read_bytes() == b"first\n"
    assert [p.name for p in tmp_path.iterdir()] == ["p.toml"]  # no temporary file left


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("broken.xlsx", b"PK\x03\x04 not really a workbook", "cannot be read as a xlsx file"),
        ("broken.docx", b"\x00\x01garbage", "cannot be read as a docx file"),
        ("notes.txt", b"Action,Lead\n", "cannot import a .txt"),
        ("empty.csv", b"", "no header row found"),
    ],
)
def test_a_bad_source_is_one_line_and_writes_nothing(run, tmp_path, name, data, message):
    (tmp_path / name).write_bytes(data)
    r = run("import", name)
    assert r.exit_code == 1
    assert message in r.stderr and "Traceback" not in r.output
    assert len(r.stderr.strip().splitlines()) == 1
    assert list((tmp_path / "plans").iterdir()) == []


def test_control_characters_and_markup_in_a_source_stay_text(run, tmp_path):
    (tmp_path / "h.csv").write_bytes(
        b"Action,Lead,Due\n"
        b"Clear \x1b[2Jthe screen [bold]now[/bold],Head\x07 of Service,2017-02-01\n"
    )
    r = run("import", "h.csv")
    assert r.exit_code == 0, r.output
    assert "\x1b" not in r.output and "\x07" not in r.output
    act = actions(plan_data(tmp_path, "h"))["1.1"]
    assert act["action"] == "Clear [2Jthe screen [bold]now[/bold]"
    assert act["leads"] == ["Head of Service"]
    assert checks_clean(tmp_path, "h") == []


def test_an_imported_plan_is_updated_like_any_other(run, tmp_path):
    telford_docx(tmp_path / "t.docx")
    assert run("import", "t.docx").exit_code == 0
    before = (tmp_path / "plans" / "t.toml").read_text("utf-8")
    r = run("update", "t:1.1.2", "--percent", "50", "--note", "Half trained", "--by", "PSW")
    assert r.exit_code == 0, r.output
    after = (tmp_path / "plans" / "t.toml").read_text("utf-8")
    assert after.count("\n") > before.count("\n")
    assert actions(tomllib.loads(after))["1.1.2"]["percent"] == 50
    # only that action's lines changed: everything before it is as imported
    head = before.split('ref = "1.1.2"')[0]
    assert after.startswith(head)


_CELL = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40
)  # any text a cell can hold: quotes, commas, newlines, controls, formulas, markup


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.tuples(_CELL, _CELL, _CELL, _CELL), min_size=1, max_size=6))
def test_any_csv_either_imports_to_a_checked_plan_or_says_why(tmp_path, rows):
    """Whatever the cells hold, an import is a plan that passes the checks with each
    action's text kept (but for control characters), or one SourceError; never a crash."""
    import csv
    import io
    import uuid

    from improve.errors import SourceError
    from improve.importing import import_plan, write_imported
    from improve.importing.rows import clean

    folder = tmp_path / uuid.uuid4().hex
    (folder / "plans").mkdir(parents=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Action", "Lead", "Due", "Comments"])
    writer.writerows(rows)
    source = folder / "p.csv"
    source.write_text(buffer.getvalue(), encoding="utf-8")
    typed = [clean(r[0]) for r in csv.reader(io.StringIO(buffer.getvalue(), newline=""))][1:]
    try:
        imported = import_plan(source, folder / "plans", today=date(2017, 1, 5))
    except SourceError as exc:
        assert exc.code == "import-empty" and not any(typed), exc.message
        return
    write_imported(imported)
    loaded = load_file(imported.path, folder / "plans")
    assert loaded.plan is not None, [str(p) for p in loaded.problems]
    assert not [p for p in loaded.problems if p.severity == "error"]
    got = [a.action for r in loaded.plan.recommendations for a in r.actions]
    assert got == [t for t in typed if t]
