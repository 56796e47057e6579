"""Plans in from the documents councils keep them in: Word tables, Excel trackers, CSV.

    imported = import_plan(Path("plan.xlsx"), plans, today=today)   # reads, never writes
    write_imported(imported)                                          # PLANS/ID.toml, new

The source is read into one grid (`grid`), its header row found and its columns named by
the words councils use (`columns`), its rows read as themes, recommendations and actions
(`rows`), and the result written as a plan file (`toml_out`) that must pass the same checks
as any plan. A RAG written in the source is a person's judgement: it is kept under `extra`
and set beside the rules' colour, never turned into an override.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import SourceError
from .columns import Column, find_header, map_columns, parse_map
from .grid import read_grid
from .rows import Built, Remark, build

if TYPE_CHECKING:
    from ..plans.model import Problem

__all__ = ["Disagreement", "Imported", "SourceError", "import_plan", "write_imported"]


@dataclass
class Disagreement:
    """An action whose RAG in the source is not the rules' RAG."""

    ref: str
    opening: str  # the action's first words
    source: str
    rules: str | None
    why: str


@dataclass
class Imported:
    source: Path
    path: Path  # where the plan goes: PLANS/ID.toml
    plan_id: str
    text: str  # the plan file
    columns: list[Column]
    header_at: str  # where the header row is
    built: Built
    remarks: list[Remark] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # the check's warnings on the new file
    kind: str = "other"

    @property
    def counts(self) -> dict[str, int]:
        return {
            "themes": len(self.built.themes),
            "recommendations": len(self.built.recommendations),
            "actions": len(self.built.actions()),
            "numbered": self.built.numbered,
        }

    def warning_lines(self) -> list[str]:
        """Every row or cell not read as it stood: FILE:LOCATION: warning: …"""
        return [f"{self.source.name}:{r.where}: warning: {r.message}" for r in self.remarks]


def default_id(source: Path) -> str:
    stem = re.sub(r"[^a-z0-9._-]+", "-", source.stem.casefold()).strip("-._")
    return stem or "imported-plan"


def import_plan(
    source: Path,
    plans: Path,
    *,
    today: dt.date,
    plan_id: str | None = None,
    kind: str | None = None,
    title: str | None = None,
    sheet: str | None = None,
    mapping: tuple[str, ...] | list[str] = (),
) -> Imported:
    """Read `source` as a plan for `plans`; nothing is written. SourceError says why not."""
    from ..plans.loader import parse_text
    from ..plans.vocab import PLAN_ID_RULE, is_plan_id
    from ..status import rules
    from .toml_out import render

    plan_id = plan_id or default_id(source)
    if not is_plan_id(plan_id):
        raise SourceError(
            f'"{plan_id}" is not a plan id: {PLAN_ID_RULE}; give one with --id',
            code="import-id",
        )
    path = plans / f"{plan_id}.toml"
    if path.exists():
        raise SourceError(
            f"{path} already exists: import never writes over a plan; give another --id",
            code="import-exists",
        )
    try:
        overrides = parse_map(mapping)
    except ValueError as exc:
        raise SourceError(str(exc), code="import-map") from None
    grid = read_grid(source, sheet)
    at = find_header(grid.rows, overrides)
    if at is None:
        seen = "; ".join(
            " | ".join(t[:20] for t in row.texts() if t) for row in grid.rows[:3] if row.filled()
        )
        raise SourceError(
            f"{source.name}: no header row found (a row naming at least the action column, "
            f"such as Ref, Action, Lead(s), Date Due) in its first rows ({seen or 'empty'}); "
            'name the columns with --map, e.g. --map "What we will do=action"',
            code="import-no-header",
        )
    header = map_columns(grid.rows, at, overrides)
    if header.find("action") is None:
        raise SourceError(
            f"{source.name}: no column is the action (columns: "
            f"{', '.join(c.header for c in header.columns if c.header)}); "
            'say which with --map, e.g. --map "Task=action"',
            code="import-no-action",
        )
    built = build(grid, header, today)
    if not built.actions():
        raise SourceError(
            f"{source.name}: no actions under the header at {grid.rows[at].where}",
            code="import-empty",
        )
    name = (
        title
        or next((t for t in built.headings if len(t) > 3), None)
        or next((t for t in built.title_rows if len(t) > 3 and not _ORGANISATION.match(t)), None)
        or next((t for t in built.title_rows if len(t) > 3), None)
        or source.stem
    )
    kind = kind or guess_kind(name)
    text = render(
        built,
        plan_id=plan_id,
        title=" ".join(name.split()),
        kind=kind,
        source_name=source.name,
        today=today,
    )
    plan, problems, _ = parse_text(text, path, plans)
    if plan is None:  # a bug of ours: the import made a plan the checks refuse
        raise SourceError(
            f"{source.name}: the imported plan does not pass the checks ("
            + "; ".join(p.message for p in problems[:3])
            + "); nothing was written. Please report this with the file",
            code="import-invalid",
        )
    out = Imported(
        source, path, plan_id, text, header.columns, grid.rows[at].where, built,
        remarks=list(built.warnings), problems=problems, kind=kind,
    )  # fmt: skip
    recs = built.recommendations
    if len(recs) == 1 and recs[0].made_up:
        out.remarks.append(Remark(grid.rows[at].where, "no structure found: check --map (no "
            f"recommendation, theme or key concern was found, so all {len(recs[0].actions)} "
            f'actions are under one made-up recommendation "{recs[0].ref}")'))  # fmt: skip
    sources = {a.ref: a for a in built.actions() if a.source_rag}
    for rec in plan.recommendations:
        for action in rec.actions:
            given = sources.get(action.ref)
            if given is None:
                continue
            st = rules.action_status(action, today, plan.margin, plan.stale_days, plan.start)
            if st.rag != given.source_rag:
                opening = _opening(action.action)
                found = Disagreement(action.ref, opening, given.source_rag or "", st.rag, st.why)
                out.disagreements.append(found)
    return out


_KINDS = (  # the plan's kind, from words in its title, when --kind does not say
    ("send", re.compile(r"(?-i:\bSEND\b)|special educational needs|\bEHC", re.IGNORECASE)),
    ("ofsted", re.compile(r"\bofsted\b|\bSIF\b|\bILACS\b|inspection", re.IGNORECASE)),
    ("scrutiny", re.compile(r"\bscrutiny\b", re.IGNORECASE)),
    (
        "partnership",
        re.compile(r"\bpartnership\b|children (?:and|&) young people.s plan", re.IGNORECASE),
    ),
)


def guess_kind(title: str) -> str:
    """ "SEND", "Ofsted", "Scrutiny" or "Partnership" in the title says the plan's kind;
    else "other"."""
    for kind, words in _KINDS:
        if words.search(title):
            return kind
    return "other"


# a title row that is only who keeps the plan ("Telford & Wrekin Council"), not its title
_ORGANISATION = re.compile(
    r"^[\w&'’ .,-]{0,60}\b(council|trust|partnership|board|police|ccg|children first)$",
    re.IGNORECASE,
)


def _opening(text: str, words: int = 8) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def write_imported(imported: Imported) -> Path:
    """Write the new plan file; never over one that exists (even one made since)."""
    from ..plans.files import create_new

    try:
        create_new(imported.path, imported.text.encode("utf-8"))
    except FileExistsError:
        raise SourceError(
            f"{imported.path} already exists: import never writes over a plan; give another --id",
            code="import-exists",
        ) from None
    return imported.path
