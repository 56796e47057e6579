"""Reviews in the repository: each review recorded is also a small file in the plans
folder, `reviews/YYYY-MM-DD.toml` (never read as a plan), so that committing it shares the
review with every clone. The history indexes the review files it finds: one made on
another machine (arrived by a pull), or every one after the database was rebuilt, is read
into it, so `review list` and `review changes` on any clone compare with the same review.

A file holds the review (date, note, attendees, who recorded it), each plan's totals,
and each action's recorded state then (the history's row for it), so nothing else is
needed to compare with it. A file that cannot be read is said once, as FILE: …, and left.

A review and its file are kept together. The review is recorded with its file's name,
a key of its own (`uid`, written into the file too) and a pending mark, in one
transaction; the file is then made whole or not at all, and the mark cleared. A run
killed before the file was made leaves a pending review, whose file the next review
command writes; one killed after leaves a file already named in the history, never read
in a second time (nor is a file holding a review's key under another name).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable
from datetime import date
from json.encoder import encode_basestring
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import HistoryError
from . import kept_files

if TYPE_CHECKING:
    from .store import HistoryStore
from .rows import COLUMNS, KEY, PLAN_TOTALS

FOLDER = "reviews"
PLAN_COLUMNS = ("plan_id", "title", "fingerprint", *PLAN_TOTALS)
STATE_COLUMNS = KEY + COLUMNS


def _table(values: dict[str, Any]) -> str:
    """`key = value` lines for a review file's table (None values left out), written
    directly: tomlkit took 12 s for a review of 20,000 actions, this takes a fraction of a
    second. The values are the history's own: text, whole and decimal numbers, true or
    false, dates and lists of text; `toml_value` writes each as TOML reads it back."""
    return _lines(values.items())


def _lines(pairs: Iterable[tuple[str, object]]) -> str:
    """`_table` of (key, value) pairs. Written once a value for 20,000 actions' worth of
    rows (half a million values a review): text that needs no escape and whole numbers,
    most of them, are written here without a call."""
    plain = _PLAIN.fullmatch
    out = []
    for key, value in pairs:
        if value is None:
            continue
        kind = type(value)
        if isinstance(value, str) and plain(value):
            out.append(f'{key} = "{value}"\n')
        elif kind is int:
            out.append(f"{key} = {value}\n")
        else:
            out.append(f"{key} = {toml_value(value)}\n")
    return "".join(out)


_PLAIN = re.compile(r'[^"\\\x00-\x1f\x7f]*')  # text that needs no escape in TOML


def toml_value(value: object) -> str:
    """One value as TOML: a basic string with every control character escaped, a number
    as Python writes it back exactly, a date, true or false, or a list of these."""
    if isinstance(value, str):  # the history's text: plain str, never a subclass
        if _PLAIN.fullmatch(value):
            return f'"{value}"'
        # JSON's escapes are TOML's (\" \\ \n \t \uXXXX …), but for DEL, which
        # TOML also wants escaped
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    kind = type(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if kind is float:
        text = repr(value)
        return text if any(c in text for c in ".en") else text + ".0"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"a review file holds no {type(value).__name__}")


def render(store: HistoryStore, review_id: int) -> tuple[str, str]:
    """(held on, the file's text) of a review recorded in this history."""
    conn = store.db.conn
    held_on, recorded_at, note, attendees, by, uid = conn.execute(
        "select held_on, recorded_at, note, attendees, recorded_by, uid from reviews where id = ?",
        [review_id],
    ).fetchone()
    parts = [
        f"# The review of {held_on}, recorded by improve. Commit this file to share it: every\n"
        "# clone's history reads it (improve review list, improve review changes).\n\n",
        "[review]\n",
        _table(
            {
                "format": 1,
                "uid": uid,
                "held_on": date.fromisoformat(held_on),
                "recorded_at": recorded_at,
                "note": note,
                "attendees": json.loads(attendees or "[]"),
                "recorded_by": by,
            }
        ),
    ]
    cols = ", ".join(f"[{c}]" for c in PLAN_COLUMNS)
    for row in conn.execute(
        f"select {cols} from review_plans where review_id = ? order by plan_id", [review_id]
    ):
        parts.append("\n[[plan]]\n" + _table(dict(zip(PLAN_COLUMNS, row, strict=True))))
    cols = ", ".join(f"[{c}]" for c in STATE_COLUMNS)
    rows = conn.execute(
        f"select {cols} from snapshots where review_id = ? order by plan_id, ref", [review_id]
    )
    return held_on, "".join(parts) + escape_del("".join(action_blocks(rows)))


def action_blocks(rows: Iterable[tuple[object, ...]]) -> list[str]:
    """The snapshot's rows (STATE_COLUMNS) as `[[action]]` blocks: byte for byte each
    `"\\n[[action]]\\n" + _lines(zip(STATE_COLUMNS, row))` but for DEL, which the caller
    escapes in the whole text at once (`escape_del`).

    The history's rows hold text, whole and decimal numbers and nulls, in few patterns (the
    type of each value). The rows of a pattern are written together, by its format made
    once: each column's text quoted as JSON's encoder writes it (`toml_value`'s escapes
    but DEL's), in C. A row of another pattern (a value of another type) is written value
    by value."""
    groups: dict[tuple[type, ...], tuple[list[int], list[tuple[object, ...]]]] = {}
    count = 0
    for count, row in enumerate(rows, 1):
        shape = tuple(map(type, row))
        group = groups.get(shape)
        if group is None:
            group = groups[shape] = ([], [])
        group[0].append(count - 1)
        group[1].append(row)
    out = [""] * count
    for shape, (places, same) in groups.items():
        made = _format(shape)
        texts: Iterable[str]
        if made is None:
            texts = ("\n[[action]]\n" + _lines(zip(STATE_COLUMNS, r, strict=True)) for r in same)
        elif not made[1]:
            texts = [made[0]] * len(same)
        else:
            fmt, kept, text = made
            columns = list(zip(*same, strict=True))
            values = [list(map(encode_basestring, columns[i])) if i in text else columns[i]
                      for i in kept]  # fmt: skip
            texts = map(fmt.__mod__, zip(*values, strict=True))
        for place, written in zip(places, texts, strict=True):
            out[place] = written
    return out


# a pattern's format (a %s for each value not null, in order: str() of a number, repr of a
# float), the columns of those values, and which of them are text (given quoted)
_Format = tuple[str, list[int], set[int]]


def escape_del(text: str) -> str:
    """DEL escaped as TOML wants it, in text written by `action_blocks` (whose formats
    hold none: every DEL in it is in a value)."""
    return text.replace("\x7f", "\\u007f") if "\x7f" in text else text


def _format(shape: tuple[type, ...]) -> _Format | None:
    """How to write a row of these types, or None when a value is of another type (a row
    written value by value, as `toml_value` says)."""
    if len(shape) != len(STATE_COLUMNS):
        return None
    out = ["\n[[action]]\n"]
    kept, text = [], set()
    for n, (key, kind) in enumerate(zip(STATE_COLUMNS, shape, strict=True)):
        if kind is str or kind is int or kind is float:  # a float as str() writes it: repr
            out.append(f"{key} = %s\n")
            kept.append(n)
            if kind is str:
                text.add(n)
        elif kind is not type(None):
            return None
    return "".join(out), kept, text


def folder_problem(plans: Path) -> str | None:
    """Why the reviews cannot be kept in plans/reviews (it is a file, say), or None."""
    return kept_files.folder_problem(Path(plans) / FOLDER, KIND.kept)


def reserve(store: HistoryStore, review_id: int, plans: Path) -> None:
    """In the transaction that records the review: its file's name, its key, and the mark
    that its file is still to be written (cleared by `write`)."""
    import uuid

    conn = store.db.conn
    conn.execute(
        "update reviews set file = ?, uid = coalesce(uid, ?), pending = 1 where id = ?",
        [_free_name(conn, Path(plans) / FOLDER, review_id), uuid.uuid4().hex, review_id],
    )


def _free_name(conn: sqlite3.Connection, folder: Path, review_id: int) -> str:
    """The first of DATE.toml, DATE-2.toml, … neither held by a review nor on disk (under
    the write lock, so two runs recording at once take two names)."""
    (held_on,) = conn.execute("select held_on from reviews where id = ?", [review_id]).fetchone()
    return kept_files.free_name(conn, "reviews", folder, held_on)


Unwritten = kept_files.Unwritten


def write(store: HistoryStore, review_id: int, plans: Path) -> Path:
    """The review's file in plans/reviews, written unless it is there already, and the
    history told (its pending mark cleared). Safe to run twice at once: the file is made
    whole or not at all (files.create_new), and one found under its name with this
    review's key is its own; one with another key (another clone's, arrived by a pull)
    keeps its name, and this review takes the next."""

    conn = store.db.conn
    folder = Path(plans) / FOLDER
    while True:
        row = conn.execute(
            "select file, uid, pending from reviews where id = ?", [review_id]
        ).fetchone()
        if row is None:
            raise HistoryError(f"there is no review {review_id}", code="unknown-review")
        name: str | None
        uid: str
        name, uid, pending = row
        if name is not None and not pending:
            return folder / name
        if name is None:  # recorded with no file (by a library caller)
            with store.transaction():
                if conn.execute(
                    "select 1 from reviews where id = ? and file is null", [review_id]
                ).fetchone():
                    reserve(store, review_id, plans)
            continue
        if kept_files.write_pending(
            store,
            KIND,
            plans,
            name,
            uid,
            lambda: render(store, review_id)[1],
            lambda: _free_name(conn, folder, review_id),
        ):
            return folder / name


def forget(store: HistoryStore, review_id: int) -> None:
    """Take back a review whose file could not be written (never one that has its file)."""
    kept_files.forget(store, KIND, review_id)


def _key_of(path: Path) -> str | None:
    """The review key written in a review file, or None (none, or not readable)."""
    import tomllib

    return kept_files.key_in(lambda: tomllib.loads(path.read_text(encoding="utf-8")), "review")


KIND = kept_files.Kind(
    folder=FOLDER,
    table="reviews",
    record="id",
    rows=(("snapshots", "review_id"), ("review_plans", "review_id"), ("reviews", "id")),
    kept="each review is kept in it as DATE.toml",
    not_folder="reviews-not-folder",
    unwritten="review-unwritten",
    key_of=_key_of,
)


def settle(store: HistoryStore, plans: Path) -> list[str]:
    """Write the file of every review recorded but not yet written (the run that recorded
    it killed before it could); what could not be, as lines to say."""
    return kept_files.settle(
        store,
        KIND,
        lambda review_id: write(store, review_id, plans),
        lambda review_id, name, why: (
            f"review {review_id} is recorded, but its file {FOLDER}/{name} is not written "
            f"yet ({why}); the next review command writes it"
        ),
    )


def index(store: HistoryStore, plans: Path) -> list[str]:
    """Read into the history every review file it does not hold yet (by name, or by the
    review's key written in it); what could not be read, as FILE: message lines."""
    problems = settle(store, plans)
    return problems + kept_files.index(
        store,
        KIND,
        plans,
        lambda folder: [p.name for p in sorted(folder.glob("*.toml"), key=_order)],
        lambda path: _read_in(store, path),
        lambda path, exc: (
            f"{path}: not read as a review ({type(exc).__name__}: {exc}); "
            "fix it from the copy in git, or remove it"
        ),
    )


def _order(path: Path) -> tuple[str, int, str]:
    """Reviews in the order they were held: 2017-01-05, 2017-01-05-2, 2017-01-06."""
    stem = path.stem
    if len(stem) > 10 and stem[10] == "-" and stem[11:].isdigit():
        return (stem[:10], int(stem[11:]), stem)
    return (stem, 1, stem)


def _read_in(store: HistoryStore, path: Path) -> None:
    import tomllib

    data = tomllib.loads(path.read_text(encoding="utf-8"))
    review = data["review"]
    held_on = review["held_on"]
    if not isinstance(held_on, date) or review.get("format", 1) != 1:
        raise ValueError("its [review] needs held_on = YYYY-MM-DD and format = 1")
    uid = review.get("uid")
    uid = uid if isinstance(uid, str) and uid else None
    conn = store.db.conn
    with store.transaction():
        if conn.execute(  # held already: by name, or by key under another name
            "select 1 from reviews where file = ? or uid = ?", [path.name, uid]
        ).fetchone():
            return
        last = conn.execute(
            "select coalesce(max(id), 0) from events where happened_on <= ?",
            [held_on.isoformat()],
        ).fetchone()[0]
        cur = conn.execute(
            "insert into reviews (held_on, recorded_at, note, attendees, recorded_by, "
            "last_event_id, file, uid) values (?, ?, ?, ?, ?, ?, ?, ?)",
            [held_on.isoformat(), str(review.get("recorded_at", "")), review.get("note"),
             json.dumps(list(review.get("attendees", [])), ensure_ascii=False),
             review.get("recorded_by"), last, path.name, uid],
        )  # fmt: skip
        rid = cur.lastrowid
        for plan in data.get("plan", []):
            values = [plan.get(c) for c in PLAN_COLUMNS]
            conn.execute(
                f"insert into review_plans (review_id, {', '.join(PLAN_COLUMNS)}) values "
                f"(?, {', '.join('?' for _ in PLAN_COLUMNS)})",
                [rid, *values],
            )
        cols = ", ".join(f"[{c}]" for c in STATE_COLUMNS)
        conn.executemany(
            f"insert into snapshots (review_id, {cols}) values "
            f"(?, {', '.join('?' for _ in STATE_COLUMNS)})",
            ([rid, *(a.get(c) for c in STATE_COLUMNS)] for a in data.get("action", [])),
        )
