"""history/quick.py says "nothing to record" only when the store's own sync would indeed
write nothing: it restates sync's rules for skipping a plan, so every case is checked
against what sync then does."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from helpers import SAMPLE, plans_folder, write
from improve.history import HistoryStore, quick
from improve.plans.folder import load_folder

D0 = date(2017, 1, 5)


def counts(path) -> tuple:
    with HistoryStore(path=path) as store:
        conn = store.db.conn
        return tuple(
            conn.execute(f"select count(*), group_concat(plan_id) from {t}").fetchone()
            for t in ("events", "plans", "plan_days")
        ) + (conn.execute("select group_concat(as_of || fingerprint) from plans").fetchone(),)


def agrees(folder, db, today) -> bool:
    """What quick says, checked against a real sync: True means sync wrote nothing."""
    portfolio = load_folder(folder)
    fps = {f.plan.id: f.fingerprint for f in portfolio.files if f.plan is not None}
    said = quick.nothing_to_record(db, fps, [f.path for f in portfolio.failed], today)
    before = counts(db)
    with HistoryStore(path=db) as store:
        store.sync_portfolio(portfolio, today)
    wrote = counts(db) != before
    assert not (said and wrote), "quick said nothing to record, and sync recorded something"
    return said


@pytest.fixture
def synced(tmp_path):
    folder = plans_folder(tmp_path)
    write(folder, "second.toml", SAMPLE.replace("[plan]", '[plan]\nid = "second"'))
    db = tmp_path / "h.db"
    with HistoryStore(path=db) as store:
        store.sync_portfolio(load_folder(folder), D0)
    return folder, db


def test_nothing_changed_on_the_same_day(synced):
    folder, db = synced
    assert agrees(folder, db, D0)


def test_a_later_day_is_recorded(synced):
    folder, db = synced
    assert not agrees(folder, db, D0 + timedelta(days=1))


def test_an_earlier_day_is_left_alone(synced):
    folder, db = synced
    assert agrees(folder, db, D0 - timedelta(days=1))


def test_an_edited_file(synced):
    folder, db = synced
    path = folder / "sample.toml"
    path.write_text(path.read_text().replace("percent = 50", "percent = 60"))
    assert not agrees(folder, db, D0)


def test_a_new_plan(synced):
    folder, db = synced
    write(folder, "third.toml", SAMPLE.replace("[plan]", '[plan]\nid = "third"'))
    assert not agrees(folder, db, D0)


def test_a_removed_plan(synced):
    folder, db = synced
    (folder / "second.toml").unlink()
    assert not agrees(folder, db, D0)


def test_a_plan_whose_file_now_fails_to_load_keeps_its_state(synced):
    folder, db = synced
    (folder / "second.toml").write_text("[plan\n")
    assert agrees(folder, db, D0)


def test_no_database_yet_and_a_database_of_another_schema(tmp_path):
    folder = plans_folder(tmp_path)
    fps = {f.plan.id: f.fingerprint for f in load_folder(folder).files if f.plan}
    assert not quick.nothing_to_record(tmp_path / "none.db", fps, [], D0)
    other = tmp_path / "other.db"
    HistoryStore(path=other).close()
    import sqlite3

    conn = sqlite3.connect(other)
    conn.execute("insert into migrations (name, applied_at) values ('m900_future', 'x')")
    conn.commit()
    conn.close()
    assert not quick.nothing_to_record(other, fps, [], D0)
    assert quick.last_reported(other) is None  # the store is asked instead
