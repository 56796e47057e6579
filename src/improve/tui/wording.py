"""How the app says what went wrong: the library's errors, in the app's own terms.

The library names no key and no option; the hints here name the app's keys. The
command line has its own wording (`improve.cli.errors`).
"""

from __future__ import annotations

from ..api import ImproveError

HINT = {
    "plan-has-errors": "the errors panel on the first screen lists them",
    "no-review": "press R to record one",
    "history-unusable": "start improve with --db PATH to keep the history in another file",
    "history-newer": "start improve with --db PATH to keep the history in another file",
}

# codes whose whole message the app words in its own terms
REWORD = {
    "nothing-to-change": "nothing to save: change the percent or status, or add a note, "
    "evidence, a reading, a milestone done, a new due date or a colour by hand",
}

# the form's widget for each field of a change
FIELD_WIDGET = {
    "percent": "percent",
    "status": "status",
    "impact": "impact",
    "impact_note": "impact_note",
    "by": "decided_by",
    "note": "note",
    "evidence": "evidence",
    "link": "link",
    "evidence_measure": "evidence_measure",
    "readings": "reading_value",
    "extend_to": "extend_to",
    "request_extension": "extend_to",
    "decide_extension": "decision",
    "reason": "reason",
    "milestone": "milestone",
    "milestone_done": "milestone",
    "milestone_on": "milestone_on",
    "rag": "rag",
    "rag_until": "rag_until",
}


def say(error: ImproveError | str) -> str:
    if isinstance(error, str):
        return error
    message = REWORD.get(error.code, error.message)
    hint = HINT.get(error.code)
    return f"{message}; {hint}" if hint else message


def sentence(note: str) -> str:
    """A note from the library (which starts in lower case, to be quoted) as the app says
    it on its own: with a capital first."""
    return note[:1].upper() + note[1:]
