"""Human output for history: the review briefing, one action's story, the list of reviews.

Every RAG move carries its words and an arrow, so it reads on paper and without colour.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from rich.text import Text

from ..api import ref_key
from .events import event_text, measure_words, move_text, quote
from .text import RAG_STYLE, RagStyles, counts_text, pct, rag_text

if TYPE_CHECKING:  # Rich's console and tables are imported only to print through them
    from rich.console import Group
    from rich.table import Table

    from ..api import (
        Changes,
        Event,
        Fact,
        OverrideTold,
        PlanDay,
        PlanSummary,
        RagMove,
        Review,
        Stale,
    )

NO_UPDATE_SHOWN = 15
# A meeting reads the first stale actions and the count; 16,000 lines would hide the rest
# of the briefing (and took Rich ten seconds to print at 20,000 actions).
STALE_SHOWN = 40
RED_SHOWN = 25
NAME_WORDS = 6

# what a person changed; RAG, overdue, stale and complete follow from these and are told
# as moves and flags, and a progress update's note is quoted in its own section
EDIT_FIELDS = (
    "percent",
    "status",
    "due",
    "extension",
    "start",
    "impact",
    "evidence",
    "reading",
    "measure",
    "override",
    "milestones_done",
    "request",
)


def opening_words(text: str | None, words: int = NAME_WORDS) -> str:
    """An action named by its opening words: "Review and improve the focus on …"."""
    parts = (text or "").split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


class _About(Protocol):
    """An item of the changes: about one action (or a plan, with ref "")."""

    @property
    def plan_id(self) -> str: ...

    @property
    def ref(self) -> str: ...


def _who_when(item: object) -> str:
    """ " (2017-05-02, Jo Bloggs)" for an item that says when and who (not all do)."""
    parts: list[str] = []
    when: date | None = getattr(item, "when", None)
    if when:
        parts.append(when.isoformat())
    if hasattr(item, "who"):
        who: str | None = getattr(item, "who")  # noqa: B009
        parts.append(who or "the passing of time")
    return f" ({', '.join(parts)})" if parts else ""


def _record(value: object) -> dict[str, Any]:
    """An event's old or new value when it is a record (JSON read back), else {}."""
    return value if isinstance(value, dict) else {}


def _section(title: str, lines: list[Text], note: str = "", count: int | None = None) -> list[Text]:
    """A heading with how many there are (`count`, when `lines` shows only some), then
    the lines."""
    if not lines:
        return []
    head = Text(f"\n{title} ({len(lines) if count is None else count})", style="bold")
    if note:
        head.append(f" {note}", style="italic")
    return [head, *lines]


class Briefing:
    """What a review is told, built from the changes since it and the plans as they are
    now (for each action's name, why it is red, and the requests awaiting a decision)."""

    def __init__(
        self, ch: Changes, plans: Sequence[PlanDay], styles: RagStyles = RAG_STYLE
    ) -> None:
        self.ch, self.styles, self.plan_days = ch, styles, plans
        self.titles = {p.plan_id: p.title for p in plans}
        self._by_id = {p.plan_id: p for p in plans}
        # each plan's actions by ref, made when a line first names one of its actions (a
        # briefing names a few of 20,000)
        self._facts: dict[str, dict[str, Fact]] = {}

    def fact(self, plan_id: str, ref: str) -> Fact | None:
        """An action as the plans are now, or None."""
        facts = self._facts.get(plan_id)
        if facts is None:
            plan = self._by_id.get(plan_id)
            facts = self._facts[plan_id] = {f.ref: f for f in plan.facts} if plan else {}
        return facts.get(ref)

    def ref(self, plan_id: str, ref: str) -> Text:
        """`  plan:ref  Opening words …  ` for a line about one action."""
        text = Text(f"  {plan_id}:{ref}  " if ref else f"  {plan_id}  ")
        st = self.fact(plan_id, ref)
        if st is not None:
            text.append(opening_words(st.text), style="italic")
            text.append("  ")
        return text

    def line(self, item: _About, *rest: str | Text) -> Text:
        text = self.ref(item.plan_id, item.ref)
        for part in rest:
            text.append_text(part) if isinstance(part, Text) else text.append(part)
        return text

    def rag(self, rag: str | None) -> Text:
        return rag_text(rag, self.styles)

    def moves(self, items: Iterable[RagMove]) -> list[Text]:
        out = []
        for m in items:
            move = move_text(m.old, m.new, m.direction, self.styles)
            out.append(self.line(m, move, _who_when(m)))
        return out

    # -- the sections, in the order a meeting takes them ----------------------------------
    def head(self) -> Text:
        r, ch = self.ch.review, self.ch
        head = Text(f"What changed since review {r.id} of {r.held_on.isoformat()}", style="bold")
        if r.note:
            head.append(f" — {r.note}")
        if ch.today:
            head.append(f", as at {ch.today.isoformat()}")
        return head

    def decisions(self) -> list[Text]:
        lines = []
        for p in self.ch.pending:
            st = self.fact(p.plan_id, p.ref)
            now = f" (due {date.fromordinal(st.due).isoformat()} now)" if st and st.due else ""
            who = f" by {p.requested_by}" if p.requested_by else ""
            on = f" on {p.requested_on}" if p.requested_on else ""
            lines.append(
                self.line(p, f"asks for a new due date of {p.due}{now}{who}{on}: {quote(p.reason)}")
            )
        return _section(
            "Decisions needed: new due dates asked for", lines, "(agree or refuse each)"
        )

    def red_now(self) -> list[Text]:
        was = {(m.plan_id, m.ref): m for m in self.ch.rag_moves}
        asked = {(p.plan_id, p.ref) for p in self.ch.pending}
        shown: list[tuple[str, Fact]] = []  # the first RED_SHOWN, by plan, then by ref
        count = 0
        for plan in self.plan_days:
            reds = [f for f in plan.facts if f.rag == "red"]
            count += len(reds)
            if len(shown) < RED_SHOWN:
                reds.sort(key=lambda f: ref_key(f.ref))
                shown += [(plan.plan_id, f) for f in reds[: RED_SHOWN - len(shown)]]
        lines = []
        for pid, fact in shown:
            ref = fact.ref
            t = self.ref(pid, ref)
            t.append(fact.why)
            moved = was.get((pid, ref))
            if moved is not None:
                t.append("  new since the review (was ")
                t.append_text(self.rag(moved.old))
                t.append(")")
            if (pid, ref) in asked:
                t.append("; a new due date is asked for (above)")
            lines.append(t)
        if count > RED_SHOWN:
            lines.append(
                Text(
                    f"  … and {count - RED_SHOWN} more (`improve actions --rag red` lists all)",
                    style="italic",
                )
            )
        return _section("Red now, and why", lines)

    def plans(self) -> list[Text]:
        parts = []
        for plan_id, then, now in self.ch.plans:
            line = Text(f"\n{self.titles.get(plan_id, plan_id)}\n", style="bold")
            if then and now:
                line.append(
                    f"  {pct(then.percent)} → {pct(now.percent)} complete · "
                    f"{then.complete} → {now.complete} of {now.total} actions complete · "
                    f"overdue {then.overdue} → {now.overdue}\n  now: "
                )
                line.append_text(counts_text(now.counts, self.styles))
                line.append("   then: ")
                line.append_text(counts_text(then.counts, self.styles))
            elif now:
                line.append("  new since the review: ")
                line.append_text(counts_text(now.counts, self.styles))
            else:
                line.append("  no longer in the plans folder")
            parts.append(line)
        return parts

    def notes(self) -> list[Text]:
        lines = []
        seen = set()
        for e in sorted(
            (e for e in self.ch.events or [] if e.field == "update" and _record(e.new).get("note")),
            key=lambda e: (e.plan_id, ref_key(e.ref), e.happened_on),
        ):
            new = _record(e.new)
            key = (e.plan_id, e.ref, new.get("date"), new.get("note"))
            if key in seen:
                continue
            seen.add(key)
            t = self.ref(e.plan_id, e.ref)
            who = new.get("by") or e.who or "unknown"
            t.append(f"\n      {new.get('date') or e.happened_on.isoformat()}, {who}: ")
            t.append(quote(new.get("note"), 400))
            lines.append(t)
        return _section("Progress notes since the review", lines)

    def edits(self) -> list[Text]:
        lines = []
        for e in self.ch.events or []:
            if (e.kind == "edit" and e.field in EDIT_FIELDS) or e.kind in ("added", "removed"):
                t = self.ref(e.plan_id, e.ref)
                t.append_text(event_text(e, self.styles))
                t.append(f" ({e.happened_on.isoformat()}, {e.who or 'unknown'})")
                lines.append(t)
        return _section("Changes recorded (who and when)", lines)

    def rest(self) -> list[Text]:
        ch = self.ch
        parts: list[Text] = []
        parts += _section("Moved up", self.moves(ch.moved_up))
        parts += _section("Moved down", self.moves(ch.moved_down))
        parts += _section(
            "Dropped or reinstated",
            self.moves([m for m in ch.rag_moves if m.direction in ("dropped", "reinstated")]),
        )
        parts += _section(
            "Newly overdue",
            [self.line(f, f"due {f.next_due or '–'}", _who_when(f)) for f in ch.newly_overdue],
        )
        parts += _section(
            "Newly complete", [self.line(f, _who_when(f).strip()) for f in ch.newly_complete]
        )
        parts += _section(
            "Dates slipped (extensions agreed, or the original rewritten by hand)",
            [
                self.line(
                    s,
                    f"{s.old_due or '–'} → {s.new_due or '–'}"
                    + (
                        f": {s.reason}{_who_when(s)}"
                        if s.by_hand
                        else (f": {quote(s.reason)}" if s.reason else "")
                        + (f" (agreed by {s.agreed_by})" if s.agreed_by else "")
                    ),
                )
                for s in ch.slipped
            ],
        )
        parts += _section(
            "New evidence",
            [
                self.line(
                    e,
                    f"{e.added} new; latest {e.latest_date}: {quote(e.latest_text)}" + _who_when(e),
                )
                for e in ch.new_evidence
            ],
        )
        parts += _section(
            "New measure readings",
            [
                self.line(
                    n,
                    f"{n.measure}: {n.old['value'] if n.old else '–'} → "
                    f"{n.new['value'] if n.new else '–'}" + _who_when(n),
                )
                for n in ch.new_readings
            ],
        )
        parts += _section(
            "Measures of the plans and their recommendations",
            [
                self.line(n, measure_words(n.old, n.new), _who_when(n))
                for n in getattr(ch, "measure_moves", ())  # a Changes from before measures
            ],
        )
        parts += _section(
            "Colour set by hand: added, lapsed or removed",
            [self.line(o, o.change + _override_words(o.new or o.old)) for o in ch.overrides],
        )
        stale = ch.stale
        shown_stale = [self.line(s, _stale_words(s)) for s in stale[:STALE_SHOWN]]
        if len(stale) > STALE_SHOWN:
            newly = sum(s.newly for s in stale)
            shown_stale.append(
                Text(
                    f"  … and {len(stale) - STALE_SHOWN} more: {len(stale)} stale in all, "
                    f"{newly} of them since the review (`improve actions --stale` lists "
                    "them; --json has every one)",
                    style="italic",
                )
            )
        parts += _section(
            "Stale: no activity for longer than the plan allows", shown_stale, count=len(stale)
        )
        quiet = ch.no_update
        if quiet:
            shown = [
                self.line(q, f"last activity {q.last_activity or 'none recorded'}")
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
                Text(
                    f"\nNo update since the review ({len(quiet)} open "
                    f"action{'s' if len(quiet) != 1 else ''})",
                    style="bold",
                ),
                *shown,
            ]
        parts += _section("Actions added", [self.line(a) for a in ch.added])
        parts += _section("Actions removed", [self.line(a) for a in ch.removed])
        return parts

    def parts(self) -> list[Text]:
        top = self.decisions() + self.red_now()
        moved = self.notes() + self.edits() + self.rest()
        parts = [self.head(), *top, *self.plans(), *moved]
        if not moved and not self.ch.pending:
            parts.append(Text("\nNothing has moved since the review.", style="italic"))
        return parts

    def render(self) -> Group:
        from rich.console import Group

        return Group(*self.parts())


def _override_words(said: OverrideTold | None) -> str:
    """ ": AMBER — “reason”" for a colour set by hand."""
    if said is None:
        return f":  — {quote(None)}"
    return f": {said['rag'].upper()} — {quote(said['reason'])}"


def _stale_words(s: Stale) -> str:
    since = f"no activity since {s.last_activity}" if s.last_activity else "no activity recorded"
    return since + ("; it was not stale at the review" if s.newly else "; stale at the review too")


def changes_briefing(ch: Changes, plans: Sequence[PlanDay], styles: RagStyles = RAG_STYLE) -> Group:
    """The briefing for a review: decisions and red actions first, then what moved; each
    action named and its colour said from the plans as they are now (api.day_view, or
    api.status_view of the rules' results: one record type either way)."""
    return Briefing(ch, plans, styles).render()


def briefing_parts(
    ch: Changes, plans: Sequence[PlanDay], styles: RagStyles = RAG_STYLE
) -> list[Text]:
    """The briefing's lines of text, as `changes_briefing` groups them (present.plain_text
    writes them without Rich's console where no style is shown)."""
    return Briefing(ch, plans, styles).parts()


def history_table(target: str, events: Iterable[Event], styles: RagStyles = RAG_STYLE) -> Table:
    from rich import box
    from rich.table import Table

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
        what = event_text(e, styles)
        who = e.who or ("the passing of time" if e.kind == "time" else "–")
        if e.commit:
            who += f"\ncommit {e.commit[:7]}"
        table.add_row(e.happened_on.isoformat(), Text(who), what)  # plan text only as Text
    return table


def reviews_table(reviews: Iterable[Review]) -> Table:
    from rich import box
    from rich.table import Table

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


def as_of_table(summaries: Iterable[PlanSummary], day: date) -> Table:
    from rich import box
    from rich.table import Table

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
