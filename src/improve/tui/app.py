"""The app: one factory builds it for the command line and for tests.

All file I/O runs in thread workers that post messages; the handlers change state. The
app holds the state and wires the work in: loading and the live reload in `live.py`,
updating an action in `updating.py`, the palette's commands in `commands.py`, the report
and the screenshot in `report.py`, each screen in its own module.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict, TypeVar, Unpack

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.theme import Theme
from textual.worker import Worker, WorkerState, get_current_worker

from ..api import ActionStatus, PlanStatus, Recommendation, RecommendationStatus, Workspace
from ..present.text import RAG_STYLE_APP, RAG_STYLE_HIGH_CONTRAST_APP, RAG_STYLE_NO_COLOR
from . import live, updating
from .portfolio import PortfolioScreen
from .wording import sentence

if TYPE_CHECKING:
    from rich.console import RenderableType
    from textual.command import Provider

    from ..api import Action, HistoryStore, ImproveError, Portfolio
    from .form_values import FormValues

# The first frame waits for nothing it does not show: the action screen (with its tabs),
# the help (Markdown), the update form and the history load when first opened, and the
# plans themselves in a worker started once that frame is drawn.

HIGH_CONTRAST = Theme(
    name="improve-high-contrast",
    dark=True,
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ffff00",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#1a1a1a",
    boost="#262626",
    warning="#ffff00",
    error="#ff6e6e",
    success="#00ff00",
)

_R = TypeVar("_R")  # what a pushed screen gives back


def _commands() -> type[Provider]:
    """The palette's commands, imported when the palette first opens (they know the plan
    screen's filters, and so its module)."""
    from .commands import ImproveCommands

    return ImproveCommands


class ImproveApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "improve"
    COMMANDS = App.COMMANDS | {_commands}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding(
            "e",
            "report",
            "Report",
            id="report",
            tooltip="Write the committee's progress report (HTML, PDF, Excel, Markdown or CSV)",
            show=False,  # in the help and the palette: the footer has no room at 80 columns
        ),
        Binding(
            "v",
            "review",
            "Review",
            id="review",
            tooltip="Since the last review: what moved, and the trend of each plan",
        ),
        Binding(
            "question_mark",
            "help",
            "Help",
            id="help",
            tooltip="Keys, and what each colour and rule means",
        ),
    ]

    def __init__(
        self,
        plans: Path,
        today: date,
        user: str | None = None,
        *,
        poll: float = 1.0,
        high_contrast: bool = False,
        banner: str | None = None,
        db: Path | None = None,
        history: bool = True,
    ) -> None:
        super().__init__()
        # the plans folder and its history; the history opens in the first load's worker
        self.workspace = Workspace(plans, db=db, history=history, warn=self.warn)
        self.plans, self.today, self.user = Path(plans), today, user
        self.poll, self.banner = poll, banner
        self.portfolio: Portfolio | None = None
        self.statuses: list[PlanStatus] | None = None
        # plan id → (body, meeting, next report due): when each was last reported
        self.reported: dict[str, tuple[str, date, date | None]] = {}
        # a form to open again once a reload after a conflict lands
        self.reopen_after_load: tuple[str, str, FormValues, ImproveError] | None = None
        self.plan_paths: dict[str, Path] = {}  # every plan id seen, so a broken plan can be named
        self.my_leads: tuple[str, ...] = ()  # the user's lead titles, from plans/people.toml
        self.closing = False
        # The app's own saves, as the poll must know them: the lock orders a save's
        # write and result against the poll's look at the folder; `written` holds the
        # fingerprint each save left in its file until the poll has seen it taken in.
        self.own_writes = threading.Lock()
        self.saving = 0  # saves under way
        self.saved = 0  # saves finished (or failed)
        self.written: dict[Path, str] = {}
        # the folder as the app last posted it (a load, a poll, a save): what the next
        # poll compares with, so a change is said once even before the app takes it in
        self.known: Portfolio | None = None
        self.register_theme(HIGH_CONTRAST)
        if high_contrast:
            self.theme = HIGH_CONTRAST.name

    @property
    def history(self) -> HistoryStore | None:
        """The history store, or None when it cannot be used. Opening it reads the disk:
        ask only from a worker (the first load opens it)."""
        return self.workspace.store

    def warn(self, message: str) -> None:
        """A warning from the library, said once as a notification, from any thread."""
        message = sentence(message)
        if threading.get_ident() == self._thread_id:
            self.notify(message, severity="warning", timeout=15, markup=False)
        else:
            self.call_from_thread(
                self.notify, message, severity="warning", timeout=15, markup=False
            )

    @property
    def rag_styles(self) -> dict[str | None, str]:
        if self.no_color:
            # Without colour, Textual draws each colour as its grey, and red's grey on a
            # dark screen is 1.65:1. The word itself carries the meaning: text colour, bold.
            return RAG_STYLE_NO_COLOR
        return RAG_STYLE_HIGH_CONTRAST_APP if self.theme == HIGH_CONTRAST.name else RAG_STYLE_APP

    def on_mount(self) -> None:
        self.sub_title = self.banner or f"{self.plans} · as at {self.today.isoformat()}"
        self.open(PortfolioScreen())
        self.call_after_refresh(self.load)  # the first frame first: it needs no plan
        if self.poll:
            self.watch_files()

    # -- loading and live reload -------------------------------------------------
    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        """All file I/O happens here, off the UI thread."""
        live.load(self)

    @work(thread=True, exclusive=True, group="watch")
    def watch_files(self) -> None:
        """Poll the folder: a plan edited in an editor is picked up without a restart."""
        worker = get_current_worker()
        while not worker.is_cancelled:
            time.sleep(self.poll)
            if not worker.is_cancelled:
                self.poll_once()

    def poll_once(self) -> None:
        """One look at the folder, in a worker (tui/live.py)."""
        live.poll_once(self)

    def on_portfolio_loaded(self, message: live.PortfolioLoaded) -> None:
        live.take_in(self, message)

    def refresh_screens(self) -> None:
        if not self.is_running:  # closing: its screens are being taken apart
            return
        for screen in self.screen_stack:
            if hasattr(screen, "refresh_data") and screen.is_mounted:
                screen.refresh_data()

    def exit(
        self,
        result: None = None,
        return_code: int = 0,
        message: RenderableType | None = None,
    ) -> None:
        self.closing = True
        super().exit(result, return_code, message)

    def open(self, screen: Screen[_R], callback: Callable[[_R | None], None] | None = None) -> None:
        """Push a screen, unless the app is closing (a key pressed as it quits would
        otherwise mount a screen that never composes)."""
        if not self.closing:
            self.push_screen(screen, callback)

    # -- finding things --------------------------------------------------------------
    def find_action(
        self, plan_id: str, ref: str
    ) -> tuple[PlanStatus, RecommendationStatus, ActionStatus] | None:
        """(plan status, recommendation status, action status) or None."""
        for ps in self.statuses or []:
            if ps.plan.id == plan_id:
                for rs in ps.recommendations:
                    for st in rs.actions:
                        if st.action.ref == ref:
                            return ps, rs, st
        return None

    def find_recommendation(self, plan_id: str, ref: str) -> Recommendation | None:
        for ps in self.statuses or []:
            if ps.plan.id == plan_id:
                for rs in ps.recommendations:
                    if rs.recommendation.ref == ref:
                        return rs.recommendation
        return None

    # -- navigation ------------------------------------------------------------------
    def show_plan(self, plan_id: str, filters: set[str] | None = None) -> None:
        from .plan import PlanScreen

        self.open(PlanScreen(plan_id, filters))

    def show_action(self, plan_id: str, ref: str) -> None:
        from .action import ActionScreen

        self.open(ActionScreen(plan_id, ref))

    def show_measures(self) -> None:
        """Every measure of the plan on screen (of every plan from the first screen)."""
        from .measures import MeasuresScreen

        if not isinstance(self.screen, MeasuresScreen):
            self.open(MeasuresScreen(getattr(self.screen, "plan_id", None)))

    def action_all_actions(self, filter_name: str | None = None) -> None:
        from .plan import PlanScreen

        self.open(PlanScreen(None, {filter_name} if filter_name else None))

    def apply_filter(self, name: str) -> None:
        """A filter from the palette: on the plan screen, or on every plan's actions."""
        from .commands import apply_filter

        apply_filter(self, name)

    def action_review(self) -> None:
        from .review import ReviewScreen

        if not isinstance(self.screen, ReviewScreen):
            self.open(ReviewScreen())

    def action_report(self) -> None:
        """The report on the plan on screen, or on every plan; written by a worker."""
        from .report import choose_report

        choose_report(self)

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        """The command palette's own "Screenshot" (Textual's writes to ~/Downloads, and
        says "Failed to save screenshot" when there is none): ours, here, said where."""
        self.action_screenshot(filename, path)
        return None

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """The palette's Screenshot: an SVG of the screen, written by a worker into the
        folder improve was started in (tui/report.py)."""
        from .report import take_screenshot

        take_screenshot(self, filename, path)

    def action_help(self) -> None:
        from .modals import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.open(HelpScreen())

    def action_toggle_contrast(self) -> None:
        self.theme = "textual-dark" if self.theme == HIGH_CONTRAST.name else HIGH_CONTRAST.name

    def watch_theme(self, theme: str) -> None:
        if self.statuses is not None:
            self.refresh_screens()

    # -- updating an action -------------------------------------------------
    def open_update(
        self,
        plan_id: str,
        ref: str,
        values: FormValues | None = None,
        error: ImproveError | None = None,
    ) -> None:
        updating.open_form(self, plan_id, ref, values, error)

    @work(thread=True, group="save")
    def save_update(
        self, plan_id: str, ref: str, values: FormValues, seen: Action | None = None
    ) -> None:
        """Writes through the same library call as `improve update`, off the UI thread."""
        updating.save(self, plan_id, ref, values, seen)

    def on_update_done(self, message: updating.UpdateDone) -> None:
        updating.saved(self, message.done)

    def on_update_failed(self, message: updating.UpdateFailed) -> None:
        updating.failed(self, message)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.notify(
                f"{event.worker.name} failed: {event.worker.error}",
                severity="error",
                timeout=10,
                markup=False,
            )


class AppOptions(TypedDict, total=False):
    """ImproveApp's keyword arguments, as make_app passes them on."""

    poll: float
    high_contrast: bool
    banner: str | None
    db: Path | None
    history: bool


def make_app(
    plans: Path, today: date, user: str | None = None, **options: Unpack[AppOptions]
) -> ImproveApp:
    """The one way the app is built, for the command line and for tests."""
    return ImproveApp(plans, today, user, **options)
