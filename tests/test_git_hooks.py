"""The commit policy and a council's own hooks (issue 22 item 3): IMPROVE_COMMIT=1 or the
folder's setting (plans/improve.toml, `[git] commit = true`) commits each change; hooks run
only from a folder the repository tracks, named by plans/improve.toml tracked and
unchanged (`[git] hooks = ".githooks"`); a hook that refuses leaves the plan written and
says so in one warning line; `--no-verify` skips pre-commit and commit-msg. Hooks named
by .git/config or kept in .git/hooks never run (tests/test_git_safety.py). Real
repositories, made with the git command."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest

from git_helpers import clone_pair, git, make_repo, plant_hooks_path, plant_own_hooks, program
from helpers import SAMPLE

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def run(repo: Path, *args: str, env: dict | None = None):
    from click.testing import CliRunner

    from improve.cli import cli

    r = CliRunner().invoke(cli, ["--plans", str(repo / "plans"), "--today", "2017-01-05", *args],
                           env=env, catch_exceptions=False)  # fmt: skip
    assert r.exit_code == 0, r.output
    return r


def hook(folder: Path, name: str, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def commits(repo: Path) -> int:
    return len(git(repo, "log", "--oneline").splitlines())


def with_hooks(tmp_path, monkeypatch, body: str) -> Path:
    """A plans repository whose tracked plans/improve.toml names its tracked .githooks,
    holding a pre-commit hook of `body`."""
    repo = make_repo(tmp_path, monkeypatch)
    hook(repo / ".githooks", "pre-commit", body)
    (repo / "plans" / "improve.toml").write_text('[git]\nhooks = ".githooks"\n')
    git(repo, "add", ".githooks", "plans/improve.toml")
    git(repo, "commit", "-q", "-m", "Our hooks")
    return repo


def test_the_folder_setting_commits_each_change_and_improve_commit_0_does_not(
    tmp_path, monkeypatch
):
    repo = make_repo(tmp_path, monkeypatch)
    (repo / "plans" / "improve.toml").write_text("[git]\ncommit = true\n")
    git(repo, "add", "plans/improve.toml")
    git(repo, "commit", "-q", "-m", "Commit every change")
    r = run(repo, "status")
    assert "improve.toml" not in r.output  # never read as a plan
    r = run(repo, "update", "sample:1.1.1", "--percent", "60", "--by", "Jo")
    assert "Committed " in r.stdout and commits(repo) == 3
    assert git(repo, "log", "-1", "--format=%an|%s") == "Jo|sample:1.1.1 percent 50 → 60\n"
    r = run(repo, "update", "sample:1.1.1", "--percent", "65", env={"IMPROVE_COMMIT": "0"})
    assert "Committed" not in r.stdout and commits(repo) == 3


def test_a_bad_setting_file_leaves_the_change_made_and_uncommitted(tmp_path, monkeypatch):
    repo = make_repo(tmp_path, monkeypatch)
    (repo / "plans" / "improve.toml").write_text("[git]\ncommit = yes\n")
    r = run(repo, "update", "sample:1.1.1", "--percent", "60")
    assert "percent = 60" in (repo / "plans" / "sample.toml").read_text()
    assert r.stderr.count("\n") == 1 and "improve: warning: not committed: " in r.stderr
    assert "plans/improve.toml:2:" in r.stderr and commits(repo) == 1


def test_the_councils_tracked_hooks_run_and_one_that_refuses_stops_the_commit(
    tmp_path, monkeypatch
):
    marks = tmp_path / "MARKS"
    repo = with_hooks(tmp_path, monkeypatch, f'echo pre-commit >> "{marks}"\n')
    r = run(repo, "update", "sample:1.1.1", "--percent", "60", "--by", "Jo", "--commit")
    assert "Committed " in r.stdout and marks.read_text() == "pre-commit\n"
    assert commits(repo) == 3
    hook(repo / ".githooks", "pre-commit", 'echo "plans must pass improve check" >&2\nexit 1\n')
    git(repo, "commit", "-q", "-am", "A hook that refuses")
    r = run(repo, "update", "sample:1.1.1", "--percent", "70", "--by", "Jo", "--commit")
    assert "percent = 70" in (repo / "plans" / "sample.toml").read_text()  # written
    assert commits(repo) == 4 and "Committed" not in r.stdout
    assert r.stderr == (
        "improve: warning: not committed: the repository's commit hooks (.githooks) refused "
        "it: plans must pass improve check\n"
    )
    assert git(repo, "diff", "--cached", "--name-only") == ""  # nothing left staged
    # --no-verify: pre-commit does not run (the plan file had changes: committed by hand)
    git(repo, "commit", "-q", "--no-verify", "-am", "by hand")
    r = run(repo, "update", "sample:1.1.1", "--percent", "80", "--commit", "--no-verify")
    assert "Committed " in r.stdout and commits(repo) == 6


def test_a_review_recorded_runs_the_hooks_too(tmp_path, monkeypatch):
    marks = tmp_path / "MARKS"
    repo = with_hooks(
        tmp_path, monkeypatch, f'echo "$(git diff --cached --name-only)" >> "{marks}"\n'
    )
    r = run(repo, "review", "record", "--note", "SLT", "--by", "PT", "--commit")
    assert "Committed " in r.stdout
    assert marks.read_text() == "plans/reviews/2017-01-05.toml\n"
    r = run(repo, "review", "record", "--note", "again", "--commit", "--no-verify")
    assert "Committed " in r.stdout and marks.read_text().count("\n") == 1


@pytest.mark.parametrize("how", ["untracked hook", "setting changed", "setting untracked",
                                 "outside the tree", "a symlink"])  # fmt: skip
def test_hooks_not_tracked_as_they_are_never_run(tmp_path, monkeypatch, how):
    marks = tmp_path / "MARKS"
    body = f'echo ran >> "{marks}"\n'
    repo = with_hooks(tmp_path, monkeypatch, "exit 0\n")
    setting = repo / "plans" / "improve.toml"
    if how == "untracked hook":
        hook(repo / ".githooks", "post-commit", body)
    elif how == "setting changed":
        hook(tmp_path / "mine", "pre-commit", body)
        setting.write_text('[git]\nhooks = ".githooks2"\n')
        shutil.copytree(tmp_path / "mine", repo / ".githooks2")
    elif how == "setting untracked":
        git(repo, "rm", "-q", "--cached", "plans/improve.toml")
        git(repo, "commit", "-q", "-m", "untracked")
        hook(repo / ".githooks", "pre-commit", body)
        git(repo, "commit", "-q", "-am", "a hook that marks")
    elif how == "outside the tree":
        hook(tmp_path / "elsewhere", "pre-commit", body)
        setting.write_text(f'[git]\nhooks = "{tmp_path / "elsewhere"}"\n')
        git(repo, "commit", "-q", "-am", "hooks outside")
    else:
        hook(tmp_path / "elsewhere", "pre-commit", body)
        (repo / ".githooks" / "pre-commit").unlink()
        (repo / ".githooks" / "pre-commit").symlink_to(tmp_path / "elsewhere" / "pre-commit")
        git(repo, "add", ".githooks")
        git(repo, "commit", "-q", "-m", "a link")
    before = commits(repo)
    r = run(repo, "update", "sample:1.1.1", "--percent", "60", "--commit")
    assert not marks.exists()
    assert "percent = 60" in (repo / "plans" / "sample.toml").read_text()
    assert commits(repo) == before and "improve: warning: not committed: " in r.stderr, r.output


@pytest.mark.parametrize("plant", [plant_hooks_path, plant_own_hooks])
def test_hooks_named_by_git_config_still_never_run(tmp_path, monkeypatch, plant):
    marks = tmp_path / "MARKS"
    repo = with_hooks(tmp_path, monkeypatch, f'echo ours >> "{marks}"\n')
    plant(repo, program(tmp_path))
    r = run(repo, "update", "sample:1.1.1", "--percent", "60", "--commit")
    assert "Committed " in r.stdout and marks.read_text() == "ours\n"  # no "evil.sh" line


def test_a_teams_setting_and_hooks_reach_the_other_clone(tmp_path, monkeypatch):
    marks = tmp_path / "MARKS"
    a, b = clone_pair(tmp_path, monkeypatch, {"sample.toml": SAMPLE})
    hook(a / ".githooks", "pre-commit", f'echo "$(basename "$PWD")" >> "{marks}"\n')
    hook(a / ".githooks" / "lib", "helper.sh", "true\n")  # a folder of helpers is allowed
    (a / "plans" / "improve.toml").write_text('[git]\ncommit = true\nhooks = ".githooks"\n')
    git(a, "add", ".githooks", "plans/improve.toml")
    git(a, "commit", "-q", "-m", "Commit every change, with our hooks")
    git(a, "push", "-q", "origin", "main")
    git(b, "pull", "-q", "origin", "main")
    r = run(b, "update", "sample:1.1.1", "--percent", "60", "--by", "Jo")
    assert "Committed " in r.stdout and marks.read_text() == "b\n"
    assert git(b, "log", "-1", "--format=%an|%s") == "Jo|sample:1.1.1 percent 50 → 60\n"


@pytest.mark.parametrize(
    "text, said",
    [
        (b"[git]\ncommit = 1\n", "improve.toml:2:1: error: commit must be true or false"),
        (b"[git]\nhook = '.githooks'\n", 'improve.toml:2:1: error: unknown key "hook" in [git]'),
        (b"[gti]\ncommit = true\n", 'improve.toml:1:1: error: unknown table "gti"'),
        (b"[git]\ncommit = \xff\n", "improve.toml:1:1: error: improve.toml is not UTF-8 text"),
        (b"[git\n", "improve.toml:1:5: error: improve.toml is not valid TOML"),
        (b"[git]\nhooks = ''\n", "improve.toml:2:1: error: hooks must name a folder"),
        (None, "improve.toml:1:1: error: improve.toml is not a file"),
    ],
)
def test_a_setting_file_that_cannot_be_used_is_one_line_of_its_own(tmp_path, text, said):
    from improve.team.gitops import commit_wanted

    plans = tmp_path / "plans"
    plans.mkdir()
    if text is None:
        (plans / "improve.toml").mkdir()
    else:
        (plans / "improve.toml").write_bytes(text)
    wanted, why_not = commit_wanted(plans, None, {})
    assert not wanted and why_not is not None and said in why_not, why_not
    assert "\n" not in why_not
    assert commit_wanted(plans, None, {"IMPROVE_COMMIT": "1"}) == (True, None)
