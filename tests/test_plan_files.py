"""plans.files.plan_files: the plan files of a folder as `glob("*.toml")` finds them, in
name order, at a per-file cost that does not grow (issue 27: 10,000 one-action files)."""

from __future__ import annotations

import os
from pathlib import Path, PurePath

from improve.plans.files import NOT_PLANS, plan_files


def _by_glob(folder: Path) -> list[Path]:
    """What plan_files gave before (the oracle)."""
    return sorted(p for p in folder.glob("*.toml") if p.is_file() and p.name not in NOT_PLANS)


def test_the_files_are_those_glob_finds_in_name_order(tmp_path):
    for name in ("b.toml", "a.toml", "B.toml", ".hidden.toml", ".toml", "é.toml", "z.TOML",
                 "people.toml", "improve.toml", "notes.txt", "a.toml.bak"):  # fmt: skip
        (tmp_path / name).write_text("")
    (tmp_path / "dir.toml").mkdir()
    (tmp_path / "target.txt").write_text("")
    os.symlink(tmp_path / "target.txt", tmp_path / "linked.toml")
    os.symlink(tmp_path / "gone", tmp_path / "broken.toml")
    os.symlink(tmp_path / "dir.toml", tmp_path / "dirlink.toml")
    assert plan_files(tmp_path) == _by_glob(tmp_path)
    assert [p.name for p in plan_files(tmp_path)][:3] == [".hidden.toml", ".toml", "B.toml"]
    assert plan_files(tmp_path / "missing") == []


def test_no_path_is_compared_to_another(tmp_path, monkeypatch):
    """Sorting Path objects compared 17,000 pairs for 1,000 files, each building its parts:
    the names are sorted as strings."""
    for n in range(200):
        (tmp_path / f"plan-{(n * 37) % 200:03d}.toml").write_text("")
    compared = []
    real = PurePath.__lt__

    def counted(a: PurePath, b: PurePath) -> bool:
        compared.append(1)
        return real(a, b)

    monkeypatch.setattr(PurePath, "__lt__", counted)
    found = plan_files(tmp_path)
    assert [p.name for p in found] == [f"plan-{n:03d}.toml" for n in range(200)]
    assert compared == []
