"""Reports to committees in the repository: each time plans are reported to a body
(`improve report --for BODY --meeting DATE`) is also a small file in the plans folder,
`reported/MEETING-BODY-KEY.toml` (never read as a plan; KEY is the start of the
reporting's own key, so files made on two clones never take one name), so that
committing it tells every clone when each plan was last reported and when it is next due
(`status`, `programme`).
The history indexes the files it finds: one made on another clone (arrived by a pull, or
copied in), or every one after the database was rebuilt, is read in once.

A file holds one reporting: the body, the meeting, the plans reported, who produced it,
when and in what format, and the reporting's own key (`uid`). A file that cannot be read
is said as FILE: …, each run, until it is fixed or removed.

A reporting and its file are kept together, as reviews are (review_files.py): its rows
and its file's name, marked pending, are written in one transaction; the file is then
made whole or not at all (files.create_new) and the mark cleared. A run killed before the
file was made leaves a pending reporting, whose file the next run writes; one killed
after leaves a file already named in the history, never read in a second time (nor is a
file holding a known key under another name: a copy or a rename by hand).
"""

from __future__ import annotations

import os
import re
import sqlite3
import stat
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import HistoryError
from . import kept_files

if TYPE_CHECKING:
    from .store import HistoryStore

FOLDER = "reported"
MAX_BYTES = 1_000_000  # one reporting of every plan of a county is a few kilobytes
MAX_TEXT = 500  # a body's name, a plan id, who produced it
MAX_PLANS = 10_000


def folder_problem(plans: Path) -> str | None:
    """Why reports cannot be kept in plans/reported (it is a file, say), or None."""
    return kept_files.folder_problem(Path(plans) / FOLDER, KIND.kept)


def slug(body: str) -> str:
    """A body's name as a file name's part: "Children & Young People Scrutiny Committee"
    → children-young-people-scrutiny-committee (at most 60 characters)."""
    words = re.findall(r"[a-z0-9]+", body.casefold().encode("ascii", "ignore").decode())
    out = "-".join(words)[:60].strip("-")
    return out or "body"


def _facts(conn: sqlite3.Connection, uid: str) -> tuple[str, str, list[str]]:
    """(body, meeting, the plans) of a reporting held in the history."""
    rows = conn.execute(
        "select plan_id, body, meeting from reports where uid = ? order by plan_id", [uid]
    ).fetchall()
    if not rows:
        raise HistoryError(f"there is no report to a committee {uid}", code="unknown-report")
    return rows[0][1], rows[0][2], [r[0] for r in rows]


def render(store: HistoryStore, uid: str) -> str:
    """The text of the file of a reporting held in this history."""
    import tomlkit

    conn = store.db.conn
    body, meeting, plan_ids = _facts(conn, uid)
    made_on, recorded_at, made_by, fmt = conn.execute(
        "select made_on, recorded_at, made_by, format from reports where uid = ? "
        "order by id limit 1",
        [uid],
    ).fetchone()
    t = tomlkit.table()
    values = {
        "format": 1,
        "uid": uid,
        "body": body,
        "meeting": date.fromisoformat(meeting),
        "plans": plan_ids,
        "made_on": date.fromisoformat(made_on),
        "recorded_at": recorded_at,
        "made_by": made_by,
        "report_format": fmt,
    }
    for key, value in values.items():
        if value is not None:
            t.add(key, value)
    return (
        "# A report to a committee, recorded by improve (improve report --for BODY\n"
        "# --meeting DATE). Commit this file to share it: every clone's status and\n"
        "# programme read it.\n\n[reported]\n" + tomlkit.dumps(t)
    )


def reserve(store: HistoryStore, uid: str, plans: Path) -> None:
    """In the transaction that records the reporting: its file's name, and the mark that
    the file is still to be written (cleared by `write`)."""
    conn = store.db.conn
    conn.execute(
        "insert into report_files (file, uid, pending) values (?, ?, 1)",
        [_free_name(conn, Path(plans) / FOLDER, uid), uid],
    )


def _free_name(conn: sqlite3.Connection, folder: Path, uid: str) -> str:
    """MEETING-BODY-KEY.toml (KEY: the first six characters of the reporting's key, so
    that two clones reporting for one meeting make two files, and a pull merges them),
    else the first of MEETING-BODY-KEY-2.toml, … neither held in the history nor on disk
    (under the write lock, so two runs recording at once take two names)."""
    body, meeting, _ = _facts(conn, uid)
    return kept_files.free_name(conn, "report_files", folder, f"{meeting}-{slug(body)}-{uid[:6]}")


Unwritten = kept_files.Unwritten


def write(store: HistoryStore, uid: str, plans: Path) -> Path:
    """The reporting's file in plans/reported, written unless it is there already, and the
    history told (its pending mark cleared). Safe to run twice at once: the file is made
    whole or not at all, and one found under its name holding this key is its own; one
    holding another key (another clone's, arrived by a pull) keeps its name, and this
    reporting takes the next."""

    conn = store.db.conn
    folder = Path(plans) / FOLDER
    while True:
        row = conn.execute(
            "select file, pending from report_files where uid = ? order by pending desc, rowid "
            "limit 1",
            [uid],
        ).fetchone()
        if row is None:
            raise HistoryError(f"there is no report to a committee {uid}", code="unknown-report")
        name: str
        name, pending = row
        if not pending or kept_files.write_pending(
            store,
            KIND,
            plans,
            name,
            uid,
            lambda: render(store, uid),
            lambda: _free_name(conn, folder, uid),
        ):
            return folder / name


def forget(store: HistoryStore, uid: str) -> None:
    """Take back a reporting whose file could not be written (never one that has it)."""
    kept_files.forget(store, KIND, uid)


def _key_of(path: Path) -> str | None:
    """The key written in a report file, or None (none, or not readable)."""
    return kept_files.key_in(lambda: _load(path), "reported")


KIND = kept_files.Kind(
    folder=FOLDER,
    table="report_files",
    record="uid",
    rows=(("reports", "uid"), ("report_files", "uid")),
    kept="each report to a committee is kept in it",
    not_folder="reported-not-folder",
    unwritten="report-unwritten",
    key_of=_key_of,
)


def settle(store: HistoryStore, plans: Path) -> list[str]:
    """Write the file of every reporting recorded but not yet written (the run that
    recorded it was killed before it could); what could not be, as lines to say."""
    return kept_files.settle(
        store,
        KIND,
        lambda uid: write(store, uid, plans),
        lambda _uid, name, why: (
            f"a report to a committee is recorded, but its file {FOLDER}/{name} is not "
            f"written yet ({why}); the next run writes it"
        ),
    )


def on_disk(plans: Path) -> list[str]:
    """The names of the report files in plans/reported ([] without the folder)."""
    try:
        with os.scandir(Path(plans) / FOLDER) as entries:
            return sorted(e.name for e in entries if e.name.endswith(".toml"))
    except OSError:
        return []


def index(store: HistoryStore, plans: Path) -> list[str]:
    """Read into the history every report file it does not hold yet (by name, or by the
    key written in it); what could not be read, as FILE: message lines."""
    from ..inert import one_line

    def not_read(path: Path, exc: Exception) -> str:
        why = str(exc) if isinstance(exc, _Bad) else f"{type(exc).__name__}: {exc}"
        return one_line(
            f"{path}: not read as a report to a committee ({why}); "
            "fix it from the copy in git, or remove it"
        )

    problems = settle(store, plans)
    return problems + kept_files.index(
        store, KIND, plans, lambda _folder: on_disk(plans), lambda p: _read_in(store, p), not_read
    )


class _Bad(ValueError):
    """What is wrong with a report file, in words."""


def _load(path: Path) -> dict[str, Any]:
    import tomllib

    st = os.stat(path)
    if not stat.S_ISREG(st.st_mode):
        raise _Bad("it is not a file")
    if st.st_size > MAX_BYTES:
        raise _Bad(f"it is over {MAX_BYTES:,} bytes")
    with open(path, "rb") as handle:
        return tomllib.loads(handle.read(MAX_BYTES + 1).decode("utf-8"))


def _text(value: object, key: str, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT:
        raise _Bad(f'{key} must be text of 1 to {MAX_TEXT} characters, e.g. {key} = "…"')
    return value


def _day(value: object, key: str) -> date:
    if type(value) is not date:
        raise _Bad(f"{key} must be a date, written {key} = YYYY-MM-DD")
    return value


def _read_in(store: HistoryStore, path: Path) -> None:
    data = _load(path)
    reported = data.get("reported")
    if not isinstance(reported, dict):
        raise _Bad("it has no [reported] table")
    if reported.get("format", 1) != 1:
        raise _Bad("its format is not 1 (made by a newer improve?)")
    body = _text(reported.get("body"), "body")
    meeting = _day(reported.get("meeting"), "meeting")
    plan_ids = reported.get("plans")
    if not isinstance(plan_ids, list) or not plan_ids or len(plan_ids) > MAX_PLANS:
        raise _Bad('plans must be a list of plan ids, e.g. plans = ["…"]')
    plan_ids = [_text(p, "plans") for p in plan_ids]
    made_on = _day(reported.get("made_on", meeting), "made_on")
    made_by = _text(reported.get("made_by"), "made_by", optional=True)
    fmt = _text(reported.get("report_format"), "report_format", optional=True)
    recorded_at = reported.get("recorded_at", "")
    uid = reported.get("uid")
    uid = uid if isinstance(uid, str) and uid and len(uid) <= MAX_TEXT else f"file:{path.name}"
    conn = store.db.conn
    with store.transaction():
        if conn.execute("select 1 from report_files where file = ?", [path.name]).fetchone():
            return  # read in meanwhile by another run
        if conn.execute("select 1 from reports where uid = ? limit 1", [uid]).fetchone() is None:
            conn.executemany(
                "insert into reports (plan_id, body, meeting, made_on, recorded_at, made_by,"
                " format, uid) values (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (pid, body, meeting.isoformat(), made_on.isoformat(), str(recorded_at),
                     made_by, fmt, uid)
                    for pid in dict.fromkeys(plan_ids)
                ],
            )  # fmt: skip
        conn.execute(  # a copy or a rename of one held already is its second name
            "insert into report_files (file, uid, pending) values (?, ?, 0)", [path.name, uid]
        )
