"""Layouts beyond a plan's own: a review's recommendations table (one row each, answered
by one piece of work, its header repeated on each page and rows continued across pages),
and a tracker whose "Key Concern", "Priority", "Workstream" or "Theme" column marks the rows
that group the actions under them."""

from __future__ import annotations

import datetime as dt
import re

from .action_cells import _action
from .built import (
    _LABELLED,
    _REF,
    Built,
    RecommendationIn,
    Remark,
    _clip,
    _unique,
    clean,
)
from .columns import Header
from .grid import Cell, Grid, Row

# a column's heading may also name a key of the plan's (columns.py): still ours to read
_NAMED_BY_US = (None, "ref", "outcome", "theme", "recommendation", "group")
_GROUP = re.compile(
    r"(key concerns?|priority|priorities|workstreams?|themes?|areas? for "
    r"improvement|objectives?)(?:\s+(?:no|number|ref|id))?",
    re.IGNORECASE,
)


def _group_column(header: Header) -> int | None:
    """A column headed "Key Concern", "Priority", "Workstream" or "Theme" that names no
    key: its id marks the rows that group the actions under them."""
    for c in header.columns:
        if c.key in _NAMED_BY_US and not c.by_map and _GROUP.fullmatch(_norm(c.header)):
            return c.index
    return None


def _is_group_row(row: Row, group_at: int, action_at: int | None) -> bool:
    """The group's id, and at most its text (merged across the next columns) beside it."""
    given = _text_at(row, group_at)
    if not given or len(given) > 40:
        return False
    others = [k for k, c in enumerate(row.cells) if c.text and k != group_at]
    return len(others) <= 1 and all(k > group_at for k in others)


def _group(
    row: Row, group_at: int, header: Header, out: Built, theme: str | None, refs: set[str]
) -> RecommendationIn:
    given = _text_at(row, group_at)
    m = _LABELLED.match(given + ": x")
    ref = m[2] if m else given.replace(" ", "")
    if not _REF.match(ref):
        ref = str(len(out.recommendations) + 1)
    heading = next((c.header for c in header.columns if c.index == group_at), "")
    out.read_as[group_at] = "recommendation (its rows group the actions under them)"
    named = re.match(r"(key concern|priorit|workstream|objective|area)", _norm(heading))
    if named:  # what the source calls these groups (a "Theme" column stays a recommendation)
        word = {"priorit": "Priority", "area": "Area for improvement"}.get(named[1], named[1])
        out.label = out.label or word.capitalize()
    new = RecommendationIn(_unique(ref.rstrip("."), refs, out, row.where), theme=theme,
                           where=row.where)  # fmt: skip
    body = clean(next((c.text for k, c in enumerate(row.cells) if c.text and k != group_at), ""))
    if body:
        _rec_words(new, body)
    else:
        new.title = given
    out.recommendations.append(new)
    return new


def _recommendation_column(header: Header) -> int | None:
    """A column headed "Recommendation(s)" that names no key: the table is one row per
    recommendation, each answered by one piece of work (a scrutiny review's response)."""
    for c in header.columns:
        if (
            c.key in _NAMED_BY_US
            and not c.by_map
            and re.fullmatch(r"(?:the\s+)?recommendations?\W*", c.header.casefold().strip())
        ):
            return c.index
    return None


def _by_recommendation(
    grid: Grid, header: Header, rec_at: int, out: Built, today: dt.date
) -> Built:
    """One recommendation per row with one action each ("<ref>.1"); a header row repeated
    inside the table is skipped, and a row with no ref continues the row above it (a row
    Word broke across a page)."""
    ref_at = header.find("ref")
    out.read_as[rec_at] = "recommendation (a heading line, then its words)"
    head = [_norm(t) for t in grid.rows[header.row].texts()]
    joined: list[Row] = []
    for row in grid.rows[header.row + 1 :]:
        if not row.filled():
            continue
        if _same_as_header(row, head):
            continue
        ref = _text_at(row, ref_at)
        if not ref and joined:
            joined[-1] = _joined(joined[-1], row)
            continue
        joined.append(row)
    refs: set[str] = set()
    for row in joined:
        ref = _text_at(row, ref_at).replace(" ", "").rstrip(".")
        if not _REF.match(ref):
            n = len(out.recommendations) + 1
            if ref_at is not None and ref:
                out.warnings.append(Remark(row.where, f'"{_clip(ref)}" is not a ref; the '
                                           f"recommendation was numbered {n}"))  # fmt: skip
            ref = str(n)
        ref = _unique(ref, refs, out, row.where)
        rec = RecommendationIn(ref, where=row.where)
        _rec_words(rec, clean(_text_at(row, rec_at)))
        out.recommendations.append(rec)
        if not clean(_text_at(row, header.find("action"))):
            out.warnings.append(Remark(row.where, f"recommendation {ref} has no action text; "
                                       "it was imported with none"))  # fmt: skip
            continue
        rec.actions.append(_action(row, header, rec, refs, out, today, ref=f"{ref}.1"))
    return out


def _rec_words(rec: RecommendationIn, body: str) -> None:
    """A heading line then the recommendation's words, as a review writes them."""
    first, _, rest = body.partition("\n")
    if rest.strip() and len(first) <= 120:
        rec.title, rec.text = first.strip(), rest.strip()
    elif len(body) <= 120 and "\n" not in body:
        rec.title = body or None
    else:
        rec.text = body or None


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


def _same_as_header(row: Row, head: list[str]) -> bool:
    """The header row again (Word repeats it at the top of each page's part of a table)."""
    texts = [_norm(t) for t in row.texts()]
    filled = [(k, t) for k, t in enumerate(texts) if t]
    return len(filled) >= 2 and all(k < len(head) and head[k] == t for k, t in filled)


def _text_at(row: Row, k: int | None) -> str:
    return row.cells[k].text if k is not None and k < len(row.cells) else ""


def _joined(above: Row, row: Row) -> Row:
    cells = list(above.cells)
    for k, c in enumerate(row.cells):
        if not c.text:
            continue
        if k < len(cells) and cells[k].text:
            cells[k] = Cell(cells[k].text + "\n" + c.text, cells[k].where,
                            cells[k].percent_format, cells[k].fill)  # fmt: skip
        elif k < len(cells):
            cells[k] = c
        else:
            cells.append(c)
    return Row(cells, above.where, above.spans, above.table, above.guessed)
