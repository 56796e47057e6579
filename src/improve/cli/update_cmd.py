"""`improve update PLAN:REF`: one change to one action, through `Workspace.update`."""

from __future__ import annotations

import sys
from datetime import date

import click

from ..api import IMPACTS, OVERRIDE_COLOURS, STATUSES, visible
from .common import folder_there, workspace
from .errors import echo
from .options import DATE, PERCENT, commit_options, global_options, key_value, settings


def register(cli: click.Group) -> None:
    cli.add_command(update)


def _reading(value: str) -> tuple[str, str]:
    return key_value(value, "MEASURE=VALUE", " (e.g. supervision-monthly=82)", "--reading")


@click.command()
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
    target: str,
    percent: int | None,
    status_: str | None,
    impact: str | None,
    impact_note: str | None,
    note: str | None,
    evidence: str | None,
    link: str | None,
    measure: str | None,
    readings: tuple[str, ...],
    milestone: str | None,
    milestone_done: bool | None,
    milestone_on: date | None,
    rag: str | None,
    rag_until: date | None,
    clear_rag: bool,
    request_extension: date | None,
    decision: str | None,
    extend_to: date | None,
    reason: str | None,
    by: str | None,
    commit: bool | None,
    no_verify: bool,
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
