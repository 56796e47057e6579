"""The app: one factory builds it for the command line and for tests.

All file I/O runs in thread workers that post messages; the handlers change state.
"""

from __future__ import annotations

import gc
import time
from datetime import date
from pathlib import Path

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.message import Message
from textual.theme import Theme
from textual.worker import Worker, WorkerState, get_current_worker

from .. import api
from ..display import RAG_STYLE, RAG_STYLE_HIGH_CONTRAST
from ..editing import ConflictError, EditError
from ..history import HistoryError, HistoryStore, resolve_path
from ..loader import display_name
from .action import ActionScreen
from .commands import ImproveCommands
from .modals import HelpScreen
from .plan import PlanScreen
from .portfolio import PortfolioScreen
from .update_form import FormValues, UpdateForm, to_change

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


def settle_memory() -> None:
    """Move what is loaded out of the garbage collector's sight. At 20,000 actions the
    loaded plans are millions of objects; every full collection walked them all, and one
    landed inside a key press (a 30 ms filter took 500 ms). Collected once per load, in
    the worker, then frozen: key presses stop paying for it."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


class PortfolioLoaded(Message):
    def __init__(self, portfolio, statuses, changed: list[str] | None = None) -> None:
        super().__init__()
        self.portfolio, self.statuses, self.changed = portfolio, statuses, changed


class UpdateDone(Message):
    def __init__(self, target: str, changes: list[str], where: str) -> None:
        super().__init__()
        self.target, self.changes, self.where = target, changes, where


class UpdateFailed(Message):
    def __init__(
        self, plan_id: str, ref: str, values: FormValues, error: str, conflict: bool
    ) -> None:
        super().__init__()
        self.plan_id, self.ref, self.values = plan_id, ref, values
        self.error, self.conflict = error, conflict


class ImproveApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "improve"
    COMMANDS = App.COMMANDS | {ImproveCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
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
        self.db, self.use_history = db, history
        self.history = None  # the HistoryStore, opened by the first load (a worker)
        self.history_warned = False
        self.plans, self.today, self.user = Path(plans), today, user
        self.poll, self.banner = poll, banner
        self.portfolio = None
        self.statuses = None
        self.plan_paths: dict[str, Path] = {}  # every plan id seen, so a broken plan can be named
        self.closing = False
        self.register_theme(HIGH_CONTRAST)
        if high_contrast:
            self.theme = HIGH_CONTRAST.name

    @property
    def rag_styles(self) -> dict:
        return RAG_STYLE_HIGH_CONTRAST if self.theme == HIGH_CONTRAST.name else RAG_STYLE

    def on_mount(self) -> None:
        self.sub_title = self.banner or f"{self.plans} · as at {self.today.isoformat()}"
        self.open(PortfolioScreen())
        self.load()
        if self.poll:
            self.watch_files()

    # -- loading and live reload -------------------------------------------------
    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        """All file I/O happens here, off the UI thread."""
        portfolio = api.load(self.plans)
        statuses = api.portfolio_status(portfolio, self.today)
        self.record_history(portfolio, statuses)
        settle_memory()
        self.post_message(PortfolioLoaded(portfolio, statuses))

    def record_history(self, portfolio, statuses) -> None:
        """In a worker: open the history once, and record what changed in the files since
        the last run (edits made in an editor are marked "edited by hand")."""
        if not self.use_history:
            return
        try:
            if self.history is None:
                self.history = HistoryStore(self.plans, path=resolve_path(self.plans, self.db))
                if self.history.warning:
                    self.call_from_thread(
                        self.notify,
                        self.history.warning,
                        severity="warning",
                        timeout=15,
                        markup=False,
                    )
            self.history.sync_portfolio(portfolio, self.today, statuses=statuses)
        except HistoryError as exc:
            if not self.history_warned:
                self.history_warned = True
                self.call_from_thread(
                    self.notify,
                    f"History not recorded: {exc}. The plans are unaffected.",
                    severity="warning",
                    timeout=15,
                    markup=False,
                )

    @work(thread=True, exclusive=True, group="watch")
    def watch_files(self) -> None:
        """Poll the folder: a plan edited in an editor is picked up without a restart."""
        worker = get_current_worker()
        while not worker.is_cancelled:
            time.sleep(self.poll)
            current = self.portfolio
            if current is None or worker.is_cancelled:
                continue
            fresh = api.reload(current)
            if fresh is None:
                continue
            before = {f.path: f.fingerprint for f in current.files}
            changed = sorted(
                display_name(f.path) for f in fresh.files if before.get(f.path) != f.fingerprint
            )
            changed += sorted(
                display_name(p) + " (removed)"
                for p in before
                if p not in {f.path for f in fresh.files}
            )
            statuses = api.portfolio_status(fresh, self.today)
            self.record_history(fresh, statuses)
            settle_memory()
            self.post_message(PortfolioLoaded(fresh, statuses, changed))

    def on_portfolio_loaded(self, message: PortfolioLoaded) -> None:
        self.portfolio, self.statuses = message.portfolio, message.statuses
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
        for screen in self.screen_stack:
            if hasattr(screen, "refresh_data") and screen.is_mounted:
                screen.refresh_data()

    def exit(self, *args, **kwargs) -> None:
        self.closing = True
        super().exit(*args, **kwargs)

    def open(self, screen, callback=None) -> None:
        """Push a screen, unless the app is closing (a key pressed as it quits would
        otherwise mount a screen that never composes)."""
        if not self.closing:
            self.push_screen(screen, callback)

    # -- finding things --------------------------------------------------------------
    def find_action(self, plan_id: str, ref: str):
        """(plan status, recommendation status, action status) or None."""
        for ps in self.statuses or []:
            if ps.plan.id == plan_id:
                for rs in ps.recommendations:
                    for st in rs.actions:
                        if st.action.ref == ref:
                            return ps, rs, st
        return None

    def find_recommendation(self, plan_id: str, ref: str):
        for ps in self.statuses or []:
            if ps.plan.id == plan_id:
                for rs in ps.recommendations:
                    if rs.recommendation.ref == ref:
                        return rs.recommendation
        return None

    # -- navigation ------------------------------------------------------------------
    def show_plan(self, plan_id: str, filters: set[str] | None = None) -> None:
        self.open(PlanScreen(plan_id, filters))

    def show_action(self, plan_id: str, ref: str) -> None:
        self.open(ActionScreen(plan_id, ref))

    def action_all_actions(self, filter_name: str | None = None) -> None:
        self.open(PlanScreen(None, {filter_name} if filter_name else None))

    def apply_filter(self, name: str) -> None:
        screen = self.screen
        if not isinstance(screen, PlanScreen):
            if name in ("clear", "lead"):
                self.action_all_actions()
                screen = self.screen
                if name == "clear":
                    return
            else:
                self.action_all_actions(name)
                return
        if name == "clear":
            screen.action_clear_filters()
        elif name == "lead":
            screen.action_pick_lead()
        else:
            screen.action_toggle(name)

    def action_review(self) -> None:
        from .review import ReviewScreen

        if not isinstance(self.screen, ReviewScreen):
            self.open(ReviewScreen())

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.open(HelpScreen())

    def action_toggle_contrast(self) -> None:
        self.theme = "textual-dark" if self.theme == HIGH_CONTRAST.name else HIGH_CONTRAST.name

    def watch_theme(self, theme: str) -> None:
        if self.statuses is not None:
            self.refresh_screens()

    # -- updating an action -------------------------------------------------
    def open_update(
        self, plan_id: str, ref: str, values: FormValues | None = None, error: str | None = None
    ) -> None:
        found = self.find_action(plan_id, ref)
        measures = []
        if found:
            ps, rs, st = found
            measures = [
                (m.id, m.text)
                for m in [*st.action.measures, *rs.recommendation.measures, *ps.plan.measures]
            ]

        def saved(result: FormValues | None) -> None:
            if result is not None:
                self.save_update(plan_id, ref, result)

        self.open(
            UpdateForm(f"Update {plan_id}:{ref}", values or FormValues(), error, measures), saved
        )

    @work(thread=True, group="save")
    def save_update(self, plan_id: str, ref: str, values: FormValues) -> None:
        """Writes through the same library call as `improve update`, off the UI thread."""
        try:
            target, change = f"{plan_id}:{ref}", to_change(values)
            if self.history is not None:  # the edit and its history, under one lock
                result = self.history.update(self.portfolio, target, change, self.today, self.user)
            else:
                result = api.update(self.portfolio, target, change, self.today, self.user)
        except ConflictError as exc:
            self.post_message(UpdateFailed(plan_id, ref, values, str(exc), conflict=True))
            return
        except (EditError, ValueError, HistoryError) as exc:
            self.post_message(UpdateFailed(plan_id, ref, values, str(exc), conflict=False))
            return
        spans = ", ".join(f"{a}" if a == b else f"{a}–{b}" for a, b in result.changed_lines())
        where = (
            f"{display_name(result.path)}, lines {spans}" if spans else display_name(result.path)
        )
        self.post_message(UpdateDone(f"{plan_id}:{ref}", result.changes, where))

    def on_update_done(self, message: UpdateDone) -> None:
        self.notify(
            f"Saved {message.target}: "
            + ("; ".join(message.changes) or "note added")
            + f". Changed {message.where}; nothing else in the file was touched.",
            timeout=8,
            markup=False,
        )
        self.load()

    def on_update_failed(self, message: UpdateFailed) -> None:
        if message.conflict:
            self.notify(
                "The plan file changed on disk, so nothing was written. It has been "
                "reloaded; your entries are kept — check them and save again.",
                severity="warning",
                timeout=10,
            )
            self.load()
        self.open_update(
            message.plan_id, message.ref, message.values, f"Not saved: {message.error}"
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.notify(
                f"{event.worker.name} failed: {event.worker.error}",
                severity="error",
                timeout=10,
                markup=False,
            )


def make_app(plans: Path, today: date, user: str | None = None, **options) -> ImproveApp:
    """The one way the app is built, for the command line and for tests."""
    return ImproveApp(plans, today, user, **options)
