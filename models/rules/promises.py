"""Promise rules: the state of a promise at a moment (DUE-DATES.md, "promise_status").

Everything here works in naive local time and takes `now` as a parameter: no clock is read inside a
rule. The due-date phrases a desk types live in models/rules/due_phrases.py; their names are
re-exported here for the callers that still import them from this module.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from models.rules import words
from models.rules.due_phrases import (  # noqa: F401 - the old import path, kept while callers move
    DEFAULT_DUE_TIME,
    describe_due,
    due_choices,
    due_phrase_hint,
    due_warning,
    parse_due,
)

# --------------------------------------------------------------------------------------------------
# Promise states (DUE-DATES.md, "promise_status")
# --------------------------------------------------------------------------------------------------

GRACE = timedelta(hours=48)  # SPEC.md rule 5, g = 2 days: after due + GRACE an unkept promise is broken
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
# Words for a promise's state
# --------------------------------------------------------------------------------------------------

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
            return f"Due tomorrow at {words.clock(due)}"
        return f"Due in {words.count(days_ahead, 'day')}"
    if status == "due_today":
        return f"Due today at {words.clock(due)}"
    if status == "overdue":
        return f"Overdue by {words.span(now - due)}"
    if status == "broken":
        return f"Broken {words.span(now - broken_at(due))} ago (was due {words.short_date(due, now)})"
    raise ValueError(f"Unknown promise status {status!r}.")
