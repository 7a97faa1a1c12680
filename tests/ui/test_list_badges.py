"""The client list's score badges stay on screen through saves (they used to turn into "..." for minutes)."""
from __future__ import annotations

from PySide6.QtCore import Qt

from models import store


def badge_of(window, client_id: int) -> int | None:
    model = window.client_list.model
    return model.client_at(model.row_of(client_id)).score


def test_a_badge_made_stale_by_a_save_comes_back_at_once(ready, qtbot, seeded) -> None:
    """Logging a call makes the client's cached badge stale; the list brings it back within seconds, not
    at the next five-minute refresh (the clock cannot tick during this test)."""
    qtbot.waitUntil(lambda: badge_of(ready, seeded["oliver"]) is not None, timeout=5000)
    before = badge_of(ready, seeded["oliver"])
    ready.open_client(seeded["oliver"])
    qtbot.keyClick(ready, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    form = ready.client_view.composer.interaction
    form.rating_group.button(2).click()
    qtbot.keyClicks(form.summary, "Lovely visit, all sorted")
    qtbot.keyClick(form.summary, Qt.Key.Key_Return)
    expected = store.client_score(seeded["oliver"]).badge.score
    assert expected != before  # the visit moved the score, so the old badge cannot pass for the new one
    qtbot.waitUntil(lambda: badge_of(ready, seeded["oliver"]) == expected, timeout=3000)
