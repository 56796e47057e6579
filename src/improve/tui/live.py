"""The folder as the app knows it: the first load, the live reload's poll, and the app's
own saves as the poll must know them.

`load` and `poll_once` run in the app's thread workers (every read of the disk and the
history is here); `take_in` is the UI thread's side, which only changes state. The app
keeps the state (`known`, `own_writes`, `saving`, `saved`, `written`) and wires these in.
"""

from __future__ import annotations

import gc
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

from ..api import display_name

if TYPE_CHECKING:
    from ..api import PlanStatus, Portfolio
    from .app import ImproveApp


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
        statuses: list[PlanStatus],
        changed: list[str] | None = None,
        reported: dict[str, tuple[str, date, date | None]] | None = None,
        mine: tuple[str, ...] | None = None,
    ) -> None:
        super().__init__()
        self.portfolio, self.statuses, self.changed = portfolio, statuses, changed
        self.reported = reported or {}
        self.mine = mine  # the lead titles people.toml gives the user, when it names them


def _read(
    app: ImproveApp, portfolio: Portfolio
) -> tuple[list[PlanStatus], dict[str, tuple[str, date, date | None]]]:
    """The statuses of what was read, the history brought up to it (edits made in an
    editor are recorded "by hand"), and when each plan was last reported."""
    ws = app.workspace
    statuses = ws.statuses(portfolio, app.today)
    ws.sync(portfolio, app.today, statuses)
    settle_memory()
    return statuses, ws.reported(statuses)


def load(app: ImproveApp) -> None:
    """The whole folder read (in the load worker), and posted."""
    portfolio = app.workspace.load()
    statuses, reported = _read(app, portfolio)
    mine = _mine(app)
    with app.own_writes:
        app.known = portfolio
        app.post_message(PortfolioLoaded(portfolio, statuses, None, reported, mine))


def _mine(app: ImproveApp) -> tuple[str, ...] | None:
    """The lead titles plans/people.toml says the user holds (read in a worker)."""
    if not app.user:
        return None
    from ..api import load_people

    titles = load_people(app.plans).titles_for(app.user)
    return tuple(titles) if titles else None


def poll_once(app: ImproveApp) -> None:
    """One look at the folder (in a worker): what changed on disk since the app last
    knew it (`known`) is read again, and said, unless the app wrote it itself. A look
    that overlaps one of the app's own saves is not trusted (the next one is): the file
    may be new while what the save wrote is not yet known."""
    with app.own_writes:
        if app.saving:
            return
        began, current = app.saved, app.known
    if current is None:
        return
    fresh = app.workspace.reload(current)
    before = {f.path: f.fingerprint for f in current.files}
    if fresh is None:
        with app.own_writes:
            if not app.saving and app.saved == began:
                forget_taken_in(app, before, before)
        return
    after = {f.path: f.fingerprint for f in fresh.files}
    statuses, reported = _read(app, fresh)
    with app.own_writes:
        if app.saving or app.saved != began:
            return
        ours = {p for p, fp in app.written.items() if after.get(p) == fp}
        forget_taken_in(app, before, after)
        changed = sorted(
            display_name(p) for p, fp in after.items() if before.get(p) != fp and p not in ours
        )
        changed += sorted(display_name(p) + " (removed)" for p in before if p not in after)
        # posted while the lock is held: a save's result is never overtaken by an older
        # look at the folder
        app.known = fresh
        app.post_message(PortfolioLoaded(fresh, statuses, changed, reported))


def forget_taken_in(app: ImproveApp, before: dict[Path, str], after: dict[Path, str]) -> None:
    """Forget each own write the app's state already holds (`before`, what the poll
    compared against) or that the file no longer holds (`after`: since changed by
    someone else, whose change is then said). Under `own_writes`."""
    for path, fp in list(app.written.items()):
        if before.get(path) == fp or after.get(path) != fp:
            del app.written[path]


def take_in(app: ImproveApp, message: PortfolioLoaded) -> None:
    """What a load or a poll read becomes the app's state (on the UI thread); a change
    on disk is said, and a form waiting for the reload opens again."""
    app.portfolio, app.statuses = message.portfolio, message.statuses
    app.reported = message.reported
    if message.mine is not None:
        app.my_leads = message.mine
    if app.reopen_after_load is not None:
        pending, app.reopen_after_load = app.reopen_after_load, None
        app.call_after_refresh(app.open_update, *pending)
    for loaded in message.portfolio.files:
        if loaded.plan is not None:
            app.plan_paths[loaded.plan.id] = loaded.path
    app.refresh_screens()
    if message.changed:
        broken = {display_name(f.path) for f in message.portfolio.failed}
        bad = [name for name in message.changed if name in broken]
        app.notify(
            "Reloaded, changed on disk: "
            + ", ".join(message.changed)
            + (f". Now has errors (see the errors panel): {', '.join(bad)}" if bad else ""),
            severity="warning" if bad else "information",
            timeout=6,
            markup=False,
        )
