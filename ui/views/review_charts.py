"""The review's charts with pyqtgraph (imported here, when the review opens: start-up never pays for it).

Charts follow the palette (dark mode) or, for print and PDF, black on white; every bar carries its label
and its number, and the band mix also has a fill pattern per band, so nothing is told by colour alone.
"""
from __future__ import annotations

from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QPalette
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


def _plot(title: str, paper: bool) -> pg.PlotWidget:
    background, text = _colours(paper)
    widget = pg.PlotWidget(background=background)
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
              suffix: str = "%") -> pg.PlotWidget:
    """Horizontal bars, one per label, each with its label and number written beside it."""
    widget = _plot(title, paper)
    _, text = _colours(paper)
    shown = [(label, value) for label, value in zip(labels, values, strict=True) if value is not None]
    count = len(shown)
    item = widget.getPlotItem()
    if count:
        ys = list(range(count))[::-1]
        widths = [float(v) for _, v in shown]
        item.addItem(pg.BarGraphItem(x0=0, y=ys, height=0.6, width=widths, brush=QBrush(QColor(ACCENT)),
                                     pen=pg.mkPen(text)))
        top = max(max(widths), 1.0)
        for y, (label, value) in zip(ys, shown, strict=True):
            note = pg.TextItem(f"{label}: {value:.0f}{suffix}", color=text, anchor=(0, 0.5))
            note.setPos(value + top * 0.02, y)
            item.addItem(note)
        item.setXRange(0, top * 1.6, padding=0)
        item.setYRange(-0.8, count - 0.2, padding=0)
    item.getAxis("left").setTicks([[]])
    item.getAxis("left").setWidth(8)
    return widget


def band_chart(at_since: dict[str, int], at_until: dict[str, int], *, paper: bool = False) -> pg.PlotWidget:
    """Green / Amber / Red at the start and at the end of the period: grouped bars, patterned and labelled."""
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
    item.getAxis("bottom").setTicks([[(n * 3 + 0.5, band) for n, band in enumerate(("Green", "Amber", "Red"))]])
    item.setYRange(0, top * 1.3, padding=0)
    return widget


def line_chart(title: str, values: Sequence[float | None], week_labels: Sequence[str], *,
               paper: bool = False, suffix: str = "") -> pg.PlotWidget:
    """A small line chart of one figure week by week, with its last value in the title."""
    last = next((v for v in reversed(values) if v is not None), None)
    widget = _plot(f"{title}: {last:.0f}{suffix}" if last is not None else title, paper)
    _, text = _colours(paper)
    item = widget.getPlotItem()
    xs = [k for k, v in enumerate(values) if v is not None]
    ys = [float(v) for v in values if v is not None]
    if xs:
        item.plot(xs, ys, pen=pg.mkPen(QColor(ACCENT), width=2), symbol="o", symbolSize=5,
                  symbolBrush=QColor(ACCENT), symbolPen=pg.mkPen(text))
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
