"""`improve actions` as a table, a second time in a day over unchanged files: answered from
the day's memo (improve.status.memo, cli/listing.py), byte for byte the table worked out
afresh, and without the plans' model or the rules (issue 27 item 2)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import EXTENDED, shipped_and_sample
from improve.cli import cli

FILTERS = [["--overdue"], [], ["--pending"], ["--lead", "inspector"], ["--rag", "red"]]


@pytest.fixture
def folder(tmp_path, monkeypatch):
    return shipped_and_sample(tmp_path, monkeypatch, extended=EXTENDED)


def run(plans: Path, day: str, env: dict[str, str], *args: str, cache: bool = True) -> str:
    from rich.style import Style

    # a parsed Rich Style keeps the codes of the first colour system it was written in:
    # forgotten, so that each run here is what a process of its own would write
    Style.parse.cache_clear()
    Style._add.cache_clear()
    env = {**env, "IMPROVE_CACHE": "1" if cache else "0"}
    r = CliRunner().invoke(cli, ["--plans", str(plans), "--today", day, "actions", *args],
                           env=env, catch_exceptions=False)  # fmt: skip
    assert r.exit_code == 0, r.output
    return r.stdout


@pytest.mark.parametrize(
    "env",
    [
        {"COLUMNS": "40"},
        {"COLUMNS": "72"},
        {"COLUMNS": "163", "FORCE_COLOR": "1", "TERM": "xterm-256color"},
        {"COLUMNS": "90", "FORCE_COLOR": "1", "TERM": "xterm"},
        {"COLUMNS": "100", "FORCE_COLOR": "1", "NO_COLOR": "1"},
        {"COLUMNS": "120", "NO_COLOR": "1"},
    ],
    ids=["narrow", "pipe", "wide-colour", "16-colours", "no-colour", "pipe-no-colour"],
)
def test_the_table_from_the_memo_is_the_table_worked_out_afresh(folder, monkeypatch, env):
    for day in ("2017-01-05", "2017-06-01"):
        fresh = {" ".join(a): run(folder, day, env, *a, cache=False) for a in FILTERS}
        run(folder, day, env, "--count")  # the day's first run: leaves the memos
        with monkeypatch.context() as m:  # from here, working the rules out is an error
            m.setattr("improve.status.rules.plan_status", _refuse)
            remembered = {" ".join(a): run(folder, day, env, *a) for a in FILTERS}
        assert remembered == fresh, day
    assert "awaiting a decision" in fresh["--pending"] or env["COLUMNS"] == "40"
    assert len(set(fresh.values())) >= 4  # the filters do tell them apart


def test_a_table_run_leaves_the_memo_for_the_next(folder, monkeypatch):
    env = {"COLUMNS": "100"}
    fresh = run(folder, "2017-01-05", env, "--overdue", cache=False)
    assert run(folder, "2017-01-05", env, "--overdue") == fresh  # the first: the rules
    with monkeypatch.context() as m:
        m.setattr("improve.status.rules.plan_status", _refuse)
        assert run(folder, "2017-01-05", env, "--overdue") == fresh


def _refuse(*args, **kwargs):
    raise AssertionError("the rules were worked out")


def test_a_warm_table_run_loads_neither_the_model_nor_the_rules(folder):
    """The second `actions --overdue` of a day (the table, to a pipe) imports neither the
    model, the rules, the parser nor Rich (cli/listing.plain_table writes it)."""
    env = {**os.environ, "IMPROVE_CACHE": "1", "COLUMNS": "100"}
    code = (
        "import sys\nfrom improve.cli.main import cli\n"
        "try:\n    cli(sys.argv[1:], prog_name='improve')\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write(','.join(sorted(sys.modules)))\n"
    )
    argv = [sys.executable, "-c", code, "--plans", str(folder), "--today", "2017-01-05",
            "actions", "--overdue"]  # fmt: skip
    first = subprocess.run(argv, capture_output=True, text=True, env=env, check=True)
    second = subprocess.run(argv, capture_output=True, text=True, env=env, check=True)
    assert second.stdout == first.stdout and "overdue" not in first.stdout[:0]
    assert {"improve.status.rules", "improve.plans.model"} <= set(first.stderr.split(","))
    heavy = {"improve.plans.model", "improve.status.rules", "improve.plans.loader", "tomllib",
             "textual", "rich"}  # fmt: skip
    assert heavy & set(second.stderr.split(",")) == set()


def test_a_plan_file_that_is_a_link_is_always_worked_out_afresh(folder, monkeypatch, tmp_path):
    """A link is a doubt (its target may change without the link's times changing): a
    run is never answered from the memo while one is among the plans."""
    target = tmp_path / "elsewhere.toml"
    (folder / "extended.toml").rename(target)
    (folder / "extended.toml").symlink_to(target)
    env = {"COLUMNS": "100"}
    run(folder, "2017-01-05", env, "--overdue")
    with monkeypatch.context() as m:
        m.setattr("improve.status.rules.plan_status", _refuse)
        with pytest.raises(AssertionError, match="worked out"):
            run(folder, "2017-01-05", env, "--overdue")
