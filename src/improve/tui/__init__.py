"""The Textual app. Only this package imports textual; it calls `improve.api` for everything.

Importing it makes Textual's own text (`Content`, which plain strings become) inert too,
as `improve.present` does for Rich: every control character but tab and newline is shown
as a picture, never sent to the terminal to act on.
"""

from textual import content as _content

from ..present import _harden

_harden(_content._CONTROL_STRIP_TRANSLATE)

from .app import ImproveApp, make_app  # noqa: E402  (after the hardening, on purpose)

__all__ = ["ImproveApp", "make_app"]
