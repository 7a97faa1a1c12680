"""How times read on screen: local time, short and plain. The words come from models/rules/words.py, the one
place dates and counts become words (ready for translation); this module only turns the store's aware UTC
times into this desk's local time first."""
from __future__ import annotations

from datetime import datetime

from models.rules import words


def local(value: datetime) -> datetime:
    """An aware UTC time from the store as this desk's local wall-clock time (naive)."""
    return value.astimezone().replace(tzinfo=None)


def clock(value: datetime) -> str:
    """'9:05 am' — the 12-hour clock receptionists say out loud."""
    return words.clock(value)


def day(value: datetime, now: datetime) -> str:
    """'Today', 'Yesterday', 'Tomorrow', 'Mon 16 Nov', with the year when more than a year away (local, naive)."""
    return words.day_words(value, now)


def day_month(value: datetime) -> str:
    """'3 Mar' (local, naive): a chart's axis."""
    return f"{value.day} {words.month_name(value.month, short=True)}"


def when(value: datetime | None, now: datetime) -> str:
    """A stored (aware) time as 'Today, 9:05 am' in local time; '' for None. `now` is aware too."""
    if value is None:
        return ""
    return words.moment(local(value), local(now))


def date_only(value: datetime | None, now: datetime) -> str:
    """A stored (aware) time as its local day only."""
    if value is None:
        return ""
    return day(local(value), local(now))


def in_sentence(text: str) -> str:
    """'Yesterday, 7:55 pm' as it reads after other words: 'Due yesterday, 7:55 pm' (dates stay as they are)."""
    return words.in_sentence(text)


def sort_key(value: datetime | None) -> float:
    return value.timestamp() if value is not None else float("-inf")
