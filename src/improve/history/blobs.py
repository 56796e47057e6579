"""A plan file at one commit after another, read as quickly as it can be exactly.

Reading a long log means reading each plan file at every commit that changed it; parsing
a 100-action file takes `tomllib` some 20 ms, and most commits change one action. So
when a commit's change lies inside one action's block of lines (between that action's
`[[recommendation.action]]` header and the next action's or recommendation's), only
that block is parsed, and the file's data is the data before with that one action
replaced: the same data a whole parse gives, since every other line is the same. The
plan is then built and checked from that data as from any other (`loader.check_data`).

Anything else is parsed whole: a change that touches the plan's own table, a header, two
actions, a file whose headers do not match its data (a header inside a multi-line
string, tables written inline), or a fragment that does not parse.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..digest import fingerprint

if TYPE_CHECKING:
    from ..plans import model as m

# A table header line, with a bare dotted key (as plan files are written).
_HEADER = re.compile(
    r"^[ \t]*(\[\[?)[ \t]*([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*\]\]?[ \t]*(#.*)?\r?\n?$"
)
_REC = "recommendation"
_ACTION = "recommendation.action"


# (line, key, array) of a table header: its line's number, its dotted key, [[…]] or not
Head = tuple[int, str, bool]


@dataclass
class Read:
    plan: m.Plan
    data: dict[str, Any]  # the file's TOML, as tomllib reads it
    fp: str
    lines: list[str]
    heads: list[Head] | None  # each header; None: no fast path


def _headers(lines: list[str]) -> list[Head]:
    out: list[Head] = []
    for n, line in enumerate(lines):
        if "[" in line:
            m = _HEADER.match(line)
            if m:
                out.append((n, m.group(2), m.group(1) == "[["))
    return out


def _agrees(heads: list[Head], data: dict[str, Any]) -> bool:
    """The headers say the same recommendations and actions, in the same order, as the
    data: only then can a line be told to belong to an action."""
    recs = data.get(_REC)
    if not isinstance(recs, list):
        return False
    counts: list[int] = []
    for _, key, array in heads:
        if key == _REC and array:
            counts.append(0)
        elif key == _ACTION and array:
            if not counts:
                return False
            counts[-1] += 1
        elif key.startswith(_REC + ".") and not key.startswith(_ACTION + ".") and key != _ACTION:
            continue  # a recommendation's own sub-table (its measures, extra)
    if len(counts) != len(recs):
        return False
    for n, rec in zip(counts, recs, strict=True):
        acts = rec.get("action", []) if isinstance(rec, dict) else None
        if not isinstance(acts, list) or len(acts) != n:
            return False
    return True


def parse_whole(raw: bytes, text: str, path: Path, plans: Path) -> Read | None:
    from ..plans.loader import parse_text

    plan, problems, data = parse_text(text, path, plans, warnings=False)
    if plan is None or data is None or any(p.severity == "error" for p in problems):
        return None
    plan.fingerprint = fingerprint(raw)
    lines = text.splitlines(keepends=True)
    heads = _headers(lines)
    return Read(plan, data, plan.fingerprint, lines, heads if _agrees(heads, data) else None)


def _block(heads: list[Head], first: int, last: int, size: int) -> tuple[int, int, int, int] | None:
    """(rec index, action index, block start, block end) of the one action whose block
    holds lines first..last-1 with no header but its sub-tables' among them; else None."""
    rec = act = -1
    start: int | None = None
    end = size
    for line, key, array in heads:
        if line < first:
            if key == _REC and array:
                rec, act, start = rec + 1, -1, None
            elif key == _ACTION and array:
                act, start = act + 1, line
            elif not key.startswith(_ACTION + "."):
                start = None  # another table: these lines are not an action's
            continue
        if line < last and not key.startswith(_ACTION + "."):
            return None  # the change holds a header of its own
        if line >= last and not key.startswith(_ACTION + "."):
            end = line
            break
    if start is None or rec < 0 or act < 0:
        return None
    return rec, act, start, end


def parse_next(before: Read, raw: bytes, path: Path, plans: Path) -> Read | None:
    """The file at the next commit, from the file `before` it (see the module's note)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    lines = text.splitlines(keepends=True)
    quick = _quick(before, lines, text, path, plans, raw)
    if quick is not None:
        return quick
    return parse_whole(raw, text, path, plans)


def _quick(
    before: Read, lines: list[str], text: str, path: Path, plans: Path, raw: bytes
) -> Read | None:
    if before.heads is None:
        return None
    old = before.lines
    p = 0
    top = min(len(old), len(lines))
    while p < top and old[p] == lines[p]:
        p += 1
    s = 0
    while s < top - p and old[-1 - s] == lines[-1 - s]:
        s += 1
    if p == len(old) == len(lines):
        return None  # the same text (a mode change): parsed whole, as it is rare
    old_end, new_end = len(old) - s, len(lines) - s
    found = _block(before.heads, p, old_end, len(old))
    if found is None:
        return None
    rec, act, start, end_old = found
    end_new = end_old + (new_end - old_end)
    block = "".join(lines[start:end_new])
    if '"""' in block or "'''" in block:
        return None  # a multi-line string may hold what looks like a header
    # the headers after the change: those before it, the change's own (sub-tables of the
    # action only, as the lines it replaced held none but those), those after it moved
    inside = [(n + p, k, a) for n, k, a in _headers(lines[p:new_end])]
    if any(not k.startswith(_ACTION + ".") for _, k, _ in inside):
        return None
    shift = new_end - old_end
    heads_new = [h for h in before.heads if h[0] < p] + inside
    heads_new += [(n + shift, k, a) for n, k, a in before.heads if n >= old_end]
    from ..plans.loader import _too_costly

    if _too_costly(block, path.name) is not None:
        return None  # the whole parse says what is wrong
    try:
        piece = tomllib.loads(f"[[{_REC}]]\n" + block)
        action: list[dict[str, Any]] = piece[_REC][0]["action"]
    except (tomllib.TOMLDecodeError, ValueError, KeyError, IndexError, TypeError, RecursionError):
        return None
    if len(action) != 1 or len(piece) != 1 or len(piece[_REC]) != 1 or len(piece[_REC][0]) != 1:
        return None
    data = dict(before.data)
    recs = list(data[_REC])
    one = dict(recs[rec])
    acts = list(one["action"])
    acts[act] = action[0]
    one["action"] = acts
    recs[rec] = one
    data[_REC] = recs
    plan = _replaced(before.plan, rec, act, action[0], plans)
    if plan is None:
        return None
    plan.fingerprint = fingerprint(raw)
    return Read(plan, data, plan.fingerprint, lines, heads_new)


def _replaced(
    plan: m.Plan, rec: int, act: int, table: dict[str, Any], plans: Path
) -> m.Plan | None:
    """The plan with one action built from its table, checked as a whole parse checks
    it (the table against the schema, then the plan's own checks); None on any error."""
    from dataclasses import replace

    from ..plans.build import build_action
    from ..plans.schema import ACTION, Report, TooManyErrors, check_table
    from ..plans.validate import check_plan

    report = Report()
    where = (_REC, rec, "action", act)
    try:
        clean = check_table(table, where, ACTION, report, "action")
    except TooManyErrors:
        return None
    if clean is None or report.has_errors:
        return None
    old = plan.recommendations[rec]
    actions = list(old.actions)
    actions[act] = build_action(clean, where)
    recs = list(plan.recommendations)
    recs[rec] = replace(old, actions=actions)
    new = replace(plan, recommendations=recs)
    try:
        check_plan(new, report, plans)
    except TooManyErrors:
        return None
    return None if report.has_errors else new
