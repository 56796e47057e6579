"""Measures with comparators (issue 25): the plan-file keys `unit`, `variance` and
`comparators`, the figures `improve.status.measures` works out from them, and their JSON."""

from __future__ import annotations

import pytest

from helpers import there
from improve.plans.loader import LoadedFile, load_file

HEAD = '[plan]\ntitle = "Test plan"\n'
MEASURE = HEAD + '\n[[measure]]\nid = "cin-rate"\ntext = "Rate of children in need"\n'
NEXT = 7  # the line number of the first line appended to MEASURE


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def load(tmp_path, text: str) -> LoadedFile:
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8", newline="")
    return load_file(path)


def problems(lf: LoadedFile) -> list[str]:
    return [str(p) for p in lf.problems]


# --------------------------------------------------------------------------------------
# the format
# --------------------------------------------------------------------------------------

FULL = MEASURE + (
    'unit = "per 10,000"\n'
    'direction = "down"\n'
    "target = 300\n"
    "variance = { amber = 0, red = 10 }\n"
    'readings = [ { date = 2021-03-31, value = 325.1, note = "2020-21" } ]\n'
    "comparators = [\n"
    "  { date = 2020-03-31, england = 323.7 },\n"
    "  { date = 2021-03-31, england = 321.2, region = 338.0, neighbours = 355.5,"
    ' neighbours_by = "median", source = "DfE CIN 2021", extra = { note = "x" } },\n'
    "]\n"
)


def test_the_agreed_shape_loads_into_the_model(tmp_path):
    lf = load(tmp_path, FULL)
    assert lf.problems == [], problems(lf)
    assert lf.plan is not None
    m = lf.plan.measures[0]
    assert m.unit == "per 10,000" and m.direction == "down" and m.target == 300
    assert (there(m.variance).amber, there(m.variance).red) == (0, 10)
    assert len(m.comparators) == 2
    c = m.comparators[1]
    assert (c.england, c.region, c.neighbours, c.neighbours_by) == (321.2, 338.0, 355.5, "median")
    assert c.source == "DfE CIN 2021" and c.extra == {"note": "x"}
    # a suppressed figure is left out of the file and is None, never 0
    assert m.comparators[0].region is None and m.comparators[0].neighbours is None


def test_an_old_measure_keeps_its_meaning(tmp_path):
    lf = load(tmp_path, MEASURE + "target = 90\nreadings = [ { date = 2017-01-31, value = 78 } ]\n")
    assert lf.problems == [] and lf.plan is not None
    m = lf.plan.measures[0]
    assert m.variance is None and m.comparators == [] and m.unit is None


@pytest.mark.parametrize(
    "line, message",
    [
        (
            "comparators = [ { date = 2021-03-31, englnd = 3 } ]",
            'plan.toml:7:38: error: unknown key "englnd" in comparator; did you mean "england"?',
        ),
        (
            "comparators = [ { england = 3 } ]",
            'plan.toml:7:17: error: comparator is missing "date"; add date = 2017-01-31',
        ),
        (
            'comparators = [ { date = 2021-03-31, england = "3" } ]',
            'plan.toml:7:48: error: "england" must be a number without quotes; write england = 3',
        ),
        (
            'comparators = [ { date = 2021-03-31, neighbours_by = "average" } ]',
            'plan.toml:7:54: error: "neighbours_by" must be one of median, mean, not "average"',
        ),
        (
            "variance = { amber = -1, red = 10 }",
            'plan.toml:7:22: error: "amber" must be at least 0, not -1',
        ),
        (
            "variance = { amber = 5 }",
            'plan.toml:7:1: error: variance is missing "red"; add red = 0',
        ),
        (
            "variance = { amber = 5, red = 10, green = 0 }",
            'plan.toml:7:35: error: unknown key "green" in variance (allowed here: amber, red)',
        ),
        (
            "variance = { amber = 10, red = 5 }",
            'plan.toml:7:32: error: variance "red" (5) is less than "amber" (10); the shortfall '
            "that turns a measure red must be at least the one that turns it amber, "
            "e.g. variance = { amber = 5, red = 10 }",
        ),
        (
            "comparatorz = [ { date = 2021-03-31 } ]",
            'plan.toml:7:1: error: unknown key "comparatorz" in measure; did you mean "comparators"?',
        ),
    ],
)
def test_a_bad_key_is_one_error_at_its_place(tmp_path, line, message):
    lf = load(tmp_path, MEASURE + line + "\n")
    assert problems(lf) == [message]
    assert lf.plan is None


def test_two_comparators_of_one_date_are_an_error_at_the_second(tmp_path):
    text = MEASURE + (
        "comparators = [\n"
        "  { date = 2021-03-31, england = 3 },\n"
        "  { date = 2021-03-31, region = 4 },\n"
        "]\n"
    )
    lf = load(tmp_path, text)
    assert problems(lf) == [
        "plan.toml:9:12: error: measure cin-rate has two comparators dated 2021-03-31; "
        "keep one entry for each date (put England, region and neighbours in it)"
    ]


@pytest.mark.parametrize("unit", ["%", "per 10,000", "per 1,000", "1 in N", "days", "pounds"])
def test_any_unit_word_loads(tmp_path, unit):
    lf = load(tmp_path, MEASURE + f'unit = "{unit}"\n')
    assert lf.problems == [] and lf.plan is not None


# --------------------------------------------------------------------------------------
# the figures: improve.status.measures
# --------------------------------------------------------------------------------------

from datetime import date  # noqa: E402
from decimal import Decimal  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from improve.plans import model as m  # noqa: E402
from improve.status.measures import measure_view, rag, shown, trend  # noqa: E402


@pytest.mark.parametrize(
    "value, unit, text",
    [
        (307, "1 in N", "1 in 307"),
        (307.0, "1 in N", "1 in 307"),
        (22.1, "%", "22.1%"),
        (22.15, "%", "22.2%"),  # half up, on the number as written
        (325.1, "per 10,000", "325.1 per 10,000"),
        (12, "days", "12 days"),
        (12.0, None, "12"),
        (99.96, "%", "100%"),
        (12345.67, None, "12,345.7"),
        (-3.25, None, "-3.3"),
        (0.042, "%", "0.042%"),
        (0.0456, None, "0.046"),
        (0, "%", "0%"),
        (None, "%", ""),
    ],
)
def test_shown(value, unit, text):
    assert shown(value, unit) == text


V = m.Variance

# a target of 1 to a million in hundredths, variances of 0 to 100% in tenths
targets = st.integers(1, 10**8).map(lambda n: Decimal(n) / 100)
percents = st.integers(0, 1000).map(lambda n: Decimal(n) / 10)
STEP = Decimal("0.001")  # past a boundary: the smallest step a plan would write


def _at(target: Decimal, percent: Decimal, direction: str) -> Decimal:
    """The reading that falls short of the target by exactly `percent` of it."""
    short = target * percent / 100
    return target - short if direction == "up" else target + short


def _worse(value: Decimal, direction: str) -> Decimal:
    return value - STEP if direction == "up" else value + STEP


def _r(value: Decimal, target: Decimal, direction: str, amber: Decimal, red: Decimal):
    return rag(float(value), float(target), direction, V(float(amber), float(red)))


@settings(max_examples=150, deadline=None)
@given(
    target=targets,
    a=percents,
    b=percents,
    direction=st.sampled_from(["up", "down"]),
)
def test_rag_at_its_boundaries(target, a, b, direction):
    amber, red = min(a, b), max(a, b)
    on_amber, on_red = _at(target, amber, direction), _at(target, red, direction)
    assert _r(target, target, direction, amber, red) == "green"  # exactly on target
    assert _r(on_amber, target, direction, amber, red) == "green"  # exactly at amber
    past_amber = _worse(on_amber, direction)
    within_red = past_amber >= on_red if direction == "up" else past_amber <= on_red
    assert _r(past_amber, target, direction, amber, red) == ("amber" if within_red else "red")
    assert _r(on_red, target, direction, amber, red) == ("amber" if red > amber else "green")
    assert _r(_worse(on_red, direction), target, direction, amber, red) == "red"
    # better than the target is never short of it
    better = target + 7 if direction == "up" else target - 7
    assert _r(better, target, direction, amber, red) == "green"


@settings(max_examples=100, deadline=None)
@given(
    amber=st.integers(0, 50).map(Decimal),
    extra=st.integers(0, 50).map(Decimal),
    direction=st.sampled_from(["up", "down"]),
)
def test_a_target_of_zero_uses_the_shortfall_itself(amber, extra, direction):
    red = amber + extra
    zero = Decimal(0)
    sign = -1 if direction == "up" else 1
    assert _r(zero, zero, direction, amber, red) == "green"
    assert _r(sign * amber, zero, direction, amber, red) == "green"
    assert _r(sign * red, zero, direction, amber, red) == ("amber" if extra else "green")
    assert _r(sign * (red + STEP), zero, direction, amber, red) == "red"


def test_rag_needs_a_reading_a_target_and_a_variance():
    assert rag(None, 10, "up", V(0, 5)) is None
    assert rag(10, None, "up", V(0, 5)) is None
    assert rag(10, 10, "up", None) is None


def test_rag_of_a_rate_down_as_the_shape_example_has_it():
    # target 300 per 10,000, amber 0, red 10: 325.1 is 8.4% over -> amber; 331 -> red
    assert rag(300, 300, "down", V(0, 10)) == "green"
    assert rag(300.1, 300, "down", V(0, 10)) == "amber"
    assert rag(325.1, 300, "down", V(0, 10)) == "amber"
    assert rag(330, 300, "down", V(0, 10)) == "amber"  # exactly 10% over: at red, not past
    assert rag(330.1, 300, "down", V(0, 10)) == "red"
    assert rag(299, 300, "down", V(0, 10)) == "green"
    assert rag(-5, -10, "up", V(0, 50)) == "green"  # a negative target: percent of its size
    assert rag(-15, -10, "up", V(0, 50)) == "amber"


@settings(max_examples=100, deadline=None)
@given(
    a=st.integers(-1000, 1000).map(lambda n: n / 10),
    b=st.integers(-1000, 1000).map(lambda n: n / 10),
)
def test_trend_by_direction(a, b):
    up, down = trend(b, a, "up"), trend(b, a, "down")
    if a == b:
        assert up == down == "no change"
    else:
        assert {up, down} == {"improving", "worsening"}
        assert up == ("improving" if b > a else "worsening")
    assert trend(b, None, "up") is None and trend(None, a, "down") is None


def _measure(**kw) -> m.Measure:
    return m.Measure("cin-rate", "Rate of children in need", **kw)


def R(y: int, value: float) -> m.Reading:
    return m.Reading(date(y, 3, 31), value)


def C(y: int, **kw) -> m.Comparator:
    return m.Comparator(date(y, 3, 31), **kw)


def test_measure_view_of_the_shape_example():
    view = measure_view(
        _measure(
            unit="per 10,000",
            direction="down",
            target=300,
            variance=V(0, 10),
            readings=[R(2021, 325.1), R(2019, 340.0), R(2020, 331.7)],
            comparators=[
                C(2021, england=321.2, region=338.0, neighbours=355.5, neighbours_by="median"),
                C(2020, england=323.7),
            ],
        )
    )
    assert view.latest == R(2021, 325.1) and view.previous == R(2020, 331.7)
    assert (view.status, view.rag, view.trend) == ("not-met", "amber", "improving")
    assert view.comparators is not None and view.comparators.date == date(2021, 3, 31)
    assert [c.date.year for c in view.history] == [2020, 2021]
    assert view.matching is view.comparators
    assert there(view.comparator_for(date(2020, 3, 31))).england == 323.7
    assert view.comparator_for(date(2018, 3, 31)) is None
    assert view.against == "worse than England, better than the region, better than neighbours"
    assert view.show(there(view.latest).value) == "325.1 per 10,000"


def test_against_uses_only_the_comparators_of_the_latest_readings_date():
    view = measure_view(
        _measure(unit="%", readings=[R(2022, 20)], comparators=[C(2021, england=22.1)])
    )
    assert there(view.comparators).date.year == 2021 and view.matching is None
    assert view.against is None
    same = measure_view(_measure(readings=[R(2021, 22.1)], comparators=[C(2021, england=22.1)]))
    assert same.against == "the same as England"


def test_a_suppressed_comparator_is_left_out_of_the_words():
    view = measure_view(
        _measure(readings=[R(2021, 5)], comparators=[C(2021, region=4, source="DfE")])
    )
    assert view.against == "better than the region"
    empty = measure_view(_measure(readings=[R(2021, 5)], comparators=[C(2021)]))
    assert empty.against is None


def test_measure_view_without_readings_or_target():
    view = measure_view(_measure())
    assert (view.latest, view.previous, view.rag, view.trend, view.comparators) == (
        None,
        None,
        None,
        None,
        None,
    )
    assert view.status == "no-target" and view.against is None and view.history == ()
    one = measure_view(_measure(target=5, variance=V(0, 5), readings=[R(2021, 5), R(2021, 9)]))
    # two readings of one date: the first in the file is the latest, none is before it
    assert there(one.latest).value == 5 and one.previous is None and one.trend is None
    assert one.rag == "green" and one.status == "met"


# --------------------------------------------------------------------------------------
# the JSON: status --json and actions --json
# --------------------------------------------------------------------------------------

import json  # noqa: E402

from click.testing import CliRunner  # noqa: E402

from improve.cli import cli  # noqa: E402

PLAN = """\
[plan]
id = "cin"
title = "Children in need"

[[recommendation]]
ref = "1"
leads = ["Head of Service"]

[[recommendation.measure]]
id = "cin-rate"
text = "Rate of children in need per 10,000 children"
unit = "per 10,000"
direction = "down"
target = 300
variance = { amber = 0, red = 10 }
readings = [
  { date = 2020-03-31, value = 331.7 },
  { date = 2021-03-31, value = 325.1, note = "2020-21 (DfE CIN census)" },
]
comparators = [
  { date = 2020-03-31, england = 323.7 },
  { date = 2021-03-31, england = 321.2, neighbours = 355.5, neighbours_by = "median", source = "DfE Characteristics of children in need 2021" },
]

[[recommendation.action]]
ref = "1.1"
action = "Review the front door"
due = 2021-06-30

[[recommendation.action.measure]]
id = "repeat-referrals"
text = "Re-referrals within 12 months"
unit = "1 in N"
target = 5
"""

CIN_RATE = {
    "id": "cin-rate",
    "text": "Rate of children in need per 10,000 children",
    "status": "not-met",
    "target": 300,
    "unit": "per 10,000",
    "direction": "down",
    "latest": {"date": "2021-03-31", "value": 325.1, "shown": "325.1 per 10,000"},
    "trend": "improving",
    "rag": "amber",
    "against": "worse than England, better than neighbours",
    # the region was suppressed: left out of the file, null here (never 0)
    "comparators": {
        "date": "2021-03-31",
        "england": 321.2,
        "region": None,
        "neighbours": 355.5,
        "neighbours_by": "median",
        "source": "DfE Characteristics of children in need 2021",
    },
}
REPEAT = {
    "id": "repeat-referrals",
    "text": "Re-referrals within 12 months",
    "status": "no-data",
    "target": 5,
    "unit": "1 in N",
    "direction": "up",
    "latest": None,
    "trend": None,
    "rag": None,
    "against": None,
    "comparators": None,
}


def _cli(tmp_path, monkeypatch, *args: str) -> dict:
    for var in ("IMPROVE_PLANS", "IMPROVE_TODAY", "IMPROVE_DB", "IMPROVE_USER"):
        monkeypatch.delenv(var, raising=False)
    plans = tmp_path / "plans"
    plans.mkdir(exist_ok=True)
    (plans / "cin.toml").write_text(PLAN, encoding="utf-8")
    r = CliRunner().invoke(
        cli,
        [*args, "--json", "--plans", str(plans), "--today", "2021-05-01"],
        catch_exceptions=False,
    )
    assert r.exit_code == 0, r.output
    return json.loads(r.output)


def test_status_json_carries_the_measures_figures(tmp_path, monkeypatch):
    doc = _cli(tmp_path, monkeypatch, "status")
    (plan,) = doc["plans"]
    (rec,) = plan["recommendations"]
    assert rec["measures"] == [CIN_RATE]
    assert rec["actions"][0]["measures"] == [REPEAT]


def test_actions_json_carries_the_measures_figures(tmp_path, monkeypatch):
    doc = _cli(tmp_path, monkeypatch, "actions")
    (action,) = doc["actions"]
    assert action["measures"] == [REPEAT]


def test_the_worked_example_in_plan_format_md_says_what_the_code_does(tmp_path):
    from pathlib import Path

    doc = (Path(__file__).parent.parent / "docs" / "plan-format.md").read_text("utf-8")
    (block,) = [b for b in doc.split("```toml\n")[1:] if 'id = "cin-rate"' in b]
    text = HEAD + '\n[[recommendation]]\nref = "1"\nleads = ["L"]\n\n' + block.split("```")[0]
    lf = load(tmp_path, text)
    assert lf.problems == [] and lf.plan is not None, problems(lf)
    view = measure_view(lf.plan.recommendations[0].measures[0])
    assert view.show(there(view.latest).value) == "325.1 per 10,000"
    assert (view.status, view.rag, view.trend) == ("not-met", "amber", "improving")
    assert view.against == "worse than England, better than neighbours"
    assert there(view.comparators).region is None
    assert '325.1 per 10,000": not met, **amber**' in doc.replace("\n", " ")


def test_rag_is_exact_whatever_the_sizes_of_the_numbers():
    # a hair below zero against a target of 10^14 is a hair more than 100% short: red
    assert rag(-1e-300, 1e14, "up", V(0, 100)) == "red"
    assert rag(0, 1e14, "up", V(0, 100)) == "amber"
