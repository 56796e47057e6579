"""Reading a folder of plans: each file reused when it has not changed (from the last load
in this process, or from the cache kept between runs), the rest parsed, on every core
when there are many.

    portfolio = load_folder(plans)                       # every plan file
    portfolio = load_folder(plans, cache=PlanCache(...))  # unchanged files from the cache
    portfolio = refresh_folder(portfolio) or portfolio    # only what changed on disk

Parsing is what a cold load costs (tomllib, then the checks); with many megabytes to parse
and more than one core, the files are parsed by forked worker processes, each handing back
its plans pickled (the bytes the cache keeps anyway). Anything at all that goes wrong
there means the same files are parsed here instead, so the result never depends on it.
"""

from __future__ import annotations

import gc
import os
import pickle
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import model as m
from .files import NOT_PLANS as NOT_PLANS  # re-exported: where plans are, in files.py
from .files import plan_files as plan_files
from .loader import (
    LoadedFile,
    Portfolio,
    display_name,
    file_stamp,
    load_file,
    outside_link,
    stamp_of,
)

if TYPE_CHECKING:
    from ..speed.cache import PlanCache
    from .loader import Stamp
    from .positions import KeyPath

# Parse on several cores only when this much is to be parsed: below it, starting the
# workers costs more than it saves.
PARALLEL_BYTES = 4 * 1024 * 1024
MAX_WORKERS = 4


def load_folder(
    folder: Path, previous: Portfolio | None = None, cache: PlanCache | None = None
) -> Portfolio:
    """Every plan file in `folder`. Files unchanged since `previous` was loaded are
    reused, and so are files `cache` (a `PlanCache`, kept between runs) still holds."""
    folder = Path(folder)
    kept = previous.parsed if previous is not None else {}
    portfolio = Portfolio(folder)
    seen: dict[str, Path] = {}
    files = plan_files(folder)
    links = {p for p in files if p.is_symlink()}
    # where each plain file really is, worked out only when some file is a link
    plain = {os.path.realpath(p): p for p in files if p not in links} if links else {}
    with quiet_gc():
        found: dict[Path, LoadedFile] = {}
        to_parse: list[tuple[Path, os.stat_result | None]] = []
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
            if st is not None and cache is not None and outside_link(path, folder) is None:
                hit = cache.get(path, st)
            if hit is not None:
                found[path] = hit
            else:
                to_parse.append((path, st))
        found.update(_parse_all(to_parse, folder, cache))
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


def _parse_all(
    items: list[tuple[Path, os.stat_result | None]], folder: Path, cache: PlanCache | None
) -> dict[Path, LoadedFile]:
    out: dict[Path, LoadedFile] = {}
    if _worth_parallel(items):
        try:
            for (path, st), (loaded, blob) in zip(
                items, _parse_in_workers(items, folder), strict=True
            ):
                out[path] = loaded
                if cache is not None and st is not None and blob is not None:
                    cache.put(path, st, loaded, blob)
            return out
        except Exception:
            out.clear()  # whatever went wrong there, the same files are parsed here
    for path, st in items:
        loaded = load_file(path, folder, warnings=False, st=st)
        out[path] = loaded
        if cache is not None and st is not None:
            cache.put(path, st, loaded)
    return out


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _worth_parallel(items: list[tuple[Path, os.stat_result | None]]) -> bool:
    """Many bytes to parse, more than one core, and a process that can safely fork: only
    the main thread running (the app loads in a worker thread, so it never forks)."""
    if len(items) < 2 or _cores() < 2 or threading.active_count() > 1:
        return False
    size = sum(st.st_size if st is not None else 0 for _, st in items)
    if size < PARALLEL_BYTES:
        return False  # decided before multiprocessing's import, which a small folder skips
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _parse_in_workers(
    items: list[tuple[Path, os.stat_result | None]], folder: Path
) -> list[tuple[LoadedFile, bytes | None]]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    workers = min(_cores(), MAX_WORKERS, len(items))
    # Largest first, dealt out in turn, so that no worker is left with the big ones.
    sizes = [st.st_size if st is not None else 0 for _, st in items]
    order = sorted(range(len(items)), key=lambda i: -sizes[i])
    chunks = [order[w::workers] for w in range(workers)]
    # (an executor, not a Pool: a worker that dies, killed for memory say, is an error
    # here rather than a wait for ever)
    context = multiprocessing.get_context("fork")
    # A forked process may flush its copy of these as it ends (multiprocessing's bootstrap
    # does): anything written but not yet flushed could then be printed twice.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        parts = list(pool.map(_parse_chunk, [([items[i] for i in c], folder) for c in chunks]))
    results: list[tuple[LoadedFile, bytes | None] | None] = [None] * len(items)
    for chunk, part in zip(chunks, parts, strict=True):
        for i, (fp, stamp, blob) in zip(chunk, part, strict=True):
            path = items[i][0]
            plan, problems = pickle.loads(blob)
            if plan is not None:
                plan.file = path
            loaded = LoadedFile(path, plan, problems, fp, stamp)
            results[i] = (loaded, blob if fp else None)
    return [r for r in results if r is not None]


def _parse_chunk(
    args: tuple[list[tuple[Path, os.stat_result | None]], Path],
) -> list[tuple[str, Stamp | None, bytes]]:
    """In a worker: each file loaded, handed back as (fingerprint, stamp, pickled
    (plan, problems))."""
    items, folder = args
    gc.disable()
    out = []
    for path, st in items:
        loaded = load_file(path, folder, warnings=False, st=st)
        blob = pickle.dumps((loaded.plan, loaded.problems), protocol=5)
        out.append((loaded.fingerprint, loaded.stamp, blob))
    return out


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
