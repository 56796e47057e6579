"""History from commits (history/commits.py, gitlog.py): on two clones of one plans
repository, a change committed by one person is, after a pull, in the other's history
under that person's name, on the commit's author date, with its id; uncommitted edits are
by hand, and not counted again once committed; a history rebuilt from nothing agrees with
the old one. Real repositories, made with the git command; never the network."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from git_helpers import clone_pair, git
from helpers import SAMPLE, clean_env, write
from improve.cli import cli

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

PEOPLE = '[[person]]\nname = "Ann Lee"\nemail = "ann@council.gov.uk"\n'


def by(name: str, email: str, day: str) -> dict:
    """A commit by this person, authored on this day."""
    when = f"{day}T10:00:00+00:00"
    return {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": when,
            "GIT_COMMITTER_DATE": when}  # fmt: skip


@pytest.fixture
def clones(tmp_path, monkeypatch):
    files = {"sample.toml": SAMPLE, "people.toml": PEOPLE}
    return clone_pair(tmp_path, monkeypatch, files, by("Perf Team", "perf@x.org", "2017-01-02"))


def run(clone: Path, day: str, *args: str, env: dict | None = None):
    r = CliRunner().invoke(cli, ["--plans", str(clone / "plans"), "--today", day, *args],
                           env=env, catch_exceptions=False)  # fmt: skip
    assert r.exit_code == 0, r.output
    return r


def history(clone: Path, target: str, day: str) -> list[dict]:
    return json.loads(run(clone, day, "history", target, "--json").stdout)["events"]


def edit(clone: Path, old: str, new: str) -> None:
    path = clone / "plans" / "sample.toml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def commit(clone: Path, message: str, who: dict) -> str:
    git(clone, "commit", "-q", "-am", message, env=who)
    return git(clone, "rev-parse", "HEAD").strip()


def events(clone: Path) -> list[tuple]:
    """Every event of a clone's history, without what is the machine's own (ids, when it
    was recorded), in a stable order."""
    db = clone / "plans" / ".improve" / "history.db"
    with sqlite3.connect(db) as conn:
        return sorted(conn.execute(
            "select plan_id, ref, happened_on, who, kind, field, old, new, [commit] from events"
        ).fetchall(), key=repr)  # fmt: skip


def mine(evs: list[dict], kind: str = "edit") -> list[tuple]:
    return [(e["date"], e["who"], e["field"], e["old"], e["new"], e["commit"])
            for e in evs if e["kind"] == kind]  # fmt: skip


def test_a_pulled_commit_is_its_authors_on_its_date_with_its_id(clones):
    a, b = clones
    run(b, "2017-01-03", "status")  # b has a history of its own already
    edit(a, "percent = 25", "percent = 60")
    cid = commit(a, "Early help offer reviewed", by("Ann Lee", "ann@council.gov.uk", "2017-01-04"))
    git(a, "push", "-q", "origin", "main")
    git(b, "pull", "-q", "origin", "main")
    got = mine(history(b, "sample:2.1.1", "2017-01-06"))
    assert ("2017-01-04", "Ann Lee", "percent", 25, 60, cid) in got
    assert all(who == "Ann Lee" and c == cid for _, who, *_, c in got)
    # the first commit made the plan: its baseline is the performance team's
    base = [e for e in history(b, "sample:2.1.1", "2017-01-06") if e["kind"] == "baseline"]
    assert [(e["date"], e["who"]) for e in base] == [("2017-01-02", "Perf Team")]
    # and nothing is by hand: the pull was read from its commit
    assert "edited by hand" not in json.dumps(history(b, "sample:2.1.1", "2017-01-06"))
    table = run(b, "2017-01-06", "history", "sample:2.1.1").stdout
    assert "Ann Lee" in table and cid[:7] in table


def test_the_name_comes_from_people_toml_by_email_and_is_made_inert(clones):
    a, b = clones
    edit(a, "percent = 25", "percent = 30")
    commit(a, "x", by("ann.lee", "ANN@council.gov.uk", "2017-01-04"))  # another spelling
    edit(a, "percent = 30", "percent = 35")
    commit(a, "y", by("Mallory\x1b]0;owned\x07", "m@x.org", "2017-01-05"))
    git(a, "push", "-q", "origin", "main")
    git(b, "pull", "-q", "origin", "main")
    whos = [w for _, w, f, *_ in mine(history(b, "sample:2.1.1", "2017-01-06")) if f == "percent"]
    # kept exactly, as git has it (which drops the BEL at the end itself): JSON gives it
    # back exactly; the table shows it inert
    assert whos == ["Ann Lee", "Mallory\x1b]0;owned"]
    table = run(b, "2017-01-06", "history", "sample:2.1.1").stdout
    assert "\x1b" not in table and "Mallory␛]0;" in table


def test_uncommitted_edits_are_by_hand_and_not_counted_twice_once_committed(clones):
    a, _ = clones
    run(a, "2017-01-03", "status")
    edit(a, "percent = 25", "percent = 40")
    run(a, "2017-01-04", "status")  # seen before it is committed
    before = events(a)
    by_hand = [e for e in before if e[3] == "edited by hand"]
    assert {e[5] for e in by_hand} >= {"percent"} and all(e[8] is None for e in by_hand)
    cid = commit(a, "Offer reviewed", by("Ann Lee", "ann@council.gov.uk", "2017-01-05"))
    run(a, "2017-01-06", "status")
    after = events(a)
    # the same changes, once each, now the commit's and its author's; kept on the day seen
    assert len(after) == len(before)
    assert [e for e in after if e[3] == "edited by hand"] == []
    moved = [e for e in after if e[8] == cid]
    assert sorted(e[5] for e in moved) == sorted(e[5] for e in by_hand)
    assert all(e[3] == "Ann Lee" and e[2] == "2017-01-04" for e in moved)
    # an edit made after the commit is by hand again
    edit(a, "percent = 40", "percent = 45")
    got = mine(history(a, "sample:2.1.1", "2017-01-07"))
    assert got[-1][:5] == ("2017-01-07", "edited by hand", "percent", 40, 45)


def test_an_update_committed_by_the_tool_is_given_its_commit(clones):
    a, b = clones
    r = run(a, "2017-01-04", "update", "sample:2.1.1", "--percent", "50", "--by", "Ann Lee",
            "--note", "Offer drafted", "--commit")  # fmt: skip
    assert "Committed " in r.stdout
    cid = git(a, "rev-parse", "HEAD").strip()
    assert git(a, "log", "-1", "--format=%an|%ae|%ad", "--date=short") == (
        "Ann Lee|ann@council.gov.uk|2017-01-04\n"
    )
    git(a, "push", "-q", "origin", "main")
    git(b, "pull", "-q", "origin", "main")
    on_a = mine(history(a, "sample:2.1.1", "2017-01-06"))
    on_b = mine(history(b, "sample:2.1.1", "2017-01-06"))
    assert on_a == on_b
    assert ("2017-01-04", "Ann Lee", "percent", 25, 50, cid) in on_a


def test_two_leads_changing_one_plan_on_two_clones_are_each_recorded_once(clones):
    a, b = clones
    edit(a, "percent = 25", "percent = 60")  # 2.1.1, on a
    ca = commit(a, "Early help", by("Ann Lee", "ann@council.gov.uk", "2017-01-04"))
    git(a, "push", "-q", "origin", "main")
    edit(b, "percent = 50   # half way", "percent = 80   # half way")  # 1.1.1, on b
    cb = commit(b, "Supervision", by("Bob Ray", "bob@council.gov.uk", "2017-01-05"))
    run(b, "2017-01-05", "status")
    git(b, "pull", "-q", "--no-rebase", "--no-edit", "origin", "main")  # a merge
    git(b, "push", "-q", "origin", "main")
    git(a, "pull", "-q", "origin", "main")  # a fast-forward
    for clone in (a, b):
        one = mine(history(clone, "sample:1.1.1", "2017-01-09"))
        two = mine(history(clone, "sample:2.1.1", "2017-01-09"))
        assert [x[1:] for x in one if x[2] == "percent"] == [("Bob Ray", "percent", 50, 80, cb)]
        assert [x[1:] for x in two if x[2] == "percent"] == [("Ann Lee", "percent", 25, 60, ca)]
        every = history(clone, "sample:1.1.1", "2017-01-09")
        assert "edited by hand" not in json.dumps(every)  # the merge added nothing of its own
    commit_events = [[e for e in events(c) if e[8] is not None] for c in (a, b)]
    assert commit_events[0] == commit_events[1]


def test_a_history_rebuilt_from_nothing_agrees_with_the_old_one(clones):
    a, b = clones
    days = ["2017-01-04", "2017-01-09", "2017-01-20"]
    steps = [("percent = 25", "percent = 60"), ("percent = 60", "percent = 100"),
             ("due = 2017-06-30", "due = 2017-03-31")]  # fmt: skip
    for day, (old, new) in zip(days, steps, strict=True):
        run(b, day, "status")
        edit(a, old, new)
        commit(a, f"step on {day}", by("Ann Lee", "ann@council.gov.uk", day))
        git(a, "push", "-q", "origin", "main")
        git(b, "pull", "-q", "origin", "main")
        run(b, day, "status")
    run(b, "2017-02-10", "status")
    recorded = events(b)
    shutil.rmtree(b / "plans" / ".improve")
    run(b, "2017-02-10", "status")
    assert events(b) == recorded
    fresh = a.parent / "c"
    git(a.parent, "clone", "-q", "remote.git", "c")
    run(fresh, "2017-02-10", "status")
    assert events(fresh) == recorded
    assert any(e[4] == "time" for e in recorded)  # the passing of days is in it too


def test_a_late_pull_is_still_dated_by_the_commit(clones):
    a, b = clones
    run(b, "2017-01-03", "status")
    edit(a, "percent = 25", "percent = 60")
    cid = commit(a, "x", by("Ann Lee", "ann@council.gov.uk", "2017-01-04"))
    git(a, "push", "-q", "origin", "main")
    run(b, "2017-01-10", "status")  # b has looked since, without the commit
    git(b, "pull", "-q", "origin", "main")
    got = mine(history(b, "sample:2.1.1", "2017-01-12"))
    assert ("2017-01-04", "Ann Lee", "percent", 25, 60, cid) in got
    shutil.rmtree(b / "plans" / ".improve")  # rebuilt: the same commit events
    again = mine(history(b, "sample:2.1.1", "2017-01-12"))
    assert [x for x in again if x[2] == "percent"] == [x for x in got if x[2] == "percent"]


def test_a_commit_dated_after_today_is_recorded_today(clones):
    a, _ = clones
    edit(a, "percent = 25", "percent = 60")
    commit(a, "x", by("Ann Lee", "ann@council.gov.uk", "2017-03-01"))
    got = mine(history(a, "sample:2.1.1", "2017-01-06"))
    assert [x[:3] for x in got if x[2] == "percent"] == [("2017-01-06", "Ann Lee", "percent")]


def test_a_commit_of_a_broken_plan_is_left_out_and_the_next_one_read(clones):
    a, _ = clones
    run(a, "2017-01-03", "status")
    edit(a, "percent = 25", "percent = = 25")
    commit(a, "oops", by("Ann Lee", "ann@council.gov.uk", "2017-01-04"))
    r = CliRunner().invoke(cli, ["--plans", str(a / "plans"), "--today", "2017-01-04", "status"])
    assert "does not load; it is left out of the history" in r.stderr
    edit(a, "percent = = 25", "percent = 70")
    cid = commit(a, "fixed", by("Ann Lee", "ann@council.gov.uk", "2017-01-05"))
    got = mine(history(a, "sample:2.1.1", "2017-01-06"))
    assert ("2017-01-05", "Ann Lee", "percent", 25, 70, cid) in got


def test_a_history_kept_before_git_goes_on_from_the_head_it_finds(tmp_path, monkeypatch):
    clean_env(monkeypatch, tmp_path)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    plans = tmp_path / "council" / "plans"
    plans.mkdir(parents=True)
    write(plans, "sample.toml", SAMPLE)
    run(plans.parent, "2017-01-03", "status")  # a history, no git yet
    edit(plans.parent, "percent = 25", "percent = 30")
    run(plans.parent, "2017-01-04", "status")  # by hand
    (plans.parent / ".gitignore").write_text(".improve/\n")
    git(plans.parent, "init", "-q", "-b", "main")
    git(plans.parent, "add", ".")
    git(plans.parent, "commit", "-q", "-m", "into git", env=by("P", "p@x.org", "2017-01-05"))
    run(plans.parent, "2017-01-05", "status")
    said = history(plans.parent, "sample:2.1.1", "2017-01-06")
    assert [e["who"] for e in said if e["kind"] == "baseline"] == [None]  # not read again
    edit(plans.parent, "percent = 30", "percent = 40")
    cid = commit(plans.parent, "x", by("Ann Lee", "a@x.org", "2017-01-06"))
    got = mine(history(plans.parent, "sample:2.1.1", "2017-01-07"))
    assert got[-1][1:] == ("Ann Lee", "percent", 30, 40, cid)


def test_without_git_everything_is_as_before(clones, monkeypatch):
    a, _ = clones
    run(a, "2017-01-03", "status")
    edit(a, "percent = 25", "percent = 60")
    commit(a, "x", by("Ann Lee", "ann@council.gov.uk", "2017-01-04"))
    r = CliRunner().invoke(cli, ["--plans", str(a / "plans"), "--today", "2017-01-05", "history",
                                 "sample:2.1.1", "--json"], env={"IMPROVE_GIT": "0"})  # fmt: skip
    got = mine(json.loads(r.stdout)["events"])
    assert got[-1][:5] == ("2017-01-05", "edited by hand", "percent", 25, 60)
    monkeypatch.setenv("PATH", str(a / "nowhere"))  # no git at all: a warning, and on
    edit(a, "percent = 60", "percent = 65")
    r = CliRunner().invoke(cli, ["--plans", str(a / "plans"), "--today", "2017-01-06", "status"])
    assert r.exit_code == 0 and "history from git not read: git is not installed" in r.stderr


def test_head_is_read_from_the_files_as_git_says_it(clones):
    from improve.team import gitlog

    a, _ = clones
    repo = gitlog.find_repo(a / "plans")
    assert repo is not None and repo.top == a
    said = git(a, "rev-parse", "HEAD").strip()
    assert gitlog.head(repo) == said  # a loose ref
    git(a, "pack-refs", "--all")
    assert not (a / ".git" / "refs" / "heads" / "main").exists()
    assert gitlog.head(repo) == said  # packed
    git(a, "checkout", "-q", "--detach")
    assert gitlog.head(repo) == said  # detached
    git(a, "worktree", "add", "-q", str(a.parent / "wt"), "-b", "other")
    linked = gitlog.find_repo(a.parent / "wt" / "plans")
    assert linked is not None and linked.top == a.parent / "wt"
    assert gitlog.head(linked) == git(a.parent / "wt", "rev-parse", "HEAD").strip()
    assert gitlog.find_repo(a.parent) is None  # not in a work tree


def test_a_run_with_nothing_new_does_not_open_the_history(clones, monkeypatch):
    from improve.history import quick
    from improve.history.store import HistoryStore
    from improve.team import gitlog

    a, _ = clones
    run(a, "2017-01-05", "status")
    db = a / "plans" / ".improve" / "history.db"
    fps = {"sample": _fingerprint(a / "plans" / "sample.toml")}
    head = gitlog.quick_head(a / "plans")
    assert head == git(a, "rev-parse", "HEAD").strip()
    assert quick.nothing_to_record(db, fps, [], _day("2017-01-05"), head)
    opened = []
    monkeypatch.setattr(HistoryStore, "_open", lambda self: opened.append(self))
    run(a, "2017-01-05", "status")
    assert opened == []
    monkeypatch.undo()
    git(a, "commit", "-q", "--allow-empty", "-m", "moved", env=by("P", "p@x.org", "2017-01-05"))
    head = gitlog.quick_head(a / "plans")
    assert not quick.nothing_to_record(db, fps, [], _day("2017-01-05"), head)  # HEAD moved


def _fingerprint(path: Path) -> str:
    from improve.digest import fingerprint

    return fingerprint(path.read_bytes())


def _day(text: str):
    from datetime import date

    return date.fromisoformat(text)


def test_a_long_log_is_said_before_it_is_read(clones, monkeypatch):
    from improve.team import gitlog

    _, b = clones
    monkeypatch.setattr(gitlog, "LONG_LOG", 0)
    r = CliRunner().invoke(cli, ["--plans", str(b / "plans"), "--today", "2017-01-05", "status"])
    assert r.exit_code == 0
    assert "reading 1 commits of the plans into the history; this is done once" in r.stderr
    r = CliRunner().invoke(cli, ["--plans", str(b / "plans"), "--today", "2017-01-05", "status"])
    assert "reading" not in r.stderr  # once


def test_two_runs_reading_the_same_commits_record_them_once(clones):
    from datetime import date

    from improve.history.store import HistoryStore
    from improve.team import gitlog

    a, _ = clones
    edit(a, "percent = 25", "percent = 60")
    commit(a, "x", by("Ann Lee", "ann@council.gov.uk", "2017-01-04"))
    repo = gitlog.find_repo(a / "plans")
    assert repo is not None
    head = gitlog.head(repo)
    assert head is not None
    commits = gitlog.plan_commits(repo, a / "plans", None, head)
    assert len(commits) == 2
    who = gitlog.author_names(a / "plans")
    with HistoryStore(a / "plans") as one, HistoryStore(a / "plans") as two:
        made = []

        def read_after_the_other_run(ids):
            # `two` has found what to read; `one` reads it all before `two` writes
            made.append(one.record_commits(commits, lambda x: gitlog.blobs(repo, x), head,
                                           a / "plans", date(2017, 1, 5), who))  # fmt: skip
            return gitlog.blobs(repo, ids)

        second = two.record_commits(commits, read_after_the_other_run, head, a / "plans",
                                    date(2017, 1, 5), who)  # fmt: skip
    assert (made[0].read, second.read, second.events) == (2, 0, 0)
    assert len(events(a)) == made[0].events > 0


def test_a_change_rebased_on_a_pull_is_its_new_commits_on_every_clone(clones):
    a, b = clones
    edit(b, "percent = 50   # half way", "percent = 80   # half way")  # 1.1.1, on b
    commit(b, "Supervision", by("Bob Ray", "bob@council.gov.uk", "2017-01-04"))
    run(b, "2017-01-04", "status")  # b's history has read its own commit
    edit(a, "percent = 25", "percent = 60")  # 2.1.1, on a, pushed first
    ca = commit(a, "Early help", by("Ann Lee", "ann@council.gov.uk", "2017-01-05"))
    git(a, "push", "-q", "origin", "main")
    git(b, "pull", "-q", "--rebase", "origin", "main")  # b's commit is made anew on top
    rebased = git(b, "rev-parse", "HEAD").strip()
    git(b, "push", "-q", "origin", "main")
    git(a, "pull", "-q", "origin", "main")
    for clone in (a, b):
        one = mine(history(clone, "sample:1.1.1", "2017-01-09"))
        two = mine(history(clone, "sample:2.1.1", "2017-01-09"))
        assert [x[1:] for x in one if x[2] == "percent"] == [
            ("Bob Ray", "percent", 50, 80, rebased)
        ]
        assert [x[1:] for x in two if x[2] == "percent"] == [("Ann Lee", "percent", 25, 60, ca)]
    old = [e for e in events(b) if e[8] is not None]
    shutil.rmtree(b / "plans" / ".improve")
    run(b, "2017-01-09", "status")
    assert [e for e in events(b) if e[8] is not None] == old


async def test_the_app_open_during_a_pull_shows_the_change_as_its_authors(clones):
    from datetime import date

    from textual.widgets import Static

    from app_helpers import plain
    from helpers import running, wait_for
    from improve.tui.action import ActionScreen

    a, b = clones
    edit(a, "percent = 25", "percent = 60")
    cid = commit(a, "Early help", by("Ann Lee", "ann@council.gov.uk", "2017-01-04"))
    git(a, "push", "-q", "origin", "main")
    async with running(b / "plans", date(2017, 1, 6), poll=0.05, history=True) as (app, pilot):
        git(b, "pull", "-q", "origin", "main")  # while the app is open, as a lead would
        path = b / "plans" / "sample.toml"
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))
        assert await wait_for(lambda: any("Reloaded" in m for m in app.notify.messages), pilot)
        app.workers.cancel_all()
        app.show_action("sample", "2.1.1")
        await pilot.pause()
        await pilot.press("h")
        screen = app.screen
        assert isinstance(screen, ActionScreen)
        view = screen.query_one("#history", Static)
        assert await wait_for(lambda: "percent complete 25% → 60%" in plain(view.content), pilot)
        text = plain(view.content)
        assert "Ann Lee" in text and f"commit {cid[:7]}" in text
        assert "edited by hand" not in text
