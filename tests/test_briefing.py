"""The review briefing a leadership team reads (issue 10 item 6): decisions and red actions
first, each action named beside its ref, notes quoted, refs in counting order, sentences
not field dumps, and no changes that are only how a file was first read."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner
from rich.text import Text

from helpers import SHIPPED, clean_env, run_cli, write
from improve import api
from improve.cli import cli
from improve.cli.main import make_demo_copy
from improve.plans.vocab import ref_key

COUNTED = """\
[plan]
title = "Counted plan"
kind = "scrutiny"
start = 2016-12-20

[[recommendation]]
ref = "R"
leads = ["Head of Service"]
{actions}
"""
ACTION = """
  [[recommendation.action]]
  ref = "{ref}"
  action = "Action number {ref} with a long description of what is to be done"
  due = 2017-{month:02d}-28
  percent = 10
"""
REFS = ["2", "10a", "1", "11", "10b", "3"]


@pytest.fixture
def run(monkeypatch, tmp_path):
    clean_env(monkeypatch, tmp_path, columns=200)
    folder = tmp_path / "plans"
    folder.mkdir()
    body = "".join(ACTION.format(ref=r, month=n % 12 + 1) for n, r in enumerate(REFS))
    write(folder, "counted.toml", COUNTED.format(actions=body))

    def invoke(*args, today="2017-01-05"):
        r = run_cli(folder, *args, today=today)
        assert r.exit_code == 0, r.output
        return r.output

    return invoke


def test_refs_sort_as_a_person_counts():
    refs = ["1", "10a", "11", "2", "1.10", "1.2", "18b.1", "18a.1", "2.1"]
    assert sorted(refs, key=ref_key) == ["1", "1.2", "1.10", "2", "2.1", "10a", "11", "18a.1",
                                         "18b.1"]  # fmt: skip


def test_the_briefing_lists_actions_in_counting_order_with_their_opening_words(run):
    run("review", "record", "--note", "January")
    doc = json.loads(run("review", "changes", "--json", today="2017-02-01"))
    assert [q["ref"] for q in doc["no_update"]] == ["1", "2", "3", "10a", "10b", "11"]
    text = run("review", "changes", today="2017-02-01")
    lines = [line for line in text.splitlines() if line.startswith("  counted:")]
    assert [line.split()[0] for line in lines[-6:]] == [
        f"counted:{r}" for r in ("1", "2", "3", "10a", "10b", "11")
    ]
    assert "counted:10a  Action number 10a with a long …" in text


def test_the_briefing_opens_with_red_now_and_why_then_quotes_the_notes(run):
    run("review", "record", "--note", "January")
    run(
        "update", "counted:2", "--percent", "40", "--note", "Consultation done;\nreport drafted",
        "--by", "Head of Service", today="2017-01-20",
    )  # fmt: skip
    text = run("review", "changes", today="2017-03-05")
    flat = " ".join(text.split())
    red = flat.index("Red now, and why")
    assert red < flat.index("Counted plan") < flat.index("Progress notes since the review")
    # the actions due by now that are not done, with the rule's words for why
    assert "counted:10a Action number 10a with a long … overdue: due 2017-02-28, 5 days ago" in flat
    assert (
        "counted:2 Action number 2 with a long … 2017-01-20, Head of Service: "
        "“Consultation done; report drafted”" in flat
    )
    assert "count 1" not in flat and "→ by" not in flat  # sentences, not field dumps
    story = " ".join(run("history", "counted:2", today="2017-03-05").split())
    assert "progress update by Head of Service: “Consultation done; report drafted”" in story
    assert "percent complete 10% → 40%" in story and "count 1" not in story


def test_stale_says_what_it_means(run):
    run("review", "record")
    text = " ".join(run("review", "changes", today="2017-06-01").split())
    assert "Stale: no activity for longer than the plan allows" in text
    assert "no activity recorded; it was not stale at the review" in text
    assert "newly stale" not in text


def test_the_demo_briefing_has_no_phantom_changes(tmp_path):
    """Replaying the shipped plans, nothing the files say without a date (an impact
    judgement, a ticked milestone, a colour set by hand) is told as a change."""
    copy = make_demo_copy(SHIPPED, tmp_path / "demo")
    with api.Workspace(copy) as ws:
        store = ws.require_store()
        store.replay(ws.load(), date(2017, 1, 5))
        found = store.changes("last", today=date(2017, 1, 5), events=True)
    assert found.events is not None
    assert [e for e in found.events if e.field in ("impact", "milestones_done", "override")] == []
    out = CliRunner().invoke(
        cli, ["--plans", str(copy), "--today", "2017-01-05", "review", "changes"],
        catch_exceptions=False,
    )  # fmt: skip
    assert out.exit_code == 0 and "impact" not in out.output, out.output


def test_a_long_stale_list_is_cut_to_what_a_meeting_reads():
    """At 20,000 actions 16,000 were stale: the briefing lists the first ones and says how
    many in all (printing them all took Rich ten seconds and hid the rest)."""
    from types import SimpleNamespace

    from improve.present import briefing as b

    many = [
        SimpleNamespace(plan_id="p", ref=str(n), last_activity="2016-12-31", newly=n < 3)
        for n in range(b.STALE_SHOWN + 10)
    ]

    class Plain(b.Briefing):
        """The briefing's lines without the references' styles, and no moves."""

        def line(self, item, *words):
            return Text(f"{item.ref} {' '.join(words)}")

        def moves(self, items):
            return []

    brief = Plain.__new__(Plain)
    brief.ch = SimpleNamespace(  # type: ignore[assignment]  # a stand-in: only what the briefing reads
        moved_up=[], moved_down=[], rag_moves=[], newly_overdue=[], newly_complete=[],
        slipped=[], new_evidence=[], new_readings=[], overrides=[], stale=many,
        no_update=[], added=[], removed=[],
    )  # fmt: skip
    text = "\n".join(t.plain for t in brief.rest())
    assert f"Stale: no activity for longer than the plan allows ({len(many)})" in text
    assert f"{b.STALE_SHOWN - 1} no activity" in text and f"{b.STALE_SHOWN} no" not in text
    assert f"… and 10 more: {len(many)} stale in all, 3 of them since the review" in text


def test_one_action_with_no_update_is_one_action(monkeypatch, tmp_path):
    clean_env(monkeypatch, tmp_path, columns=200)
    folder = tmp_path / "plans"
    folder.mkdir()
    write(folder, "counted.toml", COUNTED.format(actions=ACTION.format(ref="1", month=6)))
    assert run_cli(folder, "review", "record", today="2017-01-05").exit_code == 0
    text = run_cli(folder, "review", "changes", today="2017-02-01").output
    assert "No update since the review (1 open action)" in text


def test_the_paper_says_one_open_action_as_one():
    from improve.report.build import _open_none_moved

    assert _open_none_moved(1) == "1 open action, with no progress recorded"
    assert _open_none_moved(3) == "3 open actions, none with progress recorded"
