"""Updating an action from the app: the form opened, the save made through the same
library call as `improve update` (in the app's save worker), and its result said.

`save` runs in the worker; `open_form`, `saved` and `failed` on the UI thread. The app
wires them in (`open_update`, `save_update`, `on_update_done`, `on_update_failed`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from ..api import ConflictError, ImproveError, Target, display_name
from .wording import sentence

if TYPE_CHECKING:
    from ..api import Action, Updated
    from .app import ImproveApp
    from .form_values import FormValues


class UpdateDone(Message):
    def __init__(self, done: Updated) -> None:
        super().__init__()
        self.done = done


class UpdateFailed(Message):
    def __init__(self, plan_id: str, ref: str, values: FormValues, error: ImproveError) -> None:
        super().__init__()
        self.plan_id, self.ref, self.values, self.error = plan_id, ref, values, error


def open_form(
    app: ImproveApp, plan_id: str, ref: str, values: FormValues | None, error: ImproveError | None
) -> None:
    """The update form for one action, with what the user typed and why it was not saved
    (after a failed save); what it returns is saved by the app's save worker."""
    from .form_values import FormValues
    from .update_form import ActionState, UpdateForm

    found = app.find_action(plan_id, ref)
    measures: list[tuple[str, str]] = []
    if found:
        ps, rs, st = found
        measures = [
            (m.id, m.text)
            for m in [*st.action.measures, *rs.recommendation.measures, *ps.plan.measures]
        ]

    seen = found[2].action if found else None  # as the user saw it when the form opened

    def chosen(result: FormValues | None) -> None:
        if result is not None:
            app.save_update(plan_id, ref, result, seen)

    app.open(
        UpdateForm(
            f"Update {plan_id}:{ref}",
            values or FormValues(),
            error,
            measures,
            ActionState.of(seen),
        ),
        chosen,
    )


def save(app: ImproveApp, plan_id: str, ref: str, values: FormValues, seen: Action | None) -> None:
    """Writes through the same library call as `improve update`, in the save worker.
    `seen`: the action as it was when the form opened; if it has changed on disk since,
    nothing is written and the form says so (a change elsewhere in the file is kept)."""
    from .form_values import decider, to_change

    with app.own_writes:
        app.saving += 1
    done: Updated | None = None
    try:
        done = app.workspace.update(
            Target(plan_id, ref),
            to_change(values),
            app.today,
            decider(values) or app.user,  # who agreed or refused, as --by says
            portfolio=app.portfolio,
            expected_action=seen,
        )
    except ImproveError as exc:
        app.post_message(UpdateFailed(plan_id, ref, values, exc))
    finally:
        with app.own_writes:
            app.saving -= 1
            app.saved += 1
            if done is not None:
                # known as the app's own before any poll can judge the file, and posted
                # before any later look at the folder
                app.written[done.path] = done.loaded.fingerprint
                if app.known is not None:
                    app.known = done.apply(app.known)
                app.post_message(UpdateDone(done))


def saved(app: ImproveApp, done: Updated) -> None:
    """A save's result taken in (only the saved file is read again: the rest of the folder
    is as it was), and said: what changed, on which lines, and what git did."""
    if app.portfolio is not None and app.statuses is not None:
        app.portfolio = done.apply(app.portfolio)
        app.statuses = done.apply_statuses(app.statuses)
        app.plan_paths[done.target.plan_id] = done.path
        app.refresh_screens()
    spans = ", ".join(f"{a}" if a == b else f"{a}–{b}" for a, b in done.changed_lines())
    where = f"{display_name(done.path)}, lines {spans}" if spans else display_name(done.path)
    app.notify(
        f"Saved {done.target}: "
        + ("; ".join(done.changes) or "note added")
        + f". Changed {where}; nothing else in the file was touched.",
        timeout=8,
        markup=False,
    )
    if done.history_warning:
        app.notify(done.history_warning, severity="warning", timeout=15, markup=False)
    if done.committed:  # as IMPROVE_COMMIT or the folder's setting say (gitops)
        app.notify(f"Committed {done.committed[:7]}", timeout=8, markup=False)
    if done.commit_note:  # why not, or that the commit is on no branch
        app.notify(sentence(done.commit_note), severity="warning", timeout=15, markup=False)


def failed(app: ImproveApp, message: UpdateFailed) -> None:
    """A save refused: the form again with what was typed and why; after a conflict, once
    the fresh state is loaded, so the next save is checked against what the user sees."""
    error = message.error
    if isinstance(error, ConflictError):
        app.notify(
            "This action was changed on disk since you opened the form, so nothing was "
            "written. It has been reloaded; your entries are kept — check them against "
            "the change and save again.",
            severity="warning",
            timeout=10,
        )
        app.reopen_after_load = (message.plan_id, message.ref, message.values, error)
        app.load()
        return
    app.open_update(message.plan_id, message.ref, message.values, error)
