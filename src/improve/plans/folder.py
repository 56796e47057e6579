"""Reading a folder of plans: each file reused when it has not changed (from the last load
in this process, or from the cache kept between runs), the rest parsed, on every core
when there are many.

    portfolio = load_folder(plans)                       # every plan file
    portfolio = load_folder(plans, cache=PlanCache(...))  # unchanged files from the cache
    portfolio = refresh_folder(portfolio) or portfolio    # only what changed on disk

Parsing is what a cold load costs (tomllib, then the checks); with more than a few dozen
milliseconds of it and more than one core, each core takes a share: this process parses
one while forked processes parse the others, each handing back its plans pickled (the
bytes the cache keeps anyway) through a file with no name. Anything at all that goes wrong
in one (an error, being killed) means its share is parsed here instead, so the result
never depends on it.
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
from .files import plan_entries
from .files import plan_files as plan_files
from .loader import (
    LoadedFile,
    Portfolio,
    display_name,
    file_stamp,
    load_file,
    outside_link,
    pickled,
    stamp_of,
    unpickled,
)

if TYPE_CHECKING:
    from ..speed.cache import PlanCache
    from .loader import Stamp
    from .positions import KeyPath

# Parse on several cores only when this much is to be parsed (about 30 ms of parsing):
# below it, forking costs more than it saves.
PARALLEL_BYTES = 128 * 1024
MAX_WORKERS = 4  # processes parsing at once, this one included

ToParse = tuple[Path, "os.stat_result | None", bool]  # a file, its stat, and whether a link


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
    items: list[ToParse], folder: Path, cache: PlanCache | None
) -> dict[Path, LoadedFile]:
    """Each file of `items` loaded (and kept in `cache`): with enough to parse and more
    than one core, a share of them by each of some forked processes while this one
    parses its own; a share whose process fails in any way is parsed here."""
    shares = _shares(items)
    children = [(share, _fork_share([items[i] for i in share], folder)) for share in shares[1:]]
    out: dict[Path, LoadedFile] = {}
    for i in shares[0]:
        _parse_here(items[i], folder, cache, out)
    for share, child in children:
        got = _gather(child, [items[i] for i in share], cache) if child is not None else None
        if got is None:
            for i in share:
                _parse_here(items[i], folder, cache, out)
        else:
            out.update(got)
    return out


def _parse_here(
    item: ToParse, folder: Path, cache: PlanCache | None, out: dict[Path, LoadedFile]
) -> None:
    path, st, link = item
    loaded = load_file(path, folder, warnings=False, st=st, link=link)
    out[path] = loaded
    if cache is not None and st is not None:
        cache.put(path, st, loaded)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _shares(items: list[ToParse]) -> list[list[int]]:
    """The indexes of `items` each process parses, this one's first: all of them here
    unless there are many bytes to parse, more than one core, and a process that can
    safely fork (only the main thread running: the app loads in a worker thread, so it
    never forks). Largest first, each to the least loaded; this process starts a little
    behind, as it unpickles what the others parsed."""
    everything = [list(range(len(items)))]
    processes = min(_cores(), MAX_WORKERS, len(items))
    if processes < 2 or threading.active_count() > 1 or not hasattr(os, "fork"):
        return everything
    sizes = [st.st_size if st is not None else 0 for _, st, _ in items]
    total = sum(sizes)
    if total < PARALLEL_BYTES:
        return everything
    loads = [total // 25] + [0] * (processes - 1)
    shares: list[list[int]] = [[] for _ in range(processes)]
    for i in sorted(range(len(items)), key=lambda i: -sizes[i]):
        least = loads.index(min(loads))
        shares[least].append(i)
        loads[least] += sizes[i] + 1
    for share in shares:
        share.sort()  # each process reads its files in the folder's order
    return shares[:1] + [s for s in shares[1:] if s]


def _fork_share(items: list[ToParse], folder: Path) -> Child | None:
    """A forked process parsing `items`, its results to be gathered from an anonymous
    file; None when no process could be started (the share is then parsed here)."""
    try:
        fd = _anonymous_file()
    except OSError:
        return None
    # A forked process may flush its copy of these as it ends: anything written but not
    # yet flushed could then be printed twice (the child leaves by os._exit all the same).
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass
    try:
        pid = os.fork()
    except OSError:
        os.close(fd)
        return None
    if pid == 0:  # the child: never returns
        code = 1
        try:
            _write_all(fd, pickle.dumps(_parse_chunk((items, folder)), protocol=5))
            code = 0
        finally:
            os._exit(code)
    return pid, fd


Child = tuple[int, int]  # the forked process's id, and the file it writes its results to


def _anonymous_file() -> int:
    if hasattr(os, "memfd_create"):
        return os.memfd_create("improve-parse", os.MFD_CLOEXEC)
    import tempfile

    with tempfile.TemporaryFile() as f:  # a file with no name: its descriptor kept
        return os.dup(f.fileno())


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _gather(
    child: Child, items: list[ToParse], cache: PlanCache | None
) -> dict[Path, LoadedFile] | None:
    """What a forked process parsed, kept in `cache`; None if it failed in any way."""
    pid, fd = child
    try:
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            return None
        os.lseek(fd, 0, os.SEEK_SET)
        with open(fd, "rb", closefd=False) as f:
            parts = pickle.load(f)
        if len(parts) != len(items):
            return None
        out: dict[Path, LoadedFile] = {}
        for (path, st, _), (fp, stamp, blob) in zip(items, parts, strict=True):
            plan, problems = unpickled(blob, path)
            loaded = out[path] = LoadedFile(path, plan, problems, fp, stamp)
            if cache is not None and st is not None and fp:
                cache.put(path, st, loaded, blob)
        return out
    except Exception:
        return None
    finally:
        os.close(fd)


def _parse_chunk(
    args: tuple[list[ToParse], Path],
) -> list[tuple[str, Stamp | None, bytes]]:
    """In a forked process: each file loaded, handed back as (fingerprint, stamp,
    pickled (plan, problems))."""
    items, folder = args
    gc.disable()
    out = []
    for path, st, link in items:
        loaded = load_file(path, folder, warnings=False, st=st, link=link)
        blob = pickled(loaded.plan, loaded.problems)
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
