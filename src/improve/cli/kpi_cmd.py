"""`improve kpi import`: a measure's readings and comparators from DfE's published files
(docs/kpi.md)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from .errors import Failed, echo
from .options import global_options, key_value, settings

if TYPE_CHECKING:
    from ..api import KpiImport

FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


def register(cli: click.Group) -> None:
    cli.add_command(kpi)


@click.group()
def kpi() -> None:
    """Key performance indicators from DfE's files, into a plan's measures."""


def _where(value: str) -> tuple[str, str]:
    return key_value(value, "COLUMN=VALUE", "; e.g. --where characteristic=Total", "--where")


def _target(value: str) -> tuple[str, str]:
    plan_id, sep, measure = value.partition(":")
    if not sep or not plan_id.strip() or not measure.strip():
        raise click.BadParameter(
            f"\"{value}\" is not PLAN:MEASURE; write the plan's id and the measure's id, "
            "e.g. cypp:cin-rate",
            param_hint="--measure",
        )
    return plan_id.strip(), measure.strip()


@kpi.command("import")
@global_options
@click.argument("source", metavar="FILE.csv", type=FILE)
@click.option("--measure", "target", required=True, metavar="PLAN:MEASURE",
              help="The plan's id and the measure's id (at any level of the plan).")  # fmt: skip
@click.option("--column", required=True, metavar="NAME", help="The indicator's column header.")
@click.option("--la", required=True, metavar="NAME|CODE",
              help='The council: its name ("Telford and Wrekin") or code (E06000020, 894).')  # fmt: skip
@click.option("--neighbours", "sn_file", type=FILE, metavar="SN.csv",
              help="DfE's statistical neighbours as CSV (la_name, SN_1 … SN_10).")  # fmt: skip
@click.option("--neighbours-by", "how", type=click.Choice(["median", "mean"]),
              default="median", show_default=True, help="How the neighbours' values are summed up.")  # fmt: skip
@click.option("--where", "where", multiple=True, metavar="COLUMN=VALUE",
              help="Only rows with this value in this column (a file with breakdowns); repeatable.")  # fmt: skip
@click.option("--source", "source_words", metavar="TEXT",
              help="The comparators' source (default: the file's name and the column).")  # fmt: skip
@click.option("--by", help="Record the change as by this person (default: you).")
@click.option("--dry-run", is_flag=True, help="Say what would change; change nothing.")
def import_(
    source: Path,
    target: str,
    column: str,
    la: str,
    sn_file: Path | None,
    how: str,
    where: tuple[str, ...],
    source_words: str | None,
    by: str | None,
    dry_run: bool,
) -> None:
    """Readings and comparators from an Explore Education Statistics data file.

    Writes the council's figures into the measure's readings, and England's, its
    region's and (with --neighbours) its statistical neighbours' median or mean into its
    comparators, dated by the period (a financial or reporting year by 31 March, an
    academic year by 31 August, a calendar year by 31 December). Suppressed cells
    (c, x, z, low, u, ~, :, empty) are left out, never written as 0. Only the lines that
    change are written, as `improve update` writes, and recorded in the history;
    importing the same file twice changes nothing the second time.
    """
    from ..api import SourceError, kpi_import, who_am_i
    from .common import workspace

    plan_id, measure = _target(target)
    filters = [_where(w) for w in where]
    s = settings()
    try:
        result = kpi_import(
            workspace(s), plan_id, measure, source, column, la, s.today, by or who_am_i(),
            neighbours=sn_file, how=how, where=filters, source=source_words, dry_run=dry_run,
        )  # fmt: skip
    except SourceError as exc:
        hint = {
            "source-ambiguous": " (--where COLUMN=VALUE)",
            "source-no-la": " (--la)",
            "source-column": " (--column)" if exc.values.get("column") == column else "",
        }.get(exc.code, "")
        raise Failed(exc.message + hint) from None
    _say(result, source, column, f"{plan_id}:{measure}", dry_run)


def _say(result: KpiImport, source: Path, column: str, name: str, dry_run: bool) -> None:
    """The summary: what was read, what changed (old → new for a replaced figure), what
    was left out, and where it was written."""
    from ..api import display_name

    fig, nb = result.figures, result.neighbours
    region = fig.region.name if fig.region is not None else "no region"
    near = f", {len(fig.neighbours)} of {len(nb.names)} neighbours ({result.how})" if nb else ""
    echo(
        f"Read {source.name}: {fig.council.name}, {column}, {len(fig.council.cells)} periods "
        f"({fig.rows} rows); England, {region}{near}."
    )
    planned = result.planned
    if planned is not None:
        for key in ("readings", "comparators"):
            echo(
                f"  {key}: {planned.added.get(key, 0)} added, {planned.changed.get(key, 0)} "
                f"replaced (the value differs), {planned.same.get(key, 0)} already there"
            )
        for line in planned.said:
            if "→" in line:
                echo(f"  • {line}")
    for line in result.notes:
        echo(f"  note: {line}")
    if result.left_out:
        echo(f"  left out, suppressed or empty (never written as 0): {len(result.left_out)}")
        for line in result.left_out:
            echo(f"    {line}")
    done = result.done
    if planned is None or not planned.said:
        echo(f"Nothing to change: {name} already has these figures.")
    elif dry_run:
        echo(f"Dry run: {name} not changed.")
    elif done is not None:
        echo(f"Updated {name} in {display_name(done.path)}.")
        for warning in (done.history_warning, done.commit_note):
            if warning:  # history not recorded; why it was not committed
                echo(f"improve: warning: {warning}", err=True)
        if done.committed:
            echo(f"Committed {done.committed[:10]}: {display_name(done.path)}.")
