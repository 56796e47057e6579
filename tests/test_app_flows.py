"""Pilot tests for the app's flows beyond the basics: help, recommendation info, lead
picker, folding, every plan's actions, the command palette, live reload, the errors panel,
high contrast, readings from the form, and plan text that looks like markup."""

from __future__ import annotations

import os

from textual.widgets import Markdown, OptionList, Static

from app_helpers import (
    BRACKETS,
    detail_rows,
    match_line,
    open_plan,
    palette_hits,
    plain,
    refs,
    save_and_settle,
)
from helpers import running, wait_for, write
from improve.tui.action import ActionScreen
from improve.tui.modals import HelpScreen, LeadPicker, RecommendationInfo
from improve.tui.plan import PlanScreen
from improve.tui.portfolio import PortfolioScreen

EVERY_ROW = ["T1", "1.1", "1.1.1", "1.1.2", "2.1", "2.1.1"]


def picker_labels(app) -> list[str]:
    options = app.screen.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_help_explains_keys_and_every_rule(plans):
    async with running(plans) as (app, pilot):
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.query_one(Markdown).source
        for needle in (
            "behind schedule",
            "not started",
            "overdue",
            "`u` update",
            "ctrl+p",
            "`v`",
            "Stale",
            "extension",
        ):
            assert needle in text
        await pilot.press("escape")
        assert isinstance(app.screen, PortfolioScreen)


async def test_recommendation_info_is_one_key_away(plans):
    path = plans / "sample.toml"
    path.write_text(
        path.read_text().replace(
            'title = "Supervision"\n',
            'title = "Supervision"\n'
            'text = "Ensure that managers provide regular, reflective supervision."\n'
            'source = "Ofsted SIF report, November 2016, recommendation 4"\n'
            'why = "Children are not always safe when supervision lapses."\n'
            'good_looks_like = ["Monthly supervision for every social worker"]\n',
        )
    )
    async with running(plans) as (app, pilot):
        await open_plan(pilot)  # cursor on action 1.1.1
        await pilot.press("i")
        assert isinstance(app.screen, RecommendationInfo)
        text = plain(app.screen.query_one("#info-detail", Static).content)
        for needle in (
            "reflective supervision",
            "SIF report",
            "not always safe",
            "• Monthly supervision",
            "Theme",
            "Oversight",
        ):
            assert needle in text
        await pilot.press("escape")
        assert isinstance(app.screen, PlanScreen)


async def test_lead_picker_filters_by_one_lead_and_combines(plans):
    async with running(plans) as (app, pilot):
        screen = await open_plan(pilot)
        await pilot.press("l")
        assert isinstance(app.screen, LeadPicker)
        assert picker_labels(app) == [
            "Everyone (no lead filter)",
            "Assistant Director, Safeguarding",
            "Head of Early Help",
            "Head of Safeguarding",
        ]
        await pilot.press("down", "down", "down", "enter")  # Head of Safeguarding
        assert app.screen is screen
        assert refs(screen) == ["T1", "1.1", "1.1.2"]
        assert match_line(screen) == (
            "1 of 3 actions match · filters: lead Head of Safeguarding (c clears)"
        )
        await pilot.press("r")  # and red: none
        assert refs(screen) == []
        assert match_line(screen) == (
            "0 of 3 actions match · filters: red, lead Head of Safeguarding (c clears)"
        )
        await pilot.press("c")
        assert refs(screen) == EVERY_ROW


async def test_groups_fold_and_unfold(plans):
    async with running(plans) as (_, pilot):
        screen = await open_plan(pilot)
        table = screen.query_one("#actions")
        table.move_cursor(row=1)  # recommendation 1.1
        await pilot.press("space")
        assert refs(screen) == ["T1", "1.1", "2.1", "2.1.1"]
        assert str(table.cells[1][4]) == "▸ Recommendation: Supervision  (2 actions)"
        await pilot.press("enter")  # enter unfolds too
        assert refs(screen) == EVERY_ROW
        await pilot.press("minus")
        assert refs(screen) == ["T1", "1.1", "2.1"]
        await pilot.press("plus")
        assert refs(screen) == EVERY_ROW
        table.move_cursor(row=0)  # the theme folds everything
        await pilot.press("space")
        assert refs(screen) == ["T1"]


def big_plan(n_recs: int, per_rec: int) -> str:
    lines = ['[plan]\ntitle = "Big"\nstart = 2016-09-01\n']
    for r in range(n_recs):
        lines.append(f'[[recommendation]]\nref = "{r}"\nleads = ["L{r % 7}"]\n')
        for a in range(per_rec):
            lines.append(
                f'[[recommendation.action]]\nref = "{r}.{a}"\naction = "Do {r}.{a}"\n'
                f"due = 2017-0{1 + a % 9}-28\npercent = {a * 10 % 100}\n"
            )
    return "".join(lines)


async def test_a_big_plan_opens_folded_and_never_builds_a_huge_table(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    write(folder, "big.toml", big_plan(1500, 2))  # 3,000 actions
    async with running(folder) as (_, pilot):
        screen = await open_plan(pilot)
        table = screen.query_one("#actions")
        assert len(table.keys) == 101  # 1,500 folded groups: 100 and "more"
        assert match_line(screen) == (
            "3000 of 3000 actions match · 1400 more rows not shown: fold groups (-) or filter"
        )
        assert str(table.cells[100][4]) == (
            "… 1400 more rows: they load as the cursor reaches this line "
            "(or fold groups with -, or filter)"
        )
        table.move_cursor(row=99)
        await pilot.press("down")  # onto "more": the next rows load
        assert await wait_for(lambda: len(table.keys) == 201, pilot)
        assert table.cursor_row == 100 and refs(screen)[100] == "100"
        await pilot.press("slash", *"1499.")
        await pilot.press("enter")
        assert refs(screen) == ["1499"]  # folded, with its matches counted
        assert str(table.cells[0][4]) == "▸ Recommendation:  (2 actions)"
        assert match_line(screen) == (
            '2 of 3000 actions match · filters: "1499." (c clears) · '
            "some groups folded (space folds one, + unfolds all)"
        )
        await pilot.press("plus")
        assert refs(screen) == ["1499", "1499.0", "1499.1"]


async def test_all_actions_and_my_actions_across_plans(plans):
    write(
        plans,
        "other.toml",
        '[plan]\ntitle = "Other plan"\n[[recommendation]]\nref = "9"\n'
        'leads = ["Head of Early Help"]\n[[recommendation.action]]\nref = "9.1"\n'
        'action = "Something"\ndue = 2017-06-30\n',
    )
    async with running(plans, user="Head of Early Help") as (app, pilot):
        await pilot.press("m")
        screen = app.screen
        assert isinstance(screen, PlanScreen) and screen.plan_id is None
        assert refs(screen) == ["other", "9", "9.1", "sample", "2.1", "2.1.1"]
        assert match_line(screen) == "2 of 4 actions match · filters: my actions (c clears)"
        await pilot.press("escape", "a")
        assert match_line(app.screen) == "4 of 4 actions match"


async def test_my_actions_by_a_persons_name_from_people_toml(plans):
    """With plans/people.toml, "mine" is every action led by a title the person holds."""
    write(
        plans,
        "people.toml",
        '[[person]]\nname = "Jo Bloggs"\nleads = ["Head of Early Help", "head of safeguarding"]\n',
    )
    async with running(plans, user="Jo Bloggs") as (app, pilot):
        assert await wait_for(lambda: app.my_leads != (), pilot)
        await pilot.press("m")
        screen = app.screen
        assert isinstance(screen, PlanScreen)
        assert refs(screen) == ["sample", "1.1", "1.1.2", "2.1", "2.1.1"]
        assert match_line(screen) == "2 of 3 actions match · filters: my actions (c clears)"


async def test_command_palette_jumps_to_an_action_by_ref(plans):
    async with running(plans) as (app, pilot):
        await pilot.press("ctrl+p")
        await pilot.press(*"sample:2.1.1")
        assert await wait_for(
            lambda: palette_hits(app) == ["Action sample:2.1.1 Review the early help offer"], pilot
        )
        await pilot.press("enter")
        assert isinstance(app.screen, ActionScreen) and app.screen.ref == "2.1.1"


async def test_command_palette_applies_a_filter(plans):
    async with running(plans) as (app, pilot):
        screen = await open_plan(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"filter: overdue")
        assert await wait_for(lambda: palette_hits(app) == ["Filter: overdue"], pilot)
        await pilot.press("enter")
        assert app.screen is screen and screen.filters == {"overdue"}
        assert refs(screen) == ["T1", "2.1", "2.1.1"]


def touch_later(path):
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


async def test_live_reload_picks_up_an_edit_and_an_invalid_file_moves_to_errors(plans):
    path = plans / "sample.toml"
    write(plans, "other.toml", '[plan]\ntitle = "Other plan"\n')
    async with running(plans, poll=0.05) as (app, pilot):
        screen = app.screen
        table = screen.query_one("#plans")
        assert len(table.keys) == 2
        path.write_text(path.read_text().replace("percent = 25", "percent = 100"))
        touch_later(path)
        summary = screen.query_one("#summary", Static)
        assert await wait_for(
            lambda: (
                str(summary.render())
                == (
                    "2 plans as at 2017-01-05: 50% complete · 1 of 3 actions complete · "
                    "2 amber · 1 blue · 0 overdue · 1 stale"
                )
            ),
            pilot,
        )
        assert f"Reloaded, changed on disk: {path}" in app.notify.messages
        other = plans / "other.toml"
        other.write_text('[plan]\ntitle = "Other plan"\nkind = "nope"\n')
        touch_later(other)
        errors = screen.query_one("#errors", Static)
        assert await wait_for(
            lambda: errors.has_class("shown") and "other.toml:3:8: error" in str(errors.render()),
            pilot,
        )
        assert len(table.keys) == 1  # the rest keeps working
        await pilot.press("enter")
        assert isinstance(app.screen, PlanScreen)
        other.write_text('[plan]\ntitle = "Other plan, mended"\n')
        touch_later(other)
        assert await wait_for(lambda: not errors.has_class("shown"), pilot)
        assert len(table.keys) == 2
        app.workers.cancel_all()


async def test_a_plan_that_breaks_while_open_shows_its_errors(plans):
    path = plans / "sample.toml"
    async with running(plans, poll=0.05) as (app, pilot):
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, PlanScreen)
        path.write_text(path.read_text().replace('kind = "ofsted"', 'kind = "ofstead"'))
        touch_later(path)
        errors = screen.query_one("#errors", Static)
        # (a poll may catch the file half-written, "empty", first: it heals on the next one)
        assert await wait_for(
            lambda: (
                errors.has_class("shown")
                and 'sample.toml:4:8: error: "kind" must be one of' in str(errors.render())
            ),
            pilot,
        )
        assert str(screen.query_one("#summary", Static).render()) == "Plan sample is not loaded."
        app.workers.cancel_all()


async def test_high_contrast_theme_puts_rag_words_on_solid_badges(plans):
    async with running(plans, high_contrast=True) as (app, pilot):
        cell = app.screen.query_one("#plans").cells[0][0]
        assert str(cell) == "RED" and cell.style == "bold #000000 on #ff5f5f"
        app.action_toggle_contrast()
        await pilot.pause()
        cell = app.screen.query_one("#plans").cells[0][0]
        assert str(cell) == "RED" and cell.style == "bold #ff6b6b"


async def test_form_records_a_reading_and_evidence_for_a_measure(plans):
    path = plans / "sample.toml"
    async with running(plans, user="Head of Safeguarding", size=(120, 50)) as (app, pilot):
        await open_plan(pilot)  # cursor on 1.1.1, which has a measure
        await pilot.press("u")
        await pilot.pause()
        form = app.screen
        form.query_one("#reading_measure").value = "supervision-monthly"
        form.query_one("#reading_value").value = "84"
        form.query_one("#evidence").value = "Supervision audit, December"
        form.query_one("#evidence_measure").value = "supervision-monthly"
        await save_and_settle(app, pilot)
    text = path.read_text()
    assert "{ date = 2017-01-05, value = 84 }" in text
    assert 'measure = "supervision-monthly"' in text and "Supervision audit, December" in text


async def test_form_says_what_is_wrong_with_a_half_given_reading(plans):
    before = (plans / "sample.toml").read_bytes()
    async with running(plans, size=(120, 50)) as (app, pilot):
        await open_plan(pilot)
        await pilot.press("u")
        await pilot.pause()
        app.screen.query_one("#reading_value").value = "84"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "needs both the measure and its value" in str(
            app.screen.query_one("#form-problem").render()
        )
    assert (plans / "sample.toml").read_bytes() == before


async def test_plan_text_with_square_brackets_shows_as_written(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    write(
        folder,
        "odd.toml",
        '[plan]\ntitle = "[bold]Not markup[/] [link=x]"\n'
        '[[recommendation]]\nref = "1"\ntitle = "[red]r[/red]"\nleads = ["[i]L"]\n'
        '[[recommendation.action]]\nref = "1.1"\naction = "Use [/] and [b]"\ndue = 2017-03-01\n',
    )
    async with running(folder) as (app, pilot):
        assert str(app.screen.query_one("#plans").cells[0][2]) == "[bold]Not markup[/] [link=x]"
        await pilot.press("enter")
        await pilot.press("slash", *"[/]")
        assert str(app.screen.query_one("#actions").cells[1][4]) == "Use [/] and [b]"
        await pilot.press("enter", "enter")
        assert isinstance(app.screen, ActionScreen)
        assert ("Action", "Use [/] and [b]") in detail_rows(app.screen)


async def test_quitting_while_the_form_opens_is_not_a_crash(plans):
    async with running(plans, size=(80, 24)) as (app, pilot):
        await open_plan(pilot)
        await pilot.press("enter")  # the action screen
        app.exit()  # quit, and a stray u as it goes
        app.screen.action_update()
        await pilot.pause()
    # a crash would have been raised as the block ended, and set the return code to 1
    assert app.return_code == 0


async def test_quitting_while_any_screen_opens_is_not_a_crash(plans):
    for opener in ("show_plan", "show_action", "help", "all"):
        async with running(plans, size=(80, 24)) as (app, pilot):
            app.exit()
            {
                "show_plan": lambda app=app: app.show_plan("sample"),
                "show_action": lambda app=app: app.show_action("sample", "1.1.1"),
                "help": app.action_help,
                "all": app.action_all_actions,
            }[opener]()
            await pilot.pause()
        assert app.return_code == 0, opener


async def test_the_mouse_opens_a_plan_and_an_action(plans):
    async with running(plans) as (app, pilot):
        table = app.screen.query_one("#plans")
        await pilot.click(table, offset=(10, 1))  # select the first row…
        await pilot.click(table, offset=(10, 1))  # …and a second click opens it
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        actions = app.screen.query_one("#actions")
        await pilot.click(actions, offset=(10, 6))  # the row of action 2.1.1
        await pilot.click(actions, offset=(10, 6))
        await pilot.pause()
        assert isinstance(app.screen, ActionScreen) and app.screen.ref == "2.1.1"


async def test_a_quick_choice_fills_the_percent_box_and_what_is_typed_is_kept(plans):
    async with running(plans, size=(120, 50)) as (app, pilot):
        await open_plan(pilot)
        await pilot.press("u")
        await pilot.pause()
        form = app.screen
        await pilot.press("tab", "tab", "enter")  # the quick choice 25%
        assert form.query_one("#percent").value == "25"
        await pilot.press("shift+tab", "shift+tab", "4", "0")  # back in the box: typed over
        assert form.query_one("#percent").value == "40"  # not 100, not "2540"
        assert "Will save: 40%" in str(form.query_one("#percent-says").render())
        await pilot.press("1")
        assert form.query_one("#percent").value == "401"  # never rewritten, and said
        assert "Not a percent" in str(form.query_one("#percent-says").render())


async def test_form_errors_with_brackets_are_shown_as_typed(plans):
    async with running(plans, size=(120, 50)) as (app, pilot):
        await open_plan(pilot)
        await pilot.press("u")
        await pilot.pause()
        app.screen.query_one("#extend_to").value = "[/]"
        app.screen.query_one("#reason").value = "[b]because"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert '"[/]"' in str(app.screen.query_one("#form-problem").render())


async def test_square_brackets_in_every_field_reach_every_screen_as_written(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    write(folder, "odd.toml", BRACKETS)
    async with running(folder, user="[i]Lead[/]", size=(120, 50)) as (app, pilot):
        assert str(app.screen.query_one("#plans").cells[0][2]) == "[DRAFT] Sample [/] plan"
        await pilot.press("enter")  # plan screen: themes, rec, action
        table = app.screen.query_one("#actions")
        assert str(table.cells[0][4]) == "▾ Theme 1: [b]Theme[/b] [/]"
        assert str(table.cells[2][0]) == "1.[/]"
        await pilot.press("i")  # recommendation info
        info = plain(app.screen.query_one("#info-detail", Static).content)
        assert "Concern [/]" in info and "[red]text[/]" in info and "[/] good" in info
        await pilot.press("escape", "enter")  # the action
        rows = detail_rows(app.screen)
        assert ("Action", "Act [/] now") in rows and ("Outcome", "[/]") in rows
        assert (
            "Measure",
            "90% [/] supervised — target 90 (higher is better); no readings yet",
        ) in rows
        await pilot.press("u")  # the form, with the measure's name
        await pilot.pause()
        assert "1.[/]" in str(app.screen.query_one("#form-title").render())
        app.screen.query_one("#evidence_measure").focus()
        await pilot.press("enter")  # the measure list opens
        await pilot.pause()
        await pilot.press("escape")
        await pilot.press("escape", "escape", "escape", "ctrl+p")
        await pilot.press(*"sample")
        assert await wait_for(lambda: palette_hits(app) == ["Plan: [DRAFT] Sample [/] plan"], pilot)
        await pilot.press("escape", "enter", "l")  # the lead picker, on the plan screen
        assert isinstance(app.screen, LeadPicker)
        assert picker_labels(app) == ["Everyone (no lead filter)", "[i]Lead[/]"]


async def test_themes_out_of_file_order_are_each_shown_once(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    recs = "".join(
        f'[[recommendation]]\nref = "{r}"\ntheme = "{t}"\nleads = ["L"]\n'
        f'[[recommendation.action]]\nref = "{r}.1"\naction = "a"\ndue = 2017-06-01\n'
        for r, t in (("1", "1"), ("2", "2"), ("3", "1"))
    )
    write(
        folder,
        "p.toml",
        '[plan]\ntitle = "P"\n[[theme]]\nid = "1"\ntitle = "One"\n'
        '[[theme]]\nid = "2"\ntitle = "Two"\n' + recs,
    )
    async with running(folder) as (_, pilot):
        screen = await open_plan(pilot)
        assert refs(screen) == ["T1", "1", "1.1", "3", "3.1", "T2", "2", "2.1"]


async def test_a_form_reopened_with_a_measure_that_has_gone_keeps_the_rest(plans):
    from improve.tui.form_values import FormValues

    async with running(plans, size=(120, 50)) as (app, pilot):
        app.open_update(
            "sample",
            "1.1.1",
            FormValues(note="kept", reading_measure="gone", reading_value="80"),
            "Not saved: no measure",
        )
        await pilot.pause()
        form = app.screen
        assert form.query_one("#note").value == "kept"
        assert form.query_one("#reading_value").value == "80"
        assert 'the measure "gone" is no longer in the plan' in str(
            form.query_one("#form-error").render()
        )


async def test_the_app_keeps_its_history_where_it_is_told(plans, tmp_path):
    db = tmp_path / "elsewhere" / "h.db"
    async with running(plans, db=db, history=True):
        pass
    assert db.exists() and not (plans / ".improve").exists()


async def test_the_table_moves_by_page_and_to_either_end(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    write(folder, "big.toml", big_plan(30, 2))  # 90 rows, not folded
    async with running(folder, size=(100, 24)) as (app, pilot):
        screen = await open_plan(pilot)
        table = screen.query_one("#actions")
        assert table.cursor_row == 1  # the first action
        await pilot.press("pagedown")
        # at 100×24 the table shows 17 rows under its header (every column fits, so no
        # scrollbar takes a line): a page moves 16, and the cursor's row becomes the
        # last on show
        assert table.cursor_row == 17 and table.scroll_y == 1
        await pilot.press("end")
        assert table.cursor_row == len(table.keys) - 1 == 89
        await pilot.press("home")
        assert table.cursor_row == 0 and table.scroll_y == 0
        await pilot.press("down", "enter")  # enter opens the action under it
        assert isinstance(app.screen, ActionScreen) and app.screen.ref == "0.0"
