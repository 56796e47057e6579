"""What the update form's boxes hold, and what they mean to the library: the `Change` they
ask for, who decided, and the percent in words before it is saved. No widget here."""

from __future__ import annotations

from dataclasses import dataclass

from ..api import Change, EditError, parse_percent

QUICK = (0, 25, 50, 75, 100)  # the quick choices: each fills the percent box
# the values `update --impact` takes, in words (model.IMPACTS holds them)
IMPACT_WORDS = {
    "yes": "yes: it is making a difference",
    "partly": "partly: some difference so far",
    "no": "no: no difference yet",
    "too-early": "too early to tell",
    "n/a": "n/a: it is not meant to make one itself",
}
NOT_A_PERCENT = "Not a percent: type a whole number from 0 to 100"


def percent_says(typed: str, now: int | None) -> str:
    """What the form will save for the percent typed, in words, read by the library's own
    `parse_percent` (as the save reads it: "40", "40%" and " 40 % " are 40): said before
    anything is saved."""
    if not typed.strip():
        if now is None:
            return "No percent recorded yet: type one, or leave it blank"
        return f"Percent unchanged (now {now}%): type a new one, or leave it"
    try:
        percent = parse_percent(typed)
    except EditError:
        return NOT_A_PERCENT
    return f"Will save: {percent}%" + (" (as now)" if percent == now else "")


@dataclass
class FormValues:
    """What was typed, kept so that nothing is lost if saving fails."""

    percent: str = ""
    status: str | None = None
    impact: str | None = None
    impact_note: str = ""
    note: str = ""
    evidence: str = ""
    link: str = ""
    extend_to: str = ""
    reason: str = ""
    evidence_measure: str | None = None
    reading_measure: str | None = None
    reading_value: str = ""
    date_kind: str = "request"  # the new due date is asked for ("request") or agreed ("agree")
    decision: str | None = None  # on a pending request: "agree" | "refuse"
    decided_by: str | None = None  # who agreed or refused (None: the person using the app)
    milestone: str | None = None  # "N:done" | "N:not-done"
    milestone_on: str = ""
    rag: str | None = None  # red | amber | green | "clear"
    rag_reason: str = ""
    rag_until: str = ""


def to_change(v: FormValues) -> Change:
    """The change the form asks for, checked by the library (EditError names the field)."""
    readings = (
        [(v.reading_measure, v.reading_value)] if v.reading_value or v.reading_measure else []
    )
    milestone, _, done = (v.milestone or "").partition(":")
    colour = v.rag if v.rag != "clear" else None
    dated = bool(v.extend_to) or (v.decision == "refuse" and bool(v.reason))
    if colour and dated:
        raise EditError(
            "a colour set by hand and a new due date each need a reason of their own: "
            "save one, then the other",
            code="one-at-a-time",
            field="rag",
        )
    change = Change.from_text(
        percent=v.percent,
        status=v.status,
        impact=v.impact,
        impact_note=v.impact_note,
        note=v.note,
        evidence=v.evidence,
        link=v.link,
        evidence_measure=v.evidence_measure,
        readings=readings,
        extend_to=v.extend_to if v.date_kind == "agree" else None,
        request_extension=v.extend_to if v.date_kind != "agree" else None,
        decide_extension=v.decision,
        reason=v.rag_reason if colour else v.reason,
        milestone=milestone or None,
        milestone_done=(done == "done") if milestone else None,
        milestone_on=v.milestone_on,
        rag=colour,
        rag_until=v.rag_until,
        clear_rag=v.rag == "clear",
    )
    if not colour and v.rag_reason:
        raise EditError(
            "a colour reason goes with choosing a colour by hand", code="needs-rag", field="rag"
        )
    change.check()
    return change


def decider(v: FormValues) -> str | None:
    """Who the form says decided, when it records a decision (agreed or refused, or a new
    date agreed already); None for the person using the app."""
    deciding = v.decision is not None or (bool(v.extend_to) and v.date_kind == "agree")
    return (v.decided_by or "").strip() or None if deciding else None
