"""plans/dates writes the month names and lengths itself (not the locale's calendar):
they are the calendar module's in English, for every month of every year."""

from __future__ import annotations

import calendar

from hypothesis import given
from hypothesis import strategies as st

from improve.plans.dates import MONTH_NUMBERS, MONTHS, days_in_month


@given(st.integers(1, 9999), st.integers(1, 12))
def test_a_months_length_is_the_calendars(year, month):
    assert days_in_month(year, month) == calendar.monthrange(year, month)[1]


def test_the_names_are_englands():
    assert MONTHS[0] == "January" and MONTHS[8] == "September" and len(MONTHS) == 12
    assert MONTH_NUMBERS["sept"] == MONTH_NUMBERS["sep"] == MONTH_NUMBERS["september"] == 9
    assert MONTH_NUMBERS["may"] == 5 and len(MONTH_NUMBERS) == 24
