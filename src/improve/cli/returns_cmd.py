"""`improve returns make` and `improve returns apply`: spreadsheet returns from leads and
partners who will never install a terminal tool."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import load
from .errors import Failed, echo
from .options import global_options, settings


def register(cli: click.Group) -> None:
    cli.add_command(returns)


@click.group()
def returns() -> None:
    """Progress returns as spreadsheets: make one per lead, apply them when they come back."""


@returns.command("make")
@global_options
@click.option(
    "--lead", "leads", multiple=True, metavar="NAME",
    help="Only this lead (a title, part of one, or a person in plans/people.toml); repeatable.",
)  # fmt: skip
@click.option("--plan", "plan_ids", multiple=True, metavar="ID", help="Only this plan; repeatable.")
@click.option(
    "-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
    default=Path("returns"), show_default=True, help="The folder to write them in.",
)  # fmt: skip
@click.option("--by", help="Who they go back to, for the instructions (default: you).")
def make(leads: tuple[str, ...], plan_ids: tuple[str, ...], out_dir: Path, by: str | None) -> None:
    """One .xlsx per lead listing that lead's open actions, to fill in and send back.

    Only the answer columns are unlocked (New %, Milestone done, Progress note, Evidence,
    Evidence link, Impact, Measure, Reading, Extension to, Extension reason); the
    spreadsheet itself checks each as it is typed: New % 0–100, Impact, the milestone and
    the measure from the row's own lists, Reading a number, Extension to a later date.
    """
    from ..api import display_name, load_people, make_returns, who_am_i

    s = settings()
    _, portfolio = load(s)
    for plan_id in plan_ids:
        if portfolio.plan(plan_id) is None:
            known = ", ".join(p.id for p in portfolio.plans) or "none"
            raise Failed(f'no plan "{plan_id}" (plans: {known})')
    people = load_people(s.plans)
    for problem in people.problems:
        echo(f"improve: warning: {problem}", err=True)
    made, unknown = make_returns(
        portfolio, s.today, out_dir, leads=list(leads), plan_ids=list(plan_ids), people=people,
        by=by or who_am_i(),
    )  # fmt: skip
    for name in unknown:
        echo(f'improve: warning: no open action is led by "{name}"', err=True)
    if not made:
        raise Failed(
            "no returns made: no lead has an open action" + (" of those named" if leads else "")
        )
    for ret in made:
        who = ", ".join(
            p.name + (f" <{p.email}>" if p.email else "") for p in ret.people
        )  # fmt: skip
        rows = f"{len(ret.rows)} action{'s' if len(ret.rows) != 1 else ''}"
        echo(
            f"Wrote {display_name(ret.path)}: {ret.lead}, {rows}" + (f"; for {who}" if who else "")
        )


@returns.command("apply")
@global_options
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))  # fmt: skip
@click.option("--by", help="Record the changes as by this person (default: the return's lead).")
@click.option("--dry-run", is_flag=True, help="Say what would change; change nothing.")
def apply(files: tuple[Path, ...], by: str | None, dry_run: bool) -> None:
    """Apply filled-in returns: each row as `improve update` would, as by the return's lead.

    A return with any value that cannot be used changes nothing and names each bad cell.
    A row whose action changed in the plan since the return was made is a conflict: it is
    listed, not applied, and the other rows are. Applying a return twice changes nothing
    the second time. A return is applied only as this plans folder made it: what it was
    made for is signed (PLANS/.improve/returns.key), and a formula or a spreadsheet error
    in an answer cell is refused.
    """
    from ..api import apply_return, read_return

    s = settings()
    ws, portfolio = load(s)
    failed = False
    for path in files:
        read = read_return(path, portfolio, s.today)
        if read.problems:
            for line in read.problem_lines():
                echo(line, err=True)
            echo(f"{path.name}: nothing applied: {len(read.problems)} value"
                 f"{'s' if len(read.problems) != 1 else ''} to put right first", err=True)  # fmt: skip
            failed = True
            continue
        result = apply_return(read, ws, portfolio, s.today, by, dry_run=dry_run)
        for o in result.outcomes:
            t = o.answer.target
            if o.state in ("applied", "would-apply"):
                verb = "would change" if dry_run else "changed"
                echo(f"{path.name}: row {o.answer.row}: {t} {verb}: " + "; ".join(o.said))
            elif o.state == "already":
                echo(f"{path.name}: row {o.answer.row}: {t} already says this; nothing to do")
            else:
                echo(f"{path.name}: row {o.answer.row}: {t} conflict: {o.why}; not applied, "
                     "look at the answer with the plan's owner", err=True)  # fmt: skip
        done = result.count("would-apply" if dry_run else "applied")
        conflicts = result.count("conflict")
        summary = (
            f"{path.name}: {done} row{'s' if done != 1 else ''} "
            + ("would be applied" if dry_run else "applied")
            + f", {result.count('already')} already in the plan, {conflicts} conflict"
            + ("s" if conflicts != 1 else "")
            + f", {read.blank} left blank"
            + (f" (as by {by or read.lead})" if done else "")
            + "."
        )
        echo(summary)
        if not dry_run and done:
            # the plans changed under this portfolio: the next file is checked against them
            portfolio = ws.load()
    if failed:
        sys.exit(1)
