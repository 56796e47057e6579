"""Issue 27: `review record` and `review changes` made faster with the same bytes out.

The review file's action blocks are written a format a row (review_files.action_blocks),
held here to the value-by-value writing (`_lines`, itself held to TOML by
test_review_file_values.py) for any row the history can hold."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from improve import api
from improve.history import HistoryStore, review_record
from improve.history import sync as sync_module
from improve.history.review_files import STATE_COLUMNS, _lines, action_blocks, escape_del

VALUE = st.one_of(
    st.none(),
    st.text(),  # quotes, backslashes, line ends, tabs, controls, DEL, astral
    st.text(alphabet="abc -–é", max_size=6),  # plain text, the common case
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(),
    st.booleans(),
)
ROW = st.tuples(*(VALUE for _ in STATE_COLUMNS))


def written(rows: Sequence[tuple[object, ...]]) -> str:
    return escape_del("".join(action_blocks(rows)))


def value_by_value(row: tuple[object, ...]) -> str:
    return "\n[[action]]\n" + _lines(zip(STATE_COLUMNS, row, strict=True))


@settings(max_examples=300, deadline=None)
@given(st.lists(ROW, max_size=6))
def test_action_blocks_are_written_as_value_by_value(rows):
    assert written(rows) == "".join(value_by_value(r) for r in rows)


def test_one_pattern_of_rows_with_and_without_escapes():
    plain = tuple(f"v{n}" if n % 3 else n for n in range(len(STATE_COLUMNS)))
    quoted = ('say "hi"', *plain[1:])
    slashed = ("a\\b", *plain[1:])
    ended = ("a\nb", *plain[1:])
    tabbed = ("a\tb", *plain[1:])
    nul = ("a\x00b", *plain[1:])
    deleted = ("a\x7fb", *plain[1:])
    true = (*plain[:-1], True)
    rows = [plain, quoted, plain, slashed, ended, tabbed, nul, deleted, true, plain]
    assert written(rows) == "".join(value_by_value(r) for r in rows)


# -- the snapshot: each plan recorded today from these bytes is copied from its state ------

SHIPPED = Path(__file__).resolve().parent.parent / "plans"
D = date(2017, 3, 1)
AT = datetime(2017, 3, 1, 10, 0, tzinfo=UTC)


def _history(tmp_path: Path) -> tuple[Path, Path]:
    plans = tmp_path / "plans"
    shutil.copytree(SHIPPED, plans)
    return plans, tmp_path / "history.db"


def _as_old_and_new(plans: Path, db: Path, day: date) -> tuple[list[str], list[str]]:
    """The whole database after a review recorded by the snapshot of every row worked out
    (sync.record_review, as before) and by review_record.record_review, from one start."""
    copy = db.with_name("copy.db")
    with sqlite3.connect(db) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    dumps = []
    for path, record in ((db, sync_module.record_review), (copy, review_record.record_review)):
        portfolio = api.load(plans)
        statuses = api.portfolio_status(portfolio, day)
        with HistoryStore(plans, path=path, clock=lambda: AT) as store:
            store._run(record, store, statuses, day, "note", ("A",), "PA")
            dumps.append(list(store.db.conn.iterdump()))
    return dumps[0], dumps[1]


def _synced(plans: Path, db: Path, day: date) -> None:
    portfolio = api.load(plans)
    with HistoryStore(plans, path=db, clock=lambda: AT) as store:
        store.sync_portfolio(portfolio, day, statuses=api.portfolio_status(portfolio, day))


def test_a_review_of_plans_recorded_today_is_the_worked_out_one(tmp_path):
    plans, db = _history(tmp_path)
    _synced(plans, db, D)
    old, new = _as_old_and_new(plans, db, D)
    assert any(line.startswith('INSERT INTO "snapshots"') for line in new)
    assert new == old


def test_a_plan_edited_since_its_sync_today_is_snapshotted_as_worked_out(tmp_path):
    plans, db = _history(tmp_path)
    _synced(plans, db, D)
    path = plans / "telford-ofsted-2016.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  due = 2017-01-31", "  due = 2017-02-28", 1), encoding="utf-8")
    old, new = _as_old_and_new(plans, db, D)  # the review's sync records the edit first
    assert new == old
    old, new = _as_old_and_new(plans, db, D + timedelta(days=60))  # days on: compared
    assert new == old


def test_plans_recorded_ahead_of_the_review_are_worked_out_as_before(tmp_path):
    plans, db = _history(tmp_path)
    _synced(plans, db, D + timedelta(days=40))
    old, new = _as_old_and_new(plans, db, D)
    assert new == old
