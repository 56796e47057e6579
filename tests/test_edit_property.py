"""Property: an update to any action of any valid plan changes only that action's
lines, and the file still loads to the same plan apart from the change."""

from __future__ import annotations

import copy
import difflib
import tomllib
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import there
from improve.edits.change import Change
from improve.edits.editing import apply_change
from improve.errors import EditError
from improve.plans.loader import parse_text

TODAY = date(2017, 1, 5)
texts = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=20
)
dates = st.dates(min_value=date(2016, 1, 1), max_value=date(2017, 12, 31))


def q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


@st.composite
def plans(draw):
    """(text, {action ref: (first line, last line)}, measure ids by action ref)"""
    ind = draw(st.sampled_from(["", "  "]))
    lines = ["# generated plan", "[plan]", f"title = {q(draw(texts))}  # the title"]
    if draw(st.booleans()):
        lines.append(f"start = {draw(dates)}")
    spans: dict[str, tuple[int, int]] = {}
    measures: dict[str, list[str]] = {}
    mid = 0
    for r in range(draw(st.integers(1, 3))):
        lines += ["", "[[recommendation]]", f'ref = "{r}"', 'leads = ["Lead"]']
        for a in range(draw(st.integers(1, 3))):
            ref = f"{r}.{a}"
            if draw(st.booleans()):
                lines += ["", f"{ind}# action {ref}"]
            lines.append("")
            first = len(lines)
            lines += [
                f"{ind}[[recommendation.action]]",
                f'{ind}ref = "{ref}"',
                f"{ind}action = {q(draw(texts))}",
            ]
            due = draw(dates)
            lines.append(f"{ind}due = {due}" + draw(st.sampled_from(["", "  # due"])))
            if draw(st.booleans()):
                lines.append(f"{ind}percent = {draw(st.integers(0, 99))}")
            if draw(st.booleans()):
                lines.append(f'{ind}status = "in-progress"')
            if draw(st.booleans()):
                lines += [f'{ind}rag = "amber"', f"{ind}rag_reason = {q(draw(texts))}"]
                if draw(st.booleans()):
                    lines.append(f"{ind}rag_until = {draw(dates)}  # lapses")
            sub = ind + ("  " if ind else "")
            for _ in range(draw(st.integers(0, 2))):
                lines += [
                    "",
                    f"{sub}[[recommendation.action.milestone]]",
                    f"{sub}label = {q(draw(texts))}",
                ]
                if draw(st.booleans()):
                    lines.append(f"{sub}due = {draw(dates)}")
                done = draw(st.sampled_from(["", "true", "false"]))
                if done:
                    lines.append(f"{sub}done = {done}")
                if done == "true" and draw(st.booleans()):
                    lines.append(f"{sub}done_on = {draw(dates)}")
            measures[ref] = []
            for _ in range(draw(st.integers(0, 2))):
                mid += 1
                measures[ref].append(f"m{mid}")
                lines += [
                    "",
                    f"{sub}[[recommendation.action.measure]]",
                    f'{sub}id = "m{mid}"',
                    f"{sub}text = {q(draw(texts))}",
                ]
                style = draw(st.sampled_from(["none", "empty", "inline", "multi"]))
                if style == "empty":
                    lines.append(f"{sub}readings = []")
                elif style == "inline":
                    lines.append(f"{sub}readings = [ {{ date = {draw(dates)}, value = 1 }} ]")
                elif style == "multi":
                    lines += [
                        f"{sub}readings = [",
                        f"{sub}  {{ date = {draw(dates)}, value = 2 }},",
                        f"{sub}]",
                    ]
            for _ in range(draw(st.integers(0, 2))):
                lines += [
                    "",
                    f"{sub}[[recommendation.action.update]]",
                    f"{sub}date = {draw(dates)}",
                    f"{sub}note = {q(draw(texts))}",
                ]
            spans[ref] = (first, len(lines) - 1)
    return "\n".join(lines) + "\n", spans, measures


@st.composite
def changes(draw, measure_ids, due, milestones: int):
    c = Change()
    c.percent = draw(st.one_of(st.none(), st.integers(0, 100)))
    c.status = draw(
        st.one_of(st.none(), st.sampled_from(["in-progress", "complete", "not-started"]))
    )
    c.note = draw(st.one_of(st.none(), texts))
    if draw(st.booleans()):
        c.evidence = draw(texts)
        if measure_ids and draw(st.booleans()):
            c.evidence_measure = draw(st.sampled_from(measure_ids))
    if measure_ids and draw(st.booleans()):
        c.readings = [(draw(st.sampled_from(measure_ids)), draw(st.integers(-5, 500)))]
    if milestones and draw(st.booleans()):
        c.milestone = str(draw(st.integers(1, milestones)))
        c.milestone_done = draw(st.booleans())
        if c.milestone_done and draw(st.booleans()):
            c.milestone_on = draw(dates)
    which = draw(st.sampled_from(["none", "extend", "request", "rag", "clear"]))
    if which == "extend":
        c.extend_to = due + timedelta(days=draw(st.integers(1, 200)))
        c.reason = draw(texts)
    elif which == "request":
        c.request_extension = due + timedelta(days=draw(st.integers(1, 200)))
        c.reason = draw(texts)
    elif which == "rag":
        c.rag = draw(st.sampled_from(["red", "amber", "green"]))
        c.reason = draw(texts)
        c.rag_until = draw(st.one_of(st.none(), dates))
    elif which == "clear":
        c.clear_rag = True
    return c


def expected_data(data, ref, change: Change, by):
    new = copy.deepcopy(data)
    for rec in new["recommendation"]:
        for a in rec.get("action", []):
            if a["ref"] == ref:
                action = a
    entry = {"date": TODAY, "by": by}
    if change.percent is not None and action.get("percent") != change.percent:
        action["percent"] = entry["percent"] = change.percent
    if change.status is not None and action.get("status") != change.status:
        action["status"] = entry["status"] = change.status
        if (
            change.status == "complete"
            and change.percent is None
            and action.get("percent", 100) < 100
        ):
            action["percent"] = entry["percent"] = 100
    if change.evidence:
        ev = {"date": TODAY, "text": change.evidence}
        if change.evidence_measure:
            ev["measure"] = change.evidence_measure
        action.setdefault("evidence", []).append(ev)
    if change.extend_to:
        action.setdefault("extension", []).append(
            {"due": change.extend_to, "reason": change.reason, "agreed_on": TODAY, "agreed_by": by}
        )
    if change.request_extension:
        action.setdefault("extension", []).append(
            {
                "due": change.request_extension,
                "reason": change.reason,
                "state": "requested",
                "requested_on": TODAY,
                "requested_by": by,
            }
        )
    if change.milestone:
        ms = action["milestone"][int(change.milestone) - 1]
        if change.milestone_done:
            ms["done"] = True
            if change.milestone_on:
                ms["done_on"] = change.milestone_on
        else:
            if ms.get("done"):
                ms["done"] = False
            ms.pop("done_on", None)
    if change.clear_rag:
        for key in ("rag", "rag_reason", "rag_until"):
            action.pop(key, None)
    if change.rag:
        action["rag"], action["rag_reason"] = change.rag, change.reason
        action.pop("rag_until", None)
        if change.rag_until:
            action["rag_until"] = change.rag_until
    for mid, value in change.readings:
        for ms in action.get("measure", []):
            if ms["id"] == mid:
                ms.setdefault("readings", []).append({"date": TODAY, "value": value})
    if change.note:
        entry["note"] = change.note
    return new, action, entry


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_update_changes_only_that_action(data):
    text, spans, measures = data.draw(plans())
    plan, problems, _ = parse_text(text, Path("p.toml"))
    assert plan is not None, problems
    ref = data.draw(st.sampled_from(sorted(spans)))
    _, action = there(plan.find_action(ref))
    change = data.draw(
        changes(
            measures[ref],
            action.extensions[-1].due if action.extensions else action.due,
            len(action.milestones),
        )
    )
    old = tomllib.loads(text)
    want, want_action, entry = expected_data(old, ref, change, "Lead")
    try:
        new_text = apply_change(text, Path("p.toml"), ref, change, TODAY, "Lead").text
    except EditError as exc:  # only "nothing to change" refusals are acceptable
        assert exc.code in ("no-change", "nothing-to-change", "no-override"), exc
        return
    got = tomllib.loads(new_text)
    got_action = next(
        a for r in got["recommendation"] for a in r.get("action", []) if a["ref"] == ref
    )
    log = got_action["update"][-1]
    assert {k: v for k, v in log.items() if k != "changes"} == entry
    want_action.setdefault("update", []).append(log)
    assert got == want

    # Only the action's own lines change: every edit lies inside its span (or just after it).
    first, last = spans[ref]
    old_lines, new_lines = text.splitlines(), new_text.splitlines()
    while last + 1 < len(old_lines) and old_lines[last + 1] == "":
        last += 1  # a diff may align an inserted block on either side of a blank line
    for tag, i1, i2, _, _ in difflib.SequenceMatcher(
        a=old_lines, b=new_lines, autojunk=False
    ).get_opcodes():
        if tag != "equal":
            assert first <= i1 and i2 <= last + 1, (tag, i1, i2, first, last)
    # and the result is still a valid plan
    assert parse_text(new_text, Path("p.toml"))[0] is not None
