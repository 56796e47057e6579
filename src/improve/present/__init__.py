"""Rich presentation shared by the command line and the app: RAG words and counts, the
tables the command line prints, the review briefing. The core never imports this.

Importing it makes every Rich `Text` inert: Rich strips only BEL, backspace, VT, FF and
CR from text, so ESC and the C1 controls in a plan's title would reach the terminal and
act there (retitle the window, clear the screen, open a hyperlink). Here its table of
what to take out of text also shows every other control character as a picture
(`improve.inert.VISIBLE`), for every Text made anywhere (tests/test_inert.py holds Rich
to it).
"""

from __future__ import annotations

from typing import Any

from rich import control as _control

from ..api import VISIBLE


def _harden(table: dict[int, Any]) -> None:
    """`table`: Rich's or Textual's, declared `dict[int, None]` (every code deleted);
    `str.translate` takes a string for a code too, which is what is added here."""
    for code, shown in VISIBLE.items():
        table.setdefault(code, shown)


_harden(_control._CONTROL_STRIP_TRANSLATE)
