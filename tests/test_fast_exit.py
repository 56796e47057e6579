"""The `improve` command leaves the process at once when the command is done
(improve.cli.main.run), without the interpreter tearing down every object: what it
wrote is all there, its exit code is the command's, and a reader that went away before
the last flush is not a traceback or a complaint."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import SHIPPED
from improve.cli.main import exit_code


def improve(tmp_path: Path, *args: str, stdout: int = subprocess.PIPE):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "xdg"), "NO_COLOR": "1"}
    env.pop("IMPROVE_DB", None)
    return subprocess.Popen(
        [sys.executable, "-m", "improve", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        env=env,
        cwd=tmp_path,
    )


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    for path in SHIPPED.glob("*.toml"):
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


def test_everything_written_reaches_the_reader(tmp_path, plans):
    proc = improve(tmp_path, "actions", "--json", "--plans", str(plans), "--today", "2017-06-01")
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert len(json.loads(out)["actions"]) > 100  # the whole document, parsed


def test_the_exit_code_is_the_commands(tmp_path):
    proc = improve(tmp_path, "status", "--plans", str(tmp_path / "missing"))
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert b"no plans folder at" in err and b"Traceback" not in err


def test_a_reader_gone_before_the_last_flush_is_said_to_no_one(tmp_path, plans):
    read, write = os.pipe()
    os.close(read)  # nobody reads: the command's last flush fails
    proc = improve(tmp_path, "status", "--plans", str(plans), "--today", "2017-06-01", stdout=write)
    os.close(write)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert err == b""  # no "Exception ignored … BrokenPipeError"


def test_exit_codes_as_python_gives_them(capsys):
    assert exit_code(SystemExit()) == 0
    assert exit_code(SystemExit(0)) == 0
    assert exit_code(SystemExit(2)) == 2
    assert exit_code(SystemExit("a message")) == 1
    assert capsys.readouterr().err == "a message\n"


def test_what_a_command_keeps_is_held_only_when_the_process_leaves_at_once(monkeypatch):
    from improve.cli import common

    monkeypatch.setattr(common, "_KEPT", [])
    plans = object()
    common.keep(plans)  # a process that goes on (a test, a caller of main): not held
    assert common._KEPT == []
    monkeypatch.setattr(common, "LEAVING", True)
    common.keep(plans)
    assert common._KEPT == [plans]


def test_an_interrupted_command_says_so_and_exits_130(tmp_path, plans, monkeypatch):
    """Ctrl-C during a command: one line saying so, and the shell's code for an
    interrupt (128 + SIGINT), not click's "Aborted!" and 1."""
    from helpers import run_cli
    from improve import api

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(api.Workspace, "load", interrupted)
    result = run_cli(plans, "status", today="2017-06-01")
    assert result.exit_code == 130
    assert "improve: interrupted" in result.output and "Aborted" not in result.output


def test_a_report_whose_reader_goes_away_part_way_is_not_said_written(tmp_path, plans):
    """`improve report -o - | head`: the report is far more than a pipe holds; the reader
    takes a few bytes and goes. A buffered write can stop at what fitted and say nothing,
    so improve said "Wrote standard output" and exit 0 with most of the report unsent."""
    read, write = os.pipe()
    proc = improve(tmp_path, "report", "--plans", str(plans), "--today", "2017-06-01",
                   "--format", "html", "-o", "-", stdout=write)  # fmt: skip
    os.close(write)
    assert len(os.read(read, 10)) == 10  # the report has started: the reader goes
    os.close(read)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1
    assert b"Wrote" not in err and b"Traceback" not in err


@pytest.mark.skipif(not hasattr(fcntl, "F_SETPIPE_SZ"), reason="Linux's pipe sizes")
def test_a_status_table_whose_reader_goes_away_part_way_ends_1(tmp_path):
    """`improve status | head -c 10` over a table larger than a pipe holds: the same
    silent stop at what fitted ended 0; now the broken pipe is seen (exit 1, quietly),
    as `status --json` always did."""
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(100):
        (folder / f"p{n:03}.toml").write_text(
            f'[plan]\ntitle = "Plan {n} with a title long enough to fill a table row"\n'
            '[[recommendation]]\nref = "1"\n[[recommendation.action]]\nref = "1.1"\n'
            'action = "Do it"\ndue = 2017-03-01\n',
            encoding="utf-8",
        )
    read, write = os.pipe()
    fcntl.fcntl(write, fcntl.F_SETPIPE_SZ, 4096)  # a pipe that holds less than the table
    proc = improve(tmp_path, "status", "--plans", str(folder), "--today", "2017-06-01",
                   stdout=write)  # fmt: skip
    os.close(write)
    assert len(os.read(read, 10)) == 10
    os.close(read)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, err
    assert b"Traceback" not in err
