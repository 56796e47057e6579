"""Dates written the way people write them, and the TOML date they mean."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime

_ISO = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")


def suggest_date(value) -> str | None:
    """The TOML date a value probably means, as text, or None.

    "January 2017" means the end of that month (a plan's "due January 2017");
    "31/01/2017" is read day first, as English councils write it.
    """
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if _ISO.match(text):
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            return None  # looks like a date but is not a real one: no guess
    from dateutil import parser as _parser  # only needed when a date is wrong

    try:
        first = _parser.parse(text, dayfirst=True, default=datetime(2000, 1, 1))
        second = _parser.parse(text, dayfirst=True, default=datetime(2000, 1, 2))
    except (ValueError, OverflowError, TypeError):
        return None
    if first.year == 2000 and second.year == 2000 and "2000" not in text:
        return None  # no year given: don't guess one
    try:
        other_month = _parser.parse(text, dayfirst=True, default=datetime(2000, 2, 1))
    except (ValueError, OverflowError, TypeError):
        return None
    if other_month.month != first.month:
        return None  # a year alone: which date is meant is anyone's guess
    if first.day != second.day:  # no day given: the end of the month
        last = calendar.monthrange(first.year, first.month)[1]
        return date(first.year, first.month, last).isoformat()
    return first.date().isoformat()


def parse_date(text: str) -> date:
    """Parse a command-line date (YYYY-MM-DD); ValueError with a helpful message."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        hint = suggest_date(text)
        extra = f" (did you mean {hint}?)" if hint else ""
        raise ValueError(f'"{text}" is not a date in the form YYYY-MM-DD{extra}') from None


CADENCE_MONTHS = {"monthly": 1, "quarterly": 3, "six-monthly": 6, "annual": 12}


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_report_due(review: str | None, meeting: date) -> date | None:
    """When a plan reviewed at `review` cadence ("quarterly", …) is next due to be reported
    after `meeting` (None without a cadence)."""
    months = CADENCE_MONTHS.get(review or "")
    return add_months(meeting, months) if months else None
