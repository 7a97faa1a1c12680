"""Due dates as people say them: every row of DUE-DATES.md as tables, the decisions where it is silent,
properties (hypothesis), and the front-desk corpus of tests/data/due_corpus.py.

Where DUE-DATES.md is silent, models/rules/due_phrases.py decides and these tests pin the decision:

- "in 0 days", "in 0 hours" are None (a count is one or more); "in -1 days" is None (no minus sign).
- Singular units are accepted ("in 1 day", "in 1 hr", "in 1 min"), and the count words a/one..ten work
  for minutes and hours too ("in two hours"); "eleven" and up must be digits.
- "midnight" with a day asks (the start or the end of that day), whatever the day: "fri midnight",
  "tomorrow midnight", "today midnight". "midnight tonight" is the coming one.
- "29 feb" in a year without one is the next 29 February, up to 4 years ahead; the form's "more than two
  years away" question then catches a slip.
- A dot time needs am/pm ("3.30pm") or a part of the day ("9.30 tonight"); "9.30" alone is None with the
  bare-hour hint. A bare hour stands only beside a part of the day: "8 tonight", "6 in the morning".
- A day and month may carry a 4-digit year ("1 dec 2026", "Dec 1, 2026"): that date, even if past (the
  form asks), like an ISO date. Commas anywhere are spaces ("Fri, Jul 18"); apostrophes are dropped
  ("in 3 weeks' time"); repeated trailing dots go ("tomorrow..").
- "eod", "cob", "close of business", "end of day" are the office's end of the day: alone, today; with a
  day, that day ("eod fri"); with a clock time ("eod 3pm") None: two times.
- "tonight", "this morning/afternoon/evening" mean today even once passed (the form asks), never tomorrow.
- "this coming fri" / "coming fri" is the first Friday after today and never asks.
- "next week fri" reads as "fri next week"; "end of next month" is the last day of next month; "in a
  fortnight" is 14 days; "N days from today" is "N days from now"; "due", "before" lead like "by".
- A weekday that names today while its moment is ahead asks even with "this" ("this fri" on a Friday
  morning), and a weekday with "midnight" asks about the start or end of the day it reads.
- The away dialog reads with day_ends=00:00: "back on monday" is Monday's start, and a weekday naming
  today is next week's (today's start has passed), so it never asks about it.
"""
from __future__ import annotations

import time as clock
from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.rules import words
from models.rules.due_phrases import (
    DEFAULT_DUE_TIME,
    choice_label,
    describe_due,
    due_choices,
    due_notes,
    due_phrase_hint,
    due_warning,
    parse_due,
)

# A fixed week: Monday 23 November 2026, 10:00, and the days after it at the same hour.
MON = datetime(2026, 11, 23, 10, 0)
TUE, WED, THU, FRI, SAT, SUN = (MON + timedelta(days=n) for n in range(1, 7))

BARE_HOUR = "Add am or pm (3pm) or use 24-hour time (15:00)."
NOT_UNDERSTOOD = "Rapport did not understand that date. Try: tomorrow 3pm, fri, in 2 days, 1 Dec, 2026-12-01."
EMPTY = "Type a due date, for example: tomorrow 3pm, fri, in 2 days, 1 Dec."
PAST = "That time has already passed. Save it anyway?"
FAR = "That is more than two years away. Is the date right?"

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def at(month: int, day: int, hour: int = 17, minute: int = 0, year: int = 2026) -> datetime:
    """A due date; 17:00 unless told (a day without a time)."""
    return datetime(year, month, day, hour, minute)


def case(text: str, expected: datetime | None, now: datetime = MON, name: str | None = None) -> object:
    """One row of a parse table, named by its text and the weekday and time of `now`."""
    return pytest.param(text, now, expected, id=name or f"{text!r} on {now:%a %d %b %H:%M}")


def check(text: str, now: datetime, expected: datetime | None) -> None:
    assert parse_due(text, now) == expected
    if expected is not None:
        assert due_choices(text, now) == ()


def asks(text: str, now: datetime, *choices: datetime) -> object:
    """A row of an ambiguous phrase: None, and exactly these choices, earliest first."""
    return pytest.param(text, now, choices, id=f"{text!r} on {now:%a %d %b %H:%M} asks")


# --------------------------------------------------------------------------------------------------
# Days
# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, now, expected", [
    case("today", at(11, 23)),
    case("eod", at(11, 23)),
    case("end of day", at(11, 23)),
    case("cob", at(11, 23)),
    case("close of business", at(11, 23)),
    case("tomorrow", at(11, 24)),
    case("tmrw", at(11, 24)),
    case("tmr", at(11, 24)),
    case("tom", at(11, 24)),
    case("today", at(11, 23), now=MON.replace(hour=18), name="today after 17:00 is 17:00 today, past"),
    case("eod", at(11, 23), now=MON.replace(hour=18), name="eod after 17:00 is 17:00 today, past"),
    case("tomorrow", at(1, 1, year=2027), now=datetime(2026, 12, 31, 10), name="tomorrow on 31 Dec"),
])
def test_day_words(text: str, now: datetime, expected: datetime) -> None:
    check(text, now, expected)


@pytest.mark.parametrize("text, now, expected", [
    # From Monday 23 Nov: the first such day strictly after today, 1..7 days ahead.
    case("mon", at(11, 30), now=MON.replace(hour=17), name="mon on Monday at 17:00: today's moment is not ahead"),
    case("monday 9am", at(11, 30, 9), name="monday 9am on Monday at 10:00: next week's"),
    case("tue", at(11, 24)), case("tues", at(11, 24)), case("tuesday", at(11, 24)),
    case("wed", at(11, 25)), case("wednesday", at(11, 25)),
    case("thu", at(11, 26)), case("thur", at(11, 26)), case("thurs", at(11, 26)), case("thursday", at(11, 26)),
    case("fri", at(11, 27)), case("friday", at(11, 27)),
    case("sat", at(11, 28)), case("saturday", at(11, 28)),
    case("sun", at(11, 29)), case("sunday", at(11, 29)),
    # "this" changes nothing; "next" is the coming one when that is in next week already.
    case("this fri", at(11, 27)), case("this friday", at(11, 27)), case("this tues", at(11, 24)),
    case("next mon", at(11, 30)), case("next monday", at(11, 30)), case("next mon", at(11, 30), now=SUN),
    case("next fri", at(12, 4), now=FRI), case("next fri", at(12, 4), now=SAT), case("next sat", at(12, 5), now=SAT),
    case("this coming fri", at(11, 27)), case("coming friday", at(12, 4), now=FRI),
    # Typing today's weekday once today's moment has passed gives next week's.
    case("fri", at(12, 4), now=FRI.replace(hour=17)), case("friday 9am", at(12, 4, 9), now=FRI),
    case("this fri", at(12, 4), now=FRI.replace(hour=18)),
    case("sat", at(11, 28), now=FRI), case("thu", at(12, 3), now=FRI),
    case("mon", at(11, 30), now=SUN), case("wed", at(11, 25), now=TUE),
    case("mon", at(1, 4, year=2027), now=datetime(2026, 12, 30, 9), name="mon across the new year"),
])
def test_weekdays(text: str, now: datetime, expected: datetime) -> None:
    check(text, now, expected)


@pytest.mark.parametrize("text, now, expected", [
    case("in 1 day", at(11, 24)), case("in 2 days", at(11, 25)), case("in 10 days", at(12, 3)),
    case("in 40 days", at(1, 2, year=2027)),
    case("in a day", at(11, 24)), case("in one day", at(11, 24)), case("in two days", at(11, 25)),
    case("in three days", at(11, 26)), case("in four days", at(11, 27)), case("in five days", at(11, 28)),
    case("in six days", at(11, 29)), case("in seven days", at(11, 30)), case("in eight days", at(12, 1)),
    case("in nine days", at(12, 2)), case("in ten days", at(12, 3)),
    case("in 1 week", at(11, 30)), case("in 2 weeks", at(12, 7)), case("in 6 weeks", at(1, 4, year=2027)),
    case("in a week", at(11, 30)), case("in one week", at(11, 30)), case("in two weeks", at(12, 7)),
    case("in ten weeks", at(2, 1, year=2027)),
    case("in 2days", at(11, 25), name="in 2days (no space before the unit)"),
    case("in 2 days", at(11, 25), now=MON.replace(hour=23, minute=59), name="calendar days, late evening"),
    case("in a fortnight", at(12, 7)), case("3 days from now", at(11, 26)), case("a week from now", at(11, 30)),
    case("two weeks from today", at(12, 7)), case("in three weeks time", at(12, 14)),
    case("in 3 weeks' time", at(12, 14)), case("in 1 month", at(12, 23)), case("in a month", at(12, 23)),
    case("in 2 months", at(1, 23, year=2027)), case("in 3 months", at(2, 23, year=2027)),
    case("in 1 month", at(2, 28, year=2027), now=datetime(2027, 1, 31, 9), name="31 Jan + 1 month = 28 Feb"),
    case("in 1 month", at(2, 29, year=2028), now=datetime(2028, 1, 31, 9), name="31 Jan 2028 + 1 month = 29 Feb"),
    case("in 0 days", None), case("in 0 weeks", None), case("in -1 days", None), case("in 1.5 days", None),
    case("in eleven days", None), case("in days", None), case("in 2", None), case("in", None),
    case("in 99999999999 weeks", None, name="beyond the end of the calendar"),
])
def test_in_n_days_and_weeks(text: str, now: datetime, expected: datetime | None) -> None:
    check(text, now, expected)


@pytest.mark.parametrize("text, now, expected", [
    # next week: the Monday after today.
    case("next week", at(11, 30), now=MON), case("next week", at(11, 30), now=TUE),
    case("next week", at(11, 30), now=FRI), case("next week", at(11, 30), now=SAT),
    case("next week", at(11, 30), now=SUN),
    # end of week / eow: the first Friday on or after today.
    case("end of week", at(11, 27), now=MON), case("eow", at(11, 27), now=MON),
    case("eow", at(11, 27), now=THU), case("eow", at(11, 27), now=FRI), case("end of week", at(11, 27), now=FRI),
    case("eow", at(12, 4), now=SAT), case("end of week", at(12, 4), now=SAT), case("eow", at(12, 4), now=SUN),
    case("eow", at(11, 27), now=FRI.replace(hour=20), name="eow on a Friday evening: today 17:00, past"),
])
def test_next_week_and_end_of_week(text: str, now: datetime, expected: datetime) -> None:
    check(text, now, expected)


@pytest.mark.parametrize("text, now, expected", [
    case("2026-12-01", at(12, 1)),
    case("2027-01-15", at(1, 15, year=2027)),
    case("2026-11-23", at(11, 23), name="ISO today"),
    case("2020-01-01", at(1, 1, year=2020), name="ISO past: returned as it is, the form asks"),
    case("2026-12-1", at(12, 1), name="ISO with a one-digit day"),
    case("2028-02-29", at(2, 29, year=2028)),
    case("2027-02-29", None), case("2026-04-31", None), case("2026-13-01", None), case("2026-00-10", None),
    case("2026-12-00", None), case("26-12-01", None), case("2026-12", None), case("2026 - 12 - 01", None),
    case("2026-12-01-05", None),
])
def test_iso_dates(text: str, now: datetime, expected: datetime | None) -> None:
    check(text, now, expected)


NOV_2028 = datetime(2028, 1, 10, 9)


@pytest.mark.parametrize("text, now, expected", [
    case("1 Dec", at(12, 1)), case("Dec 1", at(12, 1)), case("dec 1", at(12, 1)),
    case("1st dec", at(12, 1)), case("dec 1st", at(12, 1)),
    case("1 december", at(12, 1)), case("December 1", at(12, 1)), case("1st December", at(12, 1)),
    case("2nd dec", at(12, 2)), case("dec 3rd", at(12, 3)), case("4th dec", at(12, 4)),
    case("22nd dec", at(12, 22)), case("31st dec", at(12, 31)), case("3th dec", at(12, 3)),
    case("15 sept", at(9, 15, year=2027)), case("15 sep", at(9, 15, year=2027)),
    case("15 september", at(9, 15, year=2027)), case("sept 15", at(9, 15, year=2027)),
    case("1 jan", at(1, 1, year=2027)), case("1 january", at(1, 1, year=2027)),
    case("feb 14", at(2, 14, year=2027)), case("march 3", at(3, 3, year=2027)), case("4 apr", at(4, 4, year=2027)),
    case("may 5", at(5, 5, year=2027)), case("june 6", at(6, 6, year=2027)), case("jul 7", at(7, 7, year=2027)),
    case("8 august", at(8, 8, year=2027)), case("oct 10", at(10, 10, year=2027)),
    case("nov 30", at(11, 30)),
    # The next such date on or after today.
    case("23 nov", at(11, 23), name="today's date is today"),
    case("22 nov", at(11, 22, year=2027), name="yesterday's date is next year's"),
    case("1 jan", at(1, 1, year=2027), now=datetime(2026, 12, 31, 10), name="1 jan on 31 Dec"),
    case("31 dec", at(12, 31), now=datetime(2026, 12, 31, 10), name="31 dec on 31 Dec"),
    # Impossible dates.
    case("31 apr", None), case("apr 31", None), case("31st april", None), case("30 feb", None),
    case("31 jun", None), case("32 dec", None), case("0 dec", None),
    # 29 February: this leap year's, or the next leap year's.
    case("29 feb", at(2, 29, year=2028), now=MON, name="29 feb in 2026: 2028"),
    case("29 feb", at(2, 29, year=2028), now=NOV_2028, name="29 feb in Jan 2028 (leap): 2028"),
    case("feb 29th", at(2, 29, year=2028), now=datetime(2028, 2, 29, 9), name="29 feb on 29 Feb 2028: today"),
    case("29 feb", at(2, 29, year=2032), now=datetime(2028, 3, 1, 9), name="29 feb after it in 2028: 2032"),
    case("28 feb", at(2, 28, year=2027)),
    # Not a day and month.
    case("dec", None), case("1 st dec", None), case("dec 2026", None),
    # A year after the day and month: that date (a past one is returned as it is; the form asks).
    case("1 dec 2026", at(12, 1)), case("Dec 1, 2026", at(12, 1)), case("1st december 2025", at(12, 1, year=2025)),
    case("dec 1 2027 3pm", at(12, 1, 15, year=2027)), case("29 feb 2027", None), case("31 apr 2027", None),
    # "on the 15th", "the 1st", "8th of May": the next such date on or after today.
    case("1st", at(12, 1)), case("the 1st", at(12, 1)), case("on the 15th", at(12, 15)), case("the 23rd", at(11, 23)),
    case("the 22nd", at(12, 22)), case("the 15", at(12, 15)), case("by the 30th", at(11, 30)),
    case("the 31st", at(12, 31)), case("the 31st", at(5, 31), now=datetime(2026, 4, 10, 9), name="the 31st in April"),
    case("the 30th", at(3, 30), now=datetime(2026, 2, 10, 9), name="the 30th in February: March"),
    case("the 32nd", None), case("the 0th", None),
    case("1st of dec", at(12, 1)), case("8th of May", at(5, 8, year=2027)), case("the 8th of may", at(5, 8, year=2027)),
    case("on the 8th of May at 2pm", at(5, 8, 14, year=2027)), case("dec the 1st", at(12, 1)),
    case("8th of May", at(5, 8), now=datetime(2026, 5, 8, 9), name="8th of May on 8 May: today"),
])
def test_day_and_month(text: str, now: datetime, expected: datetime | None) -> None:
    check(text, now, expected)


# --------------------------------------------------------------------------------------------------
# Times, alone (today if strictly after now, else tomorrow) and invalid
# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, now, expected", [
    case("3pm", at(11, 23, 15)), case("3 pm", at(11, 23, 15)), case("3:30pm", at(11, 23, 15, 30)),
    case("3.30pm", at(11, 23, 15, 30)), case("3:30 pm", at(11, 23, 15, 30)), case("3.30 pm", at(11, 23, 15, 30)),
    case("11am", at(11, 23, 11)), case("9am", at(11, 24, 9), name="9am at 10:00 is tomorrow"),
    case("12am", at(11, 24, 0)), case("12:30am", at(11, 24, 0, 30)),
    case("12pm", at(11, 23, 12)), case("noon", at(11, 23, 12)), case("12:45pm", at(11, 23, 12, 45)),
    case("midnight", at(11, 24, 0)),
    case("midnight", at(11, 24, 0), now=MON.replace(hour=0), name="midnight at exactly 00:00: the next one"),
    case("midnight", at(11, 24, 0), now=MON.replace(hour=23, minute=59)),
    case("15:00", at(11, 23, 15)), case("9:30", at(11, 24, 9, 30), name="9:30 (morning) at 10:00 is tomorrow"),
    case("21:30", at(11, 23, 21, 30)), case("0:30", at(11, 24, 0, 30)), case("00:00", at(11, 24, 0)),
    case("23:59", at(11, 23, 23, 59)),
    # The exact boundary: a time equal to now is not strictly after it.
    case("10am", at(11, 24, 10), name="10am at 10:00 is tomorrow"),
    case("10:00", at(11, 24, 10), name="10:00 at 10:00 is tomorrow"),
    case("10:01", at(11, 23, 10, 1), name="10:01 at 10:00 is today"),
    case("10am", at(11, 23, 10), now=MON.replace(hour=9, minute=59, second=59), name="10am at 09:59:59"),
    case("10am", at(11, 24, 10), now=MON.replace(second=1), name="10am at 10:00:01"),
    case("noon", at(11, 24, 12), now=MON.replace(hour=13), name="noon at 13:00 is tomorrow"),
    case("3pm", at(1, 1, 15, year=2027), now=datetime(2026, 12, 31, 16), name="3pm on 31 Dec after 15:00"),
])
def test_time_alone(text: str, now: datetime, expected: datetime) -> None:
    check(text, now, expected)


@pytest.mark.parametrize("text", [
    "3", "at 3", "15", "at 15", "tomorrow 3", "tomorrow at 3", "fri 3", "3 fri", "3 oclock", "5 o'clock",
    "25:00", "24:00", "13pm", "0am", "00am", "15:00pm", "3:60pm", "3:5pm", "3:300pm", "3 : 30pm", "3pm pm",
    "9.30", "15.00", "3:30 am pm", "am", "pm", "at", "at noon at 3pm",
    "9pm in the morning", "9am tonight", "12 tonight", "15 in the morning", "eod fri 3pm", "noon midnight",
])
def test_invalid_times(text: str) -> None:
    assert parse_due(text, MON) is None


# --------------------------------------------------------------------------------------------------
# A day with a time: that day at that time, in either order, with an optional "at"
# --------------------------------------------------------------------------------------------------

DAYS = {  # the issue's day forms, from Monday 23 Nov 2026
    "today": date(2026, 11, 23), "tomorrow": date(2026, 11, 24), "fri": date(2026, 11, 27),
    "friday": date(2026, 11, 27), "fri next week": date(2026, 12, 4), "this friday": date(2026, 11, 27),
    "tue": date(2026, 11, 24), "next monday": date(2026, 11, 30), "in 2 days": date(2026, 11, 25),
    "in 2 weeks": date(2026, 12, 7), "2026-12-01": date(2026, 12, 1), "1 Dec": date(2026, 12, 1),
    "dec 1": date(2026, 12, 1), "end of week": date(2026, 11, 27), "the 1st": date(2026, 12, 1),
    "eod": date(2026, 11, 23),
    "eow": date(2026, 11, 27), "next week": date(2026, 11, 30),
}
TIMES = {  # the issue's time forms
    "3pm": time(15, 0), "3:30pm": time(15, 30), "15:00": time(15, 0), "9am": time(9, 0),
    "noon": time(12, 0), "at 3pm": time(15, 0),
}


@pytest.mark.parametrize("day_text", list(DAYS))
def test_issue_day_forms_without_a_time_mean_17(day_text: str) -> None:
    assert parse_due(day_text, MON) == datetime.combine(DAYS[day_text], DEFAULT_DUE_TIME)


@pytest.mark.parametrize("time_text", list(TIMES))
@pytest.mark.parametrize("day_text", list(DAYS))
def test_issue_day_forms_with_each_time_in_either_order(day_text: str, time_text: str) -> None:
    expected = datetime.combine(DAYS[day_text], TIMES[time_text])
    assert parse_due(f"{day_text} {time_text}", MON) == expected
    assert parse_due(f"{time_text} {day_text}", MON) == expected


@pytest.mark.parametrize("text, now, expected", [
    case("tomorrow 3pm", at(11, 24, 15)), case("3pm tomorrow", at(11, 24, 15)),
    case("tomorrow at 3pm", at(11, 24, 15)), case("at 3pm tomorrow", at(11, 24, 15)),
    case("tomorrow at 15:00", at(11, 24, 15)), case("fri 9:30", at(11, 27, 9, 30)),
    case("today 9am", at(11, 23, 9), name="today 9am at 10:00: 09:00 today, past (the form asks)"),
    case("today at 10am", at(11, 23, 10), name="today at 10am at 10:00: now"),
    case("tomorrow 12am", at(11, 24, 0)), case("midnight tonight", at(11, 24, 0)),
    case("tomorrow noon", at(11, 24, 12)), case("1st dec at 3.30pm", at(12, 1, 15, 30)),
    case("2020-01-01 9am", at(1, 1, 9, year=2020)),
    case("1 dec 3pm", at(12, 1, 15)), case("dec 1 3pm", at(12, 1, 15)),
    case("1 dec at 3pm", at(12, 1, 15)),
    # Each part at most once; "at" joins only before a time.
    case("fri mon", None), case("tomorrow tomorrow", None), case("3pm 4pm", None), case("3pm at tomorrow", None),
    case("at tomorrow", None), case("tomorrow at", None), case("dec 3 pm", None, name="dec 3 pm: day 3, stray pm"),
])
def test_day_with_time(text: str, now: datetime, expected: datetime | None) -> None:
    check(text, now, expected)


# --------------------------------------------------------------------------------------------------
# Exact offsets: now + the duration, never with a time or day added
# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, now, expected", [
    case("in 5 minutes", at(11, 23, 10, 5)), case("in 2 mins", at(11, 23, 10, 2)),
    case("in 1 minute", at(11, 23, 10, 1)), case("in 1 min", at(11, 23, 10, 1)),
    case("in 90 minutes", at(11, 23, 11, 30)), case("in 3 hours", at(11, 23, 13)),
    case("in 1 hrs", at(11, 23, 11)), case("in 1 hr", at(11, 23, 11)), case("in 2 hrs", at(11, 23, 12)),
    case("in 1 hour", at(11, 23, 11)), case("in an hour", at(11, 23, 11)), case("in a hour", at(11, 23, 11)),
    case("in two hours", at(11, 23, 12)), case("in half an hour", at(11, 23, 10, 30)),
    case("in 24 hours", at(11, 24, 10)), case("in 15 hours", at(11, 24, 1), name="in 15 hours crosses midnight"),
    case("in 5 minutes", datetime(2026, 11, 23, 10, 5, 30), now=MON.replace(second=30),
         name="offsets keep now's seconds"),
    case("by in 2 hours", at(11, 23, 12), name="a leading by before an offset"),
    # No time and no day may be added to an exact offset.
    case("in 2 hours 3pm", None), case("in 2 hours at 3pm", None), case("3pm in 2 hours", None),
    case("tomorrow in 2 hours", None), case("in 2 hours tomorrow", None), case("in half an hour noon", None),
    case("in 2 hours in 3 hours", None),
    case("in 0 minutes", None), case("in 0 hours", None), case("in -5 minutes", None), case("in half hour", None),
    case("in 1.5 hours", None), case("in 2 seconds", None), case("in 2 years", None),
    case("2 hours from now", at(11, 23, 12)), case("30 minutes from now", at(11, 23, 10, 30)),
])
def test_exact_offsets(text: str, now: datetime, expected: datetime | None) -> None:
    check(text, now, expected)


# --------------------------------------------------------------------------------------------------
# What does not matter, and what is refused
# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, now, expected", [
    case("TOMORROW", at(11, 24)), case("Tomorrow 3PM", at(11, 24, 15)), case("  tomorrow  ", at(11, 24)),
    case("tomorrow     3pm", at(11, 24, 15)), case("tomorrow.", at(11, 24)), case("tomorrow,", at(11, 24)),
    case("tomorrow 3pm.", at(11, 24, 15)), case("fri, ", at(11, 27)), case("  Fri .  ", at(11, 27)),
    case("tomorrow\t3pm", at(11, 24, 15), name="a tab between words"),
    case("tomorrow\u00a03pm", at(11, 24, 15), name="a no-break space between words"),
    case("by fri", at(11, 27)), case("on monday", at(11, 30), now=TUE), case("By Friday at 3PM.", at(11, 27, 15)),
    case("before fri", at(11, 27)), case("before 3pm", at(11, 23, 15)), case("due fri", at(11, 27)),
    case("on 1 dec", at(12, 1)), case("by 3pm", at(11, 23, 15)), case("by eod", at(11, 23)),
    case("by tomorrow at 9:30", at(11, 24, 9, 30)),
    case("by", None), case("on", None), case("before", None), case("fri by", None), case(".tomorrow", None),
    case("3pm on fri", at(11, 27, 15)), case("tomorrow..", at(11, 24)), case("tomorrow, 3pm", at(11, 24, 15)),
    case("Fri, 27 Nov", at(11, 27)), case("tomorrow-3pm", None),
    case("3 p.m.", at(11, 23, 15)), case("9 a.m. tomorrow", at(11, 24, 9)), case("10.30 a.m. fri", at(11, 27, 10, 30)),
])
def test_case_spaces_punctuation_and_leading_words(text: str, now: datetime, expected: datetime | None) -> None:
    check(text, now, expected)


@pytest.mark.parametrize("text", [
    pytest.param(text, id=repr(text)) for text in [
        "1/12", "12/1", "1/12/2026", "2026/12/01", "1.12.2026", "12-1", "1-12-2026",  # numeric dates
        "asap", "soon", "whenever", "next", "this", "next month", "this week", "last fri", "yesterday",
        "fri or mon", "mañana", "tomorrow 🎉", "\uff13pm", "\u00b2pm", "3pm!",
        "tomorrow;", "<fri>", "1e3 days", "0x10", "0000-01-01", "fri fri", "fri 1 dec 2 dec",
    ]
])
def test_not_a_due_date(text: str) -> None:
    assert parse_due(text, MON) is None


@pytest.mark.parametrize("text", [
    pytest.param("", id="empty"), pytest.param("   ", id="spaces"), pytest.param(".", id="a dot"),
    pytest.param(",", id="a comma"), pytest.param("\t\n", id="tab and newline"),
])
def test_empty_is_none(text: str) -> None:
    assert parse_due(text, MON) is None


@pytest.mark.parametrize("text", [
    pytest.param("tomorrow\x00", id="NUL"), pytest.param("\x07fri", id="BEL"),
    pytest.param("fri\x1b[0m", id="ESC sequence"), pytest.param("tom\x7f", id="DEL"),
    pytest.param("tomorrow\x85", id="C1 NEL"), pytest.param("3pm\x1f", id="unit separator"),
])
def test_control_characters_are_none(text: str) -> None:
    assert parse_due(text, MON) is None


@pytest.mark.parametrize("text", [
    pytest.param("tomorrow " * 11_400, id="100 KB of tomorrows"),
    pytest.param("a" * 100_000, id="100 KB of one letter"),
    pytest.param("1" * 100_000, id="100 KB of digits"),
    pytest.param(" " * 100_000 + "tomorrow", id="100 KB of spaces then tomorrow"),
])
def test_very_long_input_is_none_quickly(text: str) -> None:
    started = clock.perf_counter()
    assert parse_due(text, MON) is None
    assert due_phrase_hint(text, MON) == NOT_UNDERSTOOD
    assert clock.perf_counter() - started < 0.05


def test_the_longest_phrases_of_the_grammar() -> None:
    assert parse_due("  by   close of business   at 12:30 pm  ", MON) == at(11, 23, 12, 30)
    assert parse_due("by next thursday at 12:30 pm.", MON) is None  # this Thursday or next week's: asks
    assert parse_due("by next thursday at 12:30 pm.", FRI) == at(12, 3, 12, 30)
    # "close of business" is itself the end of the day, so adding "12:30 pm" gives two times: None.
    assert parse_due("by close of business next thursday at 12:30 pm", MON) is None


@pytest.mark.parametrize("text, now", [
    pytest.param("tomorrow", datetime(9999, 12, 31, 10), id="tomorrow on the last day of the calendar"),
    pytest.param("1 jan", datetime(9999, 12, 31, 10), id="1 jan on the last day of the calendar"),
    pytest.param("in 2 hours", datetime(9999, 12, 31, 23), id="offset past the calendar"),
    pytest.param("in " + "9" * 150 + " days", MON, id="a huge count"),
])
def test_past_the_end_of_the_calendar_is_none(text: str, now: datetime) -> None:
    assert parse_due(text, now) is None
    assert due_phrase_hint(text, now) in (NOT_UNDERSTOOD, BARE_HOUR)


# --------------------------------------------------------------------------------------------------
# Words for the form
# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("due, now, expected", [
    pytest.param(at(11, 23), MON, "Today, Monday 23 November, 5:00 pm", id="today"),
    pytest.param(at(11, 24, 15), MON, "Tomorrow, Tuesday 24 November, 3:00 pm", id="tomorrow"),
    pytest.param(at(11, 22), MON, "Yesterday, Sunday 22 November, 5:00 pm", id="yesterday"),
    pytest.param(at(11, 27), MON, "Friday 27 November, 5:00 pm", id="friday"),
    pytest.param(at(12, 1, 9, 30), MON, "Tuesday 1 December, 9:30 am", id="this year: no year"),
    pytest.param(at(11, 24, year=2027), MON, "Wednesday 24 November 2027, 5:00 pm", id="a year and a day: the year"),
    pytest.param(at(11, 23, year=2027), MON, "Tuesday 23 November, 5:00 pm", id="exactly a year: no year"),
    pytest.param(at(1, 1, year=2027), datetime(2026, 12, 31, 9), "Tomorrow, Friday 1 January, 5:00 pm",
                 id="tomorrow, new year"),
    pytest.param(at(1, 1, year=2020), MON, "Wednesday 1 January 2020, 5:00 pm", id="past year"),
    pytest.param(at(11, 23, 12), MON, "Today, Monday 23 November, 12:00 pm", id="noon"),
    pytest.param(at(11, 24, 0), MON, "Tomorrow, Tuesday 24 November, 12:00 am", id="midnight"),
    pytest.param(datetime(2026, 11, 23, 10, 5, 30), MON, "Today, Monday 23 November, 10:05 am",
                 id="seconds are not shown"),
])
def test_describe_due(due: datetime, now: datetime, expected: str) -> None:
    assert describe_due(due, now) == expected


@pytest.mark.parametrize("month, expected", list(enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
     "November", "December"], start=1)))
def test_describe_due_month_names_are_english_whatever_the_locale(month: int, expected: str) -> None:
    text = describe_due(datetime(2027, month, 10, 9), MON)
    assert text.split(",")[0].split()[2] == expected


@pytest.mark.parametrize("text, now, expected", [
    pytest.param("tomorrow 3pm", MON, "Tomorrow, Tuesday 24 November, 3:00 pm", id="parsed"),
    pytest.param("fri", MON, "Friday 27 November, 5:00 pm", id="parsed weekday"),
    pytest.param("", MON, EMPTY, id="empty"),
    pytest.param("   ", MON, EMPTY, id="only spaces"),
    pytest.param("1/12", MON, "1/12 could be 1 Dec or 12 Jan: write the month as a word (1 Dec) or use 2026-12-01.",
                 id="numeric date 1/12"),
    pytest.param("by 1/12 3pm", MON, "1/12 could be 1 Dec or 12 Jan: write the month as a word (1 Dec) or use "
                 "2026-12-01.", id="numeric date inside a phrase"),
    pytest.param("1.12.2026", MON, "1.12.2026 could be 1 Dec 2026 or 12 Jan 2026: write the month as a word "
                 "(1 Dec 2026) or use 2026-12-01.", id="numeric date with dots"),
    pytest.param("12-1", MON, "12-1 could be 12 Jan or 1 Dec: write the month as a word (12 Jan) or use 2027-01-12.",
                 id="numeric date with a dash"),
    pytest.param("13/12", MON, "Write the month as a word (13 Dec) or use 2026-12-13.",
                 id="a numeric date with one reading: no 'two dates'"),
    pytest.param("12/12", MON, "Write the month as a word (12 Dec) or use 2026-12-12.", id="12/12: one reading"),
    pytest.param("13/13", MON, NOT_UNDERSTOOD, id="13/13: no reading"),
    pytest.param("at 3", MON, BARE_HOUR, id="at 3"),
    pytest.param("3", MON, BARE_HOUR, id="3"),
    pytest.param("tomorrow at 3", MON, BARE_HOUR, id="tomorrow at 3"),
    pytest.param("3 tomorrow", MON, BARE_HOUR, id="3 tomorrow"),
    pytest.param("9.30", MON, BARE_HOUR, id="a dot time without am/pm"),
    pytest.param("8th of May", MON, "Saturday 8 May, 5:00 pm", id="8th of May: no am/pm hint"),
    pytest.param("31 apr", MON, "There is no 31 April.", id="31 apr"),
    pytest.param("april 31st 3pm", MON, "There is no 31 April.", id="april 31st 3pm"),
    pytest.param("30 feb", MON, "There is no 30 February.", id="30 feb"),
    pytest.param("2027-02-29", MON, "There is no 29 February 2027.", id="ISO 29 feb in a common year"),
    pytest.param("13pm", MON, NOT_UNDERSTOOD, id="13pm"),
    pytest.param("25:00", MON, NOT_UNDERSTOOD, id="25:00"),
    pytest.param("asap", MON, NOT_UNDERSTOOD, id="asap"),
    pytest.param("in 2 hours 3pm", MON, NOT_UNDERSTOOD, id="offset with a time"),
    pytest.param("tomorrow\x00", MON, NOT_UNDERSTOOD, id="control character"),
    pytest.param("next thu", MON, "This Thursday or the one after? Pick one below.", id="next thu asks"),
    pytest.param("fri 4pm", FRI, "Today is Friday: today, or Friday next week? Pick one below.", id="today's weekday"),
    pytest.param("tomorrow midnight", MON, "Tonight or tomorrow night? Pick one below.", id="tomorrow midnight"),
    pytest.param("fri midnight", MON, "Thursday night or Friday night? Pick one below.", id="fri midnight"),
    pytest.param("today midnight", MON, "Last night or tonight? Pick one below.", id="today midnight"),
    pytest.param("fri 28 nov", MON, "28 November is a Saturday, not a Friday. Pick one below.", id="mismatch"),
])
def test_due_phrase_hint(text: str, now: datetime, expected: str) -> None:
    assert due_phrase_hint(text, now) == expected


@pytest.mark.parametrize("due, now, expected", [
    pytest.param(MON - timedelta(minutes=1), MON, PAST, id="a minute ago"),
    pytest.param(at(11, 23, 9), MON, PAST, id="today 9am at 10:00"),
    pytest.param(at(1, 1, year=2020), MON, PAST, id="a past ISO date"),
    pytest.param(MON, MON, None, id="exactly now"),
    pytest.param(at(11, 24), MON, None, id="tomorrow"),
    pytest.param(MON.replace(year=2028), MON, None, id="exactly two years ahead"),
    pytest.param(MON.replace(year=2028) + timedelta(minutes=1), MON, FAR, id="two years and a minute"),
    pytest.param(at(2, 29, year=2032), MON, FAR, id="far 29 feb"),
    pytest.param(datetime(2030, 2, 28, 10), datetime(2028, 2, 29, 10), None, id="from 29 Feb: 28 Feb two years on"),
    pytest.param(datetime(2030, 2, 28, 10, 1), datetime(2028, 2, 29, 10), FAR, id="from 29 Feb: just after"),
    pytest.param(datetime(9999, 12, 31), datetime(9998, 6, 1), None, id="near the end of the calendar"),
])
def test_due_warning(due: datetime, now: datetime, expected: str | None) -> None:
    assert due_warning(due, now) == expected


# --------------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------------

NOWS = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 12, 31))
DAY_PHRASES = ["today", "eod", "end of day", "cob", "close of business", "tomorrow", "tmrw", "tmr", "tom",
               "in 3 days", "in a week", "in two weeks", "next week", "end of week", "eow", "1 dec", "dec 1st",
               "29 feb", "15 sept", "31 dec", "1 jan", "the 15th", "8th of may", "day after tomorrow",
               "end of month", "end of next week", "fri next week", "the following friday", "a week from now",
               "in a month"]
GRAMMAR_WORDS = ["in", "at", "by", "on", "before", "due", "this", "next", "coming", "following", "the", "of",
                 "days", "weeks", "months", "fortnight", "hours", "mins", "from now", "time", "pm", "am", "a.m.",
                 "p.m.", "noon", "midday", "midnight", "morning", "afternoon", "evening", "tonight", "night",
                 "eod", "cob", "end of", "month", "week", "day after tomorrow", "dec", "may", "fri", "friday",
                 "tomorrow", "today", "half", "an", "hour", "st", "th", "nd", ":", ".", "-", "/", ",", "'", " ",
                 "3", "30", "12", "13", "2026", "0", "0000", "31", "29 feb", "9999-12-31"]


@FAST
@given(text=st.text(max_size=300), now=NOWS)
def test_parse_due_never_raises_on_any_text(text: str, now: datetime) -> None:
    result = parse_due(text, now)
    assert result is None or isinstance(result, datetime)
    assert due_phrase_hint(text, now)


def check_reading(text: str, now: datetime) -> None:
    """The properties every text has: nothing raises; a moment, or choices, or a reason, never two of them."""
    result = parse_due(text, now)
    choices = due_choices(text, now)
    hint = due_phrase_hint(text, now)
    assert result is None or isinstance(result, datetime)
    assert hint
    if result is not None:
        assert choices == ()
        assert hint == describe_due(result, now)
        # The preview names the moment it returns: weekday, day, month in full, and the clock.
        assert words.weekday_name(result) in hint
        assert f" {result.day} {words.month_name(result.month)}" in hint
        assert hint.endswith(words.clock(result))
    else:
        assert choices == () or (len(choices) >= 2 and list(choices) == sorted(set(choices)))
        assert not hint.endswith((" am", " pm"))  # a reason or a question, never a moment


@FAST
@given(pieces=st.lists(st.sampled_from(GRAMMAR_WORDS), max_size=8), now=NOWS)
def test_grammar_soup_never_raises(pieces: list[str], now: datetime) -> None:
    check_reading("".join(pieces), now)
    check_reading(" ".join(pieces), now)


@FAST
@given(pieces=st.lists(st.one_of(st.sampled_from(GRAMMAR_WORDS), st.text(max_size=4)), max_size=8),
       now=st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59)))
def test_grammar_words_with_random_junk_never_raise(pieces: list[str], now: datetime) -> None:
    check_reading(" ".join(pieces), now)


@FAST
@given(phrase=st.sampled_from(DAY_PHRASES), prefix=st.sampled_from(["", "by ", "on ", "  "]),
       upper=st.booleans(), now=NOWS)
def test_a_day_without_a_time_is_17_on_or_after_today(phrase: str, prefix: str, upper: bool, now: datetime) -> None:
    text = prefix + (phrase.upper() if upper else phrase)
    result = parse_due(text, now)
    assert result is not None
    assert result.time() == DEFAULT_DUE_TIME
    assert result.date() >= now.date()


@FAST
@given(day=st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)), now=NOWS,
       moment=st.one_of(st.none(), st.times().map(lambda t: t.replace(second=0, microsecond=0))))
def test_iso_dates_round_trip(day: date, now: datetime, moment: time | None) -> None:
    text = day.isoformat() if moment is None else f"{day.isoformat()} {moment:%H:%M}"
    result = parse_due(text, now)
    assert result == datetime.combine(day, moment or DEFAULT_DUE_TIME)
    described = describe_due(result, now)
    assert f"{day.day} " in described or described.startswith(("Today", "Tomorrow", "Yesterday"))


@FAST
@given(moment=st.times().map(lambda t: t.replace(second=0, microsecond=0)), now=NOWS)
def test_a_time_alone_is_the_next_such_moment(moment: time, now: datetime) -> None:
    result = parse_due(f"{moment:%H:%M}", now)
    assert result is not None
    assert result.time() == moment
    assert now < result <= now + timedelta(days=1)


@FAST
@given(weekday=st.integers(0, 6), now=NOWS)
def test_next_weekday_is_next_weeks_or_asks(weekday: int, now: datetime) -> None:
    name = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"][weekday]
    result = parse_due(f"next {name}", now)
    next_monday = now.date() + timedelta(days=7 - now.weekday())
    if result is not None:  # the coming one is in next week: both readings agree
        assert result.weekday() == weekday
        assert next_monday <= result.date() < next_monday + timedelta(days=7)
    else:
        first, second = due_choices(f"next {name}", now)
        assert first.weekday() == weekday and second - first == timedelta(days=7)
        assert now.date() < first.date() < next_monday <= second.date()



# --------------------------------------------------------------------------------------------------
# DUE-DATES.md row by row, from a Wednesday and a Friday morning (the issue's reports)
# --------------------------------------------------------------------------------------------------

W = datetime(2026, 3, 11, 10, 0)  # Wednesday 11 March 2026, 10:00
F = datetime(2026, 3, 13, 9, 0)  # Friday 13 March 2026, 9:00


def m(day: int, hour: int = 17, minute: int = 0, month: int = 3, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute)


@pytest.mark.parametrize("text, now, expected", [
    # Days: today, tomorrow, weekdays (1-7 days ahead), "this" before.
    case("today", m(11), W), case("eod", m(11), W), case("close of business", m(11), W), case("tom", m(12), W),
    case("fri", m(13), W), case("this fri", m(13), W), case("thurs", m(12), W), case("mon", m(16), W),
    case("tues", m(17), F), case("thur", m(19), F), case("sat", m(14), F),
    # A weekday naming today once today's moment has passed: next week's.
    case("wed 9am", m(18, 9), W), case("fri 8:30am", m(20, 8, 30), F),
    # next <weekday>: the coming one when it is already in next week.
    case("next mon", m(16), W), case("next mon", m(16), F), case("next fri", m(20), F), case("next wed", m(18), F),
    # <weekday> next week, friday of next week, the following friday.
    case("fri next week", m(20), W), case("friday of next week", m(20), W), case("the following friday", m(20), W),
    case("mon next week", m(16), W), case("wed next week", m(18), F), case("next week friday", m(20), W),
    # day after tomorrow, end of month, end of next week, end of this week.
    case("day after tomorrow", m(13), W), case("the day after tomorrow", m(15), F),
    case("end of month", m(31), W), case("eom", m(31), W), case("end of the month", m(31), F),
    case("end of next week", m(20), W), case("end of next week", m(20), F), case("end of this week", m(13), W),
    case("end of week", m(13), F), case("eow", m(13), W),
    # on the 15th, the 1st, 8th of May, Fri, Jul 18 (a Friday in 2025), fri 13 mar.
    case("on the 15th", m(15), W), case("the 1st", m(1, month=4), W), case("the 11th", m(11), W),
    case("8th of May", m(8, month=5), W), case("fri 13 mar", m(13), W), case("fri 13 mar", m(13), F),
    case("Fri, Jul 18", m(18, month=7, year=2025), datetime(2025, 7, 1, 9)),
    case("friday the 20th", m(20), W),
    # in N days / weeks / months, N days from now, a week from now, in three weeks time.
    case("in 3 days", m(14), W), case("in two weeks", m(25), W), case("in 3 months", m(11, month=6), W),
    case("5 days from now", m(16), W), case("a week from now", m(18), W), case("in three weeks time", m(1, month=4), W),
    case("in 1 month", m(28, month=2), datetime(2026, 1, 31, 9), name="31 Jan + 1 month"),
    # next week, end of week; ISO; day and month.
    case("next week", m(16), W), case("next week", m(16), F), case("2026-12-01", m(1, month=12), W),
    case("2026-03-01", m(1), W, name="a past ISO date as it is"), case("1 Dec", m(1, month=12), W),
    case("dec 1st", m(1, month=12), W), case("sept 15", m(15, month=9), W), case("31 apr", None, W),
    # Times: office hours for colon times.
    case("friday 5:30", m(13, 17, 30), W), case("tomorrow 2:00", m(12, 14), W), case("1:00 fri", m(13, 13), W),
    case("tomorrow 6:59", m(12, 18, 59), W), case("tomorrow 7:00", m(12, 7), W), case("tomorrow 11:59", m(12, 11, 59), W),
    case("tomorrow 12:30", m(12, 12, 30), W), case("tomorrow 13:00", m(12, 13), W), case("tomorrow 0:15", m(12, 0, 15), W),
    case("tomorrow 06:30", m(12, 6, 30), W), case("tomorrow 05:00", m(12, 5), W), case("5:30", m(11, 17, 30), W),
    case("tomorrow 3pm", m(12, 15), W), case("3:30pm tomorrow", m(12, 15, 30), W), case("3.30pm fri", m(13, 15, 30), W),
    case("tomorrow 12am", m(12, 0), W), case("tomorrow 12pm", m(12, 12), W), case("tomorrow noon", m(12, 12), W),
    case("midnight", m(12, 0), W), case("15:00 tomorrow", m(12, 15), W),
    case("3 p.m. tomorrow", m(12, 15), W), case("tomorrow at 9 a.m.", m(12, 9), W), case("10 A.M. fri", m(13, 10), W),
    case("12 noon tomorrow", m(12, 12), W), case("midday fri", m(13, 12), W), case("tomorrow midday", m(12, 12), W),
    # Parts of the day are deadlines: their end.
    case("tomorrow morning", m(12, 12), W), case("this afternoon", m(11, 17), W), case("fri evening", m(13, 20), W),
    case("tonight", m(11, 21), W), case("sunday night", m(15, 21), W), case("8 tonight", m(11, 20), W),
    case("6 in the morning", m(12, 6), W), case("december 20 morning", m(20, 12, month=12), W),
    case("tomorrow afternoon 2:30", m(12, 14, 30), W), case("tonight 9:30", m(11, 21, 30), W),
    case("9 in the morning fri", m(13, 9), W), case("fri at 3 in the afternoon", m(13, 15), W),
    case("this morning", m(13, 12), F), case("tomorrow night", m(14, 21), F), case("11 at night", m(11, 23), W),
    # eod fri, fri eod, before.
    case("eod fri", m(13), W), case("fri eod", m(13), W), case("by end of day friday", m(13), W),
    case("before fri", m(13), W), case("before 3pm tomorrow", m(12, 15), W),
    # Exact offsets.
    case("in 20 minutes", m(11, 10, 20), W), case("in 2 hours", m(11, 12), W), case("in an hour", m(11, 11), W),
    case("in half an hour", m(11, 10, 30), W), case("in 3 hrs", m(11, 13), W), case("in 2 hours 3pm", None, W),
    # Combining: a day with a time even if past; a time alone today if strictly after now, else tomorrow.
    case("today 9am", m(11, 9), W), case("9am", m(12, 9), W), case("11am", m(11, 11), W),
    # Numeric dates, bare hours, tomorrow midnight, 0000-01-01: None.
    case("1/12", None, W), case("13/3", None, W), case("at 3", None, W), case("tomorrow midnight", None, W),
    case("0000-01-01", None, W),
])
def test_due_dates_md_rows(text: str, now: datetime, expected: datetime | None) -> None:
    check(text, now, expected)


@pytest.mark.parametrize("text, now, choices", [
    asks("next fri", W, m(13), m(20)), asks("next friday 3pm", W, m(13, 15), m(20, 15)),
    asks("next thu", W, m(12), m(19)), asks("next sat", W, m(14), m(21)), asks("next sun", W, m(15), m(22)),
    asks("next sat", F, m(14), m(21)), asks("next sun", F, m(15), m(22)),
    asks("fri 4pm", F, m(13, 16), m(20, 16)), asks("fri", F, m(13), m(20)), asks("this friday", F, m(13), m(20)),
    asks("wed", W, m(11), m(18)), asks("eod fri", F, m(13), m(20)),
    asks("tomorrow midnight", W, m(12, 0), m(13, 0)), asks("fri midnight", W, m(13, 0), m(14, 0)),
    asks("today midnight", W, m(11, 0), m(12, 0)),
    asks("fri 14 mar", W, m(13), m(14)), asks("Fri, Jul 18", W, m(17, month=7), m(18, month=7)),
    asks("mon 13 mar", W, m(13), m(16)), asks("thursday the 20th", W, m(19), m(20)),
    asks("sat 1 apr 3pm", W, m(1, 15, month=4), m(4, 15, month=4)),
])
def test_due_choices(text: str, now: datetime, choices: tuple[datetime, ...]) -> None:
    assert parse_due(text, now) is None
    assert due_choices(text, now) == choices
    assert "Pick one" in due_phrase_hint(text, now)


@pytest.mark.parametrize("text", ["fri", "tomorrow 3pm", "asap", "1/12", "", "in 2 hours", "at 3"])
def test_no_choices_when_not_ambiguous(text: str) -> None:
    assert due_choices(text, W) == ()


def test_choice_buttons_say_the_short_date() -> None:
    assert [choice_label(c, W) for c in due_choices("next fri", W)] == ["Fri 13 Mar", "Fri 20 Mar"]
    assert [choice_label(c, W) for c in due_choices("fri midnight", W)] == ["Fri 13 Mar, 12:00 am",
                                                                            "Sat 14 Mar, 12:00 am"]
    assert choice_label(m(13, year=2028), W) == "Mon 13 Mar 2028"


@pytest.mark.parametrize("text, expected", [
    ("monday", m(16, 0)), ("back on monday", m(16, 0)), ("until fri", m(13, 0)), ("tomorrow", m(12, 0)), ("wed", m(18, 0)),
    ("next fri", None), ("fri next week", m(20, 0)), ("1 apr", m(1, 0, month=4)), ("tomorrow 2pm", m(12, 14)),
])
def test_the_away_dialog_reads_a_day_as_its_start(text: str, expected: datetime | None) -> None:
    assert parse_due(text, W, day_ends=time(0)) == expected


def test_the_office_end_of_day_setting() -> None:
    assert parse_due("fri", W, day_ends=time(18, 30)) == m(13, 18, 30)
    assert parse_due("eod", W, day_ends=time(16)) == m(11, 16)
    assert due_choices("fri", F, day_ends=time(18)) == (m(13, 18), m(20, 18))
    assert parse_due("fri", F.replace(hour=18, minute=30), day_ends=time(18)) == m(20, 18)
    assert parse_due("3pm fri", W, day_ends=time(18)) == m(13, 15)  # every other number is fixed


@pytest.mark.parametrize("due, notes", [
    (m(14), ["That is a Saturday."]), (m(15, 10), ["That is a Sunday."]),
    (m(13, 18), ["That is after 5:00 pm, when the office has closed."]),
    (m(13, 8, 59), ["That is before 9:00 am, when the office opens."]),
    (m(14, 21), ["That is a Saturday.", "That is after 5:00 pm, when the office has closed."]),
    (m(13, 17), []), (m(13, 9), []), (m(12, 12), []),
])
def test_due_notes(due: datetime, notes: list[str]) -> None:
    assert due_notes(due) == notes


def test_due_notes_follow_the_office_hours() -> None:
    assert due_notes(m(13, 8), opens=time(7, 30), closes=time(18)) == []
    assert due_notes(m(13, 18, 1), opens=time(7, 30), closes=time(18)) == [
        "That is after 6:00 pm, when the office has closed."]


@FAST
@given(now=NOWS, text=st.sampled_from(["next fri", "fri 4pm", "tomorrow midnight", "fri 13 mar", "mon 1 jun",
                                       "next sat", "wed", "sun midnight"]))
def test_choices_are_empty_or_two_sorted_moments(now: datetime, text: str) -> None:
    result, choices = parse_due(text, now), due_choices(text, now)
    assert (result is None) == bool(choices) or (result is None and choices == ())
    assert choices == () or (len(choices) >= 2 and list(choices) == sorted(set(choices)))


def test_the_old_import_path_still_works() -> None:
    from models.rules import promises
    assert promises.parse_due("fri", W) == parse_due("fri", W)
    assert promises.due_phrase_hint("fri", W) == due_phrase_hint("fri", W)
    assert promises.due_choices("next fri", W) == due_choices("next fri", W)


def readme_table() -> list[tuple[list[str], str]]:
    """The README's table of due-date phrases: (the phrases of a row, what the row says they mean)."""
    import re
    from pathlib import Path

    text = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = text[text.index("| you type | it means |"):]
    rows = []
    for line in section.splitlines()[2:]:
        if not line.startswith("|"):
            break
        typed, meaning = line.strip("|").split("|", 1)
        rows.append((re.findall(r"`([^`]+)`", typed), meaning))
    return rows


def test_the_readme_table_is_current() -> None:
    rows = readme_table()
    assert len(rows) >= 15
    for phrases, meaning in rows:
        for phrase in phrases:
            read, asked = parse_due(phrase, W), due_choices(phrase, W)
            if "not read" in meaning:
                assert read is None and not asked, phrase
            else:
                assert read is not None or asked, phrase
