"""The one exception history code raises to its callers."""

from __future__ import annotations


class HistoryError(Exception):
    """History cannot do what was asked; the message says what is wrong and how to fix it.

    Plans are never affected: history is kept apart from them, and losing it loses only
    the record of how the plans got where they are.
    """
