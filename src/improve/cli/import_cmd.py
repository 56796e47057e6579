"""`improve import`: a plan in from Word, Excel or CSV, with a summary of what it did."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..api import KINDS
from .errors import echo
from .options import global_options, settings

if TYPE_CHECKING:
    from ..api import Imported


def register(cli: click.Group) -> None:
    cli.add_command(import_)


@click.command("import")
@global_options
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--id", "plan_id", metavar="ID", help="The plan's id (default: from the file name).")
@click.option(
    "--kind",
    type=click.Choice(KINDS),
    help="The plan's kind (default: from its title: SEND, Ofsted, Scrutiny, Partnership; "
    "else other).",
)
@click.option("--title", help="The plan's title (default: the title above the table).")
@click.option("--sheet", metavar="NAME", help="The workbook's sheet (default: the first).")
@click.option(
    "--map",
    "mapping",
    multiple=True,
    metavar="COLUMN=KEY",
    help="Read a column (its heading, or its letter) as this key, or 'ignore'; repeatable.",
)
@click.option("--dry-run", is_flag=True, help="Say what would be written; write nothing.")
def import_(
    source: Path,
    plan_id: str | None,
    kind: str | None,
    title: str | None,
    sheet: str | None,
    mapping: tuple[str, ...],
    dry_run: bool,
) -> None:
    """Bring a plan in from a Word table (.docx), an Excel tracker (.xlsx) or a CSV file.

    Writes PLANS/ID.toml (never over an existing plan) and says which columns became
    which keys, how many themes, recommendations and actions it read, every row it could
    not read, and every action whose RAG in the source is not the rules' RAG as at today.
    """
    from ..api import display_name, import_plan, write_imported

    s = settings()
    imported = import_plan(
        source, s.plans, today=s.today, plan_id=plan_id, kind=kind, title=title, sheet=sheet,
        mapping=mapping,
    )  # fmt: skip
    echo(f"Read {source.name}: the header is at {imported.header_at}.")
    if kind is None:
        echo(f"Kind: {imported.kind} (from the title; --kind says otherwise).")
    _columns(imported)
    echo(_found(imported))
    for warning in imported.warning_lines():
        echo(warning)
    if imported.disagreements:
        echo(
            f"The source's RAG differs from the rules' as at {s.today.isoformat()} for "
            f"{_n(len(imported.disagreements), 'action')} (the source's is kept under extra):"
        )
        for d in imported.disagreements:
            rules = (d.rules or "none").upper()
            echo(f"  {d.ref} {d.opening}: source {d.source.upper()}, rules {rules} ({d.why})")
    elif any(a.source_rag for a in imported.built.actions()):
        echo(f"Every RAG in the source agrees with the rules as at {s.today.isoformat()}.")
    for problem in imported.problems:
        echo(str(problem))
    warnings = _n(len(imported.problems), "warning")
    where = display_name(imported.path)
    if dry_run:
        echo(f"Nothing written (--dry-run); it would be {where}, passing `improve check` "
             f"with {warnings}.")  # fmt: skip
        return
    write_imported(imported)
    echo(f"Wrote {where}; it passes `improve check` with {warnings}.")


def _columns(imported: Imported) -> None:
    """Which column became which key."""
    echo("Columns:")
    for column in imported.columns:
        if not column.header and column.key is None:
            continue
        heading = column.header or f"column {column.index + 1}"
        if column.key is None and column.by_map:
            what = "ignored (--map)"
        elif column.index in imported.built.read_as:
            what = imported.built.read_as[column.index]
        elif column.key is None:
            what = f"kept under extra.{imported.built.kept_as_extra.get(heading, '…')}"
        else:
            what = column.key + (" (--map)" if column.by_map else "")
        echo(f"  {heading} → {what}")


def _found(imported: Imported) -> str:
    """What it read: "Found 2 key concerns, 5 actions and 3 measures of the key concerns."
    with the actions it numbered and where actions with no recommendation went."""
    c = imported.counts
    built = imported.built
    label = (built.label or "recommendation").casefold()
    found = [_n(c["themes"], "theme")] if c["themes"] else []
    found.append(_n(c["recommendations"], label))
    found.append(_n(c["actions"], "action"))
    held = sum(len(r.measures) for r in built.recommendations)
    if held:
        found.append(f"{_n(held, 'measure')} of the {_plural(label)}")
    line = f"Found {', '.join(found[:-1])} and {found[-1]}."
    led = sum(1 for r in built.recommendations if r.leads)
    if led:
        own = "has leads of its own" if led == 1 else "have leads of their own"
        line += f" {_n(led, label)} {own}."
    numbered = [a.ref for a in built.actions() if a.numbered]
    if numbered:
        shown = ", ".join(numbered[:12]) + (", …" if len(numbered) > 12 else "")
        were = "was" if len(numbered) == 1 else "were"
        line += f" {_n(len(numbered), 'action')} had no ref and {were} numbered: {shown}."
    made_up = [r.ref for r in built.recommendations if r.made_up]
    if made_up:
        line += f' No recommendations in the source: the actions are under "{made_up[0]}".'
    return line


def _n(count: int, word: str) -> str:
    return f"{count} {word if count == 1 else _plural(word)}"


def _plural(word: str) -> str:
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "o", "u"):
        return word[:-1] + "ies"  # priority → priorities
    return word + "s"
