"""plans/reviews that is not a folder (issue 21 item 11): `review record` refuses it up
front in one line and records nothing; every other command goes on (a warning at most)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from helpers import SAMPLE, clean_env, plans_folder, run_cli
from history_helpers import statuses
from improve.history import HistoryStore

TODAY = "2017-01-05"


@pytest.fixture
def folder(tmp_path, monkeypatch):
    clean_env(monkeypatch, tmp_path)
    f = plans_folder(tmp_path, "sample.toml", SAMPLE)
    (f / "reviews").write_text("my notes on the reviews\n", encoding="utf-8")
    return f


def _reviews_held(folder) -> int:
    with HistoryStore(folder) as store:
        return store.db.execute("select count(*) from reviews").fetchone()[0]


def test_review_record_refuses_a_reviews_file_and_records_nothing(folder):
    r = run_cli(folder, "review", "record", "--note", "March", today=TODAY)
    assert r.exit_code == 1
    assert r.stdout == ""
    assert r.stderr.splitlines() == [
        f"improve: {folder / 'reviews'} is a file, not a folder: move it aside (each review "
        "is kept in it as DATE.toml); nothing was recorded"
    ]
    assert _reviews_held(folder) == 0
    assert (folder / "reviews").read_text(encoding="utf-8") == "my notes on the reviews\n"


@pytest.mark.parametrize("command", [["status"], ["review", "list"], ["check"]])
def test_other_commands_go_on_with_a_reviews_file(folder, command):
    r = run_cli(folder, *command, today=TODAY)
    assert r.exit_code == 0, r.output
    assert "unexpected" not in r.output


def test_a_pending_review_with_a_reviews_file_is_one_warning(folder):
    """A review recorded while reviews/ was a folder, its file not written yet (the run
    killed), and then reviews made a file: `review list` says so and goes on."""
    (folder / "reviews").unlink()
    with HistoryStore(folder) as store:
        _, sts = statuses(folder, date(2017, 1, 5))
        rid = store.record_review(sts, date(2017, 1, 5))
        store.db.execute(
            "update reviews set file = '2017-01-05.toml', uid = 'k', pending = 1 where id = ?",
            [rid],
        )
    (folder / "reviews").write_text("now a file\n", encoding="utf-8")
    r = run_cli(folder, "review", "list", "--json", today=TODAY)
    assert r.exit_code == 0, r.output
    assert len(json.loads(r.stdout)["reviews"]) == 1
    (line,) = r.stderr.splitlines()
    assert line.startswith("improve: warning: review 1 is recorded, but its file")
    assert "is a file, not a folder" in line


def test_a_review_file_that_cannot_be_written_takes_the_review_back(folder, monkeypatch):
    from improve.plans import files

    (folder / "reviews").unlink()

    def refuse(path, data):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(files, "create_new", refuse)
    r = run_cli(folder, "review", "record", today=TODAY)
    assert r.exit_code == 1
    assert r.stderr.splitlines() == [
        f"improve: cannot write {folder / 'reviews' / '2017-01-05.toml'}: Permission denied; "
        "nothing was recorded"
    ]
    assert _reviews_held(folder) == 0
