"""The exit status says whether the plan changed (issue 11 item 2): once the file is
written the update has happened; a history that fails afterwards, or a writer killed
between the rename and the history's commit, is recorded on the next run as by its
author, never as "edited by hand", and never twice."""

from __future__ import annotations

import json
import multiprocessing
import os
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from helpers import SAMPLE, write
from improve.api import Change, HistoryError, Workspace
from improve.cli import cli
from improve.edits import journal
from improve.history import HistoryStore

TODAY = date(2017, 1, 5)


def folder_with_plan(tmp_path):
    """The sample plan, already known to its history (as it is after any first run)."""
    plans = tmp_path / "plans"
    plans.mkdir()
    write(plans, "sample.toml", SAMPLE)
    with Workspace(plans) as ws:
        ws.sync(ws.load(), TODAY, quiet=False)
    return plans


def events(plans, ref: str) -> list[tuple]:
    store = HistoryStore(plans)
    try:
        return [(e.kind, e.field, e.who) for e in store.history("sample", ref)]
    finally:
        store.close()


def test_a_history_that_fails_after_the_write_is_recorded_by_the_author_next_run(
    tmp_path, monkeypatch
):
    plans = folder_with_plan(tmp_path)
    real = HistoryStore.sync

    def full(self, *a, **kw):
        if kw.get("targets") and a and a[-1] == "Ann":  # the record of Ann's change itself
            raise HistoryError("database or disk is full")
        return real(self, *a, **kw)

    monkeypatch.setattr(HistoryStore, "sync", full)
    r = CliRunner().invoke(
        cli, ["--plans", str(plans), "--today", "2017-01-05", "update", "sample:1.1.2",
              "--percent", "10", "--by", "Ann"], catch_exceptions=False,
    )  # fmt: skip
    monkeypatch.setattr(HistoryStore, "sync", real)
    assert r.exit_code == 0, r.output  # the plan changed: success, with a warning
    assert "improve: warning: written; history not recorded: database or disk is full" in (r.output)
    assert "percent = 10" in (plans / "sample.toml").read_text()
    assert len(journal.notes(plans)) == 1  # noted, not yet recorded
    # the next run, any command, records it as Ann's
    r = CliRunner().invoke(cli, ["--plans", str(plans), "--today", "2017-01-06", "status"])
    assert r.exit_code == 0, r.output
    assert ("edit", "percent", "Ann") in events(plans, "1.1.2")
    assert not any(who == "edited by hand" for _, _, who in events(plans, "1.1.2"))
    assert journal.notes(plans) == []
    # and only once: a second run adds nothing
    before = events(plans, "1.1.2")
    CliRunner().invoke(cli, ["--plans", str(plans), "--today", "2017-01-06", "status"])
    assert events(plans, "1.1.2") == before
    text = (plans / "sample.toml").read_text()
    assert text.count("[[recommendation.action.update]]") == 2  # the sample's one, and Ann's


def _killed_after_the_rename(plans: str) -> None:
    """A writer that dies (as if SIGKILLed) after the file is replaced, before the
    history records the change."""
    real = HistoryStore.sync

    def die(self, *a, **kw):
        if kw.get("targets"):
            os._exit(9)
        return real(self, *a, **kw)

    HistoryStore.sync = die  # type: ignore[method-assign]
    ws = Workspace(Path(plans))
    ws.update("sample:1.1.2", Change(percent=30, note="half way"), TODAY, "Bo")


def test_a_writer_killed_between_the_rename_and_the_history_is_recorded_as_its_author(
    tmp_path,
):
    plans = folder_with_plan(tmp_path)
    child = multiprocessing.get_context("fork").Process(
        target=_killed_after_the_rename, args=(str(plans),)
    )
    child.start()
    child.join(60)
    assert child.exitcode == 9
    assert "percent = 30" in (plans / "sample.toml").read_text()  # the write landed whole
    # the next writer, to another action of the file, records Bo's first
    ws = Workspace(plans)
    ws.update("sample:2.1.1", Change(percent=40), TODAY, "Cy")
    ws.close()
    assert ("edit", "percent", "Bo") in events(plans, "1.1.2")
    assert ("edit", "percent", "Cy") in events(plans, "2.1.1")
    whos = [who for ref in ("1.1.2", "2.1.1") for _, _, who in events(plans, ref)]
    assert "edited by hand" not in whos
    assert journal.notes(plans) == []


def test_a_hand_edit_over_an_unrecorded_write_is_told_as_a_hand_edit(tmp_path):
    plans = folder_with_plan(tmp_path)
    child = multiprocessing.get_context("fork").Process(
        target=_killed_after_the_rename, args=(str(plans),)
    )
    child.start()
    child.join(60)
    path = plans / "sample.toml"
    path.write_text(path.read_text().replace("percent = 30", "percent = 35"))
    r = CliRunner().invoke(cli, ["--plans", str(plans), "--today", "2017-01-05", "status"])
    assert r.exit_code == 0
    (percent,) = [e for e in events(plans, "1.1.2") if e[1] == "percent"]
    assert percent == ("edit", "percent", "edited by hand")  # nobody's word but the file's
    assert journal.notes(plans) == []


def test_a_note_that_is_not_ours_is_dropped(tmp_path):
    plans = folder_with_plan(tmp_path)
    folder = plans / journal.JOURNAL_DIR
    folder.mkdir(parents=True)
    (folder / "junk.json").write_text("{not json")
    (folder / "half.json").write_text(json.dumps({"plan": "sample"}))
    assert journal.notes(plans) == [] and list(folder.iterdir()) == []
