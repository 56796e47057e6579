"""`Workspace`: a plans folder and its history, and the one path every change takes.

    ws = Workspace(plans_dir, db=None, warn=print)   # the history opens when first needed
    portfolio = ws.load()                             # every plan, read with tomllib
    ws.sync(portfolio, statuses, today)               # hand edits noticed and recorded
    done = ws.update("plan:1.1.1", change, today, by) # the one call that changes an action

`update` takes the plan file's lock, reads and checks the file (its first parse),
records any hand edit of that plan first, makes the edit (its second parse checks
it), writes atomically, and records the change with its author in the same history
transaction. It reads no other plan: the new state of the changed plan comes back,
and `Updated.apply(portfolio)` swaps it into a loaded folder. The command line, the
app and, later, imports and returns all change plans through it.

History never stands in the way of a plan: a database that cannot be used becomes
one warning (through `warn`), and every command that only needs plans carries on.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ConflictError, EditError, HistoryError, PlanFileError
from .history.paths import resolve_path
from .plans.files import STALE_TEMP, leftover_temps, plan_lock, remove_leftovers
from .plans.folder import load_folder, refresh_folder
from .plans.loader import Portfolio
from .plans.model import Action, Target
from .plans.vocab import is_plan_id
from .status import rules

if TYPE_CHECKING:  # what only changes need is imported where they are made
    from .edits.change import Change
    from .edits.editing import Edited
    from .edits.measure_edit import MeasureChange, MeasureEdited, MeasureUpdated
    from .edits.saving import Noted, Updated
    from .history.store import HistoryStore
    from .speed.cache import PlanCache


class Workspace:
    """The plans folder and its history. Safe to share between an app's worker threads."""

    def __init__(
        self,
        plans: Path,
        *,
        db: Path | str | None = None,
        history: bool = True,
        warn: Callable[[str], None] | None = None,
        env: Mapping[str, str] | None = None,
        store: HistoryStore | None = None,
        cache: bool = True,
    ) -> None:
        """`store`: a history store already open (tests, or a caller that has one).
        `cache`: keep parsed plans between runs beside the history (improve.speed.cache); off
        with the history, or when IMPROVE_CACHE is 0."""
        env = os.environ if env is None else env
        self.env = env  # IMPROVE_COMMIT, for the commit policy (gitops.commit_wanted)
        self.plans = Path(plans)
        self.db_path = store.path if store is not None else resolve_path(self.plans, db, env)
        self.use_history = history
        from .speed.dayview import cache_on

        self.use_cache = cache and history and cache_on(env)
        self.cache_stats: tuple[int, int] | None = None  # (hits, misses) of the last load
        self.cache: PlanCache | None = None  # the last load's (dayview.remember adds to it)
        self.warn = warn or (lambda message: None)
        self.env = env
        self._store: HistoryStore | None = store
        self._store_error: HistoryError | None = None
        self._unsaid: HistoryError | None = None  # not yet said (see _say_unsaid)
        self._opening = threading.Lock()

    # -- the history ---------------------------------------------------------------------

    @property
    def store(self) -> HistoryStore | None:
        """The history store, opened on first use; None (after one warning) when the
        history cannot be used, or is turned off."""
        return self._open(warn=True)

    def _open(self, warn: bool) -> HistoryStore | None:
        if not self.use_history:
            return None
        with self._opening:
            if self._store is None and self._store_error is None:
                try:
                    from .history.store import HistoryStore

                    self._store = HistoryStore(self.plans, path=self.db_path)
                except HistoryError as exc:
                    self._store_error = self._unsaid = exc
                else:
                    if self._store.warning:
                        self.warn(self._store.warning)
                    if self._store.notice:
                        self.warn(self._store.notice)
        if warn:
            self._say_unsaid()
        return self._store

    def _say_unsaid(self) -> None:
        """The warning that the history cannot be used, once, when it matters: an update
        that then fails says its own error alone (a full disk is said once, not twice)."""
        with self._opening:
            exc, self._unsaid = self._unsaid, None
        if exc is not None:
            self.warn(f"history not recorded: {exc}")

    def require_store(self) -> HistoryStore:
        """The history store, or the HistoryError that says why it cannot be used."""
        store = self._open(warn=False)
        if store is None:
            self._unsaid = None  # said by whoever catches it
            raise self._store_error or HistoryError("the history is turned off", code="history-off")
        return store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading -------------------------------------------------------------------------

    def load(self, cache: PlanCache | None = None) -> Portfolio:
        """Every plan in the folder; one bad file is that file's problem. Temp files a
        crashed write of ours left (by our naming pattern only, and over an hour old, so
        never one a running write is using) are removed first. `cache`: the folder's
        cache read already (by dayview.open_day), not to be read again."""
        remove_leftovers(leftover_temps(self.plans, older_than=STALE_TEMP))
        if not self.use_cache:
            cache = None
        elif cache is None:
            from .speed.cache import PlanCache

            cache = PlanCache.for_folder(self.plans, self.db_path.parent)
        else:
            cache.hits = cache.misses = 0  # what open_day looked at is counted again here
        portfolio = load_folder(self.plans, cache=cache)
        self.cache = cache
        if cache is not None:
            cache.save()
            self.cache_stats = (cache.hits, cache.misses)
        return portfolio

    @staticmethod
    def reload(portfolio: Portfolio) -> Portfolio | None:
        """The folder again if any plan file changed on disk (only changed files are
        read), else None: cheap enough to poll every second."""
        return refresh_folder(portfolio)

    @staticmethod
    def statuses(portfolio: Portfolio, today: date) -> list[rules.PlanStatus]:
        return [rules.plan_status(plan, today) for plan in portfolio.plans]

    def sync(
        self,
        portfolio: Portfolio,
        today: date,
        statuses: list[rules.PlanStatus] | None = None,
        *,
        quiet: bool = True,
    ) -> None:
        """Record what changed in the files since the history last looked (edits made in
        an editor or by a pull are "edited by hand"). With `quiet`, a history that fails
        is a warning; without, its HistoryError."""
        if not self.use_history:
            return
        from .edits import journal

        noted = journal.pending(self.plans)
        if self._store is None and not noted and self._nothing_to_record(portfolio, today):
            return  # the store is not even opened (history/quick.py)
        store = self.store if quiet else self.require_store()
        if store is None:
            return
        try:
            if noted:  # writes made but not recorded: theirs first
                from .history.noted import record_all

                with ExitStack() as held:  # their files' locks, until the notes are gone
                    with store.lock():
                        done = record_all(store, self.plans, held)
                    for note in done:
                        journal.end(note.where)
            self.read_commits(store, today)
            store.sync_portfolio(portfolio, today, statuses=statuses)
            for problem in store.index_report_files(self.plans):  # reported/ (a pull's too)
                self.warn(problem)
        except HistoryError as exc:
            if not quiet:
                raise
            self.warn(f"history not recorded: {exc}")

    def _nothing_to_record(self, portfolio: Portfolio, today: date) -> bool:
        from .speed.dayview import nothing_to_record

        fps = {f.plan.id: f.fingerprint for f in portfolio.files if f.plan is not None}
        failed = [f.path for f in portfolio.failed]
        return nothing_to_record(self.plans, self.db_path, fps, failed, today, self.env)

    def read_commits(self, store: HistoryStore, today: date) -> None:
        """Record the plans' commits the history has not read (gitlog.read_into), before
        the files are compared: a change that came by a pull is then its author's."""
        from .team import gitref

        if not gitref.history_on(self.env):
            return
        from .team import gitlog

        try:
            done = gitlog.read_into(store, self.plans, today, say=self.warn)
        except gitlog.GitLogError as exc:
            self.warn(f"history from git not read: {exc}")
            return
        for said in done.skipped if done is not None else ():
            self.warn(said)

    def reported(
        self, statuses: list[rules.PlanStatus]
    ) -> dict[str, tuple[str, date, date | None]]:
        """Plan id → (body, meeting, next report due) for the plans of `statuses` that were
        reported to a committee; {} (after a warning) when the history cannot say."""
        from .history import quick
        from .plans.dates import with_next_report

        if not self.use_history:
            return {}
        seen = quick.last_reported(self.db_path) if self._store is None else None
        if seen is None:
            store = self.store
            if store is None:
                return {}
            try:
                seen = store.last_reported()
            except HistoryError as exc:
                self.warn(f"history not read: {exc}")
                return {}
        return with_next_report(seen, {ps.plan.id: ps.plan.review for ps in statuses})

    # -- changing ------------------------------------------------------------------------

    def update(
        self,
        target: Target | str,
        change: Change,
        today: date,
        by: str | None,
        *,
        portfolio: Portfolio | None = None,
        expected_fingerprint: str | None = None,
        expected_action: Action | None = None,
        commit: bool | None = None,
        no_verify: bool = False,
    ) -> Updated:
        """Change one action in its file and record it: the one call for every change.

        `portfolio`, when the caller has the folder loaded, says where the plan is;
        without it the plan is looked for as PLANS/ID.toml first, so no other file is
        read. `expected_fingerprint` refuses to write over a file that changed on disk
        since the caller read it (ConflictError). `expected_action`, instead, refuses
        only when that action itself changed (as the user saw it when they began): a change
        elsewhere in the file by someone else is kept, and this one made on top of it.
        `commit`: then commit the file to git, it alone, as by `by` (gitops.py); None:
        as IMPROVE_COMMIT or the folder's setting say (gitops.commit_wanted), for every
        front end; `no_verify`: the repository's pre-commit and commit-msg hooks do not
        run. The change is kept either way, `Updated.commit_note` saying why it was not
        committed."""
        from .edits.saving import Updated

        done = self._change(target, change, today, by, portfolio, expected_fingerprint,
                            expected_action, commit, no_verify)  # fmt: skip
        assert isinstance(done, Updated)
        return done

    def update_measure(
        self,
        plan_id: str,
        change: MeasureChange,
        today: date,
        by: str | None,
        *,
        portfolio: Portfolio | None = None,
        expected_fingerprint: str | None = None,
        commit: bool | None = None,
        no_verify: bool = False,
    ) -> MeasureUpdated:
        """Add or replace dated readings and comparators of one measure of a plan, found
        by its id at any level (the plan's, a recommendation's, an action's): the same
        path as `update` (lock, two parses, journal, atomic write, history, commit).
        EditError "no-change" when the plan already says all of it: nothing is written."""
        from .edits.measure_edit import MeasureUpdated

        done = self._change(Target(plan_id, change.measure), change, today, by, portfolio,
                            expected_fingerprint, None, commit, no_verify)  # fmt: skip
        assert isinstance(done, MeasureUpdated)
        return done

    def _change(
        self,
        target: Target | str,
        change: Change | MeasureChange,
        today: date,
        by: str | None,
        portfolio: Portfolio | None,
        expected_fingerprint: str | None,
        expected_action: Action | None,
        commit: bool | None,
        no_verify: bool,
    ) -> Updated | MeasureUpdated:
        from .edits.change import is_text
        from .team import gitops

        if isinstance(target, str):
            target = Target.parse(target)
        change.check()
        if by is not None and not is_text(by):
            raise EditError(
                "the name of who is making the change has characters that are not text; "
                "type it again",
                code="bad-text",
                field="by",
            )
        commit, why_not = gitops.commit_wanted(self.plans, commit, self.env)
        path = self._find(target.plan_id, portfolio)
        before = gitops.before_change(path) if commit else None  # the file's own changes
        try:
            done = self._update(
                path, target, change, today, by, expected_fingerprint, expected_action
            )
        except _NotThisPlan:
            if portfolio is not None:
                raise EditError(
                    f'plan "{target.plan_id}" is no longer in {path.name}; reload and try again',
                    code="conflict-moved",
                ) from None
            folder = self.load()  # PLANS/ID.toml holds another plan: look through the folder
            path = self._find(target.plan_id, folder)
            before = gitops.before_change(path) if commit else None
            done = self._update(path, target, change, today, by, None, expected_action)
        if before is not None:
            gitops.commit_update(before, done, change.note, by, self.plans, today,
                                 no_verify=no_verify)  # fmt: skip
        elif why_not is not None:
            done.commit_note = f"not committed: {why_not}"
        return done

    def plan_path(self, plan_id: str) -> Path:
        """The file of plan `plan_id`: PLANS/ID.toml when it holds it, else found in the
        folder; EditError naming the plans there are."""
        return self._find(plan_id, None)

    def _find(self, plan_id: str, portfolio: Portfolio | None) -> Path:
        if portfolio is None:
            guess = self.plans / f"{plan_id}.toml"
            if is_plan_id(plan_id) and guess.is_file():
                return guess
            portfolio = self.load()
        loaded = portfolio.file_for(plan_id)
        if loaded is not None:
            return loaded.path
        broken = [f for f in portfolio.failed if f.path.stem == plan_id]
        if broken:
            raise PlanFileError(
                f'plan "{plan_id}" has errors; fix them first',
                code="plan-has-errors",
                field="target",
                problems=broken[0].problems,
                plan_id=plan_id,
            )
        known = ", ".join(p.id for p in portfolio.plans) or "none"
        raise EditError(
            f'no plan "{plan_id}" in {portfolio.root} (plans: {known})',
            code="unknown-plan",
            field="target",
            plan_id=plan_id,
        )

    def _update(
        self,
        path: Path,
        target: Target,
        change: Change | MeasureChange,
        today: date,
        by: str | None,
        expected: str | None,
        expected_action: Action | None = None,
    ) -> Updated | MeasureUpdated:
        from .edits import journal
        from .edits.measure_edit import MeasureChange
        from .edits.saving import read_for_edit, refuse_outside

        refuse_outside(path, self.plans)
        with plan_lock(path):
            real, text, fp = read_for_edit(path, expected)
            from .edits.editing import edit_text, read_plan  # tomlkit: only when editing

            data, before = read_plan(text, path, self.plans)  # the first parse
            if before.id != target.plan_id:
                raise _NotThisPlan
            measure = isinstance(change, MeasureChange)
            found = None if measure else before.find_action(target.ref)
            if found is not None and expected_action is not None and found[1] != expected_action:
                raise ConflictError(
                    f"{target} was changed in {path.name} since you opened it (by someone "
                    "else, or in an editor); nothing was written — look at it again and save",
                    code="conflict-action",
                )
            if found is None and not measure:
                raise EditError(
                    f'plan "{target.plan_id}" has no action "{target.ref}"',
                    code="unknown-action",
                    field="target",
                    plan_id=target.plan_id,
                    ref=target.ref,
                )
            if isinstance(change, MeasureChange):
                from .edits.measure_edit import edit_measure_text

                edited: Edited | MeasureEdited
                edited = edit_measure_text(text, data, path, change, self.plans)
                ref = edited.planned.ref  # the action whose measure it is, or ""
            else:
                edited = edit_text(text, data, path, target.ref, change, today, by, self.plans)
                ref = target.ref
            noted: Noted = (self.plans, real, before.id, ref, by, today)
            store = self._open(warn=False)
            if store is None:
                # no history now: if one is wanted, the write is noted so that a later run
                # with the history records it as by its author
                done = self._commit(
                    path, target, edited, text, fp, today, noted if self.use_history else None
                )[0]
                self._say_unsaid()
                return done
            written: list[Updated | MeasureUpdated] = []
            try:
                with store.lock():
                    # A write of this file that was made but not recorded (its writer was
                    # killed, or the history failed) is recorded first, as by its author;
                    # then commits not read yet (a pull's), then a hand edit since the
                    # history last looked, so that this change is told apart from all
                    # (the order `sync` records them in).
                    from .history.noted import record_all

                    recorded = record_all(store, self.plans, real=real)
                    self.read_commits(store, today)
                    store.sync(
                        [rules.plan_status(before, today)],
                        today,
                        only=[before.id],
                        fingerprints={before.id: fp},
                    )
                    done, note = self._commit(path, target, edited, text, fp, today, noted)
                    written.append(done)
                    store.sync(
                        [done.status],
                        today,
                        by,
                        only=[before.id],
                        targets=[(before.id, ref)],
                        fingerprints={before.id: done.loaded.fingerprint},
                    )
                journal.end(note)
                for earlier in recorded:
                    journal.end(earlier.where)
            except HistoryError as exc:
                if not written:
                    raise
                # The plan is written, so the update has happened; its note stays, and
                # the next run records it as by its author.
                written[0].history_warning = f"written; history not recorded: {exc}"
            return written[0]

    def _commit(self, path: Path, target: Target, edited: Edited | MeasureEdited, text: str, fp: str, today: date,
                noted: Noted | None) -> tuple[Updated | MeasureUpdated, Path | None]:  # fmt: skip
        from .edits.saving import write_edited

        return write_edited(path, target, edited, text, fp, today, noted)


class _NotThisPlan(Exception):
    """PLANS/ID.toml holds a plan with another id (internal: the folder is searched)."""
