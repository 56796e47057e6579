"""`improve report`: the committee's progress table, in the format asked for."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import click

from .common import load
from .errors import echo
from .options import DATE, commit_options, global_options, settings

if TYPE_CHECKING:
    from ..api import Report

FORMAT_CHOICES = ("html", "pdf", "docx", "xlsx", "md", "csv")


@click.command()
@global_options
@click.argument("plan_ids", nargs=-1, metavar="[PLAN]...")
@click.option(
    "--format", "fmt", type=click.Choice(FORMAT_CHOICES), default="html", show_default=True,
    help="html (one self-contained file), pdf (tagged, A4 landscape), docx (Word), xlsx, "
    "md or csv.",
)  # fmt: skip
@click.option(
    "--template", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE.docx",
    help="With --format docx: a Word document whose styles, headers, footers and margins "
    "the report takes (as a reference document).",
)  # fmt: skip
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write it; - for standard output (default: "
    "PLAN-report-DATE.FORMAT in this folder).",
)  # fmt: skip
@click.option(
    "--since", default="last", show_default=True, metavar="last|ID|DATE",
    help="The period for 'what changed' and 'little or no evidence of progress'.",
)  # fmt: skip
@click.option("--for", "body", metavar="BODY", help="The committee or board it is for.")
@click.option("--meeting", type=DATE, metavar="DATE", help="The date of that meeting.")
@click.option("--by", help="Who produced it (default: IMPROVE_USER, git user.name, login).")
@commit_options("the file that records it (with --for)")
def report(
    plan_ids: tuple[str, ...],
    fmt: str,
    output: Path | None,
    template: Path | None,
    since: str,
    body: str | None,
    meeting: date | None,
    by: str | None,
    commit: bool | None,
    no_verify: bool,
) -> None:
    """The committee's progress report on one plan, several or all.

    Per plan: the headline, the exceptions, the areas with little or no evidence
    of progress, then the full table by theme and recommendation, and the key.
    With --for BODY --meeting DATE it is recorded that the plans were reported to
    that body for that meeting, in the plans folder as reported/MEETING-BODY-KEY.toml
    (KEY: six characters of its own): committed, every clone's status and programme
    say it.
    """
    import gc

    from ..api import default_name, make_report, write_report

    gc.enable()  # a PDF's layout is full of cycles: collect them (see cli.main.main)

    if (body is None) != (meeting is None):
        raise click.UsageError("--for BODY and --meeting DATE go together")
    if template is not None and fmt != "docx":
        raise click.UsageError("--template FILE.docx goes with --format docx")
    if template is not None:
        from ..api import template_bytes

        template_bytes(template)  # a template that cannot be used is refused before the work
    s = settings()
    if body is not None:
        from ..api import folder_problem
        from .errors import Failed

        if problem := folder_problem(s.plans):  # said before any report is made
            raise Failed(f"{problem}; nothing was recorded")
    ws, portfolio = load(s)
    statuses = ws.statuses(portfolio, s.today)
    ws.sync(portfolio, s.today, statuses)
    from ..api import display_name, who_am_i

    author = by or who_am_i()
    result = make_report(
        portfolio, s.today, plan_ids=list(plan_ids), store=ws.store, since=since,
        produced_by=author, statuses=statuses,
    )  # fmt: skip
    to_stdout = output is not None and str(output) == "-"
    if to_stdout:
        _to_stream(result, fmt, s.plans, sys.stdout.buffer, template)
        where = "standard output"
    elif output is not None and _is_stream(output):  # /dev/tty, /dev/stdout, a FIFO
        with open(output, "wb") as stream:
            _to_stream(result, fmt, s.plans, stream, template)
        where = display_name(output)
    else:
        path = output or Path(default_name(list(plan_ids), fmt, s.today))
        write_report(result, fmt, path, s.plans, template=template)
        where = display_name(path.resolve())
    for line in result.not_reported:
        echo(f"improve: warning: not reported: {line}", err=True)
    reported = [pr.plan.id for pr in result.plans]
    echo(
        f"Wrote {where}: {len(reported)} plan"
        f"{'s' if len(reported) != 1 else ''} as at {s.today.isoformat()}.",
        err=to_stdout,  # the report is standard output: the summary goes beside it
    )
    if body is not None and meeting is not None:
        from ..api import share_reported

        shared = share_reported(ws.require_store(), reported, body, meeting, s.today, author,
                                fmt, s.plans, commit=commit, no_verify=no_verify)  # fmt: skip
        where = f", in {display_name(shared.path)}" if shared.path is not None else ""
        echo(
            f"Recorded as reported to {body} for its meeting on {meeting.isoformat()}{where}.",
            err=to_stdout,
        )
        if shared.committed and shared.path is not None:
            echo(f"Committed {shared.committed[:10]}: {display_name(shared.path)}.", err=to_stdout)
        if shared.commit_note:  # why it was not committed, or that the commit is on no branch
            echo(f"improve: warning: {shared.commit_note}", err=True)


def _is_stream(path: Path) -> bool:
    """An output that is there already and is no file to replace: a terminal, a pipe."""
    import stat

    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def _to_stream(
    result: Report, fmt: str, plans_root: Path, out: BinaryIO, template: Path | None
) -> None:
    """`-o -`: the report's bytes on standard output (links relative to this folder); a
    PDF, a Word document or a workbook is not written to a terminal, where it would be
    noise. At a terminal, HTML, Markdown and CSV are made inert: every control character the plans
    hold (ESC, the C1 controls) and every invisible one (U+202E …) shown as a picture, so a
    plan's text cannot retitle the terminal, write the clipboard or clear the screen.
    A file or a pipe gets the exact text."""
    from ..api import render, visible
    from .errors import Failed

    at_terminal = out.isatty()
    if fmt in ("pdf", "docx", "xlsx") and at_terminal:
        raise Failed(f"a {fmt} report is not for a terminal; pipe it or give -o FILE")
    data = render(result, fmt, plans_root, Path.cwd(), template=template)
    if at_terminal:
        text = data.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n")
        data = visible(text).encode("utf-8")
    from .plain import send

    sys.stdout.flush()
    send(out, data, data)  # not out.write: it can stop at what a pipe holds and say nothing


def register(cli: click.Group) -> None:
    cli.add_command(report)
