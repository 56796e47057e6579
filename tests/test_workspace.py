"""The one path every change takes: `Workspace.update`.

It reads and parses only the file it changes (twice: before and after the edit),
records a hand edit of that plan before the change, records the change with its author
in the same history transaction, and hands back the new state of that plan only.
"""

from __future__ import annotations

import threading
import tomllib
from datetime import date

import pytest

from helpers import SAMPLE, there, write
from improve.api import (
    Change,
    ConflictError,
    EditError,
    HistoryError,
    PlanFileError,
    Target,
    Workspace,
)
from improve.history import HAND, HistoryStore

TODAY = date(2017, 1, 5)


@pytest.fixture
def parses(monkeypatch):
    """Every text tomllib parses from now on, in order."""
    seen: list[str] = []
    real = tomllib.loads

    def counting(text, *a, **kw):
        seen.append(text)
        return real(text, *a, **kw)

    monkeypatch.setattr(tomllib, "loads", counting)
    return seen


def test_an_update_parses_its_file_twice_and_no_other(plans, parses):
    write(plans, "other.toml", '[plan]\ntitle = "Other"\n')
    write(plans, "broken.toml", "[plan\n")  # never read: only the changed file is
    ws = Workspace(plans)
    done = ws.update("sample:1.1.1", Change(percent=60), TODAY, "Ann")
    assert len(parses) == 2
    assert "percent = 50   # half way" in parses[0]  # the file before …
    assert "percent = 60   # half way" in parses[1]  # … and after
    assert done.action.percent == 60 and done.status.plan.id == "sample"
    ws.close()


def test_an_update_with_the_folder_loaded_still_parses_twice(plans, parses):
    ws = Workspace(plans, history=False)
    portfolio = ws.load()
    parses.clear()
    ws.update("sample:1.1.1", Change(percent=60), TODAY, "Ann", portfolio=portfolio)
    assert len(parses) == 2


def test_the_new_state_replaces_only_that_file(plans):
    write(plans, "other.toml", '[plan]\ntitle = "Other"\n')
    ws = Workspace(plans, history=False)
    portfolio = ws.load()
    statuses = ws.statuses(portfolio, TODAY)
    done = ws.update("sample:2.1.1", Change(percent=80), TODAY, "Ann", portfolio=portfolio)
    after = done.apply(portfolio)
    other_before = next(f for f in portfolio.files if f.path.name == "other.toml")
    other_after = next(f for f in after.files if f.path.name == "other.toml")
    assert other_after is other_before  # not read again
    assert there(there(after.plan("sample")).find_action("2.1.1"))[1].percent == 80
    assert [f.path for f in after.files] == [f.path for f in portfolio.files]
    new_statuses = {ps.plan.id: ps for ps in done.apply_statuses(statuses)}
    old_statuses = {ps.plan.id: ps for ps in statuses}
    assert new_statuses["other"] is old_statuses["other"]
    assert new_statuses["sample"] is done.status
    # and nothing is stale: a reload finds nothing changed since the edit
    assert Workspace.reload(after) is None


def test_a_plan_whose_id_is_not_its_file_name_is_found(plans):
    write(plans, "a.toml", SAMPLE.replace("[plan]\n", '[plan]\nid = "custom"\n'))
    ws = Workspace(plans, history=False)
    done = ws.update("custom:1.1.2", Change(percent=10), TODAY, None)
    assert done.path.name == "a.toml"
    assert "percent = 10" in (plans / "a.toml").read_text()


def test_a_file_named_for_another_plan_is_not_edited(plans):
    """sample.toml holds the plan "elsewhere"; "sample" lives in b.toml."""
    text = (plans / "sample.toml").read_text()
    (plans / "sample.toml").write_text(text.replace("[plan]\n", '[plan]\nid = "elsewhere"\n'))
    write(plans, "b.toml", SAMPLE.replace("[plan]\n", '[plan]\nid = "sample"\n'))
    before = (plans / "sample.toml").read_bytes()
    done = Workspace(plans, history=False).update("sample:1.1.2", Change(percent=5), TODAY, None)
    assert done.path.name == "b.toml"
    assert (plans / "sample.toml").read_bytes() == before


@pytest.mark.parametrize(
    "target,kind,code",
    [
        ("nope:1.1.1", EditError, "unknown-plan"),
        ("sample:9.9", EditError, "unknown-action"),
        ("sample", EditError, "bad-target"),
        (":1.1", EditError, "bad-target"),
    ],
)
def test_what_cannot_be_found_is_said_with_a_code(plans, target, kind, code):
    with pytest.raises(kind) as caught:
        Workspace(plans, history=False).update(target, Change(percent=5), TODAY, None)
    assert caught.value.code == code and caught.value.field == "target"


def test_a_plan_with_errors_is_refused_with_its_problems(plans):
    path = plans / "sample.toml"
    path.write_text(path.read_text().replace('kind = "ofsted"', 'kind = "ofstead"'))
    before = path.read_bytes()
    with pytest.raises(PlanFileError) as caught:
        Workspace(plans, history=False).update("sample:1.1.1", Change(percent=5), TODAY, None)
    assert caught.value.code == "plan-has-errors"
    assert [(p.line, p.col) for p in caught.value.problems] == [(4, 8)]  # the kind
    assert path.read_bytes() == before


def test_a_hand_edit_is_recorded_before_the_change_and_apart_from_it(plans):
    store = HistoryStore(plans)
    ws = Workspace(plans, store=store)
    portfolio = ws.load()
    ws.sync(portfolio, TODAY)  # the baseline
    path = plans / "sample.toml"
    path.write_text(path.read_text().replace("percent = 25", "percent = 30"))  # in an editor
    ws.update("sample:2.1.1", Change(percent=40), TODAY, "Ann Lead")
    moves = [
        (e.old, e.new, e.who) for e in store.history("sample", "2.1.1") if e.field == "percent"
    ]
    assert moves == [(25, 30, HAND), (30, 40, "Ann Lead")]
    store.close()


def test_history_failing_after_the_write_is_a_warning_not_a_failure(plans, monkeypatch):
    store = HistoryStore(plans)
    ws = Workspace(plans, store=store)
    calls = []
    real = HistoryStore.sync

    def sync(self, *a, **kw):
        calls.append(kw.get("targets"))
        if kw.get("targets"):  # the record of the change itself, after the write
            raise HistoryError("the disk is full")
        return real(self, *a, **kw)

    monkeypatch.setattr(HistoryStore, "sync", sync)
    done = ws.update("sample:1.1.2", Change(percent=10), TODAY, "Ann")
    assert done.history_warning == "written; history not recorded: the disk is full"
    assert "percent = 10" in (plans / "sample.toml").read_text()
    assert len(calls) == 2
    store.close()


def test_history_failing_before_the_write_stops_the_change(plans, monkeypatch):
    store = HistoryStore(plans)
    ws = Workspace(plans, store=store)
    before = (plans / "sample.toml").read_bytes()

    def sync(self, *a, **kw):
        raise HistoryError("the history database is busy", code="history-busy")

    monkeypatch.setattr(HistoryStore, "sync", sync)
    with pytest.raises(HistoryError):
        ws.update("sample:1.1.2", Change(percent=10), TODAY, "Ann")
    assert (plans / "sample.toml").read_bytes() == before
    store.close()


def test_a_history_that_cannot_be_opened_warns_once_and_the_change_is_made(plans, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    warnings: list[str] = []
    ws = Workspace(plans, db=blocker / "history.db", warn=warnings.append)
    ws.update("sample:1.1.2", Change(percent=10), TODAY, "Ann")
    ws.update("sample:1.1.2", Change(percent=20), TODAY, "Ann")
    assert len(warnings) == 1 and warnings[0].startswith("history not recorded: ")
    assert "percent = 20" in (plans / "sample.toml").read_text()
    with pytest.raises(HistoryError) as caught:
        ws.require_store()
    assert caught.value.code == "history-unusable" and caught.value.field == "db"


def test_writers_to_different_actions_of_one_file_lose_nothing(plans):
    """Each writer takes the file's lock and reads the file as it is: no update is lost."""
    errors: list[BaseException] = []

    def lead(ref: str) -> None:
        ws = Workspace(plans, history=False)  # no shared history: the file lock alone
        try:
            for n in range(1, 9):
                ws.update(f"sample:{ref}", Change(percent=n * 10), TODAY, ref)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=lead, args=(ref,)) for ref in ("1.1.1", "1.1.2", "2.1.1")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    data = tomllib.loads((plans / "sample.toml").read_text())
    actions = {a["ref"]: a for r in data["recommendation"] for a in r["action"]}
    for ref in ("1.1.1", "1.1.2", "2.1.1"):
        assert actions[ref]["percent"] == 80
        assert [u.get("percent") for u in actions[ref]["update"] if u.get("by") == ref] == [
            10,
            20,
            30,
            40,
            50,
            60,
            70,
            80,
        ]


def test_target_parses_plan_and_ref():
    assert Target.parse("telford-ofsted-2016:1.1.1") == ("telford-ofsted-2016", "1.1.1")
    assert Target.parse("p:1:a") == ("p", "1:a")  # a ref may hold a colon, a plan id never
    assert str(Target("p", "1.1")) == "p:1.1"


def test_expected_action_refuses_only_when_that_action_changed(plans):
    ws = Workspace(plans, history=False)
    portfolio = ws.load()
    seen = there(there(portfolio.plan("sample")).find_action("1.1.1"))[1]
    path = plans / "sample.toml"
    path.write_text(path.read_text().replace("percent = 25", "percent = 30"))  # 2.1.1, elsewhere
    ws.update("sample:1.1.1", Change(note="on top"), TODAY, "A", expected_action=seen)
    text = path.read_text()
    assert "percent = 30" in text and 'note = "on top"' in text
    # now 1.1.1 itself has changed since `seen`: refused, nothing written
    before = path.read_bytes()
    with pytest.raises(ConflictError) as caught:
        ws.update("sample:1.1.1", Change(percent=70), TODAY, "A", expected_action=seen)
    assert caught.value.code == "conflict-action"
    assert path.read_bytes() == before
