"""Office > Settings: the office's shared settings (in the office database) and this desk's own (QSettings).

Other issues add their settings here: a row in `_office_page` (or a page of their own) and its name in
`store.OfficeSettings`; the dialog saves only what changed, with the version it read.
"""
from __future__ import annotations

from datetime import time
from typing import Any

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from models import store
from models.store import ChangeKind, Changes, ConflictError, StoreError
from ui import settings as desk
from ui.actions.country import locale_country
from ui.app import dress
from ui.context import AppContext
from ui.lifetime import delete_on_close, subscribe
from ui.widgets import FormDialog

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# The "needs attention" thresholds (REPORTS.md): field, label, low, high.
THRESHOLDS = (
    ("attention_min_interactions", "Interactions before judging a colleague's ratings", 1, 10_000),
    ("attention_wrong_points", "Points of wrong ratings that need attention", 0, 100),
    ("attention_min_promises", "Promises before judging how many are kept", 1, 10_000),
    ("attention_kept_points", "Points below the office's kept share that need attention", 0, 100),
    ("attention_min_second", "Second-impression cases before judging them", 1, 10_000),
    ("attention_second_below", "Share of second impressions put right, below which (%)", 0, 100),
)


def _qtime(value: time) -> QTime:
    return QTime(value.hour, value.minute)


def _time(edit: QTimeEdit) -> str:
    return edit.time().toString("HH:mm")


class OfficeSettingsDialog(FormDialog):
    """Two pages: the office's settings, shared by every desk, and this desk's own."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("Settings", parent)
        delete_on_close(self)
        self.ctx = ctx
        self.current: store.OfficeSettings | None = None  # as read: what this form's changes are measured against
        self.version = 0  # what the next save is based on (a colleague's, once they saved first and OK is pressed)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._office_page(), "The office (every desk)")
        self.tabs.addTab(self._desk_page(), "This desk")
        layout = QVBoxLayout()
        layout.addWidget(self.tabs)
        self.finish(layout)
        self.setEnabled(False)  # until the office's settings are read
        subscribe(self, ctx.events.data_changed, self._on_data_changed)
        self.reload()

    def _office_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.office_name = QLineEdit(placeholderText="For example: Harbour Street Dental")
        self.country = QLineEdit(placeholderText="Two letters, for example GB", maxLength=2)
        self.country_hint = self.hint_label()
        self.opens, self.closes, self.day_ends = QTimeEdit(), QTimeEdit(), QTimeEdit()
        for edit in (self.opens, self.closes, self.day_ends):
            edit.setDisplayFormat("HH:mm")
        self.review_day = QComboBox()
        self.review_day.addItems(WEEKDAYS)
        topics = self._topics_editor()
        form.addRow("Office name", self.office_name)
        form.addRow("Country (for phone numbers)", self.country)
        form.addRow("", self.country_hint)
        form.addRow("Office opens", self.opens)
        form.addRow("Office closes", self.closes)
        form.addRow("A due date without a time means", self.day_ends)
        form.addRow("Weekly review on", self.review_day)
        form.addRow("Topics offered when logging", topics)
        form.addRow("", self.topic_hint)
        self.thresholds: dict[str, QSpinBox | QDoubleSpinBox] = {}
        for name, label, low, high in THRESHOLDS:
            box = QSpinBox(minimum=low, maximum=high)
            self.thresholds[name] = box
            form.addRow(label, box)
        ratio = QDoubleSpinBox(minimum=1.0, maximum=10.0, singleStep=0.1, decimals=1)
        self.thresholds["attention_wrong_ratio"] = ratio
        form.addRow("Ratio of wrong ratings that needs attention", ratio)
        return page

    def _topics_editor(self) -> QWidget:
        """The office's topics as a list: Add and Hide are saved with OK; Rename renames at once, on past
        interactions too, after saying how many (store.rename_topic: one recorded change, every desk sees it)."""
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        self.topic_list = QListWidget()
        self.topic_list.setAccessibleName("Topics offered when logging")
        self.topic_list.setFixedHeight(130)
        buttons = QVBoxLayout()
        self.add_topic_button = QPushButton("Add...")
        self.rename_topic_button = QPushButton("Rename...")
        self.hide_topic_button = QPushButton("Hide")
        self.add_topic_button.clicked.connect(self.add_topic)
        self.rename_topic_button.clicked.connect(self.ask_rename_topic)
        self.hide_topic_button.clicked.connect(self.hide_topic)
        for button in (self.add_topic_button, self.rename_topic_button, self.hide_topic_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        row.addWidget(self.topic_list, 1)
        row.addLayout(buttons)
        self.topic_hint = self.hint_label("Rename changes the topic on past interactions too, at once. A hidden "
                                          "topic is no longer offered, and past interactions keep it.")
        self.rename_box: QMessageBox | None = None
        return box

    def topic_names(self) -> list[str]:
        return [self.topic_list.item(n).text() for n in range(self.topic_list.count())]

    def _topic_taken(self, name: str, but: int = -1) -> bool:
        if any(n.casefold() == name.casefold() for k, n in enumerate(self.topic_names()) if k != but):
            self.show_error(f"There is already a topic called '{name}'.")
            return True
        return False

    def add_topic(self) -> None:
        name, ok = QInputDialog.getText(self, "Add a topic", "The new topic:")
        name = " ".join(name.split())
        if ok and name and not self._topic_taken(name):
            self.topic_list.addItem(name)
            self.topic_list.setCurrentRow(self.topic_list.count() - 1)
            self.topic_hint.setText(f"'{name}' will be offered when logging once you press OK.")

    def hide_topic(self) -> None:
        row = self.topic_list.currentRow()
        if row >= 0:
            name = self.topic_list.takeItem(row).text()
            self.topic_hint.setText(f"'{name}' will no longer be offered once you press OK; past interactions "
                                    "keep it.")

    def ask_rename_topic(self) -> None:
        """Ask the new name, count the past interactions that carry the topic, and ask to confirm."""
        row = self.topic_list.currentRow()
        if row < 0 or self.current is None:
            self.show_error("Choose the topic to rename in the list first.")
            return
        old = self.topic_list.item(row).text()
        new, ok = QInputDialog.getText(self, "Rename a topic", f"The new name for '{old}':", text=old)
        new = " ".join(new.split())
        if not ok or not new or new == old or self._topic_taken(new, but=row):
            return
        saved = {n.casefold() for n in (*self.current.topics, *self.current.hidden_topics)}
        if old.casefold() not in saved:  # added in this form, not saved yet: nothing on past interactions
            self.topic_list.item(row).setText(new)
            return
        self.ctx.tasks.run(lambda: store.topic_uses(old), lambda count: self._confirm_rename(old, new, count),
                           lambda error: self.show_error(error.message))

    def _confirm_rename(self, old: str, new: str, count: int) -> None:
        past = ("No past interaction has this topic yet." if count == 0 else
                f"The {count:,} past interaction{'s' if count != 1 else ''} with this topic will be renamed too.")
        box = QMessageBox(QMessageBox.Icon.Question, "Rename a topic",
                          f"Rename the topic '{old}' to '{new}'? {past} This is one change, recorded in the "
                          "office's history, and every desk uses the new name at once.", parent=self)
        rename = box.addButton("Rename", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(rename)
        box.finished.connect(lambda _result: self._rename(old, new) if box.clickedButton() is rename else None)
        self.rename_box = box
        box.open()

    def _rename(self, old: str, new: str) -> None:
        by, version = self.ctx.staff_id, self.version
        self.ctx.tasks.run(lambda: store.rename_topic(old, new, version=version, by=by),
                           lambda _changes: self._renamed(old, new), self._rename_failed)

    def _rename_failed(self, error: StoreError) -> None:
        if isinstance(error, ConflictError) and isinstance(error.current, store.OfficeSettings):
            self.version = error.current.version
            self.show_error("A colleague changed the office settings while you were editing them, so nothing was "
                            "renamed. Press Rename again to rename it now; what you typed here is still here.")
            return
        self.show_error(error.message)

    def _renamed(self, old: str, new: str) -> None:
        for n in range(self.topic_list.count()):
            if self.topic_list.item(n).text().casefold() == old.casefold():
                self.topic_list.item(n).setText(new)
        self.topic_hint.setText(f"Renamed '{old}' to '{new}', on past interactions too.")
        self.ctx.events.message_reported.emit(f"Renamed the topic '{old}' to '{new}'; every desk uses it now.")
        self.ctx.tasks.run(store.office_settings, self._adopt, lambda error: self.show_error(error.message))

    def _adopt(self, current: store.OfficeSettings) -> None:
        """The settings after a rename: what OK saves is measured against them (the rest of the form stays)."""
        self.current, self.version = current, current.version

    def _desk_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.idle_lock = QSpinBox(minimum=0, maximum=240, suffix=" minutes", specialValueText="Never")
        self.idle_lock.setValue(desk.number(self.ctx.settings, desk.IDLE_LOCK_MINUTES, 0))
        form.addRow("Lock this desk after it is left idle for", self.idle_lock)
        form.addRow("", self.hint_label("The window's size and arrangement are remembered on this computer."))
        return page

    @staticmethod
    def hint_label(text: str = "") -> Any:
        from PySide6.QtWidgets import QLabel

        return dress(QLabel(text, objectName="hint", wordWrap=True))

    # --- reading ---
    def reload(self) -> None:
        self.ctx.tasks.run(store.office_settings, self._on_loaded, lambda error: self.show_error(error.message))

    def _on_data_changed(self, changes: Changes) -> None:
        if ChangeKind.SETTINGS in changes.kinds and self.current is not None and not self._edited():
            self.reload()  # a colleague's change, shown at once while nothing is typed here

    def _on_loaded(self, current: store.OfficeSettings) -> None:
        self.current, self.version = current, current.version
        self.setEnabled(True)
        self.office_name.setText(current.office_name)
        suggested = locale_country()
        self.country.setText(current.country or suggested)
        self.country_hint.setText("" if current.country or not suggested else
                                  f"Suggested from this computer ({suggested}); saved when you press OK.")
        self.opens.setTime(_qtime(current.opens))
        self.closes.setTime(_qtime(current.closes))
        self.day_ends.setTime(_qtime(current.day_ends))
        self.review_day.setCurrentIndex(current.review_day)
        self.topic_list.clear()
        self.topic_list.addItems(list(current.topics))
        for name, box in self.thresholds.items():
            box.setValue(getattr(current, name))

    # --- saving ---
    def values(self) -> dict[str, Any]:
        """What the form says, in the store's terms."""
        out: dict[str, Any] = {
            "office_name": self.office_name.text(), "country": self.country.text().strip().upper(),
            "opens": _time(self.opens), "closes": _time(self.closes), "day_ends": _time(self.day_ends),
            "review_day": self.review_day.currentIndex(),
            "topics": self.topic_names(),
        }
        out.update({name: box.value() for name, box in self.thresholds.items()})
        return out

    def changed(self) -> dict[str, Any]:
        """Only what differs from the settings as they were read."""
        assert self.current is not None
        current = self.current
        was = {k: (f"{v.hour:02d}:{v.minute:02d}" if isinstance(v, time) else list(v) if isinstance(v, tuple) else v)
               for k in self.values() for v in [getattr(current, k)]}
        return {k: v for k, v in self.values().items() if v != was[k]}

    def _edited(self) -> bool:
        return bool(self.changed())

    def submit(self) -> None:
        self.ctx.settings.setValue(desk.IDLE_LOCK_MINUTES, self.idle_lock.value())
        lock = getattr(self.parentWidget(), "idle_lock", None)  # the window's lock (issue 11) takes it at once
        if lock is not None:
            lock.set_minutes(self.idle_lock.value())
        if self.current is None:
            return
        values = self.changed()
        if not values:
            self.accept()
            return
        by, version = self.ctx.staff_id, self.version
        self.ctx.tasks.run(lambda: store.update_office_settings(version=version, by=by, **values),
                           lambda _: self._on_saved(), self._on_failed)

    def _on_saved(self) -> None:
        self.ctx.events.message_reported.emit("Settings saved; every desk uses them now.")
        self.accept()

    def _on_failed(self, error: StoreError) -> None:
        if isinstance(error, ConflictError) and isinstance(error.current, store.OfficeSettings):
            self.version = error.current.version  # OK again saves only these changes on top of theirs, knowingly
            self.show_error("A colleague changed the office settings while you were editing them. Your changes "
                            "are still here: press OK again to save them on top, or Cancel to keep theirs.")
            return
        self.show_error(error.message)
