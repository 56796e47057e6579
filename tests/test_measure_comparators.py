"""Measures with comparators (issue 25): the plan-file keys `unit`, `variance` and
`comparators`, the figures `improve.measures` works out from them, and their JSON."""

from __future__ import annotations

import pytest

from improve.loader import LoadedFile, load_file

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
    assert (m.variance.amber, m.variance.red) == (0, 10)
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
