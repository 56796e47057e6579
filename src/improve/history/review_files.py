"""Reviews in the repository: each review recorded is also a small file in the plans
folder, `reviews/YYYY-MM-DD.toml` (never read as a plan), so that committing it shares the
review with every clone. The history indexes the review files it finds: one made on
another machine (arrived by a pull), or every one after the database was rebuilt, is read
into it, so `review list` and `review changes` on any clone compare with the same review.

A file holds the review (date, note, attendees, who recorded it), each plan's totals,
and each action's recorded state then (the history's row for it), so nothing else is
needed to compare with it. A file that cannot be read is said once, as FILE: …, and left.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from .rows import COLUMNS, KEY

FOLDER = "reviews"
PLAN_COLUMNS = ("plan_id", "title", "fingerprint", "percent", "rag", "red", "amber", "green",
                "grey", "blue", "total", "complete", "overdue", "stale", "dropped")  # fmt: skip
STATE_COLUMNS = KEY + COLUMNS


def _table(values: dict) -> str:
    import tomlkit

    t = tomlkit.table()
    for key, value in values.items():
        if value is not None:
            t.add(key, value)
    return tomlkit.dumps(t)


def render(store, review_id: int) -> tuple[str, str]:
    """(held on, the file's text) of a review recorded in this history."""
    conn = store.db.conn
    held_on, recorded_at, note, attendees, by = conn.execute(
        "select held_on, recorded_at, note, attendees, recorded_by from reviews where id = ?",
        [review_id],
    ).fetchone()
    parts = [
        f"# The review of {held_on}, recorded by improve. Commit this file to share it: every\n"
        "# clone's history reads it (improve review list, improve review changes).\n\n",
        "[review]\n",
        _table(
            {
                "format": 1,
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
    for row in conn.execute(
        f"select {cols} from snapshots where review_id = ? order by plan_id, ref", [review_id]
    ):
        parts.append("\n[[action]]\n" + _table(dict(zip(STATE_COLUMNS, row, strict=True))))
    return held_on, "".join(parts)


def write(store, review_id: int, plans: Path) -> Path:
    """Write the review's file (a new name for a second review on one day) and note it in
    the history, so it is not read back in as another machine's."""
    from ..files import create_new

    held_on, text = render(store, review_id)
    folder = Path(plans) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    n = 1
    while True:
        name = f"{held_on}.toml" if n == 1 else f"{held_on}-{n}.toml"
        try:
            create_new(folder / name, text.encode("utf-8"))
            break
        except FileExistsError:
            n += 1
    with store.transaction():
        store.db.conn.execute("update reviews set file = ? where id = ?", [name, review_id])
    return folder / name


def index(store, plans: Path) -> list[str]:
    """Read into the history every review file it does not hold yet; what could not be
    read, as FILE: message lines."""
    folder = Path(plans) / FOLDER
    if not folder.is_dir():
        return []
    conn = store.db.conn
    known = {r[0] for r in conn.execute("select file from reviews where file is not null")}
    problems = []
    for path in sorted(folder.glob("*.toml"), key=_order):
        if path.name in known:
            continue
        try:
            _read_in(store, path)
        except Exception as exc:  # a file from many hands: its own problem, never a crash
            problems.append(
                f"{path}: not read as a review ({type(exc).__name__}: {exc}); "
                "fix it from the copy in git, or remove it"
            )
    return problems


def _order(path: Path) -> tuple:
    """Reviews in the order they were held: 2017-01-05, 2017-01-05-2, 2017-01-06."""
    stem = path.stem
    if len(stem) > 10 and stem[10] == "-" and stem[11:].isdigit():
        return (stem[:10], int(stem[11:]), stem)
    return (stem, 1, stem)


def _read_in(store, path: Path) -> None:
    import tomllib

    data = tomllib.loads(path.read_text(encoding="utf-8"))
    review = data["review"]
    held_on = review["held_on"]
    if not isinstance(held_on, date) or review.get("format", 1) != 1:
        raise ValueError("its [review] needs held_on = YYYY-MM-DD and format = 1")
    conn = store.db.conn
    with store.transaction():
        last = conn.execute(
            "select coalesce(max(id), 0) from events where happened_on <= ?",
            [held_on.isoformat()],
        ).fetchone()[0]
        cur = conn.execute(
            "insert into reviews (held_on, recorded_at, note, attendees, recorded_by, "
            "last_event_id, file) values (?, ?, ?, ?, ?, ?, ?)",
            [held_on.isoformat(), str(review.get("recorded_at", "")), review.get("note"),
             json.dumps(list(review.get("attendees", [])), ensure_ascii=False),
             review.get("recorded_by"), last, path.name],
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
