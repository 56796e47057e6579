"""The command line takes a percent and a date as people type them (issue 22 item 11):
`--percent 75%`, and every date option day first (18/01/2017) as returns already do."""

from __future__ import annotations

import json
import tomllib

import pytest

from helpers import clean_env, run_cli, write

PLAN = """\
[plan]
title = "Typed plan"
kind = "internal"
start = 2016-09-01

[[recommendation]]
ref = "1"
title = "One"
leads = ["Head of Service"]

  [[recommendation.action]]
  ref = "1.1"
  action = "Refresh the policy"
  due = 2017-06-30
  percent = 10

    [[recommendation.action.milestone]]
    label = "Draft"
    due = 2017-02-28

  [[recommendation.action]]
  ref = "1.2"
  action = "Train the managers"
  due = 2017-06-30
"""


@pytest.fixture
def folder(monkeypatch, tmp_path):
    clean_env(monkeypatch, tmp_path, columns=80)
    plans = tmp_path / "plans"
    plans.mkdir()
    write(plans, "typed.toml", PLAN)
    return plans


def action(folder, ref):
    data = tomllib.loads((folder / "typed.toml").read_text(encoding="utf-8"))
    return next(a for r in data["recommendation"] for a in r["action"] if a["ref"] == ref)


@pytest.mark.parametrize("typed", ["75%", " 75 % ", "75"])
def test_update_percent_as_typed(folder, typed):
    r = run_cli(folder, "update", "typed:1.1", "--percent", typed, "--by", "Lead")
    assert r.exit_code == 0, r.output
    assert action(folder, "1.1")["percent"] == 75


@pytest.mark.parametrize("typed", ["75.5", "3/4", "½"])
def test_a_percent_that_is_not_whole_is_a_usage_error_saying_what_was_typed(folder, typed):
    before = (folder / "typed.toml").read_bytes()
    r = run_cli(folder, "update", "typed:1.1", "--percent", typed)
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert f'the percent must be a whole number from 0 to 100, not "{typed}"' in r.output
    assert (folder / "typed.toml").read_bytes() == before


def test_every_date_option_takes_uk_dates_day_first(folder):
    """--today, --on, --until, --request-extension and --extend-to, day first."""
    ok = [
        run_cli(folder, "update", "typed:1.1", "--milestone", "1", "--done", "--on",
                "18.01.2017", "--by", "Lead", today="18/01/2017"),
        run_cli(folder, "update", "typed:1.1", "--rag", "amber", "--reason", "late start",
                "--until", "31-03-2017", "--by", "Lead", today="18/1/2017"),
        run_cli(folder, "update", "typed:1.2", "--request-extension", "30/09/2017",
                "--reason", "trainer left", "--by", "Lead", today="2017-01-18"),
        run_cli(folder, "update", "typed:1.1", "--extend-to", "31 July 2017",
                "--reason", "agreed at board", "--by", "Lead", today="19/01/2017"),
    ]  # fmt: skip
    assert [r.exit_code for r in ok] == [0, 0, 0, 0], [r.output for r in ok]
    one, two = action(folder, "1.1"), action(folder, "1.2")
    assert one["milestone"][0]["done"] is True
    assert str(one["milestone"][0]["done_on"]) == "2017-01-18"
    assert str(one["rag_until"]) == "2017-03-31"
    assert str(one["extension"][0]["due"]) == "2017-07-31"
    assert str(one["extension"][0]["agreed_on"]) == "2017-01-19"
    assert str(two["extension"][0]["due"]) == "2017-09-30"
    assert [str(u["date"]) for u in one["update"]] == ["2017-01-18", "2017-01-18", "2017-01-19"]
    status = run_cli(folder, "status", "--json", today="18/01/2017")
    assert json.loads(status.output)["today"] == "2017-01-18"


@pytest.mark.parametrize("option", ["--on", "--until", "--request-extension", "--extend-to"])
def test_a_month_first_date_is_a_usage_error_never_read_as_another_day(folder, option):
    before = (folder / "typed.toml").read_bytes()
    r = run_cli(folder, "update", "typed:1.1", option, "09/30/2017", "--reason", "r")
    assert r.exit_code == 2 and "day first" in r.output and "no month 30" in r.output
    assert (folder / "typed.toml").read_bytes() == before


def test_review_changes_since_a_uk_date(folder, tmp_path):
    db = tmp_path / "h.db"
    assert (
        run_cli(folder, "review", "record", "--by", "Chair", today="18/01/2017", db=db).exit_code
        == 0
    )
    r = run_cli(
        folder, "review", "changes", "--since", "18/01/2017", "--json", db=db, today="2017-02-01"
    )
    assert r.exit_code == 0, r.output


def test_a_milestone_marked_done_at_0_percent_is_no_longer_not_started(folder):
    path = folder / "typed.toml"
    text = path.read_text(encoding="utf-8").replace("  percent = 10\n", "")
    path.write_text(text.replace("start = 2016-09-01", "start = 2017-01-01"), "utf-8")
    before = json.loads(run_cli(folder, "status", "--json").output)
    assert before["plans"][0]["counts"]["grey"] == 2
    r = run_cli(folder, "update", "typed:1.1", "--milestone", "Draft", "--done", "--by", "Lead")
    assert r.exit_code == 0, r.output
    assert "Now: GREEN — on schedule: 0% done (1 of 1 milestones done)" in r.output
    after = json.loads(run_cli(folder, "status", "--json").output)
    assert after["plans"][0]["counts"]["grey"] == 1


def test_report_since_takes_uk_dates(folder, tmp_path):
    out = tmp_path / "r.md"
    r = run_cli(folder, "report", "--format", "md", "-o", out, "--since", "18/12/2016")
    assert r.exit_code == 0, r.output
    assert "since 18 December 2016" in out.read_text(encoding="utf-8")
    r = run_cli(folder, "report", "--format", "md", "-o", out, "--since", "12/18/2016")
    assert r.exit_code == 1 and "DD/MM/YYYY" in r.output


def test_update_on_a_colour_terminal_shows_the_colour_not_its_escape(folder, monkeypatch):
    """Seen in tmux trying item 11: "Now: ␛[1;32mGREEN␛[0m". The colour word is ours and
    coloured; the plan's own words after it stay inert."""
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm")
    path = folder / "typed.toml"  # a hand edit: a reason holding ESC, as TOML allows
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("  percent = 10\n", '  percent = 10\n  rag = "amber"\n'
                     '  rag_reason = "late \\u001b[31m start"\n', 1), "utf-8")  # fmt: skip
    from click.testing import CliRunner

    from improve.cli import cli

    argv = ["--plans", str(folder), "--today", "2017-01-05", "update", "typed:1.1"]
    r = CliRunner().invoke(cli, [*argv, "--percent", "20", "--by", "Lead"], color=True)
    assert r.exit_code == 0, r.output
    now = next(line for line in r.output.splitlines() if "Now:" in line)
    assert now.startswith("  Now: \x1b[") and "AMBER\x1b[0m — " in now
    assert "␛[31m" in now and now.count("\x1b") == 2
