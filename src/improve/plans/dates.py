"""Dates written the way people write them, and the TOML date they mean."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime

from ..errors import ImproveError

# English month names, as councils write them (the standard library's depend on the
# locale, and cost a millisecond of every start to import)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip


def days_in_month(year: int, month: int) -> int:
    if month == 12:
        return 31
    return (date(year, month + 1, 1) - date(year, month, 1)).days


_ISO = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")


def suggest_date(value: object) -> str | None:
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
        last = days_in_month(first.year, first.month)
        return date(first.year, first.month, last).isoformat()
    return first.date().isoformat()


_ISO_BASIC = re.compile(r"^\d{8}$")  # 20170118, as ISO 8601 allows
_UK = re.compile(r"^(\d{1,2})([/.\-])(\d{1,2})\2(\d{2}|\d{4})$")
_WORDS = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})$", re.IGNORECASE)
_FORMS = "as YYYY-MM-DD or day first, DD/MM/YYYY"


def parse_day(text: str) -> date:
    """A day as a person types it: 2017-01-18 (ISO), or day first as English councils
    write it (18/01/2017, 18/1/2017, 18-01-2017, 18.01.2017, 18 January 2017). Never
    month first: 01/18/2017 is refused, not read as 18 January. A two-digit year is
    refused rather than guessed. ImproveError (code "bad-date") says what to write."""
    typed = text.strip() if isinstance(text, str) else ""
    shown = " ".join(typed.split())[:40]

    def refuse(why: str) -> ImproveError:
        return ImproveError(f'"{shown}" is not a date: {why}', code="bad-date", typed=text)

    if not typed.isascii():
        raise refuse(f"write it {_FORMS}")
    if _ISO.match(typed) or _ISO_BASIC.match(typed):
        try:
            return date.fromisoformat(_zero_padded(typed) if "-" in typed else typed)
        except ValueError:
            raise refuse("there is no such day") from None
    uk = _UK.match(typed)
    if uk:
        day, month, year = int(uk[1]), int(uk[3]), uk[4]
        if len(year) == 2:
            raise refuse(f"write the year in full, {uk[1]}{uk[2]}{uk[3]}{uk[2]}20{year}")
        if month > 12 and day <= 12:
            raise refuse(
                f"dates are read day first ({month}/{day:02}/{year} is {month} "
                f"{MONTHS[day - 1]} {year}), and there is no month {month}"
            )
        try:
            return date(int(year), month, day)
        except ValueError:
            raise refuse("there is no such day (dates are read day first, DD/MM/YYYY)") from None
    words = _WORDS.match(typed)
    if words:
        named = MONTH_NUMBERS.get(words[2].casefold())
        if named:
            try:
                return date(int(words[3]), named, int(words[1]))
            except ValueError:
                raise refuse("there is no such day") from None
    hint = suggest_date(typed)
    extra = f" (did you mean {hint}?)" if hint else ""
    raise refuse(f"write it {_FORMS}{extra}")


MONTH_NUMBERS = {
    name: k for k, full in enumerate(MONTHS, 1) for name in (full.casefold(), full[:3].casefold())
} | {"sept": 9}


def _zero_padded(iso: str) -> str:
    y, mo, d = iso.split("-")
    return f"{y}-{int(mo):02}-{int(d):02}"


def parse_date(text: str) -> date:
    """`parse_day` for callers that catch ValueError: the same forms, the same words."""
    try:
        return parse_day(text)
    except ImproveError as exc:
        raise ValueError(exc.message) from None


CADENCE_MONTHS = {"monthly": 1, "quarterly": 3, "six-monthly": 6, "annual": 12}


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, days_in_month(year, month)))


def next_report_due(review: str | None, meeting: date) -> date | None:
    """When a plan reviewed at `review` cadence ("quarterly", …) is next due to be reported
    after `meeting` (None without a cadence)."""
    months = CADENCE_MONTHS.get(review or "")
    return add_months(meeting, months) if months else None


def with_next_report(
    seen: Mapping[str, tuple[str, date]], reviews: Mapping[str, str | None]
) -> dict[str, tuple[str, date, date | None]]:
    """Plan id → (body, meeting, next report due) for the plans in `reviews` (plan id →
    its review cycle) that `seen` says were reported: the one reading of a plan's last
    report, for a full run and for a run from today's memo alike."""
    return {
        pid: (body, on, next_report_due(reviews[pid], on))
        for pid, (body, on) in seen.items()
        if pid in reviews
    }
