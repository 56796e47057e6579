"""How the report words dates and joins pieces of plan text, as the committee's paper
does: "31 January 2017" (or the month alone, "January 2017", in a plan whose dates are
months), and "Review completed. No reading yet" rather than "Review completed.: no
reading yet". The spreadsheets and the CSV keep ISO dates; these words are for the
formats a person reads (HTML, the PDF, Markdown and Word)."""

from __future__ import annotations

import re
from datetime import date

from ..plans.dates import days_in_month
from ..status.words import long_date as long_date  # the one way a date is written out

# Text ending in one of these is a sentence (or a heading with its own colon): what follows
# it starts a new sentence rather than after ": ".
_ENDS = (".", "!", "?", ":", ";", "…")


def is_month_end(day: date) -> bool:
    return day.day == days_in_month(day.year, day.month)


def paper_date(day: date | None, month_dates: bool = False) -> str:
    """A date as the paper writes it: "31 January 2017", or "January 2017" when the plan
    gives its dates as months (`[plan] dates = "month"`) and the day is the month's last
    (the plan format's convention for a month-only date); "–" for none."""
    if day is None:
        return "–"
    if month_dates and is_month_end(day):
        return f"{day:%B %Y}"
    return long_date(day)


def join(first: str, rest: str) -> str:
    """Two pieces of text as one: "first: rest", or "First. Rest" when the first already
    ends a sentence (no "Review completed.: …"); either alone when the other is empty."""
    first, rest = first.strip(), rest.strip()
    if not first or not rest:
        return first or rest
    if first.endswith(_ENDS):
        return f"{first} {rest[0].upper()}{rest[1:]}"
    return f"{first}: {rest}"


_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def dates_in_words(text: str, month_dates: bool = False) -> str:
    """Text the status rules wrote ("overdue: due 2016-12-31, 5 days ago") with its
    YYYY-MM-DD dates as the paper writes them ("due 31 December 2016")."""

    def one(m: re.Match[str]) -> str:
        try:
            day = date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return m[0]
        return paper_date(day, month_dates)

    return _ISO.sub(one, text)
