"""Percents and dates as a person types them (issue 22 item 11): `change.parse_percent`
and `dates.parse_day`, the one reading the command line and the app's form share."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from improve.edits.change import Change, parse_percent
from improve.errors import EditError, ImproveError
from improve.plans.dates import parse_date, parse_day


@pytest.mark.parametrize(
    "typed, meant",
    [("75", 75), ("75%", 75), (" 75 % ", 75), ("0", 0), ("100%", 100), ("075", 75), ("75.0", 75)],
)
def test_a_percent_as_typed(typed, meant):
    assert parse_percent(typed) == meant


@pytest.mark.parametrize(
    "typed", ["75.5", "", " ", "%", "3/4", "seventy", "-5", "1e2", "７５", "٧٥", "75%%", "% 75"]
)
def test_a_percent_that_is_not_one_is_refused_with_what_was_typed(typed):
    with pytest.raises(EditError) as caught:
        parse_percent(typed)
    assert caught.value.field == "percent" and caught.value.code == "bad-value"
    assert "whole number from 0 to 100" in caught.value.message
    assert f'"{typed.strip()}"' in caught.value.message


def test_a_percent_over_100_is_refused_never_clipped():
    with pytest.raises(EditError, match="from 0 to 100, not 150"):
        parse_percent("150%")


@given(st.integers(0, 100), st.sampled_from(["", "%", " %", " % "]), st.text(" ", max_size=2))
def test_every_whole_percent_reads_back(number, sign, space):
    assert parse_percent(f"{space}{number}{sign}{space}") == number


@given(st.text(max_size=12))
def test_any_text_is_a_percent_from_0_to_100_or_an_edit_error(typed):
    try:
        number = parse_percent(typed)
    except EditError as exc:
        assert exc.field == "percent"
    else:
        assert 0 <= number <= 100


def test_change_from_text_reads_the_percent_the_same_way():
    assert Change.from_text(percent="75%").percent == 75
    with pytest.raises(EditError, match=r"75\.5"):
        Change.from_text(percent="75.5")


@pytest.mark.parametrize(
    "typed",
    [
        "2017-01-18",
        "18/01/2017",
        "18/1/2017",
        "18-01-2017",
        "18.01.2017",
        " 18/01/2017 ",
        "18 January 2017",
        "18 Jan 2017",
        "18th Jan 2017",
        "2017-1-18",
        "20170118",
    ],
)
def test_a_day_as_typed(typed):
    assert parse_day(typed) == date(2017, 1, 18)


def test_uk_dates_are_day_first():
    assert parse_day("03/04/2017") == date(2017, 4, 3)
    assert parse_day("1/2/2017") == date(2017, 2, 1)


@pytest.mark.parametrize(
    "typed, words",
    [
        ("01/18/2017", "day first (18/01/2017 is 18 January 2017), and there is no month 18"),
        ("18/01/17", "write the year in full, 18/01/2017"),
        ("31/02/2017", "there is no such day"),
        ("2017-02-30", "there is no such day"),
        ("soon", "write it as YYYY-MM-DD or day first, DD/MM/YYYY"),
        ("January 2017", "did you mean 2017-01-31?"),
        ("", "write it as YYYY-MM-DD"),
        ("18/01-2017", "write it as YYYY-MM-DD"),
        ("１８/01/2017", "write it as YYYY-MM-DD"),
    ],
)
def test_a_day_that_is_not_one_is_refused_with_what_to_write(typed, words):
    with pytest.raises(ImproveError) as caught:
        parse_day(typed)
    assert caught.value.code == "bad-date" and words in caught.value.message
    with pytest.raises(ValueError, match="is not a date"):
        parse_date(typed)


@given(st.dates(date(1900, 1, 1), date(2999, 12, 31)), st.sampled_from("/-."), st.booleans())
def test_every_day_reads_back_iso_and_day_first(day, sep, padded):
    d, m = (f"{day.day:02}", f"{day.month:02}") if padded else (str(day.day), str(day.month))
    assert parse_day(day.isoformat()) == day
    assert parse_day(f"{d}{sep}{m}{sep}{day.year:04}") == day


@given(st.text(max_size=16))
def test_any_text_is_a_day_or_an_improve_error(typed):
    try:
        parse_day(typed)
    except ImproveError as exc:
        assert exc.code == "bad-date" and "\n" not in exc.message


def test_change_from_text_reads_days_the_same_way():
    change = Change.from_text(request_extension="30/09/2017", reason="staff")
    assert change.request_extension == date(2017, 9, 30)
    with pytest.raises(EditError) as caught:
        Change.from_text(extend_to="09/30/2017")
    assert caught.value.field == "extend_to" and "day first" in caught.value.message
