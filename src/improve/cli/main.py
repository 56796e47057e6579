"""The `improve` command line: a thin layer over `improve.api`."""

from __future__ import annotations

import gc
import os
import sys
from datetime import date, timedelta
from pathlib import Path

import click

from ..api import IMPACTS, KINDS, OVERRIDE_COLOURS, PLAN_ID_RULE, STATUSES, is_plan_id, visible
from .common import (
    LazyCommands,
    RawJSON,
    emit_json,
    folder_there,
    load,
    report_failed,
    today,
    workspace,
)
from .errors import Failed, ImproveGroup, echo
from .options import DATE, PERCENT, commit_options, global_options, settings
from .read_cmds import register as register_reading

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


def _status_as_of(s, as_of: str, as_json: bool) -> None:
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
    parts: dict[str, tuple[str, tuple[str, ...]]] = {}  # memo.PlanParts
    if as_json:
        from ..api import plan_json_parts, status_json

        doc = status_json(portfolio, statuses, s.today, lazy=True)
        if pipe:  # each plan's text made once: written, and kept for the next run today

            def encoded(ps) -> RawJSON:
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
    if portfolio.failed and not statuses:
        sys.exit(1)


def _reported_json(seen) -> dict | None:
    if not seen:
        return None
    return {"body": seen[0], "meeting": seen[1].isoformat(),
            "next_due": seen[2].isoformat() if seen[2] else None}  # fmt: skip


def _with_reported(plan: dict, reported) -> dict:
    plan["last_reported"] = _reported_json(reported.get(plan["id"]))
    return plan


def _plan_text(parts, file, seen) -> RawJSON:
    from ..api import assemble_plan, display_name

    return RawJSON(assemble_plan(parts, display_name(file), _reported_json(seen)))


def _status_from_memo(s, view, as_json: bool) -> bool:
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
            "plans": (_plan_text(p.json, p.path, reported.get(p.plan_id)) for p in view.plans),
            "errors": [],  # a file with errors has no memo: a view has none
        }
        emit_json(doc, stream="plans")
        return True
    from .plain import print_status

    lines = [(p.plan_id, p.title, p.rollup) for p in view.plans]
    print_status(lines, view.total(), s.today, reported)
    return True


def _reading(value: str) -> tuple[str, str]:
    measure, sep, number = value.partition("=")
    if not sep or not measure.strip():
        raise click.BadParameter(
            f'"{value}" is not MEASURE=VALUE (e.g. supervision-monthly=82)',
            param_hint="--reading",
        )
    return measure.strip(), number


@cli.command()
@global_options
@click.argument("target", metavar="PLAN:REF")
@click.option("--percent", type=PERCENT, metavar="N", help="Percent complete, 0–100 (75 or 75%).")
@click.option("--status", "status_", type=click.Choice(STATUSES), help="The action's status.")
@click.option("--impact", type=click.Choice(IMPACTS), help="Is the action making a difference?")
@click.option("--impact-note", help="A word on the impact.")
@click.option("--note", help="A progress note for the update log.")
@click.option("--evidence", help="Add a piece of evidence (dated today).")
@click.option("--link", help="With --evidence: a URL or a path relative to the plan file.")
@click.option("--measure", help="With --evidence: the measure it is evidence for.")
@click.option(
    "--reading",
    "readings",
    multiple=True,
    metavar="MEASURE=VALUE",
    help="Record a measure reading (dated today); repeatable.",
)
@click.option(
    "--milestone",
    metavar="LABEL|N",
    help="With --done or --not-done: a milestone, by its number from 1 or its label.",
)
@click.option(
    "--done/--not-done",
    "milestone_done",
    default=None,
    help="With --milestone: the milestone is done (or not done after all).",
)
@click.option("--on", "milestone_on", type=DATE, metavar="DATE", help="With --done: the day.")
@click.option(
    "--rag",
    type=click.Choice(OVERRIDE_COLOURS),
    help="Set the colour by hand (needs --reason: why the computed colour is wrong).",
)
@click.option(
    "--until", "rag_until", type=DATE, metavar="DATE", help="With --rag: it lapses after."
)
@click.option("--clear-rag", is_flag=True, help="Take away a colour set by hand.")
@click.option(
    "--request-extension",
    type=DATE,
    metavar="DATE",
    help="Ask for a new due date (needs --reason); it awaits the meeting's decision.",
)
@click.option(
    "--agree-extension",
    "decision",
    flag_value="agree",
    help="Agree the latest request for a new due date.",
)
@click.option(
    "--refuse-extension",
    "decision",
    flag_value="refuse",
    help="Refuse the latest request (--reason says why).",
)
@click.option(
    "--extend-to",
    type=DATE,
    metavar="DATE",
    help="Record a new due date agreed already (needs --reason).",
)
@click.option(
    "--reason",
    help="Why: with --request-extension, --extend-to, --rag or --refuse-extension.",
)
@click.option(
    "--by", help="Who is making the change (default: IMPROVE_USER, git user.name, login)."
)
@commit_options("the plan file, as by --by,")
def update(
    target,
    percent,
    status_,
    impact,
    impact_note,
    note,
    evidence,
    link,
    measure,
    readings,
    milestone,
    milestone_done,
    milestone_on,
    rag,
    rag_until,
    clear_rag,
    request_extension,
    decision,
    extend_to,
    reason,
    by,
    commit,
    no_verify,
) -> None:
    """Change one action in its plan file and log the update.

    A lead asks for a new due date with --request-extension DATE --reason TEXT; the date
    in force moves only when the meeting agrees it (--agree-extension).
    """
    from ..api import Change, ImproveError, Target, display_name, who_am_i
    from .plain import Styler

    s = settings()
    folder_there(s)
    try:
        change = Change.from_text(
            percent=percent,
            status=status_,
            impact=impact,
            impact_note=impact_note,
            note=note,
            evidence=evidence,
            link=link,
            evidence_measure=measure,
            readings=[_reading(r) for r in readings],
            extend_to=extend_to,
            reason=reason,
            milestone=milestone,
            milestone_done=milestone_done,
            milestone_on=milestone_on,
            rag=rag,
            rag_until=rag_until,
            clear_rag=clear_rag,
            request_extension=request_extension,
            decide_extension=decision,
        )
        author = by or who_am_i()
        done = workspace(s).update(
            Target.parse(target), change, s.today, author, commit=commit, no_verify=no_verify
        )
    except ImproveError as exc:
        exc.values.setdefault("target", target)  # said as "improve: PLAN:REF: …"
        raise
    # written plainly (no Rich to import: an edit should cost its file), plan text inert
    style = Styler(sys.stdout)
    echo(f"Updated {done.target} in {display_name(done.path)}:")
    for line in done.changes or ["note added"]:
        echo(f"  • {line}")
    rag = done.action.rag
    word = style((rag or "dropped").upper(), f"rag:{rag}" if rag else "dim")
    # the colour word is ours, styled; the plan's words after it are made inert
    click.echo(f"  Now: {word} — {visible(done.action.why)}")
    if done.history_warning:
        echo(f"improve: warning: {done.history_warning}", err=True)
    if done.committed:
        echo(f"Committed {done.committed[:10]}: {display_name(done.path)}, by {author or 'you'}.")
    if done.commit_note:  # why it was not committed, or that the commit is on no branch
        echo(f"improve: warning: {done.commit_note}", err=True)


@cli.command()
@global_options
@click.argument("plan_id", metavar="ID")
@click.option("--title", help="The plan's title.")
@click.option("--kind", type=click.Choice(KINDS), default="internal", show_default=True)
@click.option("--organisation", default="Your council", show_default=True)
def new(plan_id, title, kind, organisation) -> None:
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
    today,
    user: str | None,
    high_contrast: bool,
    banner: str | None = None,
    db: Path | None = None,
):
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


def main() -> None:
    # A command is a short run whose garbage reference counting frees as it goes; the
    # cycle collector would only walk the plans again and again (at 20,000 actions, a
    # third of a warm `status`). The app and the report, which run long or build
    # documents full of cycles, turn it back on.
    gc.disable()
    try:
        cli(prog_name="improve")
    except KeyboardInterrupt:
        click.echo("improve: interrupted", err=True)
        sys.exit(130)
