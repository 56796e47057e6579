"""The app: one factory builds it for the command line and for tests.

All file I/O runs in thread workers that post messages; the handlers change state.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict, TypeVar, Unpack

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.theme import Theme
from textual.worker import Worker, WorkerState, get_current_worker

from ..errors import ConflictError, ImproveError
from ..plans.loader import display_name
from ..plans.model import Action, Recommendation, Target
from ..present.text import RAG_STYLE_APP, RAG_STYLE_HIGH_CONTRAST_APP, RAG_STYLE_NO_COLOR
from ..status import rules
from ..workspace import Workspace
from .portfolio import PortfolioScreen

if TYPE_CHECKING:
    from rich.console import RenderableType
    from textual.command import Provider

    from ..api import Updated
    from ..history.store import HistoryStore
    from ..plans.loader import Portfolio
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


def settle_memory() -> None:
    """Move what is loaded out of the garbage collector's sight. At 20,000 actions the
    loaded plans are millions of objects; every full collection walked them all, and one
    landed inside a key press (a 30 ms filter took 500 ms). The plans were frozen as they
    were built (folder.quiet_gc); the young garbage is collected and the statuses made
    since are frozen too, once per load, in the worker: key presses stop paying for it.
    (A full collection here walked every object again: ~0.5 s of the load at 20,000.)"""
    gc.collect(1)
    gc.freeze()


class PortfolioLoaded(Message):
    def __init__(
        self,
        portfolio: Portfolio,
        statuses: list[rules.PlanStatus],
        changed: list[str] | None = None,
        reported: dict[str, tuple[str, date, date | None]] | None = None,
        mine: tuple[str, ...] | None = None,
    ) -> None:
        super().__init__()
        self.portfolio, self.statuses, self.changed = portfolio, statuses, changed
        self.reported = reported or {}
        self.mine = mine  # the lead titles people.toml gives the user, when it names them


class UpdateDone(Message):
    def __init__(self, done: Updated) -> None:
        super().__init__()
        self.done = done


class UpdateFailed(Message):
    def __init__(self, plan_id: str, ref: str, values: FormValues, error: ImproveError) -> None:
        super().__init__()
        self.plan_id, self.ref, self.values, self.error = plan_id, ref, values, error


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
        self.statuses: list[rules.PlanStatus] | None = None
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
        message = message[:1].upper() + message[1:]
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
        ws = self.workspace
        portfolio = ws.load()
        statuses = ws.statuses(portfolio, self.today)
        ws.sync(portfolio, self.today, statuses)  # edits made in an editor: "by hand"
        settle_memory()
        reported = self.workspace.reported(statuses)
        mine = self._mine()
        with self.own_writes:
            self.known = portfolio
            self.post_message(PortfolioLoaded(portfolio, statuses, None, reported, mine))

    def _mine(self) -> tuple[str, ...] | None:
        """The lead titles plans/people.toml says the user holds (read in a worker)."""
        if not self.user:
            return None
        from ..team.people import load_people

        titles = load_people(self.plans).titles_for(self.user)
        return tuple(titles) if titles else None

    @work(thread=True, exclusive=True, group="watch")
    def watch_files(self) -> None:
        """Poll the folder: a plan edited in an editor is picked up without a restart."""
        worker = get_current_worker()
        while not worker.is_cancelled:
            time.sleep(self.poll)
            if not worker.is_cancelled:
                self.poll_once()

    def poll_once(self) -> None:
        """One look at the folder (in a worker): what changed on disk since the app last
        knew it (`known`) is read again, and said, unless the app wrote it itself. A look
        that overlaps one of the app's own saves is not trusted (the next one is): the file
        may be new while what the save wrote is not yet known."""
        with self.own_writes:
            if self.saving:
                return
            began, current = self.saved, self.known
        ws = self.workspace
        if current is None:
            return
        fresh = ws.reload(current)
        before = {f.path: f.fingerprint for f in current.files}
        if fresh is None:
            with self.own_writes:
                if not self.saving and self.saved == began:
                    self.forget_taken_in(before, before)
            return
        after = {f.path: f.fingerprint for f in fresh.files}
        statuses = ws.statuses(fresh, self.today)
        ws.sync(fresh, self.today, statuses)
        settle_memory()
        reported = self.workspace.reported(statuses)
        with self.own_writes:
            if self.saving or self.saved != began:
                return
            ours = {p for p, fp in self.written.items() if after.get(p) == fp}
            self.forget_taken_in(before, after)
            changed = sorted(
                display_name(p) for p, fp in after.items() if before.get(p) != fp and p not in ours
            )
            changed += sorted(display_name(p) + " (removed)" for p in before if p not in after)
            # posted while the lock is held: a save's result is never overtaken by an
            # older look at the folder
            self.known = fresh
            self.post_message(PortfolioLoaded(fresh, statuses, changed, reported))

    def forget_taken_in(self, before: dict[Path, str], after: dict[Path, str]) -> None:
        """Forget each own write the app's state already holds (`before`, what the poll
        compared against) or that the file no longer holds (`after`: since changed by
        someone else, whose change is then said). Under `own_writes`."""
        for path, fp in list(self.written.items()):
            if before.get(path) == fp or after.get(path) != fp:
                del self.written[path]

    def on_portfolio_loaded(self, message: PortfolioLoaded) -> None:
        self.portfolio, self.statuses = message.portfolio, message.statuses
        self.reported = message.reported
        if message.mine is not None:
            self.my_leads = message.mine
        if self.reopen_after_load is not None:
            pending, self.reopen_after_load = self.reopen_after_load, None
            self.call_after_refresh(self.open_update, *pending)
        for loaded in message.portfolio.files:
            if loaded.plan is not None:
                self.plan_paths[loaded.plan.id] = loaded.path
        self.refresh_screens()
        if message.changed:
            broken = {display_name(f.path) for f in message.portfolio.failed}
            bad = [name for name in message.changed if name in broken]
            self.notify(
                "Reloaded, changed on disk: "
                + ", ".join(message.changed)
                + (f". Now has errors (see the errors panel): {', '.join(bad)}" if bad else ""),
                severity="warning" if bad else "information",
                timeout=6,
                markup=False,
            )

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
    ) -> tuple[rules.PlanStatus, rules.RecommendationStatus, rules.ActionStatus] | None:
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
        from .plan import PlanScreen

        screen = self.screen
        if not isinstance(screen, PlanScreen):
            if name in ("clear", "lead"):
                self.action_all_actions()
                screen = self.screen
                if name == "clear" or not isinstance(screen, PlanScreen):
                    return  # cleared already; or closing, so no plan screen was opened
            else:
                self.action_all_actions(name)
                return
        if name == "clear":
            screen.action_clear_filters()
        elif name == "lead":
            screen.action_pick_lead()
        else:
            screen.action_toggle_filter(name)

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
        from .form_values import FormValues
        from .update_form import ActionState, UpdateForm

        found = self.find_action(plan_id, ref)
        measures: list[tuple[str, str]] = []
        if found:
            ps, rs, st = found
            measures = [
                (m.id, m.text)
                for m in [*st.action.measures, *rs.recommendation.measures, *ps.plan.measures]
            ]

        seen = found[2].action if found else None  # as the user saw it when the form opened

        def saved(result: FormValues | None) -> None:
            if result is not None:
                self.save_update(plan_id, ref, result, seen)

        self.open(
            UpdateForm(
                f"Update {plan_id}:{ref}",
                values or FormValues(),
                error,
                measures,
                ActionState.of(seen),
            ),
            saved,
        )

    @work(thread=True, group="save")
    def save_update(
        self, plan_id: str, ref: str, values: FormValues, seen: Action | None = None
    ) -> None:
        """Writes through the same library call as `improve update`, off the UI thread.
        `seen`: the action as it was when the form opened; if it has changed on disk since,
        nothing is written and the form says so (a change elsewhere in the file is kept)."""
        from .form_values import decider, to_change

        with self.own_writes:
            self.saving += 1
        done: Updated | None = None
        try:
            done = self.workspace.update(
                Target(plan_id, ref),
                to_change(values),
                self.today,
                decider(values) or self.user,  # who agreed or refused, as --by says
                portfolio=self.portfolio,
                expected_action=seen,
            )
        except ImproveError as exc:
            self.post_message(UpdateFailed(plan_id, ref, values, exc))
        finally:
            with self.own_writes:
                self.saving -= 1
                self.saved += 1
                if done is not None:
                    # known as the app's own before any poll can judge the file, and
                    # posted before any later look at the folder
                    self.written[done.path] = done.loaded.fingerprint
                    if self.known is not None:
                        self.known = done.apply(self.known)
                    self.post_message(UpdateDone(done))

    def on_update_done(self, message: UpdateDone) -> None:
        done = message.done
        if self.portfolio is not None and self.statuses is not None:
            # only the saved file is read again: the rest of the folder is as it was
            self.portfolio = done.apply(self.portfolio)
            self.statuses = done.apply_statuses(self.statuses)
            self.plan_paths[done.target.plan_id] = done.path
            self.refresh_screens()
        spans = ", ".join(f"{a}" if a == b else f"{a}–{b}" for a, b in done.changed_lines())
        where = f"{display_name(done.path)}, lines {spans}" if spans else display_name(done.path)
        self.notify(
            f"Saved {done.target}: "
            + ("; ".join(done.changes) or "note added")
            + f". Changed {where}; nothing else in the file was touched.",
            timeout=8,
            markup=False,
        )
        if done.history_warning:
            self.notify(done.history_warning, severity="warning", timeout=15, markup=False)
        if done.committed:  # as IMPROVE_COMMIT or the folder's setting say (gitops)
            self.notify(f"Committed {done.committed[:7]}", timeout=8, markup=False)
        if done.commit_note:  # why not, or that the commit is on no branch
            note = done.commit_note
            self.notify(note[:1].upper() + note[1:], severity="warning", timeout=15, markup=False)

    def on_update_failed(self, message: UpdateFailed) -> None:
        error = message.error
        if isinstance(error, ConflictError):
            self.notify(
                "This action was changed on disk since you opened the form, so nothing was "
                "written. It has been reloaded; your entries are kept — check them against "
                "the change and save again.",
                severity="warning",
                timeout=10,
            )
            # the form opens again once the fresh state is loaded, so the next save is
            # checked against what the user now sees
            self.reopen_after_load = (message.plan_id, message.ref, message.values, error)
            self.load()
            return
        self.open_update(message.plan_id, message.ref, message.values, error)

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
