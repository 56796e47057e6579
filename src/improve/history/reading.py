"""What the history store answers: reviews, what changed since one, an action's story,
the portfolio as at a day, the trend, and the reports made to committees. A part of
`HistoryStore` (store.py), kept here so that each module holds one responsibility: the
store opens, checks and writes; this reads (and notes a report, its one small write)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar, cast

from ..errors import HistoryError, ImproveError
from ..plans.dates import parse_day
from .records import Event, PlanSummary, Review

if TYPE_CHECKING:
    from ..status import rules
    from .changes import Changes
    from .db import Database
    from .store import HistoryStore

_P = ParamSpec("_P")
_T = TypeVar("_T")


class Reading:
    """The reading half of HistoryStore (a mixin: the store gives it `db`, `_run`,
    `transaction`, `now` and `sync`)."""

    if TYPE_CHECKING:

        @property
        def db(self) -> Database: ...

        def _run(self, fn: Callable[_P, _T], *args: _P.args, **kwargs: _P.kwargs) -> _T: ...
        def transaction(self) -> AbstractContextManager[Any]: ...
        def now(self) -> str: ...
        def sync(self, statuses: Iterable[rules.PlanStatus], today: date) -> Any: ...

    @property
    def _store(self) -> HistoryStore:
        """This half as the store it is a part of (for the modules that take a store)."""
        return cast("HistoryStore", self)

    # -- reviews ---------------------------------------------------------------------------

    def reviews(self) -> list[Review]:
        """Every review, oldest first, each with its per-plan totals."""
        return self._run(self._reviews, None)

    def review(self, review_id: int) -> Review:
        found = self._run(self._reviews, int(review_id))
        if not found:
            raise HistoryError(f"there is no review {review_id}", code="unknown-review")
        return found[0]

    def _reviews(self, only: int | None) -> list[Review]:
        where, params = ("where id = ?", [only]) if only is not None else ("", [])
        rows = list(self.db.query(f"select * from reviews {where} order by held_on, id", params))
        plans: dict[int, list[PlanSummary]] = {r["id"]: [] for r in rows}
        held_on = {r["id"]: r["held_on"] for r in rows}
        pwhere = "where review_id = ?" if only is not None else ""
        for p in self.db.query(
            f"select * from review_plans {pwhere} order by review_id, plan_id", params
        ):
            if p["review_id"] in plans:
                plans[p["review_id"]].append(
                    PlanSummary.from_db(p, held_on[p["review_id"]], p["review_id"])
                )
        return [
            Review(
                r["id"],
                date.fromisoformat(r["held_on"]),
                r["recorded_at"],
                r["note"],
                tuple(json.loads(r["attendees"])),
                r["recorded_by"],
                r["last_event_id"],
                tuple(plans[r["id"]]),
            )
            for r in rows
        ]

    def find_review(self, since: str | int | date = "last", today: date | None = None) -> Review:
        """ "last" (the latest review on or before today), a review id, or a date (the latest
        review on or before it)."""
        return self._run(self._find_review, since, today)

    def _find_review(self, since: str | int | date, today: date | None) -> Review:
        if isinstance(since, int) or (isinstance(since, str) and since.isdigit()):
            return self.review(int(since))
        if isinstance(since, str) and since != "last":
            try:
                since = parse_day(since)
            except ImproveError:
                raise HistoryError(
                    f'"{since}" is not a review: give "last", a review id or a date as '
                    "YYYY-MM-DD or DD/MM/YYYY",
                    code="unknown-review",
                ) from None
        limit = since if isinstance(since, date) else today
        sql = "select id from reviews"
        params: list[str] = []
        if limit is not None:
            sql += " where held_on <= ?"
            params.append(limit.isoformat())
        row = self.db.execute(sql + " order by held_on desc, id desc limit 1", params).fetchone()
        if row is None:
            if limit is not None and self.db.execute("select 1 from reviews limit 1").fetchone():
                raise HistoryError(
                    f"no review was recorded on or before {limit.isoformat()}",
                    code="unknown-review",
                )
            raise HistoryError("no review has been recorded yet", code="no-review")
        return self.review(row[0])

    def changes(
        self,
        since: str | int | date = "last",
        statuses: Iterable[rules.PlanStatus] | None = None,
        today: date | None = None,
        *,
        events: bool = False,
    ) -> Changes:
        """What changed since a review: its snapshot against now.  With `statuses` (and
        `today`), history is first brought up to date with them (`sync`, by hand), so hand
        edits are noticed; without, "now" is the state recorded by the last sync.  With
        `events`, `Changes.events` holds every event since the review."""
        from .changes import changes

        if statuses is not None:
            if today is None:
                raise HistoryError("changes(): give today with the statuses")
            self.sync(statuses, today)
        return self._run(changes, self._store, since, today, events)

    def history(self, plan_id: str, ref: str) -> list[Event]:
        """Every event of one action, oldest first."""
        return self._run(
            lambda: [
                Event.from_db(r)
                for r in self.db.query(
                    "select * from events where plan_id = ? and ref = ? order by happened_on, id",
                    [plan_id, ref],
                )
            ]
        )

    def events(self, after_id: int = 0, plan_id: str | None = None) -> list[Event]:
        """Events recorded after an event id (e.g. a review's last_event_id), oldest first."""
        sql = "select * from events where id > ?"
        params: list[int | str] = [after_id]
        if plan_id is not None:
            sql += " and plan_id = ?"
            params.append(plan_id)
        return self._run(
            lambda: [
                Event.from_db(r) for r in self.db.query(sql + " order by happened_on, id", params)
            ]
        )

    def status_as_of(self, day: date) -> list[PlanSummary]:
        """Each plan's totals as recorded by the latest review or sync on or before `day`
        (plans not yet seen, or removed by then, are left out)."""
        return self._run(self._status_as_of, day)

    def _status_as_of(self, day: date) -> list[PlanSummary]:
        rows = self.db.query(
            """select p.* from plan_days p
               join (select plan_id, max(on_date) as d from plan_days where on_date <= ?
                     group by plan_id) latest
               on p.plan_id = latest.plan_id and p.on_date = latest.d
               where p.present = 1 order by p.plan_id""",
            [day.isoformat()],
        )
        return [PlanSummary.from_db(r, r["on_date"]) for r in rows]

    def trend(self, plan_id: str | None = None) -> dict[str, list[PlanSummary]]:
        """Per plan, its totals at each review, oldest first (percent complete and RAG counts)."""

        def run() -> dict[str, list[PlanSummary]]:
            sql = "select p.*, r.held_on from review_plans p join reviews r on r.id = p.review_id"
            params: list[str] = []
            if plan_id is not None:
                sql += " where p.plan_id = ?"
                params.append(plan_id)
            out: dict[str, list[PlanSummary]] = {}
            for r in self.db.query(sql + " order by p.plan_id, r.held_on, r.id", params):
                out.setdefault(r["plan_id"], []).append(
                    PlanSummary.from_db(r, r["held_on"], r["review_id"])
                )
            return out

        return self._run(run)

    # -- reports to committees -------------------------------------------------------------

    def record_reported(
        self,
        plan_ids: Iterable[str],
        body: str,
        meeting: date,
        today: date,
        by: str | None = None,
        fmt: str | None = None,
        *,
        plans: Path | None = None,
    ) -> Path | None:
        """That these plans were reported to `body` for its meeting on `meeting`. With
        `plans`, kept in plans/reported too, all or nothing (report_files.py): recorded
        with its file marked pending, the file written, the mark cleared; the file's path
        (None without `plans`, or with no plan). A file that cannot be written takes the
        record back (HistoryError)."""
        import uuid

        from . import report_files

        if plans is not None and (problem := report_files.folder_problem(plans)):
            raise HistoryError(f"{problem}; nothing was recorded", code="reported-not-folder")
        ids = list(dict.fromkeys(plan_ids))
        uid = uuid.uuid4().hex

        def run() -> None:
            with self.transaction():
                at = self.now()
                self.db.conn.executemany(
                    "insert into reports (plan_id, body, meeting, made_on, recorded_at, made_by,"
                    " format, uid) values (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (pid, body, meeting.isoformat(), today.isoformat(), at, by, fmt, uid)
                        for pid in ids
                    ],
                )
                if plans is not None and ids:
                    report_files.reserve(self._store, uid, plans)

        self._run(run)
        if plans is None or not ids:
            return None
        try:
            return self._run(report_files.write, self._store, uid, plans)
        except report_files.Unwritten as exc:
            self._run(report_files.forget, self._store, uid)
            raise HistoryError(f"{exc.message}; nothing was recorded", code=exc.code) from None

    def index_report_files(self, plans: Path) -> list[str]:
        """Read in the report files of plans/reported this history does not hold yet (from
        another clone, or all of them into a new history), after writing any a killed run
        left unwritten; what could not be read, as FILE: lines."""
        from .report_files import index

        return self._run(index, self._store, plans)

    def reports(self) -> list[tuple[str, str, date]]:
        """Every plan reported to a committee: (plan id, body, meeting), by meeting."""

        def run() -> list[tuple[str, str, date]]:
            return [
                (pid, body, date.fromisoformat(meeting))
                for pid, body, meeting in self.db.conn.execute(
                    "select plan_id, body, meeting from reports order by meeting, id"
                )
            ]

        return self._run(run)

    def last_reported(self) -> dict[str, tuple[str, date]]:
        """Per plan, the body and meeting date of its latest report (by meeting date)."""

        def run() -> dict[str, tuple[str, date]]:
            out: dict[str, tuple[str, date]] = {}
            for pid, body, meeting in self.db.conn.execute(
                "select plan_id, body, meeting from reports order by plan_id, meeting, id"
            ):
                out[pid] = (body, date.fromisoformat(meeting))
            return out

        return self._run(run)
