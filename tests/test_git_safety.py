"""Running git never runs anyone's program: a plans repository whose .git/config,
.gitattributes or hooks name a program (a signature checker, a file-system monitor, a
clean filter, hooks, a pager, an external diff, a promisor remote reached over ssh or
ext::) runs none of them from `improve status` or `improve update --commit`. Also: a
commit on a detached HEAD is said, and an author's name is kept exactly and shown inert.
Real repositories, made with the git command; never the network."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from git_helpers import git, make_repo, program
from improve.cli import cli

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def forge_signature(repo: Path) -> None:
    """HEAD made a commit with a (made-up) PGP signature: `git log` with
    log.showSignature asks gpg.program about it."""
    body = git(repo, "cat-file", "commit", "HEAD")
    head, _, message = body.partition("\n\n")
    sig = ("gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEEAAAA\n"
           " -----END PGP SIGNATURE-----")  # fmt: skip
    forged = subprocess.run(
        ["git", "hash-object", "-t", "commit", "-w", "--stdin"], cwd=repo, check=True,
        input=f"{head}\n{sig}\n\n{message}", capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    git(repo, "update-ref", "HEAD", forged)


def promisor(repo: Path, url: str) -> None:
    """The repository made a partial clone of a remote at `url`, with the blob of the
    plan's first version gone: reading it would fetch it from that remote."""
    first = git(repo, "rev-parse", "HEAD:plans/sample.toml").strip()
    plan = repo / "plans" / "sample.toml"
    plan.write_text(plan.read_text().replace("Sample improvement plan", "Sample plan"))
    git(repo, "commit", "-q", "-am", "second", env={"GIT_AUTHOR_DATE": "2017-01-03T09:00:00Z"})
    (repo / ".git" / "objects" / first[:2] / first[2:]).unlink()
    for key, value in (("core.repositoryformatversion", "1"),
                       ("extensions.partialClone", "evil"), ("remote.evil.url", url),
                       ("remote.evil.promisor", "true")):  # fmt: skip
        git(repo, "config", key, value)


def plant_signature(repo, evil):
    forge_signature(repo)
    git(repo, "config", "log.showSignature", "true")
    git(repo, "config", "gpg.program", evil)


def plant_signing(repo, evil):
    git(repo, "config", "commit.gpgSign", "true")
    git(repo, "config", "gpg.program", evil)


def plant_fsmonitor(repo, evil):
    git(repo, "config", "core.fsmonitor", evil)


def plant_clean_filter(repo, evil):
    (repo / ".gitattributes").write_text("*.toml filter=evil diff=evil\n")
    for key in ("clean", "smudge"):
        git(repo, "config", f"filter.evil.{key}", evil)
    git(repo, "config", "filter.evil.required", "true")


def plant_process_filter(repo, evil):
    (repo / "plans" / ".gitattributes").write_text("*.toml filter=a=b.c\n")
    git(repo, "config", "filter.a=b.c.process", evil)


def plant_diff_and_pager(repo, evil):
    (repo / ".gitattributes").write_text("*.toml diff=evil\n")
    for key, value in (("diff.external", evil), ("diff.evil.textconv", evil),
                       ("diff.evil.command", evil), ("core.pager", evil), ("pager.log", evil),
                       ("core.editor", evil), ("sequence.editor", evil),
                       ("credential.helper", evil), ("core.askPass", evil)):  # fmt: skip
        git(repo, "config", key, value)


def plant_promisor_ext(repo, evil):
    promisor(repo, f"ext::{evil} %S")
    git(repo, "config", "protocol.ext.allow", "always")


def plant_promisor_ssh(repo, evil):
    promisor(repo, "ssh://example.invalid/plans.git")
    git(repo, "config", "core.sshCommand", evil)
    git(repo, "config", "protocol.ssh.allow", "always")


PLANTS = {name[6:]: fn for name, fn in globals().items() if name.startswith("plant_")}


def improve(repo: Path, *args: str, env: dict | None = None):
    r = CliRunner().invoke(cli, ["--plans", str(repo / "plans"), "--today", "2017-01-05", *args],
                           env=env, catch_exceptions=False)  # fmt: skip
    assert r.exit_code == 0, r.output
    return r


@pytest.mark.parametrize("plant", sorted(PLANTS))
def test_no_program_named_by_the_repository_runs(tmp_path, monkeypatch, plant):
    repo = make_repo(tmp_path, monkeypatch)
    evil = program(tmp_path)
    PLANTS[plant](repo, evil)
    marks = tmp_path / "MARKS"
    assert not marks.exists()
    improve(repo, "status")  # reads the commits: git log, git cat-file
    r = improve(repo, "update", "sample:1.1.1", "--percent", "60", "--by", "Jo", "--commit")
    assert not marks.exists(), marks.read_text()
    assert "Committed " in r.stdout, r.output  # and the commit is made as ever
    assert git(repo, "log", "-1", "--format=%an|%s") == "Jo|sample:1.1.1 percent 50 → 60\n"


def test_programs_named_in_the_environment_do_not_run_either(tmp_path, monkeypatch):
    repo = make_repo(tmp_path, monkeypatch)
    evil = program(tmp_path)
    promisor(repo, "ssh://example.invalid/plans.git")
    for var in ("GIT_SSH_COMMAND", "GIT_SSH", "GIT_EXTERNAL_DIFF", "GIT_PAGER", "GIT_EDITOR",
                "GIT_ASKPASS", "GIT_PROXY_COMMAND"):  # fmt: skip
        monkeypatch.setenv(var, evil)
    monkeypatch.setenv("GIT_CONFIG_PARAMETERS", f"'core.fsmonitor'='{evil}'")
    improve(repo, "status")
    improve(repo, "update", "sample:1.1.1", "--percent", "60", "--by", "Jo", "--commit")
    assert not (tmp_path / "MARKS").exists()


def test_a_commit_on_a_detached_head_is_said(tmp_path, monkeypatch):
    repo = make_repo(tmp_path, monkeypatch)
    git(repo, "checkout", "-q", "--detach")
    r = improve(repo, "update", "sample:1.1.1", "--percent", "60", "--by", "Jo", "--commit")
    assert "Committed " in r.stdout
    assert "improve: warning: committed on a detached HEAD (no branch)" in r.stderr
    r = improve(repo, "review", "record", "--by", "Jo", "--commit")
    assert "Committed " in r.stdout
    assert "improve: warning: committed on a detached HEAD (no branch)" in r.stderr
    (tmp_path / "b").mkdir()
    on_branch = make_repo(tmp_path / "b", monkeypatch)
    r = improve(on_branch, "update", "sample:1.1.1", "--percent", "60", "--commit")
    assert "Committed " in r.stdout and "detached" not in r.stderr


def test_an_authors_name_is_kept_exactly_and_shown_inert(tmp_path, monkeypatch):
    repo = make_repo(tmp_path, monkeypatch)
    improve(repo, "review", "record", "--note", "before")
    path = repo / "plans" / "sample.toml"
    path.write_text(path.read_text().replace("percent = 50   #", "percent = 70   #"))
    name = "Mal\x1b[2Jlory\u009b31m Ray"
    git(repo, "commit", "-q", "-am", "x", env={"GIT_AUTHOR_NAME": name})
    r = improve(repo, "history", "sample:1.1.1")
    assert "\x1b" not in r.stdout and "\u009b" not in r.stdout
    assert "Mal␛[2Jlory⟨9" in r.stdout
    db = repo / "plans" / ".improve" / "history.db"
    with sqlite3.connect(db) as conn:
        whos = {w for (w,) in conn.execute("select who from events where [commit] is not null")}
        authors = {a for (a,) in conn.execute("select author from commits")}
    assert name in whos and name in authors
    out = improve(repo, "history", "sample:1.1.1", "--json").stdout
    assert "\u009b" not in out and "\x1b" not in out
    assert name in {e["who"] for e in json.loads(out)["events"]}
    r = improve(repo, "review", "changes")
    assert "Mal␛[2Jlory⟨9" in r.stdout and "\x1b" not in r.stdout and "\u009b" not in r.stdout
    out = improve(repo, "review", "changes", "--json").stdout
    assert "\x1b" not in out and "\u009b" not in out
    assert name in strings(json.loads(out))


def strings(value) -> set[str]:
    """Every string in a JSON value."""
    if isinstance(value, dict):
        return set().union(*map(strings, value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*map(strings, value)) if value else set()
    return {value} if isinstance(value, str) else set()
