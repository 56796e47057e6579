"""Issue 25: a measure of the plan itself or of a recommendation (where a partnership's
KPIs sit) is in the history as an action is: an import or a hand edit that moves its
latest reading or comparators is an event (who, when, which measure, old → new), told by
`review changes` since the last review; an old history upgrades in place."""

from __future__ import annotations

import json
import sqlite3

from helpers import run_cli, write
from kpi_files import PARTNERSHIP_PLAN as PLAN
from kpi_files import ees_text

TELFORD = {2019: "330.2", 2020: "318.9", 2021: "325.1"}


def figure(place: str, year: int) -> str:
    if place == "Telford and Wrekin":
        return TELFORD[year]
    return {"England": "310.5", "West Midlands": "316.5"}.get(place, f"{300 + year % 7}.4")


def _cli(top, *args, today: str):
    done = run_cli(top / "plans", *args, today=today, db=top / "h.db")
    assert done.exit_code == 0, done.output
    return done


def _folder(tmp_path):
    plans = tmp_path / "plans"
    plans.mkdir()
    write(plans, "cypp.toml", PLAN)
    return tmp_path


def _changes(top, today: str) -> dict:
    return json.loads(_cli(top, "review", "changes", "--json", today=today).stdout)


def test_kpi_import_on_a_recommendation_measure_is_a_move_since_the_review(tmp_path):
    top = _folder(tmp_path)
    _cli(top, "review", "record", "--note", "board", "--by", "Chair", today="2021-06-01")
    (top / "cin.csv").write_text(ees_text(figure), "utf-8")
    _cli(top, "kpi", "import", top / "cin.csv", "--measure", "cypp:cin-rate", "--column",
         "cin_rate", "--la", "Telford and Wrekin", "--by", "Ann Analyst",
         today="2021-06-30")  # fmt: skip
    found = _changes(top, "2021-06-30")
    (move,) = found["measure_moves"]
    assert move["plan"] == "cypp" and move["recommendation"] == "1"
    assert move["measure"] == "cin-rate" and move["old"] is None
    assert (move["new"]["date"], move["new"]["value"]) == ("2021-03-31", 325.1)
    assert move["new"]["comparators"]["england"] == 310.5
    assert (move["when"], move["who"]) == ("2021-06-30", "Ann Analyst")
    (event,) = [e for e in found["events"] if e["field"] == "measure"]
    assert event["who"] == "Ann Analyst" and event["new"]["recommendation"] == "1"
    told = _cli(top, "review", "changes", today="2021-06-30").output
    assert "cin-rate" in told and "325.1" in told and "Ann Analyst" in told


def test_a_hand_edit_to_a_plan_measure_is_picked_up(tmp_path):
    top = _folder(tmp_path)
    _cli(top, "review", "record", today="2021-06-01")
    path = top / "plans" / "cypp.toml"
    path.write_text(
        path.read_text("utf-8").replace(
            "{ date = 2021-01-31, value = 41 }]",
            "{ date = 2021-01-31, value = 41 }, { date = 2021-05-31, value = 52.5 }]",
        ),
        "utf-8",
    )
    (move,) = _changes(top, "2021-06-10")["measure_moves"]
    assert (move["plan"], move["recommendation"], move["measure"]) == ("cypp", None, "ehc-plans")
    assert (move["old"]["value"], move["new"]["value"]) == (41, 52.5)
    assert move["who"] == "edited by hand" and move["when"] == "2021-06-10"


def test_an_actions_history_is_unchanged_by_measure_events(tmp_path):
    top = _folder(tmp_path)
    _cli(top, "review", "record", today="2021-06-01")
    before = json.loads(_cli(top, "history", "cypp:1.1", "--json", today="2021-06-01").stdout)
    path = top / "plans" / "cypp.toml"
    path.write_text(path.read_text("utf-8").replace("value = 41", "value = 45"), "utf-8")
    found = _changes(top, "2021-06-02")
    assert [m["measure"] for m in found["measure_moves"]] == ["ehc-plans"]
    assert not found["new_readings"] and not found["rag_moves"]
    after = json.loads(_cli(top, "history", "cypp:1.1", "--json", today="2021-06-02").stdout)
    assert after == before


def _as_the_previous_version_left_it(db) -> None:
    """The schema before measures were recorded: every migration but m008_measures (the
    earlier ones are never edited), and no trace of it."""
    with sqlite3.connect(db) as conn:
        conn.execute("drop table measure_state")
        conn.execute("drop table measure_plans")
        conn.execute("delete from migrations where name = 'm008_measures'")
        conn.execute("delete from events where field = 'measure'")  # it never wrote one
    conn.close()


def test_a_history_of_the_previous_schema_upgrades_in_place(tmp_path):
    top = _folder(tmp_path)
    _cli(top, "review", "record", today="2021-06-01")
    path = top / "plans" / "cypp.toml"
    path.write_text(path.read_text("utf-8").replace("value = 41", "value = 43"), "utf-8")
    _cli(top, "status", today="2021-06-01")  # recorded before the upgrade: no measure event
    _as_the_previous_version_left_it(top / "h.db")
    # opened by this version: upgraded, and its plans' measures first recorded silently
    assert _changes(top, "2021-06-02")["measure_moves"] == []
    path.write_text(path.read_text("utf-8").replace("value = 43", "value = 44"), "utf-8")
    (move,) = _changes(top, "2021-06-03")["measure_moves"]
    assert (move["old"]["value"], move["new"]["value"]) == (43, 44)
    with sqlite3.connect(top / "h.db") as conn:
        names = [r[0] for r in conn.execute("select name from migrations order by rowid")]
        reviews = conn.execute("select count(*) from reviews").fetchone()[0]
    conn.close()
    assert names[-1] == "m008_measures" and reviews == 1


def test_replay_tells_a_plan_measures_readings_on_their_dates(tmp_path):
    from datetime import date

    from improve.api import Workspace

    top = _folder(tmp_path)
    path = top / "plans" / "cypp.toml"
    path.write_text(
        path.read_text("utf-8").replace(
            "value = 41 }]", "value = 41 }, { date = 2021-05-31, value = 52 }]"
        ),
        "utf-8",
    )
    with Workspace(top / "plans", db=top / "h.db") as ws:
        ws.require_store().replay(ws.load(), date(2021, 6, 30))
    with sqlite3.connect(top / "h.db") as conn:
        rows = conn.execute(
            "select happened_on, old, new from events where field = 'measure'"
        ).fetchall()
    conn.close()
    ((day, old, new),) = rows
    assert day == "2021-05-31"
    assert (json.loads(old)["value"], json.loads(new)["value"]) == (41, 52)
