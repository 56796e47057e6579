"""`HistoryStore`: the one owner of the history database.

It opens the database (creating it and its folder on first use), applies migrations,
keeps it in WAL mode with a busy timeout so that two processes writing at once wait
for each other instead of failing, and runs every write in one transaction.  A damaged
database is renamed aside (never deleted) and a new one started; `warning` then says
so, for the command line to print.  Plan files are never written here.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec, TypeVar, Unpack

from ..errors import HistoryError
from .db import Database
from .migrations import migrate
from .paths import default_path
from .reading import Reading
from .records import SyncOptions, SyncResult

if TYPE_CHECKING:  # "what changed" from today's memo reads the history without the rules
    from ..plans.loader import Portfolio
    from ..status import rules
    from ..status.memo import DayView
    from ..team.gitlog import Commit
    from .commits import Author, CommitsResult, ReadBlobs
    from .replay import ReplayResult

BUSY_SECONDS = 60  # how long a writer waits for another one to finish
SQLITE_HEADER = b"SQLite format 3\x00"
_CORRUPT = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB

_P = ParamSpec("_P")
_T = TypeVar("_T")


def _is_corruption(exc: BaseException) -> bool:
    if not isinstance(exc, sqlite3.DatabaseError) or isinstance(exc, sqlite3.OperationalError):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _CORRUPT
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text


class _Damaged(Exception):
    """The file is not a usable SQLite database (internal: it is moved aside)."""


class HistoryStore(Reading):
    """The history of a plans folder.

        store = HistoryStore(plans_dir)            # <plans>/.improve/history.db
        store = HistoryStore(path="elsewhere.db")  # an explicit file
        if store.warning: print(store.warning)     # a damaged database was moved aside

    check: "quick" (the default) runs PRAGMA quick_check on open on every table a run
    reads (not the review snapshots, which are the bulk of the file), "full" runs
    integrity_check on everything, "none" only the cheap checks (the file header and the
    schema).  Damage found later, while reading, is handled the same way.
    """

    def __init__(
        self,
        plans_dir: Path | str | None = None,
        path: Path | str | None = None,
        *,
        check: str = "quick",
        clock: Callable[[], datetime] | None = None,
    ):
        if path is not None:
            self.path = Path(path)
        elif plans_dir is not None:
            self.path = default_path(Path(plans_dir))
        else:
            raise HistoryError("HistoryStore needs the plans folder or the path of a database")
        self.plans_dir = Path(plans_dir) if plans_dir is not None else None
        self.check = check
        self.warning: str | None = None
        self.notice: str | None = None  # said once: the journal chosen for a shared drive
        self.moved_aside: list[Path] = []
        self._clock = clock or (lambda: datetime.now(UTC))
        self._depth = 0
        self._trusted = False  # checked (or known) when opened: its stamp is left on close
        self._mutex = threading.RLock()  # one connection, shared by the app's worker threads
        self._db: Database | None = None  # None only once closed (or while reopening)
        self._open()

    @property
    def db(self) -> Database:
        """The open database; HistoryError once the store is closed."""
        if self._db is None:
            raise HistoryError("this history store is closed")
        return self._db

    # -- opening ---------------------------------------------------------------------------

    def _open(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise HistoryError(
                f"cannot create the folder for the history database "
                f"{self.path.parent}: {exc.strerror}",
                code="history-unusable",
                field="db",
            ) from None
        try:
            self._connect()
        except _Damaged as exc:
            self._close()
            self._move_aside(str(exc))
            self._connect()
        except sqlite3.DatabaseError as exc:
            self._close()
            if not _is_corruption(exc):
                raise self._error(exc) from None
            self._move_aside(str(exc))
            self._connect()

    def _connect(self) -> None:
        from . import checked

        # the file as a run that checked it left it: not checked again (history/checked.py)
        known = self.check == "quick" and checked.known(self.path)
        self._trusted = False
        if not os.path.lexists(self.path):
            self._create()
        size = self.path.stat().st_size if self.path.is_file() else None
        if size:
            with open(self.path, "rb") as handle:
                if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                    raise _Damaged("it is not a SQLite database file")
        conn = sqlite3.connect(
            str(self.path), timeout=BUSY_SECONDS, check_same_thread=False, isolation_level=None
        )
        db = self._db = Database(conn)
        had_tables = bool(db.table_names())
        if size == 0 and not had_tables:  # found so: never one of ours (see _create)
            self.warning = (
                f"the history database {self.path} was empty (0 bytes); a new history was "
                "started. The plans are untouched."
            )
        conn.execute(f"pragma busy_timeout = {BUSY_SECONDS * 1000}")
        from .fs import network_fs

        shared = network_fs(self.path.parent)
        if shared is None:
            db.enable_wal()
        elif db.set_journal("delete") or not had_tables:  # said once: switched, or new
            self.notice = (
                f"the history database {self.path} is on a {shared} file system, where "
                "SQLite's WAL mode is not safe: it now uses a rollback journal instead "
                "(safe there; writers wait for each other a little longer)"
            )
        conn.execute("pragma foreign_keys = on")
        if self.check != "none" and not known:
            problems = self._verify(full=self.check == "full")
            if problems:
                raise _Damaged(f"the integrity check found: {'; '.join(problems[:3])}")
        migrate(db)
        self._trusted = self.check != "none"

    def _create(self) -> None:
        """A new database, made aside and then linked to its name (which fails if another
        run made one a moment ago: theirs is used). No run ever sees an empty file of ours
        at the path, so an empty one is one found so. Where links cannot be made (some
        network drives), SQLite makes the file at its name, as it always did."""
        import secrets

        tmp = self.path.with_name(f".{self.path.name}.{secrets.token_hex(4)}.new")
        try:
            conn = sqlite3.connect(str(tmp))
            try:
                conn.execute("pragma user_version = 0")  # writes the header: not empty
            finally:
                conn.close()
            os.link(tmp, self.path)
        except (OSError, sqlite3.Error):
            pass  # made by another run (FileExistsError), or no links here
        finally:
            for leftover in (tmp, Path(f"{tmp}-journal")):
                try:
                    leftover.unlink()
                except OSError:
                    pass

    def _verify(self, full: bool) -> list[str]:
        """[] when the database checks out.  The quick check on open covers every table a
        run reads, but not the review snapshots (the bulk of the file, read only for "what
        changed"; damage there is found when they are read, and handled the same way)."""
        conn = self.db.conn
        if full:
            checks = ["pragma integrity_check"]
        elif sqlite3.sqlite_version_info < (3, 33):
            checks = ["pragma quick_check"]
        else:
            tables = [
                r[0]
                for r in conn.execute("select name from sqlite_master where type = 'table'")
                if r[0] != "snapshots"
            ]
            checks = [f"pragma quick_check([{t}])" for t in tables] or ["pragma quick_check"]
        problems = []
        for sql in checks:
            problems += [r[0] for r in conn.execute(sql).fetchall() if r[0] != "ok"]
        return problems

    def verify(self) -> list[str]:
        """A full integrity check of the whole database: [] when it is sound."""
        return self._run(self._verify, True)

    def _close(self) -> None:
        if self._db is not None:
            try:
                self._db.conn.close()
            except sqlite3.Error:
                pass
            self._db = None

    def close(self) -> None:
        was_open = self._db is not None
        self._close()
        if was_open and self._trusted:
            from . import checked

            checked.remember(self.path)  # as this run leaves it: the next need not check

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _move_aside(self, reason: str) -> None:
        from . import checked

        checked.forget(self.path)
        stamp = self._clock().strftime("%Y%m%dT%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        n = 1
        while aside.exists():
            aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}-{n}")
            n += 1
        try:
            os.replace(self.path, aside)
            for suffix in ("-wal", "-shm"):
                extra = Path(f"{self.path}{suffix}")
                if extra.exists():
                    os.replace(extra, Path(f"{aside}{suffix}"))
        except OSError as exc:
            raise HistoryError(
                f"the history database {self.path} is damaged ({reason}) and could "
                f"not be moved aside: {exc.strerror}; move it away yourself",
                code="history-unusable",
                field="db",
            ) from None
        self.moved_aside.append(aside)
        self.warning = (
            f"the history database {self.path} was damaged ({reason}); it "
            f"was moved aside to {aside.name} and a new one started. The plans are "
            "untouched; the history recorded before now is in the old file."
        )

    def _error(self, exc: sqlite3.Error) -> HistoryError:
        text = str(exc)
        if "locked" in text or "busy" in text:
            return HistoryError(
                f"the history database {self.path} is busy (another improve is "
                "writing to it); try again in a moment",
                code="history-busy",
            )
        if "readonly" in text or "read-only" in text:
            return HistoryError(
                f"the history database {self.path} is read-only; make it writable",
                code="history-unusable",
                field="db",
            )
        return HistoryError(
            f"the history database {self.path} cannot be used ({text}); move it away",
            code="history-unusable",
            field="db",
        )

    def _run(self, fn: Callable[_P, _T], *args: _P.args, **kwargs: _P.kwargs) -> _T:
        """Run one public operation; a database found damaged midway is moved aside, a new
        one started, and the operation run once more on it."""
        with self._mutex:
            return self._run_locked(fn, *args, **kwargs)

    def _run_locked(self, fn: Callable[_P, _T], *args: _P.args, **kwargs: _P.kwargs) -> _T:
        if self._db is None:
            raise HistoryError("this history store is closed")
        try:
            return fn(*args, **kwargs)
        except sqlite3.DatabaseError as exc:
            if not _is_corruption(exc) or self._depth:
                raise self._error(exc) from None
            self._close()
            self._move_aside(str(exc))
            self._connect()
            try:
                return fn(*args, **kwargs)
            except sqlite3.DatabaseError as again:
                raise self._error(again) from None

    # -- transactions ----------------------------------------------------------------------

    @contextmanager
    def lock(self) -> Iterator[HistoryStore]:
        """One write transaction (nested calls join it).  It takes the write lock at once
        (BEGIN IMMEDIATE), so what is read inside cannot be changed by another process
        before it is written: two processes syncing at once record each change once."""
        with self._mutex:
            try:
                with self.transaction() as store:
                    yield store
            except sqlite3.Error as exc:
                raise self._error(exc) from None

    @contextmanager
    def transaction(self) -> Iterator[HistoryStore]:
        """One write transaction, for the history's own modules, which run inside a store
        operation (`_run`) that handles damage and errors; nested calls join it. Callers
        outside the history use `lock()`."""
        conn = self.db.conn  # HistoryError once closed
        if self._depth:
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
            return
        conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield self
        except BaseException:
            self._depth = 0
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        self._depth = 0
        try:
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def now(self) -> str:
        return self._clock().isoformat(timespec="milliseconds")

    # -- recording -------------------------------------------------------------------------

    def sync(
        self,
        statuses: Iterable[rules.PlanStatus],
        today: date,
        by: str | None = None,
        **options: Unpack[SyncOptions],
    ) -> SyncResult:
        """Bring the history up to `today`: compare every action with its last recorded
        state and record an event for each change (see `sync.sync` for the rules and the
        options: only, targets, unreadable, fingerprints)."""
        from .sync import sync

        return self._run(sync, self, list(statuses), today, by, **options)

    def sync_portfolio(
        self,
        portfolio: Portfolio,
        today: date,
        by: str | None = None,
        *,
        statuses: list[rules.PlanStatus] | None = None,
    ) -> SyncResult:
        """`sync` for a loaded folder: plans that failed to load keep their recorded state
        (a typo does not 'remove' a plan), and unchanged files are not worked out again."""
        if statuses is None:
            from ..status.rules import plan_status

            statuses = [plan_status(plan, today) for plan in portfolio.plans]
        fps = {f.plan.id: f.fingerprint for f in portfolio.files if f.plan is not None}
        return self.sync(
            statuses, today, by, unreadable=[f.path for f in portfolio.failed], fingerprints=fps
        )

    def record_review(
        self,
        statuses: Iterable[rules.PlanStatus] | DayView,
        today: date,
        note: str | None = None,
        attendees: Iterable[str] = (),
        by: str | None = None,
        *,
        plans: Path | None = None,
    ) -> int:
        """Snapshot every action of every plan as at `today` (one transaction); the review id.
        With `plans`, the review is kept in plans/reviews too, all or nothing: recorded with
        its file marked pending, the file written, the mark cleared (review_files.py); a
        file that cannot be written takes the review back (HistoryError). `statuses` may be
        today's view of the folder instead (speed.dayview), when it has nothing to record:
        HistoryError "review-day-changed" if the history changed since it was read, with
        nothing recorded (review_record.record_day)."""
        from ..status.memo import DayView
        from . import review_files, review_record

        if plans is not None and (problem := review_files.folder_problem(plans)):
            raise HistoryError(f"{problem}; nothing was recorded", code="reviews-not-folder")
        if isinstance(statuses, DayView):
            view = statuses

            def record() -> int:
                return review_record.record_day(self, view, today, note, tuple(attendees), by)
        else:
            args = (list(statuses), today, note, tuple(attendees), by)

            def record() -> int:
                return review_record.record_review(self, *args)

        def run() -> int:
            with self.transaction():
                rid = record()
                if plans is not None:
                    review_files.reserve(self, rid, plans)
            return rid

        rid = self._run(run)
        if plans is not None:
            try:
                self._run(review_files.write, self, rid, plans)
            except review_files.Unwritten as exc:
                self._run(review_files.forget, self, rid)
                raise HistoryError(f"{exc.message}; nothing was recorded", code=exc.code) from None
        return rid

    # -- history from commits (history/commits.py) ---------------------------------------

    def git_state(self) -> tuple[str | None, bool, bool]:
        """(the HEAD read up to, whether the history is empty, whether any commit was read)."""
        from . import commits

        def run() -> tuple[str | None, bool, bool]:
            conn = self.db.conn
            read = conn.execute("select 1 from commits limit 1").fetchone() is not None
            return commits.stored_head(conn), commits.is_empty(conn), read

        return self._run(run)

    def set_git_head(self, head: str) -> None:
        from . import commits

        def run() -> None:
            with self.transaction():
                commits.set_head(self.db.conn, head)

        self._run(run)

    def record_commits(self, commits: list[Commit], read: ReadBlobs, head: str, plans: Path,
                       today: date, who: Author) -> CommitsResult:  # fmt: skip
        """Record commits that changed plan files, as by their authors (commits.py)."""
        from .commits import record_commits

        return self._run(record_commits, self, commits, read, head, Path(plans), today, who)

    def write_review_file(self, review_id: int, plans: Path) -> Path:
        """Keep a review recorded here as a file in the plans folder's reviews/ too."""
        from .review_files import write

        return self._run(write, self, review_id, plans)

    def index_review_files(self, plans: Path) -> list[str]:
        """Read in the review files of the plans folder this history does not hold yet
        (from another clone, or all of them into a new history); what could not be read."""
        from .review_files import index

        return self._run(index, self, plans)

    def replay(self, portfolio: Portfolio, today: date) -> ReplayResult:
        """Fill an empty history from the plans' own dated entries (see `replay`)."""
        from .replay import replay

        return self._run(replay, self, portfolio, today)
