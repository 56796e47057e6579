"""`review record` killed at each moment it could be (issue 21 item 6): a review and its
file in plans/reviews are kept together. After every kill and the next run there is one
review in the history and one file on disk holding it (or, killed before the review was
recorded, neither); never a review twice, never a review with no file. Also: another run
writing a pending review's file at the same moment, and a file from another clone taking
the name the review meant to use."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import improve.history.review_files as review_files
import improve.history.review_record as review_record
from helpers import SAMPLE, clean_env, plans_folder, run_cli
from improve.history import HistoryStore
from improve.plans import files

TODAY = "2017-01-05"


@pytest.fixture
def folder(tmp_path, monkeypatch):
    clean_env(monkeypatch, tmp_path)
    return plans_folder(tmp_path, "sample.toml", SAMPLE)


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _in_reviews(path) -> bool:
    return os.path.basename(os.path.dirname(str(path))) == review_files.FOLDER


def _then_die(real: Callable[..., int]) -> Callable[..., int]:
    def record(*args: object, **kw: object) -> int:
        real(*args, **kw)
        _die()
        return 0

    return record


def _kill_at(point: str) -> None:
    """In the child: be killed (SIGKILL, nothing cleaned up) at `point` of review record."""
    if point == "in the transaction":  # the review's rows written, not yet committed
        for name in ("record_review", "record_day"):  # from the plans, or today's view
            setattr(review_record, name, _then_die(getattr(review_record, name)))
    real_create = files.create_new

    def create_new(path, data):
        if _in_reviews(path):
            if point == "before the file":  # the review committed, no file yet
                _die()
            if point == "file half written":  # the temp file written, not yet named
                os.link = lambda *a, **kw: _die()
            real_create(path, data)
            if point == "file written":  # the file named, the history not told
                _die()
            return
        real_create(path, data)

    files.create_new = create_new


def _record_killed(folder, point: str) -> None:
    def child() -> None:
        _kill_at(point)
        run_cli(folder, "review", "record", "--note", "killed", today=TODAY)
        os._exit(0)  # not killed: the point was never reached

    proc = multiprocessing.get_context("fork").Process(target=child)
    proc.start()
    proc.join(60)
    assert proc.exitcode == -signal.SIGKILL, f"not killed at {point!r}"


def _kept(folder) -> tuple[list, list[str]]:
    """(each review in the history as (id, its file's name, the text it renders to),
    the names of the review files on disk)."""
    store = HistoryStore(folder)
    try:
        rows = store.db.execute("select id, file from reviews order by id").fetchall()
        reviews = [(rid, name, review_files.render(store, rid)[1]) for rid, name in rows]
    finally:
        store.close()
    on_disk = sorted(p.name for p in (folder / "reviews").glob("*.toml"))
    return reviews, on_disk


def _one_each(folder) -> None:
    reviews, on_disk = _kept(folder)
    assert len(reviews) == 1 and len(on_disk) == 1, (reviews, on_disk)
    ((_, name, text),) = reviews
    assert name == on_disk[0]
    assert (folder / "reviews" / name).read_text(encoding="utf-8") == text


@pytest.mark.parametrize(
    "point", ["in the transaction", "before the file", "file half written", "file written"]
)
def test_a_review_killed_at_any_point_is_kept_once_with_its_file(folder, point):
    run_cli(folder, "status", today=TODAY)  # a history to begin with
    _record_killed(folder, point)
    r = run_cli(folder, "review", "list", "--json", today=TODAY)  # the next run
    assert r.exit_code == 0, r.output
    reviews, on_disk = _kept(folder)
    if point == "in the transaction":  # nothing was recorded: nothing is there
        assert (reviews, on_disk) == ([], [])
        r = run_cli(folder, "review", "record", "--note", "again", today=TODAY)
        assert r.exit_code == 0, r.output
    _one_each(folder)
    r = run_cli(folder, "review", "list", "--json", today=TODAY)  # and it stays so
    assert r.exit_code == 0 and len(json.loads(r.stdout)["reviews"]) == 1, r.output
    _one_each(folder)


def test_a_temp_file_left_by_a_killed_write_is_swept_once_stale(folder):
    run_cli(folder, "status", today=TODAY)
    _record_killed(folder, "file half written")
    (temp,) = files.leftover_temps(folder / "reviews")
    run_cli(folder, "review", "list", today=TODAY)
    assert temp.exists()  # young: it could be a write still under way
    old = time.time() - 2 * files.STALE_TEMP
    os.utime(temp, (old, old))
    run_cli(folder, "review", "list", today=TODAY)
    assert not temp.exists()
    _one_each(folder)


def test_another_run_writing_the_pending_file_at_the_same_moment(folder, monkeypatch):
    """A second run reads the reviews in while the first is about to write its file: the
    second writes it (the review is in the history); the first finds it there, its own."""
    run_cli(folder, "status", today=TODAY)
    real_create = files.create_new
    seen: list[Path] = []

    def create_new(path, data):
        if _in_reviews(path) and not seen:
            seen.append(path)
            with HistoryStore(folder) as other:
                assert other.index_review_files(folder) == []
            assert path.exists()
        real_create(path, data)

    monkeypatch.setattr(files, "create_new", create_new)
    r = run_cli(folder, "review", "record", today=TODAY)
    assert r.exit_code == 0, r.output
    assert seen and "2017-01-05.toml" in r.stdout
    _one_each(folder)


def test_a_file_from_another_clone_taking_the_name_is_kept_too(folder, monkeypatch, tmp_path):
    """A pull brings another clone's reviews/2017-01-05.toml just before this review's file
    is written under that name: this one takes the next name, and the other is read in."""
    (tmp_path / "other").mkdir()
    other = plans_folder(tmp_path / "other", "sample.toml", SAMPLE)
    r = run_cli(other, "review", "record", "--note", "from the other clone", today=TODAY)
    assert r.exit_code == 0, r.output
    theirs = (other / "reviews" / "2017-01-05.toml").read_bytes()
    real_create = files.create_new

    def create_new(path, data):
        if _in_reviews(path) and path.name == "2017-01-05.toml":
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(theirs)  # arrived by a pull
        real_create(path, data)

    monkeypatch.setattr(files, "create_new", create_new)
    r = run_cli(folder, "review", "record", "--note", "ours", today=TODAY)
    assert r.exit_code == 0, r.output
    assert "2017-01-05-2.toml" in r.stdout
    monkeypatch.setattr(files, "create_new", real_create)
    r = run_cli(folder, "review", "list", "--json", today=TODAY)
    assert r.exit_code == 0, r.output
    reviews, on_disk = _kept(folder)
    assert on_disk == ["2017-01-05-2.toml", "2017-01-05.toml"]
    assert sorted(name for _, name, _ in reviews) == on_disk
    assert '"ours"' in r.stdout and '"from the other clone"' in r.stdout
    assert (folder / "reviews" / "2017-01-05.toml").read_bytes() == theirs


def test_a_review_file_renamed_by_hand_is_not_read_in_twice(folder):
    """The file holds the review's own id: found under another name, it is the same review."""
    r = run_cli(folder, "review", "record", today=TODAY)
    assert r.exit_code == 0, r.output
    (folder / "reviews" / "2017-01-05.toml").rename(folder / "reviews" / "2017-01-05-jan.toml")
    r = run_cli(folder, "review", "list", "--json", today=TODAY)
    assert r.exit_code == 0 and len(json.loads(r.stdout)["reviews"]) == 1, r.output
