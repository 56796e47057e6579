"""One action's cells read into an `ActionIn`: its ref (qualified by its recommendation),
text, leads, dates and stages, percent, status, the source's RAG, impact, measures (its
own, or its recommendation's when the cell is merged down their rows), progress as a
dated update, evidence, and every other column kept under `extra`."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .built import (
    _REF,
    BULLETS,
    ActionIn,
    Built,
    RecommendationIn,
    Remark,
    _clip,
    _unique,
    clean,
    slug,
)
from .columns import Header
from .grid import Cell, Row
from .values import (
    When,
    impact_word,
    parse_percent,
    parse_when,
    rag_fill,
    rag_word,
    status_word,
)


def _cell(row: Row, k: int | None) -> Cell | None:
    if k is None or k >= len(row.cells):
        return None
    c = row.cells[k]
    return c if c.text else None


Cells = dict[str | None, Cell | None]  # key → the row's cell for it (None when empty)


def _action(row: Row, header: Header, rec: RecommendationIn, refs: set[str], out: Built,
            today: dt.date, ref: str | None = None) -> ActionIn:  # fmt: skip
    get: Cells = {c.key: _cell(row, c.index) for c in header.columns if c.key}
    ref, numbered = _ref(get.get("ref"), rec, refs, out, row.where, ref)
    action_cell = get["action"]
    assert action_cell is not None
    a = ActionIn(ref, numbered, {"action": clean(action_cell.text)}, where=row.where)
    outcome = get.get("outcome")
    if outcome is not None:
        a.fields["outcome"] = clean(outcome.text)
    leads = get.get("leads")
    if leads is not None:
        a.fields["leads"] = _leads(leads.text)
    for key in ("start", "due"):
        cell = get.get(key)
        if cell is not None:
            _date(a, key, cell, out)
    _percent(a, get.get("percent"), out)
    _status(a, get.get("status"), get.get("rag") is not None, out)
    at = header.find("rag")
    _rag(a, get.get("rag"), row.cells[at] if at is not None and at < len(row.cells) else None,
         out)  # fmt: skip
    _impact(a, get.get("impact"))
    _measures(a, get.get("measure"), rec, header, out)
    _progress(a, get.get("progress"), today)
    cell = get.get("evidence")
    if cell is not None:
        a.evidence.append({"date": today, "text": clean(cell.text)})
    _kept(a, row, header, out)
    return a


def _ref(cell: Cell | None, rec: RecommendationIn, refs: set[str], out: Built, where: str,
         given: str | None) -> tuple[str, bool]:  # fmt: skip
    """The action's ref, and whether improve numbered it: the one given, the source's (a
    bare "2" under recommendation 1 is 1.2, as councils number), or the next free one."""
    if given is not None:
        return _unique(given, refs, out, where), False
    if cell is not None and _REF.match(cell.text.replace(" ", "")):
        text = cell.text.replace(" ", "").rstrip(".")
        if _BARE.fullmatch(text):
            text = f"{rec.ref}.{text}"
        return _unique(text, refs, out, cell.where), False
    if cell is not None:
        out.warnings.append(Remark(cell.where, f'"{cell.text}" is not a ref; the action was '
                                   "numbered"))  # fmt: skip
    n = len(rec.actions) + 1
    while f"{rec.ref}.{n}" in refs:
        n += 1
    refs.add(f"{rec.ref}.{n}")
    out.numbered += 1
    return f"{rec.ref}.{n}", True


def _leads(text: str) -> list[str]:
    """One a line or between semicolons; agencies' short names joined by slashes
    ("HWB/TWC") are several leads."""
    leads = [x.strip() for x in re.split(r"[\n;]+", text)]
    leads = [y for x in leads for y in (x.split("/") if _SHORT_NAMES.match(x) else [x])]
    return [clean(x) for x in leads if x.strip()]


def _percent(a: ActionIn, cell: Cell | None, out: Built) -> None:
    if cell is None:
        return
    pct, why = parse_percent(cell)
    if pct is not None:
        a.fields["percent"] = pct
    elif why:
        out.warnings.append(Remark(cell.where, why))
        a.extra["source_percent"] = clean(cell.text)


def _status(a: ActionIn, cell: Cell | None, rag_given: bool, out: Built) -> None:
    if cell is None:
        return
    word = status_word(cell.text)
    colour = rag_word(cell.text)
    if word:
        a.fields["status"] = word
    elif colour and not rag_given:
        a.source_rag = colour  # a status column holding RAG words ("Overdue")
    else:
        out.warnings.append(Remark(cell.where, f'status "{_clip(cell.text)}" is not one of '
                                   "complete, in progress, not started, dropped; kept under "
                                   "extra"))  # fmt: skip
    if not word:
        a.extra.setdefault("source_status", clean(cell.text))


def _rag(a: ActionIn, cell: Cell | None, filled: Cell | None, out: Built) -> None:
    """The source's RAG, by its word or the cell's fill: a person's judgement, kept under
    `extra`, never an override."""
    colour = (rag_word(cell.text) if cell else None) or rag_fill(filled.fill if filled else None)
    if colour:
        a.source_rag = colour
    elif cell is not None:
        out.warnings.append(Remark(cell.where, f'RAG "{_clip(cell.text)}" is not a colour; '
                                   "kept under extra"))  # fmt: skip
    if cell is not None:
        a.extra["source_rag_text"] = clean(cell.text)
    if a.source_rag:
        a.extra["source_rag"] = a.source_rag


def _impact(a: ActionIn, cell: Cell | None) -> None:
    if cell is None:
        return
    word = impact_word(cell.text)
    if word:
        a.fields["impact"] = word
    else:
        a.fields["impact_note"] = clean(cell.text)


def _measures(a: ActionIn, cell: Cell | None, rec: RecommendationIn, header: Header,
              out: Built) -> None:  # fmt: skip
    """The action's measures, one a line or bullet; a cell merged down the actions' rows
    holds the measures of their recommendation (a workstream's outcome measures), read
    once at its first row."""
    if cell is None or cell.under:
        return
    lines = [x for x in BULLETS.split(clean(cell.text)) if x.strip()]
    shared = cell.down > 1
    held, owner = (rec.measures, "r" + rec.ref) if shared else (a.measures, "m" + a.ref)
    if shared:
        word = (out.label or "recommendation").casefold()
        out.read_as.setdefault(header.find("measure") or 0, f"measure (a cell merged down a "
                               f"{word}'s actions: the {word}'s measures)")  # fmt: skip
    base = re.sub(r"[^A-Za-z0-9]+", "-", owner).strip("-")
    for k, line in enumerate(lines, len(held) + 1):
        many = len(lines) > 1 or held
        held.append({"id": f"{base}-{k}" if many else base, "text": line})


def _progress(a: ActionIn, cell: Cell | None, today: dt.date) -> None:
    """A dated update; a status word opening it ("Completed.") sets the status."""
    if cell is None:
        return
    word, note = leading_status(clean(cell.text))
    if word and "status" not in a.fields:
        a.fields["status"] = word
    update: dict[str, Any] = {"date": today, "note": note or clean(cell.text)}
    if word:
        update["status"] = word
    if "percent" in a.fields:
        update["percent"] = a.fields["percent"]
    a.updates.append(update)


def _kept(a: ActionIn, row: Row, header: Header, out: Built) -> None:
    """Every column that names no key, kept under the action's `extra`."""
    for c in header.columns:
        if c.key is None and not c.by_map:
            value = _cell(row, c.index)
            if value is not None:
                key = slug(c.header) if c.header else f"column_{c.index + 1}"
                out.kept_as_extra.setdefault(c.header or f"column {c.index + 1}", key)
                a.extra.setdefault(key, clean(value.text))


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
