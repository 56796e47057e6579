"""Issue 27: `review record` and `review changes` made faster with the same bytes out.

The review file's action blocks are written a format a row (review_files.action_blocks),
held here to the value-by-value writing (`_lines`, itself held to TOML by
test_review_file_values.py) for any row the history can hold."""

from __future__ import annotations

import io
import shutil
import sqlite3
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Group
from rich.text import Text

from helpers import clean_env, run_cli
from improve import api
from improve.cli import history_cmds
from improve.history import HistoryError, HistoryStore, review_record
from improve.history import changes as changes_module
from improve.history.review_files import STATE_COLUMNS, _lines, action_blocks, escape_del
from improve.present.briefing import briefing_parts
from improve.present.plain_text import written
from improve.present.tables import make_console
from review_oracle import record_review as worked_out_review

VALUE = st.one_of(
    st.none(),
    st.text(),  # quotes, backslashes, line ends, tabs, controls, DEL, astral
    st.text(alphabet="abc -–é", max_size=6),  # plain text, the common case
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(),
    st.booleans(),
)
ROW = st.tuples(*(VALUE for _ in STATE_COLUMNS))


def blocks(rows: Sequence[tuple[object, ...]]) -> str:
    return escape_del("".join(action_blocks(rows)))


def value_by_value(row: tuple[object, ...]) -> str:
    return "\n[[action]]\n" + _lines(zip(STATE_COLUMNS, row, strict=True))


@settings(max_examples=40, deadline=None)
@given(st.lists(ROW, max_size=4))
def test_action_blocks_are_written_as_value_by_value(rows):
    assert blocks(rows) == "".join(value_by_value(r) for r in rows)


def test_one_pattern_of_rows_with_and_without_escapes():
    plain = tuple(f"v{n}" if n % 3 else n for n in range(len(STATE_COLUMNS)))
    quoted = ('say "hi"', *plain[1:])
    slashed = ("a\\b", *plain[1:])
    ended = ("a\nb", *plain[1:])
    tabbed = ("a\tb", *plain[1:])
    nul = ("a\x00b", *plain[1:])
    deleted = ("a\x7fb", *plain[1:])
    true = (*plain[:-1], True)
    empty = (None,) * len(STATE_COLUMNS)
    rows = [plain, quoted, plain, slashed, ended, tabbed, nul, deleted, true, empty, plain]
    assert blocks(rows) == "".join(value_by_value(r) for r in rows)
    assert blocks([]) == ""


# -- the snapshot: each plan recorded today from these bytes is copied from its state ------

SHIPPED = Path(__file__).resolve().parent.parent / "plans"
D = date(2017, 3, 1)
AT = datetime(2017, 3, 1, 10, 0, tzinfo=UTC)


def _shipped(plans: Path) -> Path:
    """A copy of two shipped plan files (only them: not a history a run left beside them)."""
    plans.mkdir(parents=True)
    for name in ("telford-ofsted-2016.toml", "worcestershire-send-app-2022.toml"):  # two: fast
        shutil.copyfile(SHIPPED / name, plans / name)
    return plans


def _history(tmp_path: Path) -> tuple[Path, Path]:
    return _shipped(tmp_path / "plans"), tmp_path / "history.db"


def _as_old_and_new(plans: Path, db: Path, day: date) -> tuple[list[str], list[str]]:
    """The whole database after a review recorded by the snapshot of every row worked out
    (review_oracle: every row worked out, as before) and by review_record.record_review, from one start."""
    copy = db.with_name("copy.db")
    with sqlite3.connect(db) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    dumps = []
    for path, record in ((db, worked_out_review), (copy, review_record.record_review)):
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


# -- `review record` from today's view: no plan loaded, the same review --------------------


def _folder(tmp_path: Path, name: str) -> Path:
    return _shipped(tmp_path / name / "plans")


def _without_clock(plans: Path) -> tuple[list[str], str]:
    """The history's every row and the review files' text, but for when each review was
    recorded and its key (which differ run to run) and the folder's own path."""
    conn = sqlite3.connect(plans / ".improve" / "history.db")
    try:
        conn.execute("update reviews set recorded_at = '', uid = id")
        conn.execute("update events set recorded_at = ''")
        conn.execute("update migrations set applied_at = ''")
        conn.execute("update plans set file = replace(file, ?, '')", [str(plans.parent)])
        dump = list(conn.iterdump())
    finally:
        conn.close()
    files = "".join(
        line
        for path in sorted((plans / "reviews").glob("*.toml"))
        for line in path.read_text(encoding="utf-8").splitlines(keepends=True)
        if not line.startswith(("uid = ", "recorded_at = "))
    )
    return dump, files


def _spied(monkeypatch, name: str) -> list[int]:
    calls: list[int] = []
    real = getattr(review_record, name)

    def spy(*args, **kw):
        calls.append(1)
        return real(*args, **kw)

    monkeypatch.setattr(review_record, name, spy)
    return calls


def _reviews_recorded(plans: Path) -> list[str]:
    run_cli(plans, "status")  # the history, and today's memos
    said = []
    for note in ("one", "two"):  # the second as the bench times it: again the same day
        result = run_cli(plans, "review", "record", "--note", note, "--attendee", "A", "--by",
                         "PA")  # fmt: skip
        assert result.exit_code == 0, result.output
        said.append(result.output.replace(f"{plans.parent.name}/plans", "X"))
    return said


def test_review_record_from_todays_view_is_the_full_runs(tmp_path, monkeypatch):
    clean_env(monkeypatch, tmp_path)
    by_view, full = _spied(monkeypatch, "record_day"), _spied(monkeypatch, "record_review")
    fast = _folder(tmp_path, "fast")
    said = _reviews_recorded(fast)
    assert (len(by_view), len(full)) == (2, 0)
    monkeypatch.setenv("IMPROVE_CACHE", "0")  # no memo: the plans loaded and worked out
    slow = _folder(tmp_path, "slow")
    assert _reviews_recorded(slow) == said
    assert (len(by_view), len(full)) == (2, 2)
    assert _without_clock(fast) == _without_clock(slow)


def test_review_record_falls_back_when_the_history_moved_under_the_view(tmp_path, monkeypatch):
    clean_env(monkeypatch, tmp_path)
    plans = _folder(tmp_path, "plans")
    run_cli(plans, "status")
    view, _ = api.open_day(plans, plans / ".improve" / "history.db", date(2017, 1, 5))
    assert view is not None
    path = plans / "telford-ofsted-2016.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  due = 2017-01-31", "  due = 2017-02-28", 1), encoding="utf-8")
    run_cli(plans, "status")  # another run records the edit after the view was read
    with HistoryStore(plans) as store:
        before = store.db.conn.execute("select count(*) from reviews").fetchone()
        with pytest.raises(HistoryError) as raised:
            store.record_review(view, date(2017, 1, 5), plans=plans)
        assert raised.value.code == "review-day-changed"
        assert store.db.conn.execute("select count(*) from reviews").fetchone() == before
    assert not (plans / "reviews").exists() or not list((plans / "reviews").glob("*.toml"))

    def moved(*args, **kw):
        raise HistoryError("moved", code="review-day-changed")

    monkeypatch.setattr(review_record, "record_day", moved)
    full = _spied(monkeypatch, "record_review")
    result = run_cli(plans, "review", "record")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Recorded review 1 as at 2017-01-05: 2 plans, ")
    assert len(full) == 1


# -- the briefing written without Rich's console where no style is shown -------------------

WORDS = st.text(alphabet="ab c  中é\u0301…→·-x\n", max_size=60)


def _by_rich(parts: list[Text], width: int) -> str:
    """Rich's console, as the command line makes it, printing `parts` to a pipe (its own
    patches undone after, and only they: the caller's clean environment stays)."""
    out = io.StringIO()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(sys, "stdout", out)
        mp.setenv("COLUMNS", str(width))
        make_console().print(Group(*parts))
    return out.getvalue()


@settings(max_examples=150, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=3), st.integers(min_value=1, max_value=40))
def test_plain_text_is_what_rich_prints_to_a_pipe(texts, width):
    parts = [Text(t) for t in texts]
    assert written(parts, width) == _by_rich(parts, width)


def test_plain_text_leaves_to_rich_what_it_lays_out_otherwise():
    assert written([Text("a\tb")], 80) is None
    assert written([Text("a", justify="right")], 80) is None
    assert written([Text("a", end="")], 80) is None
    assert written(["a"], 80) is None
    assert written([Text("a")], 0) is None


def test_review_changes_briefing_is_rich_s_at_every_width(tmp_path, monkeypatch):
    """A briefing with something in most sections (the shipped plans a year on, edited),
    written directly and by Rich's console, from 20 to 200 columns."""
    clean_env(monkeypatch, tmp_path)
    plans = _folder(tmp_path, "plans")
    assert run_cli(plans, "review", "record", "--note", "March", today="2017-01-05").exit_code == 0
    path = plans / "telford-ofsted-2016.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("  due = 2017-01-31", "  due = 2017-02-28", 1)
    path.write_text(text.replace("  due = 2017-12-31", "  due = 2017-03-31", 1), encoding="utf-8")
    with HistoryStore(plans) as store:
        found = store.changes("last", today=date(2017, 6, 1), events=True)
    portfolio = api.load(plans)
    statuses = api.portfolio_status(portfolio, date(2017, 6, 1))
    parts = briefing_parts(found, api.status_view(portfolio, statuses, date(2017, 6, 1)).plans)
    assert len(parts) > 10
    for width in (20, 37, 60, 80, 119, 200):
        assert written(parts, width) == _by_rich(parts, width), width


def test_review_changes_writes_directly_what_rich_would(tmp_path, monkeypatch):
    clean_env(monkeypatch, tmp_path)
    plans = _folder(tmp_path, "plans")
    run_cli(plans, "review", "record", today="2017-01-05")
    direct = run_cli(plans, "review", "changes", today="2017-06-01")
    monkeypatch.setattr(history_cmds, "_styled", lambda stream: True)  # through Rich
    assert run_cli(plans, "review", "changes", today="2017-06-01").output == direct.output
    assert "What changed since review 1" in direct.output


def test_what_moved_is_read_by_key_or_in_a_second_pass_alike(tmp_path, monkeypatch):
    clean_env(monkeypatch, tmp_path)
    plans = _folder(tmp_path, "plans")
    assert run_cli(plans, "review", "record", today="2017-01-05").exit_code == 0
    path = plans / "telford-ofsted-2016.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  due = 2017-12-31", "  due = 2017-03-31", 2), encoding="utf-8")
    assert run_cli(plans, "status", today="2017-06-01").exit_code == 0
    with HistoryStore(plans) as store:
        by_key = store.changes("last", today=date(2017, 6, 1), events=True).to_json()
        monkeypatch.setattr(changes_module, "_DETAIL_BY_KEY", 0)
        second_pass = store.changes("last", today=date(2017, 6, 1), events=True).to_json()
    assert by_key["rag_moves"] and by_key["newly_overdue"]
    assert by_key == second_pass
