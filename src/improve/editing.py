"""Changing one action in its plan file, keeping everything else as the user wrote it.

The edit is planned on the parsed data, then made on the text: values are rendered
by tomlkit, and placed at the spans the position scanner found, so only the lines
that change differ — comments, order, indentation and blank lines stay.  Before
anything is written, the new text is parsed again and must equal the old data
with exactly the intended change, and must load as a plan without errors.  The
write is atomic, and refused if the file changed on disk since it was read.
"""

from __future__ import annotations

import copy
import difflib
import os
import tempfile
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import model as m
from .loader import fingerprint, parse_text
from .positions import Positions


class EditError(Exception):
    """The change cannot be made; the message says why and what to do."""


class ConflictError(EditError):
    """The file changed on disk since it was read."""


@dataclass
class Change:
    percent: int | None = None
    status: str | None = None
    impact: str | None = None
    impact_note: str | None = None
    note: str | None = None
    evidence: str | None = None
    link: str | None = None
    evidence_measure: str | None = None
    readings: list[tuple[str, float]] = field(default_factory=list)
    extend_to: date | None = None
    reason: str | None = None

    def is_empty(self) -> bool:
        return not (
            self.percent is not None
            or self.status
            or self.impact
            or self.impact_note
            or self.note
            or self.evidence
            or self.readings
            or self.extend_to
        )


@dataclass
class EditResult:
    path: Path
    ref: str
    changes: list[str]
    text: str
    fingerprint: str
    before: str = ""

    def changed_lines(self) -> list[tuple[int, int]]:
        """The 1-based line ranges of the new file that differ from the old one."""
        return changed_line_ranges(self.before, self.text)


def changed_line_ranges(before: str, after: str) -> list[tuple[int, int]]:
    matcher = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines(), autojunk=False)
    return [
        (j1 + 1, j2)
        for tag, _i1, _i2, j1, j2 in matcher.get_opcodes()
        if tag in ("replace", "insert") and j2 > j1
    ]


def _render(value) -> str:
    import tomlkit  # only needed when writing

    return tomlkit.item(value).as_string()


def _inline(d: dict) -> str:
    return "{ " + ", ".join(f"{k} = {_render(v)}" for k, v in d.items()) + " }"


def _find_action(data: dict, ref: str) -> tuple[int, int]:
    for i, rec in enumerate(data.get("recommendation", [])):
        for j, action in enumerate(rec.get("action", [])):
            if action.get("ref") == ref:
                return i, j
    raise EditError(f'no action with ref "{ref}" in this plan')


def _find_measure(data: dict, measure_id: str, i: int, j: int) -> tuple:
    """Path of a measure the action may record a reading for: its own, its
    recommendation's, or the plan's."""
    rec = data["recommendation"][i]
    places = [
        (("recommendation", i, "action", j, "measure"), rec["action"][j].get("measure", [])),
        (("recommendation", i, "measure"), rec.get("measure", [])),
        (("measure",), data.get("measure", [])),
    ]
    for base, measures in places:
        for k, ms in enumerate(measures):
            if ms.get("id") == measure_id:
                return base + (k,)
    known = sorted({ms.get("id") for _, mss in places for ms in mss})
    raise EditError(
        f'no measure "{measure_id}" for this action'
        + (
            f" (its measures: {', '.join(known)})"
            if known
            else "; it has no measures to record a reading against"
        )
    )


def _get(data, path):
    for part in path:
        data = data[part]
    return data


def plan_change(data: dict, ref: str, change: Change, today: date, by: str | None):
    """Work out the change on the data: (new data, human list of changes, path of the action)."""
    if change.is_empty():
        raise EditError(
            "nothing to change: give --percent, --status, --note, --evidence, "
            "--reading or --extend-to"
        )
    i, j = _find_action(data, ref)
    new = copy.deepcopy(data)
    action = new["recommendation"][i]["action"][j]
    apath = ("recommendation", i, "action", j)
    said: list[str] = []
    sets: dict[str, object] = {}

    if change.percent is not None:
        if not 0 <= change.percent <= 100:
            raise EditError(f"percent must be from 0 to 100, not {change.percent}")
        sets["percent"] = change.percent
    if change.status is not None:
        if change.status not in m.STATUSES:
            raise EditError(f'status must be one of {", ".join(m.STATUSES)}, not "{change.status}"')
        sets["status"] = change.status
        if (
            change.status == "complete"
            and change.percent is None
            and action.get("percent") is not None
            and action["percent"] < 100
        ):
            sets["percent"] = 100
    if change.impact is not None:
        if change.impact not in m.IMPACTS:
            raise EditError(f'impact must be one of {", ".join(m.IMPACTS)}, not "{change.impact}"')
        sets["impact"] = change.impact
    if change.impact_note is not None:
        sets["impact_note"] = change.impact_note
    for key, value in list(sets.items()):
        old = action.get(key)
        if old == value:
            del sets[key]  # already so: neither written nor logged
            continue
        said.append(f"{key} {old if old is not None else '(none)'} → {value}")
        action[key] = value

    appended: list[tuple[str, dict]] = []
    if change.evidence:
        ev = {"date": today, "text": change.evidence}
        if change.link:
            ev["link"] = change.link
        if change.evidence_measure:
            _find_measure(new, change.evidence_measure, i, j)
            ev["measure"] = change.evidence_measure
        appended.append(("evidence", ev))
        said.append(f"evidence: {change.evidence}")
    elif change.link or change.evidence_measure:
        raise EditError(
            "--link and --measure describe a piece of evidence; give --evidence TEXT too"
        )
    if change.extend_to is not None:
        if not change.reason:
            raise EditError("an extension needs a reason; add --reason TEXT")
        current = action["extension"][-1]["due"] if action.get("extension") else action.get("due")
        if current is not None and change.extend_to <= current:
            raise EditError(
                f"--extend-to {change.extend_to} is not after the due date in force "
                f"({current}); an extension moves the date later"
            )
        ext = {"due": change.extend_to, "reason": change.reason, "agreed_on": today}
        if by:
            ext["agreed_by"] = by
        appended.append(("extension", ext))
        said.append(f"due {current or '(none)'} → {change.extend_to}: {change.reason}")
    elif change.reason:
        raise EditError("--reason goes with --extend-to DATE")

    readings: list[tuple[tuple, dict]] = []
    for measure_id, value in change.readings:
        mpath = _find_measure(new, measure_id, i, j)
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # 84, as a person writes it, not 84.0
        reading = {"date": today, "value": value}
        _get(new, mpath).setdefault("readings", []).append(reading)
        readings.append((mpath, reading))
        said.append(f"reading {measure_id} = {value:g}")

    if not said and not change.note:
        raise EditError("nothing changed: the action already has those values")
    entry: dict = {"date": today}
    if by:
        entry["by"] = by
    for key in ("percent", "status"):
        if key in sets:
            entry[key] = sets[key]
    if change.note:
        entry["note"] = change.note
    if said:
        entry["changes"] = said
    appended.append(("update", entry))
    for key, table in appended:
        action.setdefault(key, []).append(table)
    return new, said, apath, sets, appended, readings


def _key_line(indent: str, key: str, value, nl: str) -> str:
    return f"{nl}{indent}{key} = {_render(value)}"


def _edit_text(
    text: str, pos: Positions, apath: tuple, sets: dict, appended, readings, nl: str
) -> str:
    aspan = pos.spans.get(apath)
    if aspan is None or not aspan.header:
        raise EditError(
            "this action is written as an inline table; improve can only edit actions "
            "written with a [[recommendation.action]] header"
        )
    edits: list[tuple[int, int, str]] = []
    key_indent = next(
        (
            pos.spans[p].indent
            for p in pos.spans
            if len(p) == len(apath) + 1 and p[: len(apath)] == apath and not pos.spans[p].header
        ),
        aspan.indent,
    )
    inserts = []
    for key, value in sets.items():
        span = pos.spans.get(apath + (key,))
        if span is not None:
            edits.append((span.value_start, span.value_end, _render(value)))
        else:
            inserts.append(_key_line(key_indent, key, value, nl))
    if inserts:
        edits.append((aspan.own_end, aspan.own_end, "".join(inserts)))

    for mpath, reading in readings:
        edits.extend(_reading_edits(pos, mpath, reading, nl))

    sub_indent = next(
        (
            pos.spans[p].indent
            for p in pos.spans
            if len(p) == len(apath) + 2 and p[: len(apath)] == apath and pos.spans[p].header
        ),
        None,
    )
    if sub_indent is None:
        sub_indent = aspan.indent + ("  " if aspan.indent else "")
    header_name = ".".join(k for k in apath if isinstance(k, str))
    blocks = []
    for key, table in appended:
        lines = [f"{sub_indent}[[{header_name}.{key}]]"]
        lines += [f"{sub_indent}{k} = {_render(v)}" for k, v in table.items()]
        blocks.append(nl.join(lines))
    end = pos.table_end(apath)
    edits.append((end, end, nl + nl + (nl + nl).join(blocks)))

    # Apply from the end of the text backwards; at one offset, the later edit first,
    # so that keys land before the tables that follow them.
    order = sorted(range(len(edits)), key=lambda n: (edits[n][0], n), reverse=True)
    for n in order:
        start, stop, new = edits[n]
        text = text[:start] + new + text[stop:]
    return text


def _reading_edits(pos: Positions, mpath: tuple, reading: dict, nl: str) -> list:
    """Edits that append one reading to a measure, in the style the list is written in."""
    mspan = pos.spans.get(mpath)
    if mspan is None or not mspan.header:
        raise EditError(
            "this measure is written as an inline table; give it a [[…measure]] header "
            "so improve can add readings"
        )
    rspan = pos.spans.get(mpath + ("readings",))
    item = _inline(reading)
    if rspan is None:
        indent = next(
            (
                pos.spans[p].indent
                for p in pos.spans
                if len(p) == len(mpath) + 1 and p[: len(mpath)] == mpath
            ),
            mspan.indent,
        )
        return [(mspan.own_end, mspan.own_end, f"{nl}{indent}readings = [ {item} ]")]
    if rspan.close < 0:
        raise EditError("the measure's readings are not a list; write readings = [ … ]")
    if not rspan.children:
        return [(rspan.value_start + 1, rspan.close, f" {item} ")]
    last = pos.spans[rspan.children[-1]]
    if not rspan.multiline:
        return [(last.value_end, last.value_end, f", {item}")]
    # One reading a line: the new one goes on its own line after the last, and a
    # comment at the end of the last line stays where it is.
    between = pos.text[last.value_end : rspan.close]
    comma = between.find(",")
    has_comma = comma >= 0 and "#" not in between[:comma]
    after = last.value_end + comma + 1 if has_comma else last.value_end
    eol = pos.text.find("\n", after, rspan.close)
    if eol < 0:  # the closing bracket is on the same line
        return [(after, after, f"{'' if has_comma else ','} {item}{',' if has_comma else ''}")]
    if pos.text[eol - 1] == "\r":
        eol -= 1
    edits = [] if has_comma else [(last.value_end, last.value_end, ",")]
    edits.append((eol, eol, f"{nl}{last.indent}{item}{',' if has_comma else ''}"))
    return edits


def apply_change(
    text: str,
    path: Path,
    ref: str,
    change: Change,
    today: date,
    by: str | None,
    plans_root: Path | None = None,
) -> tuple[str, list[str]]:
    """The new text of a plan file after the change (nothing is written)."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom) :]
    try:
        data = tomllib.loads(body)
    except tomllib.TOMLDecodeError as exc:
        raise EditError(f"the file is not valid TOML ({exc}); run `improve check` and fix it first")
    plan, problems, _ = parse_text(body, path, plans_root)
    if plan is None:
        first = next(p for p in problems if p.severity == "error")
        raise EditError(f"the plan has errors; fix them first (run `improve check`): {first}")
    new_data, said, apath, sets, appended, readings = plan_change(data, ref, change, today, by)
    nl = "\r\n" if "\r\n" in body else "\n"
    new_body = _edit_text(body, Positions(body), apath, sets, appended, readings, nl)
    try:
        if tomllib.loads(new_body) != new_data:
            raise EditError(
                "internal check failed: the edited file would not say exactly what was "
                "intended; nothing was written (please report this)"
            )
    except tomllib.TOMLDecodeError as exc:
        raise EditError(
            f"internal check failed: the edit would break the file ({exc}); "
            "nothing was written (please report this)"
        ) from None
    plan, problems, _ = parse_text(new_body, path, plans_root)
    if plan is None:
        first = next(p for p in problems if p.severity == "error")
        raise EditError(f"the change would make the plan invalid: {first.message}")
    return bom + new_body, said


def update_action(
    path: Path,
    ref: str,
    change: Change,
    today: date,
    by: str | None,
    expected_fingerprint: str | None = None,
    plans_root: Path | None = None,
) -> EditResult:
    """Change one action in its file: validate, write atomically, never over a file
    that changed on disk since it was read (`expected_fingerprint`)."""
    path = Path(path)
    raw = path.read_bytes()
    fp = fingerprint(raw)
    if expected_fingerprint is not None and fp != expected_fingerprint:
        raise ConflictError(
            f"{path.name} changed on disk since it was loaded; "
            "nothing was written — reload and try again"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise EditError(f"{path.name} is not UTF-8 text; run `improve check`") from None
    new_text, said = apply_change(text, path, ref, change, today, by, plans_root)
    new_raw = new_text.encode("utf-8")
    atomic_write(path, new_raw, expect=fp)
    return EditResult(path, ref, said, new_text, fingerprint(new_raw), text)


def atomic_write(path: Path, data: bytes, expect: str | None = None) -> None:
    """Write `data` to `path` so that a crash leaves either the old or the new file.

    With `expect`, the file must still have that fingerprint just before it is replaced.
    """
    folder = path.parent
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        if expect is not None and fingerprint(path.read_bytes()) != expect:
            raise ConflictError(
                f"{path.name} changed on disk while it was being updated; "
                "nothing was written — reload and try again"
            )
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
