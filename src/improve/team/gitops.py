"""The plans folder as part of a git repository: committing the one file a change made.

Only the `git` command is used, never the network: nothing is ever pushed or pulled here,
and git runs no other program (no hook, filter, file-system monitor or signing: every
command goes through `gitrun.run`).
A commit holds exactly the plan file that was changed, and is never made when that file
had other changes not yet committed before this one (they would be committed under this
change's name); the change is then kept, and said to be left uncommitted.

Whether a change is committed (the policy every front end follows, through
`Workspace.update` and `share_review`): --commit/--no-commit when said; else
IMPROVE_COMMIT (1/yes/true, 0/no/false); else the plans folder's own setting,
plans/improve.toml:

    [git]
    commit = true          # commit each change, as IMPROVE_COMMIT=1
    hooks = ".githooks"    # the council's commit hooks: a folder git tracks, from the top

The hooks folder is used only when plans/improve.toml and every file in that folder are
tracked by git and unchanged (`tracked_hooks`): a hook is then run as the repository has
it, never from .git/config or .git/hooks, which no clone shares and anyone can plant. A
hook that refuses leaves the change written and uncommitted, said in one line.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import gitrun

if TYPE_CHECKING:
    from ..edits.measure_edit import MeasureUpdated
    from ..edits.saving import Updated
    from ..history.store import HistoryStore
    from ..speed.dayview import DayView
    from ..status.rules import PlanStatus

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


_READ_TREE = frozenset({"status", "add", "commit", "reset"})  # they may pass files through filters


def commit_wanted(
    plans: Path, commit: bool | None, env: Mapping[str, str] | None = None
) -> tuple[bool, str | None]:
    """Whether a change is committed: `commit` when said (--commit/--no-commit), else
    IMPROVE_COMMIT when set, else the folder's setting (plans/improve.toml); with why it
    is not, when that setting cannot be read (the change is made, and not committed)."""
    if commit is not None:
        return commit, None
    env = os.environ if env is None else env
    said = env.get("IMPROVE_COMMIT", "").strip().lower()
    if said in ("1", "yes", "true", "0", "no", "false"):
        return said in ("1", "yes", "true"), None
    found = folder_settings(plans)
    return bool(found.commit), found.problem


SETTINGS = "improve.toml"  # the plans folder's settings: [git] commit, hooks
_SETTING_KEYS = ("commit", "hooks")


@dataclass
class FolderSettings:
    commit: bool | None = None  # [git] commit
    hooks: str | None = None  # [git] hooks: a folder, from the top of the work tree
    problem: str | None = None  # "FILE:LINE:COL: error: …" when the file cannot be used


def folder_settings(plans: Path) -> FolderSettings:
    """plans/improve.toml, or nothing set when there is none."""
    import tomllib

    from .people import _where

    path = Path(plans) / SETTINGS

    def bad(message: str, key: tuple[str, ...] = ()) -> FolderSettings:
        line, col = (1, 1)
        if key:
            from ..plans.folder import locate_in_file

            line, col = locate_in_file(path, key)
        from ..plans.loader import display_name

        return FolderSettings(problem=f"{display_name(path)}:{line}:{col}: error: {message}")

    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return bad(f"{SETTINGS} is not a file; make it a file, or move it aside")
        raw = path.read_bytes()[:65_537]
    except FileNotFoundError:
        return FolderSettings()
    except OSError as exc:
        return bad(f"{SETTINGS} cannot be read: {exc.strerror or exc}")
    if len(raw) > 65_536:
        return bad(f"{SETTINGS} is over 64 KB; it holds only a few settings")
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return bad(f"{SETTINGS} is not UTF-8 text; save it as UTF-8")
    except tomllib.TOMLDecodeError as exc:
        line, col = _where(str(exc))
        found = bad(f"{SETTINGS} is not valid TOML: {exc}")
        found.problem = (found.problem or "").replace(":1:1:", f":{line}:{col}:", 1)
        return found
    wrong = _wrong_setting(data)
    if wrong is not None:
        return bad(*wrong)
    git = data.get("git", {})
    return FolderSettings(git.get("commit"), git.get("hooks"))


def _wrong_setting(data: dict[str, Any]) -> tuple[str, tuple[str, ...]] | None:
    """What is wrong with improve.toml's settings, and the key it is at; None if nothing."""
    for key in data:
        if key != "git":
            return f'unknown table "{key}"; the settings are [git] commit and hooks', (key,)
    git = data.get("git", {})
    if not isinstance(git, dict):
        return "git must be a table: [git]", ("git",)
    for key in git:
        if key not in _SETTING_KEYS:
            return f'unknown key "{key}" in [git]; the keys are commit and hooks', ("git", key)
    commit, hooks = git.get("commit"), git.get("hooks")
    if commit is not None and not isinstance(commit, bool):
        return "commit must be true or false", ("git", "commit")
    if hooks is not None and (
        not isinstance(hooks, str) or not hooks.strip() or not hooks.isprintable()
    ):
        return 'hooks must name a folder the repository tracks: hooks = ".githooks"', (
            "git",
            "hooks",
        )
    return None


def tracked_hooks(plans: Path) -> tuple[Path | None, str | None]:
    """The folder of hooks a commit runs: the one plans/improve.toml names, when that file
    and every file in the folder are tracked by git and unchanged (so a hook runs as the
    repository has it, reviewed and shared, never one planted in a clone). (folder,
    None); (None, None) when no hooks are named; (None, why not) when they cannot be run
    as the repository has them (the commit is then not made)."""
    found = folder_settings(plans)
    if found.problem or found.hooks is None:
        return None, found.problem
    from ..plans.loader import display_name

    setting = Path(plans) / SETTINGS
    top = work_tree(Path(plans))
    if top is None:
        return None, None  # no commit is made outside a work tree
    top = top.resolve()
    named = f"the hooks folder {found.hooks!r} that {display_name(setting)} names"
    folder = (top / found.hooks).resolve()
    if not folder.is_relative_to(top) or folder == top or ".git" in folder.relative_to(top).parts:
        return None, f"{named} is not a folder of the work tree; name one git tracks"
    if not folder.is_dir():
        return None, f"{named} is not there; name a folder git tracks"
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
        rel = folder.relative_to(top).as_posix()
        own = setting.resolve().relative_to(top).as_posix()
        specs = [f":(literal){rel}", f":(literal){own}"]  # no pattern in a name
        listed = _git(["ls-files", "-s", "-z", "--", *specs], top).stdout
        changed = _git(["status", "--porcelain", "-z", "--untracked-files=all",
                        "--ignored=matching", "--", *specs], top)  # fmt: skip
    except (OSError, ValueError, subprocess.SubprocessError) as exc:
        return None, f"{named} could not be checked: {exc}"
    modes = {}
    for row in listed.split("\0"):
        info, tab, path = row.partition("\t")
        if tab:
            modes[path] = info.split(" ")[0]
    if modes.get(own) not in ("100644", "100755"):
        return None, f"{display_name(setting)} names hooks but git does not track it; commit it"
    if changed.returncode != 0:
        return None, f"{named} could not be checked: {_first(changed.stderr)}"
    odd = [e[3:] for e in changed.stdout.split("\0") if len(e) > 3 and e[2] == " "]
    if odd:
        return None, (f"{odd[0]} is changed, untracked or ignored, and the hooks of "
                      f"{display_name(setting)} run only as the repository has them: commit "
                      "it, or remove it")  # fmt: skip
    for entry in entries:  # (a folder's files are in the status above: none changed)
        mode = modes.get(f"{rel}/{entry.name}")
        if entry.is_dir(follow_symlinks=False):
            continue  # git runs no folder as a hook; what a hook reads there is checked
        if not entry.is_file(follow_symlinks=False) or mode not in ("100644", "100755"):
            return None, (f"{rel}/{entry.name} in {named} is not a file git tracks; "
                          "hooks run only as the repository has them")  # fmt: skip
    return folder, None


def work_tree(folder: Path) -> Path | None:
    """The top of the git work tree `folder` is in, or None (no git, or not in one):
    found as the history finds it (gitref.find_repo), without running git."""
    if shutil.which("git") is None:
        return None
    from .gitref import find_repo

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
    path: Path,
    message: str,
    author: str,
    email: str | None,
    day: date | None = None,
    *,
    hooks: Path | None = None,
    no_verify: bool = False,
) -> Committed:
    """Commit exactly `path` (added if git did not track it yet), authored by `author`
    as at `day` (its author date; the committer's is now). `hooks`: the folder of hooks
    to run (tracked_hooks), none when None; `no_verify`: not pre-commit nor commit-msg.
    A commit refused (by a hook) leaves the file as it was in the index."""
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
        done = gitrun.run(
            ["commit", "--quiet", *(["--no-verify"] if no_verify else []), "--no-gpg-sign",
             f"--author={who}", "-m", message, "--only", "--", path.name],
            folder, timeout=GIT_TIMEOUT, env=env, filters=True, hooks=hooks,
        )  # fmt: skip
        if done.returncode != 0:
            said = _first((done.stderr or done.stdout).decode("utf-8", "replace"))
            _git(["reset", "-q", "--", path.name], folder)  # unstaged again, as it was
            if hooks is not None:
                return Committed(None, f"the repository's commit hooks ({hooks.name}) "
                                 f"refused it: {said}")  # fmt: skip
            return Committed(None, f"git did not commit: {said}")
        head = _git(["rev-parse", "HEAD"], folder)
    except (OSError, subprocess.SubprocessError) as exc:
        return Committed(None, f"git could not be run: {exc}")
    made = head.stdout.strip() or None
    return Committed(made, detached=made is not None and _detached(folder))


def _detached(folder: Path) -> bool:
    """Whether HEAD is on no branch (read from the files, as gitref.head reads it)."""
    from .gitref import find_repo

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
    before: Before,
    done: Updated | MeasureUpdated,
    note: str | None,
    by: str | None,
    plans: Path,
    day: date | None = None,
    *,
    no_verify: bool = False,
) -> None:
    """Commit the file an update changed, as by `by` (with the email plans/people.toml
    gives that person), setting `done.committed` and `done.commit_note` (why it was not
    committed, or that the commit is on no branch)."""
    made = _commit_as(before, commit_message(str(done.target), done.changes, note), by,
                      plans, day, no_verify)  # fmt: skip
    done.committed = made.commit
    if made.why_not:
        done.commit_note = f"not committed: {made.why_not}"
    elif made.commit and made.detached:
        done.commit_note = detached_warning(made.commit)


def _commit_as(
    before: Before, message: str, by: str | None, plans: Path, day: date | None, no_verify: bool
) -> Committed:
    if before.why_not is not None:
        return Committed(None, before.why_not)
    hooks, why_not = tracked_hooks(plans)
    if why_not is not None:
        return Committed(None, why_not)
    from .people import load_people

    person = load_people(plans).person(by)
    author = by or _git(["config", "user.name"], before.path.parent).stdout.strip() or "improve"
    email = person.email if person else None
    return commit_file(before.path, message, author, email, day, hooks=hooks,
                       no_verify=no_verify)  # fmt: skip


@dataclass
class SharedReview:
    """A review recorded, with its file in plans/reviews, and its commit."""

    review_id: int
    path: Path
    committed: str | None = None
    commit_note: str | None = None  # why it was not committed, or that it is on no branch


def share_review(
    store: HistoryStore,
    statuses: list[PlanStatus] | DayView,
    today: date,
    note: str | None,
    attendees: Iterable[str],
    by: str | None,
    plans: Path,
    *,
    commit: bool | None = None,
    no_verify: bool = False,
    env: Mapping[str, str] | None = None,
) -> SharedReview:
    """Record a review in the history and as plans/reviews/DATE.toml, all or nothing
    (HistoryError when the file cannot be written), then commit that file alone when the
    policy says (commit_wanted): the one call for `review record` and the app's.
    `statuses`: the plans' statuses, or today's view when it has nothing to record (the
    review then copies each plan's state: history/review_record.py)."""
    rid = store.record_review(statuses, today, note, attendees, by, plans=plans)
    path = store.write_review_file(rid, plans)
    message = f"Review of {today.isoformat()}" + (f": {note}" if note else "")
    committed, note_ = _commit_if_wanted(path, message, by, plans, today, commit, no_verify, env)
    return SharedReview(rid, path, committed, note_)


@dataclass
class SharedReported:
    """That plans were reported to a body for a meeting: recorded in the history and as
    plans/reported/MEETING-BODY-KEY.toml, and that file's commit."""

    path: Path | None  # None: the history has it, the folder has no file of it
    committed: str | None = None
    commit_note: str | None = None  # why it was not committed, or that it is on no branch


def share_reported(
    store: HistoryStore,
    plan_ids: Iterable[str],
    body: str,
    meeting: date,
    today: date,
    by: str | None,
    fmt: str | None,
    plans: Path,
    *,
    commit: bool | None = None,
    no_verify: bool = False,
    env: Mapping[str, str] | None = None,
) -> SharedReported:
    """Record that the plans were reported to `body` for its meeting on `meeting`, in the
    history and in plans/reported (all or nothing), then commit that file alone when the
    policy says (commit_wanted), as by `by`: the one call for `report --for`, as
    share_review is for a review."""
    path = store.record_reported(plan_ids, body, meeting, today, by, fmt, plans=plans)
    if path is None:
        return SharedReported(None)
    message = f"Reported to {' '.join(body.split())} for its meeting on {meeting.isoformat()}"
    committed, note = _commit_if_wanted(path, message, by, plans, today, commit, no_verify, env)
    return SharedReported(path, committed, note)


def _commit_if_wanted(
    path: Path,
    message: str,
    by: str | None,
    plans: Path,
    today: date,
    commit: bool | None,
    no_verify: bool,
    env: Mapping[str, str] | None,
) -> tuple[str | None, str | None]:
    """A recorded file committed alone when the policy says: the commit, and why it was
    not (or that it is on no branch)."""
    wanted, why_not = commit_wanted(plans, commit, env)
    note = f"not committed: {why_not}" if why_not is not None else None
    if not wanted:
        return None, note
    made = _commit_as(before_change(path), message, by, plans, today, no_verify)
    if made.why_not:
        return made.commit, f"not committed: {made.why_not}"
    if made.commit and made.detached:
        return made.commit, detached_warning(made.commit)
    return made.commit, note
