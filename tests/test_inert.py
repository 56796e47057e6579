"""Untrusted text is inert in a terminal (issue 11 item 5): no control character or escape
sequence from a plan reaches any output of the command line or the app, JSON keeps every
value exact, and a newline in a value never breaks the one-line FILE:LINE:COL form."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from helpers import clean_env, plans_folder, run_cli, write
from hostile_text import EVIL, RAW
from improve.inert import json_inert, one_line, visible

TITLE = "Evil \x1b]0;PWNED\x07 title \x1b[2J\x9b31m end"


@pytest.fixture
def evil(tmp_path, monkeypatch):
    clean_env(monkeypatch, tmp_path)
    return plans_folder(tmp_path, "evil.toml", EVIL)


run = run_cli


def test_visible_shows_every_control_character_and_keeps_the_rest():
    assert visible(TITLE) == "Evil ␛]0;PWNED␇ title ␛[2J⟨9B⟩31m end"
    assert visible("tab\tand\nnewline stay; £ é — ✓") == "tab\tand\nnewline stay; £ é — ✓"
    assert one_line("two\nlines") == "two␤lines"
    assert json.loads(json_inert(json.dumps(TITLE, ensure_ascii=False))) == TITLE
    assert not RAW.search(json_inert(json.dumps(TITLE, ensure_ascii=False)))


def test_rich_text_made_anywhere_is_inert():
    from rich.text import Text

    import improve.present  # noqa: F401  (hardens Rich's text)

    text = Text(TITLE)
    text.append("\x1b[5m")
    assert not RAW.search(text.plain) and "␛]0;PWNED" in text.plain


@pytest.mark.parametrize(
    "args",
    [
        ["check"],
        ["status"],
        ["actions"],
        ["actions", "--lead", "Lead"],
        ["history", "evil:1.1"],
        ["review", "record"],
        ["update", "evil:1.1", "--percent", "50", "--note", "n", "--by", "x"],
        ["update", "evil:1.1", "--impact-note", "[blink]y[/blink]", "--by", "x"],
    ],
    ids=lambda a: " ".join(a),
)
def test_no_command_sends_plan_text_raw_to_the_terminal(evil, args):
    r = run(evil, *args)
    assert r.exit_code == 0, r.output
    assert not RAW.search(r.output), repr(r.output)


def test_the_briefing_and_a_story_are_inert_too(evil):
    assert run(evil, "review", "record").exit_code == 0
    assert run(evil, "update", "evil:1.1", "--percent", "60", "--by", "x").exit_code == 0
    briefing = run(evil, "review", "changes").output
    assert not RAW.search(briefing) and "Do ␛[2J it" in briefing, briefing
    assert not RAW.search(run(evil, "history", "evil:1.1").output)


def test_update_tells_old_and_new_values_as_typed_never_as_markup(evil):
    r = run(evil, "update", "evil:1.1", "--impact-note", "[blink]y[/blink]", "--by", "x")
    assert "impact_note [link=http://evil]x[/link] → [blink]y[/blink]" in r.output


def test_json_is_exact_and_inert(evil):
    for args in (["status", "--json"], ["actions", "--json"]):
        r = run(evil, *args)
        assert not RAW.search(r.output)
        doc = json.loads(r.output)
        if "plans" in doc:
            assert doc["plans"][0]["title"] == TITLE  # the very value, escaped on the way
        else:
            assert doc["actions"][0]["action"] == "Do \x1b[2J it \r overwritten"


def test_a_newline_or_escape_in_a_key_keeps_check_to_one_line_each(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    write(folder, "p.toml", '[plan]\ntitle = "P"\n"bad\\nkey\\u001b[2J" = 1\n')
    r = run(folder, "check")
    assert r.exit_code == 1, r.output
    lines = r.output.splitlines()
    assert re.match(r"^\S+p\.toml:3:1: error: unknown key \"bad␤key␛\[2J\"", lines[0]), lines
    assert len(lines) == 2  # the problem, then the summary
    assert not RAW.search(r.output)


async def test_the_app_draws_plan_text_inert(evil):
    from improve.tui import make_app
    from improve.tui.plan import PlanScreen

    app = make_app(evil, date(2017, 1, 5), poll=0, history=False)
    async with app.run_test(size=(120, 30)) as pilot:
        while app.statuses is None:
            await pilot.pause(0.05)
        await pilot.pause()
        first = app.export_screenshot()
        app.show_plan("evil")
        while not isinstance(app.screen, PlanScreen):
            await pilot.pause(0.05)
        await pilot.pause()
        plan = app.export_screenshot()
        app.show_action("evil", "1.1")
        await pilot.pause(0.2)
        action = app.export_screenshot()
        app.workers.cancel_all()
    for svg in (first, plan, action):
        assert "\x1b" not in svg and "\x9b" not in svg
    assert "␛]0;PWNED" in first.replace("&#160;", " ")


def test_textual_content_made_from_a_plain_string_is_inert():
    """What reaches Textual as a plain string (a notice, a label, a prompt) becomes its
    Content: importing the app hardens that too."""
    from textual.content import Content

    import improve.tui  # noqa: F401  (what hardens it: the test must not lean on another test having imported it)

    assert Content(f"Saved {TITLE}").plain == f"Saved {visible(TITLE).replace('␇', '')}"
