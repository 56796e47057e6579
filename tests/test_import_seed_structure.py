"""Issue 24 points 1, 3, 5, 7: the seeds' own layouts import into their structure — the
CSE scrutiny review's recommendations table (seed 004 part a), a tracker's grouping rows,
refs qualified by their recommendation, and a summary that says what it could not place."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from improve.importing import import_plan
from improve.importing.columns import key_for
from seed_layouts import CSE_HEADER, CSE_TITLE, cse_scrutiny_docx, key_concern_xlsx

TODAY = dt.date(2016, 11, 30)
SHIPPED = Path(__file__).parent.parent / "plans" / "telford-cse-scrutiny-2016.toml"


def _map(wanted: dict[str, str]) -> list[str]:
    """--map only for the headings columns.py does not name yet."""
    return [f"{h}={k}" for h, k in wanted.items() if key_for(h) != k]


CSE_MAP = dict(
    zip(CSE_HEADER, ["ref", "recommendation", "leads", "action", "progress"], strict=True)
)
CSE_MAP.pop("Recommendation")


def _cse(tmp_path):
    source = cse_scrutiny_docx(tmp_path / "cse.docx")
    plans = tmp_path / "plans"
    plans.mkdir()
    imported = import_plan(source, plans, today=TODAY, kind="scrutiny", mapping=_map(CSE_MAP))
    return imported, tomllib.loads(imported.text)


def test_the_cse_review_imports_as_recommendations_each_with_one_action(tmp_path):
    imported, plan = _cse(tmp_path)
    recs = plan["recommendation"]
    assert [r["ref"] for r in recs] == ["1", "2", "4", "5"]
    assert all(len(r["action"]) == 1 for r in recs)
    assert [r["action"][0]["ref"] for r in recs] == ["1.1", "2.1", "4.1", "5.1"]
    assert recs[0]["title"] == "Initial work to identify scale of CSE"
    assert recs[0]["text"].startswith("The Committee recommends that the current data")
    actions = [r["action"][0] for r in recs]
    assert [a.get("status") for a in actions] == [
        "in-progress", "in-progress", "complete", "complete",
    ]  # fmt: skip
    for a in actions:
        (update,) = a["update"]
        assert update["date"] == TODAY
        assert not update["note"].startswith(("In progress", "Completed"))
    assert actions[3]["update"][0]["note"].startswith("CSE is already referred to")
    # the repeated header row is no action, and no lead is "Lead agency/ partnership"
    assert all("Lead agency" not in " ".join(a.get("leads", [])) for a in actions)
    # the continuation row is joined to recommendation 2, not an action of its own
    assert recs[1]["text"].endswith("Annual Report.") or "Annual Report." in recs[1].get(
        "text", recs[1].get("title", "")
    )
    assert "A summary of the CSE profile" in actions[1]["action"]
    assert plan["plan"]["title"] == CSE_TITLE
    assert not any("no structure" in line for line in imported.warning_lines())


def test_the_cse_review_agrees_with_the_shipped_transcription(tmp_path):
    _, plan = _cse(tmp_path)
    shipped = {r["ref"]: r for r in tomllib.loads(SHIPPED.read_text())["recommendation"]}
    for rec in plan["recommendation"]:
        want = shipped[rec["ref"]]
        assert rec["action"][0]["ref"] == want["action"][0]["ref"]
        assert rec["action"][0].get("status") == want["action"][0].get("status")
        assert want["title"] == rec.get("title") or rec["ref"] == "2"
        # the update's words are the document's, without the status word, as shipped
        note = rec["action"][0]["update"][0]["note"]
        assert want["action"][0]["update"][0]["note"].startswith(note.split(".")[0])
    leads = {r["ref"]: r["action"][0]["leads"] for r in plan["recommendation"]}
    assert leads["1"] == shipped["1"]["action"][0]["leads"] == ["TWSCB"]
    assert leads["4"] == shipped["4"]["action"][0]["leads"]
    assert len(leads["5"]) == len(shipped["5"]["action"][0]["leads"]) == 2


def _imported(tmp_path, source, **kw):
    plans = tmp_path / "plans"
    plans.mkdir(exist_ok=True)
    imported = import_plan(source, plans, today=TODAY, **kw)
    return imported, tomllib.loads(imported.text)


def test_an_action_ref_is_qualified_by_its_recommendation_not_renamed(tmp_path):
    source = tmp_path / "tracker.csv"
    source.write_text("Ref,Action,Lead\n1,Map the support,TWSCB\n2,Consult parents,TWC\n")
    imported, plan = _imported(tmp_path, source)
    refs = [a["ref"] for r in plan["recommendation"] for a in r["action"]]
    assert refs == ["1.1", "1.2"]
    assert not any("used twice" in line for line in imported.warning_lines())


def test_numbers_restarting_under_each_recommendation_are_qualified(tmp_path):
    source = tmp_path / "plan.csv"
    source.write_text(
        "Ref,Action,Lead\nKey concern 1: Leaders lack oversight,,\n1,Audit cases,A\n"
        "2,Report monthly,B\nKey concern 2: Plans are late,,\n1,Track every plan,C\n"
    )
    imported, plan = _imported(tmp_path, source)
    refs = [[a["ref"] for a in r["action"]] for r in plan["recommendation"]]
    assert refs == [["1.1", "1.2"], ["2.1"]]
    assert not any("used twice" in line for line in imported.warning_lines())


def test_grouping_rows_in_a_key_concern_column_are_recommendations(tmp_path):
    for first in ("Key Concern", "Priority", "Workstream", "Theme"):
        where = tmp_path / first.replace(" ", "")
        where.mkdir()
        source = key_concern_xlsx(where / "tracker.xlsx", first)
        imported, plan = _imported(where, source)
        recs = plan["recommendation"]
        assert [r["ref"] for r in recs] == ["KC1", "KC2"], first
        assert recs[1]["title"].startswith("Too many children")
        assert [len(r["action"]) for r in recs] == [2, 1]
        assert not imported.warning_lines(), first


def test_a_file_with_no_structure_says_so(tmp_path):
    source = tmp_path / "flat.csv"
    source.write_text("Task,Owner\nMap the support,TWSCB\nConsult parents,TWC\n")
    imported, _ = _imported(tmp_path, source)
    assert any("no structure found: check --map" in w for w in imported.warning_lines())
    rows = tmp_path / "rows.csv"
    rows.write_text("Ref,Action,Lead\n1,Map the support,TWSCB\n,,\n2,,TWC\n")
    imported, _ = _imported(tmp_path, rows, plan_id="rows")
    # what it could not place is said, with where
    assert any("row with no action text" in w and ":line 4" in w for w in imported.warning_lines())


def test_the_cse_reviews_how_it_will_be_achieved_is_the_plans_word_for_an_action(tmp_path):
    """The shipped transcription calls its actions "How it will be achieved"
    (labels.action); the imported plan says the same, so its report heads the column so."""
    from click.testing import CliRunner

    from improve.cli import cli

    plans = tmp_path / "plans"
    plans.mkdir()
    doc = cse_scrutiny_docx(tmp_path / "cse.docx")
    r = CliRunner().invoke(
        cli, ["--plans", str(plans), "--today", "2016-11-30", "import", str(doc), "--id", "cse"],
        catch_exceptions=False,
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    data = tomllib.loads((plans / "cse.toml").read_text(encoding="utf-8"))
    shipped = tomllib.loads(
        (Path(__file__).parent.parent / "plans" / "telford-cse-scrutiny-2016.toml").read_text(
            encoding="utf-8"
        )
    )
    assert data["plan"]["labels"]["action"] == shipped["plan"]["labels"]["action"]


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_every_cse_recommendation_agrees_with_the_shipped_transcription(tmp_path, kind):
    """The whole review, built in the seed's layout from the shipped plan's own words,
    imports back to the same recommendations, leads (as the document writes them),
    statuses and update text."""
    from seed_layouts import cse_from_shipped_docx, cse_from_shipped_xlsx

    shipped = tomllib.loads(SHIPPED.read_text("utf-8"))
    build = cse_from_shipped_docx if kind == "docx" else cse_from_shipped_xlsx
    source = build(tmp_path / f"cse.{kind}", shipped)
    (tmp_path / "plans").mkdir()
    imported = import_plan(source, tmp_path / "plans", today=TODAY, kind="scrutiny")
    plan = tomllib.loads(imported.text)
    words = lambda text: " ".join(text.split())  # noqa: E731 - paragraphs' blank lines go
    assert plan["plan"]["title"] == shipped["plan"]["title"]
    assert plan["plan"]["labels"]["action"] == shipped["plan"]["labels"]["action"]
    got = plan["recommendation"]
    assert [r["ref"] for r in got] == [r["ref"] for r in shipped["recommendation"]]
    for rec, want in zip(got, shipped["recommendation"], strict=True):
        assert rec["title"] == want["title"]
        assert words(rec["text"]) == words(want["text"])
        (action,) = rec["action"]
        (wanted,) = want["action"]
        assert action["ref"] == wanted["ref"]
        assert words(action["action"]) == words(wanted["action"])
        assert action.get("status") == wanted.get("status"), rec["ref"]
        assert words(action["update"][0]["note"]) == words(wanted["update"][0]["note"])
        as_written = want.get("extra", {}).get("lead_as_written")
        if as_written is None:
            assert "leads" not in action
        else:  # the document's words; the transcription spelled some agencies out
            assert " ".join(action["leads"]) == as_written.replace("/", " ")
            assert len(action["leads"]) == len(wanted["leads"])
    assert not any("no structure" in line for line in imported.warning_lines())
