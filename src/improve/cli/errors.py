"""How the command line says what went wrong: once, here, always `improve: MESSAGE`, exit 1.

The library's errors name no command-line option; this module adds the option a field
is given with and the command that helps, by the error's code.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import IO, Any

import click

from ..api import ImproveError, visible

# the option each field of a change is given with
OPTION = {
    "percent": "--percent N",
    "status": "--status",
    "impact": "--impact",
    "impact_note": "--impact-note",
    "note": "--note",
    "evidence": "--evidence TEXT",
    "link": "--link",
    "evidence_measure": "--measure",
    "readings": "--reading MEASURE=VALUE",
    "extend_to": "--extend-to DATE",
    "reason": "--reason TEXT",
    "milestone": "--milestone LABEL|N",
    "milestone_done": "--done or --not-done",
    "milestone_on": "--on DATE",
    "rag": "--rag COLOUR or --clear-rag",
    "rag_until": "--until DATE",
    "request_extension": "--request-extension DATE",
    "decide_extension": "--agree-extension or --refuse-extension",
    "by": "--by NAME, or IMPROVE_USER",
    "since": "--since last|ID|DATE",
}

DB_HINT = "give --db PATH (or set IMPROVE_DB) to keep the history in another file"

# what helps next, by the error's code
HINT: dict[str, Callable[[dict[str, Any]], str]] = {
    "plan-has-errors": lambda v: "`improve check` lists them",
    "unknown-action": lambda v: (
        f"`improve actions --plan {v['plan_id']}` lists its actions" if v.get("plan_id") else ""
    ),
    "no-review": lambda v: "record one with `improve review record`",
    "unknown-review": lambda v: "`improve review list` lists the reviews",
    "history-unusable": lambda v: DB_HINT,
    "history-newer": lambda v: DB_HINT,
    "history-not-empty": lambda v: DB_HINT,
    "conflict": lambda v: "run the command again",
    "pdf-too-large": lambda v: (
        "report fewer plans at a time, or give --format html, docx or xlsx, which have no limit"
    ),
}

# codes whose whole message the command line words in its own terms
REWORD: dict[str, str] = {
    "nothing-to-change": "nothing to change: give --percent, --status, --impact, --note, "
    "--evidence, --reading, --milestone, --rag, --request-extension or --extend-to",
}


def say(exc: ImproveError) -> str:
    """The one-line message for an error, in the command line's words."""
    message = REWORD.get(exc.code, exc.message)
    hint_for = HINT.get(exc.code)
    hint = hint_for(exc.values) if hint_for is not None else ""
    if hint:
        message += f"; {hint}"
    option = OPTION.get(exc.field or "")
    if option:
        message += f" ({option})"
    target = exc.values.get("target")
    return f"{target}: {message}" if target else message


def echo(text: str, err: bool = False) -> None:
    """`click.echo`, with plan text made inert: a file name, a key or a value quoted in a
    message can hold ESC or another control character, shown here and never obeyed."""
    click.echo(visible(text), err=err)


class Failed(click.ClickException):
    """A command could not do what was asked: `improve: MESSAGE` on stderr, exit 1."""

    exit_code = 1

    def show(self, file: IO[Any] | None = None) -> None:
        echo(f"improve: {self.message}", err=True)


class ImproveGroup(click.Group):
    """The command group: every `ImproveError` a command raises is said here, once, and
    anything unforeseen is one line too, never a traceback (IMPROVE_DEBUG=1 shows it)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ImproveError as exc:
            raise Failed(say(exc)) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except KeyboardInterrupt:  # Ctrl-C: said in one line, the shell's code for it
            echo("", err=True)  # off the line the terminal's ^C is on
            echo("improve: interrupted", err=True)
            raise click.exceptions.Exit(130) from None
        except BrokenPipeError:  # the reader went away (`improve … | head`): stop quietly
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())  # so the flush at exit cannot fail again
            raise click.exceptions.Exit(1) from None
        except Exception as exc:  # a bug: say so in one line, keep the details on request
            if os.environ.get("IMPROVE_DEBUG"):
                import traceback

                traceback.print_exc(file=sys.stderr)
            raise Failed(
                f"unexpected error ({type(exc).__name__}: {exc}); the command stopped there. "
                "Please report this; IMPROVE_DEBUG=1 shows the details"
            ) from None
