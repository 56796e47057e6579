"""Measures in the app (issue 25 point 3): the action's detail, the recommendation's info
and the plan's measures view (`k`) show each measure's latest reading against its target
with the RAG word, its trend in words, and the latest comparators (England, region,
neighbours with median/mean) with the words against them; a suppressed figure is "–",
never 0; plan text is never markup and no control character reaches the screen. Driven
with Pilot, read from what is drawn."""

from __future__ import annotations

from datetime import date

from textual.widgets import Static

from app_helpers import palette_hits, plain, screen_lines
from helpers import running, wait_for, write
from improve.tui.action import ActionScreen
from improve.tui.measures import MeasuresScreen
from improve.tui.modals import HELP, RecommendationInfo
from improve.tui.plan import PlanScreen

TODAY = date(2021, 6, 30)
PALETTE = "Measures: readings against target and comparators"

PLAN = """\
[plan]
title = "Children and young people's plan"
kind = "partnership"
start = 2021-01-01

[[measure]]
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
  { date = 2020-03-31, england = 323.7, region = 334.9 },
  # the region's figure was suppressed in 2021: left out, never 0
  { date = 2021-03-31, england = 321.2, neighbours = 355.5, neighbours_by = "median", source = "DfE CIN 2021" },
]

[[recommendation]]
ref = "1"
title = "Early help"
leads = ["Head of Early Help"]

  [[recommendation.measure]]
  id = "cp-1in"
  text = "Children on a child protection plan"
  unit = "1 in N"
  target = 250
  readings = [ { date = 2021-03-31, value = 307 } ]
  comparators = [ { date = 2021-03-31, england = 233, region = 219, neighbours = 240.5, neighbours_by = "mean" } ]

  [[recommendation.action]]
  ref = "1.1"
  action = "Refresh the early help offer"
  due = 2021-12-31
  percent = 40

    [[recommendation.action.measure]]
    id = "eh-pct"
    text = "Assessments in 45 days [bold]all[/] \\u001b[2J"
    unit = "%"
    target = 90
    variance = { amber = 5, red = 15 }
    readings = [ { date = 2020-03-31, value = 84 }, { date = 2021-03-31, value = 70.25 } ]
    comparators = [ { date = 2021-03-31, england = 81.4, neighbours = 79 } ]
"""


def folder(tmp_path):
    plans = tmp_path / "plans"
    plans.mkdir()
    write(plans, "cyp.toml", PLAN)
    return plans


def shown(app) -> str:
    return "\n".join(screen_lines(app))


async def open_plan(app, pilot) -> PlanScreen:
    await pilot.press("enter")
    assert await wait_for(lambda: isinstance(app.screen, PlanScreen), pilot)
    return app.screen


async def test_the_action_and_its_recommendation_show_reading_target_rag_trend_comparators(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("NO_COLOR", "1")  # every RAG and trend still reads: they are words
    async with running(folder(tmp_path), TODAY, history=False) as (app, pilot):
        await open_plan(app, pilot)  # the cursor on action 1.1
        await pilot.press("i")
        assert await wait_for(lambda: isinstance(app.screen, RecommendationInfo), pilot)
        info = " ".join(plain(app.screen.query_one("#info-detail", Static).content).split())
        for words in (
            "Children on a child protection plan — target 1 in 250 (higher is better); "
            "latest 1 in 307 on 2021-03-31: MET",
            "trend: none yet (one reading)",
            "comparators 2021-03-31: England 1 in 233 · region 1 in 219 · "
            "neighbours 1 in 240.5 (mean)",
            "against them: better than England, better than the region, better than neighbours",
        ):
            assert words in info, info
        await pilot.press("escape", "enter")
        assert await wait_for(lambda: isinstance(app.screen, ActionScreen), pilot)
        detail = " ".join(plain(app.screen.query_one("#detail", Static).content).split())
        for words in (
            # plan text as typed: the brackets are not markup, ESC is a picture
            "Assessments in 45 days [bold]all[/] ␛[2J — target 90% (higher is better); "
            "latest 70.3% on 2021-03-31: RED (not met)",
            "trend: worsening ▼ since 2020-03-31 (84% → 70.3%)",
            # the region is left out of the file: "–", never 0
            "comparators 2021-03-31: England 81.4% · region – · neighbours 79%",
            "against them: worse than England, worse than neighbours",
        ):
            assert words in detail, detail
        assert "\x1b" not in detail and "region 0" not in detail
        # the palette has them too, from any screen: here, the action's plan's
        await pilot.press("ctrl+p", *"measu")
        assert await wait_for(lambda: palette_hits(app)[:1] == [PALETTE], pilot)
        await pilot.press("enter")
        assert await wait_for(lambda: isinstance(app.screen, MeasuresScreen), pilot)
        assert app.screen.plan_id == "cyp"


async def test_k_lists_every_measure_of_the_plan_whole_at_80_then_as_a_table_at_200(tmp_path):
    async with running(folder(tmp_path), TODAY, size=(80, 24), history=False) as (app, pilot):
        await open_plan(app, pilot)
        assert "k Measures" in screen_lines(app)[-1]  # the footer offers it
        await pilot.press("k")
        assert await wait_for(lambda: isinstance(app.screen, MeasuresScreen), pilot)
        screen = app.screen
        await pilot.pause()
        summary = str(screen.query_one("#measures-summary", Static).render())
        assert "3 measures: 1 red · 1 amber · 1 met · 1 improving · 1 worsening" in (summary)
        text = plain(screen.query_one("#measures", Static).content)
        flat = " ".join(text.split())
        for words in (
            "The plan's own measures • Rate of children in need per 10,000 children — target "
            "300 per 10,000 (lower is better); latest 325.1 per 10,000 on 2021-03-31: "
            "AMBER (not met)",
            "trend: improving ▲ since 2020-03-31 (331.7 per 10,000 → 325.1 per 10,000)",
            "comparators 2021-03-31: England 321.2 per 10,000 · region – · "
            "neighbours 355.5 per 10,000 (median)",
            "against them: worse than England, better than neighbours",
            "source: DfE CIN 2021",
            "Recommendation 1: Early help • Children on a child protection plan",
            "Action 1.1: Refresh the early help offer • Assessments in 45 days [bold]all[/] ␛[2J",
        ):
            assert words in flat, flat
        # at 80 columns nothing runs off the screen: every line ends inside it
        lines = screen_lines(app)
        assert all(len(line.rstrip()) <= 80 for line in lines)
        assert "k Actions" in lines[-1]
        app.animation_level = "none"  # scrolled at once, not over a second
        await pilot.press("end")  # the last measure scrolls into view, whole
        await pilot.pause()
        assert "against them: worse than England, worse than neighbours" in " ".join(
            shown(app).split()
        )

        # 140 columns: the table would not fit whole, so the blocks stay, nothing cut
        await pilot.resize_terminal(140, 30)
        assert await wait_for(lambda: screen.size.width == 140, pilot)
        await pilot.pause()
        assert screen.drawn_wide is False
        assert "┏" not in shown(app) and "region – · neighbours 355.5 per 10,000" in shown(app)

        await pilot.resize_terminal(200, 50)
        assert await wait_for(lambda: screen.drawn_wide is True, pilot)
        await pilot.pause()
        lines = screen_lines(app)
        heading = next(line for line in lines if "Where" in line and "England" in line)
        for column in ("Measure", "Latest", "Target", "RAG", "Trend", "Region", "Neighbours"):
            assert column in heading, heading
        row = next(line for line in lines if "Rate of children" in line)
        cells = [cell.strip() for cell in row.strip("│ ").split("│")]
        assert cells[4:6] == ["AMBER", "improving ▲"], cells
        assert cells[8] == "–", cells  # the suppressed region
        assert "┓" in " ".join(lines)  # the table is whole, its right edge on screen

        await pilot.press("k")  # k again: back to the actions
        assert await wait_for(lambda: isinstance(app.screen, PlanScreen), pilot)
        # the help says so (its screen is drawn by test_app_flows)
        assert "`k` shows every measure of the plan" in HELP


def test_comparators_of_another_year_are_shown_but_not_compared():
    from improve.plans import model as m
    from improve.present.text import RAG_STYLE_NO_COLOR
    from improve.status.measures import measure_view
    from improve.tui.measures import measure_text

    def words(measure) -> str:
        return " ".join(measure_text(measure_view(measure), RAG_STYLE_NO_COLOR).plain.split())

    reading = m.Reading(date(2021, 3, 31), 325.1)
    newer = m.Comparator(date(2022, 3, 31), england=330, region=None)
    same = m.Comparator(date(2021, 3, 31), england=321.2)
    rate = m.Measure("r", "Rate", unit="per 10,000", direction="down", readings=[reading])
    rate.comparators = [newer]
    assert (
        "comparators 2022-03-31: England 330 per 10,000 · region – · neighbours – "
        "against them: not compared: the comparators are for 2022-03-31, "
        "the latest reading for 2021-03-31"
    ) in words(rate)
    rate.comparators = [same, newer]  # the reading's own year is compared, and says so
    assert "against them: by the 2021-03-31 figures: worse than England" in words(rate)
    # an old measure: no unit, target or comparators, as it always read
    assert words(m.Measure("o", "Old", readings=[reading])) == (
        "Old — no target; latest 325.1 on 2021-03-31 trend: none yet (one reading)"
    )
