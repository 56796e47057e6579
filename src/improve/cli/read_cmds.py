"""`improve check` and `improve actions`: reading plans, one file at a time or as a
filtered list."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..api import RAGS, one_line
from .common import emit_json, keep, load, report_failed, today
from .errors import Failed
from .options import global_options, settings

if TYPE_CHECKING:
    from ..api import ActionFilter, DayView, PlanStatus
    from .options import Settings


def register(cli: click.Group) -> None:
    """Add `check` and `actions` to the command line (kept here to keep main.py small)."""
    cli.add_command(check)
    cli.add_command(actions)


@click.command()
@global_options
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def check(paths: tuple[Path, ...]) -> None:
    """Validate plan files (default: every plan in the plans folder).

    Prints FILE:LINE:COL: error|warning: MESSAGE for every problem; exits 1 when
    any file has an error.
    """
    from ..api import (
        FILE_NAME,
        due_rewrite_warnings,
        duplicate_id_problem,
        load_file,
        load_people,
        plan_files,
        resolve_path,
    )

    s = settings()

    def history_path(path: Path) -> Path:
        """The history a plan file's folder keeps (--db or IMPROVE_DB when given): asked
        read-only, never created."""
        inside = s.plans.resolve() in path.resolve().parents
        return resolve_path(s.plans if inside else path.parent, s.db)

    targets = list(paths) or [s.plans]
    files: list[Path] = []
    people: list[Path] = []  # people.toml: checked as what it is, never as a plan
    for target in targets:
        if target.is_dir():
            files.extend(plan_files(target))
            if (target / FILE_NAME).is_file():
                people.append(target)
        elif target.name == FILE_NAME and target.exists():
            people.append(target.parent)
        elif target.exists():
            files.append(target)
        else:
            raise Failed(f"{target}: no such file or folder")
    if not files and not people:
        raise Failed(f"no .toml plan files in {', '.join(map(str, targets))}")
    errors = warnings = bad_files = 0
    for folder in people:
        found = load_people(folder).problems
        for problem in found:
            click.echo(one_line(str(problem)))
        errors += len(found)
        bad_files += bool(found)
    seen_ids: dict[str, Path] = {}
    last = None
    for path in files:
        root = path.parent
        loaded = load_file(path, root)
        problems = list(loaded.problems)
        if loaded.plan is not None:
            other = seen_ids.get(loaded.plan.id)
            if other is not None and other.parent.resolve() == path.parent.resolve():
                problems.append(duplicate_id_problem(path, loaded.plan, other))
            seen_ids.setdefault(loaded.plan.id, path)
            problems += due_rewrite_warnings(loaded, history_path(path))
        for problem in problems:
            click.echo(one_line(str(problem)))  # a newline in a value stays on its line
        e = sum(p.severity == "error" for p in problems)
        errors += e
        warnings += len(problems) - e
        bad_files += e > 0
        last = loaded  # each file's plan is let go as the next is read; the last's, below
    keep(last)  # let go with the process (a 20,000-action plan: 30 ms freed object by object)
    checked = len(files) + len(people)
    summary = (
        f"checked {checked} file{'s' if checked != 1 else ''}: "
        f"{errors} error{'s' if errors != 1 else ''}, "
        f"{warnings} warning{'s' if warnings != 1 else ''}"
    )
    click.echo(
        summary
        + (f" ({bad_files} file{'s' if bad_files != 1 else ''} with errors)" if bad_files else ""),
        err=bool(errors),
    )
    if errors:
        sys.exit(1)


@click.command()
@global_options
@click.option("--lead", help="Only actions whose lead contains this text.")
@click.option(
    "--mine",
    is_flag=True,
    help="Only my actions (IMPROVE_USER, git user.name, login; plans/people.toml may give "
    "the titles a name holds).",
)
@click.option(
    "--rag",
    "rags",
    multiple=True,
    type=click.Choice(RAGS, case_sensitive=False),
    help="Only this colour (repeat for several).",
)
@click.option("--overdue", is_flag=True, help="Only overdue actions.")
@click.option("--stale", is_flag=True, help="Only stale actions (no activity for stale_days).")
@click.option(
    "--pending",
    is_flag=True,
    help="Only actions with a new due date asked for, awaiting a decision.",
)
@click.option("--plan", "plan_id", metavar="ID", help="Only this plan.")
@click.option(
    "--due-within",
    type=click.IntRange(min=0),
    metavar="DAYS",
    help="Only open actions next due from today to today + DAYS.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--count", is_flag=True, help="Print only how many actions match.")
def actions(
    lead: str | None,
    mine: bool,
    rags: tuple[str, ...],
    overdue: bool,
    stale: bool,
    pending: bool,
    plan_id: str | None,
    due_within: int | None,
    as_json: bool,
    count: bool,
) -> None:
    """A filtered list of actions; filters combine."""
    if count and as_json:
        raise click.UsageError("give --count or --json, not both")
    s = settings()
    pipe = as_json and not sys.stdout.isatty()  # JSON at a terminal is indented: made anew
    # answered from today's memo when it can be, and left for the next
    memo = count or pipe or not as_json
    view, cache = today(s, json=pipe) if memo else (None, None)
    if view is not None and (not plan_id or any(p.plan_id == plan_id for p in view.plans)):
        flt = _filter(s, lead, mine, rags, overdue, stale, pending, plan_id, due_within)
        if count:
            click.echo(str(flt.count_in(view)))  # every file as it was earlier today
            return
        if as_json:
            from ..api import action_text

            items = (action_text(p.plan_id, t) for p, t in flt.json_in(view))
            _emit(s, view.actions(), items)
            return
        if _table_from(view, flt):
            return
    from .. import api

    ws, portfolio = load(s, cache)
    if plan_id and portfolio.plan(plan_id) is None:
        known = ", ".join(p.id for p in portfolio.plans) or "none"
        raise Failed(f'no plan "{plan_id}" (plans: {known})')
    flt = _filter(s, lead, mine, rags, overdue, stale, pending, plan_id, due_within)
    lead = flt.lead
    statuses = api.portfolio_status(portfolio, s.today)
    ws.sync(portfolio, s.today, statuses)
    total = sum(ps.rollup.total + ps.rollup.dropped for ps in statuses)
    if memo and ws.cache is not None:
        from ..api import remember

        parts = _json_listing(s, flt, statuses, total) if pipe else None
        remember(ws.cache, portfolio, statuses, s.today, parts)  # the next run today: at once
        if pipe:
            return
    rows = api.filter_actions(statuses, flt, s.today)
    if count:
        click.echo(str(len(rows)))
        return
    if as_json:
        from ..api import action_json

        emit_json(
            {
                "today": s.today.isoformat(),
                "total": total,
                "actions": [
                    {"plan": row.plan.id, **action_json(row.status, row.recommendation.leads)}
                    for row in rows
                ],
            }
        )
        return
    from rich.text import Text

    from ..present.tables import actions_table, make_console

    console = make_console()
    if rows:
        console.print(actions_table(rows, total, s.today, console.width))
    else:
        console.print(f"No actions match (of {total}).")
        if lead and not api.filter_actions(statuses, api.ActionFilter(lead=lead), s.today):
            console.print(Text(_no_such_lead(lead, statuses, mine)))
    report_failed(make_console(stderr=True), portfolio)


def _table_from(view: DayView, flt: ActionFilter) -> bool:
    """The table from today's memo (cli/listing.py), as the full run lays it out; False
    when no action matches a lead, for the full run to say which leads there are."""
    items = list(flt.facts_in(view))
    if not items and flt.lead:
        return False
    from .listing import plain_table, styler_as_rich

    total = view.actions()
    style = styler_as_rich(sys.stdout) if items else None
    if style is not None:  # written directly, with Rich's codes, without Rich
        from .plain import terminal_width, write_out

        text = plain_table(items, total, view.today, terminal_width(), style)
        if text is not None:
            write_out(text)  # not click.echo: it would take the codes out in a pipe
            return True
    from ..present.tables import make_console

    console = make_console()
    if items:
        from .listing import actions_table_of

        console.print(actions_table_of(items, total, view.today, console.width))
    else:
        console.print(f"No actions match (of {total}).")
    return True


def _emit(s: Settings, total: int, items: Iterable[str]) -> None:
    """`actions --json` in a pipe from its actions' JSON text: byte for byte what
    `emit_json` writes of the list made whole, written some hundreds of actions at a time
    (never the whole list held, nor a write and a flush for each action)."""
    import json

    from ..api import json_inert

    head = {"today": s.today.isoformat(), "total": total}
    click.echo(json_inert(json.dumps(head, ensure_ascii=False))[:-1] + ', "actions": [', nl=False)
    sep = ""
    for chunk in batched(items, 500):
        click.echo(sep + json_inert(", ".join(chunk)), nl=False)
        sep = ", "
    click.echo("]}")


def batched(items: Iterable[str], n: int) -> Iterator[list[str]]:
    it = iter(items)
    while chunk := list(islice(it, n)):
        yield chunk


def _json_listing(
    s: Settings, flt: ActionFilter, statuses: list[PlanStatus], total: int
) -> dict[str, tuple[str, tuple[str, ...]]]:
    """`actions --json` in a pipe on a full run: each plan's JSON made in pieces once
    (serialize.plan_json_parts), its matching actions written from them, and the pieces
    kept in today's memo, so that the next run today answers from it."""
    from ..api import action_text, actions_of, plan_json_parts

    parts = {ps.plan.id: plan_json_parts(ps) for ps in statuses}

    def items() -> Iterator[str]:
        for ps in statuses:
            texts = iter(actions_of(parts[ps.plan.id]))
            for rs in ps.recommendations:
                for st, text in zip(rs.actions, texts, strict=False):
                    if flt.matches_status(ps.plan, rs.recommendation, st, s.today):
                        yield action_text(ps.plan.id, text)

    _emit(s, total, items())
    return parts


def _filter(
    s: Settings,
    lead: str | None,
    mine: bool,
    rags: tuple[str, ...],
    overdue: bool,
    stale: bool,
    pending: bool,
    plan_id: str | None,
    due_within: int | None,
) -> ActionFilter:
    """The filter the options ask for; --mine is the user (and, by plans/people.toml,
    every lead title they hold)."""
    from ..api import ActionFilter

    titles: tuple[str, ...] = ()
    if mine:
        from ..api import load_people, who_am_i

        lead = who_am_i()
        if not lead:
            raise Failed("cannot tell who you are; set IMPROVE_USER or use --lead NAME")
        held = load_people(s.plans).titles_for(lead)
        if held:  # plans/people.toml names the titles this person holds
            titles, lead = tuple(held), None
    return ActionFilter(
        lead=lead,
        rags=tuple(r.lower() for r in rags),
        overdue=overdue,
        stale=stale,
        plan=plan_id,
        due_within=due_within,
        pending=pending,
        leads_any=titles,
    )


def _no_such_lead(lead: str, statuses: list[PlanStatus], mine: bool) -> str:
    """Why nobody matched: leads are usually job titles, not people's names."""
    import difflib

    from .. import api

    leads = sorted(
        {
            x
            for row in api.action_rows(statuses)
            for x in row.action.leads or row.recommendation.leads
        }
    )
    words = {w.casefold(): x for x in leads for w in x.replace(",", " ").split()}
    close = difflib.get_close_matches(lead, leads, n=3, cutoff=0.5)
    close += [
        words[w] for w in difflib.get_close_matches(lead.casefold(), list(words), n=3, cutoff=0.75)
    ]
    close = list(dict.fromkeys(close))[:3]
    who = f'"{lead}"' + (" (you, by IMPROVE_USER, git user.name or your login)" if mine else "")
    text = f"No action is led by {who}: leads here are job titles, not names"
    if close:
        text += "; close matches: " + "; ".join(f'"{c}"' for c in close)
    return text + ". Try --lead with one of them, or set IMPROVE_USER to your job title."
