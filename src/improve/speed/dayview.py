"""A folder as the rules saw it today, from the cache's memos (improve.status.memo), when every
file is unchanged since a run earlier today, and nothing to record in the history.

    view, cache = open_day(plans, db_path, today)   # (None, cache) when anything is doubtful
    ...
    remember(cache, portfolio, statuses, today)      # after a full run: for the next one

Any doubt at all (a file not in the cache, changed, a link, a plan with errors, two plans
with one id, a memo of another day, a write not yet recorded, anything for the history to
record) means None, and the command does its full work, which then leaves memos for the
next run. The cache is given back either way, so that work does not read it again.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from stat import S_ISLNK
from typing import TYPE_CHECKING

from ..status.memo import DayView, plan_day, plan_day_of, summary_of, summary_tuple

if TYPE_CHECKING:
    from ..plans.loader import LoadedFile, Portfolio
    from ..status import rules
    from ..status.memo import PlanParts
    from .cache import PlanCache


def cache_on(env: Mapping[str, str] | None = None) -> bool:
    env = os.environ if env is None else env
    return env.get("IMPROVE_CACHE", "1") not in ("0", "off")


def open_day(
    plans: Path, db_path: Path, today: date, *, json: bool = False
) -> tuple[DayView | None, PlanCache | None]:
    """Today's view of the folder from the memos, and the cache read for it. `json`: the
    view must have each plan's JSON too."""
    from ..plans.files import STALE_TEMP, leftover_temps, remove_leftovers
    from .cache import PlanCache

    if not cache_on():
        return None, None
    cache = PlanCache.for_folder(plans, db_path.parent)
    if cache is None:
        return None, None
    view = _view(cache, plans, db_path, today, json)
    if view is None:  # the full run: its load sweeps; dayview.remember saves, once
        cache.held = True
        return None, cache
    remove_leftovers(leftover_temps(plans, older_than=STALE_TEMP))  # as a load does
    cache.save()  # a file's entry may have settled
    return view, cache


def held_cache(plans: Path, db: Path | str | None = None) -> PlanCache | None:
    """The folder's cache for a full run that ends with `remember`: the load reads it but
    does not write it; `remember` writes it once, with the day's memos. None when off."""
    from ..history.paths import resolve_path
    from .cache import PlanCache

    if not cache_on():
        return None
    cache = PlanCache.for_folder(plans, resolve_path(plans, db).parent)
    if cache is not None:
        cache.held = True
    return cache


def _view(cache: PlanCache, plans: Path, db_path: Path, today: date, json: bool) -> DayView | None:
    from ..plans.files import plan_files

    if not cache.entries:
        return None  # nothing kept (a first run, or the cache was removed): not listed
    files = plan_files(plans)
    day = today.toordinal()
    seen: set[str] = set()
    out = []
    for path in files:
        try:
            st = os.lstat(path)  # one call: a link is a doubt, anything else is its own stat
        except OSError:
            return None
        if S_ISLNK(st.st_mode):
            return None
        entry = cache.peek(path, st)
        if entry is None or not entry[4] or entry[4] in seen:
            return None
        memo = cache.memo(path.name, day, entry[1], json=json)
        if memo is None or (json and memo[2] is None):
            return None
        seen.add(entry[4])
        out.append(plan_day(path, entry[1], memo[1], memo[2]))
    fps = {p.plan_id: p.fingerprint for p in out}
    if not out or not nothing_to_record(plans, db_path, fps, [], today):
        return None
    return DayView(plans, today, out)


def nothing_to_record(
    plans: Path,
    db_path: Path,
    fingerprints: Mapping[str, str],
    failed: list[Path],
    today: date,
    env: Mapping[str, str] | None = None,
) -> bool:
    """The one test, for a run from the memos and a full run alike, that the history has
    nothing to record: no write noted and not yet recorded, every plan recorded as at
    today with these bytes, no file newly failing, and no commit unread
    (history/quick.py reads the database without opening the store)."""
    from ..edits import journal
    from ..history import quick
    from ..team import gitref

    if journal.pending(plans):
        return False
    head = gitref.quick_head(plans, env)
    return quick.nothing_to_record(db_path, dict(fingerprints), failed, today, head, plans)


def reported(view: DayView, db_path: Path) -> dict[str, tuple[str, date, date | None]] | None:
    """As Workspace.reported: plan id → (body, meeting, next report due), for the plans
    of the view; None when the history cannot be read without its store."""
    from ..history import quick
    from ..plans.dates import with_next_report

    seen = quick.last_reported(db_path)
    if seen is None:
        return None
    return with_next_report(seen, {p.plan_id: p.review for p in view.plans})


def remember(
    cache: PlanCache | None,
    portfolio: Portfolio,
    statuses: list[rules.PlanStatus],
    today: date,
    json_parts: Mapping[str, PlanParts] | None = None,
) -> None:
    """Keep today's summary of each plan (and its JSON, when `json_parts` has it) beside
    the plan in the cache, for the next run today, and write the cache (once: a cache
    `open_day` held was not written by the load)."""
    if cache is None:
        return
    cache.held = False
    import marshal

    day = today.toordinal()
    files = _files_by_id(portfolio)
    for ps in statuses:
        loaded = files.get(ps.plan.id)
        if loaded is None:
            continue
        parts = json_parts.get(ps.plan.id) if json_parts else None
        name = loaded.path.name
        kept = cache.memo(name, day, loaded.fingerprint, json=parts is not None)
        if kept is not None and (parts is None or kept[2] is not None):
            continue  # kept already today: nothing to build again
        js = marshal.dumps(parts) if parts is not None else None
        cache.remember(name, loaded.fingerprint, (day, summary_of(ps), js))
    cache.save()


def view_of(
    portfolio: Portfolio,
    statuses: list[rules.PlanStatus],
    today: date,
    json_parts: Mapping[str, PlanParts] | None = None,
) -> DayView:
    """The day's view the rules' results make: what `open_day` reads back from the memos
    of a full run, made from the results themselves (memo.summary_tuple, one record type
    either way)."""
    files = _files_by_id(portfolio)
    out = []
    for ps in statuses:
        loaded = files.get(ps.plan.id)
        if loaded is not None:
            parts = (json_parts or {}).get(ps.plan.id)
            out.append(plan_day_of(loaded.path, loaded.fingerprint, summary_tuple(ps), parts))
    return DayView(portfolio.root, today, out)


def _files_by_id(portfolio: Portfolio) -> dict[str, LoadedFile]:
    """Plan id → its file, once (Portfolio.file_for for each of 10,000 plans is 10⁸ looks)."""
    found: dict[str, LoadedFile] = {}
    for f in portfolio.files:
        if f.plan is not None:
            found.setdefault(f.plan.id, f)  # the first, as file_for finds it
    return found


__all__ = ["DayView", "held_cache", "nothing_to_record", "open_day", "remember", "view_of"]
