"""`review changes` lists stale, quiet and added actions by plan, then by ref as a person
counts them (1.9 before 1.10, 2 before 10), as every other list of the changes."""

from __future__ import annotations

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
