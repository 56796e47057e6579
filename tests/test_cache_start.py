"""The cache is written without importing tempfile (and shutil and random with it): a
start-up cost of every cold run (issue 27: many small files); its files stay private."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys

from helpers import SAMPLE, write

CODE = (
    "import sys\nfrom improve.cli.main import cli\n"
    "try:\n    cli(sys.argv[1:], prog_name='improve')\nexcept SystemExit:\n    pass\n"
    "sys.stderr.write(','.join(sorted(sys.modules)))\n"
)


def test_a_cold_run_writes_the_cache_without_tempfile(tmp_path):
    plans = tmp_path / "plans"
    plans.mkdir()
    write(plans, "sample.toml", SAMPLE)
    env = {**os.environ, "IMPROVE_CACHE": "1", "HOME": str(tmp_path / "home")}
    argv = [sys.executable, "-c", CODE, "--plans", str(plans), "--today", "2017-01-05", "status"]
    subprocess.run(argv, capture_output=True, text=True, env=env, check=True)  # the key made
    cache = plans / ".improve" / "cache"
    shutil.rmtree(cache)
    cold = subprocess.run(argv, capture_output=True, text=True, env=env, check=True)
    assert "tempfile" not in cold.stderr.split(",")
    written = sorted(p.name for p in cache.iterdir())
    assert written and not [n for n in written if n.endswith(".tmp")], written
    for path in cache.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
