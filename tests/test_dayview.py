"""One status view (api.day_view): the same records whether answered from the day's memos
or worked out by the rules (issue 26 point 1)."""

from __future__ import annotations

import io
import json
import shutil
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import EXTENDED, SAMPLE, SHIPPED, shipped_and_sample, write
from improve import api
from improve.plans.vocab import RAGS
from improve.speed.dayview import view_of
from improve.status import rules
from improve.status.filters import ActionFilter
from improve.status.memo import action_text
from improve.status.serialize import action_json, plan_json_parts


@pytest.fixture
def folder(tmp_path, monkeypatch):
    return shipped_and_sample(tmp_path, monkeypatch)


def view(plans, today: date):
    with api.Workspace(plans) as ws:
        return api.day_view(ws, today)


@pytest.mark.parametrize("day", [date(2016, 10, 1), date(2017, 1, 5), date(2018, 1, 1)])
def test_the_view_from_the_memos_is_the_view_worked_out(folder, monkeypatch, day):
    rollup = rules.portfolio_rollup(api.portfolio_status(api.load(folder), day))
    worked = view(folder, day)  # the first run today: worked out, and remembered
    with api.Workspace(folder, cache=False) as ws:  # the rules alone, no cache at all
        fresh = api.day_view(ws, day)
    monkeypatch.setattr(rules, "plan_status", None)  # from here, the rules cannot run
    remembered = view(folder, day)
    assert remembered.plans == worked.plans == fresh.plans
    assert remembered.total() == worked.total() == rollup
    sample = next(p for p in remembered.plans if p.plan_id == "sample")
    assert [f.ref for f in sample.facts][:2] == ["1.1.1", "1.1.2"]


FILTERS = st.builds(
    ActionFilter,
    lead=st.sampled_from([None, "head", "police", "early help", "nobody"]),
    rags=st.lists(st.sampled_from(RAGS), max_size=3, unique=True).map(tuple),
    overdue=st.booleans(),
    stale=st.booleans(),
    plan=st.sampled_from([None, "sample"]),
    due_within=st.sampled_from([None, 0, 30, 400]),
    pending=st.booleans(),
)


@pytest.fixture(scope="module")
def worked():
    """The shipped plans and the sample, on days through their life: their statuses, and
    the view of them with each plan's JSON in pieces (as a day's memo keeps it)."""
    plans = Path(tempfile.mkdtemp())
    for path in SHIPPED.glob("*.toml"):
        shutil.copy(path, plans / path.name)
    write(plans, "sample.toml", SAMPLE)
    write(plans, "extended.toml", EXTENDED)
    portfolio = api.load(plans)
    out = {}
    for day in (date(2016, 10, 1), date(2017, 1, 5), date(2017, 6, 30), date(2018, 1, 1)):
        statuses = api.portfolio_status(portfolio, day)
        parts = {ps.plan.id: plan_json_parts(ps) for ps in statuses}
        out[day] = statuses, view_of(portfolio, statuses, day, parts)
    yield out
    shutil.rmtree(plans)


@settings(max_examples=150, deadline=None)
@given(flt=FILTERS, day=st.sampled_from([0, 1, 2, 3]))
def test_a_listing_from_the_view_is_the_listing_from_the_rules(worked, flt, day):
    """Every filter `actions` offers, checked on the memo's records (count_in, json_in)
    and on the rules' results (filter_actions, action_json): the same actions, the same
    JSON text, byte for byte."""
    today = sorted(worked)[day]
    statuses, view = worked[today]
    rows = api.filter_actions(statuses, flt, today)
    expected = [
        json.dumps(
            {"plan": row.plan.id, **action_json(row.status, row.recommendation.leads)},
            ensure_ascii=False,
        )
        for row in rows
    ]
    assert [action_text(p.plan_id, text) for p, text in flt.json_in(view)] == expected
    assert flt.count_in(view) == len(rows)


def _shown(renderable, width: int, colour: bool) -> str:
    from rich.console import Console
    from rich.style import Style

    Style.parse.cache_clear()  # a parsed Style keeps the codes of the first colour system
    Style._add.cache_clear()

    out = io.StringIO()
    console = Console(file=out, width=width, highlight=False, soft_wrap=False,
                      force_terminal=colour, color_system="256" if colour else None,
                      no_color=False)  # fmt: skip
    console.print(renderable)
    return out.getvalue()


@settings(max_examples=40, deadline=None)
@given(
    flt=FILTERS,
    day=st.sampled_from([0, 1, 2, 3]),
    width=st.sampled_from([40, 61, 100, 173]),
    colour=st.booleans(),
)
def test_the_actions_table_from_the_view_is_the_table_from_the_rules(
    worked, flt, day, width, colour
):
    """`improve actions` as a table: laid out from the memo's records
    (cli.listing.actions_table_of) and from the rules' results (present.tables), the same
    text and the same colours, at narrow and wide widths (issue 27)."""
    from improve.cli.listing import actions_table_of
    from improve.present.tables import actions_table

    today = sorted(worked)[day]
    statuses, view = worked[today]
    rows = api.filter_actions(statuses, flt, today)
    total = view.actions()
    expected = _shown(actions_table(rows, total, today, width), width, colour)
    got = _shown(actions_table_of(list(flt.facts_in(view)), total, today, width), width, colour)
    assert got == expected
    if rows:  # written without Rich, where its layout is followed, with Rich's codes
        from improve.cli.listing import plain_table, styler_as_rich
        from improve.present.tables import _Trimmed

        env = {"FORCE_COLOR": "1", "TERM": "xterm-256color"} if colour else {}
        style = styler_as_rich(io.StringIO(), env)
        written = plain_table(list(flt.facts_in(view)), total, today, width, style)
        assert written is not None or width < 60
        trimmed = io.StringIO()
        trimmed.write("")
        stream = _Trimmed(trimmed)
        stream.write(expected)
        stream.flush()
        assert written is None or written == trimmed.getvalue()
