"""The rows of the actions table: plans → themes → recommendations → actions, grouped,
collapsible and filtered, and never more rows than a screen can use."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from rich.text import Text

from .. import rules
from ..api import ActionFilter, ActionRow
from ..display import counts_text, pct, rag_text
from .widgets import clip

MAX_ROWS = 1000          # a DataTable of 1,000 rows paints in ~0.1 s; 20,000 would take seconds
AUTO_COLLAPSE = 300      # more matching actions than this: open with the groups folded


@dataclass(slots=True)
class Row:
    key: str                  # plan:ID | theme:PLAN:ID | rec:PLAN:REF | act:PLAN:REF
    kind: str
    plan_id: str
    ref: str | None
    cells: tuple


@dataclass
class Rows:
    rows: list[Row] = field(default_factory=list)
    shown: int = 0            # actions that match the filters
    total: int = 0            # actions in scope (dropped included)
    truncated: int = 0        # rows left out to respect MAX_ROWS
    groups: list[str] = field(default_factory=list)   # every group key, for expand/collapse all


def _group(key: str, kind: str, plan_id: str, ref: str | None, label: Text, rag, percent,
           folded: bool, matched: int, count: int, styles: dict, mark: str = "") -> Row:
    arrow = "▸ " if folded else "▾ "
    title = Text(arrow, style="bold")
    title.append_text(label)
    if matched != count:
        title.append(f"  ({matched} of {count} match)", style="italic")
    elif folded:
        title.append(f"  ({count} actions)", style="italic")
    return Row(key, kind, plan_id, ref,
               (Text(mark, style="bold"), rag_text(rag, styles), pct(percent), "", title, "", ""))


def column_widths(screen_width: int) -> tuple[int, int]:
    """(action, lead) text widths: at 80 columns the action text fills the screen and the
    leads sit just off it (scroll right, or open the action); wider, both fit."""
    if screen_width < 100:
        return max(24, screen_width - 46), 30
    lead = min(40, (screen_width - 54) // 3)
    return min(100, screen_width - 54 - lead), lead


def build_rows(statuses, flt: ActionFilter, today: date, folded: set[str], *,
               all_plans: bool, styles: dict, max_rows: int = MAX_ROWS,
               widths: tuple[int, int] = (60, 40)) -> Rows:
    """Rows for one plan (themes and recommendations as groups) or for every plan
    (plans and recommendations as groups). Groups with no matching action are left out."""
    out = Rows()
    budget = max_rows

    def add(row: Row) -> None:
        nonlocal budget
        if budget > 0:
            out.rows.append(row)
            budget -= 1
        else:
            out.truncated += 1

    for ps in statuses:
        plan = ps.plan
        label = plan.label("recommendation")
        recs = []
        for rs in ps.recommendations:
            rec = rs.recommendation
            matched = [st for st in rs.actions if flt.matches(ActionRow(plan, rec, st), today)]
            out.total += len(rs.actions)
            out.shown += len(matched)
            if matched:
                recs.append((rs, matched))
        if not recs:
            continue
        plan_key = f"plan:{plan.id}"
        if all_plans:
            out.groups.append(plan_key)
            matched_n = sum(len(m) for _, m in recs)
            add(_group(plan_key, "plan", plan.id, None, Text(plan.title, style="bold"),
                       ps.rollup.rag, ps.rollup.percent, plan_key in folded, matched_n,
                       ps.rollup.total + ps.rollup.dropped, styles))
            if plan_key in folded:
                continue
        themes = {t.id: t for t in plan.themes} if not all_plans else {}
        current_theme = None
        theme_folded = False
        for rs, matched in recs:
            rec = rs.recommendation
            if themes and rec.theme != current_theme:
                current_theme = rec.theme
                theme = themes.get(rec.theme)
                tkey = f"theme:{plan.id}:{rec.theme}"
                out.groups.append(tkey)
                theme_folded = tkey in folded
                in_theme = [(r, m) for r, m in recs if r.recommendation.theme == rec.theme]
                t_roll = rules.rollup([st for r, _ in in_theme for st in r.actions])
                add(_group(tkey, "theme", plan.id, rec.theme,
                           Text(f"{plan.label('theme')} {rec.theme}: "
                                f"{theme.title if theme else ''}", style="bold"),
                           t_roll.rag, t_roll.percent, theme_folded, sum(len(m) for _, m in in_theme),
                           sum(len(r.actions) for r, _ in in_theme), styles, mark=""))
            if theme_folded:
                continue
            rkey = f"rec:{plan.id}:{rec.ref}"
            out.groups.append(rkey)
            rec_folded = rkey in folded
            title = rec.title or rec.text or ""
            add(_group(rkey, "rec", plan.id, rec.ref, Text(clip(f"{label}: {title}", widths[0]),
                                                           style="bold"),
                       rs.rollup.rag, rs.rollup.percent, rec_folded, len(matched),
                       len(rs.actions), styles, mark=rec.ref))
            if rec_folded:
                continue
            for st in matched:
                a = st.action
                due = st.due.isoformat() if st.due else "–"
                if st.due != st.original_due:
                    due += " *"
                leads = "; ".join(a.leads or rec.leads)
                add(Row(f"act:{plan.id}:{a.ref}", "act", plan.id, a.ref,
                        (a.ref, rag_text(st.rag, styles), f"{st.percent}%", due,
                         Text(clip(a.action, widths[0])), Text(clip(leads, widths[1])),
                         a.impact or "")))
    return out


def top_level(rows_groups: list[str], all_plans: bool) -> set[str]:
    """The groups to fold when a big scope opens folded."""
    prefix = "plan:" if all_plans else "rec:"
    return {g for g in rows_groups if g.startswith(prefix)}


def leads_in(statuses) -> list[str]:
    names = set()
    for ps in statuses:
        for rs in ps.recommendations:
            for st in rs.actions:
                names.update(st.action.leads or rs.recommendation.leads)
    return sorted(names, key=str.casefold)
