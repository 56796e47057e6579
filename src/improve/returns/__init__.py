"""Returns: a spreadsheet per lead to fill in, and its answers back into the plans.

    made = make_returns(portfolio, today, out_dir, leads=["Head of Safeguarding"])
    result = read_return(path, portfolio, today)       # every cell checked, nothing written
    applied = apply_return(result, workspace, today)   # through Workspace.update

Partners (police, health, schools) and leads who will never install a terminal tool are
sent an .xlsx listing their open actions, with only the answer columns unlocked. A hidden
sheet records each action's fingerprint as it was when the return was made, so an answer
to an action that has changed since is a conflict, never written over the change; that
record is signed with a key kept in the plans folder (signing.py), so it cannot be edited
or copied between returns, and no cell's formula or error value is taken for an answer.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from ..plans.model import Action

# 3: the answer columns Milestone done, Impact, Measure and Reading; 2: what a return was
# made for is signed (signing.py); 1 was not
FORMAT = 3
SHEET = "Return"
INSTRUCTIONS = "How to fill it in"
HIDDEN = "improve"
LISTS = "Lists"  # hidden: the choices of the per-row lists (milestones, measures); never read
MARK = "improve return"
COLUMNS = (
    "Plan", "Ref", "Action", "Due", "% now", "New %", "Milestone done", "Progress note",
    "Evidence", "Evidence link", "Impact", "Measure", "Reading", "Extension to",
    "Extension reason",
)  # fmt: skip
INPUTS = COLUMNS[5:]  # the columns a lead fills in; the rest are locked


def action_fingerprint(action: Action) -> str:
    """A digest of everything an action says (not where in its file it is), so a return
    can tell whether the action changed after the return was made."""
    from ..digest import blake2b

    return blake2b(repr(_plain(action)).encode("utf-8"), digest_size=12).hexdigest()


def _plain(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return tuple(
            (f.name, _plain(getattr(value, f.name)))
            for f in dataclasses.fields(value)
            if f.name != "where"
        )
    if isinstance(value, list | tuple):
        return tuple(_plain(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), _plain(v)) for k, v in value.items()))
    if isinstance(value, date):
        return value.isoformat()
    return value


from .answers import ReturnProblem  # noqa: E402
from .apply import Applied, ReturnRead, apply_return, read_return  # noqa: E402
from .make import MadeReturn, make_returns  # noqa: E402

__all__ = [
    "COLUMNS",
    "Applied",
    "MadeReturn",
    "ReturnProblem",
    "ReturnRead",
    "action_fingerprint",
    "apply_return",
    "make_returns",
    "read_return",
]
