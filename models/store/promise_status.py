"""A promise's state now, from its stored record: shared by the promises and the timelines subjects, so neither
imports the other (they did, both ways)."""
from __future__ import annotations

from datetime import datetime

from models.rules import promises as rules

GRACE_US = int(rules.GRACE.total_seconds() * 1_000_000)


def local_naive(value: datetime) -> datetime:
    """Aware UTC -> the desk's local wall-clock time, as the rules expect (DESIGN.md, "Times")."""
    return value.astimezone().replace(tzinfo=None)


def status_of(record_status: str, due: datetime, kept_at: datetime | None, cancelled_at: datetime | None,
              now: datetime) -> str:
    """The promise's state now: pending, due_today, overdue, broken, kept, kept_late or cancelled."""
    return rules.effective_status(record_status, local_naive(due), local_naive(kept_at) if kept_at else None,
                                  local_naive(now), local_naive(cancelled_at) if cancelled_at else None)
