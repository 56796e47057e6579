"""The app: one factory builds it for the command line and for tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.app import App
from textual.message import Message
from textual.worker import Worker, WorkerState
from textual import work

from .. import api
from .screens import PortfolioScreen


class PortfolioLoaded(Message):
    def __init__(self, portfolio, statuses) -> None:
        super().__init__()
        self.portfolio, self.statuses = portfolio, statuses


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

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.notify(f"{event.worker.name} failed: {event.worker.error}", severity="error",
                        timeout=10)


def make_app(plans: Path, today: date, user: str | None = None) -> ImproveApp:
    return ImproveApp(plans, today, user)
