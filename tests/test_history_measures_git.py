"""Issue 25: a change to a plan's own measure that comes by a pull is its author's, on
its commit's date, as an action's is (history/commits.py); uncommitted, it is by hand."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from git_helpers import clone_pair, git
from improve.cli import cli
from kpi_files import PARTNERSHIP_PLAN as PLAN

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def by(name: str, email: str, day: str) -> dict:
    when = f"{day}T10:00:00+00:00"
    return {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": when,
            "GIT_COMMITTER_DATE": when}  # fmt: skip


def run(clone: Path, day: str, *args: str):
    r = CliRunner().invoke(cli, ["--plans", str(clone / "plans"), "--today", day, *args],
                           catch_exceptions=False)  # fmt: skip
    assert r.exit_code == 0, r.output
    return r


def test_a_pulled_measure_reading_is_its_authors_on_its_date(tmp_path, monkeypatch):
    a, b = clone_pair(tmp_path, monkeypatch, {"cypp.toml": PLAN},
                      by("Set Up", "setup@x.org", "2021-05-01"))  # fmt: skip
    run(b, "2021-06-01", "review", "record")
    path = a / "plans" / "cypp.toml"
    path.write_text(path.read_text().replace("value = 41 }", "value = 41 }, "
                                             "{ date = 2021-05-31, value = 47 }"))  # fmt: skip
    git(a, "commit", "-q", "-am", "May's figure", env=by("Ann Lee", "ann@x.org", "2021-06-03"))
    git(a, "push", "-q")
    git(b, "pull", "-q")
    found = json.loads(run(b, "2021-06-05", "review", "changes", "--json").stdout)
    (move,) = found["measure_moves"]
    assert (move["measure"], move["old"]["value"], move["new"]["value"]) == ("ehc-plans", 41, 47)
    assert (move["who"], move["when"]) == ("Ann Lee", "2021-06-03")
    (event,) = [e for e in found["events"] if e["field"] == "measure"]
    assert event["commit"] == git(b, "rev-parse", "HEAD").strip()
