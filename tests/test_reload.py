"""Reloading a folder reads only what changed, and notices additions, removals and edits."""

from __future__ import annotations

import os

from helpers import there, write
from improve import api
from improve.plans import loader


def bump(path):
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def test_nothing_changed_gives_none(plans):
    first = api.load(plans)
    assert api.Workspace.reload(first) is None


def test_only_the_changed_file_is_read_again(plans, monkeypatch):
    write(plans, "other.toml", '[plan]\ntitle = "Other"\n')
    first = api.load(plans)
    path = plans / "other.toml"
    path.write_text(path.read_text().replace('"Other"', '"Other, renamed"'))
    bump(path)
    read: list[str] = []
    real = loader._load_file

    def load_file(p, *a):
        read.append(p.name)
        return real(p, *a)

    monkeypatch.setattr(loader, "_load_file", load_file)
    second = there(api.Workspace.reload(first))
    assert read == ["other.toml"]
    assert there(second.plan("other")).title == "Other, renamed"
    assert second.plan("sample") is first.plan("sample")


def test_a_file_that_breaks_moves_to_failed_and_the_rest_stay(plans):
    write(plans, "other.toml", '[plan]\ntitle = "Other"\n')
    first = api.load(plans)
    path = plans / "other.toml"
    path.write_text('[plan]\ntitle = "Other"\nkind = "nope"\n')
    bump(path)
    second = there(api.Workspace.reload(first))
    assert [p.id for p in second.plans] == ["sample"]
    assert [f.path.name for f in second.failed] == ["other.toml"]
    assert "other.toml:3:8: error" in str(second.failed[0].errors[0])


def test_added_and_removed_files_are_noticed(plans):
    first = api.load(plans)
    write(plans, "new.toml", '[plan]\ntitle = "New"\n')
    second = there(api.Workspace.reload(first))
    assert sorted(p.id for p in second.plans) == ["new", "sample"]
    (plans / "new.toml").unlink()
    third = there(api.Workspace.reload(second))
    assert [p.id for p in third.plans] == ["sample"]


def test_a_duplicate_id_is_reported_each_time_without_spoiling_the_cache(plans):
    write(plans, "b.toml", '[plan]\nid = "sample"\ntitle = "Copy"\n')
    first = api.load(plans)
    assert len(first.failed) == 1
    (plans / "b.toml").unlink()
    second = there(api.Workspace.reload(first))
    assert [p.id for p in second.plans] == ["sample"] and not second.failed
