"""The command line end to end, on temporary folders."""

from __future__ import annotations

import json
import re
import sys
import tomllib
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import write
from improve.cli import cli

TODAY = "2017-01-05"


@pytest.fixture
def run(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for var in ("IMPROVE_PLANS", "IMPROVE_TODAY", "IMPROVE_DB", "IMPROVE_USER", "NO_COLOR"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("COLUMNS", "80")

    def invoke(*args, env=None):
        return CliRunner().invoke(cli, [str(a) for a in args], env=env, catch_exceptions=False)

    return invoke


def test_status_json_has_the_documented_shape(run, plans):
    r = run("status", "--json", "--plans", plans, "--today", TODAY)
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    assert doc["today"] == TODAY
    (plan,) = doc["plans"]
    assert {
        "id",
        "title",
        "file",
        "percent",
        "rag",
        "counts",
        "overdue",
        "stale",
        "recommendations",
    } <= plan.keys()
    assert plan["id"] == "sample" and plan["file"].endswith("sample.toml")
    # 1.1.1: 50% done, 83% expected → amber; 1.1.2: nothing done, 42% expected → amber
    assert plan["counts"] == {"red": 1, "amber": 2, "green": 0, "grey": 0, "blue": 0}
    assert plan["rag"] == "red" and plan["overdue"] == 1
    assert plan["percent"] == pytest.approx(25.0)  # (50 + 0 + 25) / 3, unrounded
    action = plan["recommendations"][0]["actions"][0]
    assert {
        "ref",
        "rag",
        "why",
        "percent",
        "status",
        "overdue",
        "due",
        "original_due",
        "next_due",
        "leads",
        "override",
        "stale",
        "measures",
    } <= action.keys()
    assert action["ref"] == "1.1.1" and action["due"] == "2017-01-31"
    assert action["leads"] == ["Assistant Director, Safeguarding"]  # from its recommendation
    assert action["measures"][0] == {
        "id": "supervision-monthly",
        "status": "not-met",
        "text": action["measures"][0]["text"],
        "target": 90,
        "unit": "%",
        "direction": "up",
        "latest": {"date": "2016-12-31", "value": 78, "shown": "78%"},
        "trend": None,
        "rag": None,
        "against": None,
        "comparators": None,
    }
    red = plan["recommendations"][1]["actions"][0]
    assert red["rag"] == "red" and red["why"].startswith("overdue: due 2016-12-31")


def test_dropped_action_has_null_rag_in_json(run, plans):
    path = plans / "sample.toml"
    path.write_text(
        path.read_text().replace("percent = 25\n", 'percent = 25\n  status = "dropped"\n')
    )
    doc = json.loads(run("status", "--json", "--plans", plans, "--today", TODAY).output)
    assert doc["plans"][0]["recommendations"][1]["actions"][0]["rag"] is None
    assert doc["plans"][0]["recommendations"][1]["percent"] is None


def test_global_options_before_or_after_and_from_environment(run, plans):
    a = run("--plans", plans, "--today", TODAY, "status", "--json")
    b = run("status", "--json", "--plans", plans, "--today", TODAY)
    c = run("status", "--json", env={"IMPROVE_PLANS": str(plans), "IMPROVE_TODAY": TODAY})
    assert a.output == b.output == c.output
    later = run("status", "--json", "--plans", plans, "--today", "2016-10-01")
    assert json.loads(later.output)["today"] == "2016-10-01"


def test_default_plans_folder_is_dot_plans(run, plans, monkeypatch):
    monkeypatch.chdir(plans.parent)
    r = run("status", "--json", "--today", TODAY)
    assert json.loads(r.output)["plans"][0]["id"] == "sample"


def test_bad_today_is_a_usage_error(run, plans):
    r = run("status", "--json", "--plans", plans, "--today", "5/1/2017")  # day first
    assert r.exit_code == 0 and json.loads(r.output)["today"] == "2017-01-05"
    r = run("status", "--plans", plans, "--today", "January 2017")
    assert r.exit_code == 2 and "YYYY-MM-DD" in r.output and "2017-01-31" in r.output
    r = run("status", "--plans", plans, "--today", "01/18/2017")  # never month first
    assert r.exit_code == 2 and "day first" in r.output
    r = run("status", "--plans", plans, env={"IMPROVE_TODAY": "soon"})
    assert r.exit_code == 2 and "IMPROVE_TODAY" in r.output


def test_status_human_output_reads_at_80_columns(run, plans):
    r = run("status", "--plans", plans, "--today", TODAY)
    assert r.exit_code == 0
    lines = r.output.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "Plans as at 5 January 2017" in lines[0]
    assert "RED" in r.output and "1 red · 2 amber" in r.output
    assert "0 of 3" in r.output
    assert "\x1b[" not in r.output  # no colour codes when not a terminal


def test_no_command_shows_status(run, plans):
    r = run("--plans", plans, "--today", TODAY)
    assert r.exit_code == 0 and "Plans as at 5 January 2017" in r.output


def test_check_clean_and_errors(run, plans):
    r = run("check", "--plans", plans)
    assert r.exit_code == 0 and "checked 1 file: 0 errors, 0 warnings" in r.output
    write(plans, "broken.toml", '[plan]\ntitle = "B"\nkind = "ofstead"\n')
    write(plans, "syntax.toml", "[plan\n")
    r = run("check", "--plans", plans)
    assert r.exit_code == 1
    assert 'broken.toml:3:8: error: "kind" must be one of' in r.output
    assert "syntax.toml:1:6: error: this is not valid TOML" in r.output
    assert "2 errors" in r.output and "(2 files with errors)" in r.output
    assert "Traceback" not in r.output


def test_check_given_paths(run, plans):
    bad = write(plans, "bad.toml", "[plan]\n")
    r = run("check", bad)
    assert r.exit_code == 1 and 'bad.toml:1:1: error: plan is missing "title"' in r.output
    assert run("check", plans / "sample.toml").exit_code == 0
    r = run("check", plans / "missing.toml")
    assert r.exit_code == 1 and "no such file" in r.output


def test_one_bad_file_does_not_stop_the_others(run, plans):
    write(plans, "broken.toml", "this is not toml")
    (plans / "latin1.toml").write_bytes('[plan]\ntitle = "Caf\xe9"\n'.encode("latin-1"))
    r = run("status", "--json", "--plans", plans, "--today", TODAY)
    assert r.exit_code == 0
    doc = json.loads(r.output)
    assert [p["id"] for p in doc["plans"]] == ["sample"]
    assert {Path(e["file"]).name for e in doc["errors"]} == {"broken.toml", "latin1.toml"}
    human = run("status", "--plans", plans, "--today", TODAY)
    assert "not loaded:" in human.output and "latin1.toml:2:13" in human.output


def test_broken_plans_folder_never_tracebacks(run, tmp_path):
    folder = tmp_path / "broken"
    folder.mkdir()
    cases = {
        "empty.toml": b"",
        "nul.toml": b"\x00\x01",
        "bom.toml": "\ufeff[plan]\n".encode(),
        "array.toml": b"plan = [1, 2]\n",
        "deep.toml": b"[plan]\ntitle = 'x'\n[[recommendation]]\n",
        "dates.toml": b"[plan]\ntitle='x'\nstart=1979-05-27T07:32:00Z\n",
        "weird.toml": b"[plan]\ntitle = 3\n[[recommendation]]\nref = 1\naction = []\n",
        "dir.toml": None,
    }
    for name, raw in cases.items():
        if raw is None:
            (folder / name).mkdir()
        else:
            (folder / name).write_bytes(raw)
    for args in (
        ["check", folder],
        ["status", "--plans", folder],
        ["status", "--json", "--plans", folder],
        ["actions", "--plans", folder],
        ["update", "empty:1", "--percent", "5", "--plans", folder],
    ):
        r = run(*args, "--today", TODAY)
        assert "Traceback" not in r.output and r.exit_code in (0, 1), (args, r.output)


def test_missing_plans_folder(run, tmp_path):
    r = run("status", "--plans", tmp_path / "nope", "--today", TODAY)
    assert r.exit_code == 1 and "no plans folder" in r.output


def test_actions_filters_combine(run, plans):
    def refs(*args):
        r = run("actions", "--json", "--plans", plans, "--today", TODAY, *args)
        assert r.exit_code == 0, r.output
        return [a["ref"] for a in json.loads(r.output)["actions"]]

    assert refs() == ["1.1.1", "1.1.2", "2.1.1"]
    assert refs("--rag", "red") == ["2.1.1"]
    assert refs("--rag", "amber") == ["1.1.1", "1.1.2"]
    assert refs("--rag", "red", "--rag", "AMBER") == ["1.1.1", "1.1.2", "2.1.1"]
    assert refs("--rag", "green") == []
    assert refs("--overdue") == ["2.1.1"]
    assert refs("--lead", "head of") == ["1.1.2", "2.1.1"]
    assert refs("--lead", "head of", "--overdue") == ["2.1.1"]
    assert refs("--due-within", "26") == ["1.1.1"]  # 2017-01-31 is 26 days on
    assert refs("--due-within", "25") == []
    assert refs("--plan", "sample", "--stale") == ["1.1.2", "2.1.1"]
    r = run("actions", "--plans", plans, "--today", TODAY, "--plan", "nope")
    assert r.exit_code == 1 and 'no plan "nope"' in r.output
    assert run("actions", "--plans", plans, "--rag", "purple").exit_code == 2


def test_actions_mine_uses_identity(run, plans):
    r = run(
        "actions",
        "--json",
        "--mine",
        "--plans",
        plans,
        "--today",
        TODAY,
        env={"IMPROVE_USER": "Head of Early Help"},
    )
    assert [a["ref"] for a in json.loads(r.output)["actions"]] == ["2.1.1"]


def test_actions_human_output(run, plans):
    r = run("actions", "--plans", plans, "--today", TODAY, "--rag", "red")
    assert r.exit_code == 0
    assert (
        "1 of 3 actions" in r.output
        and "2.1.1" in r.output
        and "sample — Sample improvement plan" in r.output
        and "RED" in r.output
    )
    assert "overdue: due" in r.output
    assert max(len(line) for line in r.output.splitlines()) <= 80


def test_update_end_to_end(run, plans):
    path = plans / "sample.toml"
    r = run(
        "update",
        "sample:1.1.1",
        "--percent",
        "75",
        "--note",
        "Policy agreed",
        "--evidence",
        "SLT minutes",
        "--link",
        "https://example.org/m",
        "--measure",
        "supervision-monthly",
        "--reading",
        "supervision-monthly=91",
        "--extend-to",
        "2017-03-31",
        "--reason",
        "Consultation",
        "--by",
        "Head of Safeguarding",
        "--plans",
        plans,
        "--today",
        TODAY,
    )
    assert r.exit_code == 0, r.output
    assert "percent 50 → 75" in r.output and "Now:" in r.output
    a = tomllib.loads(path.read_text())["recommendation"][0]["action"][0]
    assert a["percent"] == 75 and a["extension"][0]["agreed_by"] == "Head of Safeguarding"
    assert a["update"][-1]["by"] == "Head of Safeguarding"
    doc = json.loads(run("status", "--json", "--plans", plans, "--today", TODAY).output)
    act = doc["plans"][0]["recommendations"][0]["actions"][0]
    assert act["due"] == "2017-03-31" and act["original_due"] == "2017-01-31"
    assert act["measures"][0]["status"] == "met"


def test_update_by_defaults_to_improve_user(run, plans):
    r = run(
        "update",
        "sample:1.1.2",
        "--note",
        "Started",
        "--plans",
        plans,
        "--today",
        TODAY,
        env={"IMPROVE_USER": "Team Manager"},
    )
    assert r.exit_code == 0, r.output
    a = tomllib.loads((plans / "sample.toml").read_text())["recommendation"][0]["action"][1]
    assert a["update"][-1] == {
        "date": __import__("datetime").date(2017, 1, 5),
        "by": "Team Manager",
        "note": "Started",
    }


@pytest.mark.parametrize(
    "args,message",
    [
        (["sample"], "is not PLAN:REF"),
        (["nope:1", "--percent", "1"], 'no plan "nope"'),
        (["sample:9", "--percent", "1"], 'has no action "9"'),
        (["sample:1.1.1"], "nothing to change"),
        (["sample:1.1.1", "--extend-to", "2017-02-01"], "needs a reason"),
        (["sample:1.1.1", "--reading", "nope=1"], 'no measure "nope"'),
    ],
)
def test_update_errors_exit_1_and_leave_file(run, plans, args, message):
    before = (plans / "sample.toml").read_bytes()
    r = run("update", *args, "--plans", plans, "--today", TODAY)
    assert r.exit_code == 1 and message in r.output, r.output
    assert (plans / "sample.toml").read_bytes() == before


@pytest.mark.parametrize(
    "args",
    [
        ["--percent", "x"],
        ["--status", "done"],
        ["--reading", "novalue"],
        ["--extend-to", "March 2017", "--reason", "r"],
    ],
)
def test_update_usage_errors_exit_2(run, plans, args):
    r = run("update", "sample:1.1.1", *args, "--plans", plans, "--today", TODAY)
    assert r.exit_code == 2, r.output


def test_new_writes_a_valid_template_and_refuses_to_overwrite(run, tmp_path):
    folder = tmp_path / "p"
    r = run("new", "my-plan", "--title", 'Our "best" plan', "--plans", folder, "--today", TODAY)
    assert r.exit_code == 0, r.output
    assert r.output == "Wrote p/my-plan.toml; edit it, then run `improve check p/my-plan.toml`.\n"
    text = (folder / "my-plan.toml").read_text()
    assert tomllib.loads(text)["plan"]["title"] == 'Our "best" plan'  # quotes escaped
    assert "# Check the file with:  improve check p/my-plan.toml" in text.splitlines()
    r = run("check", folder)
    assert r.exit_code == 0 and r.output == "checked 1 file: 0 errors, 0 warnings\n"
    again = run("new", "my-plan", "--plans", folder)
    assert again.exit_code == 1 and "already exists" in again.output
    assert (folder / "my-plan.toml").read_text() == text
    bad = run("new", "bad id", "--plans", folder)
    assert bad.exit_code == 1 and bad.output.startswith('improve: "bad id" is not a plan id')
    assert sorted(p.name for p in folder.iterdir()) == ["my-plan.toml"]


COLOUR = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-7]|9[0-7]|38;)")


def test_colour_when_forced_and_none_with_no_color(run, plans):
    args = ["status", "--plans", str(plans), "--today", TODAY]
    coloured = CliRunner().invoke(cli, args, env={"FORCE_COLOR": "1"}, color=True)
    assert COLOUR.search(coloured.output) and "RED" in coloured.output
    plain = CliRunner().invoke(cli, args, env={"FORCE_COLOR": "1", "NO_COLOR": "1"}, color=True)
    assert not COLOUR.search(plain.output) and "RED" in plain.output


def test_every_command_is_documented_in_readme():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    for name in cli.commands:
        assert f"improve {name}" in readme, f"README does not mention `improve {name}`"


def test_plan_text_is_never_read_as_markup(run, plans):
    """Plan text with Rich markup in it is printed as written: read as markup, "[b]x[/b]"
    would print as a bold x and "[/]" would stop the command (nothing to close)."""
    write(
        plans,
        "odd.toml",
        '[plan]\ntitle = "[bold]Odd[/bold] [/]"\n'
        '[[recommendation]]\nref = "1"\nleads = ["[i]Lead[/i]"]\n'
        '[[recommendation.action]]\nref = "1.1"\naction = "Use [red]x[/red] [/]"\n'
        "due = 2016-12-01\n",
    )
    status = run("status", "--plans", plans, "--today", TODAY)
    assert status.exit_code == 0, status.output
    assert "[bold]Odd[/bold] [/]" in status.output
    actions = run("actions", "--plans", plans, "--plan", "odd", "--today", TODAY)
    assert actions.exit_code == 0, actions.output
    for written in ("odd — [bold]Odd[/bold] [/]", "Use [red]x[/red] [/]", "[i]Lead[/i]"):
        assert written in actions.output, written


def test_impossible_date_is_named_not_guessed(run, plans):
    write(plans, "bad.toml", '[plan]\ntitle = "B"\nstart = 2017-13-01\n')
    r = run("check", plans / "bad.toml")
    assert r.exit_code == 1
    assert "bad.toml:3:13: error:" in r.output and "2017-13-01 is not a real date" in r.output


def test_exact_lead_filter_matches_whole_names_only(plans):
    from improve import api

    today = date(2017, 1, 5)
    statuses = api.portfolio_status(api.load(plans), today)

    def refs(lead: str) -> list[str]:
        found = api.filter_actions(statuses, api.ActionFilter(exact_lead=lead), today)
        return [row.action.ref for row in found]

    # in the sample, 1.1.1 has its recommendation's lead, 1.1.2 a lead of its own (so not
    # its recommendation's too), and 2.1.1 its recommendation's
    assert refs("Assistant Director, Safeguarding") == ["1.1.1"]
    assert refs("Head of Safeguarding") == ["1.1.2"]
    assert refs("Head of Early Help") == ["2.1.1"]
    # a part of a name, or another case, is not the name (the --lead filter is for that)
    assert refs("Head of Safeguardin") == []
    assert refs("Safeguarding") == []
    assert refs("head of safeguarding") == []


def test_demo_opens_the_app_on_a_scratch_copy_as_at_january_2017(run, plans, tmp_path, monkeypatch):
    cli_main = sys.modules["improve.cli.main"]
    opened: dict[str, object] = {}
    monkeypatch.setattr(
        cli_main,
        "_run_app",
        lambda plans_dir, today, user, hc, banner=None, db=None: opened.update(
            plans=plans_dir, today=today, banner=banner, db=db
        ),
    )
    monkeypatch.setenv("IMPROVE_DB", str(tmp_path / "the-real-history.db"))
    (plans / ".improve").mkdir()
    (plans / ".improve" / "history.db").write_bytes(b"not copied")
    before = {p.name: p.read_bytes() for p in plans.glob("*.toml")}
    target = tmp_path / "scratch"
    result = run("--plans", plans, "demo", "--to", target)
    assert result.exit_code == 0, result.output
    assert opened["plans"] == target and opened["today"] == date(2017, 1, 5)
    banner = opened["banner"]
    assert isinstance(banner, str) and "scratch copy" in banner
    assert {p.name: p.read_bytes() for p in target.glob("*.toml")} == before
    copied_db = target / ".improve" / "history.db"  # a new history, replayed from the plans
    assert copied_db.read_bytes()[:16] == b"SQLite format 3\x00"
    assert opened["db"] == copied_db  # never the user's IMPROVE_DB
    assert not (tmp_path / "the-real-history.db").exists()
    assert f"diff -ru {plans} {target}" in result.output
    again = run("--plans", plans, "demo", "--to", target)  # never over a used folder
    assert again.exit_code == 1 and "not empty" in again.output


def test_demo_honours_an_explicit_today(run, plans, tmp_path, monkeypatch):
    cli_main = sys.modules["improve.cli.main"]
    opened: dict[str, object] = {}
    monkeypatch.setattr(
        cli_main,
        "_run_app",
        lambda plans_dir, today, user, hc, banner=None, db=None: opened.update(today=today),
    )
    assert (
        run("--plans", plans, "--today", "2017-06-01", "demo", "--to", tmp_path / "d").exit_code
        == 0
    )
    assert opened["today"] == date(2017, 6, 1)


def test_bare_improve_prints_exactly_what_status_prints_when_piped(run, plans):
    bare = run("--plans", plans, "--today", TODAY)  # CliRunner's output is not a terminal
    status = run("status", "--plans", plans, "--today", TODAY)
    assert bare.exit_code == status.exit_code == 0
    assert bare.output == status.output


def test_an_empty_filter_says_so_and_any_one_filter_is_not_empty():
    from improve.api import ActionFilter

    assert ActionFilter().is_empty()
    for given in (
        {"lead": "x"},
        {"rags": ("red",)},
        {"overdue": True},
        {"stale": True},
        {"plan": "p"},
        {"due_within": 0},
        {"text": "t"},
        {"exact_lead": "L"},
    ):
        assert not ActionFilter(**given).is_empty(), given


def test_a_title_with_quotes_is_written_as_typed_in_the_template_comment(run, tmp_path):
    folder = tmp_path / "plans"
    r = run("new", "q", "--title", 'Our "best" plan', "--plans", folder, "--today", "2017-01-05")
    assert r.exit_code == 0, r.output
    text = (folder / "q.toml").read_text()
    assert text.splitlines()[0] == '# Our "best" plan'
    assert tomllib.loads(text)["plan"]["title"] == 'Our "best" plan'


def test_piped_status_at_80_columns_keeps_every_count_and_no_trailing_space(run, tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    actions = [
        ("1.1", "due = 2016-12-31\npercent = 10"),  # red
        ("1.2", "start = 2016-09-01\ndue = 2017-01-31\npercent = 5"),  # amber
        ("1.3", "start = 2016-09-01\ndue = 2017-12-31\npercent = 40"),  # green
        ("1.4", "start = 2017-06-01\ndue = 2017-12-31"),  # grey
        ("1.5", 'status = "complete"'),  # blue
    ]
    body = "".join(
        f'\n[[recommendation.action]]\nref = "{ref}"\naction = "A"\n{extra}\n'
        for ref, extra in actions
    )
    write(
        folder,
        "p.toml",
        '[plan]\ntitle = "A plan with every colour in it, and a long title"\n'
        '[[recommendation]]\nref = "1"\nleads = ["L"]\n' + body,
    )
    r = run("status", "--plans", folder, "--today", "2017-01-05", "--db", tmp_path / "h.db")
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert [ln for ln in lines if ln != ln.rstrip()] == []
    assert max(len(ln) for ln in lines) <= 80
    said = " ".join(r.stdout.split())
    assert "1 red · 1 amber · 1 green · 1 grey · 1 blue" in said


def test_mine_with_a_name_that_leads_nothing_says_why_and_offers_close_matches(run, plans):
    r = run(
        "actions", "--mine", "--plans", plans, "--today", "2017-01-05",
        env={"IMPROVE_USER": "Jane Smith"},
    )  # fmt: skip
    assert r.exit_code == 0
    said = " ".join(r.stdout.split())
    assert said == (
        'No actions match (of 3). No action is led by "Jane Smith" (you, by IMPROVE_USER, git '
        "user.name or your login): leads here are job titles, not names. Try --lead with one "
        "of them, or set IMPROVE_USER to your job title."
    )
    r = run("actions", "--lead", "Head of Safeguard", "--plans", plans, "--today", "2017-01-05")
    assert "1 of 3 actions" in r.stdout  # a part of a lead's name still matches
    r = run("actions", "--lead", "Head of Early Hlep", "--plans", plans, "--today", "2017-01-05")
    assert 'close matches: "Head of Early Help"' in " ".join(r.stdout.split())


def test_status_json_in_a_pipe_is_written_plan_by_plan_as_the_whole_would_be(run, plans):
    """In a pipe the document is encoded a plan at a time (never held whole at 20,000
    actions); its bytes are exactly those of encoding it whole, control characters
    escaped the same way."""
    from improve.inert import json_inert

    hostile = (
        (plans / "sample.toml")
        .read_text()
        .replace('title = "Sample improvement plan"', 'title = "Sample \\u009b31m plan \\u00e9"')
    )
    (plans / "sample.toml").write_text(hostile)
    (plans / "second.toml").write_text(hostile.replace("[plan]", '[plan]\nid = "second"'))
    (plans / "broken.toml").write_text("[plan\n")
    r = run("status", "--json", "--plans", plans, "--today", TODAY)
    doc = json.loads(r.output)
    assert [p["id"] for p in doc["plans"]] == ["sample", "second"] and doc["errors"]
    assert r.output == json_inert(json.dumps(doc, ensure_ascii=False)) + "\n"
    assert "\x9b" not in r.output
