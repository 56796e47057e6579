"""Splicing an edit into a plan's text: only the lines that change differ.

Values are rendered by tomlkit and placed at the spans the position scanner found, so
comments, order, indentation and blank lines stay as the user wrote them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ..errors import EditError
from ..plans.positions import Positions

Place = tuple[str | int, ...]  # a key's place in the data tomllib returns
Edit = tuple[int, int, str]  # (start, end, new text): the text between replaced


def render(value: object) -> str:
    import tomlkit  # only needed when writing

    text: str = tomlkit.item(value).as_string()
    return text


def inline(d: Mapping[str, object]) -> str:
    return "{ " + ", ".join(f"{k} = {render(v)}" for k, v in d.items()) + " }"


def _key_line(indent: str, key: str, value: object, nl: str) -> str:
    return f"{nl}{indent}{key} = {render(value)}"


def _set_edits(
    pos: Positions, tpath: Place, sets: Mapping[str, object], nl: str, what: str
) -> list[Edit]:
    """Edits that give keys of the header table at `tpath` new values: in place where the
    key is written, else as new lines after the table's last key."""
    tspan = pos.spans.get(tpath)
    if tspan is None or not tspan.header:
        raise EditError(
            f"this {what} is written as an inline table; improve can only edit one "
            "written with a [[…]] header of its own"
        )
    key_indent = next(
        (
            pos.spans[p].indent
            for p in pos.spans
            if len(p) == len(tpath) + 1 and p[: len(tpath)] == tpath and not pos.spans[p].header
        ),
        tspan.indent,
    )
    edits: list[Edit] = []
    inserts: list[str] = []
    for key, value in sets.items():
        span = pos.spans.get(tpath + (key,))
        if span is not None:
            edits.append((span.value_start, span.value_end, render(value)))
        else:
            inserts.append(_key_line(key_indent, key, value, nl))
    if inserts:
        edits.append((tspan.own_end, tspan.own_end, "".join(inserts)))
    return edits


def _remove_edit(pos: Positions, path: Place) -> Edit:
    """The edit that takes a key's line out (with the line break before it)."""
    span = pos.spans.get(path)
    start = pos.line_start(span.key_start) if span is not None else -1
    if span is None or start <= 0 or pos.text[start : span.key_start].strip():
        raise EditError(
            f"{path[-1]} is not written on a line of its own; take it out by hand",
            code="cannot-edit",
        )
    end = pos.text.find("\n", span.value_end)
    end = len(pos.text) if end < 0 else end
    if pos.text[end - 1 : end] == "\r":
        end -= 1
    start -= 2 if pos.text[start - 2 : start] == "\r\n" else 1
    return (start, end, "")


def splice(
    text: str,
    pos: Positions,
    apath: Place,
    sets: Mapping[str, object],
    appended: Iterable[tuple[str, Mapping[str, object]]],
    readings: Iterable[tuple[Place, Mapping[str, object]]],
    nl: str,
    table_sets: Iterable[tuple[Place, Mapping[str, object]]] = (),
    removes: Iterable[Place] = (),
) -> str:
    aspan = pos.spans.get(apath)
    if aspan is None or not aspan.header:
        raise EditError(
            "this action is written as an inline table; improve can only edit actions "
            "written with a [[recommendation.action]] header"
        )
    edits: list[Edit] = []
    if sets:
        edits.extend(_set_edits(pos, apath, sets, nl, "action"))
    for tpath, keys in table_sets:
        edits.extend(_set_edits(pos, tpath, keys, nl, str(tpath[-2])))
    for path in removes:
        edits.append(_remove_edit(pos, path))

    for mpath, reading in readings:
        edits.extend(reading_edits(pos, mpath, reading, nl))

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
    blocks: list[str] = []
    for key, table in appended:
        lines = [f"{sub_indent}[[{header_name}.{key}]]"]
        lines += [f"{sub_indent}{k} = {render(v)}" for k, v in table.items()]
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


def reading_edits(
    pos: Positions, mpath: Place, reading: Mapping[str, object], nl: str
) -> list[Edit]:
    """Edits that append one reading to a measure, in the style the list is written in."""
    mspan = pos.spans.get(mpath)
    if mspan is None or not mspan.header:
        raise EditError(
            "this measure is written as an inline table; give it a [[…measure]] header "
            "so improve can add readings"
        )
    return append_edits(pos, mpath, "readings", [reading], nl)


def append_edits(
    pos: Positions, mpath: Place, key: str, items: Sequence[Mapping[str, object]], nl: str
) -> list[Edit]:
    """One edit (two when a comma is wanted) appending `items` to the list `key` of the
    measure at `mpath` (a header table), in the style the list is written in; a new list
    after the measure's keys (one reading as `improve update` writes it, on one line)."""
    mspan = pos.spans[mpath]
    rspan = pos.spans.get((*mpath, key))
    rendered = [inline(item) for item in items]
    if rspan is None:
        indent = next(
            (
                pos.spans[p].indent
                for p in pos.spans
                if len(p) == len(mpath) + 1 and p[: len(mpath)] == mpath
            ),
            mspan.indent,
        )
        if len(rendered) == 1 and key == "readings":  # as `improve update` writes one
            return [(mspan.own_end, mspan.own_end, f"{nl}{indent}{key} = [ {rendered[0]} ]")]
        body = "".join(f"{nl}{indent}  {r}," for r in rendered)
        return [(mspan.own_end, mspan.own_end, f"{nl}{indent}{key} = [{body}{nl}{indent}]")]
    if rspan.close < 0:
        raise EditError(f"the measure's {key} are not a list; write {key} = [ … ]",
                        code="cannot-edit")  # fmt: skip
    if not rspan.children:
        return [(rspan.value_start + 1, rspan.close, f" {', '.join(rendered)} ")]
    last = pos.spans[rspan.children[-1]]
    if not rspan.multiline:
        return [(last.value_end, last.value_end, "".join(f", {r}" for r in rendered))]
    # One item a line: the new ones go on their own lines after the last, and a comment
    # at the end of the last line stays where it is.
    between = pos.text[last.value_end : rspan.close]
    comma = between.find(",")
    has_comma = comma >= 0 and "#" not in between[:comma]
    after = last.value_end + comma + 1 if has_comma else last.value_end
    eol = pos.text.find("\n", after, rspan.close)
    if eol < 0:  # the closing bracket is on the same line
        joined = ", ".join(rendered)
        return [(after, after, f"{'' if has_comma else ','} {joined}{',' if has_comma else ''}")]
    if pos.text[eol - 1] == "\r":
        eol -= 1
    edits: list[Edit] = [] if has_comma else [(last.value_end, last.value_end, ",")]
    tail = "," if has_comma else ""
    lines = f",{nl}".join(f"{last.indent}{r}" for r in rendered)
    edits.append((eol, eol, f"{nl}{lines}{tail}"))
    return edits
