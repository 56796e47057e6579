"""Reports to committees in the repository (history/report_files.py): `report --for BODY
--meeting DATE` is kept as plans/reported/DATE-BODY.toml too, so a clone that pulls it
(or a folder it is copied into) says when each plan was last reported and when it is next
due, in `status` and in `improve programme`, the committees' work programme."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import SAMPLE, clean_env, run_cli, write
from improve.cli import cli
from improve.history import HistoryStore

BODY = "Scrutiny Committee"
STEM = "2017-01-12-scrutiny-committee-"  # then the first six characters of its key
QUARTERLY = SAMPLE.replace(
    'kind = "ofsted"\n',
    'kind = "ofsted"\nreview = "quarterly"\nreported_to = ["Scrutiny Committee", "SLT"]\n',
)
OTHER = QUARTERLY.replace('title = "Sample improvement plan"', 'title = "Another plan"')


def run(clone: Path, day: str, *args: str):
    r = CliRunner().invoke(cli, ["--plans", str(clone / "plans"), "--today", day, *args],
                           catch_exceptions=False)  # fmt: skip
    assert r.exit_code == 0, r.output
    return r


def reported(clone: Path, day: str) -> dict:
    plans = json.loads(run(clone, day, "status", "--json").stdout)["plans"]
    return {p["id"]: p["last_reported"] for p in plans}


def files_in(plans: Path) -> list[str]:
    return sorted(p.name for p in (plans / "reported").iterdir())


def report_rows(plans: Path) -> list[tuple]:
    with HistoryStore(plans) as store:
        return store.db.execute(
            "select plan_id, body, meeting from reports order by plan_id, id"
        ).fetchall()


@pytest.fixture
def folders(tmp_path, monkeypatch):
    """Two plans folders holding the same plans (two machines, no git between them)."""
    clean_env(monkeypatch, tmp_path)
    out = []
    for name in ("a", "b"):
        (tmp_path / name / "plans").mkdir(parents=True)
        write(tmp_path / name / "plans", "sample.toml", QUARTERLY)
        out.append(tmp_path / name)
    return out


# -- in git: committed on one clone, pulled by the other ---------------------------------


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_report_committed_on_one_clone_is_in_status_and_programme_on_the_other(
    tmp_path, monkeypatch
):
    from git_helpers import clone_pair, git

    a, b = clone_pair(tmp_path, monkeypatch, {"sample.toml": QUARTERLY})
    run(b, "2017-01-05", "status")  # b has a history (and today's memo) of its own already
    assert reported(b, "2017-01-05") == {"sample": None}
    r = run(a, "2017-01-05", "report", "--for", BODY, "--meeting", "2017-01-12",
            "-o", str(tmp_path / "r.md"), "--format", "md", "--by", "Performance Team",
            "--commit")  # fmt: skip
    assert f"Recorded as reported to {BODY} for its meeting on 2017-01-12" in r.stdout
    (name,) = files_in(a / "plans")
    assert name.startswith(STEM) and len(name) == len(STEM) + len("abcdef.toml")
    assert f"reported/{name}" in r.stdout and "Committed " in r.stdout
    assert git(a, "show", "--name-only", "--format=%an|%s", "HEAD").split("\n")[:3] == [
        "Performance Team|Reported to Scrutiny Committee for its meeting on 2017-01-12",
        "",
        f"plans/reported/{name}",
    ]
    assert git(a, "status", "--porcelain") == ""  # nothing else was committed or left
    git(a, "push", "-q", "origin", "main")
    git(b, "pull", "-q", "origin", "main")
    want = {"body": BODY, "meeting": "2017-01-12", "next_due": "2017-04-12"}
    assert reported(b, "2017-01-05") == {"sample": want}
    assert reported(a, "2017-01-05") == {"sample": want}
    programme = json.loads(run(b, "2017-05-01", "programme", "--json").stdout)
    assert programme["bodies"][0] == {
        "body": BODY,
        "plans": [{"id": "sample", "title": "Sample improvement plan",
                   "last_reported": "2017-01-12", "next_due": "2017-04-12",
                   "overdue": True, "follow_up": "overdue"}],
    }  # fmt: skip
    assert report_rows(b / "plans") == [("sample", BODY, "2017-01-12")]


# -- a folder copied by hand, a history rebuilt, a file renamed -------------------------


def test_a_report_file_copied_in_is_seen_the_same_day(folders):
    """No git, and b's status answered from today's memo: a new file in plans/reported
    is still read in by the next run."""
    a, b = folders
    run(b, "2017-01-05", "status")
    run(b, "2017-01-05", "status")  # answered from the memo now
    run(a, "2017-01-05", "report", "--for", BODY, "--meeting", "2017-01-12", "-o",
        str(a / "r.csv"), "--format", "csv")  # fmt: skip
    shutil.copytree(a / "plans" / "reported", b / "plans" / "reported")
    assert reported(b, "2017-01-05")["sample"]["meeting"] == "2017-01-12"
    assert reported(b, "2017-01-05")["sample"]["meeting"] == "2017-01-12"  # and stays
    assert report_rows(b / "plans") == [("sample", BODY, "2017-01-12")]  # read in once


def test_a_history_rebuilt_from_nothing_reads_every_report_back(folders):
    a, _ = folders
    for meeting in ("2017-01-12", "2017-01-12", "2017-03-09"):  # the same meeting twice
        run(a, "2017-01-05", "report", "--for", BODY, "--meeting", meeting, "-o",
            str(a / "r.csv"), "--format", "csv")  # fmt: skip
    names = files_in(a / "plans")
    assert [n[: len(STEM)] for n in names] == [STEM, STEM, "2017-03-09-scrutiny-committee-"]
    before = report_rows(a / "plans")
    shutil.rmtree(a / "plans" / ".improve")  # the database lost: only the files remain
    assert reported(a, "2017-01-06")["sample"]["meeting"] == "2017-03-09"
    assert sorted(report_rows(a / "plans")) == sorted(before)


def test_a_report_file_renamed_or_copied_by_hand_is_not_read_in_twice(folders):
    a, _ = folders
    run(a, "2017-01-05", "report", "--for", BODY, "--meeting", "2017-01-12", "-o",
        str(a / "r.csv"), "--format", "csv")  # fmt: skip
    folder = a / "plans" / "reported"
    (name,) = files_in(a / "plans")
    (folder / name).rename(folder / "january.toml")
    shutil.copy(folder / "january.toml", folder / "copy.toml")
    reported(a, "2017-01-05")
    reported(a, "2017-01-06")
    assert report_rows(a / "plans") == [("sample", BODY, "2017-01-12")]


@pytest.mark.parametrize(
    "text, why",
    [
        ("not toml [", "not read as a report to a committee"),
        ("[reported]\nbody = 'X'\nmeeting = 'soon'\nplans = ['sample']\n", "meeting"),
        ("[reported]\nbody = ''\nmeeting = 2017-01-12\nplans = ['sample']\n", "body"),
        ("[reported]\nbody = 'X'\nmeeting = 2017-01-12\nplans = [1]\n", "plans"),
        ("[reported]\nformat = 9\nbody = 'X'\nmeeting = 2017-01-12\nplans = ['a']\n", "format"),
        ("\xff\xfe", "not read"),
    ],
)
def test_a_bad_report_file_is_its_own_one_line_warning(folders, text, why):
    a, _ = folders
    folder = a / "plans" / "reported"
    folder.mkdir()
    bad = folder / "2017-01-12-bad.toml"
    bad.write_bytes(text.encode("latin-1") if text.startswith("\xff") else text.encode())
    r = run_cli(a / "plans", "status", "--json", today="2017-01-05")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["plans"][0]["last_reported"] is None
    said = [line for line in r.stderr.splitlines() if str(bad) in line]
    assert len(said) == 1 and said[0].startswith(f"improve: warning: {bad}: "), r.stderr
    assert why in said[0] and "Traceback" not in r.stderr


def test_a_report_to_standard_output_says_it_was_recorded_beside_it(folders):
    a, _ = folders
    r = run_cli(a / "plans", "report", "--for", BODY, "--meeting", "2017-01-12", "-o", "-",
                "--format", "csv", today="2017-01-05")  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "Recorded as reported" not in r.stdout and "Recorded as reported" in r.stderr


# -- the work programme --------------------------------------------------------------------


def test_programme_lists_each_body_s_plans_by_next_due(folders):
    a, _ = folders
    write(a / "plans", "other.toml", OTHER)
    run(a, "2016-10-01", "report", "sample", "--for", BODY, "--meeting", "2016-10-13", "-o",
        str(a / "r.csv"), "--format", "csv")  # fmt: skip
    run(a, "2017-01-05", "report", "sample", "--for", "Scrutiny  committee", "--meeting",
        "2017-01-12", "-o", str(a / "r.csv"), "--format", "csv")  # fmt: skip
    run(a, "2016-12-01", "report", "other", "--for", BODY, "--meeting", "2016-12-08", "-o",
        str(a / "r.csv"), "--format", "csv")  # fmt: skip
    run(a, "2016-12-01", "report", "--for", "Health & Wellbeing Board", "--meeting",
        "2016-12-20", "-o", str(a / "r.csv"), "--format", "csv")  # fmt: skip
    write(a / "plans", "nocadence.toml", SAMPLE.replace("Sample improvement", "No cadence"))
    run(a, "2017-01-05", "report", "nocadence", "--for", "Health and wellbeing board",
        "--meeting", "2017-01-10", "-o", str(a / "r.csv"), "--format", "csv")  # fmt: skip
    doc = json.loads(run(a, "2017-03-10", "programme", "--json").stdout)
    assert doc["today"] == "2017-03-10"
    assert [b["body"] for b in doc["bodies"]] == ["Health & Wellbeing Board", BODY, "SLT"]
    board = {b["body"]: b["plans"] for b in doc["bodies"]}["Health & Wellbeing Board"]
    assert [(p["id"], p["last_reported"], p["next_due"], p["follow_up"]) for p in board] == [
        ("other", "2016-12-20", "2017-03-20", None),
        ("sample", "2016-12-20", "2017-03-20", None),
        ("nocadence", "2017-01-10", None, "no review cadence"),
    ]
    scrutiny = {b["body"]: b["plans"] for b in doc["bodies"]}[BODY]
    assert [(p["id"], p["last_reported"], p["next_due"], p["follow_up"]) for p in scrutiny] == [
        ("other", "2016-12-08", "2017-03-08", "overdue"),
        ("sample", "2017-01-12", "2017-04-12", None),
    ]
    slt = {b["body"]: b["plans"] for b in doc["bodies"]}["SLT"]
    assert [(p["id"], p["last_reported"], p["follow_up"]) for p in slt] == [
        ("other", None, "not reported yet"),
        ("sample", None, "not reported yet"),
    ]
    text = run(a, "2017-03-10", "programme", "--body", "scrutiny committee").stdout
    assert "Scrutiny Committee" in text and "Health" not in text
    lines = text.splitlines()
    other = next(i for i, line in enumerate(lines) if "Another plan" in line)
    sample = next(i for i, line in enumerate(lines) if "Sample improvement plan" in line)
    assert other < sample
    assert "8 Dec 2016" in lines[other] and "8 Mar 2017" in lines[other]
    assert "overdue" in lines[other] and "overdue" not in lines[sample]
    r = run_cli(a / "plans", "programme", "--body", "Cabinet", today="2017-03-10")
    assert r.exit_code == 1
    assert r.output.strip().startswith('improve: no committee or board "Cabinet"')


def test_programme_with_nothing_reported_says_how_to_record_one(folders):
    a, _ = folders
    write(a / "plans", "sample.toml", SAMPLE)  # no reported_to either
    r = run(a, "2017-01-05", "programme")
    assert "No reports to committees recorded" in r.stdout and "--for" in r.stdout
    assert json.loads(run(a, "2017-01-05", "programme", "--json").stdout)["bodies"] == []


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_report_follows_the_folder_s_commit_setting_as_a_review_does(tmp_path, monkeypatch):
    from git_helpers import clone_pair, git

    a, _ = clone_pair(tmp_path, monkeypatch,
                      {"sample.toml": QUARTERLY, "improve.toml": "[git]\ncommit = true\n"})  # fmt: skip
    r = run(a, "2017-01-05", "report", "--for", BODY, "--meeting", "2017-01-12", "-o",
            str(tmp_path / "r.csv"), "--format", "csv", "--by", "Performance Team")  # fmt: skip
    assert "Committed " in r.stdout
    (name,) = files_in(a / "plans")
    assert git(a, "show", "--name-only", "--format=%an", "HEAD").split("\n")[:3] == [
        "Performance Team", "", f"plans/reported/{name}"
    ]  # fmt: skip
    r = run(a, "2017-01-05", "report", "--for", BODY, "--meeting", "2017-01-12", "-o",
            str(tmp_path / "r.csv"), "--format", "csv", "--no-commit")  # fmt: skip
    assert "Committed " not in r.stdout
    (new,) = set(files_in(a / "plans")) - {name}
    assert git(a, "status", "--porcelain") == f"?? plans/reported/{new}\n"


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_two_clones_reporting_for_one_meeting_merge_without_a_conflict(tmp_path, monkeypatch):
    """Each file's name holds its reporting's key: two officers recording the same
    committee's meeting on two clones make two files, and a pull merges them."""
    from git_helpers import clone_pair, git

    a, b = clone_pair(tmp_path, monkeypatch, {"sample.toml": QUARTERLY})
    for clone, who in ((a, "Ann"), (b, "Ben")):
        run(clone, "2017-01-05", "report", "--for", BODY, "--meeting", "2017-01-12", "-o",
            str(tmp_path / "r.csv"), "--format", "csv", "--by", who, "--commit")  # fmt: skip
    git(a, "push", "-q", "origin", "main")
    git(b, "pull", "-q", "--no-rebase", "--no-edit", "origin", "main")  # no conflict
    names = sorted(p.name for p in (b / "plans" / "reported").iterdir())
    assert len(names) == 2 and all(n.startswith("2017-01-12-scrutiny-committee-") for n in names)
    assert reported(b, "2017-01-06")["sample"]["meeting"] == "2017-01-12"
    assert len(report_rows(b / "plans")) == 2
