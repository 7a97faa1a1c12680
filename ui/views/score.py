"""The impression score on screen: the badge, "Why this score?" and the score's history chart."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from models.rules import words
from ui import fmt
from ui.app import dress

if TYPE_CHECKING:  # annotations only: the score engine loads after the first window (start-up budget)
    from PySide6.QtGui import QKeyEvent, QMouseEvent

    from models.store import Badge, ScoreHistory, ScoreReason

# Band colours: strong enough to read on light and dark palettes; the band is also written out.
BAND_COLOURS = {"Green": "#1f9d55", "Amber": "#d08a0a", "Red": "#d64545"}
NEUTRAL_COLOUR = "#8a8f98"
TREND_WORDS = {"up": "rising", "down": "falling", "flat": "steady"}
# SPEC.md rule 8: Green >= 65, Amber 35-64, Red <= 34.
BAND_LIMITS = (("Red", 0, 35), ("Amber", 35, 65), ("Green", 65, 101))


def badge_text(score: int | None, band: str, trend: str, flags: tuple[str, ...] = ()) -> str:
    """The badge in words: '72 Green ↑ New' (so it reads without colour, and in a screen reader)."""
    return words.badge_words(score, band, trend, flags)


def badge_tooltip(score: int | None, band: str, trend: str, flags: tuple[str, ...] = ()) -> str:
    if score is None:
        return "The impression score is being worked out."
    text = f"Impression score {score} of 100 ({band}), {TREND_WORDS.get(trend, trend)} over the last 30 days."
    if "new" in flags:
        text += " New client: too few encounters to say much yet."
    if "stale" in flags:
        text += " No contact for 60 days or more."
    return text


def band_colour(band: str) -> QColor:
    return QColor(BAND_COLOURS.get(band, NEUTRAL_COLOUR))


def paint_badge(painter: QPainter, rect: QRectF, score: int | None, band: str, trend: str,
                flags: tuple[str, ...], font: QFont, text_colour: QColor) -> None:
    """A rounded chip: band colour behind the number, band word and trend arrow in readable text."""
    if score is None:
        painter.save()
        painter.setPen(QColor(NEUTRAL_COLOUR))
        painter.setFont(font)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "...")
        painter.restore()
        return
    painter.save()
    painter.drawPixmap(rect.topLeft(), _chip(band, rect.width(), rect.height(), painter.device().devicePixelRatio()))
    bold = QFont(font)
    bold.setBold(True)
    painter.setFont(bold)
    painter.setPen(text_colour)
    painter.drawText(rect.adjusted(1, 1, -1, -1), Qt.AlignmentFlag.AlignCenter, badge_text(score, band, trend, flags))
    painter.restore()


_chips: dict[tuple[str, float, float, float], QPixmap] = {}
CHIPS_KEPT = 48  # sizes x bands; a column resized by hand makes new sizes, so the oldest go


def _chip(band: str, width: float, height: float, ratio: float) -> QPixmap:
    """The band's rounded chip at this size, drawn once: antialiased, a chip took 0.1 ms to draw, and the list
    paints twenty of them at start-up (issue 10). Drawn 1 px inside the rect, as the pen is 1.4 px wide."""
    key = (band, width, height, ratio)
    chip = _chips.get(key)
    if chip is None:
        chip = QPixmap(max(1, round(width * ratio)), max(1, round(height * ratio)))
        chip.setDevicePixelRatio(ratio)
        chip.fill(Qt.GlobalColor.transparent)
        colour = band_colour(band)
        fill = QColor(colour)
        fill.setAlpha(40)
        painter = QPainter(chip)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(colour, 1.4))
        painter.setBrush(fill)
        inner = QRectF(1, 1, width - 2, height - 2)
        painter.drawRoundedRect(inner, inner.height() / 2, inner.height() / 2)
        painter.end()
        if len(_chips) >= CHIPS_KEPT:
            del _chips[next(iter(_chips))]
        _chips[key] = chip
    return chip


class ScoreBadge(QWidget):
    """The badge in the client header: score, band colour, trend arrow, New / Stale."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.badge: Badge | None = None
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Impression score")
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.setFont(font)

    def set_badge(self, badge: Badge | None) -> None:
        self.badge = badge
        text = badge_text(*self._parts()) if badge else ""
        self.setAccessibleDescription(text)
        self.setToolTip(badge_tooltip(*self._parts()) if badge else "")
        self.updateGeometry()
        self.update()

    def _parts(self) -> tuple[int | None, str, str, tuple[str, ...]]:
        b = self.badge
        return (b.score, b.band, b.trend, b.flags) if b else (None, "", "", ())

    def text(self) -> str:
        return badge_text(*self._parts())

    def sizeHint(self) -> QSize:  # noqa: N802
        metrics = QFontMetrics(self.font())
        width = metrics.horizontalAdvance(self.text() or "...") + 28
        return QSize(max(64, width), metrics.height() + 12)

    def paintEvent(self, event: Any) -> None:  # noqa: N802
        painter = QPainter(self)
        paint_badge(painter, QRectF(self.rect()), *self._parts(), self.font(),
                    self.palette().color(QPalette.ColorRole.Text))


class ReasonsPanel(QWidget):
    """"Why this score?": the top reasons, each naming its event; clicking one jumps to it."""

    reason_clicked = Signal(str, int)
    """The person clicked a reason: (entry kind, entry id) to show on the timeline."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(2)
        self.rows: list[QWidget] = []

    def set_reasons(self, reasons: tuple[ScoreReason, ...], now: datetime) -> None:
        for row in self.rows:
            self.layout_.removeWidget(row)
            row.deleteLater()
        self.rows = []
        if not reasons:
            label = dress(QLabel("Nothing yet: the score starts in the middle and moves with every encounter.",
                                 objectName="muted", wordWrap=True))
            self.rows.append(label)
            self.layout_.addWidget(label)
            return
        for reason in reasons:
            self.rows.append(self._row(reason, now))
            self.layout_.addWidget(self.rows[-1])

    def _row(self, reason: ScoreReason, now: datetime) -> QWidget:
        detail = ""
        if reason.at is not None and not reason.is_cap:
            who = f", {reason.staff_name}" if reason.staff_name else ""
            detail = f"  ({fmt.date_only(reason.at, now)}{who})"
        text = reason.sentence + detail
        if reason.entry_id is None:
            label = QLabel(text, wordWrap=True)
            return label
        link = ReasonLink(("\u26a0 " if reason.is_cap else "\u2022 ") + text)
        kind, entry_id = reason.entry_kind, reason.entry_id
        link.clicked.connect(lambda: self.reason_clicked.emit(kind, entry_id))
        return link

    def texts(self) -> list[str]:
        return [w.text() for w in self.rows if isinstance(w, QLabel)]


class ReasonLink(QLabel):
    """A reason that wraps like text and jumps to its event when clicked (or Enter / Space when focused).

    A button cannot wrap: a long reason made the client screen so wide that the list beside it shrank.
    """

    clicked = Signal()

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent, wordWrap=True, objectName="reason")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setToolTip("Show this on the timeline")
        self.setContentsMargins(4, 2, 4, 2)

    def click(self) -> None:
        self.clicked.emit()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.click()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.click()
            return
        super().keyPressEvent(event)


def _count(number: int, one: str, many: str) -> str:
    """'1 fix', '3 fixes': a number with its noun (the plural given, since not every noun just adds an s)."""
    return f"{number} {one if number == 1 else many}"


def history_tooltip(history: ScoreHistory) -> str:
    """The chart in words: 'Score over the last 26 weeks: from 58 to 72. 1 problem and 2 fixes marked.'"""
    first, last = history.points[0][1], history.points[-1][1]
    return (f"Score over the last {_count(len(history.points) - 1, 'week', 'weeks')}: from {first} to {last}. "
            f"{_count(len(history.failures), 'problem', 'problems')} and "
            f"{_count(len(history.recoveries), 'fix', 'fixes')} marked.")


class HistoryChart(QWidget):
    """The score at weekly points over the last six months, band colours behind it, failures and fixes marked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history: ScoreHistory | None = None
        self.setMinimumSize(260, 110)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Score history")

    def set_history(self, history: ScoreHistory | None) -> None:
        self.history = history
        if history and history.points:
            self.setToolTip(history_tooltip(history))
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(320, 120)

    def _geometry(self) -> tuple[QRectF, float, float]:
        plot = QRectF(self.rect()).adjusted(28, 6, -6, -18)
        points = self.history.points if self.history else ()
        start = points[0][0].timestamp() if points else 0.0
        end = points[-1][0].timestamp() if points else 1.0
        return plot, start, max(end - start, 1.0)

    def _x(self, plot: QRectF, start: float, span: float, when: datetime) -> float:
        return plot.left() + plot.width() * (when.timestamp() - start) / span

    @staticmethod
    def _y(plot: QRectF, score: float) -> float:
        return plot.bottom() - plot.height() * score / 100.0

    def paintEvent(self, event: Any) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        plot, start, span = self._geometry()
        palette = self.palette()
        for band, low, high in BAND_LIMITS:
            fill = band_colour(band)
            fill.setAlpha(32)
            painter.fillRect(QRectF(plot.left(), self._y(plot, min(high, 100)), plot.width(),
                                    self._y(plot, low) - self._y(plot, min(high, 100))), fill)
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.8))
        painter.setFont(small)
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        for value in (35, 65):
            painter.drawText(QRectF(0, self._y(plot, value) - 8, 24, 16),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, str(value))
        if not self.history or not self.history.points:
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, "No history yet")
            return
        points = self.history.points
        path = QPainterPath()
        for i, (when, score) in enumerate(points):
            point = QPointF(self._x(plot, start, span, when), self._y(plot, score))
            path.moveTo(point) if i == 0 else path.lineTo(point)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Text), 1.8))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        self._marks(painter, plot, start, span)
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        for when in (points[0][0], points[len(points) // 2][0], points[-1][0]):
            x = self._x(plot, start, span, when)
            label = fmt.day_month(fmt.local(when))
            left = min(max(0.0, x - 30), self.width() - 60.0)  # keep the end labels inside the widget
            painter.drawText(QRectF(left, plot.bottom() + 2, 60, 14), Qt.AlignmentFlag.AlignCenter, label)

    def _score_at(self, when: datetime) -> float:
        """The line's height at `when` (between weekly points), to place a mark on it."""
        points = self.history.points if self.history else ()
        for (t0, s0), (t1, s1) in zip(points, points[1:], strict=False):
            if t0 <= when <= t1:
                span = (t1 - t0).total_seconds() or 1.0
                return s0 + (s1 - s0) * (when - t0).total_seconds() / span
        return points[-1][1] if points else 50.0

    def _marks(self, painter: QPainter, plot: QRectF, start: float, span: float) -> None:
        assert self.history is not None
        for when, _label in self.history.failures:
            x, y = self._x(plot, start, span, when), self._y(plot, self._score_at(when))
            painter.setPen(QPen(band_colour("Red"), 2.2))
            painter.drawLine(QPointF(x - 4, y - 4), QPointF(x + 4, y + 4))
            painter.drawLine(QPointF(x - 4, y + 4), QPointF(x + 4, y - 4))
        for when, _label in self.history.recoveries:
            x, y = self._x(plot, start, span, when), self._y(plot, self._score_at(when))
            painter.setPen(QPen(band_colour("Green"), 1.5))
            painter.setBrush(band_colour("Green"))
            painter.drawEllipse(QPointF(x, y), 3.5, 3.5)
