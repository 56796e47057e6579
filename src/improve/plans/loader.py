"""Reading plan files: the one place every plan is loaded through.

Files are read with `tomllib` (fast); positions are found only when a file has
problems to report.  One bad file never stops the others from loading.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from ..digest import blake2b as blake2b  # re-exported: loader.blake2b, loader.fingerprint
from ..digest import fingerprint as fingerprint
from . import model as m

if TYPE_CHECKING:
    pass


Stamp: TypeAlias = tuple[int, int, int]  # (mtime_ns, size, inode) of a file


# The parser and the checks (tomllib, schema, build, validate, positions) are imported when
# a file is first parsed: a run whose every file comes from the cache never loads them.


@dataclass
class LoadedFile:
    """One plan file as read: the plan (None if it has errors), its problems, and
    the fingerprint of the bytes it came from (an edit refuses to write over a file
    whose fingerprint has changed)."""

    path: Path
    plan: m.Plan | None
    problems: list[m.Problem]
    fingerprint: str
    stamp: Stamp | None = None  # (mtime_ns, size, inode) when read: cheap change detection

    @property
    def errors(self) -> list[m.Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[m.Problem]:
        return [p for p in self.problems if p.severity == "warning"]


@dataclass
class Portfolio:
    """Every plan file in a folder."""

    root: Path
    files: list[LoadedFile] = field(default_factory=list)
    # each file as parsed, before the folder-wide duplicate-id check; reused by refresh_folder
    parsed: dict[Path, LoadedFile] = field(default_factory=dict, repr=False)

    @property
    def plans(self) -> list[m.Plan]:
        return [f.plan for f in self.files if f.plan is not None]

    @property
    def failed(self) -> list[LoadedFile]:
        return [f for f in self.files if f.plan is None]

    @property
    def problems(self) -> list[m.Problem]:
        return [p for f in self.files for p in f.problems]

    def plan(self, plan_id: str) -> m.Plan | None:
        for plan in self.plans:
            if plan.id == plan_id:
                return plan
        return None

    def file_for(self, plan_id: str) -> LoadedFile | None:
        for f in self.files:
            if f.plan is not None and f.plan.id == plan_id:
                return f
        return None

    def with_file(self, loaded: LoadedFile) -> Portfolio:
        """The portfolio with one file replaced by a fresh reading of it (after an edit):
        nothing else is read again."""
        files = [loaded if f.path == loaded.path else f for f in self.files]
        if loaded.path not in {f.path for f in self.files}:
            files.append(loaded)
        parsed = dict(self.parsed)
        parsed[loaded.path] = loaded
        return Portfolio(self.root, files, parsed)


def pickled(plan: m.Plan | None, problems: list[m.Problem]) -> bytes:
    """(plan, problems) pickled, as the cache keeps them and a forked parser hands them
    back: without the plan's path, which costs more to unpickle than the rest of a small
    plan and is known to whoever unpickles it (`unpickled` puts it back)."""
    import pickle

    if plan is None:
        return pickle.dumps((None, problems), protocol=5)
    file = plan.file
    plan.file = None  # type: ignore[assignment]  # for the pickle only: put back below
    try:
        return pickle.dumps((plan, problems), protocol=5)
    finally:
        plan.file = file


def unpickled(blob: bytes | memoryview, path: Path) -> tuple[m.Plan | None, list[m.Problem]]:
    """What `pickled` made, the plan's path put back."""
    import pickle

    plan, problems = pickle.loads(blob)
    if plan is not None:
        plan.file = path
    return plan, problems


def display_name(path: Path) -> str:
    """The file name as a user would type it: relative to the working folder when inside it."""
    # as str(path.relative_to(Path.cwd())), without pathlib's cost once per file
    text, cwd = str(path), os.getcwd()
    if text == cwd:
        return "."
    prefix = cwd if cwd.endswith(os.sep) else cwd + os.sep
    return text[len(prefix) :] if text.startswith(prefix) else text


def parse_text(
    text: str,
    path: Path,
    plans_root: Path | None = None,
    *,
    warnings: bool = True,
    keep_data: bool = True,
    name: str | None = None,
) -> tuple[m.Plan | None, list[m.Problem], dict[str, Any] | None]:
    """Check and build one plan from its text: (plan or None, problems, the data).
    Without `keep_data`, the data is None and is let go as soon as it is checked, so
    that a large file's parsed tables are not held beside its plan (issue 27). `name`:
    the file's display_name, if the caller has it."""
    if name is None:
        name = display_name(path)
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        what = "the file is empty" if not text.strip() else "the file has only comments"
        return (
            None,
            [
                m.Problem(
                    name,
                    1,
                    1,
                    "error",
                    f"{what}; a plan needs at least "
                    "a [plan] table with a title (`improve new` writes a template)",
                )
            ],
            None,
        )
    from .unreadable import syntax_problem, too_costly, unreadable

    hostile = too_costly(text, name)
    if hostile is not None:
        return None, [hostile], None
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return None, [syntax_problem(name, text, exc)], None
    except (ValueError, RecursionError, MemoryError) as exc:  # what tomllib raises besides
        return None, [unreadable(name, text, exc)], None
    box = [data]
    if not keep_data:
        del data  # the box holds the only reference: _check lets it go once checked
    try:
        plan, problems = _check(box, text, path, plans_root, warnings, name)
    except (RecursionError, MemoryError) as exc:  # nested deeper than the checks can walk
        return None, [unreadable(name, text, exc)], None
    return plan, problems, (data if keep_data else None)


# What a plan file may not exceed, so that no file, however made, costs more than a second
# or two to turn away (docs/plan-format.md, "Limits"; the limits on what is in it are in
# unreadable.py).
MAX_BYTES = 20 * 1024 * 1024


def _too_costly(text: str, name: str) -> m.Problem | None:
    """unreadable.too_costly, by the name history/blobs.py imports it by."""
    from .unreadable import too_costly

    return too_costly(text, name)


def check_data(
    data: dict[str, Any],
    text: str,
    path: Path,
    plans_root: Path | None = None,
    *,
    warnings: bool = True,
) -> tuple[m.Plan | None, list[m.Problem]]:
    """Check and build one plan from the data `tomllib` read from `text` (which is only
    scanned, for positions, when there is a problem to point at). Without `warnings`, a
    file with warnings only is not scanned and its warnings are left out: positions are
    found only for what will be shown (a folder's load shows errors; `check` shows all)."""
    return _check([data], text, path, plans_root, warnings, display_name(path))


def _check(
    box: list[dict[str, Any]],
    text: str,
    path: Path,
    plans_root: Path | None,
    warnings: bool,
    name: str,
) -> tuple[m.Plan | None, list[m.Problem]]:
    """check_data, taking the data out of `box`: when the box held the only reference,
    the parsed tables are freed once checked, and the checked ones once built. `name`:
    the file as shown (display_name)."""
    data = box.pop()
    from ..inert import hidden_in
    from .build import build_plan
    from .schema import ROOT, Report, TooManyErrors, check_table
    from .validate import check_plan

    report = Report()
    # no text of the plan can hold an invisible character when the file has none, even
    # as an escape: then no string is searched for one (issue 27)
    report.hidden_possible = "\\u" in text or "\\U" in text or hidden_in(text) is not None
    if "plan" not in data:
        known = {"theme", "recommendation", "measure"} & data.keys()
        msg = (
            'this file has no [plan] table; add [plan] with title = "…" at the top'
            if known
            else "this TOML file is not an improvement plan: it has no [plan] table "
            "(a plan starts with [plan] and a title; `improve new` writes a template)"
        )
        return None, [m.Problem(name, 1, 1, "error", msg)]
    plan = None
    try:
        clean = check_table(data, (), ROOT, report, "the file")
        del data
        if clean is not None and "title" in clean.get("plan", {}):
            plan = build_plan(clean, path)
            del clean
            check_plan(plan, report, plans_root)
    except TooManyErrors:  # the last issue says the checks stopped
        plan = None
    if not warnings and not report.has_errors:
        return plan, []
    from .positions import locate_problems

    problems = locate_problems(report, text, name)
    return (None if report.has_errors else plan), problems


def file_stamp(path: Path) -> Stamp | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return stamp_of(st)


def stamp_of(st: os.stat_result) -> Stamp:
    """(mtime_ns, size, inode): what `LoadedFile.stamp` holds."""
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def outside_link(path: Path, plans_root: Path | None) -> str | None:
    """Where a plan file that is a link points, when that is outside the plans folder
    (such a file is never read: nothing outside the folder is read or echoed)."""
    if plans_root is None or not path.is_symlink():
        return None
    real = os.path.realpath(path)
    root = os.path.realpath(plans_root)
    return None if real.startswith(root.rstrip(os.sep) + os.sep) else real


def load_file(
    path: Path,
    plans_root: Path | None = None,
    *,
    warnings: bool = True,
    st: os.stat_result | None = None,
    link: bool | None = None,
) -> LoadedFile:
    """One file, read and checked; `st`, its stat if the caller has just taken it;
    `link`, whether it is a link, if the caller knows (a folder's entries say)."""
    if not isinstance(path, Path):
        path = Path(path)
    target = outside_link(path, plans_root) if link is not False else None
    if target is not None:
        problem = m.Problem(
            display_name(path),
            1,
            1,
            "warning",
            f"a link to {target}, outside the plans folder; it is not read (copy the plan "
            "into the folder, or link to a file inside it)",
        )
        return LoadedFile(path, None, [problem], "")
    # taken before reading: a change during the read shows next time
    if st is None:
        try:
            st = path.stat()
        except OSError:
            st = None  # reading it will say why
    if st is not None and not stat.S_ISREG(st.st_mode):
        return LoadedFile(path, None, [_not_a_file(path, st.st_mode)], "")
    stamp = stamp_of(st) if st is not None else None
    try:
        size = stamp[1] if stamp is not None else 0  # the stamp's size: no second stat
        loaded = _load_file(path, plans_root, warnings, size)
    except Exception as exc:  # a bug of ours on an input nobody foresaw: this file's error
        problem = m.Problem(
            display_name(path),
            1,
            1,
            "error",
            f"improve could not read this file ({type(exc).__name__}: {exc}); the other "
            "plans are not affected. Please report this",
        )
        loaded = LoadedFile(path, None, [problem], "")
    loaded.stamp = stamp
    return loaded


def file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # reading it will say why


def _load_file(
    path: Path, plans_root: Path | None, warnings: bool = True, size: int = 0
) -> LoadedFile:
    name = display_name(path)
    if size > MAX_BYTES:
        return LoadedFile(
            path,
            None,
            [
                m.Problem(
                    name,
                    1,
                    1,
                    "error",
                    f"the file is {size / 1024 / 1024:.0f} MB; a plan file may be at most "
                    f"{MAX_BYTES // 1024 // 1024} MB (split it into several plans)",
                )
            ],
            "",
        )
    try:
        raw = _read_regular(path)
    except _NotAFile as exc:
        return LoadedFile(path, None, [_not_a_file(path, exc.mode)], "")
    except OSError as exc:
        return LoadedFile(
            path,
            None,
            [m.Problem(name, 1, 1, "error", f"cannot read the file: {exc.strerror}")],
            "",
        )
    fp = fingerprint(raw)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        col = len(raw[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        return LoadedFile(
            path,
            None,
            [
                m.Problem(
                    name,
                    line,
                    col,
                    "error",
                    f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x}); "
                    "save it as UTF-8 in your editor",
                )
            ],
            fp,
        )
    del raw  # the text is what is read from here on: not both held through the parse
    if text.startswith("\ufeff"):
        text = text[1:]
    plan, problems, _ = parse_text(
        text, path, plans_root, warnings=warnings, keep_data=False, name=name
    )
    if plan is not None:
        plan.fingerprint = fp
    return LoadedFile(path, plan, problems, fp)


class _NotAFile(Exception):
    def __init__(self, mode: int) -> None:
        self.mode = mode


def _read_regular(path: Path) -> bytes:
    """The bytes of `path`, opened so that a FIFO or a device never blocks the read (it is
    swapped in after the stat is the case this guards) and checked to be a regular file."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise _NotAFile(mode)
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read()
    finally:
        os.close(fd)


def _not_a_file(path: Path, mode: int) -> m.Problem:
    kind = (
        "a folder" if stat.S_ISDIR(mode)
        else "a named pipe (FIFO)" if stat.S_ISFIFO(mode)
        else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "a socket" if stat.S_ISSOCK(mode)
        else "not a regular file"
    )  # fmt: skip
    return m.Problem(
        display_name(path), 1, 1, "error",
        f"this is {kind}, not a plan file; it is not read (give improve the .toml file itself)",
    )  # fmt: skip
