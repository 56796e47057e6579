"""The position scanner finds every key and value that tomllib reads."""

from __future__ import annotations

import tomllib

import pytest

from helpers import SHIPPED
from improve.plans.positions import Positions

TRICKY = '''\
# a comment with [[brackets]] and "quotes"
"quoted key" = 1
'literal.key' = 'C:\\path'
dotted.key.here = true   # comment
when = 1979-05-27 07:32:00
multi = """
[[not.a.header]]
  "still" the string ""\"""
raw = \'\'\'
  x = 1 \'\'\'
nums = [ 1, 2,   # comment inside
  3, ]
nested = [ [1, 2], [ { a = 1, b.c = "x" } ] ]
empty = {}

[plan]
title = "T"  # trailing

[[recommendation]]
ref = "1"

  [[recommendation.action]]
  ref = "1.1"
  readings = [
    { date = 2016-12-31, value = 78, note = "a, b ] }" },
  ]

    [recommendation.action.extra]
    x = 1

  [[recommendation.action]]
  ref = "1.2"

[[recommendation]]
ref = "2"
  [[recommendation.action]]
  ref = "2.1"
'''


def leaves(data, path=()):
    if isinstance(data, dict):
        for k, v in data.items():
            yield from leaves(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from leaves(v, path + (i,))
    else:
        yield path, data


def check_all(text: str) -> int:
    data = tomllib.loads(text)
    pos = Positions(text)
    n = 0
    for path, value in leaves(data):
        span = pos.spans.get(path)
        assert span is not None, path
        raw = text[span.value_start : span.value_end]
        assert tomllib.loads("v = " + raw)["v"] == value, (path, raw)
        n += 1
    return n


def test_tricky_document():
    assert check_all(TRICKY) > 15


@pytest.mark.parametrize("path", sorted(SHIPPED.glob("*.toml")), ids=lambda p: p.stem)
def test_every_value_of_the_shipped_plans(path):
    assert check_all(path.read_text()) > 100


def test_line_and_column_of_keys_and_values():
    pos = Positions(TRICKY)
    assert pos.locate(("plan", "title")) == (17, 1)
    assert pos.locate(("plan", "title"), at="value") == (17, 9)
    assert pos.locate(("recommendation", 0, "action", 0, "readings", 0, "note"), at="value") == (
        25,
        45,
    )
    assert pos.locate(("recommendation", 1, "action", 0, "ref")) == (37, 3)
    # a missing key falls back to its nearest ancestor: the table header
    assert pos.locate(("recommendation", 0, "action", 1, "nope")) == (31, 3)


def test_table_end_includes_sub_tables_but_not_the_next_action():
    pos = Positions(TRICKY)
    end = pos.table_end(("recommendation", 0, "action", 0))
    assert TRICKY[:end].endswith("x = 1")
    end = pos.table_end(("recommendation", 0))
    assert TRICKY[:end].endswith('ref = "1.2"')


def test_garbage_does_not_raise():
    pos = Positions("[plan\n title = ")
    assert pos.locate(("plan", "title")) == (1, 1)


def test_positions_are_found_only_for_what_is_shown(monkeypatch, tmp_path):
    """A folder's load (status, actions, the app) shows errors only, so a file with only
    warnings is never scanned for positions; `check` (load_file) scans it to point at
    them (issue 12 item 2). The shipped plans have warnings and no errors."""
    import shutil

    from helpers import SHIPPED
    from improve.plans import folder as folder_mod
    from improve.plans import loader, positions

    folder = tmp_path / "plans"
    shutil.copytree(SHIPPED, folder, ignore=shutil.ignore_patterns(".*"))
    scans = []
    real = positions.Positions.__init__

    def counting(self, text, **kw):
        scans.append(len(text))
        real(self, text, **kw)

    monkeypatch.setattr(positions.Positions, "__init__", counting)
    portfolio = folder_mod.load_folder(folder)
    assert len(portfolio.plans) == 4 and scans == []
    checked = [loader.load_file(p, folder) for p in sorted(folder.glob("*.toml"))]
    assert scans and sum(len(f.warnings) for f in checked) >= 5
    (folder / "broken.toml").write_text('[plan]\ntitle = "x"\nkind = "nope"\n')
    broken = folder_mod.load_folder(folder).failed[0]
    assert "broken.toml:3:8: error" in str(broken.errors[0])  # an error is still pointed at
