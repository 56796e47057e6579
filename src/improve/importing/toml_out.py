"""The built plan as a plan file: TOML written with tomlkit, one header for each action (the
form `improve update` edits), with comments where a value was read loosely."""

from __future__ import annotations

import datetime as dt
from typing import Any

import tomlkit
from tomlkit.items import AoT, String, Table

from ..inert import one_line
from .rows import ActionIn, Built


def _table(values: dict[str, Any], comments: dict[str, str] | None = None) -> Table:
    t = tomlkit.table()
    for key, value in values.items():
        if value is None or value == [] or value == "":
            continue
        item = tomlkit.item(value)
        if comments and key in comments:
            item.comment(comments[key])
        t.add(key, item)
    return t


def _aot(rows: list[dict[str, Any]]) -> AoT:
    out = tomlkit.aot()
    for row in rows:
        out.append(_table(row))
    return out


def render(
    built: Built,
    *,
    plan_id: str,
    title: str,
    kind: str,
    source_name: str,
    today: dt.date,
) -> str:
    doc = tomlkit.document()
    doc.add(
        tomlkit.comment(one_line(f"Imported from {source_name} on {today.isoformat()} by improve."))
    )
    doc.add(tomlkit.comment("Check it against the source, then run `improve check`."))
    doc.add(tomlkit.nl())
    plan: dict[str, Any] = {"format": 1, "id": plan_id, "title": title, "kind": kind}
    months = [m for a in built.actions() for m in a.months]
    if months and all(months):  # the source gives every date as a month ("January 2017")
        plan["dates"] = "month"
    labels = {"recommendation": built.label, "action": built.action_label}
    if any(labels.values()):
        plan["labels"] = {k: v for k, v in labels.items() if v}
    doc.add("plan", _table(plan))
    if built.themes:
        doc.add("theme", _aot([{"id": t.id, "title": t.title} for t in built.themes]))
    recs = tomlkit.aot()
    for rec in built.recommendations:
        t = _table(
            {
                "ref": rec.ref,
                "theme": rec.theme,
                "title": rec.title,
                "text": _multiline(rec.text),
                "why": _multiline(rec.why),
                "good_looks_like": rec.good,
                "leads": rec.leads,
            }
        )
        if rec.extra:
            t.add("extra", _inline(rec.extra))
        if rec.made_up:
            t.comment("no recommendation in the source: made to hold its actions")
        if rec.actions:
            actions = tomlkit.aot()
            for a in rec.actions:
                actions.append(_action(a))
            t.add("action", actions)
        if rec.measures:
            t.add("measure", _aot(rec.measures))
        recs.append(t)
    doc.add("recommendation", recs)
    return tomlkit.dumps(doc)


def _multiline(text: str | None) -> String | str | None:
    if text and "\n" in text:
        return tomlkit.string(text, multiline=True)
    return text


def _action(a: ActionIn) -> Table:
    fields = {"ref": a.ref, **a.fields}
    fields["action"] = _multiline(fields["action"])
    if "outcome" in fields:
        fields["outcome"] = _multiline(fields["outcome"])
    t = tomlkit.table()
    for line in a.comments:  # source text in a comment: one line, every control shown
        t.add(tomlkit.comment(one_line(line)))
    comments = dict(a.key_comments)
    if a.numbered:
        comments["ref"] = "no ref in the source: numbered on import"
    for key, value in fields.items():
        if value is None or value == [] or value == "":
            continue
        item = tomlkit.item(value)
        if key in comments:
            item.comment(one_line(comments[key]))
        t.add(key, item)
    if a.extra:
        t.add("extra", _inline({k: _multiline(v) for k, v in a.extra.items()}))
    for name, rows in (
        ("milestone", a.milestones),
        ("measure", a.measures),
        ("evidence", a.evidence),
        ("update", a.updates),
    ):
        if rows:
            t.add(name, _aot(rows) if name != "update" else _aot([_update(u) for u in rows]))
    return t


def _update(u: dict[str, Any]) -> dict[str, Any]:
    return {**u, "note": _multiline(u.get("note"))}


def _inline(values: dict[str, Any]) -> Table:
    t = tomlkit.table()
    for k, v in values.items():
        t.add(k, v)
    return t
