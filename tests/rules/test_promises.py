"""Promise states and quick due dates: every row and sentence of DUE-DATES.md, as tables, plus properties.

Where DUE-DATES.md is silent, models/rules/promises.py decides and these tests pin the decision:

- "in 0 days", "in 0 hours" are None (a count is one or more); "in -1 days" is None (no minus sign).
- Singular units are accepted ("in 1 day", "in 1 hr", "in 1 min"), and the count words a/one..ten work
  for minutes and hours too ("in two hours"); "eleven" and up must be digits.
- "midnight" with a day is 00:00 *of* that day (the combining rule, like "12am"): "fri midnight" is the
  start of Friday, the earlier reading, and the form shows "Friday 27 Nov, 12:00 am".
- "29 feb" in a year without one is the next 29 February (the next such date), up to 4 years ahead;
  the form's "more than two years away" question then catches a slip.
- A dot time needs am/pm ("3.30pm"); "9.30" alone is None with the bare-hour hint.
- "at" joins only before a time ("tomorrow at 3pm", "at 3pm tomorrow"); "by"/"on" only lead.
- Only a trailing "." or "," is ignored: "tomorrow, 3pm" (inner comma) and "1 dec 2026" (a year after a
  day and month) are None: not in the grammar; ISO dates carry the year.
- Tabs and line breaks fold like spaces (as in models/rules/text.py); other control characters are None.
- Any ordinal suffix goes ("3th dec" can only mean 3 Dec); ISO months and days may have one digit.
"""
from __future__ import annotations

import time as clock
from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.rules.promises import (
    DEFAULT_DUE_TIME,
    GRACE,
    STATUSES,
    broken_at,
    describe_due,
    describe_status,
    due_phrase_hint,
    due_warning,
    effective_status,
    parse_due,
    promise_status,
    renegotiation_allowed,
)

# A fixed week: Monday 23 November 2026, 10:00, and the days after it at the same hour.
MON = datetime(2026, 11, 23, 10, 0)
TUE, WED, THU, FRI, SAT, SUN = (MON + timedelta(days=n) for n in range(1, 7))

NUMERIC_HINT = "Write the month as a word (1 Dec) or use 2026-12-01: {} could mean two different dates."
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
    case("mon", at(11, 30)), case("monday", at(11, 30)),
    case("tue", at(11, 24)), case("tues", at(11, 24)), case("tuesday", at(11, 24)),
    case("wed", at(11, 25)), case("wednesday", at(11, 25)),
    case("thu", at(11, 26)), case("thur", at(11, 26)), case("thurs", at(11, 26)), case("thursday", at(11, 26)),
    case("fri", at(11, 27)), case("friday", at(11, 27)),
    case("sat", at(11, 28)), case("saturday", at(11, 28)),
    case("sun", at(11, 29)), case("sunday", at(11, 29)),
    # this/next change nothing: "next fri" is the first Friday after today, as "fri" is.
    case("this fri", at(11, 27)), case("next fri", at(11, 27)),
    case("this friday", at(11, 27)), case("next friday", at(11, 27)),
    case("this mon", at(11, 30)), case("next mon", at(11, 30)), case("next monday", at(11, 30)),
    case("this tues", at(11, 24)), case("next thurs", at(11, 26)),
    # Typing today's weekday gives next week's.
    case("fri", at(12, 4), now=FRI), case("friday", at(12, 4), now=FRI), case("this fri", at(12, 4), now=FRI),
    case("sat", at(11, 28), now=FRI), case("thu", at(12, 3), now=FRI),
    case("sun", at(12, 6), now=SUN), case("mon", at(11, 30), now=SUN),
    case("tue", at(12, 1), now=TUE), case("wed", at(11, 25), now=TUE),
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
    case("dec", None), case("1st", None), case("1 st dec", None), case("dec 2026", None), case("1 dec 2026", None),
    case("the 1st", None), case("1st of dec", None),
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
    case("15:00", at(11, 23, 15)), case("9:30", at(11, 24, 9, 30), name="9:30 (24-hour) at 10:00 is tomorrow"),
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
    "3", "at 3", "15", "at 15", "tomorrow 3", "tomorrow at 3", "fri 3", "3 fri",  # bare hours
    "25:00", "24:00", "13pm", "0am", "00am", "15:00pm", "3:60pm", "3:5pm", "3:300pm", "3 : 30pm", "3pm pm",
    "9.30", "15.00", "3:30 am pm", "am", "pm", "at", "at noon at 3pm",
])
def test_invalid_times(text: str) -> None:
    assert parse_due(text, MON) is None


# --------------------------------------------------------------------------------------------------
# A day with a time: that day at that time, in either order, with an optional "at"
# --------------------------------------------------------------------------------------------------

DAYS = {  # the issue's day forms, from Monday 23 Nov 2026
    "today": date(2026, 11, 23), "tomorrow": date(2026, 11, 24), "fri": date(2026, 11, 27),
    "friday": date(2026, 11, 27), "next fri": date(2026, 11, 27), "this friday": date(2026, 11, 27),
    "mon": date(2026, 11, 30), "next monday": date(2026, 11, 30), "in 2 days": date(2026, 11, 25),
    "in 2 weeks": date(2026, 12, 7), "2026-12-01": date(2026, 12, 1), "1 Dec": date(2026, 12, 1),
    "dec 1": date(2026, 12, 1), "eod": date(2026, 11, 23), "end of week": date(2026, 11, 27),
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
    case("fri midnight", at(11, 27, 0), name="midnight with a day: 00:00 of that day"),
    case("midnight tomorrow", at(11, 24, 0)), case("tomorrow 12am", at(11, 24, 0)),
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
    case("in 1.5 hours", None), case("in 2 seconds", None), case("in 2 months", None), case("in 2 years", None),
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
    case("by fri", at(11, 27)), case("on monday", at(11, 30)), case("By Friday at 3PM.", at(11, 27, 15)),
    case("on 1 dec", at(12, 1)), case("by 3pm", at(11, 23, 15)), case("by eod", at(11, 23)),
    case("by tomorrow at 9:30", at(11, 24, 9, 30)),
    case("by", None), case("on", None), case("by by fri", None), case("fri by", None), case("3pm on fri", None),
    case("tomorrow..", None), case("tomorrow.,", None), case(",tomorrow", None), case(".tomorrow", None),
    case("tomorrow, 3pm", None, name="an inner comma"), case("tomorrow-3pm", None),
])
def test_case_spaces_punctuation_and_leading_words(text: str, now: datetime, expected: datetime | None) -> None:
    check(text, now, expected)


@pytest.mark.parametrize("text", [
    pytest.param(text, id=repr(text)) for text in [
        "1/12", "12/1", "1/12/2026", "2026/12/01", "1.12.2026", "12-1", "1-12-2026",  # numeric dates
        "asap", "soon", "whenever", "next", "this", "next month", "this week", "last fri", "yesterday",
        "tomorrow morning", "tonight", "fri or mon", "mañana", "tomorrow 🎉", "\uff13pm", "\u00b2pm", "3pm!",
        "'tomorrow'", "tomorrow;", "<fri>", "1e3 days", "0x10",
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
    assert parse_due("by next thursday at 12:30 pm.", MON) == at(11, 26, 12, 30)
    # "close of business" is itself a day (today), so adding "next thursday" gives two days: None.
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
# promise_status, broken_at, effective_status, renegotiation_allowed
# --------------------------------------------------------------------------------------------------

DUE = at(11, 23)  # Monday 23 Nov 2026, 17:00
TICK = timedelta(microseconds=1)


@pytest.mark.parametrize("due, kept_at, now, expected", [
    pytest.param(DUE, None, DUE - timedelta(days=1), "pending", id="a day before"),
    pytest.param(DUE, None, datetime(2026, 11, 22, 23, 59, 59), "pending", id="the evening before: pending"),
    pytest.param(DUE, None, datetime(2026, 11, 23, 0, 0), "due_today", id="midnight of the day: due_today"),
    pytest.param(DUE, None, MON, "due_today", id="due later today"),
    pytest.param(DUE, None, DUE, "due_today", id="now == due: due_today"),
    pytest.param(DUE, None, DUE + TICK, "overdue", id="just after due: overdue"),
    pytest.param(DUE, None, DUE + timedelta(hours=7), "overdue", id="past midnight after due: overdue"),
    pytest.param(DUE, None, DUE + GRACE, "overdue", id="exactly due + 48 h: still overdue"),
    pytest.param(DUE, None, DUE + GRACE + TICK, "broken", id="just after due + 48 h: broken"),
    pytest.param(DUE, None, DUE + timedelta(days=400), "broken", id="long after: broken"),
    pytest.param(at(11, 24, 0), None, datetime(2026, 11, 23, 23, 59), "pending", id="due at 00:00 tomorrow"),
    pytest.param(at(11, 24, 0), None, at(11, 24, 0), "due_today", id="due at 00:00 today, now 00:00"),
    pytest.param(at(11, 23, 23, 59), None, MON, "due_today", id="due at 23:59 today"),
    pytest.param(DUE, DUE, DUE + timedelta(days=9), "kept", id="kept at exactly due"),
    pytest.param(DUE, DUE - timedelta(hours=5), MON, "kept", id="kept early, now before due"),
    pytest.param(DUE, DUE + TICK, DUE + TICK, "kept_late", id="kept just after due"),
    pytest.param(DUE, DUE + timedelta(hours=3), DUE + timedelta(days=9), "kept_late", id="kept late"),
    pytest.param(DUE, DUE + GRACE + timedelta(hours=1), DUE + timedelta(days=9), "kept_late",
                 id="kept after the break: kept_late"),
    pytest.param(DUE, DUE + timedelta(hours=1), DUE - timedelta(days=1), "kept_late",
                 id="kept whatever now is"),
])
def test_promise_status(due: datetime, kept_at: datetime | None, now: datetime, expected: str) -> None:
    assert promise_status(due, kept_at, now) == expected
    assert expected in STATUSES


def test_broken_at_is_due_plus_two_days() -> None:
    assert broken_at(DUE) == at(11, 25) == DUE + GRACE
    assert GRACE == timedelta(days=2)


@pytest.mark.parametrize("record, kept_at, cancelled_at, now, expected", [
    pytest.param("open", None, None, MON, "due_today", id="open, due today"),
    pytest.param("open", None, None, DUE + GRACE + TICK, "broken", id="open, broken"),
    pytest.param("kept", DUE, None, DUE + timedelta(days=5), "kept", id="kept"),
    pytest.param("kept", DUE + timedelta(days=3), None, DUE + timedelta(days=5), "kept_late",
                 id="kept after the break"),
    pytest.param("kept", None, None, MON, "kept", id="kept without kept_at"),
    pytest.param("cancelled", None, DUE - timedelta(hours=1), DUE + timedelta(days=9), "cancelled",
                 id="cancelled before due"),
    pytest.param("cancelled", None, DUE + timedelta(hours=30), DUE + timedelta(days=9), "cancelled",
                 id="cancelled while overdue"),
    pytest.param("cancelled", None, DUE + GRACE, DUE + timedelta(days=9), "cancelled",
                 id="cancelled at exactly due + 48 h"),
    pytest.param("cancelled", None, DUE + GRACE + TICK, DUE + timedelta(days=9), "broken",
                 id="cancelled after it broke: the break stands"),
    pytest.param("cancelled", None, None, DUE + timedelta(days=9), "cancelled", id="cancelled, time unknown"),
])
def test_effective_status(record: str, kept_at: datetime | None, cancelled_at: datetime | None,
                          now: datetime, expected: str) -> None:
    assert effective_status(record, DUE, kept_at, now, cancelled_at) == expected


def test_effective_status_refuses_an_unknown_record_status() -> None:
    with pytest.raises(ValueError, match="renegotiated"):
        effective_status("renegotiated", DUE, None, MON)


@pytest.mark.parametrize("now, expected", [
    pytest.param(MON, True, id="before due"),
    pytest.param(DUE, True, id="at due"),
    pytest.param(DUE + timedelta(hours=30), True, id="overdue"),
    pytest.param(DUE + GRACE, True, id="at due + 48 h (not yet broken)"),
    pytest.param(DUE + GRACE + TICK, False, id="just after the break"),
    pytest.param(DUE + timedelta(days=30), False, id="long after the break"),
])
def test_renegotiation_allowed_only_before_the_break(now: datetime, expected: bool) -> None:
    assert renegotiation_allowed(DUE, now) is expected
    assert renegotiation_allowed(DUE, now) == (promise_status(DUE, None, now) != "broken")


# --------------------------------------------------------------------------------------------------
# Words for the form
# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("due, now, expected", [
    pytest.param(at(11, 23), MON, "Today, 5:00 pm", id="today"),
    pytest.param(at(11, 24, 15), MON, "Tomorrow, 3:00 pm", id="tomorrow"),
    pytest.param(at(11, 22), MON, "Yesterday, 5:00 pm", id="yesterday"),
    pytest.param(at(11, 25), MON, "Wednesday 25 Nov, 5:00 pm", id="in 2 days: weekday name"),
    pytest.param(at(11, 27), MON, "Friday 27 Nov, 5:00 pm", id="friday"),
    pytest.param(at(11, 29), MON, "Sunday 29 Nov, 5:00 pm", id="in 6 days: weekday name"),
    pytest.param(at(11, 30), MON, "Mon 30 Nov, 5:00 pm", id="in 7 days: short date"),
    pytest.param(at(12, 1, 9, 30), MON, "Tue 1 Dec, 9:30 am", id="this year: no year"),
    pytest.param(at(12, 1, 9, 30), datetime(2025, 11, 24, 10), "Tue 1 Dec 2026, 9:30 am", id="other year"),
    pytest.param(at(1, 4, year=2027), datetime(2026, 12, 30, 9), "Monday 4 Jan, 5:00 pm",
                 id="next year but 5 days ahead: the weekday says enough"),
    pytest.param(at(1, 6, year=2027), datetime(2026, 12, 30, 9), "Wed 6 Jan 2027, 5:00 pm",
                 id="next year, 7 days ahead: short date with year"),
    pytest.param(at(1, 1, year=2027), datetime(2026, 12, 31, 9), "Tomorrow, 5:00 pm", id="tomorrow, new year"),
    pytest.param(at(11, 20), MON, "Fri 20 Nov, 5:00 pm", id="past: short date"),
    pytest.param(at(1, 1, year=2020), MON, "Wed 1 Jan 2020, 5:00 pm", id="past year"),
    pytest.param(at(11, 23, 12), MON, "Today, 12:00 pm", id="noon"),
    pytest.param(at(11, 24, 0), MON, "Tomorrow, 12:00 am", id="midnight"),
    pytest.param(at(11, 24, 0, 5), MON, "Tomorrow, 12:05 am", id="00:05"),
    pytest.param(at(11, 23, 12, 59), MON, "Today, 12:59 pm", id="12:59"),
    pytest.param(at(11, 23, 13), MON, "Today, 1:00 pm", id="13:00"),
    pytest.param(at(11, 23, 23, 59), MON, "Today, 11:59 pm", id="23:59"),
    pytest.param(datetime(2026, 11, 23, 10, 5, 30), MON, "Today, 10:05 am", id="seconds are not shown"),
])
def test_describe_due(due: datetime, now: datetime, expected: str) -> None:
    assert describe_due(due, now) == expected


@pytest.mark.parametrize("month, expected", list(enumerate(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], start=1)))
def test_describe_due_month_names_are_english_whatever_the_locale(month: int, expected: str) -> None:
    text = describe_due(datetime(2030, month, 10, 9), MON)
    assert text.split(",")[0].split()[2] == expected


@pytest.mark.parametrize("text, now, expected", [
    pytest.param("tomorrow 3pm", MON, "Tomorrow, 3:00 pm", id="parsed"),
    pytest.param("fri", MON, "Friday 27 Nov, 5:00 pm", id="parsed weekday"),
    pytest.param("", MON, EMPTY, id="empty"),
    pytest.param("   ", MON, EMPTY, id="only spaces"),
    pytest.param("1/12", MON, NUMERIC_HINT.format("1/12"), id="numeric date 1/12"),
    pytest.param("by 1/12 3pm", MON, NUMERIC_HINT.format("1/12"), id="numeric date inside a phrase"),
    pytest.param("1.12.2026", MON, NUMERIC_HINT.format("1.12.2026"), id="numeric date with dots"),
    pytest.param("12-1", MON, NUMERIC_HINT.format("12-1"), id="numeric date with a dash"),
    pytest.param("at 3", MON, BARE_HOUR, id="at 3"),
    pytest.param("3", MON, BARE_HOUR, id="3"),
    pytest.param("tomorrow at 3", MON, BARE_HOUR, id="tomorrow at 3"),
    pytest.param("3 tomorrow", MON, BARE_HOUR, id="3 tomorrow"),
    pytest.param("9.30", MON, BARE_HOUR, id="a dot time without am/pm"),
    pytest.param("31 apr", MON, "There is no 31 April.", id="31 apr"),
    pytest.param("april 31st 3pm", MON, "There is no 31 April.", id="april 31st 3pm"),
    pytest.param("30 feb", MON, "There is no 30 February.", id="30 feb"),
    pytest.param("2027-02-29", MON, "There is no 29 February 2027.", id="ISO 29 feb in a common year"),
    pytest.param("13pm", MON, NOT_UNDERSTOOD, id="13pm"),
    pytest.param("25:00", MON, NOT_UNDERSTOOD, id="25:00"),
    pytest.param("asap", MON, NOT_UNDERSTOOD, id="asap"),
    pytest.param("in 2 hours 3pm", MON, NOT_UNDERSTOOD, id="offset with a time"),
    pytest.param("tomorrow\x00", MON, NOT_UNDERSTOOD, id="control character"),
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


@pytest.mark.parametrize("status, due, now, expected", [
    pytest.param("pending", at(11, 26), MON, "Due in 3 days", id="pending in 3 days"),
    pytest.param("pending", at(11, 24, 9), MON, "Due tomorrow at 9:00 am", id="pending tomorrow"),
    pytest.param("due_today", at(11, 23), MON, "Due today at 5:00 pm", id="due today"),
    pytest.param("overdue", at(11, 23, 7), MON, "Overdue by 3 hours", id="overdue by hours"),
    pytest.param("overdue", at(11, 23, 9), MON, "Overdue by 1 hour", id="overdue by one hour"),
    pytest.param("overdue", at(11, 23, 9, 55), MON, "Overdue by 5 minutes", id="overdue by minutes"),
    pytest.param("overdue", MON - timedelta(seconds=30), MON, "Overdue by less than a minute",
                 id="overdue by seconds"),
    pytest.param("overdue", at(11, 22, 9), MON, "Overdue by 1 day", id="overdue by a day"),
    pytest.param("overdue", MON - GRACE, MON, "Overdue by 2 days", id="overdue by exactly 48 h"),
    pytest.param("broken", DUE, at(11, 27), "Broken 2 days ago (was due Mon 23 Nov)", id="broken 2 days ago"),
    pytest.param("broken", DUE, at(11, 25, 20), "Broken 3 hours ago (was due Mon 23 Nov)", id="broken hours ago"),
    pytest.param("broken", at(12, 1, year=2025), MON, "Broken 354 days ago (was due Mon 1 Dec 2025)",
                 id="broken last year"),
    pytest.param("kept", DUE, MON, "Kept", id="kept"),
    pytest.param("kept_late", DUE, MON, "Kept late", id="kept late"),
    pytest.param("cancelled", DUE, MON, "Cancelled", id="cancelled"),
])
def test_describe_status(status: str, due: datetime, now: datetime, expected: str) -> None:
    assert describe_status(status, due, now) == expected


def test_describe_status_refuses_an_unknown_status() -> None:
    with pytest.raises(ValueError):
        describe_status("lost", DUE, MON)


# --------------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------------

NOWS = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 12, 31))
DAY_PHRASES = ["today", "eod", "end of day", "cob", "close of business", "tomorrow", "tmrw", "tmr", "tom",
               "mon", "tues", "wednesday", "thur", "thurs", "fri", "sat", "sunday", "this fri", "next mon",
               "in 3 days", "in a week", "in two weeks", "next week", "end of week", "eow", "1 dec", "dec 1st",
               "29 feb", "15 sept", "31 dec", "1 jan"]
GRAMMAR_WORDS = ["in", "at", "by", "on", "this", "next", "days", "hours", "mins", "pm", "am", "noon", "midnight",
                 "dec", "fri", "tomorrow", "half", "an", "hour", "st", "of", "end", "week", ":", ".", "-", "/",
                 ",", " ", "3", "30", "12", "2026", "0"]


@FAST
@given(text=st.text(max_size=300), now=NOWS)
def test_parse_due_never_raises_on_any_text(text: str, now: datetime) -> None:
    result = parse_due(text, now)
    assert result is None or isinstance(result, datetime)
    assert due_phrase_hint(text, now)


@FAST
@given(words=st.lists(st.sampled_from(GRAMMAR_WORDS), max_size=8), now=NOWS)
def test_parse_due_never_raises_on_grammar_soup(words: list[str], now: datetime) -> None:
    text = "".join(words)
    result = parse_due(text, now)
    assert result is None or isinstance(result, datetime)
    hint = due_phrase_hint(text, now)
    assert (result is None) == (hint in (EMPTY, BARE_HOUR, NOT_UNDERSTOOD) or hint.startswith(("Write", "There")))


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
def test_a_weekday_is_one_to_seven_days_ahead(weekday: int, now: datetime) -> None:
    name = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"][weekday]
    result = parse_due(f"next {name}", now)
    assert result is not None
    assert result.weekday() == weekday
    assert 1 <= (result.date() - now.date()).days <= 7


RANK = {"pending": 0, "due_today": 0, "overdue": 1, "broken": 2}


@FAST
@given(due=NOWS, first=st.timedeltas(min_value=timedelta(days=-5), max_value=timedelta(days=5)),
       later=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=5)))
def test_an_open_promise_only_moves_towards_broken(due: datetime, first: timedelta, later: timedelta) -> None:
    before = promise_status(due, None, due + first)
    after = promise_status(due, None, due + first + later)
    assert RANK[before] <= RANK[after]
    assert describe_status(after, due, due + first + later)
