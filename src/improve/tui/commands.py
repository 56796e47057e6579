"""The command palette (ctrl+p): jump to a plan, jump to an action by ref, any filter,
the high-contrast theme, help."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.markup import escape

from .plan import FILTER_NAMES, PlanScreen

if TYPE_CHECKING:
    from .app import ImproveApp

MAX_ACTION_HITS = 40  # a palette list longer than this helps nobody, and costs time at 20,000


def highlight(matcher: Matcher, name: str) -> Content:
    """The matched letters of `name` highlighted; the name as plain text, never markup
    (Matcher.highlight reads it as markup, and plan titles are untrusted)."""
    content = Content(name)
    _score, offsets = matcher.fuzzy_search.match(matcher.query, name)
    for offset in offsets:
        if not name[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class ImproveCommands(Provider):
    if TYPE_CHECKING:
        # what Textual's own property returns, typed; Textual declares it App[object],
        # and App is invariant in its result (ImproveApp is an App[None])
        @property
        def app(self) -> ImproveApp: ...  # type: ignore[override]

    def fixed(self) -> list[tuple[str, Callable[[], Any], str]]:
        app = self.app
        commands: list[tuple[str, Callable[[], Any], str]] = [
            (
                f"Plan: {ps.plan.title}",
                partial(app.show_plan, ps.plan.id),
                escape(f"open {ps.plan.id}"),
            )
            for ps in app.statuses or []
        ]
        commands += [
            (
                f"Filter: {label}",
                partial(app.apply_filter, name),
                "on this plan's actions, or on every plan's from the first screen",
            )
            for name, label in FILTER_NAMES.items()
        ]
        commands += [
            ("Filter: one lead…", partial(app.apply_filter, "lead"), "choose a lead from a list"),
            ("Filter: clear all", partial(app.apply_filter, "clear"), "show every action"),
            ("All actions of every plan", app.action_all_actions, "grouped by plan"),
            (
                "Measures: readings against target and comparators",
                app.show_measures,
                "of the plan on screen, or of every plan: England, region, neighbours (k)",
            ),
            (
                "Review: what moved since the last review",
                app.action_review,
                "and the trend of each plan; R records this review",
            ),
            (
                "High contrast on/off",
                app.action_toggle_contrast,
                "solid colour badges behind every RAG word, and a black background",
            ),
            (
                "Report: write the committee's progress report",
                app.action_report,
                "on the plan on screen, or every plan; HTML, PDF, Excel, Markdown or CSV (e)",
            ),
            ("Help: keys, colours and rules", app.action_help, "the same as ?"),
        ]
        return commands

    async def discover(self) -> Hits:
        for name, callback, help_text in self.fixed():
            yield DiscoveryHit(Content(name), callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self.fixed():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, highlight(matcher, name), callback, help=help_text)
        needle = query.strip().casefold()
        if not needle:
            return
        found = 0
        for ps in self.app.statuses or []:
            for st in ps.actions():
                a = st.action
                name = f"Action {ps.plan.id}:{a.ref} {a.action[:60]}"
                # a cheap substring test first: fuzzy matching 20,000 names takes too long
                if needle not in name.casefold():
                    continue
                score = matcher.match(name)
                if score > 0:
                    yield Hit(
                        score,
                        highlight(matcher, name),
                        partial(self.app.show_action, ps.plan.id, a.ref),
                        help=escape(f"{(st.rag or 'dropped').upper()} · {ps.plan.title}"),
                    )
                    found += 1
                    if found >= MAX_ACTION_HITS:
                        return


def apply_filter(app: ImproveApp, name: str) -> None:
    """A filter chosen in the palette: on the plan screen's actions, or, from another
    screen, on every plan's ("clear" and "lead" open every plan's actions first)."""
    screen = app.screen
    if not isinstance(screen, PlanScreen):
        if name in ("clear", "lead"):
            app.action_all_actions()
            screen = app.screen
            if name == "clear" or not isinstance(screen, PlanScreen):
                return  # cleared already; or closing, so no plan screen was opened
        else:
            app.action_all_actions(name)
            return
    if name == "clear":
        screen.action_clear_filters()
    elif name == "lead":
        screen.action_pick_lead()
    else:
        screen.action_toggle_filter(name)
