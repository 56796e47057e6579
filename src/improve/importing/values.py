"""Values as people write them in plans: dates, percentages, status, impact and RAG words.

Nothing is guessed: a value that is not plainly one thing is kept as text (a comment or
`extra`) and warned about, so the officer decides.
"""

from __future__ import annotations

import colorsys
import datetime as dt
import re
from dataclasses import dataclass, field

from ..plans.dates import MONTH_NUMBERS as MONTHS
from ..plans.dates import days_in_month
from .grid import Cell

_MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DATE = re.compile(
    r"(?P<iso>\b(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})\b)"
    r"|(?P<uk>\b(?P<ud>\d{1,2})[/.](?P<um>\d{1,2})[/.](?P<uy>\d{4}|\d{2})\b)"
    rf"|(?P<dmy>\b(?P<dd>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<dm>{_MONTH})\s*,?\s*(?P<dy>\d{{4}})\b)"
    rf"|(?P<my>\b(?P<mm>{_MONTH})[\s\-']*(?P<myy>\d{{4}}|\d{{2}})\b)",
    re.IGNORECASE,
)


@dataclass
class Milestone:
    label: str
    due: dt.date
    month_only: bool


@dataclass
class When:
    """What a "date due" cell says."""

    due: dt.date | None = None
    month_only: bool = False  # the source gives a month: the due is its last day
    milestones: list[Milestone] = field(default_factory=list)
    source: str = ""  # the cell's text, kept as a comment wherever it was read loosely
    warning: str | None = None


def _year(text: str) -> int:
    """A four-digit year, or two digits read as Excel reads them (00–29 is 2000–2029)."""
    y = int(text)
    if y >= 100:
        return y
    return 2000 + y if y < 30 else 1900 + y


def _one(m: re.Match[str]) -> tuple[dt.date, bool]:
    """The date a match names, and whether it was only a month; ValueError if none."""
    if m["iso"]:
        return dt.date(int(m["iy"]), int(m["im"]), int(m["id"])), False
    if m["uk"]:  # UK style: day first, always (03/04/2017 is 3 April)
        return dt.date(_year(m["uy"]), int(m["um"]), int(m["ud"])), False
    if m["dmy"]:
        return dt.date(int(m["dy"]), MONTHS[m["dm"].rstrip(".").casefold()], int(m["dd"])), False
    year, month = _year(m["myy"]), MONTHS[m["mm"].rstrip(".").casefold()]
    return dt.date(year, month, days_in_month(year, month)), True


def parse_when(cell: Cell) -> When:
    value = cell.value
    if isinstance(value, dt.date):
        return When(value)
    text = " ".join(cell.text.split())
    if not text:
        return When()
    if isinstance(value, int | float):  # a number in a date column: not a date we can read
        return When(source=text, warning=f'"{text}" is not a date; kept as a comment')
    found = []
    pos = 0
    labels = []
    for m in _DATE.finditer(text):
        try:
            day, month_only = _one(m)
        except (ValueError, KeyError):
            return When(
                source=text, warning=f'"{m.group(0)}" is not a real date; kept as a comment'
            )
        labels.append(text[pos : m.start()].strip(" :;,-–—").strip())
        found.append((day, month_only))
        pos = m.end()
    tail = text[pos:].strip(" .;,")
    if len(found) == 1 and not labels[0] and not tail:
        return When(found[0][0], found[0][1], source=text if found[0][1] else "")
    if len(found) == 1 and not tail and _stage_label(labels[0], text):
        # one labelled stage ("Evaluation complete: January 2017"): its date, that milestone
        day, month_only = found[0]
        return When(day, month_only, [Milestone(labels[0], day, month_only)], source=text)
    if len(found) >= 2 and not tail and all(labels[1:]):
        # dates one after another are stages of the work: named by the words before each,
        # or, with only "/", "&" or "and" between ("Feb 2023 / Apr 2023"), by their order
        named = ["" if _SEPARATOR.fullmatch(label) else label for label in labels]
        n = len(found)
        stages = []
        for k, (label, (day, month_only)) in enumerate(zip(named, found, strict=True), 1):
            label = label or (f"Stage {k}" if any(named) else f"Stage {k} of {n}")
            stages.append(Milestone(label, day, month_only))
        last = stages[-1]
        return When(last.due, last.month_only, stages, source=text)
    return When(
        source=text,
        warning=f'"{text}" is not one date; kept as a comment, with no due date: '
        "write the due date the plan means",
    )


# what stands between dates that are stages one after another: "/", "&", "and", "then", an arrow
_SEPARATOR = re.compile(r"(?:/|&|\+|and|then|→|->|>)", re.IGNORECASE)

# words that make a date a range or a bound, not a stage's date ("From: April 2017")
_NOT_A_STAGE = re.compile(
    r"(from|after|before|by|until|till|since|starting|start|circa|approx\w*|not before"
    r"|no later than|ongoing)\b",
    re.IGNORECASE,
)


def _stage_label(label: str, text: str) -> bool:
    """One stage is read only as a council writes it: a short label, a colon, its date."""
    return (
        bool(label)
        and len(label) <= 80
        and text[len(label) :].lstrip().startswith(":")
        and not _NOT_A_STAGE.match(label)
    )


def parse_percent(cell: Cell) -> tuple[int | None, str | None]:
    """The percent a cell holds (0–100), or None with why."""
    value = cell.value
    if value is None or cell.text == "":
        return None, None
    if isinstance(value, bool):
        return None, f'"{cell.text}" is not a percentage'
    if isinstance(value, int | float):
        number = value * 100 if cell.percent_format else value
    else:
        m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*%?\s*", cell.text)
        if m is None:
            return None, f'"{cell.text}" is not a percentage; kept under extra'
        number = float(m[1])
    if not 0 <= number <= 100:
        return None, f"{cell.text} is not a percentage from 0 to 100; left out"
    return round(number), None


STATUS_WORDS = {
    "complete": "complete", "completed": "complete", "done": "complete", "closed": "complete",
    "achieved": "complete", "finished": "complete",
    "in progress": "in-progress", "in-progress": "in-progress", "ongoing": "in-progress",
    "started": "in-progress", "underway": "in-progress", "under way": "in-progress",
    "on track": "in-progress", "in hand": "in-progress",
    "not started": "not-started", "not yet started": "not-started", "to do": "not-started",
    "not begun": "not-started",
    "dropped": "dropped", "cancelled": "dropped", "canceled": "dropped",
    "withdrawn": "dropped", "no longer required": "dropped",
}  # fmt: skip
IMPACT_WORDS = {
    "yes": "yes", "y": "yes", "partly": "partly", "partially": "partly", "partial": "partly",
    "in part": "partly", "some": "partly", "no": "no", "n": "no", "not yet": "no",
    "too early": "too-early", "too early to say": "too-early", "too soon to say": "too-early",
    "too soon": "too-early", "too-early": "too-early",
    "n/a": "n/a", "na": "n/a", "not applicable": "n/a",
}  # fmt: skip


def _words(text: str) -> str:
    return " ".join(text.casefold().replace("_", " ").strip(" .!").split())


def status_word(text: str) -> str | None:
    return STATUS_WORDS.get(_words(text))


def impact_word(text: str) -> str | None:
    return IMPACT_WORDS.get(_words(text))


def rag_word(text: str) -> str | None:
    """The colour a RAG cell's words name: a colour, its letter, or the words of a RAG key
    ("In progress but behind schedule" is amber)."""
    w = _words(text)
    if not w:
        return None
    exact = {"r": "red", "a": "amber", "g": "green", "b": "blue", "gray": "grey"}
    if w in exact:
        return exact[w]
    for colour in ("red", "amber", "green", "blue", "grey"):
        if re.search(rf"\b{colour}\b", w):
            return colour
    if "behind" in w or "at risk" in w or "slipp" in w:
        return "amber"
    if "overdue" in w or "off track" in w:
        return "red"
    if "on schedule" in w or "on track" in w:
        return "green"
    if "complete" in w:
        return "blue"
    if "not started" in w or "not yet due" in w or "not due" in w:
        return "grey"
    return None


def rag_fill(rgb: str | None) -> str | None:
    """The colour an Excel fill is closest to; None for white, black or no fill."""
    if not rgb:
        return None
    r, g, b = (int(rgb[k : k + 2], 16) / 255 for k in (0, 2, 4))
    hue, light, sat = colorsys.rgb_to_hls(r, g, b)
    if light > 0.93 or light < 0.08:
        return None
    if sat < 0.2:
        return "grey"
    deg = hue * 360
    if deg < 20 or deg >= 330:
        return "red"
    if deg < 70:
        return "amber"  # orange and yellow both stand for amber in trackers
    if deg < 170:
        return "green"
    if deg < 260:
        return "blue"
    return None
