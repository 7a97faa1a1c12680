"""Office > Team (issue 11): add, rename, set the role, set or clear a PIN, take off the team and bring back,
mark away; and this desk's idle lock.

Administrator actions ask for the administrator's PIN first (ui/dialogs/pin.py); the store refuses them for
anyone else whatever this window shows. Anyone may rename themselves and set their own PIN.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from models import store
from models.rules.vocab import ROLES
from models.store import Changes, StaffMember, StoreError
from ui import fmt
from ui import settings as desk
from ui.app import dress
from ui.context import AppContext
from ui.dialogs import pin
from ui.lifetime import subscribe
from ui.widgets import FormDialog

# This desk's idle lock, in minutes (0 = never), kept in QSettings. (ui/settings.py, issue 10, is to hold
# every desk key; until it lands this constant is the one place the key is written.)
IDLE_LOCK_KEY = desk.IDLE_LOCK_MINUTES  # every desk setting key is in ui/settings.py
IDLE_LOCK_MAX = 240


def idle_minutes(ctx: AppContext) -> int:
    """This desk's idle lock in minutes (0 = off)."""
    try:
        return max(0, min(IDLE_LOCK_MAX, int(ctx.settings.value(IDLE_LOCK_KEY, 0) or 0)))
    except (TypeError, ValueError):
        return 0


class RenameDialog(FormDialog):
    """A colleague's name and initials (anyone may change their own)."""

    def __init__(self, ctx: AppContext, member: StaffMember, parent: QWidget | None = None) -> None:
        super().__init__(f"Rename {member.name}", parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.ctx, self.member = ctx, member
        self.name = QLineEdit(member.name)
        self.initials = QLineEdit(member.initials, maxLength=4)
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Initials", self.initials)
        self.finish(form, QDialogButtonBox.StandardButton.Save)

    def submit(self) -> None:
        sid, version, by = self.member.id, self.member.version, self.ctx.staff_id
        name, initials = self.name.text(), self.initials.text()
        self.ctx.tasks.run(lambda: store.update_staff(sid, version=version, by=by, name=name, initials=initials),
                           lambda _: self.accept(), lambda error: self.show_error(error.message))


class TeamDialog(QDialog):
    """The team, everyone who ever worked here (those no longer on the team in grey: history keeps their names)."""

    locked_changed = Signal(int)
    """This desk's idle lock was set to this many minutes (0 = off)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.ctx = ctx
        self.setWindowTitle("Team")
        self.setMinimumSize(620, 440)
        self.list = QListWidget()
        self.list.setAccessibleName("Team")
        self.name = QLineEdit(placeholderText="A new colleague's full name")
        self.name.setAccessibleName("New colleague's name")
        self.role = QComboBox()
        for code, label in ROLES.items():
            self.role.addItem(label, code)
        self.add_button = QPushButton("Add colleague")
        self.rename_button = QPushButton("Rename...")
        self.role_button = QPushButton("Make administrator")
        self.pin_button = QPushButton("Set PIN...")
        self.clear_pin_button = QPushButton("Clear PIN")
        self.active_button = QPushButton("Take off the team")
        self.away_button = QPushButton("Mark away...")
        self.back_button = QPushButton("Back at work")
        self.error = dress(QLabel(objectName="error", wordWrap=True))
        self.error.hide()
        self.idle = QSpinBox(minimum=0, maximum=IDLE_LOCK_MAX, suffix=" minutes", specialValueText="never")
        self.idle.setValue(idle_minutes(ctx))
        self.idle.setAccessibleName("Lock this desk when idle")
        self.show_former = QCheckBox("Show former colleagues")
        self.show_former.setChecked(True)

        row1, row2 = QHBoxLayout(), QHBoxLayout()
        for button in (self.rename_button, self.role_button, self.pin_button, self.clear_pin_button):
            row1.addWidget(button)
        row1.addStretch(1)
        for button in (self.away_button, self.back_button, self.active_button):
            row2.addWidget(button)
        row2.addStretch(1)
        add_row = QHBoxLayout()
        add_row.addWidget(self.name, 1)
        add_row.addWidget(self.role)
        add_row.addWidget(self.add_button)
        idle_row = QHBoxLayout()
        idle_row.addWidget(QLabel("Back to \"Who is at this desk?\" after"))
        idle_row.addWidget(self.idle)
        idle_row.addWidget(dress(QLabel("without use (this desk only)", objectName="muted")))
        idle_row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.show_former)
        layout.addWidget(self.list, 1)
        layout.addLayout(row1)
        layout.addLayout(row2)
        layout.addLayout(add_row)
        layout.addWidget(self.error)
        layout.addLayout(idle_row)
        layout.addWidget(close)
        close.rejected.connect(self.reject)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.name.returnPressed.connect(self._on_add_clicked)
        self.rename_button.clicked.connect(self._on_rename_clicked)
        self.role_button.clicked.connect(self._on_role_clicked)
        self.pin_button.clicked.connect(self._on_pin_clicked)
        self.clear_pin_button.clicked.connect(self._on_clear_pin_clicked)
        self.active_button.clicked.connect(self._on_active_clicked)
        self.away_button.clicked.connect(self._on_away_clicked)
        self.back_button.clicked.connect(self._on_back_clicked)
        self.idle.valueChanged.connect(self._on_idle_value_changed)
        self.show_former.toggled.connect(lambda _: self.reload())
        self.list.currentItemChanged.connect(lambda *_: self._update_buttons())
        subscribe(self, ctx.events.data_changed, self._on_data_changed)
        self._team: list[StaffMember] = []
        self._update_buttons()
        self.reload()

    # --- reading ---
    def reload(self) -> None:
        everyone = self.show_former.isChecked()
        self.ctx.tasks.run(lambda: store.list_staff(include_inactive=everyone), self._on_team_loaded)

    def _on_data_changed(self, changes: Changes) -> None:
        if "staff" in changes.kinds:
            self.reload()

    def _on_team_loaded(self, team: list[StaffMember]) -> None:
        chosen = self.selected()
        self._team = team
        self.list.clear()
        now = store.utcnow()
        for member in team:
            item = QListWidgetItem(self.describe(member, now))
            item.setData(Qt.ItemDataRole.UserRole, member)
            if not member.active:
                item.setForeground(self.palette().placeholderText())
            self.list.addItem(item)
            if chosen is not None and member.id == chosen.id:
                self.list.setCurrentItem(item)
        if self.ctx.staff is not None:  # the desk's own copy of who is here (role, PIN) stays current
            me = next((m for m in team if m.id == self.ctx.staff.id), None)
            if me is not None:
                self.ctx.staff = me
        self._update_buttons()

    @staticmethod
    def describe(member: StaffMember, now: datetime) -> str:
        parts = [f"{member.name}  ({member.initials})", ROLES.get(member.role, member.role)]
        parts.append("PIN set" if member.has_pin else "no PIN")
        if not member.active:
            parts.append("no longer on the team")
        elif member.away_until and member.away_until > now:
            since = "since" if member.away_from and member.away_from <= now else "from"
            away = (f"away {since} {fmt.in_sentence(fmt.date_only(member.away_from, now))}, back "
                    f"{fmt.in_sentence(fmt.date_only(member.away_until, now))}")
            parts.append(away + (f": {member.away_reason}" if member.away_reason else ""))
        return " · ".join(parts)

    def selected(self) -> StaffMember | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _update_buttons(self) -> None:
        member = self.selected()
        chosen = member is not None
        me = chosen and self.ctx.staff is not None and member.id == self.ctx.staff.id  # type: ignore[union-attr]
        for button in (self.rename_button, self.pin_button, self.role_button, self.active_button):
            button.setEnabled(chosen)
        self.away_button.setEnabled(chosen and member.active)  # type: ignore[union-attr]
        self.back_button.setEnabled(chosen and member.active)  # type: ignore[union-attr]
        self.clear_pin_button.setEnabled(chosen and member.has_pin)  # type: ignore[union-attr]
        if member is not None:
            self.role_button.setText("Make staff" if member.role == "admin" else "Make administrator")
            self.active_button.setText("Take off the team" if member.active else "Back on the team")
            self.pin_button.setText("Change my PIN..." if me else ("Reset PIN..." if member.has_pin else "Set PIN..."))

    # --- writing ---
    def _admin(self, doing: str, then: Callable[[], None]) -> None:
        pin.as_admin(self.ctx, self, doing, then)

    def _run(self, call: Callable[[], Changes], on_done: Callable[[object], None] | None = None) -> None:
        self.error.hide()
        self.ctx.tasks.run(call, on_done, self._on_failed)

    def _on_add_clicked(self) -> None:
        name, role, by = self.name.text(), self.role.currentData(), self.ctx.staff_id
        self._admin("add a colleague to the team",
                    lambda: self._run(lambda: store.add_staff(name, by=by, role=role), lambda _: self.name.clear()))

    def _on_rename_clicked(self) -> None:
        member = self.selected()
        if member is None:
            return
        open_it = lambda: RenameDialog(self.ctx, member, self).open()  # noqa: E731
        if self._is_me(member):
            open_it()
        else:
            self._admin("rename a colleague", open_it)

    def _on_role_clicked(self) -> None:
        member = self.selected()
        if member is None:
            return
        role = "staff" if member.role == "admin" else "admin"
        sid, version, by = member.id, member.version, self.ctx.staff_id
        self._admin("change a role", lambda: self._run(lambda: store.update_staff(sid, version=version, by=by,
                                                                                  role=role)))

    def _on_pin_clicked(self) -> None:
        member = self.selected()
        if member is None:
            return
        open_it = lambda: pin.SetPinDialog(self.ctx, member, parent=self).open()  # noqa: E731
        if self._is_me(member):
            open_it()
        else:
            self._admin("set a colleague's PIN", open_it)

    def _on_clear_pin_clicked(self) -> None:
        member = self.selected()
        if member is None:
            return
        sid, version, by = member.id, member.version, self.ctx.staff_id
        clear = lambda: self._run(lambda: store.update_staff(sid, version=version, by=by, pin=""))  # noqa: E731
        if self._is_me(member):
            clear()
        else:
            self._admin("clear a colleague's PIN", clear)

    def _on_active_clicked(self) -> None:
        member = self.selected()
        if member is None:
            return
        active = not member.active
        if not active:
            answer = QMessageBox.question(
                self, "Take off the team",
                f"Take {member.name} off the team? Their name stays on everything they did; their open promises keep "
                "their name until someone takes them over. You can bring them back later.")
            if answer != QMessageBox.StandardButton.Yes:
                return
        sid, version, by = member.id, member.version, self.ctx.staff_id
        self._admin("take someone off the team" if not active else "reactivate a colleague",
                    lambda: self._run(lambda: store.update_staff(sid, version=version, by=by, active=active)))

    def _on_away_clicked(self) -> None:
        from ui.dialogs.staff import AwayDialog

        member = self.selected()
        if member is not None:
            dialog = AwayDialog(self.ctx, member, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.open()

    def _on_back_clicked(self) -> None:
        member = self.selected()
        if member is None:
            return
        by, sid = self.ctx.staff_id, member.id
        self._run(lambda: store.set_away(sid, by=by, away_from=None, away_until=None))

    def _on_idle_value_changed(self, minutes: int) -> None:
        self.ctx.settings.setValue(IDLE_LOCK_KEY, minutes)
        self.locked_changed.emit(minutes)

    def _is_me(self, member: StaffMember) -> bool:
        return self.ctx.staff is not None and member.id == self.ctx.staff.id

    def _on_failed(self, error: StoreError) -> None:
        self.error.setText(error.message)
        self.error.show()

    def done(self, result: int) -> None:  # also on Close and Esc: stop following changes
        try:
            self.ctx.events.data_changed.disconnect(self._on_data_changed)
        except (RuntimeError, TypeError):
            pass
        super().done(result)
