"""How times and names read on screen: local time, short and plain."""
from __future__ import annotations

from datetime import datetime

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def local(value: datetime) -> datetime:
    """An aware UTC time from the store as this desk's local wall-clock time (naive)."""
    return value.astimezone().replace(tzinfo=None)


def clock(value: datetime) -> str:
    """'9:05 am' — the 12-hour clock receptionists say out loud."""
    hour = value.hour % 12 or 12
    return f"{hour}:{value.minute:02d} {'am' if value.hour < 12 else 'pm'}"


def day(value: datetime, now: datetime) -> str:
    """'Today', 'Yesterday', 'Tomorrow', 'Mon 16 Nov', or '3 Mar 2025' for another year (local, naive)."""
    delta = (value.date() - now.date()).days
    if delta == 0:
        return "Today"
    if delta == -1:
        return "Yesterday"
    if delta == 1:
        return "Tomorrow"
    if value.year != now.year:
        return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"
    return f"{_DAYS[value.weekday()]} {value.day} {_MONTHS[value.month - 1]}"


def when(value: datetime | None, now: datetime) -> str:
    """A stored (aware) time as 'Today, 9:05 am' in local time; '' for None. `now` is aware too."""
    if value is None:
        return ""
    mine, today = local(value), local(now)
    return f"{day(mine, today)}, {clock(mine)}"


def date_only(value: datetime | None, now: datetime) -> str:
    """A stored (aware) time as its local day only."""
    if value is None:
        return ""
    return day(local(value), local(now))


def in_sentence(words: str) -> str:
    """'Yesterday, 7:55 pm' as it reads after other words: 'Due yesterday, 7:55 pm' (dates stay as they are)."""
    for relative in ("Today", "Yesterday", "Tomorrow"):
        if words.startswith(relative):
            return relative.lower() + words[len(relative):]
    return words


def sort_key(value: datetime | None) -> float:
    return value.timestamp() if value is not None else float("-inf")
