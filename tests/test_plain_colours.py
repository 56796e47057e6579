"""cli/plain.Styler writes each RAG's colour as Rich does on the same terminal: 16 colours
(TERM=xterm), 256 (xterm-256color), true colour (COLORTERM), and none with NO_COLOR."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from rich.style import Style
from rich.text import Text

from improve.cli.plain import Styler
from improve.present.text import RAG_STYLE

TERMINALS = [
    {"FORCE_COLOR": "1", "TERM": "xterm"},
    {"FORCE_COLOR": "1", "TERM": "xterm-16color"},
    {"FORCE_COLOR": "1", "TERM": "xterm-256color"},
    {"FORCE_COLOR": "1", "TERM": "xterm", "COLORTERM": "truecolor"},
    {"FORCE_COLOR": "1", "TERM": "xterm-256color", "NO_COLOR": "1"},
]


@pytest.mark.parametrize("env", TERMINALS, ids=lambda e: "+".join(e.values()))
def test_each_rag_in_rich_colours(env, monkeypatch):
    for name in ("FORCE_COLOR", "TERM", "COLORTERM", "NO_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    Style.parse.cache_clear()  # a parsed Style keeps its codes for the first colour system
    Style._add.cache_clear()  # and so does one combined with another
    for rag, style in RAG_STYLE.items():
        out = io.StringIO()
        Console(file=out, highlight=False).print(Text("WORD", style=style), end="")
        shown = Styler(io.StringIO(), env)("WORD", f"rag:{rag}" if rag else "dim")
        assert shown == out.getvalue(), (rag, style)
