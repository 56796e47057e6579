"""A report takes the statuses the front end has worked out already (issue 26 point 2):
`make_report(..., statuses=...)` does not work the rules out again, and `improve report`
and the app's report worker both give theirs, so each plan's status is worked out once."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from helpers import SAMPLE, clean_env, plans_folder, run_cli, write
from improve import api
from improve.report import make_report
from improve.status import rules

TODAY = date(2017, 1, 5)


def _no_rules(*_args, **_kwargs):
    raise AssertionError("the rules were worked out again")


def test_make_report_uses_the_statuses_it_is_given(tmp_path, monkeypatch):
    portfolio = api.load(plans_folder(tmp_path))
    statuses = api.portfolio_status(portfolio, TODAY)
    monkeypatch.setattr(rules, "plan_status", _no_rules)
    report = make_report(portfolio, TODAY, statuses=statuses)
    assert [pr.plan.id for pr in report.plans] == ["sample"]
    with pytest.raises(AssertionError, match="worked out again"):  # the check can fail
        make_report(portfolio, TODAY)


def test_a_report_of_given_statuses_is_the_report_worked_out(tmp_path):
    portfolio = api.load(plans_folder(tmp_path))
    statuses = api.portfolio_status(portfolio, TODAY)
    given = make_report(portfolio, TODAY, statuses=statuses, produced_by="x")
    worked_out = make_report(portfolio, TODAY, produced_by="x")
    assert given == worked_out


def test_improve_report_works_each_plan_s_status_out_once(tmp_path, monkeypatch):
    clean_env(monkeypatch, tmp_path)
    folder = plans_folder(tmp_path)
    write(folder, "other.toml", SAMPLE)  # a plan's id is its file's name
    calls: list[str] = []
    real = rules.plan_status

    def counted(plan, today):
        calls.append(plan.id)
        return real(plan, today)

    monkeypatch.setattr(rules, "plan_status", counted)
    r = run_cli(folder, "report", "--format", "csv", "-o", str(tmp_path / "r.csv"))
    assert r.exit_code == 0, r.output
    assert sorted(calls) == ["other", "sample"]


def test_the_app_s_report_worker_gives_the_app_s_statuses(tmp_path, monkeypatch):
    from improve.tui.report import ReportRequest, write_in_worker

    folder = plans_folder(tmp_path)
    portfolio = api.load(folder)
    app = SimpleNamespace(
        portfolio=portfolio, statuses=api.portfolio_status(portfolio, TODAY), today=TODAY,
        history=None, user="Ann", plans=folder,
    )  # fmt: skip
    monkeypatch.setattr(rules, "plan_status", _no_rules)
    path = write_in_worker(app, ReportRequest("csv", []), tmp_path)  # type: ignore[arg-type]
    assert path.exists() and "sample" in path.read_text(encoding="utf-8-sig").lower()
