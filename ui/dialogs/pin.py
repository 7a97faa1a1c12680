"""PINs at the desk (issue 11): asked when the desk switches to someone who has one, and again before an
administrator's action (with a few minutes' grace at this desk); an administrator without a PIN sets one first.

What a PIN protects is attribution and casual misuse at a shared desk (README, "Roles and PINs"): the store
checks roles on every write whatever the window does.
"""
from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QMessageBox, QWidget

from models import store
from models.store import PinWait, StaffMember, StoreError
from ui.context import AppContext
from ui.widgets import FormDialog, mark_invalid

GRACE_S = 5 * 60  # after an administrator typed their PIN, their next actions at this desk need no PIN
_PIN_SHAPE = r"\d{0,8}"

# The last time each administrator confirmed their PIN, per window context (a desk).
_confirmed: dict[tuple[int, int], float] = {}
_locked: set[int] = set()  # desks (window contexts) locked by the idle lock until someone is chosen again


def _pin_field(name: str) -> QLineEdit:
    field = QLineEdit(echoMode=QLineEdit.EchoMode.Password, maxLength=8)
    field.setValidator(QRegularExpressionValidator(_PIN_SHAPE, field))
    field.setAccessibleName(name)
    field.setPlaceholderText("4 to 8 digits")
    return field


class PinDialog(FormDialog):
    """ "PIN for Anna Keller": checked by the store (wrong ones are recorded and slowed down at this desk)."""

    def __init__(self, ctx: AppContext, member: StaffMember, reason: str, parent: QWidget | None = None) -> None:
        super().__init__(f"PIN for {member.name}", parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.ctx, self.member = ctx, member
        self.passed: Callable[[], None] | None = None
        self.pin = _pin_field("PIN")
        intro = QLabel(reason, wordWrap=True)
        form = QFormLayout()
        form.addRow(intro)
        form.addRow("PIN", self.pin)
        self.finish(form)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self._wait_left = 0
        self._countdown = QTimer(self, interval=1000)
        self._countdown.timeout.connect(self._on_countdown_timeout)

    def submit(self) -> None:
        pin, sid = self.pin.text(), self.member.id
        self.ok_button.setEnabled(False)
        self.ctx.tasks.run(lambda: store.check_pin(sid, pin), self._on_checked, self._on_failed)

    def _on_checked(self, right: bool) -> None:
        if right:
            if self.member.role == "admin":
                confirm_grace(self.ctx, self.member.id)
            callback, self.passed = self.passed, None
            self.accept()
            if callback is not None:
                callback()
            return
        self.ok_button.setEnabled(True)
        self.pin.clear()
        mark_invalid(self.pin, True)
        self.show_error("That PIN is not right. Try again.")
        self.pin.setFocus()

    def _on_failed(self, error: StoreError) -> None:
        self.pin.clear()
        self.show_error(error.message)
        if isinstance(error, PinWait):
            self._wait_left = error.seconds
            self._countdown.start()
        else:
            self.ok_button.setEnabled(True)

    def _on_countdown_timeout(self) -> None:
        self._wait_left -= 1
        if self._wait_left <= 0:
            self._countdown.stop()
            self.ok_button.setEnabled(True)
            self.show_error("You can try again now.")
        else:
            self.show_error(f"Too many wrong PINs at this desk. Try again in {self._wait_left} seconds.")


class SetPinDialog(FormDialog):
    """Choose (or change) your own PIN: typed twice."""

    def __init__(self, ctx: AppContext, member: StaffMember, intro: str = "", parent: QWidget | None = None) -> None:
        super().__init__(f"PIN for {member.name}", parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.ctx, self.member = ctx, member
        self.done_callback: Callable[[], None] | None = None
        self.pin = _pin_field("New PIN")
        self.again = _pin_field("The same PIN again")
        form = QFormLayout()
        if intro:
            form.addRow(QLabel(intro, wordWrap=True))
        form.addRow("New PIN", self.pin)
        form.addRow("Again", self.again)
        self.finish(form, QDialogButtonBox.StandardButton.Save)

    def submit(self) -> None:
        pin = self.pin.text()
        if len(pin) < 4:
            mark_invalid(self.pin, True)
            self.show_error("A PIN is 4 to 8 digits.")
            return
        if pin != self.again.text():
            mark_invalid(self.again, True)
            self.show_error("The two PINs are not the same. Type it again.")
            return
        sid, by = self.member.id, self.ctx.staff_id
        self.ctx.tasks.run(lambda: store.update_staff(sid, version=store.get_staff(sid).version, by=by, pin=pin),
                           self._on_saved, lambda error: self.show_error(error.message))

    def _on_saved(self, _changes: object) -> None:
        if self.member.role == "admin" and self.member.id == self.ctx.staff_id:
            confirm_grace(self.ctx, self.member.id)
        callback, self.done_callback = self.done_callback, None
        self.accept()
        if callback is not None:
            callback()


def confirm_grace(ctx: AppContext, staff_id: int) -> None:
    """The administrator just proved who they are at this desk: no PIN again for GRACE_S."""
    _confirmed[(id(ctx), staff_id)] = time.monotonic()


def end_grace(ctx: AppContext) -> None:
    """Forget every confirmation at this desk (the desk switched person or locked)."""
    for key in [k for k in _confirmed if k[0] == id(ctx)]:
        del _confirmed[key]


def in_grace(ctx: AppContext, staff_id: int) -> bool:
    at = _confirmed.get((id(ctx), staff_id))
    return at is not None and time.monotonic() - at < GRACE_S


def as_admin(ctx: AppContext, parent: QWidget, doing: str, then: Callable[[], None]) -> None:
    """Run `then` once the person at the desk is known to be an administrator who typed their PIN lately.

    `doing` completes "Only an administrator can ..." and "Type your PIN to ...". Someone who is not an
    administrator is told so (the store would refuse too); an administrator without a PIN chooses one first.
    """
    member = ctx.staff
    if member is None:
        return
    if member.role != "admin":
        QMessageBox.information(parent, "Administrators only",
                                f"Only an administrator can {doing}. Ask an administrator of the office.")
        return
    if in_grace(ctx, member.id):
        then()
        return
    if not member.has_pin:
        dialog = SetPinDialog(ctx, member, "Administrators have a PIN, so nobody else at this desk can act in their "
                              f"name. Choose yours before you {doing}.", parent)
        dialog.done_callback = then
        dialog.open()
        return
    pin = PinDialog(ctx, member, f"Type your PIN to {doing}.", parent)
    pin.passed = then
    pin.open()


def switch_to(ctx: AppContext, parent: QWidget, member: StaffMember, then: Callable[[StaffMember], None]) -> None:
    """Switch the desk to `member`: their PIN first, if they have one (nobody else's name on their work).

    Staying the same person needs no PIN, unless the desk was locked (idle) meanwhile.
    """
    if ctx.staff is not None and ctx.staff.id == member.id and id(ctx) not in _locked:
        then(member)
        return
    end_grace(ctx)
    if not member.has_pin:
        _locked.discard(id(ctx))
        then(member)
        return
    dialog = PinDialog(ctx, member, f"{member.name} has a PIN. Type it to work at this desk as {member.name}.",
                       parent)
    def passed() -> None:
        _locked.discard(id(ctx))
        then(member)
    dialog.passed = passed
    dialog.open()


def lock_desk(ctx: AppContext) -> None:
    """The desk went idle: whoever comes back, even the same person, types their PIN (if they have one)."""
    end_grace(ctx)
    _locked.add(id(ctx))


class IdleLock(QObject):
    """After `minutes` without a key press or a click anywhere in the app, `locked` fires (0 minutes = never)."""

    locked = Signal()
    """Nobody used this desk for the set time: back to "Who is at this desk?"."""

    _INPUT = (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel)

    def __init__(self, minutes: int = 0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self.locked.emit)
        self.minutes = 0
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.set_minutes(minutes)

    def set_minutes(self, minutes: int) -> None:
        self.minutes = max(0, int(minutes))
        if self.minutes:
            self._timer.start(self.minutes * 60_000)
        else:
            self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if self.minutes and event.type() in self._INPUT:
            self._timer.start(self.minutes * 60_000)
        return False

    def remaining_ms(self) -> int:
        return self._timer.remainingTime() if self._timer.isActive() else -1
