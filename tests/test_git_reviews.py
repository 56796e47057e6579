"""Reviews in the repository (history/review_files.py): a review recorded and committed on
one clone is, after a pull, in `review list` and `review changes` on another; a history
rebuilt from nothing reads every review file back."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from git_helpers import clone_pair, git
from helpers import SAMPLE
from improve.cli import cli

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


@pytest.fixture
def clones(tmp_path, monkeypatch):
    return clone_pair(tmp_path, monkeypatch, {"sample.toml": SAMPLE})


def run(clone: Path, day: str, *args: str):
    r = CliRunner().invoke(cli, ["--plans", str(clone / "plans"), "--today", day, *args],
                           catch_exceptions=False)  # fmt: skip
    assert r.exit_code == 0, r.output
    return r


def comparable(changes: dict) -> dict:
    """What a review briefing says, without what is each machine's own (ids, when it was
    recorded there, the events each history holds)."""
    out = {k: v for k, v in changes.items() if k not in ("events",)}
    out["review"] = {k: v for k, v in changes["review"].items()
                     if k not in ("id", "last_event_id")}  # fmt: skip
    return out


def test_a_review_committed_on_one_clone_is_compared_with_on_the_other(clones):
    a, b = clones
    run(b, "2017-01-01", "status")  # b has a history of its own already
    r = run(a, "2017-01-05", "review", "record", "--note", "January SLT", "--attendee", "DCS",
            "--by", "Performance Team", "--commit")  # fmt: skip
    assert "reviews/2017-01-05.toml. `improve review changes` will compare with it." in r.stdout
    assert "Committed " in r.stdout
    assert git(a, "show", "--name-only", "--format=%an|%s", "HEAD").split("\n")[:3] == [
        "Performance Team|Review of 2017-01-05: January SLT",
        "",
        "plans/reviews/2017-01-05.toml",
    ]
    git(a, "push", "-q", "origin", "main")
    git(b, "pull", "-q", "origin", "main")
    listed = json.loads(run(b, "2017-02-01", "review", "list", "--json").stdout)["reviews"]
    assert [(x["date"], x["note"], x["attendees"]) for x in listed] == [
        ("2017-01-05", "January SLT", ["DCS"])
    ]
    on_a = json.loads(run(a, "2017-02-01", "review", "changes", "--json").stdout)
    on_b = json.loads(run(b, "2017-02-01", "review", "changes", "--json").stdout)
    assert comparable(on_a) == comparable(on_b)
    assert on_b["review"]["date"] == "2017-01-05" and on_b["rag_moves"]  # it says things


def test_a_history_rebuilt_from_nothing_reads_every_review_back(clones):
    a, _ = clones
    run(a, "2017-01-05", "review", "record", "--note", "first")
    run(a, "2017-01-05", "review", "record", "--note", "second, same day")
    run(a, "2017-02-01", "review", "record", "--note", "third")
    before = json.loads(run(a, "2017-02-02", "review", "list", "--json").stdout)["reviews"]
    assert sorted(p.name for p in (a / "plans" / "reviews").iterdir()) == [
        "2017-01-05-2.toml",
        "2017-01-05.toml",
        "2017-02-01.toml",
    ]
    shutil.rmtree(a / "plans" / ".improve")  # the database lost: only the files remain
    after = json.loads(run(a, "2017-02-02", "review", "list", "--json").stdout)["reviews"]
    strip = lambda rs: [{k: v for k, v in r.items() if k != "id"} for r in rs]  # noqa: E731
    assert strip(after) == strip(before)
    status = run(a, "2017-02-02", "status").stdout
    assert "reviews" not in status  # never read as a plan


def test_a_review_file_that_cannot_be_read_is_said_and_the_rest_go_on(clones):
    a, _ = clones
    run(a, "2017-01-05", "review", "record")
    (a / "plans" / "reviews" / "2017-01-09.toml").write_text("[review\nheld_on = what\n")
    r = CliRunner().invoke(cli, ["--plans", str(a / "plans"), "--today", "2017-01-10",
                                 "review", "list", "--json"])  # fmt: skip
    assert r.exit_code == 0
    assert "2017-01-09.toml: not read as a review (TOMLDecodeError" in r.stderr
    assert [x["date"] for x in json.loads(r.stdout)["reviews"]] == ["2017-01-05"]
