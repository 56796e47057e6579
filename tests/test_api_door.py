"""`improve.api` is the one door into the library (issue 26 point 2): the front ends
(cli, tui, present) import the core only through it, and it is light, so that the
command line's lazy imports stay lazy: each of its names is imported from the module
that defines it on first use. One table (api.MODULES) says where each name comes from;
the imports mypy reads (under TYPE_CHECKING) and `__all__` say the same."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
import tomllib
from pathlib import Path

import improve
import improve.api as api

SRC = Path(improve.__file__).resolve().parent
FRONT = ("cli", "present", "tui")
PYPROJECT = SRC.parent.parent / "pyproject.toml"


def _contract(start: str) -> dict:
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"]
    (found,) = [c for c in config["contracts"] if c["name"].startswith(start)]
    return found


# every part of the core but the door (the core contract names them all: test_import_hygiene)
CORE = {m.split(".")[1] for m in _contract("The core")["source_modules"]} - {"api"}


def test_the_core_is_what_the_front_ends_must_not_import():
    assert {"plans", "status", "workspace", "errors", "report"} <= CORE
    front = _contract("The front ends")
    assert sorted(front["source_modules"]) == [f"improve.{part}" for part in FRONT]
    assert sorted(front["forbidden_modules"]) == sorted(f"improve.{part}" for part in CORE)


def _api_tree() -> ast.Module:
    return ast.parse((SRC / "api.py").read_text(encoding="utf-8"))


def _type_checking_imports() -> dict[str, tuple[str, str]]:
    """name -> (module, attribute) of every import under `if TYPE_CHECKING:` in api.py."""
    found: dict[str, tuple[str, str]] = {}
    for node in _api_tree().body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for imp in node.body:
                assert isinstance(imp, ast.ImportFrom) and imp.level == 1, ast.unparse(imp)
                for alias in imp.names:
                    found[alias.asname or alias.name] = (f".{imp.module}", alias.name)
    return found


def _own_names() -> set[str]:
    """The functions and classes api.py defines itself (the door's few calls)."""
    return {
        node.name
        for node in _api_tree().body
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and not node.name.startswith("__")
    }


def test_the_table_the_type_checking_imports_and_all_agree():
    imports = _type_checking_imports()
    assert set(imports) == set(api.NAMES)
    for name, (module, attribute) in imports.items():
        assert api.NAMES[name] == module, name
        assert api.ALIASES.get(name, name) == attribute, name
    assert len(api.NAMES) == sum(len(names.split()) for names in api.MODULES.values())
    assert set(api.__all__) == set(api.NAMES) | _own_names()


def test_every_name_of_the_door_resolves_to_its_module_s_own():
    for name in api.__all__:
        value = getattr(api, name)
        if name in api.NAMES:
            module = importlib.import_module(api.NAMES[name], "improve")
            assert value is getattr(module, api.ALIASES.get(name, name)), name


def test_a_name_the_door_does_not_give_is_an_import_error():
    try:
        from improve.api import no_such_name  # type: ignore[attr-defined]  # noqa: F401
    except ImportError as exc:
        assert "no_such_name" in str(exc)
    else:
        raise AssertionError("the door gave a name it does not have")


def test_importing_the_door_loads_none_of_the_core():
    out = subprocess.run(
        [sys.executable, "-c", "import sys, improve.api\nprint(','.join(sorted(sys.modules)))"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    loaded = set(out.stdout.strip().split(","))
    assert sorted(m for m in loaded if m.startswith("improve")) == ["improve", "improve.api"]
    assert not {"tomllib", "sqlite3", "sqlite_utils", "tomlkit", "dateutil"} & loaded
    # and it can fail: a name asked for loads its module then
    out = subprocess.run(
        [sys.executable, "-c", "import sys\nfrom improve.api import display_name\n"
         "print(','.join(sorted(sys.modules)))"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "improve.plans.loader" in out.stdout.strip().split(",")


def _core_imports(path: Path) -> list[str]:
    """Every import in a front-end file of a core module, run-time or TYPE_CHECKING."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    where = path.relative_to(SRC) if path.is_relative_to(SRC) else path
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            parts = (node.module or "").split(".")
            if node.level == 0 and parts[0] == "improve":
                parts = parts[1:]
            elif node.level != 2:
                continue
            if parts == [""] or not parts:  # from .. import api
                parts = [a.name for a in node.names]
            if CORE & set(parts[:1]):
                found.append(f"{where}:{node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "improve" and len(parts) > 1 and parts[1] in CORE:
                    found.append(f"{where}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_the_front_ends_import_the_core_only_through_the_door():
    """What the import contract in pyproject.toml holds for run-time imports, here for
    every import, TYPE_CHECKING ones too (the contract leaves those out)."""
    found = [
        line for part in FRONT for path in sorted((SRC / part).rglob("*.py"))
        for line in _core_imports(path)
    ]  # fmt: skip
    assert found == []


def test_the_check_of_the_front_ends_can_fail(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from ..plans.loader import display_name\nfrom ..api import Plan\n"
        "from .. import workspace\nimport improve.status.rules\n"
    )
    assert len(_core_imports(bad)) == 3
