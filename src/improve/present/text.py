"""How RAG and numbers are shown, shared by the command line and the app.

Colour is never the only signal: every RAG is shown with its word. Plan text is only
ever put in `Text` objects, never in markup strings, so "[bold]" shows as typed.
"""

from __future__ import annotations

from rich.text import Text

from ..model import RAGS

RAG_STYLE = {
    "red": "bold red",
    "amber": "bold dark_orange",
    "green": "bold green",
    "grey": "bold bright_black",
    "blue": "bold blue",
    None: "dim",
}
# for the app's high-contrast theme: each word on a solid badge of its colour
RAG_STYLE_HIGH_CONTRAST = {
    "red": "bold black on bright_red",
    "amber": "bold black on yellow",
    "green": "bold black on bright_green",
    "grey": "bold black on white",
    "blue": "bold bright_white on blue",
    None: "bold white",
}


def rag_text(rag: str | None, styles: dict = RAG_STYLE) -> Text:
    """A RAG as its word in capitals ("DROPPED" for no colour), in its style."""
    return Text((rag or "dropped").upper(), style=styles.get(rag, styles[None]))


def counts_text(counts: dict[str, int], styles: dict = RAG_STYLE) -> Text:
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


def pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}%"


def clip(text: str, width: int) -> str:
    """One line of at most `width` characters: runs of white space (newlines too) become
    one space, and what does not fit ends in "…"."""
    text = " ".join(text.split())
    if width < 1:
        return ""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
