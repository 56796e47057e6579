"""The history read without its store: plain `sqlite3`, read-only, for the questions every
run asks (is there anything to record? when was each plan last reported?).

Opening the store costs more than most commands need: its import, the migrations'
check, an integrity check, a write lock. Most runs find nothing to record (no file changed
since the history last looked, on the same day), so they ask here first and open the store
only when the answer is "yes" or "cannot tell". Any doubt (no database yet, another
schema, a lock, damage, anything unexpected) is "cannot tell": the store then decides,
exactly as it always has.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from .paths import MIGRATION_NAMES


@contextmanager
def _reading(path: Path) -> Iterator[sqlite3.Connection | None]:
    conn = None
    try:
        if not path.is_file():
            yield None
            return
        uri = Path(os.path.abspath(path)).as_uri() + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, timeout=1.0, check_same_thread=False)
        names = tuple(r[0] for r in conn.execute("select name from migrations order by rowid"))
        yield conn if names == MIGRATION_NAMES else None
    finally:
        if conn is not None:
            conn.close()


def nothing_to_record(
    path: Path,
    fingerprints: Mapping[str, str],
    unreadable: Iterable[Path | str],
    today: date,
    head: str | None = None,
    plans: Path | None = None,
) -> bool:
    """True only when a sync at `today` would certainly write nothing: every plan loaded
    (id → fingerprint of its bytes) was recorded today from the same bytes, every plan
    recorded but not loaded is in a file that failed to load (its state is kept), `head`
    (the plans' git HEAD, when they are in git) is the one the history read up to, and
    every report file in `plans`/reported is one the history has read in (and none it
    recorded is left to write).
    False whenever the answer is anything else, or unknown."""
    from .report_files import on_disk

    reported = on_disk(plans) if plans is not None else []
    try:
        with _reading(path) as conn:
            if conn is None:
                return False
            if head is not None:
                row = conn.execute("select value from meta where key = 'git_head'").fetchone()
                if row is None or row[0] != head:
                    return False
            known = {
                r[0]: r[1:]
                for r in conn.execute("select plan_id, file, fingerprint, as_of from plans")
            }
            held = {r[0]: r[1] for r in conn.execute("select file, pending from report_files")}
            if any(held.values()) or not held.keys() >= set(reported):
                return False  # a file to read in, or one a killed run left to write
    except (sqlite3.Error, OSError, ValueError):
        return False
    day = today.isoformat()
    for pid, fp in fingerprints.items():
        prev = known.get(pid)
        if prev is None:
            return False
        if prev[2] > day:
            continue  # recorded ahead of today: sync leaves it alone
        if prev[2] != day or prev[1] != fp:
            return False
    failed = {os.path.realpath(os.fspath(p)) for p in unreadable}
    for pid, prev in known.items():
        if pid in fingerprints or prev[2] > day:
            continue
        if prev[0] not in failed:
            return False  # gone from the files: its removal is recorded
    return True


def last_reported(path: Path) -> dict[str, tuple[str, date]] | None:
    """Per plan, the body and meeting of its latest report; {} with no history yet; None
    when the database cannot be read this way (ask the store)."""
    if not path.exists():
        return {}
    try:
        with _reading(path) as conn:
            if conn is None:
                return None
            out: dict[str, tuple[str, date]] = {}
            for pid, body, meeting in conn.execute(
                "select plan_id, body, meeting from reports order by plan_id, meeting, id"
            ):
                out[pid] = (body, date.fromisoformat(meeting))
            return out
    except (sqlite3.Error, OSError, ValueError):
        return None
