"""Values as people write them, read by the import: dates, percentages, words, colours."""

from __future__ import annotations

import calendar
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from improve.importing.columns import key_for
from improve.importing.grid import Cell
from improve.importing.values import (
    impact_word,
    parse_percent,
    parse_when,
    rag_fill,
    rag_word,
    status_word,
)


def when(value):
    return parse_when(Cell(value, "A1"))


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)))
def test_uk_dates_are_day_first_and_iso_dates_exact(day):
    assert when(f"{day.day:02d}/{day.month:02d}/{day.year}").due == day
    assert when(f"{day.day}.{day.month}.{day.year}").due == day
    assert when(day.isoformat()).due == day
    assert when(f"{day.day} {day:%B %Y}").due == day
    assert when(day) == when(day)  # a real Excel date is itself
    assert when(day).due == day and not when(day).month_only


@given(st.integers(1990, 2099), st.integers(1, 12))
def test_a_month_is_its_last_day_and_says_so(year, month):
    last = date(year, month, calendar.monthrange(year, month)[1])
    texts = [f"{calendar.month_name[month]} {year}"]
    if 1930 <= year <= 2029:  # two digits, as Excel reads them
        texts.append(f"{calendar.month_abbr[month]}-{year % 100:02d}")
    for text in texts:
        w = when(text)
        assert (w.due, w.month_only, w.warning) == (last, True, None)
        assert w.source == text


def test_february_in_a_leap_year_and_impossible_dates():
    assert when("February 2016").due == date(2016, 2, 29)
    assert when("February 2017").due == date(2017, 2, 28)
    w = when("31/02/2017")
    assert w.due is None and w.warning and "not a real date" in w.warning
    assert when("03/04/2017").due == date(2017, 4, 3)  # 3 April, never 4 March


def test_staged_dates_become_milestones_with_the_last_as_due():
    w = when("Framework agreed: October 2016 Training begins: May 2017")
    assert [(m.label, m.due) for m in w.milestones] == [
        ("Framework agreed", date(2016, 10, 31)),
        ("Training begins", date(2017, 5, 31)),
    ]
    assert w.due == date(2017, 5, 31) and w.warning is None


@pytest.mark.parametrize(
    "text", ["September 2016 and ongoing", "Ongoing", "Q3", "tbc", "From April 2017", "2017"]
)
def test_text_that_is_not_one_date_is_kept_and_warned_never_guessed(text):
    w = when(text)
    assert w.due is None and w.milestones == []
    assert w.warning is not None and w.source == text


def test_percent_as_written():
    assert parse_percent(Cell(0.5, "F6", percent_format=True)) == (50, None)
    assert parse_percent(Cell(1, "F6", percent_format=True)) == (100, None)
    assert parse_percent(Cell(50, "F6")) == (50, None)
    assert parse_percent(Cell("50%", "F6")) == (50, None)
    assert parse_percent(Cell(" 75 % ", "F6")) == (75, None)
    assert parse_percent(Cell(None, "F6")) == (None, None)
    assert parse_percent(Cell(100, "F6")) == (100, None)
    assert parse_percent(Cell(0, "F6")) == (0, None)
    for bad in (101, -1, "150%", "half", 1.5):
        pct, why = parse_percent(Cell(bad, "F6", percent_format=bad == 1.5))
        assert pct is None and why


def test_words():
    assert [status_word(w) for w in ("Complete", "Completed", "In progress", "Not started",
                                     "in-progress", "Cancelled", "Pending")] == [
        "complete", "complete", "in-progress", "not-started", "in-progress", "dropped", None]  # fmt: skip
    assert [impact_word(w) for w in ("Yes", "Partly", "No", "Too early to say", "N/A", "?")] == [
        "yes", "partly", "no", "too-early", "n/a", None]  # fmt: skip
    assert [rag_word(w) for w in ("Complete", "In progress and on schedule",
                                  "In progress but behind schedule", "Overdue", "R", "Amber",
                                  "Not started", "Fine")] == [
        "blue", "green", "amber", "red", "red", "amber", "grey", None]  # fmt: skip


def test_fills():
    assert [rag_fill(c) for c in ("FF0000", "C00000", "FFC000", "FFFF00", "00B050", "92D050",
                                  "0070C0", "BFBFBF", "FFFFFF", "000000", None)] == [
        "red", "red", "amber", "amber", "green", "green", "blue", "grey", None, None, None]  # fmt: skip


def test_headings_councils_use():
    expect = {
        "Ref": "ref", "No.": "ref", "Action No.": "ref", "Outcome": "outcome",
        "Action": "action", "Activity": "action", "Task Name": "action",
        "Success Measure": "measure", "Measure": "measure", "KPI": "measure",
        "Lead(s)": "leads", "Lead Officer": "leads", "Assigned To": "leads", "Owner": "leads",
        "Date Due": "due", "Target Date": "due", "End Date": "due", "Deadline": "due",
        "Start": "start", "Start Date": "start", "% complete": "percent",
        "Progress %": "percent", "Status": "status", "RAG": "rag", "RAG rating": "rag",
        "Performance": "impact", "Impact": "impact", "Progress Update": "progress",
        "Comments": "progress", "Update": "progress", "Evidence": "evidence",
        "Status: what is the progress on the action?": "status",
        "Performance: is the action making a difference?": "impact",
        "Weather": None, "": None,
    }  # fmt: skip
    assert {h: key_for(h) for h in expect} == expect
