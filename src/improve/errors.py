"""Errors as data: every failure the library reports is an `ImproveError`.

Each carries a `code` (stable, for front ends to branch on), the `field` it concerns
when there is one (the update form puts the message beside that field; the command
line names the option), and a message in plain words that names no front end: no
command-line option, no key of the app. The command line words them once
(`improve.cli.errors`); the app says them in its own terms.

    ImproveError
    ├── PlanFileError     a plan file cannot be used (its problems have FILE:LINE:COL)
    ├── EditError         the change cannot be made
    │   └── ConflictError the file changed on disk since it was read
    ├── HistoryError      the history database cannot do what was asked
    └── SourceError       a document being imported cannot be read (room for imports)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .plans.model import Problem


class ImproveError(Exception):
    """What went wrong, in plain words, with a code and the values a front end needs."""

    default_code = "error"

    def __init__(
        self, message: str, *, code: str | None = None, field: str | None = None, **values: Any
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.field = field
        self.values = values

    def __str__(self) -> str:
        return self.message


class PlanFileError(ImproveError):
    """A plan file cannot be used; `problems` are its `Problem`s, each with a position."""

    default_code = "plan-file"

    def __init__(self, message: str, *, problems: list[Problem] | None = None, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.problems = list(problems or [])


class EditError(ImproveError):
    """The change cannot be made; nothing was written."""

    default_code = "edit"


class ConflictError(EditError):
    """The file changed on disk since it was read; nothing was written."""

    default_code = "conflict"


class HistoryError(ImproveError):
    """History cannot do what was asked. Plans are never affected: losing the history
    loses only the record of how the plans got where they are."""

    default_code = "history"


class SourceError(ImproveError):
    """A document being brought in (Word, Excel, CSV) cannot be read."""

    default_code = "source"
