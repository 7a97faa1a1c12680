"""models/rules/words.py: the one way dates, times and counts are put into words."""
from __future__ import annotations

import locale
from datetime import date, datetime, time, timedelta

import pytest

from models.rules import words

FRI = datetime(2026, 3, 13, 9, 0)  # Friday 13 March 2026


@pytest.mark.parametrize(("moment", "expected"), [
    (time(0, 0), "12:00 am"), (time(0, 5), "12:05 am"), (time(9, 5), "9:05 am"), (time(12, 0), "12:00 pm"),
    (time(12, 59), "12:59 pm"), (time(13, 0), "1:00 pm"), (time(17, 30), "5:30 pm"), (time(23, 59), "11:59 pm"),
])
def test_clock(moment: time, expected: str) -> None:
    assert words.clock(moment) == expected
    assert words.clock(datetime.combine(FRI.date(), moment)) == expected


@pytest.mark.parametrize(("day", "expected_short", "expected_long"), [
    (date(2026, 3, 13), "Fri 13 Mar", "Friday 13 March"),
    (date(2026, 3, 20), "Fri 20 Mar", "Friday 20 March"),
    (date(2027, 3, 13), "Sat 13 Mar", "Saturday 13 March"),  # exactly 365 days: no year yet
    (date(2027, 3, 14), "Sun 14 Mar 2027", "Sunday 14 March 2027"),  # more than a year ahead
    (date(2025, 3, 12), "Wed 12 Mar 2025", "Wednesday 12 March 2025"),  # more than a year ago
    (date(2025, 12, 31), "Wed 31 Dec 2025", "Wednesday 31 December 2025"),  # an earlier year, however recent
    (date(2026, 1, 2), "Fri 2 Jan", "Friday 2 January"),  # earlier this year
])
def test_short_and_long_dates(day: date, expected_short: str, expected_long: str) -> None:
    assert words.short_date(day, FRI) == expected_short
    assert words.long_date(day, FRI.date()) == expected_long


def test_moment_and_preview_say_today_tomorrow_yesterday() -> None:
    assert words.moment(FRI.replace(hour=15), FRI) == "Today, 3:00 pm"
    assert words.moment(FRI + timedelta(days=1), FRI) == "Tomorrow, 9:00 am"
    assert words.moment(FRI - timedelta(days=1), FRI) == "Yesterday, 9:00 am"
    assert words.moment(datetime(2026, 3, 20, 17), FRI) == "Fri 20 Mar, 5:00 pm"
    assert words.preview(datetime(2026, 3, 20, 17), FRI) == "Friday 20 March, 5:00 pm"
    assert words.preview(datetime(2026, 3, 14, 17), FRI) == "Tomorrow, Saturday 14 March, 5:00 pm"
    assert words.preview(FRI.replace(hour=15), FRI) == "Today, Friday 13 March, 3:00 pm"
    assert words.preview(datetime(2026, 3, 16), FRI, with_time=False) == "Monday 16 March"
    assert words.preview(datetime(2026, 3, 14), FRI, with_time=False) == "Tomorrow, Saturday 14 March"


def test_since_reads_inside_a_sentence() -> None:
    assert f"Overdue since {words.since(datetime(2026, 3, 12, 18, 24), FRI)}" == "Overdue since yesterday 6:24 pm"
    assert words.since(FRI, FRI) == "today 9:00 am"
    assert words.since(datetime(2026, 3, 9, 18, 24), FRI) == "Mon 9 Mar 6:24 pm"
    assert words.in_sentence("Tomorrow, 9:00 am") == "tomorrow, 9:00 am"
    assert words.in_sentence("Fri 27 Nov") == "Fri 27 Nov"
    assert words.in_sentence("") == ""


def test_counts() -> None:
    assert words.count(1, "problem") == "1 problem"
    assert words.count(2, "fix") == "2 fixes"
    assert words.count(0, "reply") == "0 replies"
    assert words.count(3, "day") == "3 days"
    assert words.count(2, "person", "people") == "2 people"
    assert words.counts([(1, "problem"), (2, "fix")]) == "1 problem and 2 fixes"
    assert words.counts([(1, "call"), (0, "visit"), (3, "email"), (2, "apology", "apologies")]) == \
        "1 call, 3 emails and 2 apologies"
    assert words.counts([(0, "call")]) == ""
    assert words.join(["a"]) == "a"
    assert words.join([]) == ""


@pytest.mark.parametrize(("elapsed", "expected"), [
    (timedelta(seconds=59), "less than a minute"), (timedelta(minutes=1), "1 minute"),
    (timedelta(minutes=59, seconds=59), "59 minutes"), (timedelta(hours=1), "1 hour"),
    (timedelta(hours=23, minutes=59), "23 hours"), (timedelta(days=1), "1 day"), (timedelta(days=9), "9 days"),
])
def test_span(elapsed: timedelta, expected: str) -> None:
    assert words.span(elapsed) == expected


def test_names_do_not_depend_on_the_process_locale() -> None:
    before = locale.setlocale(locale.LC_TIME)
    for name in ("de_DE.UTF-8", "fr_FR.UTF-8", "C"):
        try:
            locale.setlocale(locale.LC_TIME, name)
        except locale.Error:
            continue
        try:
            assert words.preview(datetime(2026, 3, 20, 17), FRI) == "Friday 20 March, 5:00 pm"
        finally:
            locale.setlocale(locale.LC_TIME, before)


def test_every_word_goes_through_the_translation_hook(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(words, "_", lambda text: text.upper())
    assert words.preview(datetime(2026, 3, 14, 17), FRI) == "TOMORROW, SATURDAY 14 MARCH, 5:00 PM"
    assert words.counts([(1, "problem"), (2, "fix")]) == "1 PROBLEM AND 2 FIXES"
