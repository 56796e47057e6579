"""`improve … | head`: when the reader of its output goes away, the command stops quietly,
as Unix tools do, with no "unexpected error" line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PLANS = Path(__file__).parent.parent / "plans"


@pytest.mark.parametrize("command", [["actions"], ["status"], ["check"]])
def test_a_closed_pipe_stops_the_command_quietly(tmp_path, command):
    shutil.copytree(PLANS, tmp_path / "plans")
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first write: every write fails
    try:
        done = subprocess.run(
            [sys.executable, "-m", "improve", "--plans", "plans", "--today", "2017-01-05",
             "--db", str(tmp_path / "h.db"), *command],
            cwd=tmp_path, stdout=write, stderr=subprocess.PIPE, timeout=120,
            env={k: v for k, v in os.environ.items() if not k.startswith("IMPROVE_")},
        )  # fmt: skip
    finally:
        os.close(write)
    assert done.stderr.decode() == ""
    assert done.returncode == 1
