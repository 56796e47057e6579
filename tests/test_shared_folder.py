"""A plans folder shared by several people (issue 21 items 8 and 9): every user who may
write a plan can take its lock, a write that cannot be locked is refused and says why,
and the files improve makes are readable by the people they are made for (the user's
umask, as any editor's), while a file that is there keeps its mode."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from helpers import clean_env, plans_folder, run_cli
from import_docs import tracker_csv
from improve.errors import ConflictError
from improve.plans import files


@pytest.fixture
def folder(tmp_path, monkeypatch):
    clean_env(monkeypatch, tmp_path)
    return plans_folder(tmp_path)


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def run(folder: Path, *args):
    return run_cli(folder, *args, db=folder.parent / "h.db")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- item 8: locks -----------------------------------------------------------------------


@pytest.mark.parametrize("blocker", [".improve", ".improve/locks"])
def test_no_lock_no_write_and_it_says_why(folder, blocker):
    path = folder / "sample.toml"
    before = path.read_bytes()
    (folder / blocker).parent.mkdir(parents=True, exist_ok=True)
    (folder / blocker).write_text("not a folder")
    r = run(folder, "update", "sample:1.1.2", "--percent", "10")
    assert r.exit_code == 1, r.output
    assert r.output.strip().splitlines() == [
        f"improve: sample:1.1.2: cannot lock sample.toml: {blocker} is not a folder (remove "
        "it, or ask who owns it); nothing was written"
    ]
    assert path.read_bytes() == before


def test_another_users_lock_file_is_opened_for_reading_and_still_locks(folder, monkeypatch):
    """The tests run as root, for whom permissions are not checked: a lock file another
    user made, which we may not open for writing, is stood in for by refusing O_RDWR."""
    path = folder / "sample.toml"
    lock = folder / ".improve" / "locks" / "sample.toml.lock"
    lock.parent.mkdir(parents=True)
    lock.write_bytes(b"")
    lock.chmod(0o444)
    real_open = os.open
    opened: list[int] = []

    def as_another_user(p, flags, *a, **kw):
        if str(p) == str(lock) and not flags & os.O_EXCL:  # (making it: EEXIST, as ever)
            if flags & (os.O_RDWR | os.O_WRONLY):
                raise PermissionError(13, "Permission denied", str(p))
            opened.append(flags)
        return real_open(p, flags, *a, **kw)

    monkeypatch.setattr(os, "open", as_another_user)
    with files.plan_lock(path):
        # held: a second writer (its own descriptor, as another process has) must wait
        with pytest.raises(ConflictError) as busy:
            with files.plan_lock(path, wait=0):
                pass
    assert busy.value.code == "busy" and opened
    r = run(folder, "update", "sample:1.1.2", "--percent", "10")
    assert r.exit_code == 0, r.output
    assert "percent = 10" in path.read_text()


def test_a_lock_file_is_made_with_the_plans_permissions(folder, umask_022):
    path = folder / "sample.toml"
    path.chmod(0o664)  # a team's plan: the group may write it
    folder.chmod(0o2775)
    with files.plan_lock(path):
        pass
    lock = folder / ".improve" / "locks" / "sample.toml.lock"
    assert mode(lock) == 0o664  # whoever may write the plan may open its lock
    assert mode(folder / ".improve" / "locks") & 0o070 == 0o070
    assert mode(folder / ".improve") & 0o070 == 0o070


def test_without_flock_a_write_goes_on_unlocked(folder, monkeypatch):
    monkeypatch.setattr(files, "fcntl", None)
    r = run(folder, "update", "sample:1.1.2", "--percent", "10")
    assert r.exit_code == 0, r.output
    assert "percent = 10" in (folder / "sample.toml").read_text()
    assert not (folder / ".improve" / "locks").exists()  # no lock is tried at all


# -- item 9: the modes of the files made ---------------------------------------------------


@pytest.mark.parametrize("fmt", ["html", "md", "csv", "xlsx"])
def test_a_new_report_gets_the_users_umask_and_an_old_one_keeps_its_mode(folder, umask_022, fmt):
    out = folder.parent / f"report.{fmt}"
    r = run(folder, "report", "--format", fmt, "-o", out)
    assert r.exit_code == 0, r.output
    assert mode(out) == 0o644
    out.chmod(0o640)
    r = run(folder, "report", "--format", fmt, "-o", out)
    assert r.exit_code == 0, r.output
    assert mode(out) == 0o640


def test_new_plans_returns_imports_and_review_files_get_the_users_umask(folder, umask_022):
    r = run(folder, "new", "fresh")
    assert r.exit_code == 0, r.output
    assert mode(folder / "fresh.toml") == 0o644
    r = run(folder, "returns", "make", "-o", folder.parent / "returns")
    assert r.exit_code == 0, r.output
    made = list((folder.parent / "returns").iterdir())
    assert made and all(mode(p) == 0o644 for p in made)
    tracker_csv(folder.parent / "tracker.csv")
    r = run(folder, "import", folder.parent / "tracker.csv", "--title", "Workforce plan")
    assert r.exit_code == 0, r.output
    assert mode(folder / "tracker.toml") == 0o644
    r = run(folder, "review", "record", "--note", "January")
    assert r.exit_code == 0, r.output
    (review,) = (folder / "reviews").iterdir()
    assert mode(review) == 0o644


def test_an_updated_plan_keeps_its_mode(folder, umask_022):
    path = folder / "sample.toml"
    path.chmod(0o660)
    assert run(folder, "update", "sample:1.1.2", "--percent", "10").exit_code == 0
    assert mode(path) == 0o660


def test_the_umask_is_read_without_being_changed(umask_022, monkeypatch):
    calls: list[int] = []
    real = os.umask

    def umask(m: int) -> int:
        calls.append(m)
        return real(m)

    monkeypatch.setattr(os, "umask", umask)
    assert files.new_file_mode() == 0o644
    assert calls == []  # another thread's file is never made meanwhile with umask 0


def test_a_locks_folder_we_may_not_write_in_refuses_and_says_whom_to_ask(folder, monkeypatch):
    """As root nothing is refused: the refusal to make a file in the folder is stood in."""
    path = folder / "sample.toml"
    before = path.read_bytes()
    (folder / ".improve" / "locks").mkdir(parents=True)
    real_open = os.open

    def not_ours(p, flags, *a, **kw):
        if str(p).endswith(".lock") and flags & os.O_CREAT:
            raise PermissionError(13, "Permission denied", str(p))
        return real_open(p, flags, *a, **kw)

    monkeypatch.setattr(os, "open", not_ours)
    r = run(folder, "update", "sample:1.1.2", "--percent", "10")
    monkeypatch.undo()
    assert r.exit_code == 1
    assert r.output.strip().splitlines() == [
        "improve: sample:1.1.2: cannot lock sample.toml: you may not make files in "
        ".improve/locks (ask whoever owns it to let everyone who writes the plans write in "
        "it); nothing was written"
    ]
    assert path.read_bytes() == before
