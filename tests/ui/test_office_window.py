"""The window as a receptionist meets it: Today at start, promise notices, the hand-off card from the Client
menu, automatic backups and the Backups window, export, loading an export, copying the office elsewhere."""
from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from models import store
from models.store.backup import backup_due
from tests.ui.conftest import open_dialog
from ui.dialogs import pin
from ui.dialogs.backups import PG_WORDS, AutoBackup, BackupsDialog, backup_line, size_words
from ui.dialogs.handoff import HandoffDialog
from ui.main_window import MainWindow
from ui.views.today import TodayView


def _client_names() -> list[str]:
    return sorted(c.name for c in store.list_clients())


def test_today_opens_at_start_and_ctrl_t_brings_it_back(ready: MainWindow, seeded, qtbot) -> None:
    qtbot.waitUntil(lambda: isinstance(ready.right.currentWidget(), TodayView))
    assert ready.today_action.shortcut().toString() == "Ctrl+T"
    ready.open_client(seeded["oliver"])
    assert ready.right.currentWidget() is ready.client_view
    ready.today_action.trigger()
    assert ready.right.currentWidget() is ready.today_view


def test_the_start_summary_names_what_is_overdue(make_window, seeded, settings: QSettings, db_path: Path,
                                                 qtbot) -> None:
    store.open(db_path)
    store.make_promise(seeded["oliver"], by=seeded["anna"], text="Ring back about the boiler",
                       due=store.utcnow() - timedelta(days=1, hours=1))
    store.close()
    settings.setValue(f"desk/staff/{db_path}", seeded["anna"])
    window = make_window()
    qtbot.waitUntil(lambda: window.notice_banner.isVisible())
    assert window.notice_banner.text.text() == "1 promise overdue."
    window.notice_banner.close_button.click()
    assert not window.notice_banner.isVisible()
    today = window.today_view
    assert [r.text for r in today.rows_in("overdue")] == ["Ring back about the boiler"]


def test_the_hand_off_card_from_the_client_menu(ready: MainWindow, seeded, qtbot) -> None:
    ready.handoff_action.trigger()  # no client open yet: a sentence, no empty card
    assert "Open a client first" in ready.statusBar().currentMessage()
    assert getattr(ready, "handoff_dialog", None) is None
    ready.open_client(seeded["oliver"])
    ready.handoff_action.trigger()
    dialog = open_dialog(ready, HandoffDialog)
    assert dialog.isVisible() and dialog.windowTitle() == "Hand-off card: Oliver Thompson"
    assert "Bayview Holdings" in dialog.browser.toPlainText() and dialog.pdf_button.isEnabled()
    dialog.close()



def test_client_shortcuts_on_today_say_to_open_a_client_first(ready: MainWindow, seeded, qtbot) -> None:
    """Ctrl+L, Ctrl+E and the rest act on the open client; on Today they used to do nothing at all."""
    ready.show_today()
    for action, what in ((ready.log_action, "log what happened"), (ready.note_action, "add the note"),
                         (ready.promise_action, "make the promise"), (ready.edit_client_action, "edit their details"),
                         (ready.export_client_action, "export them"),
                         (ready.delete_client_action, "move them to the Trash")):
        ready.statusBar().clearMessage()
        action.trigger()
        assert ready.statusBar().currentMessage() == f"Open a client first, then {what}."
    ready.open_client(seeded["oliver"])
    ready.statusBar().clearMessage()
    ready.log_action.trigger()
    assert QApplication.focusWidget() is ready.client_view.composer.interaction.summary
    assert ready.statusBar().currentMessage() == ""


# --- backups --------------------------------------------------------------------------------------

def test_a_backup_is_taken_when_the_desk_starts_and_not_again_until_due(ready: MainWindow, qtbot) -> None:
    qtbot.waitUntil(lambda: ready.session.auto_backup is not None and ready.session.auto_backup.last is not None)
    backups = store.list_backups()
    assert [(b.reason, b.ok) for b in backups] == [("at start", True)]
    ready.session.auto_backup.run("scheduled")  # the newest backup is seconds old: nothing to do
    assert len(store.list_backups()) == 1
    assert backup_due(backups, backups[0].taken_at + timedelta(hours=4))
    assert not backup_due(backups, backups[0].taken_at + timedelta(hours=3, minutes=59))
    assert backup_due([], backups[0].taken_at)


def test_a_failed_automatic_backup_says_so_in_the_window(ready: MainWindow, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the backups folder should be", encoding="utf-8")
    monkeypatch.setenv("RAPPORT_DATA_DIR", str(blocker))
    backup = AutoBackup(ready.ctx, ready)
    backup.failed.connect(ready.error_banner.say)
    backup.run("scheduled")
    assert ready.error_banner.isVisible()
    assert "could not create its backups folder" in ready.error_banner.text.text()


def test_the_backups_window_backs_up_and_an_admin_restores(ready: MainWindow, seeded, qtbot) -> None:
    qtbot.waitUntil(lambda: ready.session.auto_backup is not None and ready.session.auto_backup.last is not None)
    ready.backups_action.trigger()
    dialog: BackupsDialog = open_dialog(ready, BackupsDialog)
    assert dialog.list.count() == 1 and dialog.restore_button.isEnabled()  # Anna, the first person, is admin
    dialog.backup_button.click()
    assert dialog.list.count() == 2 and "checked and sound" in dialog.status.text()
    assert "By hand" in dialog.list.item(0).text()
    store.add_client(name="Zoe Written-Later", by=seeded["anna"])
    assert "Zoe Written-Later" in _client_names()
    dialog.list.setCurrentRow(1)  # the backup taken at start
    pin.confirm_grace(ready.ctx, seeded["anna"])  # Anna typed her administrator's PIN a moment ago (issue 11)
    asked: list[str] = []
    dialog.restore_selected(confirm=lambda question: asked.append(question) or True)
    assert asked and "Everything entered since then is replaced" in asked[0]
    assert dialog.error.isHidden(), dialog.error.text()
    assert "Zoe Written-Later" not in _client_names()
    assert ready.client_list.model.rowCount() == 2  # the list reloaded: Zoe is gone here too
    reasons = [b.reason for b in store.list_backups()]
    assert reasons == ["before restore", "by hand", "at start"] and dialog.list.count() == 3


def test_cancelling_a_restore_changes_nothing(ready: MainWindow, seeded, qtbot) -> None:
    qtbot.waitUntil(lambda: ready.session.auto_backup is not None and ready.session.auto_backup.last is not None)
    store.add_client(name="Zoe Written-Later", by=seeded["anna"])
    dialog = BackupsDialog(ready.ctx, "sqlite", ready)
    dialog.restore_selected(confirm=lambda question: False)
    assert "Zoe Written-Later" in _client_names() and len(store.list_backups()) == 1


def test_only_an_administrator_may_restore(ready: MainWindow, seeded, qtbot) -> None:
    ben = next(m for m in ready.ctx.team if m.id == seeded["ben"])
    ready.session.set_staff(ben)
    qtbot.waitUntil(lambda: ready.session.auto_backup is not None and ready.session.auto_backup.last is not None)
    dialog = BackupsDialog(ready.ctx, "sqlite", ready)
    assert dialog.list.count() == 1
    assert not dialog.restore_button.isEnabled()
    assert dialog.restore_button.toolTip() == "Only an administrator can restore a backup."


def test_a_postgresql_office_is_backed_up_on_its_server(ready: MainWindow) -> None:
    dialog = BackupsDialog(ready.ctx, "postgresql", ready)
    assert dialog.intro.text() == PG_WORDS
    assert not dialog.backup_button.isEnabled() and not dialog.restore_button.isEnabled()


def test_backup_lines_read_plainly(ready: MainWindow, qtbot) -> None:
    qtbot.waitUntil(lambda: ready.session.auto_backup is not None and ready.session.auto_backup.last is not None)
    info = store.list_backups()[0]
    line = backup_line(info, info.taken_at + timedelta(minutes=5))
    assert line.startswith("Today, ") and "At start" in line and line.endswith(size_words(info.size_bytes))
    assert size_words(900) == "1 KB" and size_words(125_400_000) == "125.4 MB"


def test_a_damaged_office_is_reported_after_the_window_is_up(make_window, seeded, settings: QSettings,
                                                             db_path: Path, qtbot,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    sentence = "The database file is damaged. Stop using it and restore the latest backup (Office > Backups)."
    monkeypatch.setattr(store, "check_integrity", lambda full=False: sentence)
    settings.setValue(f"desk/staff/{db_path}", seeded["anna"])
    window = make_window()
    qtbot.waitUntil(lambda: window.error_banner.isVisible())
    assert window.error_banner.text.text() == sentence


# --- export, load, copy ---------------------------------------------------------------------------

def test_export_the_office_and_one_client_from_the_window(ready: MainWindow, seeded, tmp_path: Path) -> None:
    said: list[str] = []
    ready.ctx.events.message_reported.connect(said.append)
    office = tmp_path / "office.json"
    ready.office_files.export_office(str(office))
    assert said and said[-1].startswith("Exported the office (") and str(office) in said[-1]
    tables = json.loads(office.read_text(encoding="utf-8"))["tables"]
    assert {c["name"] for c in tables["client"]} == {"Oliver Thompson", "Isla Walsh"}
    ready.open_client(seeded["isla"])
    one = tmp_path / "isla.json"
    ready.office_files.export_client(seeded["isla"], "Isla Walsh", str(one))
    assert said[-1].startswith("Exported Isla Walsh (")
    assert [c["name"] for c in json.loads(one.read_text(encoding="utf-8"))["tables"]["client"]] == ["Isla Walsh"]


def test_an_export_to_a_folder_that_does_not_exist_says_so(ready: MainWindow, tmp_path: Path) -> None:
    ready.office_files.export_office(str(tmp_path / "missing" / "office.json"))
    assert ready.error_banner.isVisible() and ready.error_banner.text.text()
    assert "Traceback" not in ready.error_banner.text.text()


def test_load_an_export_into_a_new_office_and_work_there(ready: MainWindow, seeded, tmp_path: Path,
                                                         qtbot) -> None:
    export = tmp_path / "office.json"
    ready.office_files.export_office(str(export))
    new_office = tmp_path / "new-office.db"
    ready.office_files.load_export(str(export), str(new_office))
    assert ready.ctx.database == str(new_office)
    assert _client_names() == ["Isla Walsh", "Oliver Thompson"]
    assert "PINs are not exported" in ready.statusBar().currentMessage()
    assert ready.staff_picker.isVisible()  # a new office: who is at the desk?
    assert {m.name for m in ready.ctx.team} == {"Anna Keller", "Ben Okafor"}


def test_loading_something_that_is_not_an_export_changes_nothing(ready: MainWindow, seeded, db_path: Path,
                                                                 tmp_path: Path, qtbot) -> None:
    bogus = tmp_path / "notes.json"
    bogus.write_text('{"shopping": ["milk"]}', encoding="utf-8")
    new_office = tmp_path / "new-office.db"
    ready.office_files.load_export(str(bogus), str(new_office))
    assert ready.error_banner.isVisible() and "export" in ready.error_banner.text.text()
    assert not new_office.exists()
    assert ready.ctx.database == str(db_path) and _client_names() == ["Isla Walsh", "Oliver Thompson"]
    ready.office_files.load_export(str(bogus), str(db_path))  # never over an existing file
    assert "There is already a file" in ready.error_banner.text.text()


def test_copy_the_office_to_another_database_then_open_it(ready: MainWindow, seeded, db_path: Path,
                                                          tmp_path: Path) -> None:
    target = tmp_path / "copy.db"
    offered: list[str] = []
    ready.office_files.copy_office(str(target), open_after=lambda where: offered.append(where) or True)
    assert offered == [str(target)]
    assert ready.ctx.database == str(target) and _client_names() == ["Isla Walsh", "Oliver Thompson"]
    ready.office_files.copy_office(str(db_path), open_after=lambda where: False)  # into a full office: refused
    assert "already holds data" in ready.error_banner.text.text()


def test_a_restore_is_refused_while_another_desk_is_open(ready: MainWindow, seeded, db_path: Path, qtbot) -> None:
    from tests.ui.test_live_refresh import other_desk

    qtbot.waitUntil(lambda: ready.session.auto_backup is not None and ready.session.auto_backup.last is not None)
    desk = other_desk(db_path, seeded["ben"], seeded["oliver"], "sit")
    try:
        assert desk.stdout is not None and desk.stdout.readline().strip() == "SITTING"
        dialog = BackupsDialog(ready.ctx, "sqlite", ready)
        pin.confirm_grace(ready.ctx, seeded["anna"])  # issue 11
        dialog.restore_selected(confirm=lambda question: True)
        assert not dialog.error.isHidden()
        assert dialog.error.text().startswith("Rapport is open at another desk (Ben Okafor on FRONT-2)")
        assert len(store.list_backups()) == 1  # nothing was touched, not even a "before restore" backup
        assert dialog.backup_button.isEnabled()
    finally:
        desk.communicate("", timeout=30)


def test_the_start_up_backup_waits_until_the_first_clicks_are_answered(make_window, seeded, settings: QSettings,
                                                                        db_path: Path, qtbot,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import ui.session

    monkeypatch.setattr(ui.session, "MAINTENANCE_DELAY_MS", 600)
    settings.setValue(f"desk/staff/{db_path}", seeded["anna"])
    window = make_window()
    qtbot.waitUntil(lambda: isinstance(window.right.currentWidget(), TodayView))
    assert window.session.auto_backup is None and store.list_backups() == []
    qtbot.waitUntil(lambda: window.session.auto_backup is not None and window.session.auto_backup.last is not None,
                    timeout=5000)
    assert [b.reason for b in store.list_backups()] == ["at start"]


def test_half_typed_text_stays_with_its_own_office_when_the_window_switches(ready: MainWindow, seeded,
                                                                             db_path: Path, tmp_path: Path) -> None:
    ready.open_client(seeded["oliver"])
    note = ready.client_view.composer.note
    note.text.setPlainText("Half a thought about the lease")
    note.schedule_draft()
    copy = tmp_path / "copy.db"
    ready.office_files.copy_office(str(copy), open_after=lambda where: True)
    assert ready.ctx.database == str(copy)
    ready.staff_picker._choose(next(m for m in ready.ctx.team if m.name == "Anna Keller"))
    ready.open_client(seeded["oliver"])  # the same id in the other office: not the same person's note
    assert ready.client_view.composer.note.text.toPlainText() == ""
    ready.session.switch(str(db_path))
    ready.open_client(seeded["oliver"])
    assert ready.client_view.composer.note.text.toPlainText() == "Half a thought about the lease"


def test_give_to_a_colleague_suggests_somebody_who_does_not_have_it(ready: MainWindow, seeded, qtbot) -> None:
    from datetime import timedelta

    from ui.dialogs.promise import PromiseActionDialog

    oliver, anna, ben = seeded["oliver"], seeded["anna"], seeded["ben"]
    store.make_promise(oliver, by=anna, text="Call back", due=store.utcnow() + timedelta(days=1))
    ready.open_client(oliver)
    entry = ready.client_view.timeline.timeline_model.entries[0]
    dialog = PromiseActionDialog(ready.ctx, "reassign", entry, ready)
    qtbot.addWidget(dialog)
    assert dialog.field.currentData() == ben  # Anna has it and is at the desk: Ben is the one to give it to
    assert dialog.field.itemText(dialog.field.findData(anna)) == "Anna Keller (has it now)"


def test_the_desk_menu_ticks_who_is_at_the_desk(ready: MainWindow, seeded) -> None:
    def ticked() -> list[str]:
        return [a.text() for a in ready.desk_menu.actions() if a.isChecked()]

    assert ticked() == ["Anna Keller"]
    ben = next(m for m in ready.ctx.team if m.id == seeded["ben"])
    ready.session.set_staff(ben)
    assert ticked() == ["Ben Okafor"]


def test_the_window_comes_back_arranged_as_it_was_left(make_window, ready: MainWindow, qtbot) -> None:
    ready.resize(760, 560)  # within the offscreen test screen: restoring keeps a window on screen
    ready.splitter.setSizes([150, 590])
    ready.client_list.table.setColumnWidth(1, 260)
    sizes = ready.splitter.sizes()
    ready.close()
    again = make_window()
    assert (again.width(), again.height()) == (760, 560)
    qtbot.waitUntil(lambda: again.splitter.sizes() == sizes, timeout=2000)
    assert again.client_list.table.columnWidth(1) == 260


def test_a_client_with_an_empty_timeline_keeps_the_forms_at_their_size(ready: MainWindow, seeded, qtbot) -> None:
    ready.resize(760, 560)
    ready.open_client(seeded["isla"])  # nothing on her timeline
    view = ready.client_view
    qtbot.waitUntil(lambda: view.empty.isVisible())
    view.header.why_button.setChecked(False)  # the score panel folded away: room to spare below the forms
    qtbot.waitUntil(lambda: not view.score_panel.isVisible())
    qtbot.wait(50)  # the layout shares out the freed room
    assert view.composer.height() <= view.composer.sizeHint().height() + 4  # not stretched over the pane


def test_a_new_client_at_the_end_of_a_long_list_is_scrolled_fully_into_view(ready: MainWindow, seeded,
                                                                             qtbot) -> None:
    anna = seeded["anna"]
    for k in range(40):
        store.add_client(name=f"Client {k:02d}", by=anna)
    ready.client_list.reload()
    qtbot.waitUntil(lambda: ready.client_list.model.rowCount() == 42)
    new = store.add_client(name="Zoe Zimmermann", by=anna).id
    ready.client_list._on_data_changed(store.Changes(frozenset({new}), frozenset({"client"})))
    ready.open_client(new)
    table = ready.client_list.table
    row = ready.client_list.model.row_of(new)

    def fully_in_view() -> bool:
        cell = table.visualRect(ready.client_list.model.index(row, 0))
        return cell.top() >= 0 and cell.bottom() <= table.viewport().height()

    qtbot.waitUntil(fully_in_view)


def test_the_contact_line_breaks_only_between_whole_parts(ready: MainWindow, seeded) -> None:
    oliver, anna, ben = seeded["oliver"], seeded["anna"], seeded["ben"]
    store.update_client(oliver, version=store.get_client(oliver).version, by=anna, preferred_channel="email",
                        usual_handler=ben)
    ready.open_client(oliver)
    reach, habits = ready.client_view.header.contact.text().split("\n")
    assert reach == "Bayview\u00a0Holdings\u00a0\u00a0·\u00a0 01632\u00a0960001"  # may break after the dot only
    assert habits == "prefers\u00a0email\u00a0\u00a0·\u00a0 usually\u00a0Ben\u00a0Okafor"


def test_the_first_window_fits_a_small_screen(ready: MainWindow) -> None:
    """1280 x 780 would hang off a 1366 x 768 laptop; the offscreen test screen is narrower still."""
    screen = ready.screen().availableGeometry()
    assert screen.width() < 1280  # so the window had to shrink
    assert (ready.width(), ready.height()) == (screen.width() - 24, min(780, screen.height() - 24))


def test_the_first_window_takes_most_of_a_big_screen() -> None:
    from PySide6.QtCore import QSize

    from ui.settings import first_size

    assert first_size(QSize(1366, 768)) == QSize(1280, 744)  # fits a laptop's screen
    assert first_size(QSize(1920, 1080)) == QSize(1632, 918)  # and the list grows on a big one


def test_a_very_long_name_and_email_do_not_widen_the_client_screen(ready: MainWindow, seeded, qtbot) -> None:
    name = "Dr Alexandra Konstantinopoulou-Featherstonehaugh of the Greater Northumberland Property Trust"
    cid = store.add_client(name=name, by=seeded["anna"],
                           email="alexandra.konstantinopoulou-featherstonehaugh@northumberland-trust.example").id
    width = ready.width()
    ready.open_client(cid)
    view = ready.client_view
    assert view.header.name.text() == name
    qtbot.wait(20)  # the layout settles
    assert ready.width() == width  # the window grew past the screen's edge before
    assert view.minimumSizeHint().width() < 650  # and the list beside it keeps its room


def test_the_cancel_promise_dialog_says_which_button_cancels(ready: MainWindow, seeded, qtbot) -> None:
    from datetime import timedelta

    from PySide6.QtWidgets import QDialogButtonBox

    from ui.dialogs.promise import PromiseActionDialog

    store.make_promise(seeded["oliver"], by=seeded["anna"], text="Call back", due=store.utcnow() + timedelta(days=1))
    ready.open_client(seeded["oliver"])
    entry = ready.client_view.timeline.timeline_model.entries[0]
    dialog = PromiseActionDialog(ready.ctx, "cancel", entry, ready)
    qtbot.addWidget(dialog)
    texts = [b.text() for b in dialog.buttons.buttons()]
    assert sorted(texts) == ["Cancel the promise", "Keep it"]
    assert dialog.minimumWidth() >= 440
    dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()  # "Keep it"
    assert store.client_promises(seeded["oliver"])[0].text == "Call back"


def test_an_open_backups_window_lists_the_start_up_backup_when_it_lands(make_window, seeded, settings: QSettings,
                                                                         db_path: Path, monkeypatch) -> None:
    import ui.session

    monkeypatch.setattr(ui.session, "MAINTENANCE_DELAY_MS", 10**7)  # opened before the backup at start
    settings.setValue(f"desk/staff/{db_path}", seeded["anna"])
    window = make_window()
    window.backups_action.trigger()
    dialog: BackupsDialog = open_dialog(window, BackupsDialog)
    assert dialog.list.count() == 0
    window.session.maintain(window.ctx.database)  # what the start-up timer does
    assert dialog.list.count() == 1 and "At start" in dialog.list.item(0).text()


def test_show_the_folder_says_where_the_backups_are_when_no_file_manager_answers(ready: MainWindow, qtbot,
                                                                                  monkeypatch) -> None:
    """Stumble 9: Backups > Show the folder did nothing where no file manager answers."""
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QApplication

    from ui.dialogs.backups import BackupsDialog

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: False))  # nothing answers
    ready.backups_action.trigger()
    dialog: BackupsDialog = open_dialog(ready, BackupsDialog)
    qtbot.waitUntil(lambda: getattr(dialog, "folder", None) is not None)
    dialog.folder_button.click()
    assert dialog.folder_line.isVisible() and str(dialog.folder) in dialog.folder_line.text()
    dialog.copy_button.click()
    assert QApplication.clipboard().text() == str(dialog.folder)


def test_the_notice_banner_follows_the_day(make_window, seeded, settings: QSettings, db_path: Path, qtbot) -> None:
    """Stumble 7: the banner still said '2 promises overdue' after one was kept, a restore or a colleague's change."""
    store.open(db_path)
    first = store.make_promise(seeded["oliver"], by=seeded["anna"], text="Ring back about the boiler",
                               due=store.utcnow() - timedelta(days=1, hours=1)).id
    second = store.make_promise(seeded["isla"], by=seeded["anna"], text="Send the quote",
                                due=store.utcnow() - timedelta(hours=30)).id
    store.close()
    settings.setValue(f"desk/staff/{db_path}", seeded["anna"])
    window = make_window()
    qtbot.waitUntil(lambda: window.notice_banner.isVisible())
    assert window.notice_banner.text.text() == "2 promises overdue."
    anna = seeded["anna"]
    window.ctx.tasks.run(lambda: store.keep_promise(first, by=anna, apology=True))  # kept at this desk
    qtbot.waitUntil(lambda: window.notice_banner.text.text() == "1 promise overdue.")
    changes = store.keep_promise(second, by=seeded["ben"], apology=True)  # a colleague keeps the other one
    window.ctx.events.data_changed.emit(changes)  # as the watcher announces another desk's write
    qtbot.waitUntil(lambda: not window.notice_banner.isVisible())
