"""`improve update --commit`: one commit, of the one plan file changed, by the person who
changed it, with a message that says what changed; never over other changes to the file,
never another file, never a push. Tests build real repositories with the git command."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from git_helpers import git
from helpers import SAMPLE, clean_env, write
from improve.cli import cli

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


@pytest.fixture
def repo(tmp_path, monkeypatch):
    clean_env(monkeypatch, tmp_path)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)  # no identity of the machine's
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    root = tmp_path / "council"
    plans = root / "plans"
    plans.mkdir(parents=True)
    write(plans, "sample.toml", SAMPLE)
    write(plans, "other.toml", SAMPLE.replace("Sample improvement plan", "Other plan"))
    write(plans, "people.toml", '[[person]]\nname = "Jo Bloggs"\nemail = "jo@council.gov.uk"\n'
                                'leads = ["Head of Safeguarding"]\n')  # fmt: skip
    (root / ".gitignore").write_text(".improve/\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "The plans")
    return root


def update(repo: Path, *args: str, env: dict | None = None):
    return CliRunner().invoke(
        cli, ["--plans", str(repo / "plans"), "--today", "2017-01-05", "update", *args],
        env=env, catch_exceptions=False,
    )  # fmt: skip


def test_one_commit_of_one_file_by_the_person(repo):
    (repo / "notes.txt").write_text("staged, not mine\n")
    git(repo, "add", "notes.txt")
    r = update(repo, "sample:1.1.1", "--percent", "75", "--note", "Policy agreed at SLT",
               "--by", "Jo Bloggs", "--commit")  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "Committed " in r.stdout and "plans/sample.toml, by Jo Bloggs." in r.stdout
    log = git(repo, "log", "--format=%an <%ae>|%s", "-n", "1")
    assert (
        log == "Jo Bloggs <jo@council.gov.uk>|sample:1.1.1 percent 50 → 75: Policy agreed at SLT\n"
    )
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == ["plans/sample.toml"]
    assert git(repo, "status", "--porcelain").splitlines() == ["A  notes.txt"]  # still staged
    assert len(git(repo, "log", "--oneline").splitlines()) == 2
    assert "push" not in git(repo, "reflog")


def test_a_file_with_other_changes_is_changed_but_not_committed(repo):
    path = repo / "plans" / "sample.toml"
    path.write_text(path.read_text().replace("# Sample plan", "# Sample plan, edited"))
    r = update(repo, "sample:1.1.1", "--percent", "60", "--by", "Jo Bloggs", "--commit")
    assert r.exit_code == 0, r.output
    assert "not committed: sample.toml already had changes not committed" in r.stderr
    assert "percent = 60" in path.read_text()
    assert len(git(repo, "log", "--oneline").splitlines()) == 1


def test_commit_by_default_with_improve_commit_and_never_outside_git(repo, tmp_path):
    r = update(repo, "sample:1.1.2", "--percent", "10", "--by", "Ann Other",
               env={"IMPROVE_COMMIT": "1"})  # fmt: skip
    assert r.exit_code == 0, r.output
    assert git(repo, "log", "--format=%an <%ae>|%s", "-n", "1") == (
        "Ann Other <>|sample:1.1.2 percent (none) → 10\n"
    )
    r = update(repo, "sample:1.1.2", "--percent", "20", "--no-commit", env={"IMPROVE_COMMIT": "1"})
    assert len(git(repo, "log", "--oneline").splitlines()) == 2 and "Committed" not in r.stdout
    alone = tmp_path / "alone"
    shutil.copytree(repo / "plans", alone)
    r = CliRunner().invoke(cli, ["--plans", str(alone), "--today", "2017-01-05", "update",
                                 "sample:1.1.1", "--percent", "55", "--commit"])  # fmt: skip
    assert (
        r.exit_code == 0 and "not committed: the plans folder is not in a git work tree" in r.stderr
    )
