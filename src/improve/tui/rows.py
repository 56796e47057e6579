"""The rows of the actions table: plans → themes → recommendations → actions, grouped,
collapsible and filtered, and never more rows than a screen can use."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text

from ..api import ActionFilter, ActionStatus, PlanStatus, RecommendationStatus, rollup
from ..present.text import RagStyles, clip, pct, rag_text

if TYPE_CHECKING:
    from ..api import Plan, Recommendation, Theme

Keep = Callable[["Plan", "Recommendation", ActionStatus, date], bool]  # an action shown?

MAX_ROWS = 100  # rows whose cells are built at a time (~15 µs a row); the next rows
# load as the cursor reaches the end
AUTO_COLLAPSE = 300  # more matching actions than this: open with the groups folded


@dataclass(slots=True)
class Row:
    key: str  # plan:ID | theme:PLAN:ID | rec:PLAN:REF | act:PLAN:REF
    kind: str
    plan_id: str
    ref: str | None
    cells: tuple[Text | str, ...]


@dataclass
class Rows:
    rows: list[Row] = field(default_factory=list)
    shown: int = 0  # actions that match the filters
    total: int = 0  # actions in scope (dropped included)
    truncated: int = 0  # rows left out to respect MAX_ROWS
    groups: list[str] = field(default_factory=list)  # every group key, for expand/collapse all


def _group(
    key: str,
    kind: str,
    plan_id: str,
    ref: str | None,
    label: str,
    rag: str | None,
    percent: float | None,
    folded: bool,
    matched: int,
    count: int,
    styles: RagStyles,
    width: int,
    mark: str = "",
) -> Row:
    note = ""
    if matched != count:
        note = f"  ({matched} of {count} match)"
    elif folded:
        note = f"  ({count} actions)"
    title = Text("▸ " if folded else "▾ ", style="bold")
    title.append(clip(label, max(10, width - 2 - len(note))), style="bold")
    title.append(note, style="italic")
    return Row(
        key,
        kind,
        plan_id,
        ref,
        (Text(mark, style="bold"), rag_text(rag, styles), pct(percent), "", title, "", ""),
    )


def cell_widths(statuses: Iterable[PlanStatus]) -> dict[str, int]:
    """The widest ref, RAG word, due date and impact of the actions of `statuses` and of
    their groups, for layout.fit_plan: one pass over the actions, so a column is as wide
    as its widest cell and a number or a date is never cut."""
    ref = rag = due = impact = 1
    for ps in statuses:
        rag = max(rag, len(ps.rollup.rag or "dropped"))  # as rag_text words it
        for rs in ps.recommendations:
            ref = max(ref, len(rs.recommendation.ref))
            rag = max(rag, len(rs.rollup.rag or "dropped"))
            for st in rs.actions:
                a = st.action
                ref = max(ref, len(a.ref))
                if st.rag is None:
                    rag = max(rag, len("dropped"))
                if st.due is not None:
                    due = max(due, 12 if st.due != st.original_due else 10)
                if a.impact:
                    impact = max(impact, len(a.impact))
    return {"ref": ref, "rag": rag, "due": due, "impact": impact}


def build_rows(
    statuses: Iterable[PlanStatus],
    flt: ActionFilter,
    today: date,
    folded: set[str],
    *,
    all_plans: bool,
    styles: RagStyles,
    max_rows: int = MAX_ROWS,
    widths: tuple[int, int] = (60, 40),
    haystacks: dict[int, str] | None = None,
) -> Rows:
    """Rows for one plan (themes and recommendations as groups) or for every plan
    (plans and recommendations as groups). Groups with no matching action are left out."""
    build = _Build(flt, today, folded, all_plans, styles, max_rows, widths, haystacks)
    for ps in statuses:
        build.plan(ps)
    out = build.out
    if out.truncated:
        more = Text(f"… {out.truncated} more rows: they load as the cursor reaches this line "
                    "(or fold groups with -, or filter)", style="italic")  # fmt: skip
        out.rows.append(Row("more", "more", "", None, ("", "", "", "", more, "", "")))
    return out


class _Build:
    """The rows of `build_rows`, a plan at a time: rows past the budget are counted,
    never built."""

    def __init__(self, flt: ActionFilter, today: date, folded: set[str], all_plans: bool,
                 styles: RagStyles, max_rows: int, widths: tuple[int, int],
                 haystacks: dict[int, str] | None) -> None:  # fmt: skip
        self.out = Rows()
        self.budget = max_rows
        self.today, self.folded, self.all_plans = today, folded, all_plans
        self.styles, self.widths = styles, widths
        self.everything = flt.is_empty()
        self.keep: Keep = flt.matches_status
        if flt.text and haystacks is not None:
            # the text each action is searched in, lower-cased once per load, not once per key
            def keep(
                plan: Plan,
                rec: Recommendation,
                st: ActionStatus,
                today: date,
                _match: Callable[..., bool] = flt.matches_status,
            ) -> bool:
                hay = haystacks.get(id(st))
                if hay is None:
                    hay = haystacks[id(st)] = ActionFilter.haystack(st.action, rec)
                return _match(plan, rec, st, today, hay=hay)

            self.keep = keep

    def room(self) -> bool:
        """Whether another row fits."""
        if self.budget > 0:
            self.budget -= 1
            return True
        self.out.truncated += 1
        return False

    def group(self, key: str, kind: str, plan_id: str, ref: str | None, label: str,
              rag: str | None, percent: float | None, matched: int, count: int, mark: str = "") -> bool:  # fmt: skip
        """A group's row (when it fits); whether the group is folded."""
        self.out.groups.append(key)
        fold = key in self.folded
        if self.room():
            self.out.rows.append(_group(key, kind, plan_id, ref, label, rag, percent, fold,
                                        matched, count, self.styles, self.widths[0], mark))  # fmt: skip
        return fold

    def plan(self, ps: PlanStatus) -> None:
        plan = ps.plan
        recs: list[tuple[RecommendationStatus, list[ActionStatus]]] = []
        for rs in ps.recommendations:
            rec = rs.recommendation
            if self.everything:
                matched = rs.actions
            else:
                matched = [st for st in rs.actions if self.keep(plan, rec, st, self.today)]
            self.out.total += len(rs.actions)
            self.out.shown += len(matched)
            if matched:
                recs.append((rs, matched))
        if not recs:
            return
        if plan.themes and not self.all_plans:
            # each theme once, in the plan's theme order, even if its recommendations are
            # not next to each other in the file
            order: dict[str | None, int] = {t.id: i for i, t in enumerate(plan.themes)}
            recs.sort(key=lambda pair: order.get(pair[0].recommendation.theme, len(order)))
        if self.all_plans:
            r = ps.rollup
            matched_n = sum(len(m) for _, m in recs)
            if self.group(f"plan:{plan.id}", "plan", plan.id, None, plan.title, r.rag,
                          r.percent, matched_n, r.total + r.dropped):  # fmt: skip
                return
        themes: dict[str | None, Theme] = (
            {t.id: t for t in plan.themes} if not self.all_plans else {}
        )
        current_theme = None
        theme_folded = False
        for rs, matched in recs:
            rec = rs.recommendation
            if themes and rec.theme != current_theme:
                current_theme = rec.theme
                theme_folded = self.theme(ps, recs, rec.theme, themes.get(rec.theme))
            if theme_folded:
                continue
            self.recommendation(plan, rs, matched)

    def theme(
        self,
        ps: PlanStatus,
        recs: list[tuple[RecommendationStatus, list[ActionStatus]]],
        theme_id: str | None,
        theme: Theme | None,
    ) -> bool:
        """The theme's row, with its true colour and percent: every recommendation of it,
        not only those with an action that matches the filters."""
        plan = ps.plan
        in_theme = [(r, m) for r, m in recs if r.recommendation.theme == theme_id]
        whole = [r for r in ps.recommendations if r.recommendation.theme == theme_id]
        roll = rollup([st for r in whole for st in r.actions])
        title = f"{plan.label('theme')} {theme_id}: {theme.title if theme else ''}"
        return self.group(f"theme:{plan.id}:{theme_id}", "theme", plan.id, theme_id, title,
                          roll.rag, roll.percent, sum(len(m) for _, m in in_theme),
                          sum(len(r.actions) for r in whole))  # fmt: skip

    def recommendation(
        self, plan: Plan, rs: RecommendationStatus, matched: list[ActionStatus]
    ) -> None:
        rec = rs.recommendation
        title = f"{plan.label('recommendation')}: {rec.title or rec.text or ''}"
        if self.group(f"rec:{plan.id}:{rec.ref}", "rec", plan.id, rec.ref, title,
                      rs.rollup.rag, rs.rollup.percent, len(matched), len(rs.actions),
                      mark=rec.ref):  # fmt: skip
            return
        for st in matched:
            if self.room():
                self.out.rows.append(self.action(plan, rec, st))

    def action(self, plan: Plan, rec: Recommendation, st: ActionStatus) -> Row:
        a = st.action
        due = st.due.isoformat() if st.due else "–"
        if st.due != st.original_due:
            due += " *"
        leads = "; ".join(a.leads or rec.leads)
        cells = (
            Text(a.ref), rag_text(st.rag, self.styles), f"{st.percent}%", due,
            Text(clip(a.action, self.widths[0])), Text(clip(leads, self.widths[1])),
            a.impact or "",
        )  # fmt: skip
        return Row(f"act:{plan.id}:{a.ref}", "act", plan.id, a.ref, cells)


def top_level(rows_groups: list[str], all_plans: bool) -> set[str]:
    """The groups to fold when a big scope opens folded."""
    prefix = "plan:" if all_plans else "rec:"
    return {g for g in rows_groups if g.startswith(prefix)}


def leads_in(statuses: Iterable[PlanStatus]) -> list[str]:
    names: set[str] = set()
    for ps in statuses:
        for rs in ps.recommendations:
            for st in rs.actions:
                names.update(st.action.leads or rs.recommendation.leads)
    return sorted(names, key=str.casefold)
