"""No escape reaches a terminal by any route (issue 21 item 2): `report -o -` at a terminal
is inert in every format, Markdown and CSV files never carry a raw control character, and
the characters that make text read other than it is (U+202E, U+200B …) are shown on a
terminal and warned of by `check`."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys

import pytest

from helpers import clean_env, plans_folder, run_cli
from hostile_text import EVIL, RAW

HIDDEN = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
BIDI = """\
[plan]
title = "Invoice\\u202eexe.pdf"
kind = "ofsted"

[[recommendation]]
ref = "1"
leads = ["Lead\\u200b"]

  [[recommendation.action]]
  ref = "1.1"
  action = "Plain action"
  due = 2017-01-31
  percent = 20
  impact_note = "fine \\u2066hidden\\u2069 text"
"""


@pytest.fixture
def evil(tmp_path, monkeypatch):
    clean_env(monkeypatch, tmp_path)
    return plans_folder(tmp_path, "evil.toml", EVIL)


def at_a_terminal(folder, *args) -> bytes:
    """What `improve ARGS` writes to a real terminal (a pseudo-terminal) as standard
    output, with standard error kept apart."""
    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith("IMPROVE_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "improve", "--plans", str(folder), "--today", "2017-01-05",
         "--db", str(folder.parent / "h.db"), *args],
        stdout=follower, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env,
        cwd=folder.parent,
    )  # fmt: skip
    os.close(follower)
    out = bytearray()
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            proc.kill()
            raise AssertionError("no output for 60 s")
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the follower side closed: the process is done writing
            break
        if not chunk:
            break
        out += chunk
    os.close(leader)
    assert proc.wait(60) == 0, proc.stderr.read() if proc.stderr else ""
    return bytes(out)


@pytest.mark.parametrize("fmt", ["csv", "md", "html"])
def test_report_to_a_terminal_is_inert_in_every_format(evil, fmt):
    shown = at_a_terminal(evil, "report", "--format", fmt, "-o", "-").decode("utf-8")
    assert not RAW.search(shown.replace("\r\n", "\n")), repr(RAW.search(shown))
    assert "1␛" in shown and "blink ␀ nul ␡ del" in shown  # as pictures
    if fmt != "csv":  # the CSV has one row per action: no title
        assert "PWNED␇ title" in shown


def test_a_pdf_or_workbook_is_not_written_to_a_terminal(evil):
    leader, follower = pty.openpty()
    proc = subprocess.run(
        [sys.executable, "-m", "improve", "--plans", str(evil), "--today", "2017-01-05",
         "report", "--format", "xlsx", "-o", "-"],
        stdout=follower, stderr=subprocess.PIPE, text=True, cwd=evil.parent,
    )  # fmt: skip
    os.close(follower)
    os.close(leader)
    assert proc.returncode == 1 and "not for a terminal" in proc.stderr


@pytest.mark.parametrize("fmt", ["csv", "md"])
def test_markdown_and_csv_files_carry_no_raw_control_character(evil, fmt):
    r = run_cli(evil, "report", "--format", fmt, "-o", f"out.{fmt}")
    assert r.exit_code == 0, r.output
    text = (evil.parent / f"out.{fmt}").read_text(encoding="utf-8")
    assert not RAW.search(text.replace("\r\n", "\n"))
    assert "1␛" in text and "blink ␀ nul ␡ del" in text  # as pictures


def test_a_report_piped_or_in_a_file_keeps_the_exact_text(evil):
    r = run_cli(evil, "report", "--format", "html", "-o", "-")  # not a terminal: a pipe
    assert r.exit_code == 0
    assert "\x1b]0;PWNED" in r.stdout  # exact: the reader of the file decides
    r = run_cli(evil, "report", "--format", "html", "-o", "out.html")
    assert "\x1b]0;PWNED" in (evil.parent / "out.html").read_text(encoding="utf-8")


def test_a_report_to_a_terminal_named_as_a_file_is_inert_too(evil):
    """`-o /dev/tty` (or any terminal device named as the output) is a terminal."""
    leader, follower = pty.openpty()
    try:
        r = run_cli(evil, "report", "--format", "md", "-o", os.ttyname(follower))
        assert r.exit_code == 0, r.output
        out = b""
        while select.select([leader], [], [], 0.5)[0]:
            out += os.read(leader, 65536)
    finally:
        os.close(follower)
        os.close(leader)
    text = out.decode("utf-8")
    assert "PWNED" in text and not RAW.search(text.replace("\r\n", "\n"))


@pytest.fixture
def bidi(tmp_path, monkeypatch):
    clean_env(monkeypatch, tmp_path)
    return plans_folder(tmp_path, "bidi.toml", BIDI)


def test_check_warns_of_invisible_and_direction_changing_characters(bidi):
    r = run_cli(bidi, "check")
    assert r.exit_code == 0, r.output  # warnings, not errors: the plan still loads
    lines = r.output.splitlines()
    assert re.match(
        r"^\S*bidi\.toml:2:9: warning: the text holds an invisible character, "
        r"U\+202E RIGHT-TO-LEFT OVERRIDE",
        lines[0],
    ), lines
    assert ":7:10: warning:" in lines[1] and "U+200B ZERO WIDTH SPACE" in lines[1]
    assert ":14:17: warning:" in lines[2] and "U+2066 LEFT-TO-RIGHT ISOLATE" in lines[2]
    assert not HIDDEN.search(r.output)


@pytest.mark.parametrize(
    "args", [["status"], ["actions"], ["check"], ["report", "--format", "md", "-o", "-"]]
)
def test_invisible_characters_are_shown_on_a_terminal(bidi, args):
    shown = (
        at_a_terminal(bidi, *args).decode("utf-8")
        if args[0] == "report"
        else run_cli(bidi, *args).output
    )
    assert not HIDDEN.search(shown), repr(HIDDEN.search(shown))
    assert "⟨U+202E⟩" in shown or "⟨U+200B⟩" in shown


def test_json_keeps_invisible_characters_exact_and_escaped(bidi):
    r = run_cli(bidi, "status", "--json")
    assert not HIDDEN.search(r.output) and "\\u202e" in r.output
    assert json.loads(r.output)["plans"][0]["title"] == "Invoice\u202eexe.pdf"
