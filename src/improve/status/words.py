"""Words both front ends and the report say the same way, without Rich: a date written out,
a line clipped to a width, a request for a new due date awaiting a decision. The warm
actions table (cli/listing.py) writes them without loading Rich or the model."""

from __future__ import annotations

from datetime import date


def long_date(day: date) -> str:
    """ "31 January 2017"."""
    return f"{day.day} {day:%B %Y}"


def clip(text: str, width: int) -> str:
    """One line of at most `width` characters: runs of white space (newlines too) become
    one space, and what does not fit ends in "…"."""
    text = " ".join(text.split())
    if width < 1:
        return ""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def request_words(due: date, on: date | None, by: str | None) -> str:
    """A request for a new due date awaiting a decision, in a line."""
    asked = " asked for"
    if on:
        asked += f" on {on.isoformat()}"
    if by:
        asked += f" by {by}"
    return f"awaiting a decision: a new due date of {due.isoformat()}{asked}"
