"""Human output for history: the review briefing, one action's story, the list of reviews.

Every RAG move carries its words and an arrow, so it reads on paper and without colour.
"""

from __future__ import annotations

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from .text import counts_text, pct, rag_text

ARROW = {"up": "▲", "down": "▼", "dropped": "–", "reinstated": "+"}
NO_UPDATE_SHOWN = 15


def move_text(old: str | None, new: str | None, direction: str) -> Text:
    text = Text(f"{ARROW.get(direction, '')} ")
    text.append_text(rag_text(old))
    text.append(" → ")
    text.append_text(rag_text(new))
    return text


def _who_when(item) -> str:
    parts = []
    when = getattr(item, "when", None)
    if when:
        parts.append(when.isoformat())
    if hasattr(item, "who"):
        parts.append(item.who or "the passing of time")
    return f" ({', '.join(parts)})" if parts else ""


# what a person changed; RAG, overdue, stale and complete follow from these and are told
# as moves and flags, and a new update entry is the change itself
EDIT_FIELDS = (
    "percent",
    "status",
    "due",
    "extension",
    "start",
    "impact",
    "evidence",
    "reading",
    "override",
    "milestones_done",
)


def edits(events) -> list[Text]:
    out = []
    for e in events:
        if e.kind == "edit" and e.field in EDIT_FIELDS:
            out.append(
                Text(
                    f"  {e.plan_id}:{e.ref}  {e.field}: {_value(e.field, e.old)} → "
                    f"{_value(e.field, e.new)} ({e.happened_on.isoformat()}, "
                    f"{e.who or 'unknown'})"
                )
            )
        elif e.kind in ("added", "removed"):
            out.append(
                Text(
                    f"  {e.plan_id}:{e.ref}  action {e.kind} ({e.happened_on.isoformat()}, "
                    f"{e.who or 'unknown'})"
                )
            )
    return out


def _section(title: str, lines: list[Text]) -> list:
    if not lines:
        return []
    head = Text(f"\n{title} ({len(lines)})", style="bold")
    return [head, *lines]


def changes_briefing(ch, titles: dict[str, str]) -> Group:
    r = ch.review
    head = Text(f"What changed since review {r.id} of {r.held_on.isoformat()}", style="bold")
    if r.note:
        head.append(f" — {r.note}")
    if ch.today:
        head.append(f", as at {ch.today.isoformat()}")
    parts: list = [head]
    for plan_id, then, now in ch.plans:
        line = Text(f"\n{titles.get(plan_id, plan_id)}\n", style="bold")
        if then and now:
            line.append(
                f"  {pct(then.percent)} → {pct(now.percent)} complete · "
                f"{then.complete} → {now.complete} of {now.total} actions complete · "
                f"overdue {then.overdue} → {now.overdue}\n  now: "
            )
            line.append_text(counts_text(now.counts))
            line.append("   then: ")
            line.append_text(counts_text(then.counts))
        elif now:
            line.append("  new since the review: ")
            line.append_text(counts_text(now.counts))
        else:
            line.append("  no longer in the plans folder")
        parts.append(line)

    def ref(item) -> str:
        return f"  {item.plan_id}:{item.ref}  "

    def moves(items) -> list[Text]:
        out = []
        for m in items:
            t = Text(ref(m))
            t.append_text(move_text(m.old, m.new, m.direction))
            t.append(_who_when(m))
            out.append(t)
        return out

    parts += _section("Changes recorded (who and when)", edits(ch.events or []))
    parts += _section("Moved up", moves(ch.moved_up))
    parts += _section("Moved down", moves(ch.moved_down))
    parts += _section(
        "Dropped or reinstated",
        moves([m for m in ch.rag_moves if m.direction in ("dropped", "reinstated")]),
    )
    parts += _section(
        "Newly overdue", [Text(ref(f) + f"due {f.next_due or '–'}") for f in ch.newly_overdue]
    )
    parts += _section(
        "Newly complete", [Text(ref(f) + _who_when(f).strip()) for f in ch.newly_complete]
    )
    parts += _section(
        "Dates slipped (extensions agreed)",
        [
            Text(
                ref(s)
                + f"{s.old_due or '–'} → {s.new_due or '–'}"
                + (f": {s.reason}" if s.reason else "")
                + (f" (agreed by {s.agreed_by})" if s.agreed_by else "")
            )
            for s in ch.slipped
        ],
    )
    parts += _section(
        "New evidence",
        [
            Text(
                ref(e)
                + f"{e.added} new; latest {e.latest_date}: {e.latest_text or ''}"
                + _who_when(e)
            )
            for e in ch.new_evidence
        ],
    )
    parts += _section(
        "New measure readings",
        [
            Text(
                ref(n) + f"{n.measure}: {(n.old or {}).get('value', '–')} → "
                f"{(n.new or {}).get('value', '–')}" + _who_when(n)
            )
            for n in ch.new_readings
        ],
    )
    parts += _section(
        "Colour set by hand: added, lapsed or removed",
        [
            Text(
                ref(o)
                + o.change
                + (
                    f": {(o.new or o.old or {}).get('rag', '')} — "
                    f"{(o.new or o.old or {}).get('reason', '')}"
                )
            )
            for o in ch.overrides
        ],
    )
    parts += _section(
        "Stale (no activity for too long)",
        [
            Text(
                ref(s)
                + f"last activity {s.last_activity or 'none'}"
                + (" — newly stale" if s.newly else "")
            )
            for s in ch.stale
        ],
    )
    quiet = ch.no_update
    if quiet:
        shown = [
            Text(ref(q) + f"last activity {q.last_activity or 'none'}")
            for q in quiet[:NO_UPDATE_SHOWN]
        ]
        if len(quiet) > NO_UPDATE_SHOWN:
            shown.append(
                Text(
                    f"  … and {len(quiet) - NO_UPDATE_SHOWN} more (--json lists all)",
                    style="italic",
                )
            )
        parts += [
            Text(f"\nNo update since the review ({len(quiet)} open actions)", style="bold"),
            *shown,
        ]
    parts += _section("Actions added", [Text(ref(a)) for a in ch.added])
    parts += _section("Actions removed", [Text(ref(a)) for a in ch.removed])
    if len(parts) == 1 + len(ch.plans):
        parts.append(Text("\nNothing has moved since the review.", style="italic"))
    return Group(*parts)


def _value(field: str | None, value) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items() if v not in (None, "", []))
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if field == "rag" or field is None:
        return str(value).upper() if isinstance(value, str) else str(value)
    return str(value)


def history_table(target: str, events) -> Table:
    table = Table(
        title=Text(f"History of {target}, oldest first"),
        title_justify="left",
        title_style="bold",
        box=box.SIMPLE_HEAD,
        expand=True,
    )
    table.add_column("Date", no_wrap=True)
    table.add_column("Who", ratio=1)
    table.add_column("What", ratio=3)
    for e in events:
        if e.kind == "baseline":
            what = Text("first recorded: ")
            state = e.new or {}
            what.append_text(rag_text(state.get("rag")))
            what.append(f", {state.get('percent', 0)}% done, status {state.get('status', '–')}")
        elif e.kind in ("added", "removed"):
            what = Text(f"action {e.kind}")
        elif e.field == "rag":
            what = move_text(e.old, e.new, _direction(e.old, e.new))
        else:
            what = Text(f"{e.field}: {_value(e.field, e.old)} → {_value(e.field, e.new)}")
        who = e.who or ("the passing of time" if e.kind == "time" else "–")
        table.add_row(e.happened_on.isoformat(), Text(who), what)  # plan text only as Text
    return table


def _direction(old, new) -> str:
    from ..history import direction

    try:
        return direction(old, new)
    except KeyError:
        return ""


def reviews_table(reviews) -> Table:
    table = Table(
        title="Reviews, oldest first",
        title_justify="left",
        title_style="bold",
        box=box.SIMPLE_HEAD,
        expand=True,
    )
    table.add_column("Id", no_wrap=True, justify="right")
    table.add_column("Date", no_wrap=True)
    table.add_column("Note", ratio=2)
    table.add_column("Plans then", ratio=3)
    for r in reviews:
        plans = Text()
        for p in r.plans:
            plans.append(f"{p.plan_id}: {pct(p.percent)} · ")
            plans.append_text(counts_text(p.counts))
            plans.append("\n")
        note = r.note or ""
        if r.attendees:
            note += f"\n({', '.join(r.attendees)})"
        table.add_row(str(r.id), r.held_on.isoformat(), Text(note), plans)
    return table


def as_of_table(summaries, day) -> Table:
    table = Table(
        title=f"Plans as recorded on or before {day.isoformat()}",
        title_justify="left",
        title_style="bold",
        box=box.SIMPLE_HEAD,
        expand=True,
    )
    table.add_column("RAG", no_wrap=True)
    table.add_column("Done", no_wrap=True, justify="right")
    table.add_column("Plan", ratio=2)
    table.add_column("Recorded", no_wrap=True)
    table.add_column("Actions by RAG", ratio=2)
    for p in summaries:
        table.add_row(
            rag_text(p.rag),
            pct(p.percent),
            Text(p.title or p.plan_id),
            p.on_date.isoformat(),
            counts_text(p.counts),
        )
    return table
