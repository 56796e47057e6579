"""`improve kpi import`: an Explore Education Statistics file's figures for a council,
England, its region and its statistical neighbours into a plan's measure (issue 25
point 2). Every file is made up by tests/kpi_files.py; nothing uses the network."""

from __future__ import annotations

import difflib
import json
import tomllib
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import write
from improve.cli import cli
from improve.errors import SourceError
from improve.kpi.ees import SUPPRESSION, parse_period, parse_value, read_ees
from improve.kpi.neighbours import read_neighbours, summarise
from kpi_files import COUNCILS, TELFORD_NEIGHBOURS, default_value, ees_text, neighbours_text

TODAY = "2022-01-10"
LA = "Telford and Wrekin"
PLAN = """\
# KPIs: comments stay
[plan]
title = "Children's services improvement plan"
kind = "ofsted"
start = 2021-04-01

[[measure]]
id = "cin-rate"
text = "Rate of children in need per 10,000 children"   # the DfE measure
unit = "per 10,000"
direction = "down"
target = 300

[[recommendation]]
ref = "1"
title = "Early help"

  [[recommendation.action]]
  ref = "1.1"
  action = "Step-down panel"
  due = 2022-03-31

    [[recommendation.action.measure]]
    id = "cpp-rate"
    text = "Rate of child protection plans per 10,000 children"
    readings = [ { date = 2019-03-31, value = 40 } ]
"""


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    plans = tmp_path / "plans"
    plans.mkdir()
    write(plans, "kpis.toml", PLAN)
    return tmp_path


def run(folder: Path, *args):
    argv = ["--plans", str(folder / "plans"), "--db", str(folder / "h.db"), "--today", TODAY]
    return CliRunner().invoke(cli, [*argv, *map(str, args)], catch_exceptions=False)


def kpi(folder: Path, *args, measure="kpis:cin-rate", column="cin_rate", la=LA):
    return run(folder, "kpi", "import", *args, "--measure", measure, "--column", column,
               "--la", la, "--by", "Performance team")  # fmt: skip


def measure(folder: Path, where=("measure", 0)) -> dict:
    data = tomllib.loads((folder / "plans" / "kpis.toml").read_text("utf-8"))
    for part in where:
        data = data[part]
    return data


def ees(folder: Path, value=default_value, name="ees.csv", **kw) -> Path:
    path = folder / name
    path.write_text(ees_text(value, **kw), encoding="utf-8", newline="")
    return path


def sn(folder: Path, table=TELFORD_NEIGHBOURS) -> Path:
    path = folder / "sn.csv"
    path.write_text(neighbours_text(table), encoding="utf-8")
    return path


def figure(place: str, year: int) -> float:
    return float(default_value(place, year))


# -- the reader ----------------------------------------------------------------------


@pytest.mark.parametrize("symbol", [*SUPPRESSION, "C", " x ", "LOW", ""])
def test_a_suppression_symbol_is_no_value_never_zero(symbol):
    cell = parse_value(symbol, Path("f.csv"), 3, 11, "cin_rate")
    assert cell.value is None and cell.value != 0


@pytest.mark.parametrize("bad", ["n/a", "nan", "inf", "1e999", "12%", "1,234", "0x10", "1_000"])
def test_a_cell_that_is_neither_number_nor_symbol_is_its_place_in_the_file(bad):
    with pytest.raises(SourceError) as err:
        parse_value(bad, Path("f.csv"), 7, 11, "cin_rate")
    assert err.value.message.startswith("f.csv:7:11: ")
    assert "neither a number nor a suppression symbol" in err.value.message


@pytest.mark.parametrize(
    ("period", "identifier", "day", "words"),
    [
        ("202021", "Financial year", date(2021, 3, 31), "2020/21 (financial year)"),
        ("202021", "Academic year", date(2021, 8, 31), "2020/21 (academic year)"),
        ("2021", "Calendar year", date(2021, 12, 31), "2021 (calendar year)"),
        ("2021", "Reporting year", date(2021, 3, 31), "2021 (reporting year)"),
        ("199900", "financial  YEAR", date(2000, 3, 31), "1999/00 (financial year)"),
    ],
)
def test_periods_are_dated_by_the_day_they_end(period, identifier, day, words):
    found = parse_period(period, identifier, Path("f.csv"), 2, 1)
    assert (found.day, found.words) == (day, words)


@pytest.mark.parametrize(
    ("period", "identifier"),
    [("2021", "Financial year"), ("202022", "Academic year"), ("202021", "Calendar year"),
     ("2021", "Month"), ("２０２１", "Calendar year")],
)  # fmt: skip
def test_a_period_the_import_cannot_date_is_its_place_in_the_file(period, identifier):
    with pytest.raises(SourceError) as err:
        parse_period(period, identifier, Path("f.csv"), 9, 1)
    assert err.value.message.startswith("f.csv:9:")


@pytest.mark.parametrize("la", ["Telford and Wrekin", "TELFORD & WREKIN", " telford  and wrekin",
                                "E06000020", "894", "e06000020"])  # fmt: skip
def test_the_council_is_found_by_name_or_code(tmp_path, la):
    figures = read_ees(ees(tmp_path), "cin_rate", la)
    assert figures.council.name == LA
    assert figures.council.cells[date(2021, 3, 31)].value == figure(LA, 2021)
    assert figures.region is not None and figures.region.name == "West Midlands"
    assert figures.england.cells[date(2021, 3, 31)].value == figure("England", 2021)


def test_neighbours_are_read_and_summed_up(tmp_path):
    nb = read_neighbours(sn(tmp_path), "telford & wrekin")
    assert nb.names == TELFORD_NEIGHBOURS[LA]
    figures = read_ees(ees(tmp_path), "cin_rate", LA, nb.names)
    assert sorted(figures.neighbours) == sorted(nb.names)
    assert summarise([1, 2, 10], "median") == 2 and summarise([1, 2, 10, 20], "median") == 6
    assert summarise([1.5, 2.25, 3], "mean") == 2.25 and summarise([1, 2], "mean") == 1.5
    assert summarise([1.1, 1.2, 1.4], "mean") == 1.23  # one more place than the data's


def test_one_pass_keeps_only_the_places_wanted(tmp_path):
    figures = read_ees(ees(tmp_path, years=range(2012, 2022)), "cin_rate", LA)
    assert figures.rows == 10 * (1 + 5 + len(COUNCILS))
    assert len(figures.council.cells) == len(figures.england.cells) == 10


# -- the command, end to end ---------------------------------------------------------


def test_import_writes_readings_and_comparators_into_the_plan(folder):
    before = (folder / "plans" / "kpis.toml").read_text("utf-8")
    r = kpi(folder, ees(folder), "--neighbours", sn(folder))
    assert r.exit_code == 0, r.output
    assert "Updated kpis:cin-rate" in r.output
    ms = measure(folder)
    day = date(2021, 3, 31)
    assert {"date": day, "value": figure(LA, 2021), "note": "2020/21 (financial year)"} in ms[
        "readings"
    ]
    assert [x["date"] for x in ms["readings"]] == [date(y, 3, 31) for y in (2019, 2020, 2021)]
    (latest,) = [c for c in ms["comparators"] if c["date"] == day]
    near = sorted(figure(n, 2021) for n in TELFORD_NEIGHBOURS[LA])
    assert latest == {
        "date": day,
        "england": figure("England", 2021),
        "region": figure("West Midlands", 2021),
        "neighbours": near[2],
        "neighbours_by": "median",
        "source": "ees.csv: cin_rate",
    }
    after = (folder / "plans" / "kpis.toml").read_text("utf-8")
    # only lines inside the measure were added, after its last key; nothing else moved
    old, new = before.splitlines(), after.splitlines()
    ops = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    assert [op[0] for op in ops] == ["equal", "insert", "equal"]
    assert old[ops[0][2] - 1] == "target = 300"
    added = new[ops[1][3] : ops[1][4]]
    assert added[0] == "readings = [" and "comparators = [" in added
    assert "# the DfE measure" in after and "# KPIs: comments stay" in after
    assert run(folder, "check").exit_code == 0


def test_the_mean_is_stated(folder):
    r = kpi(folder, ees(folder), "--neighbours", sn(folder), "--neighbours-by", "mean")
    assert r.exit_code == 0, r.output
    comps = measure(folder)["comparators"]
    values = [figure(n, 2020) for n in TELFORD_NEIGHBOURS[LA]]
    (c,) = [c for c in comps if c["date"] == date(2020, 3, 31)]
    assert c["neighbours_by"] == "mean"
    assert c["neighbours"] == pytest.approx(sum(values) / len(values), abs=0.005)


def suppressing(cells: dict):
    return lambda place, year: cells.get((place, year), default_value(place, year))


def test_suppressed_figures_are_left_out_never_zero(folder):
    value = suppressing(
        {(LA, 2020): "c", ("England", 2019): "x", ("West Midlands", 2021): ":",
         ("Walsall", 2021): "low", ("Halton", 2021): ""}
    )  # fmt: skip
    r = kpi(folder, ees(folder, value), "--neighbours", sn(folder))
    assert r.exit_code == 0, r.output
    ms = measure(folder)
    assert date(2020, 3, 31) not in [x["date"] for x in ms["readings"]]
    assert all(x["value"] != 0 for x in ms["readings"])
    comps = {c["date"]: c for c in ms["comparators"]}
    assert "england" not in comps[date(2019, 3, 31)]
    assert "region" not in comps[date(2021, 3, 31)]
    # the median of the three neighbours left, not of five with two zeros
    near = sorted(figure(n, 2021) for n in ("Stoke-on-Trent", "Darlington", "Derby"))
    assert comps[date(2021, 3, 31)]["neighbours"] == near[1]
    assert 0 not in [v for c in comps.values() for v in c.values()]
    text = " ".join(r.output.split())
    assert "left out, suppressed or empty (never written as 0): 5" in text
    assert 'Telford and Wrekin, 2019/20 (financial year): "c"' in text
    assert "the neighbours' median is of 3 of 5" in text


def test_an_import_run_twice_changes_nothing_the_second_time(folder):
    args = (ees(folder), "--neighbours", sn(folder))
    assert kpi(folder, *args).exit_code == 0
    first = (folder / "plans" / "kpis.toml").read_bytes()
    again = kpi(folder, *args)
    assert again.exit_code == 0, again.output
    assert "Nothing to change" in again.output
    assert (folder / "plans" / "kpis.toml").read_bytes() == first


def test_a_changed_figure_replaces_its_reading_and_says_so(folder):
    assert kpi(folder, ees(folder)).exit_code == 0
    revised = suppressing({(LA, 2021): "299.9"})
    r = kpi(folder, ees(folder, revised))
    assert r.exit_code == 0, r.output
    assert f"cin-rate reading 2021-03-31: {figure(LA, 2021):g} → 299.9" in r.output
    assert "readings: 0 added, 1 replaced" in r.output
    values = [x["value"] for x in measure(folder)["readings"] if x["date"] == date(2021, 3, 31)]
    assert values == [299.9]


def test_dry_run_writes_nothing(folder):
    before = (folder / "plans" / "kpis.toml").read_bytes()
    r = kpi(folder, ees(folder), "--dry-run")
    assert r.exit_code == 0, r.output
    assert "readings: 3 added" in r.output and "Dry run" in r.output
    assert (folder / "plans" / "kpis.toml").read_bytes() == before


def test_an_actions_measure_is_recorded_in_the_history_as_by_its_author(folder):
    assert run(folder, "status").exit_code == 0  # the history's baseline
    r = kpi(folder, ees(folder, columns=("cpp_rate",)),
            measure="kpis:cpp-rate", column="cpp_rate")  # fmt: skip
    assert r.exit_code == 0, r.output
    ms = measure(folder, ("recommendation", 0, "action", 0, "measure", 0))
    assert ms["readings"][0]["value"] == figure(LA, 2019)  # 40 replaced: the file differs
    assert "cpp-rate reading 2019-03-31: 40 → " in r.output
    assert len(ms["readings"]) == 3 and len(ms["comparators"]) == 3
    # the one-line list, too long with three, is written one reading a line
    text = (folder / "plans" / "kpis.toml").read_text("utf-8")
    assert "    readings = [\n      { date = 2019-03-31, value = " in text
    assert "\n    ]\n    comparators = [\n      { date = 2019-03-31, england = " in text
    doc = json.loads(run(folder, "history", "kpis:1.1", "--json").output)
    (event,) = [e for e in doc["events"] if e["field"] == "reading"]
    assert event["who"] == "Performance team" and event["date"] == TODAY
    # the plan's own measure: the history holds the file as written, so nothing of it
    # is taken for an edit by hand afterwards
    assert kpi(folder, ees(folder)).exit_code == 0
    assert run(folder, "status").exit_code == 0
    doc = json.loads(run(folder, "history", "kpis:1.1", "--json").output)
    assert not [e for e in doc["events"] if e["who"] == "edited by hand"]


# -- hostile and bad input: one line, FILE:LINE:COL, never a traceback ----------------


def fails(r, *words):
    assert r.exit_code == 1, r.output
    assert "Traceback" not in r.output
    line = r.output.strip().splitlines()[-1]
    assert line.startswith("improve: ")
    for w in words:
        assert w in line, line
    return line


def test_a_missing_column_names_the_columns_there_are(folder):
    line = fails(kpi(folder, ees(folder), column="cin_rat"), "ees.csv:1:1:", '"cin_rat"',
                 'did you mean "cin_rate"', "--column")  # fmt: skip
    assert "time_period" in line


def test_a_missing_header_is_named(folder):
    rows = ees_text().splitlines()
    rows[0] = rows[0].replace("region_name", "region")
    (folder / "ees.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    fails(kpi(folder, folder / "ees.csv"), "ees.csv:1:1:", '"region_name"')


def test_a_council_not_in_the_file_names_the_nearest(folder):
    fails(kpi(folder, ees(folder), la="Telford and Wreckin"), "ees.csv:1:10:",
          '"Telford and Wreckin"', "nearest: Telford and Wrekin", "--la")  # fmt: skip


def test_a_bad_figure_is_its_line_and_column(folder):
    value = suppressing({(LA, 2020): "3O5.1"})
    # the header, then 17 rows a year: Telford's 2020 row is line 1 + 17 + 7
    fails(kpi(folder, ees(folder, value)), "ees.csv:25:11:", '"3O5.1"', "suppression symbol")


def test_an_unknown_measure_or_plan_is_said_before_the_file_is_read(folder):
    r = kpi(folder, folder / "missing.csv")
    assert r.exit_code == 2 and "does not exist" in r.output
    fails(kpi(folder, ees(folder), measure="kpis:nope"), 'no measure "nope"', "cin-rate")
    fails(kpi(folder, ees(folder), measure="other:cin-rate"), 'no plan "other"')
    r = kpi(folder, ees(folder), measure="kpis")
    assert r.exit_code == 2 and "PLAN:MEASURE" in r.output


def test_rows_of_a_breakdown_are_refused_until_one_is_chosen(folder):
    rows = ees_text(columns=("cin_rate",)).splitlines()
    head, body = rows[0], rows[1:]
    text = head + ",age\n" + "".join(f"{r},All\n{r.rsplit(',', 1)[0]},99,Under 5\n" for r in body)
    (folder / "ees.csv").write_text(text, encoding="utf-8")
    fails(kpi(folder, folder / "ees.csv"), "ees.csv:3:1:", "second row for England",
          "--where")  # fmt: skip
    r = kpi(folder, folder / "ees.csv", "--where", "age=All")
    assert r.exit_code == 0, r.output
    assert 99 not in [x["value"] for x in measure(folder)["readings"]]


def test_hostile_files_bom_crlf_quoted_commas_long_cells_and_controls(folder):
    long = "x" * 10_000
    councils = [*COUNCILS, ("Evil\x1b]0;pwned\x07 Council", "E06000099", "999", "West Midlands")]
    text = ees_text(
        councils=councils,
        newline="\r\n",
        extra=lambda place, year: {"country_name": long} if year == 2020 else {},
    )
    (folder / "ees.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    table = {LA: ["Bristol, City of", "Evil\x1b]0;pwned\x07 Council", "Derby"]}
    r = kpi(folder, folder / "ees.csv", "--neighbours", sn(folder, table))
    assert r.exit_code == 0, r.output
    assert "\x1b" not in r.output and "\x07" not in r.output
    comps = {c["date"]: c for c in measure(folder)["comparators"]}
    near = sorted(figure(n, 2021) for n in table[LA])
    assert comps[date(2021, 3, 31)]["neighbours"] == near[1]
    assert "\r" not in (folder / "plans" / "kpis.toml").read_text("utf-8").replace("\r\n", "")
    # the same council named with a control character is not found, and said inertly
    line = fails(kpi(folder, folder / "ees.csv", la="Telford\x1b[2J and Wrekin"), "ees.csv:1:10:")
    assert "\x1b" not in line


HEAD = ees_text().splitlines()[0].encode() + b"\n"


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"time_period,\xff\xfe\n", "bad.csv:1:13: the file is not UTF-8"),
        (HEAD + b"1,2\n3,4\nabc\xe9,5\n", "bad.csv:4:4: the file is not UTF-8"),
        (b"", "the file is empty"),
        (HEAD + b'"\n1,2\n' + b"x" * 200_000, "cannot be read as CSV"),
        (HEAD + b"201920,Financial year,National" + b",\x00" * 8 + b"\n", "neither a number"),
    ],
)
def test_a_file_that_is_not_csv_text_is_one_line(folder, raw, words):
    (folder / "bad.csv").write_bytes(raw)
    fails(kpi(folder, folder / "bad.csv"), "bad.csv:", words)


def test_a_short_row_is_its_line(folder):
    text = ees_text() + "202021,Financial year,Local authority\n"
    (folder / "ees.csv").write_text(text, encoding="utf-8")
    fails(kpi(folder, folder / "ees.csv"), "ees.csv:53:", "cells")


def test_a_plan_changed_on_disk_during_the_import_is_not_written_over(folder, monkeypatch):
    """Another writer (an editor that ignores the lock) changes the file while the import
    works its edit out: the import is refused and their change stays."""
    import improve.edits.measure_edit as me

    path = folder / "plans" / "kpis.toml"
    real = me.edit_measure_text

    def meanwhile(*args, **kw):
        edited = real(*args, **kw)
        path.write_text(path.read_text("utf-8") + "# theirs\n", encoding="utf-8")
        return edited

    monkeypatch.setattr(me, "edit_measure_text", meanwhile)
    line = fails(kpi(folder, ees(folder)), "changed")
    assert "kpis.toml" in line
    text = path.read_text("utf-8")
    assert text.endswith("# theirs\n") and "comparators" not in text


def test_a_recommendations_measure_and_an_inline_one(folder):
    path = folder / "plans" / "kpis.toml"
    text = path.read_text("utf-8").replace(
        'title = "Early help"\n',
        'title = "Early help"\n\n'
        '  [[recommendation.measure]]\n  id = "eh"\n  text = "Early help episodes"\n',
    )
    text += '\n[[recommendation]]\nref = "2"\ntitle = "Two"\n'
    text += 'measure = [ { id = "inline", text = "Inline" } ]\n'

    path.write_text(text, encoding="utf-8")
    assert run(folder, "check").exit_code == 0
    r = kpi(folder, ees(folder), measure="kpis:eh")
    assert r.exit_code == 0, r.output
    assert len(measure(folder, ("recommendation", 0, "measure", 0))["readings"]) == 3
    fails(kpi(folder, ees(folder), measure="kpis:inline"), "inline table")
