"""Rules over a DeskDay (the office's promises of the next days): how Today splits it into sections, which
promises the person at the desk watches, and when a notice is due. Decisions, not widgets: the Today view and
the notifier both ask here, so they never disagree.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from models.store.promises import DeskDay
from models.store.records import PromiseRow

# A promise is announced this long before it falls due, so there is time to act on it.
NOTICE_AHEAD = timedelta(minutes=10)
# The notifier looks again at least this often (and at the exact minute a watched promise comes within reach).
LONGEST_WAIT = timedelta(minutes=30)
SHORTEST_WAIT = timedelta(seconds=5)
LATE = ("overdue", "broken")
SECTIONS = ("overdue", "today", "upcoming", "covering")


def split_day(day: DeskDay, *, staff_id: int | None, mine_only: bool) -> dict[str, tuple[PromiseRow, ...]]:
    """The four sections of Today from a whole-team DeskDay: mine or everyone's; Covering is never mine.

    Each promise shows once: a promise of a colleague who is away is under Covering (the Owner column says
    whose), never also under Overdue, Due today or Next 7 days, so the counts add up to the rows on screen.
    """
    covering = tuple(r for r in day.covering if r.owner_id != staff_id)
    covered = {r.id for r in covering}

    def keep(rows: tuple[PromiseRow, ...]) -> tuple[PromiseRow, ...]:
        return tuple(r for r in rows if r.id not in covered and (not mine_only or r.owner_id == staff_id))

    return {"overdue": keep(day.overdue), "today": keep(day.today), "upcoming": keep(day.upcoming),
            "covering": covering}


def mine(day: DeskDay, staff_id: int | None) -> list[PromiseRow]:
    """The person's own promises of the day (every promise when nobody is named)."""
    rows = list(day.overdue) + list(day.today) + list(day.upcoming)
    return rows if staff_id is None else [r for r in rows if r.owner_id == staff_id]


def needs_cover_today(row: PromiseRow) -> bool:
    """A covered promise that needs someone today: overdue (or broken) or due today. The start-of-day notice and
    the Today header both count "to cover today" with this, so the two never show different numbers."""
    return row.status in (*LATE, "due_today")


def covering_rows(day: DeskDay, staff_id: int | None) -> list[PromiseRow]:
    """The colleagues' promises the person at the desk covers (the Today view's Covering section)."""
    return [r for r in day.covering if r.owner_id != staff_id]


def watched(day: DeskDay, staff_id: int | None) -> list[PromiseRow]:
    """The promises the person at the desk looks after: their own, and those of colleagues who are away."""
    seen: dict[int, PromiseRow] = {r.id: r for r in mine(day, staff_id)}
    for row in covering_rows(day, staff_id):
        seen.setdefault(row.id, row)
    return sorted(seen.values(), key=lambda r: (r.due, r.id))


def promises_to_announce(day: DeskDay, staff_id: int | None, now: datetime,
                         announced: set[int] | frozenset[int]) -> list[PromiseRow]:
    """Promises falling due now (within NOTICE_AHEAD) or already overdue that were not announced yet."""
    return [r for r in watched(day, staff_id) if r.id not in announced and r.due <= now + NOTICE_AHEAD]


def next_check(day: DeskDay, staff_id: int | None, now: datetime, announced: set[int] | frozenset[int]) -> datetime:
    """When to look again: as the next watched promise comes within NOTICE_AHEAD, at the latest LONGEST_WAIT."""
    upcoming = [r.due - NOTICE_AHEAD for r in watched(day, staff_id)
                if r.id not in announced and r.due - NOTICE_AHEAD > now]
    soonest = min(upcoming, default=now + LONGEST_WAIT)
    return min(max(soonest, now + SHORTEST_WAIT), now + LONGEST_WAIT)
