"""How RAG and numbers are shown, shared by the command line and the app.

Colour is never the only signal: every RAG is shown with its word. Plan text is only
ever put in `Text` objects, never in markup strings, so "[bold]" shows as typed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from rich.text import Text

from ..api import RAGS, request_words
from ..api import clip as clip  # present.text.clip, as the app has it

if TYPE_CHECKING:
    from ..api import Extension

# a style for each RAG word, and for no colour (None)
RagStyles = Mapping[str | None, str]

RAG_STYLE: dict[str | None, str] = {
    "red": "bold red",
    "amber": "bold dark_orange",
    "green": "bold green",
    "grey": "bold bright_black",
    "blue": "bold blue",
    None: "dim",
}


# in the app, on its dark screen: colours chosen to reach 4.5:1 against it (the terminal's
# named colours vary with its palette; these are measured by tests/test_app_contrast.py)
RAG_STYLE_APP: dict[str | None, str] = {
    "red": "bold #ff6b6b",
    "amber": "bold #ffb000",
    "green": "bold #4cd964",
    "grey": "bold #a8a8a8",
    "blue": "bold #6cb6ff",
    None: "#a8a8a8",
}
RAG_STYLE_HIGH_CONTRAST_APP: dict[str | None, str] = {
    "red": "bold #000000 on #ff5f5f",
    "amber": "bold #000000 on #ffd700",
    "green": "bold #000000 on #5fff5f",
    "grey": "bold #000000 on #ffffff",
    "blue": "bold #ffffff on #0000c0",
    None: "bold #ffffff",
}
# with NO_COLOR: every word in the text's own colour, told apart by the word alone
RAG_STYLE_NO_COLOR: dict[str | None, str] = {key: "bold" for key in RAG_STYLE}


def rag_text(rag: str | None, styles: RagStyles = RAG_STYLE) -> Text:
    """A RAG as its word in capitals ("DROPPED" for no colour), in its style."""
    return Text((rag or "dropped").upper(), style=styles.get(rag, styles[None]))


def counts_text(counts: dict[str, int], styles: RagStyles = RAG_STYLE) -> Text:
    text = Text()
    first = True
    for colour in RAGS:
        n = counts.get(colour, 0)
        if not n:
            continue
        if not first:
            text.append(" · ")
        text.append(f"{n} {colour}", style=styles[colour])
        first = False
    return text if not first else Text("no actions", style="dim")


SHORT_RAG = {"red": "R", "amber": "A", "green": "G", "grey": "Gy", "blue": "B"}


def counts_short(counts: dict[str, int], styles: RagStyles = RAG_STYLE) -> Text:
    """The counts by colour where a line is narrow: "16R 1A 49Gy" for "16 red · 1 amber ·
    49 grey" (grey is "Gy", blue "B"): every number whole, each in its colour's style."""
    text = Text()
    for colour in RAGS:
        n = counts.get(colour, 0)
        if n:
            if text:
                text.append(" ")
            text.append(f"{n}{SHORT_RAG[colour]}", style=styles[colour])
    return text if text else Text("none", style="dim")


def pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}%"


def pending_words(ext: Extension) -> str:
    """A request for a new due date awaiting a decision, in a line."""
    return request_words(ext.due, ext.requested_on, ext.requested_by)
