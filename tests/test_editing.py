"""Edits change only the lines they must, keep comments, and never clobber a file."""

from __future__ import annotations

import difflib
import os
import tomllib
from datetime import date

import pytest

from helpers import there, update_file
from improve import api
from improve.api import Change, ConflictError, EditError, PlanFileError
from improve.plans.files import atomic_write
from improve.plans.loader import load_file

TODAY = date(2017, 1, 5)


def changed_lines(old: str, new: str) -> tuple[list[str], list[str]]:
    removed, added = [], []
    for line in difflib.ndiff(old.splitlines(), new.splitlines()):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added


def test_percent_changes_one_line_and_keeps_its_comment(plans):
    path = plans / "sample.toml"
    old = path.read_text()
    update_file(
        path, "1.1.1", Change(percent=75, note="Policy agreed"), TODAY, "Head of Safeguarding"
    )
    new = path.read_text()
    removed, added = changed_lines(old, new)
    assert removed == ["  percent = 50   # half way"]
    assert added[0] == "  percent = 75   # half way"
    assert added[1:] == [
        "",
        "    [[recommendation.action.update]]",
        "    date = 2017-01-05",
        '    by = "Head of Safeguarding"',
        "    percent = 75",
        '    note = "Policy agreed"',
        '    changes = ["percent 50 → 75"]',
    ]
    assert "# Sample plan — comments must survive edits" in new
    assert "# an action with nothing recorded yet" in new


def test_new_key_goes_into_the_action_own_lines(plans):
    path = plans / "sample.toml"
    update_file(path, "1.1.2", Change(percent=25, status="in-progress"), TODAY, None)
    data = tomllib.loads(path.read_text())
    a = data["recommendation"][0]["action"][1]
    assert a["percent"] == 25 and a["status"] == "in-progress"
    assert a["update"] == [
        {
            "date": TODAY,
            "percent": 25,
            "status": "in-progress",
            "changes": ["percent (none) → 25", "status (none) → in-progress"],
        }
    ]
    # the other actions are untouched
    assert data["recommendation"][1]["action"][0] == {
        "ref": "2.1.1",
        "action": "Review the early help offer",
        "due": date(2016, 12, 31),
        "percent": 25,
    }


def test_evidence_extension_and_reading(plans):
    path = plans / "sample.toml"
    update_file(
        path,
        "1.1.1",
        Change(
            evidence="Policy approved by SLT",
            link="https://example.org/p",
            evidence_measure="supervision-monthly",
            readings=[("supervision-monthly", 82)],
            extend_to=date(2017, 3, 31),
            reason="Union consultation",
        ),
        TODAY,
        "SLT",
    )
    text = path.read_text()
    a = tomllib.loads(text)["recommendation"][0]["action"][0]
    assert a["due"] == date(2017, 1, 31)  # the original due date is never rewritten
    assert a["extension"] == [
        {
            "due": date(2017, 3, 31),
            "reason": "Union consultation",
            "agreed_on": TODAY,
            "agreed_by": "SLT",
        }
    ]
    assert a["evidence"][-1] == {
        "date": TODAY,
        "text": "Policy approved by SLT",
        "link": "https://example.org/p",
        "measure": "supervision-monthly",
    }
    assert a["measure"][0]["readings"][-1] == {"date": TODAY, "value": 82}
    assert (
        "readings = [ { date = 2016-12-31, value = 78 }, { date = 2017-01-05, value = 82 } ]"
        in text
    )


def test_reading_into_multiline_array_and_new_readings_key(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text(
        '[plan]\ntitle = "P"\n\n[[recommendation]]\nref = "1"\nleads = ["A"]\n\n'
        '[[recommendation.action]]\nref = "1.1"\naction = "x"\ndue = 2017-06-30\n\n'
        '[[recommendation.action.measure]]\nid = "a"\ntext = "A"\nreadings = [\n'
        "  { date = 2016-12-31, value = 1 },  # first\n]\n\n"
        '[[recommendation.action.measure]]\nid = "b"\ntext = "B"\n'
    )
    update_file(path, "1.1", Change(readings=[("a", 2), ("b", 3.5)]), TODAY, None)
    text = path.read_text()
    assert (
        "  { date = 2016-12-31, value = 1 },  # first\n  { date = 2017-01-05, value = 2 },\n]"
        in text
    )
    assert 'text = "B"\nreadings = [ { date = 2017-01-05, value = 3.5 } ]' in text


@pytest.mark.parametrize(
    "change,message",
    [
        (Change(), "nothing to change"),
        (Change(percent=101), "percent must be from 0 to 100"),
        (Change(status="finished"), "status must be one of"),
        (Change(extend_to=date(2017, 3, 1)), "needs a reason"),
        (Change(extend_to=date(2017, 1, 31), reason="r"), "not after the due date in force"),
        (Change(reason="r", note="x"), "a reason goes with a new due date"),
        (Change(readings=[("nope", 1)]), 'no measure "nope"'),
        (Change(link="x.pdf", note="n"), "say what the evidence is too"),
        (Change(percent=50), "nothing changed"),
    ],
)
def test_bad_changes_are_refused_and_nothing_is_written(plans, change, message):
    path = plans / "sample.toml"
    old = path.read_bytes()
    with pytest.raises(EditError, match=message):
        update_file(path, "1.1.1", change, TODAY, None)
    assert path.read_bytes() == old


def test_unknown_ref(plans):
    with pytest.raises(EditError) as caught:
        update_file(plans / "sample.toml", "9.9", Change(percent=1), TODAY, None)
    assert caught.value.message == 'plan "sample" has no action "9.9"'
    assert (caught.value.code, caught.value.field) == ("unknown-action", "target")


def test_conflict_when_file_changed_since_it_was_read(plans):
    portfolio = api.load(plans)
    path = plans / "sample.toml"
    path.write_text(path.read_text() + "\n# edited in an editor meanwhile\n")
    edited = path.read_bytes()
    with pytest.raises(ConflictError, match="changed on disk"):
        api.Workspace(plans, history=False).update(
            "sample:1.1.1",
            Change(percent=60),
            TODAY,
            None,
            portfolio=portfolio,
            expected_fingerprint=there(portfolio.file_for("sample")).fingerprint,
        )
    assert path.read_bytes() == edited


def test_conflict_detected_just_before_replace(tmp_path):
    path = tmp_path / "f.toml"
    path.write_bytes(b"old")
    from improve.plans.loader import fingerprint

    expect = fingerprint(b"something else")
    with pytest.raises(ConflictError):
        atomic_write(path, b"new", expect=expect)
    assert path.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["f.toml"]  # no temporary file left behind


def test_atomic_write_keeps_permissions_and_leaves_no_temp(tmp_path):
    path = tmp_path / "f.toml"
    path.write_bytes(b"old")
    os.chmod(path, 0o640)
    atomic_write(path, b"new")
    assert path.read_bytes() == b"new" and (path.stat().st_mode & 0o777) == 0o640
    assert os.listdir(tmp_path) == ["f.toml"]


def test_crash_during_write_leaves_old_file(tmp_path, monkeypatch):
    path = tmp_path / "f.toml"
    path.write_bytes(b"old")

    def boom(*a):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(EditError) as caught:
        atomic_write(path, b"new")
    assert caught.value.message == "cannot write f.toml: disk full; nothing was written"
    assert path.read_bytes() == b"old" and os.listdir(tmp_path) == ["f.toml"]


def test_refuses_a_plan_with_errors(plans):
    path = plans / "sample.toml"
    path.write_text(path.read_text().replace('kind = "ofsted"', 'kind = "ofstead"'))
    with pytest.raises(PlanFileError, match="the plan has errors"):
        update_file(path, "1.1.1", Change(percent=60), TODAY, None)


def test_crlf_and_bom_are_kept(tmp_path):
    path = tmp_path / "p.toml"
    text = (
        '\ufeff[plan]\r\ntitle = "P"\r\n\r\n[[recommendation]]\r\nref = "1"\r\nleads = ["A"]\r\n\r\n'
        '[[recommendation.action]]\r\nref = "1.1"\r\naction = "x"\r\ndue = 2017-06-30\r\n'
    )
    path.write_bytes(text.encode())
    update_file(path, "1.1", Change(percent=10), TODAY, None)
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode()) and b"\n" not in raw.replace(b"\r\n", b"")
    assert there(there(load_file(path).plan).find_action("1.1"))[1].percent == 10


def test_edit_result_is_a_valid_plan_with_the_update_logged(plans):
    update_file(plans / "sample.toml", "2.1.1", Change(status="complete", note="Done"), TODAY, "Me")
    plan = there(load_file(plans / "sample.toml").plan)
    a = there(plan.find_action("2.1.1"))[1]
    assert a.status == "complete" and a.percent == 100  # complete brings percent up with it
    assert a.updates[-1].by == "Me" and a.updates[-1].note == "Done"


@pytest.mark.parametrize(
    "readings,expected",
    [
        (
            "[\n  { date = 2016-12-31, value = 1 },  # first\n]",
            "[\n  { date = 2016-12-31, value = 1 },  # first\n  { date = 2017-01-05, value = 2 },\n]",
        ),
        (
            "[\n  { date = 2016-12-31, value = 1 }  # first\n]",
            "[\n  { date = 2016-12-31, value = 1 },  # first\n  { date = 2017-01-05, value = 2 }\n]",
        ),
        (
            "[\n  { date = 2016-12-31, value = 1 } ]",
            "[\n  { date = 2016-12-31, value = 1 }, { date = 2017-01-05, value = 2 } ]",
        ),
        ("[]", "[ { date = 2017-01-05, value = 2 } ]"),
    ],
)
def test_reading_appended_in_the_style_of_the_list(tmp_path, readings, expected):
    path = tmp_path / "p.toml"
    head = (
        '[plan]\ntitle = "P"\n\n[[recommendation]]\nref = "1"\nleads = ["A"]\n\n'
        '[[recommendation.action]]\nref = "1.1"\naction = "x"\ndue = 2017-06-30\n\n'
        '[[recommendation.action.measure]]\nid = "a"\ntext = "A"\nreadings = '
    )
    path.write_text(head + readings + "\n")
    update_file(path, "1.1", Change(readings=[("a", 2)]), TODAY, None)
    assert path.read_text().startswith(head + expected + "\n")


def test_changed_line_ranges_name_only_the_new_lines():
    from improve.edits.editing import changed_line_ranges

    before = "a\nb\nc\nd\n"
    assert changed_line_ranges(before, "a\nB\nc\nd\n") == [(2, 2)]
    assert changed_line_ranges(before, "a\nb\nc\nx\ny\nd\n") == [(4, 5)]
    assert changed_line_ranges(before, before) == []
    assert changed_line_ranges(before, "a\nc\nd\n") == []  # a deletion adds no new lines


def test_each_part_of_a_change_tells_only_what_it_changed():
    """A milestone undone (its done_on taken out) beside a colour already so: only the
    milestone is told, and the colour's lines are not touched."""
    from improve.edits.editing import plan_change

    data = {
        "plan": {"title": "P"},
        "recommendation": [
            {
                "ref": "1",
                "action": [
                    {
                        "ref": "1.1",
                        "action": "A",
                        "rag": "amber",
                        "rag_reason": "why",
                        "milestone": [{"label": "S1", "done": True, "done_on": date(2017, 1, 2)}],
                    }
                ],
            }
        ],
    }
    change = Change(milestone="1", milestone_done=False, rag="amber", reason="why")
    planned = plan_change(data, "1.1", change, date(2017, 1, 5), "x")
    assert planned.said == ['milestone 1 "S1" not done after all']
    assert planned.sets == {}
