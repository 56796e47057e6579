"""The plans shipped in plans/ load cleanly and say what their documents say."""

from __future__ import annotations

import re
from datetime import date

import pytest

from helpers import SHIPPED, there
from improve import api
from improve.plans.loader import load_file
from improve.status import rules

FILES = sorted(SHIPPED.glob("*.toml"))


def test_four_plans_are_shipped():
    assert [f.stem for f in FILES] == [
        "telford-cse-scrutiny-2016",
        "telford-ofsted-2016",
        "worcestershire-cypp-2022",
        "worcestershire-send-app-2022",
    ]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_shipped_plan_has_no_errors(path):
    loaded = load_file(path, SHIPPED)
    assert loaded.plan is not None, [str(p) for p in loaded.problems]
    assert not loaded.errors


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_shipped_plan_names_no_officer(path):
    text = path.read_text()
    for name in (
        "Hatton",
        "Heigh",
        "Helen Smith",
        "Jon Power",
        "Dillon",
        "Debbie Lloyd",
        "Bennison",
        "Hall-Salter",
        "Helen Potter",
        "Sarah Constable",
    ):
        assert name not in text
    assert text.lstrip().startswith("#")  # says where it came from and how it was transcribed


def test_telford_ofsted_plan_is_complete():
    plan = there(api.load(SHIPPED).plan("telford-ofsted-2016"))
    assert plan.kind == "ofsted"
    assert [t.id for t in plan.themes] == ["1", "2", "3"]
    assert len(plan.recommendations) == 11
    assert all(r.why and r.good_looks_like and r.text for r in plan.recommendations)
    actions = [a for _, a in plan.actions()]
    assert len(actions) == 66
    assert all(a.leads and a.outcome for a in actions)
    # "Stage 1 Core elements: February 2017, Stage 2 … December 2017"
    staged = there(plan.find_action("1.1.3"))[1]
    assert [m.due for m in staged.milestones] == [date(2017, 2, 28), date(2017, 12, 31)]
    first = there(plan.find_action("1.1.1"))[1]
    assert first.action.startswith("Review and refresh supervision policy")
    assert first.due == date(2017, 1, 31)
    assert any(m.target == 90 and m.unit == "%" for m in first.measures)


def test_telford_cse_review_has_all_38_recommendations():
    plan = there(api.load(SHIPPED).plan("telford-cse-scrutiny-2016"))
    assert plan.kind == "scrutiny"
    numbers = {int(there(re.match(r"\d+", r.ref)).group()) for r in plan.recommendations}
    assert numbers == set(range(1, 39))
    statuses = [a.status for _, a in plan.actions()]
    assert statuses.count("complete") == 16 and statuses.count("in-progress") == 24
    for _, a in plan.actions():
        if a.status:
            assert a.updates and a.updates[-1].status == a.status and a.updates[-1].note


def test_worcestershire_send_plan_has_four_key_concerns():
    plan = there(api.load(SHIPPED).plan("worcestershire-send-app-2022"))
    assert plan.kind == "send" and plan.label("recommendation") == "Key concern"
    assert len(plan.recommendations) == 4
    assert all(r.actions and r.measures and r.leads for r in plan.recommendations)


def test_worcestershire_cypp_has_partnerships_as_themes():
    plan = there(api.load(SHIPPED).plan("worcestershire-cypp-2022"))
    assert plan.kind == "partnership" and len(plan.themes) == 4
    assert plan.label("theme") == "Partnership"
    assert all(t.summary for t in plan.themes)
    assert len(list(plan.all_measures())) > 20


def test_shipped_plans_status_mid_flight():
    statuses = api.portfolio_status(api.load(SHIPPED), date(2017, 1, 5))
    ofsted = next(s for s in statuses if s.plan.id == "telford-ofsted-2016")
    assert ofsted.rollup.total == 66 and ofsted.rollup.overdue > 0
    cse = next(s for s in statuses if s.plan.id == "telford-cse-scrutiny-2016")
    assert cse.rollup.counts["blue"] == 16
    for s in statuses:
        assert sum(s.rollup.counts.values()) == s.rollup.total
        assert all(a.rag in rules.RAG_ORDER or a.dropped for a in s.actions())
