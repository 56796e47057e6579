"""The `improve` command line: a thin layer over `improve.api`."""

from __future__ import annotations

import gc
import os
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from ..api import KINDS, PLAN_ID_RULE, is_plan_id
from .common import (
    LazyCommands,
    RawJSON,
    emit_json,
    keep,
    load,
    report_failed,
    today,
)
from .errors import Failed, ImproveGroup, echo
from .options import global_options, settings
from .read_cmds import register as register_reading
from .update_cmd import register as register_update

if TYPE_CHECKING:
    from typing import TypedDict

    from ..api import DayView, PlanDay, PlanStatus
    from .options import Settings

    class LastReported(TypedDict):
        """A plan's "last_reported" in `status --json`."""

        body: str
        meeting: str  # YYYY-MM-DD
        next_due: str | None


Seen = tuple[str, date, "date | None"]  # a plan last reported: (body, meeting, next due)
Parts = tuple[str, tuple[str, ...]]  # a plan's JSON in pieces (the memo's PlanParts)

# Only click and the words of the plan format are imported to start: each command imports
# what it uses (the model, the history, Rich's tables, the app), so `improve --help` and
# the quick commands do not pay for the rest (tests/test_import_hygiene.py holds this).


@click.group(
    cls=ImproveGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@global_options
@click.version_option(package_name="improve", message="improve %(version)s")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Track improvement plans: Ofsted, scrutiny and partnership action plans.

    With no command, opens the app at a terminal (prints `improve status` when piped).
    """
    if ctx.invoked_subcommand is None:
        if sys.stdin.isatty() and sys.stdout.isatty():
            ctx.invoke(app)
        else:
            ctx.invoke(status)


def _status_as_of(s: Settings, as_of: str, as_json: bool) -> None:
    from ..api import parse_date
    from ..present.briefing import as_of_table
    from ..present.tables import make_console

    try:
        day = parse_date(as_of)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--as-of") from None
    ws, portfolio = load(s)
    ws.sync(portfolio, s.today, quiet=False)
    summaries = ws.require_store().status_as_of(day)
    if as_json:
        emit_json({"as_of": day.isoformat(), "plans": [p.to_json() for p in summaries]})
        return
    if not summaries:
        raise Failed(f"the history has nothing recorded on or before {day.isoformat()}")
    make_console().print(as_of_table(summaries, day))


@cli.command()
@global_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the shape in the docs).")
@click.option(
    "--as-of",
    "as_of",
    metavar="DATE",
    help="The portfolio as the history recorded it on that date (needs history).",
)
def status(as_json: bool, as_of: str | None) -> None:
    """Every plan: percent complete, RAG with counts, overdue and stale actions."""
    s = settings()
    if as_of is not None:
        return _status_as_of(s, as_of, as_json)
    pipe = as_json and not sys.stdout.isatty()  # JSON at a terminal is indented: made anew
    view, cache = today(s, json=pipe) if pipe or not as_json else (None, None)
    if cache is None:  # JSON at a terminal: written once all the same, by remember
        from ..api import held_cache

        cache = held_cache(s.plans, s.db)
    if view is not None and _status_from_memo(s, view, as_json):
        return
    from .. import api
    from ..api import remember

    ws, portfolio = load(s, cache)
    statuses = api.portfolio_status(portfolio, s.today)
    ws.sync(portfolio, s.today, statuses)
    reported = ws.reported(statuses)
    parts: dict[str, Parts] = {}
    if as_json:
        from ..api import plan_json_parts, status_json

        doc = status_json(portfolio, statuses, s.today, lazy=True)
        if pipe:  # each plan's text made once: written, and kept for the next run today

            def encoded(ps: PlanStatus) -> RawJSON:
                parts[ps.plan.id] = plan_json_parts(ps)
                return _plan_text(parts[ps.plan.id], ps.plan.file, reported.get(ps.plan.id))

            doc["plans"] = map(encoded, statuses)
        else:
            doc["plans"] = (_with_reported(plan, reported) for plan in doc["plans"])
        emit_json(doc, stream="plans")
    else:
        from ..api import portfolio_rollup
        from .plain import print_status

        if statuses:
            lines = [(ps.plan.id, ps.plan.title, ps.rollup) for ps in statuses]
            print_status(lines, portfolio_rollup(statuses), s.today, reported)
        else:
            echo(f"No plans loaded from {s.plans}.")
        if portfolio.failed:
            from ..present.tables import make_console

            report_failed(make_console(stderr=True), portfolio)
    remember(ws.cache, portfolio, statuses, s.today, parts)
    keep(ws, portfolio, statuses)  # let go with the process, not plan by plan
    if portfolio.failed and not statuses:
        sys.exit(1)


def _reported_json(seen: Seen | None) -> LastReported | None:
    if not seen:
        return None
    return {"body": seen[0], "meeting": seen[1].isoformat(),
            "next_due": seen[2].isoformat() if seen[2] else None}  # fmt: skip


def _with_reported(plan: dict[str, Any], reported: dict[str, Seen]) -> dict[str, Any]:
    plan["last_reported"] = _reported_json(reported.get(plan["id"]))
    return plan


def _plan_text(parts: Parts, file: Path, seen: Seen | None) -> RawJSON:
    from ..api import assemble_plan, display_name

    return RawJSON(assemble_plan(parts, display_name(file), _reported_json(seen)))


def _memo_text(p: PlanDay, seen: Seen | None) -> RawJSON:
    assert p.json is not None  # a view opened for JSON (today(s, json=True)) has it for all
    return _plan_text(p.json, p.path, seen)


def _status_from_memo(s: Settings, view: DayView, as_json: bool) -> bool:
    """`status` from today's memos (improve.speed.dayview): False when the history cannot say
    what was reported without its store (then the full run says it)."""
    from ..api import reported as reported_in
    from ..api import resolve_path

    reported = reported_in(view, resolve_path(s.plans, s.db))
    if reported is None:
        return False
    if as_json:
        doc = {
            "today": s.today.isoformat(),
            "plans": (_memo_text(p, reported.get(p.plan_id)) for p in view.plans),
            "errors": [],  # a file with errors has no memo: a view has none
        }
        emit_json(doc, stream="plans")
        return True
    from .plain import print_status

    lines = [(p.plan_id, p.title, p.rollup) for p in view.plans]
    print_status(lines, view.total(), s.today, reported)
    return True


@cli.command()
@global_options
@click.argument("plan_id", metavar="ID")
@click.option("--title", help="The plan's title.")
@click.option("--kind", type=click.Choice(KINDS), default="internal", show_default=True)
@click.option("--organisation", default="Your council", show_default=True)
def new(plan_id: str, title: str | None, kind: str, organisation: str) -> None:
    """Write a commented template plan to PLANS/ID.toml."""
    from ..api import atomic_write, display_name, render_template

    s = settings()
    if not is_plan_id(plan_id):
        raise Failed(f'"{plan_id}" is not a plan id: {PLAN_ID_RULE} (nothing was written)')
    s.plans.mkdir(parents=True, exist_ok=True)
    path = s.plans / f"{plan_id}.toml"
    if path.exists():
        raise Failed(f"{path} already exists; choose another id (nothing was written)")
    text = render_template(
        plan_id,
        title or plan_id.replace("-", " ").capitalize(),
        kind,
        organisation,
        s.today,
        s.today + timedelta(days=90),
        display_name(path),
    )
    atomic_write(path, text.encode("utf-8"))
    echo(f"Wrote {display_name(path)}; edit it, then run `improve check {display_name(path)}`.")


def _run_app(
    plans: Path,
    today: date,
    user: str | None,
    high_contrast: bool,
    banner: str | None = None,
    db: Path | None = None,
) -> None:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise Failed(
            "the app needs a terminal: run this in one (for a report in a pipe, "
            "use `improve status` or `improve actions`)"
        )
    from ..tui import make_app  # textual is imported only when the app is wanted

    gc.enable()

    make_app(plans, today, user, high_contrast=high_contrast, banner=banner, db=db).run()


def _high_contrast(flag: bool) -> bool:
    return flag or os.environ.get("IMPROVE_THEME", "").lower() == "high-contrast"


@cli.command()
@global_options
@click.option(
    "--high-contrast",
    is_flag=True,
    help="Solid badges behind RAG words on black (or set IMPROVE_THEME=high-contrast).",
)
def app(high_contrast: bool) -> None:
    """Open the app on the plans folder: every plan at a glance, drill down, update."""
    from ..api import who_am_i

    s = settings()
    if not s.plans.is_dir():
        raise Failed(f"no plans folder at {s.plans}; give --plans DIR or set IMPROVE_PLANS")
    _run_app(s.plans, s.today, who_am_i(), _high_contrast(high_contrast), db=s.db)


DEMO_TODAY = date(2017, 1, 5)  # the Telford plans mid-flight


@cli.command()
@global_options
@click.option(
    "--to",
    "target",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to put the scratch copy (default: a new temporary folder).",
)
@click.option("--high-contrast", is_flag=True, help="Open the app in the high-contrast theme.")
def demo(target: Path | None, high_contrast: bool) -> None:
    """Try the app safely: a scratch copy of the plans, as at 5 January 2017.

    The shipped plans are copied first, so updates made while trying it change only the
    copy; the copy is kept afterwards so you can see what changed.
    """
    from .. import api
    from ..api import DB_DIR, DB_NAME, HistoryError, who_am_i

    s = settings()
    if not s.plans.is_dir():
        raise Failed(
            f"no plans folder at {s.plans}; run this from a checkout of improve, "
            "or give --plans DIR"
        )
    today = s.today if s.today_given else DEMO_TODAY
    try:
        copy = make_demo_copy(s.plans, target)
    except OSError as exc:
        raise Failed(f"could not make the scratch copy: {exc}") from None
    demo_db = copy / DB_DIR / DB_NAME  # the copy's own history, whatever IMPROVE_DB says
    try:  # the plans' own dated entries, replayed, so "since the last review" has a story
        with api.Workspace(copy, db=demo_db) as ws:
            ws.require_store().replay(ws.load(), today)
    except HistoryError as exc:
        echo(f"improve: warning: the demo has no history: {exc}", err=True)
    banner = f"DEMO as at {today.isoformat()} · a scratch copy in {copy}; the shipped plans are not touched"
    _run_app(copy, today, who_am_i(), _high_contrast(high_contrast), banner, db=demo_db)
    echo(f"The demo copy is kept in {copy}.\nTo see what you changed: diff -ru {s.plans} {copy}")


def make_demo_copy(source: Path, target: Path | None) -> Path:
    """Copy the plan files (not the history) into a new or empty folder."""
    import shutil
    import tempfile

    if target is None:
        target = Path(tempfile.mkdtemp(prefix="improve-demo-"))
    elif target.exists() and any(target.iterdir()):
        raise Failed(f"{target} is not empty; give --to a new or empty folder")
    shutil.copytree(
        source, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".improve", ".*")
    )
    return target


# The other modules' commands, by name: each module is imported, and its commands
# registered, only when one of them is asked for (or the whole list is: --help), so that
# `status` does not pay for `kpi`'s or `report`'s imports (issue 27).
LAZY_COMMANDS = {
    "review": "history_cmds",
    "history": "history_cmds",
    "report": "report_cmd",
    "programme": "programme_cmd",
    "import": "import_cmd",
    "returns": "returns_cmd",
    "kpi": "kpi_cmd",
}


cli.commands = LazyCommands(cli, LAZY_COMMANDS, cli.commands)
register_reading(cli)
register_update(cli)


def run() -> None:
    """The `improve` command: `main`, then out of the process at once. Everything a
    command writes is written by then (files atomically and closed, the history closed as
    the command's context ends), so the interpreter's tearing down of every object it
    made (a cold load of 10,000 plans leaves millions) would only add time: 20 ms after
    a cold `status` of 1,000 files. Standard output and error are flushed first; the exit
    code is main's."""
    from . import common

    common.LEAVING = True
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exit_code(exc)
    leave(code)


def exit_code(exc: SystemExit) -> int:
    """The status a process ending with `exc` exits with, as Python itself would (a
    message is written to standard error, and is 1)."""
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code
    try:
        sys.stderr.write(f"{exc.code}\n")
    except (OSError, ValueError):
        pass
    return 1


def leave(code: int) -> NoReturn:
    """Out of the process with `code`, once standard output and error are flushed; a
    reader gone before the last flush (`improve … | head`) is exit 1, said to no one."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            code = code or 1
    os._exit(code)


def main() -> None:
    # A command is a short run whose garbage reference counting frees as it goes; the
    # cycle collector would only walk the plans again and again (at 20,000 actions, a
    # third of a warm `status`). The app and the report, which run long or build
    # documents full of cycles, turn it back on.
    gc.disable()
    cli(prog_name="improve")  # Ctrl-C in a command: ImproveGroup.invoke says so, exit 130
