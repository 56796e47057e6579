"""`improve review …` and `improve history`: the monthly review and one action's story.

History never stands in the way of the plans: if the database cannot be used, commands
that only read plans carry on with a warning.
"""

from __future__ import annotations

from datetime import date

import click
from rich.text import Text

from .. import api
from ..briefing import changes_briefing, history_table, reviews_table
from ..history import HistoryError, HistoryStore, resolve_path
from .options import global_options, settings
from .render import make_console


def open_history(s, *, required: bool = False) -> HistoryStore | None:
    """The history store for these settings, or None (with a warning) if it cannot be used
    and the command can do without it."""
    try:
        store = HistoryStore(s.plans, path=resolve_path(s.plans, s.db))
    except HistoryError as exc:
        if required:
            raise click.ClickException(str(exc)) from None
        click.echo(f"improve: warning: history not recorded: {exc}", err=True)
        return None
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.call_on_close(store.close)
    if store.warning:
        click.echo(f"improve: {store.warning}", err=True)
    return store


def sync_quietly(store: HistoryStore | None, portfolio, today: date, statuses=None) -> None:
    """Notice changes made outside improve (an editor, a git pull) and record them."""
    if store is None:
        return
    try:
        store.sync_portfolio(portfolio, today, statuses=statuses)
    except HistoryError as exc:
        click.echo(f"improve: warning: history not recorded: {exc}", err=True)


def register(cli: click.Group, load, emit_json, failed) -> None:
    """Add the history commands to the command line (kept here to keep main.py small)."""

    def loaded_and_synced(s):
        portfolio = load(s)  # first: a mistyped --plans must not get a history of its own
        store = open_history(s, required=True)
        statuses = api.portfolio_status(portfolio, s.today)
        try:
            store.sync_portfolio(portfolio, s.today, statuses=statuses)
        except HistoryError as exc:
            raise failed(str(exc)) from None
        return store, portfolio, statuses

    @cli.group()
    def review() -> None:
        """The monthly review: record one, list them, see what changed since."""

    @review.command("record")
    @global_options
    @click.option("--note", help="A note for the record (e.g. the meeting's name).")
    @click.option(
        "--attendee", "attendees", multiple=True, metavar="NAME", help="Who was there; repeatable."
    )
    @click.option("--by", help="Who records it (default: IMPROVE_USER, git user.name, login).")
    def record(note, attendees, by) -> None:
        """Snapshot every plan as at today (--today), as a review to compare with later."""
        from ..identity import who_am_i

        s = settings()
        store, portfolio, statuses = loaded_and_synced(s)
        try:
            rid = store.record_review(statuses, s.today, note, attendees, by or who_am_i())
        except HistoryError as exc:
            raise failed(str(exc)) from None
        actions = sum(ps.rollup.total + ps.rollup.dropped for ps in statuses)
        click.echo(
            f"Recorded review {rid} as at {s.today.isoformat()}: {len(statuses)} plans, "
            f"{actions} actions. `improve review changes` will compare with it."
        )

    @review.command("list")
    @global_options
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    def list_reviews(as_json) -> None:
        """Every review recorded, oldest first, with each plan's totals then."""
        s = settings()
        load(s)
        store = open_history(s, required=True)
        try:
            reviews = store.reviews()
        except HistoryError as exc:
            raise failed(str(exc)) from None
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
        help="The review to compare with: the last, a review id, or the latest "
        "on or before a date.",
    )
    @click.option("--json", "as_json", is_flag=True, help="Print JSON (shape in docs/history.md).")
    def review_changes(since, as_json) -> None:
        """What moved since a review: RAG up and down, newly overdue or complete, slipped
        dates, new evidence and readings, stale actions, no update, overrides."""
        s = settings()
        store, portfolio, statuses = loaded_and_synced(s)
        try:
            found = store.changes(since, today=s.today, events=True)
        except HistoryError as exc:
            raise failed(str(exc)) from None
        if as_json:
            emit_json(found.to_json())
            return
        make_console().print(
            changes_briefing(found, {ps.plan.id: ps.plan.title for ps in statuses})
        )

    @cli.command()
    @global_options
    @click.argument("target", metavar="PLAN:REF")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    def history(target, as_json) -> None:
        """One action's story: every recorded change, oldest first."""
        s = settings()
        try:
            plan_id, ref = api.split_target(target)
        except api.EditError as exc:
            raise click.BadParameter(str(exc), param_hint="PLAN:REF") from None
        store, portfolio, statuses = loaded_and_synced(s)
        try:
            events = store.history(plan_id, ref)
        except HistoryError as exc:
            raise failed(str(exc)) from None
        if not events and portfolio.plan(plan_id) is None:
            raise failed(f'no plan "{plan_id}" in {s.plans} and no history of it')
        if not events and portfolio.plan(plan_id).find_action(ref) is None:
            raise failed(
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
