"""Where the plans' git HEAD is, read from the files under `.git` (a loose ref,
`packed-refs`, a detached HEAD, a linked work tree's `commondir`): no process, no git,
about 0.15 ms. Every run asks it (is there a commit the history has not read?), so it is
kept apart from the log's reading (gitlog.py), which only a run with commits to read
needs."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

_HASH = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")


@dataclass(frozen=True)
class Repo:
    top: Path  # the work tree
    git_dir: Path  # its .git folder (or the folder a .git file points to)
    common_dir: Path  # where refs live (differs from git_dir in a linked work tree)


def find_repo(folder: Path) -> Repo | None:
    """The git work tree `folder` is in, found by looking for `.git` upwards (as git
    does, without running it); None when there is none."""
    here = Path(os.path.realpath(folder))  # as git finds it, through links
    for place in (here, *here.parents):
        dot = place / ".git"
        try:
            if dot.is_dir():
                git_dir = dot
            elif dot.is_file():
                text = dot.read_text(encoding="utf-8", errors="replace").strip()
                if not text.startswith("gitdir:"):
                    return None
                git_dir = (place / text[len("gitdir:") :].strip()).resolve()
            else:
                continue
        except OSError:
            return None
        common = git_dir
        try:
            pointer = (git_dir / "commondir").read_text(encoding="utf-8").strip()
            common = (git_dir / pointer).resolve()
        except OSError:
            pass
        return Repo(place, git_dir, common)
    return None


def head(repo: Repo) -> str | None:
    """The commit HEAD is at, read from the files (loose ref, packed-refs or a detached
    HEAD); None when there is no commit yet, or the files say something unexpected."""
    try:
        text = (repo.git_dir / "HEAD").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    for _ in range(5):  # a symbolic ref may point at another
        if _HASH.match(text):
            return text
        if not text.startswith("ref:"):
            return None
        ref = text[4:].strip()
        if ".." in ref or not ref.startswith("refs/"):
            return None
        loose = None
        for base in (repo.git_dir, repo.common_dir):
            try:
                loose = (base / ref).read_text(encoding="utf-8").strip()
                break
            except OSError:
                continue
        if loose is None:
            return _packed(repo, ref)
        text = loose
    return None


def _packed(repo: Repo, ref: str) -> str | None:
    try:
        lines = (repo.common_dir / "packed-refs").read_text(encoding="utf-8").splitlines()
    except OSError:
        return None  # a branch with no commit yet, or refs kept in another way (reftable)
    for line in lines:
        parts = line.split(" ", 1)
        if len(parts) == 2 and parts[1] == ref and _HASH.match(parts[0]):
            return parts[0]
    return None


UNKNOWN = "?"  # quick_head: a repository whose HEAD cannot be read from its files


def history_on(env: Mapping[str, str] | None = None) -> bool:
    """IMPROVE_GIT=0 turns history from commits off (everything is then as without git)."""
    env = os.environ if env is None else env
    return env.get("IMPROVE_GIT", "1").strip().lower() not in ("0", "off", "no", "false")


def quick_head(plans: Path, env: Mapping[str, str] | None = None) -> str | None:
    """HEAD of the plans' repository, without running git: None outside one (or with
    history from commits off), UNKNOWN when the files do not say."""
    if not history_on(env):
        return None
    repo = find_repo(plans)
    if repo is None:
        return None
    return head(repo) or UNKNOWN
