"""One status view (api.day_view): the same records whether answered from the day's memos
or worked out by the rules (issue 26 point 1)."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from helpers import SAMPLE, SHIPPED, clean_env, write
from improve import api, rules


@pytest.fixture
def folder(tmp_path, monkeypatch):
    clean_env(monkeypatch, tmp_path)
    plans = tmp_path / "plans"
    plans.mkdir()
    for path in SHIPPED.glob("*.toml"):
        shutil.copy(path, plans / path.name)
    write(plans, "sample.toml", SAMPLE)
    return plans


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
