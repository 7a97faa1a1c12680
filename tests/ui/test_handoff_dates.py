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
    assert f"{day}<br>{time}" in page  # the narrow column wrapped "7:58 pm" as "7:58 p / m"
