"""The history on the command line, end to end on temporary folders: a review, an update
through improve and one by hand, what changed, one action's story, and a lost or damaged
database that costs history but never a plan."""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

from improve.cli.main import cli


@pytest.fixture
def run(monkeypatch, tmp_path, plans):
    monkeypatch.chdir(tmp_path)
    for var in ("IMPROVE_TODAY", "IMPROVE_DB", "IMPROVE_USER", "NO_COLOR"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("IMPROVE_PLANS", str(plans))
    monkeypatch.setenv("COLUMNS", "100")

    def invoke(*args):
        return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)

    return invoke


def hand_edit(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_review_update_hand_edit_and_what_changed(run, plans):
    assert (
        run(
            "--today",
            "2017-01-05",
            "review",
            "record",
            "--note",
            "SLT January",
            "--attendee",
            "Director",
            "--by",
            "Performance Manager",
        ).exit_code
        == 0
    )
    r = run(
        "--today",
        "2017-01-10",
        "update",
        "sample:1.1.1",
        "--percent",
        "100",
        "--by",
        "Head of Safeguarding",
    )
    assert r.exit_code == 0, r.output
    hand_edit(plans / "sample.toml", "  percent = 25\n", "  percent = 60\n")  # 2.1.1, by hand
    out = run("--today", "2017-01-12", "review", "changes")
    assert out.exit_code == 0, out.output
    text = " ".join(out.output.split())
    assert "since review 1 of 2017-01-05 — SLT January" in text
    # each action named by its opening words, each change told as a sentence
    assert (
        "sample:1.1.1 Refresh the supervision policy percent complete 50% → 100% "
        "(2017-01-10, Head of Safeguarding)" in text
    )
    assert (
        "sample:2.1.1 Review the early help offer percent complete 25% → 60% "
        "(2017-01-12, edited by hand)" in text
    )
    assert (
        "sample:1.1.1 Refresh the supervision policy ▲ AMBER → BLUE "
        "(2017-01-10, Head of Safeguarding)" in text
    )
    doc = json.loads(run("--today", "2017-01-12", "review", "changes", "--json").output)
    moves = {(m["ref"], m["old"], m["new"], m["who"]) for m in doc["rag_moves"]}
    assert ("1.1.1", "amber", "blue", "Head of Safeguarding") in moves
    assert [c["ref"] for c in doc["newly_complete"]] == ["1.1.1"]
    whos = {(e["ref"], e["field"], e["who"]) for e in doc["events"]}
    assert ("2.1.1", "percent", "edited by hand") in whos


def test_history_tells_one_actions_story_oldest_first(run, plans):
    run("--today", "2017-01-05", "status")
    run("--today", "2017-01-20", "update", "sample:1.1.2", "--percent", "25", "--by", "Lead A")
    run("--today", "2017-07-03", "status")  # due 2017-06-30 passes
    doc = json.loads(run("--today", "2017-07-03", "history", "sample:1.1.2", "--json").output)
    events = doc["events"]
    assert events[0]["kind"] == "baseline"
    assert [e["date"] for e in events] == sorted(e["date"] for e in events)
    assert {"field": "percent", "who": "Lead A", "date": "2017-01-20"}.items() <= next(
        e for e in events if e["field"] == "percent"
    ).items()
    red = next(e for e in events if e["field"] == "rag" and e["new"] == "red")
    assert red["date"] == "2017-07-01" and red["who"] is None  # the day after it was due
    human = run("--today", "2017-07-03", "history", "sample:1.1.2")
    assert "the passing of time" in human.output and "Lead A" in human.output


def test_review_list_and_status_as_of(run, plans):
    run("--today", "2017-01-05", "review", "record", "--note", "January")
    run("--today", "2017-02-05", "update", "sample:2.1.1", "--status", "complete", "--by", "X")
    run("--today", "2017-02-05", "review", "record", "--note", "February")
    doc = json.loads(run("review", "list", "--json").output)
    assert [r["note"] for r in doc["reviews"]] == ["January", "February"]
    jan = json.loads(
        run("--today", "2017-02-05", "status", "--as-of", "2017-01-20", "--json").output
    )
    feb = json.loads(
        run("--today", "2017-02-05", "status", "--as-of", "2017-02-05", "--json").output
    )
    assert jan["plans"][0]["complete"] == 0 and feb["plans"][0]["complete"] == 1
    assert "January" in run("review", "list").output


def test_no_review_yet_is_a_clear_error(run):
    r = run("--today", "2017-01-05", "review", "changes")
    assert r.exit_code == 1 and "no review has been recorded yet" in r.output


@pytest.mark.parametrize("damage", ["delete", "garbage", "truncate"])
def test_a_lost_or_damaged_database_loses_no_plan(run, plans, damage):
    run("--today", "2017-01-05", "review", "record")
    before = {p.name: p.read_bytes() for p in plans.glob("*.toml")}
    db = plans / ".improve" / "history.db"
    for extra in db.parent.glob("history.db-*"):
        extra.unlink()
    if damage == "delete":
        db.unlink()
    elif damage == "garbage":
        db.write_bytes(b"this is not a database" * 100)
    else:
        db.write_bytes(db.read_bytes()[:1000])
    r = run("--today", "2017-01-06", "status")
    assert r.exit_code == 0 and "Sample improvement plan" in r.output
    if damage != "delete":
        assert "was damaged" in r.output and "was moved aside to history.db.damaged-" in r.output
        assert list(db.parent.glob("history.db.damaged-*"))  # kept, never deleted
    assert {p.name: p.read_bytes() for p in plans.glob("*.toml")} == before
    assert run("--today", "2017-01-06", "review", "record").exit_code == 0
    with sqlite3.connect(db) as conn:  # the new one, and the old read back from its file
        held = [r[0] for r in conn.execute("select held_on from reviews order by held_on")]
    assert held == ["2017-01-05", "2017-01-06"]
    assert sorted(p.name for p in (plans / "reviews").iterdir()) == [
        "2017-01-05.toml",
        "2017-01-06.toml",
    ]


def test_db_option_and_env_put_the_history_elsewhere(run, plans, tmp_path, monkeypatch):
    elsewhere = tmp_path / "h" / "hist.db"
    assert run("--db", elsewhere, "--today", "2017-01-05", "review", "record").exit_code == 0
    assert elsewhere.exists() and not (plans / ".improve").exists()
    monkeypatch.setenv("IMPROVE_DB", str(elsewhere))
    assert json.loads(run("review", "list", "--json").output)["reviews"][0]["id"] == 1


def test_update_still_works_when_history_cannot_be_written(run, plans, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    r = run(
        "--db",
        blocker / "history.db",
        "--today",
        "2017-01-05",
        "update",
        "sample:2.1.1",
        "--percent",
        "30",
        "--by",
        "X",
    )
    assert r.exit_code == 0, r.output
    assert (
        "history not recorded" in r.output and "percent = 30" in (plans / "sample.toml").read_text()
    )


def test_brackets_in_plan_text_are_printed_not_read_as_markup(run, plans, tmp_path):
    from app_helpers import BRACKETS

    (plans / "odd.toml").write_text(BRACKETS)
    out = run("--today", "2017-01-05", "actions", "--plan", "odd")
    assert out.exit_code == 0 and "1.[/]" in out.output and "Act [/] now" in out.output
    story = run("--today", "2017-01-05", "history", "odd:1.[/]")
    assert story.exit_code == 0 and "History of odd:1.[/]" in story.output


def test_history_of_an_action_that_never_existed_is_an_error(run):
    r = run("--today", "2017-01-05", "history", "sample:9.9.9")
    assert r.exit_code == 1 and 'has no action "9.9.9"' in r.output


def test_a_mistyped_plans_folder_gets_no_history(run, tmp_path):
    typo = tmp_path / "plnas"
    for args in (("review", "record"), ("review", "list"), ("status", "--as-of", "2017-01-01")):
        r = run("--plans", typo, "--today", "2017-01-05", *args)
        assert r.exit_code == 1 and "no plans folder" in r.output, args
    assert not typo.exists()


def test_every_key_of_the_changes_json_is_documented(run):
    from pathlib import Path

    docs = (Path(__file__).resolve().parent.parent / "docs" / "history.md").read_text()
    run("--today", "2017-01-05", "review", "record")
    run("--today", "2017-01-20", "update", "sample:2.1.1", "--percent", "30", "--by", "X")
    doc = json.loads(run("--today", "2017-01-20", "review", "changes", "--json").output)
    for key in doc:
        assert f'"{key}"' in docs, key
    for key in doc["events"][0]:
        assert f'"{key}"' in docs, key
    for key in doc["plans"][0]["now"]:
        assert f'"{key}"' in docs, key
