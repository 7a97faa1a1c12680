"""Who is at the desk: choose yourself at start, switch quickly, add colleagues, mark someone away."""
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
from models.store import Changes, StaffMember, StoreError
from ui import fmt
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
        self.error = QLabel(objectName="error", wordWrap=True)
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
            layout.addWidget(QLabel("New here? Ask an administrator to add you in Office > Team.",
                                    objectName="muted", wordWrap=True))
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
        today = QDate.currentDate()
        self.start = QDateEdit(today, calendarPopup=True)
        self.end = QDateEdit(today.addDays(1), calendarPopup=True)
        self.reason = QLineEdit(placeholderText="For example: Holiday, Sick, Training")
        form = QFormLayout()
        form.addRow("First day away", self.start)
        form.addRow("Back on", self.end)
        form.addRow("Reason", self.reason)
        self.finish(form, QDialogButtonBox.StandardButton.Save)

    def submit(self) -> None:
        start = datetime.combine(self.start.date().toPython(), time(0, 0)).astimezone()
        end = datetime.combine(self.end.date().toPython(), time(0, 0)).astimezone()
        by, sid, reason = self.ctx.staff_id, self.member.id, self.reason.text()
        self.ctx.tasks.run(lambda: store.set_away(sid, by=by, away_from=start, away_until=end, reason=reason),
                           lambda _: self.accept(), lambda error: self.show_error(error.message))


class TeamDialog(QDialog):
    """The team: add a colleague, mark someone away or back at work."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Team")
        self.setMinimumSize(460, 360)
        self.list = QListWidget()
        self.name = QLineEdit(placeholderText="A colleague's full name")
        self.add_button = QPushButton("Add colleague")
        self.away_button = QPushButton("Mark away...")
        self.back_button = QPushButton("Back at work")
        self.error = QLabel(objectName="error", wordWrap=True)
        self.error.hide()
        add_row = QHBoxLayout()
        add_row.addWidget(self.name, 1)
        add_row.addWidget(self.add_button)
        actions = QHBoxLayout()
        actions.addWidget(self.away_button)
        actions.addWidget(self.back_button)
        actions.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(actions)
        layout.addLayout(add_row)
        layout.addWidget(self.error)
        layout.addWidget(close)
        close.rejected.connect(self.reject)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.name.returnPressed.connect(self._on_add_clicked)
        self.away_button.clicked.connect(self._on_away_clicked)
        self.back_button.clicked.connect(self._on_back_clicked)
        self.list.currentItemChanged.connect(lambda *_: self._update_buttons())
        self._update_buttons()
        ctx.events.data_changed.connect(self._on_data_changed)
        self.reload()

    def reload(self) -> None:
        self.ctx.tasks.run(store.list_staff, self._on_team_loaded)

    def _on_data_changed(self, changes: Changes) -> None:
        if "staff" in changes.kinds:
            self.reload()

    def _on_team_loaded(self, team: list[StaffMember]) -> None:
        self.list.clear()
        now = store.utcnow()
        for member in team:
            text = member.name
            if member.away_until and member.away_until > now:  # away_until is the day they are back
                since = "since" if member.away_from and member.away_from <= now else "from"
                text += (f"  (away {since} {fmt.in_sentence(fmt.date_only(member.away_from, now))}, back "
                         f"{fmt.in_sentence(fmt.date_only(member.away_until, now))}")
                text += f": {member.away_reason})" if member.away_reason else ")"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, member)
            self.list.addItem(item)

    def _update_buttons(self) -> None:
        """Mark away / Back at work act on the chosen colleague: offered only once somebody is chosen."""
        chosen = self.list.currentItem() is not None
        self.away_button.setEnabled(chosen)
        self.back_button.setEnabled(chosen)

    def _selected(self) -> StaffMember | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _on_add_clicked(self) -> None:
        name, by = self.name.text(), self.ctx.staff_id
        self.ctx.tasks.run(lambda: store.add_staff(name, by=by), lambda _: self.name.clear(), self._on_failed)

    def _on_away_clicked(self) -> None:
        member = self._selected()
        if member is not None:
            AwayDialog(self.ctx, member, self).open()

    def _on_back_clicked(self) -> None:
        member = self._selected()
        if member is None:
            return
        by, sid = self.ctx.staff_id, member.id
        self.ctx.tasks.run(lambda: store.set_away(sid, by=by, away_from=None, away_until=None), None,
                           self._on_failed)

    def _on_failed(self, error: StoreError) -> None:
        self.error.setText(error.message)
        self.error.show()

