"""Issue 24 points 6 and 4: the header words the seeds' councils use name their keys
without --map, and one labelled stage ("Evaluation complete: January 2017") is a due date
(the month's last day) with that milestone."""

from __future__ import annotations

import datetime as dt
import tomllib

import pytest
from click.testing import CliRunner

from helpers import clean_env
from improve.cli import cli
from improve.importing.columns import action_label, key_for
from improve.importing.grid import Cell
from improve.importing.values import parse_when
from seed_layouts import seed_words_docx


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("Rec N°", "ref"),
        ("Rec Nº", "ref"),
        ("Action No.", "ref"),
        ("Actions / activity", "action"),
        ("Lead agency/partnership", "leads"),
        ("Lead agency/ partnership", "leads"),
        ("Timescale", "due"),
        ("Target date", "due"),
        ("By when", "due"),
        ("Progress update", "progress"),
        ("6 month progress update", "progress"),
        ("6 month progress update (as at November 2016)", "progress"),
        ("How will we know", "measure"),
        ("Outcome/progress measures", "measure"),
        ("RAG status", "rag"),
        ("Brief outline of how it will be achieved", "action"),
        ("Brief outline of how it will be achieved as at July 2016", "action"),
    ],
)
def test_each_seed_header_word_names_its_key(header, key):
    assert key_for(header) == key


def test_a_recommendation_heading_stays_unnamed_for_the_review_table():
    # "Recommendation" names no action key: the review-table reader finds it
    assert key_for("Recommendation") is None


def test_one_labelled_stage_is_a_due_date_with_that_milestone():
    when = parse_when(Cell("Evaluation complete: January 2017", "E7"))
    assert when.warning is None
    assert when.due == dt.date(2017, 1, 31)
    assert when.month_only
    assert [(m.label, m.due) for m in when.milestones] == [
        ("Evaluation complete", dt.date(2017, 1, 31))
    ]


def test_a_plain_date_is_still_no_milestone():
    when = parse_when(Cell("January 2017", "E7"))
    assert when.due == dt.date(2017, 1, 31)
    assert when.milestones == []


def test_a_word_plan_headed_in_the_seeds_words_imports_without_map(monkeypatch, tmp_path):
    clean_env(monkeypatch, tmp_path)
    (tmp_path / "plans").mkdir()
    seed_words_docx(tmp_path / "words.docx")
    r = CliRunner().invoke(
        cli,
        ["--plans", "plans", "--today", "2016-11-30", "import", "words.docx", "--id", "words"],
        catch_exceptions=False,
    )
    assert r.exit_code == 0, r.output
    plan = tomllib.loads((tmp_path / "plans" / "words.toml").read_text("utf-8"))
    actions = [a for rec in plan["recommendation"] for a in rec["action"]]
    first, second = actions
    assert first["action"] == "Evaluate the effectiveness of current pods"
    assert first["leads"] == ["Marie Hatton"]
    assert first["due"] == dt.date(2017, 1, 31)
    assert first["milestone"] == [{"label": "Evaluation complete", "due": dt.date(2017, 1, 31)}]
    assert first["measure"][0]["text"] == "Pods meet regularly across the service"
    assert first["update"][0]["note"] == "Pods evaluated in two of three teams"
    assert first["update"][0]["date"] == dt.date(2016, 11, 30)
    assert "rag" not in first  # the source's RAG is kept, never an override
    assert first["extra"]["source_rag"] == "amber"
    assert second["due"] == dt.date(2017, 3, 31)
    assert second["extra"]["source_rag"] == "green"
    assert set(first["extra"]) == {"source_rag", "source_rag_text"}  # nothing left over
    assert "--map" not in r.stdout.split("Found", 1)[0]
    assert "is not one date" not in r.stdout


@pytest.mark.parametrize(
    "text", ["From: April 2017", "Evaluation complete January 2017", "Ongoing: March 2017"]
)
def test_a_bound_or_an_unlabelled_phrase_is_still_not_a_stage(text):
    when = parse_when(Cell(text, "E7"))
    assert when.due is None and when.milestones == [] and when.warning is not None


def test_a_how_it_will_be_achieved_column_gives_the_action_label():
    heading = "Brief outline of how it will be achieved as at July 2016"
    assert action_label(heading) == "How it will be achieved"  # as the shipped CSE plan
    assert action_label("Actions / activity") is None
