"""The history database's schema, as an ordered list of named migrations.

Each migration runs once, in order, inside its own write transaction, and its name is
recorded in the `migrations` table (as simonw/llm does in llm/migrations.py).  A
migration already applied is never run again; a new version of improve adds new
migrations at the end and never edits old ones.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from ..errors import HistoryError
from .db import Database
from .rows import COLUMNS, SQL_TYPES

MIGRATIONS: list[Callable[[Database], None]] = []


def migration(fn: Callable[[Database], None]) -> Callable[[Database], None]:
    MIGRATIONS.append(fn)
    return fn


# The action columns as the first migration made them; later ones add to the end.
_COLUMNS_1 = COLUMNS[: COLUMNS.index("weight") + 1]


# A plan's totals as the first migration made them (review_plans, plan_days).
_TOTALS_1 = (
    "percent real, rag text, red integer, amber integer, green integer, grey integer, "
    "blue integer, total integer, complete integer, overdue integer, stale integer, "
    "dropped integer"
)


def _columns() -> str:
    return ", ".join(f"[{c}] {SQL_TYPES[c]}" for c in _COLUMNS_1)


def applied(db: Database) -> list[str]:
    if "migrations" not in db.table_names():
        return []
    return [r["name"] for r in db.query("select name from migrations order by rowid")]


def migrate(db: Database) -> list[str]:
    """Apply every migration not yet applied; returns the names applied now.

    Each step takes the write lock first (BEGIN IMMEDIATE), so two processes opening a
    new database at once apply each migration exactly once.
    """
    db.execute("create table if not exists migrations (name text primary key, applied_at text)")
    known = {fn.__name__ for fn in MIGRATIONS}
    done_now = []
    for fn in MIGRATIONS:
        db.execute("BEGIN IMMEDIATE")
        try:
            names = {r[0] for r in db.execute("select name from migrations").fetchall()}
            if fn.__name__ not in names:
                fn(db)
                db.execute(
                    "insert into migrations (name, applied_at) values (?, ?)",
                    [fn.__name__, datetime.now(UTC).isoformat(timespec="seconds")],
                )
                done_now.append(fn.__name__)
            db.execute("COMMIT")
        except BaseException:
            db.rollback()
            raise
    unknown = set(applied(db)) - known
    if unknown:
        raise HistoryError(
            "the history database was written by a newer version of improve (it has "
            f"migrations this version does not know: {', '.join(sorted(unknown))}); "
            "upgrade improve",
            code="history-newer",
            field="db",
        )
    return done_now


@migration
def m001_initial(db: Database) -> None:
    # One row per plan last seen: which file it came from, the fingerprint of the bytes,
    # and the day its actions' state was last worked out for.
    db.execute("""
        create table plans (
            plan_id text primary key,
            title text,
            file text,
            fingerprint text,
            as_of text not null
        )""")
    # The last recorded state of every action: what the next run compares with.
    db.execute(f"""
        create table state (
            plan_id text not null,
            ref text not null,
            {_columns()},
            primary key (plan_id, ref)
        ) without rowid""")
    # Every change, oldest first by (happened_on, id).
    db.execute("""
        create table events (
            id integer primary key,
            plan_id text not null,
            ref text not null,
            happened_on text not null,
            recorded_at text not null,
            who text,
            kind text not null,
            field text,
            old text,
            new text
        )""")
    db.execute("create index events_action on events (plan_id, ref, happened_on, id)")
    db.execute("create index events_day on events (happened_on, id)")
    db.execute("""
        create table reviews (
            id integer primary key,
            held_on text not null,
            recorded_at text not null,
            note text,
            attendees text not null default '[]',
            recorded_by text,
            last_event_id integer not null default 0
        )""")
    db.execute("create index reviews_held_on on reviews (held_on, id)")
    # Per-plan totals at each review (the trend, and `status --as-of`).
    db.execute(f"""
        create table review_plans (
            review_id integer not null references reviews(id),
            plan_id text not null,
            title text,
            fingerprint text,
            {_TOTALS_1},
            primary key (review_id, plan_id)
        ) without rowid""")
    # Every action at each review, clustered by review so one review reads as one range.
    db.execute(f"""
        create table snapshots (
            review_id integer not null references reviews(id),
            plan_id text not null,
            ref text not null,
            {_columns()},
            primary key (review_id, plan_id, ref)
        ) without rowid""")
    # Per-plan totals on each day history was brought up to date (for `status --as-of`
    # between reviews); a row is written only when the totals changed.
    db.execute(f"""
        create table plan_days (
            plan_id text not null,
            on_date text not null,
            title text,
            present integer not null,
            {_TOTALS_1},
            primary key (plan_id, on_date)
        ) without rowid""")
    db.execute("create index plan_days_on_date on plan_days (on_date, plan_id)")


@migration
def m002_reports(db: Database) -> None:
    # Each time a plan was reported to a body (a scrutiny committee, a board) for a
    # meeting: the committee's work programme of "date of last report" and follow-up.
    db.execute("""
        create table reports (
            id integer primary key,
            plan_id text not null,
            body text not null,
            meeting text not null,
            made_on text not null,
            recorded_at text not null,
            made_by text,
            format text
        )""")
    db.execute("create index reports_plan on reports (plan_id, meeting, id)")


@migration
def m003_requests(db: Database) -> None:
    # The latest extension an action's lead asked for, and what was decided: so the
    # history tells "asked for", "agreed" and "refused", and a review sees what awaits it.
    for table in ("state", "snapshots"):
        db.execute(f"alter table {table} add column request text")


@migration
def m004_review_files(db: Database) -> None:
    # The file in the plans folder's reviews/ each review is kept in (history/
    # review_files.py): a review from another clone is read in once, by its file's name.
    db.execute("alter table reviews add column file text")
    db.execute("create unique index reviews_file on reviews (file) where file is not null")


@migration
def m005_commits(db: Database) -> None:
    # History from the plans' git log (history/commits.py): the commit each event came
    # from, every commit read in (so none is read twice), and the HEAD read up to.
    db.execute("alter table events add column [commit] text")
    db.execute("""
        create table commits (
            id text primary key,
            author text,
            email text,
            authored text not null,
            recorded_at text not null
        )""")
    db.execute("create table meta (key text primary key, value text)")


@migration
def m006_review_keys(db: Database) -> None:
    # A review and its file are kept together (history/review_files.py): each review has
    # a key of its own, written into its file, so a file is never read in as a second
    # review of one already held (whatever its name); `pending` is set in the transaction
    # that records the review and cleared once its file is written, so a run killed
    # between the two leaves a review the next run writes the file of.
    db.execute("alter table reviews add column uid text")
    db.execute("alter table reviews add column pending integer not null default 0")
    db.execute("create unique index reviews_uid on reviews (uid) where uid is not null")


@migration
def m007_report_files(db: Database) -> None:
    # Reports to committees are kept as files in the plans folder's reported/ too
    # (history/report_files.py), so every clone knows when each plan was last reported.
    # The rows of one reporting share its key (`uid`, written into its file);
    # `report_files` names every file read in or written, by the key it holds (a file
    # renamed or copied by hand is a second name of one reporting, never a second
    # reporting), and `pending` marks the file still to be written by a run killed between.
    db.execute("alter table reports add column uid text")
    db.execute("create index reports_uid on reports (uid)")
    db.execute("""
        create table report_files (
            file text primary key,
            uid text not null,
            pending integer not null default 0
        )""")
    db.execute("create index report_files_uid on report_files (uid)")


@migration
def m008_measures(db: Database) -> None:
    # The measures of a plan itself and of its recommendations (history/measure_state.py),
    # which belong to no action: the last recorded latest reading and comparators of each,
    # so a change to them is an event as an action's is. `measure_plans` names the plans
    # whose measures are recorded: those of a history made before this are first recorded
    # silently, never told as moved.
    db.execute("""
        create table measure_state (
            plan_id text not null,
            owner text not null,
            measure text not null,
            readings integer not null,
            latest text,
            comparator text,
            primary key (plan_id, owner, measure)
        ) without rowid""")
    db.execute("create table measure_plans (plan_id text primary key)")
