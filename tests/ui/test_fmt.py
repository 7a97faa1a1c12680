"""How times read on screen: relative days in the middle of a sentence, and the timeline's promise cards."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from models.store import PromiseEntry
from ui import fmt
from ui.views.timeline import card_for


def test_relative_days_are_lower_case_inside_a_sentence() -> None:
    assert fmt.in_sentence("Yesterday, 7:55 pm") == "yesterday, 7:55 pm"
    assert fmt.in_sentence("Today") == "today"
    assert fmt.in_sentence("Tomorrow, 9:00 am") == "tomorrow, 9:00 am"
    assert fmt.in_sentence("Fri 27 Nov") == "Fri 27 Nov"
    assert fmt.in_sentence("") == ""


def test_a_promise_card_says_due_yesterday_in_lower_case() -> None:
    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    due = fmt.local(now - timedelta(days=1)).replace(hour=19, minute=55).astimezone(UTC)
    entry = PromiseEntry("promise", 1, 1, now - timedelta(days=3), 1, "Anna Keller", promise_id=1, action="made",
                         text="Confirm the inspection date", due=due, owner_name="Anna Keller", status="overdue")
    card = card_for(entry, now)
    assert card.body.startswith("Due yesterday, 7:55 pm, owner Anna Keller")
