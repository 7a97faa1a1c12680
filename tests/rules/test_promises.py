"""Promise states: every row and sentence of DUE-DATES.md's promise_status, as tables, plus properties.

The due-date phrases are tested in tests/rules/test_due_phrases.py.
"""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.rules.promises import (
    GRACE,
    STATUSES,
    broken_at,
    describe_status,
    effective_status,
    promise_status,
    renegotiation_allowed,
)

# A fixed moment: Monday 23 November 2026, 10:00.
MON = datetime(2026, 11, 23, 10, 0)


FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def at(month: int, day: int, hour: int = 17, minute: int = 0, year: int = 2026) -> datetime:
    """A due date; 17:00 unless told (a day without a time)."""
    return datetime(year, month, day, hour, minute)


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
# Words for a promise's state
# --------------------------------------------------------------------------------------------------

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


RANK = {"pending": 0, "due_today": 0, "overdue": 1, "broken": 2}


@FAST
@given(due=NOWS, first=st.timedeltas(min_value=timedelta(days=-5), max_value=timedelta(days=5)),
       later=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=5)))
def test_an_open_promise_only_moves_towards_broken(due: datetime, first: timedelta, later: timedelta) -> None:
    before = promise_status(due, None, due + first)
    after = promise_status(due, None, due + first + later)
    assert RANK[before] <= RANK[after]
    assert describe_status(after, due, due + first + later)
