"""What a person asked to change in one action, and what can be known wrong about it
before the file is read.

A `Change` comes from typed text (`Change.from_text`: the command line and the form
both call it) and is checked on its own (`Change.check`); `editing.plan_change` then
works it out on the plan's data.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from ..errors import EditError, ImproveError
from ..plans.dates import parse_day
from ..plans.vocab import IMPACTS, OVERRIDE_COLOURS, STATUSES

# The fields of a change, in the words a message uses for them.
FIELD_WORDS = {
    "percent": "the percent",
    "status": "the status",
    "impact": "the impact",
    "impact_note": "the impact note",
    "note": "the note",
    "evidence": "the evidence",
    "link": "the evidence link",
    "evidence_measure": "the evidence's measure",
    "readings": "the reading",
    "extend_to": "the new due date",
    "reason": "the reason",
    "milestone": "the milestone",
    "rag": "the colour set by hand",
}

# What a reason can go with: the one of these a change has is what the reason is for.
REASON_OWNERS = {
    "extend_to": "an agreed new due date",
    "request_extension": "a request for a new due date",
    "rag": "a colour set by hand",
    "refuse": "a refused request",
}
DECISIONS = ("agree", "refuse")


_PERCENT = re.compile(r"([0-9]{1,3})(?:\.0+)?\s*%?")


def parse_percent(text: str) -> int:
    """A percent as a person types it: "75", "75%", " 75 % " (and "75.0", as a
    spreadsheet writes it) are 75. A whole number from 0 to 100, or EditError (field
    "percent") saying what was typed: "75.5", "3/4", "seventy" and "150" are refused,
    never rounded or clipped."""
    typed = text.strip() if isinstance(text, str) else ""
    found = _PERCENT.fullmatch(typed)
    if found is None:
        shown = " ".join(typed.split())[:40]
        raise EditError(
            f'the percent must be a whole number from 0 to 100, not "{shown}"',
            code="bad-value",
            field="percent",
        )
    number = int(found[1])
    if number > 100:
        raise EditError(
            f"the percent must be from 0 to 100, not {number}",
            code="bad-value",
            field="percent",
            number=number,
        )
    return number


@dataclass
class Change:
    """What a person asked to change in one action. Text fields hold what was typed."""

    percent: int | None = None
    status: str | None = None
    impact: str | None = None
    impact_note: str | None = None
    note: str | None = None
    evidence: str | None = None
    link: str | None = None
    evidence_measure: str | None = None
    readings: list[tuple[str, float]] = field(default_factory=list)
    extend_to: date | None = None  # an extension agreed there and then
    reason: str | None = None  # for the extension, the request, the override or a refusal
    milestone: str | None = None  # its label, or its number from 1 in file order
    milestone_done: bool | None = None  # True: done; False: not done after all
    milestone_on: date | None = None  # the day it was done, when given
    rag: str | None = None  # a colour set by hand
    rag_until: date | None = None  # the day the colour set by hand lapses after
    clear_rag: bool = False
    request_extension: date | None = None  # a new due date asked for
    decide_extension: str | None = None  # "agree" | "refuse" the latest request

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
            or self.milestone
            or self.rag
            or self.clear_rag
            or self.request_extension
            or self.decide_extension
        )

    def reason_for(self) -> list[str]:
        """What in this change a reason would belong to, in words."""
        owners = []
        for name, option in REASON_OWNERS.items():
            if name == "refuse":
                if self.decide_extension == "refuse":
                    owners.append(option)
            elif getattr(self, name):
                owners.append(option)
        return owners

    @classmethod
    def from_text(
        cls,
        *,
        percent: str | int | None = None,
        status: str | None = None,
        impact: str | None = None,
        impact_note: str | None = None,
        note: str | None = None,
        evidence: str | None = None,
        link: str | None = None,
        evidence_measure: str | None = None,
        readings: Sequence[tuple[str | None, str]] = (),
        extend_to: str | date | None = None,
        reason: str | None = None,
        milestone: str | int | None = None,
        milestone_done: bool | None = None,
        milestone_on: str | date | None = None,
        rag: str | None = None,
        rag_until: str | date | None = None,
        clear_rag: bool = False,
        request_extension: str | date | None = None,
        decide_extension: str | None = None,
    ) -> Change:
        """A change from what was typed (blank means "not given"); EditError names the
        field that cannot be read. Call `check` on the result before using it."""

        def text(value: str | None) -> str | None:
            value = value.strip() if isinstance(value, str) else value
            return value or None

        def day(value: str | date | None, name: str) -> date | None:
            if isinstance(value, date) or value is None:
                return value
            if text(value) is None:
                return None
            try:
                return parse_day(str(value))
            except ImproveError as exc:
                raise EditError(exc.message, code="bad-value", field=name) from None

        change = cls(
            status=text(status),
            impact=text(impact),
            impact_note=text(impact_note),
            note=text(note),
            evidence=text(evidence),
            link=text(link),
            evidence_measure=text(evidence_measure),
            reason=text(reason),
            milestone=text(str(milestone)) if milestone is not None else None,
            milestone_done=milestone_done,
            rag=(text(rag) or "").lower() or None,
            clear_rag=clear_rag,
            decide_extension=text(decide_extension),
        )
        if isinstance(percent, int):
            change.percent = percent
        elif text(percent) is not None:
            change.percent = parse_percent(str(percent))
        for typed_measure, typed_value in readings:
            measure, value = text(typed_measure), text(typed_value)
            if not measure or not value:
                raise EditError(
                    "a reading needs both the measure and its value",
                    code="bad-value",
                    field="readings",
                )
            try:
                number = float(value)
            except ValueError:
                raise EditError(
                    f'the reading "{value}" is not a number', code="bad-value", field="readings"
                ) from None
            change.readings.append((measure, int(number) if number.is_integer() else number))
        change.extend_to = day(extend_to, "extend_to")
        change.milestone_on = day(milestone_on, "milestone_on")
        change.rag_until = day(rag_until, "rag_until")
        change.request_extension = day(request_extension, "request_extension")
        return change

    def check(self) -> None:
        """What can be known to be wrong without the file; EditError names the field."""
        if self.percent is not None and not 0 <= self.percent <= 100:
            raise EditError(
                f"the percent must be from 0 to 100, not {self.percent}",
                code="bad-value",
                field="percent",
            )
        for name, allowed in (
            ("status", STATUSES),
            ("impact", IMPACTS),
            ("rag", OVERRIDE_COLOURS),
            ("decide_extension", DECISIONS),
        ):
            value = getattr(self, name)
            if value is not None and value not in allowed:
                raise EditError(
                    f'{name.replace("_", " ")} must be one of {", ".join(allowed)}, not "{value}"',
                    code="bad-value",
                    field=name,
                )
        for name, words in FIELD_WORDS.items():
            value = getattr(self, name)
            values = [mid for mid, _ in value] if name == "readings" else [value]
            for v in values:
                if isinstance(v, str) and not is_text(v):
                    raise EditError(
                        f"{words} has characters that are not text (a byte that is not UTF-8, "
                        "or a control character); type it again",
                        code="bad-text",
                        field=name,
                    )
        for measure, number in self.readings:
            if not math.isfinite(number):
                raise EditError(
                    f'the reading for "{measure}" must be a finite number, not {number}',
                    code="bad-value",
                    field="readings",
                )
        if (self.link or self.evidence_measure) and not self.evidence:
            raise EditError(
                "a link or a measure belongs to a piece of evidence: say what the evidence is too",
                code="needs-evidence",
                field="evidence",
            )
        self._check_milestone()
        self._check_reasons()
        if self.is_empty():
            raise EditError(
                "nothing to change: give a percent, a status, a note, evidence, a measure "
                "reading, a milestone done, a colour set by hand or a new due date",
                code="nothing-to-change",
            )

    def _check_milestone(self) -> None:
        if self.milestone and self.milestone_done is None:
            raise EditError(
                "say whether the milestone is done or not done",
                code="needs-done",
                field="milestone_done",
            )
        if self.milestone_done is not None and not self.milestone:
            raise EditError(
                "say which milestone: its number from 1, or the start of its label",
                code="needs-milestone",
                field="milestone",
            )
        if self.milestone_on is not None and self.milestone_done is not True:
            raise EditError(
                "the day a milestone was done goes with marking it done",
                code="needs-done",
                field="milestone_on",
            )

    def _check_reasons(self) -> None:
        dated = [
            words
            for words, value in (
                ("an agreed new due date", self.extend_to),
                ("a request for a new due date", self.request_extension),
                ("a decision on a request", self.decide_extension),
            )
            if value
        ]
        if len(dated) > 1:
            raise EditError(
                f"give {' or '.join(dated)}, not both: each changes the due date in a "
                "different way",
                code="one-at-a-time",
                field="extend_to",
            )
        if self.rag and self.clear_rag:
            raise EditError(
                "set a colour by hand or clear it, not both",
                code="one-at-a-time",
                field="rag",
            )
        if self.rag_until is not None and not self.rag:
            raise EditError(
                "the day a colour set by hand lapses goes with setting the colour",
                code="needs-rag",
                field="rag_until",
            )
        owners = self.reason_for()
        if len(owners) > 1:
            raise EditError(
                f"{' and '.join(owners)} each need a reason of their own: make them as "
                "separate updates",
                code="one-at-a-time",
                field="reason",
            )
        if self.reason and not owners:
            raise EditError(
                "a reason goes with a new due date (asked for or agreed), a colour set by "
                "hand or a refused request",
                code="needs-date",
                field="extend_to",
            )
        if not self.reason:
            for name, words in (
                ("extend_to", "an extension needs a reason"),
                ("request_extension", "a request for a new due date needs a reason"),
                (
                    "rag",
                    "a colour set by hand needs a reason: say why the computed colour is wrong",
                ),
            ):
                if getattr(self, name):
                    raise EditError(words, code="needs-reason", field="reason")


def is_text(value: str) -> bool:
    """No lone surrogates (undecodable bytes) and no control characters but tab and
    newline (a note may have several lines)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return not any((ord(c) < 32 and c not in "\t\n") or 127 <= ord(c) < 160 for c in value)
