"""The history: how the plans got where they are (SQLite, beside the plans by default).

Core code: it never imports textual, and never writes a plan file, nor imports the
library API above it. Plans are changed by `workspace.Workspace.update`, which records
each change here with its author, under the history's write lock.

    store = HistoryStore(plans_dir)                  # or HistoryStore(path=...)
    store.sync_portfolio(portfolio, today)           # at the start of every run: notices hand edits
    rid = store.record_review(statuses, today, note, attendees)
    store.changes("last", statuses, today)           # what moved since the last review
    store.history(plan_id, ref)                      # one action's story, oldest first
    store.status_as_of(day); store.trend(plan_id)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import HistoryError
from .paths import default_path, resolve_path

if TYPE_CHECKING:
    from .changes import Changes, direction
    from .records import HAND, Event, PlanSummary, Review, SyncResult
    from .replay import ReplayResult, plan_as_of
    from .rows import FIELDS, action_row, plan_rows, rows_from_statuses
    from .store import HistoryStore

# Everything but where the history lives is imported when first asked for: the store
# (and the migrations), which a run that finds nothing to record never opens
# (history/quick.py), the records and rows it writes, and what only a review or a replay
# needs.
_LATER = {
    "HAND": "records",
    "Event": "records",
    "PlanSummary": "records",
    "Review": "records",
    "SyncResult": "records",
    "FIELDS": "rows",
    "action_row": "rows",
    "plan_rows": "rows",
    "rows_from_statuses": "rows",
    "HistoryStore": "store",
    "Changes": "changes",
    "direction": "changes",
    "ReplayResult": "replay",
    "plan_as_of": "replay",
}


def __getattr__(name: str) -> Any:
    module = _LATER.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f".{module}", __name__), name)


__all__ = [
    "FIELDS",
    "HAND",
    "Changes",
    "Event",
    "HistoryError",
    "HistoryStore",
    "PlanSummary",
    "ReplayResult",
    "Review",
    "SyncResult",
    "action_row",
    "default_path",
    "direction",
    "plan_as_of",
    "plan_rows",
    "resolve_path",
    "rows_from_statuses",
]
