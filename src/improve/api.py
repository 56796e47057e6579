"""The library API that the command line and the app both stand on.

Everything a front end needs is here: the `Workspace` (a plans folder and its history,
and the one call that changes an action), the `Change` it takes, the errors it raises
(all `ImproveError`s, with codes), and the filters over the status rules.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .edits.change import Change
from .edits.saving import Updated
from .errors import (
    ConflictError,
    EditError,
    HistoryError,
    ImproveError,
    PlanFileError,
    SourceError,
)
from .plans.folder import load_folder
from .plans.loader import LoadedFile, Portfolio
from .plans.model import Action, Plan, Recommendation, Target
from .status import rules
from .status.filters import ActionFilter
from .status.memo import DayView, Fact, PlanDay
from .workspace import Workspace

__all__ = [
    "ActionFilter",
    "ActionRow",
    "Change",
    "ConflictError",
    "DayView",
    "EditError",
    "Fact",
    "HistoryError",
    "ImproveError",
    "LoadedFile",
    "PlanDay",
    "PlanFileError",
    "Portfolio",
    "SourceError",
    "Target",
    "Updated",
    "Workspace",
    "action_rows",
    "day_view",
    "filter_actions",
    "load",
    "portfolio_status",
    "status_view",
]


def load(plans_dir: Path) -> Portfolio:
    """Every plan in the folder (the one place plans are loaded through)."""
    return load_folder(Path(plans_dir))


def portfolio_status(portfolio: Portfolio, today: date) -> list[rules.PlanStatus]:
    return Workspace.statuses(portfolio, today)


@dataclass(slots=True)
class ActionRow:
    plan: Plan
    recommendation: Recommendation
    status: rules.ActionStatus

    @property
    def action(self) -> Action:
        return self.status.action


def action_rows(statuses: list[rules.PlanStatus]) -> Iterator[ActionRow]:
    for ps in statuses:
        for rs in ps.recommendations:
            for st in rs.actions:
                yield ActionRow(ps.plan, rs.recommendation, st)


def filter_actions(
    statuses: list[rules.PlanStatus], flt: ActionFilter, today: date
) -> list[ActionRow]:
    return [row for row in action_rows(statuses) if flt.matches(row, today)]


def day_view(ws: Workspace, today: date) -> DayView:
    """The folder as the rules see it on `today`: one view (memo.DayView, each action a
    memo.Fact) whether answered from the day's memos (nothing changed since a run earlier
    today, nothing for the history to record) or worked out, recorded in the history and
    remembered for the next run. Files that fail to load are not in it."""
    from .speed.dayview import open_day, remember, view_of

    view, cache = open_day(ws.plans, ws.db_path, today) if ws.use_cache else (None, None)
    if view is not None:
        return view
    portfolio = ws.load(cache)
    statuses = portfolio_status(portfolio, today)
    ws.sync(portfolio, today, statuses)
    remember(ws.cache, portfolio, statuses, today)
    return view_of(portfolio, statuses, today)


def status_view(portfolio: Portfolio, statuses: list[rules.PlanStatus], today: date) -> DayView:
    """The status view (as `day_view` gives) of rules' results already worked out: the
    app's, after a load or an edit."""
    from .speed.dayview import view_of

    return view_of(portfolio, statuses, today)
