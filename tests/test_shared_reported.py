"""That plans were reported to a committee, recorded and committed by one library call
(issue 26 point 2): `share_reported`, as `share_review` is for a review, so the commit
policy (--commit/--no-commit, else IMPROVE_COMMIT, else the folder's improve.toml) is
decided in the library, not in the command line."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from helpers import SAMPLE, plans_folder, write
from improve.api import HistoryStore, share_reported

BODY = "Scrutiny Committee"
MEETING = date(2017, 1, 12)
TODAY = date(2017, 1, 5)


def test_a_reporting_is_recorded_in_the_folder_and_not_committed_when_the_policy_says_not(
    tmp_path,
):
    plans = plans_folder(tmp_path)
    with HistoryStore(plans) as store:
        shared = share_reported(store, ["sample"], BODY, MEETING, TODAY, "Ann", "csv", plans,
                                env={"IMPROVE_COMMIT": "0"})  # fmt: skip
        assert store.last_reported()["sample"][0] == BODY
    assert shared.path is not None and shared.path.parent == plans / "reported"
    assert shared.committed is None and shared.commit_note is None


def test_a_folder_setting_that_cannot_be_read_is_said_and_nothing_committed(tmp_path):
    plans = plans_folder(tmp_path)
    write(plans, "improve.toml", "[git\ncommit = true\n")
    with HistoryStore(plans) as store:
        shared = share_reported(store, ["sample"], BODY, MEETING, TODAY, "Ann", "csv", plans,
                                env={})  # fmt: skip
    assert shared.committed is None
    assert shared.commit_note is not None and shared.commit_note.startswith("not committed: ")
    assert "improve.toml" in shared.commit_note


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_reporting_is_committed_alone_as_by_who_produced_it(tmp_path, monkeypatch):
    from git_helpers import clone_pair, git

    a, _ = clone_pair(tmp_path, monkeypatch,
                      {"sample.toml": SAMPLE, "improve.toml": "[git]\ncommit = true\n"})  # fmt: skip
    plans = a / "plans"
    with HistoryStore(plans) as store:
        shared = share_reported(store, ["sample"], BODY, MEETING, TODAY, "Performance Team",
                                "csv", plans, env={})  # fmt: skip
    assert shared.committed and shared.commit_note is None and shared.path is not None
    assert git(a, "show", "--name-only", "--format=%an%n%s", "HEAD").split("\n")[:4] == [
        "Performance Team",
        "Reported to Scrutiny Committee for its meeting on 2017-01-12",
        "",
        f"plans/reported/{shared.path.name}",
    ]
