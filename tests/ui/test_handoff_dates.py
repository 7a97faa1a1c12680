"""The printed hand-off card keeps each due date on one line (it wrapped as "7:58 / pm")."""
from __future__ import annotations

from datetime import timedelta

from models import store
from ui.handoff import absolute, handoff_html


def test_a_due_date_on_the_hand_off_card_does_not_break_across_lines(seeded, db_path) -> None:
    store.open(db_path)
    try:
        due = store.utcnow() - timedelta(hours=20)
        store.make_promise(seeded["oliver"], by=seeded["anna"], text="Send the corrected invoice", due=due)
        page = handoff_html(store.handoff_card(seeded["oliver"]), store.utcnow())
    finally:
        store.close()
    words = absolute(due)
    assert " " in words and words.replace(" ", "&nbsp;") in page
    assert words not in page  # never with breakable spaces
