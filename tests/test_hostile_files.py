"""One bad file is one file's problem (issue 11 item 4): whatever a plan file holds, it
becomes that file's error with FILE:LINE:COL, quickly, and every other plan loads, in the
command line and the app alike."""

from __future__ import annotations

import re
import time
from datetime import date
from pathlib import Path

import pytest

from helpers import plans_folder, run_cli, there, wait_for
from hostile_text import HOSTILE_FILES
from improve import api
from improve.plans import loader

LINE = re.compile(r"^\S+\.toml:\d+:\d+: (error|warning): \S")


@pytest.fixture
def folder(tmp_path):
    return plans_folder(tmp_path)


def put(folder, name: str, body) -> None:
    path = folder / f"{name}.toml"
    if isinstance(body, bytes):
        path.write_bytes(body)
    else:
        path.write_text(body, encoding="utf-8", newline="")


def run(folder, *args):
    return run_cli(folder, *args, db=folder.parent / "h.db")


@pytest.mark.parametrize("name", sorted(HOSTILE_FILES))
def test_a_hostile_file_is_its_own_error_and_quickly(folder, name):
    put(folder, name, HOSTILE_FILES[name])
    started = time.process_time()
    r = run(folder, "check")
    took = time.process_time() - started
    assert took < 2.0, f"{name}: check took {took:.1f} s"
    assert "Traceback" not in r.output and "unexpected error" not in r.output, r.output
    lines = r.output.splitlines()
    assert lines and all(LINE.match(line) for line in lines[:-1]), lines
    assert any(f"{name}.toml:" in line and ": error: " in line for line in lines), lines
    assert not any("sample.toml" in line and "error" in line for line in lines)
    for args in (["status"], ["actions"], ["update", "sample:1.1.2", "--percent", "5"]):
        r = run(folder, *args)
        assert r.exit_code == 0 and "Sample" in run(folder, "status").output, (args, r.output)


def test_a_file_over_the_size_limit_is_refused_without_being_read(folder, monkeypatch):
    limit = (folder / "sample.toml").stat().st_size + 100
    monkeypatch.setattr(loader, "MAX_BYTES", limit)
    put(folder, "huge", '[plan]\ntitle = "x"\n' + "# padding\n" * (limit // 5))
    reads = []
    real = loader._read_regular

    def read_regular(path):
        reads.append(path.name)
        return real(path)

    monkeypatch.setattr(loader, "_read_regular", read_regular)
    portfolio = api.load(folder)
    (failed,) = portfolio.failed
    assert "a plan file may be at most" in str(failed.problems[0])
    assert "huge.toml" not in reads and "sample.toml" in reads
    assert [p.id for p in portfolio.plans] == ["sample"]


def test_a_bug_of_ours_on_one_file_leaves_the_others_loaded(folder, monkeypatch):
    put(folder, "other", '[plan]\ntitle = "Other"\n')
    real = loader._check

    def broken(box, text, path, *rest):
        if path.name == "other.toml":
            raise TypeError("something nobody foresaw")
        return real(box, text, path, *rest)

    monkeypatch.setattr(loader, "_check", broken)
    portfolio = api.load(folder)
    assert [p.id for p in portfolio.plans] == ["sample"]
    (problem,) = portfolio.failed[0].problems
    assert "TypeError: something nobody foresaw" in str(problem) and "report" in str(problem)


async def test_the_app_opens_with_hostile_files_and_keeps_reloading(folder):
    from improve.tui import make_app

    for name in ("long-number", "deep-many-lines", "dotted"):
        put(folder, name, HOSTILE_FILES[name])
    app = make_app(folder, date(2017, 1, 5), poll=0.05, history=False)
    async with app.run_test(size=(120, 40)) as pilot:
        assert await wait_for(lambda: app.portfolio is not None and app.statuses, pilot)
        assert [p.id for p in there(app.portfolio).plans] == ["sample"]
        assert len(there(app.portfolio).failed) == 3
        put(folder, "deep-one-line", HOSTILE_FILES["deep-one-line"])  # while it runs
        assert await wait_for(lambda: len(there(app.portfolio).failed) == 4, pilot)
        put(folder, "dotted", '[plan]\ntitle = "Mended"\n')  # and mended
        assert await wait_for(lambda: there(app.portfolio).plan("dotted") is not None, pilot)
        assert app.is_running
        app.workers.cancel_all()


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_fifo_or_device_given_to_check_is_refused_not_read(folder, kind):
    """Reading a FIFO waits for a writer forever; reading /dev/zero never ends. Each is
    refused as what it is, at once (a child process, so a hang fails the test)."""
    import os
    import subprocess
    import sys

    if kind == "fifo":
        target = folder / "pipe.toml"
        os.mkfifo(target)
    else:
        target = Path("/dev/zero")
    done = subprocess.run(
        [sys.executable, "-m", "improve", "--plans", str(folder), "--today", "2017-01-05",
         "check", str(target), str(folder / "sample.toml")],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr
    first = done.stdout.splitlines()[0]
    assert (
        re.match(r"^\S+:1:1: error: ", first)
        and ("a named pipe (FIFO)" if kind == "fifo" else "a device") in first
    )
    assert "not a plan file; it is not read" in first
    # a FIFO in the plans folder is passed over by every folder-wide command too
    assert "Sample" in run(folder, "status").output


def test_a_number_a_report_cannot_show_is_an_error_in_check(folder):
    put(folder, "big", HOSTILE_FILES["huge-target"])
    r = run(folder, "check")
    assert r.exit_code == 1
    (line,) = [x for x in r.output.splitlines() if "big.toml" in x]
    assert re.search(r"big\.toml:\d+:10: error: \"target\" is too large", line), line
    huge = HOSTILE_FILES["huge-target"]
    assert isinstance(huge, str)
    put(folder, "big", huge.replace("9" * 310, "999999999999999"))
    assert run(folder, "check").exit_code == 0  # 15 digits: the most a report shows exactly


def test_a_file_of_thousands_of_errors_says_the_first_thousand_then_stops(folder):
    put(folder, "many", HOSTILE_FILES["errors-by-thousand"])
    lines = run(folder, "check").output.splitlines()
    mine = [x for x in lines if "many.toml" in x]
    assert len(mine) == 1001 and "more than 1000 errors in this file" in mine[-1]
