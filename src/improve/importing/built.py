"""What an import reads a source into, before it is a plan file: themes, recommendations
and actions as the source gives them (`Built`), with every remark on a row or cell not
read as it stood; and the text helpers every reader of rows shares."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_THEME = re.compile(r"^\s*theme\s*([0-9]+|[A-Za-z])\s*[:.\-–—]\s*(.+)$", re.IGNORECASE | re.S)
_WHY = re.compile(r"^\s*why\s+(this|it)\s+is\s+important\s*[:.\-–—]?\s*", re.IGNORECASE)
_GOOD = re.compile(r"^\s*what\s+['‘’\"“”]?good['‘’\"“”]?\s+looks\s+like\W*\s*", re.IGNORECASE)
_LABELLED = re.compile(
    r"^\s*(key concern|recommendation|priority|workstream|objective|area)\s*"
    r"([0-9]+(?:\.[0-9]+)*|[A-Za-z])\s*[:.\-–—)]\s*(.+)$",
    re.IGNORECASE | re.S,
)
_NUMBERED = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)*)\s*[:.)\-–—]\s+(.+)$", re.S)
_REF = re.compile(r"^[0-9A-Za-z][\w.\-/]*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
BULLETS = re.compile(r"\s*(?:[➤•▪●◦‣∙]|\n)\s*")


@dataclass
class Remark:
    where: str
    message: str


@dataclass
class ActionIn:
    ref: str
    numbered: bool  # the source gave no ref: improve numbered it
    fields: dict[str, Any]
    comments: list[str] = field(default_factory=list)  # written above the action's keys
    key_comments: dict[str, str] = field(default_factory=dict)  # a comment after a value
    milestones: list[dict[str, Any]] = field(default_factory=list)
    measures: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    source_rag: str | None = None
    where: str = ""
    months: list[bool] = field(default_factory=list)  # for each date read: a month alone?


@dataclass
class RecommendationIn:
    ref: str
    title: str | None = None
    text: str | None = None
    theme: str | None = None
    why: str | None = None
    good: list[str] = field(default_factory=list)
    actions: list[ActionIn] = field(default_factory=list)
    leads: list[str] = field(default_factory=list)  # from a "Lead …:" row under it
    measures: list[dict[str, Any]] = field(default_factory=list)  # said once for its actions
    extra: dict[str, Any] = field(default_factory=dict)  # its "Membership: …"
    made_up: bool = False  # no recommendation in the source: one made to hold its actions
    where: str = ""


@dataclass
class ThemeIn:
    id: str
    title: str


@dataclass
class Built:
    themes: list[ThemeIn] = field(default_factory=list)
    recommendations: list[RecommendationIn] = field(default_factory=list)
    warnings: list[Remark] = field(default_factory=list)
    title_rows: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)  # a Word document's headings
    label: str | None = None  # what the source calls a recommendation ("Key concern")
    action_label: str | None = None  # what it calls an action ("How it will be achieved")
    numbered: int = 0
    kept_as_extra: dict[str, str] = field(default_factory=dict)  # header → extra key
    # the words the source writes in capitals (its acronyms), read from the grid only
    # when a heading in capitals is met (rows.calm): None until then
    capitals: set[str] | None = None
    grid: Any = None  # the grid read (for `capitals`)
    read_as: dict[int, str] = field(default_factory=dict)  # column → what its cells became

    def actions(self) -> list[ActionIn]:
        return [a for r in self.recommendations for a in r.actions]


def clean(text: str) -> str:
    """Text as a plan can hold it: no control characters but newline and tab, no runs of
    blank lines, no spaces at the ends."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return re.sub(r"\n\s*\n+", "\n", text).strip()


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.casefold()).strip("_") or "column"


def _short(text: str) -> str:
    return " ".join(text.split())


def _unique(ref: str, refs: set[str], out: Built, where: str) -> str:
    ref = ref.replace(":", "-")
    if ref not in refs:
        refs.add(ref)
        return ref
    k = 2
    while f"{ref}-{k}" in refs:
        k += 1
    out.warnings.append(Remark(where, f'ref "{ref}" is used twice; this one is "{ref}-{k}"'))
    refs.add(f"{ref}-{k}")
    return f"{ref}-{k}"


def _clip(text: str, n: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def split_leads(text: str) -> list[str]:
    """Leads as a row lists them: one a line or between semicolons; split at commas only
    when every part names its organisation in brackets ("Assistant Director (WCF), Lead
    for Children (CCG)"), as "Head of Service, Safeguarding" is one lead."""
    parts = [clean(x) for x in re.split(r"[\n;]+", text) if x.strip()]
    out = []
    for part in parts:
        pieces = [x.strip() for x in re.split(r",\s*(?![^()]*\))", part)]
        if len(pieces) > 1 and all(x.endswith(")") for x in pieces):
            out += pieces
        else:
            out.append(part)
    return [x.rstrip(".") for x in out if x]
