"""Due dates as people say them: "fri 4pm", "tomorrow 2:00", "8th of May", "end of next week".

The exact rules are in DUE-DATES.md (the later word). Everything here works in naive local time and
takes `now` as a parameter; no function here raises, whatever it is given.

    parse_due(text, now)        the one moment the text means, or None (not understood, or ambiguous)
    due_choices(text, now)      two or more moments, earliest first, when the text is ambiguous, else ()
    due_phrase_hint(text, now)  the sentence under the field: the moment in words, the question, or why not
    describe_due(due, now)      "Tomorrow, Friday 20 March, 5:00 pm" (models/rules/words.py)
    due_notes(due)              "That is a Saturday." / "That is after 5:00 pm, when the office has closed."

How it reads. `_lex` turns the text into words, numbers and symbols. The phrase is a sequence of
parts, each read by one `_read_*` function at a position (returning the part and the position after
it, or None): a *day*, a *time*, a *part of the day* ("morning"), or an exact *offset* ("in 2 hours").
`_combine` then puts the parts together by the rules of DUE-DATES.md ("Combining"), and either finds
one moment, several (the phrase is ambiguous: the form asks), or a reason it cannot (the hint):

    due     := lead* part+                       lead := by | on | before | due | until | till | back
    part    := offset | ["on"] day | ["at"] time | part-of-day
    day     := named-day | [this|coming|next] weekday | weekday [of] next week | the following weekday
               | in count day-unit [time] | count day-unit from now | yyyy-mm-dd
               | daynum month [yyyy] | month daynum [yyyy] | [the] daynum-ordinal [of month]
    time    := noon | 12 noon | midday | midnight | eod | hour [(:|.) mm] [am|pm] | hh:mm
    part-of-day := [this|in the|at] (morning | afternoon | evening | night | tonight)
    offset  := in count minute-or-hour-unit | count minute-or-hour-unit from now | in half an hour
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import MAXYEAR, MINYEAR, date, datetime, time, timedelta

from models.rules import words
from models.rules.words import MONTH_NAMES, WEEKDAY_NAMES, _

# --------------------------------------------------------------------------------------------------
# Settings and fixed numbers (DUE-DATES.md: only the end of the day is a setting)
# --------------------------------------------------------------------------------------------------

DEFAULT_DUE_TIME = time(17, 0)  # "a day without a time means 17:00 that day" unless the office says otherwise
OFFICE_OPENS = time(9, 0)  # office hours (the office's settings): a due time outside them is pointed out,
OFFICE_CLOSES = time(17, 0)  # never refused
PARTS_OF_THE_DAY: dict[str, time] = {  # a part of the day is a deadline: its end
    "morning": time(12, 0), "afternoon": time(17, 0), "evening": time(20, 0),
    "night": time(21, 0), "tonight": time(21, 0),
}
_MORNING = frozenset({"morning"})  # a clock hour said with one of these is am; with the others, pm
_NAMED_TIMES: dict[str, time] = {"noon": time(12, 0), "midday": time(12, 0)}
_MIDNIGHT = "midnight"
# Office hours for a colon time without am/pm: 1:00-6:59 is the afternoon, 7:00-11:59 the morning.
_AFTERNOON_HOURS = range(1, 7)
_HOURS_ON_A_CLOCK_FACE = 12
MAX_PHRASE_LENGTH = 200  # the longest phrase of the grammar is well under 60 characters

# --------------------------------------------------------------------------------------------------
# Sentences (what the form says under the field, and asks before saving)
# --------------------------------------------------------------------------------------------------

EMPTY_HINT = "Type a due date, for example: tomorrow 3pm, fri, in 2 days, 1 Dec."
NOT_UNDERSTOOD_HINT = ("Rapport did not understand that date. "
                       "Try: tomorrow 3pm, fri, in 2 days, 1 Dec, 2026-12-01.")
NUMERIC_DATE_HINT = "{text} could be {first} or {second}: write the month as a word ({first}) or use {iso}."
NUMERIC_ONE_READING_HINT = "Write the month as a word ({first}) or use {iso}."
BARE_HOUR_HINT = "Add am or pm (3pm) or use 24-hour time (15:00)."
IMPOSSIBLE_DATE_HINT = "There is no {date}."
PICK_ONE = "Pick one below."
NEXT_WEEKDAY_QUESTION = "This {weekday} or the one after? " + PICK_ONE
TODAY_WEEKDAY_QUESTION = "Today is {weekday}: today, or {weekday} next week? " + PICK_ONE
MIDNIGHT_QUESTION = "{before} or {after}? " + PICK_ONE
WEEKDAY_MISMATCH_QUESTION = "{date} is a {actual}, not a {said}. " + PICK_ONE
PAST_QUESTION = "That time has already passed. Save it anyway?"
FAR_AHEAD_QUESTION = "That is more than two years away. Is the date right?"
FAR_AHEAD_YEARS = 2
WEEKEND_NOTE = "That is a {weekday}."
AFTER_HOURS_NOTE = "That is after {closes}, when the office has closed."
BEFORE_HOURS_NOTE = "That is before {opens}, when the office opens."

# --------------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------------

_MONTHS: dict[str, int] = {
    **{name.lower(): number for number, name in enumerate(MONTH_NAMES, start=1)},
    **{name[:3].lower(): number for number, name in enumerate(MONTH_NAMES, start=1)},
    "sept": 9,
}
_WEEKDAYS: dict[str, int] = {
    **{name.lower(): number for number, name in enumerate(WEEKDAY_NAMES)},
    **{name[:3].lower(): number for number, name in enumerate(WEEKDAY_NAMES)},
    "tues": 1, "thur": 3, "thurs": 3, "weds": 2,
}
_LEADING_WORDS = frozenset({"by", "on", "before", "due", "until", "till", "back"})  # "back on monday" (away)
_COUNT_WORDS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}
_DAY_UNITS: dict[str, int] = {"day": 1, "days": 1, "week": 7, "weeks": 7, "fortnight": 14, "fortnights": 14}
_MONTH_UNITS = frozenset({"month", "months"})
_DURATION_UNITS: dict[str, timedelta] = {
    unit: timedelta(minutes=1) for unit in ("minute", "minutes", "min", "mins")
} | {unit: timedelta(hours=1) for unit in ("hour", "hours", "hr", "hrs", "h")}
_FROM_NOW = (("from", "now"), ("from", "today"), ("hence",))
_MERIDIEMS = frozenset({"am", "pm"})
_ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th"})
_A_LEAP_YEAR = 2000  # which days can exist in a month at all: 29 Feb can, 31 Apr cannot

_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")
_DIGITS = frozenset("0123456789")
_SYMBOLS = frozenset(":.-/")
_CONTROL_CHARACTERS = frozenset(map(chr, [*range(0x00, 0x20), *range(0x7F, 0xA0)])) - {"\t", "\n", "\r"}
_DOTTED_MERIDIEM = re.compile(r"(?<![a-z])([ap])\s?\.\s?m\b\.?")  # "3 p.m.", "9 a. m."
_APOSTROPHES = ("'", "\u2019")  # "in 3 weeks' time", "5 o'clock"


class _NotUnderstood(Exception):
    """The text is not one due date; `hint` is the sentence the form shows, `choices` what it offers."""

    def __init__(self, hint: str = NOT_UNDERSTOOD_HINT, choices: tuple[datetime, ...] = ()) -> None:
        super().__init__(hint)
        self.hint = hint
        self.choices = choices


# --------------------------------------------------------------------------------------------------
# Tokens
# --------------------------------------------------------------------------------------------------

_WORD, _NUMBER, _SYMBOL = "word", "number", "symbol"


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    glued: bool  # written right after the previous token: "3:30", "1st", "2026-12-01"


class _Tokens:
    """The tokens, with lookups that answer None past the end: the grammar reads without bounds checks."""

    def __init__(self, tokens: list[_Token]) -> None:
        self.items = tokens

    def __len__(self) -> int:
        return len(self.items)

    def word(self, i: int) -> str | None:
        return self._text(i, _WORD)

    def number(self, i: int, *, max_digits: int | None = None, glued: bool = False) -> int | None:
        text = self._text(i, _NUMBER)
        if text is None or (max_digits is not None and len(text) > max_digits):
            return None
        if glued and not self.items[i].glued:
            return None
        return int(text)

    def digits(self, i: int) -> str:
        return self._text(i, _NUMBER) or ""

    def symbol(self, i: int, allowed: str) -> str | None:
        text = self._text(i, _SYMBOL)
        return text if text is not None and text in allowed and self.items[i].glued else None

    def glued(self, i: int) -> bool:
        return 0 <= i < len(self.items) and self.items[i].glued

    def phrase(self, i: int, wanted: tuple[str, ...]) -> bool:
        return all(self.word(i + k) == w for k, w in enumerate(wanted))

    def source(self, start: int, end: int) -> str:
        return "".join(("" if k == start or t.glued else " ") + t.text
                       for k, t in enumerate(self.items[start:end], start=start))

    def _text(self, i: int, kind: str) -> str | None:
        if 0 <= i < len(self.items) and self.items[i].kind == kind:
            return self.items[i].text
        return None


def _normalise(text: str) -> str:
    """Lower-case, trimmed, dotted a.m./p.m. folded, apostrophes and commas dropped, no trailing `.`."""
    if not isinstance(text, str) or len(text) > MAX_PHRASE_LENGTH or not _CONTROL_CHARACTERS.isdisjoint(text):
        raise _NotUnderstood()
    text = _DOTTED_MERIDIEM.sub(r"\1m", text.strip().lower())
    for apostrophe in _APOSTROPHES:
        text = text.replace(apostrophe, "")
    text = text.replace(",", " ").replace("@", " at ").strip()  # "Fri, Jul 18", "@ 3pm"
    while text.endswith("."):
        text = text[:-1].rstrip()
    return text


def _lex(text: str) -> _Tokens:
    tokens: list[_Token] = []
    glued = False
    i = 0
    while i < len(text):
        char = text[i]
        if char.isspace():
            glued = False
            i += 1
            continue
        if char in _SYMBOLS:
            end, kind = i + 1, _SYMBOL
        elif char in _LETTERS or char in _DIGITS:
            alphabet = _LETTERS if char in _LETTERS else _DIGITS
            kind = _WORD if alphabet is _LETTERS else _NUMBER
            end = i
            while end < len(text) and text[end] in alphabet:
                end += 1
        else:
            raise _NotUnderstood()
        tokens.append(_Token(kind, text[i:end], glued))
        glued = True
        i = end
    return _Tokens(tokens)


# --------------------------------------------------------------------------------------------------
# Parts of a phrase
# --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Day:
    """A day read from the text. `kind` says how it may combine and whether it may be ambiguous:

    "day"       a plain day (today, tomorrow, in 2 days, end of month)
    "weekday"   `fri` / `this fri`: the first such day after today; asks when it names today
    "next"      `next fri`: asks when the coming one is in the current week
    "coming"    `this coming fri`: the first such day after today, never asks
    "date"      a calendar date (1 Dec, the 15th, 2026-12-01): a weekday beside it must agree
    "next_week" `next week`: a weekday beside it picks that day of next week
    """
    day: date
    kind: str = "day"
    weekday: int | None = None


@dataclass(frozen=True)
class _Clock:
    """A time read from the text, before office hours or a part of the day decide its half of the day.

    `exact` times (am/pm, 24-hour, a leading zero, noon) stand as written; `colon` times (5:30) follow
    office hours; `bare` hours (3, 9.30) only stand beside a part of the day ("8 tonight").
    """
    hour: int
    minute: int = 0
    kind: str = "exact"


@dataclass
class _Parts:
    days: list[_Day] = field(default_factory=list)
    clock: _Clock | None = None
    midnight: bool = False
    end_of_day: bool = False  # eod, cob, close of business: the office's end of the day
    part_of_day: str | None = None
    today_implied: bool = False  # "tonight", "this afternoon": today, even once it has passed
    offset: timedelta | None = None
    count: int = 0  # how many time-like parts were read (a second one is refused)


_Read = tuple[object, int] | None


def _first_weekday_after(today: date, weekday: int) -> date:
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def _monday_after(today: date) -> date:
    return today + timedelta(days=7 - today.weekday())


def _friday_on_or_after(today: date) -> date:
    return today + timedelta(days=(calendar.FRIDAY - today.weekday()) % 7)


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _add_months(day: date, months: int) -> date:
    """The same day `months` later; a day past the month's end is its last day (31 Jan + 1 = 28 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _with_optional_the(*phrases: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Each phrase, and the same with "the" before it and after its "of": "the end of the month"."""
    out: list[tuple[str, ...]] = []
    for phrase in phrases:
        inner = [phrase]
        if "of" in phrase:
            k = phrase.index("of") + 1
            inner.append(phrase[:k] + ("the",) + phrase[k:])
        out += inner + [("the", *p) for p in inner]
    return out


_NAMED_DAYS: list[tuple[tuple[str, ...], object]] = [
    *[(p, lambda t: t + timedelta(days=2)) for p in _with_optional_the(("day", "after", "tomorrow"))],
    *[(p, lambda t: t) for p in [("today",)]],
    *[(p, lambda t: t + timedelta(days=1)) for p in [("tomorrow",), ("tmrw",), ("tmr",), ("tom",), ("tomoz",)]],
    *[(p, lambda t: _month_end(_add_months(t, 1))) for p in _with_optional_the(("end", "of", "next", "month"))],
    *[(p, _month_end) for p in [*_with_optional_the(("end", "of", "month"), ("end", "of", "this", "month")),
                                ("eom",)]],
    *[(p, lambda t: _monday_after(t) + timedelta(days=calendar.FRIDAY))
      for p in _with_optional_the(("end", "of", "next", "week"))],
    *[(p, _friday_on_or_after) for p in [*_with_optional_the(("end", "of", "week"), ("end", "of", "this", "week")),
                                         ("eow",)]],
]
_END_OF_DAY = [*_with_optional_the(("end", "of", "day"), ("end", "of", "the", "day"), ("close", "of", "business"),
                                   ("end", "of", "business")),
               ("eod",), ("cob",), ("eob",)]
_END_OF_DAY.sort(key=len, reverse=True)
_NAMED_DAYS.sort(key=lambda item: len(item[0]), reverse=True)


def _read_named_day(tokens: _Tokens, i: int, today: date) -> _Read:
    for phrase, day_of in _NAMED_DAYS:
        if tokens.phrase(i, phrase):
            return _Day(day_of(today)), i + len(phrase)  # type: ignore[operator]
    if tokens.phrase(i, ("next", "week")):
        return _Day(_monday_after(today), "next_week"), i + 2
    return None


def _read_weekday(tokens: _Tokens, i: int, today: date) -> _Read:
    """[this|coming|this coming|next] weekday, "the following friday", "friday of next week"."""
    kind, j = "weekday", i
    if tokens.phrase(i, ("this", "coming")):
        kind, j = "coming", i + 2
    elif tokens.word(i) == "coming":
        kind, j = "coming", i + 1
    elif tokens.word(i) == "this":
        j = i + 1
    elif tokens.word(i) == "next":
        kind, j = "next", i + 1
    elif tokens.phrase(i, ("the", "following")) or tokens.word(i) == "following":
        kind, j = "following", i + (2 if tokens.word(i) == "the" else 1)
    weekday = _WEEKDAYS.get(tokens.word(j) or "")
    if weekday is None:
        return None
    j += 1
    if kind == "following":
        return _Day(_monday_after(today) + timedelta(days=weekday), "day"), j
    if kind in ("weekday", "coming") and tokens.phrase(j, ("of", "next", "week")):
        return _Day(_monday_after(today) + timedelta(days=weekday), "day"), j + 3
    return _Day(_first_weekday_after(today, weekday), kind, weekday), j


def _read_count(tokens: _Tokens, i: int) -> tuple[int, int] | None:
    count = tokens.number(i, max_digits=6)
    if count is None:
        count = _COUNT_WORDS.get(tokens.word(i) or "")
    return (count, i + 1) if count else None


def _read_counted(tokens: _Tokens, i: int) -> tuple[int, str, int, bool] | None:
    """ "in" count unit ["time"], or count unit "from now": (count, unit, position after, ok)."""
    leading_in = tokens.word(i) == "in"
    start = i + 1 if leading_in else i
    counted = _read_count(tokens, start)
    if counted is None:
        return None
    count, j = counted
    unit = tokens.word(j)
    if unit is None:
        return None
    j += 1
    if leading_in:
        if tokens.word(j) == "time":  # "in three weeks time"
            j += 1
        return count, unit, j, True
    for phrase in _FROM_NOW:
        if tokens.phrase(j, phrase):
            return count, unit, j + len(phrase), True
    return None


def _read_days_ahead(tokens: _Tokens, i: int, today: date) -> _Read:
    read = _read_counted(tokens, i)
    if read is None:
        return None
    count, unit, j, _ok = read
    if unit in _DAY_UNITS:
        return _Day(today + timedelta(days=count * _DAY_UNITS[unit])), j
    if unit in _MONTH_UNITS:
        return _Day(_add_months(today, count)), j
    return None


def _read_offset(tokens: _Tokens, i: int) -> tuple[timedelta, int] | None:
    if tokens.phrase(i, ("in", "half", "an", "hour")):
        return timedelta(minutes=30), i + 4
    read = _read_counted(tokens, i)
    if read is None or read[1] not in _DURATION_UNITS:
        return None
    count, unit, j, _ok = read
    return count * _DURATION_UNITS[unit], j


def _impossible(day: int, month: int, year: int | None = None) -> _NotUnderstood:
    written = f"{day} {MONTH_NAMES[month - 1]}" + (f" {year}" if year else "")
    return _NotUnderstood(_(IMPOSSIBLE_DATE_HINT).format(date=written))


def _read_iso_date(tokens: _Tokens, i: int, today: date) -> _Read:
    if len(tokens.digits(i)) != 4 or not tokens.symbol(i + 1, "-"):
        return None
    year = tokens.number(i)
    month = tokens.number(i + 2, max_digits=2, glued=True)
    day = tokens.number(i + 4, max_digits=2, glued=True)
    if year is None or month is None or day is None or not tokens.symbol(i + 3, "-"):
        return None
    if not MINYEAR <= year or not 1 <= month <= 12:
        raise _NotUnderstood()
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise _impossible(day, month, year)
    return _Day(date(year, month, day), "date"), i + 5


def _read_day_number(tokens: _Tokens, i: int) -> tuple[int, int, bool] | None:
    """A day of the month: "1" or "1st" as (day, position after, had an ordinal suffix).

    A number that is really a time ("3pm", "3:30", "9.30") is not a day.
    """
    day = tokens.number(i, max_digits=2)
    if day is None:
        return None
    if tokens.word(i + 1) in _ORDINAL_SUFFIXES and tokens.glued(i + 1):
        return day, i + 2, True
    if tokens.word(i + 1) in _MERIDIEMS or tokens.symbol(i + 1, ":."):
        return None
    return day, i + 1, False


def _read_year(tokens: _Tokens, i: int) -> tuple[int | None, int]:
    """An optional 4-digit year after a day and month: "1 Dec 2026", "Dec 1, 2026"."""
    if len(tokens.digits(i)) == 4 and not tokens.symbol(i + 1, ":.-/"):
        return tokens.number(i), i + 1
    return None, i


def _read_month_day(tokens: _Tokens, i: int, today: date) -> _Read:
    """ "1 Dec", "1st of dec", "Dec 1", "dec 1st", "the 15th", "on the 8th of May", with an optional year."""
    had_the = tokens.word(i) == "the"
    j = i + 1 if had_the else i
    month = None if had_the else _MONTHS.get(tokens.word(j) or "")
    if month is not None:  # month first: "dec 1st", "dec the 1st"
        j += 2 if tokens.word(j + 1) == "the" else 1
        read = _read_day_number(tokens, j)
        if read is None:
            return None
        day, j, _suffix = read
    else:  # day first: "1 dec", "8th of may", "the 15th"
        read = _read_day_number(tokens, j)
        if read is None:
            return None
        day, j, suffix = read
        k = j + 1 if tokens.word(j) == "of" else j
        month = _MONTHS.get(tokens.word(k) or "")
        if month is None:
            if not (suffix or had_the):  # a plain number is an hour, not a day
                return None
            return _Day(_next_day_of_month(today, day), "date"), j
        j = k + 1
    year, j = _read_year(tokens, j)
    if year is not None:
        if not MINYEAR <= year or not 1 <= day <= calendar.monthrange(year, month)[1]:
            raise _impossible(day, month, year)
        return _Day(date(year, month, day), "date"), j
    return _Day(_next_date(today, month, day), "date"), j


def _next_date(today: date, month: int, day: int) -> date:
    """The first `day month` on or after today; 29 Feb waits for a leap year; 31 Apr is impossible."""
    if not 1 <= day <= calendar.monthrange(_A_LEAP_YEAR, month)[1]:
        raise _impossible(day, month)
    for year in range(today.year, min(today.year + 8, MAXYEAR + 1)):
        if day <= calendar.monthrange(year, month)[1] and date(year, month, day) >= today:
            return date(year, month, day)
    raise _NotUnderstood()


def _next_day_of_month(today: date, day: int) -> date:
    """ "the 15th": the next 15th on or after today; "the 31st" in April is 31 May."""
    if not 1 <= day <= 31:
        raise _NotUnderstood()
    first = today.replace(day=1)
    for months in range(13):
        month = _add_months(first, months)
        if day <= calendar.monthrange(month.year, month.month)[1] and month.replace(day=day) >= today:
            return month.replace(day=day)
    raise _NotUnderstood()


_DAY_READERS = (_read_named_day, _read_weekday, _read_days_ahead, _read_iso_date, _read_month_day)


def _read_day(tokens: _Tokens, i: int, today: date) -> _Read:
    for reader in _DAY_READERS:
        read = reader(tokens, i, today)
        if read is not None:
            return read
    return None


def _read_clock(tokens: _Tokens, i: int) -> tuple[_Clock, int] | None:
    """3pm, 3 pm, 3:30pm, 3.30pm, 12am, 15:00, 9:30, 06:30, or a bare hour (3, 9.30) for a part of the day."""
    digits = tokens.digits(i)
    if not 1 <= len(digits) <= 2:
        return None
    hour, j, minute, separator = int(digits), i + 1, 0, None
    minutes = tokens.digits(j + 1)
    if tokens.symbol(j, ":.") and len(minutes) == 2 and tokens.glued(j + 1):
        separator, minute, j = tokens.items[j].text, int(minutes), j + 2
    if minute >= 60:
        return None
    if separator is None and tokens.word(j) == "oclock":  # "3 o'clock" (the apostrophe is gone by now)
        j += 1
    meridiem = tokens.word(j)
    if meridiem in _MERIDIEMS:
        if not 1 <= hour <= _HOURS_ON_A_CLOCK_FACE:
            return None
        hour = hour % _HOURS_ON_A_CLOCK_FACE + (_HOURS_ON_A_CLOCK_FACE if meridiem == "pm" else 0)
        return _Clock(hour, minute), j + 1
    if hour == 12 and tokens.word(j) == "noon":  # "12 noon"
        return _Clock(12, minute), j + 1
    if separator == ":" and hour < 24:
        written_as_is = hour == 0 or hour >= 13 or digits.startswith("0")
        return _Clock(hour, minute, "exact" if written_as_is else "colon"), j
    if hour <= 24:
        return _Clock(hour, minute, "bare"), j
    return None


def _read_part_of_day(tokens: _Tokens, i: int) -> tuple[str, bool, int] | None:
    """[this|in the|at] morning|afternoon|evening|night, tonight: (name, means today, position after)."""
    if tokens.word(i) == "tonight":
        return "tonight", True, i + 1
    for lead, today in ((("this",), True), (("in", "the"), False), (("at",), False), ((), False)):
        name = tokens.word(i + len(lead))
        if tokens.phrase(i, lead) and name in PARTS_OF_THE_DAY and (lead != ("at",) or name == "night"):
            return name, today, i + len(lead) + 1  # type: ignore[return-value]
    return None


def _read_time_word(tokens: _Tokens, i: int) -> tuple[str, int] | None:
    """noon, midday, midnight, eod and its synonyms."""
    for phrase in _END_OF_DAY:
        if tokens.phrase(i, phrase):
            return "eod", i + len(phrase)
    word = tokens.word(i)
    if word in _NAMED_TIMES or word == _MIDNIGHT:
        return word, i + 1  # type: ignore[return-value]
    if tokens.digits(i) == "12" and tokens.word(i + 1) == _MIDNIGHT:
        return _MIDNIGHT, i + 2
    return None


# --------------------------------------------------------------------------------------------------
# Why a phrase failed, for the hint
# --------------------------------------------------------------------------------------------------

def _numeric_date(tokens: _Tokens, i: int) -> tuple[int, list[int]] | None:
    """End and numbers of a numeric date at i ("1/12", "1-12", "1.12.2026"), or None.

    Two numbers joined by a dot ("9.30") are a time missing its am/pm, the way "3.30pm" is written.
    """
    numbers = [tokens.number(i, max_digits=4)]
    end = i + 1
    while tokens.symbol(end, "/-.") and tokens.number(end + 1, max_digits=4, glued=True) is not None:
        numbers.append(tokens.number(end + 1))
        end += 2
    if numbers[0] is None or len(numbers) == 1 or len(numbers) > 3:
        return None
    if len(numbers) == 2 and tokens.items[i + 1].text == ".":
        return None
    return end, [n for n in numbers if n is not None]


def _numeric_hint(text: str, numbers: list[int], today: date) -> str:
    """What a numeric date could be: both readings when both exist, else the one, never a wrong one."""
    first, second = numbers[0], numbers[1]
    year = numbers[2] if len(numbers) == 3 else None
    if year is not None and year < 100:
        year += 2000
    readings: list[date] = []
    for day, month in ((first, second), (second, first)):
        if 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year or _A_LEAP_YEAR, month)[1]:
            try:
                found = date(year, month, day) if year else _next_date(today, month, day)
            except (_NotUnderstood, ValueError):
                continue
            if found not in readings:
                readings.append(found)
    if not readings:
        return _(NOT_UNDERSTOOD_HINT)

    def said(day: date) -> str:
        return f"{day.day} {words.month_name(day.month, short=True)}" + (f" {day.year}" if year else "")

    if len(readings) == 1:
        return _(NUMERIC_ONE_READING_HINT).format(first=said(readings[0]), iso=readings[0].isoformat())
    return _(NUMERIC_DATE_HINT).format(text=text, first=said(readings[0]), second=said(readings[1]),
                                       iso=readings[0].isoformat())


def _diagnose(tokens: _Tokens, i: int, today: date) -> _NotUnderstood:
    numeric = _numeric_date(tokens, i)
    if numeric is not None:
        end, numbers = numeric
        return _NotUnderstood(_numeric_hint(tokens.source(i, end), numbers, today))
    return _NotUnderstood()


# --------------------------------------------------------------------------------------------------
# Reading a whole phrase
# --------------------------------------------------------------------------------------------------

def _read_part(tokens: _Tokens, i: int, today: date, parts: _Parts) -> int:
    """Read one part at i into `parts`; returns the position after it."""
    offset = _read_offset(tokens, i)
    if offset is not None:
        if parts.offset is not None:
            raise _NotUnderstood()
        parts.offset = offset[0]
        return offset[1]
    start = i + 1 if tokens.word(i) == "on" else i
    day = _read_day(tokens, start, today)
    if day is not None:
        parts.days.append(day[0])  # type: ignore[arg-type]
        return day[1]
    part = _read_part_of_day(tokens, i)
    if part is not None:
        if parts.part_of_day is not None:
            raise _NotUnderstood()
        parts.part_of_day, implied, end = part
        parts.today_implied = parts.today_implied or implied
        return end
    start = i + 1 if tokens.word(i) == "at" else i
    named = _read_time_word(tokens, start)
    if named is not None:
        word, end = named
        parts.count += 1
        if word == "eod":
            parts.end_of_day = True
        elif word == _MIDNIGHT:
            parts.midnight = True
        else:
            parts.clock = _Clock(_NAMED_TIMES[word].hour)
        return end
    clock = _read_clock(tokens, start)
    if clock is not None and _numeric_date(tokens, start) is None:
        parts.count += 1
        parts.clock = clock[0]
        return clock[1]
    raise _diagnose(tokens, start, today)


def _resolve_clock(clock: _Clock, part: str | None) -> time:
    """The clock time, its half of the day decided by the part of the day, else by office hours."""
    hour = clock.hour
    if part is not None:
        morning = part in _MORNING
        if clock.kind == "exact":
            if (hour < _HOURS_ON_A_CLOCK_FACE) != morning and not (hour == 12 and part == "afternoon"):
                raise _NotUnderstood()  # "9pm in the morning"
            return time(hour, clock.minute)
        if not 1 <= hour <= _HOURS_ON_A_CLOCK_FACE or (hour == 12 and part != "afternoon"):
            raise _NotUnderstood()  # "12 tonight", "15 in the morning": say it another way
        if morning:
            return time(hour, clock.minute)
        return time(hour % _HOURS_ON_A_CLOCK_FACE + _HOURS_ON_A_CLOCK_FACE, clock.minute)
    if clock.kind == "bare":
        raise _NotUnderstood(_(BARE_HOUR_HINT))
    if clock.kind == "colon" and hour in _AFTERNOON_HOURS:
        return time(hour + _HOURS_ON_A_CLOCK_FACE, clock.minute)
    if hour == 24:
        raise _NotUnderstood()
    return time(hour, clock.minute)


def _merge_days(days: list[_Day], today: date) -> _Day | None:
    """One day from the days read: a weekday beside a date must agree; beside `next week`, it picks a day."""
    if not days:
        return None
    if len(days) == 1:
        return days[0]
    if len(days) > 2:
        raise _NotUnderstood()
    weekdays = [d for d in days if d.kind in ("weekday", "coming") and d.weekday is not None]
    others = [d for d in days if d not in weekdays or len(weekdays) == 2]
    if len(weekdays) != 1 or len(others) != 1:
        raise _NotUnderstood()
    weekday, other = weekdays[0].weekday, others[0]
    assert weekday is not None
    if other.kind == "next_week":
        return _Day(_monday_after(today) + timedelta(days=weekday))
    if other.kind != "date":
        raise _NotUnderstood()
    if other.day.weekday() == weekday:
        return _Day(other.day, "date")
    return _Day(other.day, "mismatch", weekday)


def _nearest_weekday(day: date, weekday: int) -> date:
    shift = (weekday - day.weekday()) % 7
    return day + timedelta(days=shift if shift <= 3 else shift - 7)


@dataclass(frozen=True)
class _Reading:
    """What a phrase means: one moment, or several to choose from (with the question)."""
    moment: datetime | None = None
    choices: tuple[datetime, ...] = ()


def _combine(parts: _Parts, now: datetime, day_ends: time) -> _Reading:
    today = now.date()
    if parts.offset is not None:
        if parts.days or parts.count or parts.part_of_day:
            raise _NotUnderstood()  # no time may be added to an exact offset
        return _Reading(now + parts.offset)
    if parts.count > (2 if parts.end_of_day else 1):
        raise _NotUnderstood()
    if parts.end_of_day and (parts.clock is not None or parts.midnight):
        if parts.days:  # "eod fri 3pm": two different times for one day
            raise _NotUnderstood()
        parts.end_of_day = False  # "close of business at 12:30": the day it names is today
        parts.count -= 1
        parts.days.append(_Day(today))
    day = _merge_days(parts.days, today)
    if day is None and (parts.today_implied or parts.end_of_day):
        day = _Day(today)
    if parts.midnight:
        return _midnight(day, parts, now)
    if parts.end_of_day and parts.part_of_day:
        raise _NotUnderstood()
    if parts.clock is not None:
        at = _resolve_clock(parts.clock, parts.part_of_day)
    elif parts.part_of_day is not None:
        at = PARTS_OF_THE_DAY[parts.part_of_day]
    else:
        at = day_ends
    if day is None:  # a time alone: today if still ahead, else tomorrow
        candidate = datetime.combine(today, at)
        return _Reading(candidate if candidate > now else candidate + timedelta(days=1))
    return _day_at(day, at, now)


def _day_at(day: _Day, at: time, now: datetime) -> _Reading:
    moment = datetime.combine(day.day, at)
    today = now.date()
    if day.kind == "weekday" and day.weekday == today.weekday():
        this_one = datetime.combine(today, at)
        if this_one > now:  # "fri 4pm" typed on Friday morning
            raise _NotUnderstood(_(TODAY_WEEKDAY_QUESTION).format(weekday=words.weekday_name(today)),
                                 (this_one, moment))
        return _Reading(moment)
    if day.kind == "next" and day.day < _monday_after(today):
        later = moment + timedelta(days=7)
        raise _NotUnderstood(_(NEXT_WEEKDAY_QUESTION).format(weekday=words.weekday_name(day.day)),
                             (moment, later))
    if day.kind == "mismatch":
        assert day.weekday is not None
        other = datetime.combine(_nearest_weekday(day.day, day.weekday), at)
        question = _(WEEKDAY_MISMATCH_QUESTION).format(
            date=f"{day.day.day} {words.month_name(day.day.month)}", actual=words.weekday_name(day.day),
            said=_(WEEKDAY_NAMES[day.weekday]))
        raise _NotUnderstood(question, tuple(sorted((moment, other))))
    return _Reading(moment)


def _midnight(day: _Day | None, parts: _Parts, now: datetime) -> _Reading:
    """Midnight alone is the coming one; with a day it could start or end that day: ask."""
    if parts.clock is not None or parts.end_of_day:
        raise _NotUnderstood()
    if parts.part_of_day not in (None, "tonight", "night"):
        raise _NotUnderstood()
    if day is None or parts.today_implied and len(parts.days) == 0:  # "midnight", "midnight tonight"
        return _Reading(datetime.combine(now.date() + timedelta(days=1), time(0)))
    start = datetime.combine(day.day, time(0))
    end = start + timedelta(days=1)
    after = _night_of(start.date(), now.date())
    if start.date() - now.date() <= timedelta(days=1):  # "tonight", "tomorrow night" inside the sentence
        after = after[0].lower() + after[1:]
    question = _(MIDNIGHT_QUESTION).format(before=_night_of(start.date() - timedelta(days=1), now.date()),
                                           after=after)
    raise _NotUnderstood(question, (start, end))


def _night_of(day: date, today: date) -> str:
    named = {-1: "Last night", 0: "Tonight", 1: "Tomorrow night"}.get((day - today).days)
    return _(named) if named else f"{words.weekday_name(day)} {_('night')}"


def _understand(text: str, now: datetime, day_ends: time) -> _Reading:
    tokens = _lex(_normalise(text))
    if not len(tokens):
        raise _NotUnderstood(_(EMPTY_HINT))
    i = 0
    while tokens.word(i) in _LEADING_WORDS and i + 1 < len(tokens):
        i += 1
    if tokens.word(i) in _LEADING_WORDS and tokens.word(i) != "on":
        raise _NotUnderstood()
    parts = _Parts()
    while i < len(tokens):
        i = _read_part(tokens, i, now.date(), parts)
    if not (parts.days or parts.count or parts.part_of_day or parts.offset is not None):
        raise _NotUnderstood()
    return _combine(parts, now, day_ends)


def _reading(text: str, now: datetime, day_ends: time) -> _Reading | _NotUnderstood:
    """The reading, or the reason there is none. Nothing escapes: a date past the calendar is not a date."""
    try:
        return _understand(text, now, day_ends)
    except _NotUnderstood as reason:
        return reason
    except (ValueError, OverflowError, TypeError, AttributeError):
        return _NotUnderstood()


# --------------------------------------------------------------------------------------------------
# The public functions
# --------------------------------------------------------------------------------------------------

def parse_due(text: str, now: datetime, *, day_ends: time = DEFAULT_DUE_TIME) -> datetime | None:
    """The naive local moment a due-date phrase means at `now`, or None (not understood, or ambiguous).

    `day_ends` is what a day without a time means (the office's setting, 17:00 by default; the away
    dialog passes 00:00, "back on monday" being the day's start). Never raises.
    """
    reading = _reading(text, now, day_ends)
    return reading.moment if isinstance(reading, _Reading) else None


def due_choices(text: str, now: datetime, *, day_ends: time = DEFAULT_DUE_TIME) -> tuple[datetime, ...]:
    """Two or more moments, earliest first, when the phrase is ambiguous; else an empty tuple."""
    reading = _reading(text, now, day_ends)
    choices = reading.choices if isinstance(reading, _NotUnderstood) else ()
    return tuple(sorted(set(choices))) if len(set(choices)) >= 2 else ()


def describe_due(due: datetime, now: datetime) -> str:
    """What the form understood, weekday and date in full: "Tomorrow, Friday 20 March, 5:00 pm"."""
    return words.preview(due, now)


def due_phrase_hint(text: str, now: datetime, *, day_ends: time = DEFAULT_DUE_TIME) -> str:
    """The sentence under the due field: the moment understood, the question to pick, or why not."""
    reading = _reading(text, now, day_ends)
    if isinstance(reading, _Reading) and reading.moment is not None:
        return describe_due(reading.moment, now)
    return reading.hint if isinstance(reading, _NotUnderstood) else _(NOT_UNDERSTOOD_HINT)


def choice_label(choice: datetime, now: datetime) -> str:
    """A choice button's words: "Fri 13 Mar"; "Sat 14 Mar, 12:00 am" for a midnight, where the time matters."""
    if choice.time() == time(0):
        return f"{words.short_date(choice, now)}, {words.clock(choice)}"
    return words.short_date(choice, now)


def due_notes(due: datetime, *, opens: time = OFFICE_OPENS, closes: time = OFFICE_CLOSES) -> list[str]:
    """What the form adds under a moment: a weekend, or a time outside office hours. Never a refusal."""
    notes: list[str] = []
    if due.weekday() >= calendar.SATURDAY:
        notes.append(_(WEEKEND_NOTE).format(weekday=words.weekday_name(due)))
    if due.time() > closes:
        notes.append(_(AFTER_HOURS_NOTE).format(closes=words.clock(closes)))
    elif due.time() < opens:
        notes.append(_(BEFORE_HOURS_NOTE).format(opens=words.clock(opens)))
    return notes


def _years_later(moment: datetime, years: int) -> datetime:
    year = moment.year + years
    if year > MAXYEAR:
        return datetime.max
    day = min(moment.day, calendar.monthrange(year, moment.month)[1])
    return moment.replace(year=year, day=day)


def due_warning(due: datetime, now: datetime) -> str | None:
    """A question the form asks before saving an unusual due date, or None when it looks right."""
    if due < now:
        return _(PAST_QUESTION)
    if due > _years_later(now, FAR_AHEAD_YEARS):
        return _(FAR_AHEAD_QUESTION)
    return None
