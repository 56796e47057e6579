"""Global options (--plans, --today, --db), accepted before or after the command name."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

_T = TypeVar("_T")
# what click's option decorators take and give back: a command's function, or the command
FC = TypeVar("FC", bound="Callable[..., Any] | click.Command")

_KEY = "improve.options"


def _store(ctx: click.Context, param: click.Parameter, value: _T) -> _T:
    if value is not None:
        ctx.find_root().meta.setdefault(_KEY, {})[param.name] = value
    return value


def _check_date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    from ..api import parse_date

    try:
        return _store(ctx, param, parse_date(value))
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


class DateType(click.ParamType[date, str | date]):
    """A date on the command line, YYYY-MM-DD or day first (DD/MM/YYYY, as
    `dates.parse_day` reads it); anything else is a usage error (exit 2) that says what
    to write."""

    name = "date"

    def convert(
        self, value: str | date, param: click.Parameter | None, ctx: click.Context | None
    ) -> date:
        if isinstance(value, date):
            return value
        from ..api import parse_date

        try:
            return parse_date(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


DATE = DateType()


class PercentType(click.ParamType[int, str | int]):
    """A percent on the command line as a person types it (75, 75%: `change.parse_percent`);
    what is not a whole number is a usage error (exit 2). A whole number over 100 is let
    through, for the change's own check to refuse with the action named (exit 1)."""

    name = "percent"

    def convert(
        self, value: str | int, param: click.Parameter | None, ctx: click.Context | None
    ) -> int:
        if isinstance(value, int):
            return value
        from ..api import EditError, parse_percent

        try:
            return parse_percent(value)
        except EditError as exc:
            number = exc.values.get("number")
            if isinstance(number, int):
                return number
            self.fail(exc.message, param, ctx)


PERCENT = PercentType()


def key_value(value: str, shape: str, example: str, option: str) -> tuple[str, str]:
    """`KEY=VALUE` from an option (`--reading`, `--where`): the key stripped, the value as
    given; a usage error naming the `shape` and an `example` when there is no key."""
    key, sep, rest = value.partition("=")
    if not sep or not key.strip():
        raise click.BadParameter(f'"{value}" is not {shape}{example}', param_hint=option)
    return key.strip(), rest


def global_options(f: FC) -> FC:
    f = click.option(
        "--db",
        "db",
        metavar="PATH",
        default=None,
        expose_value=False,
        callback=_store,
        type=click.Path(dir_okay=False, path_type=Path),
        help="History database (default: PLANS/.improve/history.db; or IMPROVE_DB).",
    )(f)
    f = click.option(
        "--today",
        "today",
        metavar="DATE",
        default=None,
        expose_value=False,
        callback=_check_date,
        help="Work as at this date, YYYY-MM-DD or DD/MM/YYYY (default: today; or IMPROVE_TODAY).",
    )(f)
    f = click.option(
        "--plans",
        "plans",
        metavar="DIR",
        default=None,
        expose_value=False,
        callback=_store,
        type=click.Path(file_okay=False, path_type=Path),
        help="The plans folder (default: ./plans; or IMPROVE_PLANS).",
    )(f)
    return f


@dataclass
class Settings:
    plans: Path
    today: date
    db: Path | None
    today_given: bool = True  # False when --today and IMPROVE_TODAY were both absent


def settings(ctx: click.Context | None = None) -> Settings:
    ctx = ctx or click.get_current_context()
    given = ctx.find_root().meta.get(_KEY, {})
    plans = given.get("plans") or Path(os.environ.get("IMPROVE_PLANS") or "plans")
    today = given.get("today")
    today_given = True
    if today is None:
        env = os.environ.get("IMPROVE_TODAY")
        if env:
            from ..api import parse_date

            try:
                today = parse_date(env)
            except ValueError as exc:
                raise click.UsageError(f"IMPROVE_TODAY: {exc}") from None
        else:
            today = date.today()  # the one place the clock is read
            today_given = False
    db = given.get("db") or (
        Path(os.environ["IMPROVE_DB"]) if os.environ.get("IMPROVE_DB") else None
    )
    return Settings(Path(plans), today, db, today_given)


def commit_options(what: str) -> Callable[[FC], FC]:
    """`--commit/--no-commit` and `--no-verify`, for a command that writes `what` ("the
    plan file", "the review's file"): one wording of the policy for every command."""

    def add(command: FC) -> FC:
        command = click.option(
            "--no-verify",
            is_flag=True,
            help="With a commit: the repository's pre-commit and commit-msg hooks do not run.",
        )(command)
        return click.option(
            "--commit/--no-commit",
            default=None,
            help=f"Commit {what} to git, it alone (default: IMPROVE_COMMIT=1, or the plans "
            "folder's improve.toml).",
        )(command)

    return add
