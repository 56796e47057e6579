"""The Textual app. Only this package imports textual; it calls `improve.api` for everything."""

from .app import ImproveApp, make_app

__all__ = ["ImproveApp", "make_app"]
