"""The grid's rows as a plan: themes, recommendations and actions, as people lay them out.

Rows that span the table are themes ("THEME 2: …"), a recommendation's "Why this is
important: …" and "What 'good' looks like: …", or recommendations (a ref and one long
text, or "Key concern 2: …"); the other rows below the header are actions. Every row that
cannot be read is a warning with where it is, never silently dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from .columns import Header
from .grid import Cell, Grid, Row
from .values import (
    When,
    impact_word,
    parse_percent,
    parse_when,
    rag_fill,
    rag_word,
    status_word,
)

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
    capitals: set[str] = field(default_factory=set)  # words the source writes in capitals
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


def build(grid: Grid, header: Header, today: dt.date) -> Built:
    out = Built()
    out.title_rows = [clean(t) for t in grid.titles] + [
        clean(t) for row in grid.rows[: header.first] for t in row.texts() if t
    ]
    from .layouts import (
        _by_recommendation,
        _group,
        _group_column,
        _is_group_row,
        _recommendation_column,
    )

    out.headings = [clean(t) for t in grid.headings]
    out.capitals = capitals_in(grid)
    from .columns import action_label

    out.action_label = next(
        (action_label(c.header) for c in header.columns if c.key == "action"), None
    )
    rec_at = _recommendation_column(header)
    if rec_at is not None and header.find("action") is not None:
        return _by_recommendation(grid, header, rec_at, out, today)
    header_keys = [c.key for c in header.columns]
    group_at = _group_column(header)
    refs: set[str] = set()
    rec: RecommendationIn | None = None
    theme: str | None = None
    lead_in = _lead_in(grid, header)
    for row in lead_in:  # "KEY CONCERN 1: …" and its leads above the first header row
        rec, theme = _spanning(row, out, rec, theme, refs)
    if lead_in:
        taken = {clean(t) for row in lead_in for t in row.texts() if t}
        out.title_rows = [t for t in out.title_rows if t not in taken]
    for row in grid.rows[header.row + 1 :]:
        filled = row.filled()
        if not filled:
            continue
        if _is_header_again(row, header, header_keys):
            continue  # Word tables repeat their header at the top of every table
        action_at = header.find("action")
        if group_at is not None and _is_group_row(row, group_at, action_at):
            rec = _group(row, group_at, header, out, theme, refs)
            continue
        if row.spans and not _lone_action(row, action_at):
            rec, theme = _spanning(row, out, rec, theme, refs)
            continue
        if action_at is None or action_at >= len(row.cells) or not clean(row.cells[action_at].text):
            out.warnings.append(
                Remark(row.where, "a row with no action text was not read: "
                        + "; ".join(c.text[:40] for c in filled[:3]))
            )  # fmt: skip
            continue
        if rec is None:
            rec = _recommendation_for(row, header, out, theme, refs)
        action = _action(row, header, rec, refs, out, today)
        rec.actions.append(action)
    return out


def _lone_action(row: Row, action_at: int | None) -> bool:
    """A CSV row with only its action filled in is an action, not a section heading,
    unless it reads like one ("THEME 2: …", "Key concern 1: …", "Why this is …")."""
    if not row.guessed or action_at is None or action_at >= len(row.cells):
        return False
    text = row.cells[action_at].text
    if not text or len(row.filled()) != 1:
        return False
    return not any(p.match(text) for p in (_THEME, _WHY, _GOOD, _LABELLED))


def _lead_in(grid: Grid, header: Header) -> list[Row]:
    """The rows above the header that begin the plan's structure: from the first row
    across the table that names a theme or a labelled recommendation ("KEY CONCERN 1: …",
    when a Word table gives each concern its own header row under it) to the header, in
    the header's own table."""
    table = grid.rows[header.first].table
    above = grid.rows[: header.first]
    for k, row in enumerate(above):
        if row.table != table or not row.spans:
            continue
        text = clean("\n".join(c.text for c in row.filled()))
        if _THEME.match(text) or _LABELLED.match(text):
            rest = above[k:]
            if all(r.spans and r.table == table for r in rest if r.filled()):
                return [r for r in rest if r.filled()]
            return []
    return []


def _is_header_again(row: Row, header: Header, keys: list[str | None]) -> bool:
    from .columns import key_for

    named = [key_for(t) for t in row.texts() if t]
    return len(named) >= 2 and all(named) and set(named) <= set(keys)


def _spanning(row, out: Built, rec, theme, refs: set[str]):
    """A row across the table: a theme, a recommendation, or a recommendation's why and
    what good looks like."""
    filled = row.filled()
    text = clean("\n".join(c.text for c in filled))
    if _LEADS_ROW.match(text) or _MEMBERS_ROW.match(text):
        _about(rec, text, out, row.where)
        return rec, theme
    from .columns import key_for

    if len(text) <= 40 and key_for(text) in ("action", "measure"):
        return rec, theme  # "ACTIONS/ACTIVITY" over the actions: a heading, not a row
    m = _THEME.match(text)
    if m:
        tid = m[1].upper()
        if any(t.id == tid for t in out.themes):
            tid = f"{tid}-{len(out.themes) + 1}"
        out.themes.append(ThemeIn(tid, calm(_short(m[2]), out.capitals)))
        return None, tid
    for pattern, what in ((_WHY, "why this is important"), (_GOOD, "what good looks like")):
        m = pattern.match(text)
        if m is None:
            continue
        rest = text[m.end() :]
        if rec is None:
            out.warnings.append(Remark(row.where, f'a "{what}" before any recommendation '
                                       "was not read"))  # fmt: skip
        elif pattern is _WHY:
            rec.why = rest.strip() or None
        else:
            rec.good = [x for x in BULLETS.split(rest) if x.strip()]
        return rec, theme
    ref, body, labelled = None, text, False
    if len(filled) == 2 and _REF.match(filled[0].text) and len(filled[0].text) <= 12:
        ref, body = filled[0].text, clean(filled[1].text)
    else:
        m = _LABELLED.match(text)
        if m:
            out.label = out.label or m[1].strip().capitalize()
            ref, body, labelled = m[2], calm(m[3].strip(), out.capitals), True
        else:
            m = _NUMBERED.match(text)
            if m:
                ref, body = m[1], m[2].strip()
    if ref is None:
        ref = str(len(out.recommendations) + 1)
    ref = _unique(ref.rstrip("."), refs, out, row.where)
    new = RecommendationIn(ref, theme=theme, where=row.where)
    if labelled and "\n" not in body and len(body) <= 250:
        new.title = body  # "Key concern 2: …": the concern is its title, however long
    elif len(body) <= 120 and "\n" not in body:
        new.title = body
    else:
        new.text = body
    out.recommendations.append(new)
    return new, theme


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


def _recommendation_for(row, header, out: Built, theme, refs) -> RecommendationIn:
    """Actions before any recommendation row: under the recommendation their ref names
    ("2.1" for 2.1.3), else under one made to hold them."""
    ref_at = header.find("ref")
    given = row.cells[ref_at].text if ref_at is not None and ref_at < len(row.cells) else ""
    if "." in given:
        parent = given.rsplit(".", 1)[0]
        for r in out.recommendations:
            if r.ref == parent:
                return r
        new = RecommendationIn(_unique(parent, refs, out, row.where), theme=theme,
                               where=row.where)  # fmt: skip
    else:
        new = RecommendationIn(_unique("1", refs, out, row.where), title="Actions",
                               theme=theme, made_up=True, where=row.where)  # fmt: skip
    out.recommendations.append(new)
    return new


def _cell(row: Row, k: int | None) -> Cell | None:
    if k is None or k >= len(row.cells):
        return None
    c = row.cells[k]
    return c if c.text else None


def _action(row: Row, header: Header, rec: RecommendationIn, refs, out: Built, today,
            ref: str | None = None):  # fmt: skip
    get = {c.key: _cell(row, c.index) for c in header.columns if c.key}
    ref_cell = get.get("ref")
    if ref is not None:
        ref, numbered = _unique(ref, refs, out, row.where), False
    elif ref_cell is not None and _REF.match(ref_cell.text.replace(" ", "")):
        given = ref_cell.text.replace(" ", "").rstrip(".")
        if _BARE.fullmatch(given):  # "2" under recommendation 1 is 1.2, as councils number
            given = f"{rec.ref}.{given}"
        ref, numbered = _unique(given, refs, out, ref_cell.where), False
    else:
        if ref_cell is not None:
            out.warnings.append(Remark(ref_cell.where, f'"{ref_cell.text}" is not a ref; '
                                        "the action was numbered"))  # fmt: skip
        n = len(rec.actions) + 1
        while f"{rec.ref}.{n}" in refs:
            n += 1
        ref, numbered = f"{rec.ref}.{n}", True
        refs.add(ref)
        out.numbered += 1
    action_cell = get["action"]
    assert action_cell is not None
    a = ActionIn(ref, numbered, {"action": clean(action_cell.text)}, where=row.where)
    if get.get("outcome"):
        a.fields["outcome"] = clean(get["outcome"].text)  # type: ignore[union-attr]
    if get.get("leads"):
        leads = [x.strip() for x in re.split(r"[\n;]+", get["leads"].text)]  # type: ignore[union-attr]
        # "HWB/TWC": agencies' short names joined by slashes are several leads
        leads = [y for x in leads for y in (x.split("/") if _SHORT_NAMES.match(x) else [x])]
        a.fields["leads"] = [clean(x) for x in leads if x.strip()]
    for key in ("start", "due"):
        cell = get.get(key)
        if cell is not None:
            _date(a, key, cell, out)
    cell = get.get("percent")
    if cell is not None:
        pct, why = parse_percent(cell)
        if pct is not None:
            a.fields["percent"] = pct
        elif why:
            out.warnings.append(Remark(cell.where, why))
            a.extra["source_percent"] = clean(cell.text)
    cell = get.get("status")
    if cell is not None:
        word = status_word(cell.text)
        colour = rag_word(cell.text)
        if word:
            a.fields["status"] = word
        elif colour and get.get("rag") is None:
            a.source_rag = colour  # a status column holding RAG words ("Overdue")
        else:
            out.warnings.append(Remark(cell.where, f'status "{_clip(cell.text)}" is not one '
                                        "of complete, in progress, not started, dropped; "
                                        "kept under extra"))  # fmt: skip
        if not word:
            a.extra.setdefault("source_status", clean(cell.text))
    cell = get.get("rag")
    rag_cell = row.cells[header.find("rag")] if header.find("rag") is not None else None  # type: ignore[index]
    colour = (rag_word(cell.text) if cell else None) or rag_fill(
        rag_cell.fill if rag_cell else None
    )
    if colour:
        a.source_rag = colour
    elif cell is not None:
        out.warnings.append(Remark(cell.where, f'RAG "{_clip(cell.text)}" is not a colour; '
                                    "kept under extra"))  # fmt: skip
    if cell is not None:
        a.extra["source_rag_text"] = clean(cell.text)
    if a.source_rag:
        a.extra["source_rag"] = a.source_rag
    cell = get.get("impact")
    if cell is not None:
        word = impact_word(cell.text)
        if word:
            a.fields["impact"] = word
        else:
            a.fields["impact_note"] = clean(cell.text)
    cell = get.get("measure")
    if cell is not None and not cell.under:  # a cell merged down is read at its first row
        lines = [x for x in BULLETS.split(clean(cell.text)) if x.strip()]
        # one cell merged down the actions' rows: the measures of their recommendation
        # (a workstream's outcome measures), not of the first action alone
        held, owner = (rec.measures, "r" + rec.ref) if cell.down > 1 else (a.measures, "m" + ref)
        if cell.down > 1:
            word = (out.label or "recommendation").casefold()
            out.read_as.setdefault(header.find("measure") or 0, f"measure (a cell merged down "
                                   f"a {word}'s actions: the {word}'s measures)")  # fmt: skip
        base = re.sub(r"[^A-Za-z0-9]+", "-", owner).strip("-")
        for k, line in enumerate(lines, len(held) + 1):
            many = len(lines) > 1 or held
            held.append({"id": f"{base}-{k}" if many else base, "text": line})
    cell = get.get("progress")
    if cell is not None:
        word, note = leading_status(clean(cell.text))
        if word and "status" not in a.fields:
            a.fields["status"] = word
        update: dict[str, Any] = {"date": today, "note": note or clean(cell.text)}
        if word:
            update["status"] = word
        if "percent" in a.fields:
            update["percent"] = a.fields["percent"]
        a.updates.append(update)
    cell = get.get("evidence")
    if cell is not None:
        a.evidence.append({"date": today, "text": clean(cell.text)})
    for c in header.columns:
        if c.key is None and not c.by_map:
            value = _cell(row, c.index)
            if value is not None:
                key = slug(c.header) if c.header else f"column_{c.index + 1}"
                out.kept_as_extra.setdefault(c.header or f"column {c.index + 1}", key)
                a.extra.setdefault(key, clean(value.text))
    return a


_BARE = re.compile(r"[0-9]{1,4}[a-z]?")
_LEADING = re.compile(
    r"^\s*(completed?|in[ -]progress|not started|not yet started|ongoing|dropped|done)"
    r"\s*(?:[.:;,\-–—]+\s*|\n+|$)",
    re.IGNORECASE,
)
_SHORT_NAMES = re.compile(r"^[A-Za-z&]{2,12}(?:\s*/\s*[A-Za-z&]{2,12})+$")


def leading_status(text: str) -> tuple[str | None, str]:
    """A status word at the start of a progress note ("Completed", "In progress.") and
    the note without it; (None, text) when it opens with none."""
    m = _LEADING.match(text)
    if m is None:
        return None, text
    return status_word(m[1]), text[m.end() :].strip()


def _date(a: ActionIn, key: str, cell: Cell, out: Built) -> None:
    when: When = parse_when(cell)
    if when.warning:
        out.warnings.append(Remark(cell.where, when.warning))
        a.comments.append(f'{key} in the source: "{when.source}"')
        return
    if when.due is None:
        return
    if key == "start" and when.milestones:
        out.warnings.append(Remark(cell.where, f'start "{when.source}" has several dates; '
                                    "kept as a comment"))  # fmt: skip
        a.comments.append(f'start in the source: "{when.source}"')
        return
    a.fields[key] = when.due
    a.months.append(when.month_only)
    if when.milestones:
        for ms in when.milestones:
            a.milestones.append({"label": ms.label, "due": ms.due})
        a.key_comments[key] = f'the source says "{when.source}": the last stage\'s date'
    elif when.month_only:
        a.key_comments[key] = f'the source says "{when.source}": the last day of that month'


def _clip(text: str, n: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


_LEADS_ROW = re.compile(
    r"^\s*(?:leads?|lead officers?|lead agenc(?:y|ies)|responsible(?: officers?)?)\b"
    r"[^:\n]{0,40}:\s*(.+)$",
    re.IGNORECASE | re.S,
)
_MEMBERS_ROW = re.compile(r"^\s*membership\s*:\s*(.+)$", re.IGNORECASE | re.S)


def _about(rec: RecommendationIn | None, text: str, out: Built, where: str) -> None:
    """A row under a recommendation saying who leads it ("Lead WCF and Health: …") or who
    is its group's membership ("Membership: …"): its leads, or `extra.membership`."""
    if rec is None:
        out.warnings.append(Remark(where, f'"{_clip(text)}" before any recommendation was '
                                   "not read"))  # fmt: skip
        return
    m = _LEADS_ROW.match(text)
    if m is not None:
        rec.leads += [x for x in split_leads(m[1]) if x not in rec.leads]
        return
    m = _MEMBERS_ROW.match(text)
    assert m is not None
    rec.extra["membership"] = [x.strip() for x in BULLETS.split(m[1]) if x.strip()]


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


def calm(text: str, capitals: set[str]) -> str:
    """A heading written in capitals ("THE VARIATION IN THE SKILLS OF SOME SCHOOLS") in
    sentence case, keeping the words the document writes in capitals elsewhere ("SEND",
    "EHC"); any other text as it is."""
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < 6 or any(ch.islower() for ch in letters):  # not "SEND" alone
        return text

    def word(m: re.Match) -> str:
        w = m[0]
        return w if w in capitals else w.lower()

    out = re.sub(r"[A-Z][A-Z'’]*", word, text)
    return out[:1].upper() + out[1:]


def capitals_in(grid: Grid) -> set[str]:
    """The words written in capitals inside text that is not all capitals: the document's
    acronyms ("SEND", "EHC", "CCG")."""
    found: set[str] = set()
    for row in grid.rows:
        for c in row.cells:
            t = c.text
            if t and not c.under and any(ch.islower() for ch in t):
                found.update(w for w in re.findall(r"\b[A-Z][A-Z'’]+\b", t))
    return found
