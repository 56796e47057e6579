"""`improve review …` and `improve history`: the monthly review and one action's story.

History never stands in the way of the plans: if the database cannot be used, commands
that only read plans carry on with a warning.
"""

from __future__ import annotations

import os
import sys
from typing import IO, TYPE_CHECKING

import click

from .common import emit_json, load
from .errors import Failed, echo
from .options import Settings, commit_options, global_options, settings

if TYPE_CHECKING:
    from rich.text import Text

    from ..api import HistoryStore, PlanCache, PlanStatus, Portfolio


def _store(s: Settings) -> HistoryStore:
    """The history store alone (as Workspace.require_store opens it), closed when the
    command ends: for a run answered from today's memo, which needs no workspace."""
    from ..api import HistoryStore, resolve_path

    store = HistoryStore(s.plans, path=resolve_path(s.plans, s.db))
    for said in (store.warning, store.notice):
        if said:
            echo(f"improve: warning: {said}", err=True)
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.call_on_close(store.close)
    return store


def _index(store: HistoryStore, s: Settings) -> None:
    """Read in review files from other clones (reviews/ in the plans folder)."""
    for problem in store.index_review_files(s.plans):
        echo(f"improve: warning: {problem}", err=True)


def loaded_and_synced(
    s: Settings, cache: PlanCache | None = None
) -> tuple[HistoryStore, Portfolio, list[PlanStatus]]:
    from .. import api
    from ..api import held_cache, remember

    # first: a mistyped --plans must not get a history of its own
    ws, portfolio = load(s, cache or held_cache(s.plans, s.db))  # written once: remember
    statuses = api.portfolio_status(portfolio, s.today)
    ws.sync(portfolio, s.today, statuses, quiet=False)
    remember(ws.cache, portfolio, statuses, s.today)
    return ws.require_store(), portfolio, statuses


@click.group()
def review() -> None:
    """The monthly review: record one, list them, see what changed since."""


@review.command("record")
@global_options
@click.option("--note", help="A note for the record (e.g. the meeting's name).")
@click.option(
    "--attendee", "attendees", multiple=True, metavar="NAME", help="Who was there; repeatable."
)
@click.option("--by", help="Who records it (default: IMPROVE_USER, git user.name, login).")
@commit_options("the review's file")
def record(
    note: str | None,
    attendees: tuple[str, ...],
    by: str | None,
    commit: bool | None,
    no_verify: bool,
) -> None:
    """Snapshot every plan as at today (--today), as a review to compare with later.

    The review is also written to the plans folder as reviews/DATE.toml: committed,
    it is shared with every clone."""

    from ..api import HistoryError, display_name, share_review, who_am_i
    from .common import today

    s = settings()
    view, cache = today(s)  # the plans as earlier today, and nothing to record
    done = None
    if view is not None:  # recorded from the view, no plan loaded (review_record.record_day)
        store = _store(s)
        _index(store, s)
        try:
            done = share_review(store, view, s.today, note,
                                attendees, by or who_am_i(), s.plans, commit=commit,
                                no_verify=no_verify)  # fmt: skip
        except HistoryError as exc:
            if exc.code != "review-day-changed":
                raise
            cache = None  # the one open_day read and saved: the full run reads its own
        plans, actions = len(view.plans), view.actions()
    if done is None:  # the full run: the plans loaded, the history brought up to date
        store, _, statuses = loaded_and_synced(s, cache)
        _index(store, s)
        done = share_review(store, statuses, s.today, note, attendees, by or who_am_i(),
                            s.plans, commit=commit, no_verify=no_verify)  # fmt: skip
        plans = len(statuses)
        actions = sum(ps.rollup.total + ps.rollup.dropped for ps in statuses)
    click.echo(
        f"Recorded review {done.review_id} as at {s.today.isoformat()}: {plans} "
        f"plans, {actions} actions, in {display_name(done.path)}. `improve review "
        "changes` will compare with it."
    )
    if done.committed:
        echo(f"Committed {done.committed[:10]}: {display_name(done.path)}.")
    if done.commit_note:  # why it was not committed, or that the commit is on no branch
        echo(f"improve: warning: {done.commit_note}", err=True)


@review.command("list")
@global_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_reviews(as_json: bool) -> None:
    """Every review recorded, oldest first, with each plan's totals then (review
    files from other clones, in reviews/, included)."""
    from ..present.briefing import reviews_table
    from ..present.tables import make_console

    s = settings()
    ws, _ = load(s)
    store = ws.require_store()
    _index(store, s)
    reviews = store.reviews()
    if as_json:
        emit_json({"reviews": [r.to_json() for r in reviews]})
        return
    console = make_console()
    if not reviews:
        console.print("No reviews recorded yet: `improve review record` records one.")
        return
    console.print(reviews_table(reviews))


@review.command("changes")
@global_options
@click.option(
    "--since",
    default="last",
    show_default=True,
    metavar="last|ID|DATE",
    help="The review to compare with: the last, a review id, or the latest on or before a date.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (shape in docs/history.md).")
def review_changes(since: str, as_json: bool) -> None:
    """What moved since a review: RAG up and down, newly overdue or complete, slipped
    dates, new evidence and readings, stale actions, no update, overrides."""
    from ..present.briefing import briefing_parts
    from .common import today

    s = settings()
    view, cache = today(s)  # the plans as earlier today, and nothing to record
    if view is not None:
        store, plans = _store(s), view.plans
    else:
        from .. import api

        store, portfolio, statuses = loaded_and_synced(s, cache)
        plans = api.status_view(portfolio, statuses, s.today).plans
    _index(store, s)
    found = store.changes(since, today=s.today, events=True)
    if as_json:
        emit_json(found.to_json())
        return
    _print_unstyled_or(briefing_parts(found, plans))


def _print_unstyled_or(parts: list[Text]) -> None:
    """Lines of text printed as Rich's console prints them: where it would show no style
    (a pipe, a file), written directly (present.plain_text), else through the console."""
    if not _styled(sys.stdout):
        from ..present.plain_text import written
        from .plain import terminal_width, write_out

        text = written(parts, terminal_width())
        if text is not None:  # to the stream Rich's console writes to (as cli/plain does)
            write_out(text)
            return
    from rich.console import Group

    from ..present.tables import make_console

    make_console().print(Group(*parts))


# what makes Rich's console take a turn the direct writing does not follow, in a pipe too
_RICH_VARIABLES = ("TTY_COMPATIBLE", "TTY_INTERACTIVE", "JUPYTER_COLUMNS")


def _styled(stream: IO[str]) -> bool:
    """Whether Rich's console may show styles on `stream` (listing.unstyled says when it
    would not), or lay it out in a way of its own (one of _RICH_VARIABLES set; COLUMNS
    set to what is not a width; Windows, whose legacy console Rich gives a column less)."""
    from .listing import unstyled

    if sys.platform == "win32" or any(os.environ.get(name) for name in _RICH_VARIABLES):
        return True
    columns = os.environ.get("COLUMNS")
    if columns is not None and (not columns.isdigit() or int(columns) < 1):
        return True
    return not unstyled(stream)


@click.command()
@global_options
@click.argument("target", metavar="PLAN:REF")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def history(target: str, as_json: bool) -> None:
    """One action's story: every recorded change, oldest first."""
    from rich.text import Text

    from ..api import Target
    from ..present.briefing import history_table
    from ..present.tables import make_console

    s = settings()
    plan_id, ref = Target.parse(target)
    store, portfolio, _ = loaded_and_synced(s)
    events = store.history(plan_id, ref)
    plan = portfolio.plan(plan_id)
    if not events and plan is None:
        raise Failed(f'no plan "{plan_id}" in {s.plans} and no history of it')
    if not events and plan is not None and plan.find_action(ref) is None:
        raise Failed(
            f'plan "{plan_id}" has no action "{ref}" and there is no history of one; '
            f"`improve actions --plan {plan_id}` lists its actions"
        )
    if as_json:
        emit_json({"plan": plan_id, "ref": ref, "events": [e.to_json() for e in events]})
        return
    console = make_console()
    if not events:
        console.print(Text(f"No history of {target} yet."))
        return
    console.print(history_table(target, events))


def register(cli: click.Group) -> None:
    """Add the history commands to the command line."""
    cli.add_command(review)
    cli.add_command(history)
