"""The update form: a modal that returns what the user asked for (or None), never writes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.css.query import NoMatches
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select

from .. import model
from ..api import Change, EditError, ImproveError
from ..present.text import clip
from ..rules import due_in_force, pending_extension
from .base import ImproveModal
from .widgets import FormSelect
from .wording import FIELD_WIDGET, say

QUARTILES = {"0": 0, "1": 25, "2": 50, "3": 75, "4": 100}


class Quartiles(Widget, can_focus=True):
    """0/25/50/75/100 one key each (0–4, or ← →). A quick way to fill the percent box,
    which stays the one place the percent is read from; typing there is never rewritten."""

    BINDINGS = [
        *(Binding(k, f"pick({v})", f"{v}%", show=False) for k, v in QUARTILES.items()),
        Binding("left", "step(-1)", "Less", show=False),
        Binding("right", "step(1)", "More", show=False),
    ]
    DEFAULT_CSS = (
        "Quartiles { height: 1; background: $boost; } Quartiles:focus { background: $accent 40%; }"
    )
    value: reactive[int | None] = reactive(None)

    class Picked(Message):
        def __init__(self, value: int) -> None:
            super().__init__()
            self.value = value

    def render(self) -> Text:
        text = Text()
        for v in QUARTILES.values():
            label = f" {v}% "
            text.append(
                f"[{label}]" if v == self.value else f" {label} ",
                style="reverse bold" if v == self.value else "",
            )
        text.append("  keys 0–4", style="dim")
        return text

    def action_pick(self, value: int) -> None:
        self.value = value
        self.post_message(self.Picked(value))

    def action_step(self, step: int) -> None:
        values = list(QUARTILES.values())
        at = values.index(self.value) if self.value in values else (-1 if step > 0 else len(values))
        self.action_pick(values[max(0, min(len(values) - 1, at + step))])


@dataclass
class FormValues:
    """What was typed, kept so that nothing is lost if saving fails."""

    percent: str = ""
    status: str | None = None
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
    milestone: str | None = None  # "N:done" | "N:not-done"
    milestone_on: str = ""
    rag: str | None = None  # red | amber | green | "clear"
    rag_reason: str = ""
    rag_until: str = ""


@dataclass
class ActionState:
    """What the form offers depends on the action: its milestones, a colour set by hand, a
    request awaiting a decision."""

    milestones: list[model.Milestone] = field(default_factory=list)
    override: str | None = None  # the colour set by hand now
    pending: model.Extension | None = None
    due: date | None = None  # the due date in force

    @classmethod
    def of(cls, action: model.Action | None) -> ActionState:
        if action is None:
            return cls()
        return cls(
            list(action.milestones),
            action.rag,
            pending_extension(action),
            due_in_force(action),
        )


def _pick(options, value, widget_id: str, prompt: str) -> FormSelect:
    """An optional drop-down of the form: blank (its prompt) until something is chosen."""
    return FormSelect(
        options, value=value, id=widget_id, allow_blank=True, compact=True, prompt=prompt
    )


class UpdateForm(ImproveModal[FormValues | None]):
    """Percent (0–4 for 0/25/50/75/100 on the quick keys, or typed exactly), status, note, evidence,
    a measure reading, an extension. `measures` are the (id, text) the action can report on."""

    # The exact box first: a lead types the number they mean ("40" is 40%). The quick
    # keys (0–4 for 0/25/50/75/100) are one shift+tab away. (AUTO_FOCUS, not a query in
    # on_mount: that fails if the app is closing.)
    AUTO_FOCUS = "#percent"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="cancel"),
        Binding("ctrl+s", "save", "Save", id="save"),
        # Moving on is done by the app at once, not after the box being left has had the
        # key: a lead who types ahead (tab, tab, 2017-03-31) puts the date where they
        # meant it, not into a box they have already left.
        Binding("tab", "app.focus_next", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", show=False, priority=True),
    ]

    def __init__(
        self,
        title: str,
        values: FormValues,
        error: ImproveError | str | None = None,
        measures: Sequence[tuple[str, str]] = (),
        state: ActionState | None = None,
    ) -> None:
        super().__init__()
        self.form_title, self.values = title, values
        self.state = state or ActionState()
        self.error = f"Not saved: {say(error)}" if error is not None else None
        self.error_field = getattr(error, "field", None)
        self.measures = list(measures)

    def compose(self) -> ComposeResult:
        v = self.values
        options = [(Text(f"{mid}: {text}"[:60]), mid) for mid, text in self.measures]
        with VerticalScroll(id="form"):
            yield Label(
                Text(f"{self.form_title}  ·  ctrl+s saves  ·  esc cancels"), id="form-title"
            )
            problems = [self.error] if self.error else []
            ids = {mid for mid, _ in self.measures}
            for name in ("evidence_measure", "reading_measure"):  # a measure renamed meanwhile
                chosen = getattr(v, name)
                if chosen is not None and chosen not in ids:
                    problems.append(
                        f'the measure "{chosen}" is no longer in the plan: choose again'
                    )
                    setattr(v, name, None)
            if v.reading_value and not self.measures:
                problems.append(
                    f"this action has no measure now, so the reading {v.reading_value} "
                    "cannot be recorded"
                )
            if problems:
                yield Label(Text("\n".join(problems)), id="form-error")
            with Grid(id="fields"):
                # one line a field, label on the left, so the whole form fits 80×24
                yield Label("Percent")
                yield Quartiles(id="quartiles")
                yield Label("Or exactly")
                yield Input(
                    v.percent,
                    id="percent",
                    restrict=r"[0-9]*",
                    max_length=3,
                    compact=True,
                    placeholder="0–100",
                )
                yield Label("Status")
                yield _pick(
                    [(s, s) for s in model.STATUSES],
                    v.status or Select.NULL,
                    "status",
                    "(follows the percent)",
                )
                yield Label("Progress note")
                yield Input(v.note, id="note", compact=True, placeholder="what has happened")
                yield Label("Evidence")
                yield Input(
                    v.evidence,
                    id="evidence",
                    compact=True,
                    placeholder="what shows it, e.g. Audit of 40 case files",
                )
                yield Label("Evidence link")
                yield Input(
                    v.link,
                    id="link",
                    compact=True,
                    placeholder="URL or path relative to the plan file (optional)",
                )
                if options:
                    yield Label("Evidence for")
                    yield _pick(
                        options,
                        v.evidence_measure or Select.NULL,
                        "evidence_measure",
                        "(which measure it is evidence for: optional)",
                    )
                    yield Label("Reading for")
                    yield _pick(
                        options,
                        v.reading_measure or Select.NULL,
                        "reading_measure",
                        "(a measure, to record its latest value)",
                    )
                    yield Label("Reading value")
                    yield Input(
                        v.reading_value,
                        id="reading_value",
                        placeholder="e.g. 72.5",
                        restrict=r"-?[0-9]*\.?[0-9]*",
                        compact=True,
                    )
                yield from self._milestone_fields()
                yield from self._date_fields()
                yield from self._colour_fields()
            yield Label("", id="form-problem")
            with Horizontal(id="buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="save", compact=True)
                yield Button("Cancel (esc)", id="cancel", compact=True)

    def _milestone_fields(self) -> ComposeResult:
        v, milestones = self.values, self.state.milestones
        if not milestones:
            return
        options = []
        for n, ms in enumerate(milestones, 1):
            due = f" (due {ms.due})" if ms.due else ""
            if ms.done:
                options.append(
                    (Text(clip(f"{n} not done after all: {ms.label}", 54)), f"{n}:not-done")
                )
            else:
                options.append((Text(clip(f"{n} done: {ms.label}{due}", 54)), f"{n}:done"))
        known = {value for _, value in options}
        yield Label("Milestone")
        yield _pick(
            options,
            v.milestone if v.milestone in known else Select.NULL,
            "milestone",
            "(mark a milestone done: optional)",
        )
        yield Label("Done on")
        yield Input(
            v.milestone_on, id="milestone_on", compact=True, placeholder="YYYY-MM-DD (optional)"
        )

    def _date_fields(self) -> ComposeResult:
        v, pending = self.values, self.state.pending
        if pending is not None:
            asked = f"{pending.due}" + (
                f" by {pending.requested_by}" if pending.requested_by else ""
            )
            yield Label("Asked for")
            yield Label(Text(clip(f"{asked}: {pending.reason}", 60)), id="asked-for")
            yield Label("Decision")
            yield _pick(
                [
                    (Text(f"agree: the due date becomes {pending.due}"), "agree"),
                    (Text("refuse: the date stays as it is"), "refuse"),
                ],
                v.decision or Select.NULL,
                "decision",
                "(awaiting a decision)",
            )
            yield Label("Reason")
            yield Input(
                v.reason, id="reason", compact=True, placeholder="why it is refused (optional)"
            )
            return
        now = f" (due {self.state.due} now)" if self.state.due else ""
        yield Label("New due date")
        yield Input(v.extend_to, id="extend_to", placeholder=f"YYYY-MM-DD{now}", compact=True)
        yield Label("The new date is")
        yield FormSelect(
            [
                (Text("asked for: the meeting agrees it"), "request"),
                (Text("agreed already"), "agree"),
            ],
            value=v.date_kind,
            id="date_kind",
            allow_blank=False,
            compact=True,
        )
        yield Label("Reason")
        yield Input(v.reason, id="reason", placeholder="why the date should move", compact=True)

    def _colour_fields(self) -> ComposeResult:
        v = self.values
        options = [(Text(f"{c.upper()}, set by hand"), c) for c in model.OVERRIDE_COLOURS]
        if self.state.override:
            options.append((Text(f"clear the {self.state.override.upper()} set by hand"), "clear"))
        yield Label("Colour by hand")
        yield _pick(options, v.rag or Select.NULL, "rag", "(as the rules work it out)")
        yield Label("Colour reason")
        yield Input(
            v.rag_reason,
            id="rag_reason",
            compact=True,
            placeholder="why the worked-out colour is wrong",
        )
        yield Label("Colour until")
        yield Input(v.rag_until, id="rag_until", compact=True, placeholder="YYYY-MM-DD (optional)")

    def on_quartiles_picked(self, event: Quartiles.Picked) -> None:
        self.query_one("#percent", Input).value = str(event.value)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "percent":  # the quick keys follow what is typed, never the reverse
            typed = event.value.strip()
            self.query_one(Quartiles).value = (
                int(typed) if typed.isdigit() and int(typed) in QUARTILES.values() else None
            )

    def _select(self, sid: str) -> str | None:
        found = self.query(f"#{sid}")
        if not found:
            return None
        value = found.first(Select).value
        return None if value is Select.NULL else str(value)

    def _text(self, iid: str) -> str:
        found = self.query(f"#{iid}")
        return found.first(Input).value.strip() if found else ""

    def collect(self) -> FormValues:
        return FormValues(
            date_kind=self._select("date_kind") or "request",
            decision=self._select("decision"),
            milestone=self._select("milestone"),
            milestone_on=self._text("milestone_on"),
            rag=self._select("rag"),
            rag_reason=self._text("rag_reason"),
            rag_until=self._text("rag_until"),
            evidence_measure=self._select("evidence_measure"),
            reading_measure=self._select("reading_measure"),
            reading_value=self._text("reading_value"),
            percent=self._text("percent"),
            status=self._select("status"),
            note=self._text("note"),
            evidence=self._text("evidence"),
            link=self._text("link"),
            extend_to=self._text("extend_to"),
            reason=self._text("reason"),
        )

    def on_mount(self) -> None:
        if self.error_field:  # a save that failed: the field it concerns has the focus
            self._focus_field(self.error_field)

    def _focus_field(self, name: str) -> None:
        widget = FIELD_WIDGET.get(name, name)
        if name == "reason" and self._select("rag") not in (None, "clear"):
            widget = "rag_reason"  # the colour's reason has a box of its own
        elif name in ("extend_to", "decide_extension") and self.query("#decision"):
            widget = "decision"
        try:
            self.query_one(f"#{widget}").focus()
        except NoMatches:  # not on this form (or the app is closing)
            pass

    def action_save(self) -> None:
        values = self.collect()
        try:
            to_change(values)
        except EditError as exc:
            self.query_one("#form-problem", Label).update(Text(f"Not saved: {say(exc)}"))
            if exc.field:
                self._focus_field(exc.field)
            return
        self.dismiss(values)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()


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
