"""A cold `improve status` on a small folder pays only for what it uses (issue 27 item
3): no multiprocessing (a small folder is parsed in the process), no tomlkit (nothing
is edited), and no other command's module. Run in a subprocess, reading sys.modules."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from helpers import SHIPPED

CODE = """
import sys
sys.argv = ["improve", *sys.argv[1:]]
from improve.cli import main
try:
    main()
except SystemExit:
    pass
sys.stderr.write("MODULES:" + ",".join(sorted(sys.modules)))
"""

NOT_NEEDED = (
    "multiprocessing",
    "tomlkit",
    "improve.cli.kpi_cmd",
    "improve.cli.import_cmd",
    "improve.cli.report_cmd",
    "improve.cli.returns_cmd",
    "improve.cli.programme_cmd",
    "improve.cli.history_cmds",
)


def modules_of(tmp_path, *args: str) -> set[str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "xdg"), "NO_COLOR": "1"}
    env.pop("IMPROVE_DB", None)
    out = subprocess.run(
        [sys.executable, "-c", CODE, *args], capture_output=True, text=True, env=env, check=True
    )
    return set(out.stderr.rpartition("MODULES:")[2].split(","))


def test_cold_status_imports_nothing_it_does_not_use(tmp_path):
    folder = tmp_path / "plans"
    shutil.copytree(SHIPPED, folder, ignore=shutil.ignore_patterns(".*"))
    args = ("status", "--plans", str(folder), "--today", "2017-06-01")
    modules_of(tmp_path, *args)  # the history made, as after a first run
    shutil.rmtree(folder / ".improve" / "cache", ignore_errors=True)
    loaded = modules_of(tmp_path, *args)
    assert "improve.cli.plain" in loaded  # it did print the table
    assert sorted(m for m in NOT_NEEDED if m in loaded) == []


def test_every_lazy_command_is_where_the_map_says():
    """Each module named in LAZY_COMMANDS registers exactly the commands the map gives it,
    and the group lists every command (so `--help` and a command's name find them)."""
    import importlib

    import click

    from improve.cli.main import LAZY_COMMANDS, cli

    for module in set(LAZY_COMMANDS.values()):
        group = click.Group()
        importlib.import_module(f"improve.cli.{module}").register(group)
        assert sorted(group.commands) == sorted(
            name for name, m in LAZY_COMMANDS.items() if m == module
        )
    listed = cli.list_commands(click.Context(cli))
    assert set(LAZY_COMMANDS) <= set(listed) and {"status", "update", "check"} <= set(listed)
    assert cli.get_command(click.Context(cli), "kpi") is not None
