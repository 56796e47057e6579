"""Positions found only for the paths asked for (issue 27 item 4): `check` of a large
file points at its problems without recording a span for every key of the file, and
stops scanning once every problem's place is known. Every answer is the full scan's."""

from __future__ import annotations

import tomllib

import pytest

from helpers import SHIPPED
from improve.plans.positions import Positions

TEXT = """\
# a plan
[plan]
title = "T"
dotted.key = 1

[[recommendation]]
ref = "1"
  [[recommendation.action]]
  ref = "1.1"
  readings = [ { date = 2016-12-31, value = 78 }, { date = 2017-01-31, value = 80 } ]
  [recommendation.action.extra]
  x = 1
  [[recommendation.action]]
  ref = "1.2"

[[recommendation]]
ref = "2"
  [[recommendation.action]]
  ref = "2.1"
"""


def leaves(data, path=()):
    yield path
    if isinstance(data, dict):
        for k, v in data.items():
            yield from leaves(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from leaves(v, path + (i,))


def paths_of(text: str) -> list[tuple]:
    found = list(leaves(tomllib.loads(text)))
    missing = [p + ("nope",) for p in found if p and isinstance(p[-1], int)]
    return found + missing + [("plan", "nope", 3), ("nothing",)]


@pytest.mark.parametrize(
    "text", [TEXT, *(p.read_text() for p in sorted(SHIPPED.glob("*.toml")))], ids=str.__len__
)
def test_each_path_alone_is_where_the_full_scan_puts_it(text):
    full = Positions(text)
    for path in paths_of(text):
        for at in ("key", "value"):
            assert Positions(text, only=[path]).locate(path, at) == full.locate(path, at), path


def test_several_paths_together():
    full = Positions(TEXT)
    wanted = paths_of(TEXT)[::3]
    some = Positions(TEXT, only=wanted)
    assert [some.locate(p, "value") for p in wanted] == [full.locate(p, "value") for p in wanted]


def test_only_what_is_asked_is_kept_and_the_scan_stops_when_all_is_found():
    wanted = ("recommendation", 0, "action", 0, "ref")
    pos = Positions(TEXT + "this is not TOML [[[ and would stop a scan anyway", only=[wanted])
    assert set(pos.spans) <= {wanted[:n] for n in range(len(wanted) + 1)}
    assert pos.locate(wanted) == (9, 3)
    # a big file: the scan ends at the last path asked for, well before the end
    big = TEXT + "".join(f'\n[[recommendation]]\nref = "{n}"\n' for n in range(3, 5000))
    pos = Positions(big, only=[wanted])
    assert len(pos.spans) <= len(wanted) + 1
