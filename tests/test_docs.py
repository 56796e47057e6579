"""The docs say what the code does: every JSON key a command prints is documented, and
CONTRIBUTING.md names the modules that exist (test_cli checks every command is in the README)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from improve.cli import cli

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2017-01-05"


def keys(obj, found=None) -> set[str]:
    found = set() if found is None else found
    if isinstance(obj, dict):
        for key, value in obj.items():
            found.add(key)
            keys(value, found)
    elif isinstance(obj, list):
        for value in obj:
            keys(value, found)
    return found


def test_every_key_of_status_and_actions_json_is_documented(plans, tmp_path):
    docs = (ROOT / "docs" / "json.md").read_text(encoding="utf-8")
    base = ["--plans", str(plans), "--today", TODAY, "--db", str(tmp_path / "h.db")]
    (plans / "broken.toml").write_text("[plan\n")
    for command in (["status", "--json"], ["actions", "--json"]):
        out = CliRunner().invoke(cli, [*base, *command], catch_exceptions=False).stdout
        for key in sorted(keys(json.loads(out))):
            assert f'"{key}"' in docs, (command, key)


def test_contributing_names_only_modules_that_exist():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:\w+/)?\w+\.py)`", text))
    assert named, "CONTRIBUTING.md names the modules"
    src = ROOT / "src" / "improve"
    missing = [n for n in named if not (src / n).exists() and not (ROOT / n).exists()]
    assert missing == []


def test_contributings_picture_shows_every_folder_of_the_package():
    """The layer picture in CONTRIBUTING.md matches the folders: each package is drawn."""
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    picture = text.split("## The layers", 1)[1].split("```")[1]
    src = ROOT / "src" / "improve"
    folders = sorted(p.name for p in src.iterdir() if (p / "__init__.py").exists())
    assert [f for f in folders if f"{f}/" not in picture] == []


def test_every_command_is_in_the_readme():
    """Every command and subcommand the command line has is in the README's table."""
    import click

    from improve.cli import cli

    readme = (ROOT / "README.md").read_text("utf-8")

    def names(group: click.Group, prefix: str):
        for name, command in group.commands.items():
            full = f"{prefix} {name}"
            if isinstance(command, click.Group):
                yield from names(command, full)
            else:
                yield full

    missing = [
        n for n in names(cli, "improve") if f"`{n} " not in readme and f"`{n}`" not in readme
    ]
    assert missing == []
