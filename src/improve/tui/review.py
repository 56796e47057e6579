"""Review mode: what moved since the last review (▲ amber → green), each plan's trend at
every review, and recording this month's review. The history is read and written in
workers; this module only shows what they post."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Footer, Header, Input, Label, Static

from ..api import HistoryError, display_name
from ..present.briefing import changes_briefing
from ..present.text import RagStyles, clip, counts_text, pct
from .base import ImproveModal, ImproveScreen
from .portfolio import composed
from .widgets import sparkline
from .wording import say, sentence

if TYPE_CHECKING:
    from ..api import Changes, PlanDay, PlanSummary

Trend = dict[str, list["PlanSummary"]]  # plan id → its state at each review, oldest first


@dataclass
class ReviewDraft:
    note: str = ""
    attendees: str = ""  # comma-separated, as typed

    def names(self) -> list[str]:
        return [n.strip() for n in self.attendees.split(",") if n.strip()]


class ReviewLoaded(Message):
    def __init__(
        self, briefing: Changes | None, trend: Trend, error: HistoryError | str | None
    ) -> None:
        super().__init__()
        self.briefing, self.trend, self.error = briefing, trend, error


TREND_REVIEWS = 6  # reviews listed per plan; the sparkline covers every one


def trend_table(
    trend: Trend,
    titles: dict[str, str],
    styles: RagStyles,
    now: dict[str, tuple[float | None, dict[str, int]]] | None = None,
) -> Group:
    """Per plan: percent complete at every review and now (`now`: plan id → (percent,
    RAG counts) as at today) as a sparkline on the 0–100% scale, then the percent and the
    RAG counts at each of the latest reviews, and now. A line a row, at 80 columns too."""
    now = now or {}
    out: list[RenderableType] = []
    for plan_id, points in trend.items():
        values = [p.percent or 0 for p in points]
        today = now.get(plan_id)
        if today is not None:
            values.append(today[0] or 0)
        head = Text(clip(titles.get(plan_id, plan_id), 40), style="bold")
        head.append(f"  {sparkline(values, 0, 100) or '·'}", style="bold")
        head.append(f"  {len(points)} review{'s' if len(points) != 1 else ''}")
        if today is not None:
            head.append(", then now")
        out.append(head)
        rows = Table.grid(padding=(0, 2))
        rows.add_column(no_wrap=True)
        rows.add_column()
        shown = points[-TREND_REVIEWS:]
        if len(points) > len(shown):
            rows.add_row(Text(f"  … {len(points) - len(shown)} earlier", style="italic"), "")
        for p in shown:
            rows.add_row(
                Text(f"  {p.on_date}  {pct(p.percent):>4} complete"),
                counts_text(p.counts, styles),
            )
        if today is not None:
            rows.add_row(
                Text(f"  {'now':<10}  {pct(today[0]):>4} complete", style="bold"),
                counts_text(today[1], styles),
            )
        out.append(rows)
    return Group(*out)


class ReviewScreen(ImproveScreen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="back"),
        Binding(
            "R",
            "record",
            "Record this review",
            id="record",
            tooltip="Snapshot every plan as at today, with a note and who was there",
        ),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="review-scroll"):
            yield Static(Text("Reading the history…"), id="review-status")
            yield Static(id="briefing")  # first: on the first screen at 80×24
            yield Static(id="trend")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    def refresh_data(self) -> None:
        if composed(self, "#review-status", "#trend", "#briefing"):
            self.load()

    @work(thread=True, exclusive=True, group="review")
    def load(self) -> None:
        store = self.app.history
        if store is None:
            self.post_message(
                ReviewLoaded(
                    None,
                    {},
                    "The history is not available (see the "
                    "warning when the app opened), so there is no review "
                    "to compare with.",
                )
            )
            return
        try:
            trend = store.trend()
            try:
                briefing = store.changes("last", today=self.app.today, events=True)
            except HistoryError as exc:
                self.post_message(ReviewLoaded(None, trend, exc))
                return
        except HistoryError as exc:
            self.post_message(ReviewLoaded(None, {}, exc))
            return
        self.post_message(ReviewLoaded(briefing, trend, None))

    def on_review_loaded(self, message: ReviewLoaded) -> None:
        titles = {ps.plan.id: ps.plan.title for ps in self.app.statuses or []}
        now = {ps.plan.id: (ps.rollup.percent, ps.rollup.counts) for ps in self.app.statuses or []}
        status = Text(
            f"Review mode, as at {self.app.today.isoformat()} · R records this "
            "review · escape goes back",
            style="bold",
        )
        if message.error:
            status.append("\n" + say(message.error), style="italic")
        self.query_one("#review-status", Static).update(status)
        self.query_one("#trend", Static).update(
            Group(
                Text("\nTrend", style="bold underline"),
                trend_table(message.trend, titles, self.app.rag_styles, now),
            )
            if message.trend
            else Text("")
        )
        self.query_one("#briefing", Static).update(
            Group(
                Text(""),
                changes_briefing(message.briefing, self._plans_now(), self.app.rag_styles),
            )
            if message.briefing
            else Text("")
        )

    def _plans_now(self) -> list[PlanDay]:
        """The plans as they are now, as the briefing reads them (api.status_view)."""
        from .. import api

        app = self.app
        if app.portfolio is None or not app.statuses:
            return []
        return api.status_view(app.portfolio, app.statuses, app.today).plans

    def action_record(self, draft: ReviewDraft | None = None, error: str | None = None) -> None:
        def done(result: ReviewDraft | None) -> None:
            if result is not None:
                self.record(result)

        self.app.open(RecordReview(draft or ReviewDraft(), error), done)

    @work(thread=True, group="record-review")
    def record(self, draft: ReviewDraft) -> None:
        """As `improve review record`: in the history and as plans/reviews/DATE.toml, all
        or nothing, then committed when the policy says (gitops.share_review)."""
        from ..api import share_review

        store, app = self.app.history, self.app
        try:
            if store is None:
                raise HistoryError("the history is not available")
            done = share_review(store, app.statuses or [], app.today, draft.note or None,
                                draft.names(), app.user, app.plans, env=app.workspace.env)  # fmt: skip
        except HistoryError as exc:
            app.call_from_thread(self.action_record, draft, f"Not recorded: {say(exc)}")
            return
        app.call_from_thread(
            app.notify,
            f"Recorded review {done.review_id} as at {app.today.isoformat()}, in "
            f"{_shown(done.path, app.plans)}.",
            markup=False,
        )
        if done.committed:
            app.call_from_thread(app.notify, f"Committed {done.committed[:7]}", markup=False)
        if done.commit_note:
            note = sentence(done.commit_note)
            app.call_from_thread(app.notify, note, severity="warning", timeout=15, markup=False)
        app.call_from_thread(self.load)


class FieldInput(Input):
    """A field of a form that keeps Tab as Tab, however fast it comes.

    Typed: the app hands each key to the field focused when the key arrives, and Tab
    moves the focus only once it has bubbled up to the app's binding, so in a quick burst
    ("SLT", Tab, "DCS") the keys after the Tab were already handed to this field. Here
    Tab moves the focus at once, and a key handed here after the focus left goes on to
    the field now focused. Pasted: a terminal's paste is one Paste event, which a plain
    Input takes whole, Tab and all; here the text after a Tab goes to the next field.
    `tab_is`, in the last field, what a Tab stands for there (", " between attendees)."""

    def __init__(self, *args: Any, tab_is: str | None = None, **kwargs: Any) -> None:
        # Input's own arguments, passed on as they are
        super().__init__(*args, **kwargs)
        self.tab_is = tab_is

    async def _on_key(self, event: events.Key) -> None:
        # Textual then calls Input's own handler (it walks the classes), unless prevented
        screen = self.screen
        if event.key in ("tab", "shift+tab"):
            event.prevent_default()
            event.stop()
            screen.focus_next() if event.key == "tab" else screen.focus_previous()
        elif screen.focused is not self and screen.focused is not None:
            event.prevent_default()
            event.stop()
            screen.focused._forward_event(events.Key(event.key, event.character))

    def _on_paste(self, event: events.Paste) -> None:
        # Textual then calls Input's own handler (it walks the classes), unless prevented
        line = event.text.splitlines()[0] if event.text else ""
        if "\t" not in line:
            return
        event.prevent_default()
        event.stop()
        if self.tab_is is not None:
            parts = [part.strip() for part in line.split("\t")]
            self.insert_text_at_cursor(self.tab_is.join(part for part in parts if part))
            return
        here, _, rest = line.partition("\t")
        self.insert_text_at_cursor(here)
        after = self.screen.focus_next()
        if isinstance(after, Input) and rest:
            after.post_message(events.Paste(rest))


def _shown(path: Path, plans: Path) -> str:
    """plans/reviews/DATE.toml: the review's file, from the plans folder's name."""
    try:
        return (Path(plans.name) / path.relative_to(plans)).as_posix()
    except ValueError:
        return display_name(path)


class RecordReview(ImproveModal[ReviewDraft | None]):
    AUTO_FOCUS = "#review-note"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="cancel"),
        Binding("ctrl+s", "save", "Record", id="save"),
    ]

    def __init__(self, draft: ReviewDraft, error: str | None = None) -> None:
        super().__init__()
        self.draft, self.error = draft, error

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="form"):
            yield Label("Record this review  ·  ctrl+s records  ·  esc cancels", id="form-title")
            if self.error:
                yield Label(self.error, id="form-error")
            yield Label("Note (e.g. SLT monthly review, January)")
            yield FieldInput(self.draft.note, id="review-note", compact=True)
            yield Label("Who was there (names or roles, separated by commas)")
            yield FieldInput(self.draft.attendees, id="review-attendees", compact=True, tab_is=", ")
            with Horizontal(id="buttons"):
                yield Button("Record (ctrl+s)", variant="primary", id="save", compact=True)
                yield Button("Cancel (esc)", id="cancel", compact=True)

    def action_save(self) -> None:
        self.dismiss(
            ReviewDraft(
                self.query_one("#review-note", Input).value.strip(),
                self.query_one("#review-attendees", Input).value.strip(),
            )
        )

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_save() if event.button.id == "save" else self.action_cancel()
