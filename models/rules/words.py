"""Dates, times and counts in words: the one place Rapport says "Friday 20 March, 5:00 pm" or "2 fixes".

Standard library only, no clock (`now` / `today` are parameters) and no strftime: month and weekday
names are spelled out here, so the text never depends on the process locale. Every English word a
person reads passes through `_()`, a pass-through today, so a translation can be plugged in later
without touching the callers.

Shapes (DUE-DATES.md, "Wording"):

- `clock(t)`                       "5:00 pm", "12:00 pm" (noon), "12:00 am" (midnight)
- `short_date(day, today)`         "Fri 13 Mar"; "Fri 13 Mar 2028" more than a year ahead or in a past year
- `long_date(day, today)`          "Friday 20 March"; "Friday 20 March 2028" more than a year away
- `day_words(day, today)`          "Today", "Tomorrow", "Yesterday", else `short_date`
- `moment(when, now)`              "Today, 3:00 pm", "Fri 13 Mar, 9:30 am"
- `preview(when, now)`             "Tomorrow, Friday 20 March, 5:00 pm": weekday and date always in full
- `since(when, now)`               "yesterday 6:24 pm", "today 9:05 am", "Fri 13 Mar 6:24 pm" (inside a sentence)
- `in_sentence(words)`             "Yesterday, 7:55 pm" -> "yesterday, 7:55 pm" (dates stay as they are)
- `span(elapsed)`                  "3 hours", "1 day", "less than a minute"
- `count(n, "fix")`                "1 fix", "2 fixes"; `counts([(1, "problem"), (2, "fix")])` "1 problem and 2 fixes"
- `join(["a", "b", "c"])`          "a, b and c"
- `badge_words(72, "Green", "up")`  "72 Green ↑" (the impression badge in words: list, screen reader, CSV)
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta


def _(text: str) -> str:
    """The translation hook: returns `text` as it is until a translation is installed."""
    return text


MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_SHORT = 3  # "Mon", "Dec": the first three letters, as a desk diary writes them

# A date further ahead than this carries its year ("Fri 13 Mar 2028"), as does one in an earlier year.
YEAR_SHOWN_AFTER = timedelta(days=365)
_HOURS_ON_A_CLOCK_FACE = 12
_RELATIVE_DAYS = {0: "Today", 1: "Tomorrow", -1: "Yesterday"}


def weekday_name(day: date, *, short: bool = False) -> str:
    """ "Friday", or "Fri" when short."""
    name = _(WEEKDAY_NAMES[day.weekday()])
    return name[:_SHORT] if short else name


def month_name(month: int, *, short: bool = False) -> str:
    """ "March" for 3, or "Mar" when short."""
    name = _(MONTH_NAMES[month - 1])
    return name[:_SHORT] if short else name


def clock(moment: time | datetime) -> str:
    """The 12-hour clock receptionists say out loud: "9:05 am", "12:00 pm" for noon, "12:00 am" for midnight."""
    hour = moment.hour % _HOURS_ON_A_CLOCK_FACE or _HOURS_ON_A_CLOCK_FACE
    meridiem = _("pm") if moment.hour >= _HOURS_ON_A_CLOCK_FACE else _("am")
    return f"{hour}:{moment.minute:02d} {meridiem}"


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _needs_year(day: date, today: date) -> bool:
    """More than a year ahead, or in an earlier year (a past "Mon 1 Dec" would read as the coming one)."""
    return day - today > YEAR_SHOWN_AFTER or day.year < today.year


def short_date(day: date | datetime, today: date | datetime) -> str:
    """ "Fri 13 Mar", with the year when more than a year ahead or in an earlier year: "Fri 13 Mar 2028"."""
    day, today = _as_date(day), _as_date(today)
    text = f"{weekday_name(day, short=True)} {day.day} {month_name(day.month, short=True)}"
    return f"{text} {day.year}" if _needs_year(day, today) else text


def long_date(day: date | datetime, today: date | datetime) -> str:
    """ "Friday 20 March", with the year when more than a year ahead or in an earlier year."""
    day, today = _as_date(day), _as_date(today)
    text = f"{weekday_name(day)} {day.day} {month_name(day.month)}"
    return f"{text} {day.year}" if _needs_year(day, today) else text


def relative_day(day: date | datetime, today: date | datetime) -> str | None:
    """ "Today", "Tomorrow" or "Yesterday" when one of them is true, else None."""
    named = _RELATIVE_DAYS.get((_as_date(day) - _as_date(today)).days)
    return _(named) if named else None


def day_words(day: date | datetime, today: date | datetime) -> str:
    """ "Today", "Tomorrow", "Yesterday", else "Fri 13 Mar" (with the year where short_date puts it)."""
    return relative_day(day, today) or short_date(day, today)


def moment(when: datetime, now: datetime) -> str:
    """ "Today, 3:00 pm", "Fri 13 Mar, 9:30 am": a moment in a list or a card."""
    return f"{day_words(when, now)}, {clock(when)}"


def preview(when: datetime, now: datetime, *, with_time: bool = True) -> str:
    """What a due-date field understood, weekday and date in full: "Tomorrow, Friday 20 March, 5:00 pm".

    Without the time ("Monday 7 December") for a day that means its start, as the away dialog's "Back on".
    """
    full = f"{long_date(when, now)}, {clock(when)}" if with_time else long_date(when, now)
    named = relative_day(when, now)
    return f"{named}, {full}" if named else full


def in_sentence(words: str) -> str:
    """ "Yesterday, 7:55 pm" as it reads after other words: "Due yesterday, 7:55 pm" (dates stay as they are)."""
    for relative in _RELATIVE_DAYS.values():
        named = _(relative)
        if words.startswith(named):
            return named.lower() + words[len(named):]
    return words


def since(when: datetime, now: datetime) -> str:
    """A moment inside a sentence, day-aware: "yesterday 6:24 pm", "today 9:05 am", "Fri 13 Mar 6:24 pm"."""
    return in_sentence(f"{day_words(when, now)} {clock(when)}")


def count(number: int, singular: str, plural: str | None = None) -> str:
    """ "1 problem", "2 problems", "2 fixes", "0 replies": English plurals, or the one given."""
    if number == 1:
        return f"{number} {_(singular)}"
    return f"{number} {_(plural or _plural_of(singular))}"


def _plural_of(word: str) -> str:
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def join(items: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"; "" for nothing."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {_('and')} {items[-1]}"


def counts(pairs: Iterable[tuple[int, str] | tuple[int, str, str]], *, keep_zero: bool = False) -> str:
    """ "1 problem and 2 fixes" from [(1, "problem"), (2, "fix")]; zero counts are left out unless kept."""
    return join([count(*pair) for pair in pairs if keep_zero or pair[0]])


def span(elapsed: timedelta) -> str:
    """A length of time in its largest whole unit, rounded down: "3 hours", "1 day", "less than a minute"."""
    minutes = int(elapsed.total_seconds() // 60)
    if minutes < 1:
        return _("less than a minute")
    if minutes < 60:
        return count(minutes, "minute")
    if minutes < 24 * 60:
        return count(minutes // 60, "hour")
    return count(elapsed.days, "day")


TREND_ARROWS = {"up": "\u2191", "down": "\u2193", "flat": "\u2192"}


def badge_words(score: int | None, band: str, trend: str, flags: Iterable[str] = ()) -> str:
    """The impression badge in words: '72 Green ↑ New' (so it reads without colour, in a screen reader and in a
    CSV of the client list); empty while the score is being worked out."""
    if score is None:
        return ""
    parts = [str(score), _(band), TREND_ARROWS.get(trend, "")]
    parts += [_(flag.title()) for flag in flags]
    return " ".join(p for p in parts if p)
