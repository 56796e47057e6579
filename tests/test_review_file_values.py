"""A review file's values are written directly (tomlkit took 12 s for a review of 20,000
actions): whatever text, number, date or list the history holds reads back from the file
exactly, as tomlkit would have written it."""

from __future__ import annotations

import math
import tomllib
from datetime import date

import tomlkit
from hypothesis import given, settings
from hypothesis import strategies as st

from improve.history.review_files import _table

VALUES = st.one_of(
    st.text(),  # every character: controls, DEL, quotes, backslashes, bidi, astral
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False),
    st.booleans(),
    st.dates(min_value=date(1, 1, 1)),
    st.lists(st.text(), max_size=4),
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.from_regex(r"[a-z_]{1,12}", fullmatch=True), VALUES, max_size=8))
def test_every_value_reads_back_as_written(values):
    read = tomllib.loads(_table(values))
    assert read == values
    t = tomlkit.table()
    for key, value in values.items():
        t.add(key, value)
    assert read == tomllib.loads(tomlkit.dumps(t))  # what the file said before


def test_special_floats_and_none():
    read = tomllib.loads(_table({"a": math.inf, "b": -math.inf, "c": None, "d": 1e16}))
    assert read == {"a": math.inf, "b": -math.inf, "d": 1e16}
    assert math.isnan(tomllib.loads(_table({"n": math.nan}))["n"])
