"""Which row is the header, and which column is which key, by the words councils use."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .grid import Row

# what each key is called in the plans and trackers councils keep (compared lower case,
# without punctuation); a header is matched whole first, then by its words before a colon
# ("Status: what is the progress on the action?")
WORDS: dict[str, tuple[str, ...]] = {
    "ref": ("ref", "refs", "reference", "no", "number", "action no", "action number",
            "action ref", "id", "item", "rec no", "rec number", "rec ref",
            "recommendation no", "recommendation number"),
    "outcome": ("outcome", "outcomes", "intended outcome", "desired outcome"),
    "action": ("action", "actions", "activity", "activities", "task", "task name",
               "action activity", "actions activity", "actions activities",
               "action activities", "what we will do", "description",
               "how it will be achieved", "how will it be achieved",
               "how it will be delivered"),
    "measure": ("success measure", "success measures", "measure", "measures", "kpi", "kpis",
                "measure of success", "measures of success", "how will we know",
                "outcome progress measures", "outcome and progress measures",
                "outcome measures", "progress measures"),
    "leads": ("lead", "leads", "lead s", "lead officer", "lead officers", "assigned to",
              "owner", "owners", "responsible", "responsible officer", "lead agency",
              "lead person", "lead agency partnership", "lead agency or partnership"),
    "due": ("date due", "due", "due date", "target date", "end date", "deadline",
            "timescale", "timescales", "completion date", "by when"),
    "start": ("start", "start date", "date started", "begin"),
    "percent": ("percent complete", "percentage complete", "complete percent", "percent",
                "progress percent", "percent progress", "percent done"),
    "status": ("status", "state", "action status"),
    "rag": ("rag", "rag rating", "rag status", "rating"),
    "impact": ("performance", "impact", "is the action making a difference",
               "making a difference"),
    "progress": ("progress update", "progress updates", "comments", "comment", "update",
                 "updates", "latest update", "progress notes", "progress comments",
                 "commentary", "notes", "progress"),
    "evidence": ("evidence", "evidence of impact", "evidence of progress"),
}  # fmt: skip
KEYS = (*WORDS, "ignore")
HEADER_SEARCH = 30  # how far down a sheet the header is looked for (title rows come first)


def normal(text: str) -> str:
    text = text.casefold().replace("%", " percent ").replace("&", " and ")
    text = text.replace("n°", "no").replace("nº", "no")  # "Rec N°"
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


# what a header says around its words: "(as at November 2016)", "as at July 2016",
# "6 month …", "Brief outline of …"
_ASIDE = re.compile(r"\([^)]*\)|\bas (?:at|of)\b.*$", re.IGNORECASE)
_BEFORE = re.compile(
    r"^(?:(?:\d+|one|three|six|nine|twelve)[ -]months?|quarterly|monthly|brief outline of"
    r"|outline of)\s+",
    re.IGNORECASE,
)


_LOOKUP = {normal(w): key for key, ws in WORDS.items() for w in ws}


def key_for(header: str) -> str | None:
    """The key a header names, or None."""
    whole = normal(header)
    if not whole:
        return None
    if whole in _LOOKUP:
        return _LOOKUP[whole]
    bare = normal(_BEFORE.sub("", _ASIDE.sub(" ", header).strip()))
    if bare in _LOOKUP:
        return _LOOKUP[bare]
    before = normal(header.split(":", 1)[0]) if ":" in header else ""
    if before in _LOOKUP:
        return _LOOKUP[before]
    for n in (3, 2):  # "Progress update (June 2017)", "Lead officer / agency"
        first = " ".join(whole.split()[:n])
        if first in _LOOKUP and len(first.split()) == n:
            return _LOOKUP[first]
    return None


# an action column headed in a response's words: what the plan then calls its actions
# (`labels.action`, as the shipped CSE review does)
_ACTION_LABELS = {
    "how it will be achieved": "How it will be achieved",
    "how will it be achieved": "How it will be achieved",
    "how it will be delivered": "How it will be delivered",
}


def action_label(header: str) -> str | None:
    """`labels.action` for an action column headed "Brief outline of how it will be
    achieved" (the plan's word for its actions is then "How it will be achieved"), or None
    for a heading that calls them actions."""
    return _ACTION_LABELS.get(normal(_BEFORE.sub("", _ASIDE.sub(" ", header).strip())))


@dataclass
class Column:
    index: int
    header: str
    key: str | None  # None: kept under the action's extra
    by_map: bool = False


@dataclass
class Header:
    row: int  # index into the grid's rows of the (last) header row
    columns: list[Column]
    first: int = 0  # of the first header row: the rows above it are titles

    def find(self, key: str) -> int | None:
        return next((c.index for c in self.columns if c.key == key), None)


def find_header(rows: list[Row], overrides: dict[str, str] | None = None) -> int | None:
    """The index of the header row: the first of the rows near the top that names the most
    keys (the action and one more, or any three), `--map`'s headings and letters included;
    a row whose action column `--map` names by its heading is a header on that alone."""
    overrides = overrides or {}
    named = {normal(k): v for k, v in overrides.items()}
    letters = {k.upper(): v for k, v in overrides.items() if re.fullmatch(r"[A-Za-z]{1,3}", k)}
    best, best_score = None, 0
    for i, row in enumerate(rows[:HEADER_SEARCH]):
        if row.spans:
            continue
        keys = set()
        mapped_action = False
        for k, t in enumerate(row.texts()):
            if not t:
                continue
            key = named.get(normal(t)) or letters.get(_letter(k)) or key_for(t)
            mapped_action |= named.get(normal(t)) == "action"
            keys.add(key)
        keys -= {None, "ignore"}
        if not (mapped_action or ("action" in keys and len(keys) >= 2) or len(keys) >= 3):
            continue
        score = len(keys) + ("action" in keys)
        if score > best_score:
            best, best_score = i, score
    return best


def map_columns(rows: list[Row], at: int, overrides: dict[str, str]) -> Header:
    """Each column of the header row at `at` (with a second header row under it when there
    is one, as under a "Status" that spans "% complete" and "RAG rating"), with `--map`
    COLUMN=KEY overrides (a header's words or a column letter)."""
    header = rows[at].texts()
    last = at
    if at + 1 < len(rows) and not rows[at + 1].spans:
        below = rows[at + 1].texts() + [""] * len(header)
        named = [t for t in below if t]
        # a second header row names the columns a heading above spans: under a blank
        # heading (a merged cell's other columns), and under the heading it spans from
        under_blank = [k for k, h in enumerate(header) if not h and below[k]]
        if named and under_blank and all(key_for(t) for t in named):
            last = at + 1
            spanned = set(under_blank) | {k - 1 for k in under_blank if k > 0}
            header = [below[k] if k in spanned and below[k] else h for k, h in enumerate(header)]
    columns: list[Column] = []
    taken: set[str] = set()
    for k, text in enumerate(header):
        letter = _letter(k)
        forced = _override(overrides, text, letter)
        if forced is not None:
            key = None if forced == "ignore" else forced
            columns.append(Column(k, text, key, by_map=True))
            if key:
                taken.add(key)
            continue
        key = key_for(text)
        if key in taken:
            key = None  # a second column of the same kind is kept, under extra
        if key:
            taken.add(key)
        columns.append(Column(k, text, key))
    return Header(last, columns, first=at)


def _override(overrides: dict[str, str], text: str, letter: str) -> str | None:
    for column, key in overrides.items():
        if column.upper() == letter or normal(column) == normal(text):
            return key
    return None


def _letter(k: int) -> str:
    out = ""
    k += 1
    while k:
        k, rem = divmod(k - 1, 26)
        out = chr(65 + rem) + out
    return out


def parse_map(values: tuple[str, ...] | list[str]) -> dict[str, str]:
    """`--map COLUMN=KEY` values; a ValueError says which is wrong."""
    out: dict[str, str] = {}
    for value in values:
        column, sep, key = value.partition("=")
        key = key.strip().casefold()
        if not sep or not column.strip():
            raise ValueError(f'"{value}" is not COLUMN=KEY (e.g. --map "Owner=leads")')
        if key not in KEYS:
            raise ValueError(f'"{key}" in --map {value} is not a key; use one of {", ".join(KEYS)}')
        out[column.strip()] = key
    return out
