"""Parsing many plan files on every core, for a cold load (improve.plans.folder).

With more than a few dozen milliseconds of parsing and more than one core, each core
takes a share: this process parses one while forked processes parse the others, each
handing back its plans pickled (the bytes the cache keeps anyway) through a file with no
name. Shares are dealt largest file first, this process's the smallest; when it is done
with its own, it takes files from the end of whichever share has most left, so no core
waits on another whatever the machine is doing. A forked process claims a file by moving
its `front` on a board of shared memory, this one by moving that share's `back`; each
looks before it claims, so a file is parsed by one of them or, where they meet at the same
moment, by both (this process's own result is kept), never by neither.

Anything at all that goes wrong in a forked process (an error, being killed) means what it
had not handed back is parsed here, so the result never depends on it.
"""

from __future__ import annotations

import gc
import os
import pickle
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from .loader import LoadedFile, load_file, pickled, unpickled

if TYPE_CHECKING:
    import mmap

    from ..speed.cache import PlanCache
    from .loader import Stamp

# Parse on several cores only when this much is to be parsed (about 30 ms of parsing):
# below it, forking costs more than it saves.
PARALLEL_BYTES = 128 * 1024
MAX_WORKERS = 4  # processes parsing at once, this one included

ToParse = tuple[Path, "os.stat_result | None", bool]  # a file, its stat, and whether a link
Child = tuple[int, int]  # a forked process's id, and the file it writes its results to
Parsed = tuple[int, str, "Stamp | None", bytes]  # place in the share, fingerprint, stamp,
# pickled (plan, problems)
FRONT, BACK = 0, 8  # a share's two ends on the board: the next to claim from each end


def parse_all(
    items: list[ToParse], folder: Path, cache: PlanCache | None
) -> dict[Path, LoadedFile]:
    """Each file of `items` loaded, and kept in `cache` (a share of them by each of some
    forked processes when worth it)."""
    shares = shares_of(items)
    board = _board(len(shares) - 1)
    children = [
        (share, _fork_share([items[i] for i in share], folder, board, k))
        for k, share in enumerate(shares[1:])
    ]
    out: dict[Path, LoadedFile] = {}
    for i in shares[0]:
        parse_here(items[i], folder, cache, out)
    if board is not None:
        _take_from_the_ends(children, board, items, folder, cache, out)
    for share, child in children:
        if child is None or not _gather(child, share, items, cache, out):
            for i in share:  # whatever was not handed back (or not parsed here already)
                if items[i][0] not in out:
                    parse_here(items[i], folder, cache, out)
    return out


def parse_here(
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


def shares_of(items: list[ToParse]) -> list[list[int]]:
    """The indexes of `items` each process parses, this one's first: all of them here
    unless there are many bytes to parse, more than one core, and a process that can
    safely fork (only the main thread running: the app loads in a worker thread, so it
    never forks). Largest first, each to the least loaded; this process starts a fifth of
    the bytes behind, so that it finishes first and then takes from the others' ends."""
    everything = [list(range(len(items)))]
    processes = min(_cores(), MAX_WORKERS, len(items))
    if processes < 2 or threading.active_count() > 1 or not hasattr(os, "fork"):
        return everything
    sizes = [st.st_size if st is not None else 0 for _, st, _ in items]
    total = sum(sizes)
    if total < PARALLEL_BYTES:
        return everything
    loads = [total // 5] + [0] * (processes - 1)
    shares: list[list[int]] = [[] for _ in range(processes)]
    for i in sorted(range(len(items)), key=lambda i: -sizes[i]):
        least = loads.index(min(loads))
        shares[least].append(i)
        loads[least] += sizes[i] + 1
    for share in shares:
        share.sort()  # each process reads its files in the folder's order
    return shares[:1] + [s for s in shares[1:] if s]


def _board(children: int) -> mmap.mmap | None:
    """Shared memory for each forked share's two ends; None when there are none (or no
    shared memory: each share is then parsed whole by its process)."""
    if children < 1:
        return None
    try:
        import mmap

        return mmap.mmap(-1, 16 * children)  # anonymous and shared with the children
    except (ImportError, OSError, ValueError):
        return None


def _get(board: mmap.mmap, k: int, end: int) -> int:
    return int.from_bytes(board[16 * k + end : 16 * k + end + 8], "little")


def _set(board: mmap.mmap, k: int, end: int, value: int) -> None:
    board[16 * k + end : 16 * k + end + 8] = value.to_bytes(8, "little")


def _take_from_the_ends(
    children: list[tuple[list[int], Child | None]],
    board: mmap.mmap,
    items: list[ToParse],
    folder: Path,
    cache: PlanCache | None,
    out: dict[Path, LoadedFile],
) -> None:
    """Parse here, one at a time, the last file not yet claimed of the share with most
    left, until every file of every share is claimed."""
    backs = [len(share) if child is not None else 0 for share, child in children]
    while True:
        most, k = max((backs[k] - _get(board, k, FRONT), k) for k in range(len(backs)))
        if most <= 0:
            return
        backs[k] -= 1
        _set(board, k, BACK, backs[k])
        parse_here(items[children[k][0][backs[k]]], folder, cache, out)


def _fork_share(
    items: list[ToParse], folder: Path, board: mmap.mmap | None, k: int
) -> Child | None:
    """A forked process parsing `items` (share `k` on the board), its results to be
    gathered from an anonymous file; None when no process could be started (the share
    is then parsed here)."""
    try:
        fd = _anonymous_file()
    except OSError:
        return None
    if board is not None:
        _set(board, k, FRONT, 0)
        _set(board, k, BACK, len(items))
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
            with open(fd, "wb", closefd=False) as out:  # each file's result as it is made
                for parsed in _parse_chunk((items, folder, board, k)):
                    pickle.dump(parsed, out, protocol=5)
            code = 0
        finally:
            os._exit(code)
    return pid, fd


def _anonymous_file() -> int:
    if hasattr(os, "memfd_create"):
        return os.memfd_create("improve-parse", os.MFD_CLOEXEC)
    import tempfile

    with tempfile.TemporaryFile() as f:  # a file with no name: its descriptor kept
        return os.dup(f.fileno())


def _gather(
    child: Child,
    share: list[int],
    items: list[ToParse],
    cache: PlanCache | None,
    out: dict[Path, LoadedFile],
) -> bool:
    """What a forked process parsed, into `out` (a file parsed here too keeps this
    process's result) and kept in `cache`; False if it failed in any way."""
    pid, fd = child
    try:
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            return False
        os.lseek(fd, 0, os.SEEK_SET)
        with open(fd, "rb", closefd=False) as f:
            parts = _results(f)
        for pos, fp, stamp, blob in parts:
            path, st, _ = items[share[pos]]
            if path in out:
                continue
            plan, problems = unpickled(blob, path)
            loaded = out[path] = LoadedFile(path, plan, problems, fp, stamp)
            if cache is not None and st is not None and fp:
                cache.put(path, st, loaded, blob)
        return True
    except Exception:
        return False
    finally:
        os.close(fd)


def _results(f: BinaryIO) -> list[Parsed]:
    """What a forked process wrote, one pickle a file, to the end."""
    out = []
    while True:
        try:
            out.append(pickle.load(f))
        except EOFError:
            return out


def _parse_chunk(
    args: tuple[list[ToParse], Path, mmap.mmap | None, int],
) -> Iterator[Parsed]:
    """In a forked process: its share's files from the front, each claimed on the board
    (when the other end has not reached it), handed back as (place, fingerprint, stamp,
    pickled (plan, problems))."""
    items, folder, board, k = args
    gc.disable()
    for pos, (path, st, link) in enumerate(items):
        if board is not None:
            if pos >= _get(board, k, BACK):
                return  # taken from the other end
            _set(board, k, FRONT, pos + 1)
        loaded = load_file(path, folder, warnings=False, st=st, link=link)
        yield pos, loaded.fingerprint, loaded.stamp, pickled(loaded.plan, loaded.problems)
