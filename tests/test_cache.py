"""The plan cache never serves stale data (issue 12 item 3): every way a file can change
is seen, a cache that is damaged, old, or someone else's is ignored (and never unpickled),
and a cached load is the same as a fresh one."""

from __future__ import annotations

import json
import os
import pickle
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import SAMPLE, run_cli, there, write
from improve.plans.folder import load_folder
from improve.speed import cache as cache_mod
from improve.workspace import Workspace

OTHER = SAMPLE.replace("percent = 50   # half way", "percent = 75   # further ")
assert len(OTHER) == len(SAMPLE) and OTHER != SAMPLE  # the same size: times must tell


def cached_load(folder: Path):
    ws = Workspace(folder, warn=lambda m: None)
    try:
        return ws.load(), ws.cache_stats
    finally:
        ws.close()


def same(a, b) -> bool:
    """Two loads of a folder say the same: the same files, plans and problems."""
    return [(f.path, f.plan, f.problems, f.fingerprint) for f in a.files] == [
        (f.path, f.plan, f.problems, f.fingerprint) for f in b.files
    ]


def cache_files(folder: Path, kind: str = "") -> list[Path]:
    """The cache's index files (`kind` "plans": the pickled plans beside them; "json": the
    memos' JSON)."""
    found = (folder / ".improve" / "cache").glob("*.bin")
    if kind:
        return sorted(p for p in found if p.name.endswith(f".{kind}.bin"))
    return sorted(p for p in found if p.name.count(".") == 1)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    plans = tmp_path / "plans"
    plans.mkdir()
    write(plans, "sample.toml", SAMPLE)
    write(plans, "second.toml", SAMPLE.replace("Sample improvement plan", "Second plan"))
    return plans


def test_a_second_load_comes_from_the_cache_and_is_the_same(folder):
    first, stats = cached_load(folder)
    assert stats == (0, 2) and len(cache_files(folder)) == len(cache_files(folder, "plans")) == 1
    second, stats = cached_load(folder)
    assert stats == (2, 0)
    assert same(first, second) and same(second, load_folder(folder))


def test_a_touched_file_is_read_again(folder):
    cached_load(folder)
    path = folder / "sample.toml"
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1))
    _, stats = cached_load(folder)
    assert stats == (1, 1)


def test_an_edit_that_keeps_the_size_and_the_modification_time_is_seen(folder):
    """Written within the same second, or with its time put back (as some copy tools
    and editors do): the change time and, close to the read, the bytes tell."""
    cached_load(folder)
    path = folder / "sample.toml"
    st = path.stat()
    path.write_text(OTHER, encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns
    loaded, stats = cached_load(folder)
    assert stats == (1, 1)
    assert loaded.plan("sample").find_action("1.1.1")[1].percent == 75


def test_on_a_filesystem_whose_times_cannot_tell_the_bytes_do(folder, monkeypatch):
    """Where a file's times are coarse (whole seconds, no change time), an edit of the same
    size just after a read leaves its stat as it was: such a recent entry is trusted only
    while the bytes on disk hash the same."""
    monkeypatch.setattr(cache_mod, "stat_key", lambda st: (st.st_size, st.st_ino))
    cached_load(folder)
    path = folder / "sample.toml"
    path.write_text(OTHER, encoding="utf-8")
    loaded, stats = cached_load(folder)
    assert stats == (1, 1)
    assert same(loaded, load_folder(folder))


def test_a_file_replaced_by_rename_is_read_again(folder, tmp_path):
    cached_load(folder)
    new = tmp_path / "new.toml"
    new.write_text(OTHER, encoding="utf-8")
    os.replace(new, folder / "sample.toml")
    loaded, stats = cached_load(folder)
    assert stats == (1, 1)
    assert loaded.plan("sample").find_action("1.1.1")[1].percent == 75


def test_a_deleted_file_is_gone_and_leaves_the_cache(folder):
    cached_load(folder)
    (folder / "second.toml").unlink()
    loaded, stats = cached_load(folder)
    assert [p.id for p in loaded.plans] == ["sample"] and stats == (1, 0)
    raw = cache_files(folder)[0].read_bytes()
    assert b"second.toml" not in raw  # the entry is not kept once its file is gone


def test_a_plans_file_of_another_index_is_not_used(folder):
    """The plans file is read only with the index that names its token: one from an
    earlier save (restored from a backup, say) is not, and the plans are parsed again."""
    cached_load(folder)
    (plans,) = cache_files(folder, "plans")
    old = plans.read_bytes()
    write(folder, "second.toml", SAMPLE.replace("Sample improvement plan", "Changed"))
    cached_load(folder)  # a parse: the plans file is written anew, with a new token
    plans.write_bytes(old)
    loaded, stats = cached_load(folder)
    assert stats == (0, 2) and same(loaded, load_folder(folder))


def test_a_run_from_the_memos_reads_no_plan(folder, monkeypatch):
    """A warm count reads the index and its memos, never the pickled plans."""
    assert run_cli(folder, "actions", "--count").exit_code == 0
    (plans,) = cache_files(folder, "plans")
    read = cache_mod._read_signed

    def never_the_plans(path, *args):
        assert path != plans, "the plans were read"
        return read(path, *args)

    monkeypatch.setattr(cache_mod, "_read_signed", never_the_plans)
    monkeypatch.setattr("improve.status.rules.plan_status", None)  # nor are the rules run
    r = run_cli(folder, "actions", "--count")
    assert r.exit_code == 0 and r.output == "6\n"


def test_two_files_swapped_by_name_are_each_read_again(folder, tmp_path):
    cached_load(folder)
    a, b = folder / "sample.toml", folder / "second.toml"
    os.replace(a, tmp_path / "swap")
    os.replace(b, a)
    os.replace(tmp_path / "swap", b)
    loaded, _ = cached_load(folder)
    assert same(loaded, load_folder(folder))
    assert loaded.plan("sample").title == "Second plan"


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: b"",
        lambda raw: raw[: len(raw) // 2],
        lambda raw: raw[:-1] + bytes([raw[-1] ^ 1]),  # one bit of the body
        lambda raw: b"not a cache at all" * 10,
        lambda raw: raw[:-32] + bytes(32),  # the signature zeroed
    ],
    ids=["empty", "cut short", "a bit flipped", "garbage", "unsigned"],
)
@pytest.mark.parametrize("kind", ["", "plans"], ids=["index", "plans"])
def test_a_damaged_cache_is_ignored_and_rebuilt(folder, damage, kind):
    first, _ = cached_load(folder)
    (path,) = cache_files(folder, kind)
    path.write_bytes(damage(path.read_bytes()))
    loaded, stats = cached_load(folder)
    assert stats == (0, 2) and same(loaded, first)
    _, stats = cached_load(folder)
    assert stats == (2, 0)  # rebuilt


def test_a_cache_from_another_version_is_ignored(folder, monkeypatch):
    cached_load(folder)
    monkeypatch.setattr(cache_mod, "_version", "another version")
    _, stats = cached_load(folder)
    assert stats == (0, 2)


TRIPWIRE = "import os; os.environ['IMPROVE_TEST_TRIPWIRE'] = 'unpickled'"


class _Tripwire:
    def __reduce__(self):
        return (exec, (TRIPWIRE,))


def _plant(folder: Path, path: Path, key: bytes) -> None:
    """Write a cache file whose entry for sample.toml matches the file and runs code when
    unpickled, signed with `key`."""
    planted = cache_mod.PlanCache(path, folder, key)
    st_ = (folder / "sample.toml").stat()
    planted.kept = {
        "sample.toml": (
            cache_mod.stat_key(st_),
            "x",
            True,
            pickle.dumps(_Tripwire()),
            "sample",
            None,
        )
    }
    planted.dirty = True
    planted.save()


def test_a_cache_someone_else_wrote_is_never_unpickled(folder, monkeypatch):
    """A shared folder's cache file written by another user (or planted in a clone) is
    not signed with this user's key: it is replaced, and nothing in it is run."""
    cached_load(folder)
    (path,) = cache_files(folder)
    monkeypatch.delenv("IMPROVE_TEST_TRIPWIRE", raising=False)
    _plant(folder, path, bytes(range(32)))
    _, stats = cached_load(folder)
    assert "IMPROVE_TEST_TRIPWIRE" not in os.environ and stats == (0, 2)
    # the same file signed with this user's key is trusted (so the test above can fail)
    _plant(folder, path, there(cache_mod.user_key()))
    cached_load(folder)
    assert os.environ.get("IMPROVE_TEST_TRIPWIRE") == "unpickled"


def test_the_key_is_the_users_alone(folder):
    cached_load(folder)
    key = cache_mod.key_folder() / "cache-key"
    assert key.stat().st_mode & 0o077 == 0 and len(key.read_bytes()) == 32


def test_no_key_no_cache_and_no_error(folder, monkeypatch, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    loaded, stats = cached_load(folder)
    assert stats is None and same(loaded, load_folder(folder))


def test_a_folder_that_cannot_be_written_is_read_without_a_cache(folder, tmp_path):
    history = tmp_path / "history-folder"
    history.mkdir()
    (history / "cache").write_text("a file where the cache folder would be")
    ws = Workspace(folder, db=history / "history.db", warn=lambda m: None)
    loaded = ws.load()
    ws.close()
    assert same(loaded, load_folder(folder))


def test_the_cache_follows_the_history_and_its_switch(folder, monkeypatch):
    ws = Workspace(folder, history=False)
    ws.load()
    assert cache_files(folder) == []
    monkeypatch.setenv("IMPROVE_CACHE", "0")
    cached_load(folder)
    assert cache_files(folder) == []


def test_a_broken_file_is_cached_and_named_from_where_it_is_read(folder, monkeypatch, tmp_path):
    write(folder, "broken.toml", '[plan]\ntitle = "Broken"\nkind = "nonsense"\n')
    monkeypatch.chdir(folder)
    first, _ = cached_load(folder)
    assert [p.file for p in first.problems] == ["broken.toml"]
    monkeypatch.chdir(tmp_path)
    again, stats = cached_load(folder)
    assert stats == (3, 0)
    assert [p.file for p in again.problems] == ["plans/broken.toml"]
    assert same(again, load_folder(folder))


def test_the_command_line_says_the_same_from_the_cache(folder, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cold = run_cli(folder, "status", "--json", db=tmp_path / "h.db")
    warm = run_cli(folder, "status", "--json", db=tmp_path / "h.db")
    assert cold.exit_code == 0 and cold.output == warm.output
    assert json.loads(warm.output)["plans"][0]["id"] == "sample"
    # beside the history: the index and memos, the plans, and (written by a status
    # --json) the memos' JSON
    names = sorted(p.name.split(".", 1)[1] for p in (tmp_path / "cache").glob("*.bin"))
    assert names == ["bin", "json.bin", "plans.bin"]


# -- every sequence of changes: a cached load is a fresh load --------------------------

VARIANTS = [SAMPLE, OTHER, SAMPLE.replace("due = 2017-01-31", "due = 2017-02-28"), "[plan\n"]
OPS = st.sampled_from(["write", "write-keep-time", "touch", "rename-over", "delete", "load"])


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    steps=st.lists(
        st.tuples(OPS, st.integers(0, 2), st.integers(0, len(VARIANTS) - 1)), max_size=12
    ),
    coarse=st.booleans(),
)
def test_any_sequence_of_changes_is_seen(tmp_path_factory, steps, coarse):
    folder = tmp_path_factory.mktemp("plans")
    names = ["a.toml", "b.toml", "c.toml"]
    for name in names[:2]:
        (folder / name).write_text(SAMPLE, encoding="utf-8")
    real_key = cache_mod.stat_key
    if coarse:  # times in whole seconds and no change time: only size, inode and bytes tell
        cache_mod.stat_key = lambda st: (st.st_size, st.st_mtime_ns // 10**9, 0, st.st_ino, 0)
    try:
        cached_load(folder)
        for op, which, variant in steps:
            path = folder / names[which]
            if op == "write":
                path.write_text(VARIANTS[variant], encoding="utf-8")
            elif op == "write-keep-time" and path.exists():
                st_ = path.stat()
                path.write_text(VARIANTS[variant], encoding="utf-8")
                os.utime(path, ns=(st_.st_atime_ns, st_.st_mtime_ns))
            elif op == "touch" and path.exists():
                os.utime(path)
            elif op == "rename-over":
                tmp = folder.parent / f"{folder.name}-new"
                tmp.write_text(VARIANTS[variant], encoding="utf-8")
                os.replace(tmp, path)
            elif op == "delete" and path.exists():
                path.unlink()
            loaded, _ = cached_load(folder)
            assert same(loaded, load_folder(folder)), (op, which, variant)
    finally:
        cache_mod.stat_key = real_key
        shutil.rmtree(folder)
