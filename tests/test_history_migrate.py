"""The history database's schema: migrations from a blank database, applied once, in order."""

from __future__ import annotations

import sqlite3

import pytest

from improve.history import HistoryError, HistoryStore
from improve.history.db import Database
from improve.history.migrations import MIGRATIONS, applied, migrate
from improve.history.rows import COLUMNS

TABLES = {
    "migrations",
    "plans",
    "state",
    "events",
    "reviews",
    "review_plans",
    "snapshots",
    "plan_days",
}


def test_migrate_from_a_blank_database(tmp_path):
    db = Database(sqlite3.connect(tmp_path / "blank.db", isolation_level=None))
    assert db.table_names() == []
    done = migrate(db)
    assert done == [fn.__name__ for fn in MIGRATIONS]
    assert applied(db) == done
    assert TABLES <= set(db.table_names())
    for table in ("state", "snapshots"):
        assert set(COLUMNS) <= {r["name"] for r in db.query(f"pragma table_info({table})")}
    assert {"events_action", "events_day"} <= {
        r["name"] for r in db.query("pragma index_list(events)")
    }
    stamps = [r["applied_at"] for r in db.query("select applied_at from migrations")]
    assert all(stamps)


def test_migrations_run_once(tmp_path):
    db = Database(sqlite3.connect(tmp_path / "h.db", isolation_level=None))
    migrate(db)
    db.execute("insert into reviews (held_on, recorded_at) values ('2017-01-01', 'x')")
    assert migrate(db) == []
    assert db.execute("select count(*) from reviews").fetchone()[0] == 1
    assert db.execute("select count(*) from migrations").fetchone()[0] == len(MIGRATIONS)


def test_a_failed_migration_leaves_nothing_half_done(tmp_path, monkeypatch):
    def broken(db):
        db.execute("create table half (x)")
        raise RuntimeError("boom")

    broken.__name__ = "m999_broken"
    monkeypatch.setattr("improve.history.migrations.MIGRATIONS", MIGRATIONS + [broken])
    db = Database(sqlite3.connect(tmp_path / "h.db", isolation_level=None))
    with pytest.raises(RuntimeError):
        migrate(db)
    assert "half" not in db.table_names()
    assert "m999_broken" not in applied(db)
    assert applied(db) == [fn.__name__ for fn in MIGRATIONS]


def test_a_database_from_a_newer_improve_is_refused_clearly(tmp_path):
    path = tmp_path / "h.db"
    HistoryStore(path=path).close()
    conn = sqlite3.connect(path)
    conn.execute("insert into migrations (name, applied_at) values ('m900_future', 'x')")
    conn.commit()
    conn.close()
    with pytest.raises(HistoryError, match="newer version of improve"):
        HistoryStore(path=path)


def test_store_creates_its_folder_and_database_beside_the_plans(tmp_path):
    plans = tmp_path / "plans"
    plans.mkdir()
    store = HistoryStore(plans)
    assert store.path == plans / ".improve" / "history.db"
    assert store.path.is_file()
    assert store.warning is None
    assert store.db.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("pragma busy_timeout").fetchone()[0] >= 5000
    store.close()


def test_store_at_an_explicit_path(tmp_path):
    path = tmp_path / "deep" / "er" / "mine.db"
    with HistoryStore(tmp_path / "plans", path=path) as store:
        assert store.path == path
    assert path.is_file()
    assert not (tmp_path / "plans").exists()


def test_resolve_path_order(tmp_path):
    from improve.history import resolve_path

    plans = tmp_path / "plans"
    assert resolve_path(plans, None, {}) == plans / ".improve" / "history.db"
    assert resolve_path(plans, None, {"IMPROVE_DB": str(tmp_path / "e.db")}) == tmp_path / "e.db"
    assert resolve_path(plans, tmp_path / "o.db", {"IMPROVE_DB": "x"}) == tmp_path / "o.db"


def test_the_quick_reader_knows_every_migration_by_name():
    """history/quick.py reads a database without the store only when it has exactly the
    migrations this version makes; its list must follow every new migration."""
    from improve.history.migrations import MIGRATIONS
    from improve.history.paths import MIGRATION_NAMES

    assert tuple(fn.__name__ for fn in MIGRATIONS) == MIGRATION_NAMES
