"""Reading the plans' git log: which commits changed which plan files, by whom, when.

Only the `git` command is run, and only to read (`git log`, `git cat-file`); nothing here
writes to the repository or reaches the network, and git runs no other program (every
command goes through `gitrun.run`). Where HEAD is costs no process: it is read from the
files under `.git` (`head`), so a run with nothing new to read stays as fast as one
outside git. Anything unexpected (no git, a repository this cannot read, a
git that fails) is None or a `GitLogError`: the history then carries on as without git.

    repo = find_repo(plans)                     # None outside a git work tree
    head(repo)                                  # the commit HEAD is at, or None
    commits = plan_commits(repo, plans, since)  # oldest first, each with its plan files
    texts = blobs(repo, ids)                    # blob id → bytes, in one `git cat-file`
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..plans.files import NOT_PLANS
from .gitref import UNKNOWN as UNKNOWN  # where HEAD is, read from the files: gitref.py
from .gitref import Repo as Repo
from .gitref import find_repo as find_repo
from .gitref import head as head
from .gitref import history_on as history_on
from .gitref import quick_head as quick_head

if TYPE_CHECKING:
    from ..history.commits import CommitsResult
    from ..history.store import HistoryStore

GIT_TIMEOUT = 120  # seconds: reading a long log is slow, but a git that hangs is an error
_ZERO = re.compile(r"^0+$")


class GitLogError(Exception):
    """git could not be read (the message says why, in a sentence)."""


@dataclass(frozen=True)
class FileChange:
    path: str  # relative to the work tree, as git names it
    old: str | None  # blob id before the commit (None: the file was added)
    new: str | None  # blob id after it (None: the file was deleted)


@dataclass(frozen=True)
class Commit:
    id: str
    author: str
    email: str
    authored: datetime  # with the author's own offset: its date is the author's day
    files: tuple[FileChange, ...] = field(default=())

    @property
    def day(self) -> date:
        return self.authored.date()


def _git(repo: Repo, args: list[str], data: bytes | None = None) -> bytes:
    import shutil  # here: a run that only asks where HEAD is (quick_head) runs no process
    import subprocess

    from . import gitrun

    if shutil.which("git") is None:
        raise GitLogError("git is not installed")
    try:
        done = gitrun.run(["-c", "core.quotePath=false", *args], repo.top, data=data,
                          timeout=GIT_TIMEOUT, env={"LC_ALL": "C"})  # fmt: skip
    except (OSError, subprocess.SubprocessError) as exc:
        raise GitLogError(f"git could not be run: {exc}") from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitLogError(f"git {args[0]} failed: {said[0] if said else 'no reason given'}")
    return done.stdout


def _folder(repo: Repo, plans: Path) -> str:
    rel = os.path.relpath(os.path.realpath(plans), os.path.realpath(repo.top))
    if rel == "." or rel == "":
        return ""
    if rel.startswith(".."):
        raise GitLogError(f"{plans} is not inside the work tree {repo.top}")
    return rel.replace(os.sep, "/") + "/"


def plan_commits(repo: Repo, plans: Path, since: str | None, until: str) -> list[Commit]:
    """Every commit but merges that changed a plan file of `plans` (its *.toml, not
    people.toml, not reviews/), reachable from `until` and not from `since`, oldest first
    (parents before children)."""
    folder = _folder(repo, plans)
    spec = f":(glob){_glob_escape(folder)}*.toml"
    revs = [until] if since is None else [until, f"^{since}"]
    out = _git(
        repo,
        ["log", "--reverse", "--topo-order", "--no-merges", "--no-renames", "--raw",
         "--no-abbrev", "-z", "--no-show-signature", "--no-ext-diff", "--no-textconv",
         "--format=%x1e%H%x1f%an%x1f%ae%x1f%aI", *revs, "--", spec],
    )  # fmt: skip
    commits = []
    for record in out.split(b"\x1e")[1:]:
        header, _, rest = record.partition(b"\x00")
        parts = header.decode("utf-8", "replace").split("\x1f")
        if len(parts) != 4:
            raise GitLogError("git log said something this version cannot read")
        cid, author, email, when = parts
        try:
            authored = datetime.fromisoformat(when.strip())
        except ValueError:
            raise GitLogError(f"commit {cid[:12]} has an author date this cannot read") from None
        files = []
        tokens = rest.lstrip(b"\n").split(b"\x00")
        for meta, raw_path in zip(tokens[0::2], tokens[1::2], strict=False):
            fields = meta.decode("ascii", "replace").split()
            if len(fields) < 5:
                continue
            path = raw_path.decode("utf-8", "surrogateescape")
            if path.rsplit("/", 1)[-1] in NOT_PLANS:
                continue
            old, new = fields[2], fields[3]
            files.append(
                FileChange(
                    path, None if _ZERO.match(old) else old, None if _ZERO.match(new) else new
                )
            )
        if files:
            commits.append(Commit(cid, author, email, authored, tuple(files)))
    return commits


def _glob_escape(text: str) -> str:
    return re.sub(r"([*?\[\]\\])", r"\\\1", text)


def blobs(repo: Repo, ids: list[str]) -> dict[str, bytes]:
    """The contents of these blobs, read by one `git cat-file --batch`."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return {}
    out = _git(repo, ["cat-file", "--batch"], ("\n".join(wanted) + "\n").encode())
    found: dict[str, bytes] = {}
    at = 0
    for blob in wanted:
        end = out.index(b"\n", at)
        header = out[at:end].decode("ascii", "replace").split()
        at = end + 1
        if len(header) != 3 or header[1] != "blob":
            continue  # missing (a shallow clone): that file is left out of the replay
        size = int(header[2])
        found[blob] = out[at : at + size]
        at += size + 1
    return found


def author_names(plans: Path) -> Callable[[str, str], str]:
    """Who a commit is by: the name plans/people.toml gives its author's email, else the
    name git has, exactly (control characters and all: it is made inert where it is
    shown, as all text from many hands is), else the email."""
    from .people import load_people

    people = load_people(plans)
    by_email = {p.email.casefold(): p.name for p in people.persons if p.email}

    def who(name: str, email: str) -> str:
        known = by_email.get(email.strip().casefold()) if email else None
        return known or (name if name.strip() else "") or email or "unknown"

    return who


LONG_LOG = 500  # commits: reading more is said first (it takes a while, once)


def read_into(
    store: HistoryStore,
    plans: Path,
    today: date,
    repo: Repo | None = None,
    say: Callable[[str], None] | None = None,
) -> CommitsResult | None:
    """Record in the history the commits of the plans' repository it has not read yet
    (history/commits.py); None when there is nothing to read (no repository, no commit,
    HEAD read already). GitLogError when git cannot be read; nothing is recorded then."""
    repo = repo if repo is not None else find_repo(plans)
    if repo is None:
        return None
    now = head(repo)
    if now is None:
        try:
            now = _git(repo, ["rev-parse", "--verify", "-q", "HEAD"]).decode().strip() or None
        except GitLogError:
            return None  # no commit yet
    if now is None:
        return None
    stored, empty, any_read = store.git_state()
    if stored == now:
        return None
    if stored is None and not empty and not any_read:
        # a history kept before the plans were in git: it goes on from here
        store.set_git_head(now)
        return None
    try:
        commits = plan_commits(repo, plans, stored, now)
    except GitLogError:
        if stored is None:
            raise
        commits = plan_commits(repo, plans, None, now)  # HEAD moved off what was read
    if say is not None and len(commits) > LONG_LOG:
        say(
            f"reading {len(commits):,} commits of the plans into the history; this is done "
            "once, and takes a while (about a minute for 5,000 commits of large plans)"
        )
    done: CommitsResult = store.record_commits(
        commits, lambda ids: blobs(repo, ids), now, plans, today, author_names(plans)
    )
    return done
