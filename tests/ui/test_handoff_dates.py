"""The printed hand-off card shows a due date as its day, then its time (it wrapped as "7:58 p / m")."""
from __future__ import annotations

from datetime import timedelta

from models import store
from ui.dialogs.handoff import absolute, handoff_html


def test_a_due_date_on_the_hand_off_card_does_not_break_across_lines(seeded, db_path) -> None:
    store.open(db_path)
    try:
        due = store.utcnow() - timedelta(hours=20)
        store.make_promise(seeded["oliver"], by=seeded["anna"], text="Send the corrected invoice", due=due)
        page = handoff_html(store.handoff_card(seeded["oliver"]), store.utcnow())
    finally:
        store.close()
    day, time = absolute(due).split(", ")
    assert f"{day}<br>{time.replace(' ', '&nbsp;')}" in page  # the narrow column wrapped "7:58 pm" as "7:58 p / m"


def test_an_interactions_time_on_the_hand_off_card_does_not_break_across_lines(seeded, db_path) -> None:
    """Stumble 8: the last interactions broke '1:55 / pm' across lines."""
    store.open(db_path)
    try:
        at = store.utcnow() - timedelta(hours=3)
        store.log_interaction(seeded["oliver"], by=seeded["anna"], summary="Called about the invoice", rating=0,
                              channel="phone", at=at)
        page = handoff_html(store.handoff_card(seeded["oliver"]), store.utcnow())
    finally:
        store.close()
    day, time = absolute(at).split(", ")
    assert f"{day}<br>{time.replace(' ', '&nbsp;')}" in page  # the day, then the time that never splits
