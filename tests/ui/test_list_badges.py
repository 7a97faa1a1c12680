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


def _badge_drawn_directly(painter, rect, score, band, trend, font, text_colour) -> None:  # noqa: ANN001
    """The badge as it was drawn before its chip was kept as a picture: the reference."""
    from PySide6.QtGui import QColor, QFont, QPainter, QPen

    from ui.views.score import badge_text, band_colour
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    fill = QColor(band_colour(band))
    fill.setAlpha(40)
    painter.setPen(QPen(band_colour(band), 1.4))
    painter.setBrush(fill)
    chip = rect.adjusted(1, 1, -1, -1)
    painter.drawRoundedRect(chip, chip.height() / 2, chip.height() / 2)
    bold = QFont(font)
    bold.setBold(True)
    painter.setFont(bold)
    painter.setPen(text_colour)
    painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, badge_text(score, band, trend))
    painter.restore()


def test_a_kept_chip_paints_the_badge_as_drawing_it_does_on_any_screen(qapp) -> None:
    """The chip behind a badge is drawn once per band and size (0.1 ms each, twenty at start-up): the badge looks
    the same, on a plain and on a high-density screen, for every band and on a selected (dark) row."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QImage, QPainter

    from ui.views.score import paint_badge
    for ratio in (1.0, 2.0):
        for band, ground, text in (("Red", "#ffffff", "#000000"), ("Amber", "#f4f4f4", "#000000"),
                                   ("Green", "#30507a", "#ffffff")):
            images = []
            for draw in (_badge_drawn_directly, lambda p, *a: paint_badge(p, *a[:4], (), *a[4:])):
                image = QImage(round(120 * ratio), round(34 * ratio), QImage.Format.Format_ARGB32_Premultiplied)
                image.setDevicePixelRatio(ratio)
                image.fill(QColor(ground))
                painter = QPainter(image)
                draw(painter, QRectF(3, 3, 98, 24), 43, band, "up", qapp.font(), QColor(text))
                painter.end()
                images.append(image)
            direct, kept = images
            worst = max(max(abs(a - b) for a, b in zip(QColor(direct.pixel(x, y)).getRgb(),
                                                        QColor(kept.pixel(x, y)).getRgb(), strict=True))
                        for x in range(direct.width()) for y in range(direct.height()))
            assert worst <= 2, f"{band} at {ratio}x differs by {worst}"
