"""The review's charts with pyqtgraph (imported here, when the review opens: start-up never pays for it).

Charts follow the palette (dark mode) or, for print and PDF, black on white; every bar carries its label
and its number, and the band mix also has a fill pattern per band, so nothing is told by colour alone.

Every bar and every point is a number, so each is a link (`PickChart.picked` hands back what it counts):
click it, or tab to the chart, choose with the arrow keys and press Enter.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFocusEvent, QFont, QImage, QKeyEvent, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from ui.views.score import BAND_COLOURS

ACCENT = "#3b7dd8"  # bars and lines: reads on light and dark backgrounds
BAND_PATTERNS = {"Green": Qt.BrushStyle.SolidPattern, "Amber": Qt.BrushStyle.BDiagPattern,
                 "Red": Qt.BrushStyle.DiagCrossPattern}


def _colours(paper: bool) -> tuple[QColor, QColor]:
    """(background, text): the window's palette on screen, black on white on paper."""
    if paper:
        return QColor("white"), QColor("black")
    palette = QApplication.palette()
    return palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)


class PickChart(pg.PlotWidget):
    """A chart whose bars or points are links: a click picks the nearest one, and so do the arrow keys + Enter.

    `spots` are (x, y, target, words) in the chart's coordinates; `along` says which coordinate tells them
    apart ("x": columns and weeks, "y": horizontal bars). `picked` carries the target.
    """

    picked = Signal(object)

    def __init__(self, background: QColor) -> None:
        super().__init__(background=background)
        self.spots: list[tuple[float, float, Any, str]] = []
        self.along = "x"
        self.current = -1
        self.marker: pg.ScatterPlotItem | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.scene().sigMouseClicked.connect(self._on_click)

    def add_spot(self, x: float, y: float, target: Any, words: str) -> None:
        if target is None:
            return
        self.spots.append((x, y, target, words))
        self.current = len(self.spots) - 1 if self.along == "x" else 0  # the last week; the top bar
        self.setToolTip("Click a bar or a point to see what it counts (or use the arrow keys and Enter).")
        self._describe()

    def spot_at(self, scene_pos: QPointF) -> int:
        """The spot nearest a click: above the plot (its title, which names the last week) the current one."""
        if not self.spots:
            return -1
        box = self.getPlotItem().vb
        if scene_pos.y() < box.sceneBoundingRect().top():
            return self.current
        point = box.mapSceneToView(scene_pos)
        at = point.x() if self.along == "x" else point.y()
        return min(range(len(self.spots)), key=lambda n: abs(self.spots[n][0 if self.along == "x" else 1] - at))

    def scene_pos_of(self, n: int) -> QPointF:
        """Where spot n is drawn, in scene coordinates (for tests and the marker)."""
        x, y, _target, _words = self.spots[n]
        return self.getPlotItem().vb.mapViewToScene(QPointF(x, y))

    def _on_click(self, event: Any) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        n = self.spot_at(event.scenePos())
        if n >= 0:
            self.current = n
            self._show_marker()
            self.picked.emit(self.spots[n][2])

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        if not self.spots:
            super().keyPressEvent(event)
            return
        key = event.key()
        step = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}.get(key)
        if self.along == "x" and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            step = None
        if step is not None:
            self.current = max(0, min(len(self.spots) - 1, self.current + step))
            self._show_marker()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.picked.emit(self.spots[self.current][2])
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt's name)
        super().focusInEvent(event)
        self._show_marker()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt's name)
        super().focusOutEvent(event)
        if self.marker is not None:
            self.marker.setData([], [])

    def _describe(self) -> None:
        if 0 <= self.current < len(self.spots):
            self.setAccessibleDescription(f"{self.spots[self.current][3]}. Press Enter to see what it counts.")

    def _show_marker(self) -> None:
        if not 0 <= self.current < len(self.spots):
            return
        x, y, _target, words = self.spots[self.current]
        if self.marker is None:
            self.marker = pg.ScatterPlotItem(size=16, symbol="o", brush=None,
                                             pen=pg.mkPen(self.palette().color(QPalette.ColorRole.Highlight),
                                                          width=3))
            self.getPlotItem().addItem(self.marker)
        self.marker.setData([x], [y])
        self._describe()
        self.setToolTip(f"{words}: press Enter (or click) to see what it counts.")


def _plot(title: str, paper: bool) -> PickChart:
    background, text = _colours(paper)
    widget = PickChart(background)
    widget.setMenuEnabled(False)
    widget.setMouseEnabled(x=False, y=False)
    widget.hideButtons()
    item = widget.getPlotItem()
    item.setTitle(title, color=text.name(), size="10pt")
    for side in ("left", "bottom"):
        axis = item.getAxis(side)
        axis.setPen(pg.mkPen(text))
        axis.setTextPen(pg.mkPen(text))
    widget.setAccessibleName(title)
    return widget


def bar_chart(title: str, labels: Sequence[str], values: Sequence[float | None], *, paper: bool = False,
              suffix: str = "%", targets: Sequence[Any] | None = None) -> PickChart:
    """Horizontal bars, one per label, each with its label and number written beside it (and its target)."""
    widget = _plot(title, paper)
    widget.along = "y"
    _, text = _colours(paper)
    aims = list(targets) if targets is not None else [None] * len(labels)
    shown = [(label, value, aim) for label, value, aim in zip(labels, values, aims, strict=True) if value is not None]
    count = len(shown)
    item = widget.getPlotItem()
    if count:
        ys = list(range(count))[::-1]
        widths = [float(v) for _, v, _aim in shown]
        item.addItem(pg.BarGraphItem(x0=0, y=ys, height=0.6, width=widths, brush=QBrush(QColor(ACCENT)),
                                     pen=pg.mkPen(text)))
        top = max(max(widths), 1.0)
        for y, (label, value, aim) in zip(ys, shown, strict=True):
            note = pg.TextItem(f"{label}: {value:.0f}{suffix}", color=text, anchor=(0, 0.5))
            note.setPos(value + top * 0.02, y)
            item.addItem(note)
            widget.add_spot(float(value), float(y), aim, f"{label}: {value:.0f}{suffix}")
        item.setXRange(0, top * 1.6, padding=0)
        item.setYRange(-0.8, count - 0.2, padding=0)
    item.getAxis("left").setTicks([[]])
    item.getAxis("left").setWidth(8)
    return widget


def band_chart(at_since: dict[str, int], at_until: dict[str, int], *, paper: bool = False,
               targets: dict[tuple[str, str], Any] | None = None) -> PickChart:
    """Green / Amber / Red at the start and at the end of the period: grouped bars, patterned and labelled.

    `targets[(band, "start" or "end")]`: what each bar counts."""
    widget = _plot("Clients by band: start and end of the period", paper)
    _, text = _colours(paper)
    item = widget.getPlotItem()
    top = max([1, *at_since.values(), *at_until.values()])
    for n, band in enumerate(("Green", "Amber", "Red")):
        for side, counts in enumerate((at_since, at_until)):
            x = n * 3 + side
            brush = QBrush(QColor(BAND_COLOURS[band]), BAND_PATTERNS[band])
            item.addItem(pg.BarGraphItem(x=[x], height=[counts.get(band, 0)], width=0.8, brush=brush,
                                         pen=pg.mkPen(text)))
            note = pg.TextItem(f"{counts.get(band, 0)}\n{'start' if side == 0 else 'end'}", color=text,
                               anchor=(0.5, 1))
            note.setPos(x, counts.get(band, 0) + top * 0.02)
            item.addItem(note)
            end = "start" if side == 0 else "end"
            widget.add_spot(float(x), float(counts.get(band, 0)), (targets or {}).get((band, end)),
                            f"{band} at the {end}: {counts.get(band, 0)}")
    item.getAxis("bottom").setTicks([[(n * 3 + 0.5, band) for n, band in enumerate(("Green", "Amber", "Red"))]])
    item.setYRange(0, top * 1.3, padding=0)
    return widget


def line_chart(title: str, values: Sequence[float | None], week_labels: Sequence[str], *,
               paper: bool = False, suffix: str = "", targets: Sequence[Any] | None = None) -> PickChart:
    """A small line chart of one figure week by week, with its last value in the title; each point a link."""
    last = next((v for v in reversed(values) if v is not None), None)
    widget = _plot(f"{title}: {last:.0f}{suffix}" if last is not None else title, paper)
    _, text = _colours(paper)
    item = widget.getPlotItem()
    if any(v is not None for v in values):  # a week with nothing to count is a gap, not a line across it
        ys = [float("nan") if v is None else float(v) for v in values]
        item.plot(list(range(len(values))), ys, pen=pg.mkPen(QColor(ACCENT), width=2), symbol="o", symbolSize=5,
                  symbolBrush=QColor(ACCENT), symbolPen=pg.mkPen(text), connect="finite")
        for k, value in enumerate(values):
            if value is not None and targets is not None:
                week = f"week of {week_labels[k]}" if k < len(week_labels) else f"week {k + 1}"
                widget.add_spot(float(k), float(value), targets[k], f"{title}, {week}: {value:.0f}{suffix}")
    step = max(1, len(week_labels) // 4)
    item.getAxis("bottom").setTicks([[(k, week_labels[k]) for k in range(0, len(week_labels), step)]])
    item.setXRange(-0.5, len(values) - 0.5, padding=0)
    return widget


def chart_image(widget: QWidget, size: QSize) -> QImage:
    """The chart drawn at `size`, for the PDF and for printing."""
    widget.resize(size)
    return widget.grab().toImage()


def small_font() -> QFont:
    font = QApplication.font()
    font.setPointSizeF(max(7.0, font.pointSizeF() - 1))
    return font
