"""Every failing command says `improve: MESSAGE` with exit 1, never a traceback; the
library's errors name no option, and the command line adds the one that helps."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib

import pytest
from click.testing import CliRunner

from improve.cli import cli

TODAY = "2017-01-05"


@pytest.fixture
def run(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for var in ("IMPROVE_PLANS", "IMPROVE_TODAY", "IMPROVE_DB", "IMPROVE_USER", "IMPROVE_DEBUG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("COLUMNS", "80")

    def invoke(*args):
        return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)

    return invoke


def one_line_error(result) -> str:
    """The whole of stderr: one `improve: …` line, and nothing that looks like a traceback."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("improve: "), result.stderr
    return lines[0]


def test_invalid_utf8_in_a_note_is_refused_in_one_line(plans, tmp_path):
    """The real command, with the bytes a terminal would pass."""
    before = (plans / "sample.toml").read_bytes()
    env = {k: v for k, v in os.environ.items() if not k.startswith("IMPROVE_")}
    out = subprocess.run(
        [sys.executable, "-m", "improve", "--plans", str(plans), "--today", TODAY, "update"]
        + ["sample:1.1.1", "--note", b"caf\xe9 ok".decode("utf-8", "surrogateescape")],
        capture_output=True,
        env=env,
        cwd=tmp_path,
    )
    assert out.returncode == 1
    assert out.stderr.decode() == (
        "improve: sample:1.1.1: the note has characters that are not text (a byte that is "
        "not UTF-8, or a control character); type it again (--note)\n"
    )
    assert (plans / "sample.toml").read_bytes() == before


def test_a_control_character_in_a_note_is_refused(run, plans):
    r = run("update", "sample:1.1.1", "--note", "bell\x07", "--plans", plans, "--today", TODAY)
    assert one_line_error(r).endswith("type it again (--note)")


def test_due_within_any_number_of_days_works(run, plans):
    r = run("actions", "--due-within", "3000000", "--plans", plans, "--today", TODAY)
    assert r.exit_code == 0, r.output
    assert "2 of 3 actions" in r.stdout  # the two not yet overdue; 2.1.1 was due 2016-12-31


def test_markup_in_an_impact_note_is_written_and_printed_as_typed(run, plans):
    r = run(
        "update", "sample:1.1.1", "--impact-note", "[/] and [bold]x[/bold]",
        "--plans", plans, "--today", TODAY,
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "  • impact_note (none) → [/] and [bold]x[/bold]" in r.stdout.splitlines()
    data = tomllib.loads((plans / "sample.toml").read_text())
    assert data["recommendation"][0]["action"][0]["impact_note"] == "[/] and [bold]x[/bold]"


@pytest.mark.parametrize("plan_id", ["café", ".hidden", "١٢٣", "a:b", "two words"])
def test_new_refuses_an_id_that_check_would_reject(run, tmp_path, plan_id):
    r = run("new", plan_id, "--plans", tmp_path / "plans", "--today", TODAY)
    assert one_line_error(r) == (
        f'improve: "{plan_id}" is not a plan id: a plan id may use only the letters a–z and '
        'A–Z, the digits 0–9, ".", "_" and "-", and starts with a letter or digit '
        "(nothing was written)"
    )
    assert not (tmp_path / "plans").exists() or list((tmp_path / "plans").iterdir()) == []


def test_new_writes_a_plan_that_check_accepts(run, tmp_path):
    folder = tmp_path / "plans"
    assert run("new", "my-plan.2017_v2", "--plans", folder, "--today", TODAY).exit_code == 0
    r = run("check", "--plans", folder)
    assert r.exit_code == 0 and "0 errors" in r.output


@pytest.mark.parametrize(
    "args,message",
    [
        (
            ["--extend-to", "2017-09-01"],
            "improve: sample:1.1.1: an extension needs a reason (--reason TEXT)",
        ),
        (["--reason", "why"], "improve: sample:1.1.1: a reason goes with a new due date "
         "(asked for or agreed), a colour set by hand or a refused request (--extend-to DATE)"),
        (["--link", "x.pdf", "--note", "n"], "improve: sample:1.1.1: a link or a measure belongs "
         "to a piece of evidence: say what the evidence is too (--evidence TEXT)"),
        ([], "improve: sample:1.1.1: nothing to change: give --percent, --status, --impact, "
         "--note, --evidence, --reading, --milestone, --rag, --request-extension or --extend-to"),
        (["--percent", "101"], "improve: sample:1.1.1: the percent must be from 0 to 100, not "
         "101 (--percent N)"),
        (["--reading", "supervision-monthly=lots"], 'improve: sample:1.1.1: the reading "lots" '
         "is not a number (--reading MEASURE=VALUE)"),
        (["--reading", "supervision-monthly=inf"], 'improve: sample:1.1.1: the reading for '
         '"supervision-monthly" must be a finite number, not inf (--reading MEASURE=VALUE)'),
        (["--reading", "nope=3"], 'improve: sample:1.1.1: no measure "nope" for this action '
         "(its measures: supervision-monthly) (--reading MEASURE=VALUE)"),
        (["--percent", "50"], "improve: sample:1.1.1: nothing changed: the action already has "
         "those values"),
    ],
)  # fmt: skip
def test_update_errors_name_the_option_that_fixes_them(run, plans, args, message):
    before = (plans / "sample.toml").read_bytes()
    r = run("update", "sample:1.1.1", *args, "--plans", plans, "--today", TODAY)
    assert one_line_error(r) == message
    assert (plans / "sample.toml").read_bytes() == before


def test_an_unknown_action_says_how_to_list_them(run, plans):
    r = run("update", "sample:9.9", "--percent", "5", "--plans", plans, "--today", TODAY)
    assert one_line_error(r) == (
        'improve: sample:9.9: plan "sample" has no action "9.9"; '
        "`improve actions --plan sample` lists its actions"
    )


def test_a_plan_with_errors_points_at_check(run, plans):
    path = plans / "sample.toml"
    path.write_text(path.read_text().replace('kind = "ofsted"', 'kind = "ofstead"'))
    r = run("update", "sample:1.1.1", "--percent", "5", "--plans", plans, "--today", TODAY)
    line = one_line_error(r)
    assert line.startswith("improve: sample:1.1.1: the plan has errors; fix them first: ")
    assert line.endswith("; `improve check` lists them")


def test_no_review_yet_says_how_to_record_one(run, plans):
    r = run("review", "changes", "--plans", plans, "--today", TODAY)
    assert one_line_error(r) == (
        "improve: no review has been recorded yet; record one with `improve review record`"
    )


def test_a_history_that_cannot_be_used_names_the_option(run, plans, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    r = run("review", "list", "--plans", plans, "--db", blocker / "h.db", "--today", TODAY)
    line = one_line_error(r)
    assert line == (
        f"improve: cannot create the folder for the history database {blocker}: File exists; "
        "give --db PATH (or set IMPROVE_DB) to keep the history in another file"
    )


def test_an_unforeseen_error_is_one_line_not_a_traceback(run, plans, monkeypatch):
    def boom(*a, **kw):
        raise RuntimeError("something nobody planned for")

    monkeypatch.setattr("improve.api.Workspace.statuses", boom)
    r = run("status", "--plans", plans, "--today", TODAY)
    assert one_line_error(r) == (
        "improve: unexpected error (RuntimeError: something nobody planned for); the command "
        "stopped there. Please report this; IMPROVE_DEBUG=1 shows the details"
    )


def test_the_cli_and_the_library_make_changes_through_one_call(run, plans, monkeypatch):
    from improve.api import Workspace

    calls = []
    real = Workspace.update

    def spy(self, *a, **kw):
        calls.append(a[0])
        return real(self, *a, **kw)

    monkeypatch.setattr(Workspace, "update", spy)
    r = run("update", "sample:2.1.1", "--percent", "40", "--plans", plans, "--today", TODAY)
    assert r.exit_code == 0, r.output
    assert [str(t) for t in calls] == ["sample:2.1.1"]


def test_a_name_that_is_not_text_is_refused_before_anything_is_written(run, plans):
    before = (plans / "sample.toml").read_bytes()
    r = run(
        "update", "sample:1.1.1", "--percent", "60", "--by", "\udcffX",
        "--plans", plans, "--today", TODAY,
    )  # fmt: skip
    assert one_line_error(r) == (
        "improve: sample:1.1.1: the name of who is making the change has characters that are "
        "not text; type it again (--by NAME, or IMPROVE_USER)"
    )
    assert (plans / "sample.toml").read_bytes() == before
