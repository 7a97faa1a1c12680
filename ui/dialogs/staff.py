"""Who is at the desk: choose yourself at start (the first person adds themselves), mark someone away.

Office > Team is ui/dialogs/team.py (issue 11)."""
from __future__ import annotations

from datetime import datetime, time

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from models import store
from models.store import StaffMember, StoreError
from ui import fmt
from ui.app import dress
from ui.context import AppContext
from ui.widgets import FormDialog, mark_invalid


class StaffPicker(QDialog):
    """"Who is at this desk?": pick yourself from the team, or add yourself (the very first person, too)."""

    chosen = Signal(object)
    """The person at the desk (a StaffMember)."""

    def __init__(self, ctx: AppContext, team: list[StaffMember], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.team = team
        self.setWindowTitle("Who is at this desk?")
        self.setMinimumWidth(380)
        first = not team
        intro = QLabel("Welcome to Rapport. You are the first person here: type your name to start."
                       if first else "Choose yourself, so everything you do is recorded under your name.",
                       wordWrap=True)
        self.list = QListWidget()
        self.list.setAccessibleName("Team")
        for member in team:
            item = QListWidgetItem(f"{member.name}  ({member.initials})")
            item.setData(Qt.ItemDataRole.UserRole, member)
            self.list.addItem(item)
        self.list.setVisible(not first)
        self.name = QLineEdit(placeholderText="Your name")
        self.name.setAccessibleName("Your name")
        self.add_button = QPushButton("Start" if first else "Add me")
        self.error = dress(QLabel(objectName="error", wordWrap=True))
        self.error.hide()
        row = QHBoxLayout()
        row.addWidget(self.name, 1)
        row.addWidget(self.add_button)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("That's me")
        self.buttons.setVisible(not first)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list)
        layout.addLayout(row)
        if not first:  # issue 11: only an administrator adds colleagues (Office > Team), never the picker
            self.name.hide()
            self.add_button.hide()
            layout.addWidget(dress(QLabel("New here? Ask an administrator to add you in Office > Team.",
                                          objectName="muted", wordWrap=True)))
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.list.itemActivated.connect(self._on_list_item_activated)
        self.buttons.accepted.connect(self._on_ok)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.name.returnPressed.connect(self._on_add_clicked)
        if team:
            self.list.setCurrentRow(0)
            self.list.setFocus()
        else:
            self.name.setFocus()

    def _on_list_item_activated(self, item: QListWidgetItem) -> None:
        self._choose(item.data(Qt.ItemDataRole.UserRole))

    def _on_ok(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self._choose(item.data(Qt.ItemDataRole.UserRole))

    def _choose(self, member: StaffMember) -> None:
        self.chosen.emit(member)
        self.accept()

    def _on_add_clicked(self) -> None:
        name = self.name.text()
        if self.team:  # issue 11: colleagues are added by an administrator in Office > Team
            return
        by = None  # the first person of a new office is added by nobody
        self.add_button.setEnabled(False)
        self.ctx.tasks.run(lambda: store.get_staff(store.add_staff(name, by=by)), self._choose, self._on_failed)

    def _on_failed(self, error: StoreError) -> None:
        self.add_button.setEnabled(True)
        self.error.setText(error.message)
        self.error.show()
        mark_invalid(self.name, True)
        self.name.setFocus()


class AwayDialog(FormDialog):
    """Mark a colleague away: first day away, the day back, and why (their promises go to Covering)."""

    def __init__(self, ctx: AppContext, member: StaffMember, parent: QWidget | None = None) -> None:
        super().__init__(f"{member.name} is away", parent)
        self.ctx, self.member = ctx, member
        today = QDate(fmt.local(store.utcnow()).date())  # the store's clock (a demo office has its own)
        self.start = QDateEdit(today, calendarPopup=True)
        self.start.setDisplayFormat("ddd d MMM yyyy")  # names in the desk's locale; never "5 12 2026"
        # issue 13: "Back on" typed as people say it ("monday", "back on the 15th"): a day means its start
        from ui.due_input import DueInput  # the due-date grammar loads with the away dialog, not at start

        self.end = DueInput(placeholder="For example: monday, tomorrow, 1 Dec", day_start=True)
        self.end.edit.setAccessibleName("Back on")
        self.end.setText("tomorrow")
        self.reason = QLineEdit(placeholderText="For example: Holiday, Sick, Training")
        form = QFormLayout()
        form.addRow("First day away", self.start)
        form.addRow("Back on", self.end)
        form.addRow("Reason", self.reason)
        self.finish(form, QDialogButtonBox.StandardButton.Save)

    def submit(self) -> None:
        start = datetime.combine(self.start.date().toPython(), time(0, 0)).astimezone()
        back = self.end.value_to_save()  # None while the phrase asks and nobody picked
        if back is None:
            problem = self.end.problem()
            self.end.clear_feedback()
            mark_invalid(self.end.edit, True)
            self.show_error(problem)
            return
        mark_invalid(self.end.edit, False)
        end = back.astimezone()
        by, sid, reason = self.ctx.staff_id, self.member.id, self.reason.text()
        self.ctx.tasks.run(lambda: store.set_away(sid, by=by, away_from=start, away_until=end, reason=reason),
                           lambda _: self.accept(), lambda error: self.show_error(error.message))
