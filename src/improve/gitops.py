"""The plans folder as part of a git repository: committing the one file a change made.

Only the `git` command is used, never the network: nothing is ever pushed or pulled here,
and git runs no other program (no hook, filter, file-system monitor or signing: every
command goes through `gitrun.run`).
A commit holds exactly the plan file that was changed, and is never made when that file
had other changes not yet committed before this one (they would be committed under this
change's name); the change is then kept, and said to be left uncommitted.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from . import gitrun

GIT_TIMEOUT = 30  # seconds: a git that hangs (a lock, a prompt) is an error, not a wait


@dataclass
class Committed:
    commit: str | None  # the new commit's id, or None when it was not made
    why_not: str | None = None  # why not, in a sentence
    detached: bool = False  # made on a detached HEAD: on no branch


def _git(
    args: list[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`git ARGS` in `cwd` through `gitrun.run` (no hook, filter, monitor, signing or
    transport runs a program), with clean filters emptied for the commands that read the
    work tree; its output as text."""
    done = gitrun.run(args, cwd, timeout=GIT_TIMEOUT, env=env, filters=args[0] in _READ_TREE)
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
    )  # fmt: skip


_READ_TREE = frozenset({"status", "add", "commit"})  # they may pass files through filters


def commit_by_default(env=None) -> bool:
    """IMPROVE_COMMIT=1: commit each change without --commit."""
    env = os.environ if env is None else env
    return env.get("IMPROVE_COMMIT", "").strip().lower() in ("1", "yes", "true")


def work_tree(folder: Path) -> Path | None:
    """The top of the git work tree `folder` is in, or None (no git, or not in one):
    found as the history finds it (gitlog.find_repo), without running git."""
    if shutil.which("git") is None:
        return None
    from .gitlog import find_repo

    repo = find_repo(Path(folder))
    return repo.top if repo is not None else None


def has_changes(path: Path) -> bool | None:
    """Whether a file has changes git has not committed (staged or not; an untracked file
    has none of its own yet); None when git cannot say."""
    try:
        out = _git(["status", "--porcelain", "--ignore-submodules=all", "--", path.name],
                   path.parent)  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode != 0:
        return None
    lines = [ln for ln in out.stdout.splitlines() if ln.strip()]
    return bool(lines) and not all(ln.startswith("??") for ln in lines)


def author_date(day: date | None) -> str | None:
    """The author date for a change made as at `day`: now, on that day (so that every
    clone's history, read from the commit, dates the change as this one does)."""
    if day is None:
        return None
    now = datetime.now().astimezone()
    return datetime.combine(day, now.time().replace(microsecond=0), now.tzinfo).isoformat()


def commit_file(
    path: Path, message: str, author: str, email: str | None, day: date | None = None
) -> Committed:
    """Commit exactly `path` (added if git did not track it yet), authored by `author`
    as at `day` (its author date; the committer's is now)."""
    folder = path.parent
    who = f"{author} <{email or ''}>"
    env: dict[str, str] = {}
    when = author_date(day)
    if when is not None:
        env["GIT_AUTHOR_DATE"] = when
    try:
        configured = _git(["config", "user.name"], folder).stdout.strip()
        if not configured:  # no identity of the machine's own: the author commits it
            env.update({"GIT_COMMITTER_NAME": author, "GIT_COMMITTER_EMAIL": email or ""})
        added = _git(["add", "--", path.name], folder)
        if added.returncode != 0:
            return Committed(None, f"git could not add {path.name}: {_first(added.stderr)}")
        done = _git(
            ["commit", "--quiet", "--no-verify", "--no-gpg-sign", f"--author={who}", "-m",
             message, "--only", "--", path.name],
            folder, env,
        )  # fmt: skip
        if done.returncode != 0:
            return Committed(None, f"git did not commit: {_first(done.stderr or done.stdout)}")
        head = _git(["rev-parse", "HEAD"], folder)
    except (OSError, subprocess.SubprocessError) as exc:
        return Committed(None, f"git could not be run: {exc}")
    made = head.stdout.strip() or None
    return Committed(made, detached=made is not None and _detached(folder))


def _detached(folder: Path) -> bool:
    """Whether HEAD is on no branch (read from the files, as gitlog.head reads it)."""
    from .gitlog import find_repo

    repo = find_repo(folder)
    try:
        text = (repo.git_dir / "HEAD").read_text(encoding="utf-8") if repo else "ref:"
    except OSError:
        return False
    return not text.startswith("ref:")


def detached_warning(commit: str) -> str:
    """What a commit made on a detached HEAD is said with."""
    return (
        f"committed on a detached HEAD (no branch): {commit[:10]} is on no branch, and "
        "checking out a branch leaves it behind; `git switch -c NAME` makes one for it"
    )


def _first(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return lines[0] if lines else "no reason given"


@dataclass
class Before:
    """What a commit of a change needs to know before the change is written."""

    path: Path
    why_not: str | None  # the reason it will not be committed, if already known


def before_change(path: Path) -> Before:
    if work_tree(path.parent) is None:
        return Before(path, "the plans folder is not in a git work tree")
    dirty = has_changes(path)
    if dirty is None:
        return Before(path, "git could not say whether it had other changes")
    if dirty:
        return Before(
            path,
            f"{path.name} already had changes not committed before this one; commit "
            "them first, or commit the file yourself",
        )
    return Before(path, None)


def commit_message(target: str, changes: list[str], note: str | None) -> str:
    """`plan:ref percent 25 → 50: Draft policy out for comment`."""
    said = "; ".join(changes) or "updated"
    return f"{target} {said}" + (f": {note}" if note else "")


def commit_update(
    before: Before, done, note: str | None, by: str | None, plans: Path, day: date | None = None
) -> None:
    """Commit the file an update changed, as by `by` (with the email plans/people.toml
    gives that person), setting `done.committed` and `done.commit_note` (why it was not
    committed, or that the commit is on no branch)."""
    if before.why_not is not None:
        done.commit_note = f"not committed: {before.why_not}"
        return
    from .people import load_people

    person = load_people(plans).person(by)
    author = by or _git(["config", "user.name"], before.path.parent).stdout.strip() or "improve"
    email = person.email if person else None
    made = commit_file(before.path, commit_message(str(done.target), done.changes, note),
                       author, email, day)  # fmt: skip
    done.committed = made.commit
    if made.why_not:
        done.commit_note = f"not committed: {made.why_not}"
    elif made.commit and made.detached:
        done.commit_note = detached_warning(made.commit)
