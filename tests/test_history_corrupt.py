"""A damaged history is moved aside (never deleted), a new one starts, plans are untouched."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from datetime import UTC, date, datetime

import pytest

from history_helpers import PLAN, statuses, sync, write_plan
from improve.history import HistoryError, HistoryStore

D0 = date(2017, 2, 1)
CLOCK = lambda: datetime(2017, 2, 1, 9, 30, 5, tzinfo=UTC)  # noqa: E731


@pytest.fixture
def folder(tmp_path):
    f = tmp_path / "plans"
    f.mkdir()
    write_plan(f, "p.toml", PLAN)
    return f


def _plan_bytes(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.toml"))}


def _works(store, folder):
    got = sync(store, folder, D0)
    assert [e.kind for e in got.events] == ["baseline", "baseline"]
    _, sts = statuses(folder, D0)
    assert store.record_review(sts, D0) == 1


def test_not_a_sqlite_file_is_moved_aside_and_a_new_one_works(folder):
    before = _plan_bytes(folder)
    path = folder / ".improve" / "history.db"
    path.parent.mkdir()
    path.write_bytes(b"these are my notes, not a database\n" * 50)
    store = HistoryStore(folder, clock=CLOCK)
    aside = path.with_name("history.db.damaged-20170201T093005")
    assert store.moved_aside == [aside]
    assert aside.read_bytes() == b"these are my notes, not a database\n" * 50
    assert store.warning is not None
    assert "was damaged" in store.warning and aside.name in store.warning
    assert "plans are untouched" in store.warning
    _works(store, folder)
    assert _plan_bytes(folder) == before


def test_damaged_pages_are_found_on_open(folder):
    before = _plan_bytes(folder)
    store = HistoryStore(folder)
    for day in range(1, 28):
        sync(store, folder, date(2017, 2, day))
        _, sts = statuses(folder, date(2017, 2, day))
        store.record_review(sts, date(2017, 2, day), note="x" * 2000)
    store.db.execute("pragma wal_checkpoint(truncate)")
    store.close()
    path = store.path
    raw = bytearray(path.read_bytes())
    page = 4096
    assert len(raw) > 8 * page
    for offset in range(3 * page, len(raw) - page, page):  # keep the header page
        raw[offset + 10 : offset + 200] = b"\xff" * 190
    path.write_bytes(bytes(raw))
    store = HistoryStore(folder, clock=CLOCK)
    assert store.warning and len(store.moved_aside) == 1
    assert store.moved_aside[0].stat().st_size == len(raw)
    _works(store, folder)
    assert _plan_bytes(folder) == before


def _counting_checks(monkeypatch) -> list[int]:
    """A list that gains an item each time the store checks the database."""
    checks: list[int] = []
    real = HistoryStore._verify

    def spy(self, full):
        checks.append(1)
        return real(self, full)

    monkeypatch.setattr(HistoryStore, "_verify", spy)
    return checks


def test_a_database_as_the_last_run_left_it_is_not_checked_again(folder, monkeypatch):
    """The check on open is skipped for the very file a run checked and closed
    (history/checked.py); a file changed in any other way is checked."""
    import os

    store = HistoryStore(folder)
    sync(store, folder, D0)
    store.close()
    checks = _counting_checks(monkeypatch)
    HistoryStore(folder).close()
    assert checks == []  # known: as the last run left it
    with sqlite3.connect(store.path) as other:  # another program writes to it
        other.execute("create table notes (x)")
    other.close()
    HistoryStore(folder).close()
    assert checks == [1]
    HistoryStore(folder).close()
    assert checks == [1]  # and then known again
    # the same bytes written back, with the modification time put back: checked
    st = store.path.stat()
    store.path.write_bytes(store.path.read_bytes())
    os.utime(store.path, ns=(st.st_atime_ns, st.st_mtime_ns))
    HistoryStore(folder).close()
    assert checks == [1, 1]
    # a stamp that is not the database's: checked
    (store.path.parent / "history.db.checked").write_text("0:0:0:0:0|-")
    HistoryStore(folder).close()
    assert checks == [1, 1, 1]


def test_a_second_damaged_file_on_the_same_second_gets_its_own_name(folder):
    path = folder / ".improve" / "history.db"
    path.parent.mkdir()
    for _ in range(2):
        path.write_bytes(b"junk" * 100)
        HistoryStore(folder, clock=CLOCK).close()
    names = sorted(p.name for p in path.parent.iterdir() if "damaged" in p.name)
    assert names == ["history.db.damaged-20170201T093005", "history.db.damaged-20170201T093005-1"]


def test_its_wal_goes_aside_with_it(folder):
    path = folder / ".improve" / "history.db"
    path.parent.mkdir()
    path.write_bytes(b"junk" * 100)
    (path.parent / "history.db-wal").write_bytes(b"old wal")
    store = HistoryStore(folder, clock=CLOCK)
    aside = store.moved_aside[0]
    assert (aside.parent / (aside.name + "-wal")).read_bytes() == b"old wal"
    _works(store, folder)


def test_a_deleted_database_is_simply_started_again(folder):
    before = _plan_bytes(folder)
    store = HistoryStore(folder)
    sync(store, folder, D0)
    store.close()
    for p in store.path.parent.iterdir():
        p.unlink()
    store = HistoryStore(folder)
    assert store.warning is None
    _works(store, folder)
    assert _plan_bytes(folder) == before


def test_damage_found_midway_is_moved_aside_and_the_operation_retried(folder, monkeypatch):
    store = HistoryStore(folder, clock=CLOCK)
    sync(store, folder, D0)
    calls = {"n": 0}
    real = store._status_as_of

    def flaky(day):
        calls["n"] += 1
        if calls["n"] == 1:
            err = sqlite3.DatabaseError("database disk image is malformed")
            err.sqlite_errorcode = 11
            raise err
        return real(day)

    monkeypatch.setattr(store, "_status_as_of", flaky)
    assert store.status_as_of(D0) == []  # the new, empty history
    assert store.warning and store.moved_aside


def test_a_folder_that_cannot_be_made_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(HistoryError, match="cannot create the folder"):
        HistoryStore(path=blocker / "sub" / "history.db")


@contextmanager
def another_writer(path):
    """Another process's write transaction held open on the database."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_locked_database_is_not_mistaken_for_damage(folder, monkeypatch):
    monkeypatch.setattr("improve.history.store.BUSY_SECONDS", 0.2)
    store = HistoryStore(folder)
    with another_writer(store.path):
        with pytest.raises(HistoryError, match="busy"):
            sync(store, folder, D0)
    assert store.moved_aside == []
    sync(store, folder, D0)


def test_damage_in_the_snapshots_is_found_when_they_are_read(folder):
    """The quick check on open leaves out the snapshots (the bulk of the file); damage there
    is found when "what changed" reads them, and handled the same way."""
    before = _plan_bytes(folder)
    store = HistoryStore(folder)
    for day in (1, 2, 3):
        _, sts = statuses(folder, date(2017, 2, day))
        store.record_review(sts, date(2017, 2, day), note="n" * 3000)
    try:
        pages = [
            r[0]
            for r in store.db.execute(
                "select pageno from dbstat where name = 'snapshots'"
            ).fetchall()
        ]
    except sqlite3.OperationalError:
        pytest.skip("this SQLite has no dbstat table")
    size = store.db.execute("pragma page_size").fetchone()[0]
    store.db.execute("pragma wal_checkpoint(truncate)")
    store.close()
    raw = bytearray(store.path.read_bytes())
    for page in pages:
        start = (page - 1) * size
        raw[start : start + 64] = b"\xff" * 64
    store.path.write_bytes(bytes(raw))
    store = HistoryStore(folder, clock=CLOCK)
    assert store.warning is None  # not looked at on open
    with pytest.raises(HistoryError, match="no review has been recorded yet"):
        store.changes()  # found, moved aside, asked again
    assert store.warning and len(store.moved_aside) == 1
    _works(store, folder)
    assert _plan_bytes(folder) == before


def test_the_public_lock_reports_a_busy_database_clearly(folder, monkeypatch):
    monkeypatch.setattr("improve.history.store.BUSY_SECONDS", 0.2)
    store = HistoryStore(folder)
    with another_writer(store.path):
        with pytest.raises(HistoryError, match="busy"):
            with store.lock():
                pass
    with store.lock():
        pass


def test_verify_checks_everything(folder):
    store = HistoryStore(folder)
    sync(store, folder, D0)
    assert store.verify() == []


def test_a_zero_byte_database_is_said_and_a_new_history_started(folder):
    """An empty history.db (truncated, or made by another program) is not quietly taken
    for a new one: it is said, as a damaged one is."""
    path = folder / ".improve" / "history.db"
    path.parent.mkdir()
    path.write_bytes(b"")
    store = HistoryStore(folder, clock=CLOCK)
    assert store.warning == (
        f"the history database {path} was empty (0 bytes); a new history was started. "
        "The plans are untouched."
    )
    _works(store, folder)
    store.close()
    assert HistoryStore(folder).warning is None  # said once: now it is a history


def test_two_runs_starting_at_once_on_a_new_folder_say_nothing(folder, monkeypatch):
    """A new database is never an empty file anyone can see: a second run opening it the
    moment the first has made it does not take it for one found empty."""
    real = sqlite3.connect
    others: list = []

    def connect(database, *args, **kw):
        conn = real(database, *args, **kw)
        if str(database).endswith("history.db") and not others:
            others.append(None)
            others[0] = HistoryStore(folder)  # the other run, opening at this moment
        return conn

    monkeypatch.setattr(sqlite3, "connect", connect)
    first = HistoryStore(folder)
    (second,) = others
    assert (first.warning, second.warning) == (None, None)
    second.close()
    _works(first, folder)
    first.close()
    assert [p.name for p in first.path.parent.iterdir() if p.name.endswith(".new")] == []


@pytest.mark.parametrize("content", [b"junk" * 100, b""])
def test_the_command_line_says_warning_once(folder, content, monkeypatch, tmp_path):
    from helpers import clean_env, run_cli

    clean_env(monkeypatch, tmp_path)
    path = folder / ".improve" / "history.db"
    path.parent.mkdir()
    path.write_bytes(content)
    r = run_cli(folder, "status", today="2017-02-01")
    assert r.exit_code == 0, r.output
    (line,) = [ln for ln in r.stderr.splitlines() if "history database" in ln]
    assert line.startswith(f"improve: warning: the history database {path} was ")
    assert "warning: warning" not in r.stderr


def test_a_read_only_look_leaves_the_database_known(folder, monkeypatch):
    """history/quick.py's read-only connection (every run's "anything to record?") may
    leave an empty write-ahead log where there was none: nothing is in it, so the next
    open does not check the file again (23 ms of a review at 20,000 actions)."""
    from improve.history import quick

    store = HistoryStore(folder)
    sync(store, folder, D0)
    store.close()
    wal = store.path.with_name(store.path.name + "-wal")
    wal.unlink(missing_ok=True)
    checks = _counting_checks(monkeypatch)
    HistoryStore(folder).close()
    wal.unlink(missing_ok=True)
    assert quick.last_reported(store.path) is not None  # a read-only look
    wal.touch()  # as SQLite may leave it: empty
    HistoryStore(folder).close()
    assert checks == []
    wal.write_bytes(b"\0" * 32)  # a log with something in it is not nothing
    HistoryStore(folder).close()
    assert checks == [1]
