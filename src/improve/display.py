"""How RAG and numbers are shown, shared by the command line, the app and reports.

Colour is never the only signal: every RAG is shown with its word.
"""

from __future__ import annotations

from rich.text import Text

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
RAG_MEANING = {
    "red": "overdue",
    "amber": "behind schedule",
    "green": "on schedule",
    "grey": "not started",
    "blue": "complete",
}


def rag_text(rag: str | None, styles: dict = RAG_STYLE) -> Text:
    return Text((rag or "dropped").upper(), style=styles[rag])


def counts_text(counts: dict[str, int], styles: dict = RAG_STYLE) -> Text:
    text = Text()
    first = True
    for colour in ("red", "amber", "green", "grey", "blue"):
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
