"""The app: one factory builds it for the command line and for tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.app import App
from textual.message import Message
from textual.worker import Worker, WorkerState
from textual import work

from .. import api
from ..editing import ConflictError, EditError
from .update_form import FormValues, UpdateForm, to_change
from .screens import PortfolioScreen


class PortfolioLoaded(Message):
    def __init__(self, portfolio, statuses) -> None:
        super().__init__()
        self.portfolio, self.statuses = portfolio, statuses


class UpdateDone(Message):
    def __init__(self, target: str, changes: list[str]) -> None:
        super().__init__()
        self.target, self.changes = target, changes


class UpdateFailed(Message):
    def __init__(self, plan_id: str, ref: str, values: FormValues, error: str, conflict: bool) -> None:
        super().__init__()
        self.plan_id, self.ref, self.values = plan_id, ref, values
        self.error, self.conflict = error, conflict


class ImproveApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "improve"

    def __init__(self, plans: Path, today: date, user: str | None = None) -> None:
        super().__init__()
        self.plans, self.today, self.user = Path(plans), today, user
        self.portfolio = None
        self.statuses = None

    def on_mount(self) -> None:
        self.sub_title = f"{self.plans} · as at {self.today.isoformat()}"
        self.push_screen(PortfolioScreen())
        self.load()

    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        """All file I/O happens here, off the UI thread."""
        portfolio = api.load(self.plans)
        statuses = api.portfolio_status(portfolio, self.today)
        self.post_message(PortfolioLoaded(portfolio, statuses))

    def on_portfolio_loaded(self, message: PortfolioLoaded) -> None:
        self.portfolio, self.statuses = message.portfolio, message.statuses
        for screen in self.screen_stack:
            if hasattr(screen, "refresh_data"):
                screen.refresh_data()

    # -- updating an action -------------------------------------------------
    def open_update(self, plan_id: str, ref: str, values: FormValues | None = None,
                    error: str | None = None) -> None:
        def saved(result: FormValues | None) -> None:
            if result is not None:
                self.save_update(plan_id, ref, result)
        self.push_screen(UpdateForm(f"Update {plan_id}:{ref}", values or FormValues(), error), saved)

    @work(thread=True, group="save")
    def save_update(self, plan_id: str, ref: str, values: FormValues) -> None:
        """Writes through the same library call as `improve update`, off the UI thread."""
        try:
            result = api.update(self.portfolio, f"{plan_id}:{ref}", to_change(values), self.today,
                                self.user)
        except ConflictError as exc:
            self.post_message(UpdateFailed(plan_id, ref, values, str(exc), conflict=True))
            return
        except (EditError, ValueError) as exc:
            self.post_message(UpdateFailed(plan_id, ref, values, str(exc), conflict=False))
            return
        self.post_message(UpdateDone(f"{plan_id}:{ref}", result.changes))

    def on_update_done(self, message: UpdateDone) -> None:
        self.notify(f"Saved {message.target}: " + ("; ".join(message.changes) or "note added"))
        self.load()

    def on_update_failed(self, message: UpdateFailed) -> None:
        if message.conflict:
            self.notify("The plan file changed on disk, so nothing was written. It has been "
                        "reloaded; your entries are kept — check them and save again.",
                        severity="warning", timeout=10)
            self.load()
        self.open_update(message.plan_id, message.ref, message.values, f"Not saved: {message.error}")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.notify(f"{event.worker.name} failed: {event.worker.error}", severity="error",
                        timeout=10)


def make_app(plans: Path, today: date, user: str | None = None) -> ImproveApp:
    return ImproveApp(plans, today, user)
