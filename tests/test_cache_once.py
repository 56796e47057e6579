"""A run writes the cache once and sweeps the temp files once (issue 26 point 1): the first
run of a day used to write the parsed plans, then again with the day's memos, and to look
for a crashed write's leftovers twice (dayview.open_day, then Workspace.load)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers import run_cli, shipped_and_sample


@pytest.fixture
def folder(tmp_path, monkeypatch):
    return shipped_and_sample(tmp_path, monkeypatch)


@pytest.fixture
def counted(monkeypatch):
    """How many times each cache file was replaced, and the folder swept."""
    import improve.plans.files
    import improve.workspace

    seen: dict[str, int] = {}
    replace = os.replace

    def counting_replace(src, dst, *args, **kwargs):
        if Path(dst).parent.name == "cache":
            seen[Path(dst).name] = seen.get(Path(dst).name, 0) + 1
        return replace(src, dst, *args, **kwargs)

    sweep = improve.plans.files.leftover_temps

    def counting_sweep(*args, **kwargs):
        seen["sweeps"] = seen.get("sweeps", 0) + 1
        return sweep(*args, **kwargs)

    monkeypatch.setattr(os, "replace", counting_replace)
    monkeypatch.setattr(improve.plans.files, "leftover_temps", counting_sweep)
    monkeypatch.setattr(improve.workspace, "leftover_temps", counting_sweep)
    return seen


def writes(seen: dict[str, int]) -> list[int]:
    return sorted(n for name, n in seen.items() if name != "sweeps")


@pytest.mark.parametrize(
    "args",
    [["status"], ["status", "--json"], ["actions", "--count"], ["actions", "--json"]],
)  # fmt: skip
def test_a_cold_run_writes_each_cache_file_once_and_sweeps_once(folder, counted, args):
    r = run_cli(folder, *args)
    assert r.exit_code == 0, r.output
    assert counted.get("sweeps") == 1
    assert writes(counted) and set(writes(counted)) == {1}, counted
    counted.clear()
    r = run_cli(folder, *args)  # warm: nothing new to keep
    assert r.exit_code == 0, r.output
    assert counted.get("sweeps") == 1
    assert writes(counted) == [], counted


def test_a_review_record_and_json_at_a_terminal_write_the_cache_once(folder, counted, monkeypatch):
    r = run_cli(folder, "review", "record", "--no-commit")
    assert r.exit_code == 0, r.output
    assert set(writes(counted)) == {1}, counted
    import sys
    from types import SimpleNamespace

    tty = SimpleNamespace(isatty=lambda: True)  # status asks whether JSON goes to a terminal
    main = sys.modules["improve.cli.main"]
    monkeypatch.setattr(main, "sys", SimpleNamespace(stdout=tty, exit=sys.exit))
    counted.clear()
    r = run_cli(folder, "status", "--json", today="2017-01-06")
    assert r.exit_code == 0, r.output
    assert writes(counted) == [1], counted
