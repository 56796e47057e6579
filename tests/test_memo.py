"""A day's memo of the rules (improve.status.memo, improve.speed.dayview): every answer a command gives
from it is the answer worked out afresh, byte for byte, and it is used only when nothing
at all could have changed it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import SAMPLE, SHIPPED, clean_env, there, write
from improve.cli import cli

VARIED = """\
[plan]
title = "Varied plan"
kind = "partnership"
start = 2016-09-01
review = "quarterly"
rag = { margin = 10, stale_days = 30 }

[[recommendation]]
ref = "1"
leads = ["Head of Early Help"]

  [[recommendation.action]]
  ref = "1.1"
  action = "Dropped work"
  status = "dropped"
  due = 2016-10-01

  [[recommendation.action]]
  ref = "1.2"
  action = "Asked for more time"
  leads = ["Police Inspector", "Head of Early Help"]
  due = 2017-01-31
  percent = 25
  weight = 3

    [[recommendation.action.extension]]
    due = 2017-04-30
    reason = "Staff changes"
    state = "requested"
    requested_on = 2017-01-02

  [[recommendation.action]]
  ref = "1.3"
  action = "Set by hand"
  due = 2017-06-30
  percent = 60
  rag = "amber"
  rag_reason = "Training not booked"
  rag_until = 2017-02-28

  [[recommendation.action]]
  ref = "1.4"
  action = "Staged"
  start = 2016-11-01
  due = 2017-12-31
  weight = 0.5

    [[recommendation.action.milestone]]
    label = "Stage 1"
    due = 2017-02-28
"""

DAYS = ["2016-10-01", "2017-01-05", "2017-03-15", "2018-01-01"]
COUNTS = [
    [], ["--overdue"], ["--stale"], ["--pending"], ["--rag", "red"], ["--rag", "amber",
    "--rag", "grey"], ["--due-within", "30"], ["--lead", "early help"],
    ["--plan", "varied"], ["--plan", "varied", "--overdue"], ["--mine"],
]  # fmt: skip
# actions --json: a few filters here (every filter, in process: tests/test_dayview.py)
JSONS = [[], ["--overdue"], ["--pending"], ["--mine"]]


@pytest.fixture
def folder(tmp_path, monkeypatch):
    clean_env(monkeypatch, tmp_path, columns=100)
    plans = tmp_path / "plans"
    plans.mkdir()
    for path in SHIPPED.glob("*.toml"):
        shutil.copy(path, plans / path.name)
    write(plans, "sample.toml", SAMPLE)
    write(plans, "varied.toml", VARIED)
    write(plans, "people.toml", '[[person]]\nname = "Jo"\nleads = ["Police Inspector"]\n')
    monkeypatch.setenv("IMPROVE_USER", "Jo")
    return plans


def run(plans: Path, day: str, *args, cache: bool = True):
    env = {"IMPROVE_CACHE": "1" if cache else "0"}
    r = CliRunner().invoke(cli, ["--plans", str(plans), "--today", day, *args], env=env,
                           catch_exceptions=False)  # fmt: skip
    assert r.exit_code == 0, r.output
    return r.stdout


@pytest.fixture
def no_rules():
    """Makes working the rules out an error: what runs then answered from the memo. (A
    patch of its own: undoing it leaves the folder fixture's working folder and variables.)"""
    patch = pytest.MonkeyPatch()

    def refuse(*args, **kwargs):
        raise AssertionError("the rules were worked out")

    def switch(on: bool) -> None:
        if on:
            patch.setattr("improve.status.rules.plan_status", refuse)
        else:
            patch.undo()

    yield switch
    patch.undo()


def test_every_answer_from_the_memo_is_the_answer_worked_out_afresh(folder, no_rules):
    run(folder, "2016-09-30", "review", "record", "--note", "the baseline")
    for day in DAYS:
        fresh = {
            "json": run(folder, day, "status", "--json", cache=False),
            "table": run(folder, day, "status", cache=False),
            "changes": run(folder, day, "review", "changes", cache=False),
            **{
                " ".join(a): run(folder, day, "actions", *a, "--count", cache=False) for a in COUNTS
            },
            **{
                "json " + " ".join(a): run(folder, day, "actions", *a, "--json", cache=False)
                for a in JSONS
            },
        }
        run(folder, day, "status", "--json")  # the first run today: leaves the memos
        no_rules(True)
        remembered = {
            "json": run(folder, day, "status", "--json"),
            "table": run(folder, day, "status"),
            "changes": run(folder, day, "review", "changes"),
            **{" ".join(a): run(folder, day, "actions", *a, "--count") for a in COUNTS},
            **{"json " + " ".join(a): run(folder, day, "actions", *a, "--json") for a in JSONS},
        }
        no_rules(False)
        assert remembered == fresh, day
        assert "What changed since review 1 of 2016-09-30" in fresh["changes"]
        assert "Red now" in fresh["changes"] or day == "2016-10-01"
        assert len(set(fresh.values())) > 5  # the filters do tell the actions apart


def test_a_changed_file_or_another_day_is_worked_out_again(folder, no_rules):
    run(folder, "2017-01-05", "status")
    no_rules(True)
    run(folder, "2017-01-05", "status")  # from the memo
    with pytest.raises(AssertionError, match="worked out"):
        run(folder, "2017-01-06", "status")
    path = folder / "varied.toml"
    path.write_text(path.read_text().replace("percent = 25", "percent = 30"))
    with pytest.raises(AssertionError, match="worked out"):
        run(folder, "2017-01-05", "actions", "--count")
    no_rules(False)
    assert run(folder, "2017-01-05", "actions", "--plan", "varied", "--count") == "4\n"


def test_json_is_remembered_only_once_a_json_run_has_made_it(folder, no_rules):
    run(folder, "2017-01-05", "status")  # a table: the summaries, not the JSON
    no_rules(True)
    with pytest.raises(AssertionError, match="worked out"):
        run(folder, "2017-01-05", "status", "--json")
    no_rules(False)
    run(folder, "2017-01-05", "status", "--json")
    no_rules(True)
    run(folder, "2017-01-05", "status", "--json")


def test_actions_json_from_a_full_run_and_from_its_memo_is_the_answer_worked_out_afresh(
    folder, no_rules
):
    """The first `actions --json` of a day writes its list from the plans' JSON in pieces
    (serialize.plan_json_parts) and keeps them; the next answers from them, rules unrun."""
    for day in DAYS[1:3]:
        for a in JSONS:
            fresh = run(folder, day, "actions", *a, "--json", cache=False)
            assert run(folder, day, "actions", *a, "--json") == fresh, (day, a)
            no_rules(True)
            assert run(folder, day, "actions", *a, "--json") == fresh, (day, a)
            no_rules(False)
    assert '"plan": "varied", "ref": "1.2"' in fresh


def test_what_the_history_has_to_record_is_recorded_not_skipped(folder):
    import json

    run(folder, "2017-01-05", "status")
    path = folder / "sample.toml"
    path.write_text(path.read_text().replace("percent = 50   # half way", "percent = 75"))
    run(folder, "2017-01-05", "actions", "--count")
    run(folder, "2017-01-05", "status")
    story = json.loads(run(folder, "2017-01-05", "history", "sample:1.1.1", "--json"))
    edits = [e for e in story["events"] if e.get("field") == "percent" and e.get("new") == 75]
    assert len(edits) == 1, story


def test_a_plan_with_errors_means_no_memo_and_the_error_is_said(folder, no_rules):
    run(folder, "2017-01-05", "status")
    write(folder, "broken.toml", "[plan]\ntitle = 3\n")
    r = CliRunner().invoke(cli, ["--plans", str(folder), "--today", "2017-01-05", "status"])
    assert "not loaded: " in r.stderr and "broken.toml" in r.stderr


def test_a_damaged_or_foreign_json_memo_is_never_used(folder, no_rules):
    """The memos' JSON is a file of its own, signed like the cache: garbage, or a file
    signed with another key, is worked out afresh, never read."""
    import improve.speed.cache as cache_mod

    expected = run(folder, "2017-01-05", "status", "--json")
    run(folder, "2017-01-05", "status", "--json")
    (side,) = (folder / ".improve" / "cache").glob("*.json.bin")
    for bad in (b"garbage", side.read_bytes()[:-1] + b"\x00"):
        side.write_bytes(bad)
        no_rules(True)
        with pytest.raises(AssertionError, match="worked out"):
            run(folder, "2017-01-05", "status", "--json")
        no_rules(False)
        assert run(folder, "2017-01-05", "status", "--json") == expected
    # signed with someone else's key: not read
    good = side.read_bytes()
    found = cache_mod._read_signed(side, b"x" * 32, cache_mod.MAGIC_JSON)
    assert found is None and cache_mod._read_signed(
        side, there(cache_mod.user_key()), cache_mod.MAGIC_JSON
    )
    assert side.read_bytes() == good
