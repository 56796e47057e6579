"""`report --for BODY --meeting DATE` killed at each moment it could be: the record of the
reporting and its file in plans/reported are kept together. After every kill and the next
run there is one record in the history and one file on disk holding it (or, killed before
it was recorded, neither); never a reporting twice, never one with no file."""

from __future__ import annotations

import multiprocessing
import os
import signal

import pytest

import improve.history.report_files as report_files
from helpers import SAMPLE, clean_env, plans_folder, run_cli
from improve.history import HistoryStore
from improve.plans import files

TODAY = "2017-01-05"
REPORT = ("report", "--for", "Scrutiny Committee", "--meeting", "2017-01-12", "--format", "csv")


@pytest.fixture
def folder(tmp_path, monkeypatch):
    clean_env(monkeypatch, tmp_path)
    return plans_folder(tmp_path, "sample.toml", SAMPLE)


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _kill_at(point: str) -> None:
    """In the child: be killed (SIGKILL, nothing cleaned up) at `point` of the recording."""
    if point == "in the transaction":  # the rows written, not yet committed
        real_reserve = report_files.reserve

        def reserve(*args, **kw):
            real_reserve(*args, **kw)
            _die()

        report_files.reserve = reserve
    real_create = files.create_new

    def create_new(path, data):
        if os.path.basename(os.path.dirname(str(path))) == report_files.FOLDER:
            if point == "before the file":  # recorded, no file yet
                _die()
            if point == "file half written":  # the temp file written, not yet named
                os.link = lambda *a, **kw: _die()
            real_create(path, data)
            if point == "file written":  # the file named, the history not told
                _die()
            return
        real_create(path, data)

    files.create_new = create_new


def _report_killed(folder, point: str) -> None:
    def child() -> None:
        _kill_at(point)
        run_cli(folder, *REPORT, "-o", str(folder.parent / "r.csv"), today=TODAY)
        os._exit(0)  # not killed: the point was never reached

    proc = multiprocessing.get_context("fork").Process(target=child)
    proc.start()
    proc.join(60)
    assert proc.exitcode == -signal.SIGKILL, f"not killed at {point!r}"


def _kept(folder) -> tuple[list, list[str], list]:
    """(each reporting in the history as (its file, the text it renders to), the names of
    the files on disk, the history's rows)."""
    with HistoryStore(folder) as store:
        uids = [r[0] for r in store.db.execute("select distinct uid from reports order by id")]
        named = [
            (store.db.execute(
                "select file from report_files where uid = ? order by rowid", [u]
            ).fetchone()[0], report_files.render(store, u))
            for u in uids
        ]  # fmt: skip
        rows = store.db.execute("select plan_id, body, meeting from reports").fetchall()
    on_disk = sorted(p.name for p in (folder / report_files.FOLDER).glob("*.toml"))
    return named, on_disk, rows


def _one_each(folder) -> None:
    named, on_disk, rows = _kept(folder)
    assert len(named) == 1 and len(on_disk) == 1, (named, on_disk)
    ((name, text),) = named
    assert name == on_disk[0] and name.startswith("2017-01-12-scrutiny-committee-")
    assert (folder / report_files.FOLDER / name).read_text(encoding="utf-8") == text
    assert rows == [("sample", "Scrutiny Committee", "2017-01-12")]


@pytest.mark.parametrize(
    "point", ["in the transaction", "before the file", "file half written", "file written"]
)
def test_a_report_killed_at_any_point_is_recorded_once_with_its_file(folder, point):
    run_cli(folder, "status", today=TODAY)  # a history to begin with
    _report_killed(folder, point)
    r = run_cli(folder, "status", "--json", today=TODAY)  # the next run
    assert r.exit_code == 0, r.output
    if point == "in the transaction":  # nothing was recorded: nothing is there
        named, on_disk, rows = _kept(folder)
        assert (named, on_disk, rows) == ([], [], [])
        r = run_cli(folder, *REPORT, "-o", str(folder.parent / "r.csv"), today=TODAY)
        assert r.exit_code == 0, r.output
    else:
        assert '"meeting": "2017-01-12"' in r.stdout  # status says it at once
    _one_each(folder)
    r = run_cli(folder, "programme", "--json", today=TODAY)  # and it stays so
    assert r.exit_code == 0, r.output
    _one_each(folder)


def test_a_file_from_another_clone_taking_the_name_is_kept_too(folder, monkeypatch, tmp_path):
    """A pull (or a copy) brings another reporting's file under the very name this one
    is about to be written as: this one takes the next name, and the other is read in as
    its own reporting."""
    (tmp_path / "other").mkdir()
    other = plans_folder(tmp_path / "other", "sample.toml", SAMPLE)
    r = run_cli(other, *REPORT, "-o", str(tmp_path / "o.csv"), "--by", "Them", today=TODAY)
    assert r.exit_code == 0, r.output
    (theirs,) = (other / report_files.FOLDER).glob("*.toml")
    real_create = files.create_new
    taken: list[str] = []

    def create_new(path, data):
        if path.parent.name == report_files.FOLDER and not taken:
            taken.append(path.name)
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(theirs.read_bytes())  # arrived under this very name
        real_create(path, data)

    monkeypatch.setattr(files, "create_new", create_new)
    r = run_cli(folder, *REPORT, "-o", str(tmp_path / "r.csv"), "--by", "Us", today=TODAY)
    assert r.exit_code == 0, r.output
    (name,) = taken
    ours = name.replace(".toml", "-2.toml")
    assert ours in r.stdout
    monkeypatch.setattr(files, "create_new", real_create)
    assert run_cli(folder, "status", today=TODAY).exit_code == 0
    named, on_disk, rows = _kept(folder)
    assert on_disk == [ours, name]
    assert sorted(n for n, _ in named) == on_disk and len(rows) == 2
    assert (folder / report_files.FOLDER / name).read_bytes() == theirs.read_bytes()
    assert '"Us"' in (folder / report_files.FOLDER / ours).read_text()


def test_a_reported_folder_that_is_a_file_records_nothing(folder, tmp_path):
    (folder / report_files.FOLDER).write_text("in the way")
    r = run_cli(folder, *REPORT, "-o", str(tmp_path / "r.csv"), today=TODAY)
    assert r.exit_code == 1
    assert "a file, not a folder" in r.output and "nothing was recorded" in r.output
    assert _kept(folder)[2] == []
