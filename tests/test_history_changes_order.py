"""`review changes` lists stale, quiet and added actions by plan, then by ref as a person
counts them (1.9 before 1.10, 2 before 10), as every other list of the changes."""

from __future__ import annotations

import io
from datetime import date

from history_helpers import statuses, sync, write_plan
from improve.history import HistoryStore

REVIEW, NOW = date(2017, 3, 1), date(2017, 6, 1)
REFS = ("10", "2", "1.10", "1.9", "1b", "1a", "1")
COUNTED = ["1", "1.9", "1.10", "1a", "1b", "2", "10"]


def _plan(plan_id: str, refs: tuple[str, ...]) -> str:
    actions = "".join(
        f'\n[[recommendation.action]]\nref = "{ref}"\naction = "Action {ref}"\n'
        f"due = 2017-12-31\npercent = 10\n"
        for ref in refs
    )
    return (
        f'[plan]\nid = "{plan_id}"\ntitle = "Plan {plan_id}"\nstart = 2017-01-01\n\n'
        f'[[recommendation]]\nref = "R"\n{actions}'
    )


def test_stale_quiet_and_added_in_ref_order(tmp_path):
    write_plan(tmp_path, "b.toml", _plan("b", REFS))
    write_plan(tmp_path, "a.toml", _plan("a", ("10", "2")))
    with HistoryStore(tmp_path) as store:
        sync(store, tmp_path, REVIEW)
        store.record_review(statuses(tmp_path, REVIEW)[1], REVIEW)
        write_plan(tmp_path, "a.toml", _plan("a", ("10", "2", "3", "1.2")))  # two added
        sync(store, tmp_path, NOW)
        found = store.changes("last", today=NOW)
    stale = [(s.plan_id, s.ref) for s in found.stale]
    assert stale == [("a", r) for r in ("1.2", "2", "3", "10")] + [("b", r) for r in COUNTED]
    quiet = [(q.plan_id, q.ref) for q in found.no_update]
    assert quiet == [("a", "2"), ("a", "10")] + [("b", r) for r in COUNTED]
    assert [(a.plan_id, a.ref) for a in found.added] == [("a", "1.2"), ("a", "3")]


def test_the_briefing_shows_the_first_reds_by_plan_then_ref_and_counts_the_rest(tmp_path):
    from rich.console import Console

    from improve import api
    from improve.present.briefing import RED_SHOWN, changes_briefing

    late = tuple(str(n) for n in range(RED_SHOWN + 5, 0, -1))  # every one overdue by NOW
    write_plan(tmp_path, "b.toml", _plan("b", late).replace("2017-12-31", "2017-04-30"))
    write_plan(tmp_path, "a.toml", _plan("a", ("10", "9")).replace("2017-12-31", "2017-04-30"))
    with HistoryStore(tmp_path) as store:
        sync(store, tmp_path, REVIEW)
        store.record_review(statuses(tmp_path, REVIEW)[1], REVIEW)
        portfolio, now = statuses(tmp_path, NOW)
        found = store.changes("last", today=NOW)
    plans = api.status_view(portfolio, now, NOW).plans
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(changes_briefing(found, plans))
    lines = console.export_text().splitlines()
    start = lines.index(f"Red now, and why ({RED_SHOWN + 1})")
    shown = [line.split()[0] for line in lines[start + 1 : start + 1 + RED_SHOWN]]
    counted = {"a": ["9", "10"], "b": [str(n) for n in range(1, RED_SHOWN + 6)]}
    expected = [f"{p.plan_id}:{ref}" for p in plans for ref in counted[p.plan_id]]
    assert shown == expected[:RED_SHOWN]
    assert lines[start + 1 + RED_SHOWN].strip().startswith("… and 7 more")
