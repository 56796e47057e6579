"""Reading a folder of plans: each file reused when it has not changed (from the last load
in this process, or from the cache kept between runs), the rest parsed, on every core
when there are many.

    portfolio = load_folder(plans)                       # every plan file
    portfolio = load_folder(plans, cache=PlanCache(...))  # unchanged files from the cache
    portfolio = refresh_folder(portfolio) or portfolio    # only what changed on disk

Parsing is what a cold load costs (tomllib, then the checks); with more than a few dozen
milliseconds of it and more than one core, every core takes a share (plans/parallel.py).
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import model as m
from .files import NOT_PLANS as NOT_PLANS  # re-exported: where plans are, in files.py
from .files import plan_entries
from .files import plan_files as plan_files
from .loader import (
    LoadedFile,
    Portfolio,
    display_name,
    file_stamp,
    outside_link,
    stamp_of,
)
from .parallel import ToParse, parse_all

if TYPE_CHECKING:
    from ..speed.cache import PlanCache
    from .positions import KeyPath


def load_folder(
    folder: Path, previous: Portfolio | None = None, cache: PlanCache | None = None
) -> Portfolio:
    """Every plan file in `folder`. Files unchanged since `previous` was loaded are
    reused, and so are files `cache` (a `PlanCache`, kept between runs) still holds."""
    folder = Path(folder)
    kept = previous.parsed if previous is not None else {}
    portfolio = Portfolio(folder)
    seen: dict[str, Path] = {}
    entries = plan_entries(folder)
    files = [path for path, _ in entries]
    links = {path for path, link in entries if link}
    # where each plain file really is, worked out only when some file is a link
    plain = {os.path.realpath(p): p for p in files if p not in links} if links else {}
    with quiet_gc():
        found: dict[Path, LoadedFile] = {}
        to_parse: list[ToParse] = []
        for path in files:
            twin = plain.get(os.path.realpath(path)) if path in links else None
            if twin is not None:  # the same bytes under two names would be two plans
                found[path] = LoadedFile(path, None, [_twin_problem(path, twin)], "")
                continue
            try:  # one stat a file: taken before any read, it says what can be reused
                st: os.stat_result | None = path.stat()
            except OSError:
                st = None  # reading it will say why
            loaded = kept.get(path)
            if st is not None and loaded is not None and loaded.stamp == stamp_of(st):
                found[path] = loaded
                continue
            hit = None
            if (
                st is not None
                and cache is not None
                and (path not in links or outside_link(path, folder) is None)
            ):
                hit = cache.get(path, st)
            if hit is not None:
                found[path] = hit
            else:
                to_parse.append((path, st, path in links))
        found.update(parse_all(to_parse, folder, cache))
        for path in files:
            loaded = found[path]
            portfolio.parsed[path] = loaded
            plan = loaded.plan
            if plan is not None:
                other = seen.get(plan.id)
                if other is not None:
                    problem = duplicate_id_problem(path, plan, other)
                    loaded = replace(loaded, plan=None, problems=[*loaded.problems, problem])
                else:
                    seen[plan.id] = path
            portfolio.files.append(loaded)
    return portfolio


@contextmanager
def quiet_gc() -> Iterator[None]:
    """No cycle collection while a folder is built (it finds nothing to free among the
    new plans, yet at 20,000 actions it costs more than the rules), and what was built is
    moved out of the collector's sight afterwards (`gc.freeze`): later collections, in a
    command or in the app, then look only at new objects."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.freeze()
            gc.enable()


def _twin_problem(path: Path, twin: Path) -> m.Problem:
    return m.Problem(
        display_name(path),
        1,
        1,
        "warning",
        f"a link to {twin.name}, which is read as a plan already; it is not read twice",
    )


def duplicate_id_problem(path: Path, plan: m.Plan, other: Path) -> m.Problem:
    """The error for a second file whose plan id another file in the folder has."""
    key = ("plan",) if plan.id_from_file else ("plan", "id")
    line, col = locate_in_file(path, key, "key" if plan.id_from_file else "value")
    how = (
        'add id = "…" to [plan] or rename the file'
        if plan.id_from_file
        else ("give this plan its own id in [plan]")
    )
    return m.Problem(
        display_name(path),
        line,
        col,
        "error",
        f'plan id "{plan.id}" is already used by {other.name}; {how}',
    )


def refresh_folder(portfolio: Portfolio) -> Portfolio | None:
    """The folder loaded again if any plan file was added, removed or changed since
    `portfolio` was loaded (only those files are read); None when nothing changed."""
    paths = plan_files(portfolio.root)
    if set(paths) == set(portfolio.parsed) and all(
        portfolio.parsed[p].stamp is not None and portfolio.parsed[p].stamp == file_stamp(p)
        for p in paths
    ):
        return None
    return load_folder(portfolio.root, portfolio)


def locate_in_file(path: Path, key: KeyPath, at: str = "key") -> tuple[int, int]:
    """(line, col) of a key in a file already known to be valid TOML."""
    from .positions import Positions

    try:
        return Positions(path.read_text(encoding="utf-8-sig")).locate(key, at)
    except (OSError, UnicodeDecodeError):
        return 1, 1
