"""What the git tests share: running git in a test repository, a pair of clones of one
plans folder, a repository with hooks planted in it."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

from helpers import SAMPLE, clean_env, write

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Set Up", "GIT_AUTHOR_EMAIL": "setup@example.org",
    "GIT_COMMITTER_NAME": "Set Up", "GIT_COMMITTER_EMAIL": "setup@example.org",
    "GIT_AUTHOR_DATE": "2017-01-02T09:00:00+00:00", "GIT_COMMITTER_DATE": "2017-01-02T09:00:00+00:00",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}  # fmt: skip


def git(repo: Path, *args: str, env: dict | None = None) -> str:
    out = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True,
                         env={**os.environ, **GIT_ENV, **(env or {})})  # fmt: skip
    return out.stdout


def clone_pair(tmp_path: Path, monkeypatch, files: dict[str, str], env: dict | None = None):
    """A plans repository of `files` (one commit, by `env`'s author, or "Set Up"), a bare
    remote of it and two clones, a and b: no identity of the machine's own."""
    clean_env(monkeypatch, tmp_path)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    seed = tmp_path / "seed"
    (seed / "plans").mkdir(parents=True)
    for name, text in files.items():
        write(seed / "plans", name, text)
    (seed / ".gitignore").write_text(".improve/\n")
    git(seed, "init", "-q", "-b", "main")
    git(seed, "add", ".")
    git(seed, "commit", "-q", "-m", "The plans", env=env)
    git(tmp_path, "clone", "-q", "--bare", str(seed), "remote.git")
    for name in ("a", "b"):
        git(tmp_path, "clone", "-q", "remote.git", name)
    return tmp_path / "a", tmp_path / "b"


HOOKS = ("pre-commit", "prepare-commit-msg", "commit-msg", "post-commit",
         "reference-transaction", "post-index-change", "pre-auto-gc", "post-checkout")  # fmt: skip


def program(tmp_path: Path) -> str:
    """A program that leaves a mark in tmp_path/MARKS when it runs (and passes its input
    on, as a filter would)."""
    path = tmp_path / "evil.sh"
    path.write_text(f'#!/bin/sh\necho "$0 $*" >> "{tmp_path / "MARKS"}"\ncat\n')
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return str(path)


def plant_hooks_path(repo, evil):
    hooks = repo.parent / "hooks"
    hooks.mkdir()
    for name in HOOKS:
        shutil.copy(evil, hooks / name)
    git(repo, "config", "core.hooksPath", str(hooks))


def plant_own_hooks(repo, evil):
    for name in HOOKS:
        shutil.copy(evil, repo / ".git" / "hooks" / name)


def make_repo(tmp_path: Path, monkeypatch) -> Path:
    clean_env(monkeypatch, tmp_path)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    root = tmp_path / "council"
    (root / "plans").mkdir(parents=True)
    write(root / "plans", "sample.toml", SAMPLE)
    (root / ".gitignore").write_text(".improve/\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "The plans")
    return root
