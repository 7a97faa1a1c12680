"""Promise rules: the state of a promise at a moment, and the quick due-date phrases a desk types.

The exact rules are in DUE-DATES.md. Everything here works in naive local time (what a person types
and reads) and takes `now` as a parameter: no clock is read inside a rule.

The due-date parser is a small tokenizer and a grammar. `_lex` turns the text into words, numbers
and symbols; each `_read_*` function tries one phrase of the grammar at a position and returns what
it read with the position after it, or None. A phrase is a day, a time or an exact offset, in any
order, each at most once:

    due     := ["by" | "on"] part+
    part    := offset | day | ["at"] time
    day     := named-day | ["this" | "next"] weekday | "in" count ("day"|"week")["s"]
               | yyyy-mm-dd | daynum month | month daynum
    time    := "noon" | "midnight" | hour [(":"|".") mm] ("am"|"pm") | hh ":" mm
    offset  := "in" count minute-or-hour-unit | "in half an hour"

When the text cannot be read, the reason travels as `_NotUnderstood(hint)`, so the form can say what
went wrong (a numeric date, a bare hour, an impossible date) instead of a bare "no".
"""
from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import MAXYEAR, date, datetime, time, timedelta

# --------------------------------------------------------------------------------------------------
# Promise states (DUE-DATES.md, "promise_status")
# --------------------------------------------------------------------------------------------------

GRACE = timedelta(hours=48)  # SPEC.md rule 5, g = 2 days: after due + GRACE an unkept promise is broken
DEFAULT_DUE_TIME = time(17, 0)  # "a day without a time means 17:00 that day"
STATUSES = ("pending", "due_today", "overdue", "broken", "kept", "kept_late")
CANCELLED = "cancelled"  # a record state shown on top of the computed status
RECORD_STATUSES = ("open", "kept", CANCELLED)  # what the store writes; `broken` is never written


def promise_status(due: datetime, kept_at: datetime | None, now: datetime) -> str:
    """The computed state of a promise at `now`: one of STATUSES.

    A kept promise is `kept` or `kept_late` whatever `now` is. An open one is `pending` (due on a later
    day), `due_today` (due later today, or exactly now), `overdue` (past due, at most GRACE ago) or
    `broken` (more than GRACE past due).
    """
    if kept_at is not None:
        return "kept" if kept_at <= due else "kept_late"
    if now > broken_at(due):
        return "broken"
    if now > due:
        return "overdue"
    if due.date() == now.date():
        return "due_today"
    return "pending"


def broken_at(due: datetime) -> datetime:
    """The moment an unkept promise counts as broken: any time after this one (due + GRACE)."""
    return due + GRACE


def effective_status(record_status: str, due: datetime, kept_at: datetime | None, now: datetime,
                     cancelled_at: datetime | None = None) -> str:
    """The state a promise shows: the computed status with the record's `cancelled` on top.

    `record_status` is what the store holds: "open", "kept" or "cancelled". A promise cancelled by
    agreement before it broke shows as "cancelled" (the score ignores it); one cancelled after it broke
    stays "broken": the break stands. A cancelled record without `cancelled_at` is taken as cancelled
    in time, since nothing says otherwise. A "kept" record without `kept_at` shows as "kept".
    """
    if record_status not in RECORD_STATUSES:
        raise ValueError(f"Unknown record status {record_status!r}, expected one of {RECORD_STATUSES}")
    if record_status == CANCELLED:
        if cancelled_at is not None and cancelled_at > broken_at(due):
            return "broken"
        return CANCELLED
    if record_status == "kept" and kept_at is None:
        return "kept"
    return promise_status(due, kept_at, now)


def keep_is_late(due: datetime, now: datetime) -> bool:
    """Marking a promise kept after its due time is a late keep: the desk asks whether the client got an apology.

    The one rule every screen uses (the live clock, never the status read a while ago).
    """
    return now > due


def renegotiation_allowed(due: datetime, now: datetime) -> bool:
    """True while a new due date may replace the old one: until the promise breaks (due + GRACE, inclusive).

    After the break the break stands, and the new date must be a new promise (DUE-DATES.md).
    """
    return now <= broken_at(due)


# --------------------------------------------------------------------------------------------------
# Vocabulary of due-date phrases (DUE-DATES.md, "parse_due"). Names for display are spelled out here
# rather than taken from strftime, so the text never depends on the process locale.
# --------------------------------------------------------------------------------------------------

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# Month words: full names, their first three letters, and "sept".
_MONTHS: dict[str, int] = {
    **{name.lower(): number for number, name in enumerate(MONTH_NAMES, start=1)},
    **{name[:3].lower(): number for number, name in enumerate(MONTH_NAMES, start=1)},
    "sept": 9,
}
# Weekday words (Monday = 0, as date.weekday()): full names, first three letters, tues, thur, thurs.
_WEEKDAYS: dict[str, int] = {
    **{name.lower(): number for number, name in enumerate(WEEKDAY_NAMES)},
    **{name[:3].lower(): number for number, name in enumerate(WEEKDAY_NAMES)},
    "tues": 1, "thur": 3, "thurs": 3,
}
# "next fri" and "this fri" both mean the first Friday after today, as "fri" does (DUE-DATES.md).
_WEEKDAY_PREFIXES = frozenset({"this", "next"})
_LEADING_WORDS = frozenset({"by", "on"})  # "by fri", "on monday": ignored at the start
_JOINING_WORD = "at"  # "tomorrow at 3pm", "at 3pm"
_OFFSET_WORD = "in"  # "in 2 days", "in 3 hours"

# Counts for "in N ...": digits, or a word. "a"/"an" read as one ("in a week", "in an hour").
_COUNT_WORDS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}
# "in N days|weeks" moves the *day* (calendar days; the time comes from the combining rules) ...
_DAY_UNITS: dict[str, int] = {"day": 1, "days": 1, "week": 7, "weeks": 7}
# ... while "in N minutes|hours" is an exact duration from now.
_DURATION_UNITS: dict[str, timedelta] = {
    unit: timedelta(minutes=1) for unit in ("minute", "minutes", "min", "mins")
} | {unit: timedelta(hours=1) for unit in ("hour", "hours", "hr", "hrs")}
_HALF_AN_HOUR = ("half", "an", "hour")

_MERIDIEMS = frozenset({"am", "pm"})
_NAMED_TIMES: dict[str, time] = {"noon": time(12, 0), "midnight": time(0, 0)}
_ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th"})  # "1st dec", "dec 22nd"
_HOURS_ON_A_CLOCK_FACE = 12
_MINUTE_DIGITS = 2  # "3:30pm", never "3:3pm"
_DAY_DIGITS = 2  # "1 dec", "31 dec"; a longer number beside a month is not a day
_ISO_YEAR_DIGITS = 4  # 2026-12-01
_A_LEAP_YEAR = 2000  # which days can exist in a month at all: 29 Feb can, 31 Apr cannot

# Characters of the grammar. Anything else (other symbols, accented letters, emoji) is not a date.
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")
_DIGITS = frozenset("0123456789")
_SYMBOLS = frozenset(":.-/,")
_TRAILING_PUNCTUATION = (".", ",")  # "tomorrow." or "fri," as typed at the end of a sentence
# C0 controls except tab/newline/carriage return (folded like spaces), DEL and the C1 block: never
# typed on purpose (the same set as models/rules/text.py refuses).
_CONTROL_CHARACTERS = frozenset(map(chr, [*range(0x00, 0x20), *range(0x7F, 0xA0)])) - {"\t", "\n", "\r"}
# The longest phrase of the grammar is well under 60 characters; decide on a pasted blob at once.
MAX_PHRASE_LENGTH = 200

# --------------------------------------------------------------------------------------------------
# What the form says under the due field (due_phrase_hint) and asks before saving (due_warning).
# --------------------------------------------------------------------------------------------------

EMPTY_HINT = "Type a due date, for example: tomorrow 3pm, fri, in 2 days, 1 Dec."
NUMERIC_DATE_HINT = ("Write the month as a word (1 Dec) or use 2026-12-01: "
                     "{text} could mean two different dates.")
BARE_HOUR_HINT = "Add am or pm (3pm) or use 24-hour time (15:00)."
IMPOSSIBLE_DATE_HINT = "There is no {date}."
NOT_UNDERSTOOD_HINT = ("Rapport did not understand that date. "
                       "Try: tomorrow 3pm, fri, in 2 days, 1 Dec, 2026-12-01.")
PAST_QUESTION = "That time has already passed. Save it anyway?"
FAR_AHEAD_QUESTION = "That is more than two years away. Is the date right?"
FAR_AHEAD_YEARS = 2
SOON_DAYS = 6  # a due within the next 6 days is named by its weekday ("Friday 27 Nov")


class _NotUnderstood(Exception):
    """The text is not a due date; `hint` is the sentence the form shows about it."""

    def __init__(self, hint: str = NOT_UNDERSTOOD_HINT) -> None:
        super().__init__(hint)
        self.hint = hint


# --------------------------------------------------------------------------------------------------
# Tokens
# --------------------------------------------------------------------------------------------------

_WORD, _NUMBER, _SYMBOL = "word", "number", "symbol"


@dataclass(frozen=True)
class _Token:
    kind: str  # _WORD (a-z), _NUMBER (0-9) or _SYMBOL (one of _SYMBOLS)
    text: str
    glued: bool  # written right after the previous token, with no space: "3:30", "1st", "2026-12-01"


class _Tokens:
    """The tokens, with lookups that answer None past the end: the grammar reads without bounds checks."""

    def __init__(self, tokens: list[_Token]) -> None:
        self.items = tokens

    def __len__(self) -> int:
        return len(self.items)

    def word(self, i: int) -> str | None:
        """The word at i, or None when i holds something else."""
        return self._text(i, _WORD)

    def number(self, i: int, *, max_digits: int | None = None, glued: bool = False) -> int | None:
        """The number at i (at most `max_digits` digits; glued to the previous token if asked), or None."""
        text = self._text(i, _NUMBER)
        if text is None or (max_digits is not None and len(text) > max_digits):
            return None
        if glued and not self.items[i].glued:
            return None
        return int(text)

    def digits(self, i: int) -> int:
        """How many digits the number at i was written with (0 if it is not a number)."""
        return len(self._text(i, _NUMBER) or "")

    def symbol(self, i: int, allowed: str) -> str | None:
        """The symbol at i when it is one of `allowed` and glued to the previous token, or None."""
        text = self._text(i, _SYMBOL)
        return text if text is not None and text in allowed and self.items[i].glued else None

    def phrase(self, i: int, words: tuple[str, ...]) -> bool:
        """Whether the words starting at i are exactly `words`."""
        return all(self.word(i + k) == word for k, word in enumerate(words))

    def source(self, start: int, end: int) -> str:
        """The text of tokens start..end as typed (lower-cased, single spaces)."""
        return "".join(("" if k == start or t.glued else " ") + t.text
                       for k, t in enumerate(self.items[start:end], start=start))

    def _text(self, i: int, kind: str) -> str | None:
        if 0 <= i < len(self.items) and self.items[i].kind == kind:
            return self.items[i].text
        return None


def _normalise(text: str) -> str:
    """Lower-case, trimmed text without its trailing `.` or `,`; raises on controls or a pasted blob."""
    if len(text) > MAX_PHRASE_LENGTH or not _CONTROL_CHARACTERS.isdisjoint(text):
        raise _NotUnderstood()
    text = text.strip().lower()
    if text.endswith(_TRAILING_PUNCTUATION):
        text = text[:-1].rstrip()
    return text


def _lex(text: str) -> _Tokens:
    """Split normalised text into words, numbers and symbols; any other character is not a date."""
    tokens: list[_Token] = []
    glued = False
    i = 0
    while i < len(text):
        char = text[i]
        if char.isspace():  # any run of spaces (tabs, no-break spaces) separates tokens
            glued = False
            i += 1
            continue
        if char in _SYMBOLS:
            end = i + 1
            kind = _SYMBOL
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
# Grammar. Each reader returns (value, position after it) or None, and never moves on failure.
# --------------------------------------------------------------------------------------------------

_Read = tuple[date, int] | None


def _same_day(today: date) -> date:
    return today


def _day_after(today: date) -> date:
    return today + timedelta(days=1)


def _first_friday_on_or_after(today: date) -> date:
    return today + timedelta(days=(calendar.FRIDAY - today.weekday()) % 7)


def _monday_after(today: date) -> date:
    return today + timedelta(days=7 - today.weekday())  # on a Sunday: tomorrow; on a Monday: in a week


# Fixed day phrases and the day each means, given today.
_DAY_PHRASES: dict[tuple[str, ...], Callable[[date], date]] = {
    **dict.fromkeys([("today",), ("eod",), ("end", "of", "day"), ("cob",), ("close", "of", "business")],
                    _same_day),
    **dict.fromkeys([("tomorrow",), ("tmrw",), ("tmr",), ("tom",)], _day_after),
    ("next", "week"): _monday_after,
    **dict.fromkeys([("end", "of", "week"), ("eow",)], _first_friday_on_or_after),
}


def _read_count(tokens: _Tokens, i: int) -> tuple[int, int] | None:
    """A count of one or more, in digits or a word ("2", "two", "a"). Zero counts nothing: None."""
    count = tokens.number(i)
    if count is None:
        count = _COUNT_WORDS.get(tokens.word(i) or "")
    return (count, i + 1) if count else None


def _read_in_count(tokens: _Tokens, i: int) -> tuple[int, str, int] | None:
    """ "in" count unit, as (count, unit word, position after), whatever the unit."""
    if tokens.word(i) != _OFFSET_WORD:
        return None
    counted = _read_count(tokens, i + 1)
    if counted is None:
        return None
    count, j = counted
    unit = tokens.word(j)
    return (count, unit, j + 1) if unit is not None else None


def _read_named_day(tokens: _Tokens, i: int, today: date) -> _Read:
    for phrase, day_of in _DAY_PHRASES.items():
        if tokens.phrase(i, phrase):
            return day_of(today), i + len(phrase)
    return None


def _read_weekday(tokens: _Tokens, i: int, today: date) -> _Read:
    """["this"|"next"] weekday: the first such day strictly after today, 1 to 7 days ahead."""
    j = i + 1 if tokens.word(i) in _WEEKDAY_PREFIXES else i
    weekday = _WEEKDAYS.get(tokens.word(j) or "")
    if weekday is None:
        return None
    days_ahead = (weekday - today.weekday() - 1) % 7 + 1
    return today + timedelta(days=days_ahead), j + 1


def _read_days_ahead(tokens: _Tokens, i: int, today: date) -> _Read:
    """ "in N days|weeks": today + N calendar days or weeks."""
    read = _read_in_count(tokens, i)
    if read is None or read[1] not in _DAY_UNITS:
        return None
    count, unit, j = read
    return today + timedelta(days=count * _DAY_UNITS[unit]), j


def _read_iso_date(tokens: _Tokens, i: int, today: date) -> _Read:
    """yyyy-mm-dd, returned as it is even when past (the form asks). An impossible one raises."""
    year = tokens.number(i, max_digits=_ISO_YEAR_DIGITS)
    if year is None or tokens.digits(i) != _ISO_YEAR_DIGITS or not tokens.symbol(i + 1, "-"):
        return None
    month = tokens.number(i + 2, max_digits=2, glued=True)
    day = tokens.number(i + 4, max_digits=2, glued=True)
    if month is None or day is None or not tokens.symbol(i + 3, "-"):
        return None
    if not 1 <= month <= len(MONTH_NAMES):
        raise _NotUnderstood()
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise _NotUnderstood(IMPOSSIBLE_DATE_HINT.format(date=f"{day} {MONTH_NAMES[month - 1]} {year}"))
    return date(year, month, day), i + 5


def _read_day_number(tokens: _Tokens, i: int) -> tuple[int, int] | None:
    """A day of the month, "1" or "1st" (any of st/nd/rd/th: "3th dec" can only mean 3 Dec)."""
    day = tokens.number(i, max_digits=_DAY_DIGITS)
    if day is None:
        return None
    if tokens.word(i + 1) in _ORDINAL_SUFFIXES and tokens.items[i + 1].glued:
        return day, i + 2
    return day, i + 1


def _read_month_day(tokens: _Tokens, i: int, today: date) -> _Read:
    """ "1 Dec", "1st dec", "Dec 1", "dec 1st": the next such date on or after today."""
    month = _MONTHS.get(tokens.word(i) or "")
    if month is not None:  # month first
        read = _read_day_number(tokens, i + 1)
        if read is None:
            return None
        day, end = read
    else:  # day first
        read = _read_day_number(tokens, i)
        if read is None or tokens.word(read[1]) not in _MONTHS:
            return None
        day, end = read[0], read[1] + 1
        month = _MONTHS[tokens.items[read[1]].text]
    return _next_date(today, month, day), end


def _next_date(today: date, month: int, day: int) -> date:
    """The first `day month` on or after today. 29 Feb waits for the next leap year; 31 Apr raises."""
    if not 1 <= day <= calendar.monthrange(_A_LEAP_YEAR, month)[1]:
        raise _NotUnderstood(IMPOSSIBLE_DATE_HINT.format(date=f"{day} {MONTH_NAMES[month - 1]}"))
    year = today.year
    while year <= MAXYEAR:
        if day <= calendar.monthrange(year, month)[1] and date(year, month, day) >= today:
            return date(year, month, day)
        year += 1
    raise _NotUnderstood()


_DAY_READERS = (_read_named_day, _read_weekday, _read_days_ahead, _read_iso_date, _read_month_day)


def _read_day(tokens: _Tokens, i: int, today: date) -> _Read:
    for reader in _DAY_READERS:
        read = reader(tokens, i, today)
        if read is not None:
            return read
    return None


def _read_time(tokens: _Tokens, i: int) -> tuple[time, int] | None:
    """noon, midnight, 3pm, 3 pm, 3:30pm, 3.30pm, 12am, or a 24-hour colon time (15:00, 9:30)."""
    named = _NAMED_TIMES.get(tokens.word(i) or "")
    if named is not None:
        return named, i + 1
    hour = tokens.number(i, max_digits=2)
    if hour is None:
        return None
    j, minute, separator = i + 1, 0, None
    minute_read = tokens.number(j + 1, max_digits=_MINUTE_DIGITS, glued=True)
    if tokens.symbol(j, ":.") and minute_read is not None and tokens.digits(j + 1) == _MINUTE_DIGITS:
        separator, minute, j = tokens.items[j].text, minute_read, j + 2
    if minute >= 60:
        return None
    meridiem = tokens.word(j)
    if meridiem in _MERIDIEMS:
        if not 1 <= hour <= _HOURS_ON_A_CLOCK_FACE:  # "0am", "13pm"
            return None
        # 12am is midnight, 12pm is noon: the hour 12 counts as 0 before adding the afternoon.
        hour = hour % _HOURS_ON_A_CLOCK_FACE + (_HOURS_ON_A_CLOCK_FACE if meridiem == "pm" else 0)
        return time(hour, minute), j + 1
    if separator == ":" and hour < 24:  # a colon time without am/pm is 24-hour
        return time(hour, minute), j
    return None  # a bare hour ("3") or a dot time without am/pm ("9.30"): too ambiguous


def _read_offset(tokens: _Tokens, i: int) -> tuple[timedelta, int] | None:
    """ "in N minutes|mins|hours|hrs", "in an hour", "in half an hour": an exact duration from now."""
    if tokens.word(i) == _OFFSET_WORD and tokens.phrase(i + 1, _HALF_AN_HOUR):
        return timedelta(minutes=30), i + 1 + len(_HALF_AN_HOUR)
    read = _read_in_count(tokens, i)
    if read is None or read[1] not in _DURATION_UNITS:
        return None
    count, unit, j = read
    return count * _DURATION_UNITS[unit], j


# --------------------------------------------------------------------------------------------------
# Why a phrase failed, for the hint
# --------------------------------------------------------------------------------------------------

def _numeric_date_end(tokens: _Tokens, i: int) -> int | None:
    """End of a numeric date at i ("1/12", "1-12", "1.12.2026"), or None.

    Two numbers joined by a dot ("9.30") read as a time missing its am/pm instead, the way "3.30pm"
    is written.
    """
    end = i + 1
    parts = 1
    while tokens.symbol(end, "/-.") and tokens.number(end + 1, glued=True) is not None:
        parts, end = parts + 1, end + 2
    if tokens.number(i) is None or parts == 1:
        return None
    if parts == 2 and tokens.items[i + 1].text == ".":
        return None
    return end


def _looks_like_bare_hour(tokens: _Tokens, i: int) -> bool:
    """An hour without am/pm: "3", "at 3", "15", or a dot time "9.30" ("13pm" is wrong, not bare)."""
    hour = tokens.number(i, max_digits=2)
    if hour is None or hour > 24:
        return False
    if tokens.symbol(i + 1, "."):
        return tokens.digits(i + 2) == _MINUTE_DIGITS and tokens.word(i + 3) not in _MERIDIEMS
    return i + 1 == len(tokens) or (tokens.word(i + 1) or "am") not in _MERIDIEMS


def _diagnose(tokens: _Tokens, i: int) -> _NotUnderstood:
    """The reason the grammar stopped at position i."""
    end = _numeric_date_end(tokens, i)
    if end is not None:
        return _NotUnderstood(NUMERIC_DATE_HINT.format(text=tokens.source(i, end)))
    if _looks_like_bare_hour(tokens, i):
        return _NotUnderstood(BARE_HOUR_HINT)
    return _NotUnderstood()


# --------------------------------------------------------------------------------------------------
# Reading a whole phrase, and combining its parts (DUE-DATES.md, "Combining")
# --------------------------------------------------------------------------------------------------

@dataclass
class _Parts:
    day: date | None = None
    time: time | None = None
    offset: timedelta | None = None


def _read_part(tokens: _Tokens, i: int, today: date, parts: _Parts) -> int:
    """Read one day, time or offset at i into `parts`; returns the position after it."""
    offset = _read_offset(tokens, i)
    if offset is not None and parts.offset is None:
        parts.offset = offset[0]
        return offset[1]
    day = _read_day(tokens, i, today)
    if day is not None and parts.day is None:
        parts.day = day[0]
        return day[1]
    start = i + 1 if tokens.word(i) == _JOINING_WORD else i
    at_time = _read_time(tokens, start)
    if at_time is not None and parts.time is None:
        parts.time = at_time[0]
        return at_time[1]
    if offset or day or at_time:  # a second day, time or offset: "fri mon", "3pm 4pm"
        raise _NotUnderstood()
    raise _diagnose(tokens, start)


def _combine(parts: _Parts, now: datetime) -> datetime:
    if parts.offset is not None:
        if parts.day is not None or parts.time is not None:  # no time may be added to an exact offset
            raise _NotUnderstood()
        return now + parts.offset
    if parts.day is not None:  # that day at that time, even if already past: the form asks
        return datetime.combine(parts.day, parts.time or DEFAULT_DUE_TIME)
    assert parts.time is not None
    candidate = datetime.combine(now.date(), parts.time)  # a time alone: the next such moment
    return candidate if candidate > now else candidate + timedelta(days=1)


def _understand(text: str, now: datetime) -> datetime:
    """The due date `text` means at `now`; raises _NotUnderstood with the reason."""
    tokens = _lex(_normalise(text))
    if not len(tokens):
        raise _NotUnderstood(EMPTY_HINT)
    i = 1 if tokens.word(0) in _LEADING_WORDS else 0
    if i == len(tokens):  # "by" on its own
        raise _NotUnderstood()
    parts = _Parts()
    try:
        while i < len(tokens):
            i = _read_part(tokens, i, now.date(), parts)
        return _combine(parts, now)
    except OverflowError:  # "in 99999999 weeks": past the end of the calendar
        raise _NotUnderstood() from None


def parse_due(text: str, now: datetime) -> datetime | None:
    """The naive local due date a quick phrase means at `now` ("tomorrow 3pm", "fri", "in 2 days", "1 Dec").

    Every rule is in DUE-DATES.md. Anything else, a numeric date such as "1/12" and a bare hour such as
    "at 3" included, is None; due_phrase_hint() says why.
    """
    try:
        return _understand(text, now)
    except _NotUnderstood:
        return None


# --------------------------------------------------------------------------------------------------
# Words for the form
# --------------------------------------------------------------------------------------------------

def _clock(moment: time) -> str:
    """12-hour clock: "5:00 pm", "12:00 pm" for noon, "12:00 am" for midnight."""
    hour = moment.hour % _HOURS_ON_A_CLOCK_FACE or _HOURS_ON_A_CLOCK_FACE
    meridiem = "pm" if moment.hour >= _HOURS_ON_A_CLOCK_FACE else "am"
    return f"{hour}:{moment.minute:02d} {meridiem}"


def _short_date(day: date, today: date) -> str:
    """ "Tue 1 Dec", with the year when it is not this year's: "Tue 1 Dec 2026"."""
    text = f"{WEEKDAY_NAMES[day.weekday()][:3]} {day.day} {MONTH_NAMES[day.month - 1][:3]}"
    return text if day.year == today.year else f"{text} {day.year}"


def _day_words(day: date, today: date) -> str:
    """Today, Tomorrow, Yesterday, "Friday 27 Nov" within the next SOON_DAYS days, else a short date."""
    days_ahead = (day - today).days
    named = {0: "Today", 1: "Tomorrow", -1: "Yesterday"}
    if days_ahead in named:
        return named[days_ahead]
    if 1 < days_ahead <= SOON_DAYS:
        return f"{WEEKDAY_NAMES[day.weekday()]} {day.day} {MONTH_NAMES[day.month - 1][:3]}"
    return _short_date(day, today)


def describe_due(due: datetime, now: datetime) -> str:
    """What the form understood, plain and short: "Tomorrow, 3:00 pm", "Tue 1 Dec 2026, 9:30 am"."""
    return f"{_day_words(due.date(), now.date())}, {_clock(due.time())}"


def due_phrase_hint(text: str, now: datetime) -> str:
    """The sentence under the due field: what the text was understood as, or why it was not."""
    try:
        return describe_due(_understand(text, now), now)
    except _NotUnderstood as reason:
        return reason.hint


def _years_later(moment: datetime, years: int) -> datetime:
    """The same wall-clock time `years` later (29 Feb becomes 28 Feb); datetime.max past the calendar."""
    year = moment.year + years
    if year > MAXYEAR:
        return datetime.max
    day = min(moment.day, calendar.monthrange(year, moment.month)[1])
    return moment.replace(year=year, day=day)


def due_warning(due: datetime, now: datetime) -> str | None:
    """A question the form asks before saving an unusual due date, or None when it looks right."""
    if due < now:
        return PAST_QUESTION
    if due > _years_later(now, FAR_AHEAD_YEARS):
        return FAR_AHEAD_QUESTION
    return None


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"


def _span(elapsed: timedelta) -> str:
    """A length of time in its largest whole unit, rounded down: "3 hours", "1 day"."""
    minutes = int(elapsed.total_seconds() // 60)
    if minutes < 1:
        return "less than a minute"
    if minutes < 60:
        return _plural(minutes, "minute")
    if minutes < 24 * 60:
        return _plural(minutes // 60, "hour")
    return _plural(elapsed.days, "day")


_SETTLED_WORDS = {"kept": "Kept", "kept_late": "Kept late", CANCELLED: "Cancelled"}


def describe_status(status: str, due: datetime, now: datetime) -> str:
    """A promise's state in a few words: "Due today at 5:00 pm", "Overdue by 3 hours", "Kept late".

    Times since are measured exactly and rounded down; a broken promise counts from its break
    (due + GRACE) and names the day it was due.
    """
    if status in _SETTLED_WORDS:
        return _SETTLED_WORDS[status]
    if status == "pending":
        days_ahead = (due.date() - now.date()).days
        if days_ahead <= 1:
            return f"Due tomorrow at {_clock(due.time())}"
        return f"Due in {_plural(days_ahead, 'day')}"
    if status == "due_today":
        return f"Due today at {_clock(due.time())}"
    if status == "overdue":
        return f"Overdue by {_span(now - due)}"
    if status == "broken":
        return f"Broken {_span(now - broken_at(due))} ago (was due {_short_date(due.date(), now.date())})"
    raise ValueError(f"Unknown promise status {status!r}.")
