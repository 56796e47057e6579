"""The one door into the library for the command line and the app.

A front end (improve.cli, improve.tui, improve.present) imports from here and from no
other module of the core: an import contract in pyproject.toml holds it. The door is
light: `import improve.api` loads none of the core; each name below is imported from the
module that defines it on first use (`from improve.api import display_name` loads
improve.plans.loader then, and only then), so the command line's lazy imports stay lazy.
The names: the `Workspace` (a plans folder and its history, and the one call that
changes an action), the `Change` it takes, the errors it raises (all `ImproveError`s,
with codes), the model, the status rules and their filters, the day view, and what each
command and screen reads or writes (reports, returns, imports, the history, git).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .edits.change import Change, parse_percent
    from .edits.saving import Updated
    from .errors import (
        ConflictError,
        EditError,
        HistoryError,
        ImproveError,
        PlanFileError,
        SourceError,
    )
    from .history import direction
    from .history.changes import Changes, RagMove, Stale
    from .history.originals import due_rewrite_warnings
    from .history.paths import DB_DIR, DB_NAME, resolve_path
    from .history.records import Event, PlanSummary, Review
    from .history.report_files import folder_problem
    from .history.store import HistoryStore
    from .history.told import OverrideTold
    from .importing import Imported, import_plan, write_imported
    from .inert import VISIBLE, json_inert, one_line, visible
    from .kpi.apply import KpiImport, kpi_import
    from .plans.dates import parse_date
    from .plans.files import atomic_write
    from .plans.folder import duplicate_id_problem, load_folder, plan_files
    from .plans.loader import LoadedFile, Portfolio, display_name, load_file
    from .plans.model import (
        Action,
        Comparator,
        Extension,
        Milestone,
        Plan,
        Recommendation,
        Target,
        Theme,
    )
    from .plans.template import render as render_template
    from .plans.vocab import (
        IMPACTS,
        KINDS,
        OVERRIDE_COLOURS,
        PLAN_ID_RULE,
        RAGS,
        STATUSES,
        is_plan_id,
        ref_key,
    )
    from .report import Report, default_name, make_report, render, write_report
    from .report.docx_parts import template_bytes
    from .report.programme import Body, find_body, work_programme
    from .returns import apply_return, make_returns, read_return
    from .speed.cache import PlanCache
    from .speed.dayview import held_cache, open_day, remember, reported
    from .status.filters import ActionFilter
    from .status.measures import MeasureView, measure_view
    from .status.memo import DayView, Fact, PlanDay, action_text, actions_of
    from .status.rules import (
        ActionStatus,
        PlanStatus,
        RecommendationStatus,
        due_in_force,
        pending_extension,
        portfolio_rollup,
        rag_rank,
        rollup,
    )
    from .status.serialize import action_json, assemble_plan, plan_json_parts, status_json
    from .status.tally import Rollup
    from .status.words import clip, long_date, request_words
    from .team.gitops import (
        before_change,
        commit_file,
        commit_wanted,
        detached_warning,
        share_reported,
        share_review,
        tracked_hooks,
    )
    from .team.identity import who_am_i
    from .team.people import FILE_NAME, load_people
    from .workspace import Workspace

# Every name the door gives, and the module (under improve) that defines it. The
# TYPE_CHECKING imports above and __all__ below say the same (tests/test_api_door.py).
MODULES: dict[str, str] = {
    ".edits.change": "Change parse_percent",
    ".edits.saving": "Updated",
    ".errors": "ConflictError EditError HistoryError ImproveError PlanFileError SourceError",
    ".history": "direction",
    ".history.changes": "Changes RagMove Stale",
    ".history.originals": "due_rewrite_warnings",
    ".history.paths": "DB_DIR DB_NAME resolve_path",
    ".history.records": "Event PlanSummary Review",
    ".history.told": "OverrideTold",
    ".history.report_files": "folder_problem",
    ".history.store": "HistoryStore",
    ".importing": "Imported import_plan write_imported",
    ".inert": "VISIBLE json_inert one_line visible",
    ".kpi.apply": "KpiImport kpi_import",
    ".plans.dates": "parse_date",
    ".plans.files": "atomic_write",
    ".plans.folder": "duplicate_id_problem load_folder plan_files",
    ".plans.loader": "LoadedFile Portfolio display_name load_file",
    ".plans.model": "Action Comparator Extension Milestone Plan Recommendation Target Theme",
    ".plans.template": "render_template",
    ".plans.vocab": "IMPACTS KINDS OVERRIDE_COLOURS PLAN_ID_RULE RAGS STATUSES is_plan_id ref_key",
    ".report": "Report default_name make_report render write_report",
    ".report.docx_parts": "template_bytes",
    ".report.programme": "Body find_body work_programme",
    ".returns": "apply_return make_returns read_return",
    ".speed.cache": "PlanCache",
    ".speed.dayview": "held_cache open_day remember reported",
    ".status.filters": "ActionFilter",
    ".status.measures": "MeasureView measure_view",
    ".status.memo": "DayView Fact PlanDay action_text actions_of",
    ".status.rules": "ActionStatus PlanStatus RecommendationStatus due_in_force pending_extension portfolio_rollup rag_rank rollup",
    ".status.serialize": "action_json assemble_plan plan_json_parts status_json",
    ".status.tally": "Rollup",
    ".status.words": "clip long_date request_words",
    ".team.gitops": "before_change commit_file commit_wanted detached_warning share_reported share_review tracked_hooks",
    ".team.identity": "who_am_i",
    ".team.people": "FILE_NAME load_people",
    ".workspace": "Workspace",
}
NAMES = {name: module for module, names in MODULES.items() for name in names.split()}
ALIASES = {"render_template": "render"}  # a name the door gives under another name

__all__ = [
    "DB_DIR",
    "DB_NAME",
    "FILE_NAME",
    "IMPACTS",
    "KINDS",
    "OVERRIDE_COLOURS",
    "PLAN_ID_RULE",
    "RAGS",
    "STATUSES",
    "VISIBLE",
    "Action",
    "ActionFilter",
    "ActionRow",
    "ActionStatus",
    "Body",
    "Change",
    "Changes",
    "Comparator",
    "ConflictError",
    "DayView",
    "EditError",
    "Event",
    "Extension",
    "Fact",
    "HistoryError",
    "HistoryStore",
    "Imported",
    "ImproveError",
    "KpiImport",
    "LoadedFile",
    "MeasureView",
    "Milestone",
    "OverrideTold",
    "Plan",
    "PlanCache",
    "PlanDay",
    "PlanFileError",
    "PlanStatus",
    "PlanSummary",
    "Portfolio",
    "RagMove",
    "Recommendation",
    "RecommendationStatus",
    "Report",
    "Review",
    "Rollup",
    "SourceError",
    "Stale",
    "Target",
    "Theme",
    "Updated",
    "Workspace",
    "action_json",
    "action_rows",
    "action_text",
    "actions_of",
    "apply_return",
    "assemble_plan",
    "atomic_write",
    "before_change",
    "clip",
    "commit_file",
    "commit_wanted",
    "day_view",
    "default_name",
    "detached_warning",
    "direction",
    "display_name",
    "due_in_force",
    "due_rewrite_warnings",
    "duplicate_id_problem",
    "filter_actions",
    "find_body",
    "folder_problem",
    "held_cache",
    "import_plan",
    "is_plan_id",
    "json_inert",
    "kpi_import",
    "load",
    "load_file",
    "load_folder",
    "load_people",
    "long_date",
    "make_report",
    "make_returns",
    "measure_view",
    "one_line",
    "open_day",
    "parse_date",
    "parse_percent",
    "pending_extension",
    "plan_files",
    "plan_json_parts",
    "portfolio_rollup",
    "portfolio_status",
    "rag_rank",
    "read_return",
    "ref_key",
    "remember",
    "render",
    "render_template",
    "reported",
    "request_words",
    "resolve_path",
    "rollup",
    "share_reported",
    "share_review",
    "status_json",
    "status_view",
    "template_bytes",
    "tracked_hooks",
    "visible",
    "who_am_i",
    "work_programme",
    "write_imported",
    "write_report",
]

if not TYPE_CHECKING:

    def __getattr__(name: str) -> Any:
        """A name of the door, imported from its module on first use and kept."""
        module = NAMES.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(import_module(module, __package__), ALIASES.get(name, name))
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted(__all__)


def load(plans_dir: Path) -> Portfolio:
    """Every plan in the folder (the one place plans are loaded through)."""
    from .plans.folder import load_folder

    return load_folder(Path(plans_dir))


def portfolio_status(portfolio: Portfolio, today: date) -> list[PlanStatus]:
    from .workspace import Workspace

    return Workspace.statuses(portfolio, today)


class ActionRow:
    """An action's status with its plan and recommendation: a row of `actions`. A plain
    class (a dataclass would cost the door half a millisecond at import)."""

    __slots__ = ("plan", "recommendation", "status")

    def __init__(self, plan: Plan, recommendation: Recommendation, status: ActionStatus):
        self.plan = plan
        self.recommendation = recommendation
        self.status = status

    def __repr__(self) -> str:
        return f"ActionRow({self.plan.id!r}, {self.status.action.ref!r})"

    @property
    def action(self) -> Action:
        return self.status.action


def action_rows(statuses: list[PlanStatus]) -> Iterator[ActionRow]:
    for ps in statuses:
        for rs in ps.recommendations:
            for st in rs.actions:
                yield ActionRow(ps.plan, rs.recommendation, st)


def filter_actions(statuses: list[PlanStatus], flt: ActionFilter, today: date) -> list[ActionRow]:
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


def status_view(portfolio: Portfolio, statuses: list[PlanStatus], today: date) -> DayView:
    """The status view (as `day_view` gives) of rules' results already worked out: the
    app's, after a load or an edit."""
    from .speed.dayview import view_of

    return view_of(portfolio, statuses, today)
