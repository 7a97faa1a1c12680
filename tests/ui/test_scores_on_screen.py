"""The impression score on screen: list badges, sort and "at risk", the header badge, reasons that jump."""
from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt

from models import store
from models.store import InteractionEntry
from ui.views.score import badge_text


def names_in_list(window) -> list[str]:
    model = window.client_list.model
    return [model.client_at(i).name for i in range(model.rowCount())]


def test_badge_text_reads_without_colour() -> None:
    assert badge_text(72, "Green", "up", ("new",)) == "72 Green \u2191 New"
    assert badge_text(None, "", "", ()) == ""


def seed_history(anna: int, good: int, bad: int) -> None:
    now = store.utcnow()
    for k in range(5):
        store.log_interaction(good, by=anna, summary=f"Lovely visit {k}", rating=2, channel="visit",
                              at=now - timedelta(days=40 - 7 * k), encounter=f"v{k}")
    store.log_interaction(bad, by=anna, summary="Charged twice for March", rating=-2, channel="invoice",
                          at=now - timedelta(days=5))


def test_the_list_shows_score_badges_sorts_by_score_and_filters_at_risk(ready, qtbot, seeded) -> None:
    seed_history(seeded["anna"], seeded["oliver"], seeded["isla"])
    panel = ready.client_list
    panel.reload()
    qtbot.waitUntil(lambda: all(panel.model.client_at(i).score is not None for i in range(panel.model.rowCount())),
                    timeout=5000)
    rows = {panel.model.client_at(i).name: panel.model.client_at(i) for i in range(panel.model.rowCount())}
    assert rows["Oliver Thompson"].band == "Green" and rows["Isla Walsh"].band in ("Red", "Amber")
    score_cell = panel.model.index(panel.model.row_of(seeded["oliver"]), 0).data()
    assert score_cell.startswith(f"{rows['Oliver Thompson'].score} Green")
    panel.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert names_in_list(ready) == ["Oliver Thompson", "Isla Walsh"]
    panel.at_risk.click()
    assert names_in_list(ready) == ["Isla Walsh"]
    assert panel.count.text() == "1 of 2 clients at risk"
    panel.at_risk.click()
    assert len(names_in_list(ready)) == 2


def test_the_header_shows_the_badge_reasons_and_history(ready, qtbot, seeded) -> None:
    seed_history(seeded["anna"], seeded["oliver"], seeded["isla"])
    ready.open_client(seeded["isla"])
    view = ready.client_view
    score = store.client_score(seeded["isla"])
    assert view.header.badge.text() == badge_text(score.badge.score, score.badge.band, score.badge.trend,
                                                  score.badge.flags)
    texts = view.reasons.texts()
    assert texts and any("Charged twice for March" in t for t in texts)
    assert score.badge.band == "Red"
    # the open failure holds Isla out of the green, and the panel says so, naming the failure
    assert any("Can't be green until" in t and "Charged twice for March" in t for t in texts)
    assert view.chart.history is not None and len(view.chart.history.points) == 27
    assert [label for _, label in view.chart.history.failures] == ["Charged twice for March"]
    view.header.why_button.click()
    assert not view.score_panel.isVisible()
    view.header.why_button.click()
    assert view.score_panel.isVisible()


def test_clicking_a_reason_jumps_to_its_event_on_the_timeline(ready, qtbot, seeded) -> None:
    anna, isla = seeded["anna"], seeded["isla"]
    now = store.utcnow()
    bad = store.log_interaction(isla, by=anna, summary="Deposit return late", rating=-2,
                                at=now - timedelta(days=30)).id
    for k in range(60):  # push the failure off the first timeline page
        store.add_note(isla, by=anna, text=f"note {k}", at=now - timedelta(days=29) + timedelta(minutes=k))
    ready.open_client(isla)
    view = ready.client_view
    assert view.timeline.timeline_model.row_of("interaction", bad) == -1  # not loaded yet
    button = next(w for w in view.reasons.rows if "Deposit return late" in w.text())
    button.click()
    qtbot.waitUntil(lambda: isinstance(view.timeline.current_entry(), InteractionEntry)
                    and view.timeline.current_entry().id == bad, timeout=5000)


def test_logging_a_bad_interaction_updates_the_badge(ready, qtbot, seeded) -> None:
    ready.open_client(seeded["oliver"])
    view = ready.client_view
    before = view.header.badge.badge.score
    form = view.composer.interaction
    form.rating_group.button(-2).click()
    qtbot.keyClicks(form.summary, "Engineer never came")
    qtbot.keyClick(form.summary, Qt.Key.Key_Return)
    assert view.header.badge.badge.score < before


def test_a_long_reason_wraps_instead_of_widening_the_client_screen(ready, qtbot, seeded) -> None:
    """Reasons were buttons, which cannot wrap: a long summary squeezed the client list beside them."""
    anna, isla = seeded["anna"], seeded["isla"]
    summary = "Explained the whole deposit scheme again, including the inventory, the deductions and the dates"
    store.log_interaction(isla, by=anna, summary=summary, rating=2, channel="visit")
    ready.open_client(isla)
    view = ready.client_view
    link = next(w for w in view.reasons.rows if summary in w.text())
    assert link.wordWrap() and view.minimumSizeHint().width() < 650
    link.setFocus()
    qtbot.keyClick(link, Qt.Key.Key_Return)  # the keyboard reaches it too
    qtbot.waitUntil(lambda: isinstance(view.timeline.current_entry(), InteractionEntry)
                    and view.timeline.current_entry().summary == summary, timeout=5000)
