"""The grid's rows as a plan: themes, recommendations and actions, as people lay them out.

Rows that span the table are themes ("THEME 2: …"), a recommendation's "Why this is
important: …" and "What 'good' looks like: …", or recommendations (a ref and one long
text, or "Key concern 2: …"); the other rows below the header are actions. Every row that
cannot be read is a warning with where it is, never silently dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from .action_cells import _action, leading_status
from .built import (
    _GOOD,
    _LABELLED,
    _NUMBERED,
    _REF,
    _THEME,
    _WHY,
    BULLETS,
    ActionIn,
    Built,
    RecommendationIn,
    Remark,
    ThemeIn,
    _clip,
    _short,
    _unique,
    clean,
    slug,
    split_leads,
)
from .columns import Header
from .grid import Grid, Row

__all__ = [
    "ActionIn", "Built", "RecommendationIn", "Remark", "ThemeIn", "build", "clean",
    "leading_status", "slug",
]  # fmt: skip


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
    out.grid = grid
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


def _spanning(
    row: Row, out: Built, rec: RecommendationIn | None, theme: str | None, refs: set[str]
) -> tuple[RecommendationIn | None, str | None]:
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
        out.themes.append(ThemeIn(tid, calm(_short(m[2]), lambda: _capitals(out))))
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
            ref, body, labelled = m[2], calm(m[3].strip(), lambda: _capitals(out)), True
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


def _recommendation_for(
    row: Row, header: Header, out: Built, theme: str | None, refs: set[str]
) -> RecommendationIn:
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


def calm(text: str, capitals: Callable[[], set[str]]) -> str:
    """A heading written in capitals ("THE VARIATION IN THE SKILLS OF SOME SCHOOLS") in
    sentence case, keeping the words the document writes in capitals elsewhere ("SEND",
    "EHC"); any other text as it is."""
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < 6 or any(ch.islower() for ch in letters):  # not "SEND" alone
        return text
    known = capitals()

    def word(m: re.Match[str]) -> str:
        w: str = m[0]
        return w if w in known else w.lower()

    out = re.sub(r"[A-Z][A-Z'’]*", word, text)
    return out[:1].upper() + out[1:]


def _capitals(out: Built) -> set[str]:
    if out.capitals is None:
        out.capitals = capitals_in(out.grid) if out.grid is not None else set()
    return out.capitals


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
