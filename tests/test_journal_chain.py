"""Who made a change is never lost (issue 21 item 7): the write journal keeps one note
per write, so several updates made while the history cannot be used are each recorded
later as by their own author, in the order they were written, and never twice; a hand
edit between them is told as a hand edit. And its leftovers (item 11): a note that
cannot be written leaves no half-written temp file behind."""

from __future__ import annotations

import errno
import os
import shutil
import threading
from datetime import date

import pytest

from helpers import SAMPLE, write
from improve.api import Change, EditError, Workspace
from improve.edits import journal
from improve.history import HistoryStore

TODAY = date(2017, 1, 5)
HAND = "edited by hand"


def shared(tmp_path):
    """The sample plan, known to a history in HIST/history.db."""
    plans = tmp_path / "plans"
    plans.mkdir()
    write(plans, "sample.toml", SAMPLE)
    db = tmp_path / "hist" / "history.db"
    with Workspace(plans, db=db) as ws:
        ws.sync(ws.load(), TODAY, quiet=False)
    return plans, db


class Unavailable:
    """The history's folder is out of reach (a file stands where the folder was) until
    `back()`: the store cannot be opened, so a write is only noted."""

    def __init__(self, db):
        self.folder = db.parent
        self.away = self.folder.with_name("hist.away")
        self.folder.rename(self.away)
        self.folder.write_text("not a folder")

    def back(self):
        self.folder.unlink()
        self.away.rename(self.folder)


def update(plans, db, ref, percent, by, warnings=None):
    with Workspace(plans, db=db, warn=None if warnings is None else warnings.append) as ws:
        return ws.update(f"sample:{ref}", Change(percent=percent), TODAY, by)


def record(plans, db, today=TODAY):
    with Workspace(plans, db=db) as ws:
        ws.sync(ws.load(), today, quiet=False)


def moves(db, ref) -> list[tuple]:
    store = HistoryStore(db.parent.parent / "plans", path=db)
    try:
        return [
            (e.old, e.new, e.who)
            for e in store.history("sample", ref)
            if e.kind == "edit" and e.field == "percent"
        ]
    finally:
        store.close()


def test_two_writers_without_the_history_are_each_credited_later(tmp_path):
    plans, db = shared(tmp_path)
    out = Unavailable(db)
    warnings: list[str] = []
    update(plans, db, "1.1.2", 10, "alice", warnings)
    update(plans, db, "2.1.1", 40, "bob", warnings)
    assert warnings and all(w.startswith("history not recorded") for w in warnings)
    found = journal.notes(plans)
    assert len(found) == 2  # one note per write, not one per file
    # the whole text before is held once, by the first; each holds only its own edit
    size = (plans / "sample.toml").stat().st_size
    first, second = sorted(found, key=lambda n: n.before is None)
    assert first.before is not None and second.before is None
    assert second.where.stat().st_size < size / 2
    out.back()
    record(plans, db)
    assert moves(db, "1.1.2") == [(0, 10, "alice")]
    assert moves(db, "2.1.1") == [(25, 40, "bob")]
    assert journal.notes(plans) == []
    record(plans, db, date(2017, 1, 6))  # never twice
    assert moves(db, "1.1.2") == [(0, 10, "alice")]
    assert moves(db, "2.1.1") == [(25, 40, "bob")]


def test_two_writers_to_one_action_are_replayed_in_order(tmp_path):
    plans, db = shared(tmp_path)
    out = Unavailable(db)
    update(plans, db, "1.1.2", 10, "alice")
    update(plans, db, "1.1.2", 20, "bob")
    update(plans, db, "1.1.2", 30, "alice")
    out.back()
    # the next writer records the three first, then its own
    update(plans, db, "1.1.2", 40, "cy")
    assert moves(db, "1.1.2") == [
        (0, 10, "alice"),
        (10, 20, "bob"),
        (20, 30, "alice"),
        (30, 40, "cy"),
    ]
    assert journal.notes(plans) == []


def test_a_hand_edit_between_two_writes_is_a_hand_edit_and_the_rest_is_credited(tmp_path):
    plans, db = shared(tmp_path)
    out = Unavailable(db)
    update(plans, db, "1.1.2", 10, "alice")
    path = plans / "sample.toml"
    text = path.read_text()
    assert 'ref = "2.1.1"' in text
    path.write_text(text.replace("percent = 10", "percent = 15"))  # by hand, over alice's
    update(plans, db, "2.1.1", 40, "bob")
    out.back()
    record(plans, db)
    # alice's write cannot be told from the hand edit on top of it: both are by hand
    assert moves(db, "1.1.2") == [(0, 15, HAND)]
    assert moves(db, "2.1.1") == [(25, 40, "bob")]
    assert journal.notes(plans) == []


def test_a_hand_edit_after_the_last_write_makes_all_of_it_by_hand(tmp_path):
    plans, db = shared(tmp_path)
    out = Unavailable(db)
    update(plans, db, "1.1.2", 10, "alice")
    path = plans / "sample.toml"
    path.write_text(path.read_text().replace("percent = 10", "percent = 15"))
    out.back()
    record(plans, db)
    assert moves(db, "1.1.2") == [(0, 15, HAND)]
    assert journal.notes(plans) == []


def test_notes_recorded_but_not_removed_are_not_recorded_again(tmp_path, monkeypatch):
    plans, db = shared(tmp_path)
    out = Unavailable(db)
    update(plans, db, "1.1.2", 10, "alice")
    update(plans, db, "1.1.2", 20, "bob")
    out.back()
    monkeypatch.setattr(journal, "end", lambda where: None)  # killed before the removal
    record(plans, db)
    monkeypatch.undo()
    assert len(journal.notes(plans)) == 2
    record(plans, db, date(2017, 1, 6))
    assert moves(db, "1.1.2") == [(0, 10, "alice"), (10, 20, "bob")]
    assert journal.notes(plans) == []


def test_four_writers_at_once_without_the_history_are_each_credited(tmp_path):
    plans, db = shared(tmp_path)
    out = Unavailable(db)
    refs = ("1.1.2", "2.1.1")
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def writer(n: int) -> None:
        try:
            start.wait()
            for rnd in range(3):
                update(plans, db, refs[n % 2], 20 * rnd + n + 1, f"writer{n}")
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    out.back()
    record(plans, db)
    seen = 0
    for ref in refs:
        for _old, new, who in moves(db, ref):
            assert who == f"writer{(new - 1) % 20}", (ref, new, who)
            seen += 1
    assert seen == 12  # every update, each its writer's
    assert journal.notes(plans) == []


def test_a_note_that_cannot_be_written_leaves_no_temp_file(tmp_path, monkeypatch):
    plans, _ = shared(tmp_path)
    real = os.fsync
    failed: list[int] = []

    def full(fd):
        if not failed:
            failed.append(fd)
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd)

    folder = plans / journal.JOURNAL_DIR
    shutil.rmtree(folder, ignore_errors=True)
    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(EditError) as refused:
        journal.begin(plans, plans / "sample.toml", "sample", "1.1.2", "a", TODAY, "x")
    monkeypatch.undo()
    assert str(refused.value) == (
        "cannot write sample.toml: No space left on device (noting the write in "
        ".improve/journal); nothing was written"
    )
    assert failed and list(folder.iterdir()) == []


def test_a_leftover_temp_note_is_ignored_and_cleared(tmp_path):
    plans, _ = shared(tmp_path)
    folder = plans / journal.JOURNAL_DIR
    folder.mkdir(parents=True, exist_ok=True)
    old = folder / ".sample.toml.1.abcdef12.json.part"  # a writer killed mid-note
    old.write_bytes(b"")
    os.utime(old, (0, 0))
    fresh = folder / ".sample.toml.2.abcdef34.json.part"  # maybe being written now
    fresh.write_bytes(b"")
    assert journal.notes(plans) == []
    assert not old.exists() and fresh.exists()


def _full_disk(monkeypatch, plans_too: bool) -> None:
    """A full disk: the history cannot be opened; with `plans_too`, the plan file's own
    write fails as well (its fsync, as tests/test_filesystem.py has it)."""
    from improve.errors import HistoryError
    from improve.history import store

    def full(self):
        raise HistoryError(
            f"the history database {self.path} cannot be used (database or disk is full)",
            code="history-unusable",
        )

    monkeypatch.setattr(store.HistoryStore, "_open", full)
    if plans_too:

        def no_space(fd):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(os, "fsync", no_space)


def test_a_full_disk_is_said_once_when_nothing_is_written(tmp_path, monkeypatch):
    from helpers import run_cli

    plans, _ = shared(tmp_path)
    before = (plans / "sample.toml").read_bytes()
    _full_disk(monkeypatch, plans_too=True)
    r = run_cli(plans, "update", "sample:1.1.2", "--percent", "10", db=tmp_path / "hist" / "h.db")
    monkeypatch.undo()
    assert r.exit_code == 1
    (line,) = r.output.strip().splitlines()  # the error alone: not a warning first
    assert line.startswith("improve: sample:1.1.2: cannot write sample.toml: No space left")
    assert (plans / "sample.toml").read_bytes() == before


def test_a_full_history_disk_is_said_once_when_the_plan_is_written(tmp_path, monkeypatch):
    from helpers import run_cli

    plans, _ = shared(tmp_path)
    _full_disk(monkeypatch, plans_too=False)
    r = run_cli(plans, "update", "sample:1.1.2", "--percent", "10", db=tmp_path / "hist" / "h.db")
    monkeypatch.undo()
    assert r.exit_code == 0, r.output
    said = [ln for ln in r.output.splitlines() if ln.startswith("improve:")]
    assert said == [
        f"improve: warning: history not recorded: the history database {tmp_path}/hist/h.db "
        "cannot be used (database or disk is full)"
    ]


def test_a_folder_that_cannot_be_synced_after_the_rename_is_still_a_written_update(
    tmp_path, monkeypatch
):
    """The file is replaced before its folder is synced: a folder sync that fails (a full
    disk, a file system that refuses it) is not a failed update, nor an unexpected error."""
    import stat

    from helpers import run_cli

    plans, _ = shared(tmp_path)
    real = os.fsync

    def refuse_folders(fd):
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd)

    monkeypatch.setattr(os, "fsync", refuse_folders)
    r = run_cli(plans, "update", "sample:1.1.2", "--percent", "10", db=tmp_path / "hist" / "h.db")
    monkeypatch.undo()
    assert r.exit_code == 0, r.output
    assert "percent = 10" in (plans / "sample.toml").read_text()


def test_a_note_left_by_an_earlier_version_is_still_credited(tmp_path):
    """Before one note per write, a note was PLAN.json and held no text: one whose file
    still has the bytes it wrote is recorded as by its author, as then."""
    import json

    plans, db = shared(tmp_path)
    out = Unavailable(db)
    update(plans, db, "1.1.2", 10, "alice")
    (new,) = journal.notes(plans)
    new.where.unlink()
    old = plans / journal.JOURNAL_DIR / "sample.toml.json"
    old.write_text(
        json.dumps(
            {
                "plan_file": str(new.plan_file),
                "plan": "sample",
                "ref": "1.1.2",
                "by": "alice",
                "day": "2017-01-05",
                "fingerprint": new.fingerprint,
            }
        )
    )
    out.back()
    record(plans, db)
    assert moves(db, "1.1.2") == [(0, 10, "alice")]
    assert not old.exists()


def test_notes_are_readable_by_whoever_may_read_the_plan(tmp_path):
    """Another user's run records them: a note has the plan file's mode, its folder the
    plans folder's."""
    import stat

    plans, db = shared(tmp_path)
    (plans / "sample.toml").chmod(0o664)
    plans.chmod(0o2775)
    Unavailable(db)
    update(plans, db, "1.1.2", 10, "alice")
    (note,) = journal.notes(plans)
    assert stat.S_IMODE(note.where.stat().st_mode) == 0o664
    folder = plans / journal.JOURNAL_DIR
    assert stat.S_IMODE(folder.stat().st_mode) & 0o070 == 0o070


def test_a_note_of_a_file_outside_the_plans_folder_is_dropped_unread(tmp_path):
    import json

    plans, _ = shared(tmp_path)
    secret = tmp_path / "secret.toml"
    secret.write_text("not yours")
    folder = plans / journal.JOURNAL_DIR
    folder.mkdir(parents=True, exist_ok=True)
    planted = folder / "secret.toml.x.1.ab.json"
    body = {"plan_file": str(secret), "plan": "s", "ref": "1", "by": "x", "day": "2017-01-05"}
    planted.write_text(json.dumps({**body, "fingerprint": "x"}))
    assert journal.notes(plans) == [] and not planted.exists()


def test_an_edit_gives_back_the_text_it_was_made_from():
    import random

    rng = random.Random(21)
    for _ in range(2000):
        before = "".join(rng.choice("ab\n") for _ in range(rng.randint(0, 12)))
        after = "".join(rng.choice("ab\n") for _ in range(rng.randint(0, 12)))
        head, tail, middle = journal.edit_of(before, after)
        assert before[:head] + middle + before[len(before) - tail :] == after
        assert head + tail <= min(len(before), len(after))
