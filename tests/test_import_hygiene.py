"""The core never imports textual or rich: the command line stays light, the rules can
be used without a terminal, and the history never calls up into the library API.

The core is found from the package itself: every module except the front ends (`cli`,
`tui`), their shared presentation (`present`) and `python -m improve`. The import
contracts in pyproject.toml (run by `lint-imports` in CI) must name the same modules.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys
import tomllib
from pathlib import Path

import improve

FRONT = ("improve.cli", "improve.tui", "improve.present", "improve.__main__")
PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def core_modules() -> list[str]:
    found = [m.name for m in pkgutil.walk_packages(improve.__path__, "improve.")]
    return sorted(
        ["improve"] + [m for m in found if not any(m == f or m.startswith(f + ".") for f in FRONT)]
    )


def imported_by(modules: list[str]) -> set[str]:
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + "print(','.join(sorted(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.strip().split(","))


def test_the_core_is_found_from_the_package():
    core = core_modules()
    assert {"improve.workspace", "improve.history.store", "improve.status.rules"} <= set(core)
    assert not [m for m in core if m.startswith(("improve.tui", "improve.cli", "improve.present"))]


def test_core_does_not_import_textual_or_rich():
    loaded = imported_by(core_modules())
    bad = sorted(m for m in loaded if m.split(".")[0] in ("textual", "rich"))
    assert bad == [], f"the core imported: {bad}"


def test_history_does_not_import_the_api_or_a_front_end():
    history = [m for m in core_modules() if m.startswith("improve.history")]
    loaded = imported_by(history)
    above = ("improve.api", "improve.workspace", *FRONT)
    assert sorted(m for m in loaded if m.startswith(above)) == []


def test_the_import_contracts_name_every_core_module():
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"]
    (core,) = [c for c in config["contracts"] if c["name"].startswith("The core")]
    top = sorted({".".join(m.split(".")[:2]) for m in core_modules() if m != "improve"})
    assert sorted(core["source_modules"]) == top
    assert {"textual", "rich", "improve.cli", "improve.tui"} <= set(core["forbidden_modules"])


def test_the_layers_name_every_package_and_the_core_has_no_loose_modules():
    """The layers contract places every part of improve, and the core's modules live in
    packages that say what they are for (plans, status, edits, team, speed, …): only the
    door (api, workspace) and three leaves (errors, inert, digest) sit at the top."""
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"]
    (layers,) = [c for c in config["contracts"] if c["type"] == "layers"]
    named = {part.strip() for layer in layers["layers"] for part in layer.split("|")}
    parts = {m.name for m in pkgutil.iter_modules(improve.__path__)} - {"__main__"}
    assert named == parts
    loose = {m.name for m in pkgutil.iter_modules(improve.__path__) if not m.ispkg}
    assert loose == {"__main__", "api", "workspace", "errors", "inert", "digest"}


def test_hygiene_check_would_notice_textual():
    """The check above can fail: importing textual shows up in sys.modules."""
    assert "textual" in imported_by(["textual"])


def test_the_command_line_starts_with_click_and_little_else():
    """`import improve.cli` (what `improve --help` and every command pay first) loads no
    terminal library, no database layer, no date parser and none of the core's heavy
    parts: each command imports what it uses (issue 12 item 1). The door (improve.api)
    may be there: it is light, each name loaded from its module when first asked for."""
    loaded = imported_by(["improve.cli"])
    heavy = (
        "textual",
        "rich",
        "sqlite_utils",
        "dateutil",
        "tomlkit",
        "improve.history",
        "improve.plans.model",
        "improve.plans.loader",
        "improve.tui",
        "improve.present",
    )
    assert sorted(m for m in loaded if m.split(".")[0] in heavy or m in heavy) == []
    assert not any(m == h or m.startswith(h + ".") for m in loaded for h in heavy)


def test_help_lists_every_command_without_loading_them():
    out = subprocess.run(
        [sys.executable, "-c", "import sys; from improve.cli import cli\n"
         "try:\n    cli(['--help'], prog_name='improve')\nexcept SystemExit:\n    pass\n"
         "print(','.join(sorted(sys.modules)))"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    *help_lines, modules = out.stdout.strip().split("\n")
    assert "review" in "\n".join(help_lines) and "report" in "\n".join(help_lines)
    assert not {"sqlite_utils", "textual", "rich", "improve.plans.loader"} & set(modules.split(","))


def test_the_history_loads_its_store_review_and_replay_only_when_asked():
    """A run that finds nothing to record reads the history with plain sqlite3
    (history/quick.py): the store, sqlite-utils and the migrations stay unloaded."""
    loaded = imported_by(["improve.history", "improve.history.quick", "improve.workspace"])
    assert (
        not {
            "improve.history.store",
            "improve.history.migrations",
            "sqlite_utils",
            "improve.history.changes",
            "improve.history.replay",
            "tomlkit",
        }
        & loaded
    )
    from improve.history import Changes, HistoryStore, direction, plan_as_of

    assert direction("red", "green") == "up"
    assert callable(Changes) and callable(plan_as_of) and callable(HistoryStore)


def test_a_run_answered_from_todays_memo_loads_no_model_rules_or_rich(tmp_path):
    """The second `status` (and `actions --count`) of a day over unchanged files reads
    the memo (improve.speed.dayview) and writes the plain table (cli/plain.py): it imports
    neither the plan model, the rules, the parser nor Rich (issue 12 item 1)."""
    import os
    import shutil

    plans = tmp_path / "plans"
    plans.mkdir()
    for path in (PYPROJECT.parent / "plans").glob("*.toml"):
        shutil.copy(path, plans / path.name)
    env = {**os.environ, "IMPROVE_CACHE": "1", "COLUMNS": "100"}
    code = (
        "import sys\nfrom improve.cli.main import cli\n"
        "try:\n    cli(sys.argv[1:], prog_name='improve')\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write(','.join(sorted(sys.modules)))\n"
    )
    for n, args in enumerate((["status"], ["actions", "--overdue", "--count"])):
        argv = [sys.executable, "-c", code, "--plans", str(plans), "--today", "2017-01-05", *args]
        first = subprocess.run(argv, capture_output=True, text=True, env=env, check=True)
        second = subprocess.run(argv, capture_output=True, text=True, env=env, check=True)
        assert second.stdout == first.stdout
        loaded = set(second.stderr.split(","))
        if n == 0:  # the day's first run parses and works the rules out (the test can fail)
            assert {"improve.status.rules", "improve.plans.model", "tomllib"} <= set(
                first.stderr.split(",")
            )
        heavy = {"rich", "improve.plans.model", "improve.status.rules", "improve.plans.loader", "tomllib",
                 "improve.workspace", "textual"}  # fmt: skip
        assert heavy & loaded == set(), args
