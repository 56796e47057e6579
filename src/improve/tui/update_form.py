"""The update form: a modal that returns what the user asked for (or None), never writes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from rich.console import RenderableType
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.css.query import NoMatches
from textual.widgets import Button, Input, Label, Select
from textual.worker import get_current_worker

from ..api import (
    IMPACTS,
    OVERRIDE_COLOURS,
    STATUSES,
    Action,
    EditError,
    Extension,
    ImproveError,
    Milestone,
    due_in_force,
    pending_extension,
    who_am_i,
)
from ..present.text import clip
from .base import ImproveModal
from .form_values import (  # noqa: F401 (FormValues, to_change and decider: the app's)
    IMPACT_WORDS,
    QUICK,
    FormValues,
    decider,
    percent_says,
    to_change,
)
from .widgets import FormSelect
from .wording import FIELD_WIDGET, say


@dataclass
class ActionState:
    """What the form offers depends on the action: its milestones, a colour set by hand, a
    request awaiting a decision."""

    milestones: list[Milestone] = field(default_factory=list)
    override: str | None = None  # the colour set by hand now
    pending: Extension | None = None
    due: date | None = None  # the due date in force
    percent: int | None = None  # the percent recorded now
    impact: str | None = None  # the impact recorded now

    @classmethod
    def of(cls, action: Action | None) -> ActionState:
        if action is None:
            return cls()
        return cls(
            list(action.milestones),
            action.rag,
            pending_extension(action),
            due_in_force(action),
            action.percent,
            action.impact,
        )


def _pick(
    label: str,
    options: Iterable[tuple[RenderableType, str]],
    value: str | None,
    widget_id: str,
    prompt: str,
) -> tuple[Label, FormSelect]:
    """A row of the form: its label, and an optional drop-down, blank (its prompt) until
    something is chosen."""
    pick = FormSelect(
        options,
        value=value or Select.NULL,
        id=widget_id,
        allow_blank=True,
        compact=True,
        prompt=prompt,
    )
    return Label(label), pick


def _box(
    label: str, value: str, widget_id: str, placeholder: str, restrict: str | None = None
) -> tuple[Label, Input]:
    """A row of the form: its label, and a box to type in."""
    box = Input(value, placeholder, id=widget_id, restrict=restrict, compact=True)
    return Label(label), box


class UpdateForm(ImproveModal[FormValues | None]):
    """Percent, status, impact, note, evidence, a measure reading, a milestone, an
    extension (and who decided it), a colour by hand. `measures` are the (id, text) the
    action can report on.

    The percent has one box, which opens with the focus: what is typed there is what is
    saved, and the line under it says what that will be before anything is saved. The
    quick choices (0, 25, 50, 75, 100%) are buttons after it, reached by tab: each fills
    the box. No key is read as a scale while the box has the focus."""

    # (AUTO_FOCUS, not a query in on_mount: that fails if the app is closing.)
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
                with Horizontal(id="percent-row"):
                    yield Input(
                        v.percent, id="percent", max_length=12, compact=True, placeholder="0–100"
                    )
                    for n in QUICK:
                        yield Button(f"{n}%", id=f"quick-{n}", classes="quick", compact=True)
                yield Label("")
                yield Label(Text(percent_says(v.percent, self.state.percent)), id="percent-says")
                statuses = [(s, s) for s in STATUSES]
                yield from _pick("Status", statuses, v.status, "status", "(follows the percent)")
                yield from _box("Progress note", v.note, "note", "what has happened")
                yield from self._impact_fields()
                yield from _box(
                    "Evidence", v.evidence, "evidence", "what shows it, e.g. Audit of 40 case files"
                )
                link = "URL or path relative to the plan file (optional)"
                yield from _box("Evidence link", v.link, "link", link)
                if options:
                    yield from self._measure_fields(options)
                yield from self._milestone_fields()
                yield from self._date_fields()
                yield from self._colour_fields()
            yield Label("", id="form-problem")
            with Horizontal(id="buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="save", compact=True)
                yield Button("Cancel (esc)", id="cancel", compact=True)

    def _measure_fields(self, options: Sequence[tuple[RenderableType, str]]) -> ComposeResult:
        """Evidence for a measure, and a reading of one: `options`, the action's measures."""
        v = self.values
        yield from _pick(
            "Evidence for",
            options,
            v.evidence_measure,
            "evidence_measure",
            "(which measure it is evidence for: optional)",
        )
        yield from _pick(
            "Reading for",
            options,
            v.reading_measure,
            "reading_measure",
            "(a measure, to record its latest value)",
        )
        number = r"-?[0-9]*\.?[0-9]*"
        yield from _box("Reading value", v.reading_value, "reading_value", "e.g. 72.5", number)

    def _impact_fields(self) -> ComposeResult:
        """Performance: is the action making a difference? (as `update --impact`)"""
        v, now = self.values, self.state.impact
        yield from _pick(
            "Impact",
            [(Text(IMPACT_WORDS.get(i, i)), i) for i in IMPACTS],
            v.impact,
            "impact",
            f"(now {now}: is it making a difference?)"
            if now
            else "(is the action making a difference?)",
        )
        note = "a word on the impact (optional)"
        yield from _box("Impact note", v.impact_note, "impact_note", note)

    def _decided_by(self, label: str, shown: bool = True) -> ComposeResult:
        """Who agreed or refused a new due date: the person using the app unless they say
        otherwise, as `update --by` does. (A new date asked for records who asked: the
        row shows only when the date is agreed already.)"""
        v = self.values
        name = v.decided_by if v.decided_by is not None else (self.app.user or "")
        widgets = (
            Label(label, id="decided_by-label"),
            Input(name, id="decided_by", compact=True, placeholder="who decided (blank: you)"),
        )
        for widget in widgets:
            widget.display = shown
        yield from widgets

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
        chosen = v.milestone if v.milestone in known else None
        yield from _pick(
            "Milestone", options, chosen, "milestone", "(mark a milestone done: optional)"
        )
        yield from _box("Done on", v.milestone_on, "milestone_on", "e.g. 31/03/2017 (optional)")

    def _date_fields(self) -> ComposeResult:
        v, pending = self.values, self.state.pending
        if pending is not None:
            asked = f"{pending.due}" + (
                f" by {pending.requested_by}" if pending.requested_by else ""
            )
            yield Label("Asked for")
            yield Label(Text(clip(f"{asked}: {pending.reason}", 60)), id="asked-for")
            decisions: list[tuple[RenderableType, str]] = [
                (Text(f"agree: the due date becomes {pending.due}"), "agree"),
                (Text("refuse: the date stays as it is"), "refuse"),
            ]
            yield from _pick("Decision", decisions, v.decision, "decision", "(awaiting a decision)")
            yield from self._decided_by("Decided by")
            yield from _box("Reason", v.reason, "reason", "why it is refused (optional)")
            return
        now = f" (due {self.state.due} now)" if self.state.due else ""
        yield from _box("New due date", v.extend_to, "extend_to", f"e.g. 31/03/2017{now}")
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
        # who agreed it, when it is agreed already (a request records who asked)
        yield from self._decided_by("Agreed by", shown=v.date_kind == "agree")
        yield from _box("Reason", v.reason, "reason", "why the date should move")

    def _colour_fields(self) -> ComposeResult:
        v = self.values
        options = [(Text(f"{c.upper()}, set by hand"), c) for c in OVERRIDE_COLOURS]
        if self.state.override:
            options.append((Text(f"clear the {self.state.override.upper()} set by hand"), "clear"))
        yield from _pick("Colour by hand", options, v.rag, "rag", "(as the rules work it out)")
        why = "why the worked-out colour is wrong"
        yield from _box("Colour reason", v.rag_reason, "rag_reason", why)
        yield from _box("Colour until", v.rag_until, "rag_until", "e.g. 31/03/2017 (optional)")

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "percent":  # said as it is typed, before anything is saved
            says = percent_says(event.value, self.state.percent)
            self.query_one("#percent-says", Label).update(Text(says))

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "date_kind":  # "agreed by" goes with a date agreed already
            for widget in self.query("#decided_by, #decided_by-label"):
                widget.display = event.value == "agree"

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
            decided_by=self._text("decided_by") if self.query("#decided_by") else None,
            impact=self._select("impact"),
            impact_note=self._text("impact_note"),
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
        found = self.query("#decided_by")
        if found and not found.first(Input).value and self.values.decided_by is None:
            self.find_me()  # the app was not told who is using it: ask as --by does
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

    @work(thread=True, exclusive=True, group="who-am-i")
    def find_me(self) -> None:
        """IMPROVE_USER, git's user.name or the login name: git is run off the UI thread."""
        name = who_am_i()
        if name and not get_current_worker().is_cancelled:
            try:
                self.app.call_from_thread(self._default_decider, name)
            except RuntimeError:  # the app is closing
                pass

    def _default_decider(self, name: str) -> None:
        for box in self.query("#decided_by").results(Input):
            if not box.value:  # never over what was typed
                box.value = name

    def on_button_pressed(self, event: Button.Pressed) -> None:
        button = event.button.id or ""
        if button.startswith("quick-"):  # a quick choice fills the one percent box
            self.query_one("#percent", Input).value = button.removeprefix("quick-")
        elif button == "save":
            self.action_save()
        else:
            self.action_cancel()
