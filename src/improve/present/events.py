"""One recorded change, told as a sentence a meeting can read ("asked for a new due date of
2018-03-31: …", "progress update: «…»"), never as a dump of fields.

Plan text inside a sentence is plain `Text`: never read as markup.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text

from .text import RAG_STYLE, RagStyles, rag_text

if TYPE_CHECKING:
    from ..api import Event

# A value as the history keeps it in an event (JSON read back): a record (history/told.py,
# history/measure_state.py), written by this or an older improve, so read with .get.
Json = dict[str, Any]
# How a change to one field is told: (old, new) → words.
Sentence = Callable[[Any, Any], str]

ARROW = {"up": "▲", "down": "▼", "dropped": "–", "reinstated": "+"}
IMPACT_WORDS = {
    "yes": "making a difference",
    "partly": "partly making a difference",
    "no": "not making a difference",
    "too-early": "too early to say",
    "n/a": "not applicable",
}


def quote(text: str | None, limit: int = 160) -> str:
    """Plan text quoted on one line, cut at `limit` characters."""
    flat = " ".join((text or "").split())
    if len(flat) > limit:
        flat = flat[: limit - 1].rstrip() + "…"
    return f"“{flat}”"


def _words(value: str | None) -> str:
    return (value or "none").replace("-", " ")


def move_text(
    old: str | None, new: str | None, direction: str, styles: RagStyles = RAG_STYLE
) -> Text:
    text = Text(f"{ARROW.get(direction, '')} ")
    text.append_text(rag_text(old, styles))
    text.append(" → ")
    text.append_text(rag_text(new, styles))
    return text


def _direction(old: str | None, new: str | None) -> str:
    from ..api import direction

    try:
        return direction(old, new)
    except KeyError:
        return ""


def _flag(new: object, yes: str, no: str) -> str:
    return yes if new else no


def _request(old: Json | None, new: Json | None) -> str:
    if new is None:
        return "the request for a new due date is no longer in the plan"
    due, state = new.get("due"), new.get("state")
    by = f" by {new['decided_by']}" if new.get("decided_by") else ""
    if state == "requested":
        who = f" ({new['requested_by']})" if new.get("requested_by") else ""
        return f"asked for a new due date of {due}{who}: {quote(new.get('reason'))}"
    if state == "agreed":
        return f"new due date of {due} agreed{by}"
    why = f": {quote(new.get('refused_reason'))}" if new.get("refused_reason") else ""
    return f"new due date of {due} refused{by}{why}"


def _override(old: Json | None, new: Json | None) -> str:
    if new is None:
        return f"colour set by hand ({(old or {}).get('rag', '').upper()}) taken away"
    if old and old.get("in_force") and not new.get("in_force") and old.get("rag") == new.get("rag"):
        return f"colour set by hand ({new['rag'].upper()}) lapsed on {new.get('until')}"
    until = f" until {new['until']}" if new.get("until") else ""
    return f"colour set by hand to {new['rag'].upper()}{until}: {quote(new.get('reason'))}"


def _extension(old: Json | None, new: Json | None) -> str:
    if new is None:
        return "extension taken out of the plan"
    by = f" by {new['agreed_by']}" if new.get("agreed_by") else ""
    return f"extension agreed{by} to {new.get('due')}: {quote(new.get('reason'))}"


def _update(old: Json | None, new: Json | None) -> str:
    if new is None:
        return "progress updates taken out of the plan"
    added = new.get("count", 0) - (old or {}).get("count", 0)
    who = f" by {new['by']}" if new.get("by") else ""
    head = "progress update" if added <= 1 else f"{added} progress updates, the latest"
    return f"{head}{who}" + (f": {quote(new.get('note'))}" if new.get("note") else "")


def _evidence(old: Json | None, new: Json | None) -> str:
    if new is None:
        return "evidence taken out of the plan"
    added = new.get("count", 0) - (old or {}).get("count", 0)
    if added <= 0:
        return f"evidence changed: {quote(new.get('text'))}"
    head = "evidence added" if added == 1 else f"{added} pieces of evidence added, the latest"
    return f"{head}: {quote(new.get('text'))}"


def _reading(old: Json | None, new: Json | None) -> str:
    if new is None:
        return f"reading of {(old or {}).get('measure')} taken out of the plan"
    was = f" (was {old['value']:g})" if old and isinstance(old.get("value"), int | float) else ""
    value = new.get("value")
    shown = f"{value:g}" if isinstance(value, int | float) else str(value)
    return f"{new.get('measure')} measured at {shown} on {new.get('date')}{was}"


def _figure(value: object) -> str:
    return f"{value:g}" if isinstance(value, int | float) else "–"


def _comparators(c: Json | None, day: str | None) -> str:
    """ "; England 310.5, region 316.5" (with its date when not the reading's)."""
    if not c:
        return ""
    said = [f"{name} {_figure(c.get(key))}" for name, key in
            (("England", "england"), ("region", "region"), ("neighbours", "neighbours"))
            if c.get(key) is not None]  # fmt: skip
    on = "" if c.get("date") == day else f" on {c.get('date')}"
    return f"; {', '.join(said)}{on}" if said else ""


def measure_words(old: Json | None, new: Json | None) -> str:
    """A measure of the plan or of a recommendation that moved (history/measure_state.py):
    "measure cin-rate (recommendation 1): 318.9 → 325.1 on 2021-03-31; England 310.5 …"."""
    about = new or old or {}
    rec = f" (recommendation {about['recommendation']})" if about.get("recommendation") else ""
    head = f"measure {about.get('measure')}{rec}: "
    if new is None:
        return head + "taken out of the plan, or its readings were"
    was = _figure((old or {}).get("value"))
    on = f" on {new.get('date')}" if new.get("date") else ""
    return f"{head}{was} → {_figure(new.get('value'))}{on}{_comparators(new.get('comparators'), new.get('date'))}"


def _milestones(old: int | None, new: int | None) -> str:
    if new and new > (old or 0):
        n = new - (old or 0)
        return f"{'a milestone' if n == 1 else f'{n} milestones'} marked done ({new} done now)"
    return f"a milestone marked not done after all ({new or 0} done now)"


def _plain(name: str) -> Sentence:
    return lambda old, new: f"{name} {old or 'none'} → {new or 'none'}"


SENTENCES: dict[str, Sentence] = {
    "percent": lambda old, new: f"percent complete {old or 0}% → {new or 0}%",
    "status": lambda old, new: f"status {_words(old)} → {_words(new)}",
    "complete": lambda old, new: _flag(new, "complete", "no longer complete"),
    "overdue": lambda old, new: _flag(new, "became overdue", "no longer overdue"),
    "stale": lambda old, new: _flag(
        new, "became stale: no activity for longer than the plan allows", "no longer stale"
    ),
    "start": _plain("start date"),
    "due": _plain("due date in force"),
    "original_due": _plain("original due date"),
    "extension": _extension,
    "milestones_done": _milestones,
    "impact": lambda old, new: (
        f"impact judged {IMPACT_WORDS.get(new or '', new or 'none')}"
        + (f" (was {IMPACT_WORDS.get(old, old)})" if old else "")
    ),
    "evidence": _evidence,
    "reading": _reading,
    "measure": measure_words,
    "update": _update,
    "override": _override,
    "request": _request,
}


def _rag(value: object) -> str | None:
    return value if isinstance(value, str) else None


def event_text(e: Event, styles: RagStyles = RAG_STYLE) -> Text:
    """One event as a sentence."""
    if e.kind == "baseline":
        state: Json = e.new if isinstance(e.new, dict) else {}
        what = Text("first recorded: ")
        what.append_text(rag_text(state.get("rag"), styles))
        what.append(f", {state.get('percent', 0)}% done, status {_words(state.get('status'))}")
        return what
    if e.kind in ("added", "removed"):
        return Text(f"action {e.kind}")
    if e.field == "rag":
        old, new = _rag(e.old), _rag(e.new)
        return move_text(old, new, _direction(old, new), styles)
    tell = SENTENCES.get(e.field or "")
    if tell is None:
        return Text(f"{e.field}: {e.old} → {e.new}")
    return Text(tell(e.old, e.new))
