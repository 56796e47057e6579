"""Milestones done, colours set by hand, and new due dates asked for then decided: from the
command line, with the files on disk before and after and the history they leave."""

from __future__ import annotations

import json
import tomllib

import pytest

from helpers import STAGED, clean_env, run_cli, write

TODAY = "2017-03-06"


@pytest.fixture
def run(monkeypatch, tmp_path):
    clean_env(monkeypatch, tmp_path, columns=100)
    folder = tmp_path / "plans"
    folder.mkdir()
    write(folder, "staged.toml", STAGED)

    def invoke(*args, today=TODAY):
        return run_cli(folder, *args, today=today)

    invoke.file = folder / "staged.toml"  # type: ignore[attr-defined]
    return invoke


def action(run, ref: str, today=TODAY) -> dict:
    doc = json.loads(run("actions", "--json", today=today).output)
    return next(a for a in doc["actions"] if a["ref"] == ref)


def data(run) -> dict:
    return tomllib.loads(run.file.read_text(encoding="utf-8"))


def events(run, ref: str, field: str) -> list[dict]:
    doc = json.loads(run("history", f"staged:{ref}", "--json").output)
    return [e for e in doc["events"] if e["field"] == field]


def added_lines(before: str, after: str) -> list[str]:
    """The lines of `after` that `before` does not have (the edit adds lines only)."""
    old = before.splitlines()
    new = after.splitlines()
    for line in old:
        new.remove(line)  # every old line is still there, in place
    return new


# -- milestones ---------------------------------------------------------------------------


def test_a_missed_milestone_marked_done_turns_the_action_from_red(run):
    assert action(run, "1.1.3")["rag"] == "red"  # stage 1 was due 2017-02-28
    before = run.file.read_text()
    r = run(
        "update", "staged:1.1.3", "--milestone", "1", "--done", "--on", "2017-02-27",
        "--by", "Head of Safeguarding and Quality",
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    assert 'milestone 1 "Stage 1: core elements" done on 2017-02-27' in r.output
    after = run.file.read_text()
    assert after.startswith(before[: before.index("    due = 2017-02-28\n")])
    assert "    due = 2017-02-28\n    done = true\n    done_on = 2017-02-27\n" in after
    assert "percent = 30  # stage 1 under way" in after  # comments and values kept
    stage1, stage2 = data(run)["recommendation"][0]["action"][0]["milestone"]
    assert stage1["done"] is True and "done" not in stage2
    now = action(run, "1.1.3")
    assert now["rag"] != "red" and now["next_due"] == "2017-12-31"
    assert now["milestones"][0] == {
        "label": "Stage 1: core elements", "due": "2017-02-28", "done": True,
        "done_on": "2017-02-27",
    }  # fmt: skip
    (done,) = events(run, "1.1.3", "milestones_done")
    assert (done["old"], done["new"], done["who"]) == (0, 1, "Head of Safeguarding and Quality")
    story = run("history", "staged:1.1.3").output
    assert "a milestone marked done (1 done now)" in " ".join(story.split())


def test_a_milestone_by_the_start_of_its_label_and_not_done_after_all(run):
    assert run("update", "staged:1.1.3", "--milestone", "stage 1", "--done").exit_code == 0
    assert "done_on" not in run.file.read_text()  # no --on: only done = true
    r = run("update", "staged:1.1.3", "--milestone", "Stage 1", "--not-done", "--by", "PM")
    assert r.exit_code == 0, r.output
    assert "not done after all" in r.output
    stage1 = data(run)["recommendation"][0]["action"][0]["milestone"][0]
    assert stage1["done"] is False
    assert action(run, "1.1.3")["rag"] == "red"


@pytest.mark.parametrize(
    "args,said",
    [
        (["--milestone", "3", "--done"], 'no single milestone "3" on this action'),
        (["--milestone", "stage", "--done"], '1 "Stage 1: core elements"; 2 "Stage 2'),
        (["--milestone", "1"], "say whether the milestone is done or not done (--done or"),
        (["--done"], "say which milestone: its number from 1, or the start of its label"),
        (["--milestone", "1", "--not-done", "--on", "2017-03-01"], "goes with marking it done"),
    ],
)
def test_a_milestone_that_cannot_be_marked_says_why_and_writes_nothing(run, args, said):
    before = run.file.read_bytes()
    r = run("update", "staged:1.1.3", *args)
    assert r.exit_code == 1 and said in r.output and "Traceback" not in r.output
    assert run.file.read_bytes() == before


def test_an_action_without_milestones_says_so(run):
    r = run("update", "staged:1.1.10", "--milestone", "1", "--done")
    assert r.exit_code == 1 and "this action has no milestones" in r.output


# -- colours set by hand ------------------------------------------------------------------


def test_a_colour_set_by_hand_then_cleared_leaves_the_action_as_it_was(run):
    before = run.file.read_text()
    r = run(
        "update", "staged:1.1.10", "--rag", "amber", "--reason", "Standard agreed, not trained",
        "--until", "2017-04-30", "--by", "Director",
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    a = data(run)["recommendation"][0]["action"][1]
    assert (a["rag"], a["rag_reason"], str(a["rag_until"])) == (
        "amber", "Standard agreed, not trained", "2017-04-30",
    )  # fmt: skip
    now = action(run, "1.1.10")
    assert (now["rag"], now["override"]) == ("amber", True)
    (o,) = events(run, "1.1.10", "override")
    assert o["who"] == "Director" and o["new"]["rag"] == "amber"

    r = run("update", "staged:1.1.10", "--clear-rag", "--by", "Director")
    assert r.exit_code == 0, r.output
    after = run.file.read_text()
    for key in ("rag =", "rag_reason", "rag_until"):
        assert key not in after
    # nothing is left of the override but the two update entries that told it
    assert added_lines(before, after) == [
        "", "    [[recommendation.action.update]]", "    date = 2017-03-06",
        '    by = "Director"',
        '    changes = ["colour set by hand to AMBER until 2017-04-30: Standard agreed, not '
        'trained"]',
        "", "    [[recommendation.action.update]]", "    date = 2017-03-06",
        '    by = "Director"', '    changes = ["colour set by hand (AMBER) cleared"]',
    ]  # fmt: skip
    assert action(run, "1.1.10")["override"] is False
    cleared = events(run, "1.1.10", "override")[-1]
    assert cleared["new"] is None and cleared["who"] == "Director"


def test_a_colour_set_by_hand_lapses_after_its_until_date(run):
    run("update", "staged:1.1.10", "--rag", "green", "--reason", "On track", "--until",
        "2017-03-20")  # fmt: skip
    assert action(run, "1.1.10", today="2017-03-20")["override"] is True
    assert action(run, "1.1.10", today="2017-03-21")["override"] is False
    lapsed = events(run, "1.1.10", "override")[-1]
    assert (lapsed["date"], lapsed["who"], lapsed["new"]["in_force"]) == ("2017-03-21", None, False)
    story = " ".join(run("history", "staged:1.1.10", today="2017-03-21").output.split())
    assert "colour set by hand (GREEN) lapsed on 2017-03-20" in story


def test_a_new_colour_without_until_drops_the_old_end_date(run):
    run("update", "staged:1.1.10", "--rag", "amber", "--reason", "a", "--until", "2017-04-30")
    assert run("update", "staged:1.1.10", "--rag", "green", "--reason", "b").exit_code == 0
    a = data(run)["recommendation"][0]["action"][1]
    assert (a["rag"], a["rag_reason"], "rag_until" in a) == ("green", "b", False)


@pytest.mark.parametrize(
    "args,said",
    [
        (["--rag", "red"], "a colour set by hand needs a reason"),
        (["--clear-rag"], "this action has no colour set by hand to clear"),
        (["--rag", "red", "--reason", "x", "--clear-rag"], "set a colour by hand or clear it"),
        (["--until", "2017-04-30", "--note", "n"], "goes with setting the colour (--until"),
        (["--rag", "red", "--reason", "x", "--request-extension", "2018-01-31"], "each need"),
    ],
)
def test_a_colour_that_cannot_be_set_says_why_and_writes_nothing(run, args, said):
    before = run.file.read_bytes()
    r = run("update", "staged:1.1.10", *args)
    assert r.exit_code == 1 and said in r.output, r.output
    assert run.file.read_bytes() == before


def test_a_colour_not_offered_is_a_usage_error(run):
    r = run("update", "staged:1.1.10", "--rag", "purple", "--reason", "x")
    assert r.exit_code == 2 and "purple" in r.output


# -- new due dates: asked for, then agreed or refused ------------------------------------


def test_a_request_waits_for_the_meeting_and_agreeing_it_moves_the_date(run):
    r = run(
        "update", "staged:1.1.10", "--request-extension", "2017-06-30",
        "--reason", "The unions asked for more time", "--by", "Head of Service",
        today="2017-03-20",
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    ext = data(run)["recommendation"][0]["action"][1]["extension"][0]
    assert ext == {
        "due": ext["due"], "reason": "The unions asked for more time", "state": "requested",
        "requested_on": ext["requested_on"], "requested_by": "Head of Service",
    }  # fmt: skip
    assert (str(ext["due"]), str(ext["requested_on"])) == ("2017-06-30", "2017-03-20")
    waiting = action(run, "1.1.10", today="2017-04-03")
    assert waiting["due"] == "2017-03-31" and waiting["rag"] == "red"  # overdue: nothing moved
    assert waiting["pending"] == {
        "due": "2017-06-30", "reason": "The unions asked for more time",
        "requested_on": "2017-03-20", "requested_by": "Head of Service",
    }  # fmt: skip

    listed = json.loads(run("actions", "--pending", "--json", today="2017-04-03").output)
    assert [a["ref"] for a in listed["actions"]] == ["1.1.10"]
    human = " ".join(run("actions", "--pending", today="2017-04-03").output.split())
    assert "awaiting a decision: a new due date of" in human and "asked for on 2017-03-20" in human

    again = run("update", "staged:1.1.10", "--request-extension", "2017-07-31", "--reason", "x")
    assert again.exit_code == 1 and "awaits a decision" in again.output

    r = run(
        "update", "staged:1.1.10", "--agree-extension", "--by", "Senior Leadership Team",
        today="2017-04-03",
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "new due date of 2017-06-30 agreed (was 2017-03-31)" in r.output
    ext = data(run)["recommendation"][0]["action"][1]["extension"][0]
    assert (ext["state"], str(ext["agreed_on"]), ext["agreed_by"]) == (
        "agreed", "2017-04-03", "Senior Leadership Team",
    )  # fmt: skip
    agreed = action(run, "1.1.10", today="2017-04-03")
    assert (agreed["due"], agreed["original_due"], agreed["extensions"]) == (
        "2017-06-30", "2017-03-31", 1,
    )  # fmt: skip
    assert agreed["rag"] != "red" and agreed["pending"] is None
    assert json.loads(run("actions", "--pending", "--json").output)["actions"] == []
    asked, decided = events(run, "1.1.10", "request")
    assert asked["new"]["state"] == "requested" and asked["who"] == "Head of Service"
    assert decided["new"]["state"] == "agreed" and decided["who"] == "Senior Leadership Team"
    story = " ".join(run("history", "staged:1.1.10", today="2017-04-03").output.split())
    assert "asked for a new due date of 2017-06-30 (Head of Service)" in story
    assert "new due date of 2017-06-30 agreed by Senior Leadership Team" in story


def test_a_refused_request_keeps_the_date_and_says_why(run):
    run("update", "staged:1.1.10", "--request-extension", "2017-06-30", "--reason", "More time")
    r = run(
        "update", "staged:1.1.10", "--refuse-extension", "--reason", "Keep to the date",
        "--by", "Senior Leadership Team",
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    ext = data(run)["recommendation"][0]["action"][1]["extension"][0]
    assert (ext["state"], ext["refused_by"], ext["refused_reason"]) == (
        "refused", "Senior Leadership Team", "Keep to the date",
    )  # fmt: skip
    assert "agreed_on" not in ext
    now = action(run, "1.1.10")
    assert (now["due"], now["pending"], now["extensions"]) == ("2017-03-31", None, 0)
    assert events(run, "1.1.10", "request")[-1]["new"]["refused_reason"] == "Keep to the date"
    # refused, a lead may ask again
    assert run("update", "staged:1.1.10", "--request-extension", "2017-05-31",
               "--reason", "Smaller slip").exit_code == 0  # fmt: skip


@pytest.mark.parametrize(
    "args,said",
    [
        (["--agree-extension"], "no request for a new due date awaiting a decision"),
        (["--refuse-extension"], "no request for a new due date awaiting a decision"),
        (["--request-extension", "2017-06-30"], "a request for a new due date needs a reason"),
        (["--request-extension", "2017-03-01", "--reason", "x"], "is not after the due date"),
        (
            ["--request-extension", "2017-06-30", "--extend-to", "2017-06-30", "--reason", "x"],
            "not both",
        ),
    ],
)
def test_a_request_or_decision_that_cannot_be_made_writes_nothing(run, args, said):
    before = run.file.read_bytes()
    r = run("update", "staged:1.1.10", *args)
    assert r.exit_code == 1 and said in r.output, r.output
    assert run.file.read_bytes() == before


def test_the_review_briefing_opens_with_the_decisions_needed(run):
    run("review", "record", "--note", "March", today="2017-03-06")
    run(
        "update", "staged:1.1.10", "--request-extension", "2017-06-30", "--reason",
        "The unions asked for more time", "--by", "Head of Service", today="2017-03-20",
    )  # fmt: skip
    out = run("review", "changes", today="2017-04-03")
    text = " ".join(out.output.split())
    assert text.index("Decisions needed") < text.index("Red now, and why")
    assert (
        "staged:1.1.10 Agree the new supervision standard asks for a new due date of "
        "2017-06-30 (due 2017-03-31 now) by Head of Service on 2017-03-20: “The unions asked "
        "for more time”" in text
    )
    doc = json.loads(run("review", "changes", "--json", today="2017-04-03").output)
    assert doc["pending"] == [
        {"plan": "staged", "ref": "1.1.10", "due": "2017-06-30",
         "reason": "The unions asked for more time", "requested_on": "2017-03-20",
         "requested_by": "Head of Service"},
    ]  # fmt: skip
