"""A due date rewritten by hand is a slip (issue 22 item 6).

`due` is the original due date: improve never changes it (a new date is an extension).
When someone rewrites it in an editor, the history still holds the first due date it
recorded: the review briefing lists the rewrite under dates slipped, the report shows the
first recorded date as the original, and `check` warns.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import clean_env, run_cli, write
from history_helpers import edit_text

PLAN = """\
[plan]
title = "Rewritten plan"
kind = "internal"
start = 2017-01-01

[[recommendation]]
ref = "1"
title = "One"
leads = ["Head of Service"]

  [[recommendation.action]]
  ref = "1.1"
  action = "Refresh the supervision policy"
  due = 2017-06-30
  percent = 10

  [[recommendation.action]]
  ref = "1.2"
  action = "Train the managers"
  due = 2017-06-30
  percent = 10
"""
DUE_LINE = 14  # the line of 1.1's `due` in PLAN (col 9: its value)


@pytest.fixture
def folder(monkeypatch, tmp_path):
    clean_env(monkeypatch, tmp_path, columns=200)
    plans = tmp_path / "plans"
    plans.mkdir()
    write(plans, "rw.toml", PLAN)
    assert (plans / "rw.toml").read_text().splitlines()[DUE_LINE - 1] == "  due = 2017-06-30"
    return plans


def ok(folder, *args, today="2017-01-05"):
    r = run_cli(folder, *args, today=today)
    assert r.exit_code == 0, r.output
    return r.output


def rewrite(folder, new="2017-09-30"):
    """An editor's hand edit of 1.1's due date (1.2's stays)."""
    edit_text(
        folder / "rw.toml",
        "due = 2017-06-30\n  percent = 10\n\n",
        f"due = {new}\n  percent = 10\n\n",
    )


def test_the_briefing_lists_a_rewritten_due_date_under_dates_slipped(folder):
    ok(folder, "review", "record", "--note", "January", "--by", "Chair")
    rewrite(folder)
    doc = json.loads(ok(folder, "review", "changes", "--json", today="2017-02-01"))
    assert doc["slipped"] == [
        {
            "plan": "rw", "ref": "1.1", "old_due": "2017-06-30", "new_due": "2017-09-30",
            "extensions": 0, "reason": "original due date rewritten by hand", "agreed_on": None,
            "agreed_by": None, "by_hand": True, "when": "2017-02-01", "who": "edited by hand",
        }
    ]  # fmt: skip
    text = ok(folder, "review", "changes", today="2017-02-01")
    section = text[text.index("Dates slipped") :]
    assert (
        "rw:1.1 Refresh the supervision policy 2017-06-30 → 2017-09-30: original due date "
        "rewritten by hand (2017-02-01, edited by hand)" in " ".join(section.split())
    )


def test_a_rewrite_to_an_earlier_date_or_back_again_is_no_slip(folder):
    ok(folder, "review", "record", "--by", "Chair")
    rewrite(folder, "2017-05-31")  # earlier: brought forward, not slipped
    assert (
        json.loads(ok(folder, "review", "changes", "--json", today="2017-01-10"))["slipped"] == []
    )
    rewrite_back = folder / "rw.toml"
    edit_text(rewrite_back, "due = 2017-05-31", "due = 2017-08-31")
    ok(folder, "status", today="2017-01-11")
    edit_text(rewrite_back, "due = 2017-08-31", "due = 2017-06-30")  # back where it was
    doc = json.loads(ok(folder, "review", "changes", "--json", today="2017-01-12"))
    assert doc["slipped"] == []
    assert "warning:" not in ok(folder, "check", today="2017-01-12")


def test_an_agreed_extension_is_still_told_as_before(folder):
    ok(folder, "review", "record", "--by", "Chair")
    ok(folder, "update", "rw:1.2", "--extend-to", "2017-08-31", "--reason", "staff", "--by",
       "Chair", today="2017-01-10")  # fmt: skip
    (slip,) = json.loads(ok(folder, "review", "changes", "--json", today="2017-01-10"))["slipped"]
    assert (slip["ref"], slip["by_hand"], slip["extensions"]) == ("1.2", False, 1)
    assert slip["reason"] == "staff" and slip["new_due"] == "2017-08-31"


def test_the_report_shows_the_first_recorded_due_date_as_the_original(folder, tmp_path):
    ok(folder, "status")  # the history's first look: due 2017-06-30
    rewrite(folder)
    out = tmp_path / "r.md"
    ok(folder, "report", "rw", "--format", "md", "-o", out, today="2017-02-01")
    md = out.read_text(encoding="utf-8").replace("\\", "")  # Markdown's escapes
    assert "| 30 September 2017 (originally due 30 June 2017; no extension agreed) |" in md
    assert (
        "| originally due 30 June 2017, now 30 September 2017 (original due date rewritten by "
        "hand on 1 February 2017; no extension agreed) |" in md
    )
    csv_out = tmp_path / "r.csv"
    ok(folder, "report", "rw", "--format", "csv", "-o", csv_out, today="2017-02-01")
    assert "2017-06-30,2017-09-30" in csv_out.read_text(encoding="utf-8")


def test_the_report_without_a_history_keeps_the_files_date(folder, tmp_path):
    rewrite(folder)
    out = tmp_path / "r.md"
    ok(folder, "report", "rw", "--format", "md", "-o", out, today="2017-02-01")
    assert "originally" not in out.read_text(encoding="utf-8")


def test_check_warns_at_the_due_line_when_the_history_holds_an_earlier_original(folder):
    ok(folder, "status")  # the history records due 2017-06-30
    rewrite(folder)  # not yet seen by the history: check says it all the same
    r = run_cli(folder, "check", today="2017-02-01")
    assert r.exit_code == 0, r.output
    path = folder / "rw.toml"
    assert r.output.splitlines() == [
        f"{path}:{DUE_LINE}:9: warning: action 1.1's original due date was 2017-06-30 when "
        "the history first recorded it, not 2017-09-30: a new date is an extension; put due = "
        "2017-06-30 back and record the new date with improve update rw:1.1 --extend-to "
        "2017-09-30 --reason …",
        "checked 1 file: 0 errors, 1 warning",
    ]
    ok(folder, "status", today="2017-02-01")  # now recorded as a hand edit: still warned
    r = run_cli(folder, "check", str(path), today="2017-02-02")
    assert (
        f"{path}:{DUE_LINE}:9: warning: action 1.1's original due date was 2017-06-30" in r.output
    )


def test_check_without_a_history_warns_of_nothing_and_creates_none(folder):
    rewrite(folder)
    r = run_cli(folder, "check", today="2017-02-01")
    assert r.output.splitlines() == ["checked 1 file: 0 errors, 0 warnings"]
    assert not (folder / ".improve").exists()


def test_check_with_a_damaged_history_warns_of_nothing_and_leaves_it_be(folder):
    (folder / ".improve").mkdir()
    db = folder / ".improve" / "history.db"
    db.write_bytes(b"SQLite format 3\x00" + b"\xff" * 400)
    rewrite(folder)
    r = run_cli(folder, "check", today="2017-02-01")
    assert r.output.splitlines() == ["checked 1 file: 0 errors, 0 warnings"]
    assert db.read_bytes() == b"SQLite format 3\x00" + b"\xff" * 400
    assert sorted(p.name for p in (folder / ".improve").iterdir()) == ["history.db"]


def test_the_report_tells_a_rewrite_and_extensions_in_one_line(folder, tmp_path):
    ok(folder, "status")
    ok(folder, "update", "rw:1.1", "--extend-to", "2017-12-31", "--reason", "staff", "--by",
       "Chair", today="2017-01-10")  # fmt: skip
    rewrite(folder)  # the original, under the agreed extension, rewritten as well
    out = tmp_path / "r.md"
    ok(folder, "report", "rw", "--format", "md", "-o", out, today="2017-02-01")
    md = out.read_text(encoding="utf-8").replace("\\", "")
    assert "| 31 December 2017 (originally due 30 June 2017; 1 extension: staff) |" in md
    assert (
        "| originally due 30 June 2017, now 31 December 2017 (1 extension: staff); original due "
        "date rewritten by hand on 1 February 2017, from 30 June 2017 to 30 September 2017 |" in md
    )
    assert md.count("rewritten by hand") == 1


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(moves=st.lists(st.integers(-60, 120), min_size=1, max_size=4))
def test_any_run_of_hand_edits_is_told_from_the_review_to_the_latest(tmp_path_factory, moves):
    """Over days of hand edits, the briefing's slip is (the due at the review → the due
    now) exactly when now is later, and check warns exactly when the file's due is later
    than the first recorded."""
    from datetime import date, timedelta

    from history_helpers import statuses, sync
    from improve.history import HistoryStore
    from improve.history.originals import due_rewrite_warnings, first_dues
    from improve.plans.loader import load_file

    folder = tmp_path_factory.mktemp("moves") / "plans"
    folder.mkdir()
    path = write(folder, "rw.toml", PLAN)
    store = HistoryStore(folder)
    day, first = date(2017, 1, 5), date(2017, 6, 30)
    _, sts = statuses(folder, day)
    store.record_review(sts, day)
    due = first
    for k, shift in enumerate(moves, 1):
        new = first + timedelta(days=shift)
        edit_text(path, f"due = {due}\n  percent = 10\n\n", f"due = {new}\n  percent = 10\n\n")
        due = new
        sync(store, folder, day + timedelta(days=k))
    ch = store.changes("last", today=day + timedelta(days=len(moves)))
    told = [(s.ref, s.old_due, s.new_due) for s in ch.slipped if s.by_hand]
    assert told == ([("1.1", str(first), str(due))] if due > first else [])
    assert first_dues(store.db.conn, "rw")["1.1"].first == first
    store.close()
    warned = due_rewrite_warnings(load_file(path, folder), folder / ".improve" / "history.db")
    assert len(warned) == (due > first)
