"""Base classes for the app's screens and modals: `self.app` is an `ImproveApp`.

Textual types `self.app` as a plain `App`; the screens use what `ImproveApp` adds (the
statuses, `today`, `open`, `show_plan` …). Textual declares `app` for type checkers only,
as `textual.getters.app(App)`, so a property cannot override it; the same getter with
`ImproveApp` can. It is declared for type checkers only here too: at run time `self.app`
is Textual's own, unchanged (and `app.py`, which imports the screens, is not imported).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from textual import getters

    from .app import ImproveApp

ResultType = TypeVar("ResultType")


class ImproveScreen(Screen[ResultType]):
    """A full screen of the app."""

    if TYPE_CHECKING:
        app = getters.app(ImproveApp)


class ImproveModal(ModalScreen[ResultType]):
    """A modal screen of the app."""

    if TYPE_CHECKING:
        app = getters.app(ImproveApp)
