"""A history on a network file system uses SQLite's rollback journal, never WAL, and says
so once (history/fs.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from click.testing import CliRunner

from helpers import SAMPLE, write
from improve.cli import cli
from improve.history.fs import filesystem, mounted_on, network_fs
from improve.history.store import HistoryStore

MOUNTINFO = """\
22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
30 22 0:27 / /home rw shared:2 - ext4 /dev/sda2 rw
41 22 0:40 / /mnt/council\\040share rw shared:9 - cifs //files/plans rw,vers=3.0
42 22 0:41 / /mnt/nfs rw - nfs4 server:/export rw
43 42 0:42 / /mnt/nfs/local rw - ext4 /dev/sdb1 rw
44 22 0:43 / /mnt/ssh rw - fuse.sshfs me@host:/plans rw
"""


def test_the_file_system_is_the_one_of_the_deepest_mount(tmp_path):
    def kind(path: str) -> str | None:
        return mounted_on(path, MOUNTINFO)

    assert kind("/") == "ext4" and kind("/home/jo/plans") == "ext4"
    assert kind("/mnt/council share/plans/.improve") == "cifs"  # a space, escaped
    assert kind("/mnt/council") == "ext4"  # a name that only starts like the mount
    assert kind("/mnt/nfs/plans") == "nfs4" and kind("/mnt/nfs/local/x") == "ext4"
    assert kind("/mnt/ssh/a") == "fuse.sshfs"
    assert mounted_on(str(tmp_path), "") is None  # nothing to tell by: local
    assert filesystem(tmp_path / "not" / "made" / "yet") == filesystem(tmp_path)


def test_network_file_systems_and_the_switch(tmp_path, monkeypatch):
    import improve.history.fs as fs

    for kind, network in (("nfs4", True), ("cifs", True), ("fuse.sshfs", True),
                          ("ext4", False), ("tmpfs", False), ("btrfs", False)):  # fmt: skip
        monkeypatch.setattr(fs, "filesystem", lambda path, k=kind: k)
        assert (network_fs(tmp_path, {}) is not None) is network, kind
        assert network_fs(tmp_path, {"IMPROVE_NETWORK_FS": "0"}) is None
        assert network_fs(tmp_path, {"IMPROVE_NETWORK_FS": "1"}) is not None


def test_on_a_network_drive_the_history_uses_a_rollback_journal(tmp_path, monkeypatch):
    monkeypatch.setenv("IMPROVE_NETWORK_FS", "1")
    plans = tmp_path / "plans"
    plans.mkdir()
    write(plans, "sample.toml", SAMPLE)
    run = lambda: CliRunner().invoke(cli, ["--plans", str(plans), "--today", "2017-01-05",  # noqa: E731
                                           "review", "record"])  # fmt: skip
    first = run()
    assert first.exit_code == 0, first.output
    assert "is on a network (IMPROVE_NETWORK_FS=1) file system, where SQLite's WAL mode is " \
        "not safe: it now uses a rollback journal" in first.stderr  # fmt: skip
    second = run()
    assert second.exit_code == 0 and "WAL" not in second.stderr  # said once
    db = plans / ".improve" / "history.db"
    with sqlite3.connect(db) as conn:
        assert conn.execute("pragma journal_mode").fetchone()[0] == "delete"
    conn.close()
    assert not Path(f"{db}-wal").exists()
    # back on a local disk: WAL again, said nothing
    monkeypatch.setenv("IMPROVE_NETWORK_FS", "0")
    store = HistoryStore(plans)
    assert store.notice is None
    assert store.db.conn.execute("pragma journal_mode").fetchone()[0] == "wal"
    store.close()
