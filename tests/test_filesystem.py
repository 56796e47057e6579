"""The file system is respected (issue 11 item 3): links, read-only files, read-only
folders, full disks and our own leftover temp files."""

from __future__ import annotations

import errno
import os
import time
import tomllib

import pytest

from helpers import clean_env, plans_folder, run_cli
from improve import api


@pytest.fixture
def folder(tmp_path, monkeypatch):
    clean_env(monkeypatch, tmp_path)
    return plans_folder(tmp_path)


def run(folder, *args):
    return run_cli(folder, *args, db=folder.parent / "h.db")


def temps(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_linked_plan_is_edited_in_its_target_and_stays_a_link(folder):
    data = folder / "data"
    data.mkdir()
    (folder / "sample.toml").rename(data / "sample.toml")
    (folder / "sample.toml").symlink_to("data/sample.toml")
    r = run(folder, "update", "sample:1.1.2", "--percent", "10")
    assert r.exit_code == 0, r.output
    assert (folder / "sample.toml").is_symlink()
    assert "percent = 10" in (data / "sample.toml").read_text()


def test_a_link_out_of_the_folder_is_never_read_or_echoed(folder, tmp_path):
    secret = tmp_path / "secret.toml"
    secret.write_text("PASSWORD=hunter2 this is not TOML\n")
    (folder / "env.toml").symlink_to(secret)
    r = run(folder, "check")
    assert "hunter2" not in r.output
    assert "env.toml:1:1: warning: a link to" in r.output and "outside the plans folder" in r.output
    assert r.exit_code == 0  # a warning: the other plans are fine
    status = run(folder, "status")
    assert status.exit_code == 0 and "hunter2" not in status.output
    assert [p.id for p in api.load(folder).plans] == ["sample"]
    r = run(folder, "update", "env:1.1", "--percent", "5")
    assert r.exit_code == 1 and "outside the plans folder" in r.output
    assert secret.read_text() == "PASSWORD=hunter2 this is not TOML\n"


def test_a_second_name_for_a_plan_file_is_not_read_twice(folder):
    (folder / "again.toml").symlink_to("sample.toml")
    portfolio = api.load(folder)
    assert [p.id for p in portfolio.plans] == ["sample"]
    assert "which is read as a plan already" in str(portfolio.failed[0].problems[0])


def test_a_read_only_file_is_left_as_it_was(folder):
    path = folder / "sample.toml"
    before = path.read_bytes()
    path.chmod(0o444)
    try:
        r = run(folder, "update", "sample:1.1.2", "--percent", "10")
    finally:
        path.chmod(0o644)
    assert r.exit_code == 1
    assert r.output.strip().splitlines() == [
        "improve: sample:1.1.2: sample.toml is read-only; nothing was written (to allow "
        "changes: chmod u+w sample.toml)"
    ]
    assert path.read_bytes() == before and temps(folder) == []


@pytest.mark.parametrize(
    "where,error,said",
    [
        ("os.fsync", errno.ENOSPC, "No space left on device"),  # a full disk
        ("os.replace", errno.EPERM, "Operation not permitted"),  # an immutable file
        ("tempfile.mkstemp", errno.EROFS, "Read-only file system"),  # a read-only mount
        ("tempfile.mkstemp", errno.EACCES, "Permission denied"),  # a read-only folder
    ],
)
def test_a_disk_that_refuses_gives_one_line_and_leaves_nothing_behind(
    folder, monkeypatch, where, error, said
):
    path = folder / "sample.toml"
    before = path.read_bytes()
    module, name = where.split(".")
    target = {"os": os, "tempfile": __import__("tempfile")}[module]
    real = getattr(target, name)
    calls: list[tuple[object, ...]] = []

    def refuse(*args, **kwargs):
        if module == "os" and name == "fsync" and calls:
            return real(*args, **kwargs)  # only the plan file's own write fails
        calls.append(args)
        raise OSError(error, os.strerror(error))

    monkeypatch.setattr(target, name, refuse)
    r = run(folder, "update", "sample:1.1.2", "--percent", "10")
    monkeypatch.setattr(target, name, real)
    assert r.exit_code == 1, r.output
    (line,) = r.output.strip().splitlines()
    assert line.startswith("improve: sample:1.1.2: cannot write") and said in line, line
    assert "nothing was written" in line
    assert path.read_bytes() == before and temps(folder) == []
    assert tomllib.loads(path.read_text())["recommendation"][0]["action"][1].get("percent") is None


def test_our_leftover_temp_files_are_removed_and_nobody_elses(folder):
    ours = folder / ".sample.toml.ab12cd_9.tmp"  # as a write killed mid-way leaves it
    ours.write_text("half a plan")
    theirs = [folder / "notes.tmp", folder / ".sample.toml.mine.tmp", folder / "x.toml.tmp"]
    for path in theirs:
        path.write_text("someone else's")
    assert run(folder, "update", "sample:1.1.2", "--percent", "10").exit_code == 0
    assert not ours.exists() and all(p.exists() for p in theirs)


def test_an_old_leftover_is_removed_on_load_and_a_fresh_one_kept(folder):
    old = folder / ".other.toml.zz99zz99.tmp"
    fresh = folder / ".other.toml.yy88yy88.tmp"  # maybe a write under way right now
    for path in (old, fresh):
        path.write_text("x")
    hour_ago = time.time() - 3700
    os.utime(old, (hour_ago, hour_ago))
    api.Workspace(folder, history=False).load()
    assert not old.exists() and fresh.exists()
