"""Issue 11 at the desk: PINs asked when they matter, Office > Team managing the team, the idle lock."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from models import store
from tests.ui.conftest import open_dialog
from ui.context import AppContext
from ui.dialogs import pin
from ui.dialogs.backups import BackupsDialog
from ui.dialogs.team import IDLE_LOCK_KEY, RenameDialog, TeamDialog
from ui.events import Events
from ui.tasks import SyncTasks


@pytest.fixture
def desk(qtbot, tmp_path) -> Iterator[AppContext]:
    """A desk (synchronous tasks) on a new office with Anna (administrator) and Ben; Anna at the desk."""
    store.open(tmp_path / "office.db")
    store.start_session(None, app_version="test")  # this desk's id counts wrong PINs
    anna = store.add_staff("Anna Keller").id
    store.add_staff("Ben Okafor", by=anna)
    events = Events()
    ctx = AppContext(SyncTasks(events), events, QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat),
                     staff=store.get_staff(anna), team=store.list_staff())
    yield ctx
    pin.end_grace(ctx)
    store.close()


def member(name: str):
    return next(m for m in store.list_staff(include_inactive=True) if m.name == name)


def open_dialogs(kind: type) -> list:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def test_switching_to_someone_with_a_pin_asks_for_it(qtbot, desk: AppContext) -> None:
    ben = member("Ben Okafor")
    store.update_staff(ben.id, version=ben.version, by=desk.staff_id, pin="2580")
    ben = member("Ben Okafor")
    switched = []
    parent = QMessageBox()  # any widget to hang the dialog on
    qtbot.addWidget(parent)
    pin.switch_to(desk, parent, ben, switched.append)
    [dialog] = open_dialogs(pin.PinDialog)
    assert dialog.testAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    qtbot.keyClicks(dialog.pin, "1111")
    dialog.submit()
    assert switched == [] and "not right" in dialog.error.text()
    qtbot.keyClicks(dialog.pin, "2580")
    dialog.submit()
    assert switched == [ben]
    # nobody is asked for a PIN they do not have
    pin.switch_to(desk, parent, member("Anna Keller"), switched.append)
    assert switched[-1].name == "Anna Keller"


def test_wrong_pins_make_the_dialog_wait(qtbot, desk: AppContext) -> None:
    ben = member("Ben Okafor")
    store.update_staff(ben.id, version=ben.version, by=desk.staff_id, pin="2580")
    dialog = pin.PinDialog(desk, member("Ben Okafor"), "Type it.")
    qtbot.addWidget(dialog)
    for _ in range(3):
        dialog.pin.setText("0000")
        dialog.submit()
    dialog.pin.setText("2580")
    dialog.submit()
    assert "Try again in 5 seconds" in dialog.error.text() and not dialog.ok_button.isEnabled()
    assert store.history(kinds=["pin"]).entries[0].text == "A wrong PIN was typed for Ben Okafor"


def test_an_administrator_without_a_pin_sets_one_then_is_asked_again_after_the_grace(qtbot, desk: AppContext,
                                                                                     monkeypatch) -> None:
    done = []
    parent = QMessageBox()
    qtbot.addWidget(parent)
    pin.as_admin(desk, parent, "change a role", lambda: done.append("first"))
    [setting] = open_dialogs(pin.SetPinDialog)
    assert "Choose yours before you change a role" in setting.findChildren(type(setting.error))[0].text()
    setting.pin.setText("4711")
    setting.again.setText("4712")
    setting.submit()
    assert "not the same" in setting.error.text() and done == []
    setting.again.setText("4711")
    setting.submit()
    assert done == ["first"] and store.check_pin(desk.staff_id, "4711")
    desk.staff = store.get_staff(desk.staff_id)
    pin.as_admin(desk, parent, "change a role", lambda: done.append("in grace"))
    assert done[-1] == "in grace"  # a few minutes' grace at this desk
    monkeypatch.setattr(pin, "GRACE_S", 0)
    pin.as_admin(desk, parent, "change a role", lambda: done.append("after"))
    [asking] = open_dialogs(pin.PinDialog)
    asking.pin.setText("4711")
    asking.submit()
    assert done[-1] == "after"


def test_a_staff_member_is_told_and_nothing_happens(qtbot, desk: AppContext, monkeypatch) -> None:
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda *args: told.append(args[2]))
    desk.staff = member("Ben Okafor")
    pin.as_admin(desk, None, "erase a client", lambda: told.append("ran"))  # type: ignore[arg-type]
    assert told == ["Only an administrator can erase a client. Ask an administrator of the office."]


def test_team_adds_renames_sets_roles_and_pins_and_takes_off_the_team(qtbot, desk: AppContext,
                                                                      monkeypatch) -> None:
    pin.confirm_grace(desk, desk.staff_id)  # Anna typed her PIN a moment ago
    team = TeamDialog(desk)
    qtbot.addWidget(team)
    team.show()
    assert team.testAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    team.name.setText("Chloé Martin")
    team.role.setCurrentIndex(team.role.findData("admin"))
    team.add_button.click()
    assert member("Chloé Martin").role == "admin"

    def choose(name: str) -> None:
        team.list.setCurrentRow(next(i for i in range(team.list.count()) if team.list.item(i).text().startswith(name)))

    choose("Ben Okafor")
    assert team.role_button.text() == "Make administrator"
    team.role_button.click()
    assert member("Ben Okafor").role == "admin"
    choose("Ben Okafor")
    team.pin_button.click()
    [setting] = open_dialogs(pin.SetPinDialog)
    setting.pin.setText("1234")
    setting.again.setText("1234")
    setting.submit()
    assert member("Ben Okafor").has_pin
    choose("Ben Okafor")
    assert team.clear_pin_button.isEnabled()
    team.clear_pin_button.click()
    assert not member("Ben Okafor").has_pin
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    choose("Ben Okafor")
    team.active_button.click()
    assert not member("Ben Okafor").active
    row = next(team.list.item(i).text() for i in range(team.list.count())
               if team.list.item(i).text().startswith("Ben Okafor"))
    assert row.endswith("no longer on the team")  # history keeps the name; the list shows former colleagues
    choose("Ben Okafor")
    assert team.active_button.text() == "Back on the team"
    team.active_button.click()
    assert member("Ben Okafor").active
    choose("Ben Okafor")
    team.rename_button.click()
    [rename] = [w for w in team.findChildren(RenameDialog) if w.windowTitle() == "Rename Ben Okafor"]
    rename.name.setText("Benjamin Okafor")
    rename.submit()
    assert member("Benjamin Okafor").initials == "BO"
    # The store's refusal shows in the dialog: the last administrator cannot be made staff.
    for name in ("Benjamin Okafor", "Chloé Martin"):
        choose(name)
        team.role_button.click()
    choose("Anna Keller")
    team.role_button.click()
    assert team.error.isVisible() and "at least one active administrator" in team.error.text()


def test_the_idle_lock_fires_after_its_minutes_and_input_restarts_it(qtbot, desk: AppContext) -> None:
    lock = pin.IdleLock(0)
    assert lock.remaining_ms() == -1
    lock.set_minutes(5)
    assert 299_000 < lock.remaining_ms() <= 301_000
    lock._timer.setInterval(50)
    lock._timer.start()
    with qtbot.waitSignal(lock.locked, timeout=2000):
        pass
    team = TeamDialog(desk)
    qtbot.addWidget(team)
    team.idle.setValue(15)
    assert int(desk.settings.value(IDLE_LOCK_KEY)) == 15
    lock.set_minutes(15)
    QApplication.sendEvent(team, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier))
    assert lock.remaining_ms() > 14 * 60_000
    assert shiboken6.isValid(lock)


# --- in the real window --------------------------------------------------------------------------

def test_the_window_offers_history_the_report_and_erasure(ready, seeded, qtbot) -> None:
    office = {a.text() for a in ready.menuBar().actions() if a.text() == "&Office"}
    assert office
    titles = {a.text() for menu in ready.menuBar().findChildren(type(ready.desk_menu)) for a in menu.actions()}
    assert {"History...", "History of this client...", "What happened (report)...",
            "Erase this client's personal data..."} <= titles
    ready.history_action.trigger()
    assert ready.history_dialog.isVisible() and ready.history_dialog.model.entries
    ready.history_dialog.close()
    ready.open_client(seeded["oliver"])
    ready.report_action.trigger()
    assert "What happened: Oliver Thompson" in ready.report_dialog.browser.toPlainText()
    ready.client_history_action.trigger()
    assert ready.history_dialog.windowTitle() == "History of Oliver Thompson"


def test_the_desk_menu_asks_for_a_pin_and_a_restore_for_the_administrators(ready, seeded, qtbot) -> None:
    ben = store.get_staff(seeded["ben"])
    store.update_staff(ben.id, version=ben.version, by=seeded["anna"], pin="2580")
    qtbot.waitUntil(lambda: store.get_staff(seeded["ben"]).has_pin)
    ready.ctx.tasks.run(store.list_staff, ready.session._on_team_refreshed)
    action = next(a for a in ready.desk_menu.actions() if a.text() == "Ben Okafor")
    action.trigger()
    [asking] = [d for d in ready.findChildren(pin.PinDialog) if d.isVisible()]
    assert ready.ctx.staff.name == "Anna Keller"  # not before the PIN
    asking.pin.setText("2580")
    asking.submit()
    assert ready.ctx.staff.name == "Ben Okafor"
    # Anna again (no PIN), then a restore: an administrator without a PIN chooses one first.
    next(a for a in ready.desk_menu.actions() if a.text() == "Anna Keller").trigger()
    assert ready.ctx.staff.name == "Anna Keller"
    qtbot.waitUntil(lambda: ready.session.auto_backup is not None and ready.session.auto_backup.last is not None)
    ready.backups_action.trigger()
    dialog = open_dialog(ready, BackupsDialog)
    dialog.list.setCurrentRow(0)
    dialog.restore_selected(confirm=lambda question: True)
    assert [d for d in dialog.findChildren(pin.SetPinDialog) if d.isVisible()]
    assert [b.reason for b in store.list_backups()] == ["at start"]  # nothing restored yet


def test_the_idle_lock_returns_the_desk_to_who_is_here(ready, seeded, qtbot) -> None:
    anna = store.get_staff(seeded["anna"])
    store.update_staff(anna.id, version=anna.version, by=anna.id, pin="1357")
    ready.ctx.staff = store.get_staff(anna.id)
    lock = ready.idle_lock
    lock.set_minutes(1)
    lock._timer.start(10)
    qtbot.waitUntil(lambda: getattr(ready, "staff_picker", None) is not None and ready.staff_picker.isVisible())
    ready.staff_picker._choose(store.get_staff(anna.id))  # the same person comes back: her PIN all the same
    [asking] = [d for d in ready.findChildren(pin.PinDialog) if d.isVisible()]
    asking.pin.setText("1357")
    asking.submit()
    assert not asking.isVisible() and ready.ctx.staff.name == "Anna Keller"
    pin.switch_to(ready.ctx, ready, ready.ctx.staff, lambda member: None)  # unlocked again: no question
    assert not [d for d in ready.findChildren(pin.PinDialog) if d.isVisible()]
