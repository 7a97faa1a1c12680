"""Rapport's look without an application-wide style sheet: with one, every widget was polished and painted through
Qt's style-sheet style, which cost start-up about 8 ms (issue 10). The widgets that have a look get it from
`ui.app.dress`; these tests catch one that was named for a look but never given it (it would show plain)."""
from __future__ import annotations

import ast
from pathlib import Path

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QToolButton, QWidget

from ui.app import apply_style, muted_colour
from ui.main_window import MainWindow
from ui.widgets import mark_invalid

UI = Path(__file__).resolve().parents[2] / "ui"
# The object names resources/style.qss gives a look to (QLabel#muted, QWidget#offer, ...).
LOOKS = {"clientName", "muted", "error", "hint", "caution", "context", "presence", "offer"}


def test_every_widget_named_for_a_look_is_dressed() -> None:
    """A `QLabel(objectName="muted")` not inside `dress(...)` would be plain: no application sheet styles it now."""
    undressed = []
    for path in sorted(UI.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        dressed = {id(arg) for node in ast.walk(tree) if isinstance(node, ast.Call)
                   and isinstance(node.func, ast.Name) and node.func.id == "dress" for arg in node.args}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or id(node) in dressed:
                continue
            for keyword in node.keywords:
                if keyword.arg == "objectName" and isinstance(keyword.value, ast.Constant) \
                        and keyword.value.value in LOOKS:
                    undressed.append(f"{path.relative_to(UI.parent)}:{node.lineno}")
            if isinstance(node.func, ast.Attribute) and node.func.attr == "setObjectName" and node.args \
                    and isinstance(node.args[0], ast.Constant) and node.args[0].value in LOOKS:
                undressed.append(f"{path.relative_to(UI.parent)}:{node.lineno} (setObjectName)")
    assert undressed == []


def _window_text(widget: QWidget) -> QColor:
    widget.ensurePolished()
    return widget.palette().color(QPalette.ColorRole.WindowText)


def test_the_window_has_its_looks_without_an_application_sheet(ready: MainWindow) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_style(app)  # as main.py does
    assert app.styleSheet() == ""
    window = ready
    window.open_client(window.client_list.model.shown_rows()[0].id)
    header = window.client_view.header
    named = [w for w in window.findChildren(QWidget) if w.objectName() in LOOKS]
    assert {"muted", "clientName", "presence", "caution"} <= {w.objectName() for w in named}
    for label in (window.placeholder, window.client_list.count, window.database_label, header.contact):
        assert _window_text(label).name() == muted_colour().name()  # the quiet colour (test_today_view_layout)
    plain = QLabel("plain")
    assert _window_text(plain).name() != muted_colour().name()
    assert header.name.font().pixelSize() == 20 and header.name.font().bold()
    assert window.desk_button.font().bold()
    assert header.caution.styleSheet() and window.client_view.offer.styleSheet()  # boxes: resources/style.qss


def test_the_first_window_has_no_style_sheet_until_a_box_shows(make_window, seeded: dict[str, int]) -> None:
    """Any sheet in the first window (even on one widget) costs start-up about 8 ms: its looks are colours and
    fonts; a banner gets its box when it first shows, the At risk button its checked look when first checked."""
    window = make_window()
    with_sheet = [w for w in window.findChildren(QWidget) if w.styleSheet()]
    assert with_sheet == []
    assert not window.client_list.table.showGrid()  # what the sheet's transparent grid lines did
    window.error_banner.say("The office database is not answering.")
    window.error_banner.resize(400, 40)
    box = window.error_banner.grab().toImage()
    assert window.error_banner.styleSheet() == ""  # it paints its own box: a tint of red inside, a red edge
    inside, edge = box.pixelColor(200, 3), box.pixelColor(200, 0)
    assert inside.red() > inside.blue() + 20 and edge.red() > edge.blue() + 60
    window.client_list.at_risk.click()
    assert window.client_list.at_risk.styleSheet()


def test_a_checked_tool_button_and_a_refused_field_look_as_before(qtbot) -> None:  # noqa: ANN001
    from ui.app import dress

    button = dress(QToolButton(text="At risk", checkable=True))
    field = QLineEdit()
    for widget in (button, field):
        qtbot.addWidget(widget)
        widget.resize(120, 30)
        widget.show()
    plain = button.grab().toImage()
    button.setChecked(True)
    checked = button.grab().toImage()
    assert plain.pixelColor(60, 15) != checked.pixelColor(60, 15)  # QToolButton:checked's blue wash
    mark_invalid(field, True)
    edge = field.grab().toImage().pixelColor(0, 15)
    assert edge.red() > 150 and edge.green() < 90 and edge.blue() < 90  # *[invalid="true"]'s red edge
    mark_invalid(field, False)
    edge = field.grab().toImage().pixelColor(0, 15)
    assert not (edge.red() > 150 and edge.green() < 90)
