"""A plan file at the next commit read from the one before (history/blobs.py): whatever
the change, the plan and data are exactly those a whole parse gives, or the file is
parsed whole. Property-tested with edits of every kind, on a shipped plan (multi-line
strings, milestones, measures) and a generated one."""

from __future__ import annotations

import random
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from improve.history import blobs

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = (ROOT / "plans" / "telford-ofsted-2016.toml").read_text(encoding="utf-8")
import sys  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from generate import plan_text  # noqa: E402

GENERATED = plan_text(1, 20, random.Random(3))
PATH = Path("/plans/p.toml")

LINES = [
    "  percent = 70\n", "  due = 2017-05-01\n", '  status = "complete"\n', "\n", "# a note\n",
    "  [[recommendation.action]]\n", '  ref = "9.9.9"\n', '  action = "New"\n',
    "    [[recommendation.action.update]]\n", "    date = 2017-01-09\n",
    "[[recommendation]]\n", '[[theme]]\n', 'note = """\n', '"""\n', "[plan]\n",
    '  x = "[[recommendation]]"\n', "  percent = = 1\n", "margin = 10\n",
    "    readings = [ { date = 2017-01-31, value = 80 } ]\n", "  rag = \"red\"\n",
]  # fmt: skip


_READ: dict[str, object] = {}


def _read_once(text: str):
    if text not in _READ:
        _READ[text] = whole(text)
    assert _READ[text] is not None
    return _READ[text]


def whole(text: str):
    return blobs.parse_whole(text.encode(), text, PATH, PATH.parent)


def same(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return a.data == b.data and a.plan == b.plan and a.fp == b.fp


edits = st.lists(
    st.tuples(st.sampled_from(["replace", "insert", "delete"]), st.integers(0, 10**6),
              st.sampled_from(LINES)),
    min_size=1, max_size=3,
)  # fmt: skip


def apply(text: str, changes) -> str:
    lines = text.splitlines(keepends=True)
    for how, at, line in changes:
        i = at % len(lines)
        if how == "replace":
            lines[i] = line
        elif how == "insert":
            lines.insert(i, line)
        elif len(lines) > 1:
            del lines[i]
    return "".join(lines)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(base=st.sampled_from([SHIPPED, GENERATED]), changes=edits)
def test_the_next_file_read_from_the_last_is_the_whole_parse(base, changes):
    before = _read_once(base)  # (never changed by a read from it)
    text = apply(base, changes)
    got = blobs.parse_next(before, text.encode(), PATH, PATH.parent)
    assert same(got, whole(text))


def test_the_edits_tried_take_the_quick_way_often():
    """The property above is worth something only if the quick way is taken: of edits to
    one line of an action, most are read without a whole parse."""
    rng = random.Random(5)
    before = whole(GENERATED)
    quick = 0
    for _ in range(40):
        text = apply(GENERATED, [("replace", rng.randrange(10**6), rng.choice(LINES[:5]))])
        lines = text.splitlines(keepends=True)
        if blobs._quick(before, lines, text, PATH, PATH.parent, text.encode()) is not None:
            quick += 1
            assert same(blobs._quick(before, lines, text, PATH, PATH.parent, text.encode()),
                        whole(text))  # fmt: skip
    assert quick >= 8  # (a line of the plan's own table, or of a recommendation, is not)


def test_a_one_action_change_is_read_without_parsing_the_file(monkeypatch):
    before = whole(GENERATED)
    assert before is not None and before.heads is not None
    text = re.sub(r"^  percent = \d+$", "  percent = 42", GENERATED, count=1, flags=re.M)
    assert text != GENERATED
    calls = []
    real = blobs.parse_whole

    def parse_whole(*a):
        calls.append(a)
        return real(*a)

    monkeypatch.setattr(blobs, "parse_whole", parse_whole)
    got = blobs.parse_next(before, text.encode(), PATH, PATH.parent)
    assert calls == [] and same(got, whole(text))
    # two actions at once: parsed whole, the same answer
    two = re.sub(r"^  percent = \d+$", "  percent = 43", text, count=2, flags=re.M)
    got = blobs.parse_next(before, two.encode(), PATH, PATH.parent)
    assert len(calls) == 2 and same(got, whole(two))  # (the first: same()'s own whole parse)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes=edits)
def test_the_headers_carried_on_are_the_headers_of_the_file(changes):
    before = whole(GENERATED)
    text = apply(GENERATED, changes)
    got = blobs.parse_next(before, text.encode(), PATH, PATH.parent)
    if got is not None and got.heads is not None:
        assert got.heads == blobs._headers(text.splitlines(keepends=True))
